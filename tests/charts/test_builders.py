"""Chart builders: Figures without pyplot, translated labels, amounts per language."""

import dataclasses
import datetime as dt
from decimal import Decimal as D

import pytest
from matplotlib.figure import Figure

from reviewdesk.book.enums import AssetClass
from reviewdesk.charts.builders import allocation_pie, trend_chart
from reviewdesk.money import format_axis
from reviewdesk.review.model import Slice, TrendPoint

SLICES = (
    Slice(AssetClass.FUND, "Fund", D("750.00"), D("0.75")),
    Slice(AssetClass.DEPOSIT, "Deposit", D("250.00"), D("0.25")),
)
POINTS = tuple(TrendPoint(dt.date(2026, m, 28), D(1_000_000 * m), D(200_000)) for m in (1, 2, 3))


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_pie_legend_is_translated_with_shares():
    zh = allocation_pie(SLICES, "zh")
    assert isinstance(zh, Figure)
    assert "基金  75.0%" in _texts(zh)
    assert "Deposit  25.0%" in _texts(allocation_pie(SLICES, "en"))


def test_trend_labels_and_amounts_follow_the_language():
    zh = _texts(trend_chart(POINTS, "zh", "CNY"))
    assert "总资产" in zh and "净资产" in zh and "2026年3月" in zh and "单位：CNY" in zh
    assert any(t.endswith("万") for t in zh)
    en = _texts(trend_chart(POINTS, "en", "USD"))
    assert "Total assets" in en and "Mar 2026" in en and "3M" in en


def test_charts_and_pack_do_not_use_pyplot():
    """pyplot keeps global figures and a GUI backend; the builders make plain Figures."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "reviewdesk"
    sources = [*(root / "charts").glob("*.py"), *(root / "pack").glob("*.py")]
    assert sources
    import ast

    def imports(path):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                yield from (a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                yield from (f"{node.module}.{a.name}" for a in node.names)

    assert [p.name for p in sources if any("pyplot" in n for n in imports(p))] == []


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        (1_500_000, "zh", "150万"),
        (250_000_000, "zh", "2.5亿"),
        (300_000_000, "zh", "3亿"),
        (1_500_000, "en", "1.5M"),
        (850_000, "en", "850K"),
        (0, "en", "0"),
        (12_000, "zh", "1.2万"),
        (-3_000_000, "en", "-3M"),
        # Found: the trend chart of an empty portfolio read "0.6000000000000001" on its axis,
        # a tick computed in floats that Babel prints as given below a thousand.
        (0.6000000000000001, "en", "0.6"),
        (0.6000000000000001, "zh", "0.6"),
        (600.0000000000001, "en", "600"),
        (999.96, "en", "1K"),
        (1.0, "zh", "1"),
    ],
)
def test_axis_amounts(value, lang, text):
    assert format_axis(value, lang) == text


def test_review_parts_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        SLICES[0].value = D(1)


def _example_returns():
    """The issue's example: 1,000,000 on 31 Jan, 1,030,000 on 28 Feb after 20,000 out,
    1,060,000 on 31 Mar after 100,000 in."""
    from reviewdesk.review.returns import CashFlow, Valuation, compute_returns

    return compute_returns(
        [
            Valuation(dt.date(2026, 1, 31), D(1_000_000)),
            Valuation(dt.date(2026, 2, 28), D(1_030_000)),
            Valuation(dt.date(2026, 3, 31), D(1_060_000)),
        ],
        [
            CashFlow(dt.date(2026, 2, 14), D(-20_000)),
            CashFlow(dt.date(2026, 3, 21), D(100_000)),
        ],
        "CNY",
    )


def _bars(fig: Figure) -> list[tuple[float, float, str]]:
    from matplotlib.colors import to_hex
    from matplotlib.patches import Rectangle

    return [
        (r.get_y(), r.get_y() + r.get_height(), to_hex(r.get_facecolor()))
        for r in fig.artists
        if isinstance(r, Rectangle)
    ]


def test_performance_waterfall_steps_from_start_to_end():
    from reviewdesk.charts import style
    from reviewdesk.charts.builders import performance_chart

    zh = performance_chart(_example_returns(), "zh")
    texts = _texts(zh)
    for text in ("期初价值", "净投入", "市场损益", "期末价值", "2026年2月28日", "2026年3月31日"):
        assert text in texts
    assert "103.00万" in texts and "+10.00万" in texts and "-7.00万" in texts
    assert "106.00万" in texts
    bars = _bars(zh)
    assert len(bars) == 4
    start, money, market, end = bars
    # Each step starts where the last ended; the market's loss is in the loss colour.
    assert start[1] == pytest.approx(money[0])
    assert money[1] == pytest.approx(market[1])
    assert market[0] == pytest.approx(end[1])
    assert money[2] == style.GAIN and market[2] == style.LOSS
    en = _texts(performance_chart(_example_returns(), "en"))
    assert "+100,000" in en and "-70,000" in en and "1,060,000" in en and "In CNY" in en
    assert "Net new money" in en and "28 Feb 2026" in en


def test_performance_chart_says_why_it_has_nothing_to_draw():
    from reviewdesk.charts.builders import performance_chart
    from reviewdesk.review.returns import Valuation, compute_returns

    one = compute_returns([Valuation(dt.date(2026, 1, 31), D(5))], [], "CNY")
    assert _texts(performance_chart(one, "en"))[-1].startswith("Returns need a second review")
    assert _bars(performance_chart(None, "zh")) == []
    missing = compute_returns(
        [
            Valuation(dt.date(2026, 1, 31), D(5)),
            Valuation(dt.date(2026, 2, 28), D(6), ("USD",)),
        ],
        [],
        "CNY",
    )
    assert "USD" in _texts(performance_chart(missing, "en"))[-1]


def test_trend_shows_the_money_put_in_beside_the_totals():
    from reviewdesk.charts.builders import money_put_in

    returns = _example_returns()
    # A house of 500,000 beside the financial assets.
    points = tuple(
        TrendPoint(day, value + D(500_000), D(0))
        for day, value in (
            (dt.date(2026, 1, 31), D(1_000_000)),
            (dt.date(2026, 2, 28), D(1_030_000)),
            (dt.date(2026, 3, 31), D(1_060_000)),
        )
    )
    invested, financial = money_put_in(points, returns)
    assert invested == [1_000_000.0, 980_000.0, 1_080_000.0]
    assert financial == [1_000_000.0, 1_030_000.0, 1_060_000.0]  # property makes them differ
    texts = _texts(trend_chart(points, "zh", "CNY", returns=returns))
    assert "期初 + 累计净投入" in texts and "金融资产" in texts
    # Without flows, no line: a flat one would claim no money moved.
    assert "Start + net new money" not in _texts(trend_chart(points, "en", "CNY"))


def test_charts_are_built_with_their_settings_and_leave_matplotlibs_as_they_were():
    import matplotlib

    from reviewdesk.charts.fonts import families

    before = dict(matplotlib.rcParams)
    fig = trend_chart(POINTS, "zh", "CNY")
    assert dict(matplotlib.rcParams) == before
    texts = fig.findobj(lambda a: hasattr(a, "get_fontfamily") and a.get_text())
    assert texts and all(t.get_fontfamily() == list(families()) for t in texts)
    assert all(t.get_fontsize() in (8, 9) for t in texts)


def test_the_money_put_in_is_not_drawn_across_a_review_without_a_rate():
    """Found: the dashed line kept a running total of its own across a review whose total
    left a EUR bond out for want of a rate (the bars dropped by 200,000, the line did not).
    It follows `Returns.invested` and stops where the core gives no gain; with a single
    point left, no line and no key."""
    from matplotlib.lines import Line2D

    from reviewdesk.charts.builders import money_put_in
    from reviewdesk.review.returns import CashFlow, Valuation, compute_returns

    days = [dt.date(2026, m, 28) for m in (1, 2, 3, 4)]
    values = [D(300_000), D(310_000), D(120_000), D(330_000)]
    missing = [(), (), ("EUR",), ()]
    points = [TrendPoint(d, v, D(0), m) for d, v, m in zip(days, values, missing, strict=True)]
    flows = [CashFlow(dt.date(2026, 2, 10), D(5_000))]

    valuations = [Valuation(d, v, m) for d, v, m in zip(days, values, missing, strict=True)]
    returns = compute_returns(valuations, flows, "CNY")
    invested, _financial = money_put_in(points, returns)
    assert invested == [300_000.0, 305_000.0, None, None]
    fig = trend_chart(points, "en", "CNY", returns=returns)
    dashed = [
        a
        for a in fig.artists
        if isinstance(a, Line2D)
        and a.get_linestyle() == "--"
        and a.get_transform() == fig.transFigure
    ]
    assert [len(a.get_xdata()) for a in dashed] == [2]  # the first two reviews only
    assert "Start + net new money" in _texts(fig)
    # The found case: review 2 without the rate, so only the first point is given.
    three = [points[0], dataclasses.replace(points[1], missing_rates=("EUR",)), points[3]]
    found = compute_returns(
        [
            Valuation(days[0], D(300_000)),
            Valuation(days[1], D(110_000), ("EUR",)),
            Valuation(days[3], D(330_000)),
        ],
        flows,
        "CNY",
    )
    assert money_put_in(three, found)[0] == [300_000.0, None, None]
    assert "Start + net new money" not in _texts(trend_chart(three, "en", "CNY", returns=found))
