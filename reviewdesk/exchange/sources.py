"""Streaming rows out of .xlsx workbooks and .csv files, with their headers matched.

A workbook is read with openpyxl's read-only reader and its rows streamed
from the zipped XML (see xlsx_rows.py): nothing of a sheet is kept once its
rows are consumed. CSV files name their sheet in the file name (`Clients.csv`,
`客户.csv`, `book-Holdings.csv`); UTF-8 (with or without the BOM Excel
writes) and GB18030 (Excel's "CSV" on Chinese Windows) are both read.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reviewdesk.exchange.parse import is_blank
from reviewdesk.exchange.report import ImportReport
from reviewdesk.exchange.schema import Column, Sheet, match_sheet
from reviewdesk.exchange.xlsx_rows import Row, XlsxBook
from reviewdesk.i18n import _


@dataclass
class SheetInput:
    """One sheet's rows from one file, and where each known column is."""

    sheet: Sheet
    title: str  # as named in the file
    origin: str
    _rows: Iterator[Row]
    positions: dict[str, int] | None = None
    headers: dict[str, str] | None = None  # column key -> header as written

    def header_of(self, column: Column) -> str:
        assert self.headers is not None
        return self.headers.get(column.key, column.key)

    def read_header(self, report: ImportReport) -> bool:
        """Match the header row; False if the sheet cannot be read at all.

        The header is the first non-blank row naming a column of the sheet, so a
        title row or two above it (a manager's "客户信息清单") is passed over.
        """
        passed = 0
        for number, values in self._rows:
            if all(is_blank(v) for v in values):
                continue
            known = any(
                not is_blank(v) and self.sheet.match_column(str(v)) is not None for v in values
            )
            if not known and passed < 5:
                passed += 1
                continue
            self.positions, self.headers = {}, {}
            for index, raw in enumerate(values):
                if is_blank(raw):
                    continue
                column = self.sheet.match_column(str(raw))
                if column is None:
                    report.warn(
                        self.title,
                        number,
                        str(raw),
                        None,
                        _("is not a column of this sheet; it was ignored"),
                        about_value=False,
                    )
                    continue
                if column.key in self.positions:
                    report.problem(
                        self.title,
                        number,
                        str(raw),
                        None,
                        _("appears twice in the header"),
                        about_value=False,
                    )
                    continue
                self.positions[column.key] = index
                self.headers[column.key] = str(raw).strip()
            missing = [c for c in self.sheet.columns if c.required and c.key not in self.positions]
            for column in missing:
                report.problem(
                    self.title,
                    number,
                    column.name("zh") + " / " + column.key,
                    None,
                    _("is a required column and is missing"),
                    about_value=False,
                )
            return not missing
        return False

    def rows(self) -> Iterator[Row]:
        """(row number, values) of every non-blank row after the header."""
        for number, values in self._rows:
            if not values:
                continue
            first = values[0]  # mostly a client_id: no need to look further
            if (first is not None and (first.__class__ is not str or first.strip())) or not all(
                is_blank(v) for v in values
            ):
                yield number, values


def _decode_probe(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _csv_rows(path: Path, encoding: str) -> Iterator[Row]:
    with path.open(newline="", encoding=encoding) as fh:
        reader = csv.reader(fh)
        line = 1
        for values in reader:
            yield line, tuple(v if v != "" else None for v in values)
            line = reader.line_num + 1


def csv_sheet(path: Path) -> Sheet | None:
    stem = path.stem
    sheet = match_sheet(stem)
    if sheet is not None:
        return sheet
    for sep in ("-", "_", ".", " "):
        if sep in stem:
            sheet = match_sheet(stem.rsplit(sep, 1)[1])
            if sheet is not None:
                return sheet
    return None


class Inputs:
    """The sheets found in the given files; open files are closed by `close()`."""

    def __init__(self, paths: list[Path], report: ImportReport):
        self.sheets: dict[str, SheetInput] = {}
        self._workbooks: list[XlsxBook] = []
        for path in paths:
            self._open(Path(path), report)

    def _add(self, item: SheetInput, report: ImportReport) -> None:
        known = self.sheets.get(item.sheet.key)
        if known is not None:
            report.problem(
                item.title,
                None,
                None,
                None,
                _("is given twice (also in {origin})").format(origin=known.origin),
            )
            return
        self.sheets[item.sheet.key] = item

    def _open(self, path: Path, report: ImportReport) -> None:
        suffix = path.suffix.lower()
        if not path.is_file():
            report.problem(path.name, None, None, None, _("no such file"))
            return
        if suffix in (".xlsx", ".xlsm"):
            try:
                book = XlsxBook(path)
            except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
                report.problem(
                    path.name,
                    None,
                    None,
                    None,
                    _("cannot be read as an Excel workbook: {error}").format(error=exc),
                )
                return
            self._workbooks.append(book)
            for part in book.sheets:
                sheet = match_sheet(part.title)
                if sheet is None:
                    report.warn(
                        part.title,
                        None,
                        None,
                        None,
                        _("is not a sheet of the format; it was ignored"),
                    )
                    continue
                self._add(SheetInput(sheet, part.title, path.name, book.rows(part)), report)
        elif suffix in (".csv", ".txt"):
            sheet = csv_sheet(path)
            if sheet is None:
                report.problem(
                    path.name,
                    None,
                    None,
                    None,
                    _(
                        "the file name does not say which sheet it holds "
                        "(e.g. Clients.csv or 客户.csv)"
                    ),
                )
                return
            encoding = _decode_probe(path)
            self._add(SheetInput(sheet, path.stem, path.name, _csv_rows(path, encoding)), report)
        else:
            report.problem(
                path.name, None, None, None, _("is neither an .xlsx workbook nor a .csv file")
            )

    def close(self) -> None:
        for workbook in self._workbooks:
            workbook.close()
        self._workbooks.clear()
