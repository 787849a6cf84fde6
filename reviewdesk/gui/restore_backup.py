"""File > Restore from backup…: the command line's restore (`reviewdesk restore`, see
`reviewdesk.book.backup.restore`) from the desktop.

The manager picks a backup file; it is checked on the book worker (the whole file, its
documents, the book it was made from) and described: whose book, when, how many clients.
A backup of another book asks before it replaces this one, naming both books. The
restore itself runs on the book worker too (every other book task waits behind it); the
window then shows the restored book and says where the audit entries made since the
backup went. A file that is refused is refused with its reason, and nothing is replaced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from reviewdesk.book import backup, crypto, identity
from reviewdesk.book.db import CorruptBook, backups_dir
from reviewdesk.book.errors import BookError
from reviewdesk.gui.common import close_other_windows, show_error
from reviewdesk.gui.worker import BackgroundTask, book_worker
from reviewdesk.i18n import _, ngettext


@dataclass(frozen=True)
class BackupFacts:
    """What the manager is shown before a restore."""

    path: Path
    passphrase: str | None  # what opens it (the book's, or the one typed for it)
    book_id: str | None  # the book it was made from (None: made before identities)
    current_id: str | None  # this book's
    made: dt.datetime
    clients: int
    documents: int | None

    @property
    def foreign(self) -> bool:
        return self.book_id is not None and self.book_id != self.current_id


def inspect(ctx, path: Path, passphrase: str | None) -> BackupFacts:
    """Check the backup at `path` (refused with the reason) and say what it is; on the
    book worker."""
    checked = backup.verify(path, passphrase)
    with ctx.book.session() as session:
        current = identity.book_id(session)
    return BackupFacts(
        path=path,
        passphrase=passphrase,
        book_id=checked.book_id,
        current_id=current,
        made=backup.made_at(path),
        clients=checked.tables.get("client", (0, ""))[0],
        documents=checked.documents,
    )


def needs_its_passphrase(exc: BaseException) -> bool:
    """The backup did not open with the book's passphrase: made under an older one, or
    damaged (only its passphrase can tell)."""
    return isinstance(exc, CorruptBook) and isinstance(exc.__cause__, crypto.WrongPassphrase)


def question_text(facts: BackupFacts) -> str:
    made = facts.made.strftime("%Y-%m-%d %H:%M")
    clients = ngettext("holding {n} client", "holding {n} clients", facts.clients).format(
        n=facts.clients
    )
    if facts.foreign:
        return _(
            "{file} is a backup of another book: book {other}, made {made}, {clients}. "
            "This book is book {mine}.\n\nRestoring it replaces this book with that other "
            "book. The book as it is now is kept as a backup first, and the audit entries "
            "made in it since are written beside that copy."
        ).format(
            file=facts.path.name,
            other=facts.book_id,
            made=made,
            clients=clients,
            mine=facts.current_id or _("not named"),
        )
    return _(
        "{file} is a backup of this book (book {book}), made {made}, {clients}.\n\n"
        "Restoring it replaces the book as it is now, which is kept as a backup first. "
        "The audit entries made since the backup stay in the trail."
    ).format(
        file=facts.path.name,
        book=facts.book_id or _("not named"),
        made=made,
        clients=clients,
    )


def outcome_text(done: backup.Restored, source: Path) -> str:
    """What the restore did, as the command line says it."""
    lines = [
        _(
            "Restored from {file} (a backup of book {book}). The book as it was is kept as {kept}."
        ).format(file=source, book=done.book_id or _("not named"), kept=done.kept)
    ]
    if done.foreign:
        lines.append(_("The backup was of another book: this book is now that book."))
    if done.audit_file is not None:
        lines.append(
            _("The audit entries made since are written to {file}.").format(file=done.audit_file)
        )
    elif done.carried:
        lines.append(
            ngettext(
                "{n} audit entry made since the backup is kept in the trail.",
                "{n} audit entries made since the backup are kept in the trail.",
                done.carried,
            ).format(n=done.carried)
        )
    else:
        lines.append(_("No audit entry was made since the backup."))
    if done.documents is not None:
        lines.append(
            ngettext(
                "{n} document was put back.", "{n} documents were put back.", done.documents
            ).format(n=done.documents)
        )
    return "\n".join(lines)


class RestoreActions(QObject):
    """The restore, step by step, for a main window (its list, pages and status bar)."""

    restored = Signal(object)  # the backup.Restored, once the window shows the restored book
    running = Signal(bool)

    def __init__(self, ctx, window: QWidget):
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.busy = False

    # 1. the file
    def choose(self) -> None:
        book = self.ctx.book
        if self.busy or book.read_only:
            return
        if book.path is None:  # a database server keeps its own backups
            show_error(self.window, BookError(_("only a book file can be restored")))
            return
        folder = backups_dir(book.path)
        path, _filter = QFileDialog.getOpenFileName(
            self.window,
            _("Restore from backup"),
            str(folder if folder.is_dir() else book.path.parent),
            _("ReviewDesk backups (*.sqlite);;All files (*)"),
        )
        if path:
            self.check(Path(path), book._passphrase)

    # 2. the check, on the book worker
    def check(self, path: Path, passphrase: str | None, asked: bool = False) -> None:
        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            if not asked and needs_its_passphrase(exc):
                typed = self.ask_passphrase(path)
                if typed:
                    self.check(path, typed, asked=True)
                    return
            show_error(self.window, exc)

        def checked(facts: BackupFacts) -> None:
            self._set_busy(False)
            self.confirm(facts)

        self._set_busy(True)
        self._status(_("Checking {file}…").format(file=path.name))
        task = BackgroundTask(lambda _token: inspect(self.ctx, path, passphrase))
        task.success(checked).failure(failed).run_on(book_worker())

    def ask_passphrase(self, path: Path) -> str | None:
        text, ok = QInputDialog.getText(
            self.window,
            _("Restore from backup"),
            _(
                "{file} does not open with this book's passphrase: it was made under another "
                "passphrase, or it is damaged. Its passphrase:"
            ).format(file=path.name),
            QLineEdit.EchoMode.Password,
        )
        return text if ok and text else None

    # 3. the question
    def confirm(self, facts: BackupFacts) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Warning if facts.foreign else QMessageBox.Icon.Question,
            _("Restore from backup"),
            question_text(facts),
            QMessageBox.StandardButton.NoButton,
            self.window,
        )
        box.setObjectName("restoreForeign" if facts.foreign else "restoreQuestion")
        restore = box.addButton(
            _("Replace this book with the other book") if facts.foreign else _("Restore"),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        restore.setObjectName("restoreYes")
        keep = box.addButton(_("Keep the book as it is"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("restoreNo")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def answered(_result: int) -> None:
            if box.clickedButton() is restore:
                self.run(facts)

        box.finished.connect(answered)
        box.open()
        return box

    # 4. the restore, on the book worker
    def run(self, facts: BackupFacts) -> None:
        book = self.ctx.book

        def work(_token) -> backup.Restored:
            return backup.restore(book, facts.path, facts.passphrase, foreign=facts.foreign)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self._status("")
            show_error(self.window, exc)

        self._set_busy(True)
        self._status(_("Restoring from {file}…").format(file=facts.path.name))
        task = BackgroundTask(work)
        task.success(lambda done: self._done(done, facts)).failure(failed).run_on(book_worker())

    # 5. the window on the restored book
    def _done(self, done: backup.Restored, facts: BackupFacts) -> None:
        self._set_busy(False)
        window = self.window
        # A preview or a dialog left open shows the book replaced: none outlives it.
        close_other_windows(window)
        # Client ids, the open client and what could be undone belong to the book replaced.
        workspace = getattr(window, "workspace", None)
        if workspace is not None:
            workspace.history.forget()
            workspace.open_client(None)
        if hasattr(window, "refresh_all"):
            window.refresh_all()
        for page in getattr(window, "built_pages", {}).values():
            page.refresh()
        text = outcome_text(done, facts.path)
        self._status(text.splitlines()[0])
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("Restore from backup"),
            text,
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setObjectName("restoreDone")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()
        self.restored.emit(done)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.running.emit(busy)

    def _status(self, text: str) -> None:
        bar = getattr(self.window, "statusBar", None)
        if bar is not None:
            if text:
                bar().showMessage(text, 15_000)
            else:
                bar().clearMessage()
