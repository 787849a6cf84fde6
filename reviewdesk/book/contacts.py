"""Logging contacts: add, change, close a next step, delete.

The caller owns the unit of work: these functions change the session they are
given, flush so the book's rules run, and never commit. Reading contacts back
(feedback, open next steps) is `review.contacts`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from reviewdesk.book import versions
from reviewdesk.book.enums import Channel, FeedbackTopic
from reviewdesk.book.errors import NotFound, ValidationError
from reviewdesk.book.models import Client, Contact
from reviewdesk.i18n import N_


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _check(
    day: dt.date,
    today: dt.date,
    feedback: str | None,
    topic: FeedbackTopic | None,
    done: dt.date | None,
) -> None:
    if day > today:
        raise ValidationError("Contact", "contact_date", day, N_("is in the future"))
    if isinstance(done, dt.date) and done > today:
        raise ValidationError("Contact", "next_step_done", done, N_("is in the future"))
    if topic is not None and feedback is None:
        raise ValidationError(
            "Contact", "feedback_topic", topic.value, N_("needs the feedback itself")
        )


def log_contact(
    session: Session,
    client_id: int,
    channel: Channel,
    day: dt.date,
    *,
    summary: str | None,
    next_step: str | None = None,
    feedback: str | None = None,
    topic: FeedbackTopic | None = None,
    shared: bool = False,
    next_step_shared: bool = False,
    next_step_due: dt.date | None = None,
    next_step_done: dt.date | None = None,
    today: dt.date | None = None,
) -> Contact:
    """Add a contact; feedback without a topic is filed under "other".

    The summary and the next step stay internal unless `shared` /
    `next_step_shared` say the client may read them.
    """
    today = today or dt.date.today()
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(f"client {client_id}: no such client")
    summary, next_step, feedback = _text(summary), _text(next_step), _text(feedback)
    _check(day, today, feedback, topic, next_step_done)
    if feedback is not None and topic is None:
        topic = FeedbackTopic.OTHER
    contact = Contact(
        client_id=client_id,
        contact_date=day,
        channel=channel,
        summary=summary,
        next_step=next_step,
        feedback=feedback,
        feedback_topic=topic,
        shared=shared,
        next_step_shared=next_step_shared,
        next_step_due=next_step_due,
        next_step_done=next_step_done,
    )
    session.add(contact)
    session.flush()
    return contact


def update_contact(
    session: Session,
    contact_id: int,
    *,
    channel: Channel,
    day: dt.date,
    summary: str | None,
    next_step: str | None = None,
    feedback: str | None = None,
    topic: FeedbackTopic | None = None,
    shared: bool = False,
    next_step_shared: bool = False,
    next_step_due: dt.date | None = None,
    next_step_done: dt.date | None = None,
    today: dt.date | None = None,
    read_version: int | None = None,
) -> Contact:
    """Change every field of a contact (the form shows them all). With `read_version`
    (the save counter the form showed), a contact someone else saved or deleted since is
    refused (`versions.EditConflict`, naming who and when)."""
    today = today or dt.date.today()
    contact = versions.as_read(session, Contact, contact_id, read_version)
    summary, next_step, feedback = _text(summary), _text(next_step), _text(feedback)
    _check(day, today, feedback, topic, next_step_done)
    if feedback is not None and topic is None:
        topic = FeedbackTopic.OTHER
    contact.channel, contact.contact_date = channel, day
    contact.summary, contact.next_step = summary, next_step
    contact.feedback, contact.feedback_topic = feedback, topic
    contact.shared, contact.next_step_shared = shared, next_step_shared
    contact.next_step_due, contact.next_step_done = next_step_due, next_step_done
    session.flush()
    return contact


def mark_next_step_done(
    session: Session,
    contact_id: int,
    done_on: dt.date | None,
    *,
    client_id: int | None = None,
    today: dt.date | None = None,
) -> Contact:
    """Close a contact's next step on `done_on`; None reopens it.

    A closed next step leaves the pack and present mode from that day on.
    """
    today = today or dt.date.today()
    contact = session.get(Contact, contact_id)
    if contact is None or (client_id is not None and contact.client_id != client_id):
        raise NotFound(f"contact {contact_id}: no such contact of this client")
    if not contact.next_step:
        raise ValidationError(
            "Contact", "next_step_done", done_on, N_("needs the next step itself")
        )
    if done_on is not None and done_on > today:
        raise ValidationError("Contact", "next_step_done", done_on, N_("is in the future"))
    contact.next_step_done = done_on
    session.flush()
    return contact


def delete_contact(session: Session, contact_id: int, read_version: int | None = None) -> None:
    """Delete a contact; one someone else changed or deleted since the form showed it (its
    save counter `read_version`) is refused."""
    contact = versions.as_read(session, Contact, contact_id, read_version)
    session.delete(contact)
    session.flush()
