"""The income currency (收入币种) in the workbook: optional, blank = report currency, exact."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from reviewdesk.book.db import open_book
from reviewdesk.book.enums import Relation
from reviewdesk.book.models import FamilyMember
from reviewdesk.exchange import export_workbook, import_files, schema, write_template
from tests import factories as f
from tests.exchange.content import book_content
from tests.exchange.test_template import fill

PASSPHRASE = "correct horse battery"


@pytest.fixture
def ebook(tmp_path):
    b = open_book(str(tmp_path / "b.sqlite"), passphrase=PASSPHRASE)
    with b.session() as s:
        amy = f.client(
            "U1",
            "Amy Lee",
            report_currency="USD",
            annual_income=D("720000.50"),
            income_currency="CNY",
        )
        amy.family = [
            FamilyMember(
                name="David Lee",
                relation=Relation.SPOUSE,
                annual_income=D(90_000),
                income_currency="HKD",
            ),
            FamilyMember(name="Tom Lee", relation=Relation.SON, annual_income=D(1_000)),
        ]
        zhang = f.client("C1", "张伟", annual_income=D(500_000))  # no currency: report's
        s.add_all([amy, zhang])
    yield b
    b.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_income_currencies_round_trip_exactly(ebook, tmp_path, lang):
    path = tmp_path / f"book-{lang}.xlsx"
    with ebook.session() as s:
        export_workbook(s, path, lang=lang)
    wb = load_workbook(path, read_only=True)
    header = "收入币种" if lang == "zh" else "income_currency"
    for sheet in (schema.CLIENTS, schema.FAMILY):
        rows = list(wb[sheet.name(lang)].iter_rows(values_only=True))
        at = rows[0].index(header)
        values = {row[1]: row[at] if at < len(row) else None for row in rows[1:]}
        if sheet is schema.CLIENTS:
            assert values == {"Amy Lee": "CNY", "张伟": None}  # blank: the report currency
        else:
            assert values == {"David Lee": "HKD", "Tom Lee": None}
    wb.close()
    target = open_book(str(tmp_path / f"copy-{lang}.sqlite"), passphrase=PASSPHRASE)
    try:
        report = import_files(target, [path])
        assert report.problems == [] and report.applied
        assert book_content(target) == book_content(ebook)
        again = import_files(target, [path])
        assert again.applied and again.changed == 0
    finally:
        target.close()


def test_a_blank_income_currency_sets_the_report_currency_back(ebook, tmp_path):
    path = write_template(tmp_path / "t.xlsx", "zh")
    wb = load_workbook(path)
    fill(
        wb["客户"],
        schema.CLIENTS,
        "zh",
        [{"client_id": "U1", "name": "Amy Lee", "annual_income": "72万", "income_currency": ""}],
    )
    fill(
        wb["家庭成员"],
        schema.FAMILY,
        "zh",
        [{"client_id": "U1", "name": "Tom Lee", "relation": "儿子", "income_currency": "美元"}],
    )
    wb.save(path)
    report = import_files(ebook, [path])
    assert report.problems == [] and report.applied
    with ebook.session() as s:
        from reviewdesk.book.queries import find_client

        amy = find_client(s, "U1")
        assert amy.income_currency is None and amy.annual_income == D(720_000)
        members = {m.name: m.income_currency for m in amy.family}
        assert members == {"David Lee": "HKD", "Tom Lee": "USD"}


@pytest.mark.parametrize("sheet", [schema.CLIENTS, schema.FAMILY])
def test_a_bad_income_currency_is_refused_naming_the_column_and_value(ebook, tmp_path, sheet):
    path = write_template(tmp_path / "bad.xlsx", "zh")
    wb = load_workbook(path)
    if sheet is schema.CLIENTS:
        fill(
            wb["客户"],
            schema.CLIENTS,
            "zh",
            [
                {
                    "client_id": "N1",
                    "name": "新客户",
                    "annual_income": "30万",
                    "income_currency": "比特币",
                }
            ],
        )
    else:
        fill(
            wb["家庭成员"],
            schema.FAMILY,
            "zh",
            [{"client_id": "U1", "name": "Tom Lee", "relation": "儿子", "income_currency": "XYZ"}],
        )
    wb.save(path)
    before = book_content(ebook)
    report = import_files(ebook, [path])
    assert not report.applied
    [problem] = report.problems
    assert problem.sheet == sheet.zh and problem.column == "收入币种"
    assert problem.value in ("比特币", "XYZ") and problem.row == 2
    assert "currency" in problem.reason or "币种" in problem.reason
    assert book_content(ebook) == before
