"""Money: Decimal amounts, currencies, and one formatter per language.

Amounts never pass through float. Chinese text shows large amounts in 万 and
亿 (10^4, 10^8); English text uses thousands separators.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 codes a relationship manager meets; the full active list would add
# noise to every drop-down, and an unknown code is refused with a clear error.
CURRENCIES: tuple[str, ...] = (
    "CNY", "HKD", "USD", "EUR", "GBP", "JPY", "TWD", "SGD", "AUD", "CAD", "CHF",
    "NZD", "KRW", "MOP", "THB", "MYR",
)

CENT = Decimal("0.01")
ZERO = Decimal("0")


def to_decimal(value: object) -> Decimal:
    """A Decimal from an int, str or Decimal; floats are refused on purpose."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not an amount")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", ""))
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
        if not result.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return result
    raise TypeError(f"an amount must be Decimal, int or str, not {type(value).__name__}")


def quantize(amount: Decimal, places: Decimal = CENT) -> Decimal:
    return amount.quantize(places, rounding=ROUND_HALF_UP)


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """An amount in another currency, exact to the cent."""
    return quantize(amount * rate)


def _group(amount: Decimal, places: int) -> str:
    return f"{amount:,.{places}f}"


def format_money(amount: Decimal, currency: str | None = None, lang: str = "en",
                 compact: bool = True) -> str:
    """Format an amount for reading in `lang`.

    Chinese: 1,234.56 below 10,000; 12.35万 and 1.23亿 above when `compact`.
    English: thousands separators and two decimals.
    """
    amount = Decimal(amount)
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    if lang == "zh":
        if compact and value >= Decimal(100_000_000):
            text = f"{quantize(value / Decimal(100_000_000)):,.2f}亿"
        elif compact and value >= Decimal(10_000):
            text = f"{quantize(value / Decimal(10_000)):,.2f}万"
        else:
            text = _group(quantize(value), 2)
        return f"{sign}{text}" + (f" {currency}" if currency else "")
    text = _group(quantize(value), 2)
    return (f"{currency} " if currency else "") + f"{sign}{text}"


def format_percent(ratio: Decimal | None, lang: str = "en", signed: bool = True) -> str:
    if ratio is None:
        return "—"
    pct = quantize(Decimal(ratio) * 100, Decimal("0.1"))
    return f"{pct:+.1f}%" if signed else f"{pct:.1f}%"
