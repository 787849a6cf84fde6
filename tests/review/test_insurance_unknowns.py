"""What the insurance section says when something it rests on is not known: a policy left
out for want of a rate, a spouse's income not recorded, a child's age not recorded."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal as D

from pypdf import PdfReader

from reviewdesk.book.enums import AssetClass, PolicyKind, Relation
from reviewdesk.book.models import FamilyMember, InsurancePolicy
from reviewdesk.pack.document import render_pack
from reviewdesk.review.build import build_review
from reviewdesk.review.insurance_text import premiums_unjudged, rules_sentences
from reviewdesk.review.model import (
    Insurance,
    PointKind,
    PolicyTerms,
    policies_in_force,
)
from reviewdesk.settings import Settings
from tests import factories as f

TODAY = dt.date(2026, 6, 10)
DAY = dt.date(2026, 5, 31)


def _review(book, client):
    with book.session() as session:
        client.snapshots = client.snapshots or [f.snapshot(DAY, f.holding("Deposit", "500000"))]
        session.add(client)
        session.flush()
        return build_review(session, client.id, settings=Settings(), today=TODAY)


def _pack_text(review, lang: str = "en") -> str:
    pages = PdfReader(io.BytesIO(render_pack(review, lang))).pages
    return " ".join("".join(page.extract_text() for page in pages).split())


def _covers(person):
    return {c.kind: c for c in person.covers}


def test_a_policy_left_out_for_want_of_a_rate_is_not_a_cover_of_nil(book):
    """Found: a USD 2,000,000 life policy in a snapshot with no USD to CNY rate read as a
    life cover of 0.00 with a red gap, the talking point said "Life cover is CNY
    5,000,000.00 short of the need", and the premiums were "0.6% of household income",
    judged on the CNY premium alone."""
    client = f.client("U1", "陈明", annual_income=D(500_000))
    client.policies = [
        InsurancePolicy(
            kind=PolicyKind.LIFE,
            sum_assured=D(2_000_000),
            annual_premium=D(60_000),
            currency="USD",
        ),
        InsurancePolicy(kind=PolicyKind.MEDICAL, sum_assured=D(1_000_000), annual_premium=D(3_000)),
    ]
    review = _review(book, client)
    ins = review.insurance
    life = _covers(ins.people[0])[PolicyKind.LIFE]
    assert life.need == D("5000000.00")
    assert life.cover is None and life.gap is None and life.premiums is None
    gaps = [p for p in review.talking_points if p.kind is PointKind.GAP]
    assert all(p.detail != PolicyKind.LIFE.label for p in gaps)
    # The household income is known; the premiums known alone are not judged against it.
    assert ins.household_income == D(500_000) and not ins.premiums_complete
    assert ins.premium_limit is None and ins.premium_share is None
    assert not ins.premiums_over_limit
    said = premiums_unjudged(ins, "CNY", "en")
    assert said.startswith("Premiums of the policies that could be converted: CNY 3,000.00")
    assert "household income of CNY 500,000.00 cannot be checked" in said
    text = _pack_text(review)
    assert "Life cover is" not in text and "5,000,000.00 short" not in text
    assert "% of household income" not in text
    assert "Premiums of the policies that could be converted" in text
    assert "policies in USD are left out of the cover and premiums" in text
    zh = _pack_text(review, "zh")
    assert "可换算保单的保费" in zh and "部分保单未计入" in zh


def test_a_policy_left_out_whose_premiums_are_paid_up_leaves_the_guide_judged(book):
    """A policy left out whose premium term is over costs nothing a year: the premiums are
    all known, and the guide is judged; its cover is still not known."""
    client = f.client("U2", "陈亮", annual_income=D(500_000))
    client.policies = [
        InsurancePolicy(
            kind=PolicyKind.LIFE,
            sum_assured=D(2_000_000),
            annual_premium=D(60_000),
            payment_years=5,
            start_date=dt.date(2010, 1, 1),
            currency="USD",
        )
    ]
    ins = _review(book, client).insurance
    assert _covers(ins.people[0])[PolicyKind.LIFE].cover is None
    assert ins.premiums_complete and ins.premium_limit == D("50000.00")


def test_a_spouses_income_not_recorded_leaves_the_household_income_unknown(book):
    """Found: with the spouse's income blank, the pack read "15.0% of household income of
    CNY 100,000.00" and "Premiums ... exceed the planned share of income": the client's
    income alone was taken for the household's."""
    client = f.client("S1", "刘强", annual_income=D(100_000))
    client.family = [
        FamilyMember(name="刘太", relation=Relation.SPOUSE),
        FamilyMember(name="刘小", relation=Relation.SON, birthday=dt.date(2015, 1, 1)),
    ]
    client.policies = [
        InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(500_000), annual_premium=D(15_000))
    ]
    with book.session() as session:
        client.snapshots = [f.snapshot(DAY, f.holding("Deposit", "500000"))]
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
        ins = review.insurance
        assert ins.unrecorded_spouses == ("刘太",)
        assert ins.household_income is None and ins.premium_limit is None
        assert not ins.premiums_over_limit
        assert PointKind.PREMIUMS not in {p.kind for p in review.talking_points}
        said = "The income of 刘太 (spouse) is not recorded"
        assert said in premiums_unjudged(ins, "CNY", "en")
        text = _pack_text(review)
        assert said in text and "household income of" not in text
        assert "配偶 刘太 的收入未记录" in _pack_text(review, "zh")
        # A spouse without income (0) leaves the household's the client's: judged. The
        # son's blank income is taken as none.
        client.family[0].annual_income = D(0)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
    assert review.insurance.household_income == D(100_000)
    assert review.insurance.premiums_over_limit


def test_a_child_whose_age_is_not_recorded_adds_no_education_need(book):
    """Found: a son with no birthday was taken to be under 22, and his education (CNY
    500,000.00) was added to the client's life need, whatever his age."""
    client = f.client("K1", "赵刚", annual_income=D(300_000))
    client.family = [
        FamilyMember(name="赵大", relation=Relation.SON),
        FamilyMember(name="赵二", relation=Relation.DAUGHTER, birthday=dt.date(2016, 3, 1)),
    ]
    ins = _review(book, client).insurance
    me = ins.people[0]
    assert me.education_need == D(500_000)  # the daughter's alone
    assert _covers(me)[PolicyKind.LIFE].need == D("3500000.00")
    said = "赵大: age not recorded, so no education need is counted for them."
    assert said in rules_sentences(ins, "en")
    assert "赵大：年龄未记录，未计入其教育金需求。" in rules_sentences(ins, "zh")


def test_the_policies_in_force_add_up_per_currency_by_the_reviews_rule():
    """The insurance tab's totals and the review's cover come from one rule: a lapsed
    policy holds no cover, a policy paid up costs nothing a year."""
    on = dt.date(2026, 6, 10)

    def terms(currency, cover, premium, start=None, end=None, years=None):
        premium = None if premium is None else D(premium)
        return PolicyTerms(currency, D(cover), premium, years, start, end)

    totals = policies_in_force(
        [
            terms("CNY", 100, 10),
            terms("USD", 50, 5),
            terms("CNY", 200, 20, start=dt.date(2010, 1, 1), years=5),  # paid up
            terms("CNY", 999, 99, end=dt.date(2026, 1, 1)),  # lapsed
            terms("CNY", 999, 99, start=dt.date(2027, 1, 1)),  # not yet started
            terms("CNY", 400, None),  # paying a premium not on record
            terms("CNY", 500, None, start=dt.date(2010, 1, 1), years=1),  # paid up
        ],
        on,
    )
    assert totals.by_currency == (("CNY", D(1200), D(10)), ("USD", D(50), D(5)))
    assert totals.not_in_force == 2
    assert totals.unrecorded_premiums == 1
    for name in ("premiums_converted", "unrecorded_premiums"):
        assert Insurance.__dataclass_fields__[name].repr is False


def test_no_policy_on_record_is_said_rather_than_premiums_of_nil(book):
    """Found: with no insurance policy on record the pack read "Premiums: CNY 0.00 a year,
    0.0% of household income of CNY 3,565,000.00" ("保费：每年 0.00 CNY，占家庭年收入 …
    的 0.0%"), figures the bank does not know."""
    client = f.client("N1", "武娟", annual_income=D(500_000))
    review = _review(book, client)
    ins = review.insurance
    assert ins.policies_held == 0 and ins.household_income is not None
    assert not ins.premiums_judged and ins.premium_share is None
    en = "Premiums: no insurance policy in force on the review date is on record."
    zh = "保费：记录中没有回顾日有效的保单。"
    assert premiums_unjudged(ins, "CNY", "en") == en
    assert premiums_unjudged(ins, "CNY", "zh") == zh
    text = _pack_text(review)
    assert en in text
    assert "0.00 a year" not in text and "% of household income" not in text
    assert zh in _pack_text(review, "zh").replace(" ", "")
    assert "每年 0.00" not in _pack_text(review, "zh")


def test_a_policy_in_force_with_no_premium_still_has_its_premiums_judged(book):
    """A paid-up policy in force: premiums of nil a year are then a fact on record."""
    client = f.client("N2", "陈明", annual_income=D(500_000))
    client.policies = [
        InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(1_000_000), annual_premium=D(0))
    ]
    ins = _review(book, client).insurance
    assert ins.policies_held == 1 and ins.premiums_judged and ins.premium_share == 0


def test_a_gap_reads_the_same_on_every_face():
    """The gap cell's one rule (`gap_text`): the amount short, "Covered" when the cover
    meets the need, "—" when either is not known."""
    from reviewdesk.review.insurance_text import gap_text
    from reviewdesk.review.model import Cover

    def cover(held, need):
        return Cover(PolicyKind.MEDICAL, held, need, D(0), 1)

    amount = "{:,.2f}".format
    assert gap_text(cover(D(100), D(300)), amount, "en") == "200.00"
    assert gap_text(cover(D(300), D(300)), amount, "en") == "Covered"
    assert gap_text(cover(D(500), D(300)), amount, "zh") == "已足额"
    assert gap_text(cover(None, D(300)), amount, "en") == "—"
    assert gap_text(cover(D(0), None), amount, "zh") == "—"


def test_an_insurance_product_held_with_no_policy_on_record_is_said(book):
    """Found: a client holding a whole-life policy's cash value ("增额终身寿 现金价值") with no
    policy on record read a life cover of 0.00 and a gap of the whole need, with nothing
    said of the policy the holdings page listed."""
    from reviewdesk.book.enums import AssetClass
    from reviewdesk.pack.reference import pack_reference
    from reviewdesk.review.insurance_text import left_out_sentences

    client = f.client("W1", "吴怡", annual_income=D(500_000))
    client.snapshots = [
        f.snapshot(
            DAY,
            f.holding("活期存款", "200000", asset_class=AssetClass.DEPOSIT),
            f.holding("增额终身寿 现金价值", "63653.64", asset_class=AssetClass.INSURANCE),
        )
    ]
    review = _review(book, client)
    ins = review.insurance
    assert ins.policies_held == 0 and ins.unrecorded_policies == ("增额终身寿 现金价值",)
    en = (
        "增额终身寿 现金价值 is held as an insurance product, but no policy in force on the "
        "review date is on record: its cover is not counted in the cover shown."
    )
    zh = "持有保险产品（增额终身寿 现金价值），但记录中没有回顾日有效的保单：其保额未计入所列保额。"
    assert left_out_sentences(ins, "CNY", "en")[-1] == en
    # Its cover is not known, so no gap is a key point (the table keeps the need).
    assert not [p for p in review.talking_points if p.kind is PointKind.GAP]
    life = _covers(ins.people[0])[PolicyKind.LIFE]
    assert life.gap == life.need > 0
    assert left_out_sentences(ins, "CNY", "zh")[-1] == zh
    assert en in _pack_text(review)
    assert zh.replace(" ", "") in _pack_text(review, "zh").replace(" ", "")
    # Printed by the pack, so part of its reference, as the fields in the repr are.
    assert review.digest_extras
    without = replace(review, insurance=replace(ins, unrecorded_policies=()))
    assert pack_reference(without, "zh", "a4") != pack_reference(review, "zh", "a4")
    assert not without.digest_extras


def test_an_insurance_product_beside_a_policy_on_record_is_not_questioned(book):
    """With a policy in force on record, the cash value held may be that policy's: nothing
    is said."""
    from reviewdesk.book.enums import AssetClass

    client = f.client("W2", "吴怡", annual_income=D(500_000))
    client.policies = [
        InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(1_000_000), annual_premium=D(10_000))
    ]
    client.snapshots = [
        f.snapshot(DAY, f.holding("增额终身寿", "63653.64", asset_class=AssetClass.INSURANCE))
    ]
    review = _review(book, client)
    assert review.insurance.unrecorded_policies == ()
    assert [p.detail for p in review.talking_points if p.kind is PointKind.GAP] == [
        PolicyKind.LIFE.label
    ]


def test_a_debt_left_out_for_want_of_a_rate_leaves_the_life_need_unknown(book):
    """Found: a USD client's CNY 3,000,000 mortgage, with no CNY to USD rate in the
    snapshot, was left out of the debts the life need includes, and a life policy of USD
    600,000 against the need of USD 500,000 (income alone) read "Covered"."""
    client = f.client("U9", "周丽", annual_income=D(50_000), report_currency="USD")
    client.snapshots = [
        f.snapshot(
            DAY,
            f.holding("Fund", "100000", "USD"),
            f.holding("房贷", "3000000", asset_class=AssetClass.LOAN, risk_level=None),
        )
    ]
    client.policies = [
        InsurancePolicy(
            kind=PolicyKind.LIFE, sum_assured=D(600_000), annual_premium=D(1_000), currency="USD"
        )
    ]
    review = _review(book, client)
    person = review.insurance.people[0]
    life = _covers(person)[PolicyKind.LIFE]
    assert person.debt_need is None
    assert life.cover == D("600000.00") and life.need is None and life.gap is None
    assert "CNY" in review.insurance.missing_rates
    assert all(p.detail != PolicyKind.LIFE.label for p in review.talking_points)
    text = _pack_text(review)
    assert "Covered" not in text
    assert (
        "No CNY to USD rate at this review: the client's debts in CNY are not known in "
        "USD, so the client's life need is not shown." in text
    )
    zh = _pack_text(review, "zh")
    assert "已足额" not in zh
    assert "客户的 CNY 负债无法折算为 USD" in zh


def test_no_income_on_record_makes_the_life_need_a_floor(book):
    """Found: a client with no income on record, a CNY 300,000 mortgage and a CNY 500,000
    life policy read "Life 500,000.00, need 300,000.00, Covered" ("已足额"): the need shown
    is the part known (the debt), so a cover meeting it is not known to meet the need. An
    income of 0 on record is one: the need is then the debt, and it is covered."""
    client = f.client("N9", "周丽")
    client.snapshots = [
        f.snapshot(
            DAY,
            f.holding("存款", "100000", asset_class=AssetClass.DEPOSIT, risk_level=None),
            f.holding("房贷", "300000", asset_class=AssetClass.LOAN, risk_level=None),
        )
    ]
    client.policies = [
        InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(500_000), annual_premium=D(1_000))
    ]
    review = _review(book, client)
    life = _covers(review.insurance.people[0])[PolicyKind.LIFE]
    assert life.cover == D("500000.00") and life.need == D("300000.00")
    assert life.need_floor and life.gap is None
    assert "Covered" not in _pack_text(review)
    assert "已足额" not in _pack_text(review, "zh")

    retired = f.client("N10", "王强", annual_income=D(0))
    retired.snapshots = [
        f.snapshot(DAY, f.holding("房贷", "300000", asset_class=AssetClass.LOAN, risk_level=None))
    ]
    retired.policies = [
        InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(500_000), annual_premium=D(1_000))
    ]
    life = _covers(_review(book, retired).insurance.people[0])[PolicyKind.LIFE]
    assert life.need == D("300000.00") and not life.need_floor and life.gap == 0


def test_a_cover_meeting_a_need_that_leaves_out_a_childs_education_is_not_covered(book):
    """Found: a client whose son's age was not recorded (so no education counted for him)
    read "Life 3,200,000.00, need 3,000,000.00, Covered" ("已足额"): the son may be under
    22, and the need with his education is 3,500,000.00. The gap is not known; a cover
    short of the need still reads the amount short."""
    client = f.client("K2", "赵刚", annual_income=D(300_000))
    client.family = [FamilyMember(name="赵大", relation=Relation.SON)]
    client.policies = [
        InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(3_200_000), annual_premium=D(1_000))
    ]
    review = _review(book, client)
    life = _covers(review.insurance.people[0])[PolicyKind.LIFE]
    assert life.need == D("3000000.00") and life.need_floor and life.gap is None
    assert "Covered" not in _pack_text(review)
    assert "已足额" not in _pack_text(review, "zh")
    assert ("needs_floor", (("赵刚", "life"),)) in review.digest_extras

    short = f.client("K3", "赵强", annual_income=D(300_000))
    short.family = [FamilyMember(name="赵小", relation=Relation.SON)]
    short.policies = [
        InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(1_000_000), annual_premium=D(1_000))
    ]
    review = _review(book, short)
    assert _covers(review.insurance.people[0])[PolicyKind.LIFE].gap == D("2000000.00")
    assert review.digest_extras == ()
