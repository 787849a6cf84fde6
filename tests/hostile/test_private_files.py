"""Every file the app writes with client data in it is its owner's alone, whatever the
umask: the book and its journal, the backups and their folder, an Excel export, an
import report, an email draft, a pack and the data folder itself.

Found: with the usual umask (0022) the export (client data in clear), the .eml draft,
the import report, the book and its backups were readable by every user of the machine.
"""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest
from sqlalchemy import text

from reviewdesk import paths
from reviewdesk.book import backup
from reviewdesk.book.db import open_book
from reviewdesk.cli import main
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX modes")


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def demo_book(tmp_path, passphrase_env, usual_umask):
    db = str(tmp_path / "book.sqlite")
    assert main(["--db", db, "demo", "--clients", "3"]) == 0
    return db


def test_the_book_and_its_journal_are_private(demo_book, tmp_path):
    book = tmp_path / "book.sqlite"
    assert _mode(book) == 0o600
    opened = open_book(demo_book, passphrase=PASSPHRASE)
    try:
        with opened.session() as s:
            s.execute(text("SELECT 1"))
        for part in ("-wal", "-shm"):
            journal = tmp_path / f"book.sqlite{part}"
            if journal.exists():
                assert _mode(journal) == 0o600, journal
    finally:
        opened.close()


def test_a_book_an_older_version_left_open_to_others_is_closed_on_opening(tmp_path, usual_umask):
    path = tmp_path / "old.sqlite"
    sqlite3.connect(path).close()
    os.chmod(path, 0o644)
    book = open_book(str(path), plain=True)
    book.close()
    assert _mode(path) == 0o600


def test_a_read_only_book_is_left_as_it_is(tmp_path, usual_umask):
    path = tmp_path / "shared.sqlite"
    open_book(str(path), plain=True).close()
    os.chmod(path, 0o644)
    open_book(str(path), read_only=True).close()
    assert _mode(path) == 0o644


def test_backups_and_their_folder_are_private(demo_book, tmp_path):
    target = tmp_path / "copies" / "backup.sqlite"
    assert main(["--db", demo_book, "backup", str(target)]) == 0
    assert _mode(target) == 0o600
    folder = tmp_path / "backups"
    os.chmod(folder, 0o755)  # as an older version left it, with its backups
    older = list(folder.glob("*.sqlite"))
    for path in older:
        os.chmod(path, 0o644)
    made = open_book(demo_book, passphrase=PASSPHRASE)
    backup.make_backup(made, "manual")
    made.close()
    assert _mode(folder) == 0o700
    every = list(folder.glob("*.sqlite"))
    assert older and len(every) > len(older) and all(_mode(p) == 0o600 for p in every)


def test_an_export_an_import_report_and_an_email_draft_are_private(demo_book, tmp_path):
    export = tmp_path / "out" / "book.xlsx"
    assert main(["--db", demo_book, "export", str(export)]) == 0
    assert _mode(export) == 0o600

    report = tmp_path / "report.txt"
    other = str(tmp_path / "other.sqlite")
    main(["--db", other, "import", str(export), "--dry-run", "--report", str(report)])
    assert report.exists() and _mode(report) == 0o600

    draft = tmp_path / "mail" / "draft.eml"
    assert main(["--db", demo_book, "email", "1", "-o", str(draft)]) == 0
    assert _mode(draft) == 0o600
    assert not [p for p in draft.parent.iterdir() if p.name.endswith(".part")]


def test_the_folders_the_app_makes_for_client_files_are_private(demo_book, tmp_path):
    """Found: `packs -o` made its folder 0755 under the usual umask, so any user of the
    computer could list the packs, each named with its client's name and code. A folder
    the app makes (every missing one on the way) is 0700; one that exists is left as it
    is."""
    kept = tmp_path / "shared"
    kept.mkdir(mode=0o755)
    os.chmod(kept, 0o755)
    made = {
        "packs": (["packs", "--all", "--workers", "1", "-o"], kept / "packs" / "june"),
        "pack": (["pack", "1", "-o"], kept / "one" / "pack.pdf"),
        "export": (["export"], kept / "sheets" / "book.xlsx"),
        "backup": (["backup"], kept / "copies" / "book.sqlite"),
        "email": (["email", "1", "-o"], kept / "drafts" / "draft.eml"),
        "book": (["demo", "--clients", "1"], kept / "books" / "new.sqlite"),
    }
    for what, (argv, target) in made.items():
        db = str(target) if what == "book" else demo_book
        argv = [*argv, str(target)] if what != "book" else argv
        assert main(["--db", db, *argv]) == 0, what
        folder = target if what == "packs" else target.parent
        for each in (folder, *folder.parents):
            if each == kept:
                break
            assert _mode(each) == 0o700, (what, each)
    assert _mode(kept) == 0o755
    assert all(_mode(p) == 0o600 for p in (kept / "packs" / "june").iterdir())


def test_a_new_data_folder_is_private(tmp_path, monkeypatch, usual_umask):
    home = tmp_path / "fresh" / "ReviewDesk"
    monkeypatch.setenv("REVIEWDESK_HOME", str(home))
    assert paths.data_dir() == home
    assert _mode(home) == 0o700


def test_a_link_names_the_file_written_and_a_device_is_written_to(tmp_path, usual_umask):
    """Written whole under another name and renamed, a report given as a link replaced
    the link, and one given as a device (/dev/stdout) replaced the device."""
    from reviewdesk.files import write_private

    target = tmp_path / "reports" / "real.txt"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "latest.txt"
    link.symlink_to(target)
    write_private(link, b"report")
    assert link.is_symlink() and target.read_bytes() == b"report"
    assert _mode(target) == 0o600
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_private(fifo, b"through the pipe")
    reader.join(5)
    assert got == [b"through the pipe"] and stat.S_ISFIFO(fifo.stat().st_mode)
