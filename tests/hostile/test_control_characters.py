"""Control characters (ESC, BEL, NUL, the rest of C0 and C1) are refused in every text
field, on every path into the book; what a book already holds is printed escaped."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, text

from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Client, Contact, FamilyMember, Holding, Snapshot
from reviewdesk.cli import main
from reviewdesk.cli.output import dump_json, echo, table
from reviewdesk.exchange import import_files
from reviewdesk.text import escape_controls
from tests.hostile.common import fingerprint, write_csv

pytestmark = pytest.mark.usefixtures("passphrase_env")


def _client(session, **values):
    client = Client(**{"code": "K1", "name": "Wang Wei", **values})
    session.add(client)
    return client


@pytest.mark.parametrize(
    ("char", "shown"),
    [("\x1b", "U+001B"), ("\x07", "U+0007"), ("\x00", "U+0000"), ("\x9b", "U+009B")],
)
def test_the_app_path_refuses_a_control_character_in_a_name(book, char, shown):
    with pytest.raises(ValidationError) as info, book.session() as session:
        _client(session, name=f"Wang{char}[31m")
    assert (info.value.record, info.value.field) == ("Client", "name")
    assert info.value.reason == f"contains a control character ({shown})"
    # The refusal quotes the value escaped, never raw.
    assert char not in info.value.refusal("en") and char not in str(info.value)
    with book.session() as session:
        assert session.scalars(select(Client)).all() == []


def test_a_note_keeps_its_tabs_and_line_ends_but_a_name_does_not(book):
    with book.session() as session:
        client = _client(session, special_notes="first line\n\tsecond line")
        client.contacts.append(
            Contact(contact_date=dt.date(2026, 1, 5), channel="T", summary="a\nb\tc")
        )
    with book.session() as session:
        assert session.scalar(select(Client.special_notes)) == "first line\n\tsecond line"
    for field, value in (("name", "a\tb"), ("phone", "138\n0000"), ("special_notes", "a\rb")):
        with pytest.raises(ValidationError) as info, book.session() as session:
            setattr(session.scalar(select(Client)), field, value)
        assert info.value.field == field and "contains a control character" in info.value.reason


def test_every_record_with_text_is_checked(book):
    with book.session() as session:
        client = _client(session)
    cases = [
        lambda c: c.family.append(FamilyMember(name="Li\x1bNa", relation="spouse")),
        lambda c: c.snapshots.append(Snapshot(review_date=dt.date(2026, 1, 1), note="\x00")),
        lambda c: c.set_tags(["vip\x07"]),
        lambda c: c.contacts.append(
            Contact(contact_date=dt.date(2026, 1, 5), channel="T", next_step="\x1b]0;x\x07")
        ),
    ]
    for case in cases:
        with pytest.raises(ValidationError, match="contains a control character"):
            with book.session() as session:
                client = session.scalar(select(Client))
                case(client)
    with book.session() as session:
        session.scalar(select(Client)).snapshots.append(Snapshot(review_date=dt.date(2026, 1, 1)))
    with pytest.raises(ValidationError, match=r"control character \(U\+0085\)"):
        with book.session() as session:
            session.scalar(select(Snapshot)).holdings.append(
                Holding(product_name="Fu\x85nd", asset_class="fund", currency="CNY", market_value=1)
            )
    with book.session() as session:
        assert session.scalars(select(Holding)).all() == []


def test_a_csv_import_with_control_characters_is_refused_cell_by_cell(book, tmp_path):
    with book.session() as session:
        _client(session)
    before = fingerprint(book)
    path = write_csv(
        tmp_path / "Clients.csv",
        [
            ["client_id", "name", "phone", "notes"],
            ["K1", "Wang Wei", "138\x070000", "fine"],
            ["K2", "Li\x1b[2JNa", "", "ok\nsecond line"],
            ["K3", "Zhao", "", "null\x00byte"],
        ],
    )
    report = import_files(book, [path])
    assert not report.applied
    assert [p.message() for p in report.problems] == [
        "Clients row 2, phone: 138\\u00070000 contains a control character (U+0007)",
        "Clients row 3, name: Li\\u001b[2JNa contains a control character (U+001B)",
        "Clients row 5, notes: null\\u0000byte contains a control character (U+0000)",
    ]
    assert fingerprint(book) == before


def test_a_contacts_csv_with_an_escape_is_refused_and_the_book_unchanged(book, tmp_path):
    with book.session() as session:
        _client(session)
    before = fingerprint(book)
    path = write_csv(
        tmp_path / "Contacts.csv",
        [
            ["client_id", "date", "channel", "summary", "next_step"],
            ["K1", "2026-01-05", "T", "called", "send \x1b[5mthe form"],
        ],
    )
    report = import_files(book, [path])
    assert [p.message() for p in report.problems] == [
        "Contacts row 2, next_step: send \\u001b[5mthe form contains a control character (U+001B)"
    ]
    assert fingerprint(book) == before


def _smuggle(book):
    """Text with escape codes written past the rules, as a book from before them holds."""
    with book.session() as session:
        client = _client(session, special_notes="notes")
        client.contacts.append(
            Contact(
                contact_date=dt.date(2026, 1, 5),
                channel="T",
                summary="called",
                next_step="send the form",
                feedback="slow",
            )
        )
        client.set_tags(["vip"])
    with book.engine.begin() as connection:
        connection.execute(
            text("UPDATE client SET name = :n, special_notes = :s"),
            {"n": "Wang\x1b[2J\x1b]0;owned\x07Wei", "s": "line\x1b[31m red\r\nnext"},
        )
        connection.execute(
            text("UPDATE contact SET summary = :s, next_step = :s, feedback = :s"),
            {"s": "ring\x07\x9b2J"},
        )
        connection.execute(text("UPDATE client_tag SET tag = :t"), {"t": "v\x1b[8mip"})


def _assert_clean(out: str) -> None:
    for char in ("\x1b", "\x07", "\x9b", "\r", "\x00"):
        assert char not in out, repr(char)


def test_commands_print_stored_text_escaped(capsys, book):
    _smuggle(book)
    db = str(book.path)
    book.close()
    name = "Wang\\u001b[2J\\u001b]0;owned\\u0007Wei"
    note = "ring\\u0007\\u009b2J"
    for argv, shown in (
        (["clients"], name),
        (["clients", "--json"], None),
        (["show", "K1"], name),
        (["show", "K1", "--json"], None),
        (["next-steps", "K1"], note),
        (["feedback", "K1"], note),
        (["agenda"], None),
        (["tags"], "v\\u001b[8mip"),
        (["audit"], None),
        (["audit", "--csv"], None),
        (["audit", "--json"], None),
    ):
        code = main(["--db", db, *argv])
        out, err = capsys.readouterr()
        assert code == 0, (argv, err)
        _assert_clean(out + err)
        if shown is not None:
            assert shown in out, (argv, out)
    code = main(["--db", db, "show", "K1"])
    out, _ = capsys.readouterr()
    assert "line\\u001b[31m red\\r" in out
    code = main(["--db", db, "clients", "--json"])
    out, _ = capsys.readouterr()
    assert json.loads(out)[0]["name"] == "Wang\x1b[2J\x1b]0;owned\x07Wei"


def test_the_output_helpers_escape_every_control_character(capsys):
    every = "".join(chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)])
    assert all(ch not in escape_controls(every) for ch in every)
    kept = escape_controls(every, keep_lines=True)
    assert "\t" in kept and "\n" in kept
    assert all(ch not in kept for ch in every if ch not in "\t\n")
    echo("a" + every)
    out = capsys.readouterr().out
    assert all(ch not in out for ch in every if ch not in "\t\n")
    print(table(["h"], [[every]]))
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 3 and all(ch not in out for ch in every if ch != "\n")
    dump_json({"v": every + "\u2028"})
    out = capsys.readouterr().out
    assert all(ch not in out for ch in every if ch != "\n") and "\u2028" not in out
    assert json.loads(out)["v"] == every + "\u2028"


def test_the_refusal_on_the_command_line_is_escaped(capsys, book):
    with book.session() as session:
        _client(session)
    db = str(book.path)
    book.close()
    code = main(["--db", db, "contact", "K1", "--channel", "T", "--summary", "hi\x1b[2J"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "contains a control character (U+001B)" in err
    _assert_clean(out + err)
