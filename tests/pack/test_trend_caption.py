"""The trend's caption in the pack: what the dashed line of the money put in says, and
where it cannot say it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from reviewdesk.book.enums import AssetClass, FlowKind
from reviewdesk.book.flows import record_flow
from reviewdesk.pack.produce import make_pack
from reviewdesk.settings import Settings
from tests import factories as f

TODAY = dt.date(2026, 4, 15)
JAN, FEB, MAR = dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31)


def _bond():
    return f.holding("欧元债券", "25000", "EUR", AssetClass.BOND)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_caption_claims_no_market_gain_across_a_review_without_a_rate(book, lang):
    """Found: a EUR bond worth 200,000 at review 1, no EUR rate at review 2, the rate again
    at review 3, flows recorded: the bars dropped by 200,000 at review 2, the dashed line
    did not, and the caption told the client the distance from it was the market's gain
    or loss. Now the line stops, the caption says why, and which total leaves EUR out."""
    with book.session() as s:
        client = f.client("T1", "赵磊")
        client.snapshots = [
            f.snapshot(JAN, f.holding(value="100000"), _bond(), rates={("EUR", "CNY"): "8"}),
            f.snapshot(FEB, f.holding(value="110000"), _bond()),
            f.snapshot(MAR, f.holding(value="120000"), _bond(), rates={("EUR", "CNY"): "8"}),
        ]
        s.add(client)
        s.flush()
        record_flow(s, client.id, dt.date(2026, 2, 10), D(5_000), FlowKind.DEPOSIT, today=TODAY)
        s.commit()
        pack = make_pack(s, client.id, settings=Settings(), today=TODAY, lang=lang)
    text = "".join(
        "".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pack.data)).pages
    )
    if lang == "en":
        said = [
            "The money put in since 31 Jan 2026 is not drawn: a review of the period after "
            "it lacks an exchange rate for EUR, so the market's gain or loss is not judged.",
            "Totals that leave out holdings for want of an exchange rate: 28 Feb 2026 (EUR).",
        ]
        unsaid = "the distance from it to the financial assets at a review"
    else:
        said = [
            "未绘出2026年1月31日以来的累计投入：其后一个区间内有一次回顾缺少 EUR 的汇率，"
            "无法判断市场损益。",
            "因缺少汇率、合计未计入部分持仓的回顾：2026年2月28日（EUR）。",
        ]
        unsaid = "即为截至该次回顾的市场损益"
    for sentence in said:
        assert "".join(sentence.split()) in text, sentence
    assert "".join(unsaid.split()) not in text
