"""Streaming rows out of .xlsx workbooks and .csv files, with their headers matched.

A workbook is read with openpyxl's read-only reader and its rows streamed
from the zipped XML (see xlsx_rows.py): nothing of a sheet is kept once its
rows are consumed. CSV files name their sheet in the file name (`Clients.csv`,
`客户.csv`, `book-Holdings.csv`); UTF-8 (with or without the BOM Excel
writes), UTF-16 (Excel's "Unicode text") and GB18030 (Excel's "CSV" on Chinese
Windows) are read, the encoding decided on the whole file. The separator is a
comma, a semicolon (Excel's CSV where the decimal mark is a comma) or a tab,
told by `csv.Sniffer`; a quote never closed is refused by line rather than
left to swallow the rows after it.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reviewdesk.exchange.limits import DEFAULT_LIMITS, ImportRefused, Limits
from reviewdesk.exchange.parse import is_blank
from reviewdesk.exchange.report import ImportReport
from reviewdesk.exchange.schema import IMPORT_ORDER, Column, Sheet, match_sheet
from reviewdesk.exchange.xlsx_rows import Row, XlsxBook
from reviewdesk.i18n import N_, _


@dataclass
class SheetInput:
    """One sheet's rows from one file, and where each known column is."""

    sheet: Sheet
    title: str  # as named in the file
    origin: str
    _rows: Iterator[Row]
    positions: dict[str, int] | None = None
    headers: dict[str, str] | None = None  # column key -> header as written
    rows_read: int = 0  # non-blank rows after the header

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
        report.problem(
            self.title,
            None,
            None,
            None,
            _("has no header row naming its columns (expected e.g. {columns})").format(
                columns=", ".join(c.key for c in self.sheet.columns if c.required)
            ),
            about_value=False,
        )
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
                self.rows_read += 1
                yield number, values


_SAMPLE = 1 << 16
_UTF16 = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}


def csv_encoding(path: Path) -> tuple[str, int]:
    """(encoding, bytes to skip) of a CSV file, decided on the whole file.

    A byte-order mark says UTF-8 or UTF-16; UTF-16 without one is told by its zero
    bytes. Otherwise the whole file is tried as UTF-8, then as GB18030 (both decoded
    incrementally, a MiB at a time); a file that is neither is refused, by offset.
    """
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8", len(codecs.BOM_UTF8)
        for bom, name in _UTF16.items():
            if head.startswith(bom):
                return name, len(bom)
        fh.seek(0)
        sample = fh.read(_SAMPLE)
    if sample.count(0) > len(sample) // 4:
        even = sample[0::2].count(0)
        odd = sample[1::2].count(0)
        return ("utf-16-be" if even > odd else "utf-16-le"), 0
    failures: list[tuple[str, int]] = []
    for name in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(name)()
        offset = 0
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    decoder.decode(chunk)
                    offset += len(chunk)
                decoder.decode(b"", True)
        except UnicodeDecodeError as exc:
            failures.append((name, offset + exc.start))
            continue
        return name, 0
    raise ImportRefused(
        N_(
            "is not text in UTF-8, UTF-16 or GB18030 (byte {offset} cannot be read in "
            'any of them): save it from Excel as "CSV UTF-8"'
        ),
        {"offset": max(at for _name, at in failures)},
    )


def csv_dialect(sample: str) -> str:
    """The separator of a CSV file: comma, semicolon or tab, by `csv.Sniffer`."""
    first = next((line for line in sample.splitlines() if line.strip()), "")
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        pass
    found = [d for d in ",;\t" if d in first]
    if not found:
        return ","  # one column: any separator reads it
    if len(found) == 1:
        return found[0]
    raise ImportRefused(
        N_(
            "cannot tell which character separates its columns (a comma, a semicolon or "
            'a tab): save it from Excel as "CSV UTF-8"'
        )
    )


def _csv_rows(path: Path, encoding: str, skip: int, limits: Limits) -> Iterator[Row]:
    with path.open("rb") as raw:
        raw.seek(skip)
        sample = codecs.getincrementaldecoder(encoding)(errors="replace").decode(raw.read(_SAMPLE))
    delimiter = csv_dialect(sample)
    with path.open("rb") as raw:
        raw.seek(skip)
        text = _Lines(io.TextIOWrapper(raw, encoding=encoding, newline=""))
        reader = csv.reader(text, delimiter=delimiter, quotechar='"', strict=True)
        line = 1
        count = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if text.lines > line and "end of data" in str(exc):
                    raise ImportRefused(
                        N_(
                            "a quote opened on this line is never closed, so "
                            "the {count} lines after it would be read as one cell"
                        ),
                        {"line": line, "count": text.lines - line},
                        row=line,
                    ) from None
                if "field larger" in str(exc):
                    raise ImportRefused(
                        N_("a cell is longer than the limit of {limit} characters"),
                        {"line": line, "limit": limits.cell_chars},
                        row=line,
                    ) from None
                raise ImportRefused(
                    N_("cannot be read: {error}"),
                    {"line": line, "error": str(exc)},
                    row=line,
                ) from None
            count += 1
            if count > limits.rows:
                raise ImportRefused(
                    N_("has more than {limit} rows, the limit of a sheet"), {"limit": limits.rows}
                )
            if len(values) > limits.columns:
                raise ImportRefused(
                    N_("has {count} columns, more than the limit of {limit}"),
                    {"line": line, "count": len(values), "limit": limits.columns},
                    row=line,
                )
            for value in values:
                if len(value) > limits.cell_chars:
                    raise ImportRefused(
                        N_("a cell is longer than the limit of {limit} characters"),
                        {"line": line, "limit": limits.cell_chars},
                        row=line,
                    )
            yield line, tuple(v if v != "" else None for v in values)
            line = reader.line_num + 1


class _Lines:
    """The lines of a text stream, counted (the csv reader's own count stops at an error)."""

    def __init__(self, stream: Iterator[str]):
        self.stream = stream
        self.lines = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self.stream)
        self.lines += 1
        return line


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

    def __init__(
        self,
        paths: list[Path],
        report: ImportReport,
        limits: Limits = DEFAULT_LIMITS,
        password: str | None = None,
    ):
        self.sheets: dict[str, SheetInput] = {}
        self._workbooks: list[XlsxBook] = []
        self.limits = limits
        self.password = password
        for path in paths:
            self._open(Path(path), report)

    @property
    def rows_read(self) -> int:
        return sum(item.rows_read for item in self.sheets.values())

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
        if path.is_dir():
            report.problem(
                path.name,
                None,
                None,
                None,
                _("is a folder: give the workbook, or the .csv files in it, one by one"),
            )
            return
        if not path.exists():
            report.problem(path.name, None, None, None, _("no such file"))
            return
        if not path.is_file():
            report.problem(path.name, None, None, None, _("is not a file"))
            return
        if suffix in (".xlsx", ".xlsm"):
            try:
                book = XlsxBook(path, self.limits, self.password)
            except ImportRefused as exc:
                report.problem(path.name, exc.row, None, None, exc.message())
                return
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
            known = 0
            for part in book.missing:
                if match_sheet(part.title) is not None:
                    known += 1
                    report.problem(
                        part.title,
                        None,
                        None,
                        None,
                        _(
                            "is named in the workbook but its part {part} is missing: the "
                            "workbook is damaged"
                        ).format(part=part.path),
                    )
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
                known += 1
                self._add(SheetInput(sheet, part.title, path.name, book.rows(part)), report)
            if not known:
                report.problem(
                    path.name,
                    None,
                    None,
                    None,
                    _(
                        "holds none of the sheets to import: expected {expected}; found {found}"
                    ).format(
                        expected=", ".join(
                            f"{sheet.name('en')} / {sheet.name('zh')}" for sheet in IMPORT_ORDER
                        ),
                        found=", ".join(p.title for p in book.sheets + book.missing) or _("none"),
                    ),
                )
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
            try:
                encoding, skip = csv_encoding(path)
            except ImportRefused as exc:
                report.problem(path.name, None, None, None, exc.message())
                return
            rows = _csv_rows(path, encoding, skip, self.limits)
            self._add(SheetInput(sheet, path.stem, path.name, rows), report)
        else:
            report.problem(
                path.name, None, None, None, _("is neither an .xlsx workbook nor a .csv file")
            )

    def close(self) -> None:
        for workbook in self._workbooks:
            workbook.close()
        self._workbooks.clear()
