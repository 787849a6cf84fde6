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
    ],
)
def test_axis_amounts(value, lang, text):
    assert format_axis(value, lang) == text


def test_review_parts_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        SLICES[0].value = D(1)
