"""When the next review is due."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review_due(last_review: dt.date | None, months: int, today: dt.date) -> dt.date:
    """The day the next review is due; a client never reviewed is due today."""
    if last_review is None:
        return today
    return add_months(last_review, months)
