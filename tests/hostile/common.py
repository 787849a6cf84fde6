"""What the hostile-input tests share: CSV files as a user's tools write them, and a
fingerprint of a book to show that a refused import changed nothing."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from reviewdesk.book.db import Book
from reviewdesk.book.models import Base


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def fingerprint(book: Book) -> str:
    """A digest of every row of every table (the audit trail included)."""
    digest = hashlib.sha256()
    with book.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(table.select().order_by(*table.primary_key.columns))
            for row in rows:
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()
