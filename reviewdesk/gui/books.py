"""Which book is open: the first start's choice, new, open and recent books, switching, and
encrypting a book or changing its passphrase from the app."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)
from sqlalchemy.engine import make_url

from reviewdesk import paths
from reviewdesk.app import ENV_PASSPHRASE, ENV_PLAIN, AppContext
from reviewdesk.book import crypto
from reviewdesk.book.db import ENV_DB, resolve_url, sqlite_path
from reviewdesk.book.errors import BookError
from reviewdesk.gui.common import close_other_windows
from reviewdesk.gui.forms import setup_form
from reviewdesk.gui.team_book import (
    TeamAddress,
    TeamBookDialog,
    is_team_location,
    start_check,
)
from reviewdesk.gui.worker import BackgroundTask, book_worker, cpu_pool
from reviewdesk.i18n import _

# A new passphrase is at least this long: a short one falls to a guessing attack on a
# stolen laptop's copy of the book, whatever the key derivation costs.
MIN_PASSPHRASE = 12
# Wrong current passphrases typed before Change passphrase gives up, nothing changed.
CURRENT_TRIES = 3
RECENT_KEY = "books/recent"
RECENT_LIMIT = 8
BOOK_FILTER = "*.sqlite *.db *.sqlite3"


# -- recent books --------------------------------------------------------------------------
def recent_books(settings: QSettings | None = None) -> list[str]:
    """The books opened last, newest first (file paths), as kept in the settings."""
    value = (settings or QSettings()).value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives a one-element list back as a string
        return [value] if value else []
    if not isinstance(value, list | tuple):
        return []
    return [str(v) for v in value if v]


def _store_recent(books: list[str], settings: QSettings | None = None) -> None:
    settings = settings or QSettings()
    settings.setValue(RECENT_KEY, books[:RECENT_LIMIT])
    settings.sync()


def remember_book(path: Path | str) -> None:
    """A book file (its full path) or a team book (its address, never a password)."""
    if isinstance(path, str) and is_team_location(path):
        text = make_url(path).set(password=None).render_as_string(hide_password=False)
    else:
        text = str(Path(path).expanduser().resolve())
    _store_recent([text, *(p for p in recent_books() if p != text)])


def forget_missing_books() -> list[str]:
    """Drop the recent book files that are gone (team books stay); returns those dropped."""
    books = recent_books()
    missing = [p for p in books if not is_team_location(p) and not Path(p).is_file()]
    if missing:
        _store_recent([p for p in books if p not in missing])
    return missing


def same_file(a: Path | None, b: Path | None) -> bool:
    if a is None or b is None:
        return False
    return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()


# -- dialogs -------------------------------------------------------------------------------
def passphrase_problem(first: str, second: str) -> str | None:
    """Why a new passphrase typed twice cannot be taken, or None."""
    if len(first) < MIN_PASSPHRASE:
        return _(
            "The passphrase has {count} characters; it needs at least {minimum}. "
            "A few words make a good one."
        ).format(count=len(first), minimum=MIN_PASSPHRASE)
    if first != second:
        return _("The two passphrases differ: type the same one twice.")
    if "\x00" in first:
        return _("The passphrase cannot contain a NUL character.")
    return None


class NewPassphraseDialog(QDialog):
    """A new passphrase, typed twice; a short or mismatched one is refused here, with the
    reason, and the dialog stays open for another try.

    Changing a passphrase first asks for the current one, checked by `check` against the
    book before anything else: a wrong one says so and asks again, and after
    CURRENT_TRIES wrong ones the dialog gives up (`gave_up`), nothing changed."""

    chosen = Signal(str)
    gave_up = Signal()

    def __init__(
        self,
        book: Path,
        purpose: str,
        parent: QWidget | None = None,
        check: Callable[[str], bool] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("newPassphraseDialog")
        self.book = Path(book)
        self.purpose = purpose  # "new", "encrypt" or "change"
        if purpose == "change" and check is None:
            raise ValueError("changing a passphrase needs a check of the current one")
        self.check = check
        self.wrong_tries = 0
        self.current_passphrase: str | None = None  # once checked
        self.setWindowTitle(
            {
                "new": _("New book"),
                "encrypt": _("Encrypt book"),
                "change": _("Change passphrase"),
            }[purpose]
        )
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        intro = {
            "new": _(
                "The new book {book} is encrypted. Choose its passphrase: at least {minimum} "
                "characters. Without it the book cannot be opened, by anyone: keep it safe."
            ),
            "encrypt": _(
                "{book} will be encrypted, with its backups. Choose its passphrase: at least "
                "{minimum} characters. Without it the book cannot be opened, by anyone."
            ),
            "change": _(
                "Type the passphrase {book} opens with now, then the new one twice: at least "
                "{minimum} characters. The book and its backups will then open with the new "
                "passphrase only."
            ),
        }[purpose]
        self.ui = setup_form("new_passphrase_dialog", self)
        self.intro = self.ui.passphraseIntro
        self.intro.setText(intro.format(book=self.book, minimum=MIN_PASSPHRASE))
        self.first = self.ui.passphraseFirst
        self.second = self.ui.passphraseSecond
        self.current = self.ui.passphraseCurrent
        if purpose == "change":
            self.ui.passphraseFirstLabel.setText(_("New passphrase"))
            self.first.setAccessibleName(_("New passphrase"))
            self.current.setFocus()
        else:
            self.ui.passphraseForm.removeRow(self.current)
            self.current = None
        self.reason = self.ui.passphraseReason
        self.reason.hide()
        self.buttons = self.ui.passphraseButtons
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setObjectName("passphraseOk")
        ok.setText(
            {
                "new": _("Create the book"),
                "encrypt": _("Continue"),
                "change": _("Continue"),
            }[purpose]
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def accept(self) -> None:
        if self.current is not None and not self._current_checks():
            return
        problem = passphrase_problem(self.first.text(), self.second.text())
        if problem is None and self.current_passphrase == self.first.text():
            problem = _("The new passphrase is the one the book has now: choose another.")
        if problem is not None:
            self._say(problem)
            self.second.clear()
            self.first.selectAll()
            self.first.setFocus()
            return
        passphrase = self.first.text()
        super().accept()
        self.chosen.emit(passphrase)

    def _current_checks(self) -> bool:
        """The current passphrase, checked against the book; a wrong one is counted."""
        assert self.current is not None and self.check is not None
        typed = self.current.text()
        if typed and self.check(typed):
            self.current_passphrase = typed
            return True
        self.current_passphrase = None
        self.wrong_tries += 1
        left = CURRENT_TRIES - self.wrong_tries
        if left <= 0:
            self.reject()
            self.gave_up.emit()
            return False
        self._say(
            _(
                "That is not the current passphrase of the book; nothing was changed. "
                "Tries left: {n}."
            ).format(n=left)
        )
        self.current.clear()
        self.current.setFocus()
        return False

    def _say(self, problem: str) -> None:
        self.reason.setText(problem)
        self.reason.show()


class FirstStartDialog(QDialog):
    """The app's first screen while there is no book yet: an empty book of one's own, or
    the demo, one click each."""

    chosen = Signal(str)  # "empty", "demo" or "open"

    def __init__(self, book: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = setup_form("first_start_dialog", self)
        heading = self.ui.firstStartHeading
        font = heading.font()
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        heading.setFont(font)
        self.empty_button = self.ui.startEmptyBook
        self.empty_button.setDescription(
            _(
                "Your own clients, in an encrypted book ({book}). You choose its passphrase next."
            ).format(book=book)
        )
        self.demo_button = self.ui.tryDemo
        self.open_button = self.ui.openBookFile
        self.quit_button = self.ui.firstStartQuit
        for button, choice in (
            (self.empty_button, "empty"),
            (self.demo_button, "demo"),
            (self.open_button, "open"),
        ):
            button.clicked.connect(lambda _c=False, c=choice: self._choose(c))
        self.quit_button.clicked.connect(self.reject)
        self.empty_button.setFocus()

    def _choose(self, choice: str) -> None:
        self.hide()
        self.chosen.emit(choice)


def busy_dialog(parent: QWidget | None, label: str) -> QProgressDialog:
    """A busy indicator that keeps the window from other changes meanwhile (no cancel)."""
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setObjectName("bookProgress")
    dialog.setWindowTitle(_("ReviewDesk"))
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(420)
    dialog.show()
    return dialog


def run_busy(
    parent: QWidget | None,
    label: str,
    work: Callable[[Any], Any],
    done: Callable[[Any], None],
    failed: Callable[[BaseException], None],
) -> QProgressDialog:
    """`work(token)` on the book worker while a progress dialog (busy, or counting what the
    work reports through `token.progress`) keeps the window from other changes."""
    dialog = busy_dialog(parent, label)

    def progress(count: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(count)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        if shiboken6.isValid(dialog):
            dialog.close()
            dialog.deleteLater()
        callback(value)

    BackgroundTask(work).success(lambda r: finish(done, r)).failure(
        lambda e: finish(failed, e)
    ).progress(progress).run_on(book_worker())
    return dialog


def drain_workers() -> None:
    """Let the book's queued work (saves, reads, a backup) finish and report back."""
    for _round in range(5):
        book_worker().waitForDone()
        cpu_pool().waitForDone()
        QApplication.processEvents()
        if not (book_worker().activeThreadCount() or cpu_pool().activeThreadCount()):
            break


# -- the open book -------------------------------------------------------------------------
class Books(QObject):
    """The book the app has open and its main window; everything that changes which book
    that is, or how it is protected."""

    window_changed = Signal(object)  # the new main window
    start_abandoned = Signal()  # the first start's choice was closed without a book

    def __init__(self, template: AppContext, notices: list[str] | None = None):
        super().__init__()
        self.template = template
        self.ctx: AppContext | None = None
        self.window: Any = None  # MainWindow (imported late: it is large)
        self.first_start: FirstStartDialog | None = None
        self.dialog: QDialog | None = None  # the passphrase dialog on screen, if any
        self.progress: QProgressDialog | None = None
        self._notices = notices if notices is not None else []

    # starting
    def is_first_start(self) -> bool:
        """No book named anywhere, and none yet at the default location."""
        ctx = self.template
        if ctx.db or os.environ.get(ENV_DB) or ctx._book is not None:
            return False
        return crypto.file_kind(paths.default_book_path()) == "new"

    def needs_new_passphrase(self) -> bool:
        """A book file named on the command line that does not exist yet, to be encrypted
        with a passphrase chosen here."""
        ctx = self.template
        if ctx._book is not None or ctx.plain or os.environ.get(ENV_PLAIN):
            return False
        if os.environ.get(ENV_PASSPHRASE) or not (ctx.db or os.environ.get(ENV_DB)):
            return False
        path = sqlite_path(resolve_url(ctx.db))
        return path is not None and crypto.file_kind(path) == "new"

    def show_first_start(self) -> FirstStartDialog:
        dialog = FirstStartDialog(paths.default_book_path())
        dialog.chosen.connect(self._first_choice)
        dialog.rejected.connect(self.start_abandoned)
        self.first_start = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _first_choice(self, choice: str) -> None:
        if choice == "empty":
            self.start_empty_book()
        elif choice == "demo":
            self.open_demo()
        else:
            self.open_book_file()

    def _back_to_choice(self) -> None:
        """A first start abandoned half-way shows its choice again (not the end of the app)."""
        if self.window is None and self.first_start is not None:
            self.first_start.show()

    def _context(self, db: str | None, plain: bool = False) -> AppContext:
        from reviewdesk.gui.main import ask_passphrase, offer_keyring

        base = self.template
        return AppContext(
            db=db,
            today=base.today,
            user=base.user,
            plain=plain or base.plain,
            passphrase_provider=ask_passphrase,
            keyring_offer=offer_keyring,
            notify=self._notices.append,
            backup_on_open=False,  # made in the background once the window is up
        )

    # a new, empty book
    def start_empty_book(self) -> None:
        """The first start's empty book, at the default location."""
        ctx = self._context(None)
        if self.template.plain or os.environ.get(ENV_PLAIN):
            self._create(ctx, None)
            return
        given = os.environ.get(ENV_PASSPHRASE)
        if given:  # the passphrase the command line gives every book
            self._create(ctx, given)
            return
        self.ask_new_passphrase(paths.default_book_path(), "new", lambda p: self._create(ctx, p))

    def start_named_book(self) -> None:
        """The book file named on the command line, new: encrypted under a chosen passphrase."""
        ctx = self._context(self.template.db or os.environ.get(ENV_DB))
        path = sqlite_path(resolve_url(ctx.db))
        assert path is not None
        self.ask_new_passphrase(path, "new", lambda p: self._create(ctx, p))

    def ask_new_passphrase(
        self,
        book: Path,
        purpose: str,
        then: Callable[[str], None],
        check: Callable[[str], bool] | None = None,
    ) -> NewPassphraseDialog:
        dialog = NewPassphraseDialog(book, purpose, self.window, check)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.chosen.connect(then)
        dialog.rejected.connect(self._dialog_rejected)
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _dialog_rejected(self) -> None:
        self.dialog = None
        if self.window is None and self.first_start is None:
            self.start_abandoned.emit()  # a book named on the command line, not made
        self._back_to_choice()

    def _create(self, ctx: AppContext, passphrase: str | None) -> None:
        self.dialog = None

        def made(_book) -> None:
            book = ctx.book
            if passphrase is not None and book.path is not None:
                ctx._offer_keyring(book.path, passphrase)
            self.show_book(ctx)

        def failed(exc: BaseException) -> None:
            ctx.close(for_good=True)
            self._refused(_("The book could not be created: {error}"), exc)
            self._back_to_choice()
            if self.window is None and self.first_start is None:
                self.start_abandoned.emit()

        self.progress = run_busy(
            self.window or self.first_start,
            _("Creating the book…"),
            lambda _token: ctx.create_book(passphrase),
            made,
            failed,
        )

    def new_book(self) -> None:
        """File > New book…: an empty, encrypted book in a file of the user's choosing."""
        suggested = paths.data_dir() / _("new-book.sqlite")
        name, _filter = QFileDialog.getSaveFileName(
            self.window,
            _("New book"),
            str(suggested),
            _("ReviewDesk books ({patterns})").format(patterns=BOOK_FILTER),
        )
        if not name:
            return
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(".sqlite")
        if crypto.file_kind(path) != "new":
            self._refused(
                _("{book} already exists: a new book never replaces one. Open it instead."),
                path,
            )
            return
        ctx = self._context(str(path))
        self.ask_new_passphrase(path, "new", lambda p: self._create(ctx, p))

    # opening
    def open_demo(self) -> None:
        """The demo book, apart from the real one: made and filled on its first opening."""
        ctx = self._context(str(paths.demo_book_path()), plain=True)
        if not self._open(ctx):
            self._back_to_choice()
            return
        if ctx.book.read_only or ctx.client_count():
            self.show_book(ctx)
            return

        def failed(exc: BaseException) -> None:
            ctx.close(for_good=True)
            self._refused(_("The demo book could not be made: {error}"), exc)
            self._back_to_choice()

        self.progress = run_busy(
            self.window or self.first_start,
            _("Creating the demo book…"),
            lambda token: ctx.ensure_demo(token.progress),
            lambda _made: self.show_book(ctx),
            failed,
        )

    def open_book_file(self) -> None:
        """File > Open book…: a book file (SQLite, encrypted or not)."""
        start = self.ctx.book.path.parent if self.ctx and self.ctx.book.path else paths.data_dir()
        name, _filter = QFileDialog.getOpenFileName(
            self.window or self.first_start,
            _("Open book"),
            str(start),
            _("ReviewDesk books ({patterns});;All files (*)").format(patterns=BOOK_FILTER),
        )
        if not name:
            self._back_to_choice()
            return
        self.open_path(Path(name))

    def open_recent(self, name: str) -> None:
        if is_team_location(name):
            self.open_team_url(name)
            return
        path = Path(name)
        if not path.is_file():
            forget_missing_books()
            self._say(
                _("{book} is no longer there; it was removed from the recent books.").format(
                    book=path
                )
            )
            if self.window is not None:
                self.window.fill_recent_menu()
            return
        self.open_path(path)

    def open_team_book(
        self, address: TeamAddress | None = None, problem: str | None = None
    ) -> TeamBookDialog:
        """File > Open a team book…: the server's address and the person's password; the
        window switches once the server says who they are in the team."""
        dialog = TeamBookDialog(self.window or self.first_start, address, problem)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.connected.connect(lambda url, password, _me: self.open_team(url, password))
        dialog.rejected.connect(self._dialog_rejected)
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def open_team_url(self, url: str) -> QProgressDialog | None:
        """A team book of the recent books: opened with the password kept in the keyring
        (or PGPASSWORD), else the dialog asks for it. The connection is checked off the UI
        thread while a busy dialog says so (a server that does not answer takes up to
        CONNECT_TIMEOUT seconds); a failure opens the dialog with its one sentence."""
        from reviewdesk.book import keys, server

        address = TeamAddress.from_url(url)
        if self.ctx is not None and self.ctx.db == address.url():
            self._say(_("{book} is the book open now.").format(book=address.label()))
            return None
        kept = keys.load_account(server.SERVICE, server.account(url))
        if kept is None and not os.environ.get("PGPASSWORD"):
            self.open_team_book(address)
            return None
        busy = busy_dialog(
            self.window or self.first_start,
            _("Connecting to {server}…").format(server=address.host),
        )

        def finish() -> None:
            if shiboken6.isValid(busy):
                busy.close()
                busy.deleteLater()

        def connected(_person: Any) -> None:
            finish()
            self.open_team(address.url(), kept or "")

        def refused(text: str) -> None:
            finish()
            self.open_team_book(address, text)

        start_check(address.url(), kept, connected, refused)
        return busy

    def open_team(self, url: str, password: str) -> bool:
        """Switch the window to the team book at `url` (no password in it)."""
        self.dialog = None
        ctx = self._context(url)
        ctx.server_password = password or None
        if not self._open(ctx):
            return False
        self.show_book(ctx)
        return True

    def open_path(self, path: Path) -> bool:
        if self.ctx is not None and same_file(self.ctx.book.path, path):
            self._say(_("{book} is the book open now.").format(book=path))
            return False
        if crypto.file_kind(path) == "new":
            self._refused(_("{book} is empty or missing: it is not a ReviewDesk book."), path)
            self._back_to_choice()
            return False
        ctx = self._context(str(path))
        if not self._open(ctx):
            self._back_to_choice()
            return False
        self.show_book(ctx)
        return True

    def _open(self, ctx: AppContext) -> bool:
        """Open the book (asking for its passphrase); a failure is a message, and the book
        open until now stays open."""
        from reviewdesk.gui.main import open_with_dialogs

        try:
            open_with_dialogs(ctx)
        except BookError as exc:
            ctx.close(for_good=True)
            self._refused(_("The book cannot be opened: {error}"), exc.message())
            return False
        except Exception as exc:  # noqa: BLE001 - a message box, the traceback to the log
            import logging

            logging.getLogger("reviewdesk.gui").exception("opening a book failed")
            ctx.close(for_good=True)
            self._refused(_("The book cannot be opened: {error}"), exc)
            return False
        return True

    # switching
    def show_book(self, ctx: AppContext) -> Any:
        """The main window on `ctx`'s book; the book open until now is closed cleanly: its
        queued saves finish, its layout and last client are kept, its lock is released."""
        from reviewdesk.gui.main import after_first_screen, show_document_problems
        from reviewdesk.gui.mainwindow import MainWindow

        old_window, old_ctx = self.window, self.ctx
        if old_window is not None:
            old_window.save_layout()
            # Nothing of the old book outlives it on screen: a preview of one of its
            # clients, a dialog left open, with a parent window or without.
            close_other_windows(old_window)
        drain_workers()
        window = MainWindow(ctx, books=self)
        notices = [*self._notices]
        self._notices.clear()
        ctx.notify = lambda message: window.statusBar().showMessage(message, 15_000)
        self.window, self.ctx = window, ctx
        window.show()
        window.raise_()
        window.activateWindow()
        if old_window is not None:
            old_window.close()
            old_window.deleteLater()
        if old_ctx is not None:
            drain_workers()
            old_ctx.close(for_good=True)
        if self.first_start is not None:
            self.first_start.deleteLater()
            self.first_start = None
        if ctx.book.path is not None:
            remember_book(ctx.book.path)
        elif ctx.db and is_team_location(ctx.db):
            remember_book(ctx.db)
        if notices:
            window.statusBar().showMessage("  ".join(notices), 30_000)
        show_document_problems(ctx, window)
        after_first_screen(ctx, window)
        self.window_changed.emit(window)
        return window

    def close(self) -> None:
        """The app ends: queued work finishes, then the book closes (its lock released)."""
        drain_workers()
        if self.ctx is not None:
            self.ctx.close(for_good=True)

    # protecting the open book
    def encrypt_book(self) -> None:
        book = self.ctx.book if self.ctx else None
        if book is None or book.path is None or book.read_only or book.encrypted:
            return
        path = book.path
        self.ask_new_passphrase(path, "encrypt", lambda p: self._confirm_rekey(path, p, False))

    def change_passphrase(self) -> None:
        book = self.ctx.book if self.ctx else None
        if book is None or book.path is None or book.read_only or not book.encrypted:
            return
        path = book.path

        def chosen(passphrase: str) -> None:
            self._confirm_rekey(path, passphrase, True, dialog.current_passphrase)

        def gave_up() -> None:
            QMessageBox.warning(
                self.window,
                _("Change passphrase"),
                _(
                    "The current passphrase was typed wrong {n} times: the passphrase of "
                    "{book} was not changed."
                ).format(n=CURRENT_TRIES, book=path),
            )

        dialog = self.ask_new_passphrase(path, "change", chosen, book.opens_with)
        dialog.gave_up.connect(gave_up)

    def _confirm_rekey(
        self, path: Path, passphrase: str, encrypted: bool, current: str | None = None
    ) -> None:
        self.dialog = None
        if encrypted:
            text = _(
                "Change the passphrase of {book}? From now on it and its backups open with "
                "the new passphrase only."
            )
            button = _("Change the passphrase")
        else:
            text = _(
                "Encrypt {book}? It and its backups will open with this passphrase only; "
                "without it nobody can read them, nor can the book be recovered."
            )
            button = _("Encrypt {name}").format(name=path.name)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Change passphrase") if encrypted else _("Encrypt book"),
            text.format(book=path),
            QMessageBox.StandardButton.NoButton,
            self.window,
        )
        box.setObjectName("confirmRekey")
        go = box.addButton(button, QMessageBox.ButtonRole.AcceptRole)
        go.setObjectName("confirmRekeyYes")
        keep = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("confirmRekeyNo")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def answered(_result: int) -> None:
            if box.clickedButton() is go:
                # Once the box's click is done with: the re-key first lets the queued work
                # report back (events processed), which may delete the box closing now.
                QTimer.singleShot(0, lambda: self._rekey(passphrase, encrypted, current))

        box.finished.connect(answered)
        box.open()

    def _rekey(self, passphrase: str, encrypted: bool, current: str | None = None) -> None:
        ctx, window = self.ctx, self.window
        assert ctx is not None and window is not None

        def done(result: tuple[bool, int]) -> None:
            _was, followed = result
            if encrypted:
                text = _("The passphrase was changed; backups re-keyed: {n}.")
            else:
                text = _("The book is now encrypted; backups encrypted too: {n}.")
                path = ctx.book.path
                if path is not None:
                    ctx._offer_keyring(path, passphrase)
            window.book_protection_changed()
            window.statusBar().showMessage(text.format(n=followed), 20_000)

        def failed(exc: BaseException) -> None:
            self._refused(
                _("The passphrase was not changed: {error}")
                if encrypted
                else _("The book was not encrypted: {error}"),
                exc,
            )
            window.book_protection_changed()

        drain_workers()  # the book's queued saves are in before its key changes
        self.progress = run_busy(
            window,
            _("Changing the passphrase…") if encrypted else _("Encrypting the book…"),
            lambda _token: ctx.change_passphrase(passphrase, current),
            done,
            failed,
        )

    # messages
    def _say(self, text: str) -> None:
        if self.window is not None:
            self.window.statusBar().showMessage(text, 15_000)
        else:
            QMessageBox.information(None, _("ReviewDesk"), text)

    def _refused(self, template: str, value: object) -> None:
        if isinstance(value, BookError):
            value = value.message()
        text = template.format(error=value, book=value)
        QMessageBox.warning(self.window or self.first_start, _("ReviewDesk"), text)
