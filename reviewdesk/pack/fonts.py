"""Fonts embedded in the pack, and text split into runs per font.

reportlab does not fall back per glyph, so every string is split into runs,
each set in the first font of the chain that has its characters: DejaVu Sans
(Latin), Droid Sans Fallback (Chinese), NanumSquare (Hangul), Loma (Thai).
Hangul and Thai go to their own font first, so a Korean name is not set in two
designs where Droid Sans Fallback happens to have a few syllables.

A character that no font of the chain has would print as an empty box; it is
recorded (see `collect_missing`) so the pack's caller can report it.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from functools import cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from reviewdesk.charts.fonts import (
    CJK_FILE,
    HANGUL_FILE,
    LATIN_BOLD_FILE,
    LATIN_FILE,
    THAI_FILE,
    font_path,
)

LATIN = "RD-Sans"
LATIN_BOLD = "RD-Sans-Bold"
CJK = "RD-CJK"
HANGUL = "RD-Hangul"
THAI = "RD-Thai"

# Fonts in the order a character is looked up, with their files.
CHAIN: tuple[tuple[str, str], ...] = (
    (LATIN, LATIN_FILE),
    (CJK, CJK_FILE),
    (HANGUL, HANGUL_FILE),
    (THAI, THAI_FILE),
)
# Scripts that go to their own font before the chain.
_PREFERRED: tuple[tuple[int, int, str], ...] = (
    (0x1100, 0x11FF, HANGUL),
    (0x3130, 0x318F, HANGUL),
    (0xA960, 0xA97F, HANGUL),
    (0xAC00, 0xD7FF, HANGUL),
    (0x0E00, 0x0E7F, THAI),
)

_missing: ContextVar[set[str] | None] = ContextVar("missing_glyphs", default=None)


# The fonts nearly every pack sets text in, registered together; the others when a text
# first needs one of their characters (`_chars`): parsing NanumSquare alone takes about as
# long as the Chinese font, and few books have a Korean name.
_FIRST = (LATIN_BOLD, LATIN, CJK)
_FILES = {LATIN_BOLD: LATIN_BOLD_FILE, **dict(CHAIN)}


@cache
def register() -> None:
    """Register the TrueType fonts (embedded as subsets in each PDF): the Latin and
    Chinese ones now, the others as a text first needs them (`register_all`: all now).

    Streams are written as compressed binary: ASCII85 only makes files larger
    and costs a third of the time of a pack in pure Python.
    """
    rl_config.useA85 = 0
    for name in _FIRST:
        _register(name)
    if not isinstance(pdfdoc.PDFZCompress.encode, _KeptCompression):
        pdfdoc.PDFZCompress.encode = _KeptCompression(pdfdoc.PDFZCompress.encode)
    addMapping(LATIN, 0, 0, LATIN)
    addMapping(LATIN, 1, 0, LATIN_BOLD)
    addMapping(LATIN, 0, 1, LATIN)
    addMapping(LATIN, 1, 1, LATIN_BOLD)
    for name, _file in CHAIN[1:]:
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)


def register_all() -> None:
    """Every font of the chain registered now (a process that loads ahead of its packs)."""
    register()
    for name in _FILES:
        _register(name)


@cache
def _register(name: str) -> None:
    font = TTFont(name, font_path(_FILES[name]))
    # reportlab copies a table out of the font file each time it makes a subset, the
    # whole glyph table included (3.5 MB for the Chinese font, two or three subsets a
    # pack); the tables never change, so each is copied once.
    font.face.get_table = cache(font.face.get_table)
    font.face.makeSubset = _kept_subsets(font.face.makeSubset)
    pdfmetrics.registerFont(font)


# A font's subsets as embedded (the glyphs a pack uses, in the order it first used them),
# by the characters they hold: the Latin fonts' subsets are the same in pack after pack.
_SUBSETS_KEPT = 32  # per font
# Each subset kept, by its identity, with its compressed bytes once compressed.
_COMPRESSED: dict[int, tuple[bytes, bytes | None]] = {}


def _kept_subsets(make: Callable[[list[int]], bytes]) -> Callable[[list[int]], bytes]:
    """`make` (a font's makeSubset), its subsets kept for the next pack that has the same."""
    kept: dict[tuple[int, ...], bytes] = {}

    def make_subset(subset: list[int]) -> bytes:
        key = tuple(subset)
        data = kept.get(key)
        if data is None:
            if len(kept) >= _SUBSETS_KEPT:
                for old in kept.values():
                    _COMPRESSED.pop(id(old), None)
                kept.clear()
            data = kept[key] = make(subset)
            _COMPRESSED[id(data)] = (data, None)
        return data

    return make_subset


class _KeptCompression:
    """reportlab's one Flate filter, which compresses a kept font subset once only: the
    same bytes compress to the same bytes, and a font file is the largest stream of a
    pack. Any other stream is compressed as before."""

    def __init__(self, encode: Callable[[str | bytes], bytes]) -> None:
        self.encode = encode

    def __call__(self, text: str | bytes) -> bytes:
        known = _COMPRESSED.get(id(text))
        if known is None or known[0] is not text:
            return self.encode(text)
        if known[1] is None:
            known = _COMPRESSED[id(text)] = (known[0], self.encode(text))
        assert known[1] is not None
        return known[1]


@cache
def _chars(name: str) -> frozenset[int]:
    register()
    _register(name)
    return frozenset(pdfmetrics.getFont(name).face.charToGlyph)


@cache
def font_for(ch: str) -> str | None:
    """The font of the chain that sets `ch`; None if none has it."""
    code = ord(ch)
    for low, high, name in _PREFERRED:
        if low <= code <= high and code in _chars(name):
            return name
    for name, _file in CHAIN:
        if code in _chars(name):
            return name
    return None


def _invisible(ch: str) -> bool:
    """Line breaks, controls and format characters: nothing to draw, nothing missing."""
    return unicodedata.category(ch)[0] in "CZ"


@contextlib.contextmanager
def collect_missing() -> Iterator[set[str]]:
    """Within the block, characters that no embedded font has are added to the set given."""
    found: set[str] = set()
    token = _missing.set(found)
    try:
        yield found
    finally:
        _missing.reset(token)


def missing_chars(text: str) -> str:
    """The characters of `text` that no embedded font has, in order, once each."""
    return "".join(dict.fromkeys(ch for ch in text if font_for(ch) is None and not _invisible(ch)))


# The runs of texts seen lately, with the characters of each that no font has: a pack
# measures, marks up and draws the same labels and amounts several times over, and
# every pack the same headings, notes and explanations.
_RUNS: dict[tuple[str, bool], tuple[tuple[tuple[str, str], ...], frozenset[str]]] = {}
_RUNS_KEPT = 8192


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """(font name, text) runs covering `text`."""
    known = _RUNS.get((text, bold))
    if known is None:
        if len(_RUNS) >= _RUNS_KEPT:
            _RUNS.clear()
        known = _RUNS[(text, bold)] = _runs(text, bold)
    found, absent = known
    if absent:
        missing = _missing.get()
        if missing is not None:
            missing.update(absent)
    return list(found)


def _runs(text: str, bold: bool) -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    result: list[tuple[str, str]] = []
    absent: set[str] = set()
    for ch in text:
        font = font_for(ch)
        if font is None:
            if not _invisible(ch):
                absent.add(ch)
            font = LATIN
        if font == LATIN and bold:
            font = LATIN_BOLD
        if result and result[-1][0] == font:
            result[-1] = (font, result[-1][1] + ch)
        else:
            result.append((font, ch))
    return tuple(result), frozenset(absent)


def cell_font(text: str, bold: bool = False) -> str:
    """The one font that sets every character of a plain table cell: the Latin font if it
    can, else the first of the chain that has them all (a cell of Chinese words), else the
    font of the text's first character outside Latin."""
    latin = LATIN_BOLD if bold else LATIN
    used = [font for font, _run in runs(text, bold) if font not in (LATIN, LATIN_BOLD)]
    if not used:
        return latin
    codes = {ord(ch) for ch in text if not _invisible(ch)}
    return next((name for name, _file in CHAIN[1:] if codes <= _chars(name)), used[0])


def markup(text: str, bold: bool = False) -> str:
    """Paragraph markup for plain text: escaped, each run in its font."""
    parts = []
    for font, run in runs(text, bold):
        run = escape(run)
        parts.append(run if font in (LATIN, LATIN_BOLD) else f'<font name="{font}">{run}</font>')
    body = "".join(parts)
    return f"<b>{body}</b>" if bold else body


def string_width(text: str, size: float, bold: bool = False) -> float:
    width: float = sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs(text, bold))
    return width


def draw_string(
    canv: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    bold: bool = False,
    align: str = "left",
) -> None:
    """Draw one line of mixed text on a canvas; `align` is left, right or centre."""
    if align != "left":
        width = string_width(text, size, bold)
        x -= width if align == "right" else width / 2
    for font, run in runs(text, bold):
        canv.setFont(font, size)
        canv.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, font, size)
