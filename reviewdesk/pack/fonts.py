"""Fonts embedded in the pack, and text split into runs per font.

Droid Sans Fallback covers Chinese but has no Latin glyphs; DejaVu Sans covers
Latin. reportlab does not fall back per glyph, so every string is split into
runs: CJK runs in Droid Sans Fallback, the rest in DejaVu Sans.
"""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from reviewdesk.charts.fonts import CJK_FILE, LATIN_BOLD_FILE, LATIN_FILE, font_path

LATIN = "RD-Sans"
LATIN_BOLD = "RD-Sans-Bold"
CJK = "RD-CJK"


@cache
def register() -> None:
    """Register the TrueType fonts (embedded as subsets in each PDF).

    Streams are written as compressed binary: ASCII85 only makes files larger
    and costs a third of the time of a pack in pure Python.
    """
    rl_config.useA85 = 0
    pdfmetrics.registerFont(TTFont(LATIN, font_path(LATIN_FILE)))
    pdfmetrics.registerFont(TTFont(LATIN_BOLD, font_path(LATIN_BOLD_FILE)))
    pdfmetrics.registerFont(TTFont(CJK, font_path(CJK_FILE)))
    addMapping(LATIN, 0, 0, LATIN)
    addMapping(LATIN, 1, 0, LATIN_BOLD)
    addMapping(LATIN, 0, 1, LATIN)
    addMapping(LATIN, 1, 1, LATIN_BOLD)
    addMapping(CJK, 0, 0, CJK)
    addMapping(CJK, 1, 0, CJK)
    addMapping(CJK, 0, 1, CJK)
    addMapping(CJK, 1, 1, CJK)


@cache
def _latin_chars() -> frozenset[int]:
    register()
    return frozenset(pdfmetrics.getFont(LATIN).face.charToGlyph)


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """(font name, text) runs covering `text`."""
    latin = _latin_chars()
    result: list[tuple[str, str]] = []
    for ch in text:
        font = (LATIN_BOLD if bold else LATIN) if ord(ch) in latin else CJK
        if result and result[-1][0] == font:
            result[-1] = (font, result[-1][1] + ch)
        else:
            result.append((font, ch))
    return result


def markup(text: str, bold: bool = False) -> str:
    """Paragraph markup for plain text: escaped, with CJK runs in the CJK font."""
    parts = []
    for font, run in runs(text, bold):
        run = escape(run)
        parts.append(f'<font name="{CJK}">{run}</font>' if font == CJK else run)
    body = "".join(parts)
    return f"<b>{body}</b>" if bold else body


def string_width(text: str, size: float, bold: bool = False) -> float:
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs(text, bold))


def draw_string(canv, x: float, y: float, text: str, size: float, bold: bool = False,
                align: str = "left") -> None:
    """Draw one line of mixed text on a canvas; `align` is left, right or centre."""
    if align != "left":
        width = string_width(text, size, bold)
        x -= width if align == "right" else width / 2
    for font, run in runs(text, bold):
        canv.setFont(font, size)
        canv.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, font, size)
