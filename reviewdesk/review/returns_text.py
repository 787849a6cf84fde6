"""The returns of a review in words, in one language: a return's cell, a span's label and
the notes under the spans table.

The pack's Performance page, the review page and present mode all say the returns with
these functions, so the client reads on screen what the pack prints: the same figure to
the same two decimals of a percent (`money.format_return`), the same reason where there
is none, the same notes. The figures and the reasons are those of `Review.returns`
(reviewdesk/review/returns.py); nothing here decides or computes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

from reviewdesk.i18n import N_, join_sentences, translator, with_ratio
from reviewdesk.money import format_return
from reviewdesk.review.returns import (
    NoReturn,
    Period,
    Returns,
    Span,
    SpanReturn,
    UnvaluedFlow,
)

# A return's cell where there is none, by the reason returns.py gives.
_NO_RETURN = {
    NoReturn.NO_RATE: N_("no rate"),
    NoReturn.NO_FLOW_RATE: N_("flow not valued"),
    NoReturn.UNDEFINED: N_("not defined"),
}
_NO_BENCHMARK = N_("no data")  # the benchmark's levels do not cover the span
# Marks of the spans that start after their nominal start, in the order of the spans.
MARKS = "*†‡§"
ANNUALISED = N_(
    "Over a span of more than a year, returns are annualised: the rate a year that "
    "compounds to the span's return."
)


def return_text(value: Decimal | None, why: NoReturn | None, lang: str) -> str:
    """A return to two decimals of a percent, or why there is none in a word or two."""
    if value is not None:
        return format_return(value, lang)
    _ = translator(lang)
    return _(_NO_RETURN[why or NoReturn.UNDEFINED])


def twr_text(span: SpanReturn, lang: str) -> str:
    return return_text(span.twr, span.no_twr, lang)


def mwr_text(span: SpanReturn, lang: str) -> str:
    return return_text(span.mwr, span.no_mwr, lang)


# A sentence's clause where a span has no such return, by the reason returns.py gives.
_NO_RETURN_CLAUSE = {
    NoReturn.NO_RATE: N_("cannot be given, for want of an exchange rate"),
    NoReturn.NO_FLOW_RATE: N_(
        "cannot be given, for want of an exchange rate for a deposit or withdrawal"
    ),
    NoReturn.UNDEFINED: N_("does not exist for these amounts"),
}


FIRST_REVIEW = N_(
    "Performance is measured from one review to the next: with one review on record there "
    "is nothing to measure yet. The next review gives the first figures, provided the date "
    "and amount of every deposit and withdrawal made in between are recorded."
)


def unmeasured_sentences(
    lang: str,
    span: SpanReturn,
    *,
    date: Callable[[dt.date], str],
    money: Callable[[Decimal], str],
    signed: Callable[[Decimal], str],
    pct: Callable[[Decimal], str],
) -> list[str]:
    """Why no return is given when no flow is recorded (`Returns.flows_recorded`), and what
    is needed, over `span` (since the first review); the dates and amounts in the face's
    formats (`date`, `money`, `signed`, `pct`)."""
    start, end = date(span.start), date(span.end)
    _ = translator(lang)
    if span.change is None:
        first = no_rate_sentence(span, lang, date)
    else:
        change = signed(span.change)
        if span.change_pct is not None:
            change = with_ratio(change, pct(span.change_pct), lang)
        first = _(
            "From {start} to {end} the financial assets went from {start_value} to "
            "{end_value}, a change of {change}. No deposit or withdrawal is recorded in "
            "that time, so this change is not split into new money and market gain, and "
            "no return is given."
        ).format(
            start=start,
            end=end,
            start_value=money(span.start_value),
            end_value=money(span.end_value),
            change=change,
        )
    return [
        first,
        _(
            "To measure performance, the date and amount of every deposit, withdrawal and "
            "transfer into or out of these assets since {start} are needed. If there were "
            "none, the whole change came from the market."
        ).format(start=start),
    ]


def unvalued_flows(flows: Sequence[UnvaluedFlow], lang: str, date: Callable[[dt.date], str]) -> str:
    """The flows that have no value in the report currency, named by date and currency:
    "the deposit of 15 Mar 2026 in CNY", or for several "the deposits and withdrawals of
    15 Mar 2026 (CNY), 2 Apr 2026 (USD)"."""
    _ = translator(lang)
    if len(flows) == 1:
        flow = flows[0]
        one = (
            _("the deposit of {date} in {currency}")
            if flow.amount > 0
            else _("the withdrawal of {date} in {currency}")
        )
        return one.format(date=date(flow.day), currency=flow.currency)
    if lang == "zh":
        listed = "、".join(f"{date(f.day)}（{f.currency}）" for f in flows)
    else:
        listed = ", ".join(f"{date(f.day)} ({f.currency})" for f in flows)
    return _("the deposits and withdrawals of {flows}").format(flows=listed)


def unvalued_sentence(
    flows: Sequence[UnvaluedFlow], currency: str, lang: str, date: Callable[[dt.date], str]
) -> str:
    """Why the new money of a time is not known: a flow in it has no value in the report
    `currency` (`Period.unvalued`, `SpanReturn.unvalued`)."""
    _ = translator(lang)
    return _(
        "There is no exchange rate to {currency} for {flows}: the new money is not known, so "
        "the change is not split into new money and market gain."
    ).format(currency=currency, flows=unvalued_flows(flows, lang, date))


def invested_sentence(
    returns: Returns,
    lang: str,
    *,
    date: Callable[[dt.date], str],
    money: Callable[[Decimal], str],
) -> str:
    """What the trend's dashed line is (`Returns.invested`); "" where none is drawn (no
    flow recorded, or it stops at the first review)."""
    stop = returns.invested_stop
    if not returns.flows_recorded or (stop is not None and stop is returns.periods[0]):
        return ""
    _ = translator(lang)
    first = returns.periods[0]
    return _(
        "The dashed line is the financial assets of {date} ({amount}) plus the net new "
        "money since: the distance from it to the financial assets at a review is the "
        "market's gain or loss up to that review."
    ).format(date=date(first.start), amount=money(first.start_value))


def invested_stop_sentence(returns: Returns, lang: str, *, date: Callable[[dt.date], str]) -> str:
    """Why the dashed line stops short of the review (`Returns.invested_stop`): a review
    of the period after its last point lacks a rate, or a flow of that period could not
    be valued; "" where it does not stop."""
    stop = returns.invested_stop
    if stop is None:
        return ""
    _ = translator(lang)
    if not stop.missing_rates:
        flows = unvalued_flows(stop.unvalued, lang, date)
        if stop is returns.periods[0]:
            return _(
                "The money put in since {date} is not drawn: there is no exchange rate to "
                "{currency} for {flows}, so the market's gain or loss is not judged."
            ).format(date=date(stop.start), currency=returns.currency, flows=flows)
        return _(
            "The dashed line stops at {date}: there is no exchange rate to {currency} for "
            "{flows}, so the market's gain or loss is not judged beyond it."
        ).format(date=date(stop.start), currency=returns.currency, flows=flows)
    codes = _(", ").join(stop.missing_rates)
    if stop is returns.periods[0]:
        return _(
            "The money put in since {date} is not drawn: a review of the period after it "
            "lacks an exchange rate for {codes}, so the market's gain or loss is not judged."
        ).format(date=date(stop.start), codes=codes)
    return _(
        "The dashed line stops at {date}: a review of the period after it lacks an "
        "exchange rate for {codes}, so the market's gain or loss is not judged beyond it."
    ).format(date=date(stop.start), codes=codes)


def left_out_sentence(
    points: Sequence[tuple[dt.date, tuple[str, ...]]],
    lang: str,
    *,
    date: Callable[[dt.date], str],
) -> str:
    """Which review totals leave holdings out for want of an exchange rate, given as
    (review date, currencies left out) for each review of the trend; "" where none."""
    missing = [(day, codes) for day, codes in points if codes]
    if not missing:
        return ""
    _ = translator(lang)
    if lang == "zh":
        listed = "；".join(f"{date(day)}（{'、'.join(codes)}）" for day, codes in missing)
    else:
        listed = "; ".join(f"{date(day)} ({', '.join(codes)})" for day, codes in missing)
    return _("Totals that leave out holdings for want of an exchange rate: {reviews}.").format(
        reviews=listed
    )


def no_rate_words(codes: tuple[str, ...], lang: str) -> str:
    """Under a change not given because a review lacks a rate (`Review.change_unknown`)."""
    _ = translator(lang)
    return _("not compared: no rate for {codes}").format(codes=_(", ").join(codes))


def no_rate_sentence(span: SpanReturn, lang: str, date: Callable[[dt.date], str]) -> str:
    """Why a span's change is not given: a review in it lacks a rate, so its values
    leave a currency out and comparing them would count that currency as lost or new."""
    _ = translator(lang)
    return _(
        "From {start} to {end} the financial assets cannot be compared: a review in that "
        "time has no exchange rate for {codes}, so its total leaves those holdings out."
    ).format(start=date(span.start), end=date(span.end), codes=_(", ").join(span.missing_rates))


def span_returns_sentence(span: SpanReturn, lang: str) -> str:
    """The span's time- and money-weighted returns in one sentence, a missing one said in
    words that read as a sentence (never "the return is not defined" as a figure)."""
    _ = translator(lang)

    def clause(value: Decimal | None, why: NoReturn | None) -> str:
        if value is not None:
            return _("is {figure}").format(figure=format_return(value, lang))
        return _(_NO_RETURN_CLAUSE[why or NoReturn.UNDEFINED])

    text = _(
        "Over this span the time-weighted return {twr}, and the money-weighted return {mwr}."
    ).format(twr=clause(span.twr, span.no_twr), mwr=clause(span.mwr, span.no_mwr))
    if span.annualised and (span.twr is not None or span.mwr is not None):
        text = join_sentences(text, _("Returns over more than a year are annualised."))
    return text


def benchmark_text(span: SpanReturn, lang: str) -> str:
    if span.benchmark is None:
        _ = translator(lang)
        return _(_NO_BENCHMARK)
    return format_return(span.benchmark, lang)


def period_text(period: Period, lang: str) -> str:
    """A review period's Modified Dietz return, or why there is none."""
    return return_text(period.dietz, period.no_return, lang)


def span_label(span: SpanReturn, lang: str) -> str:
    """The span's name, marked when its returns are annualised."""
    _ = translator(lang)
    name = _(span.span.label)
    return _("{span} (annualised)").format(span=name) if span.annualised else name


def annualised_note(lang: str) -> str:
    _ = translator(lang)
    return _(ANNUALISED)


def shorter_marks(returns: Returns) -> dict[Span, str]:
    """A mark for each span that starts after its nominal start (no review on that day),
    put beside its start date and before its note."""
    shorter = [s.span for s in returns.spans if s.shorter]
    return {span: MARKS[min(i, len(MARKS) - 1)] for i, span in enumerate(shorter)}


def scope(currency: str, lang: str) -> str:
    """What is measured, said before the figures."""
    _ = translator(lang)
    return _(
        "Financial assets in {currency}. Property and liabilities are left out of these "
        "figures: a home's estimated value or a loan's balance is not money at work in the "
        "market. Only the deposits and withdrawals recorded for the client are counted as "
        "new money."
    ).format(currency=currency)


def notes(
    returns: Returns,
    lang: str,
    to_the_unit: bool = True,
    *,
    date: Callable[[dt.date], str],
) -> list[str]:
    """The notes under the spans table, one sentence (or two) each: where the spans end
    and what the market gain is; the spans that start later than their names say; the
    annualised spans; why a return is missing; the benchmark; how figures are rounded
    (`to_the_unit`: the amounts are shown to the smallest unit of the currency, as in
    the pack; the screen shows them shorter). Dates in the face's format (`date`), as
    the sentences around them."""
    _ = translator(lang)
    spans = returns.spans
    if not spans:
        return []
    out = [
        _(
            "Every span ends at this review ({date}). Market gain: the end value less the "
            "start value less the net new money."
        ).format(date=date(spans[0].end))
    ]
    marks = shorter_marks(returns)
    for span in spans:
        if span.span in marks:
            out.append(
                _(
                    "{mark} {span}: there is no review on {nominal}, so the span starts at "
                    "the first review after it, on {start}."
                ).format(
                    mark=marks[span.span],
                    span=_(span.span.label),
                    nominal=date(span.nominal_start),
                    start=date(span.start),
                )
            )
    if any(s.annualised for s in spans):
        out.append(_(ANNUALISED))
    reasons = {why for s in spans for why in (s.no_twr, s.no_mwr)}
    if NoReturn.UNDEFINED in reasons:
        out.append(
            _(
                "Not defined: these amounts admit no such return (for instance, nothing was "
                "at work over a period, or the money never changed direction)."
            )
        )
    if NoReturn.NO_RATE in reasons:
        codes = sorted({c for s in spans for c in s.missing_rates})
        out.append(
            _(
                "No rate: a review lacks an exchange rate for {codes}, so no return is given "
                "over a span that includes it."
            ).format(codes=_(", ").join(codes))
        )
    if NoReturn.NO_FLOW_RATE in reasons:
        unvalued = sorted(
            {f for s in spans for f in s.unvalued}, key=lambda f: (f.day, f.currency, f.amount)
        )
        out.append(
            _(
                "Flow not valued: there is no exchange rate to {currency} for {flows}, so no "
                "return is given over a span that includes it."
            ).format(currency=returns.currency, flows=unvalued_flows(unvalued, lang, date))
        )
    if returns.benchmark_name and any(s.benchmark is not None for s in spans):
        out.append(
            _(
                "Benchmark: {name}, its return over the same dates and on the same basis as "
                "the time-weighted return."
            ).format(name=returns.benchmark_name)
        )
    if not to_the_unit:
        out.append(_("Returns are computed from the exact amounts and rounded only when shown."))
    else:
        out.append(
            _(
                "Returns are computed from the exact amounts and rounded only when shown; "
                "each amount is rounded to the smallest unit of {currency}."
            ).format(currency=returns.currency)
        )
    return out
