"""What a process loads before its first pack, and setting it out of the collector's way.

The first pack of a process imports the pack's modules (reportlab, the chart library's
pack renderer), parses the embedded fonts, loads the locale data of both languages and
has SQLAlchemy work out what it works out once about the book's tables: most of a
second, against about a tenth of a second for every later pack. `warm` does all of that
ahead of the first pack; the batch's fork server runs it once for all its workers
(`reviewdesk.pack.preload`), the desktop once the manager pauses.

What is loaded then lives as long as the process. `settle` moves it out of the cyclic
garbage collector's sight, so that no later full collection walks it again.
"""

from __future__ import annotations

import gc
import io
from decimal import Decimal

from reportlab.platypus import SimpleDocTemplate
from sqlalchemy import select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import configure_mappers

from reviewdesk.book.models import Base
from reviewdesk.charts.builders import allocation_pie, trend_chart
from reviewdesk.i18n import translator
from reviewdesk.money import format_axis, format_money, format_percent, format_signed
from reviewdesk.pack import batch, document, fonts, vector  # noqa: F401 - what a pack loads
from reviewdesk.pack.context import LAYOUT_LOCK, STYLES, Para


def warm() -> None:
    """Load what a first pack would load: the fonts, the catalogues and locale data of
    both languages, the chart fonts (a chart with text drawn in each language), and what
    SQLAlchemy works out once per process about the book's tables (a query per table
    compiled)."""
    with LAYOUT_LOCK:
        _warm()


def _warm() -> None:
    fonts.register_all()
    configure_mappers()
    dialect = sqlite.dialect()
    for mapper in Base.registry.mappers:
        select(mapper.class_).compile(dialect=dialect)
    amount = Decimal("1234567.89")
    story = []
    for lang in ("zh", "en"):
        translator(lang)  # the catalogue, compiled in memory in a checkout
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


def settle(full: bool = True) -> None:
    """Collect what is garbage now, then move every object still alive (modules, fonts,
    caches: what the process keeps to its end) out of the reach of the cyclic garbage
    collector, whose full collections would otherwise walk them all again and again.
    Objects made later are collected as usual.

    `full=False` collects the young and middle generations only, where nearly all the
    garbage of the loading is: the desktop's process holds a few hundred thousand
    objects, and a full collection there (about 0.1 s) would hold the interpreter, and
    with it the window, for all of it. The few hundred objects of older garbage it
    leaves are frozen with the rest, as at the desktop's start (`reviewdesk.collector`).

    Between packs: a pack half made on another thread would be frozen with what stays."""
    with LAYOUT_LOCK:
        gc.collect() if full else gc.collect(1)
        gc.freeze()
