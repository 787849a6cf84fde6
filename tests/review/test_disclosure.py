"""What a client may read of the contact log: the review object holds nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from reviewdesk.book.contacts import log_contact, mark_next_step_done, update_contact
from reviewdesk.book.enums import Channel
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Contact
from reviewdesk.migrations import runner
from reviewdesk.review.build import build_review
from reviewdesk.review.contacts import open_next_steps
from reviewdesk.settings import Settings, load_settings, save_setting
from tests.review.disclosure_book import (
    DONE_STEP,
    HIDDEN_STEP,
    INTERNAL_STEP,
    NOTE,
    NOTE_WORDS,
    OPEN_STEP,
    SHARED_NOTE,
    SOONER_STEP,
    SPECIAL_NOTES,
    TODAY,
    add_client,
    disclosure_book,
)


@pytest.fixture
def book(tmp_path):
    b = disclosure_book(tmp_path / "b.sqlite")
    assert b.encrypted
    yield b
    b.close()


def review_of(book, client_id, today=TODAY, **settings):
    with book.session() as session:
        values = load_settings(session).as_dict() | settings
        return build_review(session, client_id, settings=Settings(values), today=today)


def test_only_shared_contacts_and_shared_open_next_steps_enter_the_review(book):
    review = review_of(book, add_client(book))
    assert [c.summary for c in review.contacts] == [
        SHARED_NOTE,
        "发送月度资产回顾表",
        "电话沟通市场情况",
    ]
    assert [(s.text, s.due) for s in review.next_steps] == [
        (SOONER_STEP, dt.date(2026, 6, 20)),
        (OPEN_STEP, dt.date(2026, 7, 10)),
    ]
    assert review.next_steps[1].agreed_on == dt.date(2026, 6, 10)
    # No face can show what the object does not hold.
    held = repr(review)
    for words in (*NOTE_WORDS, INTERNAL_STEP, HIDDEN_STEP, DONE_STEP, SPECIAL_NOTES):
        assert words not in held
    assert (review.internal_contacts, review.internal_next_steps) == (2, 2)


def test_a_next_step_done_after_the_as_of_day_is_still_open_then(book):
    cid = add_client(book)
    before = review_of(book, cid, today=dt.date(2026, 6, 4))
    assert DONE_STEP in [s.text for s in before.next_steps]
    on_the_day = review_of(book, cid, today=dt.date(2026, 6, 5))
    assert DONE_STEP not in [s.text for s in on_the_day.next_steps]


def test_the_setting_leaves_next_steps_and_contacts_out(book):
    cid = add_client(book)
    with book.session() as session:
        save_setting(session, "pack_show_contacts", "no")
    review = review_of(book, cid)
    assert not review.show_contacts and review.contacts == () and review.next_steps == ()
    assert SHARED_NOTE not in repr(review) and OPEN_STEP not in repr(review)


def test_the_pack_reference_ignores_internal_notes(book):
    """The counts for the manager are not part of what the pack shows (nor of its digest)."""
    from reviewdesk.pack.produce import pack_reference

    cid = add_client(book)
    before = pack_reference(review_of(book, cid), "zh", "a4")
    with book.session() as session:
        log_contact(
            session, cid, Channel.PHONE, dt.date(2026, 6, 14), summary="内部：再议", today=TODAY
        )
    after = review_of(book, cid)
    assert after.internal_contacts == 3
    assert pack_reference(after, "zh", "a4") == before


def test_new_contacts_are_internal_unless_shared(book):
    cid = add_client(book)
    with book.session() as session:
        plain = log_contact(
            session,
            cid,
            Channel.MEETING,
            dt.date(2026, 6, 14),
            summary="默认内部",
            next_step="跟进",
            today=TODAY,
        )
        assert (plain.shared, plain.next_step_shared) == (False, False)
        shared = log_contact(
            session,
            cid,
            Channel.MEETING,
            dt.date(2026, 6, 14),
            summary="告知客户的内容",
            next_step="下周回电",
            shared=True,
            next_step_shared=True,
            next_step_due=dt.date(2026, 6, 16),
            today=TODAY,
        )
        shared_id = shared.id
    review = review_of(book, cid)
    assert review.contacts[0].summary == "告知客户的内容"
    assert review.next_steps[0].text == "下周回电"
    assert "默认内部" not in repr(review) and "跟进" not in repr(review)
    with book.session() as session:
        mark_next_step_done(session, shared_id, dt.date(2026, 6, 15), today=TODAY)
        steps = open_next_steps(session, cid, TODAY)
    assert "下周回电" not in [s.text for s in steps]
    assert [s.text for s in steps][:2] == [HIDDEN_STEP, SOONER_STEP]  # soonest due first
    assert "下周回电" not in [s.text for s in review_of(book, cid).next_steps]


@pytest.mark.parametrize(
    "field, values",
    [
        ("next_step_shared", {"next_step_shared": True}),
        ("next_step_due", {"next_step_due": dt.date(2026, 6, 30)}),
        ("next_step_done", {"next_step_done": dt.date(2026, 6, 14)}),
    ],
)
def test_a_next_step_flag_or_date_without_a_next_step_is_refused(book, field, values):
    cid = add_client(book)
    with pytest.raises(ValidationError) as info, book.session() as session:
        log_contact(
            session,
            cid,
            Channel.PHONE,
            dt.date(2026, 6, 14),
            summary="x",
            next_step="  ",
            today=TODAY,
            **values,
        )
    assert info.value.field == field and "needs the next step itself" in str(info.value)


def test_next_step_dates_are_dates_and_done_is_not_in_the_future(book):
    cid = add_client(book)
    with (
        pytest.raises(ValidationError, match="next_step_due = '2026-13-01': is not a date"),
        book.session() as session,
    ):
        log_contact(
            session,
            cid,
            Channel.PHONE,
            dt.date(2026, 6, 14),
            summary="x",
            next_step="y",
            next_step_due="2026-13-01",
            today=TODAY,
        )
    with book.session() as session:
        contact_id = log_contact(
            session,
            cid,
            Channel.PHONE,
            dt.date(2026, 6, 14),
            summary="x",
            next_step="y",
            today=TODAY,
        ).id
    for done, reason in (
        (dt.date(2026, 6, 16), "is in the future"),
        (dt.date(2026, 6, 1), "is before the contact date"),
    ):
        with (
            pytest.raises(ValidationError, match=f"next_step_done = {done}: {reason}"),
            book.session() as session,
        ):
            update_contact(
                session,
                contact_id,
                channel=Channel.PHONE,
                day=dt.date(2026, 6, 14),
                summary="x",
                next_step="y",
                next_step_done=done,
                today=TODAY,
            )


def test_contacts_of_a_book_before_the_disclosure_schema_stay_internal(book):
    cid = add_client(book)
    runner.downgrade(book.engine, "0002_safety")
    with book.engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO contact (client_id, contact_date, channel, summary, next_step) "
                "VALUES (:cid, '2026-06-13', 'M', :note, :step)"
            ),
            {"cid": cid, "note": NOTE + "（旧）", "step": "旧的下一步"},
        )
    runner.upgrade(book.engine)
    with book.session() as session:
        contacts = session.scalars(sa.select(Contact)).all()
        assert len(contacts) == 6
        assert all(
            not c.shared
            and not c.next_step_shared
            and c.next_step_due is None
            and c.next_step_done is None
            for c in contacts
        )
    review = review_of(book, cid)
    assert review.contacts == () and review.next_steps == ()
    assert review.internal_contacts == 6
    assert NOTE not in repr(review) and "旧的下一步" not in repr(review)
