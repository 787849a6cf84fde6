"""Translation of user-facing text.

Messages are written in English in the code and looked up in the Chinese
catalogue. Each area of the product keeps its own catalogue module
(`zh_<area>.py` with a `MESSAGES` dict); they are merged on first use.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import cache

LANGUAGES = ("zh", "en")
_current = ["en"]


@cache
def catalogue(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    merged: dict[str, str] = {}
    package = importlib.import_module(__name__)
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith(f"{lang}_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            merged.update(module.MESSAGES)
    return merged


def translate(message: str, lang: str | None = None) -> str:
    lang = lang or _current[0]
    return catalogue(lang).get(message, message)


def translator(lang: str) -> Callable[[str], str]:
    """A `_` bound to one language: a pack in English while the app runs in Chinese."""
    if lang not in LANGUAGES:
        raise ValueError(f"language: {lang!r} is not one of {', '.join(LANGUAGES)}")
    table = catalogue(lang)
    return lambda message: table.get(message, message)


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"language: {lang!r} is not one of {', '.join(LANGUAGES)}")
    _current[0] = lang


def current_language() -> str:
    return _current[0]


def _(message: str) -> str:
    return translate(message)


def N_(message: str) -> str:
    """Marks a message for translation where it is defined; translated where shown."""
    return message
