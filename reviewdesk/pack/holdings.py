"""The holdings table: grouped by asset class, subtotals, and the change since the last review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Paragraph

from reviewdesk.i18n import pgettext
from reviewdesk.money import format_money, round_money
from reviewdesk.pack import fonts
from reviewdesk.pack.context import ALERT, GOOD, MUTED, PackContext
from reviewdesk.pack.tables import (
    CELL_SIZE,
    PADDING,
    Cell,
    TableCommand,
    band,
    data_table,
    plain,
)
from reviewdesk.review.model import HoldingGroup, HoldingRow, HoldingStatus

NUMERIC = range(1, 7)  # held since .. change %: sized to what they hold
MIN_PRODUCT = 0.26  # of the frame: below this the numbers are set smaller
SMALLEST = 6.5

# A row while the table is laid out: the product cell is the holding until the widths are known.
Row = list[Cell | HoldingRow]


@dataclass(frozen=True)
class Printed:
    """A group's amounts as printed: each row rounded to the currency's smallest unit
    (money.round_money); the subtotals are the review's, which add up those rows."""

    values: tuple[Decimal | None, ...]
    changes: tuple[Decimal | None, ...]
    total: Decimal
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
    ]
    rows: list[Row] = [[]]
    styles: list[TableCommand] = []
    for group in r.groups:
        amounts = printed(group, r.currency, compared)
        liability = group.asset_class.is_liability
        i = len(rows)
        styles += [band(i), ("SPAN", (0, i), (3, i))]
        title = _(group.asset_class.label)
        if liability:
            title = _("{name} (liability)").format(name=title)
        rows.append(
            [
                title,
                "",
                "",
                "",
                plain(styles, i, 4, ctx.exact(amounts.total), bold=True),
                _change(ctx, styles, i, 5, amounts.change, liability, bold=True),
                plain(styles, i, 6, ctx.pct(group.change_pct) if compared else "", bold=True),
            ]
        )
        for h, value, change in zip(group.holdings, amounts.values, amounts.changes, strict=True):
            rows.append(_row(ctx, styles, len(rows), h, value, change))
    widths, size = _widths(ctx, heads, rows)
    rows[0] = [ctx.p(text, "head" if c < 4 else "head_r") for c, text in enumerate(heads)]
    for row in rows[1:]:
        if isinstance(row[0], str):  # a group's title
            row[0] = ctx.p(row[0], "cell", bold=True)
        else:
            row[0] = _product(ctx, row[0], widths[0])
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
    notes.append(
        _(
            "Each amount is rounded to the smallest unit of {currency}; subtotals add "
            "up the rounded amounts shown."
        ).format(currency=r.currency)
    )
    if r.suitability:
        notes.append(_("Risk level marked ▲: above the client's assessed risk level."))
    items.append(
        data_table(
            rows, widths, extra=styles, right_from=4, footnote=ctx.p(" ".join(notes), "small")
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
        for c in NUMERIC:
            cells = max(
                (
                    fonts.string_width(cell, size, bold=isinstance(row[0], str))
                    for row in rows[1:]
                    if isinstance(cell := row[c], str)
                ),
                default=0,
            )
            head = max(fonts.string_width(word, 8) for word in heads[c].split())
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
    good = amount < 0 if liability else amount > 0
    bad = amount > 0 if liability else amount < 0
    colour = GOOD if good else (ALERT if bad else None)
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
            format_money(h.market_value, h.currency, ctx.lang, compact=False)
            if h.status is not HoldingStatus.GONE
            else h.currency
        )
    lines: list[tuple[str, float | None, Color | None]] = [(h.product_name, None, None)]
    if detail:
        lines.append((" · ".join(detail), 7.5, MUTED))
    if h.status is HoldingStatus.NEW:
        lines.append((_("New since the last review"), 7.5, GOOD))
    elif h.status is HoldingStatus.GONE:
        lines.append((_("No longer held"), 7.5, ALERT))
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
    shown = plain(styles, i, 4, "—" if gone else ctx.exact(value), colour=MUTED if gone else None)
    pct = ctx.pct(h.change_pct) if h.status is HoldingStatus.KEPT else ""
    return [
        h,
        ctx.day(h.held_since),
        ctx.day(h.maturity_date),
        risk,
        shown,
        _change(ctx, styles, i, 5, change, h.is_liability),
        pct,
    ]
