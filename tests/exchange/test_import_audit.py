"""An import that changes the book leaves its audit trail: the snapshots, holdings and rates
its statements write (which the session does not see) as well as one `import` event naming
the files; a dry run, a refused import and one that changes nothing leave none."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import select

from reviewdesk.book import audit
from reviewdesk.book.models import Client, Snapshot
from reviewdesk.exchange import import_files, schema
from tests.exchange import workbooks as wbs


def _trail(book) -> list[tuple]:
    with book.session() as s:
        return [
            (
                e.client_id,
                e.action,
                e.record,
                e.record_id,
                e.field,
                e.old_value,
                e.new_value,
                e.detail,
            )
            for e in audit.entries(s)
        ]


def _codes(book) -> dict[int, str]:
    with book.session() as s:
        return {c.id: c.code for c in s.scalars(select(Client))}


def test_an_import_into_an_empty_book_records_every_snapshot_and_one_event(book, tmp_path):
    path = wbs.manager_workbook(tmp_path / "book.xlsx", "en")
    assert import_files(book, [path], dry_run=True).problems == []
    assert _trail(book) == []  # a dry run records nothing
    assert import_files(book, [path]).applied
    trail = _trail(book)
    (event,) = [e for e in trail if e[1] == "import"]
    assert event[0] is None and event[7].startswith("book.xlsx: ")
    assert "Holdings 6 rows: 3 snapshots added" in event[7]
    codes = _codes(book)
    with book.session() as s:
        snapshots = {
            (codes[sn.client_id], sn.review_date.isoformat()): sn.id
            for sn in s.scalars(select(Snapshot))
        }
    created = {
        (codes[e[0]], json.loads(e[6])["review_date"]): (e[3], e[7])
        for e in trail
        if (e[1], e[2]) == ("create", "Snapshot")
    }
    assert created == {
        ("K001", "2026-03-31"): (
            snapshots[("K001", "2026-03-31")],
            "import: 2 holdings, 1 exchange rates",
        ),
        ("K001", "2026-06-30"): (
            snapshots[("K001", "2026-06-30")],
            "import: 2 holdings, 1 exchange rates",
        ),
        ("K002", "2026-06-30"): (
            snapshots[("K002", "2026-06-30")],
            "import: 2 holdings, 1 exchange rates",
        ),
    }
    # The clients themselves are recorded by the session, as any change.
    assert {codes[e[0]] for e in trail if (e[1], e[2]) == ("create", "Client")} == {"K001", "K002"}
    # The same workbook again changes nothing and records nothing.
    assert import_files(book, [path]).changed == 0
    assert _trail(book) == trail


def test_a_replaced_snapshot_keeps_the_holdings_it_had_in_the_trail(book, tmp_path):
    assert import_files(book, [wbs.manager_workbook(tmp_path / "a.xlsx", "en")]).applied
    before = _trail(book)
    holdings = [
        wbs.header(schema.HOLDINGS, "en", wbs.HOLDING_KEYS),
        [
            "K002",
            "2026-06-30",
            "stock",
            "腾讯控股",
            "00700",
            None,
            "HKD",
            400000,
            None,
            "2024-03-01",
            None,
            "R5",
        ],
    ]
    fx = [wbs.header(schema.FX, "en", wbs.FX_KEYS), ["2026-06-30", "USD", "HKD", "7.85"]]
    path = wbs.write(tmp_path / "b.xlsx", {"Holdings": holdings, "FX": fx})
    report = import_files(book, [path])
    assert report.applied and report.counts["Holdings"].updated == 1
    new = _trail(book)[len(before) :]
    k002 = {code: cid for cid, code in _codes(book).items()}["K002"]
    deleted = sorted(
        json.loads(e[5])["product_name"] for e in new if e[1:3] == ("delete", "Holding")
    )
    assert deleted == ["USD cash", "腾讯控股"]
    (old_tencent,) = [
        json.loads(e[5]) for e in new if e[1:3] == ("delete", "Holding") and "00700" in e[5]
    ]
    assert Decimal(old_tencent["market_value"]) == 388000
    (created,) = [json.loads(e[6]) for e in new if e[1:3] == ("create", "Holding")]
    assert Decimal(created["market_value"]) == 400000
    (rate,) = [e for e in new if e[1:3] == ("update", "FxRate")]
    assert (rate[0], rate[4], rate[5], rate[6]) == (k002, "rate", "7.80", "7.85")
    assert all(e[0] == k002 for e in new if e[1] != "import")
    (event,) = [e for e in new if e[1] == "import"]
    assert "1 replaced" in event[7]


def test_a_refused_import_records_nothing(book, tmp_path):
    holdings = [
        wbs.header(schema.HOLDINGS, "en", wbs.HOLDING_KEYS),
        [
            "K404",
            "2026-06-30",
            "stock",
            "腾讯控股",
            "00700",
            None,
            "HKD",
            1,
            None,
            None,
            None,
            "R5",
        ],
    ]
    report = import_files(book, [wbs.write(tmp_path / "c.xlsx", {"Holdings": holdings})])
    assert report.problems and not report.applied
    assert _trail(book) == []
