"""The interpreter's cycle collector while the program starts.

A start makes about 125,000 objects that live as long as the program: SQLAlchemy and
its dialect, the book's models and their mappers, Qt's bindings, the windows. The
collector went over them again and again as they were made (about 180 young and 16
middle collections and a full one: 50-120 ms of a launch, on the thread that imports
and builds the window). Held from the start until the first screen is read, the
collector then freezes what exists (`gc.freeze`: kept out of every later collection,
which the launch's objects would only have slowed) and runs again as usual. What
became garbage in cycles meanwhile is frozen with the rest: a few hundred objects.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """Stop the cycle collector until `release()`; nothing if it was already stopped
    (by whoever stopped it, who also starts it again)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Freeze what was made while held and let the collector run again; at most once."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


def held() -> bool:
    return _held
