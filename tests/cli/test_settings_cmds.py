"""`reviewdesk settings`: list, get, set (validated and audited as in the app), and the
one-line warning when packs go out without a bank name (an encrypted book)."""

import datetime as dt
import json

import pytest
from PIL import Image
from sqlalchemy import select

from reviewdesk.book.db import open_book
from reviewdesk.book.models import AuditEntry, Client
from reviewdesk.cli import main
from reviewdesk.settings import OPTIONS
from tests import factories as f

PASSPHRASE = "设置 口令 ' ;"
NO_BANK = "no bank name is set"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "b.sqlite"
    book = open_book(str(path), passphrase=PASSPHRASE)
    with book.session() as session:
        client = f.client("C1", "陈静", email="chen@example.com")
        client.snapshots = [f.snapshot(dt.date(2026, 3, 31), f.holding("稳健理财1号", "100000"))]
        session.add(client)
    book.close()
    monkeypatch.setenv("REVIEWDESK_PASSPHRASE", PASSPHRASE)
    return str(path)


def _setting_changes(db):
    book = open_book(db, passphrase=PASSPHRASE)
    try:
        with book.session() as session:
            return [
                (e.action, e.record_id, e.field, e.old_value, e.new_value)
                for e in session.scalars(
                    select(AuditEntry).where(AuditEntry.record == "Setting").order_by(AuditEntry.id)
                )
            ]
    finally:
        book.close()


def test_list_get_and_set(capsys, db):
    code, out, err = run(capsys, "--db", db, "settings")
    assert code == 0, err
    assert all(key in out for key in OPTIONS) and "Bank name" in out
    code, out, err = run(capsys, "--db", db, "settings", "--json")
    values = json.loads(out)
    assert values["paper_size"] == "a4" and values["bank_name"] == ""

    code, out, err = run(capsys, "--db", db, "settings", "set", "bank_name", " 示例银行 上海分行 ")
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "settings", "get", "bank_name")
    assert (code, out) == (0, "示例银行 上海分行\n")
    code, out, err = run(capsys, "--db", db, "settings", "set", "maturity_window_days", "120")
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "settings", "set", "collect_hobbies", "no")
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "settings", "--json")
    values = json.loads(out)
    assert (values["maturity_window_days"], values["collect_hobbies"]) == (120, False)

    # Audited as in the app: each change is an entry of the trail.
    assert [(a, field) for a, _id, field, _old, _new in _setting_changes(db)] == [
        ("create", None)
    ] * 3
    code, out, err = run(capsys, "--db", db, "settings", "set", "bank_name", "示例银行")
    changes = _setting_changes(db)
    assert changes[-1][0] == "update" and changes[-1][2] == "value"
    assert changes[-1][3:] == ("示例银行 上海分行", "示例银行")


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("paper_size", "a3", "must be one of a4, letter"),
        ("maturity_window_days", "ninety", "must be a whole number"),
        ("maturity_window_days", "0", "must be at least 1"),
        ("premium_income_share", "2", "must be a percentage from 0% to 100%, such as 10%"),
        ("no_such_setting", "x", "is not a known setting"),
    ],
)
def test_a_bad_value_is_refused_naming_the_setting_and_the_value(capsys, db, key, value, says):
    code, out, err = run(capsys, "--db", db, "settings", "set", key, value)
    assert code == 1 and says in err and "Traceback" not in err
    named = repr(key) if key == "no_such_setting" else f"{key} = {value!r}"
    assert named in err
    assert _setting_changes(db) == []


def test_a_logo_must_be_an_image_the_pack_can_draw(capsys, db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "--db", db, "settings", "set", "bank_logo", "missing.png")
    assert code == 1 and "bank_logo" in err and "missing.png" in err and "no such file" in err
    (tmp_path / "notes.png").write_text("not an image")
    code, _, err = run(capsys, "--db", db, "settings", "set", "bank_logo", "notes.png")
    assert code == 1 and "notes.png" in err and "not an image" in err
    code, _, err = run(capsys, "--db", db, "settings", "set", "bank_logo", str(tmp_path))
    assert code == 1 and "bank_logo" in err
    assert _setting_changes(db) == []

    Image.new("RGB", (240, 80), "#1d4e89").save(tmp_path / "logo.png")
    code, out, err = run(capsys, "--db", db, "settings", "set", "bank_logo", "logo.png")
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "settings", "get", "bank_logo")
    assert out.strip() == str(tmp_path / "logo.png")  # absolute: found from any folder
    code, out, err = run(capsys, "--db", db, "settings", "set", "bank_logo", "")
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "settings", "get", "bank_logo")
    assert out == "\n"


def test_a_pack_without_a_bank_name_warns_once(capsys, db, tmp_path):
    code, out, err = run(capsys, "--db", db, "pack", "C1", "-o", str(tmp_path / "a.pdf"))
    assert code == 0, err
    assert err.count(NO_BANK) == 1 and "settings set bank_name" in err
    code, out, err = run(
        capsys, "--db", db, "email", "C1", "--to", "chen@example.com", "-o", str(tmp_path / "a.eml")
    )
    assert code == 0 and err.count(NO_BANK) == 1
    run(capsys, "--db", db, "settings", "set", "bank_name", "示例银行")
    code, out, err = run(capsys, "--db", db, "pack", "C1", "-o", str(tmp_path / "b.pdf"))
    assert code == 0 and NO_BANK not in err


def test_a_batch_without_a_bank_name_warns_once(capsys, demo_book, tmp_path, passphrase_env):
    with demo_book.session() as session:
        assert len(session.scalars(select(Client.id)).all()) > 1
    code, out, err = run(
        capsys,
        "--db",
        str(demo_book.path),
        "packs",
        "--all",
        "--workers",
        "1",
        "-o",
        str(tmp_path / "packs"),
    )
    assert code == 0, err
    assert err.count(NO_BANK) == 1
