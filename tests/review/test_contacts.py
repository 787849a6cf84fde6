import datetime as dt

import pytest

from reviewdesk.book.contacts import delete_contact, log_contact, update_contact
from reviewdesk.book.enums import Channel, FeedbackTopic
from reviewdesk.book.errors import NotFound, ValidationError
from reviewdesk.book.models import Contact
from reviewdesk.review.contacts import feedback_history
from tests import factories as f

D = dt.date
TODAY = D(2025, 6, 10)


@pytest.fixture
def client_id(book):
    with book.session() as s:
        c = f.client()
        s.add(c)
        s.flush()
        return c.id


def test_log_and_list_feedback_newest_first(book, client_id):
    with book.session() as s:
        log_contact(
            s,
            client_id,
            Channel.MEETING,
            D(2025, 5, 2),
            summary="面谈回顾",
            feedback="认可债基表现",
            topic=FeedbackTopic.PRODUCT,
            today=TODAY,
        )
        log_contact(s, client_id, Channel.PHONE, D(2025, 6, 1), summary="电话", today=TODAY)
        log_contact(
            s,
            client_id,
            Channel.EMAIL,
            D(2025, 6, 9),
            summary="  ",
            feedback="转账限额太低",
            today=TODAY,
        )
    with book.session() as s:
        history = feedback_history(s, client_id)
        assert [(e.day, e.topic, e.feedback) for e in history] == [
            (D(2025, 6, 9), FeedbackTopic.OTHER, "转账限额太低"),
            (D(2025, 5, 2), FeedbackTopic.PRODUCT, "认可债基表现"),
        ]
        assert history[0].summary is None  # blank text is no text


def test_bad_contacts_are_refused_and_nothing_is_saved(book, client_id):
    with pytest.raises(ValidationError, match="contact_date = 2025-06-11: is in the future"):
        with book.session() as s:
            log_contact(s, client_id, Channel.PHONE, D(2025, 6, 11), summary="x", today=TODAY)
    with pytest.raises(ValidationError, match="feedback_topic = 'service': needs the feedback"):
        with book.session() as s:
            log_contact(
                s,
                client_id,
                Channel.PHONE,
                TODAY,
                summary="x",
                topic=FeedbackTopic.SERVICE,
                today=TODAY,
            )
    with pytest.raises(NotFound):
        with book.session() as s:
            log_contact(s, 999, Channel.PHONE, TODAY, summary="x", today=TODAY)
    with book.session() as s:
        assert s.query(Contact).count() == 0


def test_edit_and_delete(book, client_id):
    with book.session() as s:
        contact_id = log_contact(
            s, client_id, Channel.PHONE, D(2025, 6, 1), summary="电话", today=TODAY
        ).id
    with book.session() as s:
        update_contact(
            s,
            contact_id,
            channel=Channel.MEETING,
            day=D(2025, 6, 2),
            summary="改为面谈",
            next_step="寄送方案",
            today=TODAY,
        )
    with book.session() as s:
        c = s.get(Contact, contact_id)
        assert (c.channel, c.contact_date, c.summary, c.next_step) == (
            Channel.MEETING,
            D(2025, 6, 2),
            "改为面谈",
            "寄送方案",
        )
        delete_contact(s, contact_id)
    with book.session() as s:
        assert s.get(Contact, contact_id) is None
