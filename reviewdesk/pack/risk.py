"""The risk profile and the suitability of what is held.

Only the review decides whether suitability can be judged
(`Review.suitability_status`); this page says what it decided. "Every asset held
with a product risk rating on record is within the client's risk level" is printed
only with a valid assessment, something held to judge, no holding above it and a
rating on record for every rated product held (`Review.all_within_level`). A rated
product held without its rating is named whatever the assessment's state
(`Review.unrated`); the classes of the assets the verdict does not judge are named
under it (`Review.unjudged_classes`).
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from reviewdesk.i18n import ngettext
from reviewdesk.pack.context import ALERT, GOOD, PackContext
from reviewdesk.pack.tables import data_table, then
from reviewdesk.review.model import (
    NEEDS_ASSESSMENT_LINE,
    NONE_RATED_R2_LINE,
    NOTHING_TO_JUDGE_LINE,
    WITHIN_LEVEL_LINE,
    Suitability,
    unjudged_sentence,
    unrated_sentence,
)
from reviewdesk.review.risk_status import AssessmentState

COLUMNS = (0.46, 0.18, 0.16, 0.2)
NEED_COLUMNS = (0.5, 0.2, 0.3)
ABOVE = "▲"


def story(ctx: PackContext) -> list[Flowable]:
    _, r = ctx._, ctx.review
    items: list[Flowable] = [ctx.p(_("Risk profile and suitability"), "h1")]
    items += _profile(ctx)
    items.append(ctx.p(_("Suitability"), "h2"))
    if r.suitability_status.can_assess:
        items += _judged(ctx)
    else:
        items += _cannot_assess(ctx)
    return items


def _profile(ctx: PackContext) -> list[Flowable]:
    _, risk = ctx._, ctx.review.risk
    # Every assessment on record has a level: only a missing one has none.
    if risk.state is AssessmentState.MISSING or risk.level is None:
        return [ctx.p(risk.sentence(ctx.lang, ctx.date), "body", colour=ALERT)]
    items = [
        ctx.p(_("Risk level: {level}").format(level=_(risk.level.label)), "h2"),
        ctx.p(risk.dates_sentence(ctx.lang, ctx.date) or ""),
    ]
    said = risk.sentence(ctx.lang, ctx.date)
    if risk.state is AssessmentState.EXPIRED:
        items.append(ctx.p(said, "body", bold=True, colour=ALERT))
    elif risk.state is AssessmentState.EXPIRING:
        items.append(ctx.p(said, "body", colour=ALERT))
    else:
        items.append(ctx.p(said, "body", colour=GOOD))
    return items


def _judged(ctx: PackContext) -> list[Flowable]:
    _, r = ctx._, ctx.review
    if r.nothing_to_judge:
        return [ctx.p(_(NOTHING_TO_JUDGE_LINE))]
    if r.all_within_level:
        items = [ctx.p(_(WITHIN_LEVEL_LINE))]
    else:
        items = _above(ctx) if r.suitability else []
    # Found: the lines under the table of holdings above the level sat on its last rule.
    return then(items, _unrated(ctx) + _unjudged(ctx))


def _unjudged(ctx: PackContext) -> list[Flowable]:
    """The classes of the assets held that the verdict does not judge, under it."""
    r = ctx.review
    if not r.unjudged_classes:
        return []
    return [ctx.p(unjudged_sentence(r.unjudged_classes, ctx.lang))]


def _unrated(ctx: PackContext) -> list[Flowable]:
    """The rated products held without a rating on record, in every assessment state."""
    r = ctx.review
    if not r.unrated:
        return []
    return [ctx.p(unrated_sentence(r.unrated, ctx.lang), "body", colour=ALERT)]


def _above(ctx: PackContext) -> list[Flowable]:
    _, r = ctx._, ctx.review
    items = [
        ctx.p(
            _(
                "These holdings carry a risk level above the client's assessed "
                "level; they are shown so that they can be discussed."
            ),
            "body",
            colour=ALERT,
        )
    ]
    rows = [
        [
            ctx.p(_("Product"), "head"),
            ctx.p(_("Product risk"), "head"),
            ctx.p(_("Client level"), "head"),
            ctx.p(_("Value ({currency})").format(currency=r.currency), "head_r"),
        ]
    ]
    for flag in r.suitability:
        rows.append(
            [
                ctx.p(flag.product_name, "cell"),
                ctx.p(_(flag.risk_level.label), "cell", colour=ALERT),
                ctx.p(flag.client_level.value, "cell"),
                ctx.p(ctx.exact(flag.value), "cell_r"),
            ]
        )
    items.append(data_table(rows, ctx.widths(*COLUMNS)))
    return items


def _cannot_assess(ctx: PackContext) -> list[Flowable]:
    _, r = ctx._, ctx.review
    if r.suitability_status is Suitability.EXPIRED:
        reason = _("Suitability cannot be assessed: the risk assessment expired on {date}.").format(
            date=ctx.date(r.risk.expired_on)
        )
    else:
        reason = _("Suitability cannot be assessed: there is no risk assessment on record.")
    items = [ctx.p(reason, "body", bold=True, colour=ALERT)]
    if r.none_rated_r2_or_above:
        items.append(ctx.p(_(NONE_RATED_R2_LINE)))
        return items
    if not r.needs_assessment:
        return items + _unrated(ctx)
    items.append(
        ctx.p(
            ngettext(*NEEDS_ASSESSMENT_LINE, len(r.needs_assessment), ctx.lang).format(
                count=len(r.needs_assessment)
            ),
            "body",
            colour=ALERT,
        )
    )
    rows = [
        [
            ctx.p(_("Product"), "head"),
            ctx.p(_("Product risk"), "head"),
            ctx.p(_("Value ({currency})").format(currency=r.currency), "head_r"),
        ]
    ]
    for need in r.needs_assessment:
        risk = _(need.risk_level.label)
        if need.above_last_level:
            risk = f"{risk} {ABOVE}"
        rows.append(
            [
                ctx.p(need.product_name, "cell"),
                ctx.p(risk, "cell", colour=ALERT if need.above_last_level else None),
                ctx.p(ctx.exact(need.value), "cell_r"),
            ]
        )
    note = None
    # A holding is above the last level only when there is one: the expired assessment's.
    if any(n.above_last_level for n in r.needs_assessment):
        note = ctx.p(r.above_level_note(ctx.lang), "small")
    items.append(data_table(rows, ctx.widths(*NEED_COLUMNS), footnote=note))
    return then(items, _unrated(ctx))
