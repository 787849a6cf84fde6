"""Valuing holdings in a client's report currency: conversions and totals, computed once.

Conversions are exact (no rounding), so summing per holding or per currency
gives the same total. A total is rounded once, here, to the smallest unit of the
report currency (`money.round_money`: the cent, the whole yen): the
pack, the review page, the holdings tab, the client list, `show`,
`clients --json` and the segments all take their totals from `report_totals`, so
they agree to the cent.

This module sits below the book: storage queries and the review core both use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from reviewdesk.money import round_money

ZERO = Decimal(0)


class MissingRate(LookupError):
    def __init__(self, from_currency: str, to_currency: str):
        self.from_currency = from_currency
        self.to_currency = to_currency
        super().__init__(f"no exchange rate from {from_currency} to {to_currency}")


def to_report(
    amount: Decimal, currency: str, report_currency: str, rates: Mapping[tuple[str, str], Decimal]
) -> Decimal:
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


def stored_rate(
    currency: str, report_currency: str, rates: Mapping[tuple[str, str], Decimal]
) -> tuple[str, str, Decimal] | None:
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


@dataclass(frozen=True)
class ReportTotals:
    """Assets and liabilities in the report currency, each rounded once.

    `missing_rates`: currencies left out because the snapshot has no rate for them.
    """

    assets: Decimal
    liabilities: Decimal
    missing_rates: tuple[str, ...] = ()

    @property
    def net_worth(self) -> Decimal:
        return self.assets - self.liabilities


def report_totals(
    amounts: Iterable[tuple[str, bool, Decimal]],
    report_currency: str,
    rates: Mapping[tuple[str, str], Decimal],
) -> ReportTotals:
    """Totals of (currency, is_liability, amount) items: summed per currency, converted,
    summed, and only then rounded. The one rule for every total the app shows.

    Amounts are added up in their own currency before converting, so the result does
    not depend on whether the caller passes one item per holding or sums per currency
    (SQL): a division by an inverse rate is not exact, and dividing each holding could
    land a total a hair below a half cent that the sum reaches exactly.
    `missing_rates` is sorted, so every face lists the same codes in the same order.
    """
    sums: dict[tuple[str, bool], Decimal] = {}
    for currency, is_liability, amount in amounts:
        key = (currency, bool(is_liability))
        sums[key] = sums.get(key, ZERO) + amount
    return totals_of_sums(sums, report_currency, rates)


def totals_of_sums(
    sums: Mapping[tuple[str, bool], Decimal],
    report_currency: str,
    rates: Mapping[tuple[str, str], Decimal],
) -> ReportTotals:
    """`report_totals` of amounts summed already, one per (currency, is_liability): the
    database's own sums of a snapshot (`snapshot_fact`), as the client list reads them for
    every client of the book."""
    assets = liabilities = ZERO
    missing: list[str] = []
    # In one order, whatever order the sums come in: the same Decimal additions every time.
    for (currency, is_liability), amount in sorted(sums.items()) if len(sums) > 1 else sums.items():
        if currency != report_currency:
            try:
                amount = to_report(amount, currency, report_currency, rates)
            except MissingRate:
                if currency not in missing:
                    missing.append(currency)
                continue
        if is_liability:
            liabilities += amount
        else:
            assets += amount
    return ReportTotals(
        round_money(assets, report_currency),
        round_money(liabilities, report_currency),
        tuple(sorted(missing)) if missing else (),
    )
