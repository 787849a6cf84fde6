"""One snapshot's holdings with totals in the client's report currency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from reviewdesk.book.enums import AssetClass, RiskLevel
from reviewdesk.book.models import Client
from reviewdesk.review.cost_gain import cost_gain_total, gain_ratio, principal_and_gain
from reviewdesk.review.model import CostGainTotal, HoldingStatus
from reviewdesk.valuation import MissingRate, report_totals, to_report


@dataclass(frozen=True)
class HoldingLine:
    product_name: str
    product_code: str | None
    asset_class: AssetClass
    institution: str | None
    currency: str
    market_value: Decimal
    principal: Decimal | None
    held_since: dt.date | None
    maturity_date: dt.date | None
    risk_level: RiskLevel | None
    value_in_report: Decimal | None
    # The gain against the principal (review/cost_gain.py): the principal in the report
    # currency, the gain in `currency` and in the report currency (None without a rate),
    # and its ratio to the principal; None where none is recorded or it does not apply.
    principal_in_report: Decimal | None = None
    cost_gain: Decimal | None = None
    cost_gain_in_report: Decimal | None = None
    cost_gain_pct: Decimal | None = None


class HoldingLike(Protocol):
    """What is read of a holding: a stored `Holding`, or a row being edited on screen."""

    @property
    def product_name(self) -> str: ...
    @property
    def product_code(self) -> str | None: ...
    @property
    def asset_class(self) -> AssetClass: ...
    @property
    def institution(self) -> str | None: ...
    @property
    def currency(self) -> str: ...
    @property
    def market_value(self) -> Decimal: ...
    @property
    def principal(self) -> Decimal | None: ...
    @property
    def held_since(self) -> dt.date | None: ...
    @property
    def maturity_date(self) -> dt.date | None: ...
    @property
    def risk_level(self) -> RiskLevel | None: ...


class RateLike(Protocol):
    """What is read of an exchange rate: a stored `FxRate`, or a row being edited."""

    @property
    def from_currency(self) -> str: ...
    @property
    def to_currency(self) -> str: ...
    @property
    def rate(self) -> Decimal: ...


class SnapshotLike(Protocol):
    """What is read of a snapshot: a stored `Snapshot`, or the one being edited."""

    @property
    def review_date(self) -> dt.date: ...
    @property
    def holdings(self) -> Sequence[HoldingLike]: ...
    @property
    def rates(self) -> Sequence[RateLike]: ...


@dataclass(frozen=True)
class SnapshotView:
    review_date: dt.date
    currency: str
    holdings: tuple[HoldingLine, ...]
    total_assets: Decimal
    liabilities: Decimal
    missing_rates: tuple[str, ...] = field(default=())
    # Over the holdings with a principal only; None if none has one.
    cost_gain: CostGainTotal | None = None

    @property
    def net_worth(self) -> Decimal:
        return self.total_assets - self.liabilities

    def as_dict(self) -> dict[str, object]:
        return {
            "review_date": self.review_date,
            "report_currency": self.currency,
            "total_assets": self.total_assets,
            "liabilities": self.liabilities,
            "net_worth": self.net_worth,
            "missing_rates": list(self.missing_rates),
            "holdings": [h.__dict__ for h in self.holdings],
            "cost_gain": None
            if self.cost_gain is None
            else {
                "holdings": self.cost_gain.holdings,
                "principal": self.cost_gain.principal,
                "gain": self.cost_gain.gain,
                "ratio": self.cost_gain.ratio,
                "missing_rates": list(self.cost_gain.missing_rates),
            },
        }


def snapshot_view(snapshot: SnapshotLike, report_currency: str) -> SnapshotView:
    rates = {(r.from_currency, r.to_currency): r.rate for r in snapshot.rates}
    lines = []
    pairs = []
    for h in snapshot.holdings:
        try:
            value = to_report(h.market_value, h.currency, report_currency, rates)
        except MissingRate:
            value = None
        principal, gain = principal_and_gain(
            h.principal,
            h.market_value,
            h.currency,
            h.asset_class,
            HoldingStatus.FIRST,
            report_currency,
            rates,
        )
        pairs.append((principal, gain))
        lines.append(
            HoldingLine(
                h.product_name,
                h.product_code,
                h.asset_class,
                h.institution,
                h.currency,
                h.market_value,
                h.principal,
                h.held_since,
                h.maturity_date,
                h.risk_level,
                value,
                principal.value if principal else None,
                gain.amount if gain else None,
                gain.value if gain else None,
                gain_ratio(principal, gain),
            )
        )
    totals = report_totals(
        ((h.currency, h.asset_class.is_liability, h.market_value) for h in snapshot.holdings),
        report_currency,
        rates,
    )
    return SnapshotView(
        snapshot.review_date,
        report_currency,
        tuple(lines),
        totals.assets,
        totals.liabilities,
        totals.missing_rates,
        cost_gain_total(pairs, report_currency),
    )


def latest_snapshot_view(client: Client) -> SnapshotView | None:
    if not client.snapshots:
        return None
    return snapshot_view(client.snapshots[-1], client.report_currency)
