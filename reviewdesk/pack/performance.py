"""Performance: the client's new money told apart from what the market did.

Every figure is the review's (`Review.returns`, reviewdesk/review/returns.py) and every
word about them is reviewdesk/review/returns_text.py's, shared with the screen: this
module only lays them out. Amounts are shown to the smallest unit of the report currency.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from reviewdesk.charts.builders import performance_chart
from reviewdesk.i18n import N_, join_sentences, ngettext, with_ratio
from reviewdesk.money import RETURN_PLACES, news
from reviewdesk.pack import fonts
from reviewdesk.pack.context import BAND, INK, MUTED, TONES, PackContext
from reviewdesk.pack.linebreak import longest_piece
from reviewdesk.pack.tables import (
    AFTER_TABLE,
    CELL_SIZE,
    PADDING,
    Cell,
    TableCommand,
    data_table,
    plain,
)
from reviewdesk.pack.vector import FigureFlowable
from reviewdesk.review import returns_text as words
from reviewdesk.review.returns import Period, Returns

SMALLEST = 6.5  # the table's numbers are set smaller, down to this, before the label wraps
MIN_LABEL = 0.17  # of the frame: the span column's least width
PERIODS_SHOWN = 12  # the latest review periods listed; the earlier ones are counted


def story(ctx: PackContext) -> list[Flowable]:
    _, r = ctx._, ctx.review
    items: list[Flowable] = [ctx.p(_("Performance"), "h1")]
    returns = r.returns
    if returns is None or not returns.spans:
        items.append(ctx.p(_(words.FIRST_REVIEW)))
        return items
    if not returns.flows_recorded:
        return items + _no_flows(ctx, returns)
    items.append(ctx.p(_scope(ctx), "small"))
    items.append(Spacer(1, 4))
    items.append(_span_table(ctx, returns))
    items.append(Spacer(1, AFTER_TABLE))
    items += _overview(ctx, returns)
    width_in = ctx.width / 72
    latest = returns.periods[-1]
    items.append(
        KeepTogether(
            [
                ctx.p(
                    _("The latest period: {start} to {end}").format(
                        start=ctx.date(latest.start), end=ctx.date(latest.end)
                    ),
                    "h2",
                ),
                FigureFlowable(performance_chart(returns, ctx.lang, size=(width_in, 2.4))),
            ]
        )
    )
    items += _periods(ctx, returns.periods)
    items.append(Spacer(1, 10))
    items.append(glossary(ctx))
    return items


def _scope(ctx: PackContext) -> str:
    return words.scope(ctx.currency, ctx.lang)


def _no_flows(ctx: PackContext, returns: Returns) -> list[Flowable]:
    """No flow recorded: the change cannot be split, and the page says what is needed."""
    _ = ctx._
    first, needed = words.unmeasured_sentences(
        ctx.lang,
        returns.spans[-1],  # since the first review
        date=ctx.date,
        money=lambda amount: ctx.money(amount, compact=False),
        signed=ctx.signed,
        pct=ctx.pct,
    )
    return [
        ctx.p(_scope(ctx), "small"),
        Spacer(1, 4),
        ctx.p(first),
        Spacer(1, 4),
        ctx.p(needed),
    ]


def _colour_return(
    commands: list[TableCommand],
    row: int,
    col: int,
    value: Decimal | None,
    text: str,
) -> str:
    # A return as printed: a percentage to RETURN_PLACES decimals.
    colour = TONES[news(value, places=RETURN_PLACES + 2)]
    return plain(commands, row, col, text, colour=colour)


def _span_table(ctx: PackContext, returns: Returns) -> Table:
    _ = ctx._
    benchmark = any(s.benchmark is not None for s in returns.spans)
    heads = [
        _("Span"),
        _("Start value"),
        _("Net new money"),
        _("Market gain"),
        _("End value"),
        _("Time-weighted return"),
        _("Money-weighted return"),
    ]
    if benchmark:
        heads.append(_("Benchmark"))
    commands: list[TableCommand] = []
    rows: list[list[Cell]] = [[]]
    marks = words.shorter_marks(returns)
    for span in returns.spans:
        i = len(rows)
        when = _("from {date}").format(date=ctx.day(span.start)) + marks.get(span.span, "")
        rows.append(
            [
                f"{words.span_label(span, ctx.lang)}\n{when}",
                ctx.exact(span.start_value),
                ctx.signed(span.net_new_money),
                plain(
                    commands,
                    i,
                    3,
                    ctx.signed(span.gain),
                    colour=TONES[news(span.gain, ctx.currency)],
                ),
                ctx.exact(span.end_value),
                _colour_return(commands, i, 5, span.twr, words.twr_text(span, ctx.lang)),
                _colour_return(commands, i, 6, span.mwr, words.mwr_text(span, ctx.lang)),
            ]
        )
        if benchmark:
            rows[-1].append(plain(commands, i, 7, words.benchmark_text(span, ctx.lang)))
    widths, size, hyphens = _widths(ctx, heads, rows)
    head_r = "head_hyphen_r" if hyphens else "head_r"
    rows[0] = [ctx.p(text, "head" if c == 0 else head_r) for c, text in enumerate(heads)]
    for row in rows[1:]:
        label, *rest = str(row[0]).split("\n")
        row[0] = ctx.lines(
            [(label, None, None), *((line, 7.5, MUTED) for line in rest)],
            "cell",
            fits=widths[0] - 2 * PADDING,
        )
    if size < CELL_SIZE:
        commands += [
            ("FONTSIZE", (1, 1), (-1, -1), size),
            ("LEADING", (1, 1), (-1, -1), size + 2.5),
        ]
    return data_table(
        rows,
        widths,
        extra=commands,
        right_from=1,
        footnote=ctx.p(join_sentences(*words.notes(returns, ctx.lang, date=ctx.date)), "small"),
    )


def _widths(
    ctx: PackContext, heads: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> tuple[list[float], float, bool]:
    """Each numeric column as wide as its widest cell or its header's longest word; the
    span column the rest, the numbers set smaller when that leaves it narrower than a
    sixth of the frame or than the longest part of a span's name that never breaks
    ("自首次回顾以来（年化）" breaks before "（年化）", never inside it). Should the
    smallest numbers still leave it too narrow, the headers also break after a hyphen
    ("Time-" / "weighted"), said by the third value: found, "(annualised" / ")" beside
    amounts in the hundred millions."""
    size = CELL_SIZE
    least = ctx.width * MIN_LABEL
    for row in rows[1:]:
        label, *rest = str(row[0]).split("\n")
        parts = [longest_piece(label, CELL_SIZE), *(longest_piece(line, 7.5) for line in rest)]
        least = max(least, *(part + 2 * PADDING + 1 for part in parts))
    hyphens = False
    while True:
        numeric = []
        for c in range(1, len(heads)):
            cells = max(
                (fonts.string_width(row[c], size) for row in rows[1:] if isinstance(row[c], str)),
                default=0,
            )
            head = heads[c].replace("-", "- ") if hyphens else heads[c]
            numeric.append(
                max(cells, longest_piece(head, 8, between_glyphs=False)) + 2 * PADDING + 1
            )
        room = ctx.width - sum(numeric)
        if room >= least or (size <= SMALLEST and hyphens):
            return [room, *numeric], size, hyphens
        if size <= SMALLEST:
            hyphens = True
        else:
            size -= 0.5


def _overview(ctx: PackContext, returns: Returns) -> list[Flowable]:
    """The longest span in words: the change, split into new money and market gain."""
    _ = ctx._
    span = returns.spans[-1]
    if span.change is None:
        text = words.no_rate_sentence(span, ctx.lang, ctx.date)
        return [ctx.p(join_sentences(text, words.span_returns_sentence(span, ctx.lang)))]
    change = ctx.signed(span.change)
    if span.change_pct is not None:
        change = with_ratio(change, ctx.pct(span.change_pct), ctx.lang)
    if span.unvalued:
        text = _("Since {date} the financial assets changed by {change}.").format(
            date=ctx.date(span.start), change=change
        )
        text = join_sentences(
            text, words.unvalued_sentence(span.unvalued, ctx.currency, ctx.lang, ctx.date)
        )
        return [ctx.p(join_sentences(text, words.span_returns_sentence(span, ctx.lang)))]
    text = _(
        "Since {date} the financial assets changed by {change}: {net} of net new money and "
        "{gain} of market gain."
    ).format(
        date=ctx.date(span.start),
        change=change,
        net=ctx.signed(span.net_flows),
        gain=ctx.signed(span.market_gain),
    )
    return [ctx.p(join_sentences(text, words.span_returns_sentence(span, ctx.lang)))]


def _periods(ctx: PackContext, periods: Sequence[Period]) -> list[Flowable]:
    """The latest review periods, each with its Modified Dietz return."""
    _ = ctx._
    shown = list(periods[-PERIODS_SHOWN:])
    heads = [
        _("From"),
        _("To"),
        _("Start value"),
        _("Net new money"),
        _("Market gain"),
        _("End value"),
        _("Return (Modified Dietz)"),
    ]
    commands: list[TableCommand] = []
    rows: list[list[Cell]] = [
        [ctx.p(h, "head" if c < 2 else "head_r") for c, h in enumerate(heads)]
    ]
    for p in shown:
        i = len(rows)
        rows.append(
            [
                ctx.day(p.start),
                ctx.day(p.end),
                ctx.exact(p.start_value),
                ctx.signed(p.net_new_money),
                plain(commands, i, 4, ctx.signed(p.gain), colour=TONES[news(p.gain, ctx.currency)]),
                ctx.exact(p.end_value),
                _colour_return(commands, i, 6, p.dietz, words.period_text(p, ctx.lang)),
            ]
        )
    notes = [
        _(
            "A deposit or withdrawal counts for the share of the period's days left after "
            "it; one made on a review date belongs to the period that review closes."
        )
    ]
    left_out = len(periods) - len(shown)
    if left_out:
        notes.append(
            # Found: "Earlier periods not listed: 18; the spans above include them."
            ngettext(
                "{count} earlier period is not listed; the spans above include it.",
                "{count} earlier periods are not listed; the spans above include them.",
                left_out,
                ctx.lang,
            ).format(count=left_out)
        )
    widths, size = _spread(ctx, heads, rows)
    if size < CELL_SIZE:
        commands += [
            ("FONTSIZE", (0, 1), (-1, -1), size),
            ("LEADING", (0, 1), (-1, -1), size + 2.5),
        ]
    return [
        ctx.p(_("Review periods"), "h2"),
        data_table(
            rows,
            widths,
            extra=commands,
            right_from=2,
            footnote=ctx.p(join_sentences(*notes), "small"),
        ),
    ]


def _spread(
    ctx: PackContext, heads: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> tuple[list[float], float]:
    """Every column as wide as its widest cell or its header's longest word, the room left
    shared out evenly; the numbers set smaller when they do not fit."""
    size = CELL_SIZE
    while True:
        natural = []
        for c in range(len(heads)):
            cells = max(
                (fonts.string_width(row[c], size) for row in rows[1:] if isinstance(row[c], str)),
                default=0,
            )
            head = longest_piece(heads[c], 8, between_glyphs=False)
            natural.append(max(cells, head) + 2 * PADDING + 1)
        spare = ctx.width - sum(natural)
        if spare >= 0 or size <= SMALLEST:
            return [w + max(spare, 0) / len(natural) for w in natural], size
        size -= 0.5


GLOSSARY = (
    (
        N_("Net new money"),
        N_(
            "The money the client put in less the money taken out between two dates: "
            "deposits, withdrawals, transfers, income paid out and fees."
        ),
    ),
    (
        N_("Market gain"),
        N_(
            "The change in value that new money does not explain: the end value less the "
            "start value less the net new money. It is a loss when negative."
        ),
    ),
    (
        N_("Time-weighted return"),
        N_(
            "How the investments themselves did, whatever money came in or went out and "
            "when. Each period between reviews is measured on its own and the periods are "
            "linked, so a large deposit is not counted as a gain. This is the figure to "
            "compare with a market index."
        ),
    ),
    (
        N_("Money-weighted return"),
        N_(
            "What the client's own money earned: the one rate of growth that turns the "
            "start value, and each deposit and withdrawal from its date, into the end "
            "value. Money invested longer or in larger amounts weighs more, so the timing "
            "of deposits and withdrawals changes it."
        ),
    ),
    (
        N_("Modified Dietz"),
        N_(
            "How each period's return is computed: the market gain divided by the average "
            "money at work, in which a deposit or withdrawal counts for the share of the "
            "period's days left after it."
        ),
    ),
)


def glossary(ctx: PackContext) -> Table:
    """The terms of the section in plain words, in a shaded box."""
    _ = ctx._
    cells: list[Flowable] = [ctx.p(_("What the terms mean"), "h2")]
    colon = "：" if ctx.lang == "zh" else ": "
    for term, meaning in GLOSSARY:
        cells.append(ctx.spans([(_(term) + colon, True, INK), (_(meaning), False, None)], "small"))
        cells.append(Spacer(1, 3))
    box = Table([[cells]], colWidths=[ctx.width], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), BAND),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return box
