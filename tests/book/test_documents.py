"""A client's documents belong to their book and are as protected as the book."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from reviewdesk import paths
from reviewdesk.book import backup, documents
from reviewdesk.book.db import CorruptBook, open_book
from reviewdesk.book.editing import attach_document, remove_document
from reviewdesk.book.models import Document
from tests import factories
from tests.conftest import PASSPHRASE

CONTENT = "客户风险评估问卷 signed 2024-05-01 ".encode() * 200


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _source(tmp_path: Path, name: str = "问卷.pdf", content: bytes = CONTENT) -> Path:
    path = tmp_path / "originals" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _client(book, code: str = "C1") -> int:
    with book.session() as session:
        client = factories.client(code)
        session.add(client)
        session.flush()
        return client.id


def _attach(book, client_id: int, source: Path) -> int:
    with book.session() as session:
        return attach_document(session, client_id, source)


def _stored(book, document_id: int) -> Path:
    with book.session() as session:
        return documents.resolve(session.get(Document, document_id).stored_path)


def _opened(book, document_id: int) -> bytes:
    with book.session() as session:
        return documents.open_copy(session, document_id).read_bytes()


def test_a_document_in_an_encrypted_book_is_encrypted_private_and_opens_back(book, tmp_path):
    client_id = _client(book)
    doc_id = _attach(book, client_id, _source(tmp_path))
    stored = _stored(book, doc_id)
    raw = stored.read_bytes()
    assert CONTENT not in raw and CONTENT[:40] not in raw  # nothing of the original in clear
    assert raw.startswith(documents.MAGIC)
    assert _mode(stored) == 0o600
    assert _mode(stored.parent) == 0o700  # the client's folder
    assert _mode(stored.parent.parent) == 0o700  # the book's folder
    with book.session() as session:
        book_id = documents.keying(session).book_id
    assert stored.parent.parent == paths.documents_dir() / book_id

    with book.session() as session:
        opened = documents.open_copy(session, doc_id)
    assert opened.read_bytes() == CONTENT
    assert opened.name == "问卷.pdf"
    assert _mode(opened) == 0o600 and _mode(opened.parent.parent) == 0o700
    documents.clear_opened()  # as at the program's exit
    assert not opened.exists()


def test_a_changed_encrypted_document_is_refused_not_shown(book, tmp_path):
    doc_id = _attach(book, _client(book), _source(tmp_path))
    stored = _stored(book, doc_id)
    raw = bytearray(stored.read_bytes())
    raw[len(raw) // 2] ^= 1
    stored.write_bytes(bytes(raw))
    with book.session() as session, pytest.raises(documents.DocumentDamaged):
        documents.open_copy(session, doc_id)


def test_a_plain_book_keeps_plain_private_files(plain_book, tmp_path):
    doc_id = _attach(plain_book, _client(plain_book), _source(tmp_path))
    stored = _stored(plain_book, doc_id)
    assert stored.read_bytes() == CONTENT
    assert _mode(stored) == 0o600 and _mode(stored.parent) == 0o700
    assert _opened(plain_book, doc_id) == CONTENT


def test_two_books_with_the_same_client_code_keep_separate_documents(tmp_path):
    first = open_book(str(tmp_path / "a.sqlite"), passphrase=PASSPHRASE)
    second = open_book(str(tmp_path / "b.sqlite"), passphrase=PASSPHRASE)
    try:
        a = _attach(first, _client(first, "C1"), _source(tmp_path, "x.pdf", b"first book"))
        b = _attach(second, _client(second, "C1"), _source(tmp_path, "x.pdf", b"second book"))
        theirs = _stored(second, b)
        assert _stored(first, a).parent.parent != theirs.parent.parent
        with second.session() as session:
            remove_document(session, b)
        assert _opened(first, a) == b"first book"
        assert not theirs.exists()
    finally:
        first.close()
        second.close()


def test_removing_a_document_removes_its_file_and_a_rollback_keeps_it(book, tmp_path):
    doc_id = _attach(book, _client(book), _source(tmp_path))
    stored = _stored(book, doc_id)
    with pytest.raises(RuntimeError), book.session() as session:
        remove_document(session, doc_id)
        raise RuntimeError("the unit of work fails")
    assert stored.exists()
    with book.session() as session:
        remove_document(session, doc_id)
    assert not stored.exists()


def test_a_backup_carries_the_documents_encrypted_and_a_restore_brings_them_back(book, tmp_path):
    client_id = _client(book)
    doc_id = _attach(book, client_id, _source(tmp_path))
    made = backup.make_backup(book, "manual")
    archive = made.with_name(made.name + ".documents.zip")
    assert _mode(archive) == 0o600
    with zipfile.ZipFile(archive) as z:
        packed = b"".join(z.read(n) for n in z.namelist() if n.startswith("files/"))
    assert packed and CONTENT[:40] not in packed  # stays encrypted in the backup
    assert backup.verify(made, PASSPHRASE).documents == 1

    stored = _stored(book, doc_id)
    with book.session() as session:
        remove_document(session, doc_id)
    assert not stored.exists()
    done = backup.restore(book, made)
    assert done.documents == 1
    assert _opened(book, doc_id) == CONTENT
    assert _mode(_stored(book, doc_id)) == 0o600


def test_a_damaged_documents_archive_fails_the_backup_check(book, tmp_path):
    _attach(book, _client(book), _source(tmp_path))
    made = backup.make_backup(book, "manual")
    archive = made.with_name(made.name + ".documents.zip")
    with zipfile.ZipFile(archive) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(archive, "w") as z:
        for name, data in entries.items():
            if name.startswith("files/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            z.writestr(name, data)
    with pytest.raises(CorruptBook, match="damaged"):
        backup.verify(made, PASSPHRASE)


def test_documents_in_the_old_shared_folder_move_into_the_book_encrypted(tmp_path):
    path = tmp_path / "book.sqlite"
    book = open_book(str(path), passphrase=PASSPHRASE)
    client_id = _client(book, "C7")
    old_folder = paths.documents_dir() / "C7"  # where documents were kept before
    old_folder.mkdir(parents=True)
    kept = old_folder / "kept.pdf"
    kept.write_bytes(CONTENT)
    changed = old_folder / "changed.pdf"
    changed.write_bytes(b"as filed")
    with book.session() as session:
        for name, sha in (
            ("kept.pdf", hashlib.sha256(CONTENT).hexdigest()),
            ("changed.pdf", hashlib.sha256(b"as filed").hexdigest()),
            ("gone.pdf", "0" * 64),
        ):
            session.add(
                Document(
                    client_id=client_id,
                    title=name,
                    file_name=name,
                    stored_path=str(old_folder / name),
                    sha256=sha,
                    size_bytes=1,
                )
            )
    changed.write_bytes(b"changed since")  # not the file that was filed: reported, kept
    book.close()

    book = open_book(str(path), passphrase=PASSPHRASE)
    try:
        problems = book.document_problems
        assert len(problems) == 2
        assert any("changed.pdf" in p and "left where it is" in p for p in problems)
        assert any("gone.pdf" in p and "missing" in p for p in problems)
        assert not kept.exists() and changed.exists()
        with book.session() as session:
            moved = session.scalar(select(Document).where(Document.title == "kept.pdf"))
            book_id = documents.keying(session).book_id
            assert moved.stored_path.startswith(f"{book_id}/{client_id}/")
            doc_id = moved.id
        on_disk = _stored(book, doc_id)
        assert CONTENT[:40] not in on_disk.read_bytes() and _mode(on_disk) == 0o600
        assert _opened(book, doc_id) == CONTENT
    finally:
        book.close()


def test_a_plain_book_encrypted_later_encrypts_its_documents(plain_book, tmp_path):
    doc_id = _attach(plain_book, _client(plain_book), _source(tmp_path))
    plain_book.change_passphrase(PASSPHRASE)
    assert CONTENT[:40] not in _stored(plain_book, doc_id).read_bytes()
    assert _opened(plain_book, doc_id) == CONTENT


def test_copies_left_by_a_process_that_died_are_removed_at_the_next_start(book, tmp_path):
    doc_id = _attach(book, _client(book), _source(tmp_path))
    with book.session() as session:
        mine = documents.open_copy(session, doc_id)
    dead = documents.viewing_root() / "99999-dead"
    dead.mkdir()
    (dead / "left.pdf").write_bytes(b"decrypted")
    removed = documents.clear_stale_opened()
    assert dead in removed and not dead.exists()
    assert mine.exists()  # this process still holds its own
    documents.clear_opened()


def test_a_backup_made_before_documents_were_carried_still_restores(book, tmp_path):
    doc_id = _attach(book, _client(book), _source(tmp_path))
    made = backup.make_backup(book, "manual")
    os.remove(made.with_name(made.name + ".documents.zip"))
    assert backup.verify(made, PASSPHRASE).documents is None
    assert backup.restore(book, made).documents is None
    assert _opened(book, doc_id) == CONTENT  # the book's folder was left as it was
    shutil.rmtree(paths.documents_dir(), ignore_errors=True)


def _archive_files(made: Path) -> bytes:
    with zipfile.ZipFile(made.with_name(made.name + ".documents.zip")) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.startswith("files/"))


def test_encrypting_a_plain_book_encrypts_the_documents_of_its_older_backups(plain_book, tmp_path):
    client_id = _client(plain_book)
    doc_id = _attach(plain_book, client_id, _source(tmp_path))
    made = backup.make_backup(plain_book, "manual")
    assert CONTENT[:40] in _archive_files(made)  # a plain book's backup: plain copies
    assert backup.verify(made).documents == 1

    assert plain_book.change_passphrase(PASSPHRASE) == 1
    stored = _stored(plain_book, doc_id)
    assert CONTENT[:40] not in stored.read_bytes() and _mode(stored) == 0o600
    archive = made.with_name(made.name + ".documents.zip")
    assert CONTENT[:40] not in _archive_files(made) and _mode(archive) == 0o600
    assert CONTENT[:40] not in made.read_bytes()
    # The backup reads its documents back with its own key, and restores them by itself.
    assert backup.verify(made, PASSPHRASE).documents == 1
    with plain_book.session() as session:
        remove_document(session, doc_id)
    assert backup.restore(plain_book, made).documents == 1
    assert _opened(plain_book, doc_id) == CONTENT
    assert CONTENT[:40] not in _stored(plain_book, doc_id).read_bytes()

    # A later passphrase change leaves the (already encrypted) documents as they are.
    before = _archive_files(made)
    plain_book.change_passphrase("a newer passphrase")
    assert _archive_files(made) == before
    assert backup.verify(made, "a newer passphrase").documents == 1


def test_a_change_cut_short_leaves_no_plain_documents_at_the_next_one(plain_book, tmp_path):
    """The backup was encrypted but its documents were not (the change stopped between
    the two): the next change encrypts them."""
    doc_id = _attach(plain_book, _client(plain_book), _source(tmp_path))
    made = backup.make_backup(plain_book, "manual")
    archive = made.with_name(made.name + ".documents.zip")
    plain_archive = archive.read_bytes()
    plain_book.change_passphrase(PASSPHRASE)
    archive.write_bytes(plain_archive)  # as it was before the change
    assert CONTENT[:40] in _archive_files(made)

    assert plain_book.change_passphrase("second") == 1
    assert CONTENT[:40] not in _archive_files(made)
    assert backup.verify(made, "second").documents == 1
    with plain_book.session() as session:
        remove_document(session, doc_id)
    backup.restore(plain_book, made)
    assert _opened(plain_book, doc_id) == CONTENT
