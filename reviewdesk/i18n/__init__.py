"""Translation of user-facing text: gettext catalogues, one per language.

Messages are written in English in the code and marked `_()` (or `N_()` where
they are defined and translated later); `pgettext(context, message)` tells
apart a word whose translation depends on where it stands ("Next" page, "Next"
period), and `ngettext(singular, plural, n)` chooses the plural form.

The catalogues are `resources/translations/<lang>.po`, edited with any PO
editor and extracted with Babel (see the README, "Translations"). A built
package ships them compiled (`<lang>.mo`, made by the build step in
`reviewdesk/_build.py`); in a checkout the `.po` is compiled in memory the
first time it is needed, so a fresh clone runs without a generation step.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from collections.abc import Callable
from functools import cache

from reviewdesk import paths

SOURCE = "en"
CONTEXT_SEPARATOR = "\x04"  # gettext's: the key of a message with a context is ctx\x04msgid
_current = [SOURCE]


def _catalogue_dir():
    return paths.resource("translations")


def available_languages() -> tuple[str, ...]:
    """Every language with a catalogue, then English (the source)."""
    return (*sorted(p.stem for p in _catalogue_dir().glob("*.po")), SOURCE)


LANGUAGES = available_languages()


def _compiled(lang: str) -> bytes:
    """The catalogue as .mo bytes: the shipped build if it is current, else compiled now."""
    po = _catalogue_dir() / f"{lang}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        return mo.read_bytes()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


@cache
def translations(lang: str) -> gettext.NullTranslations:
    if lang not in LANGUAGES:
        raise ValueError(f"language: {lang!r} is not one of {', '.join(LANGUAGES)}")
    if lang == SOURCE:
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(_compiled(lang)))


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every translated message of `lang`: msgid (or context\\x04msgid) -> text; a plural
    message by its singular, with its one form for a language that has one."""
    if lang == SOURCE:
        return {}
    table: dict[str, str] = {}
    for key, text in translations(lang)._catalog.items():  # type: ignore[attr-defined]
        if isinstance(key, tuple):  # (msgid, plural index)
            if key[1] == 0 and text:
                table[key[0]] = text
        elif key and text:
            table[key] = text
    return table


def translate(message: str, lang: str | None = None) -> str:
    return translations(lang or _current[0]).gettext(message)


def translator(lang: str) -> Callable[[str], str]:
    """A `_` bound to one language: a pack in English while the app runs in Chinese."""
    return translations(lang).gettext


def pgettext(context: str, message: str, lang: str | None = None) -> str:
    """`message` as said in `context`; where the context needs no word of its own, the
    message's general translation (a context is an exception, not a second catalogue)."""
    table = translations(lang or _current[0])
    key = f"{context}{CONTEXT_SEPARATOR}{message}"
    if key in catalogue(lang or _current[0]):
        return table.pgettext(context, message)
    return table.gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    return translations(lang or _current[0]).ngettext(singular, plural, n)


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


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """`N_` for a message with a plural: translated where shown, by `ngettext` with the
    count then known."""
    return singular, plural


# The months as an English date writes them in a sentence or under a chart.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def written_date(day: dt.date | None, lang: str) -> str:
    """A date as a sentence of the pack or a chart's note writes it: "2026年3月17日",
    "17 Mar 2026"; "—" for none."""
    if day is None:
        return "—"
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# A sentence ending in a full-width mark carries its own space: Chinese sets no space after
# "。", so the sentences of a note are run together there and spaced in English.
_FULL_WIDTH_END = "。！？；：）」』"


def join_sentences(*sentences: str) -> str:
    """Sentences as one paragraph: "…相比。各金额按…", "…review. Each amount…"; empty
    parts are left out."""
    text = ""
    for sentence in sentences:
        if not sentence:
            continue
        if text and not text.endswith(tuple(_FULL_WIDTH_END)):
            text += " "
        text += sentence
    return text


def with_ratio(amount: str, ratio: str, lang: str) -> str:
    """An amount with its change, share or original amount in brackets, in the language's
    brackets: "+500,677.42 (+17.8%)", "+500,677.42（+17.8%）"."""
    _ = translator(lang)
    return _("{amount} ({ratio})").format(amount=amount, ratio=ratio)
