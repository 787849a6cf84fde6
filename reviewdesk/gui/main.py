"""Starting the desktop app: the application, its font, the book, the main window."""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QLocale, QSettings, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox

from reviewdesk import collector, paths
from reviewdesk.book import documents
from reviewdesk.book.errors import BookError
from reviewdesk.gui.qt_language import apply_qt_language
from reviewdesk.gui.worker import BackgroundTask, cpu_pool
from reviewdesk.i18n import LANGUAGES, _, current_language, set_language

log = logging.getLogger("reviewdesk.gui")
FONT = ("fonts", "DroidSansFallbackFull.ttf")
# What waits for the first screen to be read waits this long at most.
FIRST_SCREEN_LATEST_MS = 10_000


def configure_application(app: QApplication) -> None:
    """Names for QSettings (kept in the data folder) and a font that renders Chinese."""
    app.setApplicationName("ReviewDesk")
    app.setOrganizationName("ReviewDesk")
    app.setOrganizationDomain("reviewdesk.local")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(paths.data_dir()))
    install_fonts(app)


def install_fonts(app: QApplication) -> list[str]:
    """The shipped CJK font as a fallback after the platform's own UI font."""
    font_id = QFontDatabase.addApplicationFont(str(paths.resource(*FONT)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        font = QFont(app.font())
        base = [f for f in font.families() if f not in families] or [font.family()]
        font.setFamilies(base + families)
        app.setFont(font)
    return families


def choose_language() -> None:
    """The language chosen in Settings, unless the command line or environment set one;
    until one is chosen, the desktop's own (a Chinese desktop's first start is in
    Chinese, not in English)."""
    if "--ui-lang" in sys.argv or os.environ.get("REVIEWDESK_LANG"):
        return
    lang = QSettings().value("ui/language", "", str)
    if lang not in LANGUAGES:
        lang = desktop_language() or ""
    if lang in LANGUAGES:
        set_language(lang)


def desktop_language() -> str | None:
    """The first of the desktop's interface languages the app has (zh-CN, zh-Hans-CN or
    zh-TW give Chinese), or None."""
    for name in QLocale.system().uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return None


def ask_passphrase(path, new: bool) -> str | None:
    """The book's passphrase from a dialog; a new book's is typed twice."""
    prompt = (
        _("The new book {book} will be encrypted. Choose its passphrase:")
        if new
        else _("The book {book} is encrypted. Its passphrase:")
    ).format(book=path)
    first, ok = QInputDialog.getText(None, _("ReviewDesk"), prompt, QLineEdit.EchoMode.Password)
    if not ok or not first:
        return None
    if new:
        second, ok = QInputDialog.getText(
            None, _("ReviewDesk"), _("The same passphrase again:"), QLineEdit.EchoMode.Password
        )
        if not ok or second != first:
            QMessageBox.warning(None, _("ReviewDesk"), _("The two passphrases differ."))
            return None
    return first


def offer_keyring(path, passphrase: str) -> None:
    from reviewdesk.book import keys

    answer = QMessageBox.question(
        None,
        _("ReviewDesk"),
        _(
            "Keep the passphrase in this computer's keyring, so that {book} opens without asking?"
        ).format(book=path),
    )
    if answer == QMessageBox.StandardButton.Yes:
        keys.store(path, passphrase)


def open_with_dialogs(ctx, attempts: int = 3) -> None:
    """Open the book, asking for the passphrase in dialogs; a wrong one may be retyped."""
    from reviewdesk.book.crypto import WrongPassphrase

    if hasattr(ctx, "passphrase_provider"):
        ctx.passphrase_provider = ask_passphrase
        ctx.keyring_offer = offer_keyring
    if hasattr(ctx, "backup_on_open"):
        ctx.backup_on_open = False  # made in the background once the window is up
    for attempt in range(attempts):
        try:
            ctx.book  # noqa: B018 - opening (and upgrading) the book may fail: tell the user
            return
        except WrongPassphrase:
            if attempt == attempts - 1:
                raise
            QMessageBox.warning(
                None, _("ReviewDesk"), _("That passphrase does not open the book. Try again.")
            )


def run_gui(ctx) -> int:
    """The desktop app: its first screen is the first start's choice while there is no book
    yet; otherwise the book (named, or the default one) opens and its window shows."""
    from reviewdesk.gui.books import Books

    instance = QApplication.instance()
    app = instance if isinstance(instance, QApplication) else QApplication(sys.argv)
    configure_application(app)
    choose_language()
    apply_qt_language(current_language())
    documents.clear_stale_opened()  # copies opened by a run that did not exit cleanly
    app.aboutToQuit.connect(documents.clear_opened)
    notices: list[str] = []
    if hasattr(ctx, "notify"):
        ctx.notify = notices.append  # shown in the status bar once the window is up
    books = Books(ctx, notices)
    # Between the first screen and the main window no window may be up for a moment.
    app.setQuitOnLastWindowClosed(False)
    books.start_abandoned.connect(app.quit)
    books.window_changed.connect(lambda _w: app.setQuitOnLastWindowClosed(True))
    if books.is_first_start():
        collector.release()  # the choice of a first start comes at the person's pace
        books.show_first_start()
    elif books.needs_new_passphrase():
        collector.release()
        books.start_named_book()
    else:
        try:
            open_with_dialogs(ctx)
        except BookError as exc:
            QMessageBox.critical(
                None, _("ReviewDesk"), _("The book cannot be opened: {error}").format(error=exc)
            )
            return 1
        except Exception as exc:  # noqa: BLE001 - a message box, the traceback to the log
            log.exception("opening the book failed")
            QMessageBox.critical(
                None, _("ReviewDesk"), _("The book cannot be opened: {error}").format(error=exc)
            )
            return 1
        books.show_book(ctx)
    code = app.exec()
    # Let running work finish (a backup, a save) before the book closes with the process.
    books.close()
    return code


def show_document_problems(ctx, window) -> None:
    problems = getattr(getattr(ctx, "_book", None), "document_problems", None)
    if problems:
        QMessageBox.warning(
            window,
            _("ReviewDesk"),
            _("Some documents could not be moved into the book's folder:")
            + "\n\n"
            + "\n".join(problems),
        )


def after_first_screen(ctx, window) -> None:
    """What waits for the window's first screen to be read (its client list arrives after
    the home page's read), or `FIRST_SCREEN_LATEST_MS` at most (a list that could not be
    read): the day's first backup, whose connection (an encrypted book's derives its key
    again, about 0.2 s) and copy of the whole book took the cores from the launch's reads
    when it started with the window; and the cycle collector, held since the program
    started (reviewdesk.collector), runs again."""
    started = False

    def start() -> None:
        nonlocal started
        collector.release()
        if not started and not getattr(ctx, "retired", False):
            started = True
            start_daily_backup(ctx, window)

    window.list_loaded.connect(start)
    QTimer.singleShot(FIRST_SCREEN_LATEST_MS, window, start)


def start_daily_backup(ctx, window) -> None:
    """The day's first backup, made off the UI thread on a connection of its own."""
    if not hasattr(ctx, "daily_backup"):
        return

    def failed(exc: BaseException) -> None:
        log.error("daily backup failed", exc_info=exc)
        if hasattr(window, "show_backup_problem"):
            window.show_backup_problem(str(exc))
        else:
            window.statusBar().showMessage(
                _("The day's backup was not made: {reason}").format(reason=exc), 30_000
            )

    BackgroundTask(lambda _token: ctx.daily_backup()).failure(failed).run_on(cpu_pool())
