"""How many statements reading a review takes, so that it cannot grow unnoticed.

On a team book (PostgreSQL) every statement that reads a client's rows pays the row-level
policies again (the client table's, under each table's own): a review's cost is mostly its
statement count. Each table is read once: the holdings for the two compared snapshots' rows,
the snapshots' stored facts for the trend's sums over every snapshot up to the review."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from reviewdesk.book import benchmarks
from reviewdesk.book.enums import ClientRiskLevel, FlowKind
from reviewdesk.book.flows import record_flow
from reviewdesk.review.build import build_review, snapshot_dates
from reviewdesk.settings import Settings
from tests.review.test_build import TODAY, make_zhang
from tests.sql import executed

# The tables a review reads, and how many times (the order is the loader's business).
READS = Counter(
    {
        "client": 1,  # with the family, joined
        "family_member": 1,
        "insurance_policy": 1,
        "risk_assessment": 1,
        "contact": 1,
        "snapshot": 1,  # the dates
        "holding": 1,  # the compared snapshots' rows
        "snapshot_fact": 1,  # the trend's and the returns' sums
        "fx_rate": 1,
        "benchmark_choice": 1,  # the client's own and their level's
        "flow": 1,
    }
)
STATEMENTS = 10  # the family comes with the client


@contextmanager
def statements(book) -> Iterator[list[str]]:
    """The SQL statements run on the book's engine inside the block."""
    seen: list[str] = []
    with executed(book.engine) as run:
        try:
            yield seen
        finally:
            seen.extend(statement for statement, _parameters in run)


def tables(seen: list[str]) -> Counter[str]:
    """Each table named after FROM or JOIN, once per statement naming it (not a table-valued
    function such as `json_each(...)`, the list of ids a statement is given)."""
    found: Counter[str] = Counter()
    for statement in seen:
        found.update(set(re.findall(r"\b(?:FROM|JOIN)\s+(\w+)\b(?!\s*\()", statement)))
    return found


@pytest.fixture
def zhang_id(book) -> int:
    with book.session() as s:
        cid = make_zhang(s)
        record_flow(s, cid, dt.date(2026, 5, 10), D(20_000), FlowKind.DEPOSIT, today=TODAY)
    return cid


def test_a_review_reads_each_table_once(book, zhang_id):
    with book.session() as s, statements(book) as seen:
        review = build_review(s, zhang_id, settings=Settings(), today=TODAY)
    assert review.previous_date is not None and review.returns is not None
    assert len(seen) == STATEMENTS, "\n".join(seen)
    assert tables(seen) == READS


def test_an_older_review_and_dates_already_read(book, zhang_id):
    with book.session() as s:
        dated = snapshot_dates(s, zhang_id)
        with statements(book) as seen:
            review = build_review(
                s, zhang_id, dated[0][1], settings=Settings(), today=TODAY, dated=dated
            )
    assert review.review_date == dated[0][1] and review.previous_date is None
    assert len(seen) == STATEMENTS - 1
    assert tables(seen) == READS - Counter({"snapshot": 1})


def test_a_chosen_benchmark_adds_the_read_of_its_levels(book, zhang_id):
    with book.session() as s:
        benchmarks.set_level(s, "沪深300", dt.date(2026, 4, 30), D("3800"))
        benchmarks.set_level(s, "沪深300", dt.date(2026, 5, 31), D("3900"))
        # The client's level (C3, expired) has a choice; the client has none of their own.
        benchmarks.choose(s, "沪深300", risk_level=ClientRiskLevel.C3)
    with book.session() as s, statements(book) as seen:
        review = build_review(s, zhang_id, settings=Settings(), today=TODAY)
    assert review.returns is not None and review.returns.benchmark_name == "沪深300"
    assert len(seen) == STATEMENTS + 1
    assert tables(seen) == READS + Counter({"benchmark_level": 1})


def test_the_review_page_reads_the_dates_once(book, zhang_id):
    from reviewdesk.gui.review_page import load_review

    ctx = SimpleNamespace(book=book, today=TODAY)
    with statements(book) as seen:
        review, dates = load_review(ctx, zhang_id)
    assert dates == [dt.date(2026, 4, 30), dt.date(2026, 5, 31)]
    assert review.review_date == dates[-1]
    assert tables(seen) == READS + Counter({"setting": 1})
