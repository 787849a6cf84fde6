"""What every section of the pack needs: the review, the language, styles and formats."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont, stringWidth
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import _handleBulletWidth, _processed_frags, _shy, split, strip
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from reviewdesk.i18n import translator, written_date
from reviewdesk.money import format_money, format_percent, format_signed
from reviewdesk.pack import fonts
from reviewdesk.pack.linebreak import break_cjk
from reviewdesk.pack.textdraw import draw_plain
from reviewdesk.review.model import Review

INK = colors.HexColor("#1f2a37")
MUTED = colors.HexColor("#6b7280")
ACCENT = colors.HexColor("#1d4e89")
RULE = colors.HexColor("#d1d5db")
BAND = colors.HexColor("#eef2f7")
ALERT = colors.HexColor("#b42318")
GOOD = colors.HexColor("#067647")
# Green for good news, red for bad, none for neither (`money.news`).
TONES = {1: GOOD, -1: ALERT, 0: None}

# Scripts written without spaces between words: lines break between any two glyphs.
_CJK = re.compile(r"[\u0e00-\u0e7f\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=fonts.LATIN, fontSize=9.5, leading=13.5, textColor=INK)
    s = {"body": base}
    s["small"] = ParagraphStyle("small", base, fontSize=8, leading=10.5, textColor=MUTED)
    s["cell"] = ParagraphStyle("cell", base, fontSize=8.5, leading=11)
    s["cell_r"] = ParagraphStyle("cell_r", s["cell"], alignment=TA_RIGHT)
    s["cell_c"] = ParagraphStyle("cell_c", s["cell"], alignment=TA_CENTER)
    s["cell_date"] = ParagraphStyle("cell_date", s["cell"], fontSize=8)
    s["cell_small"] = ParagraphStyle(
        "cell_small", s["cell"], fontSize=7.5, leading=9.5, textColor=MUTED
    )
    s["cell_small_r"] = ParagraphStyle("cell_small_r", s["cell_small"], alignment=TA_RIGHT)
    s["head"] = ParagraphStyle("head", s["cell"], fontSize=8, leading=10, textColor=MUTED)
    s["head_r"] = ParagraphStyle("head_r", s["head"], alignment=TA_RIGHT)
    # A header that may break after a hyphen, where a narrow table needs the room.
    s["head_hyphen_r"] = ParagraphStyle("head_hyphen_r", s["head_r"], embeddedHyphenation=1)
    s["h1"] = ParagraphStyle(
        "h1",
        base,
        fontSize=16,
        leading=21,
        textColor=ACCENT,
        spaceBefore=18,
        spaceAfter=8,
        keepWithNext=1,
    )
    s["h2"] = ParagraphStyle(
        "h2",
        base,
        fontSize=11.5,
        leading=15,
        textColor=INK,
        spaceBefore=10,
        spaceAfter=5,
        keepWithNext=1,
    )
    s["figure"] = ParagraphStyle("figure", base, fontSize=18, leading=23, textColor=INK)
    s["label"] = ParagraphStyle("label", base, fontSize=8.5, leading=11, textColor=MUTED)
    s["bullet"] = ParagraphStyle(
        "bullet", base, leftIndent=12, bulletIndent=2, spaceAfter=3, bulletFontName=fonts.LATIN
    )
    s["cover_bank"] = ParagraphStyle("cover_bank", base, fontSize=13, leading=17, textColor=ACCENT)
    s["cover_title"] = ParagraphStyle(
        "cover_title", base, fontSize=28, leading=36, textColor=INK, spaceAfter=6
    )
    s["cover_name"] = ParagraphStyle(
        "cover_name", base, fontSize=20, leading=26, textColor=ACCENT, spaceBefore=18
    )
    s["cover_line"] = ParagraphStyle("cover_line", base, fontSize=11, leading=17)
    s["disclaimer"] = ParagraphStyle(
        "disclaimer", base, fontSize=7.5, leading=10.5, textColor=MUTED, alignment=TA_LEFT
    )
    for name in list(s):
        s[name + "@cjk"] = ParagraphStyle(name + "@cjk", s[name], wordWrap="CJK")
    return s


STYLES = _styles()
# Each per-glyph-wrapping style (by identity) and its twin that breaks between words.
_WORD_TWIN = {id(STYLES[name + "@cjk"]): STYLES[name] for name in list(STYLES) if "@" not in name}


# Line breaking by what it depends on (`Para.wrap`): the explanations, notes, disclaimer,
# headings and labels come back in every pack, amounts and labels in a pack's tables, and
# the lines of a paragraph are only read once made (to draw it, or to split it into new
# paragraphs across a page break). Each with the style it was laid out in.
_Layout = tuple[float, float, list[float], object, float]  # width, size, widths, lines, height
_LAYOUTS: dict[tuple[object, ...], tuple[ParagraphStyle, _Layout]] = {}
_LAYOUTS_KEPT = 2048
# A pack's layout shares the caches above, the fragments below and the registered fonts
# with every other pack of the process: one pack is laid out at a time, whatever thread
# asks (a preview, an export and a warm-up on the desktop's pools).
LAYOUT_LOCK = threading.RLock()


class Para(Paragraph):  # type: ignore[misc]  # reportlab has no type information
    """A paragraph that keeps its line breaking for the width it was last wrapped to.

    reportlab wraps a table cell's paragraph again each time the table is measured (to keep
    a heading with it, to split it across pages, to draw it): three to four times per
    paragraph, the largest cost of a pack. The lines depend only on the width, so the
    breaking is done once per width.

    A paragraph with Chinese is broken per glyph, which costs a measure and an object per
    glyph; most of them (table cells, labels) fit on one line, where there is nothing to
    break. Such a paragraph is laid out with its style's twin that breaks between words:
    the same one line, at a fraction of the cost. A paragraph broken per glyph onto several
    lines keeps its lines for the next paragraph of the same text, style and width (the
    explanations and the disclaimer of every pack). A paragraph made of the parser's
    fragments (`PackContext.p`, `spans`, `lines`) shares its lines, however broken, with
    the next of the same fragments, style and width: those are known without reading the
    fragments."""

    style: ParagraphStyle
    frags: list[ParaFrag]
    _laid_out: _Layout | None = None
    _per_glyph: ParagraphStyle | None = None
    _source: list[ParaFrag] | None = None  # breaking between words replaces self.frags
    _shared = False  # its lines are in _LAYOUTS, shared with other paragraphs
    _own_lines = False  # never take shared lines (it is being split)
    # What its fragments are, when each is a clone of one of the fragments the markup
    # parser makes (`_fragment`, `_line_break`) with its own text: (id of the fragment
    # cloned, text) each. The fragments then need not be read to say what they are.
    _made_of: tuple[tuple[int, str | None], ...] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        laid = self._laid_out
        if laid is not None and laid[0] == availWidth:
            _, self.width, self._wrapWidths, self.blPara, self.height = laid
            return self.width, self.height
        per_glyph = self._per_glyph or self.style
        twin = _WORD_TWIN.get(id(per_glyph))
        if twin is not None:
            if self._source is None:
                self._per_glyph, self._source = per_glyph, self.frags
            self.frags = self._source
        key: tuple[object, ...] | None = None
        if self._made_of is not None and not self._own_lines:
            # Laid out like any earlier paragraph of the same fragments, style and width
            # (a pack's labels and amounts come back in its tables, in every pack).
            key = (id(per_glyph), availWidth, self.bulletText, self._made_of)
            known = _LAYOUTS.get(key)
            if known is not None:
                return self._take(known)
        if twin is not None:
            self.style = twin if self._one_line(availWidth) else per_glyph
            if self.style is per_glyph and key is None and not self._own_lines:
                key = self._layout_key(availWidth)
                known = _LAYOUTS.get(key) if key is not None else None
                if known is not None:
                    return self._take(known)
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        if hasattr(self, "blPara") and self.width == availWidth:
            self._laid_out = (availWidth, self.width, self._wrapWidths, self.blPara, self.height)
            if key is not None:
                if len(_LAYOUTS) >= _LAYOUTS_KEPT:
                    _LAYOUTS.clear()
                _LAYOUTS[key], self._shared = (self.style, self._laid_out), True
        return size

    def drawOn(self, canvas: object, x: float, y: float, _sW: float = 0) -> None:
        """Draw as reportlab does; plain text (nearly every paragraph of a pack) straight
        to the page, the same operators without reportlab's general machinery."""
        x = self._hAlignAdjust(x, _sW)
        if not draw_plain(self, canvas, x, y):
            super().drawOn(canvas, x, y)

    def breakLines(self, width: float | list[float]) -> object:  # noqa: N802 - reportlab's name
        """reportlab's line breaking, with its own result worked out directly for a
        paragraph of one fragment of plain text that fits on its first line (a table
        cell, a label, an amount: most of a pack's). The same words measured in the same
        order, the same sums: the same lines to the bit; anything else, or a word that
        would not fit, is broken by reportlab."""
        line = self._one_fragment_line(width)
        return line if line is not None else super().breakLines(width)

    def breakLinesCJK(self, maxWidths: float | list[float]) -> object:  # noqa: N802 - reportlab's name
        """Chinese broken between glyphs as reportlab does, but never inside a word, an
        amount or a short bracketed term, nor before a closing mark (`linebreak`)."""
        lines = break_cjk(self, maxWidths)
        return lines if lines is not None else super().breakLinesCJK(maxWidths)

    def _one_fragment_line(self, width: float | list[float]) -> object | None:
        """reportlab's `breakLines` for one fragment of text on one line, or None."""
        frags, style = self.frags, self.style
        if len(frags) != 1 or not isinstance(width, list) or len(width) != 2:
            return None
        frag = frags[0]
        text = getattr(frag, "text", None)
        if (
            type(text) is not str
            or style.endDots
            or hasattr(frag, "cbDefn")
            or hasattr(frag, "backColor")
            or _processed_frags(frags)
            or style.wordWrap
            or (style.shaping and getFont(style.fontName).shapable)
            or getattr(style, "hyphenationLang", "")
            or style.uriWasteReduce
            or style.embeddedHyphenation
            or getattr(self, "autoLeading", getattr(style, "autoLeading", "")) not in ("", "off")
            or _shy in text
        ):
            return None
        text = strip(text)
        if not text:
            return None
        # From here on as reportlab's `breakLines` (`paragraph.py`, one fragment).
        self._width_max = 0
        self.height = 0
        self._splitLongWordCount = self._hyphenations = 0
        first = width[0]
        _handleBulletWidth(self.bulletText, style, width)
        max_width = width[0]
        font_name, font_size, encoding = frag.fontName, frag.fontSize, self.encoding
        space = stringWidth(" ", font_name, font_size, encoding)
        shrink = style.spaceShrinkage * space
        words: list[str] = []
        current = -space
        for word in split(text):
            new = current + space + stringWidth(word, font_name, font_size, encoding)
            if new > max_width + shrink * len(words):
                width[0] = first  # as it was given, for reportlab's own breaking
                return None  # to the next line, or split: reportlab's to do
            words.append(word)
            current = new
        if current > self._width_max:
            self._width_max = current
        ascent, descent = getAscentDescent(font_name, font_size)
        line: object = frag.clone(
            kind=0,
            lines=[(max_width - current, words)],
            ascent=ascent,
            descent=descent,
            fontSize=font_size,
        )
        return line

    def _take(self, known: tuple[ParagraphStyle, _Layout]) -> tuple[float, float]:
        """Take an earlier paragraph's style and lines."""
        self.style, laid = known
        self._laid_out, self._shared = laid, True
        _, self.width, self._wrapWidths, self.blPara, self.height = laid
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Split across a page break; reportlab's split writes into the lines (a space at
        the end of each), so a paragraph whose lines are shared breaks its own first."""
        if self._shared:
            self._shared, self._own_lines, self._laid_out = False, True, None
            self.wrap(availWidth, availHeight)
        parts: list[Flowable] = super().split(availWidth, availHeight)
        return parts

    def _layout_key(self, width: float) -> tuple[object, ...] | None:
        """What the per-glyph line breaking of this paragraph depends on: the style, the
        width, the bullet and every fragment's text and attributes (None when a fragment
        is more than text)."""
        parts: list[object] = [id(self.style), width, self.bulletText]
        for frag in self.frags:
            if not hasattr(frag, "text") or hasattr(frag, "cbDefn"):
                return None
            parts.append(tuple(sorted((k, repr(v)) for k, v in vars(frag).items())))
        return tuple(parts)

    def _one_line(self, width: float) -> bool:
        """Whether the text, without a line break, fits in `width` on one line."""
        style = self.style
        widths = [width - style.leftIndent - style.rightIndent - style.firstLineIndent]
        _handleBulletWidth(self.bulletText, style, widths)  # as reportlab's line breaking
        room = widths[0]
        used = 0.0
        for frag in self.frags:
            text = getattr(frag, "text", None)
            if text is None or getattr(frag, "lineBreak", False) or hasattr(frag, "cbDefn"):
                return False
            used += stringWidth(text, frag.fontName, frag.fontSize)
            if used > room:
                return False
        return True


# Text the markup parser takes as it is, so its fragments can be made without parsing: no
# leading, trailing, repeated or other white space (the parser collapses white space) and
# nothing escaped (the parser makes a fragment of each entity).
_SIMPLE = re.compile(r"[^\s&<>]+(?: [^\s&<>]+)*")
# A character set in each font of the chain, to make that font's fragment from.
_SAMPLES = {fonts.LATIN: "a", fonts.CJK: "中", fonts.HANGUL: "한", fonts.THAI: "ก"}


@cache
def _fragment(
    style: str, font: str, bold: bool, colour: str | None, size: float | None = None
) -> ParaFrag:
    """The fragment the markup parser makes for a run in `font` in a paragraph of `style`
    (bold, in `colour`, at `size` points), to be cloned with each run's text."""
    sample = _SAMPLES[fonts.LATIN if font == fonts.LATIN_BOLD else font]
    body = _font_tag(fonts.markup(sample, bold), colour, size)
    _style, frags, _bullet = ParaParser().parse(body, STYLES[style])
    if frags is None or len(frags) != 1 or frags[0].fontName != font:
        raise ValueError(f"the markup {body!r} does not make one fragment in {font}")
    fragment: ParaFrag = frags[0]
    return fragment


@cache
def _line_break(style: str) -> ParaFrag:
    """The fragment the markup parser makes for a <br/> between lines of `style`."""
    _style, frags, _bullet = ParaParser().parse("a<br/>a", STYLES[style])
    if frags is None or len(frags) != 3 or not getattr(frags[1], "lineBreak", False):
        raise ValueError(f"a <br/> does not make a line break fragment in {style}")
    fragment: ParaFrag = frags[1]
    return fragment


def _made(
    markup: str, style: str, parts: Sequence[tuple[ParaFrag, str | None]], bullet: str | None = None
) -> Para:
    """A paragraph of `style` whose fragments are clones of the parser's (`_fragment`,
    `_line_break`), each with its text (None: the fragment's own), as the parser would
    make them from `markup`."""
    frags = [
        template.clone(link=[], us_lines=[])
        if text is None
        else template.clone(text=text, link=[], us_lines=[])
        for template, text in parts
    ]
    para = Para(markup, STYLES[style], bulletText=bullet, frags=frags)
    para._made_of = tuple((id(template), text) for template, text in parts)
    return para


def _font_tag(body: str, colour: str | None, size: float | None) -> str:
    if size is not None:
        colour_attr = f' color="{colour}"' if colour is not None else ""
        return f'<font size="{size}"{colour_attr}>{body}</font>'
    if colour is not None:
        return f'<font color="{colour}">{body}</font>'
    return body


@dataclass
class PackContext:
    review: Review
    lang: str
    width: float  # of the frame, in points
    _: Callable[[str], str] = field(init=False)

    def __post_init__(self) -> None:
        self._ = translator(self.lang)

    @property
    def currency(self) -> str:
        return self.review.currency

    def p(
        self,
        text: str,
        style: str = "body",
        bold: bool = False,
        colour: colors.Color | None = None,
        bullet: str | None = None,
    ) -> Paragraph:
        """A paragraph of plain text (escaped; CJK set in the CJK font and wrapped per glyph)."""
        body = fonts.markup(text, bold)
        if colour is not None:
            body = f'<font color="{colour.hexval()}">{body}</font>'
        if _SIMPLE.fullmatch(text):
            # What the markup parser would make of it, without parsing: one fragment per run.
            hexval = colour.hexval() if colour is not None else None
            name = self._style_name(style, text)
            parts = [
                (_fragment(name, font, bold, hexval), run) for font, run in fonts.runs(text, bold)
            ]
            return _made(body, name, parts, bullet)
        return self.markup_paragraph(body, style, text, bullet)

    def spans(
        self, spans: Sequence[tuple[str, bool, colors.Color | None]], style: str
    ) -> Paragraph:
        """A paragraph of plain text in spans, each (text, bold, colour or None): what
        `markup_paragraph` makes of their markup, without the parser where the text is
        plain."""
        markup = "".join(
            _font_tag(fonts.markup(text, bold), colour.hexval() if colour else None, None)
            for text, bold, colour in spans
        )
        plain = "".join(text for text, _bold, _colour in spans)
        name = self._style_name(style, plain)
        if not _SIMPLE.fullmatch(plain):
            return Para(markup, STYLES[name])
        parts = [
            (_fragment(name, font, bold, colour.hexval() if colour else None), run)
            for text, bold, colour in spans
            for font, run in fonts.runs(text, bold)
        ]
        return _made(markup, name, parts)

    def lines(
        self,
        lines: Sequence[tuple[str, float | None, colors.Color | None]],
        style: str,
        fits: float | None = None,
    ) -> Paragraph:
        """A paragraph of lines of plain text, each (text, size in points or None for the
        style's, colour or None): what `markup_paragraph` makes of them joined by <br/>,
        without the markup parser where the text is plain. `fits` as there."""
        markup = "<br/>".join(
            _font_tag(fonts.markup(text), colour.hexval() if colour else None, size)
            for text, size, colour in lines
        )
        plain = "\n".join(text for text, _size, _colour in lines)
        name = self._style_name(style, plain, fits, [size for _text, size, _colour in lines])
        if not all(_SIMPLE.fullmatch(text) for text, _size, _colour in lines):
            return Para(markup, STYLES[name])
        parts: list[tuple[ParaFrag, str | None]] = []
        for text, size, colour in lines:
            if parts:
                parts.append((_line_break(name), None))
            hexval = colour.hexval() if colour is not None else None
            parts += [
                (_fragment(name, font, False, hexval, size), run) for font, run in fonts.runs(text)
            ]
        return _made(markup, name, parts)

    @staticmethod
    def _style_name(
        style: str,
        text: str,
        fits: float | None = None,
        sizes: Sequence[float | None] | None = None,
    ) -> str:
        """The style, or its per-glyph-wrapping twin: where there is Chinese that may wrap.
        `fits`: a width every line of `text` (split on newlines) may fit in, each at its
        size in `sizes` (None, or no `sizes`: the style's)."""
        if not _CJK.search(text):
            return style
        if fits is None:
            return style + "@cjk"
        size = STYLES[style].fontSize
        lines = text.split("\n")
        line_sizes = sizes if sizes is not None else [None] * len(lines)
        fit = all(
            fonts.string_width(line, line_size or size) <= fits
            for line, line_size in zip(lines, line_sizes, strict=True)
        )
        return style if fit else style + "@cjk"

    def markup_paragraph(
        self,
        markup: str,
        style: str,
        text: str,
        bullet: str | None = None,
        fits: float | None = None,
    ) -> Paragraph:
        """A paragraph of ready markup; `text` (its plain text) decides the line breaking:
        per glyph where there is Chinese, between words otherwise (much cheaper). `fits`:
        a width every line of `text` (lines split on newlines) fits in: no breaking needed."""
        return Para(markup, STYLES[self._style_name(style, text, fits)], bulletText=bullet)

    def money(self, amount: Decimal | None, compact: bool = True, currency: bool = True) -> str:
        if amount is None:
            return "—"
        return format_money(amount, self.currency, self.lang, compact, code=currency)

    def exact(self, amount: Decimal | None) -> str:
        """An amount to the cent without the currency (columns state the currency)."""
        return self.money(amount, compact=False, currency=False)

    def signed(self, amount: Decimal | None, compact: bool = False) -> str:
        if amount is None:
            return "—"
        return format_signed(amount, self.currency, self.lang, compact)

    def pct(self, ratio: Decimal | None, signed: bool = True) -> str:
        return format_percent(ratio, self.lang, signed)

    def date(self, day: dt.date | None) -> str:
        """A date as the pack's sentences write it."""
        return written_date(day, self.lang)

    def day(self, day: dt.date | None) -> str:
        """A date for a narrow table column."""
        return day.isoformat() if day else "—"

    def widths(self, *fractions: float) -> list[float]:
        """Column widths as fractions of the frame width."""
        return [self.width * f for f in fractions]
