import csv
import io
import json

import pytest

from reviewdesk.book import backup, crypto
from reviewdesk.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def encrypted(monkeypatch, tmp_path, capsys):
    """A small encrypted book made through the command line."""
    monkeypatch.setenv("REVIEWDESK_PASSPHRASE", "cli 口令 ' \" ;")
    db = str(tmp_path / "cli.sqlite")
    code, _out, err = run(capsys, "--db", db, "demo", "--clients", "4", "--as-of", "2026-06-15")
    assert code == 0, err
    return db


def test_a_new_book_is_encrypted_unless_plain_is_chosen(monkeypatch, tmp_path, capsys, encrypted):
    assert crypto.file_kind(tmp_path / "cli.sqlite") == "encrypted"
    monkeypatch.delenv("REVIEWDESK_PASSPHRASE")
    code, out, err = run(capsys, "--db", str(tmp_path / "new.sqlite"), "clients")
    assert code == 1 and "passphrase" in err and "--plain" in err and "Traceback" not in err
    assert not (tmp_path / "new.sqlite").exists()
    code, out, err = run(capsys, "--db", str(tmp_path / "plain.sqlite"), "--plain", "clients")
    assert code == 0, err
    assert crypto.file_kind(tmp_path / "plain.sqlite") == "plain"


def test_the_first_run_demo_book_may_be_plain_and_says_so(monkeypatch, capsys):
    code, out, err = run(capsys, "clients")
    assert code == 0, err
    assert "demo book" in err and "not encrypted" in err


def test_wrong_or_missing_passphrase_is_one_line(monkeypatch, encrypted, capsys):
    monkeypatch.setenv("REVIEWDESK_PASSPHRASE", "nope")
    code, out, err = run(capsys, "--db", encrypted, "clients")
    assert code == 1 and "passphrase is wrong" in err and len(err.strip().splitlines()) == 1
    monkeypatch.delenv("REVIEWDESK_PASSPHRASE")
    code, out, err = run(capsys, "--db", encrypted, "clients")
    assert code == 1 and "is encrypted" in err


def test_backup_then_restore_through_the_command_line(encrypted, tmp_path, capsys):
    target = tmp_path / "save.sqlite"
    code, out, err = run(capsys, "--db", encrypted, "backup", str(target))
    assert code == 0, err
    assert "encrypted" in out and crypto.file_kind(target) == "encrypted"
    code, out, err = run(capsys, "--db", encrypted, "backup", str(target))
    assert code == 1 and "already exists" in err
    code, out, err = run(capsys, "--db", encrypted, "restore", str(target))
    assert code == 0, err
    assert "kept as" in out
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(target.read_bytes()[:5000])
    code, out, err = run(capsys, "--db", encrypted, "restore", str(broken))
    assert code == 1 and "refused" in err
    code, out, _ = run(capsys, "--db", encrypted, "audit", "--json")
    actions = [e["action"] for e in json.loads(out)]
    # The backup was made before its own event was recorded: the restore carries that event
    # over (entries made since a backup are kept), then records itself.
    assert actions == ["demo", "backup", "restore"]


def test_audit_of_one_client_as_csv_and_json(encrypted, capsys):
    from reviewdesk.book.db import open_book
    from reviewdesk.book.models import Client

    book = open_book(encrypted, passphrase="cli 口令 ' \" ;")
    with book.session() as s:
        s.get(Client, 2).phone = "13811112222"
    book.close()
    code, out, err = run(capsys, "--db", encrypted, "audit", "2", "--csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["action"], r["field"], r["new_value"]) for r in rows] == [
        ("update", "phone", "13811112222")
    ]
    code, out, err = run(capsys, "--db", encrypted, "audit", "2")
    assert code == 0 and "13811112222" in out and "1 entry" in out
    book = open_book(encrypted, passphrase="cli 口令 ' \" ;")
    with book.session() as s:
        s.get(Client, 2).id_number = "110101199001011234"
    book.close()
    code, out, err = run(capsys, "--db", encrypted, "audit", "2", "--json")
    entry = json.loads(out)[-1]
    assert entry["field"] == "id_number" and entry["new_value"] == "**************1234"
    assert "110101199001011234" not in out
    code, out, err = run(capsys, "--db", encrypted, "audit", "2", "--json", "--reveal")
    assert "110101199001011234" in out
    code, out, err = run(capsys, "--db", encrypted, "audit", "2", "--json")
    assert json.loads(out)[-1]["action"] == "revealed"
    code, out, err = run(capsys, "--db", encrypted, "audit", "nobody-like-this")
    assert code == 1 and "Traceback" not in err


def test_passphrase_change_through_the_command_line(monkeypatch, encrypted, capsys):
    monkeypatch.setenv("REVIEWDESK_NEW_PASSPHRASE", "the new one")
    code, out, err = run(capsys, "--db", encrypted, "passphrase")
    assert code == 0, err
    assert "changed" in out
    code, out, err = run(capsys, "--db", encrypted, "clients")
    assert code == 1 and "wrong" in err
    monkeypatch.setenv("REVIEWDESK_PASSPHRASE", "the new one")
    code, out, err = run(capsys, "--db", encrypted, "clients")
    assert code == 0, err
    assert backup.verify(encrypted, "the new one").encrypted


def test_read_only_option_refuses_changes(encrypted, tmp_path, capsys):
    code, out, err = run(
        capsys, "--db", encrypted, "--read-only", "restore", str(tmp_path / "cli.sqlite")
    )
    assert code == 1 and "read-only" in err


def test_an_emailed_pack_is_aes256_r6_opens_with_its_password_only_and_leaks_it_nowhere(
    encrypted, tmp_path, capsys, private_home
):
    import email
    import re
    from email import policy

    from pypdf import PdfReader

    from reviewdesk import mail
    from reviewdesk.book.db import open_book

    draft = tmp_path / "out" / "draft.eml"
    code, out, err = run(
        capsys,
        "--db",
        encrypted,
        "email",
        "1",
        "--to",
        "c@example.com",
        "--confirm-recipient",
        "-o",
        str(draft),
    )
    assert code == 0, err
    password = re.search(r"Password .*: (\S+)$", out, re.M).group(1)
    assert len(password) >= 12

    message = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert message["To"] == "c@example.com" and message["X-Unsent"] == "1"
    pdf = next(message.iter_attachments()).get_content()
    assert mail.pdf_protection(pdf) == (5, 6)  # AES-256, revision 6
    assert PdfReader(io.BytesIO(pdf)).decrypt("not the password") == 0
    assert PdfReader(io.BytesIO(pdf)).decrypt(password[:-1]) == 0
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.decrypt(password) != 0
    assert len(reader.pages) >= 1 and reader.pages[0].extract_text()

    # The password is in no file the app wrote: draft, book, its backups, the log.
    written = [p for p in list(tmp_path.rglob("*")) + list(private_home.rglob("*")) if p.is_file()]
    assert any(p.suffix == ".log" for p in written) and draft in written
    for p in written:
        data = p.read_bytes()
        for form in (password.encode(), password.encode("utf-16-le")):
            assert form not in data, p
    book = open_book(encrypted, passphrase="cli 口令 ' \" ;")
    raw = book.engine.raw_connection()
    try:
        tables = [
            r[0]
            for r in raw.driver_connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table'"
            )
        ]
        for table in tables:
            for row in raw.driver_connection.execute(f'SELECT * FROM "{table}"'):
                assert password not in repr(row), table
        actions = [r[0] for r in raw.driver_connection.execute("SELECT action FROM pack_record")]
        events = [r[0] for r in raw.driver_connection.execute("SELECT action FROM audit_entry")]
    finally:
        raw.close()
        book.close()
    assert actions == ["emailed"]
    assert "pack_emailed" in events and "recipient_confirmed" in events
