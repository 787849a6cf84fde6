import datetime as dt
import sqlite3

import pytest
from sqlalchemy import func, select

from reviewdesk.book import backup, crypto
from reviewdesk.book.db import CorruptBook, backups_dir, open_book
from reviewdesk.book.models import Client
from reviewdesk.migrations import runner
from tests.conftest import PASSPHRASE


def _digests(book):
    raw = book.engine.raw_connection()
    try:
        return backup.table_digests(raw.driver_connection)
    finally:
        raw.close()


def _records_of(digests):
    return {name: value for name, value in digests.items() if name != "audit_entry"}


def _records(book):
    return _records_of(_digests(book))


@pytest.fixture
def encrypted_demo(demo_book, tmp_path):
    """The demo book, re-keyed under a passphrase of its own."""
    demo_book.change_passphrase("demo pass")
    return demo_book


def test_a_backup_restores_to_identical_counts_and_content(encrypted_demo, tmp_path):
    book = encrypted_demo
    original = _digests(book)
    assert original["holding"][0] > 100
    made = backup.backup_to(book, tmp_path / "copy.sqlite")
    assert crypto.file_kind(made) == "encrypted"
    assert backup.verify(made, "demo pass").tables == original
    with book.session() as s:
        s.get(Client, 1).name = "改过的名字"
        s.delete(s.get(Client, 2))
    assert _digests(book) != original
    kept = backup.restore(book, made).kept
    assert kept.exists() and kept.parent == backups_dir(book.path)
    # The records are the backup's; the audit trail goes on (entries since, and the restore).
    assert _records(book) == _records_of(original)
    with book.session() as s:
        assert s.get(Client, 1).name != "改过的名字"
    # The replaced book was kept: it has the change and opens with the same passphrase.
    assert backup.verify(kept, "demo pass").tables != original


def test_a_corrupted_backup_is_refused_and_the_book_is_untouched(encrypted_demo, tmp_path):
    book = encrypted_demo
    made = backup.backup_to(book, tmp_path / "copy.sqlite")
    data = bytearray(made.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 64):
        data[i] ^= 0xFF
    made.write_bytes(bytes(data))
    before = _digests(book)
    with pytest.raises(CorruptBook, match="refused"):
        backup.restore(book, made)
    assert _digests(book) == before
    truncated = tmp_path / "half.sqlite"
    truncated.write_bytes(backup.backup_to(book, tmp_path / "ok.sqlite").read_bytes()[:8192])
    with pytest.raises(CorruptBook):
        backup.restore(book, truncated)
    with pytest.raises(CorruptBook):
        backup.restore(book, (tmp_path / "ok.sqlite"), "not the passphrase")
    assert _digests(book) == before


def test_a_plain_backup_is_refused_when_it_is_not_a_book(book, tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(CorruptBook, match="not a ReviewDesk book"):
        backup.restore(book, other)


def test_a_backup_under_an_older_passphrase_restores_under_the_current_one(
    encrypted_demo, tmp_path
):
    book = encrypted_demo
    original = _digests(book)
    made = backup.backup_to(book, tmp_path / "old.sqlite")
    book.change_passphrase("newer pass")
    with pytest.raises(CorruptBook):
        backup.restore(book, made)
    backup.restore(book, made, "demo pass")
    assert _records(book) == _records_of(original)
    path = book.path
    book.close()
    open_book(str(path), passphrase="newer pass").close()


def test_daily_backups_once_a_day_and_rotated(encrypted_demo):
    book = encrypted_demo
    day = dt.datetime(2026, 6, 1, 9, 0)
    for n in range(40):
        when = day + dt.timedelta(days=n)
        assert backup.daily_backup(book, 30, when) is not None
        assert backup.daily_backup(book, 30, when + dt.timedelta(hours=3)) is None
    kept = backup.list_backups(book.path)
    assert len(kept) == 30
    assert kept[0][0].date() == dt.date(2026, 6, 11)
    assert all(crypto.file_kind(p) == "encrypted" for _, _, p in kept)


def test_the_app_backs_up_on_open_at_most_once_a_day(tmp_path, monkeypatch):
    from reviewdesk.app import AppContext

    monkeypatch.setenv("REVIEWDESK_PASSPHRASE", "app pass")
    db = str(tmp_path / "b.sqlite")
    for _ in range(3):
        ctx = AppContext(db=db)
        assert ctx.book.encrypted
        ctx.close()
    daily = [b for b in backup.list_backups(tmp_path / "b.sqlite") if b[1] == "daily"]
    assert len(daily) == 1


def test_upgrade_from_the_first_schema_keeps_every_row_and_backs_up_first(demo_book_path, tmp_path):
    """A populated 0001 book (the demo's rows copied into the first schema) upgrades to head."""
    path = tmp_path / "old.sqlite"
    engine = open_book.__globals__["make_engine"](f"sqlite:///{path}")
    runner.upgrade(engine, "0001_initial")
    engine.dispose()
    conn = crypto.dbapi().connect(str(path))  # the old book plain, the demo encrypted
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(
        f"ATTACH DATABASE ? AS demo KEY {crypto.quote_passphrase(PASSPHRASE)}",
        (str(demo_book_path),),
    )
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version' "
            "AND name NOT LIKE 'sqlite_%'"
        )
    ]
    counts = {}
    for table in tables:
        columns = [r[1] for r in conn.execute(f'PRAGMA main.table_info("{table}")')]
        names = ", ".join(f'"{c}"' for c in columns)
        conn.execute(f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM demo."{table}"')
        counts[table] = conn.execute(f'SELECT count(*) FROM main."{table}"').fetchone()[0]
    conn.commit()
    conn.execute("DETACH DATABASE demo")
    conn.close()
    assert counts["holding"] > 100 and counts["client"] == 24

    book = open_book(str(path))
    state = runner.state(book.engine)
    assert state.current == state.head == runner.HEAD
    with book.engine.connect() as c:
        for table, count in counts.items():
            assert c.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar() == count
    with book.session() as s:
        assert s.scalar(select(func.count(Client.id))) == 24
        s.get(Client, 1).id_number = "110101199001011234"
    book.close()
    before = [b for b in backup.list_backups(path) if b[1] == f"before-{runner.HEAD}"]
    assert len(before) == 1
    check = backup.verify(before[0][2])
    assert check.revision == "0001_initial"
    assert {t: check.tables[t][0] for t in counts} == counts


def test_downgrading_the_safety_revision_keeps_every_row(demo_book):
    # The flows, benchmark, team and snapshot fact tables are younger than the safety
    # revision: going below 0005 drops them.
    young = (
        "alembic_version",
        "flow",
        "benchmark_level",
        "benchmark_choice",
        "team_member",
        "assistant_assignment",
        "client_manager",
        "snapshot_fact",
    )
    before = {t: c for t, (c, _h) in _digests(demo_book).items() if t not in young}
    runner.downgrade(demo_book.engine, "0001_initial")
    after = {t: c for t, (c, _h) in _digests(demo_book).items() if t != "alembic_version"}
    assert after == before and before["holding"] > 100
    runner.upgrade(demo_book.engine)
    assert runner.state(demo_book.engine).current == runner.HEAD


def test_a_backup_reads_the_book_through_a_small_cache_and_leaves_it_as_it_was(book, tmp_path):
    """An encrypted book's connections keep up to 32 MB of decrypted pages (crypto.CACHE_KB);
    the copy reads every page once, and through that cache it left the connection holding
    all of it (found, with 64 MB: the day's backup took the app from 314 to 408 MB on a
    2,000-client book). It reads through SQLite's default cache, and the connection gets
    its own back."""
    statements: list[str] = []
    raw = book.engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection.execute("PRAGMA cache_size").fetchone()[0] == -crypto.CACHE_KB
        connection.set_trace_callback(statements.append)
        backup.vacuum_into(connection, tmp_path / "copy.sqlite")
        connection.set_trace_callback(None)
        assert connection.execute("PRAGMA cache_size").fetchone()[0] == -crypto.CACHE_KB
    finally:
        raw.close()
    vacuum = next(i for i, s in enumerate(statements) if s.startswith("VACUUM INTO"))
    assert f"PRAGMA cache_size = {backup.SMALL_CACHE}" in statements[:vacuum]
    assert (tmp_path / "copy.sqlite").stat().st_size > 0
