"""The fast row reader gives what openpyxl's own read-only reader gives."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from types import SimpleNamespace
from unittest.mock import patch
from xml.parsers import expat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900

from reviewdesk.exchange import export_workbook, xlsx_rows
from reviewdesk.exchange.parse import Uncalculated
from reviewdesk.exchange.xlsx_rows import XlsxBook, _ExpatRows, _Values, sheet_rows


def _same_rows(path):
    reference = load_workbook(path, read_only=True, data_only=True)
    book = XlsxBook(path)
    try:
        assert [p.title for p in book.sheets] == reference.sheetnames
        for part in book.sheets:
            theirs = dict(enumerate(reference[part.title].iter_rows(values_only=True), 1))
            # A formula with no saved value is None to openpyxl; ours says what it is.
            ours = {
                n: tuple(None if isinstance(v, Uncalculated) else v for v in row)
                for n, row in book.rows(part)
            }
            assert set(ours) <= set(theirs), part.title
            for number, row in theirs.items():
                mine = ours.get(number, ())
                assert mine == tuple(row[: len(mine)]), (part.title, number)
                assert all(v is None for v in row[len(mine) :]), (part.title, number)
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
    ws.append(
        [
            "text",
            1,
            2.5,
            0.1,
            True,
            False,
            dt.date(2026, 3, 31),
            dt.datetime(2026, 3, 31, 12, 30),
            Decimal("12.34"),
            "=1+1",
            "",
            "  spaced  ",
        ]
    )
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


# ---- the fast reader against expat, on sheet XML as producers write it ----------------------

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
    '<dimension ref="A1:C3"/><sheetData>'
)
_TAIL = '</sheetData><pageMargins left="0.7" right="0.7"/></worksheet>'


def _book():
    return SimpleNamespace(
        shared_strings=["shared", "共享"],
        date_formats={2, 3},
        timedelta_formats={3},
        epoch=CALENDAR_WINDOWS_1900,
    )


def _expat(xml: bytes):
    return list(_ExpatRows(_Values(_book())).read([xml]))


def _both(xml: str | bytes, chunk: int | None = None):
    """The rows by the fast reader (whole, and in small chunks) and by expat alone; or the
    error each raised."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    results = []
    for size in (None, chunk or 7):
        try:
            if size is None:
                results.append(list(sheet_rows(io.BytesIO(data), _book())))
            else:
                with patch.object(xlsx_rows, "_CHUNK", size):
                    results.append(list(sheet_rows(io.BytesIO(data), _book())))
        except expat.ExpatError:
            results.append(expat.ExpatError)
    try:
        reference = _expat(data)
    except expat.ExpatError:
        reference = expat.ExpatError
    return results, reference


ROWS = [
    # the plain shape: inline strings, numbers, dates by style, gaps, empty cells
    '<row r="1"><c r="A1" t="inlineStr"><is><t>客户编号</t></is></c>'
    '<c r="C1" s="2" t="n"><v>45107</v></c><c r="D1" t="n"><v>49148.63</v></c>'
    '<c r="E1"><v>-1.5E-7</v></c><c r="F1" s="3"><v>1.25</v></c><c r="G1" s="1"/>'
    '<c r="H1" t="b"><v>1</v></c><c r="I1" t="s"><v>1</v></c><c r="J1" t="e"><v>#N/A</v></c>'
    '<c r="K1" t="str"><v>formula text</v></c><c r="L1" t="d"><v>2026-03-31T00:00:00</v></c>'
    '<c r="M1"></c><c r="N1" t="inlineStr"><is><t xml:space="preserve">  spaced  </t></is></c>'
    "</row>",
    # Excel's row attributes, an empty and a self-closing row
    '<row r="2" spans="1:3" x14ac:dyDescent="0.25"><c r="A2" s="1" t="s"><v>0</v></c></row>'
    '<row r="4"></row><row r="5" spans="1:1"/>',
    # entities and line ends in text
    '<row r="6"><c r="A6" t="inlineStr"><is><t>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;'
    ' &#20013;&#x6587;</t></is></c><c r="B6" t="inlineStr"><is><t>one\r\ntwo\rthree</t></is>'
    '</c><c r="C6" t="str"><v>x &amp; y</v></c></row>',
    # a formula, rich text and phonetic runs: rows for expat
    '<row r="7"><c r="A7"><f>1+1</f><v>2</v></c><c r="B7" t="inlineStr"><is><r><rPr><b/>'
    '</rPr><t>富</t></r><r><t>文本</t></r></is></c><c r="C7" t="inlineStr"><is><t>漢字</t>'
    '<rPh sb="0" eb="2"><t>かんじ</t></rPh></is></c></row>',
    # attributes in another order, a row and cells without r, another quote
    '<row r="8"><c t="inlineStr" r="B8"><is><t>b</t></is></c></row>'
    "<row><c><v>1</v></c><c><v>2</v></c></row><row r='10'><c r=\"A10\"><v>3</v></c></row>",
    # a comment and whitespace between rows and cells
    '<!-- a note --><row r="11">\n  <c r="A11"><v>4</v></c>\n  <c r="B11"><v>5</v></c>\n</row>\n',
    # a CDATA section
    '<row r="12"><c r="A12" t="inlineStr"><is><t><![CDATA[<raw> & text]]></t></is></c></row>',
    # wide columns
    '<row r="13"><c r="AA13"><v>6</v></c><c r="XFD13"><v>7</v></c></row>',
]


@pytest.mark.parametrize("rows", ROWS + ["".join(ROWS)])
def test_the_fast_reader_gives_what_expat_gives(rows):
    (whole, chunked), reference = _both(_HEAD + rows + _TAIL)
    assert reference is not expat.ExpatError
    assert whole == reference
    assert chunked == reference


@pytest.mark.parametrize(
    "bad",
    [
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a&b</t></is></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>bell\x07</t></is></c></row>',
        '<row r="1"><c r="A1"><v>1\x0c</v></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&#0;</t></is></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a ]]> b</t></is></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>open</t></is></c>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>open</t></is></c></row><row r="2">',
    ],
)
def test_a_malformed_sheet_is_refused_as_expat_refuses_it(bad):
    tail = _TAIL if bad.endswith("</row>") else ""
    (whole, chunked), reference = _both(_HEAD + bad + tail)
    assert reference is expat.ExpatError
    assert whole is expat.ExpatError
    assert chunked is expat.ExpatError


def test_bytes_that_are_not_utf8_are_refused():
    xml = (
        (_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>X</t></is></c></row>' + _TAIL)
        .encode()
        .replace(b">X<", b">\xff\xfe<")
    )
    (whole, chunked), reference = _both(xml)
    assert reference is whole is chunked is expat.ExpatError


@pytest.mark.parametrize(
    "head",
    [
        # a prefixed main namespace, another encoding, a DTD: the whole sheet goes to expat
        (
            '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>p</x:t></x:is></x:c>'
            "</x:row></x:sheetData></x:worksheet>"
        ),
        (
            '<!DOCTYPE worksheet [<!ENTITY who "the client">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>&who;</t></is></c></row></sheetData>'
            "</worksheet>"
        ),
    ],
)
def test_other_documents_are_read_by_expat(head):
    (whole, chunked), reference = _both(head)
    assert reference and whole == reference and chunked == reference


def test_another_encoding_is_read_by_expat():
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        + _HEAD.split("?>", 1)[1]
        + '<row r="1"><c r="A1" t="inlineStr"><is><t>十六</t></is></c></row>'
        + _TAIL
    )
    (whole, chunked), reference = _both(xml.encode("utf-16"))
    assert reference == [(1, ("十六",))]
    assert whole == chunked == reference


_CELL_VALUES = st.one_of(
    st.none(),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x0b\x0c"),
        max_size=12,
    ).filter(lambda t: not ILLEGAL_CHARACTERS_RE.search(t)),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.lists(_CELL_VALUES, max_size=6), min_size=1, max_size=6),
    write_only=st.booleans(),
)
def test_any_cells_read_as_openpyxl_reads_them(tmp_path_factory, rows, write_only):
    """Whatever a workbook holds, written as our export writes it (write-only, inline
    strings) or as a normal save does (shared strings)."""
    path = tmp_path_factory.mktemp("cells") / "cells.xlsx"
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("Cells") if write_only else wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    _same_rows(path)


def test_the_plain_shape_is_read_without_expat():
    """The export's own shape (and Excel's) never needs expat: that is where the time goes."""
    plain = ROWS[0] + ROWS[1] + ROWS[2].replace("<v>x &amp; y</v>", "<v>x</v>") + ROWS[7]
    with patch.object(_ExpatRows, "parser", side_effect=AssertionError("expat used")):
        rows = list(sheet_rows(io.BytesIO((_HEAD + plain + _TAIL).encode()), _book()))
    assert rows == _expat((_HEAD + plain + _TAIL).encode())
    assert [number for number, _values in rows] == [1, 2, 4, 5, 6, 13]


def test_a_large_sheet_read_in_its_own_process_gives_the_same_rows(
    demo_book, tmp_path, monkeypatch
):
    path = tmp_path / "book.xlsx"
    with demo_book.session() as s:
        export_workbook(s, path, lang="zh")
    monkeypatch.setattr(xlsx_rows, "PROCESS_THRESHOLD", 0)
    with patch.object(xlsx_rows, "sheet_rows", side_effect=AssertionError("read here")):
        _same_rows(path)  # nothing read in this process


def _with_sheet_xml(tmp_path, xml: bytes):
    wb = Workbook(write_only=True)
    wb.create_sheet("Holdings").append(["x"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    bad = tmp_path / "bad2.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, xml if item.filename.startswith("xl/worksheets/") else data)
    return bad


def test_an_error_in_the_reading_process_is_raised_in_the_importing_one(tmp_path, monkeypatch):
    first = '<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c><c r="B1"><v>2</v></c></row>'
    path = _with_sheet_xml(tmp_path, (_HEAD + first + '<row r="2"><c r="A2">').encode())
    monkeypatch.setattr(xlsx_rows, "PROCESS_THRESHOLD", 0)
    book = XlsxBook(path)
    rows = []
    try:
        with pytest.raises(expat.ExpatError):
            for row in book.rows(book.sheets[0]):
                rows.append(row)
    finally:
        book.close()
    assert rows == [(1, ("甲", 2))]


def test_a_reading_process_whose_rows_are_not_wanted_ends_with_the_workbook(
    demo_book, tmp_path, monkeypatch
):
    path = tmp_path / "book.xlsx"
    with demo_book.session() as s:
        export_workbook(s, path, lang="zh")
    monkeypatch.setattr(xlsx_rows, "PROCESS_THRESHOLD", 0)
    book = XlsxBook(path)
    started = [book.rows(part) for part in book.sheets]
    next(started[0])
    readers = list(book._readers)
    assert len(readers) == len(book.sheets)
    book.close()
    assert not any(reader.process.is_alive() for reader in readers)
