"""The returns figures (review/returns.py): hand-worked cases and published examples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reviewdesk.money import format_return
from reviewdesk.review.returns import (
    CashFlow,
    NoReturn,
    Span,
    Valuation,
    annualise,
    compute_returns,
    modified_dietz,
    periods,
    xirr,
)

D = Decimal
day = dt.date


def close(value: Decimal | None, expected: str | Decimal, places: int = 10) -> bool:
    assert value is not None
    return abs(value - D(expected)) < D(10) ** -places


def worked_case():
    valuations = [
        Valuation(day(2026, 1, 31), D(1_000_000)),
        Valuation(day(2026, 2, 28), D(1_030_000)),
        Valuation(day(2026, 3, 31), D(1_060_000)),
    ]
    flows = [CashFlow(day(2026, 2, 14), D(-20_000)), CashFlow(day(2026, 3, 21), D(100_000))]
    return valuations, flows


def test_the_issues_worked_case():
    valuations, flows = worked_case()
    returns = compute_returns(valuations, flows, "CNY")
    first, second = returns.periods
    assert (first.net_flows, first.market_gain, first.average_capital) == (
        D(-20_000),
        D(50_000),
        D(990_000),
    )
    assert close(first.dietz, D(50_000) / D(990_000), 25)
    assert round(first.dietz * 100, 2) == D("5.05")
    assert (second.net_flows, second.market_gain) == (D(100_000), D(-70_000))
    assert round(second.average_capital, 2) == D("1062258.06")
    assert round(second.dietz * 100, 2) == D("-6.59")
    since_first = returns.span(Span.SINCE_FIRST)
    assert since_first is not None
    assert since_first.net_flows == D(80_000)
    assert since_first.change == D(60_000) and since_first.change_pct == D("0.06")
    assert since_first.market_gain == D(-20_000)
    assert round(since_first.twr * 100, 2) == D("-1.87")
    assert not since_first.annualised
    # The money-weighted return weighs the March deposit more: a little lower still.
    assert since_first.mwr is not None and D("-0.03") < since_first.mwr < since_first.twr
    previous = returns.span(Span.SINCE_PREVIOUS)
    assert previous.start == day(2026, 2, 28) and close(previous.twr, second.dietz, 30)
    ytd = returns.span(Span.YEAR_TO_DATE)
    assert ytd.nominal_start == day(2025, 12, 31) and ytd.start == day(2026, 1, 31)
    assert ytd.shorter


def test_published_modified_dietz_example():
    """Wikipedia, "Modified Dietz method", section Example: $100 at the beginning of the
    first year, $300 at the end of the second, an inflow of $50 at the end of the first
    year: gain 150 over average capital 125, a return of 120%.
    (https://en.wikipedia.org/wiki/Modified_Dietz_method#Example)"""
    period = modified_dietz(
        day(2021, 1, 1), day(2023, 1, 1), D(100), D(300), [CashFlow(day(2022, 1, 1), D(50))]
    )
    assert period.market_gain == D(150)
    assert period.average_capital == D(125)
    assert period.dietz == D("1.2")


def test_published_xirr_example():
    """Microsoft's XIRR function page, its example: -10,000 on 2008-01-01, then 2,750,
    4,250, 3,250 and 2,750 on 2008-03-01, 2008-10-30, 2009-02-15 and 2009-04-01 give
    0.373362535 (37.34%). (https://support.microsoft.com/office/xirr-function-de1242ec-6477-445b-b11b-a303ad9adc9d)"""
    rate = xirr(
        [
            (day(2008, 1, 1), D(-10_000)),
            (day(2008, 3, 1), D(2_750)),
            (day(2008, 10, 30), D(4_250)),
            (day(2009, 2, 15), D(3_250)),
            (day(2009, 4, 1), D(2_750)),
        ]
    )
    assert close(rate, "0.373362535", 8)


def test_published_time_weighted_example():
    """A time-weighted return worked in the actuarial style (Math Celebrity, "Time Weighted
    Rate of Interest", its example; https://www.mathcelebrity.com/intweighttimeinst.htm):
    100,000 on 1 January; 112,000 on 1 March, then 30,000 paid in; 125,000 on 1 August,
    then 42,000 taken out; 100,000 on 1 January of the next year: 18.78%.

    Reviews on those days value the portfolio after the flow (the flow on a review date
    belongs to the period that review closes, with no time to work), so each period's
    Modified Dietz return is the published sub-period's: 112/100, 125/142, 100/83."""
    valuations = [
        Valuation(day(2025, 1, 1), D(100_000)),
        Valuation(day(2025, 3, 1), D(142_000)),
        Valuation(day(2025, 8, 1), D(83_000)),
        Valuation(day(2026, 1, 1), D(100_000)),
    ]
    flows = [CashFlow(day(2025, 3, 1), D(30_000)), CashFlow(day(2025, 8, 1), D(-42_000))]
    returns = compute_returns(valuations, flows, "USD")
    first, second, third = (p.dietz for p in returns.periods)
    assert first == D("0.12")
    assert close(second, D(125_000) / D(142_000) - 1, 25)
    assert close(third, D(100_000) / D(83_000) - 1, 25)
    since_first = returns.span(Span.SINCE_FIRST)
    assert not since_first.annualised  # a year to the day is not over a year
    assert round(since_first.twr * 100, 2) == D("18.78")
    assert since_first.net_flows == D(-12_000) and since_first.market_gain == D(12_000)


def test_a_withdrawal_larger_than_the_gain():
    # 100,000 grows by 2,000 while 30,000 is taken out half-way (day 15 of 30).
    period = modified_dietz(
        day(2026, 4, 30),
        day(2026, 5, 30),
        D(100_000),
        D(72_000),
        [CashFlow(day(2026, 5, 15), D(-30_000))],
    )
    assert period.net_flows == D(-30_000)
    assert period.market_gain == D(2_000)  # the value fell 28,000; the market gave 2,000
    assert period.average_capital == D(85_000)
    assert close(period.dietz, D(2_000) / D(85_000), 25)


def test_a_withdrawal_that_leaves_no_capital_at_work_has_no_return():
    # Everything but 1,000 taken out on day 1 of 10, then the rest out on the last day.
    period = modified_dietz(
        day(2026, 1, 1),
        day(2026, 1, 11),
        D(1_000),
        D(0),
        [CashFlow(day(2026, 1, 2), D(-2_000)), CashFlow(day(2026, 1, 11), D(1_000))],
    )
    assert period.average_capital == D(1_000) + D(-2_000) * 9 / 10
    assert period.average_capital < 0 and period.dietz is None


def test_a_period_that_starts_at_zero():
    # Nothing held, 50,000 paid in on day 10 of 30 (weight 2/3), worth 51,000 at the end.
    period = modified_dietz(
        day(2026, 5, 31),
        day(2026, 6, 30),
        D(0),
        D(51_000),
        [CashFlow(day(2026, 6, 10), D(50_000))],
    )
    assert period.market_gain == D(1_000)
    assert period.dietz == D(1_000) * 30 / (D(50_000) * 20)  # 3%
    assert period.dietz == D("0.03")


def test_a_first_deposit_on_the_closing_review_date_is_a_return_of_zero():
    period = modified_dietz(
        day(2026, 5, 31), day(2026, 6, 30), D(0), D(50_000), [CashFlow(day(2026, 6, 30), D(50_000))]
    )
    assert period.average_capital == 0 and period.market_gain == 0 and period.dietz == 0
    # ...but a gain with nothing at work is no return at all.
    odd = modified_dietz(day(2026, 5, 31), day(2026, 6, 30), D(0), D(10), [])
    assert odd.dietz is None


def test_flows_on_review_dates_belong_to_the_period_they_close():
    valuations = [
        Valuation(day(2026, 1, 31), D(100_000)),
        Valuation(day(2026, 2, 28), D(120_000)),
        Valuation(day(2026, 3, 31), D(121_200)),
    ]
    flows = [
        CashFlow(day(2026, 1, 31), D(7)),  # closes no period: before the first
        CashFlow(day(2026, 2, 28), D(20_000)),  # in the February review's value
        CashFlow(day(2026, 4, 1), D(9)),  # after the last review: in no period
    ]
    first, second = periods(valuations, flows)
    assert [f.day for f in first.flows] == [day(2026, 2, 28)] and second.flows == ()
    assert first.average_capital == D(100_000)  # weight 0: no time to work
    assert first.market_gain == 0 and first.dietz == 0
    assert second.dietz == D("0.01")


def test_several_currencies_are_flows_in_the_report_currency():
    # A USD deposit of 10,000 at 7.1 and a CNY withdrawal; the review sums them in CNY.
    usd = D(10_000) * D("7.1")
    period = modified_dietz(
        day(2026, 1, 1),
        day(2026, 1, 31),
        D(500_000),
        D(580_000),
        [CashFlow(day(2026, 1, 16), usd), CashFlow(day(2026, 1, 16), D(-5_000))],
    )
    assert period.net_flows == D(66_000)
    assert period.market_gain == D(14_000)
    assert period.average_capital == D(500_000) + D(66_000) * 15 / 30
    assert close(period.dietz, D(14_000) / D(533_000), 25)


def test_a_missing_rate_leaves_the_period_and_its_spans_without_a_return():
    valuations = [
        Valuation(day(2026, 1, 31), D(100)),
        Valuation(day(2026, 2, 28), D(110), ("USD",)),
        Valuation(day(2026, 3, 31), D(121)),
    ]
    returns = compute_returns(valuations, [], "CNY")
    assert [p.dietz for p in returns.periods] == [None, None]
    since_first = returns.span(Span.SINCE_FIRST)
    assert since_first.twr is None and since_first.mwr is None
    # why: the rate, said for the periods and the span alike
    assert [p.no_return for p in returns.periods] == [NoReturn.NO_RATE, NoReturn.NO_RATE]
    assert since_first.no_twr is since_first.no_mwr is NoReturn.NO_RATE
    assert since_first.missing_rates == ("USD",)


def test_a_return_the_amounts_do_not_admit_is_undefined_not_a_missing_rate():
    valuations = [
        Valuation(day(2026, 1, 31), D(100)),
        Valuation(day(2026, 2, 28), D(0)),
        Valuation(day(2026, 3, 31), D(150)),
    ]
    # everything taken out at the second review, 100 paid in on the third's day
    flows = [CashFlow(day(2026, 2, 28), D(-100)), CashFlow(day(2026, 3, 31), D(100))]
    returns = compute_returns(valuations, flows, "CNY")
    first, last = returns.periods
    assert first.dietz == 0 and first.no_return is None
    assert last.dietz is None and last.no_return is NoReturn.UNDEFINED
    previous = returns.span(Span.SINCE_PREVIOUS)
    assert previous.no_twr is previous.no_mwr is NoReturn.UNDEFINED
    assert previous.missing_rates == ()


def test_returns_are_shown_to_two_decimals_of_a_percent():
    assert format_return(D("0.0505050505"), "en") == "+5.05%"
    assert format_return(D("-0.065898"), "zh") == "-6.59%"
    assert format_return(D("0.00004"), "en") == "0.00%"


def test_no_flows_make_every_measure_agree():
    valuations = [Valuation(day(2026, 1, 31), D(100)), Valuation(day(2026, 3, 31), D(103))]
    returns = compute_returns(valuations, [], "CNY")
    span = returns.span(Span.SINCE_FIRST)
    assert span.twr == D("0.03") and close(span.mwr, "0.03")


def test_spans_over_a_year_are_annualised_and_flagged():
    valuations = [
        Valuation(day(2024, 1, 1), D(100)),
        Valuation(day(2025, 1, 1), D(110)),  # 366 days (2024 is a leap year)
        Valuation(day(2026, 1, 1), D(121)),
    ]
    returns = compute_returns(valuations, [], "CNY")
    since_first = returns.span(Span.SINCE_FIRST)
    assert since_first.annualised and since_first.cumulative_twr == D("0.21")
    assert since_first.twr == annualise(D("0.21"), 731)
    assert close(since_first.twr, str((1.21 ** (365 / 731)) - 1), 9)
    assert close(since_first.mwr, since_first.twr, 9)
    last_12 = returns.span(Span.LAST_12_MONTHS)
    assert last_12.start == day(2025, 1, 1) and not last_12.annualised
    assert last_12.twr == D("0.1") and not last_12.shorter
    # No review between 31 December 2025 and the review itself: no year to date.
    assert returns.span(Span.YEAR_TO_DATE) is None


def test_money_weighted_return_does_not_exist_without_a_sign_change():
    valuations = [Valuation(day(2026, 1, 31), D(0)), Valuation(day(2026, 2, 28), D(0))]
    flows = [CashFlow(day(2026, 2, 10), D(1_000))]  # paid in and all gone: no rate
    span = compute_returns(valuations, flows, "CNY").span(Span.SINCE_FIRST)
    assert span.mwr is None
    assert xirr([(day(2026, 1, 1), D(-5)), (day(2026, 2, 1), D(-5))]) is None


def test_one_review_has_neither_periods_nor_spans():
    returns = compute_returns([Valuation(day(2026, 1, 31), D(100))], [], "CNY")
    assert returns.periods == () and returns.spans == ()


def test_a_flow_outside_its_period_is_refused():
    with pytest.raises(ValueError):
        modified_dietz(
            day(2026, 1, 1), day(2026, 2, 1), D(1), D(1), [CashFlow(day(2026, 1, 1), D(1))]
        )


def test_the_money_put_in_stops_where_a_review_lacks_a_rate():
    """Found: a EUR bond worth 200,000 at the first review, none of its rate at the second,
    its rate again at the third: the trend's bars dropped by 200,000 at the second review
    and the dashed line of the money put in, a running total of its own, did not, while
    the caption called the distance the market's gain or loss. The line is given here, up
    to the period whose gain is not given."""
    jan, feb, mar, apr = (dt.date(2026, m, 28) for m in (1, 2, 3, 4))
    returns = compute_returns(
        [
            Valuation(jan, D(300_000)),
            Valuation(feb, D(310_000)),
            Valuation(mar, D(120_000), ("EUR",)),
            Valuation(apr, D(330_000)),
        ],
        [CashFlow(dt.date(2026, 2, 10), D(5_000)), CashFlow(dt.date(2026, 4, 10), D(5_000))],
        "CNY",
    )
    assert returns.invested == ((jan, D(300_000)), (feb, D(305_000)), (mar, None), (apr, None))
    assert returns.invested_stop is returns.periods[1]
    assert returns.invested_stop.missing_rates == ("EUR",)
    whole = compute_returns([Valuation(jan, D(1)), Valuation(feb, D(2))], [], "CNY")
    assert whole.invested == () and whole.invested_stop is None


def test_a_flow_without_a_value_in_the_report_currency_is_its_own_reason():
    """Found: a flow with no value in the report currency (its rate is to an earlier report
    currency) was counted as a missing rate of the review closing its period, and every
    face told the client that review's total left holdings out, though the totals were
    whole. The period now carries the flow as unvalued: no return for that reason, the
    change given, the new money and the market gain not."""
    from reviewdesk.review.returns import UnvaluedFlow

    valuations = [
        Valuation(day(2026, 1, 31), D(1_000_000)),
        Valuation(day(2026, 3, 31), D(1_050_000)),
    ]
    deposit = UnvaluedFlow(day(2026, 2, 10), D(50_000), "CNY")
    returns = compute_returns(valuations, [], "HKD", unvalued=[deposit])
    (period,) = returns.periods
    assert period.missing_rates == () and period.unvalued == (deposit,)
    assert period.dietz is None and period.no_return is NoReturn.NO_FLOW_RATE
    assert period.gain is None and period.net_new_money is None
    span = returns.span(Span.SINCE_FIRST)
    assert span.missing_rates == () and span.unvalued == (deposit,)
    assert span.change == D(50_000) and span.change_pct == D("0.05")
    assert span.twr is span.mwr is None
    assert span.no_twr is span.no_mwr is NoReturn.NO_FLOW_RATE
    assert span.gain is None and span.net_new_money is None
    # a flow is recorded, though no value of it is known: no "no flow recorded"
    assert returns.flows_recorded and returns.latest_split is None
    assert returns.invested_stop is period and returns.invested[1:] == ((day(2026, 3, 31), None),)
    # a rate missing at a review is said first; a flow before the first review is in no period
    early = UnvaluedFlow(day(2026, 1, 5), D(-10), "USD")
    missing = [valuations[0], Valuation(day(2026, 3, 31), D(1_050_000), ("EUR",))]
    both = compute_returns(missing, [], "HKD", unvalued=[deposit, early]).periods[0]
    assert both.unvalued == (deposit,) and both.no_return is NoReturn.NO_RATE
