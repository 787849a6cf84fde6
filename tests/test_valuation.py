"""Totals in the report currency: one rule, whether the amounts come one per holding
(`report_totals`) or summed per currency and side by the database (`totals_of_sums`, the
client list's)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reviewdesk.valuation import ReportTotals, report_totals, totals_of_sums

D = Decimal
RATES = {("USD", "CNY"): D("7.1234"), ("CNY", "HKD"): D("1.0931")}  # HKD: by the inverse


@pytest.mark.parametrize(
    ("items", "currency", "expected"),
    [
        # Summed in their own currency, converted, summed, rounded once (half up).
        (
            [("CNY", False, D("0.004")), ("CNY", False, D("0.001")), ("USD", True, D("10"))],
            "CNY",
            ReportTotals(D("0.01"), D("71.23")),
        ),
        # HKD by the inverse of CNY -> HKD: 1,000 / 1.0931; a loan apart.
        (
            [("HKD", False, D("600")), ("HKD", False, D("400")), ("HKD", True, D("1"))],
            "CNY",
            ReportTotals(D("914.83"), D("0.91")),
        ),
        # No rate: left out and named, in one order whatever order the items came in.
        (
            [("EUR", False, D("5")), ("CNY", False, D("1")), ("AUD", True, D("3"))],
            "CNY",
            ReportTotals(D("1.00"), D("0.00"), ("AUD", "EUR")),
        ),
        # The yen has no minor unit.
        ([("JPY", False, D("1000.5"))], "JPY", ReportTotals(D("1001"), D("0"))),
        ([], "USD", ReportTotals(D("0.00"), D("0.00"))),
    ],
)
def test_per_item_and_summed_amounts_give_the_same_totals(items, currency, expected):
    assert report_totals(items, currency, RATES) == expected
    sums: dict[tuple[str, bool], Decimal] = {}
    for code, loan, amount in items:
        sums[(code, loan)] = sums.get((code, loan), D(0)) + amount
    assert totals_of_sums(sums, currency, RATES) == expected
    assert totals_of_sums(dict(reversed(list(sums.items()))), currency, RATES) == expected
