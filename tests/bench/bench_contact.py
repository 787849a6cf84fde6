"""Keeping-in-touch timings on large demo books (built once, cached in tests/bench/.cache).

    PYTHONPATH=$PWD python -m tests.bench.bench_contact [--clients 2000] [--runs 5]

grid month / quarter: building the calendar grid of a period from the book
(the work the calendar page sends to the book worker). page month: from
asking the calendar page for a month to the grid shown and painted. filter:
re-slicing the loaded rows by tier and repainting. scroll: one page-down step
of the view, repainted. agenda, segments: the whole book, as the pages ask.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from tests.screen import OFFSCREEN

os.environ.setdefault("QT_QPA_PLATFORM", OFFSCREEN)
os.environ.setdefault("MPLBACKEND", "Agg")


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    from tests.bench.contact_book import AS_OF, contact_book_path

    path = contact_book_path(args.clients)
    from PySide6.QtWidgets import QApplication

    from reviewdesk.app import AppContext
    from reviewdesk.book.enums import Tier
    from reviewdesk.review.agenda import build_agenda
    from reviewdesk.review.calendar_grid import Period, build_grid, period_bounds
    from reviewdesk.review.segments import segment_book

    ctx = AppContext(db=str(path), today=AS_OF)
    book = ctx.book
    with book.session() as s:
        from sqlalchemy import func, select

        from reviewdesk.book.models import Client, Contact

        clients = s.scalar(select(func.count(Client.id)))
        contacts = s.scalar(select(func.count(Contact.id)))
    print(f"book: {clients} clients, {contacts} contacts, as of {AS_OF}")

    def grid(period):
        start, end = period_bounds(AS_OF, period)
        with book.session() as s:
            return build_grid(s, start, end, AS_OF)

    results = {}
    results["grid month"] = _median(lambda: grid(Period.MONTH), args.runs)
    results["grid quarter"] = _median(lambda: grid(Period.QUARTER), args.runs)

    def agenda():
        with book.session() as s:
            return build_agenda(s, AS_OF, 7)

    def segments():
        with book.session() as s:
            return segment_book(s, AS_OF)

    results["agenda (7 days)"] = _median(agenda, args.runs)
    results["segments"] = _median(segments, args.runs)

    app = QApplication.instance() or QApplication([])
    from reviewdesk.gui.calendar_page import CalendarPage

    page = CalendarPage(ctx)
    page.resize(1400, 900)
    page.show()

    def wait_loaded():
        t0 = time.perf_counter()
        page.grid = None
        page.refresh()
        while page.grid is None:
            app.processEvents()
            time.sleep(0.001)
        page.view.viewport().repaint()
        app.processEvents()
        return time.perf_counter() - t0

    wait_loaded()
    results["page month (load + paint)"] = statistics.median(
        wait_loaded() for _ in range(args.runs)
    )

    def filter_once():
        page.tier_box.setCurrentIndex(page.tier_box.findData(Tier.KEY))
        page.view.viewport().repaint()
        page.tier_box.setCurrentIndex(0)
        page.view.viewport().repaint()
        app.processEvents()

    results["filter tier + repaint (x2)"] = _median(filter_once, args.runs)

    bar = page.view.verticalScrollBar()

    def scroll():
        bar.setValue(0)
        steps = 0
        while bar.value() < bar.maximum() and steps < 40:
            bar.setValue(bar.value() + bar.pageStep())
            page.view.viewport().repaint()
            steps += 1
        return steps

    t0 = time.perf_counter()
    steps = scroll()
    results["scroll page-down step"] = (time.perf_counter() - t0) / max(steps, 1)

    page.period_box.setCurrentIndex(1)
    while page.grid is None or page.grid.start.month % 3 != 1:
        app.processEvents()
        time.sleep(0.001)
    results["page quarter (load + paint)"] = statistics.median(
        wait_loaded() for _ in range(args.runs)
    )
    t0 = time.perf_counter()
    steps = scroll()
    results["scroll page-down step, quarter"] = (time.perf_counter() - t0) / max(steps, 1)
    from reviewdesk.gui.worker import book_worker

    book_worker().waitForDone(5000)

    for name, seconds in results.items():
        print(f"{name:34s} {seconds * 1000:8.1f} ms")
    ctx.close()


if __name__ == "__main__":
    main()
