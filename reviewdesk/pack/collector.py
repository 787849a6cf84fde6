"""The cyclic garbage collector in a process that makes nothing but packs.

A pack allocates a few hundred thousand objects, and about thirteen thousand of them
are still tracked when it is made: its story, tables, charts and document, which refer
to one another in cycles, and go all together once the pack is written. Left to its
thresholds, the collector ran about 25 young and 2 middle collections a pack; each
middle one moved what the pack was still using into the oldest generation, where it
died, and every few packs a full collection (up to 50 ms of CPU) found it there.

In the batch's workers (`batch._make_in_worker`) the collector is paused while a pack
is made, and the last pack's garbage is collected when the next pack starts, when it
is all garbage: a pack's own objects never reach the oldest generation, and the
memory held is at most one pack's garbage (the peak resident size stays flat over
hundreds of packs). The collection comes before the next pack rather than after the
last one so that a worker hands a pack over as soon as its file is written: a worker
stopped between the two (the system killing it for memory) would leave a file the
book has not recorded. What survives a pack (the layouts kept for the next, the
fonts' subsets) ages as usual: every `FULL_EVERY` packs the collection is a full one.

Not in the desktop's process: it makes a pack on a worker thread while the window's
thread goes on, and the pause would be the whole process's.
"""

from __future__ import annotations

import gc

# Packs between full collections (a full one walks what the process keeps, ~30,000
# objects once the loaded modules are frozen out of sight: a few ms).
FULL_EVERY = 10

_made = 0


def before_pack() -> None:
    """Collect what the packs before left (the young and middle generations: everything
    they allocated; every `FULL_EVERY` packs all of them), then pause the collector
    for this pack and until the next one's start."""
    global _made
    gc.collect(2 if _made % FULL_EVERY == FULL_EVERY - 1 else 1)
    gc.disable()
    _made += 1
