"""Opening a recent team book checks the connection off the UI thread: a server that does
not answer leaves the window responsive, with a busy indicator, and ends in one sentence."""

from __future__ import annotations

import socket
import time

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from reviewdesk.app import AppContext
from reviewdesk.gui import team_book
from reviewdesk.gui.books import Books
from reviewdesk.gui.team_book import TeamAddress, TeamBookDialog
from tests.conftest import AS_OF


def test_a_server_that_does_not_answer_leaves_the_window_responsive(qtbot, monkeypatch):
    # A listening socket that never accepts and never answers: the connection waits.
    silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    silent.bind(("127.0.0.1", 0))
    silent.listen(0)
    port = silent.getsockname()[1]
    monkeypatch.setattr(team_book, "CONNECT_TIMEOUT", 2)
    monkeypatch.setenv("PGPASSWORD", "any")  # a password at hand: the check starts at once
    books = Books(AppContext(today=AS_OF))
    address = TeamAddress("127.0.0.1", port, "branch", "wang")
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    try:
        started = time.monotonic()
        busy = books.open_team_url(address.url())
        assert time.monotonic() - started < 1  # the call returns at once
        assert isinstance(busy, QProgressDialog) and busy.isVisible()
        assert "Connecting to 127.0.0.1" in busy.labelText()
        qtbot.waitUntil(lambda: isinstance(books.dialog, TeamBookDialog), timeout=15_000)
    finally:
        timer.stop()
        silent.close()
    waited = time.monotonic() - started
    assert waited >= 1.5  # the check did wait for the server...
    # ...while the event loop kept running: the timer fired all along
    assert len(ticks) >= waited / 0.05 / 3
    assert max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 0.5
    dialog = books.dialog
    text = dialog.problem.text()
    assert dialog.isVisible()
    assert text == (
        f"The server 127.0.0.1:{port} cannot be reached: check its name and port, and that "
        "you are on the bank's network."
    )
    assert not (shiboken6.isValid(busy) and busy.isVisible())  # the busy dialog is gone
    dialog.close()
    QApplication.processEvents()
