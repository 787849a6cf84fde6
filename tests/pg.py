"""The PostgreSQL server the tests run against (REVIEWDESK_TEST_PG, started by `.ci/run`).

Locally, without a server, the PostgreSQL tests are skipped. In CI (CI=true) they must
run: a server that is not set or cannot be reached fails them instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

_checked: dict[str, str | None] = {}


def server() -> str:
    """The server's URL (its user may create databases and roles), or skip / fail."""
    url = os.environ.get("REVIEWDESK_TEST_PG")
    if url is None:
        problem: str | None = "REVIEWDESK_TEST_PG is not set"
    elif url in _checked:
        problem = _checked[url]
    else:
        problem = None
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - any failure to connect is the reason
            problem = f"the PostgreSQL server cannot be reached: {type(exc).__name__}"
        finally:
            engine.dispose()
        _checked[url] = problem
    if problem is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"in CI the PostgreSQL tests must run: {problem}", pytrace=False)
        pytest.skip(problem)
    assert url is not None
    return url


def unique_name(prefix: str = "rd_test") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def database_url(name: str, user: str | None = None, password: str | None = None) -> str:
    url = make_url(server()).set(database=name)
    if user is not None:
        url = url.set(username=user, password=password)
    return url.render_as_string(hide_password=False)


@contextmanager
def new_database(prefix: str = "rd_test") -> Iterator[str]:
    """A fresh database (its name); dropped afterwards with every role named after it
    (the team's groups and people, which tests name `<database>_...`)."""
    name = unique_name(prefix)
    admin = create_engine(server(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            roles = conn.scalars(
                text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p ORDER BY rolname"),
                {"p": name + "\\_%"},
            ).all()
            for role in roles:
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()
