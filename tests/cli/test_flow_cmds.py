"""`flows`: a client's flows, each in the client's report currency of today."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

from reviewdesk.book.enums import FlowKind
from reviewdesk.book.flows import record_flow
from reviewdesk.book.models import Client
from reviewdesk.cli import main
from reviewdesk.review.build import build_review
from reviewdesk.review.returns import NoReturn, Span
from reviewdesk.settings import Settings
from tests import factories as f

TODAY = dt.date(2026, 4, 15)


def test_a_flow_recorded_against_an_earlier_report_currency_has_no_amount_in_it(
    book, passphrase_env, capsys, tmp_path
):
    """Found: once the client's report currency changed from CNY to HKD, `flows` printed a
    CNY flow's "In report currency" as CNY 50,000.00 at its old rate, while the review
    leaves the flow out and gives no return over its period. The list now says "—" and
    why, and the review and the list take the amount from one rule (`Flow.value_in`)."""
    with book.session() as s:
        client = f.client("K1", "陈静")
        client.snapshots = [
            f.snapshot(dt.date(2026, 1, 31), f.holding(value="100000")),
            f.snapshot(
                dt.date(2026, 3, 31),
                f.holding(value="160000"),
                rates={("CNY", "HKD"): "1.08"},
            ),
        ]
        s.add(client)
        s.flush()
        record_flow(s, client.id, dt.date(2026, 2, 10), D(50_000), FlowKind.DEPOSIT, today=TODAY)
        record_flow(
            s,
            client.id,
            dt.date(2026, 2, 20),
            D(10_000),
            FlowKind.DEPOSIT,
            currency="HKD",
            rate=D("0.92"),
            today=TODAY,
        )
        s.get(Client, client.id).report_currency = "HKD"
        s.commit()
        review = build_review(s, client.id, settings=Settings(), today=TODAY)
    span = review.returns.span(Span.SINCE_PREVIOUS)
    assert span.no_twr is NoReturn.NO_RATE and span.net_flows == D(10_000)
    book.close()
    where = str(tmp_path / "book.sqlite")
    assert main(["--db", where, "flows", "K1", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    amounts = [row["report_amount"] for row in listed]
    assert amounts[0] is None and D(amounts[1]) == D(10_000)
    assert {row["report_currency"] for row in listed} == {"HKD"}
    assert main(["--db", where, "flows", "K1"]) == 0
    out = capsys.readouterr().out
    cny, hkd = (line for line in out.splitlines() if line.startswith("2026-02"))
    assert cny.split()[-2:] == ["—", "—"] and cny.count("50,000") == 1  # the amount only
    assert "HKD 10,000.00" in hkd or "HK$10,000.00" in hkd, hkd
    assert "not in the report currency (HKD)" in out
