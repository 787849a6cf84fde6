"""The look of the pack's tables, in one place."""

from __future__ import annotations

from reportlab.platypus import Table, TableStyle

from reviewdesk.pack.context import BAND, INK, RULE


def data_table(rows, widths, *, header_rows: int = 1, extra=()) -> Table:
    """A table with a repeated header, hairline rules and room for long wrapped names."""
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, INK),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
        *extra,
    ]))
    return table


def band(row: int) -> tuple:
    return ("BACKGROUND", (0, row), (-1, row), BAND)
