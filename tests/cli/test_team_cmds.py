"""A branch's team book end to end through the command line, on the real server.

A fresh database; `team init` by the schema's owner; two managers, a supervisor and
compliance added; the first manager's clients; a hand-over by the supervisor, effective
at once; compliance asks who had the client's data. Each person connects as themselves,
the password never on the command line (PGPASSWORD, as libpq reads it).
"""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy.engine import URL, make_url

from reviewdesk.cli import main
from tests import pg

PASSWORD = "Corr3ct-horse-battery"


@pytest.fixture
def fresh(monkeypatch):
    pg.server()
    with pg.new_database("rd_e2e") as database:
        yield database


def _as(monkeypatch, capsys, database: str, user: str | None, *argv: str, stdin: str = ""):
    server = make_url(pg.server())
    if user is None:  # the schema's owner: the server's test role
        user, password = server.username, server.password
    else:
        password = PASSWORD
    url = URL.create(
        server.drivername, username=user, host=server.host, port=server.port, database=database
    ).render_as_string()
    monkeypatch.setenv("PGPASSWORD", password or "")
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--db", url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_hand_over_walked_through_from_a_fresh_database(fresh, monkeypatch, capsys):
    db = fresh
    m1, m2, sup, comp = (f"{db}_p_{who}" for who in ("m1", "m2", "sup", "comp"))

    def run(user, *argv, stdin=""):
        return _as(monkeypatch, capsys, db, user, *argv, stdin=stdin)

    code, out, err = run(None, "team", "init")
    assert code == 0, err
    assert f"manager: {db}_manager" in out and "compliance" in out
    for name, role, extra in (
        (m1, "manager", ["--branch", "pudong"]),
        (m2, "manager", ["--branch", "pudong"]),
        (sup, "supervisor", ["--branch", "pudong"]),
        (comp, "compliance", []),
    ):
        code, out, err = run(
            None, "team", "add-user", name, "--role", role, *extra, stdin=PASSWORD + "\n"
        )
        assert code == 0, err
        assert f"{name} was added as {role}" in out
    # A supervisor without a branch is refused, naming the field.
    code, _out, err = run(
        None, "team", "add-user", f"{db}_p_x", "--role", "supervisor", stdin="pw\n"
    )
    assert code == 1 and "branch" in err

    code, out, err = run(m1, "demo", "--clients", "3", "--seed", "5", "--as-of", "2026-06-15")
    assert code == 0, err
    code, out, err = run(m1, "clients", "--json")
    mine = json.loads(out)
    assert code == 0 and len(mine) == 3
    code, out, _ = run(m2, "clients", "--json")
    assert json.loads(out) == []  # the other manager's book is empty to him
    handed = mine[0]["code"]
    code, out, err = run(m1, "show", handed)
    assert code == 0, err
    code, _out, err = run(m2, "show", handed)
    assert code == 1 and "no client" in err

    # A manager cannot give a client away; the supervisor can, and it holds at once.
    code, _out, err = run(m1, "team", "assign", handed, "--to", m2)
    assert code == 1 and "refused by the server" in err
    code, out, err = run(sup, "team", "assign", handed, "--to", m2)
    assert code == 0, err
    assert f"is now {m2}'s (was {m1})" in out
    code, out, _ = run(m1, "clients", "--json")
    assert handed not in {c["code"] for c in json.loads(out)} and len(json.loads(out)) == 2
    code, _out, err = run(m1, "show", handed)
    assert code == 1 and "no client" in err
    code, out, _ = run(m2, "clients", "--json")
    assert [c["code"] for c in json.loads(out)] == [handed]
    code, out, err = run(m2, "show", handed)
    assert code == 0, err

    # Compliance: who had the data, and the hand-over in the trail.
    code, out, err = run(comp, "audit", "--who", handed, "--json")
    assert code == 0, err
    events = json.loads(out)
    assert [(e["who"], e["action"]) for e in events] == [(m1, "opened"), (m2, "opened")]
    code, out, err = run(comp, "audit", handed, "--json")
    trail = json.loads(out)
    handover = [e for e in trail if e["action"] == "handover"]
    assert len(handover) == 1 and handover[0]["actor"] == sup
    assert handover[0]["detail"] == f"from {m1} to {m2}"
    owner_change = [e for e in trail if e["field"] == "owner"]
    assert [(e["actor"], e["old_value"], e["new_value"]) for e in owner_change] == [(sup, m1, m2)]
    # Compliance writes nothing, not even a hand-over.
    code, _out, err = run(comp, "team", "assign", handed, "--to", m1)
    assert code == 1 and "refused by the server" in err

    code, out, err = run(sup, "team", "list", "--json")
    listed = json.loads(out)
    assert listed["you"] == {"name": sup, "role": "supervisor"}
    held = {p["name"]: p["clients"] for p in listed["people"]}
    assert held[m1] == 2 and held[m2] == 1


def test_team_commands_need_a_server_book(tmp_path, capsys, plain_env):
    code = main(["--db", str(tmp_path / "one.sqlite"), "team", "list"])
    _out, err = capsys.readouterr()
    assert code == 1 and "PostgreSQL" in err


def test_a_password_in_the_db_url_is_refused_with_the_reason(capsys):
    code = main(["--db", "postgresql+psycopg://anna:s3cret@db.example/branch", "clients"])
    _out, err = capsys.readouterr()
    assert code == 2
    assert "process list" in err and "s3cret" not in err


def test_a_server_password_is_asked_when_none_is_kept(fresh, monkeypatch, capsys, tmp_path):
    from reviewdesk.app import AppContext

    server = make_url(pg.server())
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    url = URL.create(
        server.drivername,
        username=server.username,
        host=server.host,
        port=server.port,
        database=fresh,
    ).render_as_string()
    asked = []

    def ask(account):
        asked.append(account)
        return server.password

    ctx = AppContext(db=url, server_password_provider=ask)
    try:
        assert ctx.book.display_name.endswith(f"/{fresh}") and "***" in ctx.book.display_name
    finally:
        ctx.close()
    assert asked == [f"{server.username}@{server.host}:5432/{fresh}"]


def test_a_managers_name_and_telephone_are_kept_by_the_admin(fresh, monkeypatch, capsys):
    """The name and telephone a manager's clients read on their packs: given when the
    person is added, changed by the admin alone, refused naming the field and the value.
    Found too: the team's admin could run no command at all (opening the book read the
    documents, which the admin may not)."""
    db = fresh
    m1, admin = f"{db}_p_m1", f"{db}_p_admin"

    def run(user, *argv, stdin=""):
        return _as(monkeypatch, capsys, db, user, *argv, stdin=stdin)

    assert run(None, "team", "init")[0] == 0
    code, _out, err = run(
        None, "team", "add-user", m1, "--role", "manager", "--phone", "call me", stdin=PASSWORD
    )
    assert code == 1 and "Team member phone = 'call me': is not a phone number" in err
    code, out, err = run(None, "team", "add-user", m1, "--role", "manager", stdin=PASSWORD)
    assert code == 0, err
    assert f"The packs of {m1}'s clients name no relationship manager" in out
    code, out, err = run(None, "team", "add-user", admin, "--role", "admin", stdin=PASSWORD)
    assert code == 0, err

    code, _out, err = run(m1, "team", "set-contact", m1, "--full-name", "冒名者")
    assert code == 1 and "refused by the server" in err
    code, _out, err = run(admin, "team", "set-contact", m1)
    assert code == 1 and "--full-name" in err
    code, out, err = run(
        admin, "team", "set-contact", m1, "--full-name", "王晓东", "--phone", "021-6888 1234"
    )
    assert code == 0, err
    assert "name 王晓东 as their relationship manager, telephone 021-6888 1234." in out
    code, _out, err = run(admin, "--ui-lang", "zh", "team", "set-contact", m1, "--phone", "12")
    assert code == 1 and "电话“12”：不是电话号码" in err

    code, out, err = run(admin, "team", "list", "--json")
    person = next(p for p in json.loads(out)["people"] if p["name"] == m1)
    assert (person["full_name"], person["phone"]) == ("王晓东", "021-6888 1234")
