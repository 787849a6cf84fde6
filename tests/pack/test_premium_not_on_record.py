"""The pack's premiums line when a policy's premium is not on record: the premiums on
record, how many are not, and no share of the household income."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from reviewdesk.book.enums import PolicyKind
from reviewdesk.book.models import InsurancePolicy
from reviewdesk.pack.document import render_pack
from reviewdesk.review.build import build_review
from reviewdesk.settings import Settings
from tests import factories as f

TODAY = dt.date(2026, 6, 10)
DAY = dt.date(2026, 5, 31)

SAID = {
    "en": (
        "Premiums on record: HKD 3,000.00 a year; the premium of 1 policy is not on record. "
        "Without it, the premiums' share of the household income of HKD 1,200,000.00 "
        "cannot be checked against the guide of at most 10.0%."
    ),
    "zh": "已记录的保费：每年3,000.00HKD；1份保单的保费未记录。",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_policy_with_no_premium_on_record_is_said_in_the_pack(book, lang):
    """Found: a single-premium policy saved with no premium read "HKD 0.00 a year", and the
    pack read "Premiums: HKD 3,000.00 a year, 0.3% of household income of HKD
    1,200,000.00 (guide: at most 10.0%)", judging the premiums as if it cost nothing."""
    with book.session() as session:
        client = f.client("P1", "Emily Lam", report_currency="HKD", annual_income=D(1_200_000))
        client.snapshots = [f.snapshot(DAY, f.holding("Deposit", "500000", "HKD"))]
        client.policies = [
            InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(2_000_000), currency="HKD"),
            InsurancePolicy(
                kind=PolicyKind.MEDICAL,
                sum_assured=D(1_000_000),
                annual_premium=D(3_000),
                currency="HKD",
            ),
        ]
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
    pages = PdfReader(io.BytesIO(render_pack(review, lang))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    if lang == "zh":
        text = text.replace(" ", "")
        assert SAID["zh"] in text
        assert "的0.3%" not in text and "每年0.00" not in text
    else:
        assert SAID["en"] in text
        assert "Premiums: HKD" not in text and "0.3% of household income" not in text
