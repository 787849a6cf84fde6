"""One rounding rule for every total: the pack, the holdings tab, the client list, `show`
and `clients --json` agree to the cent (10 USD at 7.2345 is CNY 72.35 everywhere)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

from reviewdesk.book.db import open_book
from reviewdesk.book.enums import AssetClass
from reviewdesk.book.models import Client
from reviewdesk.cli import main
from reviewdesk.review.build import build_review
from reviewdesk.review.client_list import list_clients
from reviewdesk.review.snapshot_view import latest_snapshot_view
from reviewdesk.settings import load_settings
from tests import factories as f

TODAY = dt.date(2026, 6, 10)
PASSPHRASE = "correct horse battery staple"


def test_half_a_cent_rounds_the_same_way_in_every_face(tmp_path, monkeypatch, capsys):
    path = tmp_path / "book.sqlite"
    book = open_book(str(path), passphrase=PASSPHRASE)
    with book.session() as s:
        client = f.client("C1", "王芳")
        client.snapshots = [
            f.snapshot(
                dt.date(2026, 5, 31),
                f.holding("美元定期", "10", "USD", AssetClass.DEPOSIT),
                f.holding("美元贷款", "10", "USD", AssetClass.LOAN, risk_level=None),
                rates={("USD", "CNY"): "7.2345"},
            )
        ]
        s.add(client)
        s.flush()
        cid = client.id
    with book.session() as s:
        review = build_review(s, cid, settings=load_settings(s), today=TODAY)
        (summary,) = list_clients(s, TODAY)
        view = latest_snapshot_view(s.get(Client, cid))
    book.close()

    expected = D("72.35")
    assert review.current.assets == expected and review.current.liabilities == expected
    assert summary.total_assets == expected and summary.liabilities == expected
    assert view.total_assets == expected and view.liabilities == expected

    monkeypatch.setenv("REVIEWDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setattr("reviewdesk.app.today", lambda: TODAY, raising=False)
    assert main(["--db", str(path), "clients", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert D(str(listed["total_assets"])) == expected
    assert D(str(listed["liabilities"])) == expected
    assert main(["--db", str(path), "show", "C1", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    snapshot = shown.get("latest_snapshot") or shown.get("snapshot") or shown
    assert D(str(snapshot["total_assets"])) == expected, shown
    assert D(str(snapshot["liabilities"])) == expected, shown


def test_a_yen_total_is_whole_yen_in_every_face(tmp_path):
    """Totals are rounded once, to the report currency's smallest unit: a JPY client's
    total is whole yen in the review and the client list as in the pack."""
    book = open_book(str(tmp_path / "book.sqlite"), passphrase=PASSPHRASE)
    with book.session() as s:
        client = f.client("J1", "山田太郎", report_currency="JPY")
        client.snapshots = [
            f.snapshot(
                dt.date(2026, 5, 31),
                f.holding("円普通預金", "12345.5", "JPY", AssetClass.DEPOSIT),
                f.holding("USD deposit", "0.004", "USD", AssetClass.DEPOSIT),
                rates={("USD", "JPY"): "156.70"},
            )
        ]
        s.add(client)
        s.flush()
        cid = client.id
    with book.session() as s:
        review = build_review(s, cid, settings=load_settings(s), today=TODAY)
        (summary,) = list_clients(s, TODAY)
    book.close()
    # 12,345.5 + 0.6268 = 12,346.1268 yen: 12,346, not 12,346.13.
    assert review.current.assets == summary.total_assets == D("12346")
