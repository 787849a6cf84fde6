"""Packs and charts built on several threads at once come out as they do one at a time:
the desktop builds a preview, an export and its charts on different threads."""

from __future__ import annotations

import datetime as dt
import threading

from reviewdesk.charts.builders import trend_chart
from reviewdesk.pack.document import render_pack
from reviewdesk.review.build import build_review
from reviewdesk.settings import Settings

TODAY = dt.date(2026, 6, 15)


def test_packs_built_on_four_threads_at_once_are_the_packs_built_alone(demo_book):
    with demo_book.session() as s:
        reviews = [
            build_review(s, client_id, settings=Settings(), today=TODAY)
            for client_id in (1, 2, 3, 4)
        ]
    alone = {i: render_pack(r, "zh") for i, r in enumerate(reviews)}
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def build(i: int) -> None:
        try:
            start.wait()
            results[i] = render_pack(reviews[i], "zh")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert results == alone


def test_charts_built_on_two_threads_keep_their_settings(demo_book):
    """matplotlib's settings are the process's: each chart is built with its own, and
    the settings are as they were once both are done."""
    import matplotlib

    with demo_book.session() as s:
        review = build_review(s, 1, settings=Settings(), today=TODAY)
    before = dict(matplotlib.rcParams)
    fonts = []
    start = threading.Barrier(2)

    def chart() -> None:
        start.wait()
        for _ in range(5):
            fig = trend_chart(review.trend, "zh", review.currency)
            fonts.append(tuple(fig.axes[0].title.get_fontfamily()) if fig.axes else ())

    threads = [threading.Thread(target=chart) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(set(fonts)) == 1
    assert dict(matplotlib.rcParams) == before
