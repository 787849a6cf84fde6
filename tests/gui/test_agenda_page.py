import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from reviewdesk.book.enums import Channel
from reviewdesk.book.models import Contact
from reviewdesk.gui.agenda_page import (
    COL_ACTION,
    COL_PREF,
    COL_WHY,
    COLUMNS,
    LINE_ROLE,
    AgendaModel,
    AgendaPage,
)
from reviewdesk.i18n import set_language
from reviewdesk.review.agenda import Agenda, AgendaKind
from tests.gui.contact_books import NO_CALLS, TODAY, client_id, context, fill

D = dt.date


@pytest.fixture
def page(qtbot, book):
    fill(book)
    page = AgendaPage(context(book))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.agenda is not None, timeout=5000)
    page.resize(1200, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def _groups(page):
    """The group headings, top to bottom: rows of their own, spanning the table."""
    model = page.model
    return [model.index(row, 0).data() for row in model.headings]


def _items(page):
    model = page.model
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(LINE_ROLE) is not None:
            yield index


def _heading(page, index):
    """The heading of the group `index` is in: the nearest heading row above it."""
    model = page.model
    row = index.row()
    while index.siblingAtRow(row).data(LINE_ROLE) is not None:
        row -= 1
    return model.index(row, 0).data()


def _item(page, code, kind):
    return next(
        index
        for index in _items(page)
        if index.data(LINE_ROLE).client_code == code and index.data(LINE_ROLE).kind is kind
    )


def _text(index, column):
    return index.siblingAtColumn(column).data()


def test_lines_grouped_by_day_with_why_and_preferences(page):
    groups = _groups(page)
    assert groups[0].startswith("2025-03-20  Thursday  (today)")
    assert any(g.startswith("2025-03-22  Saturday") for g in groups)
    birthday = _item(page, "A", AgendaKind.BIRTHDAY)
    assert _heading(page, birthday).startswith("2025-03-22")
    assert _text(birthday, 2) == "Birthday: turns 45"
    assert _text(birthday, COL_PREF) == NO_CALLS
    overdue = _item(page, "A", AgendaKind.REVIEW_OVERDUE)
    assert "review was due 2025-02-28" in _text(overdue, 2)
    assert _text(overdue, COL_PREF) == NO_CALLS
    assert page.table.visualRect(overdue).isValid()  # shown under its heading
    b_contact = _item(page, "B", AgendaKind.CONTACT_OVERDUE)
    assert _text(b_contact, COL_PREF) == ""
    assert "overdue, expired or missing" in page.summary.text()


def test_group_by_kind(page):
    page.group_box.setCurrentIndex(1)
    titles = _groups(page)
    assert titles[0].startswith("Review overdue")
    assert any(t.startswith("Birthday") for t in titles)


def _click_action(qtbot, page, index):
    """A click on the line's action cell, where the user sees the underlined action."""
    page.table.scrollTo(index)
    rect = page.table.visualRect(index.siblingAtColumn(COL_ACTION))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_one_click_starts_the_review(qtbot, page, book):
    item = _item(page, "A", AgendaKind.REVIEW_OVERDUE)
    assert _text(item, COL_ACTION) == "Start review"
    with qtbot.waitSignal(page.start_review, timeout=1000) as got:
        _click_action(qtbot, page, item)
    assert got.args == [client_id(book, "A")]


def test_a_click_elsewhere_on_the_line_does_nothing_and_enter_does_the_action(qtbot, page, book):
    item = _item(page, "A", AgendaKind.REVIEW_OVERDUE)
    rect = page.table.visualRect(item.siblingAtColumn(COL_WHY))
    with qtbot.assertNotEmitted(page.start_review, wait=100):
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.table.currentIndex().row() == item.row()
    with qtbot.waitSignal(page.start_review, timeout=1000) as got:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert got.args == [client_id(book, "A")]


def test_one_click_logs_the_contact_the_way_the_client_prefers(qtbot, page, book):
    item = _item(page, "A", AgendaKind.BIRTHDAY)
    assert _text(item, COL_ACTION) == "Log contact"
    with qtbot.waitSignal(page.log_contact, timeout=1000):
        _click_action(qtbot, page, item)
    dialog = page.dialog
    assert dialog.isVisible()
    assert dialog.values()["channel"] is Channel.SMS  # "prefer SMS"
    assert NO_CALLS in dialog.heading.text()
    assert dialog.values()["day"] == TODAY
    dialog.summary.setPlainText("生日祝福短信")
    with qtbot.waitSignal(page.contact_saved, timeout=5000):
        dialog.save()
    with book.session() as s:
        contact = s.scalar(select(Contact).where(Contact.summary == "生日祝福短信"))
        assert contact.channel is Channel.SMS and contact.contact_date == TODAY


def test_double_click_opens_the_client(qtbot, page, book):
    item = _item(page, "B", AgendaKind.CONTACT_OVERDUE)
    rect = page.table.visualRect(item.siblingAtColumn(1))
    with qtbot.waitSignal(page.open_client, timeout=1000) as got:
        # A real double click starts with a press: the view acts on the index pressed.
        qtbot.mousePress(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseRelease(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert got.args == [client_id(book, "B")]


def test_fewer_days_ahead_drops_the_later_lines(qtbot, page):
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.days.setValue(0)
    assert {line.day for line in page.lines()} == {TODAY}
    assert not [ln for ln in page.lines() if ln.kind is AgendaKind.BIRTHDAY]


def test_retranslate(page):

    try:
        set_language("zh")
        page.retranslate()
        assert page.title.text() == "待办"
        assert "今天" in _groups(page)[0]
        item = _item(page, "A", AgendaKind.BIRTHDAY)
        assert _text(item, 2) == "生日：45 岁"
    finally:
        set_language("en")
        page.retranslate()


def test_each_heading_is_a_row_across_the_table_that_the_keyboard_steps_over(qtbot, page, book):
    model, table = page.model, page.table
    assert model.rowCount() == len(page.lines()) + len(model.headings)
    for row in model.headings:
        heading = model.index(row, 0)
        assert table.columnSpan(row, 0) == COLUMNS
        assert model.line(heading) is None
        assert not heading.flags() & Qt.ItemFlag.ItemIsSelectable
    first = model.headings[0]
    table.setFocus()
    table.setCurrentIndex(model.index(first, 0))
    with qtbot.assertNotEmitted(page.start_review, wait=50):
        qtbot.keyClick(table, Qt.Key.Key_Return)  # a heading has no action
    qtbot.keyClick(table, Qt.Key.Key_Down)
    line = model.line(table.currentIndex())
    assert line is not None and line is page.lines()[0]
    assert table.selectionModel().isRowSelected(first + 1)
    with qtbot.waitSignal(page.start_review, timeout=1000) as got:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert got.args == [line.client_id]


def test_a_line_tells_a_screen_reader_its_group(page):
    birthday = _item(page, "A", AgendaKind.BIRTHDAY)
    description = birthday.data(Qt.ItemDataRole.AccessibleDescriptionRole)
    assert description == _heading(page, birthday)
    assert description.startswith("2025-03-22  Saturday")
    assert page.table.accessibleName() == "Agenda"


class _CountingModel(AgendaModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.asked: set[int] = set()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        self.asked.add(index.row())
        return super().data(index, role)


def test_a_long_agenda_is_asked_only_for_the_rows_on_screen(qtbot, page):
    """Thousands of lines (a large book's week): Qt asks for the rows it shows, not all."""
    line = page.lines()[0]
    lines = [
        dataclasses.replace(line, client_id=n, client_name=f"客户{n:05d}", client_label="")
        for n in range(20_000)
    ]
    model = _CountingModel(page)
    model.read_only = page.model.read_only
    page.model = model
    page.table.setModel(model)
    page.agenda = Agenda(TODAY, 7, lines)
    page._render()
    qtbot.wait(50)
    page.table.viewport().repaint()
    assert model.rowCount() == 20_001
    on_screen = page.table.viewport().height() // page.table.rowHeight(1) + 1
    assert 0 < len(model.asked) <= on_screen + 2
    page.table.scrollToBottom()
    page.table.viewport().repaint()
    assert 19_999 in model.asked and len(model.asked) <= 2 * (on_screen + 2)
