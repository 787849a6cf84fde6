"""The PostgreSQL server the tests run against (REVIEWDESK_TEST_PG, started by `.ci/run`).

Locally, without a server, the PostgreSQL tests are skipped. In CI (CI=true) they must
run: a server that is not set or cannot be reached fails them instead.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


def _unavailable(problem: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"in CI the PostgreSQL tests must run: {problem}", pytrace=False)
    pytest.skip(problem)


class Throwaway:
    """A PostgreSQL server of a test's own (its own data folder and port), so that a test
    may stop and start it without disturbing the shared one."""

    def __init__(self, bindir: Path, folder: Path, port: int, run_as: list[str]):
        self.bindir, self.folder, self.port, self.run_as = bindir, folder, port, run_as
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    def _ctl(self, *args: str) -> None:
        command = [
            *self.run_as,
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.folder / "data"),
            "-l",
            str(self.folder / "log"),
            "-w",
            *args,
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -F"
        self._ctl("-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop")

    def database_url(self, name: str) -> str:
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def throwaway_server() -> Iterator[Throwaway]:
    """A fresh server (initdb, trust on loopback for its superuser `postgres`), stopped and
    removed afterwards. Skipped locally, failed in CI, where the binaries are missing."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parent)
    if not found:
        _unavailable("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin)")
    bindir = found[-1].parent
    run_as: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="rd_pg_"))
    if os.geteuid() == 0:  # the server refuses to run as root: as the postgres user
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder, ignore_errors=True)
            _unavailable("running as root, and there is no postgres user to run a server as")
        os.chown(folder, pw.pw_uid, pw.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    server = Throwaway(bindir, folder, _free_port(), run_as)
    try:
        subprocess.run(
            [
                *run_as,
                str(bindir / "initdb"),
                "-D",
                str(folder / "data"),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        server.start()
        yield server
    finally:
        try:
            server.stop("immediate")
        except (subprocess.SubprocessError, OSError):
            pass  # not running
        shutil.rmtree(folder, ignore_errors=True)
