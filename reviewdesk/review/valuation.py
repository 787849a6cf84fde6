"""Converting amounts into a client's report currency with a snapshot's rates.

Conversions are exact (no rounding) so that summing per holding or per
currency gives the same total; totals are rounded only for display.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal


class MissingRate(LookupError):
    def __init__(self, from_currency: str, to_currency: str):
        self.from_currency = from_currency
        self.to_currency = to_currency
        super().__init__(f"no exchange rate from {from_currency} to {to_currency}")


def to_report(amount: Decimal, currency: str, report_currency: str,
              rates: Mapping[tuple[str, str], Decimal]) -> Decimal:
    """`amount` in `currency`, in the report currency; rates are keyed (from, to)."""
    if currency == report_currency:
        return amount
    rate = rates.get((currency, report_currency))
    if rate is not None:
        return amount * rate
    inverse = rates.get((report_currency, currency))
    if inverse:
        return amount / inverse
    raise MissingRate(currency, report_currency)


def stored_rate(currency: str, report_currency: str,
                rates: Mapping[tuple[str, str], Decimal]) -> tuple[str, str, Decimal] | None:
    """The stored rate `to_report` uses, as (from, to, rate); None for the same currency.

    The pair may be the inverse one (report currency to `currency`): it is given as
    stored, so a statement of the conversion quotes the snapshot's own figure.
    """
    if currency == report_currency:
        return None
    rate = rates.get((currency, report_currency))
    if rate is not None:
        return currency, report_currency, rate
    inverse = rates.get((report_currency, currency))
    if inverse:
        return report_currency, currency, inverse
    raise MissingRate(currency, report_currency)
