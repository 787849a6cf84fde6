"""The gain against a holding's recorded principal (cost): worked out once, here, for the
review (`HoldingRow`) and for a snapshot on its own (`SnapshotView`, `show`).

The gain is the market value less the principal, in the holding's own currency, exact;
its value in the report currency is that gain at the snapshot's stored rate (never a rate
of 1 when there is none): a move of the exchange rate since the purchase is not in it.
Which holdings have one: `model.cost_gain_applies`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from reviewdesk.book.enums import AssetClass
from reviewdesk.money import round_money
from reviewdesk.review.model import (
    Converted,
    CostGainTotal,
    HoldingStatus,
    cost_gain_applies,
    gain_ratio,
)

__all__ = ["converted", "cost_gain_total", "gain_ratio", "principal_and_gain"]
from reviewdesk.valuation import MissingRate, stored_rate, to_report

Rates = Mapping[tuple[str, str], Decimal]


def converted(amount: Decimal, from_currency: str, currency: str, rates: Rates) -> Converted:
    """`amount` in the report currency at the snapshot's stored rate, or marked missing."""
    try:
        rate = stored_rate(from_currency, currency, rates)
    except MissingRate:
        return Converted(amount, from_currency, None)
    return Converted(amount, from_currency, to_report(amount, from_currency, currency, rates), rate)


def principal_and_gain(
    principal: Decimal | None,
    market_value: Decimal,
    currency: str,
    asset_class: AssetClass,
    status: HoldingStatus,
    report_currency: str,
    rates: Rates,
) -> tuple[Converted | None, Converted | None]:
    """The principal as recorded and the gain against it, each with its value in the
    report currency. The gain is None where it does not apply (a loan, a holding no
    longer held) and both are None when no principal is recorded."""
    if principal is None:
        return None, None
    cost = converted(principal, currency, report_currency, rates)
    if not cost_gain_applies(status, asset_class):
        return cost, None
    return cost, converted(market_value - principal, currency, report_currency, rates)


def cost_gain_total(
    pairs: Iterable[tuple[Converted | None, Converted | None]], currency: str
) -> CostGainTotal | None:
    """The gain against principal over the holdings that have one, from each holding's
    (principal, gain); None if none has. Each amount is rounded as shown (to the smallest
    unit of `currency`), then added up, as the subtotals are. A holding whose currency has
    no rate is left out of the sums and its currency named."""
    with_gain = [(p, g) for p, g in pairs if p is not None and g is not None]
    if not with_gain:
        return None
    known = [
        (p.value, g.value) for p, g in with_gain if p.value is not None and g.value is not None
    ]
    zero = Decimal(0)
    return CostGainTotal(
        len(known),
        sum((round_money(p, currency) for p, _g in known), zero),
        sum((round_money(g, currency) for _p, g in known), zero),
        tuple(sorted({g.currency for _p, g in with_gain if g.value is None})),
    )
