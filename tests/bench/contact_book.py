"""The 2,000-client book for the keeping-in-touch benchmarks, built once and cached.

A realistic mix (the demo's own tiers, snapshot counts and a year of contacts
per client), unlike a uniform book: the calendar, the agenda and the segments
see what a large real book would give them.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
AS_OF = dt.date(2026, 6, 15)
CLIENTS = 2000


def contact_book_path(clients: int = CLIENTS) -> Path:
    from reviewdesk.book.db import open_book
    from reviewdesk.demo import DemoOptions, fill_demo

    path = CACHE / f"contact-{clients}.sqlite"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")
    partial = path.with_suffix(".partial")
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    book = open_book(str(partial))
    try:
        with book.session() as session:
            fill_demo(
                session,
                DemoOptions(clients=clients, seed=2026, as_of=AS_OF),
                lambda done, total: (
                    done % 250 == 0 and print(f"{done}/{total}", file=sys.stderr, flush=True)
                ),
            )
        with book.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        book.close()
    partial.rename(path)
    return path


if __name__ == "__main__":
    print(contact_book_path(int(sys.argv[1]) if len(sys.argv) > 1 else CLIENTS))
