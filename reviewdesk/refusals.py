"""Why the system refused a file, in a few words of the interface language.

One table for every face and layer: the command line's sentences about the files it
writes (`cli.file_errors`), the batch of packs' folder (`pack.batch`) and a backup that
could not be written (`book.backup`) say "the disk is full" or "permission denied" alike,
never the system's own "No space left on device" in one place and ours in another.
"""

from __future__ import annotations

import errno

from reviewdesk.i18n import N_, _

REASONS = {
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.ENOENT: N_("no such file or folder"),
    errno.EROFS: N_("the disk is read-only"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENAMETOOLONG: N_("the name is too long"),
}
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def disk_full(exc: BaseException) -> bool:
    """Whether `exc` says the disk is full: the system's (ENOSPC, a quota) or SQLite's."""
    return getattr(exc, "errno", None) in DISK_FULL or (
        "database or disk is full" in str(exc).lower()
    )


def os_reason(exc: OSError) -> str:
    """The reason, in the interface language where it is a common one; else the system's."""
    if exc.errno in DISK_FULL:
        return _("the disk is full")
    if exc.errno in REASONS:
        return _(REASONS[exc.errno])
    return exc.strerror or type(exc).__name__
