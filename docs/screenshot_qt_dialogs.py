"""A screenshot of Qt's own dialogs in the Chinese interface: a question box and a file
dialog over the main window, under a window manager.

    xvfb-run -a -s "-screen 0 1440x900x24" sh -c 'openbox & sleep 1; \
        python docs/screenshot_qt_dialogs.py docs/'

Writes qt-dialogs-zh.png.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

    from reviewdesk.app import AppContext
    from reviewdesk.demo import DemoOptions, fill_demo
    from reviewdesk.gui.main import configure_application
    from reviewdesk.gui.mainwindow import MainWindow
    from reviewdesk.gui.qt_language import apply_qt_language
    from reviewdesk.i18n import _, set_language

    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    set_language("zh")
    apply_qt_language("zh")
    folder = Path(tempfile.mkdtemp(prefix="reviewdesk-shots-"))
    today = dt.date(2026, 6, 15)
    ctx = AppContext(db=str(folder / "demo.sqlite"), today=today, plain=True)
    with ctx.book.session() as session:
        fill_demo(session, DemoOptions(clients=24, seed=7, as_of=today))
    window = MainWindow(ctx)
    window.resize(1400, 860)
    window.show()
    _settle(app, 1.5)

    files = QFileDialog(window, _("Import from Excel or CSV…"), str(folder))
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    files.resize(760, 460)
    files.move(window.x() + 40, window.y() + 120)
    files.open()
    box = QMessageBox(
        QMessageBox.Icon.Question,
        _("ReviewDesk"),
        _(
            "Keep the passphrase in this computer's keyring, so that {book} opens without asking?"
        ).format(book="book.sqlite"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        window,
    )
    box.setWindowModality(box.windowModality().NonModal)
    box.show()
    box.move(window.x() + 840, window.y() + 200)
    _settle(app, 1.5)
    args.out.mkdir(parents=True, exist_ok=True)
    shot = app.primaryScreen().grabWindow(0)
    shot.save(str(args.out / "qt-dialogs-zh.png"))
    print(args.out / "qt-dialogs-zh.png")
    box.close()
    files.close()
    window.close()
    ctx.close()
    return 0


def _settle(app, seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    raise SystemExit(main())
