"""Test configuration: Qt offscreen, a private data folder per test, small books."""

from __future__ import annotations

import datetime as dt
import os
import shutil

from tests.screen import OFFSCREEN

os.environ.setdefault("QT_QPA_PLATFORM", OFFSCREEN)
# The desktop's language is the interface's until one is chosen (gui/main.py
# `desktop_language`): the tests run on an English desktop whatever the developer's.
os.environ["LANG"] = "C.UTF-8"
for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(name, None)
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


# The passphrase of the test books (encrypted, as the app makes them by default).
PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("REVIEWDESK_HOME", str(home))
    monkeypatch.delenv("REVIEWDESK_DB", raising=False)
    monkeypatch.delenv("REVIEWDESK_LANG", raising=False)
    monkeypatch.delenv("REVIEWDESK_PASSPHRASE", raising=False)
    monkeypatch.delenv("REVIEWDESK_PLAIN", raising=False)
    # Never read or write the real keyring of the machine running the tests.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    yield home


@pytest.fixture(autouse=True)
def english_after():
    """`main(["--ui-lang", "zh", ...])` and language tests switch the process's language:
    the next test starts in English again, whatever ran before it."""
    yield
    from reviewdesk.i18n import set_language

    set_language("en")


@pytest.fixture
def passphrase_env(monkeypatch):
    """The passphrase of the test books given as a user gives it to the command line."""
    monkeypatch.setenv("REVIEWDESK_PASSPHRASE", PASSPHRASE)
    return PASSPHRASE


@pytest.fixture
def plain_env(monkeypatch):
    """New books made through the app are plain (`REVIEWDESK_PLAIN`), as a user may choose."""
    monkeypatch.setenv("REVIEWDESK_PLAIN", "1")


@pytest.fixture
def book(tmp_path):
    """An empty encrypted book, the default."""
    b = open_book(str(tmp_path / "book.sqlite"), passphrase=PASSPHRASE)
    yield b
    b.close()


@pytest.fixture
def plain_book(tmp_path):
    """An empty unencrypted book, for what is about plain books."""
    b = open_book(str(tmp_path / "book.sqlite"), plain=True)
    yield b
    b.close()


@pytest.fixture(scope="session")
def demo_book_path(tmp_path_factory):
    """A small encrypted demo book made once per run; tests copy it before changing it."""
    from reviewdesk.demo import DemoOptions, fill_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    b = open_book(str(path), passphrase=PASSPHRASE)
    with b.session() as session:
        fill_demo(session, DemoOptions(clients=24, seed=7, as_of=AS_OF))
    b.close()
    # Closing the last connection checkpoints the log into the file: the file is the book.
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture
def demo_book(demo_book_path, tmp_path):
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_book_path, path)
    b = open_book(str(path), passphrase=PASSPHRASE)
    yield b
    b.close()
