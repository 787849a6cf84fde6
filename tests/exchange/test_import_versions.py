"""An import's direct statements (holdings replaced, rates changed) take a snapshot's new
save counter, and a changed rate its own: a save of the snapshot or the rate as read
before the import is refused, not applied over the import's change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reviewdesk.book.models import Client, FxRate, Holding, Snapshot
from reviewdesk.book.versions import EditConflict
from reviewdesk.exchange import export_workbook, import_files, schema
from tests import factories as f

DAY = dt.date(2026, 5, 31)


@pytest.fixture
def exported(book, tmp_path):
    with book.session() as s:
        c = f.client("V1", "王芳", report_currency="CNY")
        c.snapshots.append(
            f.snapshot(
                DAY,
                f.holding("货币基金", value="1000"),
                f.holding("美元存款", value="200", currency="USD"),
                rates={("USD", "CNY"): "7.1"},
            )
        )
        s.add(c)
    path = tmp_path / "book.xlsx"
    with book.session() as s:
        export_workbook(s, path, lang="en")
    return path


def _edit(path, sheet: schema.Sheet, column: str, match: str, value: object) -> None:
    wb = load_workbook(path)
    ws = wb[sheet.name("en")]
    header = [c.value for c in ws[1]]
    col = header.index(column) + 1
    for row in ws.iter_rows(min_row=2):
        if match in [str(c.value) for c in row]:
            ws.cell(row=row[0].row, column=col, value=value)
    wb.save(path)


def _read(book, model, **match):
    """A screen's view of one record, read before the import (its own session)."""
    session = book.read_session()
    record = session.query(model).filter_by(**match).one()
    session.commit()
    return session, record


def test_holdings_replaced_by_an_import_refuse_an_older_save(book, exported):
    session, snap = _read(book, Snapshot)
    other, held = _read(book, Holding, product_name="货币基金")
    _edit(exported, schema.HOLDINGS, "market_value", "货币基金", 1500)
    report = import_files(book, [exported])
    assert report.applied and report.count("Holdings").updated == 1
    snap.note = "看过了"
    with pytest.raises(EditConflict, match="Review"):
        session.commit()
    session.close()
    held.principal = held.market_value
    with pytest.raises(EditConflict, match="Holding"):
        other.commit()
    other.close()
    with book.session() as s:
        stored = s.query(Snapshot).one()
        assert stored.note is None and stored.version == 2
        assert {h.market_value for h in stored.holdings} == {1500, 200}
        assert {h.principal for h in stored.holdings} == {None}


def test_a_rate_changed_by_an_import_refuses_an_older_save(book, exported):
    session, snap = _read(book, Snapshot)
    other, rate = _read(book, FxRate, from_currency="USD")
    _edit(exported, schema.FX, "rate", "USD", "7.2")
    report = import_files(book, [exported])
    assert report.applied and report.count("FX").updated == 1
    snap.note = "看过了"
    with pytest.raises(EditConflict, match="Review"):
        session.commit()
    session.close()
    # The rate as read before the import: its save is refused, the import's rate stays.
    rate.rate = Decimal("7.3")
    with pytest.raises(EditConflict, match=rf"Exchange rate USD/CNY \({rate.id}\) was changed by"):
        other.commit()
    other.close()
    with book.session() as s:
        assert s.query(Snapshot).one().version == 2
        stored = s.query(FxRate).one()
        assert (stored.rate, stored.version) == (Decimal("7.2"), 2)


def test_an_import_that_changes_nothing_leaves_the_counters_alone(book, exported):
    report = import_files(book, [exported])
    assert report.applied
    with book.session() as s:
        assert s.query(Snapshot).one().version == 1
        assert s.query(Client).one().version == 1
        assert s.query(FxRate).one().version == 1
