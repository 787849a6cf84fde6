"""The review page at its full length and every page of present mode, with the time the
review page takes to show its charts (docs/shots.py).

    xvfb-run -a -s "-screen 0 1440x900x24" sh -c \
        'openbox & sleep 1; PYTHONPATH=$PWD python docs/screenshot_review.py /tmp/pages'

Writes review-full.png and present-<n>.png, one a present-mode page.
"""

from __future__ import annotations

import time

import shots


def main() -> int:
    args = shots.arguments(
        __doc__, more=lambda p: p.add_argument("--client", type=int, help="default: a key one")
    )
    run = shots.Shots(args)
    run.demo_book()
    from reviewdesk.gui.present import PresentWindow
    from reviewdesk.gui.review_page import ReviewPage

    page = ReviewPage(run.ctx)
    page.resize(1280, 2000)
    page.show()
    started = time.perf_counter()
    page.load(args.client or _interesting_client(run.ctx))
    shown: list[object] = []
    page.charts_shown.connect(shown.append)
    run.wait_until(lambda: bool(shown))
    print(f"review page with charts: {(time.perf_counter() - started) * 1000:.0f} ms")
    run.settle()
    run.save("review-full.png", page)
    window = PresentWindow(page.review, lang=args.lang)
    window.present()
    run.wait_until(lambda: all(c.canvas is not None for c in window.charts))
    for index in range(window.page_count):
        window.go_to(index)
        run.settle(0.5)
        run.save(f"present-{index + 1}.png", window)
    return run.close()


def _interesting_client(ctx) -> int:
    """A client whose review has flags, a previous review and insurance people."""
    from reviewdesk.gui.review_page import load_review
    from reviewdesk.review.client_list import list_clients

    with ctx.book.session() as session:
        ids = [c.id for c in list_clients(session, ctx.today) if c.last_review]

    def score(cid: int) -> int:
        review, _dates = load_review(ctx, cid)
        return (
            len(review.suitability)
            + (2 if review.risk.expired else 0)
            + len(review.maturities)
            + (1 if review.previous else 0)
            + len(review.insurance.people)
            + 2 * (len(review.new_holdings) + len(review.gone_holdings))
        )

    return max(ids, key=score)


if __name__ == "__main__":
    raise SystemExit(main())
