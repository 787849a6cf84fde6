"""Who has a book open: a lock file beside it, so a second opening becomes read-only.

SQLite's own locks only last a transaction; two managers (or two windows)
editing the same file would overwrite each other's work between saves. The
lock file names the process, host and user, so the message can say who has
the book. A lock left by a process that died on this host is taken over; a
lock from another host is trusted unless it is older than `STALE_AFTER` and
has not been refreshed (an open book refreshes it as it saves, at most hourly).
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import getpass
import json
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from reviewdesk.book.errors import BookError
from reviewdesk.i18n import _

STALE_AFTER = dt.timedelta(hours=24)
# The book file's identity (or the lock's path, for a book not made yet) -> the lock held.
_held: dict[tuple[int, int] | Path, _Held] = {}
_guard = threading.Lock()


@dataclass
class _Held:
    """A lock this process holds: its owner token, how many openings share it, its file."""

    token: str
    count: int
    fd: int  # the lock file, open and flock-ed while the book is open
    path: Path


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    user: str
    since: str

    def describe(self) -> str:
        return f"{self.user}@{self.host} (pid {self.pid}, since {self.since})"


def lock_path(book_path: Path) -> Path:
    return book_path.with_name(book_path.name + ".lock")


def _me(token: str) -> dict[str, int | str]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "user": _user(),
        "since": dt.datetime.now().isoformat(timespec="seconds"),
        "token": token,
    }


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment
        return "?"


def read_holder(book_path: Path) -> Holder | None:
    try:
        data = json.loads(lock_path(book_path).read_text(encoding="utf-8"))
        return Holder(int(data["pid"]), str(data["host"]), str(data["user"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _stale(path: Path, holder: Holder | None) -> bool:
    if holder is None:
        return True  # unreadable or half-written lock
    if holder.host == socket.gethostname():
        return not _alive(holder.pid)
    try:
        age = dt.datetime.now().timestamp() - path.stat().st_mtime
    except OSError:
        return True
    return age > STALE_AFTER.total_seconds()


class LockUnavailable(BookError):
    """The lock could not be written (a full disk): the book opens read-only."""


def identity(book_path: Path) -> tuple[int, int] | None:
    """The book file's identity, (st_dev, st_ino): one file whatever path reaches it."""
    try:
        info = os.stat(book_path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _key(book_path: Path) -> tuple[int, int] | Path:
    return identity(book_path) or lock_path(book_path).resolve()


def _same_file(fd: int, path: Path) -> bool:
    """True while the lock file held open at `fd` is still the one at `path`."""
    try:
        mine, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def acquire(book_path: Path) -> Holder | None:
    """Take the book's lock; None if taken, else the holder who has it open elsewhere.

    The lock file is held under `fcntl.flock` for the book's whole opening, so the
    kernel, not a guess, says whether a lock on this computer is alive: two openers
    racing over a stale lock cannot both have it (the one that loses the `flock`
    sees the winner; a lock file replaced after it was opened is opened again).
    The same process may open a book more than once (a window and a worker):
    that shares the lock rather than locking itself out; openings are counted by
    the file's identity, so two paths to one file share one lock.
    """
    path = lock_path(book_path)
    key = _key(book_path)
    with _guard:
        # A book this process created is held under its lock's path (the file did not
        # exist yet); `_find` knows both keys.
        held_key = _find(book_path)
        mine = _held.get(held_key) if held_key is not None else None
        if mine is not None:
            mine.count += 1
            return None
        for _attempt in range(5):
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                    raise LockUnavailable(_("the disk is full")) from exc
                return None  # a folder we cannot write to: the book opens read-only anyway
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)  # alive: another process on this computer holds it
                return read_holder(book_path) or Holder(0, "?", "?", "?")
            if not _same_file(fd, path):
                os.close(fd)  # released and removed while we waited: open the new one
                continue
            holder = read_holder(book_path)
            if (
                holder is not None
                and holder.host != socket.gethostname()
                and not _stale(path, holder)
            ):
                # Written by a computer whose locks this one may not see, and fresh. On this
                # computer the flock just taken proves the writer gone.
                os.close(fd)
                return holder
            token = uuid.uuid4().hex
            try:
                os.ftruncate(fd, 0)
                os.pwrite(fd, json.dumps(_me(token)).encode("utf-8"), 0)
                os.fsync(fd)
            except OSError as exc:
                path.unlink(missing_ok=True)
                os.close(fd)
                if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                    raise LockUnavailable(_("the disk is full")) from exc
                return None
            _held[key] = _Held(token, 1, fd, path)
            return None
        return read_holder(book_path) or Holder(0, "?", "?", "?")


def _find(book_path: Path) -> tuple[int, int] | Path | None:
    """The key this process holds the book's lock under (a new book's key was its path)."""
    key = _key(book_path)
    if key in _held:
        return key
    path = lock_path(book_path).resolve()
    for held_key, held in _held.items():
        if held.path.resolve() == path:
            return held_key
    return None


def refresh(book_path: Path) -> None:
    """Show the lock is alive (its age is how another computer judges a lock stale)."""
    key = _find(book_path)
    mine = _held.get(key) if key is not None else None
    if mine is not None:
        try:
            os.utime(mine.path)
        except OSError:
            pass


def release(book_path: Path) -> None:
    with _guard:
        key = _find(book_path)
        mine = _held.get(key) if key is not None else None
        if key is None or mine is None:
            return
        mine.count -= 1
        if mine.count > 0:
            return
        del _held[key]
        try:
            # Removed while still held, so an opener waiting on it opens a new one.
            if _same_file(mine.fd, mine.path):
                mine.path.unlink()
        except OSError:
            pass
        finally:
            os.close(mine.fd)
