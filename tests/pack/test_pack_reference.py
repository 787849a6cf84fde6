"""What a compliance officer looks for in a pack: its reference on every page, the day it
was prepared, the standard risk wording, the risk levels explained; and the logo check."""

import dataclasses
import datetime as dt
import io

import pytest
from PIL import Image
from pypdf import PdfReader

from reviewdesk.book.enums import ClientRiskLevel, RiskLevel
from reviewdesk.book.errors import ValidationError
from reviewdesk.i18n import translator
from reviewdesk.pack.document import render_pack
from reviewdesk.pack.logo import SETTING_CHECKS, check_logo
from reviewdesk.pack.produce import pack_from_review
from reviewdesk.pack.reference import pack_reference
from reviewdesk.review.build import build_review
from reviewdesk.settings import Settings, load_settings, save_setting
from tests.review.test_build import TODAY, make_zhang


@pytest.fixture
def zhang_review(book):
    with book.session() as session:
        cid = make_zhang(session)
    with book.session() as session:
        return build_review(session, cid, settings=Settings({"bank_name": "示例银行"}), today=TODAY)


def _pages(data: bytes) -> list[str]:
    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize(
    ("lang", "ref_label", "prepared"),
    [
        ("zh", "文件编号", "编制日期：{d.year}年{d.month}月{d.day}日"),
        ("en", "Ref.", "Preparedon{d.day}"),
    ],
)
def test_every_page_carries_the_reference_and_the_cover_the_as_of_date(
    zhang_review, lang, ref_label, prepared
):
    pack = pack_from_review(zhang_review, lang, "a4")
    assert pack.reference == pack_reference(zhang_review, lang, "a4")
    assert pack.reference.startswith(
        f"{zhang_review.client.code}-{zhang_review.review_date:%Y%m%d}-"
    )
    pages = _pages(pack.data)
    assert len(pages) >= 3
    assert all(f"{ref_label}{pack.reference}" in page for page in pages)
    assert prepared.format(d=TODAY) in pages[0]
    # One path: render_pack on its own gives the same file, reference included.
    assert render_pack(zhang_review, lang, "a4") == pack.data


def test_the_reference_follows_the_review_the_as_of_date_and_the_options(zhang_review):
    base = pack_reference(zhang_review, "zh", "a4")
    assert pack_reference(zhang_review, "zh", "a4") == base
    later = dataclasses.replace(zhang_review, today=zhang_review.today + dt.timedelta(days=1))
    others = {
        pack_reference(zhang_review, "en", "a4"),
        pack_reference(zhang_review, "zh", "letter"),
        pack_reference(later, "zh", "a4"),
    }
    assert base not in others and len(others) == 3
    renamed = dataclasses.replace(
        zhang_review, preparer=dataclasses.replace(zhang_review.preparer, bank_name="另一家银行")
    )
    assert pack_reference(renamed, "zh", "a4") != base


def test_chinese_disclaimer_has_the_standard_wording_and_the_risk_levels(zhang_review):
    last = _pages(render_pack(zhang_review, "zh"))[-1]
    assert "理财非存款、产品有风险、投资须谨慎。" in last
    assert "风险等级说明" in last and "重要提示" in last
    zh = translator("zh")
    labels = [zh(level.label) for level in (*ClientRiskLevel, *RiskLevel)]
    assert all("".join(label.split()) in last for label in labels)
    for word in ("保守型", "稳健型", "平衡型", "成长型", "进取型", "低风险", "高风险"):
        assert word in last


def test_english_disclaimer_has_the_standard_wording_and_the_risk_levels(zhang_review):
    last = _pages(render_pack(zhang_review, "en"))[-1]
    assert "Wealthmanagementproductsarenotdeposits;productscarryrisk;investwithcare." in last
    for level in (*ClientRiskLevel, *RiskLevel):
        assert "".join(level.label.split()) in last
    assert "Risklevels" in last and "Importantinformation" in last


def _png(path, size=(120, 40)):
    Image.new("RGB", size, "#1d4e89").save(path)
    return path


def test_check_logo_accepts_images_the_pack_draws(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _png(tmp_path / "logo.png")
    assert check_logo("logo.png") == str(tmp_path / "logo.png")
    Image.new("RGB", (50, 50), "white").save(tmp_path / "logo.jpg", "JPEG")
    assert check_logo(str(tmp_path / "logo.jpg")) == str(tmp_path / "logo.jpg")
    assert check_logo("") == ""


@pytest.mark.parametrize("content", [b"", b"not an image", b"\x89PNG\r\n\x1a\n" + b"\0" * 20])
def test_check_logo_refuses_what_it_cannot_draw(tmp_path, content):
    bad = tmp_path / "bad.png"
    bad.write_bytes(content)
    with pytest.raises(ValidationError) as caught:
        check_logo(str(bad))
    assert caught.value.field == "bank_logo" and caught.value.value == str(bad)
    assert "not an image" in caught.value.reason
    with pytest.raises(ValidationError, match="no such file"):
        check_logo(str(tmp_path / "nothing.png"))


def test_truncated_png_is_refused(tmp_path):
    good = _png(tmp_path / "good.png", (400, 300))
    cut = tmp_path / "cut.png"
    cut.write_bytes(good.read_bytes()[:60])
    with pytest.raises(ValidationError, match="not an image"):
        check_logo(str(cut))


def test_saving_a_logo_checks_it_once(book, tmp_path):
    """The app's settings go through `save_setting` too: a bad logo is refused there, and a
    stored logo is not checked again when the other settings are saved."""
    logo = _png(tmp_path / "logo.png")
    with pytest.raises(ValidationError, match="bank_logo"), book.session() as session:
        save_setting(session, "bank_logo", str(tmp_path / "nothing.png"), SETTING_CHECKS)
    with book.session() as session:
        assert save_setting(session, "bank_logo", str(logo), SETTING_CHECKS) == str(logo)
    logo.unlink()
    with book.session() as session:
        save_setting(session, "bank_logo", str(logo), SETTING_CHECKS)  # unchanged: saved as it was
        assert load_settings(session).bank_logo == str(logo)
    with pytest.raises(ValidationError, match="no such file"), book.session() as session:
        save_setting(session, "bank_logo", str(tmp_path / "other.png"), SETTING_CHECKS)
    with pytest.raises(LookupError, match="bank_logo"), book.session() as session:
        # A change without its check is refused, not saved unchecked.
        save_setting(session, "bank_logo", str(_png(tmp_path / "new.png")))
    with book.session() as session:
        assert load_settings(session).bank_logo == str(logo)
