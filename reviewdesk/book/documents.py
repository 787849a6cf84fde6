"""A client's documents: kept in the book's own folder, as protected as the book.

Each book has a folder `documents/<book id>/` in the data folder (0700), a folder per
client inside it (0700) and its files (0600); two books never share a file, whatever
their client codes. A document's `stored_path` is relative to the documents folder
(`<book id>/<client id>/<name>`); an absolute one is a document from before books had
folders, moved into the book's folder the first time the book opens writable.

In an encrypted book every file is encrypted at rest with AES-256-GCM, a random nonce
per file, the book id bound in as associated data. The file key is derived (HKDF-SHA256,
salted with the book id) from a random secret kept in the book's own settings: the
secret is inside the encrypted book, so it is exactly as protected as the book, and it
follows the book through a passphrase change, its backups and a restore without any
file being rewritten. A plain book keeps plain files.

A document opened for the user is decrypted into a private folder (0700) of this
process; when the viewer is done with it is unknowable, so the folder is removed when
the program exits and, should it not exit cleanly, the next time it starts.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import fcntl
import hashlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from reviewdesk import paths
from reviewdesk.book import audit, identity
from reviewdesk.book.errors import BookError
from reviewdesk.book.models import Document, Setting
from reviewdesk.files import PRIVATE_DIR, PRIVATE_FILE, private_dir, write_private
from reviewdesk.i18n import _
from reviewdesk.refusals import os_reason

DOCUMENT_KEY = "document_key"  # the setting holding the book's document secret
MAGIC = b"RDDOC1\n"
NONCE_BYTES = 12
TAG_BYTES = 16
CHUNK = 1 << 20
VIEWING = "opened-documents"
_HELD = ".held"


class DocumentDamaged(BookError):
    """A stored document cannot be read back as it was filed."""


@dataclass(frozen=True)
class Keying:
    """How a book's documents are written: its id, and its file key (None: plain files)."""

    book_id: str
    key: bytes | None

    @property
    def aad(self) -> bytes:
        return MAGIC + self.book_id.encode("ascii")


@dataclass(frozen=True)
class Stored:
    stored_path: str
    sha256: str
    size_bytes: int


# -- folders and files --------------------------------------------------------------------


def root() -> Path:
    return private_dir(paths.documents_dir())


def book_folder(book_id: str) -> Path:
    return private_dir(root() / book_id)


def resolve(stored_path: str) -> Path:
    """Where a document's file is: under the documents folder, or (old) an absolute path."""
    path = Path(stored_path)
    return path if path.is_absolute() else paths.documents_dir() / path


def _is_legacy(document: Document, book_id: str) -> bool:
    path = Path(document.stored_path)
    return path.is_absolute() or not path.parts or path.parts[0] != book_id


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while target.exists():
        target = folder / f"{stem} ({n}){suffix}"
        n += 1
    return target


# -- keys ---------------------------------------------------------------------------------


def _book_of(session: Session) -> object | None:
    return session.info.get("book")


def book_encrypted(session: Session) -> bool:
    book = _book_of(session)
    return bool(getattr(book, "encrypted", False))


def _file_key(secret: bytes, book_id: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=book_id.encode("ascii"),
        info=b"reviewdesk document files v1",
    ).derive(secret)


def _new_secret() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def key_from_setting(value: object, book_id: str) -> bytes | None:
    """The file key from the stored secret (as the setting holds it); None if there is none."""
    if not value:
        return None
    return _file_key(base64.b64decode(str(value)), book_id)


def keying(session: Session, *, create: bool = False) -> Keying:
    """The book's document keying; `create` gives an encrypted book its secret if it has none."""
    book_id = identity.ensure_book_id(session) if create else identity.book_id(session)
    if book_id is None:
        raise BookError(_("the book has no identity yet: open it writable once"))
    if not book_encrypted(session):
        return Keying(book_id, None)
    row = session.get(Setting, DOCUMENT_KEY)
    if row is None or not row.value:
        if not create:
            raise BookError(_("the book's documents have no key yet: open it writable once"))
        with audit.paused(session):  # a secret: never in the trail
            session.add(Setting(key=DOCUMENT_KEY, value=_new_secret()))
            session.flush()
        row = session.get(Setting, DOCUMENT_KEY)
        assert row is not None
    key = key_from_setting(row.value, book_id)
    return Keying(book_id, key)


# -- encryption ---------------------------------------------------------------------------


def _copy_hashing(source: IO[bytes], out: Callable[[bytes], object]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for block in iter(lambda: source.read(CHUNK), b""):
        digest.update(block)
        size += len(block)
        out(block)
    return digest.hexdigest(), size


def encrypt_into(source: IO[bytes], target: IO[bytes], keyed: Keying) -> tuple[str, int]:
    """Encrypt `source` into `target`; the plain content's SHA-256 and size."""
    assert keyed.key is not None
    nonce = secrets.token_bytes(NONCE_BYTES)
    encryptor = Cipher(algorithms.AES(keyed.key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(keyed.aad)
    target.write(MAGIC + nonce)
    result = _copy_hashing(source, lambda block: target.write(encryptor.update(block)))
    target.write(encryptor.finalize() + encryptor.tag)
    return result


def looks_encrypted(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def decrypt_into(path: Path, target: IO[bytes], keyed: Keying) -> tuple[str, int]:
    """Decrypt the file at `path` into `target`; raises InvalidTag if it is not ours or
    was changed (whatever was written to `target` then is to be thrown away)."""
    with open(path, "rb") as handle:
        return decrypt_stream(handle, path.stat().st_size, target, keyed)


def decrypt_stream(
    handle: IO[bytes], total: int, target: IO[bytes] | None, keyed: Keying
) -> tuple[str, int]:
    """Decrypt a stored file of `total` bytes read from the seekable `handle` (into `target`
    if given): the plain content's SHA-256 and size (see decrypt_into)."""
    assert keyed.key is not None
    head = len(MAGIC) + NONCE_BYTES
    if total < head + TAG_BYTES or handle.read(len(MAGIC)) != MAGIC:
        raise InvalidTag()
    nonce = handle.read(NONCE_BYTES)
    handle.seek(total - TAG_BYTES)
    tag = handle.read(TAG_BYTES)
    handle.seek(head)
    decryptor = Cipher(algorithms.AES(keyed.key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(keyed.aad)
    remaining = total - head - TAG_BYTES
    digest = hashlib.sha256()
    while remaining:
        block = handle.read(min(CHUNK, remaining))
        if not block:
            raise InvalidTag()
        remaining -= len(block)
        plain = decryptor.update(block)
        digest.update(plain)
        if target is not None:
            target.write(plain)
    last = decryptor.finalize()
    if target is not None:
        target.write(last)
    return digest.hexdigest(), total - head - TAG_BYTES


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return _copy_hashing(handle, lambda _block: None)[0]


def write_document(source: Path, folder: Path, name: str, keyed: Keying) -> tuple[Path, str, int]:
    """Store the plain file `source` as `folder/name` (a free variant of it), encrypted when
    the book is: (file written, SHA-256 and size of the plain content)."""
    private_dir(folder)
    target = _free_name(folder, name)
    result: list[tuple[str, int]] = []

    def write(out: IO[bytes]) -> None:
        with open(source, "rb") as handle:
            if keyed.key is None:
                result.append(_copy_hashing(handle, out.write))
            else:
                result.append(encrypt_into(handle, out, keyed))

    write_private(target, write)
    return target, *result[0]


def store(session: Session, client_id: int, source: Path) -> Stored:
    """Copy (encrypting when the book is) `source` into the client's folder of the book."""
    keyed = keying(session, create=True)
    folder = book_folder(keyed.book_id) / str(client_id)
    target, sha, size = write_document(source, folder, source.name, keyed)
    return Stored(target.relative_to(paths.documents_dir()).as_posix(), sha, size)


def remove_file(stored_path: str) -> None:
    """Delete a document's file, only ever inside the documents folder."""
    stored = resolve(stored_path)
    base = paths.documents_dir().resolve()
    if stored.resolve().is_relative_to(base):
        stored.unlink(missing_ok=True)
        folder = stored.resolve().parent
        # A client's folder (<book id>/<client id>) left empty goes with its last file.
        if folder.parent.parent == base:
            with contextlib.suppress(OSError):
                folder.rmdir()


_TO_REMOVE = "documents_to_remove"


def remove_when_committed(session: Session, stored_path: str) -> None:
    """Delete a document's file once the unit of work that forgot it is committed (a
    rollback keeps it, as it keeps the record)."""
    session.info.setdefault(_TO_REMOVE, []).append(stored_path)


@event.listens_for(Session, "after_commit")
def _remove_committed(session: Session) -> None:
    for path in session.info.pop(_TO_REMOVE, []):
        with contextlib.suppress(OSError):
            remove_file(path)


@event.listens_for(Session, "after_soft_rollback")
def _keep_rolled_back(session: Session, _previous: object) -> None:
    session.info.pop(_TO_REMOVE, None)


# -- opening for the user -----------------------------------------------------------------

_viewing: Path | None = None
_viewing_lock: int | None = None


def viewing_root() -> Path:
    return private_dir(paths.data_dir() / VIEWING)


def _viewing_dir() -> Path:
    """This process's private folder for opened documents (held while the process lives)."""
    global _viewing, _viewing_lock
    if _viewing is None or not _viewing.is_dir():
        folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=viewing_root()))
        os.chmod(folder, PRIVATE_DIR)
        fd = os.open(folder / _HELD, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _viewing, _viewing_lock = folder, fd
        atexit.register(clear_opened)
    return _viewing


def clear_opened() -> None:
    """Remove the copies this process opened (at exit; the viewer may still show them)."""
    global _viewing, _viewing_lock
    if _viewing is not None:
        shutil.rmtree(_viewing, ignore_errors=True)
    if _viewing_lock is not None:
        os.close(_viewing_lock)
    _viewing, _viewing_lock = None, None


def clear_stale_opened() -> list[Path]:
    """Remove opened copies left by a process that ended without removing them (at start)."""
    removed: list[Path] = []
    folder = paths.data_dir() / VIEWING
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        if entry == _viewing or not entry.is_dir():
            continue
        held = entry / _HELD
        try:
            fd = os.open(held, os.O_RDWR)
        except FileNotFoundError:
            fd = None
        try:
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # another running process still has it
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
        finally:
            if fd is not None:
                os.close(fd)
    return removed


def open_copy(session: Session, document_id: int) -> Path:
    """A file the user's viewer can open: the stored file of a plain book, or a private
    decrypted copy (checked against the recorded SHA-256) for an encrypted one."""
    document = session.get(Document, document_id)
    if document is None:
        raise BookError(_("no document {id}").format(id=document_id))
    stored = resolve(document.stored_path)
    if not stored.is_file():
        raise DocumentDamaged(_("The file {path} is missing.").format(path=stored))
    if not book_encrypted(session) or not looks_encrypted(stored):
        return stored
    keyed = keying(session)
    folder = private_dir(_viewing_dir() / str(document.id))
    target = _free_name(folder, document.file_name or stored.name)
    sha: list[str] = []

    def write(out: IO[bytes]) -> None:
        try:
            sha.append(decrypt_into(stored, out, keyed)[0])
        except InvalidTag as exc:
            raise DocumentDamaged(
                _("{file} does not open with this book's key, or is damaged").format(file=stored)
            ) from exc

    write_private(target, write)
    if sha[0] != document.sha256:
        target.unlink(missing_ok=True)
        raise DocumentDamaged(
            _("{file} is not the document that was filed (its content changed)").format(file=stored)
        )
    return target


# -- bringing a book's documents into its folder ------------------------------------------


def secure(session: Session) -> list[str]:
    """Move the book's documents into its own folder (encrypted if the book is), and encrypt
    any plain file left in an encrypted book's folder. Nothing is dropped: a file that cannot
    be moved stays where it is and is named in the returned problems."""
    if session.get_bind().dialect.name == "postgresql" and not session.scalar(
        text("SELECT has_table_privilege('document', 'SELECT')")
    ):
        # A team book's admin reads no client data: no documents of theirs to bring in
        # (reading them was refused, and with it the opening of the book).
        return []
    keyed = keying(session, create=True)
    problems: list[str] = []
    moved = 0
    for document in session.scalars(select(Document).order_by(Document.id)).all():
        source = resolve(document.stored_path)
        legacy = _is_legacy(document, keyed.book_id)
        if not legacy and (keyed.key is None or (source.is_file() and looks_encrypted(source))):
            if source.is_file():
                os.chmod(source, PRIVATE_FILE)
            continue
        if not source.is_file():
            if legacy:
                problems.append(
                    _("{title}: its file {path} is missing; it was not moved").format(
                        title=document.title, path=source
                    )
                )
            continue
        try:
            if _sha256(source) != document.sha256:
                problems.append(
                    _(
                        "{title}: {path} is not the file that was filed (its content "
                        "changed); it was left where it is"
                    ).format(title=document.title, path=source)
                )
                continue
            folder = book_folder(keyed.book_id) / str(document.client_id)
            if legacy:
                target, sha, _size = write_document(source, folder, source.name, keyed)
            else:  # a plain file in an encrypted book's folder: encrypted in place
                target = source
                sha = _encrypt_in_place(source, keyed)
        except OSError as exc:
            problems.append(
                _("{title}: {path} could not be moved ({error}); it was left where it is").format(
                    title=document.title, path=source, error=os_reason(exc)
                )
            )
            continue
        if sha != document.sha256:  # read while it changed: keep the original
            target.unlink(missing_ok=True)
            problems.append(
                _("{title}: {path} changed while it was moved; it was left where it is").format(
                    title=document.title, path=source
                )
            )
            continue
        if legacy:
            with audit.paused(session):
                document.stored_path = target.relative_to(paths.documents_dir()).as_posix()
            session.commit()  # the new place is recorded before the old file goes
            remove_file(str(source))  # only ever inside the documents folder
            with contextlib.suppress(OSError):
                source.parent.rmdir()  # the old shared client folder, once empty
        moved += 1
    if moved:
        audit.record_event(
            session,
            "documents_secured",
            detail=f"{moved} documents moved into the book's folder"
            + (" and encrypted" if keyed.key else ""),
        )
    return problems


def _encrypt_in_place(path: Path, keyed: Keying) -> str:
    """Replace a plain file by its encryption (atomically); its content's SHA-256."""
    hashed: list[tuple[str, int]] = []
    write_private(path, lambda out: hashed.append(_encrypt_path(path, out, keyed)))
    return hashed[0][0]


def _encrypt_path(plain: Path, out: IO[bytes], keyed: Keying) -> tuple[str, int]:
    with open(plain, "rb") as handle:
        return encrypt_into(handle, out, keyed)
