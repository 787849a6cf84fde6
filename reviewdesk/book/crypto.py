"""SQLCipher connections: the book encrypted at rest.

The passphrase goes to SQLCipher as an escaped SQL string literal, so SQLCipher 4's
own key derivation (PBKDF2-HMAC-SHA512, 256,000 iterations, a random salt per file)
makes the key. That derivation is slow on purpose (0.12 s of CPU) and SQLCipher makes
it again for every connection; a process that connects to the same file again (the
book's other threads, the day's backup, a restore's check, a second opening) derives
the key once more in the same way (`hashlib`, the library's own parameters, the file's
salt) and keys those connections with it: the same key, the derivation made once per
passphrase and file in a process. A connection is only handed out after the key is
proven right and the library is proven to be SQLCipher: a plain SQLite loaded in its
place would otherwise write the book unencrypted.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from pathlib import Path
from types import ModuleType

from sqlalchemy.engine.interfaces import DBAPIConnection

from reviewdesk.book.errors import BookError
from reviewdesk.files import size_text
from reviewdesk.i18n import _
from reviewdesk.refusals import disk_full

SQLITE_HEADER = b"SQLite format 3\x00"
log = logging.getLogger("reviewdesk")
MIN_KDF_ITERATIONS = 256_000


class PassphraseError(BookError):
    """The book is encrypted and the passphrase is missing or wrong."""


class PassphraseRequired(PassphraseError):
    pass


class WrongPassphrase(PassphraseError):
    pass


class NotSQLCipher(BookError):
    """The SQLite library loaded cannot encrypt: refuse rather than write plain text."""


def dbapi() -> ModuleType:
    """The SQLCipher DB-API module (`sqlcipher3`)."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:
        raise NotSQLCipher(
            _("encrypted books need the sqlcipher3 package: {error}").format(error=exc)
        ) from exc
    module: ModuleType = dbapi2
    return module


def quote_passphrase(passphrase: str) -> str:
    """The passphrase as a SQL string literal: quotes doubled, anything else kept as is."""
    if not passphrase:
        raise PassphraseError(_("the passphrase is empty"))
    if "\x00" in passphrase:
        raise PassphraseError(_("the passphrase cannot contain a NUL character"))
    return "'" + passphrase.replace("'", "''") + "'"


def file_kind(path: Path) -> str:
    """'new' (absent or empty), 'plain' (an SQLite header) or 'encrypted' (anything else)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return "new"
    if not head:
        return "new"
    return "plain" if head == SQLITE_HEADER else "encrypted"


class BookUnreadable(BookError):
    """The book could not be read for a reason other than its passphrase."""


# What SQLite says when the file cannot be read at all, whatever the key: the folder is
# read-only or the disk full (no shared-memory index can be made), the drive fails.
_CANNOT_READ = (
    "unable to open",
    "readonly database",
    "read-only database",
    "disk i/o error",
    "database or disk is full",
    "locking protocol",
    "database is locked",
)


# An encrypted book's page cache, in KiB. A book of a few hundred clients (10-40 MB) fits
# in it whole. On the encrypted 10,000-client book, in the app: list refresh 1,010 -> 858
# ms, agenda 392 -> 345 ms, peak memory 366 -> 376 MB. 64 MB did more for the agenda
# (230 ms) but took the app to 429 MB, over its 400 MB.
CACHE_KB = 32 * 1024


def apply_key(
    connection: DBAPIConnection, passphrase: str, name: str = "", raw_key: str | None = None
) -> None:
    """Key a fresh connection and prove the key and the library before anything else runs.

    `raw_key`: the key the passphrase derives for this file (`_Keys`), in hexadecimal;
    without it SQLCipher derives the key from the passphrase itself."""
    cursor = connection.cursor()
    try:
        # SQLCipher would print its own diagnostics to the terminal; the message below says it.
        cursor.execute("PRAGMA cipher_log_level = NONE")
        quote_passphrase(passphrase)  # an empty passphrase, or one with a NUL, is refused
        if raw_key is None:
            cursor.execute(f"PRAGMA key = {quote_passphrase(passphrase)}")
        else:
            cursor.execute(f"PRAGMA key = \"x'{raw_key}'\"")
        row = cursor.execute("PRAGMA cipher_version").fetchone()
        if not row or not row[0]:
            raise NotSQLCipher(
                _("the SQLite library loaded is not SQLCipher: the book cannot be encrypted")
            )
        try:
            cursor.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except Exception as exc:  # the DB-API's DatabaseError: "file is not a database"
            if any(words in str(exc).lower() for words in _CANNOT_READ):
                # Not the key: the file could not be read at all (a read-only folder, a full
                # disk, a missing file); say so rather than blame the passphrase.
                raise BookUnreadable(
                    _("{book} could not be read: {error}").format(book=name, error=exc)
                ) from exc
            raise WrongPassphrase(
                _(
                    "the passphrase is wrong for {book} (or the file is not "
                    "a ReviewDesk book); nothing was changed"
                ).format(book=name)
            ) from exc
        iterations = cursor.execute("PRAGMA kdf_iter").fetchone()
        if iterations and int(iterations[0]) < MIN_KDF_ITERATIONS:
            raise NotSQLCipher(_("the SQLCipher key derivation is weaker than expected"))
        cursor.execute("PRAGMA temp_store = MEMORY")
        # Every page read from an encrypted file is decrypted and checked; SQLite's default
        # cache (2 MB) kept too few of them for the client list and the agenda to find their
        # pages again, and each one decrypted the same pages anew. The cache grows only
        # with the pages read (`CACHE_KB`). A plain book keeps SQLite's default: there a
        # page comes from the system's file cache at little cost, and a larger cache
        # measured slower on the 10,000-client book.
        cursor.execute(f"PRAGMA cache_size = -{CACHE_KB}")
    finally:
        cursor.close()


# SQLCipher 4's key derivation: PBKDF2 with HMAC-SHA512 over the passphrase's UTF-8 bytes
# and the 16 bytes that open the file (its salt), making a 32-byte key.
SALT_BYTES = 16
KEY_BYTES = 32
_KDF = "PBKDF2_HMAC_SHA512"


def _iterations(connection: DBAPIConnection, algorithm: str, iterations: str) -> int | None:
    """The iterations the connection's key derivation makes (the PRAGMAs named), if it is
    the one below; None if not."""
    cursor = connection.cursor()
    try:
        kdf = cursor.execute(f"PRAGMA {algorithm}").fetchone()
        count = cursor.execute(f"PRAGMA {iterations}").fetchone()
    finally:
        cursor.close()
    if kdf and kdf[0] == _KDF and count and int(count[0]) > 0:
        return int(count[0])
    return None


def _derive(passphrase: str, salt: bytes, iterations: int) -> str:
    """The key, in hexadecimal, as SQLCipher derives it (outside the interpreter's lock)."""
    return hashlib.pbkdf2_hmac(
        "sha512", passphrase.encode("utf-8"), salt, iterations, KEY_BYTES
    ).hex()


class _Keys:
    """The keys this process has derived, by passphrase and salt, as SQLCipher derives
    them (the library's own iterations and algorithm, read from its first connection).

    A pair's first connection is keyed by SQLCipher from the passphrase, as ever; only a
    second one derives the key here (hashlib's PBKDF2 takes about as long as SQLCipher's),
    and every later one is keyed with it; or the key is derived ahead, on a thread, with
    the library's defaults (`derive_ahead`: the desktop app's start). A derived key that
    does not open the file it was made for is not kept: that connection is keyed from the
    passphrase, and so are the pair's later ones. A few pairs are kept, the most recently
    used."""

    KEEP = 8

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Salts whose key is being derived ahead (`prepare_key`): a connection waits for it.
        self._pending: dict[bytes, threading.Event] = {}
        # (passphrase, salt) -> iterations (keyed once by SQLCipher), the key (hex), or
        # None (the derivation here is not the library's: leave it to SQLCipher).
        self._pairs: OrderedDict[tuple[str, bytes], int | str | None] = OrderedDict()

    def key_for(self, passphrase: str, salt: bytes) -> str | None:
        """The key to give a new connection to a file with this salt, if it is known or can
        be derived now; None: key it from the passphrase."""
        pair = (passphrase, salt)
        with self._lock:
            pending = self._pending.get(salt)
        if pending is not None:
            pending.wait()
        with self._lock:
            known = self._pairs.get(pair)
            if pair in self._pairs:
                self._pairs.move_to_end(pair)
        if not isinstance(known, int):
            return known  # the key, or None
        key = _derive(passphrase, salt, known)
        self._remember(pair, key)
        return key

    def keyed(self, connection: DBAPIConnection, passphrase: str, salt: bytes) -> None:
        """A connection SQLCipher keyed from the passphrase opened the file: the next one
        may have its key derived here, if the library derives as above."""
        pair = (passphrase, salt)
        with self._lock:
            if pair in self._pairs:
                return
        self._remember(pair, _iterations(connection, "cipher_kdf_algorithm", "kdf_iter"))

    def refused(self, passphrase: str, salt: bytes) -> None:
        """A derived key did not open its file: leave the pair to SQLCipher."""
        self._remember((passphrase, salt), None)

    def derive_ahead(self, passphrase: str, salt: bytes) -> threading.Thread:
        """Derive the pair's key on a thread of its own, with the library's default
        parameters (what it makes a new book with); connections to a file with this salt
        wait for it meanwhile. The derivation runs outside the interpreter's lock."""
        done = threading.Event()
        with self._lock:
            self._pending[salt] = done

        def derive() -> None:
            try:
                connection = dbapi().connect(":memory:")
                try:
                    iterations = _iterations(
                        connection, "cipher_default_kdf_algorithm", "cipher_default_kdf_iter"
                    )
                finally:
                    connection.close()
                if iterations is not None:
                    self._remember((passphrase, salt), _derive(passphrase, salt, iterations))
            except Exception:  # noqa: BLE001 - the opening derives the key itself, as ever
                log.debug("the key could not be derived ahead", exc_info=True)
            finally:
                with self._lock:
                    if self._pending.get(salt) is done:
                        del self._pending[salt]
                done.set()

        thread = threading.Thread(target=derive, name="reviewdesk-key", daemon=True)
        thread.start()
        return thread

    def remember(self, passphrase: str, salt: bytes, key: str) -> None:
        """A key derived for this pair elsewhere (`remember_key`)."""
        self._remember((passphrase, salt), key)

    def forget(self) -> None:
        with self._lock:
            self._pairs.clear()

    def _remember(self, pair: tuple[str, bytes], value: int | str | None) -> None:
        with self._lock:
            self._pairs[pair] = value
            self._pairs.move_to_end(pair)
            while len(self._pairs) > self.KEEP:
                self._pairs.popitem(last=False)


_KEYS = _Keys()


def _salt(path: Path) -> bytes | None:
    """The salt an encrypted book file opens with; None for a new or a plain file."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SALT_BYTES)
    except OSError:
        return None
    if len(head) < SALT_BYTES or head == SQLITE_HEADER:
        return None
    return head


def derived_key(path: Path, passphrase: str) -> str | None:
    """The key `passphrase` derives for the book file at `path`, derived now if need be,
    once this process has keyed a connection to the file (so the library's parameters are
    known); None otherwise. For another process of this program (see `remember_key`)."""
    salt = _salt(path)
    return None if salt is None else _KEYS.key_for(passphrase, salt)


def prepare_key(path: Path, passphrase: str) -> threading.Thread | None:
    """Start deriving the key `passphrase` makes for the book file at `path`, on a thread of
    its own, so that opening the book a moment later finds it made: the desktop app's
    interface loads meanwhile (the derivation runs outside the interpreter's lock, on
    another core). A key that does not open the file is dropped when the book opens, which
    then keys from the passphrase; a file that is not an encrypted book is left alone."""
    salt = _salt(path)
    if salt is None or not passphrase:
        return None
    return _KEYS.derive_ahead(passphrase, salt)


def remember_key(path: Path, passphrase: str, key: str) -> None:
    """A key another process of this program derived for the file at `path` (handed over
    with the passphrase, privately): this process's connections to the file are keyed with
    it. One that does not open the file is dropped, as any derived key."""
    salt = _salt(path)
    if salt is not None:
        _KEYS.remember(passphrase, salt, key)


def read_only_uri(path: Path, immutable: bool = False) -> str:
    """The SQLite URI that opens `path` for reading; `immutable` where nothing can be written
    beside it (a read-only folder, a full disk): SQLite then needs no shared-memory file."""
    return f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def connect(
    path: Path,
    passphrase: str,
    *,
    read_only: bool = False,
    timeout: float = 5.0,
    immutable: bool = False,
) -> DBAPIConnection:
    """A keyed SQLCipher connection to the book at `path`."""
    module = dbapi()
    if read_only:
        target, uri = read_only_uri(path, immutable), True
    else:
        target, uri = str(path), False
    connection: DBAPIConnection = module.connect(
        target, uri=uri, timeout=timeout, check_same_thread=False
    )
    try:
        salt = _salt(path)
        if salt is None:  # a new book: SQLCipher makes its salt as it writes the first page
            apply_key(connection, passphrase, str(path))
            return connection
        key = _KEYS.key_for(passphrase, salt)
        if key is not None:
            try:
                apply_key(connection, passphrase, str(path), raw_key=key)
                return connection
            except WrongPassphrase:
                # Not the library's derivation after all: SQLCipher's own, from now on.
                _KEYS.refused(passphrase, salt)
                connection.close()
                connection = module.connect(
                    target, uri=uri, timeout=timeout, check_same_thread=False
                )
        apply_key(connection, passphrase, str(path))
        _KEYS.keyed(connection, passphrase, salt)
    except BaseException:
        connection.close()
        raise
    return connection


class RekeyFailed(BookError):
    """The pages could not be re-encrypted (a full disk): the file is as it was, under
    its old passphrase."""


def rekey(connection: DBAPIConnection, new_passphrase: str) -> None:
    """Re-encrypt every page of an open, keyed book under a new passphrase; `RekeyFailed`
    when the file does not open with it afterwards (it then still opens with the old one).

    SQLCipher answers the rekey with "ok" even when the pages could not be written (found:
    on a full disk the book stayed under the old passphrase while the app went on with the
    new one; it said "the passphrase is wrong" and refused every later save, and a backup
    left under the old passphrase was counted as re-keyed): the file is read back, through
    this connection and through a fresh one keyed with the new passphrase."""
    _KEYS.forget()  # the old passphrase's key no longer opens this file
    cursor = connection.cursor()
    file = Path(cursor.execute("PRAGMA database_list").fetchone()[2])
    try:
        cursor.execute(f"PRAGMA rekey = {quote_passphrase(new_passphrase)}")
        cursor.execute("SELECT count(*) FROM sqlite_master").fetchone()
        connect(file, new_passphrase).close()
    except (dbapi().Error, BookError) as exc:
        raise _rekey_failed(file, exc) from exc
    finally:
        cursor.close()


def _rekey_failed(file: Path, exc: BaseException) -> RekeyFailed:
    return RekeyFailed(
        _(
            "{file} was not re-encrypted: {reason}; it still opens with its current passphrase"
        ).format(file=file, reason=_reason(file, exc))
    )


def _reason(file: Path, exc: BaseException) -> str:
    """Why `file` could not be written encrypted: on a full disk, with the room it needs."""
    if not disk_full(exc):
        return str(exc)
    try:
        size = file.stat().st_size
    except OSError:
        return _("the disk is full")
    wal = Path(f"{file}-wal")  # saves not yet moved into the file
    size += wal.stat().st_size if wal.exists() else 0
    return _("the disk is full (encrypting it needs about {size} free)").format(
        size=size_text(size)
    )


def export_encrypted(plain_path: Path, target: Path, passphrase: str) -> None:
    """Write an encrypted copy of a plain book (SQLCipher's `sqlcipher_export`); a copy
    cut short (a full disk) is removed and `RekeyFailed` says why, the book unchanged."""
    module = dbapi()
    connection = module.connect(str(plain_path), check_same_thread=False)
    try:
        connection.execute(
            f"ATTACH DATABASE ? AS encrypted KEY {quote_passphrase(passphrase)}", (str(target),)
        )
        connection.execute("SELECT sqlcipher_export('encrypted')")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        connection.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        connection.commit()
        connection.execute("DETACH DATABASE encrypted")
    except module.Error as exc:
        connection.close()
        # Found: encrypting a plain book on a full disk stopped on "an unexpected error" and
        # left the copy cut short (`.encrypting`, as large as the disk allowed) beside it.
        for part in (target, Path(f"{target}-journal"), Path(f"{target}-wal")):
            part.unlink(missing_ok=True)
        raise RekeyFailed(
            _("{file} was not encrypted: {reason}; it is unchanged").format(
                file=plain_path, reason=_reason(plain_path, exc)
            )
        ) from exc
    finally:
        connection.close()
