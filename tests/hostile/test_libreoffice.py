"""Workbooks written by LibreOffice import exactly: the book's export and a template filled
in, each saved again by LibreOffice Calc, read back cell for cell with the figures as
Decimal, and imported into a book that then equals the one the original made.

LibreOffice is large and not part of the normal run's machine: without `soffice` on the
PATH these tests are skipped, saying so.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reviewdesk.book.db import open_book
from reviewdesk.exchange import export_workbook, import_files, schema, write_template
from tests.conftest import PASSPHRASE
from tests.exchange.content import book_content
from tests.exchange.test_template import fill

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed on this machine"
)


def through_libreoffice(source: Path, folder: Path) -> Path:
    """`source` opened and saved again as .xlsx by LibreOffice Calc (headless)."""
    assert SOFFICE is not None
    out = folder / "libreoffice"
    out.mkdir(exist_ok=True)
    profile = folder / "lo-profile"  # a profile of its own: no clash with a running office
    env = {**os.environ, "HOME": str(folder)}
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )
    written = out / source.name
    assert written.is_file(), f"LibreOffice wrote no {written.name}"
    with zipfile.ZipFile(written) as archive:  # written by LibreOffice, not a copy of ours
        assert b"LibreOffice" in archive.read("docProps/app.xml")
    return written


def cell(value: object) -> object:
    """A cell as the import reads it: figures as Decimal (as written, not as a float
    prints), dates as dates, empty text as no value."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(repr(value)).normalize() if isinstance(value, float) else Decimal(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    if value == "":
        return None
    return value


def sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's rows, trailing empty cells and rows dropped."""
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        result = {}
        for ws in wb.worksheets:
            rows = []
            for row in ws.iter_rows(values_only=True):
                values = [cell(v) for v in row]
                while values and values[-1] is None:
                    values.pop()
                rows.append(tuple(values))
            while rows and not rows[-1]:
                rows.pop()
            result[ws.title] = rows
        return result
    finally:
        wb.close()


def assert_same_cells(ours: Path, theirs: Path) -> int:
    """The two workbooks hold the same sheets and the same value in every cell; how many."""
    mine, other = sheets(ours), sheets(theirs)
    assert list(other) == list(mine)
    count = 0
    for name, rows in mine.items():
        assert len(other[name]) == len(rows), name
        for r, (a, b) in enumerate(zip(rows, other[name], strict=True), start=1):
            assert b == a, f"{name} row {r}"
            count += sum(v is not None for v in a)
    return count


def test_our_export_saved_by_libreoffice_imports_exactly(demo_book, tmp_path):
    exported = tmp_path / "book.xlsx"
    with demo_book.session() as session:
        summary = export_workbook(session, exported, lang="zh")
    saved = through_libreoffice(exported, tmp_path)

    cells = assert_same_cells(exported, saved)
    assert cells > 10_000, cells
    target = open_book(str(tmp_path / "copy.sqlite"), passphrase=PASSPHRASE)
    try:
        report = import_files(target, [saved])
        assert report.problems == [], report.problems[:5]
        assert report.applied
        assert book_content(target) == book_content(demo_book)
        assert len(book_content(target)["holdings"]) == summary.rows["资产"]
    finally:
        target.close()


def test_a_template_filled_in_then_saved_by_libreoffice_imports_exactly(book, tmp_path):
    template = write_template(tmp_path / "template.xlsx", "zh")
    wb = load_workbook(template)
    fill(
        wb["客户"],
        schema.CLIENTS,
        "zh",
        [
            {
                "client_id": "L001",
                "name": "陈静",
                "phone": "13912345678",
                "tier": "重要",
                "report_currency": "CNY",
                "annual_income": 800000.5,
                "tags": "有子女；关注教育金",
            },
            {"client_id": "L002", "name": "Grace Lim", "report_currency": "USD"},
        ],
    )
    fill(
        wb["资产"],
        schema.HOLDINGS,
        "zh",
        [
            {
                "client_id": "L001",
                "review_date": dt.date(2026, 3, 31),
                "asset_class": "基金",
                "product_name": "华夏纯债债券A",
                "currency": "CNY",
                "market_value": 350000.07,
                "risk_level": "R2",
            },
            {
                "client_id": "L002",
                "review_date": dt.date(2026, 6, 30),
                "asset_class": "股票",
                "product_name": "Apple Inc.",
                "currency": "USD",
                "market_value": 0.1 + 0.2,  # a float that prints long: kept as written
                "risk_level": "R5",
            },
        ],
    )
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    saved = through_libreoffice(filled, tmp_path)
    assert_same_cells(filled, saved)

    plain = open_book(str(tmp_path / "direct.sqlite"), passphrase=PASSPHRASE)
    try:
        direct = import_files(plain, [filled])
        assert direct.problems == [] and direct.applied
        report = import_files(book, [saved])
        assert report.problems == [], report.problems[:5]
        assert report.applied
        content = book_content(book)
        assert content == book_content(plain)
    finally:
        plain.close()
    values = {row[2]: row for row in content["holdings"]}
    assert any("350000.07" in map(str, row) for row in values.values()), values
