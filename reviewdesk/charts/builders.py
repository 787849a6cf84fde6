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
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle, Wedge
from matplotlib.ticker import MaxNLocator

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
    """A ring of the asset mix with a legend of labels and shares (no labels on the ring).

    The ring is drawn as wedges on the figure itself, without an Axes: an Axes
    and its tick machinery cost more than everything else in the chart, and a
    ring needs neither axes nor ticks.
    """
    _ = translator(lang)
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=size, dpi=72)
        width, height = size
        radius = height * 0.46
        centre = (0.05 * width + radius, height / 2)
        to_inches = fig.dpi_scale_trans
        total = sum(float(s.value) for s in slices)
        if not total:
            fig.text(0.5, 0.5, _("No assets"), ha="center", va="center", color=style.MUTED)
            return fig
        wedges, start = [], 90.0
        for s in slices:
            sweep = 360.0 * float(s.value) / total
            wedge = Wedge(centre, radius, start - sweep, start, width=radius * 0.42,
                          facecolor=style.colour(s.key), edgecolor="white", linewidth=1.2,
                          transform=to_inches)
            fig.add_artist(wedge)
            wedges.append(wedge)
            start -= sweep
        if title:
            fig.text(*centre, title, transform=to_inches, ha="center", va="center",
                     fontsize=9, color=style.MUTED)
        labels = [f"{_(s.label)}  {format_percent(s.share, lang, signed=False)}"
                  for s in slices]
        left = (centre[0] + radius + 0.35) / width
        fig.legend(wedges, labels, loc="center left", bbox_to_anchor=(left, 0.5),
                   frameon=False, fontsize=9, handlelength=1.0, handleheight=1.0,
                   labelspacing=0.7)
    return fig


def trend_chart(points: Sequence[TrendPoint], lang: str, currency: str, *,
                size=(6.6, 2.8)) -> Figure:
    """Total assets as bars at each review date, net worth as a line when there are debts.

    Drawn on the figure in figure coordinates rather than in an Axes: an Axes
    builds a full tick machinery (several artists per tick, each reading the
    rc settings) that costs more than the chart itself, and packs are made by
    the hundred. The scale still comes from matplotlib's tick locator.
    """
    _ = translator(lang)
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=size, dpi=72)
        if not points:
            fig.text(0.5, 0.5, _("No reviews yet"), ha="center", va="center",
                     color=style.MUTED)
            return fig
        left, right, bottom, top = 0.11, 0.98, 0.22, 0.86
        debts = any(p.liabilities for p in points)
        assets = [float(p.assets) for p in points]
        nets = [float(p.net_worth) for p in points]
        low = min([0.0, *nets]) if debts else 0.0
        high = max([*assets, *nets] if debts else assets) or 1.0
        ticks = [t for t in MaxNLocator(5).tick_values(low, high)]
        low, high = min(ticks[0], low), max(ticks[-1], high)

        def y(value: float) -> float:
            return bottom + (value - low) / (high - low) * (top - bottom)

        for tick in ticks:
            if low <= tick <= high:
                fig.add_artist(Line2D([left, right], [y(tick)] * 2, color=style.GRID,
                                      linewidth=0.6, transform=fig.transFigure, zorder=0.5))
                fig.text(left - 0.012, y(tick), style.axis_amount(tick, lang), ha="right",
                         va="center", fontsize=8, color=style.MUTED)
        slot = (right - left) / len(points)
        centres = [left + slot * (i + 0.5) for i in range(len(points))]
        bar = None
        for x, value in zip(centres, assets, strict=True):
            bar = Rectangle((x - slot * 0.35, y(0)), slot * 0.7, y(value) - y(0),
                            facecolor=style.ACCENT, linewidth=0, transform=fig.transFigure,
                            zorder=1)
            fig.add_artist(bar)
        handles, labels = [bar], [_("Total assets")]
        if debts:
            line = Line2D(centres, [y(v) for v in nets], color=style.NET, linewidth=1.8,
                          marker="o", markersize=3, transform=fig.transFigure, zorder=3)
            fig.add_artist(line)
            handles.append(line)
            labels.append(_("Net worth"))
        step = max(1, -(-len(points) // 12))
        shown = list(range(len(points)))[::-1][::step][::-1]
        slanted = len(shown) > 6
        for i in shown:
            fig.text(centres[i], bottom - 0.04, _month(points[i].review_date, lang),
                     ha="right" if slanted else "center", va="top", fontsize=8,
                     color=style.MUTED, rotation=35 if slanted else 0,
                     rotation_mode="anchor")
        fig.text(left, top + 0.06, _("In {currency}").format(currency=currency), fontsize=8,
                 color=style.MUTED, ha="left", va="bottom")
        fig.legend(handles, labels, loc="lower right", bbox_to_anchor=(right, top + 0.03),
                   ncol=2, frameon=False, fontsize=8, handlelength=1.2, borderaxespad=0)
    return fig


def _month(day, lang: str) -> str:
    if lang == "zh":
        return f"{day.year}年{day.month}月"
    return f"{MONTHS[day.month - 1]} {day.year}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
