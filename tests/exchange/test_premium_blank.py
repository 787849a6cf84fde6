"""A blank premium cell is no premium on record: imported as None, exported as a blank
cell, and read back the same."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from reviewdesk.book.models import InsurancePolicy
from reviewdesk.exchange import export_workbook, import_files, schema
from tests.exchange import workbooks as wbs
from tests.exchange.content import book_content

KEYS = ["client_id", "insured", "policy_type", "insurer", "sum_assured", "annual_premium"]


def _workbook(path):
    return wbs.write(
        path,
        {
            schema.CLIENTS.name("en"): [
                wbs.header(schema.CLIENTS, "en", ["client_id", "name", "report_currency"]),
                ["K010", "Emily Lam", "HKD"],
            ],
            schema.INSURANCE.name("en"): [
                wbs.header(schema.INSURANCE, "en", KEYS),
                ["K010", None, "life", "AIA", 2_000_000, None],  # a single premium, paid
                ["K010", None, "medical", "AIA", 1_000_000, "3,000"],
            ],
        },
    )


def _premiums(book) -> dict[str, Decimal | None]:
    with book.session() as s:
        rows = s.execute(select(InsurancePolicy.kind, InsurancePolicy.annual_premium)).all()
    return {kind.value: premium for kind, premium in rows}


def test_a_blank_premium_cell_is_imported_as_no_premium_on_record(book, tmp_path):
    """Found: a single-premium policy imported with its premium cell blank was stored with
    a premium of 0, and the client's pack read "HKD 0.00 a year" for it and left it out of
    the premiums judged against the household income."""
    report = import_files(book, [_workbook(tmp_path / "blank.xlsx")])
    assert report.problems == [] and report.applied
    assert _premiums(book) == {"life": None, "medical": Decimal(3000)}


def test_no_premium_on_record_is_exported_blank_and_round_trips(book, tmp_path):
    import_files(book, [_workbook(tmp_path / "blank.xlsx")])
    path = tmp_path / "export.xlsx"
    with book.session() as s:
        export_workbook(s, path, lang="en")
    wb = load_workbook(path, read_only=True)
    rows = list(wb["Insurance"].iter_rows(values_only=True))
    wb.close()
    column = rows[0].index("annual_premium")
    premiums = {row[2]: row[column] if len(row) > column else None for row in rows[1:]}
    assert premiums == {"life": None, "medical": 3000}

    before = book_content(book)
    again = import_files(book, [path])
    assert again.problems == [] and again.changed == 0
    assert book_content(book) == before
    assert _premiums(book)["life"] is None


def test_a_workbook_without_a_policys_columns_keeps_the_books_values(book, tmp_path):
    """Found: a workbook without the premium, term or currency columns wiped every premium
    on record (before: set them to 0), the insurers and the dates of the policies it
    matched, and made every policy CNY."""
    wide = [*KEYS, "currency", "payment_years"]
    first = wbs.write(
        tmp_path / "first.xlsx",
        {
            schema.CLIENTS.name("en"): [
                wbs.header(schema.CLIENTS, "en", ["client_id", "name", "report_currency"]),
                ["K010", "Emily Lam", "HKD"],
            ],
            schema.INSURANCE.name("en"): [
                wbs.header(schema.INSURANCE, "en", wide),
                ["K010", None, "life", "AIA", 2_000_000, None, "HKD", 1],
                ["K010", None, "medical", "AIA", 1_000_000, "3,000", "HKD", 20],
            ],
        },
    )
    assert import_files(book, [first]).problems == []
    with book.session() as s:
        before = {
            p.kind.value: (p.insurer, p.annual_premium, p.currency, p.sum_assured)
            for p in s.scalars(select(InsurancePolicy))
        }
    assert before["medical"] == ("AIA", Decimal(3000), "HKD", Decimal(1_000_000))
    # The book's own export, its Insurance sheet cut to the columns a workbook must have,
    # and the life policy's cover raised.
    keep = {"record_id", "client_id", "insured", "policy_type", "sum_assured"}

    def raise_life_cover(sheet, header):
        for row in sheet.iter_rows(min_row=2):
            if row[header.index("policy_type")].value == "life":
                row[header.index("sum_assured")].value = 2_500_000

    dropped = [c.key for c in schema.INSURANCE.columns if c.key not in keep]
    path = wbs.narrowed(book, tmp_path / "narrow.xlsx", "Insurance", dropped, raise_life_cover)
    report = import_files(book, [path])
    assert report.problems == [] and report.applied
    with book.session() as s:
        after = {
            p.kind.value: (p.insurer, p.annual_premium, p.currency, p.sum_assured)
            for p in s.scalars(select(InsurancePolicy))
        }
    assert after == {
        "life": ("AIA", None, "HKD", Decimal(2_500_000)),
        "medical": ("AIA", Decimal(3000), "HKD", Decimal(1_000_000)),
    }
