"""Returns that tell the client's new money apart from what the market did: the one home
of these figures. Pure: values and flows in, figures out; no book, no rounding.

What is measured is the client's financial assets in the report currency on each review
date (property and liabilities left out: a house's estimate or a loan's balance is not
money at work in the market). Flows are the money the client put in (positive) or took
out (negative), in the report currency.

Periods. A period runs from one review date to the next. A flow belongs to the period
whose end is on or after its date and whose start is before it: a flow dated on a review
date belongs to the period that review closes (it is in that review's value, and it had
no time to work: its weight is 0). Flows before the first review or after the last are
in no period.

For each period, with V0 and V1 the values at its start and end, F_i the flows, T the
period's days and t_i the days from its start to flow i:

    net flows      F = sum F_i
    market gain    G = V1 - V0 - F
    Modified Dietz R = G / (V0 + sum F_i * (T - t_i) / T)

The denominator (the average capital at work) is computed as (V0*T + sum F_i*(T - t_i))/T
so that only the last division is inexact. When it is zero or negative there is no
return (None), except that a period with nothing at work and nothing gained has a
return of 0 (a start at zero and a first deposit on the closing review date). A period
whose start or end value lacks a rate for some holding's currency has no return, nor has
one with a flow that has no value in the report currency (an unvalued flow: its rate is to
the report currency of when it was recorded): its new money, and so its market gain, is
not known, although its values are.

Spans. Time-weighted return: the periods' (1 + R) chain-linked over the span. A span
starts and ends on review dates: since the previous review; year to date and the last
12 months from the first review on or after the nominal start (31 December of the year
before; the same day a year before), so a span never reaches before its name, and its
real start is given; since the first review. A span longer than a year is annualised,
(1 + r) ** (365 / days) - 1, and flagged; a shorter one is the span's own return.

Money-weighted return: the rate at which the start value and the flows (paid in) grow
into the end value, i.e. XIRR of -V0 at the start, -F_i on each flow's date and +V1 at
the end, days counted /365. It is solved in binary floating point, on the span's log
growth y (NPV(y) = sum c_i * exp(-y * t_i / T)): a grid of y from -50 to 50 is searched
for the sign change nearest 0 and bisection narrows it to the float's precision; the
result is converted to Decimal through its shortest repr and rounded to 10 decimal
places (far above the solver's error). Where the cash flows do not change sign, or no
bracket is found, there is no money-weighted return (None). Like the time-weighted
return, it is the span's own return up to a year and annualised beyond.

Benchmark. A span's benchmark return is read from the benchmark's levels on the span's
own review dates. The level on a date is the latest level on or before it, if that level
is at most LEVEL_TOLERANCE_DAYS days older (a review on a Sunday takes Friday's close);
otherwise the benchmark has no level there and the span no benchmark return (None).
One benchmark: L(end) / L(start) - 1. A blend of two, weights w and 1 - w, is rebalanced
to its weights on every review date: each review period's return is the weighted sum of
the two benchmarks' returns over that period,

    R_blend = w * (A(end) / A(start) - 1) + (1 - w) * (B(end) / B(start) - 1),

and the periods are chain-linked over the span like the time-weighted return (so the
blend needs both benchmarks' levels on every review date of the span). The result is on
the span's basis: its own return up to a year, annualised beyond exactly as the
time-weighted return is.

Why a return is missing is decided here too (`NoReturn`, on `Period.no_return`,
`SpanReturn.no_twr` and `no_mwr`): a review in the period or span lacks a rate for a
currency held (NO_RATE), else a flow in it has no value in the report currency
(NO_FLOW_RATE), else the amounts admit no such return (UNDEFINED).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from reviewdesk.i18n import N_

ZERO = Decimal(0)
ONE = Decimal(1)
YEAR_DAYS = 365
PLACES = Decimal("1e-10")
LEVEL_TOLERANCE_DAYS = 7  # the oldest a benchmark level may be on a review date
_PRECISION = 34
# Log growth over a span searched for the money-weighted return: e**-50 to e**50.
_GRID = sorted(
    {0.0}
    | {s * g for s in (-1.0, 1.0) for g in (0.01, 0.03, 0.1, 0.3, 0.6, 1, 2, 3, 5, 10, 20, 50)}
)


@dataclass(frozen=True)
class Valuation:
    """The client's financial assets on a review date, in the report currency."""

    day: dt.date
    value: Decimal
    missing_rates: tuple[str, ...] = ()  # currencies left out for want of a rate


@dataclass(frozen=True)
class CashFlow:
    """Money in (positive) or out (negative) on a day, in the report currency."""

    day: dt.date
    amount: Decimal


@dataclass(frozen=True)
class UnvaluedFlow:
    """A flow recorded with no value in the report currency (its rate is to the report
    currency of when it was recorded): `amount` in its own `currency`."""

    day: dt.date
    amount: Decimal
    currency: str


class NoReturn(enum.StrEnum):
    """Why a return is not given."""

    NO_RATE = "no_rate"  # a review in it lacks an exchange rate for a currency held
    NO_FLOW_RATE = "no_flow_rate"  # a flow in it has no value in the report currency
    UNDEFINED = "undefined"  # the amounts admit no such return


def _why_none(
    value: Decimal | None, missing_rates: tuple[str, ...], unvalued: tuple[UnvaluedFlow, ...]
) -> NoReturn | None:
    if value is not None:
        return None
    if missing_rates:
        return NoReturn.NO_RATE
    return NoReturn.NO_FLOW_RATE if unvalued else NoReturn.UNDEFINED


@dataclass(frozen=True)
class Period:
    """One review date to the next."""

    start: dt.date
    end: dt.date
    start_value: Decimal
    end_value: Decimal
    flows: tuple[CashFlow, ...]
    net_flows: Decimal
    market_gain: Decimal
    average_capital: Decimal  # the Modified Dietz denominator
    dietz: Decimal | None  # None: no return (see the module's note)
    missing_rates: tuple[str, ...] = ()
    # Flows of the period with no value in the report currency: not in `flows`.
    unvalued: tuple[UnvaluedFlow, ...] = field(default=(), repr=False)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def no_return(self) -> NoReturn | None:
        """Why `dietz` is None; None when it is given."""
        return _why_none(self.dietz, self.missing_rates, self.unvalued)

    @property
    def net_new_money(self) -> Decimal | None:
        """The net flows as every face shows them: None when a flow of the period could
        not be valued (`unvalued`), since the sum would leave it out."""
        return None if self.unvalued else self.net_flows

    @property
    def gain(self) -> Decimal | None:
        """The market gain as every face shows it: None when a review of the period lacks
        a rate, since its values leave a currency out (a EUR bond without a rate read as a
        market loss of its whole value), or when a flow could not be valued (its money
        would read as the market's)."""
        return None if self.missing_rates or self.unvalued else self.market_gain


class Span(enum.StrEnum):
    SINCE_PREVIOUS = "since_previous"
    YEAR_TO_DATE = "year_to_date"
    LAST_12_MONTHS = "last_12_months"
    SINCE_FIRST = "since_first"

    @property
    def label(self) -> str:
        return _SPAN_LABELS[self]


_SPAN_LABELS = {
    Span.SINCE_PREVIOUS: N_("Since the previous review"),
    Span.YEAR_TO_DATE: N_("Year to date"),
    Span.LAST_12_MONTHS: N_("Last 12 months"),
    Span.SINCE_FIRST: N_("Since the first review"),
}


@dataclass(frozen=True)
class SpanReturn:
    """The figures of one span, from `start` to `end` (both review dates)."""

    span: Span
    nominal_start: dt.date  # where the span's name says it starts
    start: dt.date  # the review date it really starts on (on or after `nominal_start`)
    end: dt.date
    start_value: Decimal
    end_value: Decimal
    net_flows: Decimal
    market_gain: Decimal
    cumulative_twr: Decimal | None  # chain-linked over the span, never annualised
    twr: Decimal | None  # as shown: annualised when `annualised`
    mwr: Decimal | None  # money-weighted, on the same basis as `twr`
    annualised: bool
    # The chosen benchmark's return over the same dates, on the same basis as `twr`;
    # None where no benchmark is chosen or its levels do not cover the span.
    benchmark: Decimal | None = None
    # Currencies without a rate at a review in the span: then it has no return.
    missing_rates: tuple[str, ...] = ()
    # Flows in the span with no value in the report currency: then it has no return,
    # and its new money and market gain are not known (its change is).
    unvalued: tuple[UnvaluedFlow, ...] = field(default=(), repr=False)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def no_twr(self) -> NoReturn | None:
        """Why `twr` is None; None when it is given."""
        return _why_none(self.twr, self.missing_rates, self.unvalued)

    @property
    def no_mwr(self) -> NoReturn | None:
        """Why `mwr` is None; None when it is given."""
        return _why_none(self.mwr, self.missing_rates, self.unvalued)

    @property
    def net_new_money(self) -> Decimal | None:
        """The net flows as every face shows them: None when a flow in the span could not
        be valued (see `Period.net_new_money`)."""
        return None if self.unvalued else self.net_flows

    @property
    def change(self) -> Decimal | None:
        """The change in value, new money and market together; None when a review in the
        span lacks a rate (its values leave a currency out)."""
        return None if self.missing_rates else self.end_value - self.start_value

    @property
    def change_pct(self) -> Decimal | None:
        change = self.change
        return change / self.start_value if change is not None and self.start_value > 0 else None

    @property
    def gain(self) -> Decimal | None:
        """The market gain as every face shows it: None when a review in the span lacks a
        rate or a flow in it could not be valued (see `Period.gain`)."""
        return None if self.missing_rates or self.unvalued else self.market_gain

    @property
    def shorter(self) -> bool:
        """True when the span starts after its nominal start (no review on that day)."""
        return self.start > self.nominal_start


@dataclass(frozen=True)
class BenchmarkPart:
    """One benchmark of a choice: its name, its weight (a fraction), its levels."""

    name: str
    weight: Decimal
    levels: tuple[tuple[dt.date, Decimal], ...]  # oldest first


@dataclass(frozen=True)
class Benchmark:
    """The benchmark a client's returns are set beside: one index, or a blend of two
    rebalanced on every review date (see the module's note)."""

    parts: tuple[BenchmarkPart, ...]

    @property
    def name(self) -> str:
        return blend_label([(p.name, p.weight * 100) for p in self.parts])


def blend_label(parts: Sequence[tuple[str, Decimal | int]]) -> str:
    """A benchmark's name as shown: "CSI 300", or "60% CSI 300 + 40% ChinaBond" for a
    blend (each name with its weight in percent)."""
    if len(parts) == 1:
        return parts[0][0]
    return " + ".join(f"{Decimal(weight).normalize():f}% {name}" for name, weight in parts)


def choice_label(benchmark: str, blend: str | None, weight: int) -> str:
    """The label of a stored choice: `weight` percent of `benchmark`, the rest `blend`."""
    if blend is None:
        return blend_label([(benchmark, 100)])
    return blend_label([(benchmark, weight), (blend, 100 - weight)])


@dataclass(frozen=True)
class Returns:
    currency: str
    periods: tuple[Period, ...]  # oldest first
    spans: tuple[SpanReturn, ...]  # in Span order, those that have a start
    benchmark_name: str | None = None  # the benchmark (or blend) the spans are set beside

    def span(self, which: Span) -> SpanReturn | None:
        return next((s for s in self.spans if s.span is which), None)

    @property
    def flows_recorded(self) -> bool:
        """Whether any flow is recorded between the reviews, valued or not. Without one
        the change cannot be told apart into new money and market gain (no flow recorded
        is not the same as no money moved), so no return is presented, only what is
        needed."""
        return any(p.flows or p.unvalued for p in self.periods)

    @property
    def invested(self) -> tuple[tuple[dt.date, Decimal | None], ...]:
        """The money put in, at each review date from the first: the first review's
        financial assets plus the net new money up to that review, so that the distance
        from it to the financial assets there is the market's gain or loss up to it (the
        trend's dashed line). None from the end of the first period whose gain is not
        given (`invested_stop`) on: a review there leaves a currency out for want of a
        rate, or a flow could not be valued, and the distance would not be the market's.
        Empty where no flow is recorded (`flows_recorded`): no split is presented."""
        if not self.flows_recorded:
            return ()
        first = self.periods[0]
        points: list[tuple[dt.date, Decimal | None]] = [(first.start, first.start_value)]
        running: Decimal | None = first.start_value
        for period in self.periods:
            if running is not None and period.gain is not None:
                running += period.net_flows
            else:
                running = None
            points.append((period.end, running))
        return tuple(points)

    @property
    def invested_stop(self) -> Period | None:
        """The first period whose gain is not given, where `invested` stops; None when
        it runs to the last review (or no flow is recorded)."""
        if not self.flows_recorded:
            return None
        return next((p for p in self.periods if p.gain is None), None)

    @property
    def latest_split(self) -> SpanReturn | None:
        """The span since the previous review when its change can be told apart into net
        new money and market gain, which are then said beside the change: flows are
        recorded, the latest review's values lack no rate (without one the change
        leaves a currency out, and the gain would be the flows' remainder of a wrong
        change) and every flow of the span has a value in the report currency. None
        otherwise. The pack, the review page and present mode all ask here."""
        if not self.flows_recorded:
            return None
        span = self.span(Span.SINCE_PREVIOUS)
        if span is None or span.missing_rates or span.unvalued:
            return None
        return span


def modified_dietz(
    start: dt.date,
    end: dt.date,
    start_value: Decimal,
    end_value: Decimal,
    flows: Sequence[CashFlow],
    missing_rates: tuple[str, ...] = (),
    unvalued: Sequence[UnvaluedFlow] = (),
) -> Period:
    """One period's figures; `flows` are those of the period (start < day <= end), and
    `unvalued` those of it with no value in the report currency."""
    if end <= start:
        raise ValueError(f"a period ends after it starts ({start} to {end})")
    for day in [f.day for f in flows] + [u.day for u in unvalued]:
        if not start < day <= end:
            raise ValueError(f"flow on {day} is outside the period {start} to {end}")
    total_days = (end - start).days
    net = sum((f.amount for f in flows), ZERO)
    gain = end_value - start_value - net
    weighted = start_value * total_days + sum((f.amount * (end - f.day).days for f in flows), ZERO)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        capital = weighted / total_days
        if missing_rates or unvalued:
            dietz = None
        elif weighted > 0:
            dietz = gain * total_days / weighted
        elif weighted == 0 and gain == 0:
            dietz = ZERO
        else:
            dietz = None
    return Period(
        start,
        end,
        start_value,
        end_value,
        tuple(flows),
        net,
        gain,
        capital,
        dietz,
        missing_rates,
        tuple(unvalued),
    )


def in_period(day: dt.date, start: dt.date | None, end: dt.date) -> bool:
    """Whether a flow on `day` belongs to the review period from `start` (the previous
    review; None before the first review) to `end`: after the one, on or before the
    other. Before the first review a flow is part of the first review's value, and no
    return counts it."""
    return (start is None or day > start) and day <= end


def periods(
    valuations: Sequence[Valuation],
    flows: Iterable[CashFlow],
    unvalued: Iterable[UnvaluedFlow] = (),
) -> tuple[Period, ...]:
    """The periods between consecutive valuations, each with its flows (and those of them
    with no value in the report currency)."""
    ordered = sorted(valuations, key=lambda v: v.day)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a.day == b.day:
            raise ValueError(f"two valuations on {a.day}")
    pending = sorted(flows, key=lambda f: f.day)
    not_valued = sorted(unvalued, key=lambda f: (f.day, f.currency, f.amount))
    out = []
    for a, b in zip(ordered, ordered[1:], strict=False):
        inside = [f for f in pending if in_period(f.day, a.day, b.day)]
        missing = tuple(sorted(set(a.missing_rates) | set(b.missing_rates)))
        left = [f for f in not_valued if in_period(f.day, a.day, b.day)]
        out.append(modified_dietz(a.day, b.day, a.value, b.value, inside, missing, left))
    return tuple(out)


def _year_before(day: dt.date) -> dt.date:
    year = day.year - 1
    return dt.date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def _over_a_year(start: dt.date, end: dt.date) -> bool:
    return _year_before(end) > start


def annualise(cumulative: Decimal, days: int) -> Decimal | None:
    """A span's return as a rate a year (365 days); None where the value was wiped out."""
    growth = ONE + cumulative
    if growth <= 0 or days <= 0:
        return None
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        annual = growth ** (Decimal(YEAR_DAYS) / Decimal(days)) - ONE
    return annual.quantize(PLACES, ROUND_HALF_EVEN)


def chain(returns: Iterable[Decimal | None]) -> Decimal | None:
    """(1 + r1)(1 + r2)... - 1; None if any period has no return."""
    growth = ONE
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        for r in returns:
            if r is None:
                return None
            growth *= ONE + r
        return growth - ONE


def _npv(cash: Sequence[tuple[float, float]], y: float) -> float:
    return math.fsum(amount * math.exp(-y * t) for t, amount in cash)


def span_growth(
    start: dt.date, end: dt.date, cash: Sequence[tuple[dt.date, Decimal]]
) -> float | None:
    """The log growth y over [start, end] at which the cash flows (investor's side: paid in
    negative, value out positive) are worth zero; None where there is none."""
    total = (end - start).days
    if total <= 0:
        return None
    scale = max((abs(a) for _d, a in cash), default=ZERO)
    if not scale:
        return None
    points = [((d - start).days / total, float(a / scale)) for d, a in cash if a]
    if not any(a > 0 for _t, a in points) or not any(a < 0 for _t, a in points):
        return None
    values = [(y, _npv(points, y)) for y in _GRID]
    brackets = []
    for (y0, v0), (y1, v1) in zip(values, values[1:], strict=False):
        if v0 == 0:
            return y0
        if (v0 < 0) != (v1 < 0):
            brackets.append((y0, v0, y1))
    if values[-1][1] == 0:
        return values[-1][0]
    if not brackets:
        return None
    low, low_value, high = min(brackets, key=lambda b: min(abs(b[0]), abs(b[2])))
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        value = _npv(points, middle)
        if value == 0:
            return middle
        if (value < 0) == (low_value < 0):
            low, low_value = middle, value
        else:
            high = middle
    return (low + high) / 2


def _to_decimal(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(PLACES, ROUND_HALF_EVEN)


def xirr(cash: Sequence[tuple[dt.date, Decimal]]) -> Decimal | None:
    """The annual rate r at which sum c_i / (1 + r) ** (days_i / 365) = 0, days counted
    from the first date (Excel's XIRR); None where there is none."""
    if len(cash) < 2:
        return None
    start = min(d for d, _a in cash)
    end = max(d for d, _a in cash)
    y = span_growth(start, end, cash)
    if y is None:
        return None
    try:
        return _to_decimal(math.expm1(y * YEAR_DAYS / (end - start).days))
    except OverflowError:
        return None


def money_weighted(
    start: dt.date,
    end: dt.date,
    start_value: Decimal,
    end_value: Decimal,
    flows: Sequence[CashFlow],
    annual: bool,
) -> Decimal | None:
    """The span's money-weighted return: its own return, or a rate a year if `annual`."""
    cash = [(start, -start_value), *((f.day, -f.amount) for f in flows), (end, end_value)]
    y = span_growth(start, end, cash)
    if y is None:
        return None
    if annual:
        y = y * YEAR_DAYS / (end - start).days
    try:
        return _to_decimal(math.expm1(y))
    except OverflowError:
        return None


def span_return(
    which: Span,
    nominal_start: dt.date,
    valuations: Sequence[Valuation],
    all_periods: Sequence[Period],
) -> SpanReturn | None:
    """The span from the first valuation on or after `nominal_start` to the last one;
    None when no valuation before the last is in the span."""
    end = valuations[-1]
    start = next((v for v in valuations if v.day >= nominal_start), None)
    if start is None or start.day >= end.day:
        return None
    inside = [p for p in all_periods if p.start >= start.day and p.end <= end.day]
    flows = [f for p in inside for f in p.flows]
    net = sum((f.amount for f in flows), ZERO)
    cumulative = chain(p.dietz for p in inside)
    annual = _over_a_year(start.day, end.day)
    days = (end.day - start.day).days
    if cumulative is None:
        shown = None
    elif annual:
        shown = annualise(cumulative, days)
    else:
        shown = cumulative
    missing = tuple(sorted({c for p in inside for c in p.missing_rates}))
    unvalued = tuple(f for p in inside for f in p.unvalued)
    mwr = (
        None
        if missing or unvalued
        else money_weighted(start.day, end.day, start.value, end.value, flows, annual)
    )
    return SpanReturn(
        which,
        nominal_start,
        start.day,
        end.day,
        start.value,
        end.value,
        net,
        end.value - start.value - net,
        cumulative,
        shown,
        mwr,
        annual,
        missing_rates=missing,
        unvalued=unvalued,
    )


def level_on(
    levels: Sequence[tuple[dt.date, Decimal]],
    day: dt.date,
    tolerance: int = LEVEL_TOLERANCE_DAYS,
) -> Decimal | None:
    """The latest level on or before `day`, if at most `tolerance` days older; `levels`
    oldest first."""
    index = bisect.bisect_right(levels, day, key=lambda row: row[0])
    if index == 0:
        return None
    found, level = levels[index - 1]
    return level if (day - found).days <= tolerance else None


def benchmark_growth(benchmark: Benchmark, dates: Sequence[dt.date]) -> Decimal | None:
    """The benchmark's cumulative return over review dates `dates` (oldest first), never
    annualised; None where a level is missing (see the module's note)."""
    if len(dates) < 2:
        return None
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        if len(benchmark.parts) == 1:
            levels = benchmark.parts[0].levels
            first, last = level_on(levels, dates[0]), level_on(levels, dates[-1])
            if first is None or last is None:
                return None
            return last / first - ONE
        points = [[level_on(p.levels, day) for day in dates] for p in benchmark.parts]
        period_returns: list[Decimal | None] = []
        for i in range(len(dates) - 1):
            blended = ZERO
            for part, row in zip(benchmark.parts, points, strict=True):
                start, end = row[i], row[i + 1]
                if start is None or end is None:
                    return None
                blended += part.weight * (end / start - ONE)
            period_returns.append(blended)
    return chain(period_returns)


def _benchmark_shown(
    benchmark: Benchmark, span: SpanReturn, all_periods: Sequence[Period]
) -> Decimal | None:
    """The benchmark's return over the span's review dates, on the span's basis."""
    dates = [span.start] + [
        p.end for p in all_periods if p.start >= span.start and p.end <= span.end
    ]
    growth = benchmark_growth(benchmark, dates)
    if growth is None or not span.annualised:
        return growth
    return annualise(growth, span.days)


def compute_returns(
    valuations: Sequence[Valuation],
    flows: Iterable[CashFlow],
    currency: str,
    benchmark: Benchmark | None = None,
    unvalued: Iterable[UnvaluedFlow] = (),
) -> Returns:
    """Every period and span up to the last valuation (the review's date), each span
    with the benchmark's return beside it when one is given. `unvalued`: the flows with
    no value in the report currency (their periods have no return)."""
    ordered = sorted(valuations, key=lambda v: v.day)
    all_periods = periods(ordered, flows, unvalued)
    spans: list[SpanReturn] = []
    if len(ordered) >= 2:
        end = ordered[-1].day
        nominal = {
            Span.SINCE_PREVIOUS: ordered[-2].day,
            Span.YEAR_TO_DATE: dt.date(end.year - 1, 12, 31),
            Span.LAST_12_MONTHS: _year_before(end),
            Span.SINCE_FIRST: ordered[0].day,
        }
        for which in Span:
            found = span_return(which, nominal[which], ordered, all_periods)
            if found is not None:
                if benchmark is not None:
                    found = replace(
                        found, benchmark=_benchmark_shown(benchmark, found, all_periods)
                    )
                spans.append(found)
    name = benchmark.name if benchmark is not None else None
    return Returns(currency, all_periods, tuple(spans), benchmark_name=name)
