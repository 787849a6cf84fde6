"""Terminal output: tables that line up with Chinese text, JSON with exact amounts.

Stored text may hold what a terminal obeys (escape codes, bells, carriage returns) if it
came in before the book refused it: everything the commands print goes through `echo`,
`table` or `dump_json`, which show control characters escaped (ESC as `\\u001b`)."""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TextIO

from reviewdesk.text import escape_controls

# What JSON leaves raw with ensure_ascii=False: C1 controls, DEL and the line separators.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe(text: object) -> str:
    """One value for a line or a table cell: every control character escaped, newlines
    and tabs included."""
    return escape_controls(str(text))


def safe_fields(row: Mapping[str, object]) -> dict[str, object]:
    """A record for CSV on stdout: its texts with control characters escaped (a note's
    line ends and tabs kept, CSV quotes them)."""
    return {
        key: escape_controls(value, keep_lines=True) if isinstance(value, str) else value
        for key, value in row.items()
    }


def echo(*values: object, file: TextIO | None = None, sep: str = " ") -> None:
    """`print` for everything a command shows: the lines as given, control characters
    in them escaped (a line end stays a line end)."""
    text = sep.join(str(value) for value in values)
    print(escape_controls(text, keep_lines=True), file=file or sys.stdout)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """Columns padded to line up; each cell on one line, control characters escaped."""
    headers = [safe(h) for h in headers]
    rows = [[safe(c) for c in row] for row in rows]
    sizes = [width(h) for h in headers]
    for row in rows:
        sizes = [max(s, width(c)) for s, c in zip(sizes, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            pad(c, s, i in right) for i, (c, s) in enumerate(zip(cells, sizes, strict=True))
        )

    lines = [line(headers), "  ".join("-" * s for s in sizes)]
    lines.extend(line(row) for row in rows)
    return "\n".join(line.rstrip() for line in lines)


def _default(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dump_json(data) -> None:
    """JSON on stdout, readable Chinese; JSON escapes C0 controls itself, the rest are
    escaped here."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write(_JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
    sys.stdout.write("\n")


class Progress:
    """A one-line progress bar on stderr (only when stderr is a terminal)."""

    def __init__(self, label: str, stream=None):
        self.label = label
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.live or total <= 0:
            return
        filled = done * 30 // total
        if filled == self._last and done != total:
            return
        self._last = filled
        bar = "#" * filled + "-" * (30 - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


# A spreadsheet evaluates a CSV field that starts with one of these (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> object:
    """A CSV field a spreadsheet shows as text: one starting like a formula gets a leading
    single quote, as OWASP's guidance on CSV injection asks; other values are unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def warn_not_recorded(reason: str | None) -> None:
    """Say that a file was written from a read-only book without its record in the book."""
    from reviewdesk.i18n import _

    print(
        "{warning}: {text}".format(
            warning=_("warning"),
            text=_(
                "the book is open read-only ({reason}): the file is written, but the book "
                "could not keep its record (the audit trail does not show it)"
            ).format(reason=reason),
        ),
        file=sys.stderr,
    )
