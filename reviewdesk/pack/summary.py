"""The summary: net worth, the change since the last review (with the net new money and the
market gain beside it when flows are recorded), and what to talk about."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from reviewdesk.money import format_money, format_short, format_signed, news
from reviewdesk.pack import fonts
from reviewdesk.pack.context import ALERT, RULE, TONES, PackContext
from reviewdesk.review.model import NO_POINTS_LINE
from reviewdesk.review.returns_text import no_rate_words

FIGURE_SIZE = 18
SMALLEST_FIGURE = 12
GUTTER = 12  # between two figures


def story(ctx: PackContext) -> list[Flowable]:
    _, r = ctx._, ctx.review
    items: list[Flowable] = [ctx.p(_("Summary"), "h1")]
    change = r.change
    unit = f" ({r.currency})" if ctx.lang == "en" else f"（{r.currency}）"
    figures = [
        (_("Net worth") + unit, r.net_worth, ctx.exact(r.net_worth)),
        (_("Total assets") + unit, r.current.assets, ctx.exact(r.current.assets)),
        (_("Liabilities") + unit, r.current.liabilities, ctx.exact(r.current.liabilities)),
    ]
    moved = r.returns.latest_split if r.returns is not None else None
    compared = r.previous is not None  # a change, or why there is none
    count = len(figures) + compared + (moved is not None)
    room = ctx.width / count - GUTTER
    cells = [
        [ctx.p(label, "label"), _figure(ctx, amount, room), ctx.p(exact, "small")]
        for label, amount, exact in figures
    ]
    if change is not None:
        colour = TONES[news(change, r.currency)]
        cells.append(
            [
                ctx.p(_("Change since {date}").format(date=ctx.date(r.previous_date)), "label"),
                _figure(ctx, change, room, colour=colour, signed=True),
                ctx.p(ctx.pct(r.change_pct), "small", colour=colour),
            ]
        )
    elif compared:
        # A total that leaves a currency out is not compared with one that does not.
        cells.append(
            [
                ctx.p(_("Change since {date}").format(date=ctx.date(r.previous_date)), "label"),
                ctx.markup_paragraph(f'<font size="{FIGURE_SIZE}">—</font>', "figure", "—"),
                ctx.p(no_rate_words(r.change_unknown, ctx.lang), "small"),
            ]
        )
    if moved is not None:
        gain = moved.market_gain
        cells.append(
            [
                ctx.p(_("Net new money since {date}").format(date=ctx.date(moved.start)), "label"),
                _figure(ctx, moved.net_flows, room, signed=True),
                _gain_line(ctx, gain, room),
            ]
        )
    grid = [[c[0] for c in cells], [c[1] for c in cells], [c[2] for c in cells]]
    table = Table(grid, colWidths=ctx.widths(*([1 / count] * count)), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), GUTTER),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, RULE),
                ("LINEBELOW", (0, -1), (-1, -1), 0.8, RULE),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    items.append(table)
    if moved is not None:
        items.append(
            ctx.p(
                # Found: "Change: of the net worth, property and liabilities included.":
                # no English sentence.
                _(
                    "Change: the change in net worth, property and liabilities included. "
                    "Net new money and market gain: those of the financial assets (see "
                    "Performance)."
                ),
                "small",
            )
        )
    if r.current.missing_rates:
        items.append(
            ctx.p(
                _("Not included for want of an exchange rate: {codes}").format(
                    codes=_(", ").join(r.current.missing_rates)
                ),
                "small",
                colour=ALERT,
            )
        )
    items.append(ctx.p(_("Worth talking about"), "h2"))
    if r.talking_points:
        for point in r.talking_points:
            items.append(_bullet(ctx, point.text(ctx.lang, r.currency, ctx.date)))
    else:
        items.append(ctx.p(_(NO_POINTS_LINE), "body"))
    return items


def _gain_line(ctx: PackContext, gain: Decimal, room: float) -> Paragraph:
    """The market gain under the net new money, on two lines when one is too narrow."""
    text = ctx._("Market gain {amount}").format(amount=ctx.signed(gain, compact=True))
    colour = TONES[news(gain, ctx.currency)]
    if fonts.string_width(text, 8) <= room:
        return ctx.p(text, "small", colour=colour)
    label, _space, amount = text.rpartition(" ")
    body = f"{fonts.markup(label)}<br/>{fonts.markup(amount)}"
    if colour is not None:
        body = f'<font color="{colour.hexval()}">{body}</font>'
    return ctx.markup_paragraph(body, "small", text)


def _bullet(ctx: PackContext, text: str) -> Paragraph:
    return ctx.p(text, "bullet", bullet="•")


def headline(
    ctx: PackContext, amount: Decimal, room: float, signed: bool = False
) -> tuple[str, float]:
    """A headline figure and its font size, fitting `room` points on one line.

    The full figure (万/亿 in Chinese, whole units in English; the exact amount is
    below it) at 18 points, else smaller down to 12, else the short form (4.21B),
    so a figure never wraps mid-number.
    """
    places = None if ctx.lang == "zh" else 0
    if signed:
        text = format_signed(amount, ctx.currency, ctx.lang, compact=True, places=places)
    else:
        text = format_money(amount, ctx.currency, ctx.lang, code=False, places=places)
    size = FIGURE_SIZE
    while fonts.string_width(text, size) > room and size > SMALLEST_FIGURE:
        size -= 1
    if fonts.string_width(text, size) <= room:
        return text, size
    short = format_short(amount, ctx.currency, ctx.lang)
    if signed and not short.startswith("-"):
        short = "+" + short
    size = FIGURE_SIZE
    while fonts.string_width(short, size) > room and size > 8:
        size -= 1
    return short, size


def _figure(
    ctx: PackContext,
    amount: Decimal,
    room: float,
    colour: Color | None = None,
    signed: bool = False,
) -> Paragraph:
    text, size = headline(ctx, amount, room, signed)
    body = f'<font size="{size}">{fonts.markup(text)}</font>'
    if colour is not None:
        body = f'<font color="{colour.hexval()}">{body}</font>'
    return ctx.markup_paragraph(body, "figure", text, fits=room)
