"""A policy's premium not on record: not a premium of 0. While the policy is still paying,
the premiums are those on record, the guide is not judged and the sentence says why; once
its payment term is over it pays none, recorded or not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from reviewdesk.book.enums import PolicyKind
from reviewdesk.book.models import InsurancePolicy
from reviewdesk.review.build import build_review
from reviewdesk.review.insurance_text import premiums_sentence
from reviewdesk.review.model import PointKind
from reviewdesk.settings import Settings
from tests import factories as f

TODAY = dt.date(2026, 6, 10)
DAY = dt.date(2026, 5, 31)


def _review(book, *policies: InsurancePolicy, **client):
    client.setdefault("annual_income", D(1_200_000))
    with book.session() as session:
        c = f.client("P1", "Emily Lam", report_currency="HKD", **client)
        c.snapshots = [f.snapshot(DAY, f.holding("Deposit", "500000", "HKD"))]
        c.policies = list(policies)
        session.add(c)
        session.flush()
        return build_review(session, c.id, settings=Settings(), today=TODAY)


def _single_premium(**kw) -> InsurancePolicy:
    kw.setdefault("currency", "HKD")
    return InsurancePolicy(
        kind=PolicyKind.LIFE, sum_assured=D(2_000_000), annual_premium=None, **kw
    )


def _medical(premium: int = 3_000) -> InsurancePolicy:
    return InsurancePolicy(
        kind=PolicyKind.MEDICAL, sum_assured=D(1_000_000), annual_premium=D(premium), currency="HKD"
    )


def test_a_premium_not_on_record_leaves_the_premiums_unjudged(book):
    """Found: a single-premium life policy imported with its premium cell blank read "HKD
    0.00 a year", and the pack said "Premiums: HKD 3,000.00 a year, 0.3% of household
    income of HKD 1,200,000.00 (guide: at most 10.0%)", as if that policy cost nothing."""
    review = _review(book, _single_premium(), _medical())
    ins = review.insurance
    assert ins.unrecorded_premiums == 1 and not ins.premiums_complete
    assert ins.premiums_converted
    assert ins.total_premiums == D(3000) and ins.household_income == D(1_200_000)
    assert ins.premium_limit is None and ins.premium_share is None
    assert not ins.premiums_judged and not ins.premiums_over_limit
    covers = {c.kind: c for c in ins.people[0].covers}
    assert covers[PolicyKind.LIFE].premiums is None
    assert covers[PolicyKind.LIFE].premiums_shown is None  # "—", never 0.00
    assert covers[PolicyKind.LIFE].cover == D(2_000_000)  # the cover is known
    assert covers[PolicyKind.MEDICAL].premiums_shown == D(3000)
    assert premiums_sentence(ins, "HKD", "en") == (
        "Premiums on record: HKD 3,000.00 a year; the premium of 1 policy is not on "
        "record. Without it, the premiums' share of the household income of HKD "
        "1,200,000.00 cannot be checked against the guide of at most 10.0%."
    )
    assert premiums_sentence(ins, "HKD", "zh") == (
        "已记录的保费：每年 3,000.00 HKD；1 份保单的保费未记录。"
        "因此无法核对保费占家庭年收入 120.00万 HKD 的比例是否不超过 10.0% 的建议。"
    )
    assert ("unrecorded_premiums", 1) in review.digest_extras


def test_premiums_not_on_record_are_counted_in_the_plural(book):
    """Premiums on record over the guide are not said to exceed it while others are not
    known: the guide is not judged at all."""
    review = _review(
        book,
        _single_premium(),
        _single_premium(start_date=dt.date(2024, 1, 1), payment_years=10),
        _medical(premium=200_000),
    )
    ins = review.insurance
    assert ins.unrecorded_premiums == 2 and not ins.premiums_over_limit
    assert PointKind.PREMIUMS not in {p.kind for p in review.talking_points}
    en = premiums_sentence(ins, "HKD", "en")
    assert en.startswith("Premiums on record: HKD 200,000.00 a year; the premiums of 2 ")
    assert "policies are not on record. Without them, the premiums' share" in en
    assert "2 份保单的保费未记录" in premiums_sentence(ins, "HKD", "zh")


def test_a_policy_paid_up_with_no_premium_on_record_pays_none(book):
    """A policy whose payment term is over pays nothing a year, whatever its premium was:
    the premiums are all known and judged."""
    paid_up = _single_premium(start_date=dt.date(2010, 1, 1), payment_years=1)
    ins = _review(book, paid_up, _medical()).insurance
    assert ins.unrecorded_premiums == 0 and ins.premiums_complete and ins.premiums_judged
    assert ins.total_premiums == D(3000) and ins.premium_limit == D("120000.00")
    covers = {c.kind: c for c in ins.people[0].covers}
    assert covers[PolicyKind.LIFE].premiums_shown == D(0)
    assert premiums_sentence(ins, "HKD", "en").startswith(
        "Premiums: HKD 3,000.00 a year, 0.3% of household income"
    )


def test_a_premium_not_on_record_beside_a_policy_left_out_for_want_of_a_rate(book):
    """Both reasons at once: the premiums are those on record of the policies that could be
    converted, and the count of those not on record is said."""
    in_usd = _single_premium(currency="USD")
    in_usd.annual_premium = D(1_000)
    review = _review(book, _single_premium(), in_usd, _medical())
    ins = review.insurance
    assert not ins.premiums_converted and ins.unrecorded_premiums == 1
    en = premiums_sentence(ins, "HKD", "en")
    assert en.startswith(
        "Premiums on record of the policies that could be converted: HKD 3,000.00 a year; "
        "the premium of 1 policy is not on record."
    )
    assert "可换算保单中已记录的保费" in premiums_sentence(ins, "HKD", "zh")


def test_a_premium_not_on_record_is_said_when_the_income_is_not_known_either(book):
    review = _review(book, _single_premium(), _medical(), annual_income=None)
    en = premiums_sentence(review.insurance, "HKD", "en")
    assert en.startswith(
        "Premiums on record: HKD 3,000.00 a year; the premium of 1 policy is not on record. "
        "No income is recorded for the client or the family"
    )
