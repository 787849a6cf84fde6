"""The holdings table: grouped by asset class, subtotals, and the change since the last review."""

from __future__ import annotations

from reviewdesk.pack import fonts
from reviewdesk.pack.context import ALERT, GOOD, MUTED, PackContext
from reviewdesk.pack.tables import band, data_table, plain
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
    rows, styles = [head], []
    for group in r.groups:
        i = len(rows)
        styles += [band(i), ("SPAN", (0, i), (3, i))]
        title = _(group.asset_class.label)
        if group.asset_class.is_liability:
            title = _("{name} (liability)").format(name=title)
        rows.append([ctx.p(title, "cell", bold=True), "", "", "",
                     plain(styles, i, 4, ctx.exact(group.total), bold=True),
                     _change(ctx, styles, i, 5, group.change, bold=True),
                     plain(styles, i, 6, ctx.pct(group.change_pct) if compared else "",
                           bold=True)])
        for h in group.holdings:
            rows.append(_row(ctx, styles, len(rows), h))
    items.append(data_table(rows, ctx.widths(*COLUMNS), extra=styles, right_from=4))
    notes = [_("Values in {currency} at each review's exchange rates; institution shown under "
               "the product when it is not this bank.").format(currency=r.currency)]
    if compared:
        notes.append(_("Change: since the review of {date}.").format(
            date=ctx.date(r.previous_date)))
    if r.suitability:
        notes.append(_("Risk level marked ▲: above the client's assessed risk level."))
    items.append(ctx.p(" ".join(notes), "small"))
    return items


def _change(ctx: PackContext, styles: list, row: int, col: int, amount, bold: bool = False):
    if amount is None:
        return "—"
    colour = GOOD if amount > 0 else (ALERT if amount < 0 else None)
    return plain(styles, row, col, ctx.signed(amount), bold=bold, colour=colour)


def _product(ctx: PackContext, h: HoldingRow, width: float):
    """Name, then a small line of code / institution / original currency, then the status."""
    _ = ctx._
    detail = []
    if h.product_code:
        detail.append(h.product_code)
    if h.institution:
        detail.append(h.institution)
    if h.currency != ctx.currency:
        detail.append(f"{h.currency} {ctx.money(h.market_value, compact=False, currency=False)}"
                      if h.status is not HoldingStatus.GONE else h.currency)
    lines = [fonts.markup(h.product_name)]
    small = f'<font size="7.5" color="{MUTED.hexval()}">{{}}</font>'
    if detail:
        lines.append(small.format(fonts.markup(" · ".join(detail))))
    status = ""
    if h.status is HoldingStatus.NEW:
        status = _("New since the last review")
        lines.append(f'<font size="7.5" color="{GOOD.hexval()}">{fonts.markup(status)}</font>')
    elif h.status is HoldingStatus.GONE:
        status = _("No longer held")
        lines.append(f'<font size="7.5" color="{ALERT.hexval()}">{fonts.markup(status)}</font>')
    plain = "\n".join([h.product_name, " · ".join(detail), status])
    return ctx.markup_paragraph("<br/>".join(lines), "cell", plain, fits=width - 8)


def _row(ctx: PackContext, styles: list, i: int, h: HoldingRow) -> list:
    gone = h.status is HoldingStatus.GONE
    risk = h.risk_level.value if h.risk_level else "—"
    if h.above_client_level:
        risk = plain(styles, i, 3, risk + "▲", bold=True, colour=ALERT)
    value = plain(styles, i, 4, "—" if gone else ctx.exact(h.value),
                  colour=MUTED if gone else None)
    pct = ctx.pct(h.change_pct) if h.status is HoldingStatus.KEPT else ""
    return [_product(ctx, h, ctx.width * COLUMNS[0]), ctx.day(h.held_since),
            ctx.day(h.maturity_date), risk, value, _change(ctx, styles, i, 5, h.change), pct]
