"""The pack and the screen say a review's returns in the same words: for the same span the
same label, the same figure to two decimals or the same reason where there is none, and
the same notes (reviewdesk/review/returns_text.py serves both)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QLabel, QTableWidget

from reviewdesk.book.enums import AssetClass, FlowKind
from reviewdesk.book.flows import record_flow
from reviewdesk.gui.review_page import ReviewPage, load_review
from reviewdesk.gui.review_sections import Fmt
from reviewdesk.i18n import set_language, translator
from reviewdesk.pack.context import PackContext
from reviewdesk.pack.produce import make_pack
from reviewdesk.review import returns_text as said
from reviewdesk.review.returns import NoReturn, Span
from reviewdesk.settings import Settings
from tests import factories as f
from tests.conftest import AS_OF
from tests.gui.returns_books import client_ctx

TWR_COLUMN, MWR_COLUMN = 6, 7


def _add_client(session) -> int:
    """Three reviews. 30 Jun 2024: a dollar deposit and no dollar rate (no rate for the
    first period). 31 Dec 2025: a home and no financial assets. 31 Mar 2026: 150,000 in
    a fund after 100,000 put in that very day: nothing was at work over the last period,
    so its returns are not defined. Since the first review is longer than a year
    (annualised); the last 12 months start at the first review after 31 Mar 2025."""
    client = f.client("W1", "唐思远")
    client.snapshots = [
        f.snapshot(dt.date(2024, 6, 30), f.holding("美元存款", "1000", currency="USD")),
        f.snapshot(
            dt.date(2025, 12, 31),
            f.holding("自住房", "3000000", asset_class=AssetClass.PROPERTY),
        ),
        f.snapshot(
            dt.date(2026, 3, 31),
            f.holding("自住房", "3000000", asset_class=AssetClass.PROPERTY),
            f.holding("稳健基金", "150000"),
        ),
    ]
    session.add(client)
    session.flush()
    record_flow(session, client.id, dt.date(2026, 3, 31), D(100000), FlowKind.DEPOSIT, today=AS_OF)
    return client.id


@pytest.fixture
def words_ctx(book):
    return client_ctx(book, _add_client)


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pack_and_the_screen_say_the_same_returns(qtbot, words_ctx, book, lang):
    set_language(lang)
    review, dates = load_review(words_ctx, words_ctx.client_id)
    returns = review.returns
    # the case: a missing rate, an undefined return and an annualised span
    first = returns.span(Span.SINCE_FIRST)
    previous = returns.span(Span.SINCE_PREVIOUS)
    assert first.annualised and first.no_twr is NoReturn.NO_RATE and first.mwr is None
    assert previous.no_twr is previous.no_mwr is NoReturn.UNDEFINED
    assert returns.span(Span.LAST_12_MONTHS).shorter

    page = ReviewPage(words_ctx)
    qtbot.addWidget(page)
    page.show_review(review, dates)
    table = page.findChild(QTableWidget, "returnsTable")
    rows = [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
    notes = [label.text() for label in page.findChildren(QLabel, "returnsNote")]

    with book.session() as session:
        pack = make_pack(session, words_ctx.client_id, settings=Settings(), today=AS_OF, lang=lang)
    text = _flat("".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.data)).pages))

    _ = translator(lang)
    words = {
        NoReturn.NO_RATE: _("no rate"),
        NoReturn.UNDEFINED: _("not defined"),
    }
    assert len(rows) == len(returns.spans) == 4
    for row, span in zip(rows, returns.spans, strict=True):
        # the span's row of the pack: its label, its start, the amounts, then its returns
        twr, mwr = row[TWR_COLUMN], row[MWR_COLUMN]
        assert twr == words[span.no_twr] and mwr == words[span.no_mwr]
        start = _("from {date}").format(date=span.start.isoformat())
        assert _flat(row[0] + start) in text
        assert _flat(twr + mwr) in text.split(_flat(row[0] + start), 1)[1]
    assert rows[-1][0] == _("{span} (annualised)").format(span=_(Span.SINCE_FIRST.label))
    assert rows[2][1] == "2025-12-31*"  # the last 12 months start later than their name
    # every note of the screen is in the pack, both faces writing a date in a sentence as
    # the pack does ("31 Mar 2026"); the pack says too that its amounts are to the smallest
    # unit of the currency (the screen's are shorter)
    assert len(notes) >= 6
    assert notes[1:] == said.notes(returns, lang, to_the_unit=False, date=Fmt(review, lang).said)
    printed = said.notes(returns, lang, to_the_unit=False, date=PackContext(review, lang, 1).date)
    for note in [notes[0], *printed[:-1]]:
        assert _flat(note) in text, note
    rounding = _flat(notes[-1])
    assert rounding.rstrip(".。") + ("；" if lang == "zh" else ";") in text
    if lang == "en":
        assert any(n.startswith("No rate: a review lacks an exchange rate for USD") for n in notes)
        assert any(n.startswith("Not defined:") for n in notes)
        assert any(
            n.startswith("* Last 12 months: there is no review on 31 Mar 2025") for n in notes
        )
        assert any("annualised" in n for n in notes)
    page.close()
