"""Book benchmarks: python -m pytest tests/bench/test_bench_book.py --benchmark-only

A book of 2,000 clients with 36 monthly snapshots of 25 holdings each
(1.8 million holdings), built once and cached.
"""

from __future__ import annotations

import pytest

from reviewdesk.book.db import open_book
from reviewdesk.book.queries import load_client_history
from reviewdesk.review.client_list import list_clients
from reviewdesk.review.snapshot_view import snapshot_view
from tests.bench.books import AS_OF, big_book

pytestmark = pytest.mark.bench


@pytest.fixture(scope="module")
def path():
    return big_book()


def test_open_book(benchmark, path):
    def run():
        book = open_book(str(path))
        with book.session() as s:
            s.connection()
        book.close()

    benchmark(run)


def test_list_clients_with_latest_totals(benchmark, path):
    book = open_book(str(path))

    def run():
        with book.session() as s:
            return list_clients(s, AS_OF)

    rows = benchmark(run)
    assert len(rows) == 2000 and all(r.total_assets > 0 for r in rows)
    book.close()


def test_load_one_clients_full_history(benchmark, path):
    book = open_book(str(path))

    def run():
        with book.session() as s:
            client = load_client_history(s, 1000)
            return [snapshot_view(snap, client.report_currency) for snap in client.snapshots]

    views = benchmark(run)
    assert len(views) == 36 and all(len(v.holdings) == 25 for v in views)
    book.close()
