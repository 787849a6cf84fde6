"""A small book with every field a user can set, and its rows field by field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Table, select

from reviewdesk.book.enums import (
    AssetClass,
    Cadence,
    Channel,
    ClientRiskLevel,
    FeedbackTopic,
    FlowKind,
    Language,
    MaritalStatus,
    PolicyKind,
    Relation,
    RiskLevel,
    Tier,
)
from reviewdesk.book.models import (
    BenchmarkChoice,
    BenchmarkLevel,
    Client,
    ClientTag,
    Contact,
    FamilyMember,
    Flow,
    FxRate,
    Holding,
    InsurancePolicy,
    RiskAssessment,
    Snapshot,
)

MARCH, JUNE = dt.date(2026, 3, 31), dt.date(2026, 6, 30)


def fill(session, *, twice: bool = True) -> None:
    """Two clients; every user field of every exported record set, some twice over (two
    positions of one product told apart by account number, a contact recorded twice)."""
    wang = Client(
        code="K1",
        name="王建国",
        phone="13800138000",
        email="wang@example.com",
        id_number="110101197001011234",
        address="北京市朝阳区建国路1号",
        birthday=dt.date(1970, 1, 1),
        occupation="工程师",
        employer="某公司",
        hobbies="高尔夫",
        annual_income=Decimal("1200000.50"),
        income_currency="HKD",
        marital_status=MaritalStatus.MARRIED,
        tier=Tier.KEY,
        review_cadence=Cadence.QUARTERLY,
        contact_cadence_days=45,
        report_currency="CNY",
        language=Language.EN,
        contact_preferences="微信，晚上",
        special_notes="对费用敏感",
    )
    wang.set_tags(["高净值", "退休规划"])
    son = FamilyMember(
        name="王小明",
        relation=Relation.SON,
        birthday=dt.date(2005, 5, 5),
        school_or_employer="北京大学",
        annual_income=Decimal("1000"),
        income_currency="USD",
    )
    wang.family.append(son)
    for day, hkd in ((MARCH, "0.9180"), (JUNE, "0.9200")):
        snap = Snapshot(review_date=day, note=f"{day.isoformat()} 面谈时确认")
        for account, since, value in (
            ("6222 0000 1111 2222", dt.date(2024, 1, 5), "100000.00"),
            ("6222 0000 3333 4444", dt.date(2025, 2, 6), "50000.00"),
        ):
            snap.holdings.append(
                Holding(
                    product_name="港币定期",
                    product_code="HKTD1",
                    account_number=account,
                    asset_class=AssetClass.DEPOSIT,
                    institution=None,
                    currency="HKD",
                    market_value=Decimal(value),
                    principal=Decimal(value),
                    held_since=since,
                    maturity_date=dt.date(2027, 1, 5),
                    risk_level=RiskLevel.R1,
                )
            )
        snap.holdings.append(
            Holding(
                product_name="Apple",
                product_code="AAPL",
                asset_class=AssetClass.STOCK,
                institution="某证券",
                currency="CNY",
                market_value=Decimal("12345.6789"),
                risk_level=RiskLevel.R4,
            )
        )
        snap.set_rate("HKD", "CNY", Decimal(hkd))
        wang.snapshots.append(snap)
    wang.policies.append(
        InsurancePolicy(
            kind=PolicyKind.CRITICAL_ILLNESS,
            insured_member=son,
            insurer="平安",
            policy_number="P-2026-000123",
            sum_assured=Decimal("500000"),
            annual_premium=Decimal("12000"),
            payment_years=20,
            start_date=dt.date(2020, 1, 1),
            end_date=dt.date(2070, 1, 1),
            currency="CNY",
        )
    )
    wang.assessments.append(
        RiskAssessment(
            assessed_on=dt.date(2025, 6, 1),
            answers={"horizon_years": 5},
            score=62,
            level=ClientRiskLevel.C3,
            valid_until=dt.date(2026, 6, 1),
        )
    )
    for _ in range(
        2 if twice else 1
    ):  # the book takes the same contact twice; so must its workbook
        wang.contacts.append(
            Contact(contact_date=dt.date(2026, 2, 23), channel=Channel.SMS, summary="生日祝福")
        )
    wang.contacts.append(
        Contact(
            contact_date=dt.date(2026, 3, 1),
            channel=Channel.MEETING,
            summary="回顾资产配置",
            next_step="寄送方案",
            feedback="希望降低费用",
            feedback_topic=FeedbackTopic.SERVICE,
            shared=True,
            next_step_shared=True,
            next_step_due=dt.date(2026, 3, 10),
            next_step_done=dt.date(2026, 3, 9),
        )
    )
    wang.flows.append(
        Flow(
            flow_date=dt.date(2026, 2, 1),
            amount=Decimal("-2695265.94"),
            currency="HKD",
            rate=Decimal("0.9150"),
            to_currency="USD",  # the report currency when it was recorded
            kind=FlowKind.WITHDRAWAL,
            holding="港币定期",
            note="购房",
        )
    )
    li = Client(code="K2", name="李娜", report_currency="HKD")
    session.add_all([wang, li])
    session.add(BenchmarkLevel(name="CSI 300", level_date=MARCH, level=Decimal("3900.10")))
    session.add(BenchmarkLevel(name="CSI 300", level_date=JUNE, level=Decimal("3950.5")))
    session.add(BenchmarkLevel(name="HSI", level_date=JUNE, level=Decimal("18000")))
    session.flush()
    session.add(BenchmarkChoice(client_id=wang.id, benchmark="CSI 300", blend="HSI", weight=60))
    session.add(BenchmarkChoice(risk_level=ClientRiskLevel.C3, benchmark="CSI 300"))


_SKIP = {"id", "version", "created_at", "updated_at"}


def _text(value: object) -> object:
    """Exact: a Decimal by its text (0.9180 is not 0.918)."""
    return str(value) if isinstance(value, Decimal) else value


def rows(book) -> dict[str, list[tuple]]:
    """Every record's every field, its references by the client's code (and the snapshot's
    date, the insured's name), sorted: two books with the same rows hold the same."""
    out: dict[str, list[tuple]] = {}
    with book.session() as s:
        codes = dict(s.execute(select(Client.id, Client.code)).all())
        snaps = {
            i: (codes[c], d)
            for i, c, d in s.execute(select(Snapshot.id, Snapshot.client_id, Snapshot.review_date))
        }
        names = dict(s.execute(select(FamilyMember.id, FamilyMember.name)).all())
        for model in (
            Client,
            ClientTag,
            FamilyMember,
            Snapshot,
            Holding,
            FxRate,
            InsurancePolicy,
            RiskAssessment,
            Contact,
            Flow,
            BenchmarkLevel,
            BenchmarkChoice,
        ):
            table = model.__table__
            assert isinstance(table, Table)
            columns = [c for c in table.columns if c.key not in _SKIP]
            found = []
            for row in s.execute(select(*columns)).mappings():
                values = dict(row)
                if model in (Holding, FxRate):
                    values.pop("client_id")
                    values["snapshot_id"] = snaps[values["snapshot_id"]]
                elif "client_id" in values:
                    values["client_id"] = codes.get(values["client_id"])
                if "insured_member_id" in values:
                    values["insured_member_id"] = names.get(values["insured_member_id"])
                found.append(tuple((k, _text(v)) for k, v in sorted(values.items())))
            out[table.name] = sorted(found, key=repr)
    return out
