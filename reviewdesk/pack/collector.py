"""The cyclic garbage collector in a process that makes packs one after another.

A pack allocates a few hundred thousand objects, and about thirteen thousand of them
are still tracked when it is made: its story, tables, charts and document, which refer
to one another in cycles, and go all together once the pack is written. Left to its
thresholds, the collector ran about 25 young and 2 middle collections a pack; each
middle one moved what the pack was still using into the oldest generation, where it
died, and every few packs a full collection (up to 50 ms of CPU) found it there.

In a pack-making process (the batch's workers, the command line's one pack) a pack is
made with the collector paused, and its garbage collected once at its end, when it is
all garbage: a pack's own objects never reach the oldest generation, and the memory
held is at most one pack's (the peak resident size stays flat over hundreds of packs).
What survives the pack (the layouts kept for the next, the fonts' subsets) ages as
usual, and the collector runs by its thresholds between packs.

Not in the desktop's process: it makes a pack on a worker thread while the window's
thread goes on, and the pause would be the whole process's.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from reviewdesk.review.bulk import collector_paused


@contextmanager
def one_pack() -> Iterator[None]:
    """Make a pack inside: the collector paused meanwhile, its garbage collected after
    (the young and middle generations: everything the pack allocated)."""
    try:
        with collector_paused():
            yield
    finally:
        gc.collect(1)
