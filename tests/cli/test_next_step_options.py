"""The contact command shares notes and next steps; next-steps lists and closes them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from reviewdesk.book.db import open_book
from reviewdesk.book.models import Contact
from reviewdesk.cli import main
from tests.cli.test_contact_cmds import TODAY, db, run  # noqa: F401 - the fixture

DUE = (TODAY + dt.timedelta(days=10)).isoformat()


def stored(path: str) -> list[tuple]:
    book = open_book(path)
    try:
        with book.session() as s:
            return [
                (
                    c.summary,
                    c.shared,
                    c.next_step,
                    c.next_step_shared,
                    c.next_step_due,
                    c.next_step_done,
                )
                for c in s.scalars(select(Contact).order_by(Contact.id))
            ]
    finally:
        book.close()


def test_a_contact_is_internal_unless_shared(capsys, db):  # noqa: F811
    code, _, err = run(
        capsys,
        "--db",
        db,
        "contact",
        "C1",
        "--channel",
        "M",
        "--summary",
        "内部判断",
        "--next-step",
        "内部跟进",
    )
    assert code == 0, err
    code, _, err = run(
        capsys,
        "--db",
        db,
        "contact",
        "C1",
        "--channel",
        "M",
        "--summary",
        "回顾资产",
        "--shared",
        "--next-step",
        "寄送方案",
        "--share-next-step",
        "--next-step-due",
        DUE,
    )
    assert code == 0, err
    rows = stored(db)[-2:]
    assert rows == [
        ("内部判断", False, "内部跟进", False, None, None),
        ("回顾资产", True, "寄送方案", True, dt.date.fromisoformat(DUE), None),
    ]


@pytest.mark.parametrize("option", [["--share-next-step"], ["--next-step-due", DUE]])
def test_a_next_step_option_without_the_next_step_is_refused(capsys, db, option):  # noqa: F811
    code, _, err = run(
        capsys, "--db", db, "contact", "C1", "--channel", "T", "--summary", "x", *option
    )
    assert code == 2
    assert f"{option[0]} needs --next-step TEXT" in err
    assert [r[0] for r in stored(db)].count("x") == 0


def test_a_due_date_must_be_a_date(capsys, db):  # noqa: F811
    with pytest.raises(SystemExit) as info:
        main(
            [
                "--db",
                db,
                "contact",
                "C1",
                "--channel",
                "T",
                "--summary",
                "x",
                "--next-step",
                "y",
                "--next-step-due",
                "next week",
            ]
        )
    assert info.value.code == 2
    assert "'next week' is not a date (YYYY-MM-DD)" in capsys.readouterr().err


def test_next_steps_are_listed_and_marked_done(capsys, db):  # noqa: F811
    run(
        capsys,
        "--db",
        db,
        "contact",
        "C1",
        "--channel",
        "M",
        "--summary",
        "a",
        "--next-step",
        "寄送方案",
        "--share-next-step",
        "--next-step-due",
        DUE,
    )
    run(
        capsys,
        "--db",
        db,
        "contact",
        "C1",
        "--channel",
        "T",
        "--summary",
        "b",
        "--next-step",
        "内部跟进",
    )
    code, out, err = run(capsys, "--db", db, "next-steps", "C1", "--json")
    assert code == 0, err
    steps = json.loads(out)
    assert [(s["next_step"], s["due"], s["shared"]) for s in steps] == [
        ("寄送方案", DUE, True),
        ("内部跟进", None, False),
    ]
    code, out, err = run(
        capsys, "--db", db, "next-steps", "C1", "--done", str(steps[0]["contact_id"])
    )
    assert code == 0, err
    assert "Done: the next step of contact" in out and "寄送方案" not in out
    assert "内部跟进" in out
    assert stored(db)[-2][5] == TODAY
    code, out, _ = run(capsys, "--db", db, "next-steps", "C2")
    assert "Alice Lam has no open next step." in out
    code, _, err = run(
        capsys, "--db", db, "next-steps", "C2", "--done", str(steps[1]["contact_id"])
    )
    assert code == 1 and "no such contact of this client" in err
