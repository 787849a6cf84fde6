"""The shortcuts that make a pack fast give what the slow path gives."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sys
from decimal import Decimal

import pytest
from reportlab.lib.colors import HexColor
from reportlab.platypus import Paragraph
from reportlab.platypus.paraparser import ParaParser

from reviewdesk.pack import batch, fonts
from reviewdesk.pack.context import ALERT, GOOD, INK, MUTED, STYLES, PackContext, Para
from reviewdesk.pack.linebreak import break_cjk


class Chinese(Paragraph):  # type: ignore[misc]
    """reportlab's paragraph breaking Chinese as the pack does (`linebreak`), without any
    of `Para`'s reuse: what `Para` is measured against."""

    def breakLinesCJK(self, maxWidths):  # noqa: N802, N803 - reportlab's names
        lines = break_cjk(self, maxWidths)
        return lines if lines is not None else super().breakLinesCJK(maxWidths)


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
        fresh = Chinese(text, style)
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


LINES = [
    [("招银理财稳健1号", None, None), ("CODE1 · 招商银行", 7.5, MUTED)],
    [("Fund A", None, None), ("X1", 7.5, MUTED), ("新增", 7.5, GOOD)],
    [("김민준 ภาษาไทย 中文", None, None), ("a & b", 7.5, ALERT)],  # not plain: parsed
    [("1 年", None, None), ("2025-05-31 至 2026-05-31", 7.5, MUTED)],
]


@pytest.mark.parametrize("lines", LINES)
@pytest.mark.parametrize("fits", [None, 10.0, 400.0])
def test_lines_make_the_fragments_the_parser_makes(lines, fits):
    fonts.register()
    ctx = PackContext.__new__(PackContext)
    made = ctx.lines(lines, "cell", fits=fits)
    _style, parsed, _bullet = ParaParser().parse(made.text, made.style)
    assert _frags(made) == [
        {k: v for k, v in vars(f).items() if k not in ("link", "us_lines")} for f in parsed
    ]
    assert made.getPlainText() == Paragraph(made.text, made.style).getPlainText()


def test_lines_that_fit_at_their_own_sizes_break_between_words():
    """A cell's lines that each fit at their own size (a smaller last line) are laid out
    between words; one that does not fit is broken per glyph."""
    fonts.register()
    ctx = PackContext.__new__(PackContext)
    lines = [("+1,145.01", 8.0, GOOD), ("+2.8%", 8.0, GOOD), ("本金 40,680.00", 7.5, MUTED)]
    small = fonts.string_width("本金 40,680.00", 7.5)
    assert fonts.string_width("本金 40,680.00", STYLES["cell_r"].fontSize) > small + 1
    made = ctx.lines(lines, "cell_r", fits=small + 0.5)
    assert made.style is STYLES["cell_r"]
    assert ctx.lines(lines, "cell_r", fits=small - 0.5).style is STYLES["cell_r@cjk"]
    made.wrap(small + 0.5, 1000)
    assert ["".join(w.text for w in line.words) for line in made.blPara.lines] == [
        "+1,145.01",
        "+2.8%",
        "本金 40,680.00",
    ]


@pytest.mark.parametrize(
    "text",
    ["招银理财稳健1号", "王建国 (Wang Jianguo) 资产 1,234.56 CNY", "收益率（修正 Dietz 法）"],
)
@pytest.mark.parametrize("style", ["cell@cjk", "head_r@cjk", "bullet@cjk"])
def test_chinese_on_one_line_is_laid_out_as_breaking_per_glyph_would(text, style):
    """A paragraph with Chinese that fits on one line skips the per-glyph breaking: the
    same size and the same one line; narrower, it is broken per glyph again."""
    fonts.register()
    body = fonts.markup(text)
    bullet = "•" if style.startswith("bullet") else None
    para = Para(body, STYLES[style], bulletText=bullet)
    fresh = Chinese(body, STYLES[style], bulletText=bullet)
    assert para.wrap(300, 1000) == fresh.wrap(300, 1000)
    assert para.style is STYLES[style.removesuffix("@cjk")]  # the word-breaking twin
    assert len(para.blPara.lines) == len(fresh.blPara.lines) == 1
    assert para.getPlainText() == fresh.getPlainText()
    narrow = Chinese(body, STYLES[style], bulletText=bullet)
    assert para.wrap(40, 1000) == narrow.wrap(40, 1000)
    assert para.style is STYLES[style]
    assert len(para.blPara.lines) == len(narrow.blPara.lines) > 1


def test_the_korean_and_thai_fonts_are_parsed_when_a_text_first_needs_them():
    """Parsing NanumSquare takes about as long as the Chinese font: a process
    registers it (and Loma) with the first text that has their characters (a fresh
    interpreter: the test session has registered every font)."""
    import subprocess

    code = (
        "from reportlab.pdfbase import pdfmetrics\n"
        "from reviewdesk.pack import fonts\n"
        "fonts.register()\n"
        "def names():\n"
        "    return sorted(n for n in pdfmetrics.getRegisteredFontNames() if n[:3] == 'RD-')\n"
        "print(*names())\n"
        "print(fonts.markup('王 김민준'))\n"
        "print(*names())\n"
        "fonts.register_all()\n"
        "print(*names())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == "RD-CJK RD-Sans RD-Sans-Bold"
    assert out[1] == '<font name="RD-CJK">王</font> <font name="RD-Hangul">김민준</font>'
    assert out[2] == "RD-CJK RD-Hangul RD-Sans RD-Sans-Bold"
    assert out[3] == "RD-CJK RD-Hangul RD-Sans RD-Sans-Bold RD-Thai"


def test_what_the_fork_server_loaded_is_out_of_the_collectors_sight():
    import gc

    from reviewdesk.pack import preload

    try:
        preload.settle()
        assert gc.get_freeze_count() > 100_000
    finally:
        gc.unfreeze()


# Chinese and Latin runs: several fragments, so lines of fragments (what a split writes to).
LONG = (
    "本回顾仅供文中所列客户本人使用，依据回顾日 2026-05-31 记录的持仓与汇率编制。市值会随市场变化。"
    * 3
)


def _words(paragraph: Paragraph) -> list[str]:
    assert paragraph.blPara.kind == 1
    return [repr(line.words) for line in paragraph.blPara.lines]


def test_a_paragraph_broken_per_glyph_shares_its_lines_with_the_next_of_the_same_text():
    fonts.register()
    body = fonts.markup(LONG)
    first, second = Para(body, STYLES["small@cjk"]), Para(body, STYLES["small@cjk"])
    fresh = Chinese(body, STYLES["small@cjk"])
    assert first.wrap(200, 1000) == second.wrap(200, 1000) == fresh.wrap(200, 1000)
    assert second.blPara is first.blPara and len(fresh.blPara.lines) > 3
    assert _words(second) == _words(fresh)
    other = Para(fonts.markup(LONG + "。"), STYLES["small@cjk"])  # another text: its own lines
    other.wrap(200, 1000)
    assert other.blPara is not first.blPara


def test_splitting_a_paragraph_with_shared_lines_leaves_them_as_they_were():
    fonts.register()
    body = fonts.markup(LONG)
    Para(body, STYLES["small@cjk"]).wrap(200, 1000)
    shared = Para(body, STYLES["small@cjk"])
    shared.wrap(200, 1000)
    head, tail = shared.split(200, 25)  # two lines here, the rest on the next page
    assert len(head.blPara.lines) == 2
    later = Para(body, STYLES["small@cjk"])
    fresh = Chinese(body, STYLES["small@cjk"])
    later.wrap(200, 1000), fresh.wrap(200, 1000)
    assert _words(later) == _words(fresh)


def test_charts_drawn_with_the_fonts_heights_read_once_are_the_same_to_the_byte(monkeypatch):
    """The renderer tells matplotlib each font's ascent, descent and line gap from a cache:
    the same figures matplotlib reads from the font for every text it lays out."""
    import io

    from reportlab.platypus import SimpleDocTemplate

    from reviewdesk.charts.builders import trend_chart
    from reviewdesk.pack import vector
    from reviewdesk.review.model import TrendPoint

    fonts.register()
    points = [
        TrendPoint(dt.date(2026, m, 1), Decimal(1000 * m), Decimal(0), ()) for m in range(1, 13)
    ]

    def pdf() -> bytes:
        vector._renderer.cache_clear()
        out = io.BytesIO()
        story = [vector.FigureFlowable(trend_chart(points, lang, "CNY")) for lang in ("zh", "en")]
        SimpleDocTemplate(out, invariant=1).build(story)
        return out.getvalue()

    cached = pdf()
    monkeypatch.delattr(vector.CanvasRenderer, "_get_font_height_metrics")
    assert pdf() == cached


SPANS = [
    [("时间加权收益率：", True, INK), ("衡量投资本身的表现 (TWR) 1.5%", False, None)],
    [("Time-weighted return: ", True, INK), ("the return of the investments", False, None)],
    [("a & b: ", True, None), ("c", False, ALERT)],  # not plain: parsed
]


@pytest.mark.parametrize("spans", SPANS)
def test_spans_make_the_fragments_the_parser_makes(spans):
    fonts.register()
    ctx = PackContext.__new__(PackContext)
    made = ctx.spans(spans, "small")
    _style, parsed, _bullet = ParaParser().parse(made.text, made.style)
    assert _frags(made) == [
        {k: v for k, v in vars(f).items() if k not in ("link", "us_lines")} for f in parsed
    ]
    assert made.getPlainText() == Paragraph(made.text, made.style).getPlainText()


@pytest.mark.parametrize("text", TEXTS[:3])
def test_a_bullet_has_the_fragments_and_the_bullet_the_parser_gives(text):
    fonts.register()
    ctx = PackContext.__new__(PackContext)
    made = ctx.p(text, "bullet", bullet="•")
    parsed = Paragraph(made.text, made.style, bulletText="•")
    assert _frags(made) == _frags(parsed)
    assert made.bulletText == parsed.bulletText == "•"
    assert made.wrap(300, 1000) == parsed.wrap(300, 1000)


@pytest.fixture(scope="module")
def bench_books(tmp_path_factory):
    """The pack benchmark's client (36 monthly reviews of 40 holdings) and another."""
    from tests.bench.bench_pack import one_pack_book

    folder = tmp_path_factory.mktemp("bench")
    books = [one_pack_book(folder), one_pack_book(folder, seed=12)]
    yield books
    for book in books:
        book.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_line_of_one_fragment_is_the_line_reportlab_breaks(bench_books, monkeypatch, lang):
    """Every paragraph of the benchmark's packs that `Para` lays out on one line itself is
    given what reportlab's own line breaking gives: the same lines, widths and metrics."""
    import copy

    from reviewdesk.pack import context
    from reviewdesk.pack.produce import make_pack
    from reviewdesk.settings import Settings
    from tests.bench.bench_pack import AS_OF

    ours = Para._one_fragment_line
    checked: list[str] = []

    def checking(self, width):
        before = list(width)
        line = ours(self, width)
        if line is not None:
            twin = copy.copy(self)
            theirs_width = list(before)
            theirs = Paragraph.breakLines(twin, theirs_width)
            assert vars(line) == vars(theirs), self.frags[0].text
            assert width == theirs_width and self._width_max == twin._width_max
            checked.append(self.frags[0].text)
        else:
            assert width == before  # left for reportlab as it was given
        return line

    monkeypatch.setattr(Para, "_one_fragment_line", checking)
    monkeypatch.setattr(context, "_LAYOUTS", {})  # every paragraph laid out anew
    for book in bench_books:
        with book.session() as session:
            make_pack(session, 1, settings=Settings(), today=AS_OF, lang=lang)
    assert len(checked) > 100  # table cells, labels, amounts


def test_a_pack_made_as_in_a_batch_leaves_nothing_of_itself_to_the_collector(bench_books):
    """Made after `collector.before_pack`, a pack's objects are gone when the next pack
    starts: none reaches the collector's oldest generation to wait there for a full
    collection (the chart renderer kept for the next pack lets go of the last canvas)."""
    import gc

    from reviewdesk.pack import collector, vector
    from reviewdesk.pack.produce import make_pack
    from reviewdesk.settings import Settings
    from tests.bench.bench_pack import AS_OF

    book = bench_books[0]
    gc.collect()  # what earlier tests left
    before = {id(o) for o in gc.get_objects() if isinstance(o, Para)}
    try:
        for _ in range(2):
            collector.before_pack()
            assert not gc.isenabled()
            with book.session() as session:
                make_pack(session, 1, settings=Settings(), today=AS_OF, lang="zh")
        assert vector._renderer().canv is None
        gc.collect(1)  # what the next pack's start collects
        assert not [o for o in gc.get_objects() if isinstance(o, Para) and id(o) not in before]
    finally:
        gc.enable()


@pytest.mark.parametrize("text", ["Life: " + "ten times the income " * 6, "Short line", "x" * 400])
@pytest.mark.parametrize("bullet", [None, "•"])
def test_a_paragraph_of_one_fragment_breaks_as_reportlab_breaks_it(text, bullet):
    """On one line, on several, or a word longer than the line: `Para` and reportlab's own
    paragraph give the same lines (the width a bullet takes counted once)."""
    fonts.register()
    ours = Para(text, STYLES["bullet"], bulletText=bullet)
    theirs = Paragraph(text, STYLES["bullet"], bulletText=bullet)
    assert ours.wrap(300, 800) == theirs.wrap(300, 800)
    assert ours._wrapWidths == theirs._wrapWidths
    assert vars(ours.blPara) == vars(theirs.blPara)
