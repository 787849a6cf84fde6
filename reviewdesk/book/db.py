"""Opening a book: the engine, its pragmas, migrations, and units of work."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from reviewdesk import paths
from reviewdesk.book import validation
from reviewdesk.book.errors import BookError

ENV_DB = "REVIEWDESK_DB"


class BookSession(Session):
    """A session whose flushes run the book's record rules."""


validation.install(BookSession)


@event.listens_for(BookSession, "loaded_as_persistent")
def _hold(session, instance) -> None:
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


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def make_engine(url: str, **kwargs) -> Engine:
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


class Book:
    """An open client book: the one object the CLI and the GUI pass around."""

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url
        self.path = sqlite_path(url)
        self._sessions = sessionmaker(engine, class_=BookSession, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed whole on success, rolled back whole on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def read_session(self) -> Session:
        """A session for reading (the caller closes it)."""
        return self._sessions()

    @property
    def display_name(self) -> str:
        return str(self.path) if self.path else make_url(self.url).render_as_string()

    def close(self) -> None:
        self.engine.dispose()


def backup_sqlite(source: Path, target: Path) -> Path:
    """A consistent copy of a SQLite book through SQLite's online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
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


def open_book(db: str | None = None, *, upgrade: bool = True) -> Book:
    """Open (creating or upgrading as needed) the book at `db`."""
    from reviewdesk.migrations import runner

    url = resolve_url(db)
    try:
        engine = make_engine(url)
    except (ArgumentError, ImportError, NoSuchModuleError) as exc:
        raise BookError(f"database URL {url!r} cannot be used: {exc}") from exc
    book = Book(engine, url)
    try:
        state = runner.state(engine)
        if state.current is None and state.has_foreign_tables:
            raise BookError(f"{book.display_name} is not a ReviewDesk book")
        if state.current != state.head:
            if not upgrade:
                raise BookError(f"{book.display_name} needs an upgrade to open")
            if state.current is not None and book.path is not None:
                stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                backup_sqlite(
                    book.path,
                    backups_dir(book.path) / f"{book.path.stem}-{stamp}-before-{state.head}.sqlite",
                )
            runner.upgrade(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise BookError(f"cannot open {book.display_name}: {exc.orig}") from exc
    except BaseException:
        engine.dispose()
        raise
    return book


def table_names(engine: Engine) -> list[str]:
    return inspect(engine).get_table_names()
