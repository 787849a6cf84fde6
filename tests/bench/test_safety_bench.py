"""What safety costs: a 1,000-holding snapshot save with and without the audit trail,
and opening an encrypted book against a plain one (first in a process, and again).

    PYTHONPATH=$PWD python -m pytest tests/bench/test_safety_bench.py --benchmark-only
"""

import datetime as dt

import pytest
from sqlalchemy import select

from reviewdesk.book import audit, crypto
from reviewdesk.book.db import open_book
from reviewdesk.book.models import Client, Snapshot
from tests.stress.kill_during_save import holdings_for

pytestmark = pytest.mark.bench
DAY = dt.date(2026, 5, 31)


def _book(tmp_path, passphrase):
    book = open_book(str(tmp_path / "b.sqlite"), passphrase=passphrase)
    with book.session() as s:
        c = Client(code="B1", name="基准", report_currency="CNY")
        c.snapshots.append(Snapshot(review_date=DAY, holdings=holdings_for(0)))
        s.add(c)
    return book


def _save(book, generation, audited):
    with book.session() as s:
        snapshot = s.scalar(select(Snapshot))
        if audited:
            snapshot.holdings = holdings_for(generation)
        else:
            with audit.bulk(s, "bench"):
                snapshot.holdings = holdings_for(generation)


@pytest.mark.parametrize("audited", [True, False], ids=["audited", "summary-only"])
@pytest.mark.parametrize("passphrase", ["bench pass", None], ids=["encrypted", "plain"])
def test_save_a_1000_holding_snapshot(benchmark, tmp_path, audited, passphrase):
    book = _book(tmp_path, passphrase)
    counter = iter(range(1, 10_000))
    benchmark.pedantic(lambda: _save(book, next(counter), audited), rounds=5, iterations=1)
    book.close()


@pytest.mark.parametrize("again", [False, True], ids=["first-in-process", "again"])
@pytest.mark.parametrize("passphrase", ["bench pass", None], ids=["encrypted", "plain"])
def test_open_a_book(benchmark, tmp_path, passphrase, again):
    """A book's first opening in a process (the key derived by SQLCipher), and an opening
    again in the same process (keyed with the key derived once: book/crypto.py)."""
    _book(tmp_path, passphrase).close()
    open_book(str(tmp_path / "b.sqlite"), passphrase=passphrase).close()
    benchmark.pedantic(
        lambda: open_book(str(tmp_path / "b.sqlite"), passphrase=passphrase).close(),
        setup=None if again else crypto._KEYS.forget,
        rounds=5,
        iterations=1,
    )
