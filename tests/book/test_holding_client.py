"""A holding's and a rate's client in the row (0008), kept by the database on a team book.

The policies of holding and fx_rate are keyed on that column: whatever writes a row (the
app, a bulk insert, a hand edit of the column), the database fills it from the row's
snapshot, and a hand-over moves the rows with their client.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine, inspect, text

from reviewdesk.book import team
from reviewdesk.book.db import open_book
from reviewdesk.migrations import runner
from tests import factories as f
from tests import pg

PASSWORD = "Tr0ub4dor&3-rows"


@pytest.fixture(scope="module")
def world():
    pg.server()
    with pg.new_database("rd_rows") as database:
        owner = open_book(pg.database_url(database))
        people = {who: f"{database}_p_{who}" for who in ("m1", "m2", "sup")}
        with owner.session() as s:
            team.add_user(s, people["m1"], "manager", PASSWORD, branch="b1")
            team.add_user(s, people["m2"], "manager", PASSWORD, branch="b1")
            team.add_user(s, people["sup"], "supervisor", PASSWORD, branch="b1")
        owner.close()
        engines = {
            who: create_engine(pg.database_url(database, name, PASSWORD))
            for who, name in people.items()
        }
        engines["owner"] = create_engine(pg.database_url(database))
        ids: dict[str, int] = {}
        dates = {"A": dt.date(2026, 5, 31), "B": dt.date(2026, 4, 30), "C": dt.date(2026, 5, 31)}
        for who, codes in (("m1", ("A", "B")), ("m2", ("C",))):  # one review date each
            book = open_book(pg.database_url(database, people[who], PASSWORD), upgrade=False)
            try:
                with book.session() as s:
                    for code in codes:
                        c = f.client(code=code, name="客户" + code)
                        c.snapshots.append(
                            f.snapshot(dates[code], f.holding(), rates={("USD", "CNY"): "7.1"})
                        )
                        s.add(c)
                        s.flush()
                        ids[code] = c.id
                        ids["s" + code] = c.snapshots[0].id
            finally:
                book.close()
        try:
            yield database, people, engines, ids
        finally:
            for engine in engines.values():
                engine.dispose()


def _client_ids(engine, table: str, snapshot_id: int) -> list[int | None]:
    with engine.connect() as conn:
        return list(
            conn.scalars(
                text(f"SELECT client_id FROM {table} WHERE snapshot_id = :s"), {"s": snapshot_id}
            )
        )


def test_the_app_s_rows_carry_their_client(world):
    _db, _people, engines, ids = world
    for code in ("A", "B", "C"):
        for table in ("holding", "fx_rate"):
            assert _client_ids(engines["owner"], table, ids["s" + code]) == [ids[code]]


def test_a_bulk_insert_and_a_hand_edit_get_the_snapshot_s_client(world):
    _db, _people, engines, ids = world
    with engines["m1"].connect() as conn:
        conn.execute(
            text(
                "INSERT INTO holding (snapshot_id, product_name, asset_class, currency, "
                "market_value, client_id) "
                "SELECT s.id, 'bulk', 'cash', 'CNY', 10000, :other FROM snapshot s "
                "WHERE s.id = :s"
            ),
            {"s": ids["sA"], "other": ids["C"]},
        )
        # Naming another manager's client is corrected, not taken.
        conn.execute(
            text("UPDATE holding SET client_id = :other WHERE snapshot_id = :s"),
            {"s": ids["sA"], "other": ids["C"]},
        )
        got = conn.scalars(
            text("SELECT DISTINCT client_id FROM holding WHERE snapshot_id = :s"), {"s": ids["sA"]}
        ).all()
        conn.rollback()
    assert got == [ids["A"]]


def test_another_manager_s_snapshot_cannot_be_named(world):
    _db, _people, engines, ids = world
    with engines["m1"].connect() as conn:
        with pytest.raises(Exception, match="row-level security"):
            conn.execute(
                text(
                    "INSERT INTO holding (snapshot_id, product_name, asset_class, currency, "
                    "market_value) VALUES (:s, 'x', 'cash', 'CNY', 1)"
                ),
                {"s": ids["sC"]},
            )
        conn.rollback()


def test_a_snapshot_moved_to_another_client_takes_its_rows(world):
    _db, _people, engines, ids = world
    with engines["m1"].connect() as conn:
        conn.execute(
            text("UPDATE snapshot SET client_id = :b WHERE id = :s"),
            {"b": ids["B"], "s": ids["sA"]},
        )
        for table in ("holding", "fx_rate"):
            moved = conn.scalars(
                text(f"SELECT client_id FROM {table} WHERE snapshot_id = :s"), {"s": ids["sA"]}
            ).all()
            assert moved == [ids["B"]], table
        conn.rollback()


def test_a_hand_over_moves_the_holdings_at_once(world):
    _db, people, engines, ids = world

    def seen(who: str) -> int:
        with engines[who].connect() as conn:
            return int(
                conn.scalar(
                    text("SELECT count(*) FROM holding WHERE snapshot_id = :s"), {"s": ids["sB"]}
                )
            )

    assert (seen("m1"), seen("m2")) == (1, 0)
    with engines["sup"].begin() as conn:
        conn.execute(
            text("UPDATE client SET owner = :to WHERE id = :c"), {"to": people["m2"], "c": ids["B"]}
        )
    try:
        assert (seen("m1"), seen("m2")) == (0, 1)
    finally:
        with engines["sup"].begin() as conn:
            conn.execute(
                text("UPDATE client SET owner = :to WHERE id = :c"),
                {"to": people["m1"], "c": ids["B"]},
            )


def test_downgrade_puts_back_the_snapshot_keyed_policies(world):
    _db, _people, engines, ids = world

    def quals() -> set[str]:
        with engines["owner"].connect() as conn:
            return set(
                conn.scalars(
                    text(
                        "SELECT coalesce(qual, with_check) FROM pg_policies "
                        "WHERE tablename IN ('holding', 'fx_rate') AND policyname <> 'schema_owner'"
                    )
                )
            )

    assert all("client_id" in q and "snapshot" not in q for q in quals())
    runner.downgrade(engines["owner"], "0007_team")
    try:
        assert quals() and all("snapshot_id" in q for q in quals())
        columns = {c["name"] for c in inspect(engines["owner"]).get_columns("holding")}
        assert "client_id" not in columns
        with engines["m1"].connect() as conn:
            mine = conn.scalar(text("SELECT count(*) FROM holding"))
        assert mine == 2  # A's and B's, under 0007's policies
    finally:
        runner.upgrade(engines["owner"])
    assert all("client_id" in q and "snapshot" not in q for q in quals())
    assert _client_ids(engines["m1"], "holding", ids["sA"]) == [ids["A"]]
