"""A disk that fills up under the book, its backups and the log, without root: a child
process under a file-size limit (RLIMIT_FSIZE) meets the refused write inside SQLCipher
itself, as it would on a full disk; the log's refused line is a stream that says ENOSPC."""

from __future__ import annotations

import errno
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reviewdesk import logs
from reviewdesk.book import crypto
from reviewdesk.book.db import open_book
from reviewdesk.book.models import Client
from tests import factories as f

LIMITED = """
import resource, signal, sys
from pathlib import Path
from reviewdesk.book.errors import BookError

def limit(size):
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))

def unlimit():
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
"""


def _run(code: str, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", LIMITED + textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def _book(path: Path, passphrase: str | None = "old pass", clients: int = 12) -> None:
    book = open_book(str(path), passphrase=passphrase, plain=passphrase is None)
    with book.session() as s:
        for i in range(clients):
            s.add(f.client(f"C{i}", f"客户{i}", special_notes="备注" * 1500))
    book.close()


def test_a_passphrase_change_the_disk_cannot_hold_keeps_the_book_and_its_passphrase(tmp_path):
    """Found: SQLCipher answers a rekey it could not write with "ok". On a full disk the
    book stayed under its passphrase while the app went on with the new one: it said "the
    passphrase is wrong ... nothing was changed", and every later save in the window failed
    the same way."""
    path = tmp_path / "b.sqlite"
    _book(path)
    said = _run(
        """
        from reviewdesk.book.db import open_book
        from reviewdesk.book.models import Client
        book = open_book(sys.argv[1], passphrase="old pass")
        limit(Path(sys.argv[1]).stat().st_size // 2)
        try:
            book.change_passphrase("new pass")
            print("changed")
        except BookError as exc:
            print(type(exc).__name__, exc)
        unlimit()
        with book.session() as s:  # the app goes on with its book
            s.get(Client, 1).occupation = "saved after"
        print("saved")
        book.close()
        """,
        str(path),
    )
    assert said[0].startswith("RekeyFailed ") and "was not re-encrypted" in said[0], said
    assert "still opens with its current passphrase" in said[0]
    assert "wrong" not in said[0] and said[1] == "saved"
    with pytest.raises(crypto.WrongPassphrase):
        open_book(str(path), passphrase="new pass")
    book = open_book(str(path), passphrase="old pass")
    with book.session() as s:
        assert s.get(Client, 1).occupation == "saved after"
    book.close()


def test_encrypting_a_plain_book_the_disk_cannot_hold_leaves_no_copy_and_says_why(tmp_path):
    """Found: encrypting a plain book on a full disk stopped on "an unexpected error" and
    left the copy cut short (`b.sqlite.encrypting`) in the book's folder, taking the space
    it had found."""
    path = tmp_path / "b.sqlite"
    _book(path, passphrase=None)
    said = _run(
        """
        from reviewdesk.book.db import open_book
        book = open_book(sys.argv[1])
        limit(32 * 1024)
        try:
            book.change_passphrase("new pass")
            print("changed")
        except BookError as exc:
            print(type(exc).__name__, exc)
        unlimit()
        book.close()
        """,
        str(path),
    )
    assert said[0].startswith("RekeyFailed ") and "was not encrypted" in said[0], said
    assert "it is unchanged" in said[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.sqlite"]
    book = open_book(str(path))
    assert not book.encrypted
    with book.session() as s:
        assert s.get(Client, 1).name == "客户0"
    book.close()


def test_a_backup_the_disk_cannot_hold_leaves_nothing_in_the_backups_folder(tmp_path):
    """Found: every opening on a full disk left a `<backup>.sqlite.part-journal` in the
    backups folder (SQLite's journal of the copy cut short), one more each time, and the
    free space said was measured before the copy cut short was removed ("0.0 MB free")."""
    path = tmp_path / "b.sqlite"
    _book(path, passphrase=None)  # as an encrypted one's: a plain book spares the keys' time
    said = _run(
        """
        from reviewdesk.book import backup
        from reviewdesk.book.db import open_book
        book = open_book(sys.argv[1])
        backup.SMALL_CACHE = -16  # a book larger than the copy's cache, as a real one is
        limit(32 * 1024)
        try:
            backup.make_backup(book, "daily")
            print("made")
        except backup.BackupFailed as exc:
            print(exc)
        unlimit()
        book.close()
        """,
        str(path),
    )
    assert "the backup could not be written to" in said[0], said
    assert list((tmp_path / "backups").iterdir()) == []


def test_a_full_disk_reason_says_what_the_backup_needs_and_what_is_free(tmp_path):
    from reviewdesk.book import backup

    full = OSError(errno.ENOSPC, "No space left on device")
    failed = backup._failed(full, tmp_path / "x", 5 << 20)
    assert "the backup needs about 5.0 MB, " in str(failed) and " free)" in str(failed)


def test_a_log_line_a_full_disk_refuses_puts_nothing_on_the_terminal(tmp_path, capfd):
    """Found: with the data folder on a full disk, a refused pack printed logging's own
    "--- Logging error ---" and two tracebacks under the one sentence the user reads, with
    the messages the log keeps out of its file."""

    class Full:
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self) -> None:
            pass

    handler = logs.PrivateFileHandler(tmp_path / "reviewdesk.log")
    handler.stream.close()
    handler.stream = Full()  # type: ignore[assignment]
    logger = logging.getLogger("reviewdesk.test_full_disk")
    logger.addHandler(handler)
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device", "/clients/王伟.pdf")
        except OSError:
            logger.warning("'pack' stopped on a file the system refused", exc_info=True)
    finally:
        logger.removeHandler(handler)
    out, err = capfd.readouterr()
    assert err == "" and out == ""
