"""Which book is open: the first start's choice, new, open and recent books, and encrypting a
book or changing its passphrase from the app."""

from __future__ import annotations

import shutil

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from reviewdesk import paths
from reviewdesk.app import AppContext
from reviewdesk.book import crypto
from reviewdesk.book.db import open_book
from reviewdesk.gui.books import Books, NewPassphraseDialog, recent_books, remember_book
from reviewdesk.i18n import set_language
from tests import factories as f
from tests.conftest import AS_OF, PASSPHRASE

NEW_PASSPHRASE = "a brand new passphrase"


@pytest.fixture
def books(qapp):
    from reviewdesk.gui.main import configure_application

    configure_application(qapp)
    set_language("en")
    made = Books(AppContext(today=AS_OF, user="tester"))
    yield made
    if made.window is not None:
        made.window.close()
        made.window.deleteLater()
    made.close()
    qapp.processEvents()


def type_twice(qtbot, dialog: NewPassphraseDialog, first: str, second: str) -> None:
    dialog.first.clear()
    dialog.second.clear()
    qtbot.keyClicks(dialog.first, first)
    qtbot.keyClicks(dialog.second, second)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)


def type_current(qtbot, dialog: NewPassphraseDialog, current: str) -> None:
    dialog.current.clear()
    qtbot.keyClicks(dialog.current, current)


def wait_for_book(qtbot, books: Books, path) -> None:
    qtbot.waitUntil(
        lambda: (
            books.window is not None
            and books.ctx is not None
            and books.ctx.book.path is not None
            and books.ctx.book.path.resolve() == path.resolve()
        ),
        timeout=60_000,
    )
    qtbot.waitUntil(lambda: books.window.model.rowCount() >= 0 and not books.window._first_load)


def test_the_first_start_makes_an_empty_encrypted_book(qtbot, books):
    assert books.is_first_start()
    choice = books.show_first_start()
    assert choice.isVisible() and choice.empty_button.isVisible() and choice.demo_button.isVisible()
    qtbot.mouseClick(choice.empty_button, Qt.LeftButton)
    dialog = books.dialog
    assert isinstance(dialog, NewPassphraseDialog) and dialog.isVisible()
    assert str(paths.default_book_path()) in dialog.intro.text()

    type_twice(qtbot, dialog, "first long passphrase", "second long passphrase")
    assert dialog.isVisible() and "differ" in dialog.reason.text()
    type_twice(qtbot, dialog, "too short", "too short")
    assert dialog.isVisible() and "at least 12" in dialog.reason.text()
    assert books.window is None and not paths.default_book_path().exists()
    type_twice(qtbot, dialog, NEW_PASSPHRASE, NEW_PASSPHRASE)

    path = paths.default_book_path()
    wait_for_book(qtbot, books, path)
    window = books.window
    assert window.windowTitle() == "ReviewDesk"
    assert books.ctx.client_count() == 0 and window.model.rowCount() == 0  # it stays empty
    assert window.status_security.text() == "Encrypted"
    assert window.change_passphrase_action.isVisible()
    assert not window.encrypt_book_action.isVisible()
    assert not paths.demo_book_path().exists()
    books.close()
    books.window.close()
    books.window = None
    assert crypto.file_kind(path) == "encrypted"
    with pytest.raises(crypto.WrongPassphrase):
        open_book(str(path), passphrase="first long passphrase")
    reopened = open_book(str(path), passphrase=NEW_PASSPHRASE)
    reopened.close()
    assert not Books(AppContext(today=AS_OF)).is_first_start()


def test_closing_the_passphrase_dialog_goes_back_to_the_choice(qtbot, books):
    choice = books.show_first_start()
    qtbot.mouseClick(choice.empty_button, Qt.LeftButton)
    assert not choice.isVisible()
    books.dialog.reject()
    assert choice.isVisible() and books.window is None
    abandoned = []
    books.start_abandoned.connect(lambda: abandoned.append(True))
    choice.reject()
    assert abandoned == [True]


def test_the_first_start_opens_the_demo_in_one_click_marked_demo(qtbot, books):
    choice = books.show_first_start()
    qtbot.mouseClick(choice.demo_button, Qt.LeftButton)
    demo = paths.demo_book_path()
    wait_for_book(qtbot, books, demo)
    window = books.window
    assert "Demo" in window.windowTitle()
    assert books.ctx.client_count() == 300
    assert crypto.file_kind(demo) == "plain"
    # The demo is kept apart: there is still no real book, and the next start asks again.
    assert not paths.default_book_path().exists()
    assert Books(AppContext(today=AS_OF)).is_first_start()
    set_language("zh")
    window.retranslate()
    assert "演示" in window.windowTitle()
    set_language("en")
    window.retranslate()
    assert "Demo" in window.windowTitle()


@pytest.fixture
def first_book(tmp_path, demo_book_path):
    """An encrypted book of 24 clients, not open."""
    path = tmp_path / "first.sqlite"
    shutil.copyfile(demo_book_path, path)
    return path


def test_new_book_open_book_and_recent_books(qtbot, books, first_book, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from reviewdesk.gui import main
    from reviewdesk.gui.mainwindow import last_client_key

    asked = []

    def passphrase(path, new):
        asked.append(path)
        return PASSPHRASE if path.name == "first.sqlite" else NEW_PASSPHRASE

    monkeypatch.setattr(main, "ask_passphrase", passphrase)
    assert books.open_path(first_book)
    window = books.window
    qtbot.waitUntil(lambda: window.model.rowCount() == 24, timeout=10_000)
    assert window.new_book_action.isEnabled() and window.open_book_action.isEnabled()
    first_client = window.model.rows[3].id
    window.show_client(first_client)
    qtbot.waitUntil(lambda: window.workspace.detail is not None, timeout=10_000)

    # File > New book…: an empty encrypted book; the first one is closed and unlocked.
    second = tmp_path / "second.sqlite"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(second), ""))
    )
    window.new_book_action.trigger()
    type_twice(qtbot, books.dialog, NEW_PASSPHRASE, NEW_PASSPHRASE)
    wait_for_book(qtbot, books, second)
    assert books.window is not window and books.ctx.client_count() == 0
    assert window.settings.value(last_client_key(first_book), type=int) == first_client
    unlocked = open_book(str(first_book), passphrase=PASSPHRASE)
    assert not unlocked.read_only  # the lock went with the window
    unlocked.close()

    # A new book never replaces an existing file.
    warnings = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text: warnings.append(text))
    )
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(first_book), ""))
    )
    books.window.new_book_action.trigger()
    assert books.dialog is None or not books.dialog.isVisible()
    assert len(warnings) == 1 and "already exists" in warnings[0]

    # File > Open recent: the first book, with its passphrase; its last client comes back.
    gone = tmp_path / "gone.sqlite"
    gone.write_bytes(first_book.read_bytes())
    remember_book(gone)
    gone.unlink()
    remember_book(second)
    books.window.fill_recent_menu()
    assert str(gone.resolve()) not in recent_books()
    assert "gone.sqlite" in books.window.statusBar().currentMessage()
    entries = [a for a in books.window.recent_menu.actions() if a.objectName() == "recentBook"]
    assert [a.data() for a in entries] == [str(first_book.resolve())]  # not the open one
    entries[0].trigger()
    wait_for_book(qtbot, books, first_book)
    qtbot.waitUntil(lambda: books.window.model.rowCount() == 24, timeout=10_000)
    qtbot.waitUntil(
        lambda: books.window.workspace.client_id == first_client, timeout=10_000
    )  # the first book's own last client

    # File > Open book…: the second one again.
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(second), ""))
    )
    books.window.open_book_action.trigger()
    wait_for_book(qtbot, books, second)
    assert [p.name for p in asked] == ["first.sqlite", "first.sqlite", "second.sqlite"]

    # A file that is not a book is a message; the open book stays open.
    notes = tmp_path / "notes.sqlite"
    notes.write_text("not a book\n" * 100)
    monkeypatch.setattr(main, "ask_passphrase", lambda path, new: None)
    assert not books.open_path(notes)
    assert "notes.sqlite" in warnings[-1]
    assert books.ctx.book.path == second and books.window.isVisible()
    # A recent book that went missing since the menu was filled is dropped with a word.
    remember_book(first_book)
    first_book.unlink()
    books.open_recent(str(first_book.resolve()))
    assert "no longer there" in books.window.statusBar().currentMessage()
    assert str(first_book.resolve()) not in recent_books()


def confirm_rekey(qtbot, books) -> QMessageBox:
    shown = [b for b in books.window.findChildren(QMessageBox, "confirmRekey") if b.isVisible()]
    assert len(shown) == 1
    return shown[0]


def test_encrypting_a_plain_book_from_the_app(qtbot, books, plain_book):
    with plain_book.session() as session:
        session.add(f.client("P1", "钱明"))
    path = plain_book.path
    plain_book.close()
    assert books.open_path(path)
    window = books.window
    assert window.status_security.text() == "Plain (not encrypted)"
    assert window.encrypt_book_action.isEnabled() and window.encrypt_book_action.isVisible()
    assert not window.change_passphrase_action.isVisible()
    window.encrypt_book_action.trigger()
    type_twice(qtbot, books.dialog, "short", "short")
    assert "at least 12" in books.dialog.reason.text()
    type_twice(qtbot, books.dialog, NEW_PASSPHRASE, NEW_PASSPHRASE)
    box = confirm_rekey(qtbot, books)
    assert str(path) in box.text()
    qtbot.mouseClick(box.findChild(type(box.buttons()[0]), "confirmRekeyYes"), Qt.LeftButton)
    qtbot.waitUntil(lambda: window.status_security.text() == "Encrypted", timeout=30_000)
    assert "encrypted" in window.statusBar().currentMessage()
    assert window.change_passphrase_action.isVisible()
    assert not window.encrypt_book_action.isVisible()
    assert books.ctx.client_count() == 1  # the open window goes on with the book
    books.close()
    assert crypto.file_kind(path) == "encrypted"
    with pytest.raises(crypto.PassphraseError):
        open_book(str(path), passphrase="not the passphrase")
    again = open_book(str(path), passphrase=NEW_PASSPHRASE)
    with again.session() as session:
        from reviewdesk.book.audit import AuditEntry

        assert session.query(AuditEntry).filter_by(action="encrypted").count() == 1
    again.close()


def test_changing_the_passphrase_from_the_app(qtbot, books, book, monkeypatch):
    with book.session() as session:
        session.add(f.client("C1", "孙丽"))
    path = book.path
    book.close()
    from reviewdesk.gui import main

    monkeypatch.setattr(main, "ask_passphrase", lambda _path, _new: PASSPHRASE)
    assert books.open_path(path)
    window = books.window
    assert window.change_passphrase_action.isEnabled()
    window.change_passphrase_action.trigger()
    assert str(path) in books.dialog.intro.text()
    type_current(qtbot, books.dialog, PASSPHRASE)
    type_twice(qtbot, books.dialog, NEW_PASSPHRASE, "a different one entirely")
    assert "differ" in books.dialog.reason.text()
    type_twice(qtbot, books.dialog, NEW_PASSPHRASE, NEW_PASSPHRASE)
    box = confirm_rekey(qtbot, books)
    assert str(path) in box.text()
    # "Cancel" keeps the passphrase.
    qtbot.mouseClick(box.findChild(type(box.buttons()[0]), "confirmRekeyNo"), Qt.LeftButton)
    assert books.ctx.book._passphrase == PASSPHRASE
    window.change_passphrase_action.trigger()
    type_current(qtbot, books.dialog, PASSPHRASE)
    type_twice(qtbot, books.dialog, NEW_PASSPHRASE, NEW_PASSPHRASE)
    box = confirm_rekey(qtbot, books)
    qtbot.mouseClick(box.findChild(type(box.buttons()[0]), "confirmRekeyYes"), Qt.LeftButton)
    qtbot.waitUntil(lambda: "passphrase was changed" in window.statusBar().currentMessage())
    books.close()
    with pytest.raises(crypto.WrongPassphrase):
        open_book(str(path), passphrase=PASSPHRASE)
    again = open_book(str(path), passphrase=NEW_PASSPHRASE)
    with again.session() as session:
        from reviewdesk.book.models import Client

        assert [c.name for c in session.query(Client)] == ["孙丽"]
    again.close()


def test_changing_the_passphrase_asks_for_the_current_one_first(qtbot, books, book, monkeypatch):
    """Someone at an unlocked laptop cannot change the passphrase: the current one is asked
    first and checked against the book; wrong ones change nothing and end the attempt."""
    path = book.path
    book.close()
    from reviewdesk.gui import main

    monkeypatch.setattr(main, "ask_passphrase", lambda _path, _new: PASSPHRASE)
    warnings = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text: warnings.append(text))
    )
    assert books.open_path(path)
    window = books.window
    window.change_passphrase_action.trigger()
    dialog = books.dialog
    assert dialog.current is not None and dialog.current.isVisible()
    assert dialog.current.echoMode() == dialog.current.EchoMode.Password
    assert dialog.ui.passphraseFirstLabel.text() == "New passphrase"

    # A wrong current passphrase, however good the new one: said, asked again, nothing changed.
    type_current(qtbot, dialog, "not the passphrase at all")
    type_twice(qtbot, dialog, NEW_PASSPHRASE, NEW_PASSPHRASE)
    assert dialog.isVisible() and "not the current passphrase" in dialog.reason.text()
    assert "Tries left: 2" in dialog.reason.text() and dialog.current.text() == ""
    assert books.ctx.book._passphrase == PASSPHRASE
    # Nothing typed is wrong too.
    type_twice(qtbot, dialog, NEW_PASSPHRASE, NEW_PASSPHRASE)
    assert dialog.isVisible() and "Tries left: 1" in dialog.reason.text()
    # The right one, then the new one twice (a mismatch asks again, the current one kept).
    type_current(qtbot, dialog, PASSPHRASE)
    type_twice(qtbot, dialog, NEW_PASSPHRASE, "a different one entirely")
    assert dialog.isVisible() and "differ" in dialog.reason.text()
    assert dialog.current.text() == PASSPHRASE
    # The new passphrase must be new.
    type_twice(qtbot, dialog, PASSPHRASE, PASSPHRASE)
    assert dialog.isVisible() and "has now" in dialog.reason.text()
    # A third wrong current passphrase ends it: nothing changed, and the user is told.
    type_current(qtbot, dialog, "still not the passphrase")
    type_twice(qtbot, dialog, NEW_PASSPHRASE, NEW_PASSPHRASE)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert books.dialog is None
    assert len(warnings) == 1 and "3 times" in warnings[0] and str(path) in warnings[0]
    assert books.ctx.book._passphrase == PASSPHRASE
    assert books.ctx.book.opens_with(PASSPHRASE) and not books.ctx.book.opens_with(NEW_PASSPHRASE)

    # The check is the book's, also below the window: a wrong current one changes nothing.
    with pytest.raises(crypto.WrongPassphrase):
        books.ctx.change_passphrase(NEW_PASSPHRASE, "a wrong current passphrase")
    assert books.ctx.book.opens_with(PASSPHRASE)


def test_switching_books_closes_every_window_of_the_old_book(
    qtbot, books, first_book, tmp_path, monkeypatch
):
    """A preview of one book's client never survives into another book's session, whether
    it has the main window as parent or no parent at all."""
    from PySide6.QtWidgets import QDialog

    from reviewdesk.gui import main
    from reviewdesk.gui.pdf_preview import PdfPreviewDialog

    monkeypatch.setattr(main, "ask_passphrase", lambda _path, _new: PASSPHRASE)
    second = tmp_path / "second.sqlite"
    shutil.copyfile(first_book, second)
    assert books.open_path(first_book)
    window = books.window
    qtbot.waitUntil(lambda: window.model.rowCount() == 24, timeout=10_000)
    client = window.model.rows[0].id
    with qtbot.waitSignal(window.pack.finished, timeout=30_000) as shown:
        window.pack.preview(client)
    _action, preview = shown.args
    loose = PdfPreviewDialog(preview.data, "loose", None)  # a preview with no parent window
    loose.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    loose.show()
    other = QDialog()  # any other dialog of the old book, without a parent
    other.show()
    assert preview.isVisible() and loose.isVisible() and other.isVisible()

    assert books.open_path(second)
    assert books.window is not window
    assert all(not shiboken6.isValid(w) or not w.isVisible() for w in (preview, loose, other))
    assert books.window.isVisible()
    qtbot.wait(50)
    assert [w for w in books.window.findChildren(PdfPreviewDialog)] == []
