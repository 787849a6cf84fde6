"""Insurance rules and incomes in the client's currency, at the snapshot's stored rates."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from reviewdesk.book.db import open_book
from reviewdesk.book.enums import AssetClass, PolicyKind, Relation
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Client, FamilyMember, InsurancePolicy
from reviewdesk.pack import insurance as pack_insurance
from reviewdesk.pack.context import PackContext
from reviewdesk.pack.document import render_pack
from reviewdesk.review.build import build_review
from reviewdesk.review.insurance_text import left_out_sentences, rules_sentences
from reviewdesk.review.model import LeftOut, LeftOutKind
from reviewdesk.settings import Settings
from tests import factories as f

TODAY = dt.date(2026, 6, 10)
DAY = dt.date(2026, 5, 31)


@pytest.fixture
def ebook(tmp_path):
    b = open_book(str(tmp_path / "b.sqlite"), passphrase="correct horse battery")
    yield b
    b.close()


def _client(
    book,
    code: str,
    currency: str,
    rates: dict,
    *,
    income=None,
    income_currency=None,
    family=(),
    policies=(),
    settings: Settings | None = None,
):
    """A client with one snapshot holding some cash in its own currency; its review."""
    with book.session() as s:
        client = f.client(
            code,
            f"Client {code}",
            report_currency=currency,
            annual_income=income,
            income_currency=income_currency,
        )
        client.family = list(family)
        client.policies = list(policies)
        client.snapshots = [
            f.snapshot(DAY, f.holding("Cash", "1000", currency, AssetClass.CASH), rates=rates)
        ]
        s.add(client)
        s.flush()
        return build_review(s, client.id, settings=settings or Settings(), today=TODAY)


def _covers(person):
    return {c.kind: c for c in person.covers}


def _son():
    return FamilyMember(name="Tom", relation=Relation.SON, birthday=dt.date(2015, 1, 1))


def test_usd_client_gets_the_minimum_and_education_at_the_inverse_stored_rate(ebook):
    review = _client(ebook, "U1", "USD", {("USD", "CNY"): "7.2350"}, family=[_son()])
    rules = review.insurance.rules
    # CNY 1,000,000 / 7.2350 and CNY 500,000 / 7.2350; never USD 1,000,000
    assert rules.medical_minimum.amount == D(1_000_000)
    assert rules.medical_minimum.currency == "CNY"
    assert rules.medical_minimum.rate == ("USD", "CNY", D("7.2350"))
    client, son = review.insurance.people
    assert _covers(son)[PolicyKind.MEDICAL].need == D("138217.00")
    assert _covers(client)[PolicyKind.MEDICAL].need == D("138217.00")
    assert client.education_need == D(500_000) / D("7.2350")
    assert _covers(client)[PolicyKind.LIFE].need == D("69108.50")  # no income, no debt
    assert review.insurance.missing_rates == ()


def test_jpy_client_gets_the_minimum_at_the_direct_stored_rate(ebook):
    review = _client(ebook, "J1", "JPY", {("CNY", "JPY"): "21.5"}, family=[_son()])
    client, son = review.insurance.people
    assert _covers(son)[PolicyKind.MEDICAL].need == D("21500000.00")
    assert _covers(client)[PolicyKind.LIFE].need == D("10750000.00")  # one child's education
    assert review.insurance.rules.education_per_child.value == D("10750000.0")


def test_income_in_cny_for_a_usd_client_is_converted(ebook):
    spouse = FamilyMember(name="Ann", relation=Relation.SPOUSE, annual_income=D(100_000))
    review = _client(
        ebook,
        "U2",
        "USD",
        {("CNY", "USD"): "0.14"},
        income=D(500_000),
        income_currency="CNY",
        family=[spouse],
    )
    client, ann = review.insurance.people
    assert client.annual_income == D(70_000)
    assert client.income.amount == D(500_000) and client.income.currency == "CNY"
    assert review.client.annual_income == D(70_000)
    covers = _covers(client)
    assert covers[PolicyKind.CRITICAL_ILLNESS].need == D("210000.00")
    assert covers[PolicyKind.ACCIDENT].need == D("350000.00")
    assert covers[PolicyKind.LIFE].need == D("700000.00")
    # The spouse's income has no currency: it is in the report currency, as before.
    assert ann.annual_income == D(100_000) and ann.income.rate is None
    assert review.insurance.household_income == D(170_000)
    assert review.insurance.premium_limit == D("17000.00")


def test_a_missing_rate_leaves_the_need_out_and_names_the_currency(ebook):
    policy = InsurancePolicy(kind=PolicyKind.MEDICAL, sum_assured=D(50_000), currency="HKD")
    review = _client(
        ebook,
        "E1",
        "EUR",
        {},
        income=D(300_000),
        income_currency="CNY",
        family=[_son()],
        policies=[policy],
    )
    ins = review.insurance
    client, son = ins.people
    # Neither the CNY medical minimum nor the CNY income can be converted: no rate is
    # taken as 1, so no need rests on them.
    assert PolicyKind.MEDICAL not in _covers(son)
    # The HKD policy is held but its cover is not known: a row of its own, never "no cover".
    medical = _covers(client)[PolicyKind.MEDICAL]
    assert list(_covers(client)) == [PolicyKind.MEDICAL]
    assert medical.cover is None and medical.need is None and medical.gap is None
    assert client.annual_income is None and client.income.missing
    assert client.education_need is None
    assert ins.household_income is None and ins.premium_limit is None
    assert not ins.premiums_over_limit
    assert set(ins.missing_rates) == {"CNY", "HKD"}
    assert set(ins.left_out) == {
        LeftOut(LeftOutKind.POLICIES, "HKD"),
        LeftOut(LeftOutKind.MEDICAL_MINIMUM, "CNY"),
        LeftOut(LeftOutKind.EDUCATION, "CNY"),
        LeftOut(LeftOutKind.INCOME, "CNY", "Client E1"),
    }
    needs = [c.need for p in ins.people for c in p.covers if c.need is not None]
    assert D(1_000_000) not in needs and D(300_000) not in needs
    text = " ".join(left_out_sentences(ins, review.currency, "en"))
    assert (
        "No CNY to EUR rate at this review: the medical minimum of CNY 1,000,000.00 "
        "is not applied" in text
    )
    assert "policies in HKD are left out" in text
    assert "the income of Client E1 is left out" in text
    zh = " ".join(left_out_sentences(ins, review.currency, "zh"))
    assert "本次回顾无 CNY 兑 EUR 的汇率" in zh
    rules = " ".join(rules_sentences(ins, "en"))
    assert (
        "Medical: at least CNY 1,000,000.00 (no exchange rate to the report currency at "
        "this review: not applied)" in rules
    )


def test_a_rule_amount_can_have_its_own_currency(ebook):
    settings = Settings(
        {
            "medical_cover_minimum": "150000",
            "medical_cover_minimum_currency": "usd",
            "default_currency": "HKD",
        }
    )
    review = _client(
        ebook,
        "C2",
        "CNY",
        {("USD", "CNY"): "7.2", ("HKD", "CNY"): "0.92"},
        family=[_son()],
        settings=settings,
    )
    rules = review.insurance.rules
    assert rules.medical_minimum.currency == "USD"
    assert rules.medical_minimum.value == D("1080000.0")
    # The education need has no currency of its own: the base currency (HKD here).
    assert rules.education_per_child.currency == "HKD"
    assert rules.education_per_child.value == D("460000.00")


def test_a_rule_currency_must_be_known():
    from reviewdesk.settings import OPTIONS

    with pytest.raises(ValidationError, match="medical_cover_minimum_currency = 'XYZ'"):
        OPTIONS["medical_cover_minimum_currency"].parse("XYZ")
    assert OPTIONS["medical_cover_minimum_currency"].parse("") == ""


def test_a_bad_income_currency_names_the_field_and_the_value():
    with pytest.raises(ValidationError) as caught:
        Client(code="X1", name="X", income_currency="DOLLARS")
    assert caught.value.field == "income_currency" and caught.value.value == "DOLLARS"
    assert "income_currency" in str(caught.value) and "DOLLARS" in str(caught.value)
    with pytest.raises(ValidationError, match="income_currency"):
        FamilyMember(name="Y", relation=Relation.SON, income_currency="XX")
    assert Client(code="X2", name="X", income_currency="usd").income_currency == "USD"
    assert Client(code="X3", name="X", income_currency="").income_currency is None


def _pdf_text(data: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return "".join(text.split())


@pytest.fixture
def usd_review(ebook):
    return _client(
        ebook,
        "U3",
        "USD",
        {("USD", "CNY"): "7.2350"},
        income=D(720_000),
        income_currency="CNY",
        family=[_son()],
    )


def test_the_pack_states_the_rules_in_the_clients_currency(usd_review):
    en = _pdf_text(render_pack(usd_review, "en"))
    assert "Medical:atleastUSD138,217.00(CNY1,000,000.00at1USD=7.2350CNY)foreachfamilymember." in en
    assert "USD69,108.50(CNY500,000.00at1USD=7.2350CNY)ofeducationperchildunder22" in en
    assert "annualincomeUSD99,516.24(CNY720,000.00at1USD=7.2350CNY)" in en
    assert "USD1,000,000" not in en
    zh = _pdf_text(render_pack(usd_review, "zh"))
    assert "医疗险：每位家庭成员至少13.82万USD（100.00万CNY，按1USD=7.2350CNY折算）。" in zh
    assert "每位22岁以下子女的教育金6.91万USD（50.00万CNY，按1USD=7.2350CNY折算）" in zh


def test_the_pack_says_what_a_missing_rate_left_out(ebook):
    # A policy in force, in EUR: with none, no premiums are judged whatever the income.
    policy = InsurancePolicy(
        kind=PolicyKind.MEDICAL, sum_assured=D(100_000), annual_premium=D(1_000), currency="EUR"
    )
    review = _client(
        ebook,
        "E2",
        "EUR",
        {},
        income=D(300_000),
        income_currency="CNY",
        family=[_son()],
        policies=[policy],
    )
    text = _pdf_text(render_pack(review, "en"))
    assert "NoCNYtoEURrateatthisreview:themedicalminimumofCNY1,000,000.00isnotapplied" in text
    assert (
        "ThehouseholdincomeisnotknowninEUR(arateismissing),sotheguideofatmost10.0%ofit"
        "cannotbechecked." in text
    )
    zh = _pdf_text(render_pack(review, "zh"))
    assert "本次回顾无CNY兑EUR的汇率：医疗险最低保额100.00万CNY未采用" in zh


def test_the_pack_uses_the_one_text_of_the_rules(usd_review):
    for lang in ("zh", "en"):
        ctx = PackContext(usd_review, lang, 400)
        assert pack_insurance._rules(ctx) == rules_sentences(usd_review.insurance, lang)
