"""The app used from the keyboard: the search box into the list, Tab out of a note, the
calendar's cells, the shortcuts on the toolbar, and a name for every control."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QToolButton,
    QWidget,
)

from reviewdesk.gui.contact_dialog import ContactDialog
from reviewdesk.gui.qt_language import apply_qt_language
from reviewdesk.i18n import set_language
from tests.gui.test_fit_screen import open_key_client, visit_everything


@pytest.mark.parametrize("key", [Qt.Key.Key_Down, Qt.Key.Key_Return])
def test_down_or_enter_in_the_search_box_goes_into_the_list(qtbot, window, key):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    # The first letter of the first name in the list's order (Chinese names by pinyin).
    first = window.model.rows[0].summary.sort_name[:1]
    qtbot.keyClicks(window.search, first)
    assert window.proxy.rowCount() > 1
    qtbot.keyClick(window.search, key)
    assert window.table.hasFocus()
    current = window.table.currentIndex()
    assert current.isValid() and current.row() == 0
    assert window.table.selectionModel().isRowSelected(0)
    qtbot.waitUntil(lambda: window.workspace.client_id is not None, timeout=5000)
    # and the next Down goes on to the second row, as in any list
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.table.currentIndex().row() == 1


def test_tab_leaves_the_contact_notes(qtbot, ctx):
    dialog = ContactDialog(ctx, 1, "Client", dt.date(2026, 6, 1))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for note in dialog.findChildren(QPlainTextEdit) + dialog.findChildren(QTextEdit):
        assert note.tabChangesFocus(), note.objectName()
    dialog.summary.setFocus()
    qtbot.waitUntil(dialog.summary.hasFocus)
    qtbot.keyClick(dialog.summary, Qt.Key.Key_Tab)
    assert not dialog.summary.hasFocus()
    assert "\t" not in dialog.summary.toPlainText()


def test_profile_notes_let_tab_move_on(qtbot, window):
    open_key_client(qtbot, window)
    for note in window.workspace.findChildren(QPlainTextEdit) + window.workspace.findChildren(
        QTextEdit
    ):
        assert note.tabChangesFocus(), note.objectName()


def test_the_calendar_from_the_keyboard(qtbot, window, monkeypatch):
    window.show_page("calendar")
    page = window.calendar
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    view = page.view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    # the keyboard starts on today's cell of the first client
    today = page.grid.day_index(window.ctx.today)
    assert view.currentIndex().isValid()
    assert (view.currentIndex().row(), view.currentIndex().column()) == (0, today)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    index = view.currentIndex()
    assert (index.row(), index.column()) == (1, today - 1)

    opened = []
    monkeypatch.setattr(
        type(page),
        "open_dialog",
        lambda self, row, day, contact_id=None: opened.append((row, day, contact_id)),
    )
    qtbot.keyClick(view, Qt.Key.Key_Return)
    row, day, contact_id = opened[-1]
    assert row is page.model.rows[1] and day == window.ctx.today - dt.timedelta(days=1)
    # a day with a contact opens that contact
    marked = next(
        (r, c)
        for r, calendar_row in enumerate(page.model.rows)
        for c in sorted(calendar_row.cells)
        if c < page.model.day_count
    )
    view.setCurrentIndex(page.model.index(*marked))
    qtbot.keyClick(view, Qt.Key.Key_Enter)
    assert opened[-1][2] == page.model.rows[marked[0]].cells[marked[1]][-1].contact_id


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_toolbar_button_names_its_shortcut(qtbot, window, lang):
    set_language(lang)
    apply_qt_language(lang)
    window.retranslate()
    checked = 0
    for action in window.toolbar.actions():
        if action.isSeparator() or action.shortcut().isEmpty():
            continue
        button = window.toolbar.widgetForAction(action)
        assert isinstance(button, QToolButton)
        native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert native in button.toolTip(), (button.toolTip(), native)
        assert action.text().replace("&", "").rstrip("…") in button.toolTip()
        checked += 1
    assert checked >= 10
    preview = window.toolbar.widgetForAction(window.preview_action)
    if lang == "en":
        shortcut = window.preview_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert preview.toolTip() == f"Preview pack ({shortcut})"


INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QAbstractSpinBox,
    QComboBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
)


def unnamed_controls(root: QWidget) -> list[str]:
    """The interactive widgets a screen reader would announce without a name."""
    buddies = {
        id(label.buddy())
        for label in root.findChildren(QLabel)
        if label.buddy() is not None and label.text()
    }
    missing = []
    for widget in root.findChildren(QWidget):
        # a header and a tab bar are parts of their view and tab widget, named with them
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, QTabBar | QHeaderView):
            continue
        if not widget.isVisibleTo(root):
            continue
        # Qt's own parts of a compound widget (a scroll bar's buttons, a header) are named
        # through their owner.
        if widget.objectName().startswith("qt_") or isinstance(widget.parentWidget(), QComboBox):
            continue
        if widget.accessibleName().strip() or id(widget) in buddies:
            continue
        if isinstance(widget, QAbstractButton) and widget.text().strip().strip("&"):
            continue
        owner = type(widget.parentWidget()).__name__
        missing.append(f"{type(widget).__name__} {widget.objectName()!r} in {owner}")
    return missing


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_control_of_every_page_has_a_name(qtbot, window, lang):
    open_key_client(qtbot, window)
    set_language(lang)
    apply_qt_language(lang)
    window.retranslate()
    visit_everything(qtbot, window)
    missing = unnamed_controls(window.toolbar)
    for name in ("agenda", "calendar", "segments"):
        window.show_page(name)
        qtbot.wait(50)
        missing += unnamed_controls(window.page(name))
    window.show_page("clients")
    tabs = window.workspace.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        qtbot.wait(50)
        missing += unnamed_controls(window.splitter)
    assert sorted(set(missing)) == [], "\n".join(sorted(set(missing)))
