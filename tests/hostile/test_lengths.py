"""Every text field has a longest length, declared once (the column's String(n), or a Text
column's declared limit), kept by every path into the book and named by the import."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader
from sqlalchemy import Enum, String, Text, select

from reviewdesk.book import validation
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Base, Client, Contact
from reviewdesk.cli import main
from reviewdesk.exchange import import_files
from tests import factories as f
from tests.hostile.common import fingerprint, write_csv

pytestmark = pytest.mark.usefixtures("passphrase_env")

# A spreadsheet cell holds at most this many characters.
CELL_LIMIT = 32_767


def test_every_text_column_declares_a_limit_a_cell_can_hold():
    checked = 0
    for mapper in Base.registry.mappers:
        model = mapper.class_
        rules = validation.text_rules(model)
        if model.__tablename__ in ("audit_entry", "setting"):
            assert rules == {}
            continue
        for column in mapper.columns:
            if not isinstance(column.type, String) or isinstance(column.type, Enum):
                continue
            key = mapper.get_property_by_column(column).key
            rule = rules[key]
            if isinstance(column.type, Text):
                assert rule.limit == column.info["max_length"] and rule.multiline
            else:
                assert rule.limit == column.type.length and not rule.multiline
            assert rule.limit < CELL_LIMIT
            checked += 1
    # flow: currency, to_currency, holding, note; the team (0007): client owner and branch,
    # team_member name, role and branch, assistant and manager of an assignment, co-manager;
    # benchmarks (0006): a level's name, a choice's benchmark and blend; a snapshot fact's
    # currency (0009); a client's sort name (0014); a team member's name and telephone
    # on packs (0015)
    assert checked == 58
    assert validation.text_rules(Client)["special_notes"].limit == 10_000
    assert validation.text_rules(Contact)["summary"].limit == 10_000


def test_the_app_path_refuses_a_name_over_its_limit(book):
    with book.session() as session:
        session.add(Client(code="K1", name="x" * 200))
    with pytest.raises(ValidationError) as info, book.session() as session:
        session.scalar(select(Client)).name = "x" * 100_000
    assert info.value.reason == "is longer than 200 characters (100,000)"
    assert info.value.refusal("en").startswith("Name “xxx") and len(info.value.refusal("en")) < 120
    with pytest.raises(ValidationError, match="is longer than 10,000 characters"):
        with book.session() as session:
            session.scalar(select(Client)).special_notes = "备" * 10_001
    with book.session() as session:
        client = session.scalar(select(Client))
        assert client.name == "x" * 200 and client.special_notes is None


def test_an_import_names_the_cell_and_the_limit_and_changes_nothing(book, tmp_path):
    with book.session() as session:
        session.add(Client(code="K1", name="Wang Wei"))
    before = fingerprint(book)
    clients = write_csv(
        tmp_path / "Clients.csv",
        [
            ["client_id", "name", "notes", "tags"],
            ["K1", "Wang Wei", "n" * 10_000, "vip"],
            ["K2", "x" * 5_000, "", ""],
            ["K3", "Li Na", "n" * 10_001, ""],
            ["K4", "Zhao", "", "t" * 81],
        ],
    )
    contacts = write_csv(
        tmp_path / "Contacts.csv",
        [
            ["client_id", "date", "channel", "summary", "next_step"],
            ["K1", "2026-01-05", "T", "s" * 10_000, "n" * 4_001],
        ],
    )
    report = import_files(book, [clients, contacts])
    assert not report.applied
    messages = [p.message() for p in report.problems]
    assert messages == [
        "Clients row 3, name: " + "x" * 57 + "... is longer than 200 characters (5,000)",
        "Clients row 4, notes: " + "n" * 57 + "... is longer than 10,000 characters (10,001)",
        "Clients row 5, tags: " + "t" * 57 + "... is longer than 80 characters (81)",
        "Contacts row 2, next_step: " + "n" * 57 + "... is longer than 4,000 characters (4,001)",
    ]
    assert fingerprint(book) == before


def test_a_cell_longer_than_a_spreadsheet_allows_is_refused_by_the_reader(book, tmp_path):
    """Past the 32,767 characters a spreadsheet cell can hold, the file itself is refused
    (a limit of the reader, as for zip bombs), before any rule of the book is asked."""
    with book.session() as session:
        session.add(Client(code="K1", name="Wang Wei"))
    before = fingerprint(book)
    clients = write_csv(tmp_path / "Clients.csv", [["client_id", "name"], ["K2", "x" * 100_000]])
    report = import_files(book, [clients])
    assert not report.applied
    assert [p.message() for p in report.problems] == [
        "Clients row 2: a cell is longer than the limit of 32,767 characters"
    ]
    assert fingerprint(book) == before


def test_a_pack_takes_the_longest_name_and_notes_the_book_allows(capsys, book, tmp_path):
    with book.session() as session:
        client = f.client("K1", "王" * 200, special_notes="注" * 10_000)
        client.snapshots.append(
            f.snapshot(dt.date(2026, 3, 31), f.holding("产" * 300, institution="行" * 200))
        )
        session.add(client)
    db = str(book.path)
    book.close()
    out = tmp_path / "p.pdf"
    code = main(["--db", db, "pack", "K1", "-o", str(out)])
    _out, err = capsys.readouterr()
    assert code == 0, err
    assert len(PdfReader(out).pages) >= 1
