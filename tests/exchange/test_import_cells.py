"""Cells that read as something other than what was meant are refused, naming the sheet,
row, column and the cell as the workbook holds it: a number in a date column, a currency
sign that is not the row's currency."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import select

from reviewdesk.book.models import Holding
from reviewdesk.exchange import import_files, schema
from tests.exchange import workbooks as wbs

CLIENTS = [wbs.header(schema.CLIENTS, "en", ["client_id", "name"]), ["K001", "王建国"]]
HOLDING_KEYS = [
    "client_id",
    "review_date",
    "asset_class",
    "product_name",
    "currency",
    "market_value",
    "held_since",
    "maturity_date",
]


def _holding(name, value, held_since=None, maturity=None, currency="CNY"):
    return ["K001", "2026-03-31", "deposit", name, currency, value, held_since, maturity]


def _holdings_workbook(path, *rows, formats=None):
    """Clients and Holdings; `formats` gives (row, column key): number format."""
    wb = Workbook()
    wb.remove(wb.active)
    clients = wb.create_sheet("Clients")
    for row in CLIENTS:
        clients.append(row)
    holdings = wb.create_sheet("Holdings")
    holdings.append(wbs.header(schema.HOLDINGS, "en", HOLDING_KEYS))
    for row in rows:
        holdings.append(row)
    for (row, key), number_format in (formats or {}).items():
        holdings.cell(row=row, column=HOLDING_KEYS.index(key) + 1).number_format = number_format
    wb.save(path)
    return path


def _problems(report):
    return [(p.sheet, p.row, p.column, p.value, p.reason) for p in report.problems]


# ---- a number in a date column ----------------------------------------------------


def test_a_year_or_a_count_in_a_date_column_is_refused_not_read_as_days_from_1900(book, tmp_path):
    path = _holdings_workbook(
        tmp_path / "d.xlsx",
        _holding("定期存款", 1000, held_since=2026),
        _holding("大额存单", 2000, maturity=45),
        _holding("通知存款", 3000, held_since=20250115),  # 2025-01-15 typed as a number
    )
    report = import_files(book, [path])
    assert not report.applied
    problems = _problems(report)
    assert [p[:4] for p in problems] == [
        ("Holdings", 2, "held_since", 2026),
        ("Holdings", 3, "maturity_date", 45),
    ]
    assert all("is a number, not a date" in p[4] for p in problems)
    assert report.problems[0].message().startswith("Holdings row 2, held_since: 2026 is a number")


def test_a_date_cell_holding_a_year_is_refused_naming_the_number(book, tmp_path):
    """A year typed into a cell formatted as a date is shown by Excel as a day of 1905."""
    path = _holdings_workbook(
        tmp_path / "d.xlsx",
        _holding("定期存款", 1000, held_since=2026),
        _holding("大额存单", 2000, held_since=46112),
        formats={(2, "held_since"): "yyyy-mm-dd", (3, "held_since"): "yyyy-mm-dd"},
    )
    report = import_files(book, [path])
    ((sheet, row, column, value, reason),) = _problems(report)
    assert (sheet, row, column, value) == ("Holdings", 2, "held_since", dt.datetime(1905, 7, 18))
    assert "holding the number 2026" in reason


def _builtin_format(path, number_format: str, builtin: int) -> None:
    """The workbook's cells of `number_format` given Excel's built-in format `builtin`
    instead, as Excel's Chinese edition writes its 2026年3月31日 dates."""
    with zipfile.ZipFile(path) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    styles = parts["xl/styles.xml"].decode()
    code = number_format.replace('"', "&quot;")
    ident = re.search(rf'<numFmt numFmtId="(\d+)" formatCode="{re.escape(code)}"\s*/>', styles)
    assert ident is not None, styles
    styles = styles.replace(ident.group(0), "").replace(
        f'numFmtId="{ident.group(1)}"', f'numFmtId="{builtin}"'
    )
    parts["xl/styles.xml"] = styles.encode()
    shutil.move(path, f"{path}.old")
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data)


def test_a_date_in_the_chinese_editions_own_format_is_a_date(book, tmp_path):
    chinese = 'yyyy"年"m"月"d"日"'
    path = _holdings_workbook(
        tmp_path / "zh.xlsx",
        _holding("定期存款", 1000, held_since=dt.datetime(2025, 1, 15)),
        formats={(2, "held_since"): chinese},
    )
    _builtin_format(path, chinese, 31)
    report = import_files(book, [path])
    assert report.applied, report.problems
    with book.session() as s:
        assert s.scalar(select(Holding.held_since)) == dt.date(2025, 1, 15)


def test_a_number_in_a_csv_date_column_is_refused(book, tmp_path):
    (tmp_path / "Clients.csv").write_text("client_id,name\nK001,王建国\n", encoding="utf-8")
    (tmp_path / "Holdings.csv").write_text(
        ",".join(HOLDING_KEYS) + "\nK001,2026-03-31,deposit,定期存款,CNY,1000,2026,\n",
        encoding="utf-8",
    )
    report = import_files(book, [tmp_path / "Clients.csv", tmp_path / "Holdings.csv"])
    assert [p[:4] for p in _problems(report)] == [("Holdings", 2, "held_since", "2026")]


def test_amounts_still_read(book, tmp_path):
    path = _holdings_workbook(tmp_path / "ok.xlsx", _holding("定期存款", "¥1,000.50"))
    assert import_files(book, [path]).applied
    with book.session() as s:
        assert s.scalar(select(Holding.market_value)) == Decimal("1000.50")


# ---- a currency sign that is not the row's currency ---------------------------------


def test_a_currency_sign_that_is_not_the_rows_currency_is_refused(book, tmp_path):
    path = _holdings_workbook(
        tmp_path / "signs.xlsx",
        _holding("港币存款", "US$1,000", currency="HKD"),
        _holding("港币定期", "¥1,000", currency="HKD"),
        _holding("港币通知", "1000元", currency="HKD"),
        _holding("港币理财", "HK$1,000", currency="HKD"),  # agrees
        _holding("港币活期", "$1,000", currency="HKD"),  # a dollar: agrees
        _holding("日元存款", "¥1,000", currency="JPY"),  # ¥ is the yen's too
        _holding("人民币存款", "¥1,000", currency="CNY"),
    )
    report = import_files(book, [path])
    # (HKD and JPY have no rate to the report currency here: refused, as without a sign.)
    assert [p[:4] for p in _problems(report) if p[2] == "market_value"] == [
        ("Holdings", 2, "market_value", "US$1,000"),
        ("Holdings", 3, "market_value", "¥1,000"),
        ("Holdings", 4, "market_value", "1000元"),
    ]
    assert report.problems[0].message() == (
        "Holdings row 2, market_value: US$1,000 is marked US$, which is not the row's currency HKD"
    )


def test_signs_are_checked_against_each_sheets_currency(book, tmp_path):
    """A blank currency is the one the row would take: an income's the report currency, a
    policy's CNY, a flow's the client's report currency."""
    path = wbs.write(
        tmp_path / "other.xlsx",
        {
            "Clients": [
                wbs.header(
                    schema.CLIENTS, "en", ["client_id", "name", "report_currency", "annual_income"]
                ),
                ["K001", "王建国", "HKD", "HK$120万"],
                ["K002", "李秀英", "HKD", "€120万"],
            ],
            "Insurance": [
                wbs.header(
                    schema.INSURANCE, "en", ["client_id", "insured", "policy_type", "sum_assured"]
                ),
                ["K001", "王建国", "medical", "US$50万"],
                ["K001", "王建国", "life", "50万元"],
            ],
            "Flows": [
                wbs.header(schema.FLOWS, "en", ["client_id", "date", "amount", "kind", "rate"]),
                ["K001", "2026-03-31", "£1,000", "deposit", 1],
                ["K001", "2026-03-31", "HK$1,000", "deposit", 1],
            ],
        },
    )
    report = import_files(book, [path])
    assert [p[:4] for p in _problems(report)] == [
        ("Clients", 3, "annual_income", "€120万"),
        ("Insurance", 2, "sum_assured", "US$50万"),
        ("Flows", 2, "amount", "£1,000"),
    ]
    assert "currency CNY" in report.problems[1].reason


# ---- the cell as the workbook holds it ----------------------------------------------


def test_a_refused_value_is_shown_as_the_cell_holds_it(book, tmp_path):
    path = _holdings_workbook(
        tmp_path / "neg.xlsx",
        _holding("定期存款", "-1,234.5"),
        _holding("大额存单", "(1,234.50)"),
    )
    report = import_files(book, [path])
    assert [p[:4] for p in _problems(report)] == [
        ("Holdings", 2, "market_value", "-1,234.5"),
        ("Holdings", 3, "market_value", "(1,234.50)"),
    ]
    assert report.problems[0].message() == (
        "Holdings row 2, market_value: -1,234.5 must not be negative"
    )
    clients = wbs.write(
        tmp_path / "dup.xlsx",
        {
            "Clients": [
                wbs.header(schema.CLIENTS, "en", ["client_id", "name"]),
                ["C00003", "卢明嘉"],
                ["c00003", "Duplicate Person"],
            ]
        },
    )
    ((sheet, row, column, value, reason),) = _problems(import_files(book, [clients]))
    assert (row, column, value) == (3, "client_id", "c00003")
    assert reason == "is the code of row 2 (C00003) again: a code is one whatever its case or width"


def test_a_folder_is_named_as_a_folder(book, tmp_path):
    (tmp_path / "adir").mkdir()
    ((sheet, row, column, value, reason),) = _problems(import_files(book, [tmp_path / "adir"]))
    assert (sheet, reason) == (
        "adir",
        "is a folder: give the workbook, or the .csv files in it, one by one",
    )
    ((sheet, *_rest, reason),) = _problems(import_files(book, [tmp_path / "none.xlsx"]))
    assert reason == "no such file"


# ---- a percentage where a whole number is meant -------------------------------------


def test_a_weight_formatted_as_a_percentage_says_what_was_read_and_what_is_expected(book, tmp_path):
    wb = Workbook()
    wb.remove(wb.active)
    levels = wb.create_sheet("Benchmarks")
    levels.append(wbs.header(schema.BENCHMARKS, "en", ["name", "date", "level"]))
    levels.append(["CSI 300", "2026-03-31", 4000])
    levels.append(["Deposit", "2026-03-31", 100])
    choices = wb.create_sheet("Benchmark choices")
    choices.append(
        wbs.header(schema.BENCHMARK_CHOICES, "en", ["risk_level", "benchmark", "blend", "weight"])
    )
    choices.append(["C2", "CSI 300", "Deposit", 0.8])
    choices.append(["C3", "CSI 300", "Deposit", 0.5])
    choices["D2"].number_format = "0%"
    choices["D3"].number_format = '0.0"x"%'
    wb.save(tmp_path / "w.xlsx")
    report = import_files(book, [tmp_path / "w.xlsx"])
    assert [p.message() for p in report.problems] == [
        "Benchmark choices row 2, weight: 80% is a cell formatted as a percentage, which "
        "holds 0.8: a whole number is expected here; type it without the format, e.g. 80",
        "Benchmark choices row 3, weight: 50% is a cell formatted as a percentage, which "
        "holds 0.5: a whole number is expected here; type it without the format, e.g. 50",
    ]
    # 100% is 1, not a weight of 1 either; a whole number without the format reads.
    choices["D3"].value = 1
    wb.save(tmp_path / "w.xlsx")
    assert "100%" in import_files(book, [tmp_path / "w.xlsx"]).problems[1].message()
    choices["D2"].value, choices["D2"].number_format = 80, "General"
    choices.delete_rows(3)
    wb.save(tmp_path / "ok.xlsx")
    assert import_files(book, [tmp_path / "ok.xlsx"]).applied


def test_an_amount_in_a_cell_formatted_as_a_percentage_is_refused(book, tmp_path):
    """Excel reads 500000 typed into a cell formatted as a percentage as 500000% and keeps
    5000: the principal was read as a hundredth of what was typed, without a word."""
    wb = Workbook()
    wb.remove(wb.active)
    clients = wb.create_sheet("Clients")
    clients.append(wbs.header(schema.CLIENTS, "en", ["client_id", "name"]))
    clients.append(["C00001", "王芳"])
    holdings = wb.create_sheet("Holdings")
    holdings.append(wbs.header(schema.HOLDINGS, "en", [*HOLDING_KEYS[:6], "principal"]))
    holdings.append(["C00001", "2026-03-31", "fund", "华夏纯债", "CNY", 520000, 5000])
    holdings["G2"].number_format = "0%"
    wb.save(tmp_path / "w.xlsx")
    report = import_files(book, [tmp_path / "w.xlsx"])
    assert not report.applied
    assert [p.message() for p in report.problems] == [
        "Holdings row 2, principal: 500000% is a cell formatted as a percentage, which holds "
        "5000: an amount is expected here; take the format off and type the amount again"
    ]
    holdings["G2"].number_format = "General"
    wb.save(tmp_path / "w.xlsx")
    assert import_files(book, [tmp_path / "w.xlsx"]).applied
