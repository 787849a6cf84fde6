"""A file the system refused, said in one sentence in the interface language.

A command that writes a file names it with `set_defaults(writes="<argument>")`; an
OSError on the way is then told as that file and the reason, whatever step failed (the
folder made for it, the work file beside it, the rename), instead of the name of a
work file the user never asked for. The writers (reviewdesk.files) write whole or not
at all, so a refused file leaves nothing behind.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from reviewdesk.i18n import _
from reviewdesk.refusals import DISK_FULL, os_reason


def _path(name: object) -> Path | None:
    if isinstance(name, str | bytes) and name:
        return Path(os.fsdecode(name))
    return None  # none, or a file descriptor


def _about(path: Path, target: Path) -> bool:
    """Whether the system's `path` is one the writing of `target` touches: the file, a
    folder above it, a work file beside it, or a file inside it (a folder of packs)."""
    path, target = Path(os.path.abspath(path)), Path(os.path.abspath(target))
    return (
        path == target
        or path in target.parents
        or path.parent == target.parent
        or target in path.parents
    )


def _file_in_the_way(path: Path) -> Path | None:
    """The first of `path` and the folders above it that exists and is not a folder."""
    for candidate in (*reversed(path.parents), path):
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return None


def reason(exc: OSError, path: Path | None = None) -> str:
    """Why the system refused `path` (the file named in `exc` by default)."""
    path = path or _path(exc.filename)
    if exc.errno in (errno.EEXIST, errno.ENOTDIR) and path is not None:
        blocker = _file_in_the_way(path)
        if blocker is not None:
            return _("the folder {folder} cannot be made: a file has that name").format(
                folder=blocker
            )
    return os_reason(exc)


def file_error(exc: OSError, written: Path | None = None) -> str | None:
    """The sentence for `exc`, naming `written` (the file the command writes) when the
    error is about it; None for an error about no file at all."""
    path = _path(exc.filename)
    named: Path | None = path
    if written is not None and (path is None or _about(path, written)):
        named = written
    if exc.errno in DISK_FULL:
        return _(
            "the disk is full ({file}): nothing was changed; free some space and try again"
        ).format(file=named or _("a file"))
    if named is None:
        return None
    why = reason(exc, path or named)
    if named == written:
        return _("{file}: cannot write: {error}").format(file=named, error=why)
    return _("{file}: {error}").format(file=named, error=why)
