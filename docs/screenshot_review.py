"""Screenshots of the review page and present mode on a fresh demo book.

Run under a display (a real one or Xvfb):

    xvfb-run -a -s "-screen 0 1600x1000x24" python docs/screenshot_review.py docs/

Writes review.png and present.png (and present-<n>.png for every page with --all).
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
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    parser.add_argument("--client", default=None, help="client id (default: a key client)")
    parser.add_argument("--all", action="store_true", help="every present-mode page")
    args = parser.parse_args(argv)

    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from reviewdesk.app import AppContext
    from reviewdesk.demo import DemoOptions, fill_demo
    from reviewdesk.gui.fonts import install_fonts
    from reviewdesk.gui.present import PresentWindow
    from reviewdesk.gui.review_page import ReviewPage
    from reviewdesk.i18n import set_language

    app = QApplication.instance() or QApplication(sys.argv)
    install_fonts()
    app.setFont(QFont("DejaVu Sans", 10))
    set_language(args.lang)
    folder = Path(tempfile.mkdtemp(prefix="reviewdesk-shots-"))
    today = dt.date(2026, 6, 15)
    ctx = AppContext(db=str(folder / "demo.sqlite"), today=today, plain=True)
    with ctx.book.session() as session:
        fill_demo(session, DemoOptions(clients=24, seed=7, as_of=today))
    client_id = int(args.client) if args.client else _interesting_client(ctx)
    args.out.mkdir(parents=True, exist_ok=True)

    page = ReviewPage(ctx)
    page.resize(1280, 2000)
    page.show()
    started = time.perf_counter()
    page.load(client_id)
    _wait(
        app,
        lambda: page.review is not None and _charts_done([page.allocation_chart, page.trend_chart]),
    )
    print(
        f"review page with charts: {(time.perf_counter() - started) * 1000:.0f} ms "
        f"(show_review {page.last_show_ms:.0f} ms)"
    )
    _settle(app)
    page.grab().save(str(args.out / "review.png"))

    window = PresentWindow(page.review, lang=args.lang)
    window.present()
    _wait(app, lambda: _charts_done(window.charts))
    _settle(app)
    window.grab().save(str(args.out / "present.png"))
    if args.all:
        for index in range(window.page_count):
            window.go_to(index)
            _settle(app)
            window.grab().save(str(args.out / f"present-{index + 1}.png"))
    window.close()
    ctx.close()
    return 0


def _interesting_client(ctx) -> int:
    """A client whose review has flags, a previous review and insurance people."""
    from reviewdesk.gui.review_page import load_review
    from reviewdesk.review.client_list import list_clients

    with ctx.book.session() as session:
        ids = [c.id for c in list_clients(session, ctx.today) if c.last_review]
    best, best_score = ids[0], -1
    for cid in ids:
        review, _dates = load_review(ctx, cid)
        score = (
            len(review.suitability)
            + (2 if review.risk.expired else 0)
            + len(review.maturities)
            + (1 if review.previous else 0)
            + len(review.insurance.people)
            + len(review.new_holdings) * 2
            + len(review.gone_holdings) * 2
        )
        if score > best_score:
            best, best_score = cid, score
    return best


def _charts_done(charts) -> bool:
    return all(c.canvas is not None for c in charts)


def _wait(app, condition, timeout: float = 20.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not finish drawing")
        app.processEvents()
        time.sleep(0.01)


def _settle(app) -> None:
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)


if __name__ == "__main__":
    raise SystemExit(main())
