"""The fonts the charts draw with, registered once with matplotlib.

Droid Sans Fallback has CJK glyphs but no Latin ones, so text is set in
DejaVu Sans with Droid Sans Fallback as the per-glyph fallback: Chinese names
and Latin digits in one label both render, on any machine.
"""

from __future__ import annotations

from functools import cache

from matplotlib import font_manager

from reviewdesk import paths

LATIN_FILE = "DejaVuSans.ttf"
LATIN_BOLD_FILE = "DejaVuSans-Bold.ttf"
CJK_FILE = "DroidSansFallbackFull.ttf"
LATIN_FAMILY = "DejaVu Sans"
CJK_FAMILY = "Droid Sans Fallback"


def font_path(name: str) -> str:
    return str(paths.resource("fonts", name))


@cache
def families() -> tuple[str, ...]:
    """The font family list for chart text, after registering the shipped fonts."""
    for name in (LATIN_FILE, LATIN_BOLD_FILE, CJK_FILE):
        font_manager.fontManager.addfont(font_path(name))
    return (LATIN_FAMILY, CJK_FAMILY)
