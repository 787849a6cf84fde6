"""Hand-made workbooks in the import format, as a manager would fill them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook, load_workbook

from reviewdesk.exchange import export_workbook, schema


def write(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def header(sheet: schema.Sheet, lang: str, keys: list[str]) -> list[str]:
    return [sheet.by_key[k].name(lang) for k in keys]


CLIENT_KEYS = [
    "client_id",
    "name",
    "phone",
    "email",
    "birthday",
    "annual_income",
    "marital_status",
    "tier",
    "review_cadence",
    "report_currency",
    "language",
    "tags",
    "notes",
]
FAMILY_KEYS = ["client_id", "name", "relation", "birthday", "school_or_employer"]
HOLDING_KEYS = [
    "client_id",
    "review_date",
    "asset_class",
    "product_name",
    "product_code",
    "institution",
    "currency",
    "market_value",
    "principal",
    "held_since",
    "maturity_date",
    "risk_level",
]
FX_KEYS = ["review_date", "from_currency", "to_currency", "rate"]
POLICY_KEYS = [
    "client_id",
    "insured",
    "policy_type",
    "insurer",
    "sum_assured",
    "annual_premium",
    "payment_years",
    "start_date",
    "end_date",
    "currency",
]
CONTACT_KEYS = ["client_id", "date", "channel", "summary", "next_step"]
RISK_KEYS = ["client_id", "assessed_on", "level", "score", "valid_until"]


def manager_workbook(path: Path, lang: str) -> Path:
    """Two clients as a manager keeps them: Chinese or English names and values."""
    zh = lang == "zh"
    march, june = "2026-03-31", "2026年6月30日" if zh else dt.date(2026, 6, 30)
    return write(
        path,
        {
            schema.CLIENTS.name(lang): [
                header(schema.CLIENTS, lang, CLIENT_KEYS),
                [
                    "K001",
                    "王建国",
                    13800138000,
                    "wang@example.com",
                    "1975年5月12日",
                    "120万",
                    "已婚" if zh else "married",
                    "重要" if zh else "key",
                    None,
                    "CNY",
                    "中文" if zh else "zh",
                    "企业主;有子女、喜欢新发基金",
                    "母亲也是本行客户",
                ],
                [
                    "K002",
                    "Emily Chan",
                    "+852 9123 4567",
                    None,
                    dt.date(1988, 1, 3),
                    "HK$1,200,000",
                    "未婚" if zh else "single",
                    "普通" if zh else "standard",
                    "月度" if zh else "monthly",
                    "HKD",
                    "英文" if zh else "en",
                    None,
                    None,
                ],
            ],
            schema.FAMILY.name(lang): [
                header(schema.FAMILY, lang, FAMILY_KEYS),
                ["K001", "李秀英", "配偶" if zh else "spouse", "1977-08-01", "实验中学"],
                ["K001", "王子涵", "儿子" if zh else "son", "2012-09-10", "外国语中学"],
            ],
            schema.HOLDINGS.name(lang): [
                header(schema.HOLDINGS, lang, HOLDING_KEYS),
                [
                    "K001",
                    march,
                    "基金" if zh else "fund",
                    "易方达蓝筹精选混合",
                    "005827",
                    "本行",
                    "CNY",
                    "12.5万",
                    100000,
                    "2025-01-15",
                    None,
                    "R4",
                ],
                [
                    "K001",
                    march,
                    "存款" if zh else "deposit",
                    "美元定期存款",
                    None,
                    "招商银行",
                    "USD",
                    "$20,000.00",
                    20000,
                    "2025-06-01",
                    "2027-06-01",
                    "R1",
                ],
                [
                    "K001",
                    june,
                    "基金" if zh else "fund",
                    "易方达蓝筹精选混合",
                    "005827",
                    None,
                    "CNY",
                    131000.5,
                    100000,
                    "2025-01-15",
                    None,
                    "R4",
                ],
                [
                    "K001",
                    june,
                    "贷款" if zh else "loan",
                    "住房按揭贷款",
                    None,
                    None,
                    "CNY",
                    "1.2亿",
                    None,
                    None,
                    "2045-01-01",
                    None,
                ],
                [
                    "K002",
                    june,
                    "股票" if zh else "stock",
                    "腾讯控股",
                    "00700",
                    None,
                    "HKD",
                    388000,
                    None,
                    "2024-03-01",
                    None,
                    "R5",
                ],
                [
                    "K002",
                    june,
                    "现金" if zh else "cash",
                    "USD cash",
                    None,
                    "this bank",
                    "USD",
                    0.1,
                    None,
                    None,
                    None,
                    "R1",
                ],
            ],
            schema.FX.name(lang): [
                header(schema.FX, lang, FX_KEYS),
                ["2026-03-31", "USD", "CNY", 7.1],
                ["2026-06-30", "USD", "HKD", "7.80"],
            ],
            schema.INSURANCE.name(lang): [
                header(schema.INSURANCE, lang, POLICY_KEYS),
                [
                    "K001",
                    "王建国",
                    "重疾险" if zh else "critical_illness",
                    "中国平安",
                    "50万",
                    "8,600",
                    20,
                    "2020-03-01",
                    "2060-03-01",
                    "CNY",
                ],
                [
                    "K001",
                    "王子涵",
                    "医疗险" if zh else "medical",
                    "友邦保险",
                    2000000,
                    1200,
                    1,
                    "2025-01-01",
                    "2026-01-01",
                    None,
                ],
            ],
            schema.CONTACTS.name(lang): [
                header(schema.CONTACTS, lang, CONTACT_KEYS),
                ["K001", "2026-06-20", "M", "面谈回顾资产配置", "准备重疾险方案"],
                ["K002", "2026-07-02", "电话" if zh else "phone", "Call about HKD deposit", None],
            ],
            schema.RISK.name(lang): [
                header(schema.RISK, lang, RISK_KEYS),
                ["K001", "2026-01-10", "C4", 72, None],
                ["K002", "2025-12-01", "平衡型" if zh else "C3", None, "2026-12-01"],
            ],
        },
    )


def narrowed(book, path: Path, sheet_title: str, dropped, edit=None) -> Path:
    """The book's own export with the `dropped` columns of one sheet deleted, as a workbook
    made without them; `edit` gets the sheet and its header to change cells."""
    with book.session() as s:
        export_workbook(s, path, lang="en")
    wb = load_workbook(path)
    sheet = wb[sheet_title]
    header = [cell.value for cell in sheet[1]]
    for column in sorted((i + 1 for i, name in enumerate(header) if name in dropped), reverse=True):
        sheet.delete_cols(column)
    if edit is not None:
        edit(sheet, [cell.value for cell in sheet[1]])
    wb.save(path)
    return path
