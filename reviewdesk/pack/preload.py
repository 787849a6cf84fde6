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

import gc
import io
import logging
from decimal import Decimal

from reportlab.platypus import SimpleDocTemplate
from sqlalchemy import select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import configure_mappers

from reviewdesk.book.models import Base
from reviewdesk.charts.builders import allocation_pie, trend_chart
from reviewdesk.money import format_axis, format_money, format_percent, format_signed
from reviewdesk.pack import batch, document, fonts, vector  # noqa: F401 - loaded for the workers
from reviewdesk.pack.context import LAYOUT_LOCK, STYLES, Para


def warm() -> None:
    """Load what a first pack would load: the fonts, the locale data of both languages,
    the chart fonts (a chart with text drawn in each language), and what SQLAlchemy
    works out once per process about the book's tables (a query per table compiled)."""
    with LAYOUT_LOCK:
        _warm()


def _warm() -> None:
    fonts.register()
    configure_mappers()
    dialect = sqlite.dialect()
    for mapper in Base.registry.mappers:
        select(mapper.class_).compile(dialect=dialect)
    amount = Decimal("1234567.89")
    story = []
    for lang in ("zh", "en"):
        format_money(amount, "CNY", lang, True)
        format_money(amount, "USD", lang, False, code=False)
        format_signed(amount, "CNY", lang, True)
        format_percent(Decimal("0.0123"), lang)
        format_axis(1_500_000.0, lang)
        story += [
            vector.FigureFlowable(allocation_pie([], lang)),
            vector.FigureFlowable(trend_chart([], lang, "CNY")),
            Para(fonts.markup("资产 Assets 1,234.56"), STYLES["body@cjk"]),
        ]
    SimpleDocTemplate(io.BytesIO(), invariant=1).build(story)


def settle() -> None:
    """Collect what is garbage now, then move every object still alive (modules, fonts,
    caches: what a pack-making process keeps to its end) out of the reach of the cyclic
    garbage collector, whose full collections would otherwise walk them all again and
    again. Objects made later are collected as usual."""
    gc.collect()
    gc.freeze()


try:
    warm()
    settle()
except Exception:  # noqa: BLE001 - each worker loads them again and reports any error
    logging.getLogger("reviewdesk.pack").exception("the pack's workers could not be preloaded")
