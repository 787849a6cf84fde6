"""The asset mix (by asset class and by institution) and the trend across review dates."""

from __future__ import annotations

from reportlab.platypus import KeepTogether, Spacer

from reviewdesk.charts.builders import allocation_pie, trend_chart
from reviewdesk.pack.context import PackContext
from reviewdesk.pack.vector import FigureFlowable


def story(ctx: PackContext) -> list:
    _, r = ctx._, ctx.review
    width_in = ctx.width / 72
    items: list = [ctx.p(_("Asset allocation"), "h1")]
    items.append(ctx.p(_("Assets of {total} (liabilities not included).").format(
        total=ctx.money(r.allocation.total)), "small"))
    items.append(KeepTogether([
        ctx.p(_("By asset class"), "h2"),
        FigureFlowable(allocation_pie(r.allocation.by_class, ctx.lang, size=(width_in, 2.5)))]))
    items.append(KeepTogether([
        ctx.p(_("This bank and other institutions"), "h2"),
        FigureFlowable(allocation_pie(r.allocation.by_institution, ctx.lang,
                                      size=(width_in, 1.7)))]))
    return [KeepTogether(items[:3]), *items[3:]]


def trend_story(ctx: PackContext) -> list:
    _, r = ctx._, ctx.review
    width_in = ctx.width / 72
    first = r.trend[0].review_date
    return [KeepTogether([
        ctx.p(_("Trend across reviews"), "h1"),
        ctx.p(_("Total assets at each review since {date}.").format(date=ctx.date(first)),
              "small"),
        Spacer(1, 6),
        FigureFlowable(trend_chart(r.trend, ctx.lang, r.currency, size=(width_in, 2.9))),
    ])]
