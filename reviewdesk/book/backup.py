"""Backups of a book: made by SQLite itself, kept encrypted, checked before any restore.

`VACUUM INTO` writes a consistent, compacted copy from a live connection (a
file copy of a database in WAL mode can miss committed pages or catch a
half-written one), and under SQLCipher the copy is encrypted with the book's
own key. A backup is written under a temporary name and renamed when
complete, so a crash never leaves half a backup that looks whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine.interfaces import DBAPIConnection

from reviewdesk.book import audit, crypto, document_archive, documents, identity
from reviewdesk.book.db import Book, CorruptBook, backups_dir, make_encrypted_engine, make_engine
from reviewdesk.book.errors import BookError
from reviewdesk.files import (
    empty_private,
    make_private,
    new_folders_private,
    private_dir,
    size_text,
    write_private,
)
from reviewdesk.i18n import _
from reviewdesk.migrations import runner
from reviewdesk.refusals import disk_full, os_reason
from reviewdesk.settings import load_settings

DEFAULT_KEEP_DAYS = 30
_NAME = re.compile(r"-(\d{8})-(\d{6})-([\w.-]+)\.sqlite$")

# A connection to a book file: SQLCipher's (an encrypted file) or the standard library's.
Connection = DBAPIConnection | sqlite3.Connection


def _stamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")


SMALL_CACHE = -2000  # SQLite's default cache, in KiB (negative: a size, not pages)


class BackupFailed(BookError):
    """A backup could not be written (a full disk, a folder that cannot be written): the
    book itself is unchanged, and no part of the backup is left behind."""


def _failed(exc: BaseException, target: Path, needs: int | None = None) -> BackupFailed:
    """`needs`: about how many bytes the backup takes, said with the free space."""
    folder = Path(target).parent
    if disk_full(exc):
        try:
            free = size_text(shutil.disk_usage(folder).free)
        except OSError:
            reason = _("the disk is full")
        else:
            if needs:
                reason = _("the disk is full (the backup needs about {size}, {free} free)")
                reason = reason.format(size=size_text(needs), free=free)
            else:
                reason = _("the disk is full ({free} free)").format(free=free)
    elif isinstance(exc, OSError):
        reason = os_reason(exc)
    else:
        reason = str(exc)
    return BackupFailed(
        _("the backup could not be written to {folder}: {reason}; the book is unchanged").format(
            folder=folder, reason=reason
        )
    )


def vacuum_into(connection: Connection, target: Path) -> Path:
    """Write a consistent copy of the open database behind `connection` (a DB-API one)."""
    target = Path(target)
    work = target.with_name(target.name + ".part")
    # The copy reads every page once: through SQLite's default cache, so that it does not
    # leave the connection holding an encrypted book's cache of pages (`crypto.CACHE_KB`;
    # found: with a 64 MB cache, the day's backup took the app from 314 to 408 MB on a
    # 2,000-client book).
    size = connection.execute("PRAGMA cache_size").fetchone()[0]
    connection.execute(f"PRAGMA cache_size = {SMALL_CACHE}")
    pages = [  # SQLCipher gives the page size as text
        int(connection.execute(f"PRAGMA {name}").fetchone()[0])
        for name in ("page_count", "freelist_count", "page_size")
    ]
    needs = (pages[0] - pages[1]) * pages[2]  # the copy leaves the free pages out
    try:
        new_folders_private(target.parent)
        # SQLite fills an empty file it is given and keeps its mode: the copy is its
        # owner's alone from its first page, as the book is.
        empty_private(work)
        connection.execute("VACUUM INTO ?", (str(work),))
        os.replace(work, target)
    except (OSError, sqlite3.Error, crypto.dbapi().Error) as exc:
        # Found: on a full disk the day's backup stopped every command, `clients` too,
        # with "an unexpected error". The space the copy took is given back before the
        # free space is said (found: "0.0 MB free" with 2 MB free once it was removed).
        _remove_copy(work)
        raise _failed(exc, target, needs) from exc
    finally:
        _remove_copy(work)
        connection.execute(f"PRAGMA cache_size = {int(size)}")
    return target


def _remove_copy(work: Path) -> None:
    """A copy cut short, with the journal SQLite writes beside a copy larger than its cache
    (found: each opening on a full disk left a `.part-journal` in the backups folder)."""
    for part in (work, Path(f"{work}-journal"), Path(f"{work}-wal")):
        part.unlink(missing_ok=True)


def backup_to(book: Book, target: Path) -> Path:
    """A backup of `book` at `target` (encrypted with the book's key when it is encrypted)."""
    if book.path is None:
        raise BookError(
            _("only a book file can be backed up here; use the database server's own backups")
        )
    if Path(target).resolve() == book.path.resolve():
        raise BookError(_("the backup cannot replace the book itself"))
    raw = book.engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None  # a connection just checked out of the pool is live
        made = vacuum_into(connection, Path(target))
    finally:
        raw.close()
    # The documents beside it, as stored (an encrypted book's stay encrypted); a backup
    # without them is not one.
    try:
        with book.session() as session:
            document_archive.write_archive(session, made)
    except OSError as exc:
        made.unlink(missing_ok=True)
        raise _failed(exc, made) from exc
    return made


def make_backup(book: Book, label: str, now: dt.datetime | None = None) -> Path:
    """A backup in the book's backups folder, named for when and why it was made."""
    assert book.path is not None
    name = f"{book.path.stem}-{_stamp(now)}-{label}.sqlite"
    try:
        folder = private_dir(backups_dir(book.path))
    except OSError as exc:
        raise _failed(exc, backups_dir(book.path) / name) from exc
    made = backup_to(book, folder / name)
    for older in folder.iterdir():  # those an older version left 0644
        make_private(older)
    return made


def list_backups(book_path: Path) -> list[tuple[dt.datetime, str, Path]]:
    """(made at, label, path) of the book's backups, oldest first."""
    folder = backups_dir(book_path)
    found = []
    if folder.is_dir():
        for path in folder.glob(f"{book_path.stem}-*.sqlite"):
            match = _NAME.search(path.name)
            if match:
                made = dt.datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S")
                found.append((made, match[3], path))
    return sorted(found)


def made_at(path: Path) -> dt.datetime:
    """When a backup was made: from its name (see make_backup), else its file's time."""
    match = _NAME.search(Path(path).name)
    if match:
        return dt.datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S")
    return dt.datetime.fromtimestamp(Path(path).stat().st_mtime)


def daily_backup(
    book: Book, keep_days: int | None = None, now: dt.datetime | None = None
) -> Path | None:
    """The opening backup: at most one a day; then backups older than `keep_days` go."""
    assert book.path is not None
    now = now or dt.datetime.now()
    if keep_days is None:
        with book.session() as session:
            keep_days = load_settings(session).backup_keep_days
    made = None
    if not any(
        label == "daily" and when.date() == now.date() for when, label, _ in list_backups(book.path)
    ):
        made = make_backup(book, "daily", now)
    rotate(book.path, keep_days, now)
    return made


def rotate(book_path: Path, keep_days: int, now: dt.datetime | None = None) -> list[Path]:
    """Delete backups older than `keep_days`, always keeping the newest one."""
    now = now or dt.datetime.now()
    backups = list_backups(book_path)
    cutoff = now - dt.timedelta(days=keep_days)
    removed = []
    for when, _label, path in backups[:-1]:
        if when < cutoff:
            path.unlink(missing_ok=True)
            document_archive.remove_archive(path)
            removed.append(path)
    return removed


def rekey_backups(
    book_path: Path,
    old: str | None,
    new: str,
    documents_of: tuple[str, object] | None = None,
) -> int:
    """Bring the book's backups under its new passphrase (plain ones are encrypted).

    A passphrase is changed when it may have leaked: backups left under the old
    one (or in clear) would keep the old exposure. A backup that opens with
    neither is left as it is.

    `documents_of` is the book's (identity, document secret): the documents beside a
    backup made while the book was plain are encrypted with the book's document key,
    and the secret is put in the backup (encrypted now, as the book is) so that the
    backup restores them by itself.
    """
    done = 0
    for _when, _label, path in list_backups(book_path):
        kind = crypto.file_kind(path)
        work = path.with_name(path.name + ".rekey")
        work.unlink(missing_ok=True)
        try:
            if kind == "plain":
                crypto.export_encrypted(path, work, new)
                os.replace(work, path)
            elif kind == "encrypted" and old:
                connection = crypto.connect(path, old)
                try:
                    crypto.rekey(connection, new)
                finally:
                    connection.close()
            elif kind != "encrypted":
                continue
            # Also after a change cut short: an encrypted backup whose documents are plain.
            encrypted_documents = documents_of is not None and _encrypt_documents(
                path, new, *documents_of
            )
        except crypto.WrongPassphrase:
            continue
        except crypto.RekeyFailed:
            continue  # under its old passphrase still (a full disk): not counted as re-keyed
        except (document_archive.DamagedArchive, OSError, crypto.dbapi().Error):
            continue  # the backup is under the new passphrase; its check names the damage
        finally:
            work.unlink(missing_ok=True)
        if kind == "plain" or (kind == "encrypted" and old) or encrypted_documents:
            done += 1
    return done


def _encrypt_documents(path: Path, passphrase: str, book_id: str, secret: object) -> bool:
    """Encrypt the plain documents beside the encrypted backup `path` (see rekey_backups);
    whether there were any."""
    if not document_archive.archive_path(path).exists():
        return False
    connection = crypto.connect(path, passphrase)
    try:
        backup_id = identity.read_book_id(connection)
        stored_secret = _setting(connection, documents.DOCUMENT_KEY)
        if backup_id is None or stored_secret is None:
            # A backup of this book (it is in its folder) made before it had an identity,
            # or while it was plain: it gets the book's identity and document secret.
            backup_id = backup_id or book_id
            stored_secret = stored_secret or secret
            for key, value in (
                (identity.BOOK_ID_KEY, backup_id),
                (documents.DOCUMENT_KEY, stored_secret),
            ):
                connection.execute(
                    "INSERT OR IGNORE INTO setting (key, value) VALUES (?, ?)",
                    (key, json.dumps(value)),
                )
            connection.commit()
    finally:
        connection.close()
    keyed = documents.Keying(backup_id, documents.key_from_setting(stored_secret, backup_id))
    return document_archive.encrypt_archive(path, keyed) > 0


@dataclass(frozen=True)
class Verified:
    path: Path
    encrypted: bool
    revision: str
    tables: dict[str, tuple[int, str]]
    book_id: str | None = None  # the book it was made from (None: made before identities)
    # The documents beside it, each read back against its digest (None: a backup made
    # before backups carried documents).
    documents: int | None = None


class ForeignBackup(BookError):
    """A backup of another book: refused unless the restore says it means it."""


@dataclass(frozen=True)
class Restored:
    """What a restore did: the replaced book's backup, the backup's book, and the audit
    entries made since the backup (merged in, or written to `audit_file` for a foreign one)."""

    kept: Path
    book_id: str | None
    foreign: bool
    carried: int
    audit_file: Path | None
    documents: int | None = None  # documents put back (None: the backup carried none)


def _connect(path: Path, passphrase: str | None, read_only: bool = True) -> tuple[Connection, bool]:
    kind = crypto.file_kind(path)
    if kind == "new":
        raise CorruptBook(_("{file} is empty or missing: not a backup").format(file=path))
    if kind == "encrypted":
        if not passphrase:
            raise crypto.PassphraseRequired(
                _("{file} is encrypted: a passphrase is needed").format(file=path)
            )
        return crypto.connect(path, passphrase, read_only=read_only), True
    uri = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    return sqlite3.connect(uri, uri=read_only), False


def table_digests(connection: Connection) -> dict[str, tuple[int, str]]:
    """Per table: the row count and a SHA-256 of every row in primary-key order."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    result = {}
    for name in names:
        columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{name}")')]
        order = ", ".join(f'"{c}"' for c in columns)
        digest = hashlib.sha256()
        count = 0
        for row in connection.execute(f'SELECT * FROM "{name}" ORDER BY {order}'):
            digest.update(repr(row).encode("utf-8"))
            count += 1
        result[name] = (count, digest.hexdigest())
    return result


def verify(path: Path, passphrase: str | None = None) -> Verified:
    """Check that `path` is a whole ReviewDesk book; refuse it with the reason otherwise."""
    path = Path(path)
    try:
        connection, encrypted = _connect(path, passphrase)
    except crypto.WrongPassphrase as exc:
        raise CorruptBook(
            _(
                "{file} does not open with this passphrase, or is damaged: "
                "refused (a backup keeps the passphrase the book had when it "
                "was made)"
            ).format(file=path)
        ) from exc
    try:
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise CorruptBook(
                    _("{file} is damaged ({problem}): refused").format(
                        file=path, problem=problems[0]
                    )
                )
            known = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = "
                "'table' AND name = 'alembic_version'"
            ).fetchone()[0]
            row = known and connection.execute("SELECT version_num FROM alembic_version").fetchone()
            tables = table_digests(connection)
            document_ids: set[int] = set()
            secret = None
            if row:
                document_ids = {r[0] for r in connection.execute("SELECT id FROM document")}
                secret = _setting(connection, documents.DOCUMENT_KEY) if encrypted else None
        except (sqlite3.DatabaseError, crypto.dbapi().DatabaseError) as exc:
            raise CorruptBook(
                _("{file} is damaged ({problem}): refused").format(file=path, problem=exc)
            ) from exc
        if not row:
            raise CorruptBook(_("{file} is not a ReviewDesk book: refused").format(file=path))
        try:
            carried = document_archive.check_archive(path, secret, document_ids)
        except document_archive.DamagedArchive as exc:
            raise CorruptBook(str(exc)) from exc
        return Verified(
            path,
            encrypted,
            row[0],
            tables,
            identity.read_book_id(connection),
            None if carried is None else carried.documents,
        )
    finally:
        connection.close()


def _setting(connection: Connection, key: str) -> object:
    row = connection.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    if not row or row[0] is None:
        return None
    try:
        return json.loads(row[0])
    except (TypeError, ValueError):
        return row[0]


def _audit_rows(connection: Connection) -> list[tuple[object, ...]]:
    columns = ", ".join(audit.AUDIT_COLUMNS)
    return [tuple(row) for row in connection.execute(f"SELECT {columns} FROM audit_entry")]


def _entries_since(book: Book, backup_rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """The book's audit entries the backup does not have: those made since it."""
    have = set(backup_rows)
    raw = book.engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None
        rows = _audit_rows(connection)
    finally:
        raw.close()
    return [row for row in rows if row not in have]


def _write_audit_csv(rows: list[tuple[object, ...]], target: Path) -> Path:
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(audit.AUDIT_COLUMNS)
    writer.writerows(rows)
    return write_private(target, text.getvalue().encode("utf-8"))


def backup_identity(path: Path, passphrase: str | None = None) -> str | None:
    """The identity of the book a backup file was made from (see verify)."""
    return verify(path, passphrase).book_id


def restore(
    book: Book, source: Path, backup_passphrase: str | None = None, *, foreign: bool = False
) -> Restored:
    """Replace the book with the backup at `source`; say what was done (see Restored).

    Nothing is replaced until the backup has passed its check; the book as it
    was is itself kept as a backup first. A backup of another book (another
    identity) is refused unless `foreign`. The audit entries made since the
    backup are not lost: merged into the restored book (the same book), or
    written as CSV beside the kept backup (another book's, whose clients differ);
    the restore itself is audited. An encrypted book stays encrypted under its
    current passphrase, whatever passphrase (or none) the backup had.
    """
    if book.path is None:
        raise BookError(_("only a book file can be restored"))
    if book.read_only:
        raise BookError(
            _("the book is open read-only ({reason}): nothing was restored").format(
                reason=book.read_only_reason
            )
        )
    source = Path(source)
    if source.resolve() == book.path.resolve():
        raise BookError(_("a book cannot be restored from itself"))
    source_key = backup_passphrase or book._passphrase
    checked = verify(source, source_key)
    with book.session() as session:
        current_id = identity.ensure_book_id(session)
    is_foreign = checked.book_id is not None and checked.book_id != current_id
    if is_foreign and not foreign:
        raise ForeignBackup(
            _(
                "{file} is a backup of another book (book {other}; this book is {mine}): "
                "nothing was restored; to replace this book with it, say so (--foreign)"
            ).format(file=source, other=checked.book_id, mine=current_id)
        )
    connection, _encrypted = _connect(source, source_key)
    try:
        backup_rows = _audit_rows(connection)
    finally:
        connection.close()
    since = _entries_since(book, backup_rows)
    target_key = book._passphrase if book.encrypted else (source_key if checked.encrypted else None)
    kept = make_backup(book, "before-restore")
    audit_file = None
    if is_foreign and since:
        audit_file = _write_audit_csv(since, kept.with_name(kept.stem + "-audit.csv"))
    work = book.path.with_name(book.path.name + ".restoring")
    staged = book.path.with_name(book.path.name + ".restoring-plain")
    for leftover in (work, staged):
        leftover.unlink(missing_ok=True)
    try:
        connection, _encrypted = _connect(source, source_key)
        try:
            vacuum_into(connection, staged if not checked.encrypted and target_key else work)
        finally:
            connection.close()
        if not checked.encrypted and target_key:
            crypto.export_encrypted(staged, work, target_key)
        elif checked.encrypted and target_key != source_key:
            # The backup opened with its passphrase; an encrypted book has its own.
            assert source_key and target_key
            rekeying = crypto.connect(work, source_key)
            try:
                crypto.rekey(rekeying, target_key)
            finally:
                rekeying.close()
        if verify(work, target_key).tables != checked.tables:
            raise CorruptBook(_("the restored copy differs from the backup: nothing was restored"))
        book.engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(str(book.path) + suffix).unlink(missing_ok=True)
        os.replace(work, book.path)
    finally:
        for leftover in (work, staged):
            leftover.unlink(missing_ok=True)
    book.encrypted = target_key is not None
    book._passphrase = target_key
    book.engine = (
        make_encrypted_engine(book.path, target_key) if target_key else make_engine(book.url)
    )
    book._sessions.configure(bind=book.engine)
    runner.upgrade(book.engine)
    carried = 0 if is_foreign else len(since)
    with book.session() as session:
        restored_id = identity.ensure_book_id(session)
        put_back = document_archive.restore_archive(session, source)
        if not is_foreign and since:
            # The trail goes on: the entries made since the backup, as they were stored.
            session.connection().exec_driver_sql(
                "INSERT INTO audit_entry ({columns}) VALUES ({marks})".format(
                    columns=", ".join(audit.AUDIT_COLUMNS),
                    marks=", ".join("?" * len(audit.AUDIT_COLUMNS)),
                ),
                since,
            )
        # Stored in the book, in the words every other event's detail uses (not translated).
        where = f"written to {audit_file}" if audit_file else "kept in the trail"
        detail = (
            f"{source} (book {checked.book_id or restored_id}); the replaced book kept as "
            f"{kept}; {len(since)} audit entries made since the backup {where}"
        )
        if put_back is not None:
            detail += f"; {put_back} documents put back"
        audit.record_event(session, "restore_foreign" if is_foreign else "restore", detail=detail)
    with book.session() as session:  # a plain backup's documents, in an encrypted book
        book.document_problems = documents.secure(session)
    return Restored(kept, checked.book_id, is_foreign, carried, audit_file, put_back)
