"""Colours and number formats the charts share, so screen and paper agree."""

from __future__ import annotations

from reviewdesk.book.enums import AssetClass
from reviewdesk.review.model import Allocation

INK = "#1f2a37"
MUTED = "#6b7280"
GRID = "#e5e7eb"
ACCENT = "#1d4e89"
NET = "#c2410c"
# The house's gain and loss colours (the pack's GOOD and ALERT, the screen's alike).
GAIN = "#067647"
LOSS = "#b42318"
INVESTED = "#374151"  # the money the client put in (start value + net new money)

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
