import datetime as dt
import json
import os
import stat
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import func, select

from reviewdesk.book import backup, locking
from reviewdesk.book.db import DiskFull, ReadOnlyBook, open_book
from reviewdesk.book.models import Client, Holding
from tests import factories as f

DAY = dt.date(2026, 5, 31)


def _seed(book, n=3):
    with book.session() as s:
        for i in range(n):
            c = f.client(f"C{i}", f"客户{i}")
            c.snapshots.append(f.snapshot(DAY, *[f.holding(f"产品{j}") for j in range(5)]))
            s.add(c)


def _digests(book):
    raw = book.engine.raw_connection()
    try:
        return backup.table_digests(raw.driver_connection)
    finally:
        raw.close()


def test_a_second_process_opens_the_book_read_only_with_a_message(tmp_path):
    path = tmp_path / "b.sqlite"
    book = open_book(str(path), passphrase="pw")
    _seed(book)
    code = textwrap.dedent(f"""
        import json
        from reviewdesk.book.db import open_book
        from reviewdesk.book.errors import BookError
        b = open_book({str(path)!r}, passphrase="pw")
        result = {{"read_only": b.read_only, "reason": b.read_only_reason}}
        with b.session() as s:
            from sqlalchemy import select, func
            from reviewdesk.book.models import Client
            result["clients"] = s.scalar(select(func.count(Client.id)))
        try:
            with b.session() as s:
                s.get(Client, 1).name = "changed"
        except BookError as exc:
            result["refused"] = str(exc)
        b.close()
        print(json.dumps(result))
    """)
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["read_only"] is True
    assert "open by" in result["reason"] and str(os.getpid()) in result["reason"]
    assert result["clients"] == 3
    assert "read-only" in result["refused"]
    book.close()
    assert not locking.lock_path(path).exists()


def test_a_stale_lock_from_a_dead_process_is_taken_over(tmp_path):
    path = tmp_path / "b.sqlite"
    open_book(str(path)).close()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    holder = {
        "pid": int(dead),
        "host": os.uname().nodename,
        "user": "someone",
        "since": "2026-01-01T00:00:00",
        "token": "x",
    }
    locking.lock_path(path).write_text(json.dumps(holder))
    book = open_book(str(path))
    assert not book.read_only
    book.close()
    assert not locking.lock_path(path).exists()


def test_a_lock_from_another_computer_is_respected(tmp_path):
    path = tmp_path / "b.sqlite"
    open_book(str(path)).close()
    holder = {
        "pid": 1,
        "host": "colleague-laptop",
        "user": "li.na",
        "since": "2026-11-28T09:00:00",
        "token": "x",
    }
    locking.lock_path(path).write_text(json.dumps(holder))
    book = open_book(str(path))
    assert book.read_only and "li.na@colleague-laptop" in book.read_only_reason
    book.close()
    assert locking.lock_path(path).exists()  # not ours to remove


def test_a_read_only_file_opens_read_only_and_refuses_edits(tmp_path, monkeypatch):
    path = tmp_path / "b.sqlite"
    book = open_book(str(path), passphrase="pw")
    _seed(book)
    book.close()
    path.chmod(stat.S_IRUSR)
    if os.geteuid() == 0:  # root may write anyway: make the check see what a user would
        from reviewdesk.book import db

        real = os.access
        monkeypatch.setattr(
            db.os,
            "access",
            lambda p, mode: False if mode == os.W_OK and str(p) == str(path) else real(p, mode),
        )
    before = path.read_bytes()
    book = open_book(str(path), passphrase="pw")
    assert book.read_only and "read-only" in book.status
    with pytest.raises(ReadOnlyBook, match="read-only"):
        with book.session() as s:
            s.add(f.client("NEW", "新客户"))
    book.close()
    assert path.read_bytes() == before


def test_asked_read_only_refuses_orm_and_core_writes_and_keeps_the_book(tmp_path):
    path = tmp_path / "b.sqlite"
    book = open_book(str(path), passphrase="pw")
    _seed(book)
    before = _digests(book)
    book.close()
    ro = open_book(str(path), passphrase="pw", read_only=True)
    with pytest.raises(ReadOnlyBook):
        with ro.session() as s:
            s.get(Client, 1).name = "x"
    with pytest.raises(ReadOnlyBook):
        with ro.session() as s:
            from sqlalchemy import text

            s.execute(text("DELETE FROM holding"))
    assert _digests(ro) == before
    ro.close()


def test_disk_full_is_a_clear_message_and_nothing_saved_is_lost(tmp_path):
    path = tmp_path / "b.sqlite"
    book = open_book(str(path), passphrase="pw")
    _seed(book)
    before = _digests(book)

    from sqlalchemy import event

    @event.listens_for(book.engine, "connect")
    def tiny(dbapi_connection, record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 1}")

    book.engine.dispose()
    with pytest.raises(DiskFull, match="disk is full"):
        with book.session() as s:
            c = f.client("BIG", "大客户", special_notes="备注" * 5_000)
            c.snapshots.append(f.snapshot(DAY, *[f.holding(f"新产品{j}") for j in range(300)]))
            s.add(c)
    event.remove(book.engine, "connect", tiny)
    book.engine.dispose()
    # The app keeps running: the book still reads and takes a smaller change.
    assert _digests(book) == before
    with book.session() as s:
        s.get(Client, 1).phone = "13800000000"
    book.close()


FILL = """
import resource, signal, sys
from reviewdesk.book.db import open_book
from reviewdesk.book.errors import BookError
from reviewdesk.book.models import Client
from tests import factories as f
import datetime as dt

book = open_book(sys.argv[1], passphrase="pw")
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
size = sum(p.stat().st_size for p in __import__("pathlib").Path(sys.argv[1]).parent.iterdir())
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 64 * 1024, resource.RLIM_INFINITY))
try:
    with book.session() as s:
        for i in range(200):
            c = f.client(f"F{i}", "客户", special_notes="x" * 4000)
            s.add(c)
    print("saved")
except BookError as exc:
    print("refused:", exc)
with book.session() as s:
    print("still", s.get(Client, 1).name)
book.close()
"""


def test_a_file_size_limit_reaches_the_user_as_a_message(tmp_path):
    path = tmp_path / "b.sqlite"
    book = open_book(str(path), passphrase="pw")
    _seed(book)
    before = _digests(book)
    book.close()
    out = subprocess.run(
        [sys.executable, "-c", FILL, str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "refused:" in out.stdout, out.stdout
    assert ("disk is full" in out.stdout) or ("disk I/O error" in out.stdout)
    assert "still 客户0" in out.stdout
    book = open_book(str(path), passphrase="pw")
    assert _digests(book) == before
    with book.session() as s:
        assert s.scalar(select(func.count(Holding.id))) == 15
    book.close()


def test_an_open_book_keeps_its_lock_fresh_as_it_saves(tmp_path, monkeypatch):
    from reviewdesk.book import db

    path = tmp_path / "b.sqlite"
    book = open_book(str(path))
    lock = locking.lock_path(path)
    os.utime(lock, (0, 0))
    monkeypatch.setattr(db, "LOCK_REFRESH_SECONDS", 0)
    _seed(book, 1)
    assert lock.stat().st_mtime > 1_000_000
    book.close()
