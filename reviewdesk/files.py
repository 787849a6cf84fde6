"""Files with client data in them are their owner's alone.

A pack, an email draft, an Excel export, an import report, a backup, the audit trail's
copy and the book itself hold clients' names, holdings and notes. Whatever the user's
umask (0022 on most systems, so 0644 files), every such file the app writes is created
readable and writable by its owner only, and written whole under another name before
it takes its own: a reader never finds half a file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
MiB = 1 << 20


def size_text(size: int) -> str:
    """A byte count as a person reads it: MB or GB."""
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f} GB"
    return f"{size / MiB:.1f} MB"


def private_dir(path: Path) -> Path:
    """`path` made (with any missing parent) and closed to everyone but the user."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    os.chmod(path, PRIVATE_DIR)
    return path


def new_folders_private(path: Path) -> Path:
    """`path` as a folder: each one missing on the way made its owner's alone (0700), as
    the files written in it are; one that exists is left as it is (a folder the user
    keeps, ~/Documents, is not ours to close).

    Found: `packs -o` made its folder 0755, so any user of the computer could list the
    packs in it, each named with its client's name and code."""
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue
        os.chmod(folder, PRIVATE_DIR)  # whatever the umask
    return path


def write_private(path: Path, content: bytes | Callable[[IO[bytes]], None]) -> Path:
    """Write `content` (bytes, or a function writing to the open file) to `path`, whole or
    not at all, readable by its owner only; returns the path."""
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))  # the file the link names is written, not the link
    if path.exists() and not path.is_file():
        # A device or a pipe the user named (/dev/stdout): written to as it is.
        with open(path, "wb") as stream:
            if isinstance(content, bytes):
                stream.write(content)
            else:
                content(stream)
        return path
    new_folders_private(path.parent)
    fd, work = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        os.chmod(work, PRIVATE_FILE)  # mkstemp makes it 0600; said here, as the contract
        with os.fdopen(fd, "wb") as handle:
            if isinstance(content, bytes):
                handle.write(content)
            else:
                content(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(work, path)
    except BaseException:
        Path(work).unlink(missing_ok=True)
        raise
    return path


def empty_private(path: Path) -> Path:
    """An empty file at `path`, readable by its owner only, for a writer that fills an
    empty file it is given (SQLite's VACUUM INTO and backup keep the mode they find)."""
    path = Path(path)
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    os.chmod(path, PRIVATE_FILE)  # whatever the umask
    return path


def make_private(path: Path) -> bool:
    """Close `path` to its group and others when it is open to them (a file an older
    version wrote under the umask). False when it cannot be (another user's file, a
    file system without modes); the file is left as it is."""
    try:
        mode = os.stat(path).st_mode
        if stat.S_IMODE(mode) & 0o077:
            os.chmod(path, stat.S_IMODE(mode) & 0o700)
    except OSError:
        return False
    return True
