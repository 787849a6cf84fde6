"""An unexpected error puts no client data in the log nor on the terminal.

The log is a plain file outside the encrypted book: it holds record ids and codes, the
frames of a traceback and the SQL of a statement, never a name, phone, email, address or
income. It is readable by its owner only and rotates.
"""

from __future__ import annotations

import logging
import sqlite3
import stat
from decimal import Decimal

import pytest
import sqlalchemy.orm
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from reviewdesk import logs
from reviewdesk.book.db import open_book
from reviewdesk.book.enums import Language, Tier
from reviewdesk.book.models import Client
from reviewdesk.cli import main
from tests import factories as f
from tests.conftest import PASSPHRASE

PRIVATE = {
    "name": "王秀英",
    "phone": "13912345678",
    "email": "xiuying@example.cn",
    "address": "上海市浦东新区世纪大道100号",
    "annual_income": Decimal("876543.21"),
}


@pytest.fixture(autouse=True)
def no_log_handler_left():
    yield
    root = logging.getLogger("reviewdesk")
    for handler in [h for h in root.handlers if isinstance(h, logs.PrivateFileHandler)]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture
def book_file(tmp_path, passphrase_env):
    path = tmp_path / "book.sqlite"
    book = open_book(str(path), passphrase=PASSPHRASE)
    with book.session() as s:
        s.add(
            f.client(
                "C1",
                PRIVATE["name"],
                phone=PRIVATE["phone"],
                email=PRIVATE["email"],
                address=PRIVATE["address"],
                annual_income=PRIVATE["annual_income"],
                income_currency="CNY",
            )
        )
    book.close()
    return path


def _values(record: Client) -> tuple:
    return (record.name, record.phone, record.email, record.address, record.annual_income)


def _fail_writes_of_clients(monkeypatch, make_error):
    real_flush = sqlalchemy.orm.Session.flush

    def flush(self, objects=None):
        clients = [o for o in self.dirty if isinstance(o, Client)]
        if clients:
            raise make_error(clients[0])
        return real_flush(self, objects)

    monkeypatch.setattr(sqlalchemy.orm.Session, "flush", flush)


def _assert_private(text: str) -> None:
    for field, value in PRIVATE.items():
        assert str(value) not in text, (field, text)
    assert "876543" not in text  # the income in any rendering


def _assert_the_log_is_private(capsys, code: int) -> str:
    err = capsys.readouterr().err
    assert code == 70
    log = logs.log_path()
    # The terminal: one sentence, and where the details are.
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("reviewdesk: ") and lines[0].endswith(f"{log}.")
    assert lines[0].count(". ") == 0  # one sentence
    _assert_private(err)
    # The log: the traceback's frames, no client data, readable by its owner only.
    text = log.read_text(encoding="utf-8")
    assert "unexpected error" in text and "Traceback" in text and "cmd_tier" in text
    _assert_private(text)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    return text


def test_a_database_error_carrying_the_record_reaches_neither_log_nor_terminal(
    book_file, monkeypatch, capsys
):
    def integrity(record):
        values = _values(record)
        return IntegrityError(
            "UPDATE client SET name=?, phone=?, email=?, address=?, annual_income=? WHERE id=?",
            (*values, record.id),
            sqlite3.IntegrityError(f"duplicate key: Key (phone)=({record.phone}) already exists"),
        )

    _fail_writes_of_clients(monkeypatch, integrity)
    code = main(["--db", str(book_file), "tier", "C1", "key"])
    text = _assert_the_log_is_private(capsys, code)
    # What helps find the fault stays: the statement without its values.
    assert "UPDATE client SET name=?" in text and "parameters withheld" in text


def test_an_error_whose_message_is_the_record_stays_out_of_the_log(book_file, monkeypatch, capsys):
    def with_record(record):
        try:
            raise KeyError(repr(_values(record)))
        except KeyError as inner:
            try:
                raise ValueError(f"cannot save {record.name} ({record.phone}, {record.email})")
            except ValueError as exc:
                exc.__cause__ = inner
                return exc

    _fail_writes_of_clients(monkeypatch, with_record)
    code = main(["--db", str(book_file), "tier", "C1", "key"])
    text = _assert_the_log_is_private(capsys, code)
    assert "ValueError" in text and "KeyError" in text


def test_a_real_integrity_error_of_the_book_carries_no_parameters(book):
    with book.session() as s:
        s.add(f.client("C1", PRIVATE["name"], phone=PRIVATE["phone"]))
    # Past the book's own rules (which refuse a second C1 before the database sees it): the
    # database's unique index, and the error it raises.
    with pytest.raises(IntegrityError) as caught:
        with book.session() as s:
            s.execute(
                insert(Client).values(
                    code="C1",
                    name=PRIVATE["name"],
                    phone=PRIVATE["phone"],
                    tier=Tier.STANDARD,
                    report_currency="CNY",
                    language=Language.ZH,
                )
            )
    _assert_private(str(caught.value))


def test_the_log_is_made_private_and_rotates(monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 4000)
    path = logs.log_path()
    path.write_text("an older version's log\n")
    path.chmod(0o644)
    assert logs.setup_logging() == path
    log = logging.getLogger("reviewdesk.test")
    for n in range(400):
        log.info("line %d for client id %d", n, n)
    files = sorted(path.parent.glob(path.name + "*"))
    assert files[0] == path and len(files) == 1 + logs.BACKUP_COUNT
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
        assert file.stat().st_size <= 4000 + 200
    assert "line 399 " in path.read_text()
