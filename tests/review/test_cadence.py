import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewdesk.book.enums import Cadence, Channel, Language, PackAction, Tier
from reviewdesk.book.models import Client, Contact, PackRecord
from reviewdesk.review.cadence import (
    DueState,
    add_months,
    book_cadences,
    due_by,
    due_state,
    next_contact_due,
)
from reviewdesk.settings import Settings, load_settings, save_setting
from tests import factories as f

D = dt.date


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),  # month end, common year
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # month end, leap year
        (D(2023, 11, 30), 3, D(2024, 2, 29)),  # quarter onto a leap day
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # leap day a year on
        (D(2024, 2, 29), 3, D(2024, 5, 29)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),  # year end
        (D(2025, 12, 31), 3, D(2026, 3, 31)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2025, 10, 31), 1, D(2025, 11, 30)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_contact_due_counts_days_and_a_client_never_contacted_is_due_today():
    assert next_contact_due(D(2025, 12, 20), 30, D(2026, 1, 5)) == D(2026, 1, 19)
    assert next_contact_due(None, 30, D(2026, 1, 5)) == D(2026, 1, 5)


def _book(book):
    with book.session() as s:
        s.add_all(
            [
                f.client("K1", "月度客户", tier=Tier.KEY, snapshots=[f.snapshot(D(2025, 1, 31))]),
                f.client("S1", "季度客户", snapshots=[f.snapshot(D(2023, 11, 30))]),
                f.client("S2", "年末客户", snapshots=[f.snapshot(D(2025, 12, 31))]),
                f.client(
                    "S3",
                    "自定月度",
                    review_cadence=Cadence.MONTHLY,
                    contact_cadence_days=14,
                    snapshots=[f.snapshot(D(2025, 12, 15))],
                ),
                f.client("N1", "新客户"),
            ]
        )


def _by_code(book, today, settings=None):
    with book.session() as s:
        settings = settings or load_settings(s)
        return {c.code: c for c in book_cadences(s, today, settings)}


def test_next_review_due_for_monthly_and_quarterly_clients(book):
    _book(book)
    rows = _by_code(book, D(2026, 1, 10))
    assert rows["K1"].cadence is Cadence.MONTHLY
    assert rows["K1"].next_review_due == D(2025, 2, 28)
    assert rows["S1"].cadence is Cadence.QUARTERLY
    assert rows["S1"].next_review_due == D(2024, 2, 29)
    assert rows["S2"].next_review_due == D(2026, 3, 31)
    assert rows["S3"].cadence is Cadence.MONTHLY  # the client's own cadence wins
    assert rows["S3"].next_review_due == D(2026, 1, 15)
    assert rows["N1"].last_review is None and rows["N1"].next_review_due == D(2026, 1, 10)


def test_overdue_flags(book):
    _book(book)
    today = D(2026, 1, 16)
    rows = _by_code(book, today)
    assert rows["K1"].review_state(today, 7) is DueState.OVERDUE
    assert rows["S3"].review_state(today, 7) is DueState.OVERDUE  # due the 15th
    assert rows["S2"].review_state(today, 7) is DueState.NOT_DUE  # due 31 March
    # Never reviewed: overdue already, and due by any day.
    assert rows["N1"].review_state(today, 7) is DueState.OVERDUE
    assert rows["N1"].review_due_by(D(2025, 1, 1))
    on_the_day = _by_code(book, D(2026, 1, 15))["S3"]
    assert on_the_day.review_state(D(2026, 1, 15), 0) is DueState.DUE
    assert on_the_day.review_due_by(D(2026, 1, 15))
    assert not on_the_day.review_due_by(D(2026, 1, 14))


@pytest.mark.parametrize(
    "next_due, ahead, state",
    [
        (D(2026, 4, 9), 7, DueState.OVERDUE),  # yesterday
        (D(2026, 4, 10), 0, DueState.DUE),  # today, even with no days ahead
        (D(2026, 4, 13), 7, DueState.DUE),  # in 3 days: due this week
        (D(2026, 4, 17), 7, DueState.DUE),  # the last day ahead
        (D(2026, 4, 18), 7, DueState.NOT_DUE),
        (D(2026, 4, 13), 2, DueState.NOT_DUE),  # the settings' days ahead decide
        (D(2026, 5, 10), 30, DueState.DUE),
    ],
)
def test_due_means_today_or_within_the_days_ahead_and_overdue_means_past(next_due, ahead, state):
    today = D(2026, 4, 10)
    assert due_state(D(2026, 1, 1), next_due, today, ahead) is state
    assert due_by(D(2026, 1, 1), next_due, today + dt.timedelta(days=ahead)) == (
        state is not DueState.NOT_DUE
    )
    assert due_state(None, today, today, ahead) is DueState.OVERDUE  # never done


def test_settings_give_the_tier_its_cadence_and_contact_days(book):
    _book(book)
    with book.session() as s:
        save_setting(s, "review_cadence_standard", "monthly")
        save_setting(s, "contact_days_standard", 45)
    rows = _by_code(book, D(2026, 1, 10))
    assert rows["S2"].cadence is Cadence.MONTHLY
    assert rows["S2"].next_review_due == D(2026, 1, 31)
    assert rows["S1"].contact_days == 45
    assert rows["S3"].contact_days == 14  # the client's own


def test_a_pack_shown_or_sent_is_a_review_and_a_meeting_is_a_contact(book):
    _book(book)
    with book.session() as s:
        k1 = s.query(Client).filter_by(code="K1").one()
        for action, at in (
            (PackAction.SHOWN, dt.datetime(2025, 12, 31, 10)),
            (PackAction.SAVED, dt.datetime(2026, 1, 5, 10)),
        ):
            s.add(
                PackRecord(
                    client_id=k1.id,
                    review_date=D(2025, 1, 31),
                    action=action,
                    produced_at=at,
                    language=Language.ZH,
                )
            )
        s.add(Contact(client_id=k1.id, contact_date=D(2026, 1, 3), channel=Channel.MEETING))
        s3 = s.query(Client).filter_by(code="S3").one()
        s.add(
            PackRecord(
                client_id=s3.id,
                review_date=D(2025, 12, 15),
                action=PackAction.EMAILED,
                produced_at=dt.datetime(2026, 1, 2, 9),
                language=Language.EN,
            )
        )
    rows = _by_code(book, D(2026, 1, 10))
    # Shown on 31 December: next monthly review at the end of January; "saved" does not count.
    assert rows["K1"].last_review == D(2025, 12, 31)
    assert rows["K1"].next_review_due == D(2026, 1, 31)
    assert rows["K1"].last_contact == D(2026, 1, 3)
    assert rows["K1"].next_contact_due == D(2026, 2, 2)
    assert rows["S3"].last_review == D(2026, 1, 2)
    assert rows["S3"].last_contact == D(2026, 1, 2)  # an emailed pack reached the client


def test_events_after_today_are_ignored(book):
    _book(book)
    with book.session() as s:
        k1 = s.query(Client).filter_by(code="K1").one()
        s.add(Contact(client_id=k1.id, contact_date=D(2026, 1, 20), channel=Channel.PHONE))
    assert _by_code(book, D(2026, 1, 10))["K1"].last_contact is None


def test_settings_object_defaults():
    assert Settings().review_cadence_key == "monthly"
    assert Settings().contact_days_standard == 90


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)), st.integers(-36, 36))
def test_add_months_lands_in_the_right_month_and_never_past_the_day(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
    if result.day < day.day:  # clamped: only ever to the month's last day
        assert (result + dt.timedelta(days=1)).day == 1


def test_a_client_added_and_not_yet_flushed_is_in_the_book_wide_reads(book):
    """The book-wide reads run as Core for speed; what the session holds unsaved is flushed
    first, as the ORM's own reads would."""
    with book.session() as s:
        s.add(f.client(code="U1", name="未保存"))
        assert "U1" in {c.code for c in book_cadences(s, D(2026, 1, 10), Settings())}
