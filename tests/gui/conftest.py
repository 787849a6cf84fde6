"""The main window on a copy of the small demo book, as a user would see it."""

from __future__ import annotations

import sqlite3

import pytest

from reviewdesk.app import AppContext
from reviewdesk.i18n import set_language
from tests.conftest import AS_OF


@pytest.fixture
def ctx(demo_book):
    context = AppContext(db=str(demo_book.path), today=AS_OF)
    context._book = demo_book
    return context


@pytest.fixture
def window(qtbot, qapp, ctx):
    from reviewdesk.gui.main import configure_application
    from reviewdesk.gui.mainwindow import MainWindow
    from reviewdesk.gui.worker import book_worker

    configure_application(qapp)
    set_language("en")
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.list_loaded, timeout=10_000):
        w.show()
    yield w
    book_worker().waitForDone(10_000)
    qapp.processEvents()
    set_language("en")


def book_dump(book) -> list[str]:
    """Every row of the book as SQL text, to prove that nothing changed."""
    conn = sqlite3.connect(str(book.path))
    try:
        return [line for line in conn.iterdump()]
    finally:
        conn.close()


def open_client(qtbot, window, name: str):
    """Search for the client and click it in the list, as a user does."""
    window.search.clear()
    if name.isascii():
        qtbot.keyClicks(window.search, name)
    else:  # QTest cannot type Chinese; an input method commits the text whole
        window.search.insert(name)
    row = next(r for r in range(window.proxy.rowCount())
               if window.proxy.index(r, 0).data() == name)
    index = window.proxy.index(row, 0)
    rect = window.table.visualRect(index)
    from PySide6.QtCore import Qt

    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.workspace.detail is not None
                    and window.workspace.detail.client.name == name, timeout=5000)
    return window.workspace.detail.client
