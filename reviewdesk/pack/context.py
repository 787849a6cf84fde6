"""What every section of the pack needs: the review, the language, styles and formats."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from reviewdesk.i18n import translator
from reviewdesk.money import format_money, format_percent, format_signed
from reviewdesk.pack import fonts
from reviewdesk.review.model import Review

INK = colors.HexColor("#1f2a37")
MUTED = colors.HexColor("#6b7280")
ACCENT = colors.HexColor("#1d4e89")
RULE = colors.HexColor("#d1d5db")
BAND = colors.HexColor("#eef2f7")
ALERT = colors.HexColor("#b42318")
GOOD = colors.HexColor("#067647")

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


class Para(Paragraph):  # type: ignore[misc]  # reportlab has no type information
    """A paragraph that keeps its line breaking for the width it was last wrapped to.

    reportlab wraps a table cell's paragraph again each time the table is measured (to keep
    a heading with it, to split it across pages, to draw it): three to four times per
    paragraph, the largest cost of a pack. The lines depend only on the width, so the
    breaking is done once per width."""

    _laid_out: tuple[float, float, list[float], object, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        laid = self._laid_out
        if laid is not None and laid[0] == availWidth:
            _, self.width, self._wrapWidths, self.blPara, self.height = laid
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        if hasattr(self, "blPara") and self.width == availWidth:
            self._laid_out = (availWidth, self.width, self._wrapWidths, self.blPara, self.height)
        return size


# Text the markup parser takes as it is, so its fragments can be made without parsing: no
# leading, trailing, repeated or other white space (the parser collapses white space) and
# nothing escaped (the parser makes a fragment of each entity).
_SIMPLE = re.compile(r"[^\s&<>]+(?: [^\s&<>]+)*")
# A character set in each font of the chain, to make that font's fragment from.
_SAMPLES = {fonts.LATIN: "a", fonts.CJK: "中", fonts.HANGUL: "한", fonts.THAI: "ก"}


@cache
def _fragment(style: str, font: str, bold: bool, colour: str | None) -> ParaFrag:
    """The fragment the markup parser makes for a run in `font` in a paragraph of `style`
    (bold, in `colour`), to be cloned with each run's text."""
    sample = _SAMPLES[fonts.LATIN if font == fonts.LATIN_BOLD else font]
    body = fonts.markup(sample, bold)
    if colour is not None:
        body = f'<font color="{colour}">{body}</font>'
    _style, frags, _bullet = ParaParser().parse(body, STYLES[style])
    if frags is None or len(frags) != 1 or frags[0].fontName != font:
        raise ValueError(f"the markup {body!r} does not make one fragment in {font}")
    fragment: ParaFrag = frags[0]
    return fragment


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
        if bullet is None and _SIMPLE.fullmatch(text):
            # What the markup parser would make of it, without parsing: one fragment per run.
            hexval = colour.hexval() if colour is not None else None
            name = self._style_name(style, text)
            frags = [
                _fragment(name, font, bold, hexval).clone(text=run, link=[], us_lines=[])
                for font, run in fonts.runs(text, bold)
            ]
            return Para(body, STYLES[name], frags=frags)
        return self.markup_paragraph(body, style, text, bullet)

    @staticmethod
    def _style_name(style: str, text: str, fits: float | None = None) -> str:
        """The style, or its per-glyph-wrapping twin: where there is Chinese that may wrap."""
        size = STYLES[style].fontSize
        cjk = _CJK.search(text) and not (
            fits is not None
            and all(fonts.string_width(line, size) <= fits for line in text.split("\n"))
        )
        return style + "@cjk" if cjk else style

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
        if day is None:
            return "—"
        if self.lang == "zh":
            return f"{day.year}年{day.month}月{day.day}日"
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"

    def day(self, day: dt.date | None) -> str:
        """A date for a narrow table column."""
        return day.isoformat() if day else "—"

    def widths(self, *fractions: float) -> list[float]:
        """Column widths as fractions of the frame width."""
        return [self.width * f for f in fractions]


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
