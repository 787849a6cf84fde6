"""The agenda, the calendar and the segments page on the 300-client demo book with a year
of contacts (tests/bench/contact_book.py, cached), through docs/shots.py.

    xvfb-run -a -s "-screen 0 1440x900x24" sh -c \
        'openbox & sleep 1; PYTHONPATH=$PWD python docs/contact_screenshots.py docs/'

Writes agenda.png, calendar.png and segments.png (agenda-en.png... with --lang en).
"""

from __future__ import annotations

import shots


def main() -> int:
    run = shots.Shots(shots.arguments(__doc__))
    from tests.bench.contact_book import AS_OF, contact_book_path

    run.open_book(contact_book_path(300), today=AS_OF)
    from reviewdesk.gui.agenda_page import AgendaPage
    from reviewdesk.gui.calendar_page import CalendarPage
    from reviewdesk.gui.segments_page import SegmentsPage

    suffix = "" if run.lang == "zh" else f"-{run.lang}"
    for name, page, ready in (
        ("agenda", AgendaPage(run.ctx), lambda p: p.agenda),
        ("calendar", CalendarPage(run.ctx), lambda p: p.grid),
        ("segments", SegmentsPage(run.ctx), lambda p: p.segmentation),
    ):
        page.resize(1400, 860)
        page.show()
        run.wait_until(lambda p=page, r=ready: r(p) is not None)
        run.settle(0.6)
        run.save(f"{name}{suffix}.png", page)
        page.close()
    return run.close()


if __name__ == "__main__":
    raise SystemExit(main())
