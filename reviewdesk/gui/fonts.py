"""The shipped fonts, registered with Qt so Chinese renders on a machine without CJK fonts."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QFontDatabase

from reviewdesk import paths

SHIPPED = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DroidSansFallbackFull.ttf")


@cache
def install_fonts() -> tuple[str, ...]:
    """Register the fonts of resources/fonts once; the families Qt now knows."""
    families: list[str] = []
    for name in SHIPPED:
        path = paths.resource("fonts", name)
        if path.is_file():
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id >= 0:
                families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return tuple(dict.fromkeys(families))
