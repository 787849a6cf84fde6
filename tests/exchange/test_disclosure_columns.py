"""The Contacts sheet says what the client may read; without the columns, nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from reviewdesk.book.models import Client, Contact
from reviewdesk.exchange import export_workbook, import_files, schema
from reviewdesk.exchange.template import write_template
from reviewdesk.i18n import set_language
from tests.exchange import workbooks as wbs
from tests.review.disclosure_book import NOTE, disclosure_book

NEW = ["shared", "next_step_shared", "next_step_due", "next_step_done"]


@pytest.fixture
def book(tmp_path):
    b = disclosure_book(tmp_path / "b.sqlite")
    yield b
    b.close()


def contacts(book) -> dict[str, tuple]:
    with book.session() as s:
        return {
            c.summary: (c.shared, c.next_step_shared, c.next_step_due, c.next_step_done)
            for c in s.scalars(select(Contact))
        }


def clients_sheet(lang):
    return [wbs.header(schema.CLIENTS, lang, ["client_id", "name"]), ["K1", "赵敏"]]


def test_a_sheet_without_the_new_columns_gives_internal_contacts(book, tmp_path):
    path = wbs.write(
        tmp_path / "old.xlsx",
        {
            "客户": clients_sheet("zh"),
            "联络记录": [
                wbs.header(schema.CONTACTS, "zh", wbs.CONTACT_KEYS),
                ["K1", "2026-06-12", "电话", NOTE, "申请费率优惠"],
                ["K1", "2026-06-10", "面谈", "回顾资产配置", "寄送方案"],
            ],
        },
    )
    report = import_files(book, [path])
    assert report.problems == [] and report.applied
    assert contacts(book) == {
        NOTE: (False, False, None, None),
        "回顾资产配置": (False, False, None, None),
    }


def test_the_columns_read_yes_and_no_in_either_language_and_blank_is_no(book, tmp_path):
    keys = wbs.CONTACT_KEYS + NEW
    path = wbs.write(
        tmp_path / "new.xlsx",
        {
            "客户": clients_sheet("zh"),
            "联络记录": [
                wbs.header(schema.CONTACTS, "zh", keys),
                ["K1", "2026-06-12", "电话", NOTE, "申请费率优惠", "否", None, None, None],
                ["K1", "2026-06-10", "面谈", "回顾", "寄送方案", "是", "是", "2026-07-10", None],
                [
                    "K1",
                    "2026-06-01",
                    "邮件",
                    "月度表",
                    "发说明书",
                    "yes",
                    True,
                    "2026年6月8日",
                    dt.date(2026, 6, 5),
                ],
                ["K1", "2026-05-02", "电话", "市场", "约面谈", 1, "TRUE", None, None],
                ["K1", "2026-05-01", "电话", "闲聊", None, "", None, None, None],
            ],
        },
    )
    report = import_files(book, [path])
    assert report.problems == [], report.problems
    assert contacts(book) == {
        NOTE: (False, False, None, None),
        "回顾": (True, True, dt.date(2026, 7, 10), None),
        "月度表": (True, True, dt.date(2026, 6, 8), dt.date(2026, 6, 5)),
        "市场": (True, True, None, None),
        "闲聊": (False, False, None, None),
    }
    # Read again with the columns gone: what the book says stays as it is.
    again = wbs.write(
        tmp_path / "again.xlsx",
        {
            "客户": clients_sheet("zh"),
            "联络记录": [
                wbs.header(schema.CONTACTS, "zh", wbs.CONTACT_KEYS),
                ["K1", "2026-06-10", "面谈", "回顾", "寄送方案"],
            ],
        },
    )
    report = import_files(book, [again])
    assert report.problems == [] and report.changed == 0
    assert contacts(book)["回顾"] == (True, True, dt.date(2026, 7, 10), None)


def test_wrong_values_are_refused_naming_the_column(book, tmp_path):
    set_language("en")
    keys = wbs.CONTACT_KEYS + NEW
    path = wbs.write(
        tmp_path / "bad.xlsx",
        {
            "Clients": clients_sheet("en"),
            "Contacts": [
                wbs.header(schema.CONTACTS, "en", keys),
                ["K1", "2026-06-12", "phone", "a", "b", "maybe", None, None, None],
                ["K1", "2026-06-11", "phone", "c", None, "no", "yes", None, None],
                ["K1", "2026-06-10", "phone", "d", "e", None, None, "soon", None],
            ],
        },
    )
    report = import_files(book, [path])
    assert not report.applied
    found = {(p.row, p.column): p.reason for p in report.problems}
    assert found == {
        (2, "shared"): "is not yes or no (yes/no, 是/否, 1/0)",
        (3, "next_step_shared"): "needs the next step itself",
        (4, "next_step_due"): "is not a date (e.g. 2026-03-31 or 2026年3月31日)",
    }
    with book.session() as s:
        assert s.scalar(select(Client)) is None  # nothing was imported


@pytest.mark.parametrize("lang, yes, no", [("zh", "是", "否"), ("en", "yes", "no")])
def test_exported_in_words_and_offered_in_the_template(book, tmp_path, lang, yes, no):
    from tests.review.disclosure_book import add_client

    add_client(book)
    path = tmp_path / "out.xlsx"
    with book.session() as s:
        export_workbook(s, path, lang=lang)
    wb = load_workbook(path, read_only=True)
    rows = list(wb[schema.CONTACTS.name(lang)].iter_rows(values_only=True))
    wb.close()
    header = rows[0]
    # The four after the others, then the record's id.
    assert [schema.CONTACTS.by_key[k].name(lang) for k in NEW] == list(header[-5:-1])
    at = [header.index(schema.CONTACTS.by_key[k].name(lang)) for k in ["summary", *NEW]]
    flags = {
        cells[0]: tuple(cells[1:])
        for cells in ([row[i] if i < len(row) else None for i in at] for row in rows[1:])
    }
    assert flags[NOTE][:2] == (no, no)
    assert flags["发送月度资产回顾表"][:2] == (yes, yes)
    assert flags["发送月度资产回顾表"][3].date() == dt.date(2026, 6, 5)
    template = write_template(tmp_path / "template.xlsx", lang)
    ws = load_workbook(template)[schema.CONTACTS.name(lang)]
    lists = [v.formula1 for v in ws.data_validations.dataValidation]
    assert f'"{yes},{no}"' in lists
