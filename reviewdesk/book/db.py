"""Opening a book: encryption, locking, the engine, its pragmas, migrations, units of work."""

from __future__ import annotations

import getpass
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool

from reviewdesk import paths
from reviewdesk.book import audit, concurrency, crypto, locking, validation, versions
from reviewdesk.book.errors import BookError
from reviewdesk.files import empty_private, make_private, new_folders_private
from reviewdesk.i18n import _
from reviewdesk.migrations import runner

ENV_DB = "REVIEWDESK_DB"
LOCK_REFRESH_SECONDS = 3600


class BookSession(Session):
    """A session whose flushes run the book's record rules."""

    def flush(self, objects: Sequence[Any] | None = None) -> None:
        saving = versions.being_saved(self)  # as read: a failed flush forgets it
        try:
            super().flush(objects)
        except StaleDataError as exc:
            # Someone saved one of these records since it was read: say who and when.
            raise versions.explain(self, saving) from exc


validation.install(BookSession)
audit.install(BookSession)


@event.listens_for(BookSession, "loaded_as_persistent")
def _hold(session: Session, instance: object) -> None:
    """Keep loaded objects alive for the session's life.

    A session holds unmodified objects weakly; `find_client(s, x).snapshots.append(...)`
    would otherwise lose the client between the lookup and the change. A unit of work
    is short, so holding its objects costs little.
    """
    session.info.setdefault("held", []).append(instance)


def resolve_url(db: str | None = None) -> str:
    """The book's SQLAlchemy URL: --db, then $REVIEWDESK_DB, then the user's default book.

    A plain file path is taken as a SQLite book.
    """
    value = db or os.environ.get(ENV_DB) or str(paths.default_book_path())
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    try:
        make_url(value)
    except ArgumentError as exc:
        raise BookError(f"database URL {value!r} is not valid: {exc}") from exc
    return value


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    if not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


class ReadOnlyBook(BookError):
    """An edit refused because the book is open read-only."""


class DiskFull(BookError):
    pass


class BookIOError(BookError):
    pass


class CorruptBook(BookError):
    pass


def _sqlite_pragmas(read_only: bool) -> Callable[[DBAPIConnection, ConnectionPoolEntry], None]:
    def apply(dbapi_connection: DBAPIConnection, connection_record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.execute("PRAGMA temp_store=MEMORY")
            if not read_only:
                cursor.execute("PRAGMA journal_mode=WAL")
                # FULL: a committed action survives a power cut, not only a crash.
                cursor.execute("PRAGMA synchronous=FULL")
        finally:
            cursor.close()

    return apply


def _translate_error(context: ExceptionContext) -> None:
    """SQLite's storage failures as one clear sentence; the session rolls back whole."""
    exc = context.original_exception
    text = str(exc).lower()
    if "database or disk is full" in text:
        raise DiskFull(
            _(
                "the book could not be saved: the disk is full (database or disk "
                "is full); nothing was changed, free some space and try again"
            )
        ) from exc
    if "disk i/o error" in text:
        raise BookIOError(
            _(
                "the book could not be read or saved: disk I/O error; nothing "
                "was changed, check the drive or share and try again"
            )
        ) from exc
    if "readonly database" in text or "read-only database" in text:
        raise ReadOnlyBook(_("the book is open read-only: the change was not saved")) from exc
    if "audit trail is append-only" in text:
        raise audit.AuditTrailError(
            _("the audit trail is append-only: an entry cannot be changed or deleted")
        ) from exc
    if "malformed" in text or "file is not a database" in text:
        raise CorruptBook(
            _(
                "the book file is damaged ({error}); restore a backup with 'reviewdesk restore'"
            ).format(error=exc)
        ) from exc


class ServerGone(BookError):
    """The book's server went away during a unit of work: it was rolled back whole."""


class ServerUnreachable(ServerGone):
    """The book's server could not be reached to start a unit of work."""


# Server-side reasons a connection ended: an administrator's or crash shutdown, a server
# not yet accepting connections (SQLSTATE class 57P), and the connection exceptions (08).
_GONE_STATES = ("57P01", "57P02", "57P03")
_UNREACHABLE = (
    "connection refused",
    "could not connect",
    "connection failed",
    "server closed the connection",
    "the database system is shutting down",
    "the database system is starting up",
    "the database system is in recovery mode",
    "no such file or directory",
)


def _server_error(context: ExceptionContext) -> None:
    """A PostgreSQL server that went away (or cannot be reached) as one sentence. The
    transaction on the server is gone with its connection, so nothing of it was kept; the
    pool drops the connection and the next unit of work connects afresh (pre-ping)."""
    if context.is_pre_ping:
        return  # the pool's own check: a dead connection is replaced, not reported
    exc = context.original_exception
    state = str(getattr(exc, "sqlstate", None) or "")
    if context.is_disconnect or state in _GONE_STATES or state.startswith("08"):
        context.is_disconnect = True  # the pool forgets this connection
        if context.connection is None:
            raise ServerUnreachable(_server_unreachable()) from exc
        raise ServerGone(
            _(
                "The connection to the book's server was lost; nothing of this change was "
                "saved. Try again once the server is back."
            )
        ) from exc
    if context.connection is None and any(m in str(exc).lower() for m in _UNREACHABLE):
        raise ServerUnreachable(_server_unreachable()) from exc


def _server_unreachable() -> str:
    return _(
        "The book's server cannot be reached; nothing was changed. Try again once the "
        "server is back."
    )


def make_engine(
    url: str, *, read_only: bool = False, immutable: bool = False, **kwargs: Any
) -> Engine:
    # A statement's parameters are client data: they stay out of every error message
    # (and so out of the log and off the screen).
    kwargs.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        path = sqlite_path(url)
        if path is not None and not read_only:
            new_folders_private(path.parent)
        if path is not None and read_only:
            url = f"sqlite:///file:{path.resolve().as_posix()}?mode=ro&uri=true"
            if immutable:
                url += "&immutable=1"
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas(read_only))
        event.listen(engine, "handle_error", _translate_error)
        return engine
    # The book's queries are short and many: PostgreSQL's JIT compiler, which the row-level
    # policies' cost estimates set off, spends more compiling them than running them (a
    # manager's client list at 10,000 clients: 554 ms with it, 59 ms without). A random
    # page costs little more than a sequential one on a solid-state disk (1.1, the usual
    # setting for one; PostgreSQL's default, 4, is a spinning disk's): with the default the
    # planner read all 720,000 snapshot facts, and every rate, to find the 10,000 of a
    # supervisor's list (242 ms and 135 ms; by their keys 80 ms and 48 ms).
    connect_args = dict(kwargs.pop("connect_args", {}))
    if parsed.drivername.startswith("postgresql"):
        options = f"{connect_args.get('options', '')} -c jit=off -c random_page_cost=1.1"
        connect_args["options"] = options.strip()
    # Pre-ping: a connection the server dropped (a restart) is replaced before it is used.
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)
    event.listen(engine, "handle_error", _server_error)
    return engine


def make_encrypted_engine(
    path: Path, passphrase: str, *, read_only: bool = False, immutable: bool = False
) -> Engine:
    """An engine whose every connection is keyed and checked (see crypto.connect)."""
    if not read_only:
        new_folders_private(path.parent)
    engine = create_engine(
        f"sqlite:///{path}",
        module=crypto.dbapi(),
        creator=lambda: crypto.connect(path, passphrase, read_only=read_only, immutable=immutable),
        poolclass=QueuePool,
        hide_parameters=True,  # as in make_engine
    )
    event.listen(engine, "connect", _sqlite_pragmas(read_only))
    event.listen(engine, "handle_error", _translate_error)
    return engine


def _refuse_writes(
    session: Session, flush_context: UOWTransaction, instances: Sequence[object] | None
) -> None:
    book = session.info.get("book")
    if book is not None and book.read_only and (session.new or session.dirty or session.deleted):
        raise ReadOnlyBook(
            _("the book is open read-only ({reason}): the change was not saved").format(
                reason=book.read_only_reason
            )
        )


event.listen(BookSession, "before_flush", _refuse_writes)


@dataclass(frozen=True)
class BookAccess:
    """What another process of this program needs to read an open book: where it is and,
    if it is encrypted, its passphrase. Hand it over privately (a spawned process's
    arguments travel through its own pipe), never through the environment, the command
    line or a file. The passphrase stays out of the repr, so out of logs and tracebacks.
    """

    url: str
    passphrase: str | None = field(default=None, repr=False)
    # The key the passphrase derives for the book file, when the opener has it: the other
    # process keys its connections with it rather than derive it again (book/crypto.py).
    key: str | None = field(default=None, repr=False)

    def open_reader(self) -> Book:
        """The book opened read-only and without taking its lock (the opener holds it)."""
        path = sqlite_path(self.url)
        if self.key and self.passphrase and path is not None:
            crypto.remember_key(path, self.passphrase, self.key)
        return open_book(
            self.url, passphrase=self.passphrase, read_only=True, lock=False, upgrade=False
        )


class Book:
    """An open client book: the one object the CLI and the GUI pass around."""

    def __init__(
        self,
        engine: Engine,
        url: str,
        *,
        encrypted: bool = False,
        read_only_reason: str | None = None,
        actor: str | None = None,
    ):
        self.engine = engine
        self.url = url
        self.path = sqlite_path(url)
        self.encrypted = encrypted
        self.read_only_reason = read_only_reason
        self.actor = actor or _current_user()
        self._passphrase: str | None = None
        # Documents that could not be moved into the book's folder when it opened (see
        # documents.secure): for the front end to tell the user.
        self.document_problems: list[str] = []
        # Why the day's backup made on opening was not written (`backup.BackupFailed`), if
        # it was not: for the front end to tell the user.
        self.backup_problem: str | None = None
        self._locked = False
        self._lock_refreshed = time.monotonic()
        self._sessions = sessionmaker(
            engine, class_=BookSession, expire_on_commit=False, info={"book": self}
        )

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed whole on success, rolled back whole on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
            if (
                self._locked
                and self.path is not None
                and time.monotonic() - self._lock_refreshed > LOCK_REFRESH_SECONDS
            ):
                locking.refresh(self.path)
                self._lock_refreshed = time.monotonic()
        except BaseException as exc:
            session.rollback()
            if self.engine.dialect.name == "postgresql":
                # Another unit of work took a key or a row meanwhile: one sentence.
                raced = concurrency.explain(self.engine, exc)
                if raced is not None:
                    raise raced from exc
            raise
        finally:
            session.close()

    def read_session(self) -> Session:
        """A session for reading (the caller closes it)."""
        return self._sessions()

    @property
    def display_name(self) -> str:
        return str(self.path) if self.path else make_url(self.url).render_as_string()

    @property
    def status(self) -> str:
        """How the book is protected, for a title bar or a status line."""
        parts = [_("encrypted") if self.encrypted else _("not encrypted")]
        if self.read_only:
            parts.append(_("read-only: {reason}").format(reason=self.read_only_reason))
        return ", ".join(parts)

    def access(self) -> BookAccess:
        """How another process opens this book for reading (see BookAccess): its
        passphrase and the key it derives, derived now if this process has not yet (once
        here rather than once in each of a batch's workers)."""
        if not self.encrypted or not self._passphrase:
            return BookAccess(self.url)
        key = crypto.derived_key(self.path, self._passphrase) if self.path else None
        return BookAccess(self.url, self._passphrase, key)

    def opens_with(self, passphrase: str) -> bool:
        """Whether `passphrase` opens this encrypted book, tried on the file itself (a fresh
        keyed connection), not compared with a copy kept in memory."""
        if self.path is None or not self.encrypted or not passphrase:
            return False
        try:
            connection = crypto.connect(self.path, passphrase)
        except crypto.PassphraseError:  # a wrong one, or one that cannot be a passphrase
            return False
        connection.close()
        return True

    def change_passphrase(self, new_passphrase: str) -> int:
        """Re-key an encrypted book, or encrypt a plain one, under `new_passphrase`.

        Its backups follow (see backup.rekey_backups); returns how many did.
        """
        if self.path is None:
            raise BookError(_("only a book file can be encrypted"))
        if self.read_only:
            raise ReadOnlyBook(
                _("the book is open read-only ({reason}): the passphrase was not changed").format(
                    reason=self.read_only_reason
                )
            )
        crypto.quote_passphrase(new_passphrase)
        old_passphrase = self._passphrase if self.encrypted else None
        self.engine.dispose()
        if self.encrypted:
            connection = crypto.connect(self.path, self._passphrase or "")
            try:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                crypto.rekey(connection, new_passphrase)
            finally:
                connection.close()
        else:
            work = self.path.with_name(self.path.name + ".encrypting")
            work.unlink(missing_ok=True)
            crypto.export_encrypted(self.path, work, new_passphrase)
            check = crypto.connect(work, new_passphrase)
            try:
                if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise CorruptBook(
                        _("the encrypted copy failed its check; the book is unchanged")
                    )
            finally:
                check.close()
            for suffix in ("-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            os.replace(work, self.path)
        self._passphrase = new_passphrase
        self.encrypted = True
        self.engine = make_encrypted_engine(self.path, new_passphrase)
        self._sessions.configure(bind=self.engine)
        from reviewdesk.book import documents
        from reviewdesk.book.backup import rekey_backups
        from reviewdesk.book.identity import ensure_book_id
        from reviewdesk.book.models import Setting

        with self.session() as session:  # a plain book's documents are encrypted now
            self.document_problems = documents.secure(session)
        with self.session() as session:
            book_id = ensure_book_id(session)
            secret = session.get(Setting, documents.DOCUMENT_KEY)
            documents_of = (book_id, secret.value) if secret is not None else None
        return rekey_backups(self.path, old_passphrase, new_passphrase, documents_of)

    def close(self) -> None:
        self.engine.dispose()
        if self._locked and self.path is not None:
            locking.release(self.path)
            self._locked = False


def _current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment
        return "?"


def backup_sqlite(source: Path, target: Path) -> Path:
    """A consistent copy of a plain SQLite book through SQLite's online backup API."""
    new_folders_private(target.parent)
    empty_private(target)  # the copy is its owner's alone, as the book is
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def backups_dir(book_path: Path) -> Path:
    return book_path.parent / "backups"


# Below this much free space a book is not opened for writing: SQLite needs room for its
# write-ahead log and shared-memory index before the first change is saved.
MIN_FREE_BYTES = 64 * 1024


def disk_full(folder: Path) -> bool:
    """True when the disk holding `folder` has (almost) no space left for this user."""
    try:
        info = os.statvfs(folder)
    except OSError:
        return False
    return info.f_bavail * info.f_frsize < MIN_FREE_BYTES


def _folder_writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK)


def _read_only_reason(path: Path, asked: bool) -> str | None:
    if asked:
        return _("opened read-only")
    if path.exists() and not os.access(path, os.W_OK):
        return _("the file is read-only")
    if path.exists() and not _folder_writable(path):
        return _("its folder is read-only")
    if path.exists() and disk_full(path.parent):
        return _("the disk is full")
    return None


def _immutable(path: Path) -> bool:
    """Whether to read the book as immutable: nothing can be written beside it (a read-only
    folder, a full disk), so SQLite could not make its shared-memory index, and no write-ahead
    log holds changes not yet in the file (a writer elsewhere would leave one)."""
    if _folder_writable(path) and not disk_full(path.parent):
        return False
    try:
        return os.stat(str(path) + "-wal").st_size == 0
    except FileNotFoundError:
        return True
    except OSError:
        return False


def refuse_hard_links(path: Path) -> None:
    """A book file reachable by more than one name is refused: SQLite keeps a write-ahead
    log per name, so two writers through two names would each lose the other's saves."""
    try:
        links = os.stat(path).st_nlink
    except OSError:
        return
    if links > 1:
        raise BookError(
            _(
                "{book} has {n} hard links (other names for the same file): it is refused, "
                "because two names would let two people write it at once and lose saves; "
                "keep one name (remove the other links) or copy the file"
            ).format(book=path, n=links)
        )


def open_book(
    db: str | None = None,
    *,
    upgrade: bool = True,
    passphrase: str | None = None,
    plain: bool | None = None,
    read_only: bool = False,
    lock: bool = True,
    daily_backup: bool = False,
    keep_days: int | None = None,
    actor: str | None = None,
) -> Book:
    """Open (creating or upgrading as needed) the book at `db`.

    An existing book opens as it is: encrypted (then `passphrase` is needed and
    checked before anything is written) or plain. A new book is encrypted when a
    passphrase is given; `plain=False` insists on one, `plain=True` refuses it.
    The app's own policy (a new book is encrypted unless the user chose plain)
    lives in AppContext. A book another process has open, or a file that cannot
    be written, opens read-only; the reason is `Book.read_only_reason`.
    """
    # The backups are made with a Book, so the module that makes them imports this one.
    from reviewdesk.book import backup

    url = resolve_url(db)
    path = sqlite_path(url)
    kind = crypto.file_kind(path) if path is not None else "server"
    if kind == "encrypted" and not passphrase:
        raise crypto.PassphraseRequired(
            _("{book} is encrypted: a passphrase is needed").format(book=path)
        )
    if kind == "new" and plain is False and not passphrase:
        raise crypto.PassphraseRequired(
            _("a new book is encrypted: a passphrase is needed (or choose a plain book)")
        )
    encrypted = kind == "encrypted" or (kind == "new" and bool(passphrase) and not plain)

    if path is not None:
        refuse_hard_links(path)
    reason = _read_only_reason(path, read_only) if path is not None else None
    if kind == "new" and reason is not None:
        raise BookError(
            _("{book} does not exist and cannot be created read-only").format(book=path)
        )
    if kind == "new" and path is not None and path.parent.exists() and disk_full(path.parent):
        raise DiskFull(
            _("{book} cannot be created: the disk is full; free some space and try again").format(
                book=path
            )
        )
    locked = False
    if path is not None and reason is None and lock:
        try:
            holder = locking.acquire(path)
        except locking.LockUnavailable as exc:
            reason = exc.message()  # the lock could not be written: read, but never write
        else:
            if holder is None:
                locked = True
            else:
                reason = _("open by {holder}").format(holder=holder.describe())
    immutable = reason is not None and path is not None and _immutable(path)
    try:
        if encrypted:
            # Only a book file is encrypted, and never without a passphrase (refused above).
            assert path is not None and passphrase
            engine = make_encrypted_engine(
                path, passphrase, read_only=reason is not None, immutable=immutable
            )
        else:
            engine = make_engine(url, read_only=reason is not None, immutable=immutable)
    except (ArgumentError, ImportError, NoSuchModuleError) as exc:
        if locked and path is not None:
            locking.release(path)
        raise BookError(f"database URL {url!r} cannot be used: {exc}") from exc
    except BaseException:
        if locked and path is not None:
            locking.release(path)
        raise
    book = Book(engine, url, encrypted=encrypted, read_only_reason=reason, actor=actor)
    book._passphrase = passphrase if encrypted else None
    book._locked = locked
    try:
        state = runner.state(engine)
        if state.current is None and state.has_foreign_tables:
            raise BookError(f"{book.display_name} is not a ReviewDesk book")
        if state.current != state.head:
            if not upgrade:
                raise BookError(f"{book.display_name} needs an upgrade to open")
            if book.read_only:
                raise ReadOnlyBook(
                    _("{book} needs an upgrade and is open read-only ({reason})").format(
                        book=book.display_name, reason=reason
                    )
                )
            if state.current is not None and book.path is not None:
                try:
                    backup.make_backup(book, f"before-{state.head}")
                except backup.BackupFailed as exc:
                    raise BookError(
                        _(
                            "{book} needs an upgrade for this version, which is made only "
                            "after a backup: {reason}"
                        ).format(book=book.display_name, reason=exc)
                    ) from exc
            runner.upgrade(engine)
        if not book.read_only and book.path is not None:
            # The book is its owner's alone, a new one and one an older version made under
            # the umask; SQLite gives its journal files the book's mode when it makes them.
            for part in ("", "-wal", "-shm"):
                make_private(Path(f"{book.path}{part}"))  # a file not there is left alone
        if not book.read_only:
            from reviewdesk.book import documents
            from reviewdesk.book.identity import ensure_book_id

            with book.session() as session:
                ensure_book_id(session)
            with book.session() as session:
                book.document_problems = documents.secure(session)
        if (
            daily_backup
            and state.current is not None
            and not book.read_only
            and book.path is not None
        ):
            try:
                backup.daily_backup(book, keep_days)
            except backup.BackupFailed as exc:
                # The book is whole and the user's work goes on: said, not fatal (found:
                # on a full disk every command, `clients` too, stopped here).
                book.backup_problem = str(exc)
    except DBAPIError as exc:
        book.close()
        raise BookError(f"cannot open {book.display_name}: {exc.orig}") from exc
    except BaseException:
        book.close()
        raise
    return book


def table_names(engine: Engine) -> list[str]:
    return inspect(engine).get_table_names()
