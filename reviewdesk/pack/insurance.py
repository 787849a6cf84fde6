"""Insurance: cover per insured person and kind against the need from the rules of thumb."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer

from reviewdesk.i18n import pgettext
from reviewdesk.pack.context import ALERT, GOOD, PackContext
from reviewdesk.pack.tables import data_table, group_title
from reviewdesk.review.insurance_text import (
    gap_text,
    income_text,
    left_out_sentences,
    no_cover_sentence,
    no_income_note,
    premiums_sentence,
    rules_sentences,
)
from reviewdesk.review.model import InsuredPerson

COLUMNS = (0.26, 0.2, 0.18, 0.18, 0.18)


def story(ctx: PackContext) -> list[Flowable]:
    _, r = ctx._, ctx.review
    ins = r.insurance
    items: list[Flowable] = [ctx.p(_("Insurance cover"), "h1")]
    head = [
        ctx.p(_("Insured person"), "head"),
        ctx.p(_("Cover"), "head"),
        ctx.p(_("Sum assured"), "head_r"),
        ctx.p(_("Need"), "head_r"),
        ctx.p(_("Gap"), "head_r"),
    ]
    rows, extra = [head], []
    for person in ins.people:
        extra += group_title(len(rows))  # every person has a row below: covers or why not
        extra.append(("SPAN", (0, len(rows)), (-1, len(rows))))
        rows.append([ctx.p(_who(ctx, person), "cell", bold=True), "", "", "", ""])
        if not person.covers:
            nothing = no_cover_sentence(ins, person, ctx.lang)
            extra.append(("SPAN", (1, len(rows)), (-1, len(rows))))  # the sentence's room
            rows.append(["", ctx.p(nothing, "cell_small"), "", "", ""])
        for cover in person.covers:
            gap, said = cover.gap, gap_text(cover, ctx.exact, ctx.lang)
            if gap is None:
                gap_cell = ctx.p(said, "cell_r")
            elif gap > 0:
                gap_cell = ctx.p(said, "cell_r", bold=True, colour=ALERT)
            else:
                gap_cell = ctx.p(said, "cell_r", colour=GOOD)
            rows.append(
                [
                    "",
                    ctx.p(_(cover.kind.label), "cell"),
                    ctx.p(ctx.exact(cover.cover), "cell_r"),
                    ctx.p(ctx.exact(cover.need) if cover.need is not None else "—", "cell_r"),
                    gap_cell,
                ]
            )
    items.append(
        data_table(
            rows,
            ctx.widths(*COLUMNS),
            extra=extra,
            footnote=ctx.p(
                _("Amounts in {currency}; policies in force on the review date.").format(
                    currency=r.currency
                ),
                "small",
            ),
        )
    )
    for line in left_out_sentences(ins, r.currency, ctx.lang):
        items.append(ctx.p(line, "small", colour=ALERT))

    premium_line = premiums_sentence(ins, r.currency, ctx.lang)
    items += [
        Spacer(1, 4),
        ctx.p(premium_line, "body", colour=ALERT if ins.premiums_over_limit else None),
    ]
    items.append(
        KeepTogether(
            [
                ctx.p(_("How the need is worked out"), "h2"),
                *[ctx.p(t, "bullet", bullet="•") for t in _rules(ctx)],
            ]
        )
    )
    return items


def _who(ctx: PackContext, person: InsuredPerson) -> str:
    _ = ctx._
    role = (
        pgettext("insured", "Client", ctx.lang)
        if person.relation is None  # the client
        else _(person.relation.label)
    )
    text = f"{person.name} ({role})" if ctx.lang == "en" else f"{person.name}（{role}）"
    if person.income is not None and person.income.amount:
        text += " · " + _("annual income {amount}").format(amount=income_text(person, ctx.lang))
    elif (note := no_income_note(person, ctx.lang)) is not None:
        text += " · " + note
    return text


def _rules(ctx: PackContext) -> list[str]:
    return rules_sentences(ctx.review.insurance, ctx.lang)
