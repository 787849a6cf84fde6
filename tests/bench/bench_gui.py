"""Desktop app timings on the 2,000-client book (36 monthly snapshots of 25 holdings each).

    PYTHONPATH=$PWD python -m tests.bench.bench_gui [--runs 3] [--switches 20] [--qt-floor PATH]
        [--encrypted]

launch: from starting the process (Python, Qt, opening the book) to a main
window on its home page, the agenda, shown and filled, with the client list
filled behind it; the remembered client's review is timed apart. switch: from choosing another
client in the list to its review page shown with both charts drawn and
painted; the editing tabs' data, loaded after the review, is timed apart. preview:
from the pack preview asked for to its first page drawn on screen.

The Qt floor (`qtfloor.py`: PySide6 and a window with a 2,000-row table and a
6,000-row tree shown; see tests/bench/floors.py) is run before each launch and the
launch is given as a ratio to it (target: at most 3x); without the floor the
absolute figures are printed alone.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench import floors
from tests.screen import OFFSCREEN

ROOT = Path(__file__).resolve().parents[2]


def _child_launch(book: str, t0: float, wait_client: bool) -> None:
    # In the order the `reviewdesk` command takes (reviewdesk/__main__.py): the cycle
    # collector held, the command line (and with it the book's layer) and its arguments,
    # then Qt and the desktop app's first screen.
    from reviewdesk import collector

    collector.hold()
    cli = importlib.import_module("reviewdesk.cli")
    cli.parse_args(["--db", book])
    from reviewdesk.app import AppContext

    ctx = AppContext(db=book, backup_on_open=False)  # as run_gui: the backup follows
    ctx.prepare()  # as the command: an encrypted book's key derived while Qt loads
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from reviewdesk.gui.books import Books
    from reviewdesk.gui.main import choose_language, configure_application
    from reviewdesk.gui.qt_language import apply_qt_language
    from reviewdesk.gui.worker import cpu_pool
    from reviewdesk.i18n import current_language

    app = QApplication([])
    configure_application(app)
    choose_language()
    apply_qt_language(current_language())
    window = Books(ctx, []).show_book(ctx)
    marks: dict[str, float] = {}

    def finish() -> None:
        window.save_layout()
        ready = max(marks["list"], marks["agenda"])
        print(f"{ready - t0:.3f} {marks.get('client', ready) - t0:.3f} {marks['cpu']:.3f}")
        app.quit()

    def check() -> None:
        if {"list", "agenda"} <= marks.keys():
            marks.setdefault("cpu", time.process_time())  # the process's CPU, every thread
        if {"list", "agenda"} <= marks.keys() and (not wait_client or "client" in marks):
            QTimer.singleShot(0, finish)

    def listed() -> None:
        marks.setdefault("list", time.time())
        check()

    def agenda_shown() -> None:
        marks.setdefault("agenda", time.time())
        check()

    def client_shown(review) -> None:
        marks.setdefault("client", time.time())
        check()

    window.list_loaded.connect(listed)
    window.agenda.loaded.connect(agenda_shown)
    window.workspace.review_page.review_shown.connect(client_shown)
    app.exec()
    cpu_pool().waitForDone()


def launch(
    book: Path, runs: int, qt_floor: Path | None = None, plain_book: Path | None = None
) -> tuple[list[tuple[float, float, float]], list[float], list[float]]:
    """`runs` launches, each after the Qt floor (`qt_floor`) and the book floor (on
    `plain_book`, the book unencrypted), when given: (the launches' seconds to the list,
    to the client and CPU; the Qt floor's seconds; the book floor's)."""
    results, floor_times, book_floor_times = [], [], []
    with tempfile.TemporaryDirectory() as home:
        env = dict(
            os.environ,
            REVIEWDESK_HOME=home,
            PYTHONPATH=str(ROOT),
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", OFFSCREEN),
        )
        for n in range(runs + 1):
            wait_client = n > 0  # the first run has no remembered client; it picks one
            if n and qt_floor is not None:
                floor_times.append(floors.qt_floor_seconds(qt_floor))
            if n and plain_book is not None:
                book_floor_times.append(floors.book_floor_seconds(plain_book))
            t0 = time.time()
            fn = "_child_launch" if n else "_first"
            code = (
                f"from tests.bench.bench_gui import {fn}; "
                f"{fn}({str(book)!r}, {t0!r}, {wait_client!r})"
            )
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
            ).stdout.split()
            listed, client, cpu = float(out[-3]), float(out[-2]), float(out[-1])
            if n > 0:
                results.append((listed, client, cpu))
    return results, floor_times, book_floor_times


def _first(book: str, t0: float, _wait: bool) -> None:
    """A first launch that leaves off on a client, so the next launches remember one."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from reviewdesk.gui.main import configure_application
    from reviewdesk.gui.mainwindow import last_client_key

    configure_application(app)
    QSettings().setValue(last_client_key(book), 1000)
    QSettings().setValue("window/page", "agenda")  # the home page: the day's work
    QSettings().sync()
    print("0 0 0")


def switch(book: Path, switches: int) -> list[float]:
    os.environ.setdefault("QT_QPA_PLATFORM", OFFSCREEN)
    # The cycle collector held until the first list is read and what exists then frozen,
    # as the `reviewdesk` command does (`reviewdesk.collector`): the switches meet the
    # collections the app makes, not full ones over every object of Qt and the window.
    from reviewdesk import collector

    collector.hold()
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from reviewdesk.app import AppContext
    from reviewdesk.gui.main import configure_application
    from reviewdesk.gui.mainwindow import MainWindow

    with tempfile.TemporaryDirectory() as home:
        os.environ["REVIEWDESK_HOME"] = home
        app = QApplication.instance() or QApplication([])
        configure_application(app)
        from PySide6.QtCore import QSettings

        QSettings().setValue("window/page", "clients")
        window = MainWindow(AppContext(db=str(book)))
        window.show()
        loop = QEventLoop()
        window.list_loaded.connect(loop.quit)
        loop.exec()
        collector.release()
        ids = [row.id for row in window.model.rows[:: max(1, len(window.model.rows) // switches)]]
        window.show_page("clients")
        workspace = window.workspace
        review_page = workspace.review_page
        times, tabs, reviews, scrolled, cpu = [], [], [], [], []
        for client_id in ids[:switches]:
            timer = QElapsedTimer()
            wait = QEventLoop()
            marks: dict[str, float] = {}

            def mark(name, marks=marks, timer=timer, wait=wait):
                marks[name] = timer.nsecsElapsed() / 1e9
                if {"allocation", "trend"} <= marks.keys() and (
                    "charts" not in marks or "tabs" in marks
                ):
                    wait.quit()

            def on_review(review, mark=mark, client_id=client_id):
                if review.client.id != client_id:
                    return
                mark("review")
                # The charts are built on the CPU pool after the page: wait for both.
                review_page.allocation_chart.figure_shown.connect(
                    lambda _f, mark=mark: mark("allocation")
                )
                review_page.trend_chart.figure_shown.connect(lambda _f, mark=mark: mark("trend"))

            on_tabs = lambda detail, mark=mark: mark("tabs")  # noqa: E731
            workspace.loaded.connect(on_tabs)
            review_page.review_shown.connect(on_review)
            timer.start()
            started_cpu = time.process_time()
            window.select_client(client_id)
            QTimer.singleShot(10_000, wait.quit)
            wait.exec()
            app.processEvents()  # the canvases paint
            marks["charts"] = timer.nsecsElapsed() / 1e9
            times.append(marks["charts"])
            cpu.append(time.process_time() - started_cpu)
            if "tabs" not in marks:  # the editing tabs' data follows the review
                QTimer.singleShot(10_000, wait.quit)
                wait.exec()
            # Charts below the fold are rendered when scrolled to: time that apart.
            timer.restart()
            review_page.scroll_area.ensureWidgetVisible(review_page.trend_chart)
            review_page.scroll_area.ensureWidgetVisible(review_page.allocation_chart)
            app.processEvents()
            scrolled.append(timer.nsecsElapsed() / 1e9)
            review_page.scroll_area.verticalScrollBar().setValue(0)
            app.processEvents()
            tabs.append(marks.get("tabs", 0.0))
            reviews.append(marks.get("review", 0.0))
            workspace.loaded.disconnect(on_tabs)
            review_page.review_shown.disconnect(on_review)
        previews = [preview(app, window, client_id) for client_id in ids[:3]]
        window.close()
    print(
        f"pack preview, first page on screen: median {statistics.median(previews):.2f} s, "
        f"runs {', '.join(f'{t:.2f}' for t in previews)} (target 0.5 s)"
    )
    print(
        f"  review page shown (charts still drawing): median "
        f"{statistics.median(reviews) * 1000:.0f} ms; editing tabs filled: median "
        f"{statistics.median(tabs) * 1000:.0f} ms; scrolling to the charts (rendered "
        f"then): median {statistics.median(scrolled) * 1000:.0f} ms; the process's CPU "
        f"to both charts: median {statistics.median(cpu[1:] or cpu) * 1000:.0f} ms"
    )
    return times


def preview(app, window, client_id: int) -> float:
    """Seconds from asking for a client's pack preview to its first page drawn on screen
    (the view's pixels no longer all the background's)."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    dialogs = []
    window.pack.finished.connect(
        lambda action, result: dialogs.append(result) if action == "preview" else None
    )
    timer = QElapsedTimer()
    timer.start()
    window.pack.preview(client_id)
    wait = QEventLoop()
    drawn = 0.0

    def poll() -> None:
        nonlocal drawn
        if dialogs:
            viewport = dialogs[0].view.viewport()
            image = viewport.grab().toImage()
            background = image.pixel(0, 0)
            for y in range(0, image.height(), 4):
                for x in range(0, image.width(), 4):
                    if image.pixel(x, y) != background:
                        drawn = timer.nsecsElapsed() / 1e9
                        wait.quit()
                        return
        QTimer.singleShot(5, poll)

    QTimer.singleShot(0, poll)
    QTimer.singleShot(20_000, wait.quit)
    wait.exec()
    for dialog in dialogs:
        dialog.close()
    app.processEvents()
    return drawn or float("nan")


def main() -> None:
    from tests.bench.books import big_book

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--switches", type=int, default=20)
    parser.add_argument("--qt-floor", help="path of qtfloor.py")
    parser.add_argument(
        "--encrypted",
        action="store_true",
        help="the book encrypted, as users keep it (its passphrase from the environment)",
    )
    args = parser.parse_args()
    # The bytecode and the catalogues, as pip and the wheel bring them (imported here: the
    # launches import this module, and the build step's setuptools is no part of them).
    from tests.bench.installed import as_installed

    as_installed()
    book = plain = big_book()
    if args.encrypted:
        from tests.bench.books import BENCH_PASSPHRASE, encrypted_copy

        book = encrypted_copy(book)
        os.environ["REVIEWDESK_PASSPHRASE"] = BENCH_PASSPHRASE  # as a user may give it
        print(f"the book encrypted: {book.name}")
    qt_floor: Path | None = floors.qt_floor_path(args.qt_floor)
    why = floors.missing(qt_floor, floors.QT_FLOOR_ENV)
    if why:
        print(f"no ratio to the Qt floor: {why}")
        qt_floor = None
    print(floors.load())
    runs, floor_times, book_floor_times = launch(book, args.runs, qt_floor, plain)
    listed = [r[0] for r in runs]
    client = [r[1] for r in runs]
    cpu = [r[2] for r in runs]
    print(
        f"launch to the home page (agenda) shown and the client list filled: median "
        f"{statistics.median(listed):.2f} s, runs {', '.join(f'{t:.2f}' for t in listed)}; "
        f"CPU (every thread of the process) median {statistics.median(cpu):.2f} s, runs "
        f"{', '.join(f'{t:.2f}' for t in cpu)}"
    )
    if floor_times:
        floor = statistics.median(floor_times)
        print(
            f"Qt floor (run before each launch): median {floor:.2f} s, runs "
            f"{', '.join(f'{t:.2f}' for t in floor_times)}; launch / floor "
            f"{statistics.median(listed) / floor:.1f}x (target <= 3x)"
        )
        book_floor = statistics.median(book_floor_times)
        print(
            f"book floor (the Qt floor's window with SQLAlchemy imported and the 2,000 "
            f"clients read from the plain book by one select; run before each launch): "
            f"median {book_floor:.2f} s, runs {', '.join(f'{t:.2f}' for t in book_floor_times)}"
            f"; {book_floor / floor:.1f}x the Qt floor; launch / book floor "
            f"{statistics.median(listed) / book_floor:.1f}x"
        )
    print(
        f"launch to the remembered client's review shown: median {statistics.median(client):.2f} s"
    )
    times = switch(book, args.switches)
    print(floors.load())
    first, rest = times[0], times[1:]
    print(
        f"switch client, review page with both charts built: median "
        f"{statistics.median(rest) * 1000:.0f} ms, max {max(rest) * 1000:.0f} ms over "
        f"{len(rest)} switches (target 60 ms); the first switch, right after the list "
        f"appears, {first * 1000:.0f} ms (it may wait for the chart library to load)"
    )


if __name__ == "__main__":
    main()
