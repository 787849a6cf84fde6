"""The risk page's verdict says what was judged: the assets with a product risk rating on
record. The assets held that it does not judge are named by class under it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from reviewdesk.book.enums import AssetClass, ClientRiskLevel, RiskLevel
from reviewdesk.book.models import RiskAssessment
from reviewdesk.i18n import translator
from reviewdesk.pack.document import render_pack
from reviewdesk.review.build import build_review
from reviewdesk.review.model import WITHIN_LEVEL_LINE, Review, unjudged_sentence
from reviewdesk.settings import Settings
from tests import factories as f

PREPARED_ON = dt.date(2026, 6, 10)


def squeeze(text: str) -> str:
    return "".join(text.split())


def risk_page(review: Review, lang: str) -> str:
    """The text of the pack's risk page: the page under its heading."""
    pages = PdfReader(io.BytesIO(render_pack(review, lang))).pages
    heading = squeeze(translator(lang)("Risk profile and suitability"))
    texts = [squeeze(page.extract_text()) for page in pages]
    (page,) = [t for t in texts if heading in t and squeeze(translator(lang)("Suitability")) in t]
    return page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_verdict_is_of_the_assets_with_a_rating(book, lang):
    """Found: a client with a fund rated R2 under a C3 assessment, and a structured deposit
    (recorded as a deposit), an investment-linked policy (as insurance cash value) and a
    flat recorded without a product risk rating: the risk page read "Every holding is
    within the client's risk level." (「所有持仓均在客户的风险承受等级之内。」), a check no
    one had made of the three."""
    with book.session() as session:
        client = f.client("J1", "林峰")
        client.snapshots = [
            f.snapshot(
                dt.date(2026, 5, 31),
                f.holding("稳健债券基金", "100000", risk_level=RiskLevel.R2),
                f.holding(
                    "Structured deposit A",
                    "200000",
                    asset_class=AssetClass.DEPOSIT,
                    risk_level=None,
                ),
                f.holding("投连险", "80000", asset_class=AssetClass.INSURANCE, risk_level=None),
                f.holding(
                    "Flat in Kowloon", "3000000", asset_class=AssetClass.PROPERTY, risk_level=None
                ),
            )
        ]
        client.assessments = [
            RiskAssessment(
                assessed_on=dt.date(2026, 1, 5),
                level=ClientRiskLevel.C3,
                valid_until=dt.date(2027, 1, 5),
            )
        ]
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=PREPARED_ON)
    assert all(
        h.risk_level is None for h in review.holdings if h.asset_class is not AssetClass.FUND
    )
    page = risk_page(review, lang)
    tr = translator(lang)
    before = {
        "en": "Every holding is within the client's risk level.",
        "zh": "所有持仓均在客户的风险承受等级之内。",
    }
    assert squeeze(before[lang]) not in page
    verdict, unjudged = (
        squeeze(tr(WITHIN_LEVEL_LINE)),
        squeeze(
            unjudged_sentence((AssetClass.DEPOSIT, AssetClass.INSURANCE, AssetClass.PROPERTY), lang)
        ),
    )
    assert verdict in page and unjudged in page
    assert page.index(verdict) < page.index(unjudged)  # said under the verdict it qualifies
