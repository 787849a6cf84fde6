"""A backup's documents: a zip beside the backup, `<backup>.documents.zip`.

The files go in as they are stored (an encrypted book's stay encrypted: the key is in
the backup itself, as it is in the book), each under `files/<document id>`, with a
manifest naming the document, its place in the book's folder and the SHA-256 of its
content. A backup's check reads every file back against that digest; a restore puts
the files back into the restored book's folder, whole or not at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.exceptions import InvalidTag
from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewdesk.book import audit, documents, identity
from reviewdesk.book.errors import BookError
from reviewdesk.book.models import Document
from reviewdesk.files import PRIVATE_FILE, private_dir
from reviewdesk.i18n import _

MANIFEST = "manifest.json"
FORMAT = 1


class DamagedArchive(BookError):
    """The documents beside a backup are not whole."""


@dataclass(frozen=True)
class Checked:
    path: Path
    documents: int
    missing: int  # documents whose file was already missing when the backup was made


def archive_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".documents.zip")


def write_archive(session: Session, backup: Path) -> Path:
    """Write the book's documents beside `backup` (under a temporary name, then renamed)."""
    book_id = identity.book_id(session) or ""  # none yet: a backup made before upgrading
    encrypted = documents.book_encrypted(session)
    target = archive_path(backup)
    work = target.with_name(target.name + ".part")
    work.unlink(missing_ok=True)
    entries: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    try:
        fd = os.open(work, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with (
            os.fdopen(fd, "wb") as handle,
            zipfile.ZipFile(
                handle, "w", zipfile.ZIP_STORED if encrypted else zipfile.ZIP_DEFLATED
            ) as archive,
        ):
            # The columns by name, not the record: a backup made before an upgrade reads a
            # book whose document table lacks the newer columns.
            for document in session.execute(
                select(
                    Document.id,
                    Document.client_id,
                    Document.file_name,
                    Document.stored_path,
                    Document.sha256,
                ).order_by(Document.id)
            ):
                record = {
                    "id": document.id,
                    "client_id": document.client_id,
                    "file_name": document.file_name,
                    "stored_path": document.stored_path,
                    "sha256": document.sha256,
                }
                source = documents.resolve(document.stored_path)
                if not source.is_file():
                    missing.append(record)
                    continue
                entry = f"files/{document.id}"
                archive.write(source, entry)
                record["entry"] = entry
                entries.append(record)
            manifest = {
                "format": FORMAT,
                "book_id": book_id,
                "encrypted": encrypted,
                "documents": entries,
                "missing": missing,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(work, target)
    finally:
        work.unlink(missing_ok=True)
    return target


def _manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise DamagedArchive(
            _("{file} has no readable list of its documents: refused").format(file=path)
        ) from exc
    if manifest.get("format") != FORMAT:
        raise DamagedArchive(
            _("{file} is a documents archive this version cannot read: refused").format(file=path)
        )
    return manifest


def check_archive(backup: Path, key_secret: object, document_ids: set[int]) -> Checked | None:
    """Read every document beside `backup` back against its digest; None if the backup has
    no documents archive (made before backups carried documents).

    `key_secret` is the document secret stored in the backup (None for a plain book);
    `document_ids` are the documents the backup's book records: each must be in the
    archive (or have been missing already when the backup was made).
    """
    path = archive_path(backup)
    if not path.exists():
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _manifest(archive, path)
            book_id = str(manifest["book_id"])
            keyed = documents.Keying(
                book_id, documents.key_from_setting(key_secret, book_id) if key_secret else None
            )
            listed = {int(d["id"]) for d in manifest["documents"]} | {
                int(d["id"]) for d in manifest["missing"]
            }
            if document_ids - listed:
                raise DamagedArchive(
                    _("{file} lacks documents {ids} of its book: refused").format(
                        file=path, ids=", ".join(str(i) for i in sorted(document_ids - listed))
                    )
                )
            for record in manifest["documents"]:
                if _digest(archive, record, keyed) != record["sha256"]:
                    raise DamagedArchive(
                        _("{file}: document {name} is damaged: refused").format(
                            file=path, name=record["file_name"]
                        )
                    )
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DamagedArchive(
            _("{file} is damaged ({problem}): refused").format(file=path, problem=exc)
        ) from exc
    return Checked(path, len(manifest["documents"]), len(manifest["missing"]))


def _digest(
    archive: zipfile.ZipFile, record: dict[str, Any], keyed: documents.Keying
) -> str | None:
    """The SHA-256 of a document's content as the archive holds it (decrypted if it is
    encrypted); for an encrypted file without its key, only its CRC is checked."""
    info = archive.getinfo(record["entry"])
    with archive.open(info) as handle:
        encrypted = handle.read(len(documents.MAGIC)) == documents.MAGIC
        handle.seek(0)
        if encrypted and keyed.key is not None:
            try:
                return documents.decrypt_stream(handle, info.file_size, None, keyed)[0]
            except InvalidTag:
                return None
        digest = documents._copy_hashing(handle, lambda _block: None)[0]  # reads the CRC
        return str(record["sha256"]) if encrypted else digest


def restore_archive(session: Session, backup: Path) -> int | None:
    """Put the documents beside `backup` back as the restored book's folder; how many (None:
    the backup has none, the book's folder is left as it is). The folder is swapped whole:
    the files it had are in the backup made before the restore."""
    path = archive_path(backup)
    if not path.exists():
        return None
    book_id = documents.keying(session, create=True).book_id
    root = documents.root()
    staging = root / f".restoring-{book_id}"
    replaced = root / f".replaced-{book_id}"
    current = root / book_id
    if replaced.exists() and not current.exists():  # a swap cut short: the folder it had
        os.replace(replaced, current)
    for leftover in (staging, replaced):
        shutil.rmtree(leftover, ignore_errors=True)
    moved: dict[int, str] = {}
    swapped = False
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _manifest(archive, path)
            private_dir(staging)
            for record in manifest["documents"]:
                client = str(int(record["client_id"]))
                stored = PurePosixPath(str(record["stored_path"]))
                if (
                    not stored.is_absolute()
                    and len(stored.parts) == 3
                    and stored.parts[0] == book_id
                    and stored.parts[1] == client
                    and stored.parts[2] not in ("", ".", "..")
                ):
                    name = stored.parts[2]
                else:  # stored elsewhere (before books had folders, or another book's id)
                    name = Path(str(record["file_name"])).name or f"document-{record['id']}"
                folder = private_dir(staging / client)
                target = documents._free_name(folder, name)
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
                with os.fdopen(fd, "wb") as out, archive.open(record["entry"]) as handle:
                    shutil.copyfileobj(handle, out, documents.CHUNK)
                    out.flush()
                    os.fsync(out.fileno())
                moved[int(record["id"])] = f"{book_id}/{client}/{target.name}"
        if current.exists():
            os.replace(current, replaced)
        try:
            os.replace(staging, current)
        except BaseException:
            if replaced.exists():
                os.replace(replaced, current)
            raise
        swapped = True
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if swapped:
            shutil.rmtree(replaced, ignore_errors=True)
    with audit.paused(session):
        for document in session.scalars(select(Document)):
            place = moved.get(document.id)
            if place is not None and place != document.stored_path:
                document.stored_path = place
    return len(moved)


def encrypt_archive(backup: Path, keyed: documents.Keying) -> int:
    """Encrypt, under `keyed`, the plain files in the documents beside `backup` (the zip
    is rewritten under a temporary name, then renamed); how many were. The backup must
    carry the secret `keyed` comes from, and be of the book `keyed.book_id` names."""
    path = archive_path(backup)
    if not path.exists():
        return 0
    work = path.with_name(path.name + ".part")
    work.unlink(missing_ok=True)
    done = 0
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _manifest(archive, path)
            plain = [
                record
                for record in manifest["documents"]
                if archive.read(record["entry"])[: len(documents.MAGIC)] != documents.MAGIC
            ]
            if not plain and manifest.get("encrypted") and manifest["book_id"] == keyed.book_id:
                return 0
            manifest["encrypted"] = True
            manifest["book_id"] = keyed.book_id
            fd = os.open(work, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
            with (
                os.fdopen(fd, "wb") as handle,
                zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as out,
            ):
                for record in manifest["documents"]:
                    with archive.open(record["entry"]) as source:
                        head = source.read(len(documents.MAGIC))
                    with (
                        archive.open(record["entry"]) as source,
                        out.open(record["entry"], "w", force_zip64=True) as target,
                    ):
                        if head == documents.MAGIC:
                            shutil.copyfileobj(source, target, documents.CHUNK)
                        else:
                            sha = documents.encrypt_into(source, target, keyed)[0]
                            if sha != record["sha256"]:
                                raise DamagedArchive(
                                    _("{file}: document {name} is damaged: refused").format(
                                        file=path, name=record["file_name"]
                                    )
                                )
                            done += 1
                out.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(work, path)
    finally:
        work.unlink(missing_ok=True)
    return done


def remove_archive(backup: Path) -> None:
    with contextlib.suppress(OSError):
        archive_path(backup).unlink()
