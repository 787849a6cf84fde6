"""The fast row reader gives what openpyxl's own read-only reader gives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from reviewdesk.exchange import export_workbook
from reviewdesk.exchange.xlsx_rows import XlsxBook


def _same_rows(path):
    reference = load_workbook(path, read_only=True, data_only=True)
    book = XlsxBook(path)
    try:
        assert [p.title for p in book.sheets] == reference.sheetnames
        for part in book.sheets:
            theirs = dict(enumerate(reference[part.title].iter_rows(values_only=True), 1))
            ours = dict(book.rows(part))
            assert set(ours) <= set(theirs), part.title
            for number, row in theirs.items():
                mine = ours.get(number, ())
                assert mine == tuple(row[:len(mine)]), (part.title, number)
                assert all(v is None for v in row[len(mine):]), (part.title, number)
    finally:
        book.close()
        reference.close()


def test_an_export_reads_the_same(demo_book, tmp_path):
    path = tmp_path / "book.xlsx"
    with demo_book.session() as s:
        export_workbook(s, path, lang="zh")
    _same_rows(path)


def test_every_kind_of_cell_reads_the_same(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Mixed"
    ws.append(["text", 1, 2.5, 0.1, True, False, dt.date(2026, 3, 31),
               dt.datetime(2026, 3, 31, 12, 30), Decimal("12.34"), "=1+1", "", "  spaced  "])
    ws.append([None, None, "after gaps"])
    ws["B4"] = "sparse"
    ws["D4"] = CellRichText([TextBlock(InlineFont(b=True), "富"), "文本"])
    ws["E4"] = "<&>\"'"
    ws["F4"] = 1e-7
    ws["G4"] = -12345678901234
    ws.append([])
    ws.append(["last"])
    path = tmp_path / "mixed.xlsx"
    wb.save(path)
    _same_rows(path)
