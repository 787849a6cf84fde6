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
import getpass
import json
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

STALE_AFTER = dt.timedelta(hours=24)
_held: dict[Path, _Held] = {}  # lock path -> the lock this process holds there
_guard = threading.Lock()


@dataclass
class _Held:
    """A lock this process holds: its owner token and how many openings share it."""

    token: str
    count: int


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


def acquire(book_path: Path) -> Holder | None:
    """Take the book's lock; None if taken, else the holder who has it open elsewhere.

    The same process may open a book more than once (a window and a worker):
    that shares the lock rather than locking itself out.
    """
    path = lock_path(book_path)
    with _guard:
        mine = _held.get(path)
        if mine is not None:
            mine.count += 1
            return None
        for _attempt in range(3):
            token = uuid.uuid4().hex
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                holder = read_holder(book_path)
                if (
                    holder is not None
                    and holder.pid == os.getpid()
                    and holder.host == socket.gethostname()
                ):
                    path.unlink(missing_ok=True)  # our own, from a book not closed
                    continue
                if _stale(path, holder):
                    path.unlink(missing_ok=True)
                    continue
                return holder
            except OSError:
                return None  # a folder we cannot write to: the book opens read-only anyway
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(_me(token), handle)
            _held[path] = _Held(token, 1)
            return None
        return read_holder(book_path) or Holder(0, "?", "?", "?")


def refresh(book_path: Path) -> None:
    """Show the lock is alive (its age is how another computer judges a lock stale)."""
    path = lock_path(book_path)
    if path in _held:
        try:
            os.utime(path)
        except OSError:
            pass


def release(book_path: Path) -> None:
    path = lock_path(book_path)
    with _guard:
        mine = _held.get(path)
        if mine is None:
            return
        mine.count -= 1
        if mine.count > 0:
            return
        del _held[path]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("token") == mine.token:
                path.unlink()
        except (OSError, ValueError):
            pass
