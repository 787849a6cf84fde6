"""Every rule refuses bad input with a message naming the field and the value,
and leaves the book as it was."""

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from reviewdesk.book.enums import AssetClass, PolicyKind
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Client, Holding, InsurancePolicy, Snapshot
from tests import factories as f

TODAY = dt.date.today()


@pytest.fixture
def saved(book):
    with book.session() as s:
        c = f.client()
        c.snapshots.append(f.snapshot(dt.date(2026, 3, 31), f.holding()))
        c.policies.append(InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=Decimal("1000000")))
        s.add(c)
    return book


def fingerprint(book) -> list:
    tables = ["client", "snapshot", "holding", "insurance_policy", "fx_rate", "family_member"]
    with book.engine.connect() as conn:
        return [conn.execute(text(f"SELECT * FROM {t} ORDER BY 1")).all() for t in tables]


def refused(book, change, field: str, value_text: str):
    before = fingerprint(book)
    with pytest.raises(ValidationError) as info:
        with book.session() as s:
            change(s)
    message = str(info.value)
    assert info.value.field == field
    assert field in message and value_text in message, message
    assert fingerprint(book) == before
    return message


def client(s):
    return s.scalar(select(Client))


def test_negative_sum_assured(saved):
    def change(s):
        client(s).policies[0].sum_assured = Decimal("-5000")

    msg = refused(saved, change, "sum_assured", "-5000")
    assert "negative" in msg


def test_negative_premium_on_a_new_policy(saved):
    def change(s):
        client(s).policies.append(
            InsurancePolicy(
                kind=PolicyKind.MEDICAL, sum_assured=Decimal(1), annual_premium=Decimal("-1")
            )
        )

    refused(saved, change, "annual_premium", "-1")


def test_snapshot_dated_in_the_future(saved):
    future = TODAY + dt.timedelta(days=1)

    def change(s):
        client(s).snapshots.append(f.snapshot(future, f.holding()))

    msg = refused(saved, change, "review_date", future.isoformat())
    assert "future" in msg


def test_unknown_currency(saved):
    def change(s):
        client(s).snapshots[0].holdings.append(f.holding("X", currency="XYZ"))

    refused(saved, change, "currency", "'XYZ'")


def test_unknown_report_currency(saved):
    def change(s):
        client(s).report_currency = "RMB"

    refused(saved, change, "report_currency", "'RMB'")


def test_holding_without_a_value(saved):
    def change(s):
        client(s).snapshots[0].holdings.append(
            Holding(product_name="无市值产品", currency="CNY", asset_class=AssetClass.FUND)
        )

    msg = refused(saved, change, "market_value", "(empty)")
    assert "required" in msg


def test_holding_value_set_to_none(saved):
    def change(s):
        client(s).snapshots[0].holdings[0].market_value = None

    refused(saved, change, "market_value", "(empty)")


def test_duplicate_snapshot_date_for_one_client(saved):
    def change(s):
        client(s).snapshots.append(f.snapshot(dt.date(2026, 3, 31), f.holding()))

    msg = refused(saved, change, "review_date", "2026-03-31")
    assert "already" in msg


def test_duplicate_snapshot_dates_within_one_change(book):
    def change(s):
        c = f.client()
        c.snapshots.append(f.snapshot(dt.date(2026, 1, 31), f.holding()))
        c.snapshots.append(f.snapshot(dt.date(2026, 1, 31), f.holding()))
        s.add(c)

    refused(book, change, "review_date", "2026-01-31")


def test_same_date_for_two_clients_is_fine(saved):
    with saved.session() as s:
        other = f.client(code="C2", name="李娜")
        other.snapshots.append(f.snapshot(dt.date(2026, 3, 31), f.holding()))
        s.add(other)
    with saved.session() as s:
        assert s.scalar(select(func.count(Snapshot.id))) == 2


def test_floats_are_refused_for_money(saved):
    def change(s):
        client(s).snapshots[0].holdings[0].market_value = 0.1

    msg = refused(saved, change, "market_value", "0.1")
    assert "float" in msg


def test_more_than_four_decimals(saved):
    def change(s):
        client(s).snapshots[0].holdings[0].market_value = Decimal("1.00001")

    refused(saved, change, "market_value", "1.00001")


def test_empty_client_name(saved):
    def change(s):
        client(s).name = "  "

    refused(saved, change, "name", "'  '")


def test_birthday_in_the_future(saved):
    future = TODAY + dt.timedelta(days=3)

    def change(s):
        client(s).birthday = future

    refused(saved, change, "birthday", future.isoformat())


def test_bad_email(saved):
    def change(s):
        client(s).email = "not-an-address"

    refused(saved, change, "email", "'not-an-address'")


def test_policy_ending_before_it_starts(saved):
    def change(s):
        p = client(s).policies[0]
        p.start_date = dt.date(2025, 1, 1)
        p.end_date = dt.date(2024, 1, 1)

    refused(saved, change, "end_date", "2024-01-01")


def test_non_positive_exchange_rate(saved):
    def change(s):
        client(s).snapshots[0].set_rate("USD", "CNY", Decimal("0"))

    refused(saved, change, "rate", "0")


def test_a_failed_change_leaves_earlier_work_in_the_same_action_unsaved(saved):
    """One unit of work: a rule broken late in an action rolls back the whole action."""

    def change(s):
        c = client(s)
        c.name = "新名字"
        s.flush()
        c.policies[0].sum_assured = Decimal("-1")

    refused(saved, change, "sum_assured", "-1")
    with saved.session() as s:
        assert client(s).name == "张伟"
