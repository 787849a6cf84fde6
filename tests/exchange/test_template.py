"""The template: comments and drop-downs per column; filled by hand, it imports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from reviewdesk.book.enums import Cadence, Language, Tier
from reviewdesk.book.models import Client
from reviewdesk.exchange import import_files, schema, write_template
from reviewdesk.review.client_list import list_clients


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_header_has_a_comment_and_enumerations_have_lists(tmp_path, lang):
    path = write_template(tmp_path / "t.xlsx", lang)
    wb = load_workbook(path)
    assert wb.sheetnames == [s.name(lang) for s in schema.SHEETS]
    for sheet in schema.SHEETS:
        ws = wb[sheet.name(lang)]
        headers = [c.value for c in ws[1]]
        assert headers == [c.name(lang) for c in sheet.columns]
        assert ws.max_row == 1 or all(
            v is None for row in ws.iter_rows(min_row=2, values_only=True) for v in row
        )
        lists = {
            str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation
        }
        for index, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=1, column=index)
            assert cell.comment is not None and column.help
            text = cell.comment.text
            assert ("必填" if lang == "zh" else "Required") in text or not column.required
            if column.kind == "enum":
                allowed = schema.allowed_texts(column, lang)
                assert all(a in text for a in allowed)
                assert lists[f"{cell.column_letter}2"] == '"' + ",".join(allowed) + '"'
    zh_tiers = schema.allowed_texts(schema.CLIENTS.by_key["tier"], "zh")
    assert zh_tiers == ["重要", "普通"]


def fill(ws, sheet: schema.Sheet, lang: str, rows: list[dict]) -> None:
    """Type values under the template's headers, as a user would."""
    positions = {sheet.match_column(c.value).key: c.column for c in ws[1]}
    for r, values in enumerate(rows, start=2):
        for key, value in values.items():
            ws.cell(row=r, column=positions[key], value=value)


def test_a_template_filled_by_hand_with_three_clients_imports(book, tmp_path):
    path = write_template(tmp_path / "mine.xlsx", "zh")
    wb = load_workbook(path)
    fill(
        wb["客户"],
        schema.CLIENTS,
        "zh",
        [
            {
                "client_id": "A001",
                "name": "陈静",
                "phone": "13912345678",
                "tier": "重要",
                "report_currency": "CNY",
                "language": "中文",
                "annual_income": "80万",
                "marital_status": "已婚",
                "tags": "有子女；关注教育金",
            },
            {"client_id": "A002", "name": "周明", "tier": "普通", "birthday": dt.date(1980, 2, 3)},
            {
                "client_id": "A003",
                "name": "Grace Lim",
                "report_currency": "USD",
                "language": "英文",
                "review_cadence": "月度",
                "email": "grace@example.com",
            },
        ],
    )
    fill(
        wb["家庭成员"],
        schema.FAMILY,
        "zh",
        [
            {"client_id": "A001", "name": "林涛", "relation": "配偶", "birthday": "1979年5月1日"},
        ],
    )
    fill(
        wb["资产"],
        schema.HOLDINGS,
        "zh",
        [
            {
                "client_id": "A001",
                "review_date": dt.date(2026, 3, 31),
                "asset_class": "基金",
                "product_name": "华夏纯债债券A",
                "currency": "CNY",
                "market_value": 350000.5,
                "risk_level": "R2",
                "institution": "本行",
            },
            {
                "client_id": "A001",
                "review_date": dt.date(2026, 3, 31),
                "asset_class": "存款",
                "product_name": "美元定期存款",
                "currency": "USD",
                "market_value": 10000,
                "institution": "汇丰银行",
                "maturity_date": dt.date(2027, 3, 31),
            },
            {
                "client_id": "A002",
                "review_date": "2026-06-30",
                "asset_class": "理财产品",
                "product_name": "稳享固收增强 180天",
                "currency": "CNY",
                "market_value": "20万",
            },
            {
                "client_id": "A003",
                "review_date": "2026-06-30",
                "asset_class": "股票",
                "product_name": "Apple Inc.",
                "currency": "USD",
                "market_value": 25000.75,
                "risk_level": "R5",
                "institution": "Interactive Brokers",
            },
        ],
    )
    fill(
        wb["汇率"],
        schema.FX,
        "zh",
        [
            {
                "review_date": dt.date(2026, 3, 31),
                "from_currency": "USD",
                "to_currency": "CNY",
                "rate": 7.1,
            },
        ],
    )
    fill(
        wb["保险"],
        schema.INSURANCE,
        "zh",
        [
            {
                "client_id": "A001",
                "insured": "林涛",
                "policy_type": "重疾险",
                "sum_assured": "50万",
                "annual_premium": 9800,
                "start_date": "2024-01-01",
            },
        ],
    )
    fill(
        wb["联络记录"],
        schema.CONTACTS,
        "zh",
        [
            {"client_id": "A002", "date": "2026年7月1日", "channel": "电话", "summary": "约面谈"},
        ],
    )
    fill(
        wb["风险测评"],
        schema.RISK,
        "zh",
        [
            {"client_id": "A001", "assessed_on": "2026-01-15", "level": "C3", "score": 52},
        ],
    )
    wb.save(path)

    report = import_files(book, [path])
    assert report.problems == [], [p.message() for p in report.problems]
    assert report.counts["客户"].added == 3
    with book.session() as s:
        chen, zhou, grace = s.scalars(select(Client).order_by(Client.code))
        assert chen.tier is Tier.KEY and chen.language is Language.ZH
        assert chen.annual_income == Decimal("800000")
        assert zhou.tier is Tier.STANDARD and zhou.report_currency == "CNY"
        assert grace.report_currency == "USD" and grace.review_cadence is Cadence.MONTHLY
        assert chen.policies[0].insured_member.name == "林涛"
        summaries = {c.code: c for c in list_clients(s, dt.date(2026, 8, 1))}
    assert summaries["A001"].total_assets == Decimal("350000.5") + Decimal("71000")
    assert summaries["A002"].total_assets == Decimal("200000")
    assert summaries["A003"].total_assets == Decimal("25000.75")
    assert not any(c.missing_rates for c in summaries.values())
