"""Alembic environment: runs on the connection the app hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from reviewdesk.book.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url")
        if url is None:
            raise RuntimeError(
                "migrations need a connection (config.attributes['connection']) "
                "or the option sqlalchemy.url"
            )
        with create_engine(url).begin() as own:
            _migrate(own)
    else:
        _migrate(connection)


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
