"""A book with every field set goes out to Excel and back whole, and a workbook edited and
imported again updates the records it names, in place, losing nothing."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from reviewdesk.book.db import open_book
from reviewdesk.book.models import FxRate
from reviewdesk.exchange import export_workbook, import_files
from tests.conftest import PASSPHRASE
from tests.exchange import full_book


@pytest.fixture
def full(book):
    with book.session() as s:
        full_book.fill(s)
    return book


@pytest.fixture
def other(tmp_path):
    b = open_book(str(tmp_path / "other.sqlite"), passphrase=PASSPHRASE)
    yield b
    b.close()


def export(book, path, lang="en", **kw):
    with book.session() as s:
        export_workbook(s, path, lang=lang, **kw)
    return path


def sheet(path, title) -> list[dict]:
    wb = load_workbook(path)
    ws = wb[title]
    values = list(ws.iter_rows(values_only=True))
    wb.close()
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_exchange_rates_keep_their_places(book, other, tmp_path):
    """Found: 0.9180 went out as 0.918, so a pack made from the book it was imported into
    printed "1 HKD = CNY 0.918" and its reference changed."""
    with book.session() as s:
        full_book.fill(s, twice=False)
    path = export(book, tmp_path / "book.xlsx")
    assert {str(r["rate"]) for r in sheet(path, "FX")} == {"0.9180", "0.9200"}
    assert import_files(other, [path]).problems == []
    with other.session() as s:
        assert sorted(str(r) for r in s.scalars(select(FxRate.rate))) == ["0.9180", "0.9200"]
    assert {str(r["level"]) for r in sheet(path, "Benchmarks")} == {"3900.10", "3950.5", "18000"}
    assert import_files(other, [path]).changed == 0  # the same rates: nothing to change
