"""The template, import and export commands as a user runs them."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from reviewdesk.cli import COMMAND_MODULES, main
from tests.exchange import workbooks as wbs

# The books are encrypted (the default); the passphrase comes from the environment,
# as a user may give it.
pytestmark = pytest.mark.usefixtures("passphrase_env")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_registered():
    assert "reviewdesk.cli.exchange_cmds" in COMMAND_MODULES


def test_template_import_export(capsys, tmp_path):
    db = str(tmp_path / "book.sqlite")
    code, out, err = run(capsys, "--db", db, "template", str(tmp_path / "t.xlsx"), "--lang", "en")
    assert code == 0, err
    assert load_workbook(tmp_path / "t.xlsx").sheetnames[0] == "Clients"

    path = wbs.manager_workbook(tmp_path / "m.xlsx", "zh")
    code, out, err = run(capsys, "--db", db, "import", str(path), "--dry-run")
    assert code == 0, err
    assert "客户: 2 added" in out and "Dry run" in out
    code, out, err = run(capsys, "--db", db, "clients", "--json")
    assert out.strip() == "[]"

    code, out, err = run(capsys, "--db", db, "import", str(path))
    assert code == 0, err
    assert "资产: 6 rows; snapshots: 3 added" in out
    code, out, err = run(capsys, "--db", db, "import", str(path))
    assert code == 0 and "Nothing to change" in out

    code, out, err = run(
        capsys, "--db", db, "export", str(tmp_path / "one.xlsx"), "--client", "K002", "--lang", "zh"
    )
    assert code == 0, err
    assert "客户: 1 rows" in out
    wb = load_workbook(tmp_path / "one.xlsx", read_only=True)
    assert [r[0] for r in wb["资产"].iter_rows(min_row=2, values_only=True)] == ["K002"] * 2


def test_problems_go_to_stderr_one_per_line_with_a_failing_status(capsys, tmp_path):
    db = str(tmp_path / "book.sqlite")
    path = wbs.write(
        tmp_path / "bad.xlsx",
        {
            "Clients": [["client_id", "name", "tier"], ["K1", "张伟", "gold"], ["K2", "", "key"]],
        },
    )
    code, out, err = run(capsys, "--ui-lang", "zh", "--db", db, "import", str(path))
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[0].startswith("Clients 第 2 行，tier：gold 不是以下取值之一")
    assert lines[1] == "Clients 第 3 行，name：（空） 为必填项"
    assert "共 2 个问题" in lines[2]
    assert "Traceback" not in err


def test_export_refuses_other_file_types(capsys, tmp_path):
    code, out, err = run(
        capsys, "--db", str(tmp_path / "b.sqlite"), "export", str(tmp_path / "x.csv")
    )
    assert code == 2 and ".xlsx" in err


def test_a_report_that_cannot_be_written_fails_the_import(capsys, tmp_path, monkeypatch):
    db = str(tmp_path / "book.sqlite")
    path = wbs.manager_workbook(tmp_path / "m.xlsx", "en")
    for report in (tmp_path / "missing" / "r.txt", tmp_path):
        code, out, err = run(capsys, "--db", db, "import", str(path), "--report", str(report))
        assert code == 2 and "--report" in err, err
    code, out, err = run(capsys, "--db", db, "clients", "--json")
    assert out.strip() == "[]"  # refused before anything was imported

    from reviewdesk.cli import exchange_cmds

    def full(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exchange_cmds, "write_private", full)
    report = tmp_path / "r.txt"
    code, out, err = run(capsys, "--db", db, "import", str(path), "--report", str(report))
    assert code == 1
    assert f"The report could not be written to {report}: the disk is full" in err
    assert "Imported into" in out  # what the import did is still said
