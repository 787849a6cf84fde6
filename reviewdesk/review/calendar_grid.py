"""The contact calendar as plain data: clients down, days across.

Built in a few grouped queries (clients, tags, the period's contacts, the
cadences) so a month for a few thousand clients is ready in well under a
second, off the UI thread; filtering and sorting then run on the grid alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewdesk.book.enums import Channel, Tier
from reviewdesk.book.models import Contact
from reviewdesk.review.cadence import (
    DueState,
    add_months,
    book_cadences,
    client_label,
    shared_names,
)
from reviewdesk.settings import Settings, load_settings
from reviewdesk.text import name_matches


class Period(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


def period_bounds(day: dt.date, period: Period) -> tuple[dt.date, dt.date]:
    """The first and last day of the month or quarter that holds `day`."""
    if period is Period.MONTH:
        first = day.replace(day=1)
        return first, add_months(first, 1) - dt.timedelta(days=1)
    first = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return first, add_months(first, 3) - dt.timedelta(days=1)


def shift_period(day: dt.date, period: Period, steps: int) -> dt.date:
    first, _ = period_bounds(day, period)
    return add_months(first, steps * (1 if period is Period.MONTH else 3))


@dataclass(frozen=True)
class CellContact:
    contact_id: int
    channel: Channel
    summary: str | None
    next_step: str | None
    feedback: str | None


@dataclass
class CalendarRow:
    client_id: int
    code: str
    name: str
    tier: Tier
    tags: list[str]
    preferences: str | None
    last_contact: dt.date | None
    next_contact_due: dt.date
    next_review_due: dt.date
    # On the grid's day, within the settings' `due_ahead_days`, as the agenda and the client
    # list say it (`review.cadence.due_state`).
    contact_state: DueState = DueState.NOT_DUE
    review_state: DueState = DueState.NOT_DUE
    cells: dict[int, list[CellContact]] = field(default_factory=dict)  # day index -> contacts
    label: str = ""  # the name, with the code when another client has the same name
    sort_name: str = ""  # the name as lists sort and search it (`text.sort_name`)

    def letters(self, index: int) -> str:
        return "".join(c.channel.value for c in self.cells.get(index, ()))

    def due_state(self) -> DueState:
        """The review's or the contact's, whichever is further behind: the row's colour."""
        states = (self.review_state, self.contact_state)
        for state in (DueState.OVERDUE, DueState.DUE):
            if state in states:
                return state
        return DueState.NOT_DUE

    def next_due(self) -> dt.date:
        return min(self.next_contact_due, self.next_review_due)

    def next_due_is_review(self) -> bool:
        return self.next_review_due <= self.next_contact_due


class SortKey(StrEnum):
    NAME = "name"
    LAST_CONTACT = "last_contact"  # longest without contact first
    NEXT_DUE = "next_due"


@dataclass
class CalendarGrid:
    start: dt.date
    end: dt.date
    today: dt.date
    rows: list[CalendarRow]

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def day_index(self, day: dt.date) -> int:
        return (day - self.start).days

    def tags(self) -> list[str]:
        return sorted({t for r in self.rows for t in r.tags})

    def view(
        self,
        tier: Tier | None = None,
        tag: str | None = None,
        sort: SortKey = SortKey.NAME,
        search: str | None = None,
    ) -> list[CalendarRow]:
        """The rows to show: filtered by tier, tag and name, then sorted."""
        tier = Tier(tier) if tier else None
        sort = SortKey(sort)
        rows = self.rows
        if tier is not None:
            rows = [r for r in rows if r.tier is tier]
        if tag:
            rows = [r for r in rows if tag in r.tags]
        if search and search.strip():
            needle = search.strip().casefold()
            rows = [
                r
                for r in rows
                if name_matches(r.name, r.sort_name, search) or needle in r.code.casefold()
            ]
        if sort is SortKey.LAST_CONTACT:
            return sorted(
                rows, key=lambda r: (r.last_contact or dt.date.min, r.sort_name, r.name, r.code)
            )
        if sort is SortKey.NEXT_DUE:
            return sorted(rows, key=lambda r: (r.next_due(), r.sort_name, r.name, r.code))
        return list(rows)  # by sort name, as `book_cadences` gives them


def build_grid(
    session: Session, start: dt.date, end: dt.date, today: dt.date, settings: Settings | None = None
) -> CalendarGrid:
    if end < start:
        raise ValueError(f"period end {end} is before its start {start}")
    settings = settings or load_settings(session)
    ahead = settings.due_ahead_days
    rows = {
        c.client_id: CalendarRow(
            client_id=c.client_id,
            code=c.code,
            name=c.name,
            tier=c.tier,
            tags=c.tags,
            preferences=c.preferences,
            last_contact=c.last_contact,
            next_contact_due=c.next_contact_due,
            next_review_due=c.next_review_due,
            contact_state=c.contact_state(today, ahead),
            review_state=c.review_state(today, ahead),
            sort_name=c.sort_name,
        )
        for c in book_cadences(session, today, settings)
    }
    shared = shared_names(row.name for row in rows.values())
    for row in rows.values():
        row.label = client_label(row.name, row.code, shared)
    for cid, cid_contact, day, channel, summary, next_step, feedback in session.execute(
        select(
            Contact.client_id,
            Contact.id,
            Contact.contact_date,
            Contact.channel,
            Contact.summary,
            Contact.next_step,
            Contact.feedback,
        )
        .where(Contact.contact_date >= start, Contact.contact_date <= end)
        .order_by(Contact.contact_date, Contact.id)
    ):
        contacted = rows.get(cid)
        if contacted is not None:
            contacted.cells.setdefault((day - start).days, []).append(
                CellContact(cid_contact, channel, summary, next_step, feedback)
            )
    return CalendarGrid(start, end, today, list(rows.values()))
