"""SQLCipher connections: the book encrypted at rest.

The passphrase goes to SQLCipher as an escaped SQL string literal, never as a
raw key, so SQLCipher 4's own key derivation (PBKDF2-HMAC-SHA512, 256,000
iterations, a random salt per file) applies. A connection is only handed out
after the key is proven right and the library is proven to be SQLCipher: a
plain SQLite loaded in its place would otherwise write the book unencrypted.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from sqlalchemy.engine.interfaces import DBAPIConnection

from reviewdesk.book.errors import BookError
from reviewdesk.i18n import _

SQLITE_HEADER = b"SQLite format 3\x00"
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


def apply_key(connection: DBAPIConnection, passphrase: str, name: str = "") -> None:
    """Key a fresh connection and prove the key and the library before anything else runs."""
    cursor = connection.cursor()
    try:
        # SQLCipher would print its own diagnostics to the terminal; the message below says it.
        cursor.execute("PRAGMA cipher_log_level = NONE")
        cursor.execute(f"PRAGMA key = {quote_passphrase(passphrase)}")
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
    finally:
        cursor.close()


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
        apply_key(connection, passphrase, str(path))
    except BaseException:
        connection.close()
        raise
    return connection


def rekey(connection: DBAPIConnection, new_passphrase: str) -> None:
    """Re-encrypt every page of an open, keyed book under a new passphrase."""
    cursor = connection.cursor()
    try:
        cursor.execute(f"PRAGMA rekey = {quote_passphrase(new_passphrase)}")
    finally:
        cursor.close()


def export_encrypted(plain_path: Path, target: Path, passphrase: str) -> None:
    """Write an encrypted copy of a plain book (SQLCipher's `sqlcipher_export`)."""
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
    finally:
        connection.close()
