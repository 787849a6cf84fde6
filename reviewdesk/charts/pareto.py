"""The 80/20 chart: each client's assets here, largest first, and the cumulative share.

Floats appear only here, at the drawing boundary; the split itself comes
exact from `review.segments`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from reviewdesk import paths
from reviewdesk.i18n import N_, current_language, translator
from reviewdesk.money import format_axis
from reviewdesk.review.segments import Segmentation

CJK_FILE = "DroidSansFallbackFull.ttf"
BAR_KEY = "#2f6f9f"
BAR_REST = "#b9c7d3"
LINE = "#c0392b"


@cache
def font_families() -> tuple[str, ...]:
    """DejaVu Sans (shipped with matplotlib) with the CJK font as per-glyph fallback."""
    path = str(paths.resource("fonts", CJK_FILE))
    font_manager.fontManager.addfont(path)
    return ("DejaVu Sans", font_manager.FontProperties(fname=path).get_name())


def _amount_axis(lang: str) -> Callable[[float, object], str]:
    def fmt(value: float, _pos: object) -> str:
        return format_axis(value, lang)

    return fmt


def pareto_figure(
    seg: Segmentation, lang: str | None = None, size: tuple[float, float] = (8, 4.5), dpi: int = 100
) -> Figure:
    """Bars of assets here per client (key clients dark), the cumulative share line and
    the share line (80%) with the number of clients who reach it."""
    lang = lang or current_language()
    tr = translator(lang)
    family = list(font_families())
    fig = Figure(figsize=size, dpi=dpi, layout="constrained")
    ax = fig.add_subplot()
    n = len(seg.rows)
    if n == 0 or seg.total_bank <= 0:
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            tr(N_("No assets held here yet")),
            ha="center",
            va="center",
            family=family,
            fontsize=12,
            color="#555555",
        )
        return fig
    xs = list(range(1, n + 1))
    values = [float(r.bank_assets) for r in seg.rows]
    colours = [BAR_KEY if i < seg.key_count else BAR_REST for i in range(n)]
    ax.bar(xs, values, width=1.0 if n > 60 else 0.8, color=colours, linewidth=0)
    ax.set_xlim(0.5, n + 0.5)
    # Clients are counted whole (found: one client's bar stood over ticks 0.6 to 1.4).
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    ax.set_ylabel(tr(N_("Assets here ({currency})")).format(currency=seg.currency), family=family)
    ax.set_xlabel(tr(N_("Clients, largest first")), family=family)
    ax.yaxis.set_major_formatter(FuncFormatter(_amount_axis(lang)))
    ax.spines[["top", "right"]].set_visible(False)

    share_ax = ax.twinx()
    share_ax.plot(xs, [float(r.cumulative_share) * 100 for r in seg.rows], color=LINE, linewidth=2)
    share_ax.set_ylim(0, 102)
    share_ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    share_ax.set_ylabel(tr(N_("Cumulative share")), family=family, color=LINE)
    share_ax.spines[["top"]].set_visible(False)
    cut = float(seg.share) * 100
    share_ax.axhline(cut, color="#777777", linewidth=0.8, linestyle="--")
    if seg.key_count:
        share_ax.axvline(seg.key_count + 0.5, color="#777777", linewidth=0.8, linestyle="--")
    # The figures of the page's sentence (`Segmentation.key_share_text`), to the same
    # decimal: the title read 28% above a sentence that said 27.5%.
    ax.set_title(seg.key_share_text(lang, title=True), family=family, fontsize=12, loc="left")
    for axis in (ax, share_ax):
        axis.tick_params(labelfontfamily=family, labelsize=9)
    return fig
