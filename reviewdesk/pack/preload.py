"""What every batch worker needs, loaded once in the batch's fork server.

`reviewdesk.pack.batch` starts its workers from a fork server (a fresh interpreter of
its own, never the caller's process, which may run Qt threads or hold database
connections). The server imports this module before it forks any worker, so the
modules of a pack (reportlab, matplotlib, SQLAlchemy, the book) are imported, the
embedded fonts parsed, and the locale data and the chart fonts loaded once, not once
per worker: a worker starts with them in memory it shares with the server.

What is loaded is then frozen out of the cyclic garbage collector's sight (`settle`):
a pack allocates enough to set off full collections now and then, and each one would
walk the quarter of a million objects of the loaded modules and fonts, which live as
long as the process anyway (about a sixth of a warm pack's CPU time). Frozen, they are
also not written to by the workers' collections, so the pages stay shared.
"""

from __future__ import annotations

import logging

from reviewdesk.pack.warm import settle, warm

__all__ = ["settle", "warm"]

try:
    warm()
    settle()
except Exception:  # noqa: BLE001 - each worker loads them again and reports any error
    logging.getLogger("reviewdesk.pack").exception("the pack's workers could not be preloaded")
