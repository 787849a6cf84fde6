"""A second window on a book another one holds: it says so, and offers no editing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from reviewdesk.app import AppContext
from reviewdesk.book import locking
from reviewdesk.book.db import open_book
from reviewdesk.i18n import set_language
from tests.conftest import AS_OF, PASSPHRASE
from tests.gui.conftest import open_client


@pytest.fixture
def second_window(qtbot, qapp, demo_book, monkeypatch):
    """The book opened while another program holds its lock: read-only, by the lock."""
    from reviewdesk.gui.main import configure_application
    from reviewdesk.gui.mainwindow import MainWindow

    other = locking.Holder(pid=4242, host="desk-2", user="colleague", since="2026-06-15T09:00")
    monkeypatch.setattr(locking, "acquire", lambda _path: other)
    book = open_book(str(demo_book.path), passphrase=PASSPHRASE)
    assert book.read_only and "open by" in book.read_only_reason
    ctx = AppContext(db=str(demo_book.path), today=AS_OF)
    ctx._book = book
    configure_application(qapp)
    set_language("en")
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.list_loaded, timeout=10_000):
        w.show()
    yield w
    book.close()


def _editable(widget) -> bool:
    if not widget.isEnabled():
        return False
    if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit | QAbstractSpinBox):
        return not widget.isReadOnly()
    if isinstance(widget, QAbstractItemView):
        return widget.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
    return isinstance(widget, QAbstractButton | QComboBox)


def test_the_second_window_says_read_only_and_disables_editing(qtbot, second_window):
    window = second_window
    banner = window.findChild(QLabel, "readOnlyBanner")
    assert banner is not None and banner.isVisible()
    assert window.ctx.book.read_only_reason in banner.text() and "read-only" in banner.text()
    assert banner.mapTo(window, banner.rect().topLeft()).y() <= window.menuBar().height() + 40

    name = window.proxy.index(0, 0).data()
    open_client(qtbot, window, name)
    for action in (
        window.new_client_action,
        window.log_contact_action,
        window.delete_client_action,
        window.import_action,
    ):
        assert not action.isEnabled(), action.objectName()
    assert window.export_client_action.isEnabled()  # reading out is still fine

    workspace = window.workspace
    holdings = workspace.holdings
    assert not holdings.add_holding_button.isEnabled()
    assert not holdings.new_review_button.isEnabled()
    assert holdings.snapshot_combo.isEnabled()  # the snapshots can still be browsed
    if holdings.snapshot_combo.count() > 1:
        holdings.snapshot_combo.setCurrentIndex(1)
        assert not holdings.add_holding_button.isEnabled()
    for tab in (workspace.profile, holdings, workspace.insurance, workspace.risk):
        editable = [
            w.objectName() or type(w).__name__
            for w in tab.findChildren(QWidget)
            if w is not holdings.snapshot_combo and _editable(w)
        ]
        assert editable == [], (type(tab).__name__, editable)
    assert not workspace.documents.add_button.isEnabled()
    assert not workspace.documents.remove_button.isEnabled()
    assert workspace.documents.open_button.isEnabled()

    # The banner stays, and follows the language.
    set_language("zh")
    window.retranslate()
    assert banner.isVisible() and "只读" in banner.text()


def test_a_writable_window_has_no_banner(window):
    banner = window.findChild(QLabel, "readOnlyBanner")
    assert banner is not None and not banner.isVisible()
    assert window.new_client_action.isEnabled()


def test_the_second_window_offers_no_settings_nor_contact_logging(qtbot, second_window):
    """Settings, and logging a contact from the agenda and the calendar, are editing too."""
    from PySide6.QtCore import QPoint

    from reviewdesk.gui.agenda_page import action_text

    window = second_window
    assert not window.settings_action.isEnabled()
    window.settings_action.trigger()  # a shortcut on a disabled action does nothing
    assert not [w for w in window.findChildren(QWidget, "settingsDialog") if w.isVisible()]

    window.show_page("agenda")
    agenda = window.agenda
    qtbot.waitUntil(lambda: agenda.agenda is not None, timeout=10_000)
    lines = agenda.lines()
    kinds = {line.action for line in lines}
    assert "contact" in kinds  # the demo's week has contacts due
    shown = {agenda.model._text(line, 4) for line in lines}
    assert shown == {"Open client"}, shown
    assert action_text(next(ln for ln in lines if ln.action == "contact")) == "Log contact"
    opened: list[int] = []
    agenda.open_client.connect(opened.append)
    contact_line = next(ln for ln in lines if ln.action == "contact")
    agenda.activate(contact_line)
    assert opened == [contact_line.client_id] and agenda.dialog is None
    review_line = next((ln for ln in lines if ln.action == "review"), None)
    if review_line is not None:
        started: list[int] = []
        agenda.start_review.connect(started.append)
        agenda.activate(review_line)
        assert started == []

    window.show_page("calendar")
    calendar = window.calendar
    qtbot.waitUntil(lambda: calendar.grid is not None, timeout=10_000)
    model = calendar.model
    today_col = calendar.grid.day_index(window.ctx.today)
    row = next(
        r for r in range(model.rowCount()) if not model.contacts_at(model.index(r, today_col))
    )
    index = model.index(row, today_col)
    assert "click" not in model.data(index, Qt.ItemDataRole.ToolTipRole)
    calendar.cell_clicked(index)
    assert calendar.dialog is None
    marked = next(
        (
            model.index(r, c)
            for r in range(model.rowCount())
            for c in range(today_col + 1)
            if model.contacts_at(model.index(r, c))
        ),
        None,
    )
    if marked is not None:
        calendar.cell_clicked(marked)
        assert calendar.dialog is None
    calendar.view.scrollTo(index)
    calendar._context_menu(calendar.view.visualRect(index).center() + QPoint(0, 0))
    menu = calendar.menu
    assert menu is not None
    entries = {a.text(): a.isEnabled() for a in menu.actions() if a.text()}
    assert entries["Log a contact"] is False and entries["Start review"] is False
    assert entries["Open client"] is True
    assert "read-only" in calendar.legend.text()
    menu.close()
