"""The risk profile and the suitability of what is held."""

from __future__ import annotations

from reviewdesk.pack.context import ALERT, GOOD, PackContext
from reviewdesk.pack.tables import data_table

COLUMNS = (0.46, 0.18, 0.16, 0.2)


def story(ctx: PackContext) -> list:
    _, r = ctx._, ctx.review
    risk = r.risk
    items: list = [ctx.p(_("Risk profile and suitability"), "h1")]
    if risk.level is None:
        items.append(ctx.p(_("No risk assessment on record: assess the client before "
                             "recommending any product."), "body", colour=ALERT))
    else:
        items.append(ctx.p(_("Risk level: {level}").format(level=_(risk.level.label)), "h2"))
        items.append(ctx.p(_("Assessed on {date}, valid until {until}.").format(
            date=ctx.date(risk.assessed_on), until=ctx.date(risk.valid_until))))
        if risk.expired:
            items.append(ctx.p(_("The assessment has expired: it must be redone before any "
                                 "new investment."), "body", bold=True, colour=ALERT))
        else:
            items.append(ctx.p(_("The assessment is valid."), "body", colour=GOOD))
    items.append(ctx.p(_("Suitability"), "h2"))
    if not r.suitability:
        items.append(ctx.p(_("Every holding is within the client's risk level.")))
        return items
    items.append(ctx.p(_("These holdings carry a risk level above the client's assessed "
                         "level; they are shown so that they can be discussed."), "body",
                       colour=ALERT))
    rows = [[ctx.p(_("Product"), "head"), ctx.p(_("Product risk"), "head"),
             ctx.p(_("Client level"), "head"),
             ctx.p(_("Value ({currency})").format(currency=r.currency), "head_r")]]
    for flag in r.suitability:
        rows.append([ctx.p(flag.product_name, "cell"),
                     ctx.p(_(flag.risk_level.label), "cell", colour=ALERT),
                     ctx.p(flag.client_level.value, "cell"),
                     ctx.p(ctx.exact(flag.value), "cell_r")])
    items.append(data_table(rows, ctx.widths(*COLUMNS)))
    return items
