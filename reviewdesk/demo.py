"""A deterministic, realistic demo book.

The same seed and the same as-of date always give the same book. Values move
by a seeded random walk; a few clients have expired risk assessments and
holdings above their risk level, as a real book does.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from reviewdesk.book import audit
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
from reviewdesk.book.errors import BookError
from reviewdesk.book.models import (
    BenchmarkChoice,
    BenchmarkLevel,
    Client,
    Contact,
    FamilyMember,
    Flow,
    FxRate,
    Holding,
    InsurancePolicy,
    RiskAssessment,
    Snapshot,
)
from reviewdesk.money import CENT
from reviewdesk.review.cadence import add_months, review_cadence
from reviewdesk.settings import Settings, load_settings
from reviewdesk.valuation import to_report

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
# The given names are drawn as an index into GIVEN (the draws after them stay as they
# were) and read as a man's or a woman's name: a son is not called 浩国 and a daughter not
# 雨强, and a wife's name is a woman's.
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英文华建国志红玉梅晓东海燕子涵浩然雨欣思远嘉怡宇轩梓萱一鸣佳琪俊杰"
MALE_GIVEN = "伟强磊军勇杰涛明超刚建国志东海浩宇轩鸣俊远峰斌鹏辉"
FEMALE_GIVEN = "芳娜秀英敏静丽艳娟兰霞桂红玉梅燕涵欣怡萱琪雪婷莉倩"
# A man's name, then a woman's, in turn: an even index is a man's.
EN_FIRST = [
    "James",
    "Emily",
    "Michael",
    "Sophia",
    "David",
    "Olivia",
    "Daniel",
    "Grace",
    "Henry",
    "Chloe",
    "William",
    "Hannah",
    "Thomas",
    "Lucy",
    "Andrew",
    "Alice",
]
EN_LAST = [
    "Chan",
    "Wong",
    "Lee",
    "Cheung",
    "Smith",
    "Taylor",
    "Brown",
    "Ng",
    "Lam",
    "Ho",
    "Johnson",
    "Tan",
    "Lim",
    "Walker",
    "Harris",
    "Clarke",
]
CITIES = [
    ("上海市", ["浦东新区世纪大道", "徐汇区漕溪北路", "静安区南京西路", "长宁区虹桥路"]),
    ("北京市", ["朝阳区建国路", "海淀区中关村大街", "西城区金融大街"]),
    ("深圳市", ["南山区科技园", "福田区深南大道", "罗湖区人民南路"]),
    ("杭州市", ["西湖区文三路", "滨江区江南大道"]),
    ("广州市", ["天河区珠江新城", "越秀区环市东路"]),
]
# (occupation, employer); no employer for the retired.
OCCUPATIONS: list[tuple[str, str | None]] = [
    ("企业主", "自营贸易公司"),
    ("医生", "市第一人民医院"),
    ("工程师", "华为技术有限公司"),
    ("教师", "实验中学"),
    ("律师", "金杜律师事务所"),
    ("财务总监", "远洋集团"),
    ("公务员", "区税务局"),
    ("设计师", "独立工作室"),
    ("销售总监", "汽车销售公司"),
    ("退休", None),
    ("大学教授", "复旦大学"),
    ("投资人", "个人投资"),
]
EN_OCCUPATIONS: list[tuple[str, str | None]] = [
    ("Engineer", "Siemens"),
    ("Consultant", "McKinsey"),
    ("Doctor", "Parkway Hospital"),
    ("Entrepreneur", "Own trading company"),
    ("Architect", "Foster + Partners"),
]
HOBBIES = [
    "高尔夫",
    "摄影",
    "旅行",
    "书法",
    "茶艺",
    "马拉松",
    "钢琴",
    "收藏",
    "游泳",
    "登山",
    "读书会",
]
TAGS = [
    "喜欢新发基金",
    "有子女",
    "工作时间勿电话",
    "高净值潜力",
    "退休规划",
    "海外资产",
    "偏好短信",
    "关注教育金",
    "企业主",
]
BANKS = ["招商银行", "工商银行", "建设银行", "汇丰银行"]
SECURITIES = ["中信证券", "平安证券"]
OTHER_BANKS = BANKS + SECURITIES
INSURERS = ["中国平安", "中国人寿", "友邦保险", "太平洋保险", "泰康人寿"]
# Where a child studies, by age: kindergarten (3-5), primary school (6-11), secondary
# school (12-17), university (18-22); older children work. The choice is one draw from
# SCHOOL_DRAW, the range it was always drawn from, so the draws after it stay as they were.
SCHOOL_DRAW = 7
SCHOOLS: dict[Language, tuple[list[str], list[str], list[str], list[str]]] = {
    Language.ZH: (
        ["实验幼儿园", "阳光幼儿园"],
        ["实验小学", "外国语小学", "国际学校"],
        ["外国语中学", "实验中学", "国际学校"],
        ["复旦大学", "上海交通大学", "浙江大学", "华东师范大学"],
    ),
    Language.EN: (
        ["Little Oak Kindergarten", "Dulwich College Kindergarten"],
        ["Shanghai American School", "Dulwich College", "British International School"],
        ["Shanghai American School", "Dulwich College", "British International School"],
        ["University of Hong Kong", "University of Toronto", "New York University Shanghai"],
    ),
}

# (asset class, name, code, currency, risk, other institution possible, has maturity)
PRODUCTS: list[tuple[AssetClass, str, str | None, str, RiskLevel | None, bool, bool]] = [
    (AssetClass.DEPOSIT, "三年期定期存款", None, "CNY", RiskLevel.R1, True, True),
    (AssetClass.DEPOSIT, "大额存单 2024第3期", "DE2403", "CNY", RiskLevel.R1, True, True),
    (AssetClass.DEPOSIT, "美元定期存款", None, "USD", RiskLevel.R1, True, True),
    (AssetClass.CASH, "活期存款", None, "CNY", RiskLevel.R1, True, False),
    (AssetClass.CASH, "港币活期", None, "HKD", RiskLevel.R1, True, False),
    (AssetClass.FUND, "易方达蓝筹精选混合", "005827", "CNY", RiskLevel.R4, True, False),
    (AssetClass.FUND, "招商中证白酒指数", "161725", "CNY", RiskLevel.R4, True, False),
    (AssetClass.FUND, "华夏纯债债券A", "000015", "CNY", RiskLevel.R2, True, False),
    (AssetClass.FUND, "南方天天利货币B", "003474", "CNY", RiskLevel.R1, True, False),
    (AssetClass.FUND, "富国天惠成长混合", "161005", "CNY", RiskLevel.R3, True, False),
    (AssetClass.FUND, "中欧医疗健康混合A", "003095", "CNY", RiskLevel.R4, True, False),
    (AssetClass.FUND, "HSBC Global Equity Fund", "HSBCGE", "USD", RiskLevel.R4, True, False),
    (AssetClass.BOND, "2025年记账式附息国债", "019745", "CNY", RiskLevel.R1, False, True),
    (AssetClass.BOND, "国开债 2027", "180210", "CNY", RiskLevel.R2, False, True),
    (AssetClass.BOND, "US Treasury 4.25% 2029", "UST29", "USD", RiskLevel.R2, True, True),
    (AssetClass.STOCK, "贵州茅台", "600519", "CNY", RiskLevel.R5, True, False),
    (AssetClass.STOCK, "腾讯控股", "00700", "HKD", RiskLevel.R5, True, False),
    (AssetClass.STOCK, "Apple Inc.", "AAPL", "USD", RiskLevel.R5, True, False),
    (AssetClass.STOCK, "招商银行", "600036", "CNY", RiskLevel.R4, True, False),
    (AssetClass.WEALTH_PRODUCT, "朝招金 7天持有期", "ZZJ7", "CNY", RiskLevel.R2, False, True),
    (AssetClass.WEALTH_PRODUCT, "稳享固收增强 180天", "WX180", "CNY", RiskLevel.R2, False, True),
    (AssetClass.WEALTH_PRODUCT, "睿远平衡 一年定开", "RY365", "CNY", RiskLevel.R3, False, True),
    (AssetClass.WEALTH_PRODUCT, "结构性存款 挂钩黄金", "SD-AU", "CNY", RiskLevel.R3, False, True),
    (AssetClass.INSURANCE, "增额终身寿 现金价值", None, "CNY", None, True, False),
]
PROPERTY = (AssetClass.PROPERTY, "自住房产", None, "CNY", None, True, False)
LOAN = (AssetClass.LOAN, "住房按揭贷款", None, "CNY", None, False, True)

BASE_RATES = {
    ("USD", "CNY"): Decimal("7.10"),
    ("HKD", "CNY"): Decimal("0.910"),
    ("CNY", "HKD"): Decimal("1.099"),
    ("USD", "HKD"): Decimal("7.80"),
    ("CNY", "USD"): Decimal("0.1408"),
    ("HKD", "USD"): Decimal("0.1282"),
}

# How far a snapshot's rate strays from the base rate, in basis points (others: 150 each
# way). The Hong Kong dollar is pegged to the US dollar (7.75-7.85): a HKD account of a
# USD client does not move by a percent and more from one month to the next.
RATE_MOVES = {("HKD", "USD"): (-5, 5), ("USD", "HKD"): (-5, 5)}


@dataclass
class Position:
    product: tuple
    institution: str | None
    value: Decimal
    principal: Decimal
    held_since: dt.date
    maturity: dt.date | None
    # the issue held, where the product's name and code depend on it (`_named`)
    name: str = ""
    code: str | None = None

    def __post_init__(self) -> None:
        if not self.name:
            self.name, self.code = self.product[1], self.product[2]


@dataclass
class DemoOptions:
    clients: int = 300
    seed: int = 2026
    as_of: dt.date = field(default_factory=dt.date.today)
    # Benchmarks ask for a uniform book (every client monthly over 3 years).
    uniform_snapshots: int | None = None
    uniform_holdings: int | None = None
    # The money paid in and taken out between reviews, recorded as flows: what bought the
    # positions opened and what the positions closed (matured or sold) paid out, so that
    # the returns tell new money apart from what the market did. Worked out from the
    # holdings, not drawn: the rest of the demo is the same with or without.
    flows: bool = True
    # Two invented indices with monthly levels, and a benchmark per risk level, likewise
    # from a generator of their own.
    benchmarks: bool = True


# How far a fund moves between two reviews, in basis points (lowest, highest), by its risk
# level: a money market fund (R1) earns a little and never falls, a bond fund (R2) moves
# by about a percent, a mixed fund (R3) by a few, an equity fund (R4) by up to six.
FUND_MOVES: dict[RiskLevel | None, tuple[int, int]] = {
    RiskLevel.R1: (5, 30),
    RiskLevel.R2: (-80, 120),
    RiskLevel.R3: (-300, 380),
    RiskLevel.R4: (-500, 650),
    RiskLevel.R5: (-700, 850),
    None: (-500, 650),
}


def _money(rng: random.Random, low: int, high: int, step: int = 100) -> Decimal:
    return Decimal(rng.randint(low // step, high // step) * step)


def _move(
    rng: random.Random,
    value: Decimal,
    low_bp: int,
    high_bp: int,
    drawn: tuple[int, int] | None = None,
) -> Decimal:
    """`value` moved by between `low_bp` and `high_bp` basis points. With `drawn`, the
    number is drawn from that range and scaled into this one: how many numbers a draw
    takes from the generator depends on its range, and the moves of every fund and cash
    account were drawn from these, so what the demo draws after them stays as it was."""
    if drawn is None:
        points = rng.randint(low_bp, high_bp)
    else:
        first, last = drawn
        points = low_bp + (rng.randint(first, last) - first) * (high_bp - low_bp) // (last - first)
    factor = Decimal(10_000 + points) / Decimal(10_000)
    return (value * factor).quantize(CENT)


def _given(index: int, female: bool) -> str:
    """A given name's character from a draw over GIVEN, a man's or a woman's."""
    pool = FEMALE_GIVEN if female else MALE_GIVEN
    return pool[index // 2 % len(pool)]


def _chinese_name(rng: random.Random, female: bool | None = None) -> tuple[str, bool]:
    """A Chinese name and whether it is a woman's; without `female`, the first draw says."""
    first = rng.randrange(len(GIVEN))
    second = rng.randrange(len(GIVEN)) if rng.random() < 0.6 else None
    surname = SURNAMES[rng.randrange(len(SURNAMES))]
    if female is None:
        female = first % 2 == 1
    given = _given(first, female) + ("" if second is None else _given(second, female))
    return surname + given, female


def _english_first(index: int, female: bool) -> str:
    """A first name from a draw over EN_FIRST, a man's or a woman's."""
    return EN_FIRST[index - index % 2 + int(female)]


def _age(birthday: dt.date, on: dt.date) -> int:
    return on.year - birthday.year - ((on.month, on.day) < (birthday.month, birthday.day))


def _school(language: Language, index: int, age: int) -> str | None:
    """Where a child of `age` studies or works, from a draw over SCHOOL_DRAW."""
    kindergarten, primary, secondary, university = SCHOOLS[language]
    if age < 3:
        return None
    if age > 22:
        jobs = EN_OCCUPATIONS if language is Language.EN else OCCUPATIONS
        employers = [e for _, e in jobs if e and "学" not in e]  # not a school's teacher
        return employers[index % len(employers)]
    band = (
        kindergarten if age < 6 else primary if age < 12 else secondary if age < 18 else university
    )
    return band[index % len(band)]


def _month_end(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), 1) - dt.timedelta(days=1)


def _review_dates(as_of: dt.date, months: int, count: int) -> list[dt.date]:
    """`count` period ends `months` apart, the last one the latest period end before as_of."""
    end = as_of.replace(day=1) - dt.timedelta(days=1)
    while end.month % months:
        end = _month_end(add_months(end.replace(day=1), -1))
    return sorted(_month_end(add_months(end.replace(day=1), -months * i)) for i in range(count))


def fill_demo(
    session: Session, options: DemoOptions, progress: Callable[[int, int], None] | None = None
) -> int:
    """Fill an empty book with the demo; returns the number of clients made."""
    existing = session.scalar(select(func.count(Client.id)))
    if existing:
        raise BookError(f"the book already has {existing} clients; the demo needs an empty book")
    rng = random.Random(options.seed)
    settings = load_settings(session)
    # One audit event for the whole demo, not one per value.
    with audit.bulk(session, "demo", f"{options.clients} clients, seed {options.seed}"):
        for index in range(options.clients):
            client = _make_client(rng, index, options)
            session.add(client)
            session.flush()
            _make_history(session, rng, client, options, settings)
            if index % 50 == 49:
                session.flush()
                session.expunge_all()
            if progress:
                progress(index + 1, options.clients)
        if options.benchmarks:
            _add_benchmarks(session, options)
    return options.clients


DEMO_EQUITY = "演示股票指数"  # invented: "demo equity index"
DEMO_BONDS = "演示债券指数"  # invented: "demo bond index"
# Per client risk level: (first benchmark, blended with, weight of the first in percent).
DEMO_CHOICES = {
    ClientRiskLevel.C1: (DEMO_BONDS, None, 100),
    ClientRiskLevel.C2: (DEMO_BONDS, DEMO_EQUITY, 80),
    ClientRiskLevel.C3: (DEMO_EQUITY, DEMO_BONDS, 50),
    ClientRiskLevel.C4: (DEMO_EQUITY, DEMO_BONDS, 70),
    ClientRiskLevel.C5: (DEMO_EQUITY, None, 100),
}


def _add_benchmarks(session: Session, options: DemoOptions) -> None:
    """Two invented indices with a level on every month end from the first review to the
    last (the demo's review dates are month ends), a choice per risk level, and one key
    client with a benchmark of their own."""
    rng = random.Random(f"benchmarks-{options.seed}")
    last_day = min(options.as_of, dt.date.today())
    first = session.scalar(select(func.min(Snapshot.review_date)))
    if first is None:
        return
    equity, bonds = Decimal(3800), Decimal(200)
    levels: list[BenchmarkLevel] = []
    day = _month_end(first)
    while day <= last_day:
        levels.append(BenchmarkLevel(name=DEMO_EQUITY, level_date=day, level=equity))
        levels.append(BenchmarkLevel(name=DEMO_BONDS, level_date=day, level=bonds))
        equity = _move(rng, equity, -650, 750)
        bonds = _move(rng, bonds, -30, 80)
        day = _month_end(add_months(day.replace(day=1), 1))
    session.add_all(levels)
    for level, (name, blend, weight) in DEMO_CHOICES.items():
        session.add(BenchmarkChoice(risk_level=level, benchmark=name, blend=blend, weight=weight))
    key_client = session.scalar(
        select(Client.id).where(Client.tier == Tier.KEY).order_by(Client.id).limit(1)
    )
    if key_client is not None:
        session.add(
            BenchmarkChoice(client_id=key_client, benchmark=DEMO_EQUITY, blend=None, weight=100)
        )
    session.flush()


def _make_client(rng: random.Random, index: int, options: DemoOptions) -> Client:
    english = rng.random() < 0.18
    as_of = options.as_of
    if english:
        first = rng.randrange(len(EN_FIRST))
        female = first % 2 == 1
        name = f"{EN_FIRST[first]} {rng.choice(EN_LAST)}"
        occupation, employer = rng.choice(EN_OCCUPATIONS)
        currency = rng.choice(["HKD", "USD", "HKD"])
        language = Language.EN
    else:
        name, female = _chinese_name(rng)
        occupation, employer = rng.choice(OCCUPATIONS)
        currency = "CNY" if rng.random() < 0.92 else "HKD"
        language = Language.ZH
    city, streets = rng.choice(CITIES)
    age = rng.randint(28, 72)
    birthday = dt.date(as_of.year - age, rng.randint(1, 12), rng.randint(1, 28))
    if rng.random() < 0.01:
        birthday = dt.date(1984, 2, 29)
        age = _age(birthday, as_of)  # the family's ages follow from the client's
    occupation, employer = _occupation_for_age(
        occupation, employer, _age(birthday, as_of), language
    )
    married = rng.random() < 0.72
    tier = Tier.KEY if rng.random() < 0.22 else Tier.STANDARD
    income = _money(rng, 180_000, 3_000_000, 1000)
    if tier is Tier.KEY:
        income *= 2
    client = Client(
        code=f"C{index + 1:05d}",
        name=name,
        phone=f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
        email=f"client{index + 1:05d}@example.com",
        address=f"{city}{rng.choice(streets)}{rng.randint(1, 999)}号",
        birthday=birthday,
        occupation=occupation,
        employer=employer,
        hobbies="、".join(rng.sample(HOBBIES, rng.randint(1, 3))),
        annual_income=income,
        # A mainland client who reports in Hong Kong dollars is still paid in yuan.
        income_currency="CNY" if currency == "HKD" and not english else None,
        marital_status=MaritalStatus.MARRIED
        if married
        else rng.choice([MaritalStatus.SINGLE, MaritalStatus.DIVORCED, MaritalStatus.WIDOWED]),
        tier=tier,
        review_cadence=Cadence.MONTHLY if options.uniform_snapshots else None,
        report_currency=currency,
        language=language,
        contact_preferences=rng.choice(
            [None, None, "工作时间勿打电话，请发短信或午休时间联系", "偏好邮件沟通", "周末可面谈"]
        ),
        special_notes=rng.choice(
            [
                None,
                None,
                "母亲也是本行客户，资产信息严格分开",
                "对回撤敏感，沟通时先讲风险",
                STUDY_ABROAD,
            ]
        ),
    )
    tags = rng.sample(TAGS, rng.randint(0, 3))
    last = name.split()[-1] if english else ""
    if married:
        spouse_age = max(22, age + rng.randint(-5, 4))
        if english:
            spouse_name = f"{_english_first(rng.randrange(len(EN_FIRST)), not female)} {last}"
        else:
            spouse_name, _ = _chinese_name(rng, not female)
        spouse_birthday = dt.date(as_of.year - spouse_age, rng.randint(1, 12), rng.randint(1, 28))
        job = rng.randrange(len(OCCUPATIONS))
        spouse_employer = (EN_OCCUPATIONS[job % 5] if english else OCCUPATIONS[job])[1]
        if _age(spouse_birthday, as_of) >= 60:
            spouse_employer = None  # retired
        client.family.append(
            FamilyMember(
                name=spouse_name,
                relation=Relation.SPOUSE,
                birthday=spouse_birthday,
                school_or_employer=spouse_employer,
                annual_income=_money(rng, 0, 800_000, 1000),
                income_currency=client.income_currency,
            )
        )
        # A child takes the father's surname.
        surname = spouse_name[0] if female else name[0]
        for _ in range(rng.randint(0, 2) if age < 60 else 0):
            oldest = max(4, min(26, age - 24))
            # born while the parents were 24 to 44: the draw scaled into those years
            youngest = min(oldest - 1, max(3, age - 44))
            child_age = youngest + (rng.randint(3, oldest) - 3) * (oldest - youngest) // (
                oldest - 3
            )
            drawn = [rng.randrange(len(GIVEN)), rng.randrange(len(GIVEN))] if not english else []
            first = rng.randrange(len(EN_FIRST)) if english else 0
            relation = rng.choice([Relation.SON, Relation.DAUGHTER])
            daughter = relation is Relation.DAUGHTER
            child_birthday = dt.date(as_of.year - child_age, rng.randint(1, 12), rng.randint(1, 28))
            child_birthday = _apart_from_siblings(client, child_birthday, as_of)
            school = rng.randrange(SCHOOL_DRAW)
            # Not the name of a parent or a brother or sister (a son named as his father):
            # the drawn name moved along its list, with no draw more.
            taken = {client.name, *(m.name for m in client.family)}
            for step in range(len(EN_FIRST) + len(GIVEN)):
                child_name = (
                    f"{_english_first((first + 2 * step) % len(EN_FIRST), daughter)} {last}"
                    if english
                    else surname + "".join(_given(i + 2 * step, daughter) for i in drawn)
                )
                if child_name not in taken:
                    break
            client.family.append(
                FamilyMember(
                    name=child_name,
                    relation=relation,
                    birthday=child_birthday,
                    school_or_employer=_school(language, school, _age(child_birthday, as_of)),
                )
            )
    if age < 50 and rng.random() < 0.3:
        drawn_name = rng.randrange(len(EN_FIRST) if english else 4)
        relation = rng.choice([Relation.FATHER, Relation.MOTHER])
        mother = relation is Relation.MOTHER
        if english:
            parent_name = f"{_english_first(drawn_name, mother)} {last}"
        elif mother:  # she keeps her own surname
            other = SURNAMES[(SURNAMES.index(name[0]) + 1 + drawn_name) % len(SURNAMES)]
            parent_name = other + ("秀英", "桂兰")[drawn_name % 2]
        else:
            parent_name = name[0] + ("建国", "国华")[drawn_name % 2]
        client.family.append(
            FamilyMember(
                name=parent_name,
                relation=relation,
                birthday=dt.date(
                    as_of.year - age - rng.randint(24, 32), rng.randint(1, 12), rng.randint(1, 28)
                ),
            )
        )
    _fit_to_family(client, tags, as_of)
    _add_policies(rng, client, income, as_of)
    _add_assessments(rng, client, as_of)
    _add_contacts(rng, client, as_of)
    return client


STUDY_ABROAD = "计划两年内子女出国留学"


def _apart_from_siblings(client: Client, birthday: dt.date, as_of: dt.date) -> dt.date:
    """A child born at least a year from a brother or sister: two years earlier, or later
    where that would make the child older than the range the parents allow."""
    siblings = [
        m.birthday
        for m in client.family
        if m.relation in (Relation.SON, Relation.DAUGHTER) and m.birthday
    ]
    for sibling in siblings:
        if abs((birthday - sibling).days) < 365:
            later = sibling.year + 2 <= as_of.year - 3
            return birthday.replace(year=sibling.year + 2 if later else sibling.year - 2)
    return birthday


def _occupation_for_age(
    occupation: str, employer: str | None, age: int, language: Language
) -> tuple[str, str | None]:
    """A client past 62 has retired unless they run their own business or investments,
    and none retires before 55."""
    own = ("企业主", "投资人", "Entrepreneur")
    if age >= 63 and occupation not in own:
        return ("Retired", None) if language is Language.EN else ("退休", None)
    if occupation == "退休" and age < 55:
        return "投资人", "个人投资"
    return occupation, employer


def _fit_to_family(client: Client, tags: list[str], as_of: dt.date) -> None:
    """The tags and the note drawn for the client, kept where they fit the family: "has
    children" and "education savings" need a child, "business owner" the business, and a
    child's studies abroad a child of 15 to 22."""
    children = [
        _age(m.birthday, as_of)
        for m in client.family
        if m.relation in (Relation.SON, Relation.DAUGHTER) and m.birthday
    ]
    fits = {
        "有子女": bool(children),
        "关注教育金": any(a <= 22 for a in children),
        "企业主": client.occupation in ("企业主", "Entrepreneur"),
    }
    client.set_tags([t for t in tags if fits.get(t, True)])
    if client.special_notes == STUDY_ABROAD and not any(15 <= a <= 22 for a in children):
        client.special_notes = None


def _add_policies(rng: random.Random, client: Client, income: Decimal, as_of: dt.date) -> None:
    """Policies taken out after the insured person was born; a one-year policy is renewed
    each year (its current year is recorded), and premiums are paid no longer than the
    cover lasts."""
    insured_people: list[FamilyMember | None] = [None] + list(client.family)
    for _ in range(rng.randint(0, 4)):
        member = rng.choice(insured_people)
        kind = rng.choice(
            [
                PolicyKind.LIFE,
                PolicyKind.CRITICAL_ILLNESS,
                PolicyKind.MEDICAL,
                PolicyKind.ACCIDENT,
                PolicyKind.ANNUITY,
                PolicyKind.CRITICAL_ILLNESS,
            ]
        )
        days = rng.randint(200, 3650)
        born = member.birthday if member is not None else client.birthday
        if born is not None:
            # taken out at least a month after birth: the draw scaled into the life so far
            life = max(1, (as_of - born).days - 30)
            if life < 3650:
                days = min(life, 200) + (days - 200) * max(0, life - 200) // 3450
        start = as_of - dt.timedelta(days=days)
        sum_assured = _money(rng, 200_000, 3_000_000, 10_000)
        if kind is PolicyKind.MEDICAL:
            sum_assured = Decimal(rng.choice([1_000_000, 2_000_000, 4_000_000]))
        insurer = rng.choice(INSURERS)
        policy_number = f"P{rng.randint(10**11, 10**12 - 1)}"
        annual_premium = (sum_assured * Decimal(rng.randint(8, 45)) / Decimal(1000)).quantize(CENT)
        payment_years = rng.choice([1, 10, 20, 30])
        end = None
        if kind not in (PolicyKind.LIFE, PolicyKind.ANNUITY):
            term = rng.choice([1, 20, 30])
            payment_years = min(payment_years, term)
            end = add_months(start, 12 * term)
            while end <= as_of:  # renewed
                start, end = end, add_months(end, 12 * term)
        client.policies.append(
            InsurancePolicy(
                insured_member=member,
                kind=kind,
                insurer=insurer,
                policy_number=policy_number,
                sum_assured=sum_assured,
                annual_premium=annual_premium,
                payment_years=payment_years,
                start_date=start,
                end_date=end,
                currency="CNY",
            )
        )


def _add_assessments(rng: random.Random, client: Client, as_of: dt.date) -> None:
    level = rng.choice(list(ClientRiskLevel))
    expired = rng.random() < 0.15
    latest = as_of - dt.timedelta(days=rng.randint(380, 500) if expired else rng.randint(5, 340))
    for years_back in range(rng.randint(1, 3) - 1, -1, -1):
        assessed = add_months(latest, -12 * years_back)
        score = {"C1": 15, "C2": 30, "C3": 50, "C4": 70, "C5": 88}[level.value] + rng.randint(0, 8)
        client.assessments.append(
            RiskAssessment(
                assessed_on=assessed,
                answers={
                    "horizon_years": rng.choice([1, 3, 5, 10]),
                    "max_loss_pct": rng.choice([0, 5, 10, 20, 30]),
                },
                score=score,
                level=level,
                valid_until=add_months(assessed, 12),
            )
        )


BIRTHDAY_WISHES = {Language.ZH: "生日祝福", Language.EN: "Birthday wishes"}
EDUCATION_NOTE = (
    {
        Language.ZH: "客户咨询子女教育金规划",
        Language.EN: "Asked about saving for the children's education",
    },
    {
        Language.ZH: "下次面谈带教育金方案",
        Language.EN: "Bring an education savings plan to the next meeting",
    },
)

# What a contact was about, and the next step agreed, in the client's language (the
# manager writes to the client in it, and a shared note goes into the client's pack).
CONTACT_SUMMARIES = [
    (
        Channel.PHONE,
        {
            Language.ZH: "电话沟通市场情况，客户关注利率下行",
            Language.EN: "Call on the markets; concerned about falling rates",
        },
        {Language.ZH: "下月面谈回顾资产", Language.EN: "Meet next month to review the portfolio"},
    ),
    (
        Channel.MEETING,
        {
            Language.ZH: "面谈回顾资产配置，讲解基金净值波动",
            Language.EN: "Meeting on the allocation; went through the funds' price swings",
        },
        {Language.ZH: "准备重疾险方案", Language.EN: "Prepare a critical illness cover proposal"},
    ),
    (
        Channel.EMAIL,
        {Language.ZH: "发送月度资产回顾表", Language.EN: "Sent the monthly portfolio statement"},
        None,
    ),
    (
        Channel.PHONE,
        {
            Language.ZH: "提醒理财产品即将到期",
            Language.EN: "Reminder that a wealth product matures soon",
        },
        {
            Language.ZH: "到期后续作稳健型产品",
            Language.EN: "Reinvest in a low-risk product at maturity",
        },
    ),
    (Channel.SMS, BIRTHDAY_WISHES, None),
    (
        Channel.MEETING,
        {Language.ZH: "介绍新发基金，客户有兴趣", Language.EN: "Presented a new fund; interested"},
        {Language.ZH: "发送产品说明书", Language.EN: "Send the fund's prospectus"},
    ),
    (Channel.CHAT, *EDUCATION_NOTE),
]


# In place of the note on the children's education for a client with no child of school
# age, and of birthday wishes away from the birthday: the same kind of contact.
RETIREMENT_NOTE = (
    {Language.ZH: "客户咨询养老规划", Language.EN: "Asked about saving for retirement"},
    {
        Language.ZH: "下次面谈带养老规划方案",
        Language.EN: "Bring a retirement savings plan to the next meeting",
    },
)
MARKET_NEWS = {Language.ZH: "短信发送市场快讯", Language.EN: "Texted a market update"}


def _fit_contact(
    client: Client,
    day: dt.date,
    summary: dict[Language, str],
    step: dict[Language, str] | None,
) -> tuple[dict[Language, str], dict[Language, str] | None]:
    """A contact's note as it fits the client on `day`: the children's education needs a
    child of 22 or under, birthday wishes the week of the birthday."""
    if summary is EDUCATION_NOTE[0]:
        children = [
            m.birthday
            for m in client.family
            if m.relation in (Relation.SON, Relation.DAUGHTER) and m.birthday
        ]
        if not any(_age(b, day) <= 22 for b in children):
            return RETIREMENT_NOTE
    if summary is BIRTHDAY_WISHES and client.birthday:
        born = client.birthday
        near = [
            dt.date(year, born.month, min(born.day, 28 if born.month == 2 else born.day))
            for year in (day.year - 1, day.year, day.year + 1)
        ]
        if all(abs((day - b).days) > 7 for b in near):
            return MARKET_NEWS, step
    return summary, step


# The manager's own notes: judgements and plans the client is not to read.
INTERNAL_NOTES = [
    (
        {
            Language.ZH: "内部判断有流失风险，可考虑费率优惠",
            Language.EN: "Risk of leaving; consider a fee discount",
        },
        {
            Language.ZH: "申请管理费优惠审批",
            Language.EN: "Ask for approval of a management fee discount",
        },
    ),
    (
        {
            Language.ZH: "客户他行定期下月到期，争取资金转入本行",
            Language.EN: "Deposit at another bank matures next month; win the money over",
        },
        {Language.ZH: "到期前一周电话跟进", Language.EN: "Call a week before it matures"},
    ),
    (
        {
            Language.ZH: "客户对上次推荐产品回撤不满，需安抚",
            Language.EN: "Unhappy with the last product's drawdown; reassure",
        },
        None,
    ),
    (
        {
            Language.ZH: "家属在本行另有账户，可做家庭综合方案",
            Language.EN: "Family members bank here too: a household plan is possible",
        },
        {Language.ZH: "整理家庭资产情况", Language.EN: "Put together the household's assets"},
    ),
]

FEEDBACK = [
    {
        Language.ZH: "对手机银行转账限额不满意",
        Language.EN: "Unhappy with the mobile banking transfer limit",
    },
    {
        Language.ZH: "认可上次推荐的债基表现",
        Language.EN: "Pleased with the bond fund recommended last time",
    },
    {Language.ZH: "希望多一些线下活动", Language.EN: "Would like more events in person"},
]


def _add_contacts(rng: random.Random, client: Client, as_of: dt.date) -> None:
    day = as_of - dt.timedelta(days=365)
    gap = 20 if client.tier is Tier.KEY else 45
    while True:
        day += dt.timedelta(days=rng.randint(gap // 2, gap * 2))
        if day > as_of:
            break
        lang = client.language
        channel, summary_text, step_text = rng.choice(CONTACT_SUMMARIES)
        summary_text, step_text = _fit_contact(client, day, summary_text, step_text)
        summary, next_step = summary_text[lang], step_text[lang] if step_text else None
        feedback = None
        if rng.random() < 0.12:
            feedback = rng.choice(FEEDBACK)[lang]
        # What the client may read, drawn from a generator of its own so that the rest
        # of the demo stays as it was: routine notes are mostly shared, the manager's
        # own judgements never; next steps get a due date, and older ones were done.
        share = random.Random(f"{client.code}|{day.isoformat()}")
        internal = share.random() < 0.2
        if internal:
            summary_text, step_text = share.choice(INTERNAL_NOTES)
            summary, next_step = summary_text[lang], step_text[lang] if step_text else None
        step_shared = due = done = None
        if next_step:
            step_shared = not internal and share.random() < 0.75
            due = day + dt.timedelta(days=share.choice((7, 14, 21, 30)))
            if due < as_of - dt.timedelta(days=share.randint(0, 20)):
                done = max(day, min(as_of, due - dt.timedelta(days=share.randint(0, 5))))
        client.contacts.append(
            Contact(
                contact_date=day,
                channel=channel,
                summary=summary,
                next_step=next_step,
                feedback=feedback,
                feedback_topic=rng.choice([FeedbackTopic.PRODUCT, FeedbackTopic.SERVICE])
                if feedback
                else None,
                shared=not internal and share.random() < 0.8,
                next_step_shared=bool(step_shared),
                next_step_due=due,
                next_step_done=done,
            )
        )


def _rates_for(
    rng: random.Random, report: str, currencies: set[str]
) -> dict[tuple[str, str], Decimal]:
    rates = {}
    for currency in sorted(currencies):
        if currency == report:
            continue
        low, high = RATE_MOVES.get((currency, report), (-150, 150))
        drawn = rng.randint(-150, 150)  # the one draw, whatever the range (`_move`)
        points = low + (drawn + 150) * (high - low) // 300
        rates[(currency, report)] = (
            BASE_RATES[(currency, report)] * Decimal(10_000 + points) / Decimal(10_000)
        ).quantize(Decimal("0.0001"))
    return rates


def _make_history(
    session: Session, rng: random.Random, client: Client, options: DemoOptions, settings: Settings
) -> None:
    as_of = options.as_of
    months = review_cadence(client.tier, client.review_cadence, settings).months
    if options.uniform_snapshots:
        count = options.uniform_snapshots
    else:
        count = rng.randint(24, 48) if months == 1 else rng.randint(8, 16)
    dates = _review_dates(as_of, months, count)
    # Savings in proportion to income: a few years' income, more for key clients.
    years_saved = Decimal(rng.choice([15, 20, 30, 50, 80, 120])) / 10
    if client.annual_income is None:  # `_make_client` gives every demo client an income
        raise ValueError(
            f"demo client {client.code}: annual_income is None; the savings are sized from it"
        )
    # The positions are sized in CNY (`_open_position`); the income is in the client's
    # income currency (else the report currency), so a USD earner's savings are seven
    # times the figure, not the same.
    income = client.annual_income
    income_currency = client.income_currency or client.report_currency
    if income_currency != "CNY":
        income *= BASE_RATES[(income_currency, "CNY")]
    wealth = (income * years_saved).quantize(Decimal(1000))
    if client.tier is Tier.KEY:
        wealth *= 2
    level_rank = client.assessments[-1].level.rank
    n_positions = options.uniform_holdings or rng.randint(6, 18)
    positions: list[Position] = []
    for _ in range(n_positions):
        positions.append(_open_position(rng, wealth, n_positions, dates[0], level_rank, positions))
    if not options.uniform_holdings and rng.random() < 0.6:
        start = dates[0] - dt.timedelta(days=rng.randint(400, 3000))
        house = _money(rng, 2_000_000, 9_000_000, 10_000)
        own = "Self-held" if client.language is Language.EN else "自持"
        positions.append(Position(PROPERTY, own, house, house, start, None))
        if rng.random() < 0.7:
            loan = (house * Decimal(rng.randint(20, 55)) / 100).quantize(CENT)
            positions.append(
                Position(
                    LOAN, None, loan, loan, start, add_months(start, 12 * rng.choice([20, 25, 30]))
                )
            )
    snapshot_rows, holding_rows, rate_rows = [], [], []
    flow_rows: list[dict[str, object]] = []
    held: list[Position] = []
    held_rates: dict[tuple[str, str], Decimal] = {}
    for i, review_date in enumerate(dates):
        if i:
            held = list(positions)
            positions = _evolve(
                rng,
                positions,
                wealth,
                dates[i - 1],
                review_date,
                level_rank,
                options.uniform_holdings,
            )
        sid = i  # replaced by the database's id below
        snapshot_rows.append(
            {
                "client_id": client.id,
                "review_date": review_date,
                "note": None,
                "created_at": dt.datetime.combine(review_date, dt.time(18, 0)),
            }
        )
        currencies = {p.product[3] for p in positions}
        rates = _rates_for(rng, client.report_currency, currencies)
        for (src, dst), rate in rates.items():
            rate_rows.append(
                {"snapshot_id": sid, "from_currency": src, "to_currency": dst, "rate": rate}
            )
        if i and options.flows:
            flow = _period_flow(
                client, held, held_rates, positions, rates, dates[i - 1], review_date
            )
            if flow is not None:
                flow_rows.append(flow)
        held_rates = rates
        for p in positions:
            asset_class, _, _, currency, risk, _, _ = p.product
            holding_rows.append(
                {
                    "snapshot_id": sid,
                    "product_name": p.name,
                    "product_code": p.code,
                    "asset_class": asset_class,
                    "institution": p.institution,
                    "currency": currency,
                    "market_value": p.value,
                    "principal": p.principal,
                    "held_since": p.held_since,
                    "maturity_date": p.maturity,
                    "risk_level": risk,
                }
            )
    # Ids come from the database (a PostgreSQL sequence stays right), in row order.
    ids = session.scalars(
        insert(Snapshot).returning(Snapshot.id, sort_by_parameter_order=True), snapshot_rows
    ).all()
    for row in rate_rows + holding_rows:
        row["snapshot_id"] = ids[row["snapshot_id"]]
    # NULLs rendered, so that every row has the same columns and the rows go in as one
    # executemany: otherwise the ORM groups rows by the columns they have and a book of
    # thousands of clients is written a few rows at a time.
    if rate_rows:
        session.execute(insert(FxRate).execution_options(render_nulls=True), rate_rows)
    session.execute(insert(Holding).execution_options(render_nulls=True), holding_rows)
    if flow_rows:
        session.execute(insert(Flow), flow_rows)


# What a demo flow says, in the client's language.
_FLOW_NOTES = {
    FlowKind.DEPOSIT: {Language.ZH: "资金转入：新购产品", Language.EN: "Paid in for new products"},
    FlowKind.WITHDRAWAL: {
        Language.ZH: "资金转出：产品到期或赎回",
        Language.EN: "Paid out from products matured or sold",
    },
}


def _period_flow(
    client: Client,
    held: list[Position],
    held_rates: dict[tuple[str, str], Decimal],
    positions: list[Position],
    rates: dict[tuple[str, str], Decimal],
    start: dt.date,
    end: dt.date,
) -> dict[str, object] | None:
    """The money that moved between two reviews, as one flow row in the report currency:
    the financial positions opened (at their first value and the closing review's rates)
    less those closed (at their last value and the opening review's rates), dated half way.
    Property and loans are not money at work in the market and move no money here."""
    report = client.report_currency
    before, after = {id(p) for p in held}, {id(p) for p in positions}
    paid_in = sum(
        (
            to_report(p.value, p.product[3], report, rates)
            for p in positions
            if id(p) not in before and _financial(p)
        ),
        Decimal(0),
    )
    paid_out = sum(
        (
            to_report(p.value, p.product[3], report, held_rates)
            for p in held
            if id(p) not in after and _financial(p)
        ),
        Decimal(0),
    )
    amount = (paid_in - paid_out).quantize(CENT)
    if not amount:
        return None
    kind = FlowKind.DEPOSIT if amount > 0 else FlowKind.WITHDRAWAL
    return {
        "client_id": client.id,
        "flow_date": start + (end - start) // 2,
        "amount": amount,
        "currency": report,
        "rate": Decimal(1),
        "to_currency": report,
        "kind": kind,
        "note": _FLOW_NOTES[kind][client.language],
    }


def _financial(position: Position) -> bool:
    return position.product[0] not in (AssetClass.PROPERTY, AssetClass.LOAN)


# A product's own term in months where its name says it (a three-year deposit, a 180-day
# product); None: it has no maturity (a 7-day holding period product is redeemed at will).
TERMS: dict[str, int | None] = {
    "三年期定期存款": 36,
    "稳享固收增强 180天": 6,
    "睿远平衡 一年定开": 12,
    "朝招金 7天持有期": None,
}


def _term(product: tuple, drawn: int) -> int | None:
    """The term in months of a position of `product`, from the term drawn."""
    name = product[1]
    if name in TERMS:
        return TERMS[name]
    if product[2] == "019745":  # bought at issue: a treasury bond runs a year at least
        return max(12, drawn)
    if name.startswith("结构性存款"):
        return min(drawn, 12)
    return drawn


def _named(product: tuple, held_since: dt.date, maturity: dt.date | None) -> tuple[str, str | None]:
    """The name and code of the issue held: a certificate of deposit and a treasury bond
    are named by when they were issued (bought at issue), a bond by the year it matures."""
    name, code = product[1], product[2]
    yy, mm = held_since.year % 100, held_since.month
    if code == "DE2403":
        return f"大额存单 {held_since.year}第{mm}期", f"DE{yy:02d}{mm:02d}"
    if code == "019745":
        return f"{held_since.year}年记账式附息国债", f"01{yy:02d}{mm:02d}"
    if maturity is not None and code == "180210":
        return f"国开债 {maturity.year}", f"{yy:02d}02{maturity.year % 100:02d}"
    if maturity is not None and code == "UST29":
        return f"US Treasury 4.25% {maturity.year}", f"UST{maturity.year % 100:02d}"
    return name, code


def _open_position(
    rng: random.Random,
    wealth: Decimal,
    n: int,
    day: dt.date,
    level_rank: int,
    held: list[Position],
    after: dt.date | None = None,
) -> Position:
    """A position held on `day`; opened after the review of `after` when given (it is new
    at this review), else at any time in the two years before."""
    # Mostly within the client's level; about one position in 25 above it.
    choices = [p for p in PRODUCTS if p[4] is None or p[4].rank <= level_rank]
    if rng.random() < 0.04:
        choices = PRODUCTS
    owned = {p.product[1] for p in held}
    choices = [p for p in choices if p[1] not in owned] or choices
    product = rng.choice(choices)
    asset_class, _, _, currency, _, other_ok, matures = product
    institution = rng.choice(OTHER_BANKS) if other_ok and rng.random() < 0.3 else None
    if institution in SECURITIES and asset_class in (AssetClass.DEPOSIT, AssetClass.CASH):
        # deposits are kept at a bank, not at a broker
        institution = OTHER_BANKS[OTHER_BANKS.index(institution) % len(BANKS)]
    value = (wealth / n * Decimal(rng.randint(40, 160)) / 100).quantize(Decimal(100))
    if currency == "USD":
        value = (value / Decimal("7.1")).quantize(Decimal(100))
    elif currency == "HKD":
        value = (value / Decimal("0.91")).quantize(Decimal(100))
    days = rng.randint(0, 700)
    if after is not None:  # the draw scaled into the days since the last review
        days = days * ((day - after).days - 1) // 700
    held_since = day - dt.timedelta(days=days)
    term = _term(product, rng.choice([3, 6, 12, 24, 36])) if matures else None
    maturity = add_months(held_since, term) if term else None
    while term and maturity is not None and maturity <= day:
        # renewed at maturity: the position held now is the latest one
        held_since, maturity = maturity, add_months(maturity, term)
    name, code = _named(product, held_since, maturity)
    return Position(product, institution, value, value, held_since, maturity, name, code)


def _evolve(
    rng: random.Random,
    positions: list[Position],
    wealth: Decimal,
    since: dt.date,
    day: dt.date,
    level_rank: int,
    fixed_count: int | None,
) -> list[Position]:
    result: list[Position] = []
    for p in positions:
        asset_class = p.product[0]
        if p.maturity is not None and p.maturity <= day and asset_class is not AssetClass.LOAN:
            if fixed_count:
                result.append(
                    _open_position(rng, wealth, fixed_count, day, level_rank, result, since)
                )
            continue  # matured: the money went elsewhere
        if asset_class is AssetClass.LOAN:
            p.value = max(Decimal(0), (p.value * Decimal("0.992")).quantize(CENT))
        elif asset_class in (AssetClass.STOCK,):
            p.value = _move(rng, p.value, -900, 1000)
        elif asset_class is AssetClass.FUND:
            p.value = _move(rng, p.value, *FUND_MOVES[p.product[4]], drawn=(-500, 650))
        elif asset_class is AssetClass.PROPERTY:
            p.value = _move(rng, p.value, -120, 100)
        elif asset_class is AssetClass.CASH:
            p.value = _move(rng, p.value, 0, 10, drawn=(5, 45))
        else:
            p.value = _move(rng, p.value, 5, 45)
        result.append(p)
    if not fixed_count:
        if rng.random() < 0.15 and len(result) > 3:
            result.pop(rng.randrange(len(result)))
        if rng.random() < 0.25:
            result.append(_open_position(rng, wealth, 10, day, level_rank, result, since))
    return result
