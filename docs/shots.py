"""What every screenshot script in docs/ shares: the app set up as it sets itself up (its
settings in a fresh data folder, its fonts, the interface and Qt's own dialogs in one
language), a demo book, the main window, waiting for the window to finish drawing, and
saving a window or the whole screen.

Every script runs under a window manager, from the repository's root:

    xvfb-run -a -s "-screen 0 1440x900x24" sh -c \\
        'openbox & sleep 1; PYTHONPATH=$PWD python docs/<script>.py docs/'
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 6, 15)


def arguments(
    doc: str | None,
    lang: str = "zh",
    more: Callable[[argparse.ArgumentParser], None] | None = None,
) -> argparse.Namespace:
    """The command line every script takes: the folder for its PNGs and the language."""
    parser = argparse.ArgumentParser(description=(doc or "").strip().splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder for the PNGs (docs/ for the README)")
    parser.add_argument("--lang", default=lang, choices=("zh", "en"))
    if more is not None:
        more(parser)
    return parser.parse_args()


class Shots:
    """One screenshot run: the application in `args.lang` over a data folder of its own."""

    def __init__(self, args: argparse.Namespace):
        self.out: Path = args.out
        self.lang: str = args.lang
        self.home = Path(tempfile.mkdtemp(prefix="reviewdesk-shots-"))
        os.environ["REVIEWDESK_HOME"] = str(self.home)
        if self.lang == "zh":  # a Chinese desktop: Qt's file sizes and dates follow it
            os.environ["LANG"] = os.environ["LC_ALL"] = "zh_CN.UTF-8"

        from PySide6.QtWidgets import QApplication

        from reviewdesk.gui.main import configure_application
        from reviewdesk.gui.qt_language import apply_qt_language
        from reviewdesk.i18n import set_language

        self.app = QApplication.instance() or QApplication(sys.argv)
        from PySide6.QtGui import QCursor

        QCursor.setPos(self.app.primaryScreen().geometry().bottomRight())  # hovering nothing
        configure_application(self.app)
        set_language(self.lang)
        apply_qt_language(self.lang)
        self.ctx: Any = None
        self.window: Any = None

    # the book
    def demo_book(self, clients: int = 24, seed: int = 7) -> Any:
        """A plain demo book of `clients` made-up clients, as of TODAY."""
        from reviewdesk.demo import DemoOptions, fill_demo

        ctx = self.open_book(self.home / "demo.sqlite")
        with ctx.book.session() as session:
            fill_demo(session, DemoOptions(clients=clients, seed=seed, as_of=TODAY))
        return ctx

    def open_book(self, path: Path, today: dt.date = TODAY) -> Any:
        from reviewdesk.app import AppContext

        self.ctx = AppContext(db=str(path), today=today, plain=True)
        return self.ctx

    # the main window
    def main_window(self, size: tuple[int, int] | None = (1400, 860)) -> Any:
        from PySide6.QtCore import QSettings

        from reviewdesk.gui.mainwindow import MainWindow

        QSettings().setValue("window/page", "clients")
        self.window = MainWindow(self.ctx)
        if size is not None:
            self.window.resize(*size)
        self.window.show()
        self.wait_until(lambda: self.window.model.rowCount() > 0)
        self.settle(0.5)
        return self.window

    def key_client(self) -> int:
        """A key client with a review and flags: a client with something to show."""
        return next(
            r.id
            for r in self.window.model.rows
            if r.summary.tier.value == "key" and r.summary.last_review and r.flags
        )

    def open_client(self, client_id: int) -> None:
        workspace = self.window.workspace
        self.window.show_client(client_id)
        self.wait_until(lambda: workspace.client_id == client_id and workspace.review())
        self.settle(0.8)

    # waiting
    def wait_until(self, done: Callable[[], object], seconds: float = 60) -> None:
        end = time.monotonic() + seconds
        while not done():
            if time.monotonic() > end:
                raise TimeoutError("the window did not finish drawing")
            self.app.processEvents()
            time.sleep(0.02)

    def settle(self, seconds: float = 1.0) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.02)

    # saving
    def save(self, name: str, widget: Any = None) -> Path:
        """`widget` as drawn, or the whole screen (window frames and all) when None."""
        self.out.mkdir(parents=True, exist_ok=True)
        path = self.out / name
        image = widget.grab() if widget is not None else self.screen()
        image.save(str(path))
        print(path)
        return path

    def screen(self, area: Any = None) -> Any:
        """The screen as the window manager shows it, or the part of it `area` covers."""
        screen = self.app.primaryScreen()
        if area is None:
            return screen.grabWindow(0)
        return screen.grabWindow(0, area.x(), area.y(), area.width(), area.height())

    def visible_windows(self) -> list[str]:
        return [
            w.windowTitle() or w.objectName() or type(w).__name__
            for w in self.app.topLevelWidgets()
            if w.isWindow() and w.isVisible()
        ]

    def close(self) -> int:
        from reviewdesk.gui.books import drain_workers

        for widget in self.app.topLevelWidgets():
            if widget.isVisible():
                widget.close()
        drain_workers()
        if self.ctx is not None:
            self.ctx.close()
        return 0
