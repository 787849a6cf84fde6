"""An import's problems read in the interface language: the book's reasons are translated
with their values filled in, columns are named as the sheet names them."""

from __future__ import annotations

import re

import pytest

from reviewdesk.exchange import schema
from reviewdesk.exchange.importer import import_files
from reviewdesk.i18n import set_language
from reviewdesk.money import CURRENCIES
from tests.exchange import workbooks as wbs


@pytest.fixture
def chinese():
    set_language("zh")
    yield
    set_language("en")


def workbook(path, lang: str):
    """A 5-decimal market value, a contact interval out of range and an unknown currency."""
    zh = lang == "zh"
    return wbs.write(
        path,
        {
            schema.CLIENTS.name(lang): [
                wbs.header(schema.CLIENTS, lang, ["client_id", "name", "contact_cadence_days"]),
                ["K001", "王建国", 400],
            ],
            schema.HOLDINGS.name(lang): [
                wbs.header(schema.HOLDINGS, lang, wbs.HOLDING_KEYS),
                [
                    "K001",
                    "2026-03-31",
                    "基金" if zh else "fund",
                    "易方达蓝筹",
                    None,
                    None,
                    "CNY",
                    "1.23456",
                    None,
                    None,
                    None,
                    "R4",
                ],
                [
                    "K001",
                    "2026-03-31",
                    "存款" if zh else "deposit",
                    "定期存款",
                    None,
                    None,
                    "XYZ",
                    1000,
                    None,
                    None,
                    None,
                    "R1",
                ],
            ],
        },
    )


def test_a_chinese_report_reads_wholly_chinese(book, tmp_path, chinese):
    report = import_files(book, [workbook(tmp_path / "客户资料.xlsx", "zh")])
    assert not report.applied
    lines = [p.message() for p in report.problems]
    assert lines == [
        "客户 第 2 行，联络间隔天数：400 必须在 1 到 366 之间",
        "资产 第 2 行，市值：1.23456 小数位超过 4 位",
        "资产 第 3 行，币种：XYZ 不是已知币种（" + "、".join(CURRENCIES) + "）",
    ]
    text = "\n".join([*lines, report.problems_line()])
    for quoted in ("XYZ", *CURRENCIES):
        text = text.replace(quoted, "")
    assert re.findall(r"[A-Za-z]+", text) == []


def test_an_english_report_is_as_before(book, tmp_path):
    report = import_files(book, [workbook(tmp_path / "clients.xlsx", "en")])
    assert [(p.sheet, p.row, p.column, p.reason) for p in report.problems] == [
        ("Clients", 2, "contact_cadence_days", "must be between 1 and 366"),
        ("Holdings", 2, "market_value", "has more than 4 decimal places"),
        ("Holdings", 3, "currency", f"is not a known currency ({', '.join(CURRENCIES)})"),
    ]
    assert report.problems[1].message() == (
        "Holdings row 2, market_value: 1.23456 has more than 4 decimal places"
    )


def test_a_chinese_sheet_in_an_english_interface_keeps_its_headers(book, tmp_path):
    report = import_files(book, [workbook(tmp_path / "客户资料.xlsx", "zh")])
    assert report.problems[1].message() == (
        "资产 row 2, 市值: 1.23456 has more than 4 decimal places"
    )
