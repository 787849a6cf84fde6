"""Large books for the benchmarks, built once and cached under tests/bench/.cache/."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from reviewdesk.book import crypto
from reviewdesk.book.db import backup_sqlite, open_book
from reviewdesk.demo import DemoOptions, fill_demo

CACHE = Path(__file__).resolve().parent / ".cache"
AS_OF = dt.date(2026, 6, 15)


def big_book(clients: int = 2000, snapshots: int = 36, holdings: int = 25) -> Path:
    """A book of `clients` clients, each with `snapshots` monthly reviews of `holdings` holdings."""
    path = CACHE / f"book-{clients}x{snapshots}x{holdings}.sqlite"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        for leftover in CACHE.glob(partial.name + "*"):
            leftover.unlink()
        book = open_book(str(partial))
        with book.session() as session:
            fill_demo(
                session,
                DemoOptions(
                    clients=clients,
                    seed=11,
                    as_of=AS_OF,
                    uniform_snapshots=snapshots,
                    uniform_holdings=holdings,
                ),
            )
        book.close()
        os.replace(partial, path)
    return path


def demo_book(clients: int = 300) -> Path:
    """The ordinary demo book (varied cadences and sizes)."""
    path = CACHE / f"demo-{clients}.sqlite"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        book = open_book(str(partial))
        with book.session() as session:
            fill_demo(session, DemoOptions(clients=clients, seed=2026, as_of=AS_OF))
        book.close()
        os.replace(partial, path)
    return path


BENCH_PASSPHRASE = "bench passphrase"


def encrypted_copy(source: Path, passphrase: str = BENCH_PASSPHRASE) -> Path:
    """`source` as our users keep a book, encrypted (SQLCipher, `passphrase`), made once
    beside it and again whenever the plain book is newer (an upgrade)."""
    path = source.with_name(source.stem + "-encrypted.sqlite")
    if not path.exists() or path.stat().st_mtime < source.stat().st_mtime:
        partial = path.with_suffix(".partial")
        for leftover in CACHE.glob(partial.name + "*"):
            leftover.unlink()
        # Its journal folded in, and brought up to the code's schema first: opened without
        # upgrading, a plain book made before a migration could not be copied at all.
        book = open_book(str(source), lock=False)
        book.close()
        crypto.export_encrypted(source, partial, passphrase)
        for suffix in ("-wal", "-shm", ".lock"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        os.replace(partial, path)
    return path


def working_copy(source: Path, target_dir: Path) -> Path:
    return backup_sqlite(source, target_dir / source.name)
