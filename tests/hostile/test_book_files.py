"""Hostile places for a book file: hard links, racing openers, read-only folders, full
disks, another person's backup, and email drafts to the wrong address."""

from __future__ import annotations

import csv
import email
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from reviewdesk.book import audit, backup, locking
from reviewdesk.book.db import make_encrypted_engine, open_book
from reviewdesk.book.errors import BookError
from reviewdesk.book.models import AuditEntry, Client, Contact, Setting
from reviewdesk.cli import main
from tests.conftest import PASSPHRASE


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _copy(demo_book_path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo.sqlite"
    shutil.copyfile(demo_book_path, path)
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name.endswith((".lock", "-wal", "-shm", ".part", ".partial"))
    )


# --- mounts: a small tmpfs, filled or made read-only (root only) ---------------------------


def _mount(folder: Path, size: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path):
    folder = tmp_path / "disk"
    _mount(folder, "8m")
    yield folder
    _umount(folder)


def _fill(folder: Path) -> None:
    """Fill the disk to the last byte."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 16, 1):
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError:
                    break
    finally:
        os.close(fd)


def _fill_but(folder: Path, left: int) -> None:
    """Fill the disk but for about `left` bytes."""
    info = os.statvfs(folder)
    with open(folder / "filler", "wb") as stream:
        stream.write(b"\0" * max(0, info.f_bavail * info.f_frsize - left))


def _read_only(folder: Path) -> None:
    done = subprocess.run(
        ["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot make the tmpfs read-only: {done.stderr.strip()}")


# --- 9. one lock per file --------------------------------------------------------------


def test_a_book_with_a_second_hard_link_is_refused_with_the_reason(
    demo_book_path, tmp_path, capsys, passphrase_env
):
    path = _copy(demo_book_path, tmp_path / "a")
    other = tmp_path / "b"
    other.mkdir()
    os.link(path, other / "same.sqlite")
    with pytest.raises(BookError, match="2 hard links"):
        open_book(str(path), passphrase=PASSPHRASE)
    code, _out, err = run(capsys, "--db", str(other / "same.sqlite"), "clients")
    assert code == 1 and "hard links" in err and len(err.strip().splitlines()) == 1
    assert _leftovers(path.parent) == [] and _leftovers(other) == []
    (other / "same.sqlite").unlink()
    open_book(str(path), passphrase=PASSPHRASE).close()


def test_two_paths_to_one_file_share_one_lock_in_a_process(demo_book_path, tmp_path):
    path = _copy(demo_book_path, tmp_path / "a")
    link = tmp_path / "link.sqlite"
    link.symlink_to(path)
    first = open_book(str(path), passphrase=PASSPHRASE)
    second = open_book(str(link), passphrase=PASSPHRASE)
    assert not first.read_only and not second.read_only
    assert (
        len(list(path.parent.glob("*.lock"))) == 1 and not (tmp_path / "link.sqlite.lock").exists()
    )
    second.close()
    assert locking.lock_path(path).exists()  # the first opening still holds it
    first.close()
    assert not locking.lock_path(path).exists()


def _opener(path: str, start, ready, results) -> None:
    from reviewdesk.book.db import open_book

    start.wait(30)
    book = open_book(path, passphrase=PASSPHRASE, upgrade=False)
    results.put(not book.read_only)
    ready.wait(30)  # both are open at once before either closes
    book.close()


def _stale_lock(path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    locking.lock_path(path).write_text(
        json.dumps(
            {
                "pid": int(dead),
                "host": socket.gethostname(),
                "user": "gone",
                "since": "2026-01-01T00:00:00",
                "token": "x",
            }
        )
    )


def _race(demo_book_path, tmp_path, pairs: int) -> None:
    path = _copy(demo_book_path, tmp_path / "race")
    open_book(str(path), passphrase=PASSPHRASE).close()  # the book as it is, upgraded
    ctx = multiprocessing.get_context("spawn")
    writers = []
    for _pair in range(pairs):
        _stale_lock(path)
        start, ready, results = ctx.Barrier(2), ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_opener, args=(str(path), start, ready, results)) for _ in "ab"]
        for proc in procs:
            proc.start()
        got = [results.get(timeout=60) for _ in procs]
        for proc in procs:
            proc.join(60)
            assert proc.exitcode == 0
        writers.append(sum(got))
    assert writers == [1] * pairs
    assert not locking.lock_path(path).exists()


def test_of_two_openers_racing_over_a_stale_lock_exactly_one_writes(demo_book_path, tmp_path):
    """Three pairs of spawned openers in the normal run; the thirty of the stress run below
    take about 100 s."""
    _race(demo_book_path, tmp_path, 3)


@pytest.mark.stress
def test_thirty_pairs_of_openers_racing_over_a_stale_lock(demo_book_path, tmp_path):
    _race(demo_book_path, tmp_path, 30)


# --- 10. read-only places --------------------------------------------------------------


def test_an_encrypted_book_in_a_read_only_folder_opens_for_reading(
    demo_book_path, small_disk, capsys, passphrase_env, tmp_path
):
    path = _copy(demo_book_path, small_disk)
    _read_only(small_disk)
    book = open_book(str(path), passphrase=PASSPHRASE)
    assert book.read_only and "read-only" in (book.read_only_reason or "")
    with book.session() as session:
        assert session.scalar(select(func.count(Client.id))) == 24
    book.close()
    for argv in (["clients"], ["--read-only", "clients"]):
        code, out, err = run(capsys, "--db", str(path), *argv)
        assert code == 0, err
        assert "passphrase" not in err
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REVIEWDESK_PASSPHRASE", "not it")
        code, _out, err = run(capsys, "--db", str(path), "clients")
    assert code == 1 and "passphrase is wrong" in err  # a wrong one is still named so
    # Export, pack and email work from it: the files are written, the missing record said.
    out_dir = tmp_path / "out"
    for argv, made in (
        (["export", str(out_dir / "book.xlsx")], out_dir / "book.xlsx"),
        (["pack", "1", "-o", str(out_dir / "p.pdf")], out_dir / "p.pdf"),
        (
            [
                "email",
                "1",
                "--to",
                "x@example.com",
                "--confirm-recipient",
                "-o",
                str(out_dir / "d.eml"),
            ],
            out_dir / "d.eml",
        ),
    ):
        code, out, err = run(capsys, "--db", str(path), *argv)
        assert code == 0, err
        assert made.is_file() and made.stat().st_size > 0
        assert "could not keep its record" in err and "was not saved" not in err


def test_a_read_only_book_exports_packs_and_emails_saying_the_record_is_not_kept(
    demo_book_path, tmp_path, capsys, passphrase_env
):
    path = _copy(demo_book_path, tmp_path / "ro")
    book = open_book(str(path), passphrase=PASSPHRASE)
    with book.session() as session:
        before = session.scalar(select(func.count(AuditEntry.id)))
        email_of_1 = session.get(Client, 1).email
    book.close()
    out_dir = tmp_path / "out"
    to = ["--to", email_of_1] if email_of_1 else ["--to", "a@example.com", "--confirm-recipient"]
    for argv in (
        ["export", str(out_dir / "b.xlsx")],
        ["pack", "1", "-o", str(out_dir / "p.pdf")],
        ["email", "1", *to, "-o", str(out_dir / "d.eml")],
    ):
        code, _out, err = run(capsys, "--db", str(path), "--read-only", *argv)
        assert code == 0, err
        assert "could not keep its record" in err and "opened read-only" in err
    assert sorted(p.name for p in out_dir.iterdir()) == ["b.xlsx", "d.eml", "p.pdf"]
    book = open_book(str(path), passphrase=PASSPHRASE)
    with book.session() as session:
        assert session.scalar(select(func.count(AuditEntry.id))) == before
    book.close()


# --- 11. a full disk -------------------------------------------------------------------


def test_on_a_full_disk_reading_works_and_writing_says_the_disk_is_full(
    demo_book_path, small_disk, tmp_path, capsys, passphrase_env
):
    path = _copy(demo_book_path, small_disk)
    _fill(small_disk)
    assert _leftovers(small_disk) == []
    for argv in (["clients"], ["--read-only", "clients"], ["show", "1"]):
        code, out, err = run(capsys, "--db", str(path), *argv)
        assert code == 0, err
        assert "Errno" not in err and "passphrase" not in err
    elsewhere = tmp_path / "elsewhere" / "save.sqlite"
    code, out, err = run(capsys, "--db", str(path), "backup", str(elsewhere))
    assert code == 0, err
    assert backup.verify(elsewhere, PASSPHRASE).tables["client"][0] == 24
    code, out, err = run(
        capsys, "--db", str(path), "contact", "1", "--channel", "T", "--summary", "hello"
    )
    assert code == 1
    assert "disk is full" in err and "Errno" not in err and len(err.strip().splitlines()) <= 2
    assert err.strip().splitlines()[-1].count(". ") == 0  # one sentence
    assert _leftovers(small_disk) == []
    assert sorted(p.name for p in small_disk.iterdir()) == ["demo.sqlite", "filler"]


def test_on_a_nearly_full_disk_the_days_backup_is_said_not_made_and_the_work_goes_on(
    demo_book_path, small_disk, tmp_path, capsys, passphrase_env
):
    """Found: with room left for the book's journal but not for the day's backup, every
    command, `clients` too, stopped on "an unexpected error" (exit 70): the backup made on
    opening could not be written, and the opening failed with it."""
    path = _copy(demo_book_path, small_disk)
    _fill_but(small_disk, 256 * 1024)  # room to save a contact, not for a copy of the book
    assert path.stat().st_size > 256 * 1024
    code, out, err = run(capsys, "--db", str(path), "clients")
    assert code == 0, err
    assert "24 clients" in out
    (said,) = err.strip().splitlines()
    assert "The day's backup was not made" in said and "the disk is full (" in said, said
    assert str(small_disk / "backups") in said and "Errno" not in said
    assert list((small_disk / "backups").iterdir()) == []  # nothing half written
    code, out, err = run(
        capsys, "--db", str(path), "contact", "1", "--channel", "T", "--summary", "hello"
    )
    assert code == 0, err
    # A backup asked for on that disk is refused in one sentence, leaving nothing.
    code, out, err = run(capsys, "--db", str(path), "backup", str(small_disk / "again.sqlite"))
    assert code == 1
    refused = err.strip().splitlines()[-1]
    assert "could not be written to" in refused and "the disk is full (" in refused, err
    assert "the book is unchanged" in refused and "Errno" not in err
    assert _leftovers(small_disk) == [] and not (small_disk / "again.sqlite").exists()
    # Elsewhere the backup is made, with the contact saved on the nearly full disk.
    elsewhere = tmp_path / "elsewhere" / "save.sqlite"
    code, out, err = run(capsys, "--db", str(path), "backup", str(elsewhere))
    assert code == 0, err
    assert backup.verify(elsewhere, PASSPHRASE).tables["client"][0] == 24
    saved = open_book(str(elsewhere), passphrase=PASSPHRASE, upgrade=False)
    try:
        with saved.session() as s:
            assert "hello" in s.scalars(select(Contact.summary)).all()
    finally:
        saved.close()


def test_on_a_nearly_full_disk_a_book_to_upgrade_is_left_as_it_was(
    demo_book_path, small_disk, capsys, passphrase_env
):
    """An upgrade is made only after a backup: with no room for one, the book is left at
    its revision and the command says why in one sentence."""
    from reviewdesk.migrations import runner

    path = _copy(demo_book_path, small_disk)
    book = open_book(str(path), passphrase=PASSPHRASE, upgrade=False)
    try:
        runner.downgrade(book.engine, "0013_latest_assessment")
    finally:
        book.close()
    _fill_but(small_disk, 256 * 1024)
    code, out, err = run(capsys, "--db", str(path), "clients")
    assert code == 1 and out == ""
    said = err.strip().splitlines()[-1]
    assert "needs an upgrade for this version, which is made only after a backup" in said
    assert "the disk is full (" in said and "Errno" not in err
    assert _leftovers(small_disk) == []
    engine = make_encrypted_engine(path, PASSPHRASE, read_only=True)
    try:
        assert runner.state(engine).current == "0013_latest_assessment"
    finally:
        engine.dispose()


def test_a_new_book_on_a_full_disk_is_refused_in_one_sentence(small_disk, capsys, passphrase_env):
    _fill(small_disk)
    code, _out, err = run(capsys, "--db", str(small_disk / "new.sqlite"), "clients")
    assert code == 1 and "disk is full" in err and "Errno" not in err
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


# --- 12. restore -------------------------------------------------------------------------


def test_a_book_is_given_an_identity_that_its_backups_carry(book, tmp_path):
    from reviewdesk.book.identity import BOOK_ID_KEY

    with book.session() as session:
        made = session.get(Setting, BOOK_ID_KEY).value
    assert len(made) == 32
    copy = backup.backup_to(book, tmp_path / "copy.sqlite")
    assert backup.verify(copy, PASSPHRASE).book_id == made


def test_another_persons_backup_is_refused_unless_foreign_is_said(
    demo_book_path, tmp_path, capsys, passphrase_env
):
    mine = _copy(demo_book_path, tmp_path / "mine")
    # Another person's book: made on its own, so with an identity of its own.
    (tmp_path / "theirs").mkdir()
    other = open_book(str(tmp_path / "theirs" / "book.sqlite"), passphrase=PASSPHRASE)
    theirs_backup = backup.backup_to(other, tmp_path / "theirs-backup.sqlite")
    other.close()
    book = open_book(str(mine), passphrase=PASSPHRASE)
    with book.session() as session:
        session.get(Client, 1).name = "我的改动"
    book.close()
    code, _out, err = run(capsys, "--db", str(mine), "restore", str(theirs_backup))
    assert code == 1 and "another book" in err and "--foreign" in err
    book = open_book(str(mine), passphrase=PASSPHRASE)
    with book.session() as session:
        assert session.get(Client, 1).name == "我的改动"  # untouched
    book.close()
    code, out, err = run(capsys, "--db", str(mine), "restore", "--foreign", str(theirs_backup))
    assert code == 0, err
    assert "another book" in out
    csv_file = next((mine.parent / "backups").glob("*-audit.csv"))
    with open(csv_file, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert any(r["new_value"] == "我的改动" for r in rows)
    book = open_book(str(mine), passphrase=PASSPHRASE)
    with book.session() as session:
        assert session.get(Client, 1) is None  # the other book has no clients
        assert [e.action for e in audit.entries(session)][-1] == "restore_foreign"
    book.close()


def test_restoring_an_older_backup_keeps_the_audit_entries_made_since(
    demo_book_path, tmp_path, capsys, passphrase_env
):
    path = _copy(demo_book_path, tmp_path / "b")
    book = open_book(str(path), passphrase=PASSPHRASE)
    old = backup.backup_to(book, tmp_path / "old.sqlite")
    with book.session() as session:
        session.get(Client, 2).name = "后来的名字"
        audit.record_event(session, "export", 2, "later.xlsx")
    with book.session() as session:
        since = [
            (e.action, e.field, e.new_value, e.detail)
            for e in audit.entries(session)
            if e.at >= audit.entries(session)[-1].at.replace(microsecond=0)
        ]
        count = session.scalar(select(func.count(AuditEntry.id)))
    book.close()
    code, out, err = run(capsys, "--db", str(path), "restore", str(old))
    assert code == 0, err
    assert "a backup of book" in out and "kept in the trail" in out
    book = open_book(str(path), passphrase=PASSPHRASE)
    with book.session() as session:
        entries = audit.entries(session)
        assert session.get(Client, 2).name != "后来的名字"
    book.close()
    kept = [(e.action, e.field, e.new_value, e.detail) for e in entries]
    for entry in since:
        assert entry in kept
    assert len(entries) == count + 1 and entries[-1].action == "restore"
    assert str(old) in (entries[-1].detail or "")


# --- 13. email drafts ----------------------------------------------------------------------


@pytest.fixture
def sharing(demo_book_path, tmp_path):
    """Clients 1 and 2 share one address."""
    path = _copy(demo_book_path, tmp_path / "mail")
    book = open_book(str(path), passphrase=PASSPHRASE)
    with book.session() as session:
        session.get(Client, 1).email = "family@example.com"
        session.get(Client, 2).email = "Family@example.com"
        codes = session.get(Client, 1).code, session.get(Client, 2).code
    book.close()
    return path, codes


def test_a_draft_goes_to_one_address_the_clients_own_unless_confirmed(
    sharing, tmp_path, capsys, passphrase_env
):
    path, _codes = sharing
    draft = str(tmp_path / "d.eml")
    for to in ("family@example.com, other@example.com", "a@example.com; b@example.com", "nobody"):
        code, _out, err = run(capsys, "--db", str(path), "email", "1", "--to", to, "-o", draft)
        assert code == 1 and "one address only" in err, (to, err)
    code, _out, err = run(
        capsys, "--db", str(path), "email", "1", "--to", "stranger@example.com", "-o", draft
    )
    assert code == 1 and "not the client's own address" in err and "--confirm-recipient" in err
    assert not Path(draft).exists()
    code, _out, err = run(
        capsys,
        "--db",
        str(path),
        "email",
        "1",
        "--to",
        "stranger@example.com",
        "--confirm-recipient",
        "-o",
        draft,
    )
    assert code == 0, err
    message = email.message_from_bytes(Path(draft).read_bytes(), policy=policy.default)
    assert message["To"] == "stranger@example.com"
    book = open_book(str(path), passphrase=PASSPHRASE)
    with book.session() as session:
        confirmed = [e for e in audit.entries(session) if e.action == "recipient_confirmed"]
    book.close()
    assert len(confirmed) == 1 and "stranger@example.com" in (confirmed[0].detail or "")


def test_a_shared_address_warns_naming_the_other_client(sharing, tmp_path, capsys, passphrase_env):
    path, (first, second) = sharing
    code, out, err = run(capsys, "--db", str(path), "email", "1", "-o", str(tmp_path / "d.eml"))
    assert code == 0, err
    assert "warning" in err and second in err and "family@example.com" in err


def test_a_new_book_opened_again_in_the_same_process_shares_its_lock(tmp_path):
    """A window and a worker open the book the app has just made: the second opening
    shares the first one's lock (the new book's lock was taken before its file existed)."""
    path = tmp_path / "new.sqlite"
    first = open_book(str(path), passphrase=PASSPHRASE)
    second = open_book(str(path), passphrase=PASSPHRASE)
    try:
        assert first.read_only_reason is None
        assert second.read_only_reason is None
    finally:
        second.close()
        first.close()
    assert not locking.lock_path(path).exists()


def test_a_client_with_no_address_is_refused_and_no_draft_is_written(
    sharing, tmp_path, capsys, passphrase_env
):
    path, _codes = sharing
    book = open_book(str(path), passphrase=PASSPHRASE)
    with book.session() as session:
        session.get(Client, 3).email = None
    book.close()
    draft = tmp_path / "d.eml"
    code, _out, err = run(capsys, "--db", str(path), "email", "3", "-o", str(draft))
    assert code == 1 and "no email address" in err and "--confirm-recipient" in err
    assert not draft.exists()


def test_a_confirmed_address_another_client_has_warns_naming_them(
    sharing, tmp_path, capsys, passphrase_env
):
    """Found: an address given with --to and confirmed was never checked against the other
    clients' (only the address on record was)."""
    path, (first, second) = sharing
    code, _out, err = run(
        capsys,
        "--db",
        str(path),
        "email",
        "3",
        "--to",
        "family@example.com",
        "--confirm-recipient",
        "-o",
        str(tmp_path / "d.eml"),
    )
    assert code == 0, err
    assert "warning" in err and f"{first}, {second}" in err and "family@example.com" in err
