"""Reading back contacts: what clients said and the next steps still open.

Logging and changing contacts is the book's (`book.contacts`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Date, and_, func, or_, select
from sqlalchemy.orm import Session

from reviewdesk.book.enums import Channel, FeedbackTopic
from reviewdesk.book.models import Contact
from reviewdesk.review.model import step_due_text


@dataclass(frozen=True)
class FeedbackEntry:
    contact_id: int
    day: dt.date
    channel: Channel
    topic: FeedbackTopic | None
    feedback: str
    summary: str | None


@dataclass(frozen=True)
class OpenStep:
    contact_id: int
    contact_date: dt.date
    text: str
    due: dt.date | None
    shared: bool
    overdue: bool  # its due date has passed on the day it is listed on (`step_overdue`)

    def due_text(self, lang: str) -> str:
        """The "Due by" cell, as the pack prints a shared step's (`step_due_text`)."""
        return step_due_text(self.due, self.overdue, lang)


def step_overdue(due: dt.date | None, today: dt.date) -> bool:
    """A next step is overdue on `today` once its due date has passed; on the day itself it
    is still on time. The one rule of the review (`NextStep.overdue`) and `next-steps`."""
    return due is not None and due < today


def next_step_open(contact: Contact, today: dt.date) -> bool:
    """A next step is open on `today` unless it was done on or before that day.

    The same rule as `open_next_steps` (in SQL there), read by the review.
    """
    return bool(contact.next_step) and (
        contact.next_step_done is None or contact.next_step_done > today
    )


def step_is_open(today: dt.date, whole_book: bool = False) -> ColumnElement[bool]:
    """`next_step_open` in SQL: a contact of `today` or before whose next step was not done
    by then (the client's open steps, and the agenda's steps due).

    `whole_book`: asked of every client's contacts, read in one pass. The date test would
    otherwise send SQLite down the date index, which holds nearly every contact, to look
    each one up (the agenda of 10,000 clients: 118 -> 17 ms); `date()` of the date is the
    same date, in SQLite and PostgreSQL alike, and no index answers it."""
    day = func.date(Contact.contact_date, type_=Date) if whole_book else Contact.contact_date
    dated: ColumnElement[bool] = day <= today
    return and_(
        Contact.next_step.is_not(None),
        dated,
        or_(Contact.next_step_done.is_(None), Contact.next_step_done > today),
    )


def open_next_steps(session: Session, client_id: int, today: dt.date) -> list[OpenStep]:
    """A client's next steps not done by `today`, soonest due first (no date last)."""
    rows = session.execute(
        select(
            Contact.id,
            Contact.contact_date,
            Contact.next_step,
            Contact.next_step_due,
            Contact.next_step_shared,
        )
        .where(Contact.client_id == client_id, step_is_open(today))
        .order_by(
            Contact.next_step_due.is_(None), Contact.next_step_due, Contact.contact_date, Contact.id
        )
    )
    # The query asks for steps with a text; the test narrows its type.
    return [
        OpenStep(contact_id, day, text, due, shared, step_overdue(due, today))
        for contact_id, day, text, due, shared in rows
        if text is not None
    ]


def feedback_history(session: Session, client_id: int) -> list[FeedbackEntry]:
    """Everything the client said about products and service, newest first."""
    rows = session.execute(
        select(
            Contact.id,
            Contact.contact_date,
            Contact.channel,
            Contact.feedback_topic,
            Contact.feedback,
            Contact.summary,
        )
        .where(Contact.client_id == client_id, Contact.feedback.is_not(None))
        .order_by(Contact.contact_date.desc(), Contact.id.desc())
    )
    # The query asks for contacts with feedback; the test narrows its type.
    return [
        FeedbackEntry(contact_id, day, channel, topic, feedback, summary)
        for contact_id, day, channel, topic, feedback, summary in rows
        if feedback is not None
    ]
