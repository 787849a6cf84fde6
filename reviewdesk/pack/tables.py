"""The look of the pack's tables, in one place.

Short Latin cells (amounts, dates, risk levels) are plain strings styled per
cell: a Paragraph per number would triple the time of a long holdings table.
Names and translated labels, which may hold Chinese and may wrap, are
Paragraphs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeAlias

from reportlab.lib.colors import Color
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from reviewdesk.pack import fonts
from reviewdesk.pack.context import BAND, INK, RULE

CELL_SIZE = 8.5
PADDING = 4  # left and right of every cell
AFTER_TABLE = 6  # points between a table (its last rule or its footnote) and what follows

# A TableStyle command: its name, the first and the last cell, then its values.
TableCommand: TypeAlias = tuple[object, ...]
# A NOSPLIT command as reportlab keeps it: its name, the first and the last cell.
NoSplit: TypeAlias = tuple[str, tuple[int, int], tuple[int, int]]
# A table cell: a plain string (styled by commands) or a flowable (a Paragraph).
Cell: TypeAlias = str | Flowable


def together(*parts: Flowable | Sequence[Flowable]) -> KeepTogether:
    """One block on one page. Blocks inside are opened up: reportlab wraps a KeepTogether
    to an endless height, so one nested in another always forced a page break."""
    flat: list[Flowable] = []
    for part in parts:
        items = part if isinstance(part, list | tuple) else [part]
        for item in items:
            if isinstance(item, KeepTogether):
                flat.extend(together(*item._content)._content)
            elif not isinstance(item, CondPageBreak):
                flat.append(item)
    return KeepTogether(flat)


KEEP_WITH_FOOTNOTE = 2  # data rows that stay on the footnote's page


class PackCellStyle(CellStyle):  # type: ignore[misc]  # reportlab has no type information
    """The look of a cell of a pack's data table, before the table's own commands."""

    valign = "TOP"
    fontname = fonts.LATIN
    fontsize = CELL_SIZE
    leading = 11
    color = INK
    topPadding = 3
    bottomPadding = 3
    leftPadding = PADDING
    rightPadding = PADDING


class PackTable(Table):  # type: ignore[misc]  # reportlab has no type information
    """A table that works out once which cells its spans and no-split ranges cover.

    reportlab works them out again, over every cell, each time the table is measured
    (three or four times for a long one: to keep a heading with it, to split it across
    pages, to draw it), though they depend only on the commands and the table's shape."""

    _known: dict[str, tuple[object, dict[object, object], list[object], list[object]]]
    _nosplitCmds: list[NoSplit]
    # (width, height, the whole table's height or None) of the last measure: see _calc.
    _measured: tuple[float, float, float | None] | None = None

    def _calc(self, availWidth: float, availHeight: float) -> None:
        """Measure the rows and columns for this room, unless the last measure holds.

        A long table is measured again and again with the same width: to keep a heading
        with it (in an endless height), to split it, to place it, once more to place it.
        Only the width decides the measure, save that reportlab stops measuring rows once
        they overflow the height (`_longTableOptimize`): a measure that took in every row
        holds for any height at least the table's; any other, for the same height only."""
        last = self._measured
        if (
            last is not None
            and last[0] == availWidth
            and (last[1] == availHeight or (last[2] is not None and availHeight >= last[2]))
        ):
            return
        super()._calc(availWidth, availHeight)
        whole = None not in self._rowHeights
        self._measured = (availWidth, availHeight, self._height if whole else None)

    def _calcSpanRanges(self) -> None:
        self._once("span", self._spanCmds, super()._calcSpanRanges, "_spanRanges")

    def _calcNoSplitRanges(self) -> None:
        self._once("nosplit", self._nosplitCmds, self._calc_joined_no_split, "_nosplitRanges")

    def _calc_joined_no_split(self) -> None:
        """The no-split ranges, those that share a row joined into one.

        reportlab keeps one range per first cell and blanks the cells of every later range:
        a group's title kept with its first row (rows 14-15) thus erased the footnote's
        last rows (14-16), and a page break left the footnote alone under a repeated header.
        Joined, every rule holds: a break falls where none of them forbids it."""
        given = self._nosplitCmds
        self._nosplitCmds = joined_no_split(given, self._nrows)
        try:
            super()._calcNoSplitRanges()
        finally:
            self._nosplitCmds = given

    def _once(
        self, kind: str, commands: Sequence[object], work: Callable[[], None], name: str
    ) -> None:
        cells = "_colSpanCells" if kind == "span" else "_colNoSplitCells"
        rows = "_rowSpanCells" if kind == "span" else "_rowNoSplitCells"
        key = (self._ncols, self._nrows, tuple(commands))
        known = self.__dict__.setdefault("_known", {}).get(kind)
        if known is not None and known[0] == key:
            # Copies: what reportlab does with them afterwards is its own business.
            setattr(self, name, dict(known[1]))
            setattr(self, cells, list(known[2]))
            setattr(self, rows, list(known[3]))
            return
        work()
        self._known[kind] = (
            key,
            dict(getattr(self, name)),
            list(getattr(self, cells)),
            list(getattr(self, rows)),
        )


def joined_no_split(commands: Sequence[NoSplit], nrows: int) -> list[NoSplit]:
    """NOSPLIT commands as row ranges across the table, those sharing a row joined: the
    rows a page break may not fall between are the same, and no range erases another. A
    range of one row forbids no break and is left out."""
    spans = sorted(
        sorted((y0 + nrows if y0 < 0 else y0, y1 + nrows if y1 < 0 else y1))
        for _name, (_x0, y0), (_x1, y1) in commands
    )
    joined: list[list[int]] = []
    for first, last in spans:
        if joined and first <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], last)
        else:
            joined.append([first, last])
    return [("NOSPLIT", (0, first), (-1, last)) for first, last in joined if last > first]


def data_table(
    rows: Iterable[Sequence[Cell]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    extra: Iterable[TableCommand] = (),
    right_from: int | None = None,
    footnote: Flowable | None = None,
) -> Table:
    """A table with a repeated header, hairline rules and room for long wrapped names.

    `footnote` (a flowable) becomes the table's last row, spanning every column, kept on
    one page with the last rows: a page break never leaves a footnote alone.
    """
    rows = list(rows)
    if footnote is not None:
        rows.append([footnote] + [""] * (len(widths) - 1))
    # Every cell starts from the look of a pack cell (PackCellStyle) rather than from
    # reportlab's, which nine commands would then set cell by cell.
    styles = [[PackCellStyle(repr((i, j))) for j in range(len(widths))] for i in range(len(rows))]
    table = PackTable(
        rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT", cellStyles=styles
    )
    commands: list[TableCommand] = [
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, INK),
        ("LINEBELOW", (0, header_rows), (-1, -2 if footnote is not None else -1), 0.25, RULE),
    ]
    if footnote is not None:
        last = len(rows) - 1
        commands += [
            ("SPAN", (0, last), (-1, last)),
            ("LEFTPADDING", (0, last), (-1, last), 0),
            ("TOPPADDING", (0, last), (-1, last), 4),
            ("NOSPLIT", (0, max(header_rows, last - KEEP_WITH_FOOTNOTE)), (-1, last)),
        ]
    if right_from is not None:
        commands.append(("ALIGN", (right_from, 0), (-1, -1), "RIGHT"))
    table.setStyle(TableStyle(commands + list(extra)))
    return table


def then(items: list[Flowable], following: Sequence[Flowable]) -> list[Flowable]:
    """`items` and then `following`, spaced from a table that ends `items` as every
    section spaces what follows a table."""
    if following and items and isinstance(items[-1], Table):
        return [*items, Spacer(1, AFTER_TABLE), *following]
    return [*items, *following]


def band(row: int) -> TableCommand:
    return ("BACKGROUND", (0, row), (-1, row), BAND)


def group_title(row: int) -> list[TableCommand]:
    """A group's title row (an asset class, an insured person): banded, and kept on one
    page with the group's first row, so that a page never ends on a title whose rows are
    all overleaf."""
    return [band(row), ("NOSPLIT", (0, row), (-1, row + 1))]


def plain(
    commands: list[TableCommand],
    row: int,
    col: int,
    text: str,
    *,
    bold: bool = False,
    colour: Color | None = None,
) -> str:
    """A plain-string cell; its font (one that has every character) and colour go into
    `commands`."""
    font = fonts.cell_font(text, bold)
    if font != fonts.LATIN:
        commands.append(("FONTNAME", (col, row), (col, row), font))
    if colour is not None:
        commands.append(("TEXTCOLOR", (col, row), (col, row), colour))
    return text
