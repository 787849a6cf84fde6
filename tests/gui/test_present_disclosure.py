"""Present mode and the review page show nothing of an internal note, on any page."""

from __future__ import annotations

import pytest

from reviewdesk.app import AppContext
from reviewdesk.gui.present import PresentWindow
from reviewdesk.gui.review_page import ReviewPage, load_review
from reviewdesk.settings import save_setting
from tests.gui.conftest import figure_texts, visible_texts
from tests.review.disclosure_book import (
    DONE_STEP,
    HIDDEN_STEP,
    INTERNAL_STEP,
    NOTE,
    NOTE_WORDS,
    OPEN_STEP,
    SHARED_NOTE,
    SOONER_STEP,
    SPECIAL_NOTES,
    TODAY,
    add_client,
    disclosure_book,
)

SECRETS = (NOTE, *NOTE_WORDS, INTERNAL_STEP, HIDDEN_STEP, DONE_STEP, SPECIAL_NOTES)


@pytest.fixture
def ctx(tmp_path):
    book = disclosure_book(tmp_path / "b.sqlite")
    assert book.encrypted
    ctx = AppContext(db=book.url, today=TODAY, user="tester", _book=book)
    ctx.client_id = add_client(book)
    yield ctx
    book.close()


def every_page(qtbot, ctx, lang: str) -> str:
    review, _dates = load_review(ctx, ctx.client_id)
    window = PresentWindow(review, lang=lang, full_screen=False)
    qtbot.addWidget(window)
    window.present()
    qtbot.waitExposed(window)
    texts = []
    for index in range(window.page_count):
        window.go_to(index)
        texts.extend(visible_texts(window))
    qtbot.waitUntil(lambda: all(c.canvas is not None for c in window.charts), timeout=10000)
    for chart in window.charts:
        texts.extend(figure_texts(chart.figure))
    window.close()
    return "\n".join(texts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_page_of_present_mode_shows_an_internal_note(qtbot, ctx, lang):
    text = every_page(qtbot, ctx, lang)
    for words in SECRETS:
        assert words not in text, words
    assert OPEN_STEP in text and SOONER_STEP in text
    # no contact log at all across the desk, not even the notes shared with the client
    assert SHARED_NOTE not in text
    assert ("近期联络" if lang == "zh" else "Recent contacts") not in text
    assert "2026-07-10" in text and "2026-06-20" in text  # each next step's due date
    assert ("期限" if lang == "zh" else "Due by") in text
    assert ("内部" if lang == "zh" else "Internal") not in text  # no count either


def test_the_setting_leaves_the_section_out_of_present_mode(qtbot, ctx):
    with ctx.book.session() as session:
        save_setting(session, "pack_show_contacts", False)
    text = every_page(qtbot, ctx, "en")
    for words in (
        SHARED_NOTE,
        OPEN_STEP,
        SOONER_STEP,
        "Agreed next steps",
        "Recent contacts",
        *SECRETS,
    ):
        assert words not in text, words
    assert "Maturing in the next 90 days" in text


def test_the_managers_review_page_counts_internal_items_without_their_words(qtbot, ctx):
    page = ReviewPage(ctx)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.review_shown, timeout=10000):
        page.load(ctx.client_id)
    text = "\n".join(visible_texts(page))
    for words in SECRETS:
        assert words not in text, words
    assert SHARED_NOTE in text and OPEN_STEP in text
    assert "Internal, not shown to the client: 2 contacts and 2 open next steps." in text
