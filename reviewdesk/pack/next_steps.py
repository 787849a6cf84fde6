"""What comes next: maturities, the last contacts and the agreed next steps."""

from __future__ import annotations

from reportlab.platypus import KeepTogether

from reviewdesk.pack.context import PackContext
from reviewdesk.pack.tables import data_table


def story(ctx: PackContext) -> list:
    _, r = ctx._, ctx.review
    items: list = [ctx.p(_("Next steps"), "h1")]
    items.append(ctx.p(_("Maturing in the next {days} days").format(
        days=r.maturity_window_days), "h2"))
    if r.maturities:
        rows = [[ctx.p(_("Date"), "head"), ctx.p(_("Product"), "head"),
                 ctx.p(_("Institution"), "head"),
                 ctx.p(_("Value ({currency})").format(currency=r.currency), "head_r")]]
        for m in r.maturities:
            rows.append([ctx.p(ctx.day(m.maturity_date), "cell"),
                         ctx.p(m.product_name, "cell"),
                         ctx.p(m.institution or _("This bank"), "cell"),
                         ctx.p(ctx.exact(m.value), "cell_r")])
        items.append(data_table(rows, ctx.widths(0.16, 0.44, 0.2, 0.2)))
    else:
        items.append(ctx.p(_("Nothing matures in this period.")))
    items.append(ctx.p(_("Agreed next steps"), "h2"))
    if r.next_steps:
        for note in r.next_steps:
            items.append(ctx.p(f"{note.next_step} ({ctx.date(note.contact_date)})"
                               if ctx.lang == "en" else
                               f"{note.next_step}（{ctx.date(note.contact_date)}）",
                               "bullet", bullet="•"))
    else:
        items.append(ctx.p(_("No next step agreed yet.")))
    heading = ctx.p(_("Recent contacts"), "h2")
    if r.contacts:
        rows = [[ctx.p(_("Date"), "head"), ctx.p(_("How"), "head"),
                 ctx.p(_("What was discussed"), "head")]]
        for c in r.contacts:
            rows.append([ctx.p(ctx.day(c.contact_date), "cell"),
                         ctx.p(_(c.channel.label), "cell"),
                         ctx.p(c.summary or "—", "cell")])
        items.append(KeepTogether([heading, data_table(rows, ctx.widths(0.16, 0.14, 0.7))]))
    else:
        items += [heading, ctx.p(_("No contact recorded yet."))]
    return items


def disclaimer(ctx: PackContext) -> list:
    _ = ctx._
    return [ctx.p(_("Important information"), "h2"), ctx.p(_(
        "This review is prepared for the named client only and is based on the holdings and "
        "exchange rates recorded on the review date, including assets at other institutions "
        "as reported by the client. Market values change; past performance does not "
        "guarantee future results. Insurance needs are estimates from general guides, not "
        "advice on a particular policy. Investing involves risk, including the loss of "
        "principal; please read each product's documents before deciding."), "disclaimer")]
