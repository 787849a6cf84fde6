"""Which book a file is: an identity given when the book is made, kept in its settings.

A backup carries the identity of the book it was made from, so a restore can say whose
book it is and ask before one person's book replaces another's. The identity lives in
the `setting` table under `BOOK_ID_KEY` (the settings themselves ignore the key).
"""

from __future__ import annotations

import json
import sqlite3
import uuid

from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session

from reviewdesk.book import audit
from reviewdesk.book.models import Setting

BOOK_ID_KEY = "book_id"


def book_id(session: Session) -> str | None:
    row = session.get(Setting, BOOK_ID_KEY)
    return str(row.value) if row is not None and row.value else None


def ensure_book_id(session: Session) -> str:
    """The book's identity, given now if it has none yet (a book made before identities)."""
    found = book_id(session)
    if found is not None:
        return found
    made = uuid.uuid4().hex
    with audit.paused(session):
        session.add(Setting(key=BOOK_ID_KEY, value=made))
        session.flush()
    return made


def read_book_id(connection: DBAPIConnection | sqlite3.Connection) -> str | None:
    """The identity stored in a book file opened directly (a backup); None if it has none."""
    try:
        row = connection.execute(
            "SELECT value FROM setting WHERE key = ?", (BOOK_ID_KEY,)
        ).fetchone()
    except Exception:  # noqa: BLE001 - no setting table: a book older than its settings
        return None
    if not row or row[0] is None:
        return None
    try:
        value = json.loads(row[0])
    except (TypeError, ValueError):
        value = row[0]
    return str(value) if value else None
