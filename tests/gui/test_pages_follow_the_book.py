"""The pages over the book (the agenda, the calendar) follow the book's changes made in the
window: a new client, an edit of the client on screen, the settings. The page on screen
reads the book again at once; one built but not on screen does so when next shown."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QInputDialog
from sqlalchemy import select

from reviewdesk.book.enums import ClientRiskLevel
from reviewdesk.book.models import Client, RiskAssessment
from reviewdesk.gui.client_list import NAME
from reviewdesk.review.agenda import AgendaKind


def agenda_kinds(window, name: str) -> set[AgendaKind]:
    agenda = window.agenda.agenda
    return {line.kind for line in agenda.lines if line.client_name == name}


def shown_agenda(qtbot, window):
    """The agenda page shown, with the agenda it read when the window opened."""
    page = window.agenda
    window.show_page("agenda")
    qtbot.waitUntil(lambda: page.agenda is not None, timeout=10_000)
    return page


def test_a_new_client_opens_and_is_on_the_agenda_when_it_is_shown_again(qtbot, window, monkeypatch):
    """Found: from the agenda, "New client…" made the client and nothing on screen showed
    it; the agenda left the client out until Refresh was pressed."""
    page = shown_agenda(qtbot, window)
    name = "新客户 王小明"
    assert not agenda_kinds(window, name)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (name, True)))
    with qtbot.waitSignal(window.rows_updated, timeout=10_000):
        window.ask_new_client()
    # The new client is open in the list, ready for its details.
    assert window.current_page_name() == "clients"
    qtbot.waitUntil(lambda: window.workspace.detail is not None, timeout=10_000)
    assert window.workspace.detail.client.name == name
    current = window.table.currentIndex()
    assert current.isValid() and window.proxy.index(current.row(), NAME).data() == name
    # Back on the agenda: the client never reviewed nor assessed is on it.
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        window.show_page("agenda")
    assert {AgendaKind.REVIEW_OVERDUE, AgendaKind.ASSESSMENT_MISSING} <= agenda_kinds(window, name)


def test_an_assessment_saved_for_the_client_on_screen_leaves_the_agenda_when_shown(
    qtbot, window, ctx
):
    """An edit of the client on screen (what a tab's save says: `list_stale`) marks the
    agenda; the agenda shows the client's new state when next shown, not the old one."""
    shown_agenda(qtbot, window)
    missing = [
        line
        for line in window.agenda.agenda.lines
        if line.kind in (AgendaKind.ASSESSMENT_MISSING, AgendaKind.ASSESSMENT_EXPIRED)
    ]
    assert missing, "the demo book has clients whose assessment is missing or expired"
    name = missing[0].client_name
    window.show_page("clients")
    with ctx.book.session() as s:
        client = s.scalars(select(Client).where(Client.name == name)).one()
        client_id = client.id
        s.add(
            RiskAssessment(
                client_id=client_id,
                assessed_on=ctx.today,
                level=ClientRiskLevel.C3,
                valid_until=ctx.today + dt.timedelta(days=365),
            )
        )
    with qtbot.waitSignal(window.rows_updated, timeout=10_000):
        window.workspace.list_stale.emit(client_id)
    with qtbot.waitSignal(window.agenda.loaded, timeout=10_000):
        window.show_page("agenda")
    assert not agenda_kinds(window, name) & {
        AgendaKind.ASSESSMENT_MISSING,
        AgendaKind.ASSESSMENT_EXPIRED,
    }


def test_the_agenda_on_screen_reads_the_book_again_after_the_settings(qtbot, window):
    """Refresh (F5) or saved settings while the agenda is on screen read it again at once."""
    page = shown_agenda(qtbot, window)
    first = page.agenda
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        window.refresh_all()
    assert page.agenda is not first


def test_an_empty_books_agenda_offers_the_first_steps(qtbot, qapp, book, monkeypatch):
    """Found: a new book opened on an empty agenda that said only "Nothing due from … to
    …", with no word of how to begin. It now offers a new client and the import, each a
    link that does it."""
    from reviewdesk.app import AppContext
    from tests.gui.conftest import AS_OF, main_window

    ctx = AppContext(db=str(book.path), today=AS_OF)
    ctx._book = book
    with main_window(qtbot, qapp, ctx) as window:
        page = shown_agenda(qtbot, window)
        assert page.agenda.clients == 0 and not page.agenda.lines
        text = page.summary.text()
        assert 'href="new_client"' in text and 'href="import"' in text
        assert "No clients yet" in text
        imported = []
        monkeypatch.setattr(window.import_action, "trigger", lambda: imported.append(True))
        page.summary.linkActivated.emit("import")
        assert imported == [True]
        monkeypatch.setattr(
            QInputDialog, "getText", staticmethod(lambda *a, **k: ("第一位 客户", True))
        )
        with qtbot.waitSignal(window.rows_updated, timeout=10_000):
            page.summary.linkActivated.emit("new_client")
        assert window.current_page_name() == "clients"
        with qtbot.waitSignal(page.loaded, timeout=10_000):
            window.show_page("agenda")
        assert page.agenda.clients == 1 and "No clients yet" not in page.summary.text()
