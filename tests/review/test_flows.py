"""Flows in the book: recorded, validated, audited, imported and exported, and the review's
returns built from them (the issue's worked case end to end)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from reviewdesk.book.audit import entries
from reviewdesk.book.enums import FlowKind
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.flows import record_flow
from reviewdesk.book.models import Client, Flow
from reviewdesk.cli import main
from reviewdesk.exchange import export_workbook, import_files, schema
from reviewdesk.review.build import build_review
from reviewdesk.review.returns import Span
from reviewdesk.settings import Settings
from tests.exchange import workbooks as wbs

D = Decimal
TODAY = dt.date(2026, 4, 15)
HOLDING_KEYS = [
    "client_id",
    "review_date",
    "asset_class",
    "product_name",
    "currency",
    "market_value",
]
FLOW_KEYS = ["client_id", "date", "amount", "currency", "kind", "holding", "note"]


def _worked_workbook(path, lang="zh", flows=None):
    clients = schema.CLIENTS
    h, f = schema.HOLDINGS, schema.FLOWS
    return wbs.write(
        path,
        {
            clients.name(lang): [
                wbs.header(clients, lang, ["client_id", "name", "report_currency"]),
                ["W1", "王伟", "CNY"],
            ],
            h.name(lang): [
                wbs.header(h, lang, HOLDING_KEYS),
                ["W1", dt.date(2026, 1, 31), "理财", "稳健理财", "CNY", 1_000_000],
                ["W1", dt.date(2026, 2, 28), "理财", "稳健理财", "CNY", 1_030_000],
                ["W1", dt.date(2026, 3, 31), "理财", "稳健理财", "CNY", 960_000],
                # A house is not money at work: left out of the returns.
                ["W1", dt.date(2026, 3, 31), "房产", "住宅", "CNY", 3_000_000],
                ["W1", dt.date(2026, 3, 31), "存款", "活期", "CNY", 100_000],
            ],
            f.name(lang): flows
            or [
                wbs.header(f, lang, FLOW_KEYS),
                ["W1", dt.date(2026, 2, 14), -20_000, "CNY", "取出", "稳健理财", "学费"],
                ["W1", dt.date(2026, 3, 21), "100,000", None, "存入", None, None],
            ],
        },
    )


@pytest.fixture
def worked(book, tmp_path):
    report = import_files(book, [_worked_workbook(tmp_path / "w.xlsx")])
    assert report.problems == [] and report.applied
    return book


def test_the_issues_worked_case_through_the_workbook_and_the_review(worked):
    with worked.session() as session:
        client = session.scalar(select(Client).where(Client.code == "W1"))
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
    returns = review.returns
    assert returns is not None and returns.currency == "CNY"
    first, second = returns.periods
    assert first.start_value == D(1_000_000) and second.end_value == D(1_060_000)
    assert round(first.dietz * 100, 2) == D("5.05")
    assert round(second.average_capital, 2) == D("1062258.06")
    assert round(second.dietz * 100, 2) == D("-6.59")
    since_first = returns.span(Span.SINCE_FIRST)
    assert since_first.net_flows == D(80_000)
    assert since_first.change == D(60_000) and since_first.change_pct == D("0.06")
    assert round(since_first.twr * 100, 2) == D("-1.87")
    # The review's own totals still count the house.
    assert review.current.assets == D(4_060_000)


def test_flows_import_is_idempotent_and_round_trips_exactly(worked, tmp_path):
    again = import_files(worked, [_worked_workbook(tmp_path / "w.xlsx")])
    assert again.problems == [] and again.changed == 0
    path = tmp_path / "out.xlsx"
    with worked.session() as session:
        summary = export_workbook(session, path, lang="en")
        before = sorted(
            (f.flow_date, f.amount, f.currency, f.rate, f.kind, f.holding, f.note)
            for f in session.scalars(select(Flow))
        )
    assert summary.rows["Flows"] == 2
    third = import_files(worked, [path])
    assert third.problems == [] and third.changed == 0
    with worked.session() as session:
        after = sorted(
            (f.flow_date, f.amount, f.currency, f.rate, f.kind, f.holding, f.note)
            for f in session.scalars(select(Flow))
        )
    assert after == before


def test_a_bad_flows_sheet_is_refused_whole_with_every_problem(book, tmp_path):
    f = schema.FLOWS
    rows = [
        wbs.header(f, "en", [*FLOW_KEYS, "rate"]),
        ["W1", dt.date(2026, 2, 14), 0, "CNY", "withdrawal", None, None, None],
        ["W1", dt.date(2026, 2, 14), 500, "CNY", "withdrawal", None, None, None],
        ["W1", dt.date(2026, 2, 15), -5, "CNY", "gift", None, None, None],
        ["W1", dt.date(2026, 2, 16), 100, "USD", "deposit", None, None, None],
        ["W1", dt.date(2026, 2, 17), 100, "CNY", "deposit", None, None, 2],
        ["W2", dt.date(2026, 2, 17), 100, "CNY", "deposit", None, None, None],
    ]
    path = _worked_workbook(tmp_path / "bad.xlsx", lang="en", flows=rows)
    report = import_files(book, [path])
    assert not report.applied
    messages = [p.message() for p in report.problems]
    assert len(messages) == 6, messages
    assert "Flows row 2, amount: 0 must not be zero" in messages
    assert any("row 3, amount" in m and "must be negative" in m for m in messages)
    assert any("row 4, kind" in m and "gift" in m for m in messages)
    assert any("row 5, rate" in m and "USD" in m for m in messages)
    assert any("row 6, rate" in m and "must be 1" in m for m in messages)
    assert any("row 7, client_id" in m for m in messages)
    with book.session() as session:
        assert session.scalar(select(Client)) is None and session.scalar(select(Flow)) is None


def test_a_foreign_flow_takes_the_snapshot_rate_on_or_after_its_date(book, tmp_path):
    f = schema.FLOWS
    rows = [
        wbs.header(f, "en", FLOW_KEYS),
        ["W1", dt.date(2026, 2, 1), 1_000, "USD", "transfer_in", None, None],
    ]
    path = _worked_workbook(tmp_path / "usd.xlsx", lang="en", flows=rows)
    fx = schema.FX
    wbs_path = tmp_path / "fx.xlsx"
    wbs.write(
        wbs_path,
        {
            "FX": [
                wbs.header(fx, "en", ["review_date", "from_currency", "to_currency", "rate"]),
                [dt.date(2026, 2, 28), "USD", "CNY", "7.1"],
                [dt.date(2026, 3, 31), "USD", "CNY", "7.3"],
            ]
        },
    )
    report = import_files(book, [path, wbs_path])
    assert report.problems == [], [p.message() for p in report.problems]
    with book.session() as session:
        flow = session.scalar(select(Flow))
        assert (flow.rate, flow.to_currency, flow.report_amount) == (D("7.1"), "CNY", D("7100.0"))


def test_book_rules_and_the_audit_trail(book):
    with book.session() as session:
        client = Client(code="A1", name="Ann", report_currency="CNY")
        session.add(client)
        session.flush()
        with pytest.raises(ValidationError) as exc:
            record_flow(session, client.id, dt.date(2026, 1, 5), D(100), FlowKind.FEE)
        assert exc.value.field == "amount" and "negative" in exc.value.reason
        with pytest.raises(ValidationError) as exc:
            record_flow(
                session, client.id, dt.date(2026, 1, 5), D(100), FlowKind.DEPOSIT, currency="USD"
            )
        assert exc.value.field == "rate" and "USD" in exc.value.reason
        with pytest.raises(ValidationError) as exc:
            Flow(amount=D("0.00"))
        assert exc.value.field == "amount"
        with pytest.raises(ValidationError):
            Flow(currency="XYZ")
        flow = record_flow(
            session,
            client.id,
            dt.date(2026, 1, 5),
            D(100),
            FlowKind.DEPOSIT,
            currency="USD",
            rate=D("7.12"),
            note="年终奖",
        )
        assert flow.report_amount == D("712.00")
        session.commit()
        trail = [e for e in entries(session, client.id) if e.record == "Flow"]
    assert [e.action for e in trail] == ["create"]
    assert json.loads(trail[0].new_value)["rate"] == "7.12"


def test_the_commands(book, passphrase_env, capsys, tmp_path, monkeypatch):
    path = _worked_workbook(tmp_path / "w.xlsx")
    import_files(book, [path])
    where = str(tmp_path / "book.sqlite")
    book.close()
    code = main(
        [
            "--db",
            where,
            "flow",
            "W1",
            "--date",
            "2026-03-25",
            "--amount",
            "-5000",
            "--kind",
            "fee",
            "--note",
            "年费",
        ]
    )
    assert code == 0, capsys.readouterr()
    capsys.readouterr()
    assert main(["--db", where, "flows", "W1", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(f["date"], D(f["amount"]), f["kind"]) for f in listed] == [
        ("2026-02-14", D(-20_000), "withdrawal"),
        ("2026-03-21", D(100_000), "deposit"),
        ("2026-03-25", D(-5_000), "fee"),
    ]
    assert D(listed[2]["rate"]) == 1 and D(listed[2]["report_amount"]) == D(-5_000)
    # A foreign flow with no snapshot rate after it: the rate is asked for.
    code = main(
        [
            "--db",
            where,
            "flow",
            "W1",
            "--date",
            "2026-04-02",
            "--amount",
            "100",
            "--currency",
            "USD",
            "--kind",
            "deposit",
        ]
    )
    err = capsys.readouterr().err
    assert code != 0 and "rate" in err and "USD" in err
    assert main(["--db", where, "flows", "W1"]) == 0
    out = capsys.readouterr().out
    assert "2026-03-25" in out and "fee" in out.lower()
