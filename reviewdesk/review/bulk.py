"""Book-wide computations that make tens of thousands of small objects at once.

Python's cycle collector runs every few hundred new container objects and, in a
desktop process that holds Qt, matplotlib and a loaded review, walks a large heap
each time: on a 10,000-client book it took a third of the client list's time and
nearly half of the agenda's. The rows made here hold no reference cycles, so the
collector is paused while they are made and runs as usual afterwards.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block; nested and concurrent blocks share one
    pause, and the collector is enabled again (if it was) when the last one ends."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
