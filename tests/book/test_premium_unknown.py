"""A policy's annual premium may be not on record (0017): the premiums stored keep their
values (a 0 included), a policy saved with none keeps None rather than 0, and downgrading
writes 0 back; on SQLite the table's copy keeps 0012's day index, on PostgreSQL the team
book's audit trail records the blank."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, select, text

from reviewdesk.book.db import open_book
from reviewdesk.book.enums import PolicyKind
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Base, InsurancePolicy
from reviewdesk.migrations import runner
from tests import factories as f
from tests import pg

BEFORE = "0016_list_reads"


def _premiums(book) -> dict[str, Decimal | None]:
    with book.session() as s:
        rows = s.execute(select(InsurancePolicy.insurer, InsurancePolicy.annual_premium)).all()
    return dict(rows)


def _add(book, insurer: str, premium: Decimal | None) -> None:
    with book.session() as s:
        client = f.client(code=insurer)
        client.policies.append(
            InsurancePolicy(
                kind=PolicyKind.LIFE,
                insurer=insurer,
                sum_assured=Decimal(1_000_000),
                annual_premium=premium,
            )
        )
        s.add(client)


def _start_day_sql(engine) -> str:
    with engine.connect() as conn:
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'ix_insurance_policy_start_day'"
        ).scalar_one()
    return re.sub(r"\s+", " ", sql)


def test_upgrading_keeps_every_premium_and_then_takes_none_on_record(book, tmp_path):
    fresh = create_engine(f"sqlite:///{tmp_path / 'models.sqlite'}")
    Base.metadata.create_all(fresh)
    expected_index = _start_day_sql(fresh)
    fresh.dispose()

    runner.downgrade(book.engine, BEFORE)
    _add(book, "paid", Decimal("8600.50"))
    _add(book, "zero", Decimal(0))
    runner.upgrade(book.engine)
    # A stored 0 stays 0: whether it meant a blank cannot be known.
    assert _premiums(book) == {"paid": Decimal("8600.50"), "zero": Decimal(0)}
    assert _start_day_sql(book.engine) == expected_index

    _add(book, "single premium", None)
    assert _premiums(book)["single premium"] is None

    runner.downgrade(book.engine, BEFORE)
    assert _premiums(book)["single premium"] == Decimal(0)
    runner.upgrade(book.engine)


def test_a_policy_added_without_a_premium_has_none_on_record(book):
    """Found: a policy added in the insurance tab, its premium never typed, was saved with
    a premium of 0 (the column's default) and read "0.00 a year" in the pack."""
    _add(book, "untyped", None)
    assert _premiums(book) == {"untyped": None}


def test_a_bad_premium_is_refused_naming_the_field_and_value():
    with pytest.raises(ValidationError) as bad:
        InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=Decimal(1), annual_premium="abc")
    assert (bad.value.field, bad.value.value) == ("annual_premium", "abc")
    assert "Annual premium “abc”: is not a number" in bad.value.refusal("en")
    with pytest.raises(ValidationError) as negative:
        InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=Decimal(1), annual_premium=Decimal("-1"))
    assert "Annual premium “-1”: must not be negative" in negative.value.refusal("en")
    assert InsurancePolicy(kind=PolicyKind.LIFE, annual_premium=None).annual_premium is None


def test_on_postgres_the_column_takes_none_and_the_trail_records_it():
    pg.server()
    with pg.new_database("rd_premium") as database:
        book = open_book(pg.database_url(database))
        try:
            runner.downgrade(book.engine, BEFORE)
            _add(book, "paid", Decimal("8600.50"))
            runner.upgrade(book.engine)
            assert _premiums(book) == {"paid": Decimal("8600.50")}
            _add(book, "single premium", None)
            assert _premiums(book)["single premium"] is None
            with book.engine.connect() as conn:
                created = conn.scalars(
                    text(
                        "SELECT new_value FROM audit_entry "
                        "WHERE record = 'InsurancePolicy' AND action = 'create' ORDER BY id"
                    )
                ).all()
            values = [json.loads(v)["annual_premium"] for v in created]
            assert values[-2:] == ["8600.5000", None]
        finally:
            book.close()
