"""Client codes are compared without regard to case or width: `C90001`, `c90001` and
`Ｃ９０００１` are one code, on every path; an old book's colliding codes are kept and named."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select, text

from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Client
from reviewdesk.book.queries import find_client
from reviewdesk.cli import main
from reviewdesk.exchange import import_files
from reviewdesk.migrations import runner
from reviewdesk.text import normalise_code
from tests.hostile.common import fingerprint, write_csv

pytestmark = pytest.mark.usefixtures("passphrase_env")


def test_the_one_form_of_a_code():
    assert normalise_code(" c90001 ") == "C90001"
    assert normalise_code("Ｃ９０００１") == "C90001"
    assert normalise_code("ｃ９０００１") == "C90001"
    assert normalise_code("k-7") == "K-7"


def test_a_code_is_stored_in_its_one_form_and_a_second_client_cannot_take_it(book):
    with book.session() as session:
        session.add(Client(code="c90001", name="Wang Wei"))
    with book.session() as session:
        assert session.scalar(select(Client.code)) == "C90001"
    for other in ("C90001", "Ｃ９０００１", "c90001"):
        with pytest.raises(ValidationError) as info, book.session() as session:
            session.add(Client(code=other, name="Li Na"))
        assert info.value.field == "code" and info.value.reason == "is the code of another client"
    with book.session() as session:
        assert session.scalars(select(Client.name)).all() == ["Wang Wei"]
        for key in ("c90001", "C90001", "Ｃ９０００１", " c90001 "):
            assert find_client(session, key).name == "Wang Wei"


def test_two_new_clients_of_one_code_in_one_save_are_refused(book):
    with pytest.raises(ValidationError, match="is the code of another client"):
        with book.session() as session:
            session.add_all([Client(code="k1", name="A"), Client(code="K1", name="B")])


def test_an_import_matches_a_code_in_any_case_or_width(book, tmp_path):
    with book.session() as session:
        session.add(Client(code="C90001", name="Wang Wei"))
    path = write_csv(
        tmp_path / "Clients.csv",
        [["client_id", "name", "phone"], ["c90001", "Wang Wei", "13800000000"]],
    )
    report = import_files(book, [path])
    assert report.applied, report.problems
    assert (report.counts["Clients"].added, report.counts["Clients"].updated) == (0, 1)
    path = write_csv(
        tmp_path / "Contacts.csv",
        [
            ["client_id", "date", "channel", "summary"],
            ["Ｃ９０００１", "2026-01-05", "T", "called"],
        ],
    )
    assert import_files(book, [path]).applied
    with book.session() as session:
        (client,) = session.scalars(select(Client)).all()
        assert client.phone == "13800000000" and [c.summary for c in client.contacts] == ["called"]


def test_an_import_refuses_codes_that_differ_only_in_case(book, tmp_path):
    before = fingerprint(book)
    path = write_csv(
        tmp_path / "Clients.csv",
        [["client_id", "name"], ["C90001", "A"], ["c90001", "B"], ["Ｃ９０００１", "C"]],
    )
    report = import_files(book, [path])
    assert [p.message() for p in report.problems] == [
        "Clients row 3, client_id: c90001 is the code of row 2 (C90001) again: a code is "
        "one whatever its case or width",
        "Clients row 4, client_id: Ｃ９０００１ is the code of row 2 (C90001) again: a code "
        "is one whatever its case or width",
    ]
    assert not report.applied and fingerprint(book) == before


def _old_book(book, codes):
    """A book from before codes had one form: the codes as typed, revision 0003."""
    runner.downgrade(book.engine, "0003_disclosure")
    with book.engine.begin() as connection:
        for i, code in enumerate(codes, 1):
            connection.execute(
                text(
                    "INSERT INTO client (id, code, name, tier, report_currency, language, "
                    "created_at, updated_at) VALUES (:id, :code, :name, 'standard', 'CNY', 'zh', "
                    "'2026-01-01', '2026-01-01')"
                ),
                {"id": i, "code": code, "name": f"Client {i}"},
            )


def test_the_upgrade_normalises_codes_and_keeps_and_names_collisions(book, tmp_path, caplog):
    _old_book(book, ["k7", "Ｍ１", "c90001", "C90001", "X1"])
    with caplog.at_level(logging.WARNING, logger="reviewdesk.migrations"):
        runner.upgrade(book.engine)
    assert runner.state(book.engine).current == runner.HEAD
    with book.session() as session:
        codes = dict(session.execute(select(Client.id, Client.code)).all())
    assert codes == {1: "K7", 2: "M1", 3: "c90001", 4: "C90001", 5: "X1"}
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "'c90001' (client 3), 'C90001' (client 4) are one code" in warning
    assert "give all but one of these clients another code" in warning
    with book.session() as session:
        # Each is still found by its exact code; a third one cannot be made.
        assert find_client(session, "c90001").id == 3
        assert find_client(session, "C90001").id == 4
        assert find_client(session, "m1").id == 2
    with pytest.raises(ValidationError, match="is the code of another client"):
        with book.session() as session:
            session.add(Client(code="Ｃ90001", name="New"))
    # An import that names the code matches neither of them, and says why.
    before = fingerprint(book)
    path = write_csv(
        tmp_path / "Contacts.csv",
        [["client_id", "date", "channel", "summary"], ["c90001", "2026-01-05", "T", "called"]],
    )
    report = import_files(book, [path])
    assert [p.message() for p in report.problems] == [
        "Contacts row 2, client_id: c90001 is the code of several clients in the book (codes "
        "that differ only in case or width): give one of them another code first"
    ]
    assert fingerprint(book) == before
    # Renaming one ends the collision.
    with book.session() as session:
        session.get(Client, 3).code = "c90002"
    assert import_files(book, [path]).applied
    with book.session() as session:
        assert [c.summary for c in session.get(Client, 4).contacts] == ["called"]
        assert session.get(Client, 3).code == "C90002"


def test_the_command_line_finds_a_client_by_its_code_in_any_case(capsys, book):
    with book.session() as session:
        session.add(Client(code="C90001", name="Wang Wei"))
    db = str(book.path)
    book.close()
    assert main(["--db", db, "show", "ｃ９０００１"]) == 0
    assert "Wang Wei" in capsys.readouterr().out
    assert main(["--db", db, "show", "c90002"]) == 1
    assert "no client has that id, code or name" in capsys.readouterr().err
