"""The shortcuts that make a pack fast give what the slow path gives."""

from __future__ import annotations

import multiprocessing
import sys

import pytest
from reportlab.lib.colors import HexColor
from reportlab.platypus import Paragraph
from reportlab.platypus.paraparser import ParaParser

from reviewdesk.pack import batch, fonts
from reviewdesk.pack.context import STYLES, PackContext, Para

TEXTS = [
    "Portfolio review",
    "招银理财稳健1号 长期限产品",
    "王建国 (Wang Jianguo) 资产 1,234.56 CNY",
    "김민준 님 ภาษาไทย 中文 mixed",
    "a & b < c > d",
    "R5▲",
    "double  space",  # not simple: the parser collapses it
    " leading and trailing ",
    "two\nlines",
    "ideographic\u3000space",
]


def _frags(paragraph: Paragraph) -> list[dict[str, object]]:
    return [
        {k: v for k, v in vars(f).items() if k not in ("link", "us_lines")} for f in paragraph.frags
    ]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("colour", [None, HexColor("#b42318")])
@pytest.mark.parametrize("style", ["body", "cell", "head_r", "h1"])
def test_paragraph_fragments_are_what_the_parser_makes(text, bold, colour, style):
    fonts.register()
    ctx = PackContext.__new__(PackContext)  # p() needs no review
    made = ctx.p(text, style, bold=bold, colour=colour)
    _style, parsed, _bullet = ParaParser().parse(
        __import__("reportlab.platypus.paragraph", fromlist=["x"]).cleanBlockQuotedText(made.text),
        made.style,
    )
    assert _frags(made) == [
        {k: v for k, v in vars(f).items() if k not in ("link", "us_lines")} for f in parsed
    ]
    assert made.getPlainText() == Paragraph(made.text, made.style).getPlainText()


def test_a_paragraph_wrapped_again_at_another_width_breaks_its_lines_again():
    fonts.register()
    text = fonts.markup("招银理财稳健1号 长期限产品名称 with a long English tail " * 3)
    style = STYLES["cell@cjk"]
    para = Para(text, style)
    for width in (300, 80, 300, 80, 55):
        fresh = Paragraph(text, style)
        assert para.wrap(width, 1000) == fresh.wrap(width, 1000)
        assert [repr(line.words) for line in para.blPara.lines] == [
            repr(line.words) for line in fresh.blPara.lines
        ]


@pytest.mark.skipif(sys.platform == "win32", reason="no fork server on Windows")
def test_batch_workers_come_from_a_fork_server_that_preloads_the_pack():
    context = batch.worker_context()
    assert context.get_start_method() == "forkserver"
    assert batch.PRELOAD in multiprocessing.forkserver._forkserver._preload_modules
    from reviewdesk.pack import preload

    preload.warm()  # runs again without error
