"""Importing managers' workbooks: both languages, CSV, mistakes reported all at once."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from reviewdesk.book.enums import AssetClass, Cadence, Channel, Language, PolicyKind, Tier
from reviewdesk.book.models import Client, Holding, Snapshot
from reviewdesk.book.queries import load_client_history
from reviewdesk.exchange import import_files, schema
from reviewdesk.review.cadence import review_cadence
from reviewdesk.settings import Settings
from tests.exchange import workbooks as wbs
from tests.exchange.content import book_content


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_managers_workbook_imports_in_either_language(book, tmp_path, lang):
    path = wbs.manager_workbook(tmp_path / f"{lang}.xlsx", lang)
    report = import_files(book, [path])
    assert report.problems == []
    assert report.applied
    assert report.warnings == []
    with book.session() as s:
        wang = s.scalar(select(Client).where(Client.code == "K001"))
        wang = load_client_history(s, wang.id)
        assert wang.name == "王建国"
        assert wang.phone == "13800138000"
        assert wang.birthday == dt.date(1975, 5, 12)
        assert wang.annual_income == Decimal("1200000")
        assert wang.tier is Tier.KEY and wang.review_cadence is None
        assert review_cadence(wang.tier, wang.review_cadence, Settings()) is Cadence.MONTHLY
        assert wang.language is Language.ZH
        assert sorted(wang.tag_names) == sorted(["企业主", "有子女", "喜欢新发基金"])
        assert wang.special_notes == "母亲也是本行客户"
        assert [m.name for m in wang.family] == ["李秀英", "王子涵"]
        march, june = wang.snapshots
        assert march.review_date == dt.date(2026, 3, 31)
        assert {h.product_name: h.market_value for h in march.holdings} == {
            "易方达蓝筹精选混合": Decimal("125000"),
            "美元定期存款": Decimal("20000"),
        }
        assert march.rate("USD", "CNY") == Decimal("7.1")
        fund = next(h for h in march.holdings if h.asset_class is AssetClass.FUND)
        assert fund.at_this_bank
        assert next(h for h in march.holdings if h.currency == "USD").institution == "招商银行"
        assert {h.market_value for h in june.holdings} == {
            Decimal("131000.5"),
            Decimal("120000000"),
        }
        ci, medical = wang.policies
        assert ci.kind is PolicyKind.CRITICAL_ILLNESS and ci.insured_member is None
        assert ci.sum_assured == Decimal("500000") and ci.annual_premium == Decimal("8600")
        assert medical.insured_member.name == "王子涵"
        assert wang.contacts[0].channel is Channel.MEETING
        assert wang.assessments[0].valid_until == dt.date(2027, 1, 10)

        emily = s.scalar(select(Client).where(Client.code == "K002"))
        assert emily.report_currency == "HKD" and emily.language is Language.EN
        assert emily.annual_income == Decimal("1200000")
        cash = s.scalar(select(Holding).where(Holding.product_name == "USD cash"))
        assert cash.market_value == Decimal("0.1") and cash.at_this_bank
        assert cash.snapshot.rate("USD", "HKD") == Decimal("7.80")


def test_the_same_workbook_twice_changes_nothing_the_second_time(book, tmp_path):
    path = wbs.manager_workbook(tmp_path / "zh.xlsx", "zh")
    assert import_files(book, [path]).applied
    before = book_content(book)
    with book.session() as s:
        stamps = {c.code: c.updated_at for c in s.scalars(select(Client))}
        holding_ids = sorted(s.scalars(select(Holding.id)))
    report = import_files(book, [path])
    assert report.problems == [] and report.changed == 0
    assert book_content(book) == before
    with book.session() as s:
        assert {c.code: c.updated_at for c in s.scalars(select(Client))} == stamps
        assert sorted(s.scalars(select(Holding.id))) == holding_ids  # not replaced


def test_a_changed_snapshot_is_replaced_and_a_changed_client_updated(book, tmp_path):
    wbs.manager_workbook(tmp_path / "a.xlsx", "en")
    assert import_files(book, [tmp_path / "a.xlsx"]).applied
    rows = [
        wbs.header(schema.HOLDINGS, "en", wbs.HOLDING_KEYS),
        [
            "K002",
            "2026-06-30",
            "stock",
            "腾讯控股",
            "00700",
            None,
            "HKD",
            400000,
            None,
            "2024-03-01",
            None,
            "R5",
        ],
    ]
    clients = [
        wbs.header(schema.CLIENTS, "en", ["client_id", "name", "phone"]),
        ["K002", "Emily Chan", "+852 9000 0000"],
    ]
    path = wbs.write(tmp_path / "b.xlsx", {"Holdings": rows, "Clients": clients})
    report = import_files(book, [path])
    assert report.problems == []
    assert report.counts["Holdings"].updated == 1
    assert report.counts["Clients"].updated == 1
    with book.session() as s:
        emily = s.scalar(select(Client).where(Client.code == "K002"))
        assert emily.phone == "+852 9000 0000"
        assert emily.tier is Tier.STANDARD  # column absent: kept
        (snap,) = emily.snapshots
        assert [h.market_value for h in snap.holdings] == [Decimal("400000")]
        assert snap.rate("USD", "HKD") == Decimal("7.80")  # rates kept


def test_csv_files_per_sheet(book, tmp_path):
    def write_csv(name, rows, encoding="utf-8-sig"):
        with (tmp_path / name).open("w", newline="", encoding=encoding) as fh:
            csv.writer(fh).writerows(rows)
        return tmp_path / name

    files = [
        write_csv(
            "客户.csv",
            [
                wbs.header(schema.CLIENTS, "zh", ["client_id", "name", "tier"]),
                ["K1", "张伟", "重要"],
            ],
        ),
        write_csv(
            "export-Holdings.csv",
            [
                wbs.header(schema.HOLDINGS, "en", wbs.HOLDING_KEYS),
                [
                    "K1",
                    "2026年3月31日",
                    "fund",
                    "华夏纯债债券A",
                    "000015",
                    "",
                    "CNY",
                    "1,234,567.89",
                    "",
                    "",
                    "",
                    "R2",
                ],
            ],
        ),
        write_csv(
            "Contacts.csv",
            [
                wbs.header(schema.CONTACTS, "zh", wbs.CONTACT_KEYS),
                ["K1", "2026-04-02", "面谈", "回顾", ""],
            ],
            "gb18030",
        ),
    ]
    report = import_files(book, files)
    assert report.problems == [], report.problems
    with book.session() as s:
        (value,) = s.scalars(select(Holding.market_value))
        assert value == Decimal("1234567.89")
        client = s.scalar(select(Client))
        assert client.tier is Tier.KEY and client.contacts[0].summary == "回顾"


def test_a_dozen_mistakes_give_a_dozen_row_problems_and_an_unchanged_book(demo_book, tmp_path):
    H = wbs.HOLDING_KEYS
    path = wbs.write(
        tmp_path / "bad.xlsx",
        {
            "客户": [
                wbs.header(
                    schema.CLIENTS,
                    "zh",
                    ["client_id", "name", "email", "tier", "birthday", "report_currency"],
                )
                + ["备注2"],
                ["C00001", "改了名字", None, None, None, None, "ignored"],  # a valid update
                ["N1", "新客户", "not-an-email", None, None, None, None],  # 1 email
                ["N2", "新客户二", None, "VIP客户", None, None, None],  # 2 tier
                ["N3", "新客户三", None, None, "2026-02-30", None, None],  # 3 birthday
                ["N4", "新客户四", None, None, None, "XYZ", None],  # 4 currency
                ["N5", "正常客户", None, None, None, "CNY", None],
            ],
            "家庭成员": [
                wbs.header(schema.FAMILY, "zh", wbs.FAMILY_KEYS),
                ["N5", "配偶甲", "表哥", None, None],  # 5 relation
                ["C99999", "某人", "配偶", None, None],  # 6 unknown client
                ["N5", "儿子乙", "儿子", "2031-01-01", None],  # 7 future birthday
            ],
            "资产": [
                wbs.header(schema.HOLDINGS, "zh", H),
                [
                    "N5",
                    "2026-03-31",
                    "基金",
                    "基金A",
                    None,
                    None,
                    "CNY",
                    1000,
                    None,
                    None,
                    None,
                    "R7",
                ],  # 8 risk level
                [
                    "N5",
                    "2026-03-31",
                    "基金",
                    "基金B",
                    None,
                    None,
                    "CNY",
                    "abc",
                    None,
                    None,
                    None,
                    "R3",
                ],  # 9 amount
                [
                    "N5",
                    "2026-03-31",
                    "存款",
                    "美元存款",
                    None,
                    None,
                    "USD",
                    500,
                    None,
                    None,
                    None,
                    "R1",
                ],  # 10 no USD rate
                ["N5", "2026-04-30", "现金", "活期", None, None, "CNY", 10, None, None, None, None],
                [
                    "N5",
                    "2026-03-31",
                    "现金",
                    "活期",
                    None,
                    None,
                    "CNY",
                    10,
                    None,
                    None,
                    None,
                    None,
                ],  # 11 duplicate
            ],
            "保险": [
                wbs.header(schema.INSURANCE, "zh", wbs.POLICY_KEYS),
                ["N5", "正常客户", "寿险", "中国人寿", 500000, -500, 20, None, None, None],  # 12
            ],
        },
    )
    before = book_content(demo_book)
    report = import_files(demo_book, [path])
    assert not report.applied
    problems = [(p.sheet, p.row, p.column) for p in report.problems]
    assert problems == [
        ("客户", 3, "邮箱"),
        ("客户", 4, "客户等级"),
        ("客户", 5, "生日"),
        ("客户", 6, "报告币种"),
        ("家庭成员", 2, "关系"),
        ("家庭成员", 3, "客户编号"),
        ("家庭成员", 4, "生日"),
        ("资产", 2, "风险等级"),
        ("资产", 3, "市值"),
        ("资产", 4, "币种"),
        ("资产", 6, "回顾日期"),
        ("保险", 2, "年缴保费"),
    ]
    assert [p.value for p in report.problems][:4] == [
        "not-an-email",
        "VIP客户",
        "2026-02-30",
        "XYZ",
    ]
    assert all(p.reason for p in report.problems)
    assert [(w.sheet, w.column) for w in report.warnings] == [("客户", "备注2")]
    assert book_content(demo_book) == before


def test_an_unknown_insured_person_is_refused(book, tmp_path):
    path = wbs.write(
        tmp_path / "x.xlsx",
        {
            "Clients": [["client_id", "name"], ["K1", "张伟"]],
            "Insurance": [
                wbs.header(
                    schema.INSURANCE, "en", ["client_id", "insured", "policy_type", "sum_assured"]
                ),
                ["K1", "李四", "life", 100000],
            ],
        },
    )
    report = import_files(book, [path])
    (problem,) = report.problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == (
        "Insurance",
        2,
        "insured",
        "李四",
    )
    assert "张伟" in problem.message()
    with book.session() as s:
        assert s.scalar(select(Client)) is None


def test_dry_run_reports_without_changing(book, tmp_path):
    path = wbs.manager_workbook(tmp_path / "zh.xlsx", "zh")
    report = import_files(book, [path], dry_run=True)
    assert report.problems == [] and not report.applied
    assert report.counts["客户"].added == 2
    with book.session() as s:
        assert s.scalar(select(Snapshot)) is None


def test_missing_required_columns_and_unknown_sheets(book, tmp_path):
    path = wbs.write(
        tmp_path / "x.xlsx",
        {
            "Clients": [["client_id", "phone"], ["K1", "13800000000"]],
            "Notes": [["anything"]],
        },
    )
    report = import_files(book, [path])
    assert [(p.sheet, p.row) for p in report.problems] == [("Clients", 1)]
    assert "name" in report.problems[0].column
    assert [w.sheet for w in report.warnings] == ["Notes"]


def test_files_that_are_not_workbooks(book, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    report = import_files(
        book, [junk, tmp_path / "missing.xlsx", tmp_path / "x.pdf", tmp_path / "misc.csv"]
    )
    assert len(report.problems) == 4, report.problems
    assert not report.applied


def test_bulk_inserted_holdings_obey_the_books_rules(book, tmp_path):
    rows = [
        wbs.header(schema.HOLDINGS, "en", wbs.HOLDING_KEYS),
        ["K1", "2026-03-31", "fund", "A", None, None, "CNY", -5, None, None, None, None],
        ["K1", "2026-03-31", "fund", "B", None, None, "CNY", "1.23456", None, None, None, None],
        ["K1", "2026-03-31", "fund", "C", None, None, "XYZ", 1, None, None, None, None],
        ["K1", "2099-03-31", "fund", "D", None, None, "CNY", 1, None, None, None, None],
    ]
    path = wbs.write(
        tmp_path / "h.xlsx", {"Clients": [["client_id", "name"], ["K1", "张伟"]], "Holdings": rows}
    )
    report = import_files(book, [path])
    assert [(p.row, p.column, p.reason) for p in report.problems] == [
        (2, "market_value", "must not be negative"),
        (3, "market_value", "has more than 4 decimal places"),
        (4, "currency", report.problems[2].reason),
        (5, "review_date", "is in the future"),
    ]
    assert "not a known currency" in report.problems[2].reason


def test_a_title_row_above_the_header_is_passed_over(book, tmp_path):
    path = wbs.write(
        tmp_path / "t.xlsx",
        {"客户": [["客户信息清单（2026年）"], [], ["客户编号", "姓名"], ["K1", "张伟"]]},
    )
    report = import_files(book, [path])
    assert report.problems == [] and report.counts["客户"].added == 1


def test_every_refused_value_of_a_client_row_is_named_in_one_import(demo_book, tmp_path):
    """A row with a date that does not parse, an email and a phone number the book
    refuses: the three are named at once. Before, the book's refusals were checked only
    once every cell parsed, and only the first of them was named: three imports to learn
    of three mistakes."""
    from tests.gui.conftest import book_dump

    path = wbs.write(
        tmp_path / "row.xlsx",
        {
            "客户": [
                wbs.header(
                    schema.CLIENTS, "zh", ["client_id", "name", "phone", "email", "birthday"]
                ),
                ["N1", "新客户", "电话号码", "not-an-email", "1980-02-30"],
            ]
        },
    )
    before = book_dump(demo_book)
    report = import_files(demo_book, [path])
    assert not report.applied
    named = sorted((p.row, p.column, str(p.value)) for p in report.problems)
    assert named == [
        (2, "生日", "1980-02-30"),
        (2, "电话", "电话号码"),
        (2, "邮箱", "not-an-email"),
    ]
    assert book_dump(demo_book) == before

    # A family member's row likewise: a relation that is not one, an income the book
    # refuses.
    path = wbs.write(
        tmp_path / "member.xlsx",
        {
            "家庭成员": [
                wbs.header(schema.FAMILY, "zh", ["client_id", "name", "relation", "annual_income"]),
                ["C00001", "某人", "表哥", -5],
            ]
        },
    )
    report = import_files(demo_book, [path])
    assert sorted((p.row, p.column) for p in report.problems) == [(2, "关系"), (2, "年收入")]
    assert book_dump(demo_book) == before

    # And a policy's: a negative sum assured and a negative premium.
    path = wbs.write(
        tmp_path / "policy.xlsx",
        {
            "保险": [
                wbs.header(
                    schema.INSURANCE,
                    "en",
                    ["client_id", "policy_type", "insurer", "sum_assured", "annual_premium"],
                ),
                ["C00001", "Life", "中国人寿", -1000, -5],
            ]
        },
    )
    report = import_files(demo_book, [path])
    assert sorted((p.row, p.column) for p in report.problems) == [
        (2, "annual_premium"),
        (2, "sum_assured"),
    ]
    assert book_dump(demo_book) == before


def test_the_refusal_line_counts_problems_in_words():
    from reviewdesk.exchange.report import ImportReport

    report = ImportReport()
    report.problem("Clients", 2, "tier", "VIP", "is not a tier")
    assert report.problems_line() == "1 problem; nothing was imported, the book is unchanged."
    report.problem("Clients", 3, "tier", "VIP", "is not a tier")
    assert report.problems_line().startswith("2 problems;")


@pytest.mark.parametrize("in_process", [False, True])
def test_a_sheet_that_is_not_well_formed_is_a_problem_not_a_crash(
    book, tmp_path, monkeypatch, in_process
):
    import zipfile

    from reviewdesk.exchange import xlsx_rows

    good = wbs.write(
        tmp_path / "good.xlsx",
        {
            "Clients": [["client_id", "name"], ["K1", "张伟"]],
            "Holdings": [
                wbs.header(schema.HOLDINGS, "en", wbs.HOLDING_KEYS),
                ["K1", "2026-03-31", "fund", "A", None, None, "CNY", 5, None, None, None, None],
            ],
        },
    )
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if b"<sheetData>" in data and b"fund" in data:
                data = data[: data.index(b"fund")]  # cut off inside the first holding row
            dst.writestr(item, data)
    if in_process:
        monkeypatch.setattr(xlsx_rows, "PROCESS_THRESHOLD", 0)
    report = import_files(book, [bad])
    assert not report.applied
    assert [(p.sheet, p.row) for p in report.problems] == [("Holdings", None)]
    assert "cannot be read" in report.problems[0].message()
    with book.session() as s:
        assert s.scalar(select(Client)) is None
