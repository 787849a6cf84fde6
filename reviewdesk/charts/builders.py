"""The review's charts: the asset mix and the trend across review dates.

Builders take plain data from the `Review` object and a language and return a
`matplotlib.figure.Figure` sized in inches; the caller draws it (the pack as
vector graphics, the screen on a Qt canvas). Floats appear only here, at the
drawing boundary.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from reviewdesk.charts import style
from reviewdesk.charts.fonts import families
from reviewdesk.i18n import translator
from reviewdesk.money import format_percent
from reviewdesk.review.model import Slice, TrendPoint

_RC = {"font.size": 9, "axes.edgecolor": style.GRID, "axes.labelcolor": style.INK,
       "xtick.color": style.MUTED, "ytick.color": style.MUTED, "text.color": style.INK,
       "axes.unicode_minus": False, "svg.hashsalt": "reviewdesk", "path.simplify": True}


def _rc() -> dict:
    return {**_RC, "font.family": list(families())}


def allocation_pie(slices: Sequence[Slice], lang: str, *, size=(6.2, 2.6),
                   title: str = "") -> Figure:
    """A ring of the asset mix with a legend of labels and shares (no labels on the ring)."""
    _ = translator(lang)
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=size, dpi=72)
        ax = fig.add_axes((0.02, 0.04, 0.42, 0.92))
        values = [float(s.value) for s in slices]
        if not values:
            ax.text(0.5, 0.5, _("No assets"), ha="center", va="center", color=style.MUTED)
            ax.set_axis_off()
            return fig
        wedges, _texts = ax.pie(values, colors=[style.colour(s.key) for s in slices],
                                startangle=90, counterclock=False,
                                wedgeprops={"width": 0.42, "edgecolor": "white",
                                            "linewidth": 1.2})
        ax.set_aspect("equal")
        if title:
            ax.text(0, 0, title, ha="center", va="center", fontsize=9, color=style.MUTED)
        labels = [f"{_(s.label)}  {format_percent(s.share, lang, signed=False)}"
                  for s in slices]
        fig.legend(wedges, labels, loc="center left", bbox_to_anchor=(0.47, 0.5),
                   frameon=False, fontsize=9, handlelength=1.0, handleheight=1.0,
                   labelspacing=0.7)
    return fig


def trend_chart(points: Sequence[TrendPoint], lang: str, currency: str, *,
                size=(6.6, 2.8)) -> Figure:
    """Total assets as bars at each review date, net worth as a line when there are debts."""
    _ = translator(lang)
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=size, dpi=72)
        ax = fig.add_axes((0.11, 0.2, 0.87, 0.68))
        xs = list(range(len(points)))
        assets = [float(p.assets) for p in points]
        ax.bar(xs, assets, width=0.7, color=style.ACCENT, label=_("Total assets"), zorder=2)
        if any(p.liabilities for p in points):
            ax.plot(xs, [float(p.net_worth) for p in points], color=style.NET, linewidth=1.8,
                    marker="o", markersize=3, label=_("Net worth"), zorder=3)
        step = max(1, -(-len(points) // 12))
        ticks = xs[::-1][::step][::-1]
        ax.set_xticks(ticks)
        ax.set_xticklabels([_month(points[i].review_date, lang) for i in ticks],
                           rotation=0 if len(ticks) <= 6 else 35,
                           ha="center" if len(ticks) <= 6 else "right", fontsize=8)
        ax.set_xlim(-0.6, len(points) - 0.4)
        ax.yaxis.set_major_locator(MaxNLocator(5))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: style.axis_amount(v, lang)))
        ax.tick_params(axis="both", length=0, labelsize=8)
        ax.grid(axis="y", color=style.GRID, linewidth=0.6, zorder=0)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.text(0.0, 1.04, _("In {currency}").format(currency=currency),
                transform=ax.transAxes, fontsize=8, color=style.MUTED, ha="left", va="bottom")
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, frameon=False,
                  fontsize=8, handlelength=1.2)
    return fig


def _month(day, lang: str) -> str:
    if lang == "zh":
        return f"{day.year}年{day.month}月"
    return f"{MONTHS[day.month - 1]} {day.year}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
