"""A team member's name and telephone as their clients read them (0015): added empty,
dropped on a downgrade with every person kept; on a team book every group reads them and
the admin alone writes them."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.exc import DBAPIError

from reviewdesk.book import team
from reviewdesk.book.db import open_book
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import TeamMember
from reviewdesk.migrations import runner
from tests import pg

PASSWORD = "Contact-Pass-4711"


def _columns(engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("team_member")}


def test_upgrading_adds_the_contact_and_downgrading_keeps_every_person(book):
    with book.session() as s:
        s.add(TeamMember(name="wang", role="manager", full_name="王晓东", phone="021-6888 1234"))
    runner.downgrade(book.engine, "0014_client_sort_name")
    assert {"full_name", "phone"}.isdisjoint(_columns(book.engine))
    runner.upgrade(book.engine)
    assert {"full_name", "phone"} <= _columns(book.engine)
    with book.session() as s:
        kept = s.execute(select(TeamMember.name, TeamMember.full_name, TeamMember.phone)).all()
    assert kept == [("wang", None, None)]  # the person kept; their contact went with 0014


def test_a_contact_is_checked_naming_the_field_and_value():
    with pytest.raises(ValidationError) as bad:
        TeamMember(name="wang", role="manager", phone="call me")
    assert (bad.value.field, bad.value.value) == ("phone", "call me")
    assert "Phone “call me”: is not a phone number" in bad.value.refusal("en")
    with pytest.raises(ValidationError) as long:
        TeamMember(name="wang", role="manager", full_name="王" * 201)
    assert long.value.field == "full_name" and long.value.refusal("en").startswith("Full name")
    assert TeamMember(name="wang", role="manager", full_name="  ").full_name is None


@pytest.fixture(scope="module")
def team_book():
    pg.server()
    with pg.new_database("rd_contact") as database:
        owner = open_book(pg.database_url(database))
        with owner.session() as s:
            for who, role, branch in (
                ("m1", "manager", "b1"),
                ("sup", "supervisor", "b1"),
                ("comp", "compliance", None),
                ("admin", "admin", None),
            ):
                team.add_user(
                    s,
                    f"{database}_p_{who}",
                    role,
                    PASSWORD,
                    branch=branch,
                    full_name="王晓东" if who == "m1" else None,
                    phone="021-6888 1234" if who == "m1" else None,
                )
        owner.close()
        yield database


def _as(database: str, who: str, sql: str):
    """One statement as `who`, rolled back: its rows, or how many rows it changed."""
    engine = create_engine(pg.database_url(database, f"{database}_p_{who}", PASSWORD))
    try:
        with engine.connect() as conn:
            try:
                result = conn.execute(text(sql), {"m1": f"{database}_p_m1"})
                return result.all() if result.returns_rows else result.rowcount
            finally:
                conn.rollback()
    finally:
        engine.dispose()


def test_on_a_team_book_every_group_reads_the_contact_and_admin_alone_writes_it(team_book):
    owner = create_engine(pg.database_url(team_book))
    try:
        runner.downgrade(owner, "0014_client_sort_name")
        assert {"full_name", "phone"}.isdisjoint(_columns(owner))
        runner.upgrade(owner)
        with owner.begin() as conn:
            conn.execute(
                text(
                    "UPDATE team_member SET full_name = '王晓东', phone = '021-6888 1234' "
                    "WHERE name = :m1"
                ),
                {"m1": f"{team_book}_p_m1"},
            )
    finally:
        owner.dispose()
    read = "SELECT full_name, phone FROM team_member WHERE name = :m1"
    for who in ("m1", "sup", "comp", "admin"):
        assert _as(team_book, who, read) == [("王晓东", "021-6888 1234")], who
    for who in ("m1", "sup", "comp"):
        with pytest.raises(DBAPIError) as refused:
            _as(team_book, who, "UPDATE team_member SET phone = '110' WHERE name = :m1")
        assert refused.value.orig.sqlstate == "42501", who
    assert _as(team_book, "admin", "UPDATE team_member SET phone = '110' WHERE name = :m1") == 1
