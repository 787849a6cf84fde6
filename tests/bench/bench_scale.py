"""Desktop app figures on the 10,000-client book (36 monthly snapshots of 25 holdings each:
9 million holdings), against the Qt floor measured in the same run.

    PYTHONPATH=$PWD python -m tests.bench.bench_scale [--runs 3] [--switches 20]
        [--refreshes 5] [--qt-floor PATH] [--clients 10000] [--encrypted]

The book is built once and cached under tests/bench/.cache (see tests/bench/books.py; the
first build takes about ten minutes on a shared 2-core machine); with --encrypted, its
SQLCipher copy, as users keep a book (made once beside it, `books.encrypted_copy`). One
run measures:

- the Qt floor (`qtfloor.py`, by default ../shared/bench/qtfloor.py beside the repository:
  PySide6 and a window with a 2,000-row table and a 6,000-row tree shown), run as a
  process of its own before each launch; without it the figures are printed alone;
- launch: from starting the process to the main window on its home page, the agenda, shown
  and filled, with the client list filled behind it, as `run_gui` starts on a named book;
  the remembered client's review shown is printed apart;
- switch: from choosing another client to its review page shown with both charts drawn
  and painted (as `bench_gui.switch` times it), median and max;
- client list refresh: from `MainWindow.refresh_list()` to the list filled again, and the
  core's `list_client_rows` alone; and the list after an edit, from a tab's `list_stale`
  to the edited client's row read again and the list re-sorted (`rows_updated`);
- agenda: from `AgendaPage.refresh()` (a week) to the page filled, and the core's
  `build_agenda` alone;
- the peak resident memory of each app process (launch, and the one that switched,
  refreshed and showed the agenda), from the kernel's accounting of the finished process.

Each figure is wall-clock time, with the CPU time of the app process (every thread) beside
it: on a shared machine the wall time stretches with the load average, printed before and
after the run; the CPU time does not.

Targets (issue 17): launch within 5x the floor, switch within 100 ms, list refresh within
250 ms, agenda within 300 ms, memory under 400 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench import floors
from tests.screen import OFFSCREEN

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_QT_FLOOR = ROOT.parent / "shared" / "bench" / "qtfloor.py"

LAUNCH_RATIO = 5.0
SWITCH_MS = 100
REFRESH_MS = 250
AGENDA_MS = 300
MEMORY_MB = 400


def _env(home: str) -> dict[str, str]:
    return dict(
        os.environ,
        REVIEWDESK_HOME=home,
        PYTHONPATH=str(ROOT),
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", OFFSCREEN),
    )


def _run(args: list[str], env: dict[str, str]) -> tuple[str, float]:
    """Run a process to its end; its standard output and its peak resident memory (MB)."""
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    # The children's accounting (getrusage) keeps one maximum over all of them: each child
    # prints its own peak as it ends (_peak_rss_line).
    if proc.returncode:
        raise RuntimeError(f"{args[-1][:80]!r} failed ({proc.returncode}):\n{err.decode()}")
    text = out.decode()
    peak = re.findall(r"^peak-rss-mb (\S+)$", text, re.M)
    return text, float(peak[-1]) if peak else float("nan")


def _peak_rss_line() -> str:
    """This process's peak resident memory as the kernel counts it (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return f"peak-rss-mb {int(line.split()[1]) / 1024:.0f}"
    import resource

    return f"peak-rss-mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"


def qt_floor_path(given: str | None) -> Path | None:
    path = Path(given) if given else DEFAULT_QT_FLOOR
    return path if path.is_file() else None


def qt_floor_seconds(path: Path, env: dict[str, str]) -> float:
    out = subprocess.run(
        [sys.executable, str(path)], env=env, check=True, capture_output=True, text=True
    ).stdout
    found = re.findall(r"([0-9.]+) s\b", out)
    if not found:
        raise RuntimeError(f"{path} printed no seconds: {out!r}")
    return float(found[-1])


def _launch_child(book: str, t0: float, client_id: int | None) -> None:
    """The desktop app started as `run_gui` starts it on a named book (the book opened, the
    main window shown, the day's backup begun); prints the seconds from `t0` to the agenda
    shown and the client list filled, and to the remembered client's review shown, then
    the process's peak memory. `client_id`, if given, is left as the one to remember."""
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from reviewdesk.app import AppContext
    from reviewdesk.gui.books import Books, drain_workers
    from reviewdesk.gui.main import configure_application, open_with_dialogs

    app = QApplication([])
    configure_application(app)
    ctx = AppContext(db=book)
    open_with_dialogs(ctx)
    books = Books(ctx, [])
    window = books.show_book(ctx)
    marks: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def finish() -> None:
        window.save_layout()
        if client_id is not None:
            window.settings.setValue(window.client_key, client_id)
            QSettings().setValue("window/page", "agenda")  # the home page: the day's work
        ready = max(marks["list"], marks["agenda"])
        print(f"{ready - t0:.3f} {(marks['client'] or ready) - t0:.3f}", flush=True)
        print(f"cpu-s {cpu['ready']:.3f}", flush=True)
        app.quit()

    def mark(name: str) -> None:
        marks.setdefault(name, time.time())
        if {"list", "agenda"} <= marks.keys():
            cpu.setdefault("ready", time.process_time())  # every thread of the process
        if {"list", "agenda", "client"} <= marks.keys():
            QTimer.singleShot(0, finish)

    window.list_loaded.connect(lambda: mark("list"))
    window.agenda.loaded.connect(lambda: mark("agenda"))
    window.workspace.review_page.review_shown.connect(lambda _review: mark("client"))
    if client_id is not None:
        marks["client"] = 0.0  # the first launch: no client remembered yet
    app.exec()
    books.close()
    drain_workers()
    print(_peak_rss_line(), flush=True)


def launches(
    book: Path, runs: int, floor: Path | None, clients: int, plain: Path
) -> list[dict[str, float]]:
    """A first launch of the day (untimed against the floor: it begins the day's backup of the
    book and leaves a client and the agenda to remember), then `runs` launches, each after a
    run of the Qt floor and of the book floor (`tests/bench/bookfloor.py`, on `plain`, the
    book unencrypted)."""
    results = []
    with tempfile.TemporaryDirectory() as home:
        env = _env(home)

        def one(client_id: int | None) -> dict[str, float]:
            t0 = time.time()
            code = (
                "from tests.bench.bench_scale import _launch_child; "
                f"_launch_child({str(book)!r}, {t0!r}, {client_id!r})"
            )
            out, peak = _run([sys.executable, "-c", code], env)
            numbers = re.findall(r"^([0-9.]+) ([0-9.]+)$", out, re.M)
            listed, client = (float(x) for x in numbers[-1])
            cpu = float(re.findall(r"^cpu-s (\S+)$", out, re.M)[-1])
            return {"launch": listed, "client": client, "rss": peak, "cpu": cpu}

        first = one(client_id=min(1000, clients))
        print(
            f"  first launch of the day (the daily backup begins): {first['launch']:.2f} s, "
            f"peak memory {first['rss']:.0f} MB"
        )
        for _ in range(runs):
            floor_s = qt_floor_seconds(floor, env) if floor else float("nan")
            book_floor = floors.book_floor_seconds(plain)
            results.append({"floor": floor_s, "book_floor": book_floor, **one(client_id=None)})
    return results


def _switches(app, window, ids: list[int]) -> tuple[list[float], list[float]]:
    """Seconds from choosing each client to its review page shown with both charts drawn
    and painted, as `bench_gui.switch` times it; the editing tabs' data, which follows,
    is waited for untimed before the next client."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    window.show_page("clients")
    workspace = window.workspace
    page = workspace.review_page
    times: list[float] = []
    cpu_times: list[float] = []
    for client_id in ids:
        timer, wait = QElapsedTimer(), QEventLoop()
        marks: set[str] = set()

        def mark(name: str, marks: set[str] = marks, wait: QEventLoop = wait) -> None:
            marks.add(name)
            if {"review", "allocation", "trend"} <= marks and (
                "charts" not in marks or "tabs" in marks
            ):
                wait.quit()

        slots = [(workspace.loaded, lambda _d, mark=mark: mark("tabs"))]

        def on_review(review, client_id: int = client_id, mark=mark, slots=slots) -> None:
            if review.client.id != client_id:
                return
            mark("review")
            # The charts are built on the CPU pool after the page: wait for both.
            for signal, name in (
                (page.allocation_chart.figure_shown, "allocation"),
                (page.trend_chart.figure_shown, "trend"),
            ):
                slot = lambda _f, mark=mark, name=name: mark(name)  # noqa: E731
                signal.connect(slot)
                slots.append((signal, slot))

        slots.append((page.review_shown, on_review))
        for signal, slot in slots:
            signal.connect(slot)
        timer.start()
        cpu = time.process_time()
        window.select_client(client_id)
        QTimer.singleShot(20_000, wait.quit)
        wait.exec()
        app.processEvents()  # the canvases paint
        times.append(timer.nsecsElapsed() / 1e9)
        cpu_times.append(time.process_time() - cpu)
        marks.add("charts")
        if "tabs" not in marks:
            QTimer.singleShot(20_000, wait.quit)
            wait.exec()
        for signal, slot in slots:
            with contextlib.suppress(RuntimeError):  # a chart of the previous page is gone
                signal.disconnect(slot)
    return times, cpu_times


def _in_app(book: str, switches: int, refreshes: int) -> None:
    """One app process on the agenda: the client switches, list refreshes and agendas; the
    figures as JSON, then the process's peak memory. The cycle collector is held until the
    first list is read and what exists is then frozen, as the `reviewdesk` command does
    (`reviewdesk.collector`, `gui.main.after_first_screen`): without it, every full
    collection walked all of Qt's, SQLAlchemy's and the window's objects, which the app's
    collections never do."""
    from reviewdesk import collector

    collector.hold()
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from reviewdesk.app import AppContext
    from reviewdesk.gui.books import drain_workers
    from reviewdesk.gui.main import configure_application
    from reviewdesk.gui.mainwindow import MainWindow
    from reviewdesk.review.agenda import build_agenda
    from reviewdesk.review.client_list import list_client_rows
    from reviewdesk.settings import load_settings

    app = QApplication([])
    configure_application(app)
    QSettings().setValue("window/page", "agenda")
    ctx = AppContext(db=book, backup_on_open=False)
    window = MainWindow(ctx)
    window.show()

    def wait_for(signal, start) -> tuple[float, float]:
        """Wall and CPU seconds (all threads) from `start()` to `signal`, painted."""
        loop, timer = QEventLoop(), QElapsedTimer()
        signal.connect(loop.quit)
        QTimer.singleShot(60_000, loop.quit)
        timer.start()
        cpu = time.process_time()
        start()
        loop.exec()
        signal.disconnect(loop.quit)
        app.processEvents()  # what was filled is painted
        return timer.nsecsElapsed() / 1e9, time.process_time() - cpu

    page = window.agenda
    loop = QEventLoop()
    window.list_loaded.connect(loop.quit)
    loop.exec()  # the first list
    window.list_loaded.disconnect(loop.quit)
    collector.release()
    rows = window.model.rows
    ids = [row.id for row in rows[:: max(1, len(rows) // switches)]][: switches + 1]
    switch_times, switch_cpu = _switches(app, window, ids)
    window.show_page("agenda")
    refresh, refresh_cpu = zip(
        *(wait_for(window.list_loaded, window.refresh_list) for _ in range(refreshes)),
        strict=True,
    )
    # After an edit the list reads the edited client's row again (what a tab's save
    # says: `list_stale`), not the whole book.
    edited = ids[: max(1, refreshes)]
    edit_refresh, edit_refresh_cpu = zip(
        *(
            wait_for(window.rows_updated, lambda cid=cid: window.workspace.list_stale.emit(cid))
            for cid in edited
        ),
        strict=True,
    )
    agenda, agenda_cpu = zip(
        *(wait_for(page.loaded, page.refresh) for _ in range(refreshes)), strict=True
    )
    lines = len(page.lines())
    today = ctx.today
    core_list, core_agenda = [], []  # CPU seconds: the workers are idle by now
    for _ in range(refreshes):
        with ctx.book.session() as session:
            started = time.process_time()
            settings = load_settings(session)
            clients = len(list_client_rows(session, today, settings.maturity_window_days, settings))
            core_list.append(time.process_time() - started)
        with ctx.book.session() as session:
            started = time.process_time()
            build_agenda(session, today, 7)
            core_agenda.append(time.process_time() - started)
    window.close()
    drain_workers()
    print(
        json.dumps(
            {
                "switch": switch_times,
                "switch_cpu": switch_cpu,
                "refresh": refresh,
                "refresh_cpu": refresh_cpu,
                "edit_refresh": edit_refresh,
                "edit_refresh_cpu": edit_refresh_cpu,
                "agenda": agenda,
                "agenda_cpu": agenda_cpu,
                "core_list": core_list,
                "core_agenda": core_agenda,
                "clients": clients,
                "lines": lines,
            }
        )
    )
    print(_peak_rss_line(), flush=True)


def in_app(book: Path, switches: int, refreshes: int) -> tuple[dict, float]:
    with tempfile.TemporaryDirectory() as home:
        code = (
            f"from tests.bench.bench_scale import _in_app; "
            f"_in_app({str(book)!r}, {switches!r}, {refreshes!r})"
        )
        out, peak = _run([sys.executable, "-c", code], _env(home))
    lines = out.splitlines()
    figures = json.loads(next(line for line in reversed(lines) if line.startswith("{")))
    return figures, peak


def _ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"


def _verdict(ok: bool) -> str:
    return "within" if ok else "MISSED"


def main() -> None:
    from tests.bench.books import big_book

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="launches (each after a floor)")
    parser.add_argument("--switches", type=int, default=20)
    parser.add_argument("--refreshes", type=int, default=5)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--qt-floor", help=f"path of qtfloor.py (default {DEFAULT_QT_FLOOR})")
    parser.add_argument(
        "--encrypted",
        action="store_true",
        help="the book encrypted, as users keep it (an SQLCipher copy made once beside it)",
    )
    args = parser.parse_args()
    # The bytecode and the catalogues, as pip and the wheel bring them (imported here: the
    # launches import this module, and the build step's setuptools is no part of them).
    from tests.bench.installed import as_installed

    as_installed()
    print(f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    started = time.perf_counter()
    book = plain = big_book(clients=args.clients)
    if args.encrypted:
        from tests.bench.books import BENCH_PASSPHRASE, encrypted_copy

        book = encrypted_copy(book)
        os.environ["REVIEWDESK_PASSPHRASE"] = BENCH_PASSPHRASE  # as a user may give it
    built = time.perf_counter() - started
    if built > 1:
        print(f"built the {args.clients}-client book in {built:.0f} s: {book}")
    print(f"book: {book.name}, {book.stat().st_size / 2**20:.0f} MB")
    floor = qt_floor_path(args.qt_floor)
    if floor is None:
        print(
            f"Qt floor: skipped, {args.qt_floor or DEFAULT_QT_FLOOR} is absent "
            f"(give --qt-floor PATH); the launch is printed without its ratio"
        )

    runs = launches(book, args.runs, floor, args.clients, plain)
    for n, run in enumerate(runs, 1):
        ratio = run["launch"] / run["floor"] if floor else float("nan")
        print(
            f"  launch {n}: Qt floor {run['floor']:.2f} s, book floor {run['book_floor']:.2f} s, "
            f"ReviewDesk {run['launch']:.2f} s "
            f"({ratio:.1f}x; CPU {run['cpu']:.2f} s), remembered client shown "
            f"{run['client']:.2f} s, "
            f"peak memory {run['rss']:.0f} MB"
        )
    launch = statistics.median(r["launch"] for r in runs)
    line = f"launch to the agenda with the client list filled: median {launch:.2f} s"
    if floor:
        floor_s = statistics.median(r["floor"] for r in runs)
        ratio = statistics.median(r["launch"] / r["floor"] for r in runs)
        line += (
            f", Qt floor median {floor_s:.2f} s; ratio median {ratio:.1f}x "
            f"(target {LAUNCH_RATIO:.0f}x: {_verdict(ratio <= LAUNCH_RATIO)})"
        )
    cpu = statistics.median(r["cpu"] for r in runs)
    print(line + f"; the launch's CPU time (all threads) median {cpu:.2f} s")
    book_floor = statistics.median(r["book_floor"] for r in runs)
    line = (
        f"book floor (the Qt floor's window with SQLAlchemy imported and the {args.clients:,} "
        f"clients read from the plain book by one select): median {book_floor:.2f} s"
    )
    if floor:
        over = statistics.median(r["book_floor"] / r["floor"] for r in runs)
        line += f", {over:.1f}x the Qt floor"
    print(line + f"; launch / book floor {launch / book_floor:.1f}x")

    figures, app_rss = in_app(book, args.switches, args.refreshes)
    switches = figures["switch"][1:]  # the first waits for the chart library to load
    print(
        f"switch client, review page with both charts: {_ms(switches)} over {len(switches)} "
        f"switches (CPU {_ms(figures['switch_cpu'][1:])}); the first "
        f"{figures['switch'][0] * 1000:.0f} ms "
        f"(target {SWITCH_MS} ms median: "
        f"{_verdict(statistics.median(switches) * 1000 <= SWITCH_MS)})"
    )
    refresh = statistics.median(figures["refresh"]) * 1000
    print(
        f"client list refresh ({figures['clients']} clients) to the list filled: "
        f"{_ms(figures['refresh'])} (CPU {_ms(figures['refresh_cpu'])}); list_client_rows "
        f"alone, CPU {_ms(figures['core_list'])} "
        f"(target {REFRESH_MS} ms: {_verdict(refresh <= REFRESH_MS)})"
    )
    edit = statistics.median(figures["edit_refresh"]) * 1000
    print(
        f"client list after an edit (the edited client's row read again, the list "
        f"re-sorted): {_ms(figures['edit_refresh'])} (CPU {_ms(figures['edit_refresh_cpu'])}) "
        f"(target {REFRESH_MS} ms: {_verdict(edit <= REFRESH_MS)})"
    )
    agenda = statistics.median(figures["agenda"]) * 1000
    print(
        f"agenda (a week, {figures['lines']} lines) to the page filled: "
        f"{_ms(figures['agenda'])} (CPU {_ms(figures['agenda_cpu'])}); build_agenda alone, "
        f"CPU {_ms(figures['core_agenda'])} "
        f"(target {AGENDA_MS} ms: {_verdict(agenda <= AGENDA_MS)})"
    )
    peak = max([app_rss] + [r["rss"] for r in runs])
    print(
        f"peak memory: launch {max(r['rss'] for r in runs):.0f} MB, the app after "
        f"{len(figures['switch'])} switches, {len(figures['refresh'])} list refreshes and "
        f"{len(figures['agenda'])} agendas {app_rss:.0f} MB "
        f"(target {MEMORY_MB} MB: {_verdict(peak < MEMORY_MB)})"
    )
    print(f"load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
