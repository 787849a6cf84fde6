import datetime as dt

from reviewdesk.book.enums import Channel, Tier
from reviewdesk.book.models import Contact
from reviewdesk.review.cadence import DueState
from reviewdesk.review.calendar_grid import (
    Period,
    SortKey,
    build_grid,
    period_bounds,
    shift_period,
)
from tests import factories as f

D = dt.date


def test_period_bounds_and_steps():
    assert period_bounds(D(2024, 2, 10), Period.MONTH) == (D(2024, 2, 1), D(2024, 2, 29))
    assert period_bounds(D(2025, 11, 30), Period.QUARTER) == (D(2025, 10, 1), D(2025, 12, 31))
    assert shift_period(D(2025, 12, 31), Period.MONTH, 1) == D(2026, 1, 1)
    assert shift_period(D(2025, 1, 31), Period.QUARTER, -1) == D(2024, 10, 1)


def _book(book):
    with book.session() as s:
        a = f.client(
            "A",
            "甲",
            tier=Tier.KEY,
            contacts=[
                Contact(contact_date=D(2025, 3, 3), channel=Channel.PHONE, summary="电话"),
                Contact(contact_date=D(2025, 3, 3), channel=Channel.EMAIL, summary="邮件"),
                Contact(contact_date=D(2025, 2, 27), channel=Channel.MEETING),
            ],
        )
        a.set_tags(["有子女"])
        b = f.client(
            "B", "乙", contacts=[Contact(contact_date=D(2024, 12, 1), channel=Channel.MEETING)]
        )
        c = f.client("C", "丙")
        s.add(f.client("D", "丙"))
        s.add_all([a, b, c])


def test_grid_cells_hold_the_day_contacts_by_channel(book):
    _book(book)
    with book.session() as s:
        grid = build_grid(s, D(2025, 3, 1), D(2025, 3, 31), D(2025, 3, 20))
    assert len(grid.days) == 31
    rows = {r.code: r for r in grid.rows}
    assert rows["A"].letters(2) == "TE"
    assert [c.summary for c in rows["A"].cells[2]] == ["电话", "邮件"]
    assert rows["A"].letters(0) == "" and 30 not in rows["A"].cells
    assert rows["A"].last_contact == D(2025, 3, 3)
    assert rows["A"].contact_state is DueState.NOT_DUE  # 3 March + 30 days
    assert rows["B"].contact_state is DueState.OVERDUE  # 1 December + 90 days
    # Never contacted: overdue, as the agenda says ("No contact on record").
    assert rows["C"].contact_state is DueState.OVERDUE


def test_filter_and_sort(book):
    _book(book)
    with book.session() as s:
        grid = build_grid(s, D(2025, 3, 1), D(2025, 3, 31), D(2025, 3, 20))
    assert [r.code for r in grid.view(tier=Tier.KEY)] == ["A"]
    assert [r.code for r in grid.view(tag="有子女")] == ["A"]
    assert [r.code for r in grid.view(tier=Tier.STANDARD, sort=SortKey.LAST_CONTACT)] == [
        "C",
        "D",
        "B",
    ]
    assert [r.code for r in grid.view(sort=SortKey.LAST_CONTACT)] == ["C", "D", "B", "A"]
    assert sorted(r.label for r in grid.view(search="丙")) == ["丙 (C)", "丙 (D)"]
    assert [r.label for r in grid.view(tier=Tier.KEY)] == ["甲"]
    assert [r.code for r in grid.view(search="乙")] == ["B"]
    assert grid.tags() == ["有子女"]
