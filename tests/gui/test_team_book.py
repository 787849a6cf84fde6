"""The desktop on a branch's team book, against the real PostgreSQL server.

A fresh database made a team book by its owner; two managers, a supervisor, an assistant
and compliance, each a login of their own. Each window connects as its person: the
database's policies decide what the list and the pages hold; the status bar says who
and in which role; a supervisor filters by manager and hands a client over; an assistant
cannot export or email; a save over someone else's change is refused and offers to
reload; opening and presenting a client are access events compliance reads.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy.engine import make_url

from reviewdesk.app import AppContext
from reviewdesk.book import audit, team
from reviewdesk.book.db import open_book
from reviewdesk.book.models import Client
from reviewdesk.gui.team_book import TeamAddress
from reviewdesk.gui.worker import book_worker, cpu_pool
from reviewdesk.i18n import set_language
from tests import factories as f
from tests import pg
from tests.conftest import AS_OF
from tests.gui.visible_text import visible_texts

PASSWORD = "Corr3ct-horse-battery"


class Team:
    def __init__(self, database: str):
        self.database = database
        self.m1, self.m2, self.sup, self.asst, self.comp, self.out = (
            f"{database}_p_{who}" for who in ("m1", "m2", "sup", "asst", "comp", "out")
        )
        self.clients: dict[str, int] = {}

    def address(self, user: str) -> TeamAddress:
        server = make_url(pg.server())
        return TeamAddress(server.host or "localhost", server.port or 5432, self.database, user)

    def ctx(self, user: str) -> AppContext:
        return AppContext(
            db=self.address(user).url(), today=AS_OF, user=user, server_password=PASSWORD
        )


@pytest.fixture(scope="module")
def team_book():
    pg.server()
    with pg.new_database("rd_desk") as database:
        people = Team(database)
        owner = open_book(pg.database_url(database))  # the migrations: roles and policies
        with owner.session() as s:
            for name, role, branch, assists in (
                (people.m1, "manager", "pudong", ()),
                (people.m2, "manager", "pudong", ()),
                (people.sup, "supervisor", "pudong", ()),
                (people.asst, "assistant", None, (people.m1,)),
                (people.comp, "compliance", None, ()),
            ):
                team.add_user(s, name, role, PASSWORD, branch=branch, assists=assists)
            # a login of the server who is not in this book's team
            s.connection().exec_driver_sql(
                f"CREATE ROLE \"{people.out}\" LOGIN PASSWORD '{PASSWORD}'"
            )
        owner.close()
        for manager, rows in (
            (people.m1, (("T1", "赵一鸣"), ("T2", "钱二宝"))),
            (people.m2, (("T3", "孙三立"),)),
        ):
            book = open_book(pg.database_url(database, manager, PASSWORD))
            with book.session() as s:
                for code, name in rows:
                    client = f.client(code, name)
                    client.snapshots = [
                        f.snapshot(dt.date(2026, 5, 31), f.holding("易方达蓝筹", "100000"))
                    ]
                    s.add(client)
                    s.flush()
                    people.clients[code] = client.id
            book.close()
        yield people


def _window(qtbot, ctx, books=None):
    from reviewdesk.gui.mainwindow import MainWindow

    set_language("en")
    window = MainWindow(ctx, books=books)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.list_loaded, timeout=20_000):
        window.show()
    return window


def _drain():
    for _round in range(5):
        book_worker().waitForDone(20_000)
        cpu_pool().waitForDone(20_000)
        QApplication.processEvents()


def _listed(window) -> set[str]:
    return {row.summary.name for row in window.model.rows}


def _try(qtbot, dialog, password: str, **fields) -> str:
    address = dialog.address()
    for key, value in fields.items():
        address = TeamAddress(**{**address.__dict__, key: value})
    dialog.set_address(address)
    dialog.password.setText(password)
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.open_button.isEnabled(), timeout=20_000)
    return dialog.problem.text()


def test_the_dialog_says_what_went_wrong_in_one_sentence_then_opens(
    qtbot, team_book, tmp_path, monkeypatch
):
    from reviewdesk.gui.books import Books, recent_books

    monkeypatch.delenv("PGPASSWORD", raising=False)
    books = Books(AppContext(today=AS_OF))
    dialog = books.open_team_book(team_book.address(team_book.m1))
    said = _try(qtbot, dialog, "wrong-password")
    assert said.startswith("The server") and "did not accept the password of" in said
    assert dialog.isVisible()
    said = _try(qtbot, dialog, PASSWORD, port=1)
    assert "cannot be reached" in said and "\n" not in said
    said = _try(qtbot, dialog, PASSWORD, port=team_book.address("x").port, database="postgres")
    assert "is not a ReviewDesk team book" in said
    said = _try(qtbot, dialog, PASSWORD, database=team_book.database, user=team_book.out)
    assert f"{team_book.out} is not in the team of {team_book.database}" in said
    said = _try(qtbot, dialog, PASSWORD, verify=True, root_cert=str(tmp_path / "none.crt"))
    assert said == f"Root certificate: {tmp_path / 'none.crt'} is not a file."
    dialog.verify.setChecked(False)
    dialog.user.setText(team_book.m1)
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(books.window_changed, timeout=30_000):
        dialog.accept()
    window = books.window
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(window.model.rows), timeout=20_000)
    assert _listed(window) == {"赵一鸣", "钱二宝"}
    person = window.status_person.text()
    assert person == f"{team_book.m1} · manager · branch pudong"
    assert window.status_book.text() == f"Team book: {team_book.database}"
    # The recent books keep the address, never the password.
    kept = recent_books()[0]
    assert kept == team_book.address(team_book.m1).url() and PASSWORD not in kept
    books.close()


def test_each_manager_sees_only_their_clients_in_the_list_and_the_pages(qtbot, team_book):
    for manager, mine, theirs in (
        (team_book.m1, {"赵一鸣", "钱二宝"}, "孙三立"),
        (team_book.m2, {"孙三立"}, "赵一鸣"),
    ):
        ctx = team_book.ctx(manager)
        window = _window(qtbot, ctx)
        assert _listed(window) == mine
        assert window.manager_filter.isHidden()
        assert not window.hand_over_action.isVisible()
        for name in ("agenda", "calendar", "segments"):
            window.show_page(name)
            page = window.book_page(name)
            qtbot.waitUntil(lambda p=page, w=window: p in w._loaded_pages, timeout=20_000)
            joined = "\n".join(visible_texts(page))
            assert theirs not in joined, name
        segments = "\n".join(visible_texts(window.segments))
        assert all(n in segments for n in mine)
        window.close()
        _drain()
        ctx.close()


def test_a_supervisor_filters_by_manager_and_hands_a_client_over(qtbot, team_book):
    ctx = team_book.ctx(team_book.sup)
    window = _window(qtbot, ctx)
    assert _listed(window) >= {"赵一鸣", "钱二宝", "孙三立"}
    assert window.status_person.text() == f"{team_book.sup} · supervisor · branch pudong"
    assert not window.manager_filter.isHidden()
    index = window.manager_filter.findData(team_book.m2)
    window.manager_filter.setCurrentIndex(index)
    shown = [
        window.model.rows[window.proxy.mapToSource(window.proxy.index(r, 0)).row()].summary.name
        for r in range(window.proxy.rowCount())
    ]
    assert shown == ["孙三立"]
    window.manager_filter.setCurrentIndex(0)
    assert window.proxy.rowCount() == window.model.rowCount()

    handed = team_book.clients["T2"]
    window.show_client(handed)
    qtbot.waitUntil(lambda: window.workspace.detail is not None, timeout=20_000)
    assert window.hand_over_action.isEnabled()
    choice = window.choose_hand_over(handed, "T2", "钱二宝", team_book.m1, [team_book.m2])
    assert choice is not None and "钱二宝" in choice.labelText()
    choice.close()
    box = window.confirm_hand_over(handed, "T2", "钱二宝", team_book.m1, team_book.m2)
    assert "钱二宝" in box.text() and team_book.m2 in box.text()
    assert f"{team_book.m1} loses access" in box.text()
    yes = next(b for b in box.buttons() if b.objectName() == "confirmHandOverYes")
    yes.click()
    qtbot.waitUntil(lambda: "is now" in window.statusBar().currentMessage(), timeout=20_000)
    _drain()
    window.close()
    ctx.close()

    # The previous manager no longer has the client; the new one has; the trail says who.
    m1 = team_book.ctx(team_book.m1)
    window = _window(qtbot, m1)
    assert _listed(window) == {"赵一鸣"}
    window.close()
    _drain()
    m1.close()
    m2 = team_book.ctx(team_book.m2)
    window = _window(qtbot, m2)
    assert _listed(window) == {"孙三立", "钱二宝"}
    window.close()
    _drain()
    m2.close()
    comp = open_book(pg.database_url(team_book.database, team_book.comp, PASSWORD))
    with comp.session() as s:
        handovers = [e for e in audit.entries(s, handed) if e.action == "handover"]
        assert [(e.actor, e.detail) for e in handovers] == [
            (team_book.sup, f"from {team_book.m1} to {team_book.m2}")
        ]
    comp.close()


def test_an_assistant_cannot_export_or_email_and_is_told_why(qtbot, team_book):
    ctx = team_book.ctx(team_book.asst)
    window = _window(qtbot, ctx)
    assert _listed(window) <= {"赵一鸣", "钱二宝"} and window.model.rows
    assert window.status_person.text() == f"{team_book.asst} · assistant"
    window.show_client(window.model.rows[0].id)
    qtbot.waitUntil(lambda: window.present_action.isEnabled(), timeout=30_000)
    assert window.print_action.isEnabled() and window.preview_action.isEnabled()
    for action in window.assistant_barred():
        assert not action.isEnabled(), action.objectName()
        assert "An assistant does not export or email" in action.toolTip()
    window.close()
    _drain()
    ctx.close()


def test_a_save_over_someone_elses_change_names_them_and_offers_to_reload(qtbot, team_book):
    mine = team_book.ctx(team_book.m1)
    window = _window(qtbot, mine)
    client_id = team_book.clients["T1"]
    window.show_client(client_id)
    qtbot.waitUntil(lambda: window.workspace.detail is not None, timeout=20_000)
    profile = window.workspace.profile
    # Meanwhile the same manager, at another desk, changes the client's phone.
    other = open_book(pg.database_url(team_book.database, team_book.m1, PASSWORD))
    with other.session() as s:
        s.get(Client, client_id).phone = "13900000000"
    other.close()
    profile._line("name").setText("赵一鸣（改）")
    profile.save()
    qtbot.waitUntil(
        lambda: window.findChild(QMessageBox, "editConflict") is not None, timeout=20_000
    )
    box = window.findChild(QMessageBox, "editConflict")
    assert f"was changed by {team_book.m1} at 20" in box.text()
    assert "nothing was saved" in box.text()
    assert "the changes you made here are discarded" in box.informativeText()
    next(b for b in box.buttons() if b.objectName() == "editConflictReload").click()
    qtbot.waitUntil(lambda: profile._line("phone").text() == "13900000000", timeout=20_000)
    assert profile._line("name").text() == "赵一鸣"
    # After the reload the same edit saves.
    profile._line("name").setText("赵一鸣（改）")
    profile.save()
    _drain()
    check = open_book(pg.database_url(team_book.database, team_book.m1, PASSWORD))
    with check.session() as s:
        client = s.get(Client, client_id)
        assert (client.name, client.phone) == ("赵一鸣（改）", "13900000000")
        client.name = "赵一鸣"
    check.close()
    window.close()
    _drain()
    mine.close()


def test_a_holding_saved_over_someone_elses_change_is_refused_on_the_server(qtbot, team_book):
    from decimal import Decimal

    from PySide6.QtCore import Qt

    from reviewdesk.book.models import Holding

    mine = team_book.ctx(team_book.m1)
    window = _window(qtbot, mine)
    window.show_client(team_book.clients["T2"])
    qtbot.waitUntil(lambda: window.workspace.detail is not None, timeout=20_000)
    holdings = window.workspace.holdings
    window.workspace.tabs.setCurrentWidget(holdings)
    qtbot.waitUntil(lambda: bool(holdings.holdings.rows), timeout=20_000)
    holding_id = holdings.holdings.rows[0]["id"]
    # The assistant, at their desk, changes the holding's value meanwhile.
    other = open_book(pg.database_url(team_book.database, team_book.asst, PASSWORD))
    with other.session() as s:
        s.get(Holding, holding_id).market_value = Decimal("123456")
    other.close()
    column = [c.field for c in holdings.holdings.columns].index("market_value")
    holdings.holdings.setData(holdings.holdings.index(0, column), "99", Qt.ItemDataRole.EditRole)
    qtbot.waitUntil(
        lambda: window.findChild(QMessageBox, "editConflict") is not None, timeout=20_000
    )
    box = window.findChild(QMessageBox, "editConflict")
    assert f"was changed by {team_book.asst} at 20" in box.text()
    check = open_book(pg.database_url(team_book.database, team_book.m1, PASSWORD))
    with check.session() as s:
        assert s.get(Holding, holding_id).market_value == Decimal("123456")
    check.close()
    next(b for b in box.buttons() if b.objectName() == "editConflictReload").click()
    qtbot.waitUntil(
        lambda: holdings.holdings.rows and holdings.holdings.rows[0]["market_value"] == 123456,
        timeout=20_000,
    )
    window.close()
    _drain()
    mine.close()


def test_opening_and_presenting_a_client_are_access_events_compliance_reads(
    qtbot, team_book, monkeypatch, capsys
):
    from reviewdesk.cli import main

    ctx = team_book.ctx(team_book.m2)
    window = _window(qtbot, ctx)
    client_id = team_book.clients["T3"]
    window.show_client(client_id)
    qtbot.waitUntil(lambda: window.workspace.review() is not None, timeout=30_000)
    window.present()
    assert window.presenting is not None
    window.presenting.close()
    qtbot.waitUntil(lambda: window.presenting is None, timeout=10_000)
    box = window.findChild(QMessageBox, "recordMeeting")
    if box is not None:
        box.reject()
    _drain()
    window.close()
    _drain()
    ctx.close()
    url = team_book.address(team_book.comp).url()
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    assert main(["--db", url, "audit", "--who", "T3", "--json"]) == 0
    out = capsys.readouterr().out
    events = [(e["who"], e["action"]) for e in json.loads(out)]
    assert (team_book.m2, "opened") in events and (team_book.m2, "presented") in events


def test_on_a_book_file_opening_and_presenting_are_in_the_books_own_trail(qtbot, family_ctx):
    window = _window(qtbot, family_ctx)
    client_id = family_ctx.ids["王建国"]
    window.show_client(client_id)
    qtbot.waitUntil(lambda: window.workspace.review() is not None, timeout=30_000)
    window.present()
    window.presenting.close()
    qtbot.waitUntil(lambda: window.presenting is None, timeout=10_000)
    box = window.findChild(QMessageBox, "recordMeeting")
    if box is not None:
        box.reject()
    _drain()
    assert window.status_person.isHidden() and window.me is None
    with family_ctx.book.session() as s:
        events = [(e.actor, e.action) for e in audit.access_events(s, client_id)]
    who = family_ctx.book.actor
    assert (who, "opened") in events and (who, "presented") in events
    window.close()


def test_the_settings_of_a_manager_no_cover_reads_are_not_offered_on_a_team_book(
    qtbot, team_book, family_ctx
):
    """A team book's pack names each client's own manager (`team set-contact`): the book's
    "Relationship manager" and "Manager's phone" would reach no cover, so they are shown
    read-only, with why. On a book file they are the cover's."""
    from reviewdesk.gui.settings_dialog import TEAM_UNUSED, SettingsDialog

    set_language("en")
    ctx = team_book.ctx(team_book.m1)
    for context, on_team in ((ctx, True), (family_ctx, False)):
        dialog = SettingsDialog(context)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(dialog.isEnabled, timeout=20_000)
        for key in TEAM_UNUSED:
            editor = dialog.editors[key]
            assert editor.isEnabled() is not on_team, key
            assert ("team set-contact" in editor.toolTip()) is on_team, key
        assert dialog.editors["bank_name"].isEnabled()
        dialog.close()
    _drain()
    ctx.close()
