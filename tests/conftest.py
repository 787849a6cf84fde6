"""Test configuration: Qt offscreen, a private data folder per test, small books."""

from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402

from reviewdesk.book.db import open_book  # noqa: E402

AS_OF = dt.date(2026, 6, 15)


def pytest_collection_modifyitems(config, items):
    """Stress runs take minutes: they run only when asked for with `-m stress`."""
    if "stress" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="stress run: use -m stress")
    for item in items:
        if "stress" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("REVIEWDESK_HOME", str(home))
    monkeypatch.delenv("REVIEWDESK_DB", raising=False)
    monkeypatch.delenv("REVIEWDESK_LANG", raising=False)
    monkeypatch.delenv("REVIEWDESK_PASSPHRASE", raising=False)
    # New books made through the app in tests are plain unless a test asks for encryption.
    monkeypatch.setenv("REVIEWDESK_PLAIN", "1")
    # Never read or write the real keyring of the machine running the tests.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    yield home


@pytest.fixture
def book(tmp_path):
    b = open_book(str(tmp_path / "book.sqlite"))
    yield b
    b.close()


@pytest.fixture(scope="session")
def demo_book_path(tmp_path_factory):
    """A small demo book made once per run; tests copy it before changing it."""
    from reviewdesk.demo import DemoOptions, fill_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    b = open_book(str(path))
    with b.session() as session:
        fill_demo(session, DemoOptions(clients=24, seed=7, as_of=AS_OF))
    b.close()
    return path


@pytest.fixture
def demo_book(demo_book_path, tmp_path):
    from reviewdesk.book.db import backup_sqlite

    path = backup_sqlite(demo_book_path, tmp_path / "demo.sqlite")
    b = open_book(str(path))
    yield b
    b.close()
