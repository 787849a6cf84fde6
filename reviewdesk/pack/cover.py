"""The cover: the client, the review date and period, and who prepared the pack."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Image, PageBreak, Spacer

from reviewdesk.pack.context import ACCENT, MUTED, PackContext


def story(ctx: PackContext) -> list[Flowable]:
    _, r = ctx._, ctx.review
    items: list[Flowable] = []
    logo = Path(r.preparer.bank_logo) if r.preparer.bank_logo else None
    if logo is not None and logo.is_file():
        image = Image(str(logo))
        scale = min(45 * mm / image.drawWidth, 18 * mm / image.drawHeight, 1.0)
        image.drawWidth *= scale
        image.drawHeight *= scale
        image.hAlign = "LEFT"
        items += [image, Spacer(1, 6 * mm)]
    else:
        items.append(Spacer(1, 24 * mm))
    if r.preparer.bank_name:
        items.append(ctx.p(r.preparer.bank_name, "cover_bank"))
    items += [
        Spacer(1, 30 * mm),
        HRFlowable(width=28 * mm, thickness=2.5, color=ACCENT, hAlign="LEFT", spaceAfter=5 * mm),
        ctx.p(_("Portfolio review"), "cover_title"),
    ]
    period = _("Monthly review") if r.period.months == 1 else _("Quarterly review")
    items += [
        ctx.p(period, "cover_line", colour=MUTED),
        ctx.p(r.client.name, "cover_name"),
        Spacer(1, 4 * mm),
        ctx.p(_("Review date: {date}").format(date=ctx.date(r.review_date)), "cover_line"),
    ]
    if r.previous_date:
        items.append(
            ctx.p(
                _("Compared with the review of {date}").format(date=ctx.date(r.previous_date)),
                "cover_line",
                colour=MUTED,
            )
        )
    items.append(
        ctx.p(
            _("Report currency: {currency}").format(currency=r.currency), "cover_line", colour=MUTED
        )
    )
    # Maturities, contacts and the assessment's expiry are judged from this day.
    items.append(
        ctx.p(_("Prepared on {date}").format(date=ctx.date(r.today)), "cover_line", colour=MUTED)
    )
    items.append(Spacer(1, 60 * mm))
    if r.preparer.manager_name:
        items.append(
            ctx.p(
                _("Prepared by {name}, your relationship manager").format(
                    name=r.preparer.manager_name
                ),
                "cover_line",
            )
        )
    if r.preparer.manager_phone:
        items.append(
            ctx.p(
                _("Telephone: {phone}").format(phone=r.preparer.manager_phone),
                "cover_line",
                colour=MUTED,
            )
        )
    items += [
        Spacer(1, 4 * mm),
        ctx.p(
            _("This document is confidential and prepared for {name} alone.").format(
                name=r.client.name
            ),
            "small",
        ),
        PageBreak(),
    ]
    return items
