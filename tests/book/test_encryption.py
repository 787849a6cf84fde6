import datetime as dt
import hashlib
import sqlite3
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from reviewdesk.book import crypto
from reviewdesk.book.db import open_book
from reviewdesk.book.models import Client, Holding
from tests import factories as f

NAME = "欧阳秀英"
PHONE = "13912345678"
AMOUNT = Decimal("8765432.19")
PASSPHRASES = [
    'with "double" quotes',
    "with 'single' quotes",
    "semi;colons; DROP TABLE client;--",
    "中文口令：客户的钱袋子",
    "x" * 60 + "长" * 30 + "'\";" * 10,  # 120 characters
]


def _seed(book):
    with book.session() as s:
        c = f.client("SEED", NAME, phone=PHONE)
        c.snapshots.append(f.snapshot(dt.date(2026, 5, 31), f.holding("招商银行理财", str(AMOUNT))))
        s.add(c)


def _bytes_of_book(path):
    data = b""
    for suffix in ("", "-wal", "-journal", "-shm"):
        p = path.with_name(path.name + suffix)
        if p.exists():
            data += p.read_bytes()
    return data


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_book_file_and_its_journals_hold_no_client_data_in_clear(tmp_path):
    path = tmp_path / "secret.sqlite"
    book = open_book(str(path), passphrase="correct horse battery staple")
    _seed(book)
    # Read the files while the book is still open, so the -wal file is there too.
    assert path.with_name(path.name + "-wal").exists()
    data = _bytes_of_book(path)
    book.close()
    data += _bytes_of_book(path)
    assert not path.read_bytes().startswith(b"SQLite format 3")
    scaled = int(AMOUNT * 10_000)
    for needle in (
        NAME.encode(),
        PHONE.encode(),
        str(AMOUNT).encode(),
        str(scaled).encode(),
        scaled.to_bytes(8, "big"),
        "招商银行理财".encode(),
    ):
        assert needle not in data
    # The same seed in a plain book is visible: the check above can fail.
    plain = open_book(str(tmp_path / "plain.sqlite"))
    _seed(plain)
    plain.close()
    assert NAME.encode() in (tmp_path / "plain.sqlite").read_bytes()


def test_sqlcipher_uses_its_own_strong_key_derivation(tmp_path):
    book = open_book(str(tmp_path / "b.sqlite"), passphrase="pass phrase")
    with book.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
        assert int(raw.execute("PRAGMA kdf_iter").fetchone()[0]) >= 256_000
        assert raw.execute("PRAGMA cipher_kdf_algorithm").fetchone()[0] == "PBKDF2_HMAC_SHA512"
        assert raw.execute("PRAGMA temp_store").fetchone()[0] == 2  # memory
    assert book.encrypted and "not" not in book.status
    book.close()


@pytest.mark.parametrize("passphrase", PASSPHRASES, ids=range(len(PASSPHRASES)))
def test_awkward_passphrases_round_trip(tmp_path, passphrase):
    path = tmp_path / "b.sqlite"
    book = open_book(str(path), passphrase=passphrase)
    _seed(book)
    book.close()
    again = open_book(str(path), passphrase=passphrase)
    with again.session() as s:
        assert s.scalar(select(Client.name)) == NAME
    again.close()
    with pytest.raises(crypto.WrongPassphrase):
        open_book(str(path), passphrase=passphrase[:-1] + "?")


@pytest.mark.parametrize("passphrase", PASSPHRASES[2:4], ids=["sql", "chinese"])
def test_a_book_opened_again_is_keyed_with_the_key_sqlcipher_derives(tmp_path, passphrase):
    path = tmp_path / "b.sqlite"
    book = open_book(str(path), passphrase=passphrase)
    _seed(book)
    book.close()
    salt = path.read_bytes()[: crypto.SALT_BYTES]
    # The first opening of the file is keyed by SQLCipher from the passphrase; the next ones
    # with the key derived once in this process.
    for _ in range(3):
        again = open_book(str(path), passphrase=passphrase)
        with again.session() as s:
            assert s.scalar(select(Client.name)) == NAME
        again.close()
    key = crypto._KEYS.key_for(passphrase, salt)
    assert key is not None and len(key) == 2 * crypto.KEY_BYTES
    # It is SQLCipher's own key: a bare SQLCipher connection keyed with it reads the book,
    # and the book still opens from the passphrase alone, as any SQLCipher 4 opens it.
    for pragma in (
        f"PRAGMA key = \"x'{key}'\"",
        f"PRAGMA key = {crypto.quote_passphrase(passphrase)}",
    ):
        raw = crypto.dbapi().connect(str(path))
        try:
            raw.execute(pragma)
            assert raw.execute("SELECT name FROM client").fetchone()[0] == NAME
        finally:
            raw.close()
    with pytest.raises(crypto.WrongPassphrase):
        open_book(str(path), passphrase=passphrase + "?")
    with pytest.raises(crypto.WrongPassphrase):
        open_book(str(path), passphrase=passphrase + "?")  # a wrong one is never kept


def test_a_derived_key_that_does_not_open_the_book_leaves_the_keying_to_sqlcipher(tmp_path):
    path = tmp_path / "b.sqlite"
    book = open_book(str(path), passphrase="pass phrase")
    _seed(book)
    book.close()
    open_book(str(path), passphrase="pass phrase").close()
    salt = path.read_bytes()[: crypto.SALT_BYTES]
    # As if this library derived its keys with other iterations than it says.
    crypto._KEYS._remember(("pass phrase", salt), 1_000)
    again = open_book(str(path), passphrase="pass phrase")
    with again.session() as s:
        assert s.scalar(select(Client.name)) == NAME
    again.close()
    assert crypto._KEYS.key_for("pass phrase", salt) is None


def test_a_readers_process_is_handed_the_key_rather_than_derive_it_again(tmp_path, monkeypatch):
    path = tmp_path / "b.sqlite"
    book = open_book(str(path), passphrase="pass phrase")
    _seed(book)
    book.close()
    book = open_book(str(path), passphrase="pass phrase")
    access = book.access()  # what a batch's workers are handed
    assert access.key and access.key not in repr(access) and "pass phrase" not in repr(access)
    book.close()
    crypto._KEYS.forget()  # as in another process
    keyed_with = []
    apply_key = crypto.apply_key

    def recording(connection, passphrase, name="", raw_key=None):
        keyed_with.append(raw_key)
        apply_key(connection, passphrase, name, raw_key)

    monkeypatch.setattr(crypto, "apply_key", recording)
    reader = access.open_reader()
    with reader.session() as s:
        assert s.scalar(select(Client.name)) == NAME
    reader.close()
    assert keyed_with == [access.key]  # no derivation in the reader's process
    # A key that does not open the book is dropped: the reader keys from the passphrase.
    crypto._KEYS.forget()
    keyed_with.clear()
    wrong = type(access)(access.url, access.passphrase, "00" * crypto.KEY_BYTES)
    reader = wrong.open_reader()
    with reader.session() as s:
        assert s.scalar(select(Client.name)) == NAME
    reader.close()
    assert keyed_with == ["00" * crypto.KEY_BYTES, None]


def test_a_wrong_passphrase_says_so_and_leaves_the_file_untouched(tmp_path):
    path = tmp_path / "b.sqlite"
    book = open_book(str(path), passphrase="right one")
    _seed(book)
    book.close()
    before = _sha(path)
    with pytest.raises(crypto.WrongPassphrase, match="passphrase is wrong"):
        open_book(str(path), passphrase="wrong one")
    with pytest.raises(crypto.PassphraseRequired, match="encrypted"):
        open_book(str(path))
    assert _sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.sqlite"]  # no lock, no new book
    book = open_book(str(path), passphrase="right one")
    with book.session() as s:
        assert s.scalar(select(func.count(Holding.id))) == 1
    book.close()


def test_plain_sqlite_in_place_of_sqlcipher_is_refused():
    conn = sqlite3.connect(":memory:")
    with pytest.raises(crypto.NotSQLCipher):
        crypto.apply_key(conn, "anything")


def test_a_new_book_can_insist_on_encryption(tmp_path):
    with pytest.raises(crypto.PassphraseRequired):
        open_book(str(tmp_path / "b.sqlite"), plain=False)
    assert not (tmp_path / "b.sqlite").exists()


def test_changing_the_passphrase_rekeys_and_a_plain_book_can_be_encrypted(tmp_path):
    path = tmp_path / "b.sqlite"
    book = open_book(str(path), passphrase="old")
    _seed(book)
    book.change_passphrase("新的;'\"")
    with book.session() as s:
        assert s.scalar(select(Client.name)) == NAME
    book.close()
    with pytest.raises(crypto.WrongPassphrase):
        open_book(str(path), passphrase="old")
    open_book(str(path), passphrase="新的;'\"").close()

    plain_path = tmp_path / "plain.sqlite"
    plain = open_book(str(plain_path))
    _seed(plain)
    assert not plain.encrypted
    from reviewdesk.book import backup

    made = backup.make_backup(plain, "daily")
    assert NAME.encode() in made.read_bytes()
    assert plain.change_passphrase("now secret") == 1
    assert NAME.encode() not in made.read_bytes()
    assert backup.verify(made, "now secret").encrypted
    plain.change_passphrase("newer secret")
    assert backup.verify(made, "newer secret").encrypted
    with plain.session() as s:
        assert s.scalar(select(Client.phone)) == PHONE
    plain.close()
    assert NAME.encode() not in _bytes_of_book(plain_path)
    assert crypto.file_kind(plain_path) == "encrypted"
    open_book(str(plain_path), passphrase="newer secret").close()


def test_an_encrypted_book_keeps_more_decrypted_pages_than_a_plain_one(tmp_path):
    """Each page read from an encrypted file is decrypted anew once it leaves SQLite's
    cache: an encrypted book's connections keep 32 MB of pages (the encrypted
    10,000-client book in the app: list 1,010 -> 858 ms, agenda 392 -> 345 ms), a plain
    book SQLite's default, which measured faster there."""
    encrypted = open_book(str(tmp_path / "enc.sqlite"), passphrase="a long passphrase")
    plain = open_book(str(tmp_path / "plain.sqlite"))
    try:
        for book, expected in ((encrypted, -crypto.CACHE_KB), (plain, -2000)):
            for session in (book.session(), book.read_session()):
                with session as s:
                    size = s.connection().exec_driver_sql("PRAGMA cache_size").scalar()
                    assert size == expected, (book.path, size)
        assert crypto.CACHE_KB == 32 * 1024  # within the app's 400 MB on 10,000 clients
    finally:
        encrypted.close()
        plain.close()
