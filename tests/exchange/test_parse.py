"""Cell parsers: the forms managers type, and nothing but CellError for anything else."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewdesk.book.enums import AssetClass, Channel, ClientRiskLevel, PolicyKind, Tier
from reviewdesk.exchange import schema
from reviewdesk.exchange.parse import (
    CellError,
    float_to_decimal,
    parse_amount,
    parse_code,
    parse_currency,
    parse_date,
    parse_integer,
    parse_tags,
    parse_text,
    parse_yes_no,
)

# Whatever openpyxl or the csv module can hand over for a cell, and then some.
cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.binary(),
    st.lists(st.integers(), max_size=2),
    st.text(alphabet="0123456789,.-+万亿¥$元 年月日/()e", max_size=16),
)

PARSERS = [
    parse_amount,
    parse_date,
    parse_text,
    parse_code,
    parse_integer,
    parse_tags,
    parse_currency,
    parse_yes_no,
] + [c.parser for s in schema.SHEETS for c in s.columns if c.kind == "enum"]


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: getattr(p, "__qualname__", "enum"))
@settings(max_examples=300, deadline=None)
@given(value=cells)
def test_any_cell_gives_a_value_or_a_cell_error(parser, value):
    try:
        result = parser(value)
    except CellError as exc:
        assert exc.reason
        return
    if parser is parse_amount and result is not None:
        assert isinstance(result, Decimal) and result.is_finite()
    if parser is parse_date and result is not None:
        assert type(result) is dt.date


@settings(max_examples=500, deadline=None)
@given(
    st.decimals(
        min_value=Decimal("-99999999999.9999"),
        max_value=Decimal("99999999999.9999"),
        places=4,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_an_amount_typed_in_excel_reads_back_exactly(amount):
    # Excel keeps 15 significant digits of what was typed, as a double; reading it back
    # gives the typed decimal.
    assert parse_amount(float(str(amount))) == amount


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=Decimal("1e12"), places=2, allow_nan=False))
def test_amount_text_with_thousands_separators(amount):
    assert parse_amount(f"{amount:,.2f}") == amount
    assert parse_amount(f"¥{amount:,.2f}") == amount


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,234.50", "1234.50"),
        ("¥1,234.50", "1234.50"),
        ("￥1,234.50", "1234.50"),
        ("HK$ 2,000", "2000"),
        ("12.5万", "125000"),
        ("1.2亿", "120000000"),
        ("3万元", "30000"),
        ("-1,000", "-1000"),
        ("(1,000.00)", "-1000.00"),
        ("１２３４", "1234"),
        (" 42 ", "42"),
        ("USD 1,000.25", "1000.25"),
        ("1e3", "1000"),
        ("0.1", "0.1"),
    ],
)
def test_amount_forms(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    ["1,5", "12,34.5", "abc", "1.2.3", "万", "¥", "--5", "1e400", "12.5万万", "NaN", "Infinity"],
)
def test_amount_refusals(text):
    with pytest.raises(CellError):
        parse_amount(text)


def test_floats_keep_what_excel_shows():
    assert float_to_decimal(0.1) == Decimal("0.1")
    assert float_to_decimal(0.1 + 0.2) == Decimal("0.3")
    assert float_to_decimal(123456.78) == Decimal("123456.78")
    assert float_to_decimal(1e15) == Decimal("1000000000000000")
    assert str(float_to_decimal(7.1)) == "7.1"
    with pytest.raises(CellError):
        float_to_decimal(float("nan"))


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2026, 3, 31),
        dt.datetime(2026, 3, 31, 0, 0),
        "2026-03-31",
        "2026/3/31",
        "2026.03.31",
        "2026年3月31日",
        "2026 年 3 月 31 日",
        "２０２６年３月３１日",
        "20260331",
        20260331,
        20260331.0,
        dt.datetime(2026, 3, 31, 0, 0),
        "2026-03-31 00:00:00",
    ],
)
def test_date_forms(value):
    assert parse_date(value) == dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    "value",
    [
        "2026-02-30",
        "31/03/2026",
        "March 31",
        "2026-13-01",
        "2026年13月1日",
        1.5,
        True,
        "yesterday",
        # A number is not counted as days from 1900 (a date cell comes as a date).
        46112,
        2026,
        45,
        2026.0,
        Decimal(2026),
        dt.date(1905, 7, 18),
    ],
)
def test_date_refusals(value):
    with pytest.raises(CellError):
        parse_date(value)


def test_tags_split_on_all_three_separators():
    assert parse_tags("有子女;喜欢新发基金；退休规划、有子女") == [
        "有子女",
        "喜欢新发基金",
        "退休规划",
    ]
    assert parse_tags(" ; ") == []
    assert parse_tags(None) is None


@pytest.mark.parametrize(
    "column, text, member",
    [
        (schema.CLIENTS.by_key["tier"], "重要", Tier.KEY),
        (schema.CLIENTS.by_key["tier"], "Standard", Tier.STANDARD),
        (schema.HOLDINGS.by_key["asset_class"], "理财产品", AssetClass.WEALTH_PRODUCT),
        (schema.HOLDINGS.by_key["asset_class"], "保险", AssetClass.INSURANCE),
        (schema.HOLDINGS.by_key["asset_class"], "wealth_product", AssetClass.WEALTH_PRODUCT),
        (schema.INSURANCE.by_key["policy_type"], "重疾险", PolicyKind.CRITICAL_ILLNESS),
        (schema.INSURANCE.by_key["policy_type"], "critical_illness", PolicyKind.CRITICAL_ILLNESS),
        (schema.CONTACTS.by_key["channel"], "T", Channel.PHONE),
        (schema.CONTACTS.by_key["channel"], "meeting", Channel.MEETING),
        (schema.CONTACTS.by_key["channel"], "面谈", Channel.MEETING),
        (schema.RISK.by_key["level"], "c3", ClientRiskLevel.C3),
        (schema.RISK.by_key["level"], "平衡型", ClientRiskLevel.C3),
    ],
)
def test_enumerations_in_english_or_chinese(column, text, member):
    assert column.parser(text) is member


def test_an_unknown_enumeration_value_names_the_allowed_ones():
    with pytest.raises(CellError, match="R1, R2, R3, R4, R5"):
        schema.HOLDINGS.by_key["risk_level"].parser("R7")


def test_text_columns_keep_digits_of_numbers():
    assert parse_text(13800138000) == "13800138000"
    assert parse_text(5827.0) == "5827"
    assert parse_code(1001) == "1001"
    assert parse_integer("20") == 20
    with pytest.raises(CellError):
        parse_integer(2.5)
    assert parse_currency("usd") == "USD"
    assert parse_currency("人民币") == "CNY"
