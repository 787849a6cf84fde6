"""The holdings table: grouped by asset class, subtotals, and the change since the last review."""

from __future__ import annotations

from reviewdesk.pack.context import ALERT, GOOD, MUTED, PackContext
from reviewdesk.pack.tables import band, data_table
from reviewdesk.review.model import HoldingRow, HoldingStatus

COLUMNS = (0.31, 0.115, 0.115, 0.07, 0.145, 0.145, 0.10)


def story(ctx: PackContext) -> list:
    _, r = ctx._, ctx.review
    items: list = [ctx.p(_("Holdings"), "h1")]
    if not r.groups:
        return items + [ctx.p(_("No holdings at this review."))]
    compared = r.previous is not None
    head = [ctx.p(_("Product"), "head"), ctx.p(_("Held since"), "head"),
            ctx.p(_("Maturity"), "head"), ctx.p(_("Risk"), "head"),
            ctx.p(_("Value ({currency})").format(currency=r.currency), "head_r"),
            ctx.p(_("Change"), "head_r"), ctx.p(_("Change %"), "head_r")]
    rows, extra = [head], []
    for group in r.groups:
        extra.append(band(len(rows)))
        extra.append(("SPAN", (0, len(rows)), (3, len(rows))))
        title = _(group.asset_class.label)
        if group.asset_class.is_liability:
            title = _("{name} (liability)").format(name=title)
        rows.append([ctx.p(title, "cell", bold=True), "", "", "",
                     ctx.p(ctx.exact(group.total), "cell_r", bold=True),
                     _change_cell(ctx, group.change, "cell_r", bold=True),
                     ctx.p(ctx.pct(group.change_pct) if compared else "", "cell_r", bold=True)])
        for h in group.holdings:
            rows.append(_row(ctx, h))
    items.append(data_table(rows, ctx.widths(*COLUMNS), extra=extra))
    notes = [_("Values in {currency} at each review's exchange rates; institution shown under "
               "the product when it is not this bank.").format(currency=r.currency)]
    if compared:
        notes.append(_("Change: since the review of {date}.").format(
            date=ctx.date(r.previous_date)))
    if r.suitability:
        notes.append(_("Risk level marked ▲: above the client's assessed risk level."))
    items.append(ctx.p(" ".join(notes), "small"))
    return items


def _change_cell(ctx: PackContext, amount, style: str, bold: bool = False):
    if amount is None:
        return ctx.p("—", style)
    colour = GOOD if amount > 0 else (ALERT if amount < 0 else None)
    return ctx.p(ctx.signed(amount), style, bold=bold, colour=colour)


def _row(ctx: PackContext, h: HoldingRow) -> list:
    _ = ctx._
    lines = [ctx.p(h.product_name, "cell")]
    detail = []
    if h.product_code:
        detail.append(h.product_code)
    if h.institution:
        detail.append(h.institution)
    if h.currency != ctx.currency:
        detail.append(f"{h.currency} {ctx.money(h.market_value, compact=False, currency=False)}"
                      if h.status is not HoldingStatus.GONE else h.currency)
    if detail:
        lines.append(ctx.p(" · ".join(detail), "cell_small"))
    if h.status is HoldingStatus.NEW:
        lines.append(ctx.p(_("New since the last review"), "cell_small", colour=GOOD))
    elif h.status is HoldingStatus.GONE:
        lines.append(ctx.p(_("No longer held"), "cell_small", colour=ALERT))
    risk = h.risk_level.value if h.risk_level else "—"
    risk_cell = (ctx.p(risk + "▲", "cell", bold=True, colour=ALERT) if h.above_client_level
                 else ctx.p(risk, "cell"))
    gone = h.status is HoldingStatus.GONE
    value = ctx.p("—" if gone else ctx.exact(h.value), "cell_r",
                  colour=MUTED if gone else None)
    pct = ctx.pct(h.change_pct) if h.status is HoldingStatus.KEPT else ""
    return [lines, ctx.p(ctx.day(h.held_since), "cell_date"),
            ctx.p(ctx.day(h.maturity_date), "cell_date"),
            risk_cell, value, _change_cell(ctx, h.change, "cell_r"), ctx.p(pct, "cell_r")]
