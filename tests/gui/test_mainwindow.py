"""The shell driven as a user drives it: search, open, edit, undo, new review, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from sqlalchemy import select

from reviewdesk.book.models import Client, Holding, Snapshot
from reviewdesk.gui.client_list import ROW_ROLE
from tests.gui.conftest import book_dump, open_client


def _client_with_holdings(ctx) -> Client:
    with ctx.book.session() as s:
        return s.scalars(select(Client).join(Snapshot).order_by(Client.name)).first()


def test_search_narrows_the_list_and_opens_the_client(qtbot, window, ctx):
    total = window.proxy.rowCount()
    assert total == 24
    target = _client_with_holdings(ctx)
    client = open_client(qtbot, window, target.name)
    assert window.proxy.rowCount() < total
    assert target.name in window.workspace.title.text()
    assert window.workspace.profile.editors["name"].text() == target.name
    # phone and tag search find the same client
    window.search.clear()
    qtbot.keyClicks(window.search, client.phone[-6:])
    assert any(
        window.proxy.index(r, 0).data() == target.name for r in range(window.proxy.rowCount())
    )


def _edit_cell(qtbot, view, row: int, column: int, text: str) -> None:
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(index) is None, timeout=2000)  # queued commit


def _market_value(ctx, holding_id: int) -> Decimal:
    with ctx.book.session() as s:
        return s.get(Holding, holding_id).market_value


def test_editing_a_value_changes_the_total_and_undo_restores_it(qtbot, window, ctx):
    open_client(qtbot, window, _client_with_holdings(ctx).name)
    tab = window.workspace.holdings
    window.workspace.tabs.setCurrentWidget(tab)
    before_total = tab.total_label.text()
    row = tab.holdings.rows[0]
    old = row["market_value"]
    column = [c.field for c in tab.holdings.columns].index("market_value")

    _edit_cell(qtbot, tab.holdings_view, 0, column, str(old + 1000))
    assert tab.holdings.rows[0]["market_value"] == old + 1000
    assert tab.total_label.text() != before_total
    qtbot.waitUntil(lambda: _market_value(ctx, row["id"]) == old + 1000, timeout=5000)
    assert window.undo_action.isEnabled()

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tab.total_label.text() == before_total
    qtbot.waitUntil(lambda: _market_value(ctx, row["id"]) == old, timeout=5000)

    window.redo_action.trigger()
    qtbot.waitUntil(lambda: _market_value(ctx, row["id"]) == old + 1000, timeout=5000)


def test_new_review_copies_the_last_snapshot(qtbot, window, ctx):
    client = open_client(qtbot, window, _client_with_holdings(ctx).name)
    tab = window.workspace.holdings
    last = client.snapshots[-1]
    qtbot.mouseClick(tab.new_review_button, Qt.MouseButton.LeftButton)
    from reviewdesk.gui.holdings_tab import NewReviewDialog

    dialog = tab.findChild(NewReviewDialog, "newReviewDialog")
    assert dialog.review_date() == ctx.today
    dialog.accept()
    qtbot.waitUntil(lambda: tab.current_date() == ctx.today, timeout=5000)
    assert len(tab.holdings.rows) == len(last.holdings)
    assert [r["product_name"] for r in tab.holdings.rows] == [h.product_name for h in last.holdings]
    with ctx.book.session() as s:
        new = s.scalar(
            select(Snapshot).where(
                Snapshot.client_id == client.id, Snapshot.review_date == ctx.today
            )
        )
        assert sorted(h.market_value for h in new.holdings) == sorted(
            h.market_value for h in last.holdings
        )
        assert {(r.from_currency, r.to_currency, r.rate) for r in new.rates} == {
            (r.from_currency, r.to_currency, r.rate) for r in last.rates
        }


def test_a_new_clients_first_review_says_nothing_is_copied(qtbot, window, ctx):
    """Found: for a client with no review yet, the button and its dialog said the last
    snapshot's holdings and rates would be copied, when there was none."""
    from reviewdesk.book.editing import create_client
    from reviewdesk.gui.holdings_tab import NewReviewDialog

    with ctx.book.session() as s:
        client_id = create_client(s, "首次 客户", "CNY")
    window.refresh_clients(client_id, choose=client_id)
    tab = window.workspace.holdings
    qtbot.waitUntil(lambda: tab.client is not None and tab.client.id == client_id, timeout=10_000)
    assert tab.new_review_button.text() == "First review"
    qtbot.mouseClick(tab.new_review_button, Qt.MouseButton.LeftButton)
    dialog = tab.findChild(NewReviewDialog, "newReviewDialog")
    assert dialog.windowTitle() == "First review"
    assert "no earlier holdings to copy" in dialog.ui.newReviewExplanation.text()
    assert "copied" not in dialog.ui.newReviewExplanation.text()
    dialog.accept()
    qtbot.waitUntil(lambda: tab.current_date() == ctx.today, timeout=10_000)
    assert tab.holdings.rows == []
    # Once it has a review, the next one copies it.
    assert tab.new_review_button.text() == "New review from last snapshot"


def test_a_negative_market_value_is_refused_at_the_field(qtbot, window, ctx):
    open_client(qtbot, window, _client_with_holdings(ctx).name)
    tab = window.workspace.holdings
    window.workspace.tabs.setCurrentWidget(tab)
    before = book_dump(ctx.book)
    column = [c.field for c in tab.holdings.columns].index("market_value")
    old = tab.holdings.rows[0]["market_value"]
    _edit_cell(qtbot, tab.holdings_view, 0, column, "-5")
    assert tab.message.isVisible()
    assert "Market value" in tab.message.text() and "must not be negative" in tab.message.text()
    assert tab.holdings.rows[0]["market_value"] == old
    assert not window.undo_action.isEnabled()
    from reviewdesk.gui.worker import book_worker

    book_worker().waitForDone(5000)
    assert book_dump(ctx.book) == before


def test_a_bad_email_is_refused_at_the_field_and_nothing_is_saved(qtbot, window, ctx):
    open_client(qtbot, window, _client_with_holdings(ctx).name)
    profile = window.workspace.profile
    window.workspace.tabs.setCurrentWidget(profile)
    before = book_dump(ctx.book)
    profile.editors["phone"].setText("13900000000")
    profile.editors["email"].setText("not an address")
    qtbot.mouseClick(profile.save_button, Qt.MouseButton.LeftButton)
    message = profile.messages["email"]
    qtbot.waitUntil(message.isVisible, timeout=5000)
    assert "Email" in message.text() and "not an email address" in message.text()
    assert book_dump(ctx.book) == before  # the phone was not saved either

    profile.editors["email"].setText("wang@example.com")
    qtbot.mouseClick(profile.save_button, Qt.MouseButton.LeftButton)
    client_id = window.workspace.client_id

    def saved():
        with ctx.book.session() as s:
            c = s.get(Client, client_id)
            return c.email == "wang@example.com" and c.phone == "13900000000"

    qtbot.waitUntil(saved, timeout=5000)
    qtbot.waitUntil(lambda: not message.isVisible(), timeout=5000)


def test_a_date_in_the_future_is_refused(qtbot, window, ctx):
    open_client(qtbot, window, _client_with_holdings(ctx).name)
    profile = window.workspace.profile
    window.workspace.tabs.setCurrentWidget(profile)
    profile.editors["birthday"].setText("2999-01-01")
    qtbot.mouseClick(profile.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(profile.messages["birthday"].isVisible, timeout=5000)
    assert "in the future" in profile.messages["birthday"].text()


def test_filters_by_tier_and_flag(qtbot, window, ctx):
    key_rows = [r for r in window.model.rows if r.summary.tier.value == "key"]
    window.tier_filter.setCurrentIndex(window.tier_filter.findText("Key"))
    assert window.proxy.rowCount() == len(key_rows)
    window.tier_filter.setCurrentIndex(0)
    from reviewdesk.review.client_list import ClientFlag

    flagged = [r for r in window.model.rows if ClientFlag.ASSESSMENT_EXPIRED in r.flags]
    window.flag_filter.setCurrentIndex(window.flag_filter.findData(ClientFlag.ASSESSMENT_EXPIRED))
    assert window.proxy.rowCount() == len(flagged) > 0
    # "Review due" takes the overdue reviews too; "Review overdue" only those. A client
    # never reviewed is overdue.
    with ctx.book.session() as session:
        session.add(Client(code="NEW-1", name="Never Reviewed", report_currency="CNY"))
    with qtbot.waitSignal(window.list_loaded, timeout=10_000):
        window.refresh_list()
    overdue = [r for r in window.model.rows if ClientFlag.REVIEW_OVERDUE in r.flags]
    due = [r for r in window.model.rows if ClientFlag.REVIEW_DUE in r.flags]
    window.flag_filter.setCurrentIndex(window.flag_filter.findData(ClientFlag.REVIEW_OVERDUE))
    assert window.proxy.rowCount() == len(overdue) > 0
    window.flag_filter.setCurrentIndex(window.flag_filter.findData(ClientFlag.REVIEW_DUE))
    assert window.proxy.rowCount() == len(overdue) + len(due)


def test_clicking_a_header_sorts_and_the_chosen_client_stays_chosen(qtbot, window, ctx):
    from reviewdesk.gui.client_list import TOTAL

    name = _client_with_holdings(ctx).name
    open_client(qtbot, window, name)
    window.search.clear()
    header = window.table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.rect().topLeft() + QPoint(header.sectionViewportPosition(TOTAL) + 20, 8),
    )

    def totals():
        return [
            window.proxy.index(r, TOTAL).data(ROW_ROLE).summary.total_assets
            for r in range(window.proxy.rowCount())
        ]

    first = totals()
    assert first in (sorted(first), sorted(first, reverse=True)) and len(set(first)) > 5
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.rect().topLeft() + QPoint(header.sectionViewportPosition(TOTAL) + 20, 8),
    )
    second = totals()
    assert second != first and second == sorted(second, reverse=first == sorted(first))
    assert window.table.currentIndex().data() == name  # the selection followed its row
    assert window.workspace.detail.client.name == name


def test_the_last_client_and_the_layout_are_remembered(qtbot, qapp, window, ctx):
    from reviewdesk.gui.mainwindow import MainWindow

    name = _client_with_holdings(ctx).name
    open_client(qtbot, window, name)
    window.close()
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.list_loaded, timeout=10_000):
        again.show()
    qtbot.waitUntil(lambda: again.workspace.detail is not None, timeout=5000)
    assert again.workspace.detail.client.name == name


@pytest.mark.parametrize(
    ("room", "expected", "maximised"),
    [
        # a desk monitor, less a task bar: the default size, centred
        ((0, 0, 1920, 1040), (240, 80, 1440, 880), False),
        # a second monitor to the right
        ((1920, 0, 2560, 1400), (2480, 260, 1440, 880), False),
        # laptops: the whole free area, maximised, never wider or taller than it
        ((0, 0, 1366, 728), (0, 0, 1350, 680), True),
        ((0, 0, 1280, 800), (0, 0, 1264, 752), True),
        ((0, 32, 1440, 868), (0, 32, 1424, 820), True),
    ],
)
def test_a_first_start_opens_within_the_screen(room, expected, maximised):
    from PySide6.QtCore import QRect

    from reviewdesk.gui.mainwindow import first_geometry

    placed, big = first_geometry(QRect(*room))
    assert (placed.getRect(), big) == (expected, maximised)
    assert QRect(*room).contains(placed)


def test_the_window_opens_at_its_default_size_then_where_it_was_left(qtbot, qapp, window, ctx):
    from reviewdesk.gui.mainwindow import DEFAULT_SIZE, MainWindow

    room = window.screen().availableGeometry()  # the tests' 1920x1080 monitor
    assert room.size().toTuple() == (1920, 1080)
    assert window.size() == DEFAULT_SIZE and not window.isMaximized()
    assert window.geometry().center() == room.center()
    window.resize(1100, 700)
    window.move(40, 30)
    qtbot.waitUntil(lambda: window.size().toTuple() == (1100, 700), timeout=2000)
    window.close()
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.list_loaded, timeout=10_000):
        again.show()
    assert again.size().toTuple() == (1100, 700)
    assert again.pos() == window.pos()


def test_a_window_remembered_on_a_laptop_opens_whole_on_a_monitor(qtbot, qapp, window, ctx):
    """A laptop docked to a 1920-pixel monitor: Qt refuses a geometry remembered on a
    screen that much narrower, and the window opened at Qt's default 640x480 (1006x356
    under openbox). It opens as on a first start instead."""
    import struct

    from PySide6.QtCore import QByteArray

    from reviewdesk.gui.mainwindow import DEFAULT_SIZE, MainWindow

    # What Qt 6 saved for a window maximised on a 1366x768 laptop (saveGeometry, v3).
    laptop = struct.pack(
        ">IHH4i4iibbi4i",
        0x1D9D0CB, 3, 0,
        0, 0, 1365, 767,  # the frame
        1, 25, 1350, 744,  # the normal geometry
        0, 2, 0, 1366,  # the screen, maximised, not full screen, the screen's width
        0, 19, 1365, 767,
    )  # fmt: skip
    assert not window.restoreGeometry(QByteArray(laptop))  # Qt's own refusal
    window.close()
    window.settings.setValue("window/geometry", QByteArray(laptop))
    window.settings.sync()
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.list_loaded, timeout=10_000):
        again.show()
    assert again.size() == DEFAULT_SIZE
    assert again.geometry().center() == again.screen().availableGeometry().center()


def test_id_numbers_are_masked_and_fields_not_collected_are_hidden(qtbot, window, ctx):
    from reviewdesk.settings import save_setting

    client = _client_with_holdings(ctx)
    with ctx.book.session() as s:
        s.get(Client, client.id).id_number = "310101198001011234"
        save_setting(s, "collect_hobbies", False)
    open_client(qtbot, window, client.name)
    profile = window.workspace.profile
    window.workspace.tabs.setCurrentWidget(profile)
    assert profile.editors["id_number"].text().endswith("1234")
    assert "19800101" not in profile.editors["id_number"].text()
    assert not profile.editors["hobbies"].isVisible()
    # saving another field keeps the number whole, never the masked text
    profile.editors["phone"].setText("13911112222")
    qtbot.mouseClick(profile.save_button, Qt.MouseButton.LeftButton)

    def saved():
        with ctx.book.session() as s:
            c = s.get(Client, client.id)
            return c.phone == "13911112222" and c.id_number == "310101198001011234"

    qtbot.waitUntil(saved, timeout=5000)


def test_the_tier_column_holds_its_longest_word_in_either_language(qtbot, window):
    """ "Standard" was cut to "Stand..." in English: the column fits its words, and follows
    the language."""
    from reviewdesk.book.enums import Tier
    from reviewdesk.gui.client_list import TIER
    from reviewdesk.gui.qt_language import apply_qt_language
    from reviewdesk.i18n import set_language, translate

    for lang in ("en", "zh"):
        set_language(lang)
        apply_qt_language(lang)
        window.retranslate()
        metrics = window.table.fontMetrics()
        room = window.table.columnWidth(TIER)
        for tier in Tier:
            shown = translate(tier.label, lang)
            assert metrics.horizontalAdvance(shown) + 8 <= room, (lang, shown, room)
            index = next(
                window.proxy.index(row, TIER)
                for row in range(window.proxy.rowCount())
                if window.proxy.index(row, TIER).data() == shown
            )
            # Qt's own measure of the cell: what it would need, not more than it has
            assert window.table.sizeHintForIndex(index).width() <= room, (lang, shown)


def test_the_lists_first_four_columns_fit_a_first_start_window_in_either_language(qtbot, window):
    """At the first start's 1440-pixel window the list showed name, tier and total, and cut
    the last review's date ("2026-05-3") in Chinese: the total column kept 140 pixels for
    "9,999.99万 HKD" once the tier column had grown to its heading."""
    from reviewdesk.gui.client_list import LAST, NAME
    from reviewdesk.gui.mainwindow import DEFAULT_SIZE
    from reviewdesk.gui.qt_language import apply_qt_language
    from reviewdesk.i18n import set_language

    window.show_page("clients")
    window.resize(DEFAULT_SIZE)
    window.default_split()
    for lang in ("zh", "en"):
        set_language(lang)
        apply_qt_language(lang)
        window.retranslate()
        qtbot.wait(50)
        columns = sum(window.table.columnWidth(col) for col in range(NAME, LAST + 1))
        assert columns <= window.table.viewport().width(), (lang, columns)
        for row in range(min(40, window.proxy.rowCount())):
            index = window.proxy.index(row, LAST)
            assert window.table.sizeHintForIndex(index).width() <= window.table.columnWidth(LAST)


def test_a_pack_that_fails_is_told_once(qtbot, window, monkeypatch):
    """Found: a pack that could not be produced showed two boxes one after the other, the
    pack's warning and the main window's own; the window now keeps it in the status bar."""
    from PySide6.QtWidgets import QMessageBox

    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    opened = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: opened.append(box.text()))
    with qtbot.waitSignal(window.pack.failed, timeout=10000):
        window.pack.preview(999_999)
    qtbot.waitUntil(lambda: bool(warned), timeout=5000)
    assert len(warned) == 1 and "999999" in warned[0]
    assert opened == []
    assert "999999" in window.statusBar().currentMessage()
