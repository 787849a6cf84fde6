"""The client list reads its latest snapshots' facts and rates from indexes that hold every
column it asks for (0016): on the default encrypted book each snapshot's rows come from
the index alone, not from a second seek into the table per row; downgrading drops the
indexes and the list says the same."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reviewdesk.book.enums import AssetClass, RiskLevel
from reviewdesk.migrations import runner
from reviewdesk.review.client_list import ClientFlag, list_client_rows
from tests import factories as f
from tests.sql import executed

TODAY = dt.date(2026, 6, 15)
INDEXES = {"ix_snapshot_fact_list", "ix_fx_rate_list"}


def _fill(book) -> None:
    with book.session() as s:
        for n in range(30):
            client = f.client(code=f"C{n}", name=f"客户{n}", report_currency="CNY")
            for month in (3, 6):
                client.snapshots.append(
                    f.snapshot(
                        dt.date(2026, month, 1),
                        f.holding(value=f"{1000 * (n + month)}.25"),
                        f.holding("美元存款", "2000.00", "USD", AssetClass.DEPOSIT),
                        f.holding("房贷", "50000.00", "CNY", AssetClass.LOAN),
                        f.holding("科技股票", "300.00", "HKD", risk_level=RiskLevel.R5),
                        rates={("USD", "CNY"): "7.1", ("HKD", "CNY"): "0.91"},
                    )
                )
            s.add(client)


def _listing(book) -> tuple[list[str], list[tuple]]:
    """The query plans of the list's statements on the facts and the rates, and its rows."""
    with executed(book.engine) as statements, book.session() as s:
        rows = list_client_rows(s, TODAY)
    plans = []
    with book.engine.connect() as conn:
        for statement, parameters in statements:
            if "FROM snapshot_fact" in statement or "FROM fx_rate" in statement:
                plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
                plans.append(" | ".join(str(r[-1]) for r in plan))
    figures = [
        (r.id, r.summary.total_assets, r.summary.liabilities, r.summary.missing_rates, r.flags)
        for r in rows
    ]
    return plans, figures


def test_the_lists_facts_and_rates_are_read_from_the_indexes_alone(book):
    _fill(book)
    plans, figures = _listing(book)
    assert len(plans) == 2, plans
    facts_plan, rates_plan = plans
    assert "COVERING INDEX ix_snapshot_fact_list" in facts_plan, facts_plan
    assert "COVERING INDEX ix_fx_rate_list" in rates_plan, rates_plan
    # The latest snapshot's holdings: 1,000 * (n + 6) + 0.25 in CNY, USD 2,000 at 7.1 and
    # HKD 300 at 0.91; the loan apart. Clients were added in order, ids from 1.
    assert len(figures) == 30
    for client_id, assets, liabilities, missing, flags in figures:
        n = client_id - 1
        assert assets == Decimal(1000 * (n + 6)) + Decimal("0.25") + 14200 + 273, client_id
        assert liabilities == 50000 and missing == []
        assert ClientFlag.SUITABILITY not in flags  # no assessment: not judged


def test_downgrading_drops_the_indexes_and_the_list_says_the_same(book):
    _fill(book)
    _plans, with_indexes = _listing(book)
    runner.downgrade(book.engine, "0015_team_member_contact")
    with book.engine.connect() as conn:
        names = {n for (n,) in conn.exec_driver_sql("SELECT name FROM sqlite_master").all()}
    assert not INDEXES & names
    plans, without = _listing(book)
    assert all("_list" not in p for p in plans), plans
    assert without == with_indexes
    runner.upgrade(book.engine)
    with book.engine.connect() as conn:
        names = {n for (n,) in conn.exec_driver_sql("SELECT name FROM sqlite_master").all()}
    assert INDEXES <= names
