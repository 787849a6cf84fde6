"""Each snapshot's facts (0009), kept by the database: whatever writes the holdings, the
stored rows equal a fresh GROUP BY over them, on SQLite (encrypted and plain) and on
PostgreSQL, where the table is client data under the same policies as the others."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from decimal import Decimal

import pytest
from sqlalchemy import Connection, delete, inspect, select, text
from sqlalchemy.exc import DBAPIError

from reviewdesk.book import team
from reviewdesk.book.db import Book, open_book
from reviewdesk.book.enums import AssetClass, RiskLevel
from reviewdesk.book.models import Client, Holding, Snapshot
from reviewdesk.book.queries import holding_facts, snapshot_sums, snapshot_totals
from reviewdesk.exchange.exporter import export_workbook
from reviewdesk.exchange.importer import import_files
from reviewdesk.migrations import runner
from tests import factories as f
from tests import pg
from tests.conftest import PASSPHRASE

PASSWORD = "Tr0ub4dor&3-facts"
COLUMNS = (
    "holdings, market_value, property_holdings, property_value, "
    "risk_r1, risk_r2, risk_r3, risk_r4, risk_r5"
)
FRESH = (
    "SELECT snapshot_id, currency, asset_class = 'loan' AS loan, count(*), sum(market_value), "
    "sum(CASE WHEN asset_class = 'property' THEN 1 ELSE 0 END), "
    "sum(CASE WHEN asset_class = 'property' THEN market_value ELSE 0 END), "
    + ", ".join(f"sum(CASE WHEN risk_level = 'R{n}' THEN 1 ELSE 0 END)" for n in range(1, 6))
    + " FROM holding GROUP BY snapshot_id, currency, asset_class = 'loan'"
)


def _rows(conn: Connection, sql: str) -> set[tuple]:
    return {
        tuple(int(v) if not isinstance(v, str) else v for v in row)
        for row in conn.execute(text(sql))
    }


def assert_facts_are_fresh(conn: Connection) -> int:
    """The stored facts are a fresh GROUP BY over the holdings; on PostgreSQL each row
    carries its snapshot's client. The number of rows."""
    stored = _rows(
        conn, f"SELECT snapshot_id, currency, is_liability, {COLUMNS} FROM snapshot_fact"
    )
    assert stored == _rows(conn, FRESH)
    if conn.dialect.name == "postgresql":
        wrong = conn.scalar(
            text(
                "SELECT count(*) FROM snapshot_fact f JOIN snapshot s ON s.id = f.snapshot_id "
                "WHERE f.client_id IS DISTINCT FROM s.client_id"
            )
        )
        assert wrong == 0
    return len(stored)


CLASSES = list(AssetClass)
RISKS = [None, *RiskLevel]
CURRENCIES = ("CNY", "USD", "HKD")


def _random_holding(rng: random.Random) -> Holding:
    return f.holding(
        name=f"产品{rng.randrange(1000)}",
        value=str(Decimal(rng.randrange(0, 10**9)) / 10000),
        currency=rng.choice(CURRENCIES),
        asset_class=rng.choice(CLASSES),
        risk_level=rng.choice(RISKS),
        maturity_date=rng.choice([None, dt.date(2027, 1, rng.randrange(1, 28))]),
    )


def _fill(book: Book, rng: random.Random, clients: int = 4, prefix: str = "F") -> None:
    with book.session() as s:
        for n in range(clients):
            c = f.client(code=f"{prefix}{n}", name=f"客户{prefix}{n}")
            for month in range(1, 4):
                c.snapshots.append(
                    f.snapshot(
                        dt.date(2026, month, 28),
                        *(_random_holding(rng) for _ in range(rng.randrange(0, 6))),
                    )
                )
            s.add(c)


def _churn(book: Book, rng: random.Random, rounds: int = 12) -> None:
    """Random inserts, edits (value, currency, class, risk), moves to another snapshot
    and deletes through the ORM, each round its own unit of work."""
    for _ in range(rounds):
        with book.session() as s:
            snapshots = list(s.scalars(select(Snapshot)))
            holdings = list(s.scalars(select(Holding)))
            for _ in range(6):
                action = rng.choice(("add", "edit", "move", "delete"))
                if action == "add" or not holdings:
                    snap = rng.choice(snapshots)
                    snap.holdings.append(_random_holding(rng))
                    continue
                h = rng.choice(holdings)
                if action == "edit":
                    other = _random_holding(rng)
                    for field in rng.sample(
                        ("market_value", "currency", "asset_class", "risk_level", "product_name"),
                        2,
                    ):
                        setattr(h, field, getattr(other, field))
                elif action == "move":
                    h.snapshot = rng.choice(snapshots)
                else:
                    holdings.remove(h)
                    s.delete(h)


def _check(book: Book) -> int:
    with book.engine.connect() as conn:
        return assert_facts_are_fresh(conn)


def _bulk_insert(book: Book) -> None:
    """The benchmark's and the importer's way: one executemany of raw rows."""
    with book.engine.begin() as conn:
        ids = list(conn.scalars(text("SELECT id FROM snapshot ORDER BY id")))
        conn.execute(
            text(
                "INSERT INTO holding (snapshot_id, product_name, asset_class, currency, "
                "market_value, risk_level) VALUES (:s, 'bulk', :c, :cur, :v, :r)"
            ),
            [
                {
                    "s": ids[n % len(ids)],
                    "c": ("loan", "property", "fund")[n % 3],
                    "cur": CURRENCIES[n % 2],
                    "v": 12345 * n,
                    "r": (None, "R2", "R5")[n % 3],
                }
                for n in range(40)
            ],
        )


# --- SQLite ---------------------------------------------------------------------------


@pytest.mark.parametrize("encrypted", (True, False))
def test_random_writes_keep_the_facts_fresh(tmp_path, encrypted):
    rng = random.Random(9)
    path = str(tmp_path / "b.sqlite")
    book = open_book(path, passphrase=PASSPHRASE) if encrypted else open_book(path, plain=True)
    try:
        _fill(book, rng)
        assert _check(book) > 0
        _churn(book, rng)
        _check(book)
        _bulk_insert(book)
        _check(book)
        with book.session() as s:  # a snapshot deleted: its holdings and facts go too
            s.delete(s.scalars(select(Snapshot).order_by(Snapshot.id)).first())
        _check(book)
        with book.engine.begin() as conn:  # by the database's cascade alone
            conn.execute(text("DELETE FROM snapshot WHERE id = (SELECT max(id) FROM snapshot)"))
            conn.execute(text("UPDATE holding SET market_value = market_value + 7"))
        _check(book)
        with book.session() as s:
            s.delete(s.scalars(select(Client)).first())
            s.execute(delete(Holding).where(Holding.asset_class == AssetClass.LOAN))
        _check(book)
    finally:
        book.close()


def test_an_import_keeps_the_facts_fresh(demo_book, book, tmp_path):
    with demo_book.session() as s:
        export_workbook(s, tmp_path / "book.xlsx")
    assert import_files(book, [tmp_path / "book.xlsx"]).applied
    assert _check(book) > 100
    with book.session() as s:  # a second import replaces the snapshots' holdings
        s.execute(text("UPDATE holding SET market_value = market_value * 2"))
    assert import_files(book, [tmp_path / "book.xlsx"]).applied
    _check(book)
    with demo_book.engine.connect() as conn, book.engine.connect() as other:
        assert _rows(conn, FRESH) == _rows(other, FRESH)


def test_the_queries_read_what_a_sum_over_the_holdings_gives(demo_book):
    """`snapshot_totals`, `snapshot_sums` and `holding_facts` against the grouped
    reads over the holdings they replace."""
    with demo_book.session() as s:
        ids = list(s.scalars(select(Snapshot.id)))
        totals = snapshot_totals(s, ids)
        financial = snapshot_sums(s, ids).financial
        facts = holding_facts(s, ids, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        want_totals: dict = {}
        want_financial: dict = {}
        want_risk: dict = {}
        want_maturing = set()
        for h in s.scalars(select(Holding)):
            key = (h.currency, h.asset_class.is_liability)
            group = want_totals.setdefault(h.snapshot_id, {})
            group[key] = group.get(key, Decimal(0)) + h.market_value
            if h.asset_class not in (AssetClass.LOAN, AssetClass.PROPERTY):
                money = want_financial.setdefault(h.snapshot_id, {})
                money[h.currency] = money.get(h.currency, Decimal(0)) + h.market_value
            if h.risk_level is not None:
                want_risk[h.snapshot_id] = max(want_risk.get(h.snapshot_id, 0), h.risk_level.rank)
            if (
                h.asset_class is not AssetClass.LOAN
                and h.maturity_date is not None
                and dt.date(2026, 1, 1) <= h.maturity_date <= dt.date(2026, 12, 31)
            ):
                want_maturing.add(h.snapshot_id)
    assert dict(totals) == want_totals == facts.totals
    assert dict(financial) == want_financial
    assert facts.top_risk == want_risk
    assert facts.maturing == want_maturing and want_maturing


def test_a_property_only_currency_is_not_a_financial_one(book):
    with book.session() as s:
        c = f.client()
        c.snapshots.append(
            f.snapshot(
                dt.date(2026, 5, 31),
                f.holding(currency="HKD", asset_class=AssetClass.PROPERTY, value="500"),
                f.holding(currency="CNY", asset_class=AssetClass.PROPERTY, value="100"),
                f.holding(currency="CNY", value="10.5"),
            )
        )
        s.add(c)
        s.flush()
        sid = c.snapshots[0].id
        assert snapshot_sums(s, [sid]).financial == {sid: {"CNY": Decimal("10.5")}}
        assert snapshot_totals(s, [sid]) == {
            sid: {("HKD", False): Decimal("500"), ("CNY", False): Decimal("110.5")}
        }


def test_upgrade_fills_the_facts_and_downgrade_drops_them(demo_book_path, tmp_path):
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_book_path, path)
    book = open_book(str(path), passphrase=PASSPHRASE)
    try:
        runner.downgrade(book.engine, "0008_holding_client")
        assert "snapshot_fact" not in inspect(book.engine).get_table_names()
        with book.engine.connect() as conn:
            assert not list(
                conn.execute(
                    text(
                        "SELECT name FROM sqlite_master "
                        "WHERE type = 'trigger' AND name LIKE 'snapshot_fact%'"
                    )
                )
            )
        # Written at 0008: no trigger keeps anything.
        with book.engine.begin() as conn:
            conn.execute(text("UPDATE holding SET market_value = market_value + 1"))
        runner.upgrade(book.engine)
        assert _check(book) > 100
        _churn(book, random.Random(3), rounds=3)
        _check(book)
    finally:
        book.close()


# --- PostgreSQL -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def team_book():
    pg.server()
    with pg.new_database("rd_facts") as database:
        owner = open_book(pg.database_url(database))
        people = {who: f"{database}_p_{who}" for who in ("m1", "m2", "a1", "sup")}
        with owner.session() as s:
            team.add_user(s, people["m1"], "manager", PASSWORD, branch="b1")
            team.add_user(s, people["m2"], "manager", PASSWORD, branch="b1")
            team.add_user(s, people["a1"], "assistant", PASSWORD, assists=[people["m1"]])
            team.add_user(s, people["sup"], "supervisor", PASSWORD, branch="b1")
        books = {"owner": owner}
        for who, name in people.items():
            books[who] = open_book(pg.database_url(database, name, PASSWORD), upgrade=False)
        try:
            yield database, people, books
        finally:
            for b in books.values():
                b.close()


def test_pg_writes_by_a_manager_and_an_assistant_keep_the_facts_fresh(team_book):
    _db, _people, books = team_book
    rng = random.Random(5)
    _fill(books["m1"], rng, prefix="M")
    _fill(books["m2"], rng, clients=2, prefix="N")
    _churn(books["m1"], rng)
    _churn(books["a1"], rng, rounds=4)
    _churn(books["m2"], rng, rounds=4)
    _bulk_insert(books["m1"])
    with books["m1"].session() as s:
        s.delete(s.scalars(select(Snapshot).order_by(Snapshot.id)).first())
    with books["owner"].engine.connect() as conn:
        assert assert_facts_are_fresh(conn) > 0


def test_pg_facts_are_read_under_the_policies_and_written_by_nobody(team_book):
    _db, _people, books = team_book
    _fill(books["m1"], random.Random(1), clients=1, prefix="P")
    _fill(books["m2"], random.Random(2), clients=1, prefix="Q")

    def seen(who: str) -> set[int]:
        with books[who].engine.connect() as conn:
            return set(conn.scalars(text("SELECT DISTINCT client_id FROM snapshot_fact")))

    with books["owner"].engine.connect() as conn:
        owners = dict(
            conn.execute(
                text(
                    "SELECT c.id, c.owner FROM client c "
                    "WHERE EXISTS (SELECT 1 FROM snapshot_fact f WHERE f.client_id = c.id)"
                )
            ).all()
        )
    m1 = {cid for cid, owner in owners.items() if owner == _people["m1"]}
    assert m1 and seen("m1") == m1 == seen("a1")
    assert seen("m2") == set(owners) - m1
    assert seen("sup") == set(owners)
    for who in ("m1", "a1", "sup"):
        for sql in (
            "UPDATE snapshot_fact SET market_value = 0",
            "DELETE FROM snapshot_fact",
            "INSERT INTO snapshot_fact (snapshot_id, currency, is_liability, holdings, "
            "market_value, property_holdings, property_value, risk_r1, risk_r2, risk_r3, "
            "risk_r4, risk_r5) SELECT id, 'XYZ', false, 1, 1, 0, 0, 0, 0, 0, 0, 0 "
            "FROM snapshot LIMIT 1",
        ):
            with books[who].engine.connect() as conn:
                with pytest.raises(DBAPIError) as caught:
                    conn.execute(text(sql))
                assert caught.value.orig.sqlstate == "42501"
                conn.rollback()


def test_pg_a_snapshot_moved_to_another_client_takes_its_facts(team_book):
    _db, _people, books = team_book
    _fill(books["m1"], random.Random(7), clients=2, prefix="R")
    with books["m1"].engine.connect() as conn:
        a, b = conn.scalars(text("SELECT id FROM client WHERE code IN ('R0', 'R1') ORDER BY code"))
        sid = conn.scalar(
            text(
                "SELECT max(s.id) FROM snapshot s JOIN holding h ON h.snapshot_id = s.id "
                "WHERE s.client_id = :a"
            ),
            {"a": a},
        )
        conn.execute(
            text(
                "DELETE FROM snapshot WHERE client_id = :b AND review_date = "
                "(SELECT review_date FROM snapshot WHERE id = :s)"
            ),
            {"b": b, "s": sid},
        )
        conn.execute(text("UPDATE snapshot SET client_id = :b WHERE id = :s"), {"b": b, "s": sid})
        moved = set(
            conn.scalars(
                text("SELECT client_id FROM snapshot_fact WHERE snapshot_id = :s"), {"s": sid}
            )
        )
        assert moved == {b}
        assert_facts_are_fresh(conn)
        conn.rollback()


def test_pg_upgrade_fills_the_facts_and_downgrade_drops_them(team_book):
    _db, _people, books = team_book
    owner = books["owner"].engine
    _fill(books["m1"], random.Random(11), clients=2, prefix="U")
    runner.downgrade(owner, "0008_holding_client")
    try:
        assert "snapshot_fact" not in inspect(owner).get_table_names()
        with owner.connect() as conn:
            functions = set(
                conn.scalars(
                    text(
                        "SELECT proname FROM pg_proc WHERE proname LIKE 'reviewdesk_snapshot_fact%'"
                    )
                )
            )
        assert functions == set()
        with books["m1"].engine.begin() as conn:  # written at 0008: nothing keeps facts
            conn.execute(text("UPDATE holding SET market_value = market_value + 3"))
    finally:
        runner.upgrade(owner)
    with owner.connect() as conn:
        assert assert_facts_are_fresh(conn) > 0
        policies = set(
            conn.scalars(
                text("SELECT policyname FROM pg_policies WHERE tablename = 'snapshot_fact'")
            )
        )
        forced = conn.scalar(
            text("SELECT relforcerowsecurity FROM pg_class WHERE relname = 'snapshot_fact'")
        )
    assert forced
    assert {"schema_owner", "manager_read", "assistant_read", "supervisor_read"} <= policies
    assert {"compliance_read", "manager_add", "manager_edit", "manager_delete"} <= policies
    _churn(books["m1"], random.Random(12), rounds=3)
    with owner.connect() as conn:
        assert_facts_are_fresh(conn)


def test_pg_the_facts_engine_is_usable_by_the_app(team_book):
    """The queries read the facts as a manager: their own clients' only."""
    _db, _people, books = team_book
    with books["m2"].session() as s:
        ids = list(s.scalars(select(Snapshot.id)))
        totals = snapshot_totals(s, ids)
        assert set(totals) <= set(ids)
        with books["owner"].engine.connect() as conn:
            everything = set(conn.scalars(text("SELECT snapshot_id FROM snapshot_fact")))
        assert set(totals) < everything
