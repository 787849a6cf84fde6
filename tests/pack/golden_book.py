"""The fixed book behind the golden pages of the review pack.

Five clients chosen for what tends to break a layout: an ordinary Chinese client
with more than 1亿 in one asset class, a client reporting in JPY with about
¥5 billion, a client with 47 holdings in 9 currencies, a client whose name is
40 characters long, and a client with a Korean (Hangul) name holding KRW. The CNY and
JPY clients have flows (money in and out between reviews), the others none.

Everything is written out here: fixed dates, fixed values, no randomness and
nothing taken from the demo generator, so the pages change only when the pack
does. The book is made the way users have it (encrypted with a passphrase) and
filled through the book's own editing functions, the way the desk records a
review: the first snapshot is entered, each later one starts as a copy of the
previous (`new_snapshot_from_last`) and is then revalued, closed and added to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from reviewdesk.book.db import Book, open_book
from reviewdesk.book.editing import (
    add_record,
    create_client,
    delete_record,
    new_snapshot_from_last,
    save_assessment,
    update_fields,
)
from reviewdesk.book.enums import (
    AssetClass,
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
from reviewdesk.book.flows import record_flow
from reviewdesk.book.models import (
    Client,
    Contact,
    FamilyMember,
    FxRate,
    Holding,
    InsurancePolicy,
    Snapshot,
)
from reviewdesk.settings import save_setting

# The day every pack is judged from (expiry, maturities, contacts) and the review dates.
TODAY = dt.date(2026, 1, 20)
Q2, Q3, Q4 = dt.date(2025, 6, 30), dt.date(2025, 9, 30), dt.date(2025, 12, 31)
PASSPHRASE = "golden pages: correct horse battery staple"

SETTINGS = {
    "bank_name": "示例银行上海分行",
    "manager_name": "王晓东",
    "manager_phone": "021-6888 1234",
    "paper_size": "a4",
}

A = AssetClass
R1, R2, R3, R4, R5 = RiskLevel


@dataclass(frozen=True)
class Position:
    """One product across the review dates; a value of None: not held on that date."""

    name: str
    asset_class: AssetClass
    currency: str
    values: tuple[str | None, ...]
    code: str | None = None
    institution: str | None = None  # None: this bank
    risk: RiskLevel | None = R2
    maturity: dt.date | None = None
    principal: str | None = None
    held_since: dt.date | None = None


@dataclass(frozen=True)
class ClientSpec:
    key: str
    name: str
    currency: str
    profile: dict[str, Any]
    dates: tuple[dt.date, ...]
    rates: tuple[dict[tuple[str, str], str], ...]  # per review date
    positions: tuple[Position, ...]
    family: tuple[dict[str, Any], ...] = ()
    policies: tuple[dict[str, Any], ...] = ()  # "insured": a family member's name, or absent
    assessments: tuple[dict[str, Any], ...] = ()
    contacts: tuple[dict[str, Any], ...] = ()
    tags: tuple[str, ...] = field(default=())
    flows: tuple[dict[str, Any], ...] = ()  # record_flow's arguments: day, amount, kind...


def _answers(level: str) -> dict[str, str]:
    """Questionnaire answers stored with an assessment (the stored level and score rule)."""
    bold = level in ("C4", "C5")
    return {
        "age": "46_60",
        "income": "over_5m" if bold else "1m_5m",
        "savings_share": "25_50",
        "assets": "over_10m",
        "experience": "expert" if bold else "funds",
        "knowledge": "good" if bold else "some",
        "objective": "growth" if bold else "balanced",
        "horizon": "over_5",
        "loss": "30" if bold else "15",
        "reaction": "hold",
        "debt": "under_25",
    }


# 陈建国: an ordinary CNY client, but with 1.25亿 in wealth products at this bank.
CNY_CLIENT = ClientSpec(
    key="cny",
    name="陈建国",
    currency="CNY",
    profile=dict(
        language=Language.ZH,
        tier=Tier.KEY,
        birthday=dt.date(1971, 8, 16),
        occupation="企业主",
        employer="建国精密机械有限公司",
        annual_income=Decimal("3600000"),
        marital_status=MaritalStatus.MARRIED,
        phone="13901234567",
        email="chen.jianguo@example.com",
        address="上海市浦东新区世纪大道100号",
        hobbies="高尔夫、书法",
        contact_preferences="工作日午休时间电话联系",
    ),
    dates=(Q2, Q3, Q4),
    # Saving in, a transfer on a review date (it belongs to the period that review closes),
    # and money taken out.
    flows=(
        dict(day=dt.date(2025, 8, 15), amount=Decimal("500000"), kind=FlowKind.DEPOSIT),
        dict(day=Q3, amount=Decimal("1000000"), kind=FlowKind.TRANSFER_IN, note="年终奖金转入"),
        dict(day=dt.date(2025, 11, 10), amount=Decimal("-300000"), kind=FlowKind.WITHDRAWAL),
    ),
    rates=(
        {("USD", "CNY"): "7.1680", ("HKD", "CNY"): "0.9132"},
        {("USD", "CNY"): "7.1180", ("HKD", "CNY"): "0.9148"},
        {("USD", "CNY"): "7.0288", ("HKD", "CNY"): "0.9031"},
    ),
    positions=(
        Position("活期存款", A.CASH, "CNY", ("1860000.00", "2315000.00", "2904500.00"), risk=R1),
        Position(
            "大额存单 2024第3期",
            A.DEPOSIT,
            "CNY",
            ("10000000.00", "10082500.00", "10165000.00"),
            code="DE2403",
            risk=R1,
            maturity=dt.date(2026, 3, 15),
            principal="10000000.00",
            held_since=dt.date(2024, 3, 15),
        ),
        Position(
            "美元定期存款",
            A.DEPOSIT,
            "USD",
            ("500000.00", "503000.00", "506100.00"),
            risk=R1,
            maturity=dt.date(2026, 9, 30),
            principal="500000.00",
        ),
        Position(
            "朝招金 7天持有期",
            A.WEALTH_PRODUCT,
            "CNY",
            ("45000000.00", "45281000.00", "45563000.00"),
            code="ZZJ7",
            risk=R2,
            maturity=dt.date(2026, 2, 6),
        ),
        Position(
            "稳享固收增强 180天",
            A.WEALTH_PRODUCT,
            "CNY",
            ("78000000.00", "79170000.00", "80365000.00"),
            code="WX180",
            risk=R2,
            maturity=dt.date(2026, 4, 2),
            principal="78000000.00",
        ),
        Position(
            "易方达蓝筹精选混合",
            A.FUND,
            "CNY",
            ("3200000.00", "2918400.00", "3388000.00"),
            code="005827",
            risk=R4,
        ),
        Position(
            "华夏纯债债券A",
            A.FUND,
            "CNY",
            ("5000000.00", "5061000.00", "5102500.00"),
            code="000015",
            risk=R2,
            institution="招商银行",
        ),
        Position(
            "国开债 2027",
            A.BOND,
            "CNY",
            ("8000000.00", "8036000.00", None),
            code="180210",
            risk=R2,
            maturity=dt.date(2027, 6, 10),
        ),
        Position(
            "2025年记账式附息国债",
            A.BOND,
            "CNY",
            (None, None, "6000000.00"),
            code="019745",
            risk=R1,
            maturity=dt.date(2030, 11, 25),
        ),
        Position(
            "腾讯控股",
            A.STOCK,
            "HKD",
            ("2400000.00", "2880000.00", "2712000.00"),
            code="00700",
            risk=R5,
            institution="中信证券",
        ),
        Position(
            "自住房产", A.PROPERTY, "CNY", ("28000000.00", "28000000.00", "27500000.00"), risk=None
        ),
        Position(
            "住房按揭贷款",
            A.LOAN,
            "CNY",
            ("6800000.00", "6650000.00", "6498000.00"),
            risk=None,
            maturity=dt.date(2039, 5, 20),
        ),
    ),
    family=(
        dict(
            name="林美华",
            relation=Relation.SPOUSE,
            birthday=dt.date(1974, 2, 3),
            school_or_employer="华东医院",
            annual_income=Decimal("420000"),
        ),
        dict(
            name="陈思远",
            relation=Relation.SON,
            birthday=dt.date(2009, 10, 1),
            school_or_employer="上海外国语大学附属中学",
        ),
        dict(
            name="陈思涵",
            relation=Relation.DAUGHTER,
            birthday=dt.date(2014, 4, 22),
            school_or_employer="实验小学",
        ),
    ),
    policies=(
        dict(
            kind=PolicyKind.LIFE,
            insurer="中国平安",
            policy_number="P2019-003311",
            sum_assured=Decimal("10000000"),
            annual_premium=Decimal("86000"),
            payment_years=20,
            start_date=dt.date(2019, 5, 1),
        ),
        dict(
            kind=PolicyKind.CRITICAL_ILLNESS,
            insurer="友邦保险",
            sum_assured=Decimal("1000000"),
            annual_premium=Decimal("21000"),
            start_date=dt.date(2020, 1, 1),
        ),
        dict(
            kind=PolicyKind.MEDICAL,
            insurer="中国人寿",
            insured="林美华",
            sum_assured=Decimal("2000000"),
            annual_premium=Decimal("3200"),
            start_date=dt.date(2024, 7, 1),
            end_date=dt.date(2026, 6, 30),
        ),
        dict(
            kind=PolicyKind.ACCIDENT,
            insurer="太平洋保险",
            insured="陈思远",
            sum_assured=Decimal("500000"),
            annual_premium=Decimal("380"),
            start_date=dt.date(2024, 9, 1),
            end_date=dt.date(2025, 8, 31),
        ),
    ),
    assessments=(
        dict(assessed_on=dt.date(2024, 3, 2), level=ClientRiskLevel.C3, score=52),
        dict(assessed_on=dt.date(2025, 3, 10), level=ClientRiskLevel.C3, score=55),
    ),
    contacts=(
        dict(
            contact_date=dt.date(2025, 10, 12),
            channel=Channel.MEETING,
            summary="面谈回顾三季度资产配置，客户关注理财到期后的安排",
            shared=True,
            next_step="准备到期理财的续作方案",
            next_step_shared=True,
            next_step_due=dt.date(2026, 1, 31),
        ),
        dict(
            contact_date=dt.date(2025, 11, 28),
            channel=Channel.PHONE,
            summary="电话沟通子女教育金规划",
            next_step="下次面谈带教育金方案",
            next_step_due=dt.date(2026, 2, 15),
            feedback="认可上次推荐的债基表现",
            feedback_topic=FeedbackTopic.PRODUCT,
        ),
        dict(
            contact_date=dt.date(2026, 1, 8),
            channel=Channel.EMAIL,
            summary="发送年度资产回顾表",
            shared=True,
        ),
    ),
    tags=("企业主", "有子女"),
)

# 山田太郎: reports in JPY, about ¥5 billion.
JPY_CLIENT = ClientSpec(
    key="jpy",
    name="山田太郎",
    currency="JPY",
    profile=dict(
        language=Language.EN,
        tier=Tier.KEY,
        birthday=dt.date(1962, 11, 3),
        occupation="Company chairman",
        employer="Yamada Seiki K.K.",
        annual_income=Decimal("180000000"),
        income_currency="JPY",
        marital_status=MaritalStatus.MARRIED,
        email="t.yamada@example.jp",
        contact_preferences="Email first; meetings in Tokyo or Shanghai",
    ),
    dates=(Q3, Q4),
    flows=(dict(day=dt.date(2025, 11, 20), amount=Decimal("20000000"), kind=FlowKind.DEPOSIT),),
    rates=(
        {("USD", "JPY"): "148.20", ("CNY", "JPY"): "20.81"},
        {("USD", "JPY"): "156.70", ("CNY", "JPY"): "21.74"},
    ),
    positions=(
        Position("JPY ordinary deposit", A.CASH, "JPY", ("312000000", "286500000"), risk=R1),
        Position(
            "JPY time deposit 1Y",
            A.DEPOSIT,
            "JPY",
            ("900000000", "900000000"),
            risk=R1,
            maturity=dt.date(2026, 3, 31),
            principal="900000000",
        ),
        Position(
            "USD time deposit 6M",
            A.DEPOSIT,
            "USD",
            ("2000000.00", "2021500.00"),
            risk=R1,
            maturity=dt.date(2026, 2, 27),
            principal="2000000.00",
        ),
        Position(
            "JGB 10Y #372",
            A.BOND,
            "JPY",
            ("1800000000", "1779000000"),
            code="JGB372",
            risk=R1,
            maturity=dt.date(2033, 12, 20),
            institution="Nomura Securities",
        ),
        Position(
            "Toyota Motor Corp.",
            A.STOCK,
            "JPY",
            ("820000000", "905000000"),
            code="7203",
            risk=R5,
            institution="Nomura Securities",
        ),
        Position(
            "Sony Group Corp.",
            A.STOCK,
            "JPY",
            ("610000000", "574000000"),
            code="6758",
            risk=R5,
            institution="Nomura Securities",
        ),
        Position(
            "Global Equity Income Fund", A.FUND, "USD", (None, "1500000.00"), code="GEIF-A", risk=R4
        ),
        Position(
            "China Bond Fund (CNY)", A.FUND, "CNY", ("12000000.00", None), code="CBF01", risk=R2
        ),
        Position(
            "Shanghai apartment", A.PROPERTY, "CNY", ("18000000.00", "17600000.00"), risk=None
        ),
    ),
    family=(
        dict(
            name="山田花子",
            relation=Relation.SPOUSE,
            birthday=dt.date(1965, 5, 12),
            annual_income=Decimal("0"),
        ),
        dict(
            name="山田健一",
            relation=Relation.SON,
            birthday=dt.date(1993, 1, 25),
            school_or_employer="Yamada Seiki K.K.",
            annual_income=Decimal("14000000"),
        ),
    ),
    policies=(
        dict(
            kind=PolicyKind.LIFE,
            insurer="Nippon Life",
            currency="JPY",
            sum_assured=Decimal("300000000"),
            annual_premium=Decimal("4800000"),
            start_date=dt.date(2001, 4, 1),
        ),
        dict(
            kind=PolicyKind.MEDICAL,
            insurer="Tokio Marine",
            currency="JPY",
            sum_assured=Decimal("30000000"),
            annual_premium=Decimal("420000"),
            start_date=dt.date(2015, 4, 1),
        ),
        dict(
            kind=PolicyKind.ANNUITY,
            insurer="Dai-ichi Life",
            currency="USD",
            insured="山田花子",
            sum_assured=Decimal("1000000"),
            annual_premium=Decimal("50000"),
            start_date=dt.date(2018, 10, 1),
        ),
    ),
    assessments=(
        dict(assessed_on=dt.date(2024, 11, 10), level=ClientRiskLevel.C4, score=71),
    ),  # expired on 2025-11-10
    contacts=(
        dict(
            contact_date=dt.date(2025, 10, 30),
            channel=Channel.MEETING,
            summary="Annual review in Tokyo; prefers to keep the JGB ladder",
            shared=True,
            next_step="Renew the risk assessment",
            next_step_shared=True,
            next_step_due=dt.date(2026, 1, 31),
        ),
        dict(
            contact_date=dt.date(2025, 12, 19),
            channel=Channel.EMAIL,
            summary="Sent the global equity income fund factsheet",
            next_step="Discuss the USD deposit maturing in February",
            next_step_due=dt.date(2026, 2, 20),
        ),
    ),
)


def _many_positions() -> tuple[Position, ...]:
    """47 holdings in 9 currencies at the latest review (two new; two closed since)."""
    rows = [
        # (name, class, currency, code, risk, institution)
        ("HKD savings", A.CASH, "HKD", None, R1, None),
        ("HKD time deposit 3M", A.DEPOSIT, "HKD", None, R1, None),
        ("HKD time deposit 12M", A.DEPOSIT, "HKD", None, R1, "Hang Seng Bank"),
        ("Tencent Holdings", A.STOCK, "HKD", "00700", R5, None),
        ("HSBC Holdings", A.STOCK, "HKD", "00005", R4, None),
        ("AIA Group", A.STOCK, "HKD", "01299", R4, "Futu Securities"),
        ("Hong Kong Exchanges", A.STOCK, "HKD", "00388", R5, "Futu Securities"),
        ("USD savings", A.CASH, "USD", None, R1, None),
        ("USD time deposit 6M", A.DEPOSIT, "USD", None, R1, None),
        ("US Treasury 4.25% 2029", A.BOND, "USD", "UST29", R2, None),
        ("US Treasury 3.875% 2034", A.BOND, "USD", "UST34", R2, "Interactive Brokers"),
        ("Apple Inc.", A.STOCK, "USD", "AAPL", R5, "Interactive Brokers"),
        ("Microsoft Corp.", A.STOCK, "USD", "MSFT", R5, "Interactive Brokers"),
        ("Global Equity Fund", A.FUND, "USD", "HSBCGE", R4, None),
        ("Asia High Yield Bond Fund", A.FUND, "USD", "AHYB", R3, None),
        ("USD money market fund", A.FUND, "USD", "USDMM", R1, None),
        ("CNY time deposit", A.DEPOSIT, "CNY", None, R1, None),
        ("易方达蓝筹精选混合", A.FUND, "CNY", "005827", R4, None),
        ("华夏纯债债券A", A.FUND, "CNY", "000015", R2, "招商银行"),
        ("国开债 2027", A.BOND, "CNY", "180210", R2, None),
        ("Kweichow Moutai", A.STOCK, "CNY", "600519", R5, "中信证券"),
        ("EUR time deposit", A.DEPOSIT, "EUR", None, R1, None),
        ("Bund 2.5% 2035", A.BOND, "EUR", "DE35", R1, None),
        ("ASML Holding", A.STOCK, "EUR", "ASML", R5, "Interactive Brokers"),
        ("European Dividend Fund", A.FUND, "EUR", "EUDIV", R4, None),
        ("LVMH", A.STOCK, "EUR", "MC", R5, "Interactive Brokers"),
        ("GBP time deposit", A.DEPOSIT, "GBP", None, R1, None),
        ("UK Gilt 4% 2031", A.BOND, "GBP", "UKT31", R1, None),
        ("Unilever plc", A.STOCK, "GBP", "ULVR", R4, "Hargreaves Lansdown"),
        ("UK Equity Income Fund", A.FUND, "GBP", "UKEI", R4, None),
        ("London flat", A.PROPERTY, "GBP", None, None, "Own"),
        ("JPY deposit", A.DEPOSIT, "JPY", None, R1, None),
        ("Toyota Motor Corp.", A.STOCK, "JPY", "7203", R5, "Nomura Securities"),
        ("Japan Equity Fund", A.FUND, "JPY", "JPEQ", R4, None),
        ("SGD time deposit", A.DEPOSIT, "SGD", None, R1, None),
        ("DBS Group", A.STOCK, "SGD", "D05", R4, "DBS Vickers"),
        ("Singapore Savings Bond", A.BOND, "SGD", "SSB25", R1, None),
        ("Singapore REIT Fund", A.FUND, "SGD", "SGREIT", R3, None),
        ("AUD term deposit", A.DEPOSIT, "AUD", None, R1, None),
        ("BHP Group", A.STOCK, "AUD", "BHP", R5, "CommSec"),
        ("Australian Bond Fund", A.FUND, "AUD", "AUBF", R2, None),
        ("Sydney apartment", A.PROPERTY, "AUD", None, None, "Own"),
        ("CHF time deposit", A.DEPOSIT, "CHF", None, R1, None),
        ("Nestlé SA", A.STOCK, "CHF", "NESN", R4, "UBS"),
        ("Swiss Franc Bond Fund", A.FUND, "CHF", "CHFBF", R2, None),
        # closed before the latest review
        ("Alibaba Group", A.STOCK, "HKD", "09988", R5, "Futu Securities"),
        ("EUR structured note (gold)", A.WEALTH_PRODUCT, "EUR", "SN-AU", R3, None),
        # new at the latest review
        ("Gold-linked deposit", A.WEALTH_PRODUCT, "USD", "GLD-D", R3, None),
        ("Nvidia Corp.", A.STOCK, "USD", "NVDA", R5, "Interactive Brokers"),
    ]
    scale = {
        "HKD": 1,
        "USD": Decimal("0.128"),
        "CNY": Decimal("0.92"),
        "EUR": Decimal("0.118"),
        "GBP": Decimal("0.10"),
        "JPY": 20,
        "SGD": Decimal("0.172"),
        "AUD": Decimal("0.195"),
        "CHF": Decimal("0.113"),
    }
    positions = []
    for i, (name, cls, currency, code, risk, institution) in enumerate(rows):
        hkd = Decimal(120_000 + (i * 7_919) % 2_300_000)  # size in HKD, spread by a fixed rule
        if cls is A.PROPERTY:
            hkd *= 6
        first = (hkd * scale[currency]).quantize(Decimal(100))
        move = Decimal(10_000 + ((i * 37) % 17 - 8) * 125) / Decimal(10_000)  # -10% .. +10%
        second = (first * move).quantize(Decimal("0.01"))
        third = (second * (2 - move) + Decimal(i * 13)).quantize(Decimal("0.01"))
        values: tuple[str | None, ...] = (str(first), str(second), str(third))
        if i in (45, 46):
            values = (str(first), str(second), None)
        elif i in (47, 48):
            values = (None, None, str(third))
        maturity = None
        if cls in (A.DEPOSIT, A.BOND, A.WEALTH_PRODUCT):
            maturity = dt.date(2026, 1 + i % 12, 1 + (i * 3) % 28)
        positions.append(
            Position(
                name,
                cls,
                currency,
                values,
                code=code,
                institution=institution,
                risk=risk,
                maturity=maturity,
            )
        )
    return tuple(positions)


def _many_rates(shift: int) -> dict[tuple[str, str], str]:
    base = {
        "USD": "7.8050",
        "CNY": "1.0860",
        "EUR": "8.4510",
        "GBP": "9.8520",
        "JPY": "0.05210",
        "SGD": "5.8040",
        "AUD": "5.1030",
        "CHF": "8.9070",
    }
    factor = Decimal(10_000 + shift) / Decimal(10_000)
    return {(c, "HKD"): str((Decimal(r) * factor).quantize(Decimal(r))) for c, r in base.items()}


# Olivia Harris: 47 holdings in 9 currencies, reporting in HKD.
MANY_CLIENT = ClientSpec(
    key="many",
    name="Olivia Harris",
    currency="HKD",
    profile=dict(
        language=Language.EN,
        tier=Tier.KEY,
        birthday=dt.date(1978, 6, 9),
        occupation="Fund manager",
        employer="Harbour Capital",
        annual_income=Decimal("6500000"),
        marital_status=MaritalStatus.MARRIED,
        email="olivia.harris@example.com",
    ),
    dates=(Q2, Q3, Q4),
    rates=(_many_rates(0), _many_rates(-35), _many_rates(48)),
    positions=_many_positions(),
    family=(
        dict(
            name="Daniel Harris",
            relation=Relation.SPOUSE,
            birthday=dt.date(1976, 2, 14),
            school_or_employer="Harris Architects",
            annual_income=Decimal("2400000"),
        ),
        dict(
            name="Grace Harris",
            relation=Relation.DAUGHTER,
            birthday=dt.date(2011, 9, 5),
            school_or_employer="Island School",
        ),
    ),
    policies=(
        dict(
            kind=PolicyKind.LIFE,
            insurer="AIA",
            currency="HKD",
            sum_assured=Decimal("20000000"),
            annual_premium=Decimal("96000"),
            start_date=dt.date(2012, 3, 1),
        ),
        dict(
            kind=PolicyKind.MEDICAL,
            insurer="Bupa",
            currency="HKD",
            sum_assured=Decimal("5000000"),
            annual_premium=Decimal("38000"),
            start_date=dt.date(2016, 1, 1),
        ),
        dict(
            kind=PolicyKind.CRITICAL_ILLNESS,
            insurer="Prudential",
            currency="USD",
            insured="Daniel Harris",
            sum_assured=Decimal("250000"),
            annual_premium=Decimal("4200"),
            start_date=dt.date(2019, 6, 1),
        ),
    ),
    assessments=(dict(assessed_on=dt.date(2025, 7, 15), level=ClientRiskLevel.C4, score=74),),
    contacts=(
        dict(
            contact_date=dt.date(2025, 11, 3),
            channel=Channel.MEETING,
            summary="Reviewed currency mix; wants less in EUR",
            shared=True,
            next_step="Propose a plan to cut EUR exposure",
            next_step_shared=True,
            next_step_due=dt.date(2026, 2, 28),
        ),
        dict(
            contact_date=dt.date(2026, 1, 9),
            channel=Channel.CHAT,
            summary="Asked about the gold-linked deposit",
        ),
    ),
)

# A name of exactly 40 characters, in a pack that must still fit it on every page.
LONG_NAME = "Alexandra Catherine Montgomery-Whitfield"
assert len(LONG_NAME) == 40

LONG_CLIENT = ClientSpec(
    key="long",
    name=LONG_NAME,
    currency="USD",
    profile=dict(
        language=Language.EN,
        tier=Tier.STANDARD,
        birthday=dt.date(1985, 12, 1),
        occupation="Partner",
        employer="Montgomery-Whitfield & Associates LLP",
        annual_income=Decimal("850000"),
        marital_status=MaritalStatus.SINGLE,
    ),
    dates=(Q3, Q4),
    rates=(
        {("CNY", "USD"): "0.1405", ("HKD", "USD"): "0.1284"},
        {("CNY", "USD"): "0.1423", ("HKD", "USD"): "0.1286"},
    ),
    positions=(
        Position("USD savings", A.CASH, "USD", ("84000.00", "91250.00"), risk=R1),
        Position(
            "US Treasury 4.25% 2029",
            A.BOND,
            "USD",
            ("500000.00", "503500.00"),
            code="UST29",
            risk=R2,
            maturity=dt.date(2029, 11, 15),
        ),
        Position(
            "Montgomery-Whitfield Family Sustainable Global Equity Fund",
            A.FUND,
            "USD",
            ("320000.00", "341760.00"),
            code="MWSGE",
            risk=R4,
        ),
        Position(
            "CNY structured deposit",
            A.WEALTH_PRODUCT,
            "CNY",
            ("1000000.00", None),
            code="SD-CN",
            risk=R3,
        ),
        Position(
            "HKD time deposit",
            A.DEPOSIT,
            "HKD",
            (None, "800000.00"),
            risk=R1,
            maturity=dt.date(2026, 3, 2),
            principal="800000.00",
        ),
        Position(
            "Apple Inc.",
            A.STOCK,
            "USD",
            ("150000.00", "162300.00"),
            code="AAPL",
            risk=R5,
            institution="Charles Schwab",
        ),
    ),
    family=(
        dict(
            name="Elizabeth Victoria Montgomery-Whitfield",
            relation=Relation.MOTHER,
            birthday=dt.date(1955, 4, 18),
        ),
    ),
    policies=(
        dict(
            kind=PolicyKind.LIFE,
            insurer="MetLife",
            currency="USD",
            sum_assured=Decimal("2000000"),
            annual_premium=Decimal("3600"),
            start_date=dt.date(2020, 2, 1),
        ),
        dict(
            kind=PolicyKind.MEDICAL,
            insurer="Cigna",
            currency="USD",
            insured="Elizabeth Victoria Montgomery-Whitfield",
            sum_assured=Decimal("500000"),
            annual_premium=Decimal("7200"),
            start_date=dt.date(2022, 1, 1),
        ),
    ),
    assessments=(dict(assessed_on=dt.date(2025, 9, 1), level=ClientRiskLevel.C3, score=58),),
    contacts=(
        dict(
            contact_date=dt.date(2025, 12, 5),
            channel=Channel.PHONE,
            summary="Quarterly call; happy with the treasury holding",
            shared=True,
            next_step="Send the HKD deposit rollover options",
            next_step_shared=True,
            next_step_due=dt.date(2026, 2, 20),
        ),
    ),
)

# 김민준: a Korean client reporting in KRW, Hangul names for the family and some products.
HANGUL_CLIENT = ClientSpec(
    key="hangul",
    name="김민준",
    currency="KRW",
    profile=dict(
        language=Language.ZH,
        tier=Tier.STANDARD,
        birthday=dt.date(1980, 3, 14),
        occupation="工程师",
        employer="삼성전자 上海研发中心",
        annual_income=Decimal("185000000"),
        marital_status=MaritalStatus.MARRIED,
        contact_preferences="微信或邮件",
    ),
    dates=(Q2, Q4),
    rates=(
        {("CNY", "KRW"): "190.35", ("USD", "KRW"): "1365.20"},
        {("CNY", "KRW"): "205.48", ("USD", "KRW"): "1444.30"},
    ),
    positions=(
        Position(
            "KB국민은행 정기예금",
            A.DEPOSIT,
            "KRW",
            ("300000000", "300000000"),
            risk=R1,
            institution="KB국민은행",
            maturity=dt.date(2026, 2, 10),
            principal="300000000",
        ),
        Position(
            "삼성전자",
            A.STOCK,
            "KRW",
            ("412000000", "538500000"),
            code="005930",
            risk=R5,
            institution="미래에셋증권",
        ),
        Position(
            "인민폐 定期存款",
            A.DEPOSIT,
            "CNY",
            ("1500000.00", "1512000.00"),
            risk=R1,
            maturity=dt.date(2026, 6, 30),
        ),
        Position(
            "易方达蓝筹精选混合", A.FUND, "CNY", ("600000.00", "655800.00"), code="005827", risk=R4
        ),
        Position(
            "US Treasury 4.25% 2029",
            A.BOND,
            "USD",
            (None, "200000.00"),
            code="UST29",
            risk=R2,
            maturity=dt.date(2029, 11, 15),
        ),
        Position("서울 아파트", A.PROPERTY, "KRW", ("1450000000", "1520000000"), risk=None),
        Position("주택담보대출", A.LOAN, "KRW", ("520000000", "498000000"), risk=None),
    ),
    family=(
        dict(
            name="이서연",
            relation=Relation.SPOUSE,
            birthday=dt.date(1983, 7, 7),
            school_or_employer="上海韩国学校",
            annual_income=Decimal("48000000"),
        ),
        dict(
            name="김하준",
            relation=Relation.SON,
            birthday=dt.date(2015, 5, 5),
            school_or_employer="上海韩国学校",
        ),
    ),
    policies=(
        dict(
            kind=PolicyKind.LIFE,
            insurer="삼성생명",
            currency="KRW",
            sum_assured=Decimal("500000000"),
            annual_premium=Decimal("6000000"),
            start_date=dt.date(2012, 5, 1),
        ),
        dict(
            kind=PolicyKind.CRITICAL_ILLNESS,
            insurer="中国平安",
            currency="CNY",
            insured="이서연",
            sum_assured=Decimal("500000"),
            annual_premium=Decimal("9800"),
            start_date=dt.date(2021, 3, 1),
        ),
    ),
    assessments=(dict(assessed_on=dt.date(2025, 4, 20), level=ClientRiskLevel.C2, score=38),),
    contacts=(
        dict(
            contact_date=dt.date(2025, 12, 22),
            channel=Channel.MEETING,
            summary="面谈：讨论三星电子持仓集中度",
            shared=True,
            next_step="提供分散投资方案",
            next_step_shared=True,
            next_step_due=dt.date(2026, 1, 30),
        ),
    ),
)

CLIENTS: tuple[ClientSpec, ...] = (CNY_CLIENT, JPY_CLIENT, MANY_CLIENT, LONG_CLIENT, HANGUL_CLIENT)


def _set_rates(session: Session, snapshot_id: int, rates: dict[tuple[str, str], str]) -> None:
    snapshot = session.get(Snapshot, snapshot_id)
    existing = {(r.from_currency, r.to_currency): r.id for r in snapshot.rates}
    for (src, dst), rate in sorted(rates.items()):
        if (src, dst) in existing:
            update_fields(session, FxRate, existing[(src, dst)], {"rate": Decimal(rate)})
        else:
            add_record(
                session,
                FxRate,
                {
                    "snapshot_id": snapshot_id,
                    "from_currency": src,
                    "to_currency": dst,
                    "rate": Decimal(rate),
                },
            )


def _holding_values(position: Position, value: str) -> dict[str, Any]:
    return {
        "product_name": position.name,
        "product_code": position.code,
        "asset_class": position.asset_class,
        "institution": position.institution,
        "currency": position.currency,
        "market_value": Decimal(value),
        "principal": Decimal(position.principal) if position.principal else None,
        "held_since": position.held_since,
        "maturity_date": position.maturity,
        "risk_level": position.risk,
    }


def add_client(session: Session, spec: ClientSpec) -> int:
    """Enter one client as the desk does; returns the client's id."""
    client_id = create_client(session, spec.name, spec.currency)
    update_fields(session, Client, client_id, {**spec.profile, "tags": list(spec.tags)})
    members = {}
    for member in spec.family:
        members[member["name"]] = add_record(
            session, FamilyMember, {"client_id": client_id, **member}
        )
    for index, day in enumerate(spec.dates):
        if index == 0:
            snapshot_id = add_record(
                session, Snapshot, {"client_id": client_id, "review_date": day}
            )
        else:
            snapshot_id = new_snapshot_from_last(session, client_id, day)
        copied = {h.product_name: h.id for h in session.get(Snapshot, snapshot_id).holdings}
        for position in spec.positions:
            value = position.values[index]
            if position.name in copied:
                if value is None:
                    delete_record(session, Holding, copied[position.name])
                else:
                    update_fields(
                        session, Holding, copied[position.name], {"market_value": Decimal(value)}
                    )
            elif value is not None:
                add_record(
                    session,
                    Holding,
                    {"snapshot_id": snapshot_id, **_holding_values(position, value)},
                )
        _set_rates(session, snapshot_id, spec.rates[index])
    for flow in spec.flows:
        record_flow(session, client_id, today=TODAY, **flow)
    for policy in spec.policies:
        values = {k: v for k, v in policy.items() if k != "insured"}
        if "insured" in policy:
            values["insured_member_id"] = members[policy["insured"]]
        add_record(session, InsurancePolicy, {"client_id": client_id, **values})
    for assessment in spec.assessments:
        on = assessment["assessed_on"]
        save_assessment(
            session,
            client_id,
            on,
            _answers(assessment["level"].value),
            assessment["score"],
            assessment["level"],
            on.replace(year=on.year + 1),
        )
    for contact in spec.contacts:
        add_record(session, Contact, {"client_id": client_id, **contact})
    return client_id


def build_golden_book(path: Path) -> tuple[Book, dict[str, int]]:
    """Make the encrypted golden book at `path` (a new file); the open book and client ids."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path}: the golden book is made in a new file")
    book = open_book(str(path), passphrase=PASSPHRASE)
    try:
        ids = {}
        with book.session() as session:
            for key, value in SETTINGS.items():
                save_setting(session, key, value)
            for spec in CLIENTS:
                ids[spec.key] = add_client(session, spec)
    except BaseException:
        book.close()
        raise
    return book, ids
