"""The fonts the charts and the packs draw with: one fallback chain, registered once.

No one font covers a client book: DejaVu Sans has Latin, Droid Sans Fallback
the Chinese (and Japanese kana), NanumSquare the Hangul, Loma the Thai. Text is
set in the first font of the chain that has each character, in the charts
(matplotlib's per-glyph fallback over `font.family`) and in the packs
(reviewdesk.pack.fonts splits strings into runs per font) alike.
"""

from __future__ import annotations

from functools import cache

from matplotlib import font_manager

from reviewdesk import paths

LATIN_FILE = "DejaVuSans.ttf"
LATIN_BOLD_FILE = "DejaVuSans-Bold.ttf"
CJK_FILE = "DroidSansFallbackFull.ttf"
HANGUL_FILE = "NanumSquareR.ttf"
THAI_FILE = "Loma.ttf"
LATIN_FAMILY = "DejaVu Sans"
CJK_FAMILY = "Droid Sans Fallback"
HANGUL_FAMILY = "NanumSquare"
THAI_FAMILY = "Loma"

# (file, family) in the order a character is looked up.
CHAIN: tuple[tuple[str, str], ...] = (
    (LATIN_FILE, LATIN_FAMILY),
    (CJK_FILE, CJK_FAMILY),
    (HANGUL_FILE, HANGUL_FAMILY),
    (THAI_FILE, THAI_FAMILY),
)


def font_path(name: str) -> str:
    return str(paths.resource("fonts", name))


@cache
def families() -> tuple[str, ...]:
    """The font family list for chart text, after registering the shipped fonts."""
    for name in (LATIN_BOLD_FILE, *(file for file, _ in CHAIN)):
        font_manager.fontManager.addfont(font_path(name))
    return tuple(family for _, family in CHAIN)
