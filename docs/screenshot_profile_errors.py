"""A screenshot of the profile in the Chinese interface with several refused fields, all
marked on one Save, under a window manager.

    xvfb-run -a -s "-screen 0 1440x900x24" sh -c 'openbox & sleep 1; \
        python docs/screenshot_profile_errors.py docs/'

Writes profile-errors-zh.png.
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

    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from reviewdesk.app import AppContext
    from reviewdesk.book.models import Client
    from reviewdesk.demo import DemoOptions, fill_demo
    from reviewdesk.gui.main import configure_application
    from reviewdesk.gui.mainwindow import MainWindow
    from reviewdesk.gui.qt_language import apply_qt_language
    from reviewdesk.i18n import set_language

    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    set_language("zh")
    apply_qt_language("zh")
    folder = Path(tempfile.mkdtemp(prefix="reviewdesk-shots-"))
    today = dt.date(2026, 6, 15)
    ctx = AppContext(db=str(folder / "demo.sqlite"), today=today, plain=True)
    with ctx.book.session() as session:
        fill_demo(session, DemoOptions(clients=24, seed=7, as_of=today))
        client_id = session.scalars(select(Client.id).order_by(Client.id)).first()
    window = MainWindow(ctx)
    window.resize(1400, 860)
    window.show()
    _settle(app, 1.5)
    window.show_client(client_id)
    workspace = window.workspace
    workspace.tabs.setCurrentWidget(workspace.profile)
    _settle(app, 2.0)
    profile = workspace.profile
    profile.editors["birthday"].setText("1990-02-30")
    profile.editors["phone"].setText("电话 138")
    profile.editors["email"].setText("wang at example")
    profile.editors["annual_income"].setText("很多")
    profile.editors["contact_cadence_days"].setText("三十")
    profile.save_button.click()
    _settle(app, 1.5)
    args.out.mkdir(parents=True, exist_ok=True)
    shot = app.primaryScreen().grabWindow(0)
    shot.save(str(args.out / "profile-errors-zh.png"))
    print(args.out / "profile-errors-zh.png")
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
