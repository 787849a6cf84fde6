"""Streaming the rows of a large .xlsx worksheet.

The workbook itself (its sheets, shared strings, date styles and epoch) is
read by openpyxl's read-only reader. Two parts of openpyxl's read-only path
are too slow for a book of 1.8M holding rows and are replaced here:

- opening a read-only workbook makes a worksheet object per sheet, and each
  scans its whole sheet when the file has no `<dimension>` element (files
  written by openpyxl's write-only mode, our own exports among them, have
  none); `open_workbook` reads the workbook's parts without that scan;
- openpyxl builds a dict and, for inline strings, an object tree per cell.
  `sheet_rows` converts values by the same rules as openpyxl's
  `WorkSheetParser.parse_cell` (data_only: cached formula results, dates by
  cell style, shared and inline strings, booleans, errors) with far less
  work per cell.

Reading the XML: an XML parser calls back into Python once per element and
once per text, and a write-only file (openpyxl's, ours among them) writes
each text cell as an inline string, three elements deep. For the 1.8M-row
holdings sheet that was about 60 s of CPU with expat, whatever the handlers
did. Worksheets are written in one plain shape by every producer that
matters: `<row r="2" ...><c r="A2" s="1" t="inlineStr"><is><t>..</t></is></c>
<c r="B2"><v>45107</v></c></row>`. A row of exactly that shape is matched
whole by one regular expression (in C) and its cells taken out by another,
so Python runs once per row and once per cell, not per element. Anything
else (a formula, rich text, phonetic runs, attributes in another order,
an unknown entity, a comment) makes that one row go through expat with the
original handlers; if even that fails the rest of the sheet is read by
expat, which raises its usual error for a malformed file. So the rows are
the same as expat's, only faster for the common shape (what follows
`</sheetData>` is not parsed: it holds no rows).

A large sheet is read in a process of its own (`_ProcessRows`), so that on
two cores reading and importing overlap.

Measured on the first 100 MB of the holdings sheet of a 2,000-client export
(177,000 rows): expat 5.9 s of CPU, this reader 2.4 s, of which the two
regular expressions take 1.4 s. tests/exchange/test_xlsx_rows.py checks that
this reader, expat alone and openpyxl give the same values.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import multiprocessing
import os
import pickle
import queue
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import IO
from xml.parsers import expat

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.datetime import from_excel, from_ISO8601

from reviewdesk.exchange.limits import DEFAULT_LIMITS, ImportRefused, Limits
from reviewdesk.exchange.parse import Percent, Uncalculated
from reviewdesk.files import size_text
from reviewdesk.i18n import N_

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Excel's built-in date formats of its Chinese, Japanese and Korean editions (2026年3月31日,
# 3月31日, 2026年3月...), which a workbook names by number alone and openpyxl does not
# know: a cell so formatted is a date, not the count of days Excel keeps for it.
LOCAL_DATE_FORMATS = frozenset({27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58})
_CHUNK = 1 << 22

# One cell in the common shape: reference, style, type, then a <v> value or an inline
# string. Groups: column letters, style, type, value text, inline text.
_CELL_SOURCE = (
    rb'<c r="([A-Z]{1,3})[1-9][0-9]*"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?'
    rb"(?:/>|>(?:<v>([^<&\x00-\x08\x0b\x0c\x0e-\x1f]*)</v>"
    rb'|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
)
_CELL = re.compile(_CELL_SOURCE)
# A whole row of such cells; groups: row number, the cells.
_ROW = re.compile(
    rb'[ \t\r\n]*<row r="([1-9][0-9]*)"(?:[ \t\r\n]+[A-Za-z_][\w:.-]*="[^"<>&]*")*[ \t\r\n]*'
    rb"(?:/>|>((?:" + re.sub(rb"\((?!\?)", b"(?:", _CELL_SOURCE) + rb")*)</row>)"
)
_ROW_START = re.compile(rb"[ \t\r\n]*<row[ \t\r\n>/]")
_ROW_END = b"</row>"
_END = re.compile(rb"[ \t\r\n]*</sheetData[ \t\r\n]*>")
_ROOT = re.compile(r"<worksheet\b[^<>]*>")
_DEFAULT_NS = re.compile(r'\sxmlns\s*=\s*(["\'])' + re.escape(_NS) + r"\1")
_DECLARATION = re.compile(rb'^(?:\xef\xbb\xbf)?<\?xml(?:\s+[a-z]+\s*=\s*(["\'])[^"\']*\1)*\s*\?>')
_ENCODING = re.compile(rb'encoding\s*=\s*(["\'])([A-Za-z0-9._-]+)\1')
# What the plain shape may not hold and expat would refuse or read otherwise.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|]]>")
_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_HEAD_LIMIT = 1 << 24
# From this uncompressed size a sheet is read in a process of its own: about 55,000
# holding rows, where starting the process (about half a second) is soon repaid.
PROCESS_THRESHOLD = 32 << 20
_BATCH = 2000
_AHEAD = 8  # batches the reader process may parse before the importer takes them

# A worksheet row as read: its number and its cells' values (None where a cell is empty),
# as openpyxl gives them: str, int, float, bool, datetime, timedelta.
Row = tuple[int, tuple[object, ...]]
# What the reader process sends: a batch of rows, the error that stopped it, or None at the end.
_Batch = list[Row] | BaseException | None


@dataclass
class _Layout:
    """What reading a sheet's values needs from the rest of the workbook."""

    shared_strings: Sequence[str]
    date_formats: set[int]  # style ids
    timedelta_formats: set[int]
    epoch: dt.datetime
    limits: Limits = DEFAULT_LIMITS
    percent_formats: frozenset[int] = frozenset()  # style ids


def _is_percent(code: str | None) -> bool:
    """Whether a number format shows its number as a percentage (a % outside quotes)."""
    if not code:
        return False
    return "%" in re.sub(r'"[^"]*"|\\.', "", code.split(";")[0])


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_encrypted(path: str | os.PathLike[str]) -> bool:
    """True for an OLE compound file: how Excel stores a workbook under a password
    (an .xlsx is otherwise a zip)."""
    with open(path, "rb") as fh:
        return fh.read(len(_OLE_MAGIC)) == _OLE_MAGIC


def decrypt(path: str | os.PathLike[str], password: str | None) -> io.BytesIO:
    """The workbook inside a password-protected file, or the refusal that says why not."""
    import msoffcrypto
    from msoffcrypto.exceptions import DecryptionError, FileFormatError, InvalidKeyError

    if not password:
        raise ImportRefused(
            N_(
                "is protected by a password: give the workbook's password to import it "
                "(reviewdesk import --password-stdin)"
            )
        )
    out = io.BytesIO()
    with open(path, "rb") as fh:
        try:
            office = msoffcrypto.OfficeFile(fh)
            office.load_key(password=password)
            office.decrypt(out)
        except InvalidKeyError:
            raise ImportRefused(N_("the password given does not open this workbook")) from None
        except DecryptionError as exc:
            if "password" in str(exc).lower() or "key" in str(exc).lower():
                raise ImportRefused(N_("the password given does not open this workbook")) from None
            raise ImportRefused(
                N_("is protected but cannot be decrypted: {error}"), {"error": str(exc)}
            ) from None
        except (FileFormatError, OSError, ValueError, KeyError, AssertionError) as exc:
            raise ImportRefused(
                N_("is not an .xlsx workbook (an older Excel file, or damaged): {error}"),
                {"error": str(exc) or type(exc).__name__},
            ) from None
    out.seek(0)
    return out


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a workbook whose declared sizes break a limit, before reading any of it."""
    infos = archive.infolist()
    if len(infos) > limits.parts:
        raise ImportRefused(
            N_("has {count} parts, more than the limit of {limit}"),
            {"count": len(infos), "limit": limits.parts},
        )
    total = 0
    for info in infos:
        name = info.filename
        if name.startswith("xl/worksheets/"):
            limit = limits.sheet_bytes
        elif name == "xl/sharedStrings.xml" or name.endswith("/sharedStrings.xml"):
            limit = limits.strings_bytes
        else:
            limit = limits.other_bytes
        if info.file_size > limit:
            raise ImportRefused(
                N_("its part {part} unpacks to {size}, more than the limit of {limit}"),
                {"part": name, "size": size_text(info.file_size), "limit": size_text(limit)},
            )
        if info.file_size > limits.ratio_from and info.file_size > limits.ratio * max(
            1, info.compress_size
        ):
            raise ImportRefused(
                N_(
                    "its part {part} unpacks to {ratio} times its packed size, more than the "
                    "limit of {limit} times (a zip bomb?)"
                ),
                {
                    "part": name,
                    "ratio": info.file_size // max(1, info.compress_size),
                    "limit": limits.ratio,
                },
            )
        total += info.file_size
    if total > limits.total_bytes:
        raise ImportRefused(
            N_("unpacks to {size} in all, more than the limit of {limit}"),
            {"size": size_text(total), "limit": size_text(limits.total_bytes)},
        )


@dataclass
class SheetPart:
    title: str
    path: str


class XlsxBook:
    """An .xlsx opened with openpyxl's reader, without per-sheet dimension scans."""

    def __init__(
        self,
        path: str | os.PathLike[str] | IO[bytes],
        limits: Limits = DEFAULT_LIMITS,
        password: str | None = None,
    ):
        if isinstance(path, str | os.PathLike) and is_encrypted(path):
            path = decrypt(path, password)
        self.path = path
        self.limits = limits
        reader = ExcelReader(path, read_only=True, data_only=True)
        try:
            check_archive(reader.archive, limits)
        except ImportRefused:
            reader.archive.close()
            raise
        reader.read_manifest()
        reader.read_strings()
        for text in reader.shared_strings:
            if len(text) > limits.cell_chars:
                reader.archive.close()
                raise ImportRefused(
                    N_("a text of {count} characters is longer than the limit of {limit}"),
                    {"count": len(text), "limit": limits.cell_chars},
                )
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        self._reader = reader
        self.archive: zipfile.ZipFile = reader.archive
        self.shared_strings: Sequence[str] = reader.shared_strings
        self.date_formats: set[int] = set(reader.wb._date_formats) | {
            index
            for index, style in enumerate(reader.wb._cell_styles)
            if style.numFmtId in LOCAL_DATE_FORMATS
        }
        self.timedelta_formats: set[int] = set(reader.wb._timedelta_formats)
        # Custom formats are numbered from 164 in the order openpyxl keeps them.
        custom = {164 + i: code for i, code in enumerate(reader.wb._number_formats)}
        self.percent_formats = frozenset(
            index
            for index, style in enumerate(reader.wb._cell_styles)
            if _is_percent(custom.get(style.numFmtId) or BUILTIN_FORMATS.get(style.numFmtId))
        )
        self.epoch: dt.datetime = reader.wb.epoch
        self._readers: list[_ProcessRows] = []
        self.sheets: list[SheetPart] = []
        # Sheets the workbook names whose part is not in the file.
        self.missing: list[SheetPart] = []
        for sheet, rel in reader.parser.find_sheets():
            if "chartsheet" in rel.Type:
                continue
            if rel.target in reader.valid_files:
                self.sheets.append(SheetPart(sheet.name, rel.target))
            else:
                self.missing.append(SheetPart(sheet.name, rel.target))

    def rows(self, sheet: SheetPart) -> Iterator[Row]:
        """The sheet's rows; a large sheet is read in a process of its own (see
        `_rows_in_process`), so that reading and importing share the two cores."""
        if (
            isinstance(self.path, str | os.PathLike)
            and self.archive.getinfo(sheet.path).file_size >= PROCESS_THRESHOLD
        ):
            reader = _ProcessRows(self.path, sheet.path, self._layout())
            self._readers.append(reader)
            return reader.rows()
        return self._rows_here(sheet)

    def _rows_here(self, sheet: SheetPart) -> Iterator[Row]:
        with self.archive.open(sheet.path) as stream:
            yield from sheet_rows(stream, self)

    def _layout(self) -> _Layout:
        return _Layout(
            self.shared_strings,
            self.date_formats,
            self.timedelta_formats,
            self.epoch,
            self.limits,
            self.percent_formats,
        )

    def close(self) -> None:
        for reader in self._readers:
            reader.stop()
        self._readers.clear()
        self.archive.close()


def _column_index(ref: str) -> int:
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
        else:
            break
    return index


class _Values:
    """Cell values by openpyxl's rules, for one workbook's strings, styles and epoch."""

    def __init__(self, book: XlsxBook | _Layout):
        self.strings = book.shared_strings
        self.date_formats = book.date_formats
        self.timedelta_formats = book.timedelta_formats
        self.epoch = book.epoch
        self.limits: Limits = getattr(book, "limits", DEFAULT_LIMITS)
        self.percent_formats: frozenset[int] = getattr(book, "percent_formats", frozenset())

    def value(self, kind: str, raw: str, style: int) -> object:
        if not raw:
            return None
        if kind == "n":
            try:
                number = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
            except ValueError:
                raise ImportRefused(
                    N_("the workbook is damaged: a number cell holds {value}"),
                    {"value": raw[:40]},
                ) from None
            if style in self.date_formats:
                try:
                    return from_excel(number, self.epoch, timedelta=style in self.timedelta_formats)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            if style in self.percent_formats:
                return Percent(number)
            return number
        if kind == "s":
            try:
                return self.strings[int(raw)]
            except (IndexError, ValueError):
                raise ImportRefused(
                    N_(
                        "the workbook is damaged: a cell names shared text number {index}, "
                        "and the workbook holds {count}"
                    ),
                    {"index": raw[:20], "count": len(self.strings)},
                ) from None
        if kind == "b":
            return bool(int(raw))
        if kind == "inlineStr":
            return raw
        if kind == "d":
            return from_ISO8601(raw)
        if len(raw) > self.limits.cell_chars:
            raise too_long(len(raw), self.limits)
        return raw  # "str" (a formula's text) and "e" (an error such as #N/A)


def too_long(length: int, limits: Limits) -> ImportRefused:
    return ImportRefused(
        N_("a cell of {count} characters is longer than the limit of {limit}"),
        {"count": length, "limit": limits.cell_chars},
    )


def too_wide(column: int, limits: Limits) -> ImportRefused:
    return ImportRefused(
        N_("has a value in column {column}, beyond the limit of {limit} columns"),
        {"column": column, "limit": limits.columns},
    )


class _ExpatRows:
    """Rows by expat: the general reader, for a whole sheet or for single rows.

    The handlers run once per XML element of a large sheet, hence the plain
    closures and string comparisons ordered by frequency. `row_number` is shared
    with the fast reader, so a row without `r` follows the one before it.
    """

    def __init__(self, values: _Values):
        self.values = values
        self.done: list[Row] = []
        self.row_number = 0

    def parser(self) -> expat.XMLParserType:
        done = self.done
        value_of = self.values.value
        row: list[object] = []
        buffer: list[str] = []
        formula: list[str] = []
        tag_c, tag_v, tag_t, tag_row, tag_rph, tag_f = (
            f"{_NS} {n}" for n in ("c", "v", "t", "row", "rPh", "f")
        )
        column = style = skip = chars = 0
        kind = "n"
        collecting = in_formula = has_formula = False
        state = self
        limits = self.values.limits

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal column, style, kind, collecting, skip, chars, in_formula, has_formula
            if name == tag_c:
                ref = attrs.get("r")
                column = _column_index(ref) if ref else column + 1
                kind = attrs.get("t", "n")
                s = attrs.get("s")
                try:
                    style = int(s) if s else 0
                except ValueError:
                    style = 0
                buffer.clear()
                chars = 0
                has_formula = False
            elif name == tag_v:
                collecting = True
            elif name == tag_f:
                in_formula = has_formula = True
                formula.clear()
            elif name == tag_t:
                collecting = not skip
            elif name == tag_row:
                ref = attrs.get("r")
                state.row_number = int(ref) if ref else state.row_number + 1
                column = 0
                row.clear()
            elif name == tag_rph:
                skip += 1

        def end(name: str) -> None:
            nonlocal collecting, skip, in_formula
            if name == tag_c:
                value = value_of(kind, "".join(buffer), style) if buffer else None
                if value is None and has_formula:
                    value = Uncalculated("".join(formula))
                if value is not None:
                    if column > limits.columns:
                        raise too_wide(column, limits)
                    if len(row) < column - 1:
                        row.extend([None] * (column - 1 - len(row)))
                    row.append(value)
            elif name == tag_v or name == tag_t:
                collecting = False
            elif name == tag_f:
                in_formula = False
            elif name == tag_row:
                done.append((state.row_number, tuple(row)))
            elif name == tag_rph:
                skip -= 1

        def text(data: str) -> None:
            nonlocal chars
            if collecting:
                chars += len(data)
                if chars > limits.cell_chars:
                    raise too_long(chars, limits)
                buffer.append(data)
            elif in_formula and len(formula) < 100:
                formula.append(data)

        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        return parser

    def read(self, chunks: Iterable[bytes]) -> Iterator[Row]:
        parser = self.parser()
        for chunk in chunks:
            parser.Parse(chunk, False)
            if self.done:
                yield from self.done
                self.done.clear()
        parser.Parse(b"", True)
        yield from self.done
        self.done.clear()


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return
        yield chunk


def sheet_rows(stream: IO[bytes], book: XlsxBook | _Layout) -> Iterator[Row]:
    """(row number, values) of each row element of a worksheet XML stream; refused
    (`ImportRefused`) past the book's limits on bytes, rows, columns and a cell's length."""
    limits: Limits = getattr(book, "limits", DEFAULT_LIMITS)
    count = 0
    for row in _sheet_rows(stream, book):
        count += 1
        if count > limits.rows:
            raise ImportRefused(
                N_("has more than {limit} rows, the limit of a sheet"), {"limit": limits.rows}
            )
        yield row


def _sheet_rows(stream: IO[bytes], book: XlsxBook | _Layout) -> Iterator[Row]:
    values = _Values(book)
    slow = _ExpatRows(values)
    chunks = _counted(_chunks(stream), values.limits)
    head = b""
    for chunk in chunks:
        head += chunk
        if b"<sheetData" in head or len(head) > _HEAD_LIMIT:
            break
    start = _plain_start(head)
    if start is None:
        yield from slow.read(_prepend(head, chunks))
        return
    root, offset = start
    yield from _FastRows(values, slow, root).read(head[offset:], chunks)


def _counted(chunks: Iterator[bytes], limits: Limits) -> Iterator[bytes]:
    """The chunks, refused once they add up to more than a sheet may hold."""
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > limits.sheet_bytes:
            raise ImportRefused(
                N_("a sheet unpacks to more than the limit of {limit}"),
                {"limit": size_text(limits.sheet_bytes)},
            )
        yield chunk


def _prepend(first: bytes, chunks: Iterable[bytes]) -> Iterator[bytes]:
    yield first
    yield from chunks


def _plain_start(head: bytes) -> tuple[bytes, int] | None:
    """(root start tag, offset after `<sheetData>`) if the sheet can be read fast.

    That is: UTF-8, the main namespace as the default one, and nothing before the
    rows that could change what they mean (a DTD declaring entities, a comment).
    """
    declaration = _DECLARATION.match(head)
    body = 0
    if declaration is not None:
        encoding = _ENCODING.search(declaration.group(0))
        if encoding is not None and encoding.group(2).lower() not in (b"utf-8", b"utf8"):
            return None
        body = declaration.end()
    elif head.startswith(codecs.BOM_UTF8):
        body = len(codecs.BOM_UTF8)
    at = head.find(b"<sheetData>", body)
    if at < 0:
        return None
    try:
        text = head[body:at].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "<!" in text or "<?" in text:
        return None
    root = _ROOT.search(text)
    if root is None or text[: root.start()].strip() or not _DEFAULT_NS.search(root.group(0)):
        return None
    return root.group(0).encode("utf-8"), at + len(b"<sheetData>")


class _FastRows:
    """The rows of the plain shape by regular expression; any other row by expat.

    Works on the undecoded bytes: the expressions accept only ASCII markup, and
    each text is decoded (and so checked as UTF-8) on its own; a text that
    recurs is decoded once and the same string is handed out again.
    """

    def __init__(self, values: _Values, slow: _ExpatRows, root: bytes):
        self.values = values
        self.slow = slow
        self.root = root
        self.columns: dict[bytes, int] = {}
        self.date_styles = {str(s).encode() for s in values.date_formats}
        self.percent_styles = {str(s).encode() for s in values.percent_formats}
        self.date_cache: dict[bytes, dict[bytes, object]] = {}
        self.texts: dict[bytes, str] = {}

    def read(self, first: bytes, chunks: Iterator[bytes]) -> Iterator[Row]:
        text = b""
        data: bytes | None = first
        while True:
            final = data is None
            if data:
                text = text + data if text else data
            done: list[Row] = []
            pos, state = self._rows(text, done, final)
            yield from done
            if state == "end":
                for _chunk in chunks:  # to the end, so that the zip's checksum is checked
                    pass
                return
            if state == "other" or final:
                yield from self._rest(text[pos:], chunks)
                return
            text = text[pos:]
            if len(text) > self.values.limits.row_bytes:
                raise ImportRefused(
                    N_("row {row} is larger than the limit of {limit}"),
                    {
                        "row": self.slow.row_number + 1,
                        "limit": size_text(self.values.limits.row_bytes),
                    },
                )
            data = next(chunks, None)

    def _rest(self, text: bytes, chunks: Iterator[bytes]) -> Iterator[Row]:
        """The rest of the sheet by expat, from a point between two rows."""
        yield from self.slow.read(_prepend(self.root + b"<sheetData>" + text, chunks))

    def _rows(self, text: bytes, done: list[Row], final: bool) -> tuple[int, str]:
        """Read the complete rows at the start of `text` into `done`.

        Returns where reading stopped and why: "more" (a row goes on past the
        text), "end" (`</sheetData>`), "other" (something for expat to read).
        """
        match = _ROW.match
        cells_of = self._cells
        slow = self.slow
        pos = 0
        while True:
            m = match(text, pos)
            if m is not None:
                number, cells = m.groups()
                row = cells_of(cells) if cells else []
                if row is not None:
                    pos = m.end()
                    slow.row_number = int(number)
                    done.append((slow.row_number, tuple(row)))
                    continue
            if _END.match(text, pos):
                return pos, "end"
            end = text.find(_ROW_END, pos)
            if end < 0:
                return pos, ("other" if final else "more")
            stop = self._slow_row(text, pos, end + len(_ROW_END), done)
            if stop is None:
                return pos, "other"
            pos = stop

    def _cells(self, cells: bytes) -> list[object] | None:
        """The values of a row's cells; None if the row needs expat."""
        columns = self.columns
        date_styles = self.date_styles
        texts = self.texts
        row: list[object] = []
        value: object
        for ref, style, kind, raw, inline in _CELL.findall(cells):
            if kind == b"inlineStr":
                if not inline:
                    continue
                value = texts.get(inline)
                if value is None:
                    value = self._text(inline)
                    if value is None:
                        return None
                    if len(value) > self.values.limits.cell_chars:
                        raise too_long(len(value), self.values.limits)
            elif not raw:
                continue
            elif kind == b"n" or not kind:
                if style in date_styles:
                    value = self._date(style, raw)
                elif style in self.percent_styles:
                    value = Percent(float(raw))
                elif b"." in raw or b"E" in raw or b"e" in raw:
                    value = float(raw)
                else:
                    value = int(raw)
            else:
                text = self._text(raw)
                if text is None:
                    return None
                value = self.values.value(kind.decode(), text, int(style) if style else 0)
                if value is None:
                    continue
            column = columns.get(ref)
            if column is None:
                column = _column_index(ref.decode())
                if column > self.values.limits.columns:
                    raise too_wide(column, self.values.limits)
                columns[ref] = column
            if len(row) < column - 1:
                row.extend([None] * (column - 1 - len(row)))
            row.append(value)
        return row

    def _text(self, raw: bytes) -> str | None:
        """Character data as XML reads it; None where expat is to say (an unknown entity,
        a byte that is not UTF-8)."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if _NOT_XML.search(text):
            return None
        if "&" in text or "\r" in text:
            unescaped = _unescape(text)
            if unescaped is None:
                return None
            text = unescaped
        if len(self.texts) >= 200_000:
            self.texts.clear()
        self.texts[raw] = text
        return text

    def _date(self, style: bytes, raw: bytes) -> object:
        """A date cell's value; the same few dates recur down a sheet, so they are kept."""
        cache = self.date_cache.setdefault(style, {})
        value = cache.get(raw)
        if value is None:
            value = self.values.value("n", raw.decode(), int(style))
            if len(cache) < 100_000:
                cache[raw] = value
        return value

    def _slow_row(self, text: bytes, start: int, stop: int, done: list[Row]) -> int | None:
        """One row by expat; None if the text there is not one whole row element."""
        if not _ROW_START.match(text, start):
            return None
        tag_end = text.find(b">", start)
        if text[tag_end - 1 : tag_end] == b"/" and tag_end < stop:
            stop = tag_end + 1  # <row .../>
        parser = self.slow.parser()
        try:
            parser.Parse(self.root + text[start:stop] + b"</worksheet>", True)
        except expat.ExpatError:
            self.slow.done.clear()
            return None
        done.extend(self.slow.done)
        self.slow.done.clear()
        return stop


def _unescape(text: str) -> str | None:
    """Character data as XML reads it; None for an entity XML does not know."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" not in text:
        return text
    out: list[str] = []
    pos = 0
    for m in _ENTITY.finditer(text):
        if "&" in text[pos : m.start()]:
            return None
        out.append(text[pos : m.start()])
        name, decimal, hexadecimal = m.groups()
        if name:
            out.append(_NAMED[name])
        else:
            code = int(decimal) if decimal else int(hexadecimal, 16)
            if not _xml_char(code):
                return None
            out.append(chr(code))
        pos = m.end()
    if "&" in text[pos:]:
        return None
    out.append(text[pos:])
    return "".join(out)


def _xml_char(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


class _ProcessRows:
    """A sheet's rows read by a child process and sent here in batches.

    The child starts when the sheet is opened, so that its start (about half a
    second) passes while the sheets before it are imported. The child parses at
    most `_AHEAD` batches ahead of the importer, so memory stays flat.
    An error in the child (a malformed sheet, a bad zip) is raised here, after the
    rows before it, as the reader in this process would raise it. "spawn": a fork
    of a process holding database connections and (in the app) Qt threads is not
    safe.
    """

    def __init__(self, path: str | os.PathLike[str], member: str, layout: _Layout):
        context = multiprocessing.get_context("spawn")
        self.member = member
        receiver: Connection[object, _Batch]
        sender: Connection[_Batch, object]
        receiver, sender = context.Pipe(duplex=False)
        self.receiver = receiver
        self.process = context.Process(
            target=_read_in_process, daemon=True, args=(os.fspath(path), member, layout, sender)
        )
        self.process.start()
        sender.close()

    def rows(self) -> Iterator[Row]:
        try:
            while True:
                try:
                    batch = self.receiver.recv()
                except EOFError:
                    raise OSError(f"the reader of {self.member} stopped") from None
                if batch is None:
                    break
                if isinstance(batch, BaseException):
                    raise batch
                yield from batch
        finally:
            self.stop()

    def stop(self) -> None:
        """Ends the child, if the rows were not all wanted (the import stopped)."""
        self.receiver.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _read_in_process(
    path: str, member: str, layout: _Layout, sender: Connection[_Batch, object]
) -> None:
    """Parse on this thread while another sends: a batch does not fit in the pipe, so a
    parser that sent its own batches would wait for the importer to read each one
    before it could parse the next. The queue lets it run a few batches ahead."""
    ahead: queue.Queue[_Batch] = queue.Queue(maxsize=_AHEAD)

    def send() -> None:
        try:
            while True:
                item = ahead.get()
                sender.send(item)
                if item is None or isinstance(item, BaseException):
                    return
        except OSError:  # the importer stopped reading (it closed its end)
            while True:  # let the parser finish without blocking on a full queue
                item = ahead.get()
                if item is None or isinstance(item, BaseException):
                    return

    sending = threading.Thread(target=send, daemon=True)
    sending.start()
    batch: list[Row] = []
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
            for row in sheet_rows(stream, layout):
                batch.append(row)
                if len(batch) >= _BATCH:
                    ahead.put(batch)
                    batch = []
            ahead.put(batch)
        ahead.put(None)
    except Exception as exc:  # handed to the importing process, which reports it
        if batch:
            ahead.put(batch)
        try:
            pickle.dumps(exc)
        except Exception:
            exc = OSError(str(exc))
        ahead.put(exc)
    finally:
        sending.join()
        sender.close()
