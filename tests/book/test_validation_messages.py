"""A refusal is translated when shown: the Chinese reads wholly Chinese (the values and
codes it quotes aside), the English is the book's line as it always was."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from reviewdesk.book import validation as v
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Holding
from reviewdesk.i18n import set_language
from reviewdesk.money import CURRENCIES
from reviewdesk.settings import OPTIONS, save_setting
from tests import factories as f

FUTURE = dt.date.today() + dt.timedelta(days=400)


def english_left(text: str, *quoted: object) -> list[str]:
    """The ASCII words of `text` once the values and codes it quotes are taken out."""
    for item in sorted((str(q) for q in quoted), key=len, reverse=True):
        text = text.replace(item, "")
    return re.findall(r"[A-Za-z]+", text)


# (rule, English reason as the book has always written it, Chinese reason, quoted codes)
RULES = [
    (lambda: v.required("Client", "name", " "), "is required", "为必填项", ()),
    (lambda: v.required_text("Client", "name", 5), "must be text", "必须是文字", ()),
    (
        lambda: v.non_negative("Holding", "market_value", 1.5),
        "amounts must be exact decimals, not floats",
        "金额必须是精确的小数",
        (),
    ),
    (lambda: v.non_negative("Holding", "market_value", "abc"), "is not a number", "不是数字", ()),
    (
        lambda: v.non_negative("Holding", "market_value", "1.23456"),
        "has more than 4 decimal places",
        "小数位超过 4 位",
        (),
    ),
    (
        lambda: v.positive("Exchange rate", "rate", "1.00000000001", places=10),
        "has more than 10 decimal places",
        "小数位超过 10 位",
        (),
    ),
    (lambda: v.non_negative("Holding", "market_value", "1e15"), "is too large", "数值过大", ()),
    (
        lambda: v.non_negative("Holding", "market_value", "-5"),
        "must not be negative",
        "不能为负数",
        (),
    ),
    (
        lambda: v.positive("Exchange rate", "rate", "0", places=10),
        "must be greater than zero",
        "必须大于零",
        (),
    ),
    (
        lambda: v.currency("Holding", "currency", "XYZ"),
        "is not a known currency (" + ", ".join(CURRENCIES) + ")",
        "不是已知币种（" + "、".join(CURRENCIES) + "）",
        CURRENCIES,
    ),
    (lambda: v.currency("Holding", "currency", None), "is required", "为必填项", ()),
    (lambda: v.flag("Contact", "shared", "yes"), "must be yes or no", "只能是“是”或“否”", ()),
    (lambda: v.date("Contact", "next_step_due", "tomorrow"), "is not a date", "不是日期", ()),
    (
        lambda: v.past_date("Snapshot", "review_date", FUTURE),
        "is in the future",
        "不能是将来的日期",
        (),
    ),
    (
        lambda: v.int_range("Client", "contact_cadence_days", "7", 1, 366),
        "must be a whole number",
        "必须是整数",
        (),
    ),
    (
        lambda: v.int_range("Client", "contact_cadence_days", 400, 1, 366),
        "must be between 1 and 366",
        "必须在 1 到 366 之间",
        (),
    ),
    (
        lambda: v.email("Client", "email", "nope"),
        "is not an email address",
        "不是有效的电子邮件地址",
        (),
    ),
    (
        lambda: OPTIONS["paper_size"].parse("b5"),
        "must be one of a4, letter",
        "必须是以下之一：a4、letter",
        ("a4", "letter"),
    ),
    (
        lambda: OPTIONS["maturity_window_days"].parse("ninety"),
        "must be a whole number",
        "必须是整数",
        (),
    ),
    (lambda: OPTIONS["maturity_window_days"].parse("0"), "must be at least 1", "不能小于 1", ()),
    (
        lambda: OPTIONS["life_cover_income_multiple"].parse("51"),
        "must be at most 50",
        "不能大于 50",
        (),
    ),
    (
        lambda: OPTIONS["premium_income_share"].parse("2"),
        "must be a percentage from 0% to 100%, such as 10%",
        "须为 0% 至 100% 之间的百分比，如 10%",
        (),
    ),
    (
        lambda: OPTIONS["life_cover_includes_debt"].parse("perhaps"),
        "must be yes or no",
        "只能是“是”或“否”",
        (),
    ),
]


def refusal(rule) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        rule()
    return caught.value


@pytest.mark.parametrize(("rule", "en", "zh", "codes"), RULES)
def test_each_rule_reads_wholly_chinese_in_chinese_and_as_before_in_english(rule, en, zh, codes):
    exc = refusal(rule)
    assert exc.reason_in("zh") == zh
    assert english_left(exc.reason_in("zh"), *codes) == []
    assert exc.reason_in("en") == exc.reason == en
    line = exc.message("zh")
    assert zh in line and english_left(line, exc.value, *codes) == [], line
    assert str(exc) == exc.message("en")
    assert str(exc).startswith(f"{exc.record} {exc.field} = ") and str(exc).endswith(f": {en}")


def test_the_english_line_is_the_books_line_whatever_the_interface_language():
    set_language("zh")
    try:
        exc = refusal(lambda: v.non_negative("Holding", "market_value", "1.23456"))
        assert str(exc) == "Holding market_value = '1.23456': has more than 4 decimal places"
        assert exc.message() == "市值“1.23456”：小数位超过 4 位"  # the interface language
        assert exc.reason_in() == "小数位超过 4 位"
    finally:
        set_language("en")
    assert exc.message() == str(exc)


def test_the_chinese_line_names_the_field_by_its_label():
    exc = refusal(lambda: v.non_negative("Holding", "market_value", "1.23456"))
    assert exc.message("zh") == "市值“1.23456”：小数位超过 4 位"
    assert exc.refusal("en") == "Market value “1.23456”: has more than 4 decimal places"
    assert exc.refusal("zh", field="金额") == "金额“1.23456”：小数位超过 4 位"
    empty = refusal(lambda: v.currency("Holding", "currency", None))
    assert empty.message("zh") == "币种：为必填项"
    setting = refusal(lambda: OPTIONS["paper_size"].parse("b5"))
    assert setting.message("zh") == "纸张大小“b5”：必须是以下之一：a4、letter"


def test_an_empty_choice_is_named_in_the_language():
    exc = refusal(lambda: OPTIONS["medical_cover_minimum_currency"].parse("XYZ"))
    assert exc.reason_in("zh").startswith("必须是以下之一：（空）、CNY、")
    assert exc.reason.startswith("must be one of (empty), CNY, ")


def test_a_refusal_of_the_book_reads_chinese(book):
    """Through the book: a five-decimal market value refused as the model's value is set,
    a policy ending before it starts refused at the flush."""
    with book.session() as s:
        s.add(f.client("C1", "张伟", snapshots=[f.snapshot(dt.date(2026, 3, 31), f.holding())]))
    with pytest.raises(ValidationError) as caught:
        with book.session() as s:
            s.scalar(select(Holding)).market_value = Decimal("1.23456")
    exc = caught.value
    assert (exc.record, exc.field, exc.value) == ("Holding", "market_value", Decimal("1.23456"))
    assert exc.message_id == "has more than {places} decimal places"
    assert exc.params == {"places": 4}
    assert str(exc) == "Holding market_value = 1.23456: has more than 4 decimal places"
    assert exc.message("zh") == "市值“1.23456”：小数位超过 4 位"

    from reviewdesk.book.enums import PolicyKind
    from reviewdesk.book.models import InsurancePolicy

    with pytest.raises(ValidationError) as caught:
        with book.session() as s:
            client = f.client("C2", "李娜")
            client.policies.append(
                InsurancePolicy(
                    kind=PolicyKind.LIFE,
                    sum_assured=Decimal(1_000_000),
                    start_date=dt.date(2026, 1, 1),
                    end_date=dt.date(2025, 1, 1),
                )
            )
            s.add(client)
    assert caught.value.message("zh") == "终止日“2025-01-01”：早于生效日"
    assert str(caught.value) == "Insurance policy end_date = 2025-01-01: is before the start date"


def test_a_setting_refused_by_its_check_is_named_by_its_label(book, tmp_path):
    from reviewdesk.pack.logo import SETTING_CHECKS

    with pytest.raises(ValidationError) as caught:
        with book.session() as s:
            save_setting(s, "bank_logo", str(tmp_path / "missing.png"), SETTING_CHECKS)
    exc = caught.value
    assert exc.message("zh").startswith("银行标志（图片文件）“") and exc.message("zh").endswith(
        "”：文件不存在"
    )
    assert str(exc).endswith(": no such file")
    with pytest.raises(ValidationError) as caught:
        with book.session() as s:
            save_setting(s, "no_such_setting", "x")
    assert caught.value.message("zh") == "设置项“no_such_setting”：不是已知的设置项"
