"""The window fits a 1024×700 screen in both languages, and the key figures are in view.

The window's minimum is the widest of its pages and tabs once each has been shown: a
label that neither wraps nor elides, or a row of panes side by side, sets it for all.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractItemView, QLabel, QWidget

from reviewdesk.gui.holdings_tab import HOLDING_FIELDS
from reviewdesk.gui.qt_language import apply_qt_language
from reviewdesk.i18n import set_language


def switch_language(window, lang: str) -> None:
    set_language(lang)
    apply_qt_language(lang)
    window.retranslate()


def open_key_client(qtbot, window) -> None:
    """A client with two snapshots, exchange rates and insurance, on the Review tab."""
    row = next(
        r
        for r in window.model.rows
        if r.summary.last_review is not None and r.summary.tier.value == "key"
    )
    window.show_page("clients")
    with qtbot.waitSignal(window.workspace.review_page.review_shown, timeout=10_000):
        window.select_client(row.id)
    qtbot.waitUntil(lambda: window.workspace.insurance.insurance is not None, timeout=10_000)


def effective_minimum(window) -> tuple[int, int]:
    hint, explicit = window.minimumSizeHint(), window.minimumSize()
    return max(hint.width(), explicit.width()), max(hint.height(), explicit.height())


def visit_everything(qtbot, window) -> None:
    for name in ("agenda", "calendar", "segments", "clients"):
        window.show_page(name)
        qtbot.wait(50)
        if name == "clients":
            tabs = window.workspace.tabs
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                qtbot.wait(50)


def column_in_view(view: QAbstractItemView, column: int) -> bool:
    header = view.horizontalHeader() if hasattr(view, "horizontalHeader") else view.header()
    left = header.sectionViewportPosition(column)
    return left >= 0 and left + header.sectionSize(column) <= view.viewport().width()


def inside(widget: QWidget, area: QWidget) -> bool:
    """The whole of `widget` lies within `area` (both on screen)."""
    top_left = widget.mapTo(area, QPoint(0, 0))
    return (
        top_left.x() >= 0
        and top_left.y() >= 0
        and top_left.x() + widget.width() <= area.width()
        and widget.isVisible()
    )


@pytest.mark.parametrize("first", ["en", "zh"])
def test_every_page_and_tab_leaves_the_window_able_to_shrink_to_1024x700(qtbot, window, first):
    open_key_client(qtbot, window)
    for lang in (first, "zh" if first == "en" else "en"):
        switch_language(window, lang)
        visit_everything(qtbot, window)
        width, height = effective_minimum(window)
        assert width <= 1024 and height <= 700, (lang, width, height)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.size().toTuple() == (1024, 700), timeout=2000)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_at_1024x700_the_totals_rates_and_change_are_whole(qtbot, window, lang):
    open_key_client(qtbot, window)
    switch_language(window, lang)
    visit_everything(qtbot, window)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.size().toTuple() == (1024, 700), timeout=2000)
    workspace = window.workspace

    workspace.tabs.setCurrentWidget(workspace.holdings)
    holdings = workspace.holdings
    qtbot.waitUntil(lambda: holdings.rates_view.isVisible())
    # the totals line wraps inside the tab rather than running past its edge
    assert inside(holdings.total_label, holdings)
    assert holdings.total_label.heightForWidth(holdings.total_label.width()) <= (
        holdings.total_label.height()
    )
    assert inside(holdings.rates_box, holdings)
    for column in range(holdings.rates.columnCount()):
        assert column_in_view(holdings.rates_view, column), column

    workspace.tabs.setCurrentWidget(workspace.review_page)
    page = workspace.review_page
    qtbot.waitUntil(lambda: page.body is not None and page.body.isVisible())
    change = next(
        label
        for label in page.body.findChildren(QLabel)
        if label.objectName() == "figure" and "%" in label.text()
    )
    assert inside(change, page.scroll_area.viewport())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_at_1280x800_the_key_columns_are_in_view(qtbot, window, lang):
    open_key_client(qtbot, window)
    switch_language(window, lang)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.size().toTuple() == (1280, 800), timeout=2000)
    workspace = window.workspace

    workspace.tabs.setCurrentWidget(workspace.holdings)
    view = workspace.holdings.holdings_view
    qtbot.waitUntil(view.isVisible)
    for field in ("product_name", "currency", "market_value"):
        assert column_in_view(view, HOLDING_FIELDS.index(field)), field

    workspace.tabs.setCurrentWidget(workspace.insurance)
    gaps = workspace.insurance.gaps
    qtbot.waitUntil(gaps.isVisible)
    qtbot.waitUntil(lambda: gaps.topLevelItemCount() > 0, timeout=10_000)
    for column in range(4):  # cover, held, need, gap
        assert column_in_view(gaps, column), column
