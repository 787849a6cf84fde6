"""Plain paragraphs drawn straight to the page (`pack/textdraw.py`) write exactly what
reportlab's own drawing writes, and anything else is left to reportlab."""

from __future__ import annotations

import io

import pytest
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from reviewdesk.pack import fonts
from reviewdesk.pack.context import STYLES, PackContext, Para
from reviewdesk.pack.textdraw import draw_plain


def _canvas() -> Canvas:
    return Canvas(io.BytesIO(), invariant=1, initialFontName=fonts.LATIN)


def _both(make: object, width: float) -> tuple[list[str], list[str], bool]:
    """The page operators of a paragraph drawn twice in a row on one canvas by
    `draw_plain` and on another by reportlab (each paragraph made afresh by `make`)."""
    fonts.register()
    ours, theirs = _canvas(), _canvas()
    drawn = True
    for x, y in ((10.0, 700.0), (33.25, 512.5)):
        para = make()  # type: ignore[operator]
        para.wrap(width, 800)
        drawn = draw_plain(para, ours, x, y) and drawn
        if not drawn:
            Paragraph.drawOn(para, ours, x, y)
        para = make()  # type: ignore[operator]
        para.wrap(width, 800)
        Flowable.drawOn(para, theirs, x, y)
    return ours._code, theirs._code, drawn


def _markup(markup: str, style: str) -> object:
    return lambda: Para(markup, STYLES[style])


CASES = {
    "one font, left": _markup("Cash and deposits", "cell"),
    "one font, right": _markup("1,234,567.89", "cell_r"),
    "one font, centred": _markup("R3", "cell_c"),
    "one font, several lines": _markup("word " * 40, "body"),
    "overfull single word": _markup("x" * 80, "cell_r"),
    "Chinese and Latin runs": _markup(fonts.markup("招银理财稳健 2号 CNY 本金"), "cell@cjk"),
    "runs in colours, right": _markup(
        '<font color="#067647">+977.81</font><br/><font size="7.5" color="#6b7280">'
        + fonts.markup("本金 18,928.00")
        + "</font>",
        "cell_small_r@cjk",
    ),
    "centred runs over lines": _markup(fonts.markup("市值变动 " * 12), "head@cjk"),
    "bold run": _markup(fonts.markup("净资产", bold=True) + " 5,357,000", "body@cjk"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_plain_paragraph_draws_as_reportlab_does(case: str) -> None:
    ours, theirs, drawn = _both(CASES[case], 120)
    assert drawn, f"{case}: not drawn straight to the page"
    assert "\n".join(ours) == "\n".join(theirs)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pack_paragraphs_draw_as_reportlab_does(lang: str) -> None:
    """Paragraphs as a pack makes them (fragments made without the markup parser)."""
    ctx = PackContext(None, lang, 400)  # type: ignore[arg-type]  # no review needed
    makers = [
        lambda: ctx.p("招银理财稳健2号 CNY", "cell"),
        lambda: ctx.p("Cash", "cell_r", bold=True, colour=colors.HexColor("#067647")),
        lambda: ctx.spans([("净资产 ", True, None), ("5,357,000", False, colors.red)], "body"),
        lambda: ctx.lines(
            [("+977.81", None, colors.green), ("本金 18,928.00", 7.5, colors.grey)], "cell_r"
        ),
        lambda: ctx.p("说明 " * 30, "small"),
    ]
    for make in makers:
        ours, theirs, drawn = _both(make, 90)
        assert drawn
        assert "\n".join(ours) == "\n".join(theirs)


def test_what_is_more_than_text_is_left_to_reportlab() -> None:
    for markup in (
        "<u>underlined</u>",
        '<a href="https://example.com">a link</a>',
        "a<super>2</super>",
        '<span backColor="#eeeeee">shaded</span>',
    ):
        ours, theirs, drawn = _both(_markup(markup, "body"), 200)
        assert not drawn, markup
        assert ours == theirs
    bordered = ParagraphStyle("bordered", STYLES["body"], borderWidth=1, borderColor=colors.red)
    ours, theirs, drawn = _both(lambda: Para("boxed", bordered), 200)
    assert not drawn and ours == theirs
    bulleted = lambda: Para("item", STYLES["bullet"], bulletText="•")  # noqa: E731
    ours, theirs, drawn = _both(bulleted, 200)
    assert not drawn and ours == theirs
