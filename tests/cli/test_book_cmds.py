import json
import subprocess
import sys

import pytest

from reviewdesk.cli import COMMAND_MODULES, build_parser, main

# The books are encrypted (the default); the passphrase comes from the environment,
# as a user may give it.
pytestmark = pytest.mark.usefixtures("passphrase_env")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "cli.sqlite")


def test_demo_then_clients_lists_a_plausible_book(capsys, db):
    code, out, err = run(
        capsys, "--db", db, "demo", "--clients", "15", "--seed", "3", "--as-of", "2026-06-15"
    )
    assert code == 0, err
    assert "15" in out
    code, out, err = run(capsys, "--db", db, "clients")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2 + 15 + 1
    assert any("\u4e00" <= ch <= "\u9fff" for ch in out), "Chinese names intact"
    code, out, _ = run(capsys, "--db", db, "clients", "--json")
    rows = json.loads(out)
    assert len(rows) == 15
    first = rows[0]
    assert {"id", "name", "tier", "total_assets", "last_review", "next_review_due"} <= set(first)
    assert all(float(r["total_assets"]) > 0 for r in rows)
    assert all("." in r["total_assets"] for r in rows)  # exact decimal text


def test_clients_says_overdue_or_due_in_words(capsys, db):
    """Found: `clients` marked a review due and one overdue with the same "!", where the
    client list and the agenda tell them apart."""
    run(capsys, "--db", db, "demo", "--clients", "15", "--seed", "3", "--as-of", "2026-06-15")
    _, out, _ = run(capsys, "--db", db, "clients", "--json")
    states = {str(r["id"]): r["review_state"] for r in json.loads(out)}
    _, out, _ = run(capsys, "--db", db, "clients")
    said = {}
    for line in out.splitlines()[2:-1]:
        cells = line.split()
        said[cells[0]] = line
    assert set(said) == set(states)
    words = {"overdue": "(Review overdue)", "due": "(Review due)"}
    for client, state in states.items():
        for word in words.values():
            assert (word in said[client]) == (words.get(state) == word), (state, said[client])
        assert "!" not in said[client]
    assert "overdue" in states.values()


def test_show_by_id_and_by_name(capsys, db):
    run(capsys, "--db", db, "demo", "--clients", "5", "--as-of", "2026-06-15")
    code, out, _ = run(capsys, "--db", db, "clients", "--json")
    client = json.loads(out)[0]
    code, out, _ = run(capsys, "--db", db, "show", str(client["id"]), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["client"]["name"] == client["name"]
    assert data["latest_snapshot"]["net_worth"] == client["net_worth"]
    code, out, _ = run(capsys, "--db", db, "show", client["name"])
    assert code == 0 and client["name"] in out


def test_unknown_client_is_one_line_on_stderr(capsys, db):
    run(capsys, "--db", db, "demo", "--clients", "2", "--as-of", "2026-06-15")
    code, out, err = run(capsys, "--db", db, "show", "无此人")
    assert code == 1
    assert err.count("\n") == 1 and "无此人" in err and "Traceback" not in err


def test_demo_refuses_a_book_that_has_clients(capsys, db):
    run(capsys, "--db", db, "demo", "--clients", "2", "--as-of", "2026-06-15")
    code, _, err = run(capsys, "--db", db, "demo", "--clients", "2")
    assert code == 1 and "already has 2 clients" in err


def test_bad_arguments_exit_2(capsys, db):
    with pytest.raises(SystemExit) as info:
        main(["--db", db, "demo", "--clients", "zero"])
    assert info.value.code == 2
    assert "'zero' is not a whole number" in capsys.readouterr().err


def test_bad_database_url_is_a_clear_error(capsys):
    code, _, err = run(capsys, "--db", "nosuchdriver://x/y", "clients")
    assert code == 1 and "nosuchdriver" in err and "Traceback" not in err


def test_environment_variable_chooses_the_book(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWDESK_DB", f"sqlite:///{tmp_path / 'env.sqlite'}")
    run(capsys, "demo", "--clients", "3", "--as-of", "2026-06-15")
    assert (tmp_path / "env.sqlite").exists()


def test_chinese_interface(capsys, db):
    run(capsys, "--db", db, "demo", "--clients", "3", "--as-of", "2026-06-15")
    code, out, _ = run(capsys, "--db", db, "--ui-lang", "zh", "clients")
    assert "总资产" in out and "共 3 位客户" in out


def test_every_command_has_help(capsys):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"demo", "clients", "show"} <= set(commands)
    assert len(COMMAND_MODULES) >= 1
    for name in commands:
        with pytest.raises(SystemExit) as done:
            main([name, "--help"])
        out, err = capsys.readouterr()
        assert done.value.code == 0, (name, err)
        assert "usage: reviewdesk" in out, name
        assert f" {name}" in out.splitlines()[0], (name, out)
    # And as a user types it: the `reviewdesk` command's own entry, in a process of its own
    # (its light path reads only the program's options; a command's help takes the parser).
    result = subprocess.run(
        [sys.executable, "-m", "reviewdesk", "show", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: reviewdesk show")


def test_delete_client_refuses_without_yes_naming_what_would_go(capsys, tmp_path):
    db = str(tmp_path / "del.sqlite")
    code, _out, err = run(
        capsys, "--db", db, "demo", "--clients", "3", "--seed", "3", "--as-of", "2026-06-15"
    )
    assert code == 0, err
    _code, out, _err = run(capsys, "--db", db, "clients", "--json")
    first = json.loads(out)[0]
    code, out, err = run(capsys, "--db", db, "delete-client", first["code"])
    assert code == 2
    assert first["code"] in err and first["name"] in err
    assert "snapshots" in err and "documents" in err and "--yes" in err
    _code, out, _err = run(capsys, "--db", db, "clients", "--json")
    assert first["code"] in {row["code"] for row in json.loads(out)}

    code, out, err = run(capsys, "--db", db, "delete-client", first["code"], "--yes")
    assert code == 0, err
    assert first["code"] in out
    _code, out, _err = run(capsys, "--db", db, "clients", "--json")
    assert first["code"] not in {row["code"] for row in json.loads(out)}
    code, _out, err = run(capsys, "--db", db, "delete-client", first["code"], "--yes")
    assert code == 1 and first["code"] in err
