"""A client's returns set beside a benchmark's over the same review dates: the levels read
on each date, a blend rebalanced per review period, annualised like the time-weighted
return, and the talking point when the two are far apart. Numbers worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reviewdesk.book.benchmarks import choose, set_level
from reviewdesk.book.enums import AssetClass, ClientRiskLevel, FlowKind
from reviewdesk.book.flows import record_flow
from reviewdesk.book.models import RiskAssessment
from reviewdesk.review.build import BENCHMARK_GAP, build_review
from reviewdesk.review.model import PointKind
from reviewdesk.review.returns import (
    LEVEL_TOLERANCE_DAYS,
    Benchmark,
    BenchmarkPart,
    Span,
    Valuation,
    benchmark_growth,
    compute_returns,
    level_on,
)
from reviewdesk.settings import Settings
from tests import factories as f

D = Decimal
JAN, FEB, MAR = dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31)


def _one(name, *levels):
    return Benchmark((BenchmarkPart(name, D(1), tuple(levels)),))


def test_the_level_on_a_date_is_the_latest_within_the_tolerance():
    levels = ((dt.date(2026, 2, 20), D("3100")), (dt.date(2026, 2, 27), D("3150")))
    assert LEVEL_TOLERANCE_DAYS == 7
    assert level_on(levels, dt.date(2026, 2, 27)) == D("3150")
    # A review on Saturday takes Friday's close; a week later is still within the tolerance.
    assert level_on(levels, FEB) == D("3150")
    assert level_on(levels, dt.date(2026, 3, 6)) == D("3150")
    assert level_on(levels, dt.date(2026, 3, 7)) is None  # 8 days old
    assert level_on(levels, dt.date(2026, 2, 19)) is None  # before the first level


def test_one_benchmark_over_each_span():
    bench = _one(
        "Demo index",
        (JAN, D("3000")),
        (dt.date(2026, 2, 27), D("3150")),
        (MAR, D("3087")),
    )
    values = [
        Valuation(JAN, D(1_000_000)),
        Valuation(FEB, D(1_050_000)),
        Valuation(MAR, D(1_000_000)),
    ]
    returns = compute_returns(values, [], "CNY", bench)
    assert returns.benchmark_name == "Demo index"
    # 3087 / 3150 - 1 = -2%; 3087 / 3000 - 1 = +2.9%.
    assert returns.span(Span.SINCE_PREVIOUS).benchmark == D("-0.02")
    assert returns.span(Span.SINCE_FIRST).benchmark == D("0.029")
    assert returns.span(Span.YEAR_TO_DATE).benchmark == D("0.029")


def test_a_blend_is_rebalanced_on_every_review_date():
    a = BenchmarkPart("A", D("0.6"), ((JAN, D(100)), (FEB, D(110)), (MAR, D(99))))
    b = BenchmarkPart("B", D("0.4"), ((JAN, D(200)), (FEB, D(202)), (MAR, D("206.04"))))
    blend = Benchmark((a, b))
    assert blend.name == "60% A + 40% B"
    # Period 1: 0.6 x 10% + 0.4 x 1% = 6.4%; period 2: 0.6 x -10% + 0.4 x 2% = -5.2%;
    # chained: 1.064 x 0.948 - 1 = 0.8672% (held without rebalancing it would be 0.608%).
    assert benchmark_growth(blend, [JAN, FEB, MAR]) == D("0.008672")
    assert benchmark_growth(blend, [FEB, MAR]) == D("-0.052")
    values = [Valuation(d, D(100)) for d in (JAN, FEB, MAR)]
    returns = compute_returns(values, [], "CNY", blend)
    assert returns.span(Span.SINCE_FIRST).benchmark == D("0.008672")
    assert returns.benchmark_name == "60% A + 40% B"


def test_a_blend_missing_a_level_on_a_review_date_has_no_return():
    a = BenchmarkPart("A", D("0.5"), ((JAN, D(100)), (MAR, D(99))))  # none near February
    b = BenchmarkPart("B", D("0.5"), ((JAN, D(200)), (FEB, D(202)), (MAR, D(204))))
    values = [Valuation(d, D(100)) for d in (JAN, FEB, MAR)]
    returns = compute_returns(values, [], "CNY", Benchmark((a, b)))
    assert returns.span(Span.SINCE_FIRST).benchmark is None
    assert returns.span(Span.SINCE_PREVIOUS).benchmark is None
    # One index needs only the span's two ends.
    alone = compute_returns(values, [], "CNY", _one("A", *a.levels))
    assert alone.span(Span.SINCE_FIRST).benchmark == D("-0.01")
    assert alone.span(Span.SINCE_PREVIOUS).benchmark is None


def test_over_a_year_the_benchmark_is_annualised_like_the_return():
    start, end = dt.date(2024, 1, 31), dt.date(2026, 1, 31)  # 731 days
    values = [Valuation(start, D(100)), Valuation(end, D(121))]
    returns = compute_returns(values, [], "CNY", _one("X", (start, D(1000)), (end, D(1210))))
    span = returns.span(Span.SINCE_FIRST)
    assert span.annualised
    # 1.21 ** (365 / 731) - 1: a little under 10% a year (two years at 10% is +21%).
    assert D("0.0998") < span.benchmark < D("0.1")
    assert span.benchmark == span.twr  # the same growth over the same days


def test_without_a_benchmark_nothing_is_filled():
    values = [Valuation(JAN, D(100)), Valuation(FEB, D(110))]
    returns = compute_returns(values, [], "CNY")
    assert returns.benchmark_name is None
    assert all(s.benchmark is None for s in returns.spans)


# ---- through the book -----------------------------------------------------------------

TODAY = dt.date(2026, 4, 15)


@pytest.fixture
def client_book(book):
    """A C3 client worth 1,000,000, 1,050,000 and 1,000,000 on three reviews, a deposit of
    10,000 recorded in February (so returns are given): +3.9871% then -4.7619%; two
    indices with levels on those dates."""
    with book.session() as s:
        c = f.client("B1", "李娜")
        c.snapshots = [
            f.snapshot(JAN, f.holding(value="1000000")),
            f.snapshot(FEB, f.holding(value="1050000")),
            f.snapshot(MAR, f.holding(value="1000000")),
        ]
        c.assessments = [
            RiskAssessment(
                assessed_on=dt.date(2026, 1, 5),
                level=ClientRiskLevel.C3,
                valid_until=dt.date(2027, 1, 5),
            )
        ]
        s.add(c)
        s.flush()
        record_flow(s, c.id, dt.date(2026, 2, 10), D(10_000), FlowKind.DEPOSIT, today=TODAY)
        for day, eq, bond in ((JAN, "3000", "200"), (FEB, "3000", "201"), (MAR, "2970", "202")):
            set_level(s, "Equity", day, D(eq))
            set_level(s, "Bonds", day, D(bond))
        s.commit()
        cid = c.id
    return book, cid


def _review(book, cid):
    with book.session() as s:
        return build_review(s, cid, settings=Settings(), today=TODAY)


def test_the_risk_levels_benchmark_unless_the_client_has_one(client_book):
    book, cid = client_book
    assert _review(book, cid).returns.benchmark_name is None
    with book.session() as s:
        choose(s, "Bonds", risk_level=ClientRiskLevel.C3)
        s.commit()
    returns = _review(book, cid).returns
    assert returns.benchmark_name == "Bonds"
    # 202 / 201 - 1 = 0.4975...%
    assert abs(returns.span(Span.SINCE_PREVIOUS).benchmark - D("0.00497512437811")) < D("1e-14")
    with book.session() as s:
        choose(s, "Equity", client_id=cid, blend="Bonds", weight=60)
        s.commit()
    returns = _review(book, cid).returns
    assert returns.benchmark_name == "60% Equity + 40% Bonds"
    # 0.6 x (2970 / 3000 - 1) + 0.4 x (202 / 201 - 1) = -0.6% + 0.199...% = -0.401%
    expected = D("-0.00400995024876")
    assert abs(returns.span(Span.SINCE_PREVIOUS).benchmark - expected) < D("1e-14")


def _benchmark_points(review):
    return [p for p in review.talking_points if p.kind is PointKind.BENCHMARK]


def test_a_return_well_below_its_benchmark_is_a_talking_point(client_book):
    book, cid = client_book
    with book.session() as s:
        choose(s, "Bonds", client_id=cid)
        s.commit()
    review = _review(book, cid)
    span = review.returns.span(Span.SINCE_PREVIOUS)
    # -4.76% against +0.50%: 5.3 points below, beyond the 3 points of BENCHMARK_GAP.
    assert span.twr < span.benchmark - BENCHMARK_GAP
    (point,) = _benchmark_points(review)
    assert point.variant == "below"
    en = point.text("en", "CNY")  # what the client reads: the facts
    assert en == (
        "Since the previous review: the portfolio returned -4.76% (time-weighted), well below "
        "its benchmark Bonds at +0.50%."
    )
    zh = point.text("zh", "CNY")
    assert "Bonds" in zh and "-4.76%" in zh and "+0.50%" in zh and "低于" in zh
    assert "说明原因" not in zh
    # the manager's cue, on the manager's screen only
    assert point.for_manager("en", "CNY") == en + " Explain why."
    assert point.for_manager("zh", "CNY") == zh + "请向客户说明原因。"


def test_no_point_when_close_to_the_benchmark_or_a_figure_is_missing(client_book):
    book, cid = client_book
    with book.session() as s:
        # Equity: -1.0% since the previous review, against the client's -4.76%: 3.76 points.
        set_level(s, "Close", FEB, D(100))
        set_level(s, "Close", MAR, D("96.5"))  # -3.5%: 1.26 points from -4.76%
        choose(s, "Close", client_id=cid)
        s.commit()
    assert _benchmark_points(_review(book, cid)) == []
    with book.session() as s:
        set_level(s, "Gappy", JAN, D(100))  # no level near either of the last two reviews
        choose(s, "Gappy", client_id=cid)
        s.commit()
    review = _review(book, cid)
    assert review.returns.span(Span.SINCE_PREVIOUS).benchmark is None
    assert review.returns.span(Span.YEAR_TO_DATE).benchmark is None
    assert _benchmark_points(review) == []


def test_no_point_where_the_performance_page_gives_no_return(book):
    """Found: no flow recorded, a new fund of 300,000 bought between the reviews, a
    benchmark chosen for the client's level: the summary, the pack and present mode said
    "Since the previous review: the portfolio returned +300.0% (time-weighted), well above
    its benchmark CSI 300 at +1.0%", while the Performance page of the same pack said no
    return is given (the new money was counted as the market's gain)."""
    with book.session() as s:
        c = f.client("B2", "周敏")
        c.snapshots = [
            f.snapshot(FEB, f.holding(value="100000", asset_class=AssetClass.DEPOSIT)),
            f.snapshot(
                MAR,
                f.holding(value="100000", asset_class=AssetClass.DEPOSIT),
                f.holding("新基金", value="300000"),
            ),
        ]
        c.assessments = [
            RiskAssessment(
                assessed_on=dt.date(2026, 1, 5),
                level=ClientRiskLevel.C3,
                valid_until=dt.date(2027, 1, 5),
            )
        ]
        s.add(c)
        s.flush()
        set_level(s, "CSI 300", FEB, D(4000))
        set_level(s, "CSI 300", MAR, D(4040))
        choose(s, "CSI 300", risk_level=ClientRiskLevel.C3)
        s.commit()
        cid = c.id
    review = _review(book, cid)
    assert not review.returns.flows_recorded
    assert _benchmark_points(review) == []
    with book.session() as s:  # the deposit recorded: a return is given, and so the point
        record_flow(s, cid, MAR, D(290_000), FlowKind.DEPOSIT, today=TODAY)
        s.commit()
    (point,) = _benchmark_points(_review(book, cid))
    assert point.text("en", "CNY") == (
        "Since the previous review: the portfolio returned +10.00% (time-weighted), well "
        "above its benchmark CSI 300 at +1.00%."
    )
