"""Screenshots of the agenda, the calendar and the segments page on the 300-client demo book.

    PYTHONPATH=$PWD xvfb-run -a python docs/contact_screenshots.py [--lang zh|en] [--out docs]

Real windows under Xvfb, grabbed once the page has loaded from the book.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="zh", choices=["zh", "en"])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent))
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from reviewdesk.app import AppContext
    from reviewdesk.i18n import set_language
    from tests.bench.contact_book import AS_OF, contact_book_path

    set_language(args.lang)
    app = QApplication([])
    ctx = AppContext(db=str(contact_book_path(300)), today=AS_OF)

    from reviewdesk.gui.agenda_page import AgendaPage
    from reviewdesk.gui.calendar_page import CalendarPage
    from reviewdesk.gui.segments_page import SegmentsPage

    shots = [
        ("agenda", AgendaPage, lambda p: p.agenda, (1400, 860)),
        ("calendar", CalendarPage, lambda p: p.grid, (1400, 860)),
        ("segments", SegmentsPage, lambda p: p.segmentation, (1400, 860)),
    ]
    for name, cls, ready, size in shots:
        page = cls(ctx)
        page.resize(*size)
        page.show()
        deadline = time.monotonic() + 30
        while ready(page) is None and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        for _ in range(30):
            app.processEvents()
            time.sleep(0.01)
        suffix = "" if args.lang == "zh" else f"-{args.lang}"
        target = Path(args.out) / f"{name}{suffix}.png"
        page.grab().save(str(target))
        print(target)
        page.close()
        page.deleteLater()
    from reviewdesk.gui.worker import book_worker

    book_worker().waitForDone(10_000)
    app.processEvents()
    ctx.close()


if __name__ == "__main__":
    main()
