"""What comes next: maturities, the agreed next steps and the last contacts.

Only what the review holds for the client is printed: next steps and contacts
the manager shared (internal notes never reach the review object), and none
at all when the book's `pack_show_contacts` setting is off.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer

from reviewdesk.book.enums import ClientRiskLevel, RiskLevel
from reviewdesk.pack.context import PackContext
from reviewdesk.pack.tables import data_table
from reviewdesk.review.model import NO_MATURITY_LINE, NO_NEXT_STEP_LINE


def story(ctx: PackContext) -> list[Flowable]:
    _, r = ctx._, ctx.review
    items: list[Flowable] = [ctx.p(_("Next steps"), "h1")]
    items.append(
        ctx.p(_("Maturing in the next {days} days").format(days=r.maturity_window_days), "h2")
    )
    if r.maturities:
        rows = [
            [
                ctx.p(_("Date"), "head"),
                ctx.p(_("Product"), "head"),
                ctx.p(_("Institution"), "head"),
                ctx.p(_("Value ({currency})").format(currency=r.currency), "head_r"),
            ]
        ]
        for m in r.maturities:
            rows.append(
                [
                    ctx.p(ctx.day(m.maturity_date), "cell"),
                    ctx.p(m.product_name, "cell"),
                    ctx.p(m.institution or _("This bank"), "cell"),
                    ctx.p(ctx.exact(m.value), "cell_r"),
                ]
            )
        items.append(data_table(rows, ctx.widths(0.16, 0.44, 0.2, 0.2)))
    else:
        items.append(ctx.p(_(NO_MATURITY_LINE)))
    items += [ctx.p(note) for note in r.maturity_notes(ctx.lang)]
    if r.show_contacts:
        items += _agreed(ctx) + _contacts(ctx)
    return items


def _agreed(ctx: PackContext) -> list[Flowable]:
    """The open next steps shared with the client, each with its due date."""
    _, r = ctx._, ctx.review
    heading = ctx.p(_("Agreed next steps"), "h2")
    if not r.next_steps:
        return [heading, ctx.p(_(NO_NEXT_STEP_LINE))]
    rows = [
        [ctx.p(_("Next step"), "head"), ctx.p(_("Due by"), "head"), ctx.p(_("Agreed on"), "head")]
    ]
    for step in r.next_steps:
        rows.append(
            [
                ctx.p(step.text, "cell"),
                ctx.p(step.due_text(ctx.lang), "cell"),
                ctx.p(ctx.day(step.agreed_on), "cell"),
            ]
        )
    # The due column holds "Overdue (due by 2026-03-15)" on one line: a date broken at its
    # hyphen ("2026-" / "03-15") was found in the Chinese and the English packs.
    return [KeepTogether([heading, data_table(rows, ctx.widths(0.50, 0.32, 0.18))])]


def _contacts(ctx: PackContext) -> list[Flowable]:
    """The last contacts whose summary the manager shared with the client."""
    _, r = ctx._, ctx.review
    heading = ctx.p(_("Recent contacts"), "h2")
    if not r.contacts:
        return [heading, ctx.p(_("No contact to report."))]
    rows = [
        [ctx.p(_("Date"), "head"), ctx.p(_("How"), "head"), ctx.p(_("What was discussed"), "head")]
    ]
    for c in r.contacts:
        rows.append(
            [
                ctx.p(ctx.day(c.contact_date), "cell"),
                ctx.p(_(c.channel.label), "cell"),
                ctx.p(c.summary or "—", "cell"),
            ]
        )
    return [KeepTogether([heading, data_table(rows, ctx.widths(0.16, 0.14, 0.7))])]


def glossary(ctx: PackContext) -> list[Flowable]:
    """What the risk levels mean: the client's C1-C5 beside the products' R1-R5.

    The labels are the enums' own, so the page and the rest of the app cannot drift apart.
    The pack speaks of the client in the third person throughout ("the client's risk
    level"); found: this table alone said "your" and "you".
    """
    _ = ctx._
    rows = [
        [
            ctx.p(_("Client risk tolerance (from the risk assessment)"), "head"),
            ctx.p(_("Product risk rating (low to high)"), "head"),
        ]
    ]
    for client_level, product_level in zip(ClientRiskLevel, RiskLevel, strict=True):
        rows.append([ctx.p(_(client_level.label), "cell"), ctx.p(_(product_level.label), "cell")])
    return [
        ctx.p(_("Risk levels"), "h2"),
        data_table(rows, ctx.widths(0.5, 0.5)),
        Spacer(1, 3),
        ctx.p(
            _(
                "A product suits a client when its rating is not above the client's "
                "tolerance: a C3 (balanced) client, for example, may hold products rated R1 "
                "to R3. A holding above the client's level, or an expired assessment, is "
                "flagged in this review."
            ),
            "small",
        ),
    ]


def disclaimer(ctx: PackContext) -> list[Flowable]:
    """The closing page: the risk levels, the standard risk wording and the fine print."""
    _ = ctx._
    notice = [
        ctx.p(_("Important information"), "h2"),
        ctx.p(
            _(
                "Wealth management products are not deposits; products carry risk; "
                "invest with care."
            ),
            "body",
            bold=True,
        ),
        ctx.p(
            _(
                "This review is prepared for the named client only and is based on the "
                "holdings and exchange rates recorded on the review date, including assets "
                "at other institutions as reported by the client. Market values change; "
                "past performance does not guarantee future results. Insurance needs are "
                "estimates from general guides, not advice on a particular policy. "
                "Investing involves risk, including the loss of principal; please read each "
                "product's documents before deciding."
            ),
            "disclaimer",
        ),
    ]
    return [*glossary(ctx), *notice]
