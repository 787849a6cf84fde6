"""Where a line of Chinese may break, and what never breaks.

Chinese has no spaces, so reportlab breaks it between any two glyphs: a label came out as
"自首次回顾以来（年" / "化）", an amount's bracket as "+452,051.51（" / "+16.8%），". A pack's
Chinese paragraphs are broken here instead, between glyphs too, but never:

- inside a run of Latin letters, digits and signs (a word, an amount, a date, a code);
- before a closing bracket or a mark that ends a clause ("）", "，", "。", "%" ...), nor
  after an opening one ("（", "“" ...);
- inside a short bracketed term ("（年化）", "（成本）", "（+16.8%）");
- before a space (the space stays at the end of its line, and is not drawn there).

A mark ending a clause ("。", "，") that just overflows its line hangs in the margin, as
reportlab hangs it; a closing bracket goes to the next line with what it closes.

A line may break before an opening bracket ("…以来" / "（年化）").

A part longer than its line is broken between glyphs, as reportlab would. `pieces` says
what never breaks, so that a narrow column can be made as wide as its longest piece.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.abag import ABag
from reportlab.platypus.paragraph import (
    Paragraph,
    ParaLines,
    _handleBulletWidth,
    cjkU,
    makeCJKParaLine,
)
from reportlab.rl_config import _FUZZ

from reviewdesk.pack import fonts

OPENING = "（([{「『【〔《〈“‘"
CLOSING = "）)]}」』】〕》〉”’"
# Marks that never start a line: closing brackets, the end of a clause, a percentage.
NO_START = CLOSING + "、。，．,.；;：:！!？?%％…"
NO_END = OPENING
HANGING = "、。，．,.；;：:！!？?"  # may hang in the margin; a bracket never does
TERM = 10  # glyphs between brackets: a term kept whole ("年化", "修正 Dietz 法")
SPACES = " \t\u3000"  # a line may break after these; not after a no-break space
_PAIRS = dict(zip("（([{「『【〔《〈“‘", "）)]}」』】〕》〉”’", strict=True))


def _word(ch: str) -> bool:
    """A glyph of a word written with spaces: Latin letters, digits, signs."""
    return ch < "\u2e80" and ch not in SPACES and ch != "\n"


def glued(chars: Sequence[str], between_glyphs: bool = True) -> list[bool]:
    """For each glyph, whether a line must not break before it (the first never does).
    `between_glyphs` False: Chinese too breaks only at spaces and before a bracket."""
    n = len(chars)
    glue = [True] * n
    for i in range(1, n):
        a, b = chars[i - 1], chars[i]
        if a == "\n" or b == "\n":
            glue[i] = False
        elif b in SPACES or b in NO_START or a in NO_END:
            glue[i] = True
        elif a in SPACES or b in OPENING:
            glue[i] = False
        else:
            glue[i] = not between_glyphs or (_word(a) and _word(b))
    opened: list[int] = []
    for i, ch in enumerate(chars):
        if ch in _PAIRS:
            opened.append(i)
        elif ch in CLOSING and opened and _PAIRS[chars[opened[-1]]] == ch:
            start = opened.pop()
            if i - start - 1 <= TERM:
                for j in range(start + 1, i + 1):
                    glue[j] = True
    return glue


def pieces(text: str, between_glyphs: bool = True) -> list[str]:
    """The parts of `text` a line never breaks, without the spaces between them.
    `between_glyphs` False: the words of a header, Chinese kept whole between spaces."""
    chars = list(text)
    glue = glued(chars, between_glyphs)
    parts: list[str] = []
    start = 0
    for i in range(1, len(chars) + 1):
        if i == len(chars) or not glue[i]:
            part = text[start:i].strip()
            if part:
                parts.append(part)
            start = i
    return parts


def longest_piece(text: str, size: float, between_glyphs: bool = True) -> float:
    """The width at `size` points of the longest of `pieces(text, between_glyphs)`: the
    least width of a column whose header or label should not break inside a word or a
    term."""
    parts = pieces(text, between_glyphs)
    return max((fonts.string_width(part, size) for part in parts), default=0)


def unbroken(text: str) -> str:
    """`text` with no-break spaces, for a whole that no line should split ("USD 1,234.56")."""
    return text.replace(" ", "\u00a0")


def break_cjk(paragraph: Paragraph, maxWidths: float | list[float]) -> ABag | None:  # noqa: N803
    """What `Paragraph.breakLinesCJK` gives, with the breaks above: None for a paragraph
    that is more than text (an image, dots to the end, a part of one already split)."""
    frags, style = paragraph.frags, paragraph.style
    if (
        getattr(paragraph, "_splitpara", 0)
        or style.endDots
        or not frags
        or any(type(getattr(f, "text", None)) is not str or hasattr(f, "cbDefn") for f in frags)
    ):
        return None
    # In place, as reportlab's: the paragraph keeps these widths (`_wrapWidths`).
    widths = maxWidths if isinstance(maxWidths, list) else [maxWidths]
    paragraph.height = 0
    _handleBulletWidth(paragraph.bulletText, style, widths)
    auto = getattr(paragraph, "autoLeading", getattr(style, "autoLeading", ""))
    return split_frags(frags, widths, auto not in ("", "off"))


def split_frags(frags: Sequence[ABag], widths: Sequence[float], bounds: bool) -> ABag:
    """reportlab's `cjkFragSplit` (what `Paragraph.breakLinesCJK` gives) with the breaks
    above: the paragraph's fragments of text in lines no wider than `widths` (the first
    line's, then the next ...), the result in reportlab's own form."""
    glyphs: list[cjkU] = []
    for frag in frags:
        text = frag.text
        if text:
            glyphs.extend(cjkU(ch, frag, "utf8") for ch in text)
        else:
            glyphs.append(cjkU(text, frag, "utf8"))
    chars = [str(g) or "\n" for g in glyphs]
    glue = glued(chars)
    spans: list[tuple[int, int, bool]] = []  # each line's first and past-last glyph; forced
    width = widths[0]
    start = i = 0
    used = 0.0
    cut: int | None = None
    n = len(glyphs)
    while i < n:
        glyph = glyphs[i]
        if hasattr(glyph.frag, "lineBreak"):
            spans.append((start, i + 1, True))
            start = i = i + 1
            used, cut = 0.0, None
            width = widths[min(len(spans), len(widths) - 1)]
            continue
        if i > start and not glue[i]:
            cut = i
        used += glyph.width
        hangs = chars[i] in HANGING and used - glyph.width <= width + _FUZZ
        if used > width + _FUZZ and i > start and chars[i] not in SPACES and not hangs:
            end = cut if cut is not None and cut > start else i
            if end == i and chars[i] in NO_START:
                end = i + 1  # a part wider than its line: a closing mark hangs, as reportlab's
            spans.append((start, end, False))
            start = i = end
            used, cut = 0.0, None
            width = widths[min(len(spans), len(widths) - 1)]
            continue
        i += 1
    if start < n:
        spans.append((start, n, False))
    single = len(frags) == 1
    lines = []
    for number, (first, end, forced) in enumerate(spans):
        width = widths[min(number, len(widths) - 1)]
        last = end
        while last > first and chars[last - 1] in SPACES:
            last -= 1  # a line's closing spaces are not drawn
        part = glyphs[first:last] if not forced else glyphs[first:end]
        used = sum(g.width for g in part)
        if single:
            lines.append((width - used, "".join(part)))
        else:
            lines.append(makeCJKParaLine(part, width, used, width - used, forced, bounds))
    if single:
        frag = frags[0]
        return frag.clone(
            kind=0,
            lines=[(space, [text]) for space, text in lines],
            ascent=frag.fontSize,
            descent=-0.2 * frag.fontSize,
        )
    return ParaLines(kind=1, lines=lines)
