import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from reviewdesk.book.enums import Channel, FeedbackTopic, Tier
from reviewdesk.book.models import Contact
from reviewdesk.gui.calendar_page import CalendarPage
from reviewdesk.gui.contact_dialog import ContactDialog
from reviewdesk.i18n import set_language
from reviewdesk.review.calendar_grid import SortKey
from tests.gui.contact_books import TODAY, client_id, context, fill

D = dt.date


@pytest.fixture
def page(qtbot, book):
    fill(book)
    ctx = context(book)
    page = CalendarPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.grid is not None, timeout=5000)
    page.resize(1400, 500)
    page.show()
    qtbot.waitExposed(page)
    return page


def _row(page, code):
    return next(i for i, r in enumerate(page.model.rows) if r.code == code)


def _click(qtbot, page, row, day):
    index = page.model.index(row, page.grid.day_index(day))
    rect = page.view.visualRect(index)
    if not page.view.viewport().rect().contains(rect.center()):
        page.view.scrollTo(index)
        rect = page.view.visualRect(index)
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_month_grid_shows_contacts_by_channel_letter_with_notes(page):
    assert page.grid.start == D(2025, 3, 1) and page.model.columnCount() == 31 + 2
    a = _row(page, "A")
    index = page.model.index(a, 2)
    assert page.model.data(index) == "TE"
    assert "电话沟通市场" in page.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "发送回顾表" in page.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert page.model.headerData(a, Qt.Orientation.Vertical) == "甲客户"
    b = _row(page, "B")
    last = page.model.index(b, 31)
    due = page.model.index(b, 32)
    assert page.model.data(last) == "2024-12-01"
    assert page.model.data(due) == "2025-03-01 contact"  # 1 December + 90 days: overdue
    assert page.model.data(due, Qt.ItemDataRole.BackgroundRole) is not None
    assert "3 of 3 clients" in page.status.text()


def test_filter_by_tier_and_tag_and_sort_by_last_contact(page):
    page.tier_box.setCurrentIndex(page.tier_box.findData(Tier.KEY))
    assert [r.code for r in page.model.rows] == ["A"]
    page.tier_box.setCurrentIndex(0)
    page.tag_box.setCurrentIndex(page.tag_box.findData("有子女"))
    assert [r.code for r in page.model.rows] == ["A"]
    page.tag_box.setCurrentIndex(0)
    page.sort_box.setCurrentIndex(page.sort_box.findData(SortKey.LAST_CONTACT))
    assert [r.code for r in page.model.rows] == ["B", "A", "C"]
    page.search.setText("丙")
    assert [r.code for r in page.model.rows] == ["C"]
    assert "1 of 3 clients" in page.status.text()


def test_clicking_an_empty_cell_logs_a_contact(qtbot, page, book):
    started = []
    page.log_contact.connect(started.append)
    c = _row(page, "C")
    _click(qtbot, page, c, D(2025, 3, 18))
    dialog = page.dialog
    assert isinstance(dialog, ContactDialog) and dialog.isVisible()
    assert started == [client_id(book, "C")]
    assert dialog.values()["day"] == D(2025, 3, 18)
    dialog.set_channel(Channel.MEETING)
    dialog.summary.setPlainText("面谈：介绍新发基金")
    dialog.feedback.setPlainText("希望多一些线下活动")
    dialog.topic.setCurrentIndex(dialog.topic.findData(FeedbackTopic.SERVICE))
    with qtbot.waitSignal(page.contact_saved, timeout=5000) as saved:
        dialog.save()
    assert saved.args == [client_id(book, "C")]
    with qtbot.waitSignal(page.loaded, timeout=5000):
        pass
    c = _row(page, "C")
    assert page.model.data(page.model.index(c, page.grid.day_index(D(2025, 3, 18)))) == "M"
    with book.session() as s:
        contact = s.scalar(select(Contact).where(Contact.summary == "面谈：介绍新发基金"))
        assert contact.feedback_topic is FeedbackTopic.SERVICE


def test_a_future_cell_does_not_open_the_dialog(qtbot, page):
    c = _row(page, "C")
    future = page.model.index(c, page.grid.day_index(D(2025, 3, 25)))
    past = page.model.index(c, page.grid.day_index(D(2025, 3, 18)))
    assert "click" not in page.model.data(future, Qt.ItemDataRole.ToolTipRole)
    assert "click to log a contact" in page.model.data(past, Qt.ItemDataRole.ToolTipRole)
    _click(qtbot, page, c, D(2025, 3, 25))
    assert page.dialog is None


def test_clicking_a_marked_cell_edits_its_note(qtbot, page, book):
    _click(qtbot, page, _row(page, "A"), D(2025, 3, 3))
    dialog = page.dialog
    qtbot.waitUntil(lambda: dialog.summary.toPlainText() == "发送回顾表", timeout=5000)
    assert dialog.values()["channel"] is Channel.EMAIL
    dialog.summary.setPlainText("发送回顾表，客户已读")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        dialog.save()
    tip = page.model.data(page.model.index(_row(page, "A"), 2), Qt.ItemDataRole.ToolTipRole)
    assert "客户已读" in tip


def test_a_refused_contact_keeps_the_dialog_open(qtbot, page, book):
    page.open_dialog(page.model.rows[_row(page, "C")], D(2025, 3, 18))
    dialog = page.dialog
    dialog.summary.setPlainText("x")
    dialog.topic.setCurrentIndex(dialog.topic.findData(FeedbackTopic.PRODUCT))
    dialog.save()
    qtbot.waitUntil(lambda: dialog.message.isVisibleTo(dialog), timeout=5000)
    # The refusal names the field as the form labels it.
    assert dialog.message.text() == "Feedback on: needs the feedback itself"
    assert dialog.isVisible() and dialog.summary.toPlainText() == "x"


def test_periods_and_name_double_click(qtbot, page, book):
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.period_box.setCurrentIndex(1)
    assert (page.grid.start, page.grid.end) == (D(2025, 1, 1), D(2025, 3, 31))
    assert page.model.columnCount() == 90 + 2
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.go(-1)
    assert page.grid.start == D(2024, 10, 1)
    b = _row(page, "B")
    assert page.model.data(page.model.index(b, page.grid.day_index(D(2024, 12, 1)))) == "M"
    with qtbot.waitSignal(page.open_client, timeout=1000) as opened:
        page.view.verticalHeader().sectionDoubleClicked.emit(b)
    assert opened.args == [client_id(book, "B")]


def test_retranslate(page):

    try:
        set_language("zh")
        page.retranslate()
        assert page.today_button.text() == "今天"
        assert page.model.headerData(31, Qt.Orientation.Horizontal) == "上次联络"
    finally:
        set_language("en")
        page.retranslate()
    assert page.today_button.text() == "Today"
    assert TODAY == page.ctx.today
