"""The summary: net worth, the change since the last review, and what to talk about."""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Table, TableStyle

from reviewdesk.money import quantize
from reviewdesk.pack import fonts
from reviewdesk.pack.context import ALERT, GOOD, RULE, PackContext


def story(ctx: PackContext) -> list:
    _, r = ctx._, ctx.review
    items: list = [ctx.p(_("Summary"), "h1")]
    change = r.change
    unit = f" ({r.currency})" if ctx.lang == "en" else f"（{r.currency}）"
    figures = [
        (_("Net worth") + unit, _big(ctx, r.net_worth), ctx.exact(r.net_worth)),
        (_("Total assets") + unit, _big(ctx, r.current.assets), ctx.exact(r.current.assets)),
        (_("Liabilities") + unit, _big(ctx, r.current.liabilities),
         ctx.exact(r.current.liabilities)),
    ]
    cells = [[ctx.p(label, "label"), ctx.p(big, "figure"), ctx.p(exact, "small")]
             for label, big, exact in figures]
    if change is not None:
        colour = GOOD if change >= 0 else ALERT
        cells.append([
            ctx.p(_("Change since {date}").format(date=ctx.date(r.previous_date)), "label"),
            ctx.p(("+" if change >= 0 else "") + _big(ctx, change), "figure", colour=colour),
            ctx.p(ctx.pct(r.change_pct), "small", colour=colour)])
    grid = [[c[0] for c in cells], [c[1] for c in cells], [c[2] for c in cells]]
    table = Table(grid, colWidths=ctx.widths(*([1 / len(cells)] * len(cells))), hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, RULE),
        ("TOPPADDING", (0, 0), (-1, 0), 8),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
    ]))
    items.append(table)
    if r.current.missing_rates:
        items.append(ctx.p(_("Not included for want of an exchange rate: {codes}").format(
            codes=", ".join(r.current.missing_rates)), "small", colour=ALERT))
    items.append(ctx.p(_("Worth talking about"), "h2"))
    if r.talking_points:
        for point in r.talking_points:
            items.append(_bullet(ctx, point.text(ctx.lang, r.currency)))
    else:
        items.append(ctx.p(_("Nothing needs attention at this review."), "body"))
    return items


def _bullet(ctx: PackContext, text: str):
    return ctx.p(text, "bullet", bullet="•")


def _big(ctx: PackContext, amount: Decimal) -> str:
    """A headline figure: 万/亿 in Chinese, whole units in English (the cents are below it)."""
    if ctx.lang == "zh":
        return ctx.money(amount, currency=False)
    return f"{quantize(amount, Decimal(1)):,}"
