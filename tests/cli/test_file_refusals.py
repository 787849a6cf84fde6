"""A file the system will not let a command write is one sentence naming the file and why,
exit status 1, and nothing is left half written."""

from __future__ import annotations

import errno

import pytest

from reviewdesk.cli import main

pytestmark = pytest.mark.usefixtures("passphrase_env")

# Each command that writes a file, with where the file goes.
WRITERS = {
    "export": lambda target: ["export", str(target)],
    "template": lambda target: ["template", str(target)],
    "backup": lambda target: ["backup", str(target)],
    "pack": lambda target: ["pack", "C00001", "-o", str(target)],
    "packs": lambda target: ["packs", "--all", "-o", str(target)],
    "email": lambda target: ["email", "C00001", "-o", str(target)],
}
SUFFIX = {"export": ".xlsx", "template": ".xlsx", "backup": ".sqlite", "email": ".eml"}


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err.rstrip("\n")


@pytest.fixture
def demo_book(demo_book, capsys):
    """The demo book with a bank's name, so no command warns of its absence."""
    assert main(["--db", str(demo_book.path), "settings", "set", "bank_name", "Bank"]) == 0
    capsys.readouterr()
    return demo_book


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_file_under_a_file_is_refused_in_one_sentence(capsys, demo_book, tmp_path, command):
    out = tmp_path / "out"
    out.mkdir()
    (out / "e1.xlsx").write_bytes(b"a file, not a folder")
    target = out / "e1.xlsx" / f"x{SUFFIX.get(command, '.pdf')}"
    code, err = run(capsys, "--db", str(demo_book.path), *WRITERS[command](target))
    assert (code, err) == (
        1,
        f"reviewdesk: {target}: cannot write: the folder {out / 'e1.xlsx'} cannot be made: "
        "a file has that name",
    )
    assert _files(out) == ["e1.xlsx"]
    code, err = run(
        capsys, "--ui-lang", "zh", "--db", str(demo_book.path), *WRITERS[command](target)
    )
    assert (code, err) == (
        1,
        f"reviewdesk: {target}：无法写入：无法建立文件夹 {out / 'e1.xlsx'}：已有同名文件",
    )


@pytest.mark.parametrize("command", ["export", "template"])
def test_a_workbook_where_a_folder_is_is_refused_and_leaves_nothing(
    capsys, demo_book, tmp_path, command
):
    out = tmp_path / "out"
    (out / "book.xlsx").mkdir(parents=True)
    (out / "book.xlsx" / "kept.txt").write_text("mine")
    code, err = run(capsys, "--db", str(demo_book.path), command, str(out / "book.xlsx"))
    assert (code, err) == (1, f"reviewdesk: {out / 'book.xlsx'}: cannot write: it is a folder")
    assert _files(out) == ["book.xlsx", "book.xlsx/kept.txt"]


def test_an_error_about_another_file_names_that_file(tmp_path):
    """A file the command reads (not the one it writes) is named as it is, without
    "cannot write"; an error about no file at all is not a file error."""
    from reviewdesk.cli.file_errors import file_error

    written = tmp_path / "out" / "a.pdf"
    font = tmp_path / "fonts" / "missing.ttf"
    exc = FileNotFoundError(errno.ENOENT, "No such file or directory", str(font))
    assert file_error(exc, written) == f"{font}: no such file or folder"
    assert file_error(OSError(errno.EIO, "Input/output error"), None) is None
    work = written.parent / ".a.pdf.x1y2.part"
    exc = PermissionError(errno.EACCES, "Permission denied", str(work))
    assert file_error(exc, written) == f"{written}: cannot write: permission denied"
