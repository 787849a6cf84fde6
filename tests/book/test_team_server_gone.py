"""The book's server going away in the middle of a unit of work, on a server of the test's
own (stopped and started again between two statements): the change is rolled back whole,
the user reads one sentence, and the same open book works again once the server is back.
"""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import create_engine, event, text

from reviewdesk.book.db import ServerGone, ServerUnreachable, open_book
from reviewdesk.book.models import Client
from reviewdesk.exchange import export_workbook, import_files
from tests import factories as f
from tests import pg

TABLES = ("client", "snapshot", "holding", "fx_rate", "audit_entry")


@pytest.fixture(scope="module")
def server():
    with pg.throwaway_server() as s:
        admin = create_engine(s.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('CREATE DATABASE "rd_gone"'))
        admin.dispose()
        yield s


@pytest.fixture(scope="module")
def workbook(tmp_path_factory, demo_book_path):
    from tests.conftest import PASSPHRASE

    folder = tmp_path_factory.mktemp("gone")
    path = folder / "book.xlsx"
    shutil.copyfile(demo_book_path, folder / "demo.sqlite")
    demo = open_book(str(folder / "demo.sqlite"), passphrase=PASSPHRASE)
    try:
        with demo.session() as s:
            export_workbook(s, path, lang="zh")
            clients = s.scalar(text("SELECT count(*) FROM client"))
    finally:
        demo.close()
    return path, clients


def _counts(server) -> dict[str, int]:
    engine = create_engine(server.database_url("rd_gone"))
    try:
        with engine.connect() as conn:
            return {t: int(conn.scalar(text(f"SELECT count(*) FROM {t}"))) for t in TABLES}
    finally:
        engine.dispose()


def _stop_before(book, server, statement_start: str) -> list[str]:
    """Stop the server just before the book's first statement that starts so."""
    seen: list[str] = []

    def stop(conn, cursor, statement, parameters, context, executemany):
        if not seen and statement.lstrip().upper().startswith(statement_start):
            seen.append(statement)
            server.stop("fast")

    event.listen(book.engine, "before_cursor_execute", stop)
    return seen


def test_an_import_cut_off_midway_keeps_nothing_and_works_once_the_server_is_back(server, workbook):
    path, clients = workbook
    book = open_book(server.database_url("rd_gone"))
    try:
        before = _counts(server)
        seen = _stop_before(book, server, "INSERT INTO HOLDING")
        with pytest.raises(ServerGone) as caught:
            import_files(book, [path])
        assert seen, "the import never reached its holdings"
        assert str(caught.value) == (
            "The connection to the book's server was lost; nothing of this change was saved. "
            "Try again once the server is back."
        )
        assert caught.value.message("zh") == str(caught.value)  # raised in the interface's
        assert "psycopg" not in str(caught.value) and "Operational" not in str(caught.value)
        # While the server is down: a new unit of work says so, and nothing else happens.
        with pytest.raises(ServerUnreachable, match="cannot be reached"):
            with book.session() as s:
                s.scalar(text("SELECT count(*) FROM client"))
        server.start()
        # Nothing of the import is in the book: neither the clients written before the
        # holdings nor the trail the database wrote for them.
        assert _counts(server) == before
        # The same open book reconnects (its dead connections are replaced) and imports.
        report = import_files(book, [path])
        assert report.applied and report.problems == [], report.problems[:5]
        after = _counts(server)
        assert after["client"] == before["client"] + clients
        assert after["holding"] > before["holding"] and after["audit_entry"] > 0
    finally:
        book.close()


def test_a_save_cut_off_keeps_the_record_as_it_was(server):
    book = open_book(server.database_url("rd_gone"))
    try:
        with book.session() as s:
            client = f.client(code="GONE1", name="张三")
            s.add(client)
            s.flush()
            cid = client.id
            was = (client.hobbies, client.phone)
        seen = _stop_before(book, server, "UPDATE CLIENT")
        with pytest.raises(ServerGone, match="nothing of this change was saved"):
            with book.session() as s:
                s.get(Client, cid).hobbies = "围棋"
                s.get(Client, cid).phone = "13900000001"
        assert seen
        server.start()
        with book.session() as s:
            kept = s.get(Client, cid)
            assert (kept.hobbies, kept.phone, kept.version) == (*was, 1)
            kept.hobbies = "围棋"
        with book.session() as s:
            assert (s.get(Client, cid).hobbies, s.get(Client, cid).version) == ("围棋", 2)
    finally:
        book.close()
