"""The PDF itself: text, fonts, vector charts, confidentiality, determinism, protection."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from pypdf import PasswordType, PdfReader

from reviewdesk.book.enums import AssetClass, Language
from reviewdesk.pack.document import render_pack
from reviewdesk.pack.protect import MIN_LENGTH, encrypt_pdf, generate_password
from reviewdesk.review.build import build_review
from reviewdesk.settings import Settings
from tests import factories as f
from tests.review.test_build import TODAY, make_zhang


@pytest.fixture
def zhang_review(book):
    with book.session() as session:
        cid = make_zhang(session)
    with book.session() as session:
        return build_review(session, cid, settings=Settings({"bank_name": "示例银行"}), today=TODAY)


def _text(data: bytes) -> str:
    """The pack's text without white space (extraction splits lines where the font changes)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return "".join(text.split())


def has(text: str, *needles: str) -> bool:
    return all("".join(n.split()) in text for n in needles)


def test_chinese_pack_shows_the_client_totals_and_flags(zhang_review):
    text = _text(render_pack(zhang_review, "zh"))
    assert has(text, "张伟", "示例银行")
    assert has(text, "-2.80万")  # net worth -28,000.00 in 万
    assert has(text, "262,000.00", "290,000.00")
    assert has(text, "R4 ▲")  # the fund above the client's C3
    assert has(text, "风险评估已过期")
    assert has(text, "上次回顾后新增", "已不再持有")
    assert has(text, "保密文件 - 仅供 张伟 阅览", "第 1 页，共 5 页")


def test_english_pack_is_translated(zhang_review):
    text = _text(render_pack(zhang_review, "en", paper="letter"))
    assert has(text, "Confidential - prepared for 张伟", "Page 1 of")
    assert has(text, "Net worth", "Holdings", "Insurance cover")
    assert has(text, "Life cover is CNY 3,790,000.00 short")  # a talking point
    assert "资产" not in text  # no Chinese label left in an English pack
    reader = PdfReader(io.BytesIO(render_pack(zhang_review, "en", paper="letter")))
    assert round(float(reader.pages[0].mediabox.width)) == 612


def test_fonts_are_embedded(zhang_review):
    reader = PdfReader(io.BytesIO(render_pack(zhang_review, "zh")))
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "/FontDescriptor" in font, font["/BaseFont"]  # not a base-14 font
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
            embedded.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"DroidSansFallback", "DejaVuSans"} <= embedded


def test_charts_are_vector_graphics(zhang_review):
    reader = PdfReader(io.BytesIO(render_pack(zhang_review, "zh")))
    for page in reader.pages:
        assert list(page.images) == []
    chart_page = next(p for p in reader.pages if "资产配置" in p.extract_text())
    content = chart_page.get_contents().get_data()
    assert content.count(b" c\n") + content.count(b" c ") > 10  # curves of the rings
    assert "基金" in chart_page.extract_text()  # chart labels are text, not pictures


def test_same_book_and_options_give_identical_bytes(zhang_review):
    assert render_pack(zhang_review, "zh") == render_pack(zhang_review, "zh")
    assert render_pack(zhang_review, "en") != render_pack(zhang_review, "zh")


def test_document_date_is_the_review_date(zhang_review):
    info = PdfReader(io.BytesIO(render_pack(zhang_review, "zh"))).metadata
    assert info["/CreationDate"].startswith("D:20260531")


@pytest.mark.parametrize(
    ("lang", "title"),
    [("zh", "2026年5月31日 资产回顾"), ("en", "Portfolio review of 31 May 2026")],
)
def test_the_running_header_writes_the_date_as_the_cover_does(zhang_review, lang, title):
    """Found: every page's header read "2026-05-31 资产回顾" under a cover that wrote the
    review date 2026年5月31日."""
    reader = PdfReader(io.BytesIO(render_pack(zhang_review, lang)))
    assert reader.metadata.title == title
    for page in reader.pages[1:]:
        assert "".join(title.split()) in "".join(page.extract_text().split())


def test_with_no_bank_name_the_header_says_the_title_once(book):
    """Found: with no bank name set, every page's header read "Portfolio review" on the
    left beside "Portfolio review of 31 May 2026" on the right."""
    with book.session() as session:
        cid = make_zhang(session)
    with book.session() as session:
        review = build_review(session, cid, settings=Settings(), today=TODAY)
    reader = PdfReader(io.BytesIO(render_pack(review, "en")))
    for page in reader.pages[1:]:
        assert page.extract_text().count("Portfolio review") == 1


def test_no_other_client_in_a_clients_pack(book):
    """Two clients with the same family name and address: each pack is about one alone."""
    address = "上海市徐汇区漕溪北路88号"
    with book.session() as session:
        son = f.client("C1", "王建国", address=address, language=Language.ZH)
        mother = f.client("C2", "王秀英", address=address, language=Language.ZH)
        son.snapshots = [f.snapshot(dt.date(2026, 5, 31), f.holding("儿子专属基金", "512345.67"))]
        mother.snapshots = [
            f.snapshot(
                dt.date(2026, 5, 31),
                f.holding("母亲养老理财", "880000", asset_class=AssetClass.WEALTH_PRODUCT),
            )
        ]
        session.add_all([son, mother])
        session.flush()
        ids = son.id, mother.id
    with book.session() as session:
        packs = {
            cid: _text(
                render_pack(build_review(session, cid, settings=Settings(), today=TODAY), "zh")
            )
            for cid in ids
        }
    son_text, mother_text = packs[ids[0]], packs[ids[1]]
    assert has(son_text, "王建国", "儿子专属基金")
    for secret in ("王秀英", "母亲养老理财", "88.00万"):
        assert secret not in son_text
    for secret in ("王建国", "儿子专属基金", "51.23万", "512,345.67"):
        assert secret not in mother_text


def test_encrypted_pack_opens_only_with_its_password(zhang_review):
    password = generate_password()
    assert len(password) >= MIN_LENGTH
    data = encrypt_pdf(render_pack(zhang_review, "zh"), password)
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    encrypt = reader.trailer["/Encrypt"].get_object()
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)  # AES-256, revision 6
    assert encrypt["/CF"]["/StdCF"]["/CFM"] == "/AESV3"
    assert reader.decrypt("wrong password!") == PasswordType.NOT_DECRYPTED
    assert reader.decrypt(password) != PasswordType.NOT_DECRYPTED
    assert "张伟" in reader.pages[0].extract_text()
    assert password.encode() not in data


def test_passwords_are_random_and_long():
    passwords = {generate_password() for _ in range(50)}
    assert len(passwords) == 50
    with pytest.raises(ValueError, match="length"):
        generate_password(8)


def test_missing_rate_is_stated_not_hidden(book):
    with book.session() as session:
        client = f.client("C9", "Amy Lee", report_currency="USD")
        client.snapshots = [
            f.snapshot(
                dt.date(2026, 5, 31),
                f.holding("Cash", "100", "EUR", AssetClass.CASH),
                f.holding("Deposit", "50", "USD", AssetClass.DEPOSIT),
            )
        ]
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=TODAY)
    text = _text(render_pack(review, "en"))
    assert has(text, "Not included for want of an exchange rate: EUR")
    assert review.current.assets == D("50.00")
