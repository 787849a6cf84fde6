"""Running the shipped Alembic migrations against an engine.

Alembic itself is imported only to upgrade (or downgrade): opening a book that is
already current reads its revision with one query, which keeps a quarter of a
second of imports out of every start of the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect

if TYPE_CHECKING:
    from alembic.config import Config

HERE = Path(__file__).resolve().parent

# The newest revision in versions/ (tests/book/test_migrations.py checks it is Alembic's head).
HEAD = "0017_premium_unknown"


def config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


@dataclass(frozen=True)
class State:
    current: str | None
    head: str
    has_foreign_tables: bool


def head_revision() -> str:
    """The head as Alembic computes it from the scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(config()).get_current_head()
    assert head is not None  # the shipped scripts always have a head
    return head


def state(engine: Engine) -> State:
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        current = None
        if "alembic_version" in tables:
            versions = [
                row[0]
                for row in connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            ]
            # One branch only: several rows would be a book from elsewhere.
            current = versions[0] if len(versions) == 1 else ",".join(sorted(versions)) or None
        tables.discard("alembic_version")
    return State(current=current, head=HEAD, has_foreign_tables=bool(tables) and current is None)


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(config(connection), revision)
