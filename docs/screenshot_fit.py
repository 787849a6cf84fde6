"""Screenshots of the main window at 1024×700, after every client tab has been shown.

Run under a window manager (Xvfb with openbox will do):

    xvfb-run -a -s "-screen 0 1440x900x24" sh -c \
        'openbox & sleep 1; python docs/screenshot_fit.py docs/ --lang en holdings'

Writes <tab>-1024x700-<lang>.png for each tab named (holdings, insurance, review,
profile, risk, documents), e.g. holdings-1024x700-en.png.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("tabs", nargs="+")
    parser.add_argument("--lang", default="en", choices=("zh", "en"))
    parser.add_argument("--size", default="1024x700")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.split("x"))
    home = tempfile.mkdtemp(prefix="reviewdesk-shots-")
    os.environ["REVIEWDESK_HOME"] = home

    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from reviewdesk.app import AppContext
    from reviewdesk.demo import DemoOptions, fill_demo
    from reviewdesk.gui.main import configure_application
    from reviewdesk.gui.qt_language import apply_qt_language
    from reviewdesk.i18n import set_language

    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    set_language(args.lang)
    apply_qt_language(args.lang)
    today = dt.date(2026, 6, 15)
    ctx = AppContext(db=str(Path(home) / "demo.sqlite"), today=today, plain=True)
    with ctx.book.session() as session:
        fill_demo(session, DemoOptions(clients=120, as_of=today))
    QSettings().setValue("window/page", "clients")

    from reviewdesk.gui.mainwindow import MainWindow

    def wait(signal=None, ms: int = 400) -> None:
        loop = QEventLoop()
        if signal is not None:
            signal.connect(loop.quit)
        QTimer.singleShot(ms if signal is None else 20_000, loop.quit)
        loop.exec()
        app.processEvents()

    window = MainWindow(ctx)
    window.show()
    wait(window.list_loaded)
    key = next(
        r
        for r in window.model.rows
        if r.summary.tier.value == "key" and r.summary.last_review and r.flags
    )
    window.select_client(key.id)
    workspace = window.workspace
    wait(workspace.review_page.review_shown)
    tabs = {
        "review": workspace.review_page,
        "profile": workspace.profile,
        "holdings": workspace.holdings,
        "insurance": workspace.insurance,
        "risk": workspace.risk,
        "documents": workspace.documents,
    }
    for page in tabs.values():  # each tab shown once: the window's minimum is of them all
        workspace.tabs.setCurrentWidget(page)
        wait(ms=200)
    window.resize(width, height)
    wait(ms=800)
    if window.size().toTuple() != (width, height):
        print(f"the window stays {window.size().toTuple()}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.tabs:
        workspace.tabs.setCurrentWidget(tabs[name])
        wait(ms=1000)
        path = args.out / f"{name}-{width}x{height}-{args.lang}.png"
        window.grab().save(str(path))
        print(path)
    window.close()
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
