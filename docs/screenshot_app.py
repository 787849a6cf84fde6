"""Screenshots of the real main window, its review tab and present mode, on a fresh demo book.

Run under a display (a real one or Xvfb):

    xvfb-run -a -s "-screen 0 1600x1000x24" python docs/screenshot_app.py docs/

Writes main-window.png (the client list and a client's holdings), review.png (the
same window on the Review tab), review-charts.png (scrolled to its charts) and
present.png (present mode's first page).
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
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    args = parser.parse_args(argv)
    home = tempfile.mkdtemp(prefix="reviewdesk-shots-")
    os.environ["REVIEWDESK_HOME"] = home

    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from reviewdesk.app import AppContext
    from reviewdesk.demo import DemoOptions, fill_demo
    from reviewdesk.gui.main import configure_application
    from reviewdesk.i18n import set_language

    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    set_language(args.lang)
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
    window.resize(1600, 960)
    window.show()
    wait(window.list_loaded)
    key = next(
        r
        for r in window.model.rows
        if r.summary.tier.value == "key" and r.summary.last_review and r.flags
    )
    window.select_client(key.id)
    wait(window.workspace.review_page.review_shown)
    args.out.mkdir(parents=True, exist_ok=True)
    window.workspace.tabs.setCurrentWidget(window.workspace.holdings)
    wait()
    window.grab().save(str(args.out / "main-window.png"))
    window.workspace.tabs.setCurrentWidget(window.workspace.review_page)
    wait(ms=800)
    window.grab().save(str(args.out / "review.png"))
    page = window.workspace.review_page
    page.scroll.ensureWidgetVisible(page.allocation_chart, 0, 0)
    wait(ms=800)
    window.grab().save(str(args.out / "review-charts.png"))
    page.scroll.verticalScrollBar().setValue(0)
    window.present_action.trigger()
    wait(ms=1500)
    window.presenting.grab().save(str(args.out / "present.png"))
    window.presenting.close()
    wait()
    window.close()
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
