"""Text as the book keeps it and shows it: which characters a field refuses, how a
stored string is made safe to print, and the one form of a client code."""

from __future__ import annotations

import re
import unicodedata

# C0 (U+0000-U+001F), DEL and C1 (U+0080-U+009F): terminal escapes, bells, NULs.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# A multi-line note keeps its tabs and line ends.
_CONTROL_IN_NOTE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Unicode's line and paragraph separators act as line ends too, and bidirectional
# controls reorder what a terminal or a pack shows; they are escaped when printed.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNPRINTABLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def control_character(text: str, multiline: bool = False) -> str | None:
    """The first control character in `text` (tab and newline allowed in a multi-line
    note), or None."""
    found = (_CONTROL_IN_NOTE if multiline else _CONTROL).search(text)
    return found.group() if found else None


def codepoint(char: str) -> str:
    """A character as U+XXXX."""
    return f"U+{ord(char):04X}"


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return {"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(char) or f"\\u{ord(char):04x}"


def escape_controls(text: str, keep_lines: bool = False) -> str:
    """`text` safe to print: every control character as an escape (`\\x1b` as `\\u001b`).
    `keep_lines` keeps newlines and tabs, for notes printed as paragraphs."""
    return (_UNPRINTABLE if keep_lines else _UNPRINTABLE_LINE).sub(_escaped, text)


def shorten(text: str, limit: int = 60) -> str:
    """`text` cut to `limit` characters, the cut marked with "...", for a refusal that
    quotes it."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def normalise_code(text: str) -> str:
    """A client code in its one stored form: NFKC (full-width letters and digits as
    ASCII), trimmed, upper case. `c90001`, `C90001` and `Ｃ９０００１` are one code."""
    folded = unicodedata.normalize("NFKC", text).strip()
    return unicodedata.normalize("NFKC", folded.casefold().upper())
