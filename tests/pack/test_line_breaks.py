"""Where the pack's lines break: Chinese between glyphs, but never inside a word, an amount
or a short bracketed term, nor before a closing mark; a narrow column as wide as the longest
part of its labels that never breaks; space under a table before the lines that follow."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from reportlab.platypus import Spacer, Table

from reviewdesk.book.enums import ClientRiskLevel, RiskLevel
from reviewdesk.book.models import RiskAssessment
from reviewdesk.pack import risk
from reviewdesk.pack.context import PackContext
from reviewdesk.pack.linebreak import NO_END, NO_START, longest_piece, pieces, unbroken
from reviewdesk.pack.performance import _widths
from reviewdesk.pack.tables import PADDING
from reviewdesk.review import returns_text as words
from reviewdesk.review.build import build_review
from reviewdesk.review.returns import Span
from reviewdesk.settings import Settings
from tests import factories as f

WIDTH = 481.89  # an A4 frame's width, in points


def context(lang: str) -> PackContext:
    return PackContext(review=None, lang=lang, width=WIDTH)  # type: ignore[arg-type]


def broken(paragraph, width: float) -> list[str]:
    """The lines of `paragraph` wrapped to `width`, as text."""
    paragraph.wrap(width, 1000)
    lines = []
    for line in paragraph.blPara.lines:
        if isinstance(line, tuple):  # one fragment: (space left, [text])
            lines.append("".join(line[1]))
        else:
            lines.append("".join(frag.text for frag in line.words))
    return [line for line in lines if line]


def label(span: Span, lang: str) -> str:
    shown = SimpleNamespace(span=span, annualised=True)
    return words.span_label(shown, lang)  # type: ignore[arg-type]


def bracketed(text: str) -> list[str]:
    return re.findall(r"[（(][^（()）]{1,10}[）)]", text)


def test_the_annualised_label_breaks_before_its_bracket():
    """Found: in the narrow span column of about half the Chinese packs of a 40-client
    demo book, "自首次回顾以来（年化）" came out as "自首次回顾以来（年" / "化）"."""
    ctx = context("zh")
    text = label(Span.SINCE_FIRST, "zh")
    assert text == "自首次回顾以来（年化）"
    for width in (70.0, 82.0, 90.0):
        paragraph = ctx.lines([(text, None, None), ("自 2023-09-30", 7.5, None)], "cell")
        assert broken(paragraph, width) == ["自首次回顾以来", "（年化）", "自 2023-09-30"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("span", list(Span))
def test_no_span_label_breaks_inside_a_bracketed_term(lang, span):
    """The span column is never narrower than a label's longest unbreakable part; at that
    narrowest, no bracketed term of a label is split across lines."""
    ctx = context(lang)
    text = label(span, lang)
    narrowest = longest_piece(text, 8.5) + 1  # the column's least, without its padding
    lines = broken(ctx.lines([(text, None, None)], "cell"), narrowest)
    for term in bracketed(text):
        assert any(term in line for line in lines), (term, lines)


NOTE = (
    "记录了本金的 9 项产品合计：+452,051.51（+16.8%），本金 2,690,864.94。"
    "各金额按 CNY 的最小货币单位四舍五入。"
)


def test_chinese_lines_keep_kinsoku_and_whole_amounts():
    """Found in the holdings' note of Chinese packs: "+452,051.51（" / "+16.8%），本金" and
    "（-2.2%）" / "，本金": an opening bracket ending a line, a comma starting one."""
    ctx = context("zh")
    tokens = set(re.findall(r"[A-Za-z0-9.,%+\-]+", NOTE))
    for width in range(60, 400, 9):
        lines = broken(ctx.p(NOTE, "small"), float(width))
        assert "".join(lines).replace(" ", "") == NOTE.replace(" ", "")
        for line in lines:
            assert line[0] not in NO_START, (width, lines)
            assert line[-1] not in NO_END, (width, lines)
            for token in re.findall(r"[A-Za-z0-9.,%+\-]+", line):
                assert token in tokens, (width, token, lines)


def test_an_amount_stays_with_its_currency():
    """Found under products held in another currency: "… · 中信证券 · 205,411.24" / "USD"
    (and "USD" / "205,411.24" in English)."""
    ctx = context("zh")
    amount = "USD 205,411.24"
    for width in range(70, 200, 5):
        text = f"UST28 · 中信证券 · {unbroken(amount)}"
        lines = broken(ctx.lines([(text, 7.5, None)], "cell"), float(width))
        assert any(amount in line.replace("\u00a0", " ") for line in lines), (width, lines)


def test_a_chinese_header_breaks_before_its_bracketed_term():
    """Found: the review periods' header "收益率（修正 Dietz 法）" as "收益率（修正" /
    "Dietz 法）". A header is sized to its words, a bracketed term being one."""
    assert pieces("收益率（修正 Dietz 法）", between_glyphs=False) == [
        "收益率",
        "（修正 Dietz 法）",
    ]
    assert pieces("时间加权收益率", between_glyphs=False) == ["时间加权收益率"]
    assert pieces("Change %", between_glyphs=False) == ["Change %"]


def test_a_crowded_span_table_breaks_its_headers_at_a_hyphen_not_its_labels():
    """Found in two English packs of a 40-client demo book, amounts in the hundred millions
    beside a benchmark column: "Since the first review (annualised" / ")"."""
    ctx = context("en")
    heads = [
        "Span",
        "Start value",
        "Net new money",
        "Market gain",
        "End value",
        "Time-weighted return",
        "Money-weighted return",
        "Benchmark",
    ]
    row = [
        "Since the first review (annualised)\nfrom 2023-02-28",
        "108,583,123.14",
        "-55,479,061.53",
        "+9,107,934.02",
        "162,211,995.63",
        "+3.62%",
        "+3.55%",
        "+2.03%",
    ]
    widths, _size, hyphens = _widths(ctx, heads, [[], row])
    assert hyphens
    assert widths[0] >= longest_piece("(annualised)", 8.5) + 2 * PADDING


def test_lines_under_the_suitability_table_are_spaced_from_it(book):
    """Found: "1 holding has no product risk rating on record…" sat on the last rule of the
    table of holdings above the client's level, where every other section leaves a gap."""
    with book.session() as session:
        client = f.client("S1", "林峰")
        client.snapshots = [
            f.snapshot(
                dt.date(2026, 5, 31),
                f.holding("成长股票基金", "100000", risk_level=RiskLevel.R5),
                f.holding("私募产品", "50000", risk_level=None),
            )
        ]
        client.assessments = [
            RiskAssessment(
                assessed_on=dt.date(2026, 1, 5),
                level=ClientRiskLevel.C2,
                valid_until=dt.date(2027, 1, 5),
            )
        ]
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=dt.date(2026, 6, 10))
    assert review.suitability and review.unrated
    items = risk.story(PackContext(review, "zh", WIDTH))
    (at,) = [i for i, item in enumerate(items) if isinstance(item, Table)]
    assert at < len(items) - 1
    assert isinstance(items[at + 1], Spacer) and items[at + 1].height >= 6
