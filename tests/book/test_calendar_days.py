"""The agenda's birthdays and policy anniversaries are found by a seek (0012): the indexes
on a date's month * 100 + day are the models' (a book made fresh and an upgraded one
alike), the agenda's statements on the default encrypted book are answered from them,
and downgrading takes them away and keeps every row."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from sqlalchemy import create_engine, text

from reviewdesk.book.db import open_book
from reviewdesk.book.enums import PolicyKind, Relation
from reviewdesk.book.models import Base, FamilyMember, InsurancePolicy
from reviewdesk.migrations import runner
from reviewdesk.review.agenda import AgendaKind, build_agenda
from tests import factories as f
from tests import pg
from tests.sql import executed, later_columns

TODAY = dt.date(2026, 6, 15)
INDEXES = {
    "ix_client_birthday_day",
    "ix_family_member_birthday_day",
    "ix_insurance_policy_start_day",
    "ix_insurance_policy_end_date",
}


def _index_sql(connection) -> dict[str, str]:
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).all()
    return {name: re.sub(r"\s+", " ", sql) for name, sql in rows}


def test_the_migrated_indexes_are_the_models(book, tmp_path):
    """SQLite's reflection skips indexes on expressions, so Alembic's comparison of the
    migrated schema with the models cannot see them: their SQL is compared here."""
    fresh = create_engine(f"sqlite:///{tmp_path / 'models.sqlite'}")
    Base.metadata.create_all(fresh)
    with fresh.connect() as conn:
        expected = {k: v for k, v in _index_sql(conn).items() if k in INDEXES}
    fresh.dispose()
    with book.engine.connect() as conn:
        migrated = {k: v for k, v in _index_sql(conn).items() if k in INDEXES}
    assert set(expected) == INDEXES
    assert migrated == expected
    client_index = expected["ix_client_birthday_day"].lower()
    assert "strftime('%m', birthday) as integer) * 100" in client_index
    assert client_index.endswith("where birthday is not null")


def test_a_scan_of_the_clients_ids_is_not_made_through_the_birthdays(book):
    """Partial indexes: a whole one on the birthdays, narrower than the client table, was
    what SQLite scanned for the ids alone, in the order of the days, and each client's
    seek for its latest snapshot landed far from the last (11 -> 20 ms on 10,000)."""
    _fill(book)
    with book.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        for statement in (
            "SELECT id FROM client",
            "SELECT client_id FROM family_member",
            "SELECT id FROM insurance_policy",
        ):
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement).all()
            plan = " ".join(str(r[-1]) for r in rows)
            assert "_day" not in plan, (statement, plan)


def _fill(book) -> None:
    with book.session() as s:
        for n in range(40):
            born = dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
            client = f.client(code=f"C{n}", name=f"客户{n}", birthday=born)
            child = FamilyMember(name=f"家人{n}", relation=Relation.DAUGHTER)
            child.birthday = born.replace(day=15)
            client.family.append(child)
            client.policies.append(
                InsurancePolicy(
                    kind=PolicyKind.LIFE,
                    insurer="平安",
                    sum_assured=Decimal(1_000_000),
                    annual_premium=Decimal(5_000),
                    payment_years=20,
                    start_date=dt.date(2015, 1 + n % 12, 16),
                    end_date=dt.date(2040, 1, 1) if n % 7 else TODAY + dt.timedelta(days=n % 20),
                )
            )
            s.add(client)


def _plans(book, days: int) -> tuple[list[str], object]:
    """The query plans of the statements the agenda runs, and the agenda."""
    with executed(book.engine) as statements, book.session() as s:
        agenda = build_agenda(s, TODAY, days)
    plans = []
    with book.engine.connect() as conn:
        for statement, parameters in statements:
            if "strftime" in statement.lower():
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
                plans.append(" | ".join(str(r[-1]) for r in rows))
    return plans, agenda


def test_the_agendas_birthdays_and_anniversaries_are_read_by_the_indexes(book):
    _fill(book)
    plans, agenda = _plans(book, 7)
    assert len(plans) == 3, plans  # clients' and family birthdays, policies
    client_plan, family_plan, policy_plan = plans
    assert "ix_client_birthday_day" in client_plan and "SCAN" not in client_plan
    assert "ix_family_member_birthday_day" in family_plan and "SCAN" not in family_plan
    # Ending in the days, or an anniversary in them: both seeks, no pass over the policies.
    assert "ix_insurance_policy_start_day" in policy_plan, policy_plan
    assert "ix_insurance_policy_end_date" in policy_plan, policy_plan
    assert "SCAN insurance_policy" not in policy_plan
    kinds = {line.kind for line in agenda.lines}
    assert {AgendaKind.BIRTHDAY, AgendaKind.INSURANCE_RENEWAL} <= kinds


def test_downgrading_drops_the_indexes_and_the_agenda_says_the_same(book):
    _fill(book)
    with_indexes = [(x.day, x.kind, x.client_id, x.message) for x in _plans(book, 30)[1].lines]
    runner.downgrade(book.engine, "0011_rate_version")
    with book.engine.connect() as conn:
        assert not INDEXES & set(_index_sql(conn))
        assert conn.execute(text("SELECT count(*) FROM insurance_policy")).scalar() == 40
    with later_columns(book.engine):
        plans, agenda = _plans(book, 30)
    assert all("ix_client_birthday_day" not in p for p in plans)
    assert [(x.day, x.kind, x.client_id, x.message) for x in agenda.lines] == with_indexes
    runner.upgrade(book.engine)
    with book.engine.connect() as conn:
        assert INDEXES <= set(_index_sql(conn))


def test_on_postgresql_the_agendas_expression_is_the_indexed_one():
    """A book on PostgreSQL (a branch's team book) gets the same indexes, and the agenda's
    statements can be answered from them (sequential scans switched off: the planner
    prefers them on a table this small, but can only use an index whose expression is
    the statement's)."""
    pg.server()
    with pg.new_database("rd_days") as database:
        book = open_book(pg.database_url(database))
        try:
            _fill(book)
            with executed(book.engine) as run, book.session() as s:
                agenda = build_agenda(s, TODAY, 7)
            statements = [(sql, values) for sql, values in run if "EXTRACT(month" in sql]
            assert len(statements) == 3 and agenda.lines
            plans = []
            with book.engine.connect() as conn:
                conn.exec_driver_sql("SET enable_seqscan = off")
                for statement, parameters in statements:
                    rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
                    plans.append(" | ".join(r[0] for r in rows))
            client_plan, family_plan, policy_plan = plans
            assert "ix_client_birthday_day" in client_plan, client_plan
            assert "ix_family_member_birthday_day" in family_plan, family_plan
            assert "ix_insurance_policy_start_day" in policy_plan, policy_plan
            assert "ix_insurance_policy_end_date" in policy_plan, policy_plan
        finally:
            book.close()


def test_a_book_with_the_first_form_of_0012_gets_partial_day_indexes(book):
    """A first form of 0012, on main for an hour, made the day indexes whole; 0013 makes
    them again as 0012 makes them now."""
    runner.downgrade(book.engine, "0012_calendar_days")
    with book.engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_client_birthday_day")
        conn.exec_driver_sql(
            "CREATE INDEX ix_client_birthday_day ON client (CAST(STRFTIME('%m', birthday) "
            "AS INTEGER) * 100 + CAST(STRFTIME('%d', birthday) AS INTEGER))"
        )
    runner.upgrade(book.engine)
    with book.engine.connect() as conn:
        indexes = _index_sql(conn)
    for name in INDEXES - {"ix_insurance_policy_end_date"}:
        assert indexes[name].endswith("IS NOT NULL"), indexes[name]


def test_the_agendas_next_steps_are_read_in_one_pass_over_the_contacts(book):
    """The open next steps of the whole book are read by one pass over the contacts, not
    through the contacts' date index, which holds nearly every contact: walking it and
    looking each contact up took the agenda of 10,000 clients from 300 to 480 ms."""
    _fill(book)
    with executed(book.engine) as statements, book.session() as s:
        build_agenda(s, TODAY, 7)
    (statement, parameters), *_ = [(q, p) for q, p in statements if "next_step_due" in q]
    with book.engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    plan = " | ".join(str(r[-1]) for r in rows)
    assert "SCAN contact" in plan and "ix_contact_date" not in plan, plan
