"""A laid-out paragraph of plain text drawn straight to the page.

reportlab draws a paragraph through general machinery (a text object, a state for links,
underlines, background colours and justification, a width measured per fragment) that a
table cell of plain text does not use: a pack draws a few hundred such cells, and that
machinery was most of their cost. `draw_plain` writes the same operators, in the same
order, as reportlab's `Flowable.drawOn` and `Paragraph.drawPara` would for such a
paragraph (the page comes out byte for byte the same), and says False, having drawn
nothing, for any paragraph it does not cover, to be drawn the general way.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus.paragraph import Paragraph

_ALIGNED = (TA_LEFT, TA_CENTER, TA_RIGHT)


class _Text:
    """The operators of one text object (BT ... ET), as reportlab's PDFTextObject writes
    them for plain text in embedded TrueType fonts."""

    __slots__ = ("code", "doc", "font", "face", "size", "leading", "subset")

    def __init__(self, doc: Any, x: float, y: float) -> None:
        self.code = ["BT", f"1 0 0 1 {fp_str(x, y)} Tm"]
        self.doc = doc
        self.font: str | None = None
        self.face: Any = None
        self.size = 0.0
        self.leading: float | None = 0.0
        self.subset = -1

    def move(self, dx: float) -> None:
        """`setXPos` (only when the move is more than a millionth), merging with a move
        just before it as `moveCursor` does."""
        if -1e-6 <= dx <= 1e-6:
            return
        code = self.code
        last = code[-1]
        if last.endswith(" Td"):
            parts = last.split()
            del code[-1]
            dx += float(parts[-3])
        code.append(f"{fp_str(dx, 0)} Td")

    def out(self, text: str, end_line: bool) -> None:
        """`_textOut`: the text in the current font, subset by subset."""
        face = self.face
        chunks = []
        template = None
        for subset, data in face.splitString(text, self.doc):
            if subset != self.subset:
                if template is None:
                    template = f"{fp_str(self.size)} Tf {fp_str(self.leading)} TL"
                chunks.append(f"{face.getSubsetInternalName(subset, self.doc)} {template}")
                self.subset = subset
            chunks.append(f"({escapePDF(data)}) Tj")
        self.code.append(" ".join(chunks) + " T*" if end_line else " ".join(chunks))


def _rgb(colour: Any) -> str | None:
    """The fill operator for a colour drawn as reportlab does with no other effect on the
    page state: an opaque RGB colour (None for any other)."""
    if type(colour) is not Color or colour.alpha != 1:
        return None
    return f"{fp_str((colour.red, colour.green, colour.blue))} rg"


def _plain_font(name: str) -> Any:
    """The font, when it is an embedded TrueType font (else None: drawn the general way).
    Plain text (`str`, not reportlab's shaped strings) is drawn in it without shaping."""
    face = getFont(name)
    return face if getattr(face, "_dynamicFont", False) else None


def draw_plain(para: Paragraph, canvas: Any, x: float, y: float) -> bool:
    """Draw the wrapped `para` at (x, y) as reportlab would, when it is plain text; False
    (nothing drawn) when it is anything else."""
    style = para.style
    if (
        style.alignment not in _ALIGNED
        or style.backColor
        or (style.borderWidth and style.borderColor)
        or style.wordWrap == "RTL"
        or style.endDots
        or para.bulletText
        or para.debug
        or getattr(para, "autoLeading", getattr(style, "autoLeading", ""))
        or getattr(para, "_offsets", None)
        or getattr(para, "_showBoundary", False)
        or getattr(canvas, "_enforceColorSpace", None)
        or canvas._extgstate.getValue("ca") != 1
        or not canvas.bottomup
    ):
        return False
    blank = para.blPara
    lines = blank.lines
    if not lines:
        return False
    doc = canvas._doc
    if blank.kind == 0:
        body = _simple_lines(para, blank, lines, doc)
    else:
        body = _fragment_lines(para, lines, doc)
    if body is None:
        return False
    doc.ensureMinPdfVersion("transparency")  # what setting an opaque colour does
    canvas._code.append(f"q\n1 0 0 1 {fp_str(x, y)} cm\nq\n{body}\nQ\nQ")
    return True


def _simple_lines(para: Paragraph, blank: Any, lines: list[Any], doc: Any) -> str | None:
    """drawPara for lines of one font, size and colour (reportlab's kind 0)."""
    style = para.style
    face = _plain_font(blank.fontName)
    fill = _rgb(blank.textColor)
    if (
        face is None
        or fill is None
        or getattr(blank, "us_lines", None)
        or getattr(blank, "link", None)
        or getattr(blank, "rise", None)
    ):
        return None
    text = _Text(doc, style.leftIndent, para.height - blank.fontSize)
    text.face, text.font, text.size, text.leading = (
        face,
        blank.fontName,
        blank.fontSize,
        style.leading,
    )
    alignment = style.alignment
    offset = style.firstLineIndent
    for extra, words in lines:
        words_text = " ".join(words)
        if type(words_text) is not str:
            return None
        if extra <= -1e-8 and len(words) + words_text.count("\xa0") > 1:
            return None  # overfull: reportlab squeezes the word spaces
        shift = _shift(alignment, offset, extra)
        text.move(shift)
        text.out(words_text, True)
        text.move(-shift)
        offset = 0
    text.code.append("ET")
    return f"{fill}\n{' '.join(text.code)}"


def _shift(alignment: int, offset: float, extra: float) -> float:
    """Where a line starts: after the first line's indent (`offset`), and for centred or
    right-aligned text after half or all of the room it leaves (`extra`)."""
    if alignment == TA_LEFT:
        return offset
    if alignment == TA_CENTER:
        return offset + 0.5 * extra
    return offset + extra


def _plain_fragments(lines: list[Any]) -> bool:
    """Whether every line is of fragments of plain text, none overfull where reportlab
    would squeeze its word spaces."""
    for line in lines:
        if getattr(line, "preformatted", False):
            return False
        for frag in line.words:
            if (
                hasattr(frag, "cbDefn")
                or getattr(frag, "rise", None)
                or getattr(frag, "us_lines", None)
                or getattr(frag, "link", None)
                or getattr(frag, "backColor", None)
                or type(getattr(frag, "text", None)) is not str
                or _plain_font(frag.fontName) is None
                or _rgb(frag.textColor) is None
            ):
                return False
        if line.extraSpace <= -1e-8:
            spaces = line.wordCount - 1 + sum(frag.text.count("\xa0") for frag in line.words)
            if spaces > 0:
                return False
    return True


def _fragment_lines(para: Paragraph, lines: list[Any], doc: Any) -> str | None:
    """drawPara for lines of fragments (reportlab's kind 1), each plain text: no images,
    links, underlines, background colours or raised text."""
    if not _plain_fragments(lines):
        return None
    style = para.style
    text = _Text(doc, style.leftIndent, para.height - lines[0].fontSize)
    text.leading = None
    leading = style.leading
    alignment = style.alignment
    colour: object = None
    offset = style.firstLineIndent
    for line in lines:
        extra = line.extraSpace
        shift = _shift(alignment, offset, extra)
        text.move(shift)
        if text.leading != leading:  # it has none at first
            text.leading = leading
            text.code.append(f"{fp_str(leading)} TL")
        words = line.words
        last = words[-1] if words else None
        for frag in words:
            if text.font != frag.fontName or text.size != frag.fontSize:
                face = _plain_font(frag.fontName)
                text.face, text.font, text.size = face, frag.fontName, frag.fontSize
                text.subset = -1
            if colour is None or colour != frag.textColor:
                colour = frag.textColor
                text.code.append(_rgb(colour) or "")  # an opaque RGB colour: checked
            text.out(frag.text, frag is last)
        text.move(-shift)
        offset = 0
    text.code.append("ET")
    return " ".join(text.code)
