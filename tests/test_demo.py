import datetime as dt
import hashlib
import re
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select, text

from reviewdesk.book.db import open_book
from reviewdesk.book.enums import AssetClass, Language, Relation
from reviewdesk.book.models import Client, Holding, RiskAssessment, Snapshot
from reviewdesk.demo import DemoOptions, fill_demo
from reviewdesk.review.cadence import add_months
from reviewdesk.review.client_list import list_clients
from tests.conftest import AS_OF

TABLES = [
    "client",
    "client_tag",
    "family_member",
    "snapshot",
    "fx_rate",
    "holding",
    "insurance_policy",
    "risk_assessment",
    "contact",
]


def content_hash(book) -> str:
    digest = hashlib.sha256()
    with book.engine.connect() as conn:
        for table in TABLES:
            cols = [
                c
                for c in conn.execute(text(f"SELECT * FROM {table} LIMIT 0")).keys()
                if c not in ("created_at", "updated_at")
            ]
            for row in conn.execute(text(f"SELECT {', '.join(cols)} FROM {table} ORDER BY 1, 2")):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def make(tmp_path, name, seed):
    book = open_book(str(tmp_path / name))
    with book.session() as s:
        fill_demo(s, DemoOptions(clients=12, seed=seed, as_of=AS_OF))
    return book


def test_same_seed_same_book(tmp_path):
    a, b, c = make(tmp_path, "a", 5), make(tmp_path, "b", 5), make(tmp_path, "c", 6)
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(c)
    for book in (a, b, c):
        book.close()


def test_demo_is_realistic(demo_book):
    with demo_book.session() as s:
        clients = s.scalars(select(Client)).all()
        languages = {c.language for c in clients}
        assert languages == {Language.ZH, Language.EN}
        assert any(any("\u4e00" <= ch <= "\u9fff" for ch in c.name) for c in clients)
        per_client = s.execute(
            select(
                Snapshot.client_id,
                func.count(),
                func.min(Snapshot.review_date),
                func.max(Snapshot.review_date),
            ).group_by(Snapshot.client_id)
        ).all()
        assert len(per_client) == len(clients)
        for _, count, first, last in per_client:
            years = (last - first).days / 365
            assert 1.5 <= years <= 4.1 and count >= 8
            assert last <= AS_OF
        # Some expired assessments and some holdings above the client's level.
        latest = {}
        for a in s.scalars(select(RiskAssessment).order_by(RiskAssessment.assessed_on)):
            latest[a.client_id] = a
        assert any(a.valid_until < AS_OF for a in latest.values())
        currencies = s.scalars(text("SELECT DISTINCT currency FROM holding")).all()
        assert {"CNY", "USD", "HKD"} <= set(currencies)
        others = s.scalar(text("SELECT COUNT(*) FROM holding WHERE institution IS NOT NULL"))
        assert others > 0
        summaries = list_clients(s, AS_OF)
        assert all(x.total_assets > 0 and not x.missing_rates for x in summaries)


def test_some_holdings_exceed_the_clients_risk_level(tmp_path):
    book = open_book(str(tmp_path / "big.sqlite"))
    with book.session() as s:
        fill_demo(s, DemoOptions(clients=60, seed=2026, as_of=dt.date(2026, 6, 15)))
        rows = s.execute(
            text(
                "SELECT COUNT(DISTINCT s.client_id) FROM holding h "
                "JOIN snapshot s ON s.id = h.snapshot_id "
                "JOIN risk_assessment r ON r.client_id = s.client_id "
                "WHERE h.risk_level IS NOT NULL AND CAST(substr(h.risk_level, 2) AS INTEGER) > "
                "CAST(substr(r.level, 2) AS INTEGER)"
            )
        ).scalar()
    book.close()
    assert 1 <= rows < 60


def test_flows_leave_the_rest_of_the_demo_as_it_was(tmp_path):
    from reviewdesk.book.enums import FlowKind
    from reviewdesk.book.models import Flow

    with_flows = make(tmp_path, "with", 5)
    without = open_book(str(tmp_path / "without"))
    with without.session() as s:
        fill_demo(s, DemoOptions(clients=12, seed=5, as_of=AS_OF, flows=False))
    try:
        assert content_hash(with_flows) == content_hash(without)
        with with_flows.session() as s:
            flows = s.scalars(select(Flow)).all()
            kinds = {f.kind for f in flows}
        assert {FlowKind.DEPOSIT, FlowKind.WITHDRAWAL} <= kinds
        assert all(f.flow_date <= AS_OF for f in flows)
        with without.session() as s:
            assert s.scalar(select(func.count(Flow.id))) == 0
    finally:
        with_flows.close()
        without.close()


def test_the_flows_are_the_money_the_holdings_moved(demo_book):
    """Every client's recorded flows are what its financial holdings gained and lost by
    positions opened and closed: the market gain is what the positions already held did,
    so the demo's returns stay near its products' own moves (before, monthly savings that
    never reached the holdings gave a cash client -85% over a year)."""
    from reviewdesk.book.models import Flow
    from reviewdesk.review.build import build_review
    from reviewdesk.review.returns import Span
    from reviewdesk.settings import load_settings

    with demo_book.session() as s:
        settings = load_settings(s)
        ids = s.scalars(select(Client.id).order_by(Client.id)).all()
        assert s.scalar(select(func.count(Flow.id))) > 0
        measured = 0
        for cid in ids:
            review = build_review(s, cid, None, settings=settings, today=AS_OF)
            returns = review.returns
            if returns is None or not returns.flows_recorded:
                continue
            for period in returns.periods:
                # a period's market gain is the held positions' moves: a few percent at most
                base = max(period.start_value, period.end_value)
                assert abs(period.market_gain) <= base * D("0.12"), (cid, period)
            twr = returns.span(Span.SINCE_PREVIOUS).twr
            assert twr is None or abs(twr) < D("0.15"), (cid, twr)
            measured += 1
        assert measured >= len(ids) // 2


def test_a_fund_moves_by_its_risk_and_the_hong_kong_dollar_keeps_its_peg(demo_book):
    """A money market fund of the demo stood at +62.6% against its cost after five years,
    and a USD client's Hong Kong dollar account lost 1.5% in a month: an R1 fund earns a
    little and never falls, an R4 fund swings, and HKD-USD rates stay within the peg."""
    from reviewdesk.book.enums import AssetClass, RiskLevel
    from reviewdesk.book.models import FxRate, Holding

    with demo_book.session() as s:
        rows = s.execute(
            select(
                Snapshot.client_id,
                Holding.product_name,
                Holding.held_since,
                Holding.risk_level,
                Snapshot.review_date,
                Holding.market_value,
            )
            .join(Snapshot, Snapshot.id == Holding.snapshot_id)
            .where(Holding.asset_class == AssetClass.FUND)
            .order_by(Snapshot.client_id, Holding.product_name, Holding.held_since)
            .order_by(Snapshot.review_date)
        ).all()
        pegged = s.execute(
            select(FxRate.from_currency, FxRate.rate).where(
                FxRate.from_currency.in_(["HKD", "USD"]), FxRate.to_currency.in_(["HKD", "USD"])
            )
        ).all()
    moves: dict[RiskLevel, list[D]] = {}
    last: dict[tuple, D] = {}
    for cid, product, since, risk, _day, value in rows:
        key = (cid, product, since)
        if key in last and last[key] and value:
            moves.setdefault(risk, []).append(value / last[key] - 1)
        last[key] = value
    assert moves[RiskLevel.R1] and all(D(0) <= m <= D("0.0031") for m in moves[RiskLevel.R1])
    assert min(moves[RiskLevel.R4]) < D("-0.03") and max(moves[RiskLevel.R4]) > D("0.04")
    assert pegged
    for source, rate in pegged:
        low, high = (D("7.75"), D("7.85")) if source == "USD" else (D("0.1274"), D("0.1291"))
        assert low <= rate <= high, (source, rate)


# What a tester reading forty demo packs found no real book would hold; each rule is
# checked over a demo of 60 clients.
MEN_ZH, WOMEN_ZH = (
    "伟强磊军勇杰涛明超刚建国志东海浩宇轩鸣俊峰斌鹏辉",
    "芳娜秀英敏静丽艳娟兰霞桂红玉梅燕涵欣怡萱琪雪婷莉倩",
)
MEN_EN = {"James", "Michael", "David", "Daniel", "Henry", "William", "Thomas", "Andrew"}
WOMEN_EN = {"Emily", "Sophia", "Olivia", "Grace", "Chloe", "Hannah", "Lucy", "Alice"}
CHILDREN = (Relation.SON, Relation.DAUGHTER)


def age_on(birthday: dt.date, day: dt.date) -> int:
    return day.year - birthday.year - ((day.month, day.day) < (birthday.month, birthday.day))


def sex(name: str) -> str | None:
    """'m' or 'f' where the name says it: an English first name, or a Chinese given name
    with a man's or a woman's character and none of the other."""
    if " " in name:
        first = name.split()[0]
        return "m" if first in MEN_EN else "f" if first in WOMEN_EN else None
    given = name[1:]
    men, women = any(ch in MEN_ZH for ch in given), any(ch in WOMEN_ZH for ch in given)
    return "m" if men and not women else "f" if women and not men else None


@pytest.fixture(scope="module")
def book60(tmp_path_factory):
    book = open_book(str(tmp_path_factory.mktemp("demo60") / "demo60.sqlite"))
    with book.session() as s:
        fill_demo(s, DemoOptions(clients=60, seed=2026, as_of=AS_OF))
    yield book
    book.close()


def clients60(book60) -> list[Client]:
    with book60.session() as s:
        clients = s.scalars(select(Client).order_by(Client.id)).all()
        for c in clients:  # loaded while the session is open
            _ = (c.family, c.contacts, c.tag_names, [p.insured_member for p in c.policies])
        s.expunge_all()
    return list(clients)


def test_contact_notes_fit_the_clients_family(book60):
    """Found: "Asked about saving for the children's education" noted for Sophia Ng, single
    with no family, and for Michael Lee, who has no children; birthday wishes are sent in
    the week of the birthday."""
    education = ("教育金", "education")
    seen = 0
    for c in clients60(book60):
        born = [m.birthday for m in c.family if m.relation in CHILDREN and m.birthday]
        for contact in c.contacts:
            summary = contact.summary or ""
            if any(word in summary for word in education):
                seen += 1
                assert any(age_on(b, contact.contact_date) <= 22 for b in born), (c.name, summary)
            if summary in ("生日祝福", "Birthday wishes"):
                day, born = contact.contact_date, c.birthday
                near = [
                    dt.date(y, born.month, min(born.day, 28))
                    for y in (day.year - 1, day.year, day.year + 1)
                ]
                assert min(abs((day - b).days) for b in near) <= 8, (c.name, day, born)
    assert seen


def holdings_by_client(book60):
    with book60.session() as s:
        rows = s.execute(
            select(Snapshot.client_id, Snapshot.review_date, Holding)
            .join(Holding, Holding.snapshot_id == Snapshot.id)
            .order_by(Snapshot.client_id, Snapshot.review_date)
        ).all()
        dates = s.execute(
            select(Snapshot.client_id, Snapshot.review_date).order_by(Snapshot.review_date)
        ).all()
        s.expunge_all()
    reviews: dict[int, list[dt.date]] = {}
    for cid, day in dates:
        reviews.setdefault(cid, []).append(day)
    return rows, reviews


def test_a_holding_new_since_the_last_review_was_first_held_after_it(book60):
    """Found: 彭兰's 稳享固收增强 180天, held since 2026-04-29, first in the snapshot of
    2026-10-31 and so "New since the last review"; 郭娟's 美元定期存款, held since
    2025-10-03, likewise. A position is held on or before the first snapshot holding it,
    and after the review before that; it matures after it was first held, and a deposit
    or bond has a maturity and is no longer held once it has matured."""
    rows, reviews = holdings_by_client(book60)
    first: dict[tuple, dt.date] = {}
    new = 0
    for cid, day, h in rows:
        key = (cid, h.product_code or h.product_name, h.institution, h.currency, h.held_since)
        first.setdefault(key, day)
        if first[key] == day:
            assert h.held_since <= day, (cid, h.product_name, h.held_since, day)
            index = reviews[cid].index(day)
            if index:
                new += 1
                assert h.held_since > reviews[cid][index - 1], (cid, h.product_name, day)
        if h.asset_class in (AssetClass.DEPOSIT, AssetClass.BOND):
            assert h.maturity_date is not None, (cid, h.product_name)
        if h.maturity_date is not None:
            assert h.maturity_date > h.held_since, (cid, h.product_name)
            assert h.asset_class is AssetClass.LOAN or h.maturity_date > day, (cid, h, day)
    assert new > 60


def test_a_products_name_fits_its_maturity(book60):
    """Found: "US Treasury 4.25% 2029" maturing on 2026-12-17. A bond named by its year
    matures in that year; a product named by its term (三年期, 180天, 一年定开) lasts it,
    and one named by its issue (大额存单 2024第3期, 2025年记账式附息国债) was not held
    before it was issued."""
    terms = {"三年期定期存款": 36, "稳享固收增强 180天": 6, "睿远平衡 一年定开": 12}
    rows, _ = holdings_by_client(book60)
    checked = set()
    for cid, _day, h in rows:
        name, since, maturity = h.product_name, h.held_since, h.maturity_date
        if h.asset_class is AssetClass.BOND and (year := re.search(r" (20\d\d)$", name)):
            assert maturity is not None and maturity.year == int(year.group(1)), (cid, name)
            checked.add("bond")
        if name in terms:
            assert maturity == add_months(since, terms[name]), (cid, name, since, maturity)
            checked.add(name)
        if issue := re.match(r"大额存单 (20\d\d)第(\d+)期", name):
            assert (since.year, since.month) >= (int(issue[1]), int(issue[2])), (cid, name)
            checked.add("大额存单")
        if issue := re.match(r"(20\d\d)年记账式附息国债", name):
            assert since.year >= int(issue[1]), (cid, name, since)
            checked.add("国债")
    assert len(checked) >= 5


def test_family_members_fit_their_relation_and_age(book60):
    """Found: a 4-year-old son studying at 复旦大学, and a "Daniel Lim" recorded as a
    daughter. A child under 6 has no school or a kindergarten, under 18 a school, 18-22 a
    university, and is older at work; a son, a husband and a father have a man's name, a
    daughter, a wife and a mother a woman's."""
    by_age = 0
    for c in clients60(book60):
        client_sex = sex(c.name)
        born = sorted(m.birthday for m in c.family if m.relation in CHILDREN)
        # found: daughters born two weeks apart, a son born to a mother of 52
        assert all((b - a).days >= 365 for a, b in zip(born, born[1:], strict=False)), c.name
        assert all(20 <= age_on(c.birthday, b) <= 45 for b in born), (c.name, born)
        for m in c.family:
            age = age_on(m.birthday, AS_OF)
            where = m.school_or_employer or ""
            university = "大学" in where or "University" in where
            school = not university and any(
                w in where for w in ("小学", "中学", "学校", "School", "College")
            )
            kindergarten = "幼儿园" in where or "Kindergarten" in where
            if m.relation in CHILDREN:
                by_age += 1
                if age < 6:
                    assert not where or kindergarten, (c.name, m.name, age, where)
                elif age < 18:
                    assert school and not kindergarten, (c.name, m.name, age, where)
                elif age <= 22:
                    assert university, (c.name, m.name, age, where)
                else:
                    assert where and not (school or university), (c.name, m.name, age, where)
            expected = {
                Relation.SON: "m",
                Relation.FATHER: "m",
                Relation.DAUGHTER: "f",
                Relation.MOTHER: "f",
                Relation.SPOUSE: {"m": "f", "f": "m"}.get(client_sex or ""),
            }[m.relation]
            if expected:
                assert sex(m.name) == expected, (c.name, m.name, m.relation)
            if m.relation is Relation.SPOUSE and age >= 60:
                assert not where, (c.name, m.name, age, where)
    assert by_age > 10


def test_policies_tags_and_occupations_fit_the_people(book60):
    """Found reading the packs: a critical illness policy on a child taken out before the
    child was born, one-year policies that ended years ago still listed, premiums paid for
    30 years on a one-year cover, a 70-year-old civil servant, "has children" on clients
    with none, and a mainland client paid in Hong Kong dollars."""
    for c in clients60(book60):
        for p in c.policies:
            born = p.insured_member.birthday if p.insured_member else c.birthday
            assert p.start_date > born, (c.name, p.kind, p.start_date, born)
            assert p.start_date <= AS_OF, (c.name, p.kind)
            if p.end_date is not None:
                assert p.end_date > AS_OF, (c.name, p.kind, p.end_date)
                years = (p.end_date - p.start_date).days / 365.25
                assert p.payment_years is None or p.payment_years <= round(years), (c.name, p)
        age = age_on(c.birthday, AS_OF)
        if age >= 63:
            assert c.occupation in ("退休", "Retired", "企业主", "投资人", "Entrepreneur"), c.name
        if c.occupation == "退休":
            assert age >= 55, (c.name, age)
        children = [m for m in c.family if m.relation in CHILDREN]
        if "有子女" in c.tag_names:
            assert children, c.name
        if c.language is Language.ZH and c.report_currency != "CNY":
            assert c.income_currency == "CNY", c.name


def test_no_one_in_a_family_has_another_members_name(book60):
    """Found in the demo: Emily Lam's husband and son were both "Daniel Lam"."""
    with book60.session() as s:
        for client in s.scalars(select(Client)):
            names = [client.name, *(m.name for m in client.family)]
            assert len(names) == len(set(names)), names
