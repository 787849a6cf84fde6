from decimal import Decimal

from matplotlib.figure import Figure

from reviewdesk.book.enums import Tier
from reviewdesk.charts.pareto import font_families, pareto_figure
from reviewdesk.review.segments import ClientValue, Segmentation, pareto


def _seg(amounts):
    rows = [
        ClientValue(
            client_id=i,
            code=f"C{i}",
            name=f"客户{i}",
            tier=Tier.STANDARD,
            tags=[],
            bank_assets=Decimal(a),
        )
        for i, a in enumerate(amounts)
    ]
    cumulative, count = pareto([r.bank_assets for r in rows], Decimal("0.8"))
    for i, (row, cum) in enumerate(zip(rows, cumulative, strict=True)):
        row.cumulative_share = cum
        row.suggested_tier = Tier.KEY if i < count else Tier.STANDARD
    return Segmentation("CNY", Decimal("0.8"), rows, count)


def test_bars_curve_and_split_are_drawn():
    fig = pareto_figure(_seg([50, 20, 10, 5, 5, 4, 3, 1, 1, 1]), "zh")
    assert isinstance(fig, Figure)
    ax, share_ax = fig.axes
    bars = ax.patches
    assert len(bars) == 10
    assert [b.get_height() for b in bars[:3]] == [50.0, 20.0, 10.0]
    assert bars[0].get_facecolor() != bars[5].get_facecolor()  # key clients stand out
    line = share_ax.lines[0]
    assert list(line.get_ydata())[:3] == [50.0, 70.0, 80.0]
    assert ax.get_title(loc="left") == "10 位客户中的 3 位（30.0%）持有本行 80.0% 的资产"
    assert "Droid Sans Fallback" in font_families()[1]
    fig.canvas.draw()  # renders, CJK included, without pyplot


def test_an_empty_book_draws_a_message():
    fig = pareto_figure(_seg([]), "en")
    assert fig.axes[0].texts[0].get_text() == "No assets held here yet"


def test_the_key_clients_are_said_to_hold_what_they_hold_counted_whole():
    """Found: a book of one client read "80.0% of the assets here are held by 1 of 1
    clients" (the client held all of them) and the chart put the one bar over client ticks
    0.6 to 1.4."""
    seg = _seg([100])
    assert seg.key_held_share == Decimal(1)
    assert seg.key_share_text("en").startswith(
        "1 of 1 clients (100.0%) hold 100.0% of the assets here"
    )
    assert seg.key_share_text("en").endswith("the fewest who reach 80.0%.")
    fig = pareto_figure(seg, "en")
    ax = fig.axes[0]
    fig.canvas.draw()
    ticks = [t for t in ax.get_xticks() if 0.5 <= t <= 1.5]
    assert ticks == [1.0]
    assert ax.get_title(loc="left") == "1 of 1 clients (100.0%) hold 100.0% of the assets here"
    # A book where the first clients pass the share: what they hold, not the setting's.
    seg = _seg([50, 35, 10, 5])
    assert seg.key_count == 2 and seg.key_held_share == Decimal("0.85")
    assert "2 of 4 clients (50.0%) hold 85.0% of the assets here" in seg.key_share_text("en")
