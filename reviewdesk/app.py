"""The composition root: one application context for the command line and the GUI."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from reviewdesk import paths
from reviewdesk.book.db import Book, open_book
from reviewdesk.book.models import Client

log = logging.getLogger("reviewdesk")


@dataclass
class AppContext:
    """What every command and window needs: the book, today, and who is working."""

    db: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    user: str = field(default_factory=getpass.getuser)
    _book: Book | None = None

    @property
    def book(self) -> Book:
        if self._book is None:
            self._book = open_book(self.db)
        return self._book

    def client_count(self) -> int:
        with self.book.session() as session:
            return session.scalar(select(func.count(Client.id))) or 0

    def ensure_demo(self, progress: Callable[[int, int], None] | None = None) -> bool:
        """Fill an empty book with the demo (first run); True if it did."""
        from reviewdesk.demo import DemoOptions, fill_demo

        if self.client_count():
            return False
        with self.book.session() as session:
            fill_demo(session, DemoOptions(as_of=self.today), progress)
        return True

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None


def setup_logging() -> None:
    """Tracebacks go to a log file in the data folder, never to the user's terminal."""
    handler = logging.FileHandler(paths.data_dir() / "reviewdesk.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("reviewdesk")
    if not root.handlers:
        root.addHandler(handler)
        root.setLevel(logging.INFO)
