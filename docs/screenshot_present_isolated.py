"""The whole screen in present mode with another client's pack preview left open.

Run under a display with a window manager (Xvfb and openbox):

    xvfb-run -a -s "-screen 0 1440x900x24" sh -c \
        'openbox & sleep 1; python docs/screenshot_present_isolated.py docs/'

Writes present-isolated.png: only the presented client is on screen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path


def _wait(app, done, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from reviewdesk.app import AppContext
    from reviewdesk.demo import DemoOptions, fill_demo
    from reviewdesk.gui.main import configure_application
    from reviewdesk.gui.mainwindow import MainWindow
    from reviewdesk.gui.pdf_preview import PdfPreviewDialog
    from reviewdesk.i18n import set_language

    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    set_language("zh")
    folder = Path(tempfile.mkdtemp(prefix="reviewdesk-shots-"))
    today = dt.date(2026, 6, 15)
    ctx = AppContext(db=str(folder / "demo.sqlite"), today=today, plain=True)
    with ctx.book.session() as session:
        fill_demo(session, DemoOptions(clients=24, seed=7, as_of=today))
    window = MainWindow(ctx)
    window.show()
    _wait(app, lambda: window.model.rowCount() > 0)
    presented, other = window.model.rows[2], window.model.rows[5]
    window.pack.preview(other.id)  # another client's pack, left open
    _wait(app, lambda: window.findChild(PdfPreviewDialog) is not None, 60)
    window.show_client(presented.id)
    _wait(app, lambda: window.workspace.review() is not None)
    window.present()
    _wait(app, lambda: False, 3)
    screen = app.primaryScreen()
    args.out.mkdir(parents=True, exist_ok=True)
    screen.grabWindow(0).save(str(args.out / "present-isolated.png"))
    shown = [w.windowTitle() for w in app.topLevelWidgets() if w.isVisible() and w.isWindow()]
    print("visible windows:", shown, "| presented:", presented.summary.name)
    print("kept behind:", other.summary.name)
    window.presenting.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
