"""The look of the pack's tables, in one place.

Short Latin cells (amounts, dates, risk levels) are plain strings styled per
cell: a Paragraph per number would triple the time of a long holdings table.
Names and translated labels, which may hold Chinese and may wrap, are
Paragraphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeAlias

from reportlab.lib.colors import Color
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Table, TableStyle

from reviewdesk.pack import fonts
from reviewdesk.pack.context import BAND, INK, RULE

CELL_SIZE = 8.5
PADDING = 4  # left and right of every cell

# A TableStyle command: its name, the first and the last cell, then its values.
TableCommand: TypeAlias = tuple[object, ...]
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
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    commands: list[TableCommand] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), 11),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
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


def band(row: int) -> TableCommand:
    return ("BACKGROUND", (0, row), (-1, row), BAND)


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
