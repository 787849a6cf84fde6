"""The asset mix (by asset class and by institution) and the trend across review dates."""

from __future__ import annotations

from functools import partial

from reportlab.platypus import Flowable, KeepTogether, Spacer

from reviewdesk.charts.builders import allocation_pie, money_put_in, trend_chart
from reviewdesk.i18n import join_sentences
from reviewdesk.pack.context import PackContext
from reviewdesk.pack.tables import data_table, together
from reviewdesk.pack.vector import FigureFlowable
from reviewdesk.review import returns_text as words
from reviewdesk.review.model import printed_shares


def story(ctx: PackContext) -> list[Flowable]:
    _, r = ctx._, ctx.review
    width_in = ctx.width / 72
    items: list[Flowable] = [ctx.p(_("Asset allocation"), "h1")]
    caption = _("Assets of {total} (liabilities not included).").format(
        total=ctx.money(r.allocation.total)
    )
    if r.current.missing_rates:  # the shares are of what could be valued
        caption = join_sentences(
            caption,
            _("Not included for want of an exchange rate: {codes}").format(
                codes=_(", ").join(r.current.missing_rates)
            ),
        )
    items.append(ctx.p(caption, "small"))
    # The section's heading stays with the first chart; a KeepTogether inside another
    # would force a page break (reportlab wraps a KeepTogether to an endless height).
    items += [
        ctx.p(_("By asset class"), "h2"),
        FigureFlowable(allocation_pie(r.allocation.by_class, ctx.lang, size=(width_in, 2.5))),
    ]
    items.append(
        KeepTogether(
            [
                ctx.p(_("Where the assets are held"), "h2"),
                FigureFlowable(
                    allocation_pie(r.allocation.by_institution, ctx.lang, size=(width_in, 1.7))
                ),
            ]
        )
    )
    items += currency_story(ctx)
    return [together(items[:4]), *items[4:]]


def currency_story(ctx: PackContext) -> list[Flowable]:
    """Assets by the currency they are held in, and the exchange rates the pack used."""
    _, r = ctx._, ctx.review
    items: list[Flowable] = []
    slices = r.allocation.by_currency
    if len(slices) > 1 or (slices and slices[0].key != r.currency):
        rows = [
            [
                ctx.p(_("Currency"), "head"),
                ctx.p(_("Value ({currency})").format(currency=r.currency), "head_r"),
                ctx.p(_("Share"), "head_r"),
            ]
        ]
        rows += [
            [s.label, ctx.exact(amount), ctx.pct(share, signed=False)]
            for s, amount, share in zip(
                slices, r.slice_amounts(slices), printed_shares(slices), strict=True
            )
        ]
        items.append(
            KeepTogether(
                [
                    ctx.p(_("By currency"), "h2"),
                    data_table(rows, ctx.widths(0.2, 0.25, 0.15), right_from=1),
                ]
            )
        )
    if r.rates:
        rows = [[ctx.p(_("Currency pair"), "head"), ctx.p(_("Rate"), "head_r")]]
        rows += [[f"1 {src} = {dst}", f"{rate:f}"] for src, dst, rate in r.rates]
        items.append(
            KeepTogether(
                [
                    ctx.p(_("Exchange rates of {date}").format(date=ctx.date(r.review_date)), "h2"),
                    data_table(rows, ctx.widths(0.2, 0.2), right_from=1),
                ]
            )
        )
    return items


def trend_story(ctx: PackContext) -> list[Flowable]:
    _, r = ctx._, ctx.review
    width_in = ctx.width / 72
    first = r.trend[0].review_date
    caption = _("Total assets at each review since {date}.").format(date=ctx.date(first))
    returns = r.returns
    if returns is not None and returns.flows_recorded:
        property_held = any(v is not None for v in money_put_in(r.trend, returns)[1])
        money = partial(ctx.money, compact=False)
        for sentence in (
            words.invested_sentence(returns, ctx.lang, date=ctx.date, money=money),
            words.invested_stop_sentence(returns, ctx.lang, date=ctx.date),
        ):
            if sentence:
                caption = join_sentences(caption, sentence)
        if property_held:
            caption = join_sentences(
                caption,
                _("The dots mark the financial assets (total assets without property)."),
            )
        else:
            caption = join_sentences(caption, _("Here the financial assets are the total assets."))
    left_out = words.left_out_sentence(
        [(p.review_date, p.missing_rates) for p in r.trend], ctx.lang, date=ctx.date
    )
    if left_out:
        caption = join_sentences(caption, left_out)
    return [
        KeepTogether(
            [
                ctx.p(_("Trend across reviews"), "h1"),
                ctx.p(caption, "small"),
                Spacer(1, 6),
                FigureFlowable(
                    trend_chart(
                        r.trend, ctx.lang, r.currency, size=(width_in, 2.9), returns=returns
                    )
                ),
            ]
        )
    ]
