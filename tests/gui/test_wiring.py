"""The other parts wired into the main window: review tab, pack, present mode, pages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton
from sqlalchemy import select

from reviewdesk.book.enums import PackAction
from reviewdesk.book.models import PackRecord
from tests.gui.conftest import open_client
from tests.gui.visible_text import visible_texts


def _open_with_review(qtbot, window, ctx):
    client = open_client(qtbot, window, window.model.rows[2].summary.name)
    qtbot.waitUntil(lambda: window.workspace.review() is not None, timeout=10_000)
    assert window.workspace.tabs.currentWidget() is window.workspace.review_page
    assert window.export_action.isEnabled() and window.present_action.isEnabled()
    return client


def test_the_review_comes_first_and_the_other_tabs_follow(qtbot, window):
    """On the review tab the review is loaded first; nothing acts on the previous client."""
    first, second = window.model.rows[2], window.model.rows[5]
    window.show_page("clients")  # a client's actions act on the client on screen only
    window.select_client(first.id)
    qtbot.waitUntil(lambda: window.workspace.detail is not None, timeout=10_000)
    titles = []
    window.workspace.review_page.review_shown.connect(
        lambda review: titles.append(
            (review.client.id, window.workspace.title.text(), window.workspace.detail)
        )
    )
    window.select_client(second.id)
    assert window.workspace.detail is None and not window.log_contact_action.isEnabled()
    assert window.workspace.stack.currentIndex() == 1  # the client's page, not "choose one"
    assert not window.workspace.holdings.isEnabled()  # it still holds the previous client
    qtbot.waitUntil(lambda: window.workspace.detail is not None, timeout=10_000)
    assert window.workspace.holdings.isEnabled()
    [(client_id, title, detail)] = titles
    assert client_id == second.id and second.summary.name in title and detail is None
    assert window.workspace.detail.client.id == second.id
    assert window.log_contact_action.isEnabled()


def test_the_review_tab_shows_the_chosen_client(qtbot, window, ctx):
    client = _open_with_review(qtbot, window, ctx)
    assert window.workspace.review().client.name == client.name
    assert client.name in " ".join(visible_texts(window.workspace.review_page))
    # the insurance tab shows the review's gaps beside the policies
    window.workspace.tabs.setCurrentWidget(window.workspace.insurance)
    assert window.workspace.insurance.gaps.topLevelItemCount() > 0


def test_exporting_a_pack_writes_the_file_and_records_it(qtbot, window, ctx, tmp_path, monkeypatch):
    client = _open_with_review(qtbot, window, ctx)
    target = tmp_path / "out" / "review.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF files (*.pdf)")
    )
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(target.exists, timeout=30_000)
    assert target.read_bytes().startswith(b"%PDF")

    def recorded():
        with ctx.book.session() as s:
            return s.scalars(
                select(PackRecord).where(
                    PackRecord.client_id == client.id, PackRecord.action == PackAction.SAVED
                )
            ).all()

    qtbot.waitUntil(lambda: len(recorded()) == 1, timeout=10_000)
    assert recorded()[0].file_name == str(target)


def test_present_mode_shows_this_client_only(qtbot, window, ctx):
    client = _open_with_review(qtbot, window, ctx)
    others = {
        row.summary.name
        for row in window.model.rows
        if row.id != client.id and row.summary.name not in client.name
    }
    window.present_action.trigger()
    presenting = window.presenting
    assert presenting is not None and presenting.isVisible()
    assert not window.isVisible()  # no client list, no search behind the presentation
    for _page in range(presenting.page_count):
        shown = [
            t for w in QApplication.topLevelWidgets() if w.isVisible() for t in visible_texts(w)
        ]
        assert client.name in " ".join(shown)
        leaked = {name for name in others if any(name in text for text in shown)}
        assert leaked == set()
        qtbot.keyClick(presenting, Qt.Key.Key_PageDown)
    # the main window's shortcuts cannot reach another client while presenting
    qtbot.keyClick(presenting, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    qtbot.keyClick(presenting, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.isVisible, timeout=5000)
    assert window.presenting is None

    def shown_recorded():
        with ctx.book.session() as s:
            return s.scalar(
                select(PackRecord).where(
                    PackRecord.client_id == client.id, PackRecord.action == PackAction.SHOWN
                )
            )

    # recorded as the review meeting only when the manager says so
    from PySide6.QtWidgets import QMessageBox

    box = window.findChild(QMessageBox, "recordMeeting")
    assert box is not None and box.isVisible()
    box.findChild(QPushButton, "recordMeetingYes").click()
    qtbot.waitUntil(lambda: shown_recorded() is not None, timeout=10_000)


def test_pages_open_clients_in_the_workspace(qtbot, window, ctx):
    assert window.pages.currentWidget() is window.agenda  # home: the day's work
    qtbot.waitUntil(lambda: window.agenda in window._loaded_pages, timeout=20_000)
    target = window.model.rows[5]
    window.agenda.open_client.emit(target.id)
    assert window.pages.currentWidget() is window.splitter
    qtbot.waitUntil(
        lambda: (
            window.workspace.detail is not None and window.workspace.detail.client.id == target.id
        ),
        timeout=10_000,
    )
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.calendar
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.segments


def test_start_review_opens_the_new_review_dialog(qtbot, window, ctx):
    from reviewdesk.gui.holdings_tab import NewReviewDialog

    target = window.model.rows[1]
    window.calendar.start_review.emit(target.id)
    qtbot.waitUntil(lambda: window.findChild(NewReviewDialog) is not None, timeout=10_000)
    assert window.workspace.tabs.currentWidget() is window.workspace.holdings
    assert window.workspace.detail.client.id == target.id


def test_prepare_this_months_packs_opens_from_the_pack_menu(qtbot, window):
    from reviewdesk.gui.batch import PrepareDueDialog

    assert window.batch_action in window.pack_menu.actions()
    window.batch_action.trigger()
    dialog = window.findChild(PrepareDueDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.loaded_month is not None, timeout=10_000)
    dialog.reject()
