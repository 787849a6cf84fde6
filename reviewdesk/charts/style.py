"""Colours and number formats the charts share, so screen and paper agree."""

from __future__ import annotations

from decimal import Decimal

from reviewdesk.book.enums import AssetClass
from reviewdesk.review.model import Allocation

INK = "#1f2a37"
MUTED = "#6b7280"
GRID = "#e5e7eb"
ACCENT = "#1d4e89"
NET = "#c2410c"

# Keyed by a slice's key: an AssetClass or `Allocation.THIS_BANK` / `Allocation.OTHER`.
CLASS_COLOURS: dict[object, str] = {
    AssetClass.DEPOSIT: "#1d4e89",
    AssetClass.CASH: "#6fa8dc",
    AssetClass.FUND: "#2a9d8f",
    AssetClass.BOND: "#8ab17d",
    AssetClass.STOCK: "#e76f51",
    AssetClass.WEALTH_PRODUCT: "#e9c46a",
    AssetClass.INSURANCE: "#9c6ade",
    AssetClass.PROPERTY: "#8d6e63",
    AssetClass.LOAN: "#9ca3af",
    AssetClass.OTHER: "#b0bec5",
    Allocation.THIS_BANK: "#1d4e89",
    Allocation.OTHER: "#e9c46a",
}


def colour(key: object) -> str:
    return CLASS_COLOURS.get(key, "#b0bec5")


def axis_amount(value: float, lang: str) -> str:
    """A short amount for an axis tick: 120万 / 1.5亿 in Chinese, 1.2M / 850K in English."""
    amount = Decimal(str(float(value)))
    size = abs(amount)
    if lang == "zh":
        if size >= 100_000_000:
            return f"{amount / 100_000_000:.1f}亿".replace(".0亿", "亿")
        if size >= 10_000:
            return f"{amount / 10_000:,.0f}万"
        return f"{amount:,.0f}"
    if size >= 1_000_000_000:
        return f"{amount / 1_000_000_000:.1f}B".replace(".0B", "B")
    if size >= 1_000_000:
        return f"{amount / 1_000_000:.1f}M".replace(".0M", "M")
    if size >= 1_000:
        return f"{amount / 1_000:,.0f}K"
    return f"{amount:,.0f}"
