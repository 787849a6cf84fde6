import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewdesk.money import (
    format_money,
    format_percent,
    format_short,
    minor_units,
    round_money,
    to_decimal,
)


@pytest.mark.parametrize(
    "amount, text",
    [
        ("1234.5", "1,234.50 CNY"),
        ("9999.99", "9,999.99 CNY"),
        ("10000", "1.00万 CNY"),
        ("1234567.89", "123.46万 CNY"),
        ("123456789", "1.23亿 CNY"),
        ("-56000", "-5.60万 CNY"),
    ],
)
def test_chinese_uses_wan_and_yi(amount, text):
    assert format_money(Decimal(amount), "CNY", "zh") == text


def test_english_uses_thousands_separators():
    assert format_money(Decimal("1234567.885"), "USD", "en") == "USD 1,234,567.89"
    assert format_money(Decimal("-5"), "HKD", "en") == "HKD -5.00"


def test_percent():
    assert format_percent(Decimal("0.12345")) == "+12.3%"
    assert format_percent(None) == "—"


def test_floats_are_not_amounts():
    with pytest.raises(TypeError):
        to_decimal(0.1)
    assert to_decimal("1,234.50") == Decimal("1234.50")
    with pytest.raises(ValueError):
        to_decimal("NaN")


# --- minor units, the 万/亿 boundary, signs, and reading the text back ------------------


def test_minor_units_come_from_cldr():
    assert minor_units("JPY") == 0 and minor_units("KRW") == 0
    assert minor_units("CNY") == 2 and minor_units(None) == 2
    assert format_money(Decimal("1234567.5"), "JPY", "en") == "JPY 1,234,568"
    assert format_money(Decimal("1234.4"), "KRW", "zh", compact=False) == "1,234 KRW"
    assert format_money(Decimal("5"), "JPY", "en", code=False) == "5"


@pytest.mark.parametrize(
    "amount, text",
    [
        ("99999999", "1.00亿"),
        ("99999950", "1.00亿"),  # 9,999.995万 rounds up: 亿, not 10,000.00万
        ("99999949.99", "9,999.99万"),
        ("100000000", "1.00亿"),
        ("9999.995", "1.00万"),  # rounds to 10,000.00: 万, not 10,000.00
        ("9999.994", "9,999.99"),
        ("-0.004", "0.00"),
    ],
)
def test_unit_is_chosen_after_rounding(amount, text):
    assert format_money(Decimal(amount), "CNY", "zh", code=False) == text


def test_nothing_prints_minus_zero():
    assert format_money(Decimal("-0.001"), "USD", "en") == "USD 0.00"
    assert format_money(Decimal("-0.4"), "JPY", "en") == "JPY 0"
    assert format_percent(Decimal("-0.0001")) == "0.0%"
    assert format_percent(Decimal("0.00001"), signed=True) == "0.0%"


def test_short_form_for_headlines():
    assert format_short(Decimal("4207170519"), "JPY", "en") == "4.21B"
    assert format_short(Decimal("4207170519"), "JPY", "zh") == "42.07亿"
    assert format_short(Decimal("-512.3"), "USD", "en") == "-512.30"


def _parse(text: str) -> tuple[Decimal, Decimal]:
    """(value, half of the last printed digit) of a formatted amount."""
    m = re.fullmatch(r"(?:[A-Z]{3} )?(-?)([\d,]+(?:\.(\d+))?)(万|亿)?(?: [A-Z]{3})?", text)
    assert m, text
    number = Decimal(m.group(2).replace(",", ""))
    scale = {"万": Decimal(10_000), "亿": Decimal(100_000_000), None: Decimal(1)}[m.group(4)]
    digits = len(m.group(3) or "")
    half = Decimal(1).scaleb(-digits) * scale / 2
    return (-number if m.group(1) else number) * scale, half


amounts = st.decimals(
    min_value=Decimal("-1e13"),
    max_value=Decimal("1e13"),
    places=3,
    allow_nan=False,
    allow_infinity=False,
)
languages = st.sampled_from(["zh", "en"])
currencies = st.sampled_from(["CNY", "JPY", "KRW", "USD", None])


@given(amounts, currencies, languages, st.booleans())
def test_text_reads_back_within_half_a_printed_unit(amount, currency, lang, compact):
    text = format_money(amount, currency, lang, compact)
    value, half = _parse(text)
    assert abs(value - amount) <= half + Decimal(1).scaleb(-minor_units(currency)) / 2


@given(amounts, currencies, languages)
def test_sign_follows_the_rounded_value(amount, currency, lang):
    text = format_money(amount, currency, lang, code=False)
    rounded = round_money(amount, currency)
    assert text.startswith("-") == (rounded < 0)
    assert not re.match(r"-0(\.0*)?(万|亿)?$", text)


@given(amounts, currencies)
def test_chinese_never_shows_ten_thousand_wan(amount, currency):
    text = format_money(amount, currency, "zh", code=False)
    number = Decimal(re.sub(r"[^\d.]", "", text))
    if text.endswith("万"):
        assert Decimal(1) <= number < Decimal(10_000)
    elif text.endswith("亿"):
        assert number >= 1
    else:
        assert number < Decimal(10_000)


def test_signed_changes():
    from reviewdesk.money import format_signed

    assert format_signed(Decimal("1234.5"), "JPY", "en") == "+1,235"
    assert format_signed(Decimal("-0.2"), "JPY", "en") == "0"
    assert format_signed(Decimal("-56000"), "CNY", "zh", compact=True) == "-5.60万"


@pytest.mark.parametrize(
    ("amount", "currency", "places", "liability", "expected"),
    [
        ("100.00", "CNY", None, False, 1),
        ("-0.003", "CNY", None, False, 0),  # printed "0.00": not red
        ("0", "CNY", None, False, 0),  # a change of nothing is not green
        ("-0.6", "JPY", None, False, -1),  # printed "-1"
        ("-0.4", "JPY", None, False, 0),  # printed "0"
        ("-500", "USD", None, True, 1),  # a loan that shrinks is good news
        ("500", "USD", None, True, -1),
        ("0.00004", None, 4, False, 0),  # a return printed "0.00%"
        ("0.00005", None, 4, False, 1),  # printed "0.01%"
        (None, "CNY", None, False, 0),  # not known
    ],
)
def test_news_is_the_sign_of_the_amount_as_printed(amount, currency, places, liability, expected):
    from reviewdesk.money import news

    value = None if amount is None else Decimal(amount)
    assert news(value, currency, places=places, liability=liability) == expected
