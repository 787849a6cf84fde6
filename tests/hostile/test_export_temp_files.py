"""An export's sheets, plain XML of client data while they are written, never sit in the
system's temporary folder, and nothing of them is left on any way out: written, failed,
cancelled or interrupted.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile

import pytest
from openpyxl.worksheet._writer import ALL_TEMP_FILES

from reviewdesk.exchange import exporter
from reviewdesk.exchange.schema import SHEETS
from tests import factories as f

SECRET = "机密客户甲"
PHONE = "13700001111"


class Cancelled(Exception):
    """What a front end raises from the progress callback when the user cancels."""


@pytest.fixture
def system_temp(tmp_path, monkeypatch):
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def client_book(book):
    with book.session() as s:
        s.add(
            f.client(
                "C1",
                SECRET,
                phone=PHONE,
                snapshots=[
                    f.snapshot(dt.date(2026, 5, 31), *[f.holding(f"Fund {n}") for n in range(30)])
                ],
            )
        )
    return book


def _files(folder):
    return [p for p in folder.rglob("*") if p.is_file()]


def _holding_client_data(folder):
    found = []
    for path in _files(folder):
        data = path.read_bytes()
        if SECRET.encode() in data or PHONE.encode() in data:
            found.append(path)
    return found


def _fail_in_holdings(monkeypatch, error, seen):
    """Stop the export on the Holdings sheet's 10th row, once the sheets before it hold the
    client; note where the sheets' files are at that moment."""
    real_row = exporter._SheetWriter.row

    def row(self, values):
        if self.sheet.key == "Holdings" and self.count == 10:
            seen["parts"] = [
                os.path.dirname(ws._writer.out) for ws in self.ws.parent.worksheets if ws._writer
            ]
            seen["temp"] = list(ALL_TEMP_FILES)
            raise error
        return real_row(self, values)

    monkeypatch.setattr(exporter._SheetWriter, "row", row)


@pytest.mark.parametrize(
    "error",
    [OSError(28, "No space left on device"), Cancelled("cancelled"), KeyboardInterrupt()],
    ids=["failure", "cancel", "interrupt"],
)
def test_an_export_stopped_midway_leaves_no_sheet_anywhere(
    client_book, tmp_path, system_temp, monkeypatch, error
):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "book.xlsx"
    seen: dict = {}
    _fail_in_holdings(monkeypatch, error, seen)
    before = set(ALL_TEMP_FILES)
    with client_book.session() as s, pytest.raises(type(error)):
        exporter.export_workbook(s, target)
    # While the export ran its sheets were in a private folder beside the target ...
    assert seen["parts"] and {os.path.dirname(p) for p in seen["parts"]} == {str(out)}
    assert all(os.path.basename(p).startswith(".book.xlsx.") for p in seen["parts"])
    # ... and now nothing is left: not beside the target, not in the temporary folder.
    assert _files(out) == [] and list(out.iterdir()) == []
    assert _files(system_temp) == []
    assert set(ALL_TEMP_FILES) == before


def test_a_written_export_leaves_only_the_file_and_its_sheets_never_touch_the_temp_folder(
    client_book, tmp_path, system_temp, monkeypatch
):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "book.xlsx"
    real_save = exporter.Workbook.save
    during: dict = {}

    def save(self, filename):
        # the moment every sheet is written whole: where are they?
        during["temp"] = _holding_client_data(system_temp)
        parts = [p for p in out.iterdir() if p.is_dir()]
        during["parts"] = parts
        # the workbook being written under another name, its owner's alone
        writing = [p for p in out.iterdir() if p.is_file() and p.name != "book.xlsx"]
        during["writing"] = [stat.S_IMODE(p.stat().st_mode) for p in writing]
        during["modes"] = [stat.S_IMODE(p.stat().st_mode) for p in parts]
        during["sheets"] = sorted(q.name for p in parts for q in p.iterdir())
        return real_save(self, filename)

    monkeypatch.setattr(exporter.Workbook, "save", save)
    before = set(ALL_TEMP_FILES)
    with client_book.session() as s:
        summary = exporter.export_workbook(s, target)
    assert summary.rows["Holdings"] == 30
    assert during["temp"] == [] and _files(system_temp) == []
    assert len(during["parts"]) == 1 and during["modes"] == [0o700]
    assert during["writing"] == [0o600]
    # the sheets were there, beside the target, in a folder only its owner may enter
    assert during["sheets"] == sorted(f"sheet{n}.xml" for n in range(1, len(SHEETS) + 1))
    assert [p.name for p in out.iterdir()] == ["book.xlsx"]
    assert set(ALL_TEMP_FILES) == before


def test_an_export_the_book_refuses_leaves_nothing(client_book, tmp_path, system_temp, monkeypatch):
    """The disclosure is recorded before the file is written: a refusal there (a read-only
    book) comes after the sheets are streamed, and they go too."""
    from reviewdesk.book import audit

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(audit, "record_event", refuse)
    out = tmp_path / "out"
    out.mkdir()
    with client_book.session() as s, pytest.raises(PermissionError):
        exporter.export_workbook(s, out / "book.xlsx")
    assert list(out.iterdir()) == [] and _files(system_temp) == []
