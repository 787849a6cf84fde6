"""The book on PostgreSQL: the same migrations, queries and rules as on SQLite.

Runs when REVIEWDESK_TEST_PG names a server URL whose user may create
databases (`.ci/run` starts one); skipped otherwise, except in CI, where a missing
server fails them (tests/pg.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from reviewdesk.book.db import open_book
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Base
from reviewdesk.book.queries import find_client
from reviewdesk.demo import DemoOptions, fill_demo
from reviewdesk.review.client_list import list_clients
from tests import factories as f
from tests import pg


@pytest.fixture(autouse=True)
def _server():
    pg.server()


@pytest.fixture(scope="module")
def pg_book():
    with pg.new_database() as name:  # dropped with the team roles named after it
        book = open_book(pg.database_url(name))
        yield book
        book.close()


def test_migrated_schema_matches_the_models(pg_book):
    with pg_book.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_demo_totals_and_lookup(pg_book):
    with pg_book.session() as s:
        fill_demo(s, DemoOptions(clients=8, seed=4, as_of=dt.date(2026, 6, 15)))
    with pg_book.session() as s:
        rows = list_clients(s, dt.date(2026, 6, 15))
        assert len(rows) == 8
        assert all(r.total_assets > 0 and not r.missing_rates for r in rows)
        assert find_client(s, rows[0].name).id == rows[0].id
        # A client added after the bulk demo gets a fresh id (the sequences are right).
        c = f.client(code="PG1", name="欧阳娜娜")
        c.snapshots.append(f.snapshot(dt.date(2026, 5, 31), f.holding(value="1234.5678")))
        s.add(c)
    with pg_book.session() as s:
        c = find_client(s, "PG1")
        assert c.name == "欧阳娜娜"
        assert c.snapshots[0].holdings[0].market_value == Decimal("1234.5678")


def test_the_books_connections_do_without_the_jit_compiler(pg_book):
    """Short queries under row-level policies: compiling them cost more than running them."""
    with pg_book.session() as s:
        assert s.execute(text("SHOW jit")).scalar() == "off"


def test_rules_hold_on_postgres(pg_book):
    with pg_book.session() as s:
        c = f.client(code="PG2", name="李娜")
        c.snapshots.append(f.snapshot(dt.date(2026, 4, 30), f.holding()))
        s.add(c)
    with pytest.raises(ValidationError, match="review_date = 2026-04-30"):
        with pg_book.session() as s:
            find_client(s, "PG2").snapshots.append(f.snapshot(dt.date(2026, 4, 30), f.holding()))
    with pg_book.session() as s:
        assert len(find_client(s, "PG2").snapshots) == 1


def test_a_workbook_imports_into_postgres_as_into_sqlite(demo_book, tmp_path):
    """The import's own insert path (driver executemany, named parameters on PostgreSQL)."""
    from reviewdesk.exchange import export_workbook, import_files
    from tests.exchange.content import book_content

    path = tmp_path / "book.xlsx"
    with demo_book.session() as s:
        export_workbook(s, path, lang="zh")
    with pg.new_database() as name:
        target = open_book(pg.database_url(name))
        try:
            report = import_files(target, [path])
            assert report.problems == [] and report.applied, report.problems[:5]
            assert book_content(target) == book_content(demo_book)
            again = import_files(target, [path])
            assert again.applied and again.changed == 0
        finally:
            target.close()


def test_the_team_revision_goes_down_and_up_again():
    from reviewdesk.migrations import runner

    with pg.new_database() as name:
        book = open_book(pg.database_url(name))
        try:

            def counts():
                with book.engine.connect() as conn:
                    return (
                        conn.scalar(text("SELECT count(*) FROM pg_policies")),
                        conn.scalar(
                            text("SELECT count(*) FROM pg_roles WHERE rolname LIKE :p"),
                            {"p": name + "\\_%"},
                        ),
                    )

            policies, roles = counts()
            assert policies > 100 and roles == 5
            runner.downgrade(book.engine, "0006_benchmarks")
            assert counts() == (0, 0)
            runner.upgrade(book.engine)
            assert counts() == (policies, roles)
        finally:
            book.close()


def test_benchmarks_on_postgres(pg_book):
    from sqlalchemy.exc import IntegrityError

    from reviewdesk.book.benchmarks import choose, client_benchmark, series, set_level
    from reviewdesk.book.enums import ClientRiskLevel
    from reviewdesk.book.models import BenchmarkLevel

    day = dt.date(2026, 1, 30)
    with pg_book.session() as s:
        set_level(s, "PG equity", day, Decimal("3850.123456"))
        set_level(s, "PG bonds", day, Decimal("245.5"))
        choose(s, "PG equity", risk_level=ClientRiskLevel.C4, blend="PG bonds", weight=70)
        s.commit()
        assert series(s, ["PG equity"])["PG equity"] == ((day, Decimal("3850.123456")),)
        chosen = client_benchmark(s, -1, ClientRiskLevel.C4)
        assert (chosen.benchmark, chosen.blend, chosen.weight) == ("PG equity", "PG bonds", 70)
        # One level per name and day, held by the database itself.
        s.add(BenchmarkLevel(name="PG equity", level_date=day, level=Decimal(1)))
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()
