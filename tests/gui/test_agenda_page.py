import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from sqlalchemy import select

from reviewdesk.book.enums import Channel
from reviewdesk.book.models import Contact
from reviewdesk.gui.agenda_page import COL_ACTION, COL_PREF, LINE_ROLE, AgendaPage
from reviewdesk.gui.worker import book_worker
from reviewdesk.i18n import set_language
from reviewdesk.review.agenda import AgendaKind
from tests.gui.contact_books import NO_CALLS, TODAY, client_id, context, fill

D = dt.date


@pytest.fixture(autouse=True)
def _drain():
    set_language("en")  # other tests may leave the interface in Chinese
    yield
    book_worker().waitForDone(5000)
    set_language("en")


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


def _items(page):
    tree = page.tree
    for g in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(g)
        for i in range(group.childCount()):
            yield group, group.child(i)


def _item(page, code, kind):
    return next(item for _, item in _items(page)
                if item.data(0, LINE_ROLE).client_code == code
                and item.data(0, LINE_ROLE).kind is kind)


def test_lines_grouped_by_day_with_why_and_preferences(page):
    groups = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    assert groups[0].startswith("2025-03-20  Thursday  (today)")
    assert any(g.startswith("2025-03-22  Saturday") for g in groups)
    birthday = _item(page, "A", AgendaKind.BIRTHDAY)
    assert birthday.parent().text(0).startswith("2025-03-22")
    assert birthday.text(2) == "Birthday: turns 45"
    assert birthday.text(COL_PREF) == NO_CALLS
    overdue = _item(page, "A", AgendaKind.REVIEW_OVERDUE)
    assert "review was due 2025-02-28" in overdue.text(2)
    assert overdue.text(COL_PREF) == NO_CALLS
    b_contact = _item(page, "B", AgendaKind.CONTACT_OVERDUE)
    assert b_contact.text(COL_PREF) == ""
    assert "overdue or expired" in page.summary.text()


def test_group_by_kind(page):
    page.group_box.setCurrentIndex(1)
    titles = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    assert titles[0].startswith("Review overdue")
    assert any(t.startswith("Birthday") for t in titles)


def _click_action(qtbot, page, item):
    """A click on the line's action cell, where the user sees the underlined action."""
    page.tree.scrollToItem(item)
    rect = page.tree.visualItemRect(item)
    x = page.tree.header().sectionViewportPosition(COL_ACTION) + 20
    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, rect.center().y()))


def test_one_click_starts_the_review(qtbot, page, book):
    item = _item(page, "A", AgendaKind.REVIEW_OVERDUE)
    assert item.text(COL_ACTION) == "Start review"
    with qtbot.waitSignal(page.start_review, timeout=1000) as got:
        _click_action(qtbot, page, item)
    assert got.args == [client_id(book, "A")]


def test_a_click_elsewhere_on_the_line_does_nothing_and_enter_does_the_action(qtbot, page,
                                                                             book):
    item = _item(page, "A", AgendaKind.REVIEW_OVERDUE)
    rect = page.tree.visualItemRect(item)
    with qtbot.assertNotEmitted(page.start_review, wait=100):
        qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(40, rect.center().y()))
    assert page.tree.currentItem() is item
    with qtbot.waitSignal(page.start_review, timeout=1000) as got:
        qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    assert got.args == [client_id(book, "A")]


def test_one_click_logs_the_contact_the_way_the_client_prefers(qtbot, page, book):
    item = _item(page, "A", AgendaKind.BIRTHDAY)
    assert item.text(COL_ACTION) == "Log contact"
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
    with qtbot.waitSignal(page.open_client, timeout=1000) as got:
        page.tree.itemDoubleClicked.emit(item, 1)
    assert got.args == [client_id(book, "B")]


def test_fewer_days_ahead_drops_the_later_lines(qtbot, page):
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.days.setValue(0)
    assert {line.day for line in page.lines()} == {TODAY}
    assert not [ln for ln in page.lines() if ln.kind is AgendaKind.BIRTHDAY]


def test_retranslate(page):
    from reviewdesk.i18n import set_language

    try:
        set_language("zh")
        page.retranslate()
        assert page.title.text() == "待办"
        assert "今天" in page.tree.topLevelItem(0).text(0)
        item = _item(page, "A", AgendaKind.BIRTHDAY)
        assert item.text(2) == "生日：45 岁"
    finally:
        set_language("en")
        page.retranslate()
