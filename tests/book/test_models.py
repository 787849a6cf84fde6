import datetime as dt
from decimal import Decimal

from sqlalchemy import select, text

from reviewdesk.book.enums import AssetClass, Channel, ClientRiskLevel, PolicyKind, Relation
from reviewdesk.book.models import (
    Client,
    Contact,
    FamilyMember,
    InsurancePolicy,
    RiskAssessment,
)
from tests import factories as f


def test_round_trip_keeps_decimal_amounts_and_chinese_text(book):
    with book.session() as s:
        c = f.client(
            name="欧阳娜娜",
            address="上海市浦东新区世纪大道100号 ‘引号’",
            annual_income=Decimal("1234567.89"),
            special_notes="母亲也是客户；勿透露",
        )
        c.set_tags(["喜欢新发基金", "有子女"])
        c.family.append(
            FamilyMember(name="欧阳子涵", relation=Relation.SON, birthday=dt.date(2015, 2, 28))
        )
        c.snapshots.append(
            f.snapshot(
                dt.date(2026, 3, 31),
                f.holding("招银理财 朝招金", "0.01"),
                f.holding("Apple Inc.", "98765432109.1234", "USD", AssetClass.STOCK),
                rates={("USD", "CNY"): "7.123456"},
            )
        )
        c.policies.append(
            InsurancePolicy(
                kind=PolicyKind.CRITICAL_ILLNESS,
                sum_assured=Decimal("500000"),
                annual_premium=Decimal("12345.67"),
            )
        )
        c.assessments.append(
            RiskAssessment(
                assessed_on=dt.date(2026, 1, 5),
                score=55,
                level=ClientRiskLevel.C3,
                valid_until=dt.date(2027, 1, 5),
                answers={"horizon": "5年"},
            )
        )
        c.contacts.append(
            Contact(contact_date=dt.date(2026, 4, 1), channel=Channel.MEETING, summary="面谈回顾")
        )
        s.add(c)
    with book.session() as s:
        c = s.scalar(select(Client))
        assert c.name == "欧阳娜娜"
        assert c.address.endswith("‘引号’")
        assert c.annual_income == Decimal("1234567.89")
        assert isinstance(c.annual_income, Decimal)
        assert set(c.tag_names) == {"有子女", "喜欢新发基金"}
        values = sorted(h.market_value for h in c.snapshots[0].holdings)
        assert values == [Decimal("0.01"), Decimal("98765432109.1234")]
        assert all(isinstance(v, Decimal) for v in values)
        assert c.snapshots[0].rate("USD", "CNY") == Decimal("7.123456")
        assert c.policies[0].annual_premium == Decimal("12345.67")
        assert c.assessments[0].answers == {"horizon": "5年"}
        assert c.contacts[0].channel is Channel.MEETING
        assert c.family[0].relation is Relation.SON


def test_money_is_stored_exactly_not_as_float(book):
    with book.session() as s:
        c = f.client()
        c.snapshots.append(
            f.snapshot(dt.date(2026, 1, 31), f.holding(value="0.1"), f.holding("B", value="0.2"))
        )
        s.add(c)
    with book.engine.connect() as conn:
        stored = conn.execute(text("SELECT market_value, typeof(market_value) FROM holding"))
        rows = sorted(stored.all())
    assert rows == [(1000, "integer"), (2000, "integer")]
    with book.session() as s:
        total = s.scalar(text("SELECT SUM(market_value) FROM holding"))
    assert total == 3000  # exactly 0.3000


def test_deleting_a_client_removes_their_records(book):
    with book.session() as s:
        c = f.client()
        c.snapshots.append(f.snapshot(dt.date(2026, 1, 31), f.holding()))
        s.add(c)
    with book.session() as s:
        s.delete(s.scalar(select(Client)))
    with book.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM holding")).scalar() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM snapshot")).scalar() == 0


def test_sqlite_book_uses_wal_and_foreign_keys(book):
    with book.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
