"""Money: Decimal amounts, currencies, and one formatter per language.

Amounts never pass through float. Chinese text shows large amounts in 万 and
亿 (10^4, 10^8); English text uses thousands separators.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache, lru_cache

from babel.numbers import format_compact_decimal, get_currency_precision

# ISO 4217 codes a relationship manager meets; the full active list would add
# noise to every drop-down, and an unknown code is refused with a clear error.
CURRENCIES: tuple[str, ...] = (
    "CNY",
    "HKD",
    "USD",
    "EUR",
    "GBP",
    "JPY",
    "TWD",
    "SGD",
    "AUD",
    "CAD",
    "CHF",
    "NZD",
    "KRW",
    "MOP",
    "THB",
    "MYR",
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


def minor_units(currency: str | None) -> int:
    """Decimal places of `currency` from CLDR (JPY and KRW: none); 2 without a currency."""
    if not currency:
        return 2
    return _precision(currency)


@cache
def _precision(currency: str) -> int:
    return int(get_currency_precision(currency))


def round_money(amount: Decimal, currency: str | None = None, places: int | None = None) -> Decimal:
    """`amount` rounded half-up to the smallest unit of `currency` (the cent; the whole yen).

    The one rounding rule of printed amounts: the pack rounds each row with it and
    adds up the rounded rows, so a subtotal is the sum of the rows as printed.
    """
    unit = _currency_unit(currency) if places is None else _smallest_unit(places)
    return Decimal(amount).quantize(unit, rounding=ROUND_HALF_UP)


@cache
def _currency_unit(currency: str | None) -> Decimal:
    """The smallest unit of `currency` (0.01; 1 for the yen): every total of a listing is
    rounded to it, so it is looked up once per currency."""
    return _smallest_unit(minor_units(currency))


def apportion(
    total: Decimal, parts: Sequence[Decimal], currency: str | None, places: int | None = None
) -> list[Decimal]:
    """`parts` of `total` rounded to the smallest unit of `currency` (or to `places`
    decimals) so that, printed, they add up to the total printed beside them (`total`
    rounded by `round_money`).

    Rounded each on its own, two halves of 22,000.11 read 11,000.06 and 11,000.06. Here
    each part is rounded down and the units left over go to the parts with the largest
    remainders, the earlier on a tie (the largest remainder method); when the parts
    themselves are a hair off the total (amounts converted one by one), the difference
    is closed the same way."""
    digits = minor_units(currency) if places is None else places
    unit = _smallest_unit(digits)
    scaled = [Decimal(p) / unit for p in parts]
    shares = [s.to_integral_value(rounding=ROUND_FLOOR) for s in scaled]
    if not shares:
        return []
    left = int(round_money(total, currency, digits) / unit - sum(shares))
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(scaled[i] - shares[i]), i))
    step = 1 if left > 0 else -1
    if left < 0:
        by_remainder.reverse()
    for n in range(abs(left)):
        shares[by_remainder[n % len(shares)]] += step
    return [quantize(s * unit, unit) for s in shares]


def news(
    amount: Decimal | None,
    currency: str | None = None,
    *,
    places: int | None = None,
    liability: bool = False,
) -> int:
    """1 when `amount`, as printed (to the smallest unit of `currency`, or to `places`
    decimals), is good news, -1 when it is bad, 0 when it is neither: nil as printed, or not
    known. Good news is an asset, a gain or a return that grows, or a liability that
    shrinks. The one rule of green and red on every face: a gain of -0.003 printed "0.00"
    is not red, and a change of 0 is not green."""
    if amount is None:
        return 0
    shown = round_money(amount, currency, places)
    sign = (shown > 0) - (shown < 0)
    return -sign if liability else sign


@cache
def _smallest_unit(digits: int) -> Decimal:
    return Decimal(1).scaleb(-digits)


WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def format_money(
    amount: Decimal,
    currency: str | None = None,
    lang: str = "en",
    compact: bool = True,
    *,
    code: bool = True,
    places: int | None = None,
) -> str:
    """Format an amount for reading in `lang`, to the minor units of `currency`.

    Chinese: 1,234.56 below 10,000; 12.35万 and 1.23亿 above when `compact` (the unit
    is chosen after rounding, so 99,999,999 reads 1.00亿, never 10,000.00万).
    English: thousands separators. `code=False` leaves the currency code out (a column
    that states it) while still using its minor units; `places` overrides them (0 for a
    headline in whole units). A value that rounds to zero is unsigned: never "-0.00".
    """
    digits = minor_units(currency) if places is None else places
    rounded = round_money(Decimal(amount), currency, digits)
    value = abs(rounded)
    sign = "-" if rounded < 0 else ""
    shown = currency if code else None
    if lang == "zh":
        text = _group(value, digits)
        if compact and value >= WAN:
            wan = quantize(value / WAN)
            text = f"{quantize(value / YI):,.2f}亿" if wan >= WAN else f"{wan:,.2f}万"
        return f"{sign}{text}" + (f" {shown}" if shown else "")
    text = _group(value, digits)
    return (f"{shown} " if shown else "") + f"{sign}{text}"


def format_signed(
    amount: Decimal,
    currency: str | None = None,
    lang: str = "en",
    compact: bool = False,
    *,
    places: int | None = None,
) -> str:
    """A change: "+" or "-" before it, no code; one that rounds to zero has no sign.
    `places` as in `format_money` (0: whole units, a wide table or a chart's bar); the
    sign follows the same rounding, half up (+0.50 reads "+1" everywhere)."""
    text = format_money(amount, currency, lang, compact, code=False, places=places)
    if text.startswith("-") or round_money(Decimal(amount), currency, places) == 0:
        return text
    return "+" + text


def format_short(amount: Decimal, currency: str | None = None, lang: str = "en") -> str:
    """The shortest readable form of a large amount, without the currency code.

    Chinese: 万/亿 as in `format_money`; English: CLDR's short form (4.21B, 35.6M).
    For headline figures too wide to print in full.
    """
    if lang == "zh":
        return format_money(amount, currency, lang, compact=True, code=False)
    rounded = round_money(Decimal(amount), currency)
    if abs(rounded) < 1000:
        return format_money(rounded, currency, lang, code=False)
    return format_compact_decimal(rounded, format_type="short", locale="en", fraction_digits=2)


# The CLDR locales of the interface languages, for Babel's number forms.
CLDR_LOCALES = {"zh": "zh_Hans_CN", "en": "en"}


def format_axis(value: float | Decimal, lang: str = "en") -> str:
    """An amount on a chart's axis: CLDR's short form, 120万 / 1.6亿 in Chinese, 850K / 1.5M
    in English, to one decimal at most. The one axis format of every chart."""
    # A tick, not money; the same few round ticks come back chart after chart, and Babel's
    # compact format is slow (a few tenths of a millisecond a label), so each text is
    # made once. The key is the number's text, which makes the Decimal exactly as before.
    return _axis_text(str(value), lang)


@lru_cache(maxsize=4096)
def _axis_text(number: str, lang: str) -> str:
    # Babel's compact form rounds what it shortens (1.2万, 850K) to `fraction_digits`, and
    # leaves a number too small to shorten as it is given: a tick of 0.6 computed as
    # 0.6000000000000001 was printed so (found on the trend chart of an empty portfolio).
    # Such a number is rounded here to the same one decimal.
    value = Decimal(number)
    if abs(value) < 1000:
        value = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return format_compact_decimal(
        value, format_type="short", locale=CLDR_LOCALES.get(lang, "en"), fraction_digits=1
    )


def _group(amount: Decimal, places: int) -> str:
    return f"{amount:,.{places}f}"


RETURN_PLACES = 2  # decimals of a percent a return is shown to, everywhere
PERCENT_PLACES = 1  # decimals of a percent a share or a change is shown to, unless told


def format_percent(
    ratio: Decimal | None, lang: str = "en", signed: bool = True, places: int = PERCENT_PLACES
) -> str:
    """A ratio as a percentage to `places` decimals (one unless told); one that rounds to
    zero is unsigned. Returns are shown with `format_return`."""
    if ratio is None:
        return "—"
    pct = quantize(Decimal(ratio) * 100, Decimal(1).scaleb(-places))
    if pct == 0:
        return f"{Decimal(0):.{places}f}%"
    return f"{pct:+.{places}f}%" if signed else f"{pct:.{places}f}%"


def format_return(ratio: Decimal | None, lang: str = "en") -> str:
    """A return (time-, money-weighted, a period's, a benchmark's) as a signed percentage
    to two decimals: the one precision for returns on every face (5.05%, never 5.1%)."""
    return format_percent(ratio, lang, places=RETURN_PLACES)
