"""How the app finds a passphrase: environment, keyring, then the front end's provider."""

import keyring
import pytest
from keyring.backend import KeyringBackend

from reviewdesk.app import AppContext
from reviewdesk.book import crypto, keys
from reviewdesk.book.db import open_book


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.kept = {}

    def get_password(self, service, username):
        return self.kept.get((service, username))

    def set_password(self, service, username, password):
        self.kept[(service, username)] = password

    def delete_password(self, service, username):
        del self.kept[(service, username)]


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def encrypted_path(tmp_path):
    path = tmp_path / "b.sqlite"
    open_book(str(path), passphrase="the right one").close()
    return path


def test_the_provider_is_asked_and_a_new_book_is_encrypted(tmp_path, monkeypatch):
    asked = []

    def provider(path, creating):
        asked.append((path.name, creating))
        return "typed in a dialog"

    ctx = AppContext(db=str(tmp_path / "new.sqlite"), passphrase_provider=provider)
    assert ctx.book.encrypted and ctx.book.status == "encrypted"
    ctx.close()
    assert asked == [("new.sqlite", True)]
    ctx = AppContext(db=str(tmp_path / "new.sqlite"), passphrase_provider=provider)
    assert ctx.client_count() == 0
    ctx.close()
    assert asked[-1] == ("new.sqlite", False)


def test_no_keyring_and_no_provider_is_a_clear_refusal(encrypted_path):
    assert not keys.available()
    with pytest.raises(crypto.PassphraseRequired, match="is encrypted"):
        AppContext(db=str(encrypted_path)).client_count()


def test_the_keyring_is_offered_used_and_a_stale_entry_falls_back(encrypted_path, memory_keyring):
    offered = []
    ctx = AppContext(
        db=str(encrypted_path),
        passphrase_provider=lambda p, c: "the right one",
        keyring_offer=lambda p, secret: (offered.append(p), keys.store(p, secret)),
    )
    assert ctx.book.encrypted
    ctx.close()
    assert offered == [encrypted_path]
    ctx = AppContext(db=str(encrypted_path))  # no provider: the keyring alone opens it
    assert ctx.client_count() == 0
    ctx.close()
    keys.store(encrypted_path, "stale")
    notes = []
    ctx = AppContext(
        db=str(encrypted_path),
        passphrase_provider=lambda p, c: "the right one",
        notify=notes.append,
    )
    assert ctx.book.encrypted
    ctx.close()
    assert any("keyring" in n for n in notes)
    assert keys.forget(encrypted_path) and keys.load(encrypted_path) is None


def test_a_second_window_in_another_process_is_told_the_book_is_read_only(encrypted_path):
    import json
    import os
    import socket

    from reviewdesk.book import locking

    locking.lock_path(encrypted_path).write_text(
        json.dumps(
            {
                "pid": 1,
                "host": socket.gethostname() + "-other",
                "user": "li.na",
                "since": "2026-11-28T09:00:00",
                "token": "t",
            }
        )
    )
    notes = []
    ctx = AppContext(
        db=str(encrypted_path),
        passphrase_provider=lambda p, c: "the right one",
        notify=notes.append,
    )
    assert ctx.book.read_only
    ctx.close()
    assert notes and "read-only" in notes[0] and "li.na" in notes[0]
    assert os.path.exists(locking.lock_path(encrypted_path))


def _keyed_with(monkeypatch) -> list[str | None]:
    """The raw key (or None: the passphrase) each new connection is keyed with."""
    keyed: list[str | None] = []
    apply_key = crypto.apply_key

    def recording(connection, passphrase, name="", raw_key=None):
        keyed.append(raw_key)
        apply_key(connection, passphrase, name, raw_key)

    monkeypatch.setattr(crypto, "apply_key", recording)
    return keyed


def test_the_launch_derives_the_key_while_the_interface_loads(
    encrypted_path, memory_keyring, monkeypatch
):
    """`prepare` (the desktop app's start) reads the keyring once, on a thread of its own,
    and derives the key there: the book then opens without SQLCipher deriving it."""
    keys.store(encrypted_path, "the right one")
    crypto._KEYS.forget()
    reads = []
    load = keys.load
    monkeypatch.setattr(keys, "load", lambda path: reads.append(path) or load(path))
    keyed = _keyed_with(monkeypatch)
    ctx = AppContext(db=str(encrypted_path))
    ctx.prepare()
    assert ctx.client_count() == 0
    ctx.close()
    assert reads == [encrypted_path]  # read once, on the thread; the opening took its answer
    assert len(keyed) == 1 and keyed[0] is not None
    salt = encrypted_path.read_bytes()[: crypto.SALT_BYTES]
    assert keyed == [crypto._KEYS.key_for("the right one", salt)]


def test_a_passphrase_from_the_environment_is_derived_ahead_and_a_wrong_one_still_refused(
    encrypted_path, monkeypatch
):
    crypto._KEYS.forget()
    keyed = _keyed_with(monkeypatch)
    monkeypatch.setenv("REVIEWDESK_PASSPHRASE", "the right one")
    ctx = AppContext(db=str(encrypted_path))
    ctx.prepare()
    assert ctx.book.encrypted
    ctx.close()
    assert len(keyed) == 1 and keyed[0] is not None
    crypto._KEYS.forget()
    keyed.clear()
    monkeypatch.setenv("REVIEWDESK_PASSPHRASE", "a wrong one")
    ctx = AppContext(db=str(encrypted_path))
    ctx.prepare()
    with pytest.raises(crypto.WrongPassphrase):
        ctx.client_count()
    ctx.close()
    # The key derived ahead did not open the book, so SQLCipher was asked: it said wrong.
    assert len(keyed) == 2 and keyed[0] is not None and keyed[1] is None


def test_prepare_leaves_plain_new_and_server_books_alone(tmp_path, monkeypatch):
    import threading

    monkeypatch.setenv("REVIEWDESK_PASSPHRASE", "anything")
    before = threading.active_count()
    plain = tmp_path / "plain.sqlite"
    open_book(str(plain), plain=True).close()
    for db in (str(plain), str(tmp_path / "new.sqlite"), "postgresql+psycopg://h/db"):
        AppContext(db=db).prepare()
    assert threading.active_count() == before
    assert not (tmp_path / "new.sqlite").exists()
