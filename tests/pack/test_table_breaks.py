"""Where a page break may fall in a pack's table: never under a repeated header with no
row, never between a footnote and the table's last rows."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from reviewdesk.pack.document import render_pack
from reviewdesk.pack.tables import KEEP_WITH_FOOTNOTE, data_table, group_title
from reviewdesk.review.build import build_review
from reviewdesk.settings import Settings
from tests.pack import layout_books as lb

VALUE_HEAD = {"en": "Value (CNY)", "zh": "市值（CNY）"}
FOOTNOTE = {"en": "Values in CNY at", "zh": "金额以 CNY 计，按"}
LAST_ROW = "Cash at bank"


@pytest.mark.parametrize(
    ("funds", "lang", "paper"), [(15, "en", "a4"), (16, "zh", "a4"), (13, "en", "letter")]
)
def test_no_repeated_header_over_only_the_footnote(book, funds, lang, paper):
    """Found: in a demo pack (C00011, English, A4) page 3 held the holdings table's
    repeated header and, under it, only the footnote. The last group's title, kept with its
    row, had erased the rule keeping the footnote with the table's last rows. Here the
    holdings table (these funds, then a cash account) reaches the page's foot at its last
    rows."""
    with book.session() as session:
        cid = lb.make_funds_then_cash(session, funds)
    with book.session() as session:
        review = build_review(session, cid, settings=Settings({}), today=dt.date(2026, 6, 10))
    pages = [
        [line.strip() for line in page.extract_text().splitlines()]
        for page in PdfReader(io.BytesIO(render_pack(review, lang, paper))).pages
    ]
    headed = [n for n, lines in enumerate(pages) if VALUE_HEAD[lang] in lines[:12]]
    assert len(headed) >= 2  # the table runs over a page: its header is repeated
    for n in headed:
        lines = pages[n]
        under = lines[lines.index(VALUE_HEAD[lang]) + 1 :]
        under = under[: next((i for i, x in enumerate(under) if FOOTNOTE[lang] in x), None)]
        assert any(line.startswith(("Fund ", LAST_ROW)) for line in under), (n + 1, under[:4])
    (noted,) = [lines for lines in pages if any(FOOTNOTE[lang] in line for line in lines)]
    assert LAST_ROW in noted


def _parts(table, width: float, height: float, first: float) -> list:
    """The table's parts when its first page has `first` points and each next `height`."""
    parts, room = [], first
    while True:
        if table.wrap(width, room)[1] <= room:
            return [*parts, table]
        split = table.split(width, room)
        if not split:  # nothing fits in this room: the whole table starts on the next page
            room = height
            continue
        head, table = split
        parts.append(head)
        room = height


@pytest.mark.parametrize("last_group", [1, 2, 3])
def test_every_break_keeps_the_footnote_with_the_last_rows(last_group):
    """For every height of the first page, however long the last group (its title kept with
    its first row), the footnote's part holds the last rows and no part is a header alone."""
    style = ParagraphStyle("small", fontSize=7, leading=9)
    rows, extra = [["Product", "Value"]], []
    for size in (6, last_group):
        extra += group_title(len(rows))
        rows.append(["Group", "1.00"])
        rows += [[f"Holding {i}", "1.00"] for i in range(size)]
    data = len(rows) - 1
    for first in range(10, 400, 3):
        table = data_table(
            [list(row) for row in rows],
            [200, 100],
            extra=extra,
            footnote=Paragraph("A footnote long enough to take two lines of the page.", style),
        )
        parts = _parts(table, 300, 400, first)
        for part in parts:
            assert len(part._cellvalues) > part.repeatRows + 1 or len(parts) == 1, first
        kept = len(parts[-1]._cellvalues) - parts[-1].repeatRows - 1
        assert kept >= min(KEEP_WITH_FOOTNOTE, data), first


def test_ranges_sharing_a_row_are_joined():
    from reviewdesk.pack.tables import joined_no_split

    commands = [
        ("NOSPLIT", (0, 14), (-1, 16)),
        ("NOSPLIT", (0, 1), (-1, 2)),
        ("NOSPLIT", (0, 14), (-1, 15)),
        ("NOSPLIT", (0, 12), (-1, 14)),
        ("NOSPLIT", (0, 5), (-1, 5)),
    ]
    assert joined_no_split(commands, 17) == [
        ("NOSPLIT", (0, 1), (-1, 2)),
        ("NOSPLIT", (0, 12), (-1, 16)),
    ]
