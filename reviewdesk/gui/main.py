"""Starting the desktop app: the application, its font, the book, the main window."""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QEventLoop, QSettings, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from reviewdesk import paths
from reviewdesk.book.errors import BookError
from reviewdesk.gui.worker import BackgroundTask, book_worker
from reviewdesk.i18n import LANGUAGES, _, set_language

log = logging.getLogger("reviewdesk.gui")
FONT = ("fonts", "DroidSansFallbackFull.ttf")


def configure_application(app: QApplication) -> None:
    """Names for QSettings (kept in the data folder) and a font that renders Chinese."""
    app.setApplicationName("ReviewDesk")
    app.setOrganizationName("ReviewDesk")
    app.setOrganizationDomain("reviewdesk.local")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(paths.data_dir()))
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
    """The language chosen in Settings, unless the command line or environment set one."""
    if "--ui-lang" in sys.argv or os.environ.get("REVIEWDESK_LANG"):
        return
    lang = QSettings().value("ui/language", "", str)
    if lang in LANGUAGES:
        set_language(lang)


def fill_demo_with_progress(ctx) -> bool:
    """First run: fill the empty book with the demo while a progress dialog shows."""
    if ctx.client_count():
        return False
    dialog = QProgressDialog(_("Creating the demo book…"), "", 0, 100)
    dialog.setWindowTitle(_("ReviewDesk"))
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.show()
    loop = QEventLoop()
    outcome: dict[str, object] = {}

    def progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    def finished(result) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(exc) -> None:
        outcome["error"] = exc
        loop.quit()

    BackgroundTask(lambda token: ctx.ensure_demo(token.progress)).success(finished) \
        .failure(failed).progress(progress).run_on(book_worker())
    loop.exec()
    dialog.close()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return bool(outcome.get("result"))


def run_gui(ctx) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    choose_language()
    try:
        ctx.book  # noqa: B018 - opening (and upgrading) the book may fail: tell the user
        fill_demo_with_progress(ctx)
    except BookError as exc:
        QMessageBox.critical(None, _("ReviewDesk"),
                             _("The book cannot be opened: {error}").format(error=exc))
        return 1
    except Exception as exc:  # noqa: BLE001 - a message box, the traceback to the log
        log.exception("opening the book failed")
        QMessageBox.critical(None, _("ReviewDesk"),
                             _("The book cannot be opened: {error}").format(error=exc))
        return 1
    from reviewdesk.gui.mainwindow import MainWindow

    window = MainWindow(ctx)
    window.show()
    return app.exec()
