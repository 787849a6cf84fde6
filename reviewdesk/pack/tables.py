"""The look of the pack's tables, in one place.

Short Latin cells (amounts, dates, risk levels) are plain strings styled per
cell: a Paragraph per number would triple the time of a long holdings table.
Names and translated labels, which may hold Chinese and may wrap, are
Paragraphs.
"""

from __future__ import annotations

from reportlab.platypus import Table, TableStyle

from reviewdesk.pack import fonts
from reviewdesk.pack.context import BAND, INK, RULE

CELL_SIZE = 8.5
PADDING = 4  # left and right of every cell


def data_table(rows, widths, *, header_rows: int = 1, extra=(), right_from: int | None = None
               ) -> Table:
    """A table with a repeated header, hairline rules and room for long wrapped names."""
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    commands = [
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
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
    ]
    if right_from is not None:
        commands.append(("ALIGN", (right_from, 0), (-1, -1), "RIGHT"))
    table.setStyle(TableStyle(commands + list(extra)))
    return table


def band(row: int) -> tuple:
    return ("BACKGROUND", (0, row), (-1, row), BAND)


def plain(commands: list, row: int, col: int, text: str, *, bold: bool = False,
          colour=None) -> str:
    """A plain-string cell; its font and colour go into `commands`."""
    if bold:
        commands.append(("FONTNAME", (col, row), (col, row), fonts.LATIN_BOLD))
    if colour is not None:
        commands.append(("TEXTCOLOR", (col, row), (col, row), colour))
    return text
