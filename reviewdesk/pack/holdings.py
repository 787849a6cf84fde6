"""The holdings table: grouped by asset class, subtotals, the change since the last review
and the gain against the recorded principal (cost)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Paragraph

from reviewdesk.i18n import join_sentences, ngettext, pgettext
from reviewdesk.money import format_money, news, round_money
from reviewdesk.pack import fonts
from reviewdesk.pack.context import ALERT, GOOD, MUTED, TONES, PackContext
from reviewdesk.pack.linebreak import longest_piece, unbroken
from reviewdesk.pack.tables import (
    CELL_SIZE,
    PADDING,
    Cell,
    TableCommand,
    data_table,
    group_title,
    plain,
)
from reviewdesk.review.model import HoldingGroup, HoldingRow, HoldingStatus

COST = 7  # the gain against cost: the last column, where some holding has a principal
MIN_PRODUCT = 0.26  # of the frame: below this the numbers are set smaller
SMALLEST = 6.5
SMALL = 7.5  # the size of a cell's second lines (institution, principal)


@dataclass(frozen=True)
class Lines:
    """A right-aligned cell of lines, each (text, size or None for the table's, colour or
    None): a paragraph once the widths are known, measured line by line until then."""

    lines: tuple[tuple[str, float | None, Color | None], ...]


# A row while the table is laid out: the product cell is the holding until the widths are
# known, the gain against cost its lines.
Row = list[Cell | HoldingRow | Lines]


@dataclass(frozen=True)
class Printed:
    """A group's amounts as printed: each row rounded to the currency's smallest unit
    (money.round_money); the subtotals are the review's, which add up those rows."""

    values: tuple[Decimal | None, ...]
    changes: tuple[Decimal | None, ...]
    total: Decimal | None
    change: Decimal | None


def printed(group: HoldingGroup, currency: str, compared: bool) -> Printed:
    values = tuple(
        None if h.value is None else round_money(h.value, currency) for h in group.holdings
    )
    changes = tuple(
        None if h.change is None else round_money(h.change, currency) for h in group.holdings
    )
    return Printed(values, changes, group.total, group.change if compared else None)


def story(ctx: PackContext) -> list[Flowable]:
    _, r = ctx._, ctx.review
    items: list[Flowable] = [ctx.p(pgettext("section", "Holdings", ctx.lang), "h1")]
    if not r.groups:
        return items + [ctx.p(_("No holdings at this review."))]
    compared = r.previous is not None
    heads = [
        _("Product"),
        _("Held since"),
        _("Maturity"),
        _("Risk"),
        _("Value ({currency})").format(currency=r.currency),
        _("Change"),
        _("Change %"),
        _("Gain vs. cost"),
    ]
    rows: list[Row] = [[]]
    styles: list[TableCommand] = []
    for group in r.groups:
        amounts = printed(group, r.currency, compared)
        liability = group.asset_class.is_liability
        i = len(rows)
        styles += [*group_title(i), ("SPAN", (0, i), (3, i))]
        title = group.title(ctx.lang)
        rows.append(
            [
                title,
                "",
                "",
                "",
                plain(styles, i, 4, ctx.exact(amounts.total), bold=True),
                _change(ctx, styles, i, 5, amounts.change, liability, bold=True),
                plain(styles, i, 6, ctx.pct(group.change_pct) if compared else "", bold=True),
                "",
            ]
        )
        for h, value, change in zip(group.holdings, amounts.values, amounts.changes, strict=True):
            rows.append(_row(ctx, styles, len(rows), h, value, change))
    if r.cost_gain is None:
        # No holding has a recorded principal: no column of dashes, no note about it.
        heads.pop(COST)
        for row in rows:
            if row:
                row.pop(COST)
    widths, size = _widths(ctx, heads, rows)
    rows[0] = [ctx.p(text, "head" if c < 4 else "head_r") for c, text in enumerate(heads)]
    for row in rows[1:]:
        if isinstance(row[0], str):  # a group's title
            row[0] = ctx.p(row[0], "cell", bold=True)
        elif isinstance(row[0], HoldingRow):
            row[0] = _product(ctx, row[0], widths[0])
        if len(row) > COST and isinstance(gain := row[COST], Lines):
            row[COST] = _lines(ctx, gain, size, widths[COST] - 2 * PADDING)
    if size < CELL_SIZE:
        styles += [("FONTSIZE", (1, 1), (-1, -1), size), ("LEADING", (1, 1), (-1, -1), size + 2.5)]
    notes = [
        _(
            "Values in {currency} at each review's exchange rates; institution shown under "
            "the product when it is not this bank."
        ).format(currency=r.currency)
    ]
    if compared:
        notes.append(
            _("Change: since the review of {date}.").format(date=ctx.date(r.previous_date))
        )
        # Said where it changes a figure: a class held before that bought or sold something
        # (one held only now shows no percentage at all).
        if any(g.change_pct_partial and g.previous_total for g in r.groups):
            notes.append(
                _(
                    "A class's Change % is over its holdings held at both reviews: money put "
                    "into a new holding or taken out of one sold is not a change."
                )
            )
    notes.append(
        _(
            "Each amount is rounded to the smallest unit of {currency}; subtotals add "
            "up the rounded amounts shown."
        ).format(currency=r.currency)
    )
    if r.cost_gain is not None:
        notes.append(_cost_note(ctx))
    if r.suitability:
        notes.append(r.above_level_note(ctx.lang))
    items.append(
        data_table(
            rows,
            widths,
            extra=styles,
            right_from=4,
            footnote=ctx.p(join_sentences(*notes), "small"),
        )
    )
    return items


def _widths(ctx: PackContext, heads: list[str], rows: Sequence[Row]) -> tuple[list[float], float]:
    """Column widths from what the columns hold: each numeric column gets its widest cell
    (or its header's longest word), the product column the rest. If that leaves the
    product column too narrow, the numbers are set smaller. Returns (widths, font size)."""
    size = CELL_SIZE
    while True:
        numeric = []
        for c in range(1, len(heads)):
            cells = max(
                (
                    fonts.string_width(cell, size, bold=isinstance(row[0], str))
                    if isinstance(cell, str)
                    else max(fonts.string_width(t, s or size) for t, s, _c in cell.lines)
                    for row in rows[1:]
                    if isinstance(cell := row[c], str | Lines)
                ),
                default=0,
            )
            head = longest_piece(heads[c], 8, between_glyphs=False)
            numeric.append(max(cells, head) + 2 * PADDING + 1)
        rest = ctx.width - sum(numeric)
        if rest >= ctx.width * MIN_PRODUCT or size <= SMALLEST:
            return [rest, *numeric], size
        size -= 0.5


def _change(
    ctx: PackContext,
    styles: list[TableCommand],
    row: int,
    col: int,
    amount: Decimal | None,
    liability: bool,
    bold: bool = False,
) -> str:
    """A change in green when it is good news: an asset that grows, a loan that shrinks."""
    if amount is None:
        return "—"
    colour = TONES[news(amount, ctx.currency, liability=liability)]
    return plain(styles, row, col, ctx.signed(amount), bold=bold, colour=colour)


def _product(ctx: PackContext, h: HoldingRow, width: float) -> Paragraph:
    """Name, then a small line of code / institution / original currency, then the status."""
    _ = ctx._
    detail = []
    if h.product_code:
        detail.append(h.product_code)
    if h.institution:
        detail.append(h.institution)
    if h.currency != ctx.currency:
        detail.append(
            # The amount and its currency on one line: "USD" / "205,411.24" was found.
            unbroken(format_money(h.market_value, h.currency, ctx.lang, compact=False))
            if h.status is not HoldingStatus.GONE
            else h.currency
        )
    lines: list[tuple[str, float | None, Color | None]] = [(h.product_name, None, None)]
    if detail:
        lines.append((" · ".join(detail), 7.5, MUTED))
    if h.status is HoldingStatus.NEW:
        lines.append((_("New since the last review"), 7.5, GOOD))
    elif h.status is HoldingStatus.GONE:
        lines.append((_(h.gone_line), 7.5, ALERT))
    return ctx.lines(lines, "cell", fits=width - 8)


def _row(
    ctx: PackContext,
    styles: list[TableCommand],
    i: int,
    h: HoldingRow,
    value: Decimal | None,
    change: Decimal | None,
) -> Row:
    """One holding; the product cell (a Paragraph) is made once the widths are known."""
    gone = h.status is HoldingStatus.GONE
    risk = h.risk_level.value if h.risk_level else "—"
    if h.above_client_level:
        risk = plain(styles, i, 3, risk + "▲", bold=True, colour=ALERT)
    # "—" where the review shows no value (no longer held, or no rate): `shown_value`
    figure = "—" if h.shown_value is None else ctx.exact(value)
    shown = plain(styles, i, 4, figure, colour=MUTED if gone else None)
    # blank where a percentage does not apply (new, first, no longer held)
    pct = ctx.pct(h.shown_change_pct) if h.status is HoldingStatus.KEPT else ""
    return [
        h,
        ctx.day(h.held_since),
        ctx.day(h.maturity_date),
        risk,
        shown,
        _change(ctx, styles, i, 5, change, h.is_liability),
        pct,
        _cost_gain(ctx, h),
    ]


def _cost_gain(ctx: PackContext, h: HoldingRow) -> Lines | str:
    """The gain against the recorded principal and its percentage, in green or red, and
    the principal under them; "—" where none is recorded; empty for a loan and a holding
    no longer held, which have no such gain (review.model.cost_gain_applies)."""
    _ = ctx._
    if h.is_liability or h.status is HoldingStatus.GONE:
        return ""
    gain, principal = h.cost_gain, h.principal
    if gain is None or principal is None:
        return "—"
    colour = TONES[news(gain.amount, gain.currency)]
    if gain.value is None or principal.value is None:  # no rate: the principal as recorded
        amount, cost = "—", format_money(principal.amount, principal.currency, ctx.lang, False)
    else:
        amount, cost = ctx.signed(round_money(gain.value, ctx.currency)), ctx.exact(principal.value)
    lines: list[tuple[str, float | None, Color | None]] = [
        (amount, None, colour if amount != "—" else None)
    ]
    if h.cost_gain_pct is not None:
        lines.append((ctx.pct(h.cost_gain_pct), None, colour))
    lines.append((_("cost {amount}").format(amount=cost), SMALL, MUTED))
    return Lines(tuple(lines))


def _lines(ctx: PackContext, cell: Lines, size: float, fits: float) -> Paragraph:
    """The cell's lines as one right-aligned paragraph at the table's size (every line
    fits in `fits` at its size: the column was sized to them)."""
    lines = [(line, min(line_size or size, size), colour) for line, line_size, colour in cell.lines]
    return ctx.lines(lines, "cell_r", fits=fits)


def _cost_note(ctx: PackContext) -> str:
    """What the gain against cost is, and its total over the holdings that have one."""
    _, r = ctx._, ctx.review
    note = _(
        "Gain vs. cost: the value less the principal (cost) recorded for the holding, in "
        "{currency} at this review's exchange rate, only where a principal is recorded "
        "(— where none is); loans and holdings no longer held have none."
    ).format(currency=r.currency)
    total = r.cost_gain
    if total is None:
        return note
    if total.holdings:
        note = join_sentences(
            note,
            ngettext(
                "Over the {count} holding with a recorded principal: {gain} ({pct}) on a cost "
                "of {principal}.",
                "Over the {count} holdings with a recorded principal: {gain} ({pct}) on a cost "
                "of {principal}.",
                total.holdings,
                ctx.lang,
            ).format(
                count=total.holdings,
                gain=ctx.signed(total.gain),
                pct=ctx.pct(total.ratio),
                principal=ctx.exact(total.principal),
            ),
        )
    if total.missing_rates:
        note = join_sentences(
            note,
            _("Left out of that total for want of an exchange rate: {currencies}.").format(
                currencies=_(", ").join(total.missing_rates)
            ),
        )
    return note
