"""Pack layout: large amounts, printed subtotals, liability colours, fonts, PDF metadata,
headings kept with what follows, and no last page holding only a footnote."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from reviewdesk.book.db import open_book
from reviewdesk.book.models import Client
from reviewdesk.pack import fonts
from reviewdesk.pack.context import ALERT, GOOD, PackContext
from reviewdesk.pack.document import _build, render_pack
from reviewdesk.pack.holdings import Lines, _change, _widths, printed
from reviewdesk.pack.protect import encrypt_pdf
from reviewdesk.review.build import build_review
from reviewdesk.settings import Settings
from tests.conftest import PASSPHRASE
from tests.pack import layout_books as lb

TODAY = dt.date(2026, 6, 10)
SETTINGS = Settings({"bank_name": "示例银行"})


def _review(book, make):
    with book.session() as session:
        cid = make(session)
    with book.session() as session:
        return build_review(session, cid, settings=SETTINGS, today=TODAY)


@pytest.fixture
def yen(book):
    return _review(book, lb.make_yen_billionaire)


@pytest.fixture
def yi(book):
    return _review(book, lb.make_yi_client)


@pytest.fixture
def korean(book):
    return _review(book, lb.make_korean_client)


def _lines(data: bytes) -> list[str]:
    return [
        line
        for page in PdfReader(io.BytesIO(data)).pages
        for line in page.extract_text().splitlines()
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_yen_billions_never_wrap_mid_number(yen, lang):
    lines = _lines(render_pack(yen, lang))
    text = "\n".join(lines)
    assert "4,093,979,859" in text and "4,393,879,859" in text  # exact figures, whole yen
    assert "2,107,170,519" in text  # a subtotal on one line
    if lang == "en":  # JPY has no cents
        assert ".00" not in text.split("Holdings")[1].split("Asset allocation")[0]
    for line in lines:  # no number cut at a line end: a group of 1-2 digits after a comma
        assert not line.rstrip().endswith(tuple(f",{d}" for d in range(10))), line


def test_numeric_columns_get_what_they_need(yen):
    ctx = PackContext(yen, "en", 481.0)
    group = next(g for g in yen.groups if g.total > 2_000_000_000)
    amounts = printed(group, "JPY", True)
    cost = "cost 1,234,567,890"
    gain = Lines((("+12,345,678", None, None), ("+1.0%", None, None), (cost, 7.5, None)))
    rows = [
        [],
        ["Fund", "", "", "", ctx.exact(amounts.total), ctx.signed(amounts.change), "", ""],
        ["", "", "", "", "1", "2", "3", gain],
    ]
    widths, size = _widths(
        ctx,
        [
            "Product",
            "Held since",
            "Maturity",
            "Risk",
            "Value (JPY)",
            "Change",
            "Change %",
            "Gain vs. cost",
        ],
        rows,
    )
    assert sum(widths) == pytest.approx(481.0)
    assert widths[4] >= fonts.string_width(ctx.exact(amounts.total), size, bold=True) + 8
    # the gain against cost: its widest line, the principal's at its own size
    assert (
        widths[7] >= max(fonts.string_width("+12,345,678", size), fonts.string_width(cost, 7.5)) + 8
    )
    assert widths[0] >= 481.0 * 0.26


@pytest.mark.parametrize("currency", ["JPY", "CNY"])
def test_subtotal_is_the_sum_of_the_printed_rows(yen, yi, currency):
    review = yen if currency == "JPY" else yi
    for group in review.groups:
        amounts = printed(group, currency, True)
        assert amounts.total == sum(v for v in amounts.values if v is not None)
        assert amounts.change == sum(c for c in amounts.changes if c is not None)
        places = 0 if currency == "JPY" else 2
        assert all(v.as_tuple().exponent == -places for v in amounts.values if v is not None)


def test_a_shrinking_loan_is_green_and_a_growing_one_red(yi):
    ctx = PackContext(yi, "en", 481.0)
    for amount, liability, colour in [
        (D(-3000), True, GOOD),
        (D(5000), True, ALERT),
        (D(5000), False, GOOD),
        (D(-1), False, ALERT),
    ]:
        styles: list = []
        _change(ctx, styles, 1, 5, amount, liability)
        assert ("TEXTCOLOR", (5, 1), (5, 1), colour) in styles


def test_over_a_yi_in_one_class_reads_in_yi(yi):
    text = "".join("".join(_lines(render_pack(yi, "zh"))).split())
    assert "2.19亿" in text and "144,444,333.33" in text
    assert "10,000.00万" not in text
    assert "各金额按CNY的最小货币单位四舍五入" in text  # the rounding rule, translated


def test_hangul_and_thai_are_embedded_and_missing_characters_reported(korean):
    warnings: list[str] = []
    data = render_pack(korean, "en", warnings=warnings)
    assert warnings and "𠮷" in warnings[0]
    reader = PdfReader(io.BytesIO(data))
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            embedded.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert {"NanumSquareR", "Loma"} <= {name.split("-")[0] for name in embedded} | embedded
    text = "".join(page.extract_text() for page in reader.pages)
    assert "김민준" in text and "삼성전자" in text and "กองทุน" in text
    assert "THB 1,500,000.00" in text  # the original currency keeps its own minor units
    assert fonts.missing_chars("김민준 กองทุน 中文 𠮷\n") == "𠮷"


def test_charts_use_the_same_chain():
    from reviewdesk.charts.fonts import families

    assert families() == ("DejaVu Sans", "Droid Sans Fallback", "NanumSquare", "Loma")


def test_pdf_has_language_outline_and_deterministic_xmp(yi):
    first, second = render_pack(yi, "zh"), render_pack(yi, "zh")
    assert first == second
    reader = PdfReader(io.BytesIO(first))
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    titles = [item.title for item in reader.outline]
    assert titles[:2] == ["概览", "持仓明细"]
    xmp = reader.xmp_metadata
    assert xmp.dc_language == ["zh-CN"]
    assert xmp.dc_creator == ["示例银行"]
    assert xmp.xmp_create_date == dt.datetime(2026, 5, 31)
    english = PdfReader(io.BytesIO(render_pack(yi, "en")))
    assert english.trailer["/Root"]["/Lang"] == "en"


def test_encrypted_pack_says_pdf_2_and_opens_with_the_password(yi):
    protected = encrypt_pdf(render_pack(yi, "en"), "Abcdefghjk23xy")
    assert protected.startswith(b"%PDF-2.0")
    reader = PdfReader(io.BytesIO(protected))
    assert reader.is_encrypted and reader.decrypt("Abcdefghjk23xy")
    assert "Holdings" in "".join(p.extract_text() for p in reader.pages)


def _is_heading(flowable) -> bool:
    return isinstance(flowable, Paragraph) and flowable.style.name.split("@")[0] in ("h1", "h2")


def _is_footnote(flowable) -> bool:
    return (
        isinstance(flowable, Paragraph)
        and flowable.style.name.split("@")[0] in ("small", "disclaimer")
        or _is_heading(flowable)
    )


def test_demo_packs_keep_headings_with_their_text(demo_book_path):
    book = open_book(str(demo_book_path), passphrase=PASSPHRASE)
    try:
        with book.session() as session:
            ids = [c.id for c in session.query(Client).order_by(Client.id)]
            reviews = [
                build_review(session, cid, settings=SETTINGS, today=TODAY) for cid in ids[:12]
            ]
    finally:
        book.close()
    for review in reviews:
        for lang in ("zh", "en"):
            _data, doc = _build(review, lang, "a4", "REF", None)
            for number, flowables in doc.pages.items():
                drawn = [
                    f
                    for f in flowables
                    if f.__class__.__name__ not in ("CondPageBreak", "PageBreak", "Spacer")
                ]
                assert drawn, (review.client.code, lang, number)
                assert not _is_heading(drawn[-1]), (review.client.code, lang, number)
            last = [
                f
                for f in doc.pages[max(doc.pages)]
                if f.__class__.__name__ not in ("CondPageBreak", "Spacer")
            ]
            assert not all(_is_footnote(f) for f in last), (review.client.code, lang)


def _ends_on_a_group_title(table) -> bool:
    """Whether a table's part ends on a row banded as a group's title (`group_title`)."""
    last = len(table._cellvalues) - 1
    for command in table._bkgrndcmds:
        _op, (_c0, r0), (_c1, r1), *_rest = command
        rows = range(r0 % len(table._cellvalues), r1 % len(table._cellvalues) + 1)
        if last in rows and r0 == r1:
            return True
    return False


@pytest.mark.parametrize(
    ("client", "lang", "paper"),
    [("cny", "en", "letter"), ("jpy", "en", "a4"), ("jpy", "zh", "letter"), ("many", "zh", "a4")],
)
def test_no_page_ends_on_a_group_title(tmp_path, client, lang, paper):
    """Found in the golden packs: a page ended on "Wealth management product" (or "Cash")
    in the holdings table, its rows all overleaf. A group's title now stays with its first
    row (insurance's insured persons too)."""
    from reviewdesk.settings import load_settings
    from tests.pack.golden_book import TODAY as GOLDEN_DAY
    from tests.pack.golden_book import build_golden_book

    book, ids = build_golden_book(tmp_path / "golden.sqlite")
    try:
        with book.session() as session:
            review = build_review(
                session, ids[client], settings=load_settings(session), today=GOLDEN_DAY
            )
    finally:
        book.close()
    _data, doc = _build(review, lang, paper, "REF", None)
    parts = 0
    for number, flowables in sorted(doc.pages.items()):
        tables = [f for f in flowables if hasattr(f, "_cellvalues")]
        if not tables:
            continue
        parts += 1
        assert not _ends_on_a_group_title(tables[-1]), (client, lang, paper, number)
    assert parts >= 2  # the holdings table runs over a page
