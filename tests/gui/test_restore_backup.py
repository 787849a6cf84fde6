"""File > Restore from backup…, driven as a manager would, on an encrypted book: the file
chosen, what it is shown to be, the question (another book's backup names both books),
the restore off the UI thread, the window on the restored book, and refusals with their
reasons that replace nothing."""

from __future__ import annotations

import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QPushButton
from sqlalchemy import func, select

from reviewdesk.book import backup, crypto, identity
from reviewdesk.book.db import open_book
from reviewdesk.book.models import AuditEntry, Client
from reviewdesk.i18n import set_language
from tests import factories
from tests.conftest import PASSPHRASE
from tests.gui.conftest import book_dump


def choose(monkeypatch, path: Path, asked: list | None = None) -> None:
    def chooser(parent, title, folder, filters):
        if asked is not None:
            asked.append((title, folder, filters))
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(chooser))


def wait_box(qtbot, window, name: str) -> QMessageBox:
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, name) is not None, timeout=10_000)
    box = window.findChild(QMessageBox, name)
    assert box.isVisible()
    return box


def click(qtbot, box: QMessageBox, button: str) -> None:
    found = box.findChild(QPushButton, button)
    assert found is not None, button
    found.click()
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5000)


def names(book) -> set[str]:
    with book.session() as session:
        return set(session.scalars(select(Client.name)))


def book_id(book) -> str:
    with book.session() as session:
        found = identity.book_id(session)
        assert found is not None
        return found


def audit_count(book) -> int:
    with book.session() as session:
        return session.scalar(select(func.count(AuditEntry.id)))


def test_restoring_this_books_backup_asks_then_shows_the_restored_book(
    qtbot, window, ctx, monkeypatch
):
    book = ctx.book
    before = names(book)
    made = backup.make_backup(book, "manual")
    with book.session() as session:  # a change after the backup, audited
        session.add(factories.client("R1", "新客户张三"))
    assert "新客户张三" in names(book)
    trail = audit_count(book)
    threads: list[threading.Thread] = []
    real_restore = backup.restore

    def restore(*args, **kwargs):
        threads.append(threading.current_thread())
        return real_restore(*args, **kwargs)

    monkeypatch.setattr(backup, "restore", restore)
    asked: list = []
    choose(monkeypatch, made, asked)
    file_menu = [a.objectName() for a in window.file_menu.actions()]
    assert "restoreBackup" in file_menu
    assert window.restore_action.text() == "Restore from backup…"

    window.restore_action.trigger()
    assert asked and Path(asked[0][1]) == made.parent  # the book's backups folder is offered
    box = wait_box(qtbot, window, "restoreQuestion")
    text = box.text()
    assert made.name in text and book_id(book) in text
    assert backup.made_at(made).strftime("%Y-%m-%d %H:%M") in text
    assert f"holding {len(before)} clients" in text
    assert "stay in the trail" in text
    with qtbot.waitSignal(window.restore.restored, timeout=20_000) as signal:
        click(qtbot, box, "restoreYes")
    done = signal.args[0]
    assert threads and threads[0] is not threading.main_thread()
    assert not done.foreign and done.carried >= 1

    assert names(book) == before  # the change after the backup is gone...
    assert audit_count(book) > trail  # ...its audit entries stay, and the restore is audited
    with book.session() as session:
        assert session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "restore")
        )
    report = wait_box(qtbot, window, "restoreDone")
    assert "kept in the trail" in report.text() and str(done.kept) in report.text()
    qtbot.waitUntil(lambda: window.model.rowCount() == len(before), timeout=10_000)
    assert window.workspace.client_id is None
    assert not window.workspace.history.canUndo()
    assert window.restore_action.isEnabled()
    report.close()


def test_another_books_backup_names_both_books_and_asks_before_replacing(
    qtbot, window, ctx, monkeypatch, tmp_path
):
    book = ctx.book
    other = open_book(str(tmp_path / "other" / "colleague.sqlite"), passphrase=PASSPHRASE)
    try:
        with other.session() as session:
            session.add(factories.client("X1", "同事的客户"))
        other_id = book_id(other)
        foreign = backup.make_backup(other, "manual")
    finally:
        other.close()
    mine = book_id(book)
    with book.session() as session:  # entries that a foreign restore must keep aside
        session.add(factories.client("R2", "刚录入的客户"))
    dump = book_dump(book)
    choose(monkeypatch, foreign)

    window.restore_action.trigger()
    box = wait_box(qtbot, window, "restoreForeign")
    assert other_id in box.text() and mine in box.text()
    assert "another book" in box.text() and "holding 1 client." in box.text()
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.defaultButton().objectName() == "restoreNo"
    click(qtbot, box, "restoreNo")
    qtbot.wait(200)
    assert book_dump(book) == dump  # kept as it is
    assert window.findChild(QMessageBox, "restoreDone") is None

    window.restore_action.trigger()
    box = wait_box(qtbot, window, "restoreForeign")
    assert box.findChild(QPushButton, "restoreYes").text() == (
        "Replace this book with the other book"
    )
    with qtbot.waitSignal(window.restore.restored, timeout=20_000) as signal:
        click(qtbot, box, "restoreYes")
    done = signal.args[0]
    assert done.foreign and done.audit_file is not None and done.audit_file.is_file()
    assert names(book) == {"同事的客户"}
    assert book_id(book) == other_id
    report = wait_box(qtbot, window, "restoreDone")
    assert "this book is now that book" in report.text()
    assert str(done.audit_file) in report.text()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)
    report.close()


def test_a_damaged_backup_is_refused_with_its_reason_and_nothing_is_replaced(
    qtbot, window, ctx, monkeypatch
):
    book = ctx.book
    made = backup.make_backup(book, "manual")
    archive = made.with_name(made.name + ".documents.zip")
    archive.write_bytes(b"PK\x03\x04 not a whole zip")
    dump = book_dump(book)
    choose(monkeypatch, made)

    window.restore_action.trigger()
    box = wait_box(qtbot, window, "errorBox")
    assert "is damaged" in box.text() and "refused" in box.text()
    assert archive.name in box.text()
    box.close()
    assert book_dump(book) == dump
    assert window.findChild(QMessageBox, "restoreQuestion") is None
    assert window.restore_action.isEnabled()


def test_a_backup_that_does_not_open_asks_its_passphrase_then_refuses_in_chinese(
    qtbot, window, ctx, monkeypatch
):
    book = ctx.book
    made = backup.make_backup(book, "manual")
    data = bytearray(made.read_bytes())
    data[200] ^= 0xFF  # a flipped byte in the first page: it no longer opens
    made.write_bytes(bytes(data))
    dump = book_dump(book)
    asked: list[str] = []

    def typed(parent, title, label, echo):
        asked.append(label)
        assert echo.name == "Password"
        return "not it", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(typed))
    choose(monkeypatch, made)
    set_language("zh")
    window.retranslate()
    assert window.restore_action.text() == "从备份恢复…"

    window.restore_action.trigger()
    box = wait_box(qtbot, window, "errorBox")
    assert len(asked) == 1 and made.name in asked[0]
    assert made.name in box.text() and "拒绝" in box.text()
    box.close()
    assert book_dump(book) == dump


def test_a_backup_under_an_older_passphrase_restores_with_it_typed(
    qtbot, window, ctx, monkeypatch, tmp_path
):
    book = ctx.book
    before = names(book)
    made = backup.make_backup(book, "manual")
    older = tmp_path / "older.sqlite"
    # The same book's backup, under the passphrase the book had before.
    connection = crypto.connect(made, PASSPHRASE)
    crypto.rekey(connection, "the old passphrase")
    connection.close()
    made.rename(older)
    archive = made.with_name(made.name + ".documents.zip")
    archive.rename(older.with_name(older.name + ".documents.zip"))
    with book.session() as session:
        session.add(factories.client("R3", "备份之后的客户"))
    monkeypatch.setattr(
        QInputDialog, "getText", staticmethod(lambda *a: ("the old passphrase", True))
    )
    choose(monkeypatch, older)

    window.restore_action.trigger()
    box = wait_box(qtbot, window, "restoreQuestion")
    with qtbot.waitSignal(window.restore.restored, timeout=20_000):
        click(qtbot, box, "restoreYes")
    assert names(book) == before
    wait_box(qtbot, window, "restoreDone").close()
    # The book keeps its own passphrase, whatever the backup's was.
    book.close()
    open_book(str(book.path), passphrase=PASSPHRASE).close()


def test_a_restore_closes_the_previews_of_the_book_it_replaced(qtbot, window, ctx, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from reviewdesk.gui.pdf_preview import PdfPreviewDialog

    made = backup.make_backup(ctx.book, "manual")
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10_000)
    with qtbot.waitSignal(window.pack.finished, timeout=30_000) as shown:
        window.pack.preview(window.model.rows[0].id)
    _action, preview = shown.args
    loose = PdfPreviewDialog(preview.data, "loose", None)  # a preview without a parent
    loose.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    loose.show()
    other = QDialog(window)
    other.show()
    choose(monkeypatch, made)
    window.restore_action.trigger()
    box = wait_box(qtbot, window, "restoreQuestion")
    assert preview.isVisible() and loose.isVisible() and other.isVisible()
    with qtbot.waitSignal(window.restore.restored, timeout=20_000):
        click(qtbot, box, "restoreYes")
    assert all(not shiboken6.isValid(w) or not w.isVisible() for w in (preview, loose, other))
    report = wait_box(qtbot, window, "restoreDone")  # the restore's own report still shows
    assert window.isVisible()
    report.close()
