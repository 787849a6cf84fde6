"""Small hand-built records for tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reviewdesk.book.enums import AssetClass, RiskLevel, Tier
from reviewdesk.book.models import Client, Holding, Snapshot


def client(code: str = "C1", name: str = "张伟", **kw) -> Client:
    kw.setdefault("tier", Tier.STANDARD)
    kw.setdefault("report_currency", "CNY")
    return Client(code=code, name=name, **kw)


def holding(
    name: str = "易方达蓝筹",
    value: str = "100000.00",
    currency: str = "CNY",
    asset_class: AssetClass = AssetClass.FUND,
    **kw,
) -> Holding:
    kw.setdefault("risk_level", RiskLevel.R3)
    return Holding(
        product_name=name,
        market_value=Decimal(value),
        currency=currency,
        asset_class=asset_class,
        **kw,
    )


def snapshot(day: dt.date, *holdings: Holding, rates: dict | None = None) -> Snapshot:
    snap = Snapshot(review_date=day, holdings=list(holdings))
    for (src, dst), rate in (rates or {}).items():
        snap.set_rate(src, dst, Decimal(rate))
    return snap
