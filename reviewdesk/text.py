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


# Surnames read otherwise than the character's common reading, at the start of a name:
# 曾 is "zeng" in 曾国藩, "ceng" in 曾经 (pypinyin gives the common reading alone).
_SURNAMES = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "盖": "ge",
    "乐": "yue",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "种": "chong",
    "秘": "bi",
    "繁": "po",
    "员": "yun",
    "召": "shao",
    "隗": "wei",
    "句": "gou",
    "宓": "fu",
    "薄": "bo",
    "祭": "zhai",
    "折": "she",
    "黑": "he",
}
# The longest sort name kept: a 200-character name in Chinese is at most 1,399 (six
# letters a syllable and a space); a longer one (a name of NFKC's widest characters) is
# cut, which changes its place among names that share its first 1,400 characters alone.
SORT_NAME_LIMIT = 1400
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"\w+")


def _kept(run: str) -> str:
    """What pypinyin cannot convert (Latin words, digits, signs), kept as one part."""
    return run


def sort_name(name: str) -> str:
    """A name as the client list sorts and searches it: Chinese characters in pinyin
    without tones (a surname by its reading as a surname), other words case-folded, one
    space between each syllable or word. 张伟 -> "zhang wei", 曾国藩 -> "zeng guo fan",
    "Daniel Lam" -> "daniel lam", so that 丁远刚 sorts among the D's, not after every
    Latin name in the order of Unicode's code points.

    The book keeps it beside the name (`Client.sort_name`), so that listing 10,000
    clients converts none of them."""
    from pypinyin import lazy_pinyin  # its dictionaries take 0.1 s to load

    text = unicodedata.normalize("NFKC", name).strip()
    words: list[str] = []
    for part in lazy_pinyin(text, errors=_kept):
        if _HAN.fullmatch(part):  # not converted: kept as it is
            words.append(part)
        else:
            words.extend(w.casefold() for w in _WORD.findall(part))
    if text and text[0] in _SURNAMES and words:
        words[0] = _SURNAMES[text[0]]
    # A name of signs alone ("—") keeps its own text: an empty sort name is one the book
    # did not write (`book.queries.stored_sort_name` works it out at every listing).
    return (" ".join(words) or text.casefold())[:SORT_NAME_LIMIT]


def name_matches(name: str, sorted_as: str, needle: str) -> bool:
    """Whether a search for `needle` finds the client `name` (kept as `sorted_as`, its
    `sort_name`): a part of the name in any case or width, a part of its pinyin with or
    without spaces ("zhangw", "zhang w"), or the first letters of its syllables or words
    ("zw" finds 张伟, "dl" Daniel Lam). The one rule of the client list's search, the
    contact calendar's and `clients SEARCH`."""
    folded = unicodedata.normalize("NFKC", needle).strip().casefold()
    if not folded:
        return True
    if folded in unicodedata.normalize("NFKC", name).casefold():
        return True
    compact = folded.replace(" ", "")
    if not compact.isascii():
        return False
    words = sorted_as.split()
    return compact in "".join(words) or "".join(w[:1] for w in words).startswith(compact)
