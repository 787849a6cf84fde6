"""Terminal output: tables that line up with Chinese text, JSON with exact amounts."""

from __future__ import annotations

import datetime as dt
import enum
import json
import sys
import unicodedata
from collections.abc import Sequence
from decimal import Decimal


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
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
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_default)
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
