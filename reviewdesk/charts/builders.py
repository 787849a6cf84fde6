"""The review's charts: the asset mix, the trend across review dates and the latest
period's performance (start value, net new money, market gain, end value).

Builders take plain data from the `Review` object and a language and return a
`matplotlib.figure.Figure` sized in inches; the caller draws it (the pack as
vector graphics, the screen on a Qt canvas). Floats appear only here, at the
drawing boundary.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache
from typing import Any

import matplotlib
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle, Wedge
from matplotlib.textpath import text_to_path
from matplotlib.ticker import MaxNLocator

from reviewdesk.charts import style
from reviewdesk.charts.fonts import families
from reviewdesk.i18n import MONTHS, translator, written_date
from reviewdesk.money import format_axis, format_money, format_percent, format_signed
from reviewdesk.review.model import Review, Slice, TrendPoint, printed_shares
from reviewdesk.review.returns import Returns
from reviewdesk.review.returns_text import unvalued_flows

_RC = {
    "font.size": 9,
    "axes.edgecolor": style.GRID,
    "axes.labelcolor": style.INK,
    "xtick.color": style.MUTED,
    "ytick.color": style.MUTED,
    "text.color": style.INK,
    "axes.unicode_minus": False,
    "svg.hashsalt": "reviewdesk",
    "path.simplify": True,
}


def _rc() -> dict:
    return {**_RC, "font.family": list(families())}


# matplotlib's settings are the process's: a chart built on one thread (the desktop's
# review page) while another builds one (a pack on the CPU pool) would put the settings
# back under the other's feet. Charts are built one at a time.
_CHART_LOCK = threading.RLock()


@contextmanager
def _chart_rc() -> Iterator[None]:
    """The charts' settings while a figure is built, as `matplotlib.rc_context(_rc())`
    would set them, but saving and putting back only these: rc_context copies all of
    matplotlib's three hundred settings each time, which cost more than a small chart.
    One chart at a time in the process (`_CHART_LOCK`)."""
    with _CHART_LOCK:
        rc = _rc()
        params = matplotlib.rcParams
        saved = {key: dict.__getitem__(params, key) for key in rc}
        try:
            params.update(rc)
            yield
        finally:
            dict.update(params, saved)


def allocation_pie(
    slices: Sequence[Slice], lang: str, *, size=(6.2, 2.6), title: str = ""
) -> Figure:
    """A ring of the asset mix with a legend of labels and shares (no labels on the ring).

    The ring is drawn as wedges on the figure itself, without an Axes: an Axes
    and its tick machinery cost more than everything else in the chart, and a
    ring needs neither axes nor ticks.
    """
    _ = translator(lang)
    with _chart_rc():
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
            wedge = Wedge(
                centre,
                radius,
                start - sweep,
                start,
                width=radius * 0.42,
                facecolor=style.colour(s.key),
                edgecolor="white",
                linewidth=1.2,
                transform=to_inches,
            )
            fig.add_artist(wedge)
            wedges.append(wedge)
            start -= sweep
        if title:
            fig.text(
                *centre,
                title,
                transform=to_inches,
                ha="center",
                va="center",
                fontsize=9,
                color=style.MUTED,
            )
        row = 0.24
        x = centre[0] + radius + 0.35
        top = height / 2 + (len(slices) - 1) * row / 2
        for i, (s, share) in enumerate(zip(slices, printed_shares(slices), strict=True)):
            y = top - i * row
            fig.add_artist(
                Rectangle(
                    (x, y - 0.055),
                    0.11,
                    0.11,
                    facecolor=style.colour(s.key),
                    linewidth=0,
                    transform=to_inches,
                )
            )
            fig.text(
                x + 0.19,
                y,
                f"{_(s.label)}  {format_percent(share, lang, signed=False)}",
                transform=to_inches,
                va="center_baseline",
                fontsize=9,
            )
    return fig


def trend_chart(
    points: Sequence[TrendPoint],
    lang: str,
    currency: str,
    *,
    size: tuple[float, float] = (6.6, 2.8),
    returns: Returns | None = None,
) -> Figure:
    """Total assets as bars at each review date, net worth as a line when there are debts.

    With `returns` that record some flow, a dashed line shows the money put in: the
    financial assets at the first review plus the net new money since (cumulative,
    `Returns.invested`), so saving and market growth can be told apart, up to where a
    review lacks a rate; where property makes the financial
    assets differ from the total, they are marked as dots.

    Drawn on the figure in figure coordinates rather than in an Axes: an Axes
    builds a full tick machinery (several artists per tick, each reading the
    rc settings) that costs more than the chart itself, and packs are made by
    the hundred. The scale still comes from matplotlib's tick locator.
    """
    _ = translator(lang)
    with _chart_rc():
        fig = Figure(figsize=size, dpi=72)
        if not points:
            fig.text(0.5, 0.5, _("No reviews yet"), ha="center", va="center", color=style.MUTED)
            return fig
        left, right, bottom, top = 0.11, 0.98, 0.22, 0.86
        debts = any(p.liabilities for p in points)
        assets = [float(p.assets) for p in points]
        nets = [float(p.net_worth) for p in points]
        invested, financial = money_put_in(points, returns)
        unit = _("In {currency}").format(currency=currency)
        entries = [(_("Total assets"), style.ACCENT, BAR)]
        if debts:
            entries.append((_("Net worth"), style.NET, LINE))
        if _some(financial):
            entries.append((_("Financial assets"), style.INK, DOTS))
        if drawn(invested):
            entries.append((_("Start + net new money"), style.INVESTED, DASHED))
        key_left = left + (_text_width(unit, 8) + 0.3) / size[0]
        top -= _trend_key(fig, entries, key_left, right, top + 0.075)
        extra = [v for v in (*invested, *financial) if v is not None]
        low = min([0.0, *nets, *extra]) if debts else min([0.0, *extra])
        high = max([*assets, *nets, *extra] if debts else [*assets, *extra]) or 1.0
        ticks = [t for t in MaxNLocator(5).tick_values(low, high)]
        low, high = min(ticks[0], low), max(ticks[-1], high)

        def y(value: float) -> float:
            return bottom + (value - low) / (high - low) * (top - bottom)

        _grid(fig, ticks, low, high, left, right, y, lang)
        slot = (right - left) / len(points)
        centres = [left + slot * (i + 0.5) for i in range(len(points))]
        fig.add_artist(
            PolyCollection(
                _bars([x - slot * 0.35 for x in centres], [y(v) for v in assets], y(0), slot * 0.7),
                facecolors=style.ACCENT,
                edgecolors="none",
                linewidths=0,
                transform=fig.transFigure,
                zorder=1,
            )
        )
        if debts:
            fig.add_artist(
                Line2D(
                    centres,
                    [y(v) for v in nets],
                    color=style.NET,
                    linewidth=1.8,
                    marker="o",
                    markersize=3,
                    transform=fig.transFigure,
                    zorder=3,
                )
            )
        _series(fig, centres, invested, y, style.INVESTED, DASHED)
        _series(fig, centres, financial, y, style.INK, DOTS)
        step = max(1, -(-len(points) // 12))
        shown = list(range(len(points)))[::-1][::step][::-1]
        slanted = len(shown) > 6
        for i in shown:
            fig.text(
                centres[i],
                bottom - 0.04,
                _month(points[i].review_date, lang),
                ha="right" if slanted else "center",
                va="top",
                fontsize=8,
                color=style.MUTED,
                rotation=35 if slanted else 0,
                rotation_mode="anchor",
            )
        fig.text(
            left,
            0.92,
            unit,
            fontsize=8,
            color=style.MUTED,
            ha="left",
            va="bottom",
        )
    return fig


def _bars(
    lefts: Sequence[float], tops: Sequence[float], base: float, width: float
) -> list[list[tuple[float, float]]]:
    """The corners of bars `width` wide from `lefts`, from `base` up (or down) to `tops`,
    in the order a Rectangle draws its own (from the lower left, anticlockwise). Drawn as
    one collection, each bar is still its own filled shape, as a Rectangle would be, for
    a fraction of the cost of an artist per bar to build and to draw."""
    bars = []
    for left, top in zip(lefts, tops, strict=True):
        right = left + width
        bars.append([(left, base), (right, base), (right, top), (left, top)])
    return bars


@lru_cache(maxsize=1024)
def _text_width(text: str, size: float) -> float:
    """Width in inches of `text` in the chart font (matplotlib's own measure); the labels
    of the key come back in every chart, and measuring lays the text out glyph by glyph."""
    prop = FontProperties(family=list(families()), size=size)
    width, _h, _d = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return width / 72


def money_put_in(
    points: Sequence[TrendPoint], returns: Returns | None
) -> tuple[list[float | None], list[float | None]]:
    """Per trend point: the money put in (`Returns.invested`: None before the returns
    begin, where no flow is recorded at all, and from where a rate is missing on), and
    the financial assets at every review when property makes them differ from the total
    assets at some review (else None)."""
    empty: list[float | None] = [None] * len(points)
    if returns is None or not returns.flows_recorded:
        return empty, list(empty)
    put_in = dict(returns.invested)
    first = returns.periods[0]
    held = {first.start: first.start_value}
    for period in returns.periods:
        held[period.end] = period.end_value
    invested = [_as_float(put_in.get(p.review_date)) for p in points]
    if all(held.get(p.review_date) in (None, p.assets) for p in points):
        return invested, list(empty)
    return invested, [_as_float(held.get(p.review_date)) for p in points]


def drawn(values: Sequence[float | None]) -> bool:
    """Whether a line through `values` shows: two neighbours with a value (a lone point
    between gaps draws no line)."""
    return any(a is not None and b is not None for a, b in zip(values, values[1:], strict=False))


def _some(values: Sequence[float | None]) -> bool:
    return any(v is not None for v in values)


def _as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _series(
    fig: Figure,
    centres: Sequence[float],
    values: Sequence[float | None],
    y: Callable[[float], float],
    colour: str,
    kind: str,
) -> None:
    """A series through the points that have a value. A dashed line is broken where a
    value is missing (drawn across, it would claim the reviews it skips) and gets a white
    edge so it reads across the bars as well as on the white between them."""
    if kind == DASHED:
        # A line, broken where a value is missing: never drawn across a review it lacks.
        runs: list[list[tuple[float, float]]] = [[]]
        for x, v in zip(centres, values, strict=True):
            if v is None:
                runs.append([])
            else:
                runs[-1].append((x, y(v)))
        for run in runs:
            if len(run) < 2:
                continue
            xs, ys = [x for x, _v in run], [v for _x, v in run]
            fig.add_artist(
                Line2D(xs, ys, color="white", linewidth=3.2, transform=fig.transFigure, zorder=3.5)
            )
            fig.add_artist(
                Line2D(xs, ys, transform=fig.transFigure, zorder=4, **_line_style(colour, kind))
            )
        return
    shown = [(x, y(v)) for x, v in zip(centres, values, strict=True) if v is not None]
    if not shown:
        return
    xs, ys = [x for x, _v in shown], [v for _x, v in shown]
    fig.add_artist(Line2D(xs, ys, transform=fig.transFigure, zorder=4, **_line_style(colour, kind)))


# How an entry of the trend's key is drawn: a bar, a line with a dot, a dashed line, dots.
BAR, LINE, DASHED, DOTS = "bar", "line", "dashed", "dots"


def _trend_key(
    fig: Figure, entries: Sequence[tuple[str, str, str]], left: float, right: float, y: float
) -> float:
    """The key, right-aligned above the plot, drawn directly: a legend box lays itself out
    by measuring every entry several times, and costs more than the bars. `entries` are
    (label, colour, kind); they take a second row when one row would reach `left`.
    Returns the figure height the key takes (to lower the plot's top)."""
    width, height = fig.get_size_inches()
    room = (right - left) * width
    sizes = [_text_width(label, 8) + 0.55 for label, _c, _k in entries]
    rows: list[list[int]] = [[]]
    used = 0.0
    for i in range(len(entries)):
        if rows[-1] and used + sizes[i] > room:
            rows.append([])
            used = 0.0
        rows[-1].append(i)
        used += sizes[i]
    line_gap = 0.2  # inches between rows
    for row_index, row in enumerate(rows):
        row_y = y * height - row_index * line_gap
        x = right * width
        for i in reversed(row):
            label, colour, kind = entries[i]
            x -= _text_width(label, 8)
            fig.text(
                x, row_y, label, transform=fig.dpi_scale_trans, va="center_baseline", fontsize=8
            )
            x -= 0.3
            _key_mark(fig, x, row_y, colour, kind)
            x -= 0.25
    return (len(rows) - 1) * line_gap / height


def _key_mark(fig: Figure, x: float, y: float, colour: str, kind: str) -> None:
    to_inches = fig.dpi_scale_trans
    if kind == BAR:
        fig.add_artist(
            Rectangle(
                (x + 0.1, y - 0.05), 0.1, 0.1, facecolor=colour, linewidth=0, transform=to_inches
            )
        )
        return
    fig.add_artist(
        Line2D(
            [x, x + 0.11, x + 0.22],
            [y, y, y],
            transform=to_inches,
            markevery=[1],
            **_line_style(colour, kind),
        )
    )


def _line_style(colour: str, kind: str) -> dict[str, Any]:
    """The look of a line series of the trend chart, in the plot and in the key alike."""
    if kind == DOTS:
        return {
            "color": colour,
            "linewidth": 0,
            "marker": "o",
            "markersize": 4,
            "markerfacecolor": "white",
            "markeredgecolor": colour,
            "markeredgewidth": 1.2,
        }
    if kind == DASHED:
        return {"color": colour, "linewidth": 1.5, "linestyle": (0, (4, 2))}
    return {"color": colour, "linewidth": 1.8, "marker": "o", "markersize": 3}


def _month(day, lang: str) -> str:
    if lang == "zh":
        return f"{day.year}年{day.month}月"
    return f"{MONTHS[day.month - 1]} {day.year}"


def performance_chart(
    source: Review | Returns | None, lang: str, *, size: tuple[float, float] = (6.6, 2.6)
) -> Figure:
    """The latest period as a waterfall: the start value, the net new money, the market
    gain and the end value, each step from where the last one ended.

    `source`: the review (its `returns`) or the returns themselves. The figures are
    `Returns.periods[-1]`'s (review/returns.py), only drawn here: the amounts on the bars
    are rounded to whole units of the currency when shown. A step that lowers the value
    is in the loss colour. Without a period (one review), or when the period's values
    left a currency out for want of a rate, or a flow of it has no value in the report
    currency, the chart says so instead.
    """
    _ = translator(lang)
    returns = source.returns if isinstance(source, Review) else source
    with _chart_rc():
        fig = Figure(figsize=size, dpi=72)
        if returns is None or not returns.periods:
            return _message(fig, _("Returns need a second review to compare with."))
        period = returns.periods[-1]
        if period.missing_rates:
            return _message(
                fig,
                _("Not drawn: no exchange rate for {codes} in this period.").format(
                    codes=", ".join(period.missing_rates)
                ),
            )
        if period.unvalued:
            return _message(
                fig,
                _("Not drawn: no exchange rate to {currency} for {flows}.").format(
                    currency=returns.currency,
                    flows=unvalued_flows(
                        period.unvalued, lang, lambda day: written_date(day, lang)
                    ),
                ),
            )
        start = period.start_value
        moved = start + period.net_flows
        end = period.end_value
        steps = (
            (_("Start value"), written_date(period.start, lang), Decimal(0), start, style.ACCENT),
            (_("Net new money"), "", start, moved, _step_colour(period.net_flows)),
            (_("Market gain"), "", moved, end, _step_colour(period.market_gain)),
            (_("End value"), written_date(period.end, lang), Decimal(0), end, style.ACCENT),
        )
        left, right, bottom, top = 0.11, 0.98, 0.26, 0.84
        values = [float(v) for v in (start, moved, end)]
        low, high = min(0.0, *values), max(values) or 1.0
        ticks = list(MaxNLocator(5).tick_values(low, high))
        low, high = min(ticks[0], low), max(ticks[-1], high)

        def y(value: Decimal | float) -> float:
            return bottom + (float(value) - low) / (high - low) * (top - bottom)

        _grid(fig, ticks, low, high, left, right, y, lang)
        slot = (right - left) / len(steps)
        for i, (label, when, base, reach, colour) in enumerate(steps):
            x = left + slot * (i + 0.5)
            fig.add_artist(
                Rectangle(
                    (x - slot * 0.3, y(min(base, reach))),
                    slot * 0.6,
                    abs(y(reach) - y(base)),
                    facecolor=colour,
                    linewidth=0,
                    transform=fig.transFigure,
                    zorder=1,
                )
            )
            if i < len(steps) - 1:  # the level this step ends on carries over to the next
                fig.add_artist(
                    Line2D(
                        [x + slot * 0.3, x + slot * 0.7],
                        [y(reach)] * 2,
                        color=style.MUTED,
                        linewidth=0.6,
                        linestyle=(0, (2, 2)),
                        transform=fig.transFigure,
                        zorder=2,
                    )
                )
            step = base != 0 or i == 1
            amount = reach - base if step else reach
            above = reach >= base
            fig.text(
                x,
                y(max(base, reach) if above else min(base, reach)) + (0.02 if above else -0.02),
                _bar_amount(amount, returns.currency, lang, signed=step),
                ha="center",
                va="bottom" if above else "top",
                fontsize=8,
                color=colour if step else style.INK,
            )
            fig.text(x, bottom - 0.05, label, ha="center", va="top", fontsize=8.5)
            if when:
                fig.text(
                    x, bottom - 0.14, when, ha="center", va="top", fontsize=7.5, color=style.MUTED
                )
        fig.text(
            left,
            top + 0.09,
            _("In {currency}").format(currency=returns.currency),
            fontsize=8,
            color=style.MUTED,
            ha="left",
            va="bottom",
        )
    return fig


def _message(fig: Figure, text: str) -> Figure:
    fig.text(0.5, 0.5, text, ha="center", va="center", color=style.MUTED)
    return fig


def _step_colour(amount: Decimal) -> str:
    return style.LOSS if amount < 0 else style.GAIN


def _bar_amount(amount: Decimal, currency: str, lang: str, *, signed: bool) -> str:
    """An amount on a bar, in whole units (万 in Chinese); a step is signed."""
    if signed:
        return format_signed(amount, currency, lang, compact=True, places=0)
    return format_money(amount, currency, lang, code=False, places=0)


def _grid(
    fig: Figure,
    ticks: Sequence[float],
    low: float,
    high: float,
    left: float,
    right: float,
    y: Callable[[float], float],
    lang: str,
) -> None:
    """Horizontal grid lines at the ticks, with their amounts on the left."""
    for tick in ticks:
        if low <= tick <= high:
            fig.add_artist(
                Line2D(
                    [left, right],
                    [y(tick)] * 2,
                    color=style.GRID,
                    linewidth=0.6,
                    transform=fig.transFigure,
                    zorder=0.5,
                )
            )
            fig.text(
                left - 0.012,
                y(tick),
                format_axis(tick, lang),
                ha="right",
                va="center",
                fontsize=8,
                color=style.MUTED,
            )
