from decimal import Decimal

import pytest

from reviewdesk.money import format_money, format_percent, to_decimal


@pytest.mark.parametrize("amount, text", [
    ("1234.5", "1,234.50 CNY"),
    ("9999.99", "9,999.99 CNY"),
    ("10000", "1.00万 CNY"),
    ("1234567.89", "123.46万 CNY"),
    ("123456789", "1.23亿 CNY"),
    ("-56000", "-5.60万 CNY"),
])
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
