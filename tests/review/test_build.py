"""The review numbers, checked against a small book computed by hand."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest

from reviewdesk.book.enums import (
    AssetClass,
    Channel,
    ClientRiskLevel,
    FlowKind,
    PolicyKind,
    Relation,
    RiskLevel,
)
from reviewdesk.book.flows import record_flow
from reviewdesk.book.models import Contact, FamilyMember, InsurancePolicy, RiskAssessment
from reviewdesk.review.build import NoSnapshot, build_review, match_holdings
from reviewdesk.review.model import Allocation, HoldingStatus, PointKind
from reviewdesk.settings import Settings
from tests import factories as f

TODAY = dt.date(2026, 6, 10)


def make_zhang(session):
    """张伟: two reviews; a fund grows, a USD deposit is revalued, a stock goes, a bond comes."""
    client = f.client("C1", "张伟", annual_income=D(500_000))
    spouse = FamilyMember(
        name="李娜",
        relation=Relation.SPOUSE,
        annual_income=D(200_000),
        birthday=dt.date(1985, 3, 1),
    )
    son = FamilyMember(name="张小明", relation=Relation.SON, birthday=dt.date(2016, 1, 1))
    client.family = [spouse, son]
    client.snapshots = [
        f.snapshot(
            dt.date(2026, 4, 30),
            f.holding("蓝筹混合", "100000", product_code="F1", risk_level=RiskLevel.R4),
            f.holding("美元定期", "10000", "USD", AssetClass.DEPOSIT, risk_level=RiskLevel.R1),
            f.holding(
                "贵州茅台",
                "50000",
                asset_class=AssetClass.STOCK,
                product_code="600519",
                risk_level=RiskLevel.R5,
            ),
            f.holding("住房按揭", "300000", asset_class=AssetClass.LOAN, risk_level=None),
            rates={("USD", "CNY"): "7.0"},
        ),
        f.snapshot(
            dt.date(2026, 5, 31),
            f.holding("蓝筹混合(更名)", "110000", product_code="F1", risk_level=RiskLevel.R4),
            f.holding("美元定期", "10000", "USD", AssetClass.DEPOSIT, risk_level=RiskLevel.R1),
            f.holding(
                "国开债",
                "80000",
                asset_class=AssetClass.BOND,
                product_code="B1",
                institution="招商银行",
                risk_level=RiskLevel.R2,
                maturity_date=dt.date(2026, 7, 15),
            ),
            f.holding("住房按揭", "290000", asset_class=AssetClass.LOAN, risk_level=None),
            rates={("USD", "CNY"): "7.2"},
        ),
    ]
    client.assessments = [
        RiskAssessment(
            assessed_on=dt.date(2025, 5, 1),
            level=ClientRiskLevel.C3,
            valid_until=dt.date(2026, 5, 1),
        )
    ]
    client.policies = [
        InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(2_000_000), annual_premium=D(20_000)),
        InsurancePolicy(
            kind=PolicyKind.CRITICAL_ILLNESS,
            sum_assured=D(300_000),
            annual_premium=D(5_000),
            insured_member=spouse,
        ),
        InsurancePolicy(
            kind=PolicyKind.ACCIDENT,
            sum_assured=D(1_000_000),
            annual_premium=D(1_000),
            end_date=dt.date(2025, 12, 31),
        ),
    ]
    client.contacts = [
        Contact(
            contact_date=dt.date(2026, 5, 2),
            channel=Channel.PHONE,
            summary="电话",
            next_step="准备重疾险方案",
            shared=True,
            next_step_shared=True,
            next_step_due=dt.date(2026, 6, 30),
        ),
        Contact(
            contact_date=dt.date(2026, 6, 1), channel=Channel.MEETING, summary="面谈", shared=True
        ),
        Contact(
            contact_date=dt.date(2026, 6, 20), channel=Channel.EMAIL, summary="以后", shared=True
        ),
    ]
    session.add(client)
    session.flush()
    return client.id


@pytest.fixture
def zhang(book):
    with book.session() as session:
        cid = make_zhang(session)
    with book.session() as session:
        yield build_review(session, cid, settings=Settings(), today=TODAY)


def test_totals_in_report_currency_at_both_reviews(zhang):
    assert zhang.review_date == dt.date(2026, 5, 31)
    assert zhang.previous_date == dt.date(2026, 4, 30)
    # 110,000 + 10,000 USD x 7.2 + 80,000; before: 100,000 + 70,000 + 50,000
    assert zhang.current.assets == D("262000.00")
    assert zhang.current.liabilities == D("290000.00")
    assert zhang.net_worth == D("-28000.00")
    assert zhang.previous.assets == D("220000.00")
    assert zhang.previous.net_worth == D("-80000.00")
    assert zhang.change == D("52000.00")


def test_change_since_last_review_per_holding(zhang):
    rows = {h.product_name: h for h in zhang.holdings}
    fund = rows["蓝筹混合(更名)"]  # matched by product code despite the new name
    assert fund.status is HoldingStatus.KEPT
    assert (fund.previous_value, fund.change, fund.change_pct) == (D(100000), D(10000), D("0.1"))
    usd = rows["美元定期"]  # matched by name, institution and currency; rates of each date
    assert usd.value == D("72000.0") and usd.previous_value == D("70000.0")
    assert usd.change == D(2000)


def test_new_and_gone_holdings_are_marked(zhang):
    assert [h.product_name for h in zhang.new_holdings] == ["国开债"]
    new = zhang.new_holdings[0]
    assert new.institution == "招商银行" and not new.at_this_bank
    assert new.change == D(80000) and new.change_pct is None
    gone = zhang.gone_holdings
    assert [h.product_name for h in gone] == ["贵州茅台"]
    assert gone[0].value == 0 and gone[0].change == D(-50000)


def test_groups_follow_asset_classes_with_loans_last(zhang):
    classes = [g.asset_class for g in zhang.groups]
    assert classes == [
        AssetClass.DEPOSIT,
        AssetClass.FUND,
        AssetClass.BOND,
        AssetClass.STOCK,
        AssetClass.LOAN,
    ]
    stock = zhang.groups[3]
    assert (stock.total, stock.previous_total, stock.change) == (
        D("0.00"),
        D("50000.00"),
        D("-50000.00"),
    )


def test_allocation_by_class_and_institution(zhang):
    by_class = {s.key: (s.value, s.share) for s in zhang.allocation.by_class}
    assert by_class == {
        AssetClass.FUND: (D("110000.00"), D(110000) / D(262000)),
        AssetClass.BOND: (D("80000.00"), D(80000) / D(262000)),
        AssetClass.DEPOSIT: (D("72000.00"), D(72000) / D(262000)),
    }
    by_place = {s.key: s.value for s in zhang.allocation.by_institution}
    assert by_place == {Allocation.THIS_BANK: D("182000.00"), Allocation.OTHER: D("80000.00")}
    assert zhang.allocation.total == D("262000.00")


def test_trend_has_every_review_up_to_this_one(zhang):
    assert [(p.review_date, p.net_worth) for p in zhang.trend] == [
        (dt.date(2026, 4, 30), D("-80000.00")),
        (dt.date(2026, 5, 31), D("-28000.00")),
    ]


def test_insurance_gaps_per_person_and_kind(zhang):
    people = {p.name: p for p in zhang.insurance.people}
    assert list(people) == ["张伟", "李娜", "张小明"]
    me = {c.kind: c for c in people["张伟"].covers}
    # 10 x 500,000 + the mortgage 290,000 + one child's education 500,000
    assert me[PolicyKind.LIFE].need == D("5790000.00")
    assert me[PolicyKind.LIFE].gap == D("3790000.00")
    assert me[PolicyKind.CRITICAL_ILLNESS].gap == D("1500000.00")
    # the accident policy ended before the review: it no longer counts
    assert me[PolicyKind.ACCIDENT].cover == 0 and me[PolicyKind.ACCIDENT].gap == D("2500000.00")
    spouse = {c.kind: c for c in people["李娜"].covers}
    assert spouse[PolicyKind.CRITICAL_ILLNESS].cover == D("300000.00")
    assert spouse[PolicyKind.CRITICAL_ILLNESS].gap == D("300000.00")
    assert spouse[PolicyKind.LIFE].need == D("2000000.00")
    child = {c.kind: c for c in people["张小明"].covers}
    assert set(child) == {PolicyKind.MEDICAL}  # no income: no income-based need
    assert child[PolicyKind.MEDICAL].gap == D("1000000.00")
    ins = zhang.insurance
    assert ins.household_income == D(700000)
    assert ins.total_premiums == D("25000.00") and ins.premium_limit == D("70000.00")
    assert not ins.premiums_over_limit
    assert ins.rules.life_income_multiple == D(10)


def test_rules_come_from_the_settings(book):
    with book.session() as session:
        cid = make_zhang(session)
        review = build_review(
            session,
            cid,
            settings=Settings(
                {"life_cover_income_multiple": "5", "life_cover_includes_debt": False}
            ),
            today=TODAY,
        )
    me = {c.kind: c for c in review.insurance.people[0].covers}
    assert me[PolicyKind.LIFE].need == D("3000000.00")  # 5 x 500,000 + education
    assert review.insurance.rules.life_income_multiple == D(5)


def test_risk_profile_expired_and_suitability(zhang):
    assert zhang.risk.level is ClientRiskLevel.C3
    assert zhang.risk.valid_until == dt.date(2026, 5, 1)
    assert zhang.risk.expired
    assert [(s.product_name, s.risk_level) for s in zhang.suitability] == [
        ("蓝筹混合(更名)", RiskLevel.R4)
    ]


def test_assessment_valid_within_the_validity_setting(book):
    with book.session() as session:
        cid = make_zhang(session)
        review = build_review(session, cid, settings=Settings(), today=dt.date(2026, 4, 30))
        shorter = build_review(
            session,
            cid,
            dt.date(2026, 4, 30),
            settings=Settings({"assessment_validity_months": 6}),
            today=dt.date(2026, 4, 30),
        )
    assert not review.risk.expired
    assert shorter.risk.expired and shorter.risk.valid_until == dt.date(2025, 11, 1)


def test_next_steps_maturities_and_contacts(zhang):
    assert [(m.product_name, m.days) for m in zhang.maturities] == [("国开债", 35)]
    assert [c.contact_date for c in zhang.contacts] == [dt.date(2026, 6, 1), dt.date(2026, 5, 2)]
    assert [(s.text, s.due, s.agreed_on) for s in zhang.next_steps] == [
        ("准备重疾险方案", dt.date(2026, 6, 30), dt.date(2026, 5, 2))
    ]
    assert zhang.show_contacts and zhang.internal_contacts == zhang.internal_next_steps == 0


def test_talking_points_are_derived_and_translated(zhang):
    kinds = [p.kind for p in zhang.talking_points]
    # The assessment expired on 2026-05-01: compliance first, then maturity and gap.
    assert kinds == [PointKind.EXPIRED, PointKind.SUITABILITY, PointKind.MATURITY, PointKind.GAP]
    gap = zhang.talking_points[3]
    assert gap.subject == "张伟" and gap.amount == D("3790000.00")
    assert gap.text("en", "CNY") == "张伟: Life cover is CNY 3,790,000.00 short of the need."
    assert gap.text("zh", "CNY") == "张伟：寿险保额距需求尚差 379.00万 CNY。"


def test_first_review_has_nothing_to_compare(book):
    with book.session() as session:
        cid = make_zhang(session)
        review = build_review(session, cid, dt.date(2026, 4, 30), settings=Settings(), today=TODAY)
    assert review.previous is None and review.change is None
    assert {h.status for h in review.holdings} == {HoldingStatus.FIRST}
    assert len(review.trend) == 1


def test_a_date_without_a_snapshot_lists_the_dates(book):
    with book.session() as session:
        cid = make_zhang(session)
        with pytest.raises(NoSnapshot, match="2026-04-30, 2026-05-31"):
            build_review(session, cid, dt.date(2026, 5, 1), settings=Settings(), today=TODAY)


def test_inverse_rate_converts_and_missing_rate_is_reported(book):
    with book.session() as session:
        client = f.client("C9", "Amy Lee", report_currency="USD")
        client.snapshots = [
            f.snapshot(
                dt.date(2026, 5, 31),
                f.holding("Deposit", "710", "CNY", AssetClass.DEPOSIT),
                f.holding("Cash", "100", "EUR", AssetClass.CASH),
                rates={("USD", "CNY"): "7.1"},
            )
        ]
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
    assert review.current.assets == D("100.00")
    assert review.current.missing_rates == ("EUR",)
    # A class whose only holding has no value says so, rather than "Cash 0.00".
    totals = {g.asset_class: g.total for g in review.groups}
    assert totals == {AssetClass.DEPOSIT: D("100.00"), AssetClass.CASH: None}


def test_holdings_with_the_same_code_prefer_the_same_institution():
    here = f.holding("Fund", "1", product_code="X")
    there = f.holding("Fund", "2", product_code="X", institution="Other Bank")
    pairs, gone = match_holdings([there, here], [here, there])
    assert pairs == [(there, there), (here, here)] and gone == []


def test_several_accounts_of_one_product_are_paired_by_the_day_each_was_first_held():
    """Found in the demo: a client's HKD current accounts at one bank, paired by the product
    alone after one of them closed, read "港币活期 moved -45.8% since the last review" of
    an account that had moved +0.05%, and listed the wrong one as gone."""
    day = dt.date

    def account(value: str, since: dt.date, **kw):
        return f.holding("港币活期", value, "HKD", AssetClass.CASH, held_since=since, **kw)

    before = [
        account("202417.62", day(2023, 4, 21)),
        account("256068.00", day(2024, 3, 14)),
        account("138036.48", day(2023, 4, 18)),
    ]
    now = [account("202579.55", day(2023, 4, 21)), account("138105.50", day(2023, 4, 18))]
    pairs, gone = match_holdings(now, before)
    assert pairs == [(now[0], before[0]), (now[1], before[2])]
    assert gone == [before[1]]
    # By account number where there is one, whatever the day; an account whose day was
    # corrected since is still the same product's.
    one = f.holding("三年期定期存款", "50000", account_number="6222-01", held_since=day(2024, 1, 5))
    two = f.holding("三年期定期存款", "80000", account_number="6222-02", held_since=day(2024, 1, 5))
    later_one = f.holding("三年期定期存款", "50100", account_number="6222-01")
    later_two = f.holding("三年期定期存款", "80200", account_number="6222-02")
    pairs, gone = match_holdings([later_two, later_one], [one, two])
    assert pairs == [(later_two, two), (later_one, one)] and gone == []
    corrected = account("138105.50", day(2023, 5, 1))
    pairs, gone = match_holdings([corrected], [before[2]])
    assert pairs == [(corrected, before[2])] and gone == []


def _premium_payer(code: str, name: str):
    """A client with a deposit and a life policy of 8,000 a year, no income recorded."""
    client = f.client(code, name)
    client.snapshots = [f.snapshot(dt.date(2026, 5, 31), f.holding("Deposit", "500000"))]
    client.policies = [
        InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(1_000_000), annual_premium=D(8_000))
    ]
    return client


def _premiums_not_judged(review, words: str) -> None:
    """The premium guide not checked: no limit, no point raised, and `words` said on the
    page and in the pack, never a household income."""
    from pypdf import PdfReader

    from reviewdesk.pack.document import render_pack
    from reviewdesk.review.insurance_text import premiums_unjudged

    ins = review.insurance
    assert ins.household_income is None and ins.premium_limit is None
    assert not ins.premiums_over_limit
    assert PointKind.PREMIUMS not in {p.kind for p in review.talking_points}
    assert words in premiums_unjudged(ins, "CNY", "en")
    pages = PdfReader(io.BytesIO(render_pack(review, "en"))).pages
    text = " ".join("".join(page.extract_text() for page in pages).split())
    assert "household income of" not in text and words in text


def test_no_income_recorded_is_not_an_income_of_zero(book):
    """A client paying a premium with no income recorded for anyone was told "Premiums of
    CNY 8,000.00 a year exceed the planned share of income", and the pack read "household
    income of CNY 0.00": a blank is not a zero, and the guide cannot be checked."""
    with book.session() as session:
        client = _premium_payer("C8", "李四")
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
        ins = review.insurance
        assert not ins.income_recorded
        # The medical minimum's gap is known (the one need not based on income); the life
        # need is not known, and neither is its gap.
        life, medical = ins.people[0].covers
        assert life.need is None and life.gap is None
        assert medical.gap == D("1000000.00")
        _premiums_not_judged(review, "No income is recorded")
        # With an income recorded, the guide is checked as before.
        client.annual_income = D(50_000)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
    assert review.insurance.income_recorded and review.insurance.household_income == D(50_000)
    assert review.insurance.premiums_over_limit  # 8,000 above 10% of 50,000


def test_the_household_income_is_not_the_familys_alone_while_the_clients_is_not_recorded(
    book,
):
    """Found: with the spouse's income recorded and the client's not, the review page and
    the pack gave the spouse's 50,000 as the "household income" and judged the premiums
    against 10% of it ("Premiums exceed the planned share of income"). A blank is not a
    zero: the household's income is not known. An income of 0 says "none"."""

    with book.session() as session:
        client = _premium_payer("C9", "王五")
        client.family = [
            FamilyMember(name="王太", relation=Relation.SPOUSE, annual_income=D(50_000))
        ]
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
        ins = review.insurance
        assert ins.income_recorded and not ins.client_income_recorded
        _premiums_not_judged(review, "The client's own income is not recorded")
        # The client has no income: the household's is the spouse's, and is judged.
        client.annual_income = D(0)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
    assert review.insurance.household_income == D(50_000)
    assert review.insurance.premiums_over_limit  # 8,000 above 10% of 50,000


def test_a_persons_gap_is_not_said_to_be_nil_when_no_gap_is_known(book):
    """With no need known (no income recorded, no rate for the medical minimum) the
    person's line on the review page read "Gap 0.00": nothing missing."""
    with book.session() as session:
        client = f.client("C7", "Grace Wong", report_currency="USD")
        client.snapshots = [f.snapshot(dt.date(2026, 5, 31), f.holding("Deposit", "1000", "USD"))]
        client.policies = [
            InsurancePolicy(
                kind=PolicyKind.LIFE,
                sum_assured=D(500_000),
                annual_premium=D(3_000),
                currency="USD",
            )
        ]
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
    (person,) = review.insurance.people
    assert [c.gap for c in person.covers] == [None]


def test_a_premium_whose_term_is_over_is_not_paid_a_year(book):
    """Found in the demo's packs: a policy paid in one premium in 2017 was counted at its
    full premium every year, and the pack told the client that premiums of HKD 61,895.82
    a year "exceed the planned share of income" when nothing was payable."""
    with book.session() as session:
        client = f.client("C8", "David Ho", annual_income=D(100_000))
        client.snapshots = [f.snapshot(dt.date(2026, 5, 31), f.holding("Deposit", "1000"))]
        client.policies = [
            InsurancePolicy(  # paid once, in 2017: nothing is payable now
                kind=PolicyKind.LIFE,
                sum_assured=D(1_000_000),
                annual_premium=D(40_000),
                payment_years=1,
                start_date=dt.date(2017, 3, 1),
            ),
            InsurancePolicy(  # ten years from 2020: paid this year
                kind=PolicyKind.CRITICAL_ILLNESS,
                sum_assured=D(300_000),
                annual_premium=D(6_000),
                payment_years=10,
                start_date=dt.date(2020, 3, 1),
            ),
            InsurancePolicy(  # ten years from 2016: the tenth was paid in 2025
                kind=PolicyKind.MEDICAL,
                sum_assured=D(1_000_000),
                annual_premium=D(2_000),
                payment_years=10,
                start_date=dt.date(2016, 3, 1),
            ),
        ]
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
    ins = review.insurance
    assert ins.total_premiums == D("6000.00")
    assert ins.total_cover == D("2300000.00")  # the cover stays: the policies are in force
    assert not ins.premiums_over_limit
    assert PointKind.PREMIUMS not in {p.kind for p in review.talking_points}
    by_kind = {c.kind: c for c in ins.people[0].covers}
    assert by_kind[PolicyKind.LIFE].premiums == 0 and by_kind[PolicyKind.LIFE].cover > 0


def test_a_position_opened_after_the_previous_review_is_not_the_one_held_then():
    """Found in the demo: a certificate of deposit held since 2023 matured on 25 July and
    another of the same product replaced it; paired by the product, the pack read
    "大额存单 2024第3期 moved +31.7% (USD 240,348.28) since the last review", the money
    paid into the new one."""
    day = dt.date
    old = f.holding(
        "大额存单 2024第3期", "760000", "USD", AssetClass.DEPOSIT, held_since=day(2023, 7, 25)
    )
    new = f.holding(
        "大额存单 2024第3期", "1000348.28", "USD", AssetClass.DEPOSIT, held_since=day(2026, 7, 25)
    )
    pairs, gone = match_holdings([new], [old], day(2026, 6, 30))
    assert pairs == [(new, None)] and gone == [old]
    # first held before the previous review (a date corrected since): still the same one
    corrected = f.holding(
        "大额存单 2024第3期", "760100", "USD", AssetClass.DEPOSIT, held_since=day(2023, 8, 1)
    )
    pairs, gone = match_holdings([corrected], [old], day(2026, 6, 30))
    assert pairs == [(corrected, old)] and gone == []
    # two account numbers that differ are two positions, whatever the product
    one = f.holding("三年期定期存款", "50000", account_number="6222-01")
    other = f.holding("三年期定期存款", "90000", account_number="6222-09")
    pairs, gone = match_holdings([other], [one], day(2026, 6, 30))
    assert pairs == [(other, None)] and gone == [one]


def test_a_home_is_not_held_at_another_institution(book):
    """Found in the demo's packs: Michael Lee's "Other institutions 87.4%", 65 points of
    it his own home ("Self-held"). Where the assets are held now reads this bank, other
    institutions and property."""
    with book.session() as session:
        client = f.client("C9", "Michael Lee")
        client.snapshots = [
            f.snapshot(
                dt.date(2026, 5, 31),
                f.holding("Deposit", "100000", "CNY", AssetClass.DEPOSIT),
                f.holding("Fund elsewhere", "50000", "CNY", institution="Other Bank"),
                f.holding("Home", "650000", "CNY", AssetClass.PROPERTY, institution="Self-held"),
            )
        ]
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
    by_place = {s.key: s.value for s in review.allocation.by_institution}
    assert by_place == {
        Allocation.THIS_BANK: D("100000.00"),
        Allocation.OTHER: D("50000.00"),
        AssetClass.PROPERTY: D("650000.00"),
    }
    assert sum(review.slice_amounts(review.allocation.by_institution)) == review.current.assets


def test_a_holding_topped_up_is_not_the_move_of_the_review(book):
    """A fund whose principal went from 100,000 to 150,000 between the reviews, worth
    155,000 now, changed by +55% mostly with the client's own money: the key point names
    the fund the market moved (+6%), not it, and with no such fund, none."""

    def fund(name: str, value: str, principal: str) -> object:
        return f.holding(name, value, principal=D(principal), held_since=dt.date(2025, 1, 1))

    with book.session() as session:
        client = f.client("M1", "钱七", annual_income=D(1_000_000))
        client.snapshots = [
            f.snapshot(
                dt.date(2026, 4, 30),
                fund("加仓基金", "100000", "100000"),
                fund("上涨基金", "100000", "90000"),
            ),
            f.snapshot(
                dt.date(2026, 5, 31),
                fund("加仓基金", "155000", "150000"),
                fund("上涨基金", "106000", "90000"),
            ),
        ]
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
        moved = {h.product_name: h.client_moved for h in review.holdings}
        assert moved == {"加仓基金": True, "上涨基金": False}
        (point,) = [p for p in review.talking_points if p.kind is PointKind.MOVE]
        assert point.subject == "上涨基金" and point.ratio == D("0.06")
        client.snapshots[1].holdings[1].market_value = D(101_000)  # +1%: no move of note
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
        assert PointKind.MOVE not in {p.kind for p in review.talking_points}


def _moves(session, *pairs, flows=()):
    """The review of two snapshots of (before, after) holdings, with `flows` recorded as
    record_flow's arguments; the holdings the key points say moved."""
    client = f.client("M2", "孙八", annual_income=D(1_000_000))
    client.snapshots = [
        f.snapshot(dt.date(2026, 4, 30), *(before for before, _after in pairs)),
        f.snapshot(dt.date(2026, 5, 31), *(after for _before, after in pairs)),
    ]
    session.add(client)
    session.flush()
    for flow in flows:
        record_flow(session, client.id, today=TODAY, **flow)
    review = build_review(session, client.id, settings=Settings(), today=TODAY)
    return review, [p for p in review.talking_points if p.kind is PointKind.MOVE]


def _twice(name: str, before: str, after: str, **kw):
    kw.setdefault("held_since", dt.date(2025, 1, 1))
    return f.holding(name, before, **kw), f.holding(name, after, **kw)


def test_a_balance_the_client_moves_is_not_the_move_of_the_review(book):
    """Found: a current account topped up from 100,000 to 400,000, no principal recorded,
    read "活期存款 moved +300.0% (CNY 300,000.00) since the last review" among the key
    points. A deposit, cash or a loan moves by what the client pays in, takes out or
    repays; an insurance cash value by the premiums paid, unless its principal is on
    record at both reviews. The fund the market moved is the point."""
    with book.session() as session:
        review, moves = _moves(
            session,
            _twice("活期存款", "100000", "400000", asset_class=AssetClass.DEPOSIT),
            _twice("现金", "10000", "30000", asset_class=AssetClass.CASH),
            _twice("消费贷", "50000", "5000", asset_class=AssetClass.LOAN, risk_level=None),
            _twice("增额终身寿", "20000", "60000", asset_class=AssetClass.INSURANCE),
            _twice("上涨基金", "100000", "106000"),
        )
    moved = {h.product_name: h.client_moved for h in review.holdings}
    assert moved == {
        "活期存款": True,
        "现金": True,
        "消费贷": True,
        "增额终身寿": True,
        "上涨基金": False,
    }
    assert [p.subject for p in moves] == ["上涨基金"]


def test_an_insurance_value_with_its_principal_on_record_may_be_a_move(book):
    """A cash value whose principal (premiums paid) is recorded at both reviews and did
    not move grew by the policy's own terms: that is worth raising."""
    with book.session() as session:
        _review, moves = _moves(
            session,
            _twice(
                "增额终身寿", "20000", "24000", asset_class=AssetClass.INSURANCE, principal=D(20000)
            ),
        )
    assert [(p.subject, p.ratio) for p in moves] == [("增额终身寿", D("0.2"))]


def test_a_holding_with_flows_recorded_against_it_is_not_the_move_of_the_review(book):
    """Found: a fund the client paid 200,000 into in the period (a flow recorded against
    it, no principal on record) read "moved +200.0% since the last review". A flow of an
    earlier period, or one against another holding, leaves a fund's move the market's;
    a flow naming a holding's institution counts for what is held there."""
    with book.session() as session:
        review, moves = _moves(
            session,
            _twice("加仓基金", "100000", "300000", product_code="F9"),
            _twice("他行理财", "100000", "150000", institution="Other Bank"),
            _twice("上涨基金", "100000", "120000"),
            flows=(
                {
                    "day": dt.date(2026, 5, 10),
                    "amount": D(200000),
                    "kind": FlowKind.DEPOSIT,
                    "holding": " f9 ",
                },
                {
                    "day": dt.date(2026, 5, 12),
                    "amount": D(50000),
                    "kind": FlowKind.DEPOSIT,
                    "holding": "other bank",
                },
                {
                    "day": dt.date(2026, 4, 30),
                    "amount": D(100000),
                    "kind": FlowKind.DEPOSIT,
                    "holding": "上涨基金",
                },  # on the previous review date: its period, not this
            ),
        )
    moved = {h.product_name: h.client_moved for h in review.holdings}
    assert moved == {"加仓基金": True, "他行理财": True, "上涨基金": False}
    assert [(p.subject, p.ratio) for p in moves] == [("上涨基金", D("0.2"))]


def test_a_maturity_whose_value_has_no_rate_says_so(book):
    """Found: a USD certificate of deposit, with no USD rate in the snapshot, read "USD CD
    matures on 2026-07-01 ()." among the key points."""
    with book.session() as session:
        client = f.client("M3", "周九")
        client.snapshots = [
            f.snapshot(
                dt.date(2026, 5, 31),
                f.holding(
                    "USD CD",
                    "10000",
                    "USD",
                    AssetClass.DEPOSIT,
                    risk_level=RiskLevel.R1,
                    maturity_date=dt.date(2026, 7, 1),
                ),
            )
        ]
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
    (point,) = [p for p in review.talking_points if p.kind is PointKind.MATURITY]
    assert point.text("en", "CNY") == (
        "USD CD matures on 2026-07-01 (its value is not available: no exchange rate for USD)."
    )
    assert point.text("zh", "CNY") == "USD CD 将于 2026-07-01 到期（缺少 USD 汇率，金额无法折算）。"


def test_a_class_change_pct_leaves_out_new_money_and_sales(book):
    """Found in the demo book: a new USD deposit made the Deposit subtotal read +206.9%
    in green, and a matured bond's class read -100.0%, while each row's own percentage
    is hidden for a holding bought or sold in between. A class's Change % is now over its
    holdings held at both reviews; none where it has none."""
    with book.session() as session:
        client = f.client("C9", "王芳")
        client.snapshots = [
            f.snapshot(
                dt.date(2026, 4, 30),
                f.holding("人民币定期", "100000", asset_class=AssetClass.DEPOSIT),
                f.holding("国债", "50000", asset_class=AssetClass.BOND, product_code="B9"),
                f.holding("蓝筹混合", "100000"),
            ),
            f.snapshot(
                dt.date(2026, 5, 31),
                f.holding("人民币定期", "101000", asset_class=AssetClass.DEPOSIT),
                f.holding("美元定期", "30000", "USD", AssetClass.DEPOSIT),
                f.holding("蓝筹混合", "110000"),
                rates={("USD", "CNY"): "7.0"},
            ),
        ]
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
    groups = {g.asset_class: g for g in review.groups}
    deposit, bond, fund = (
        groups[c] for c in (AssetClass.DEPOSIT, AssetClass.BOND, AssetClass.FUND)
    )
    # the class's value moved by 211,000 (new money mostly), its kept deposit by 1%
    assert deposit.change == D("211000.00") and deposit.change_pct == D("0.01")
    assert deposit.change_pct_partial
    assert bond.change == D("-50000.00") and bond.change_pct is None
    assert fund.change_pct == D("0.1") and not fund.change_pct_partial
