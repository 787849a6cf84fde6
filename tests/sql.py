"""The SQL a block of code runs on an engine, for tests about the statements themselves."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event


@contextmanager
def executed(engine: Engine) -> Iterator[list[tuple[str, object]]]:
    """(statement, parameters) of every statement run on `engine` inside the block."""
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


# Columns later revisions added that the models read: a test that runs today's code on
# a book downgraded below them adds them back for the while (`later_columns`).
LATER_COLUMNS = (("client", "sort_name", "VARCHAR(1400) NOT NULL DEFAULT ''"),)


@contextmanager
def later_columns(engine: Engine) -> Iterator[None]:
    """Today's models on a book downgraded below the revisions of `LATER_COLUMNS`: their
    columns added for the block (empty, as a row written outside the models has them) and
    dropped after it, so that the book upgrades again as it would have."""
    with engine.begin() as conn:
        for table, column, kind in LATER_COLUMNS:
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    try:
        yield
    finally:
        with engine.begin() as conn:
            for table, column, _kind in LATER_COLUMNS:
                conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
