"""What comes next: maturities, the last contacts and the agreed next steps."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from reviewdesk.book.enums import ClientRiskLevel, RiskLevel
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


def glossary(ctx: PackContext) -> list:
    """What the risk levels mean: the client's C1-C5 beside the products' R1-R5.

    The labels are the enums' own, so the page and the rest of the app cannot drift apart.
    """
    _ = ctx._
    rows = [[ctx.p(_("Your risk tolerance (from the risk assessment)"), "head"),
             ctx.p(_("Product risk rating (low to high)"), "head")]]
    for client_level, product_level in zip(ClientRiskLevel, RiskLevel, strict=True):
        rows.append([ctx.p(_(client_level.label), "cell"),
                     ctx.p(_(product_level.label), "cell")])
    return [ctx.p(_("Risk levels"), "h2"),
            data_table(rows, ctx.widths(0.5, 0.5)),
            Spacer(1, 3),
            ctx.p(_("A product suits you when its rating is not above your tolerance: a C3 "
                    "(balanced) client, for example, may hold products rated R1 to R3. A "
                    "holding above your level, or an expired assessment, is flagged in this "
                    "review."), "small")]


def disclaimer(ctx: PackContext) -> list:
    """The closing page: the risk levels, the standard risk wording and the fine print."""
    _ = ctx._
    notice = [ctx.p(_("Important information"), "h2"),
              ctx.p(_("Wealth management products are not deposits; products carry risk; "
                      "invest with care."), "body", bold=True),
              ctx.p(_(
                  "This review is prepared for the named client only and is based on the "
                  "holdings and exchange rates recorded on the review date, including assets "
                  "at other institutions as reported by the client. Market values change; "
                  "past performance does not guarantee future results. Insurance needs are "
                  "estimates from general guides, not advice on a particular policy. "
                  "Investing involves risk, including the loss of principal; please read each "
                  "product's documents before deciding."), "disclaimer")]
    return [CondPageBreak(70 * mm), KeepTogether(glossary(ctx)), KeepTogether(notice)]
