"""The 2,000-client benchmark book, built once and cached (it takes minutes)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
AS_OF = dt.date(2026, 6, 15)
CLIENTS = 2000


def big_book_path() -> Path:
    """The cached book, made on first use."""
    from reviewdesk.book.db import open_book
    from reviewdesk.demo import DemoOptions, fill_demo

    path = CACHE / f"book-{CLIENTS}.sqlite"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    book = open_book(str(partial))
    try:
        with book.session() as session:
            fill_demo(session, DemoOptions(clients=CLIENTS, as_of=AS_OF, uniform_snapshots=36,
                                           uniform_holdings=25),
                      lambda done, total: done % 100 == 0 and print(
                          f"{done}/{total}", file=sys.stderr, flush=True))
        with book.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        book.close()
    partial.rename(path)
    return path


if __name__ == "__main__":
    print(big_book_path())
