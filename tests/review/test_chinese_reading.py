"""What a client reads in Chinese, read across a whole demo book (an audit of the Chinese
packs and present mode): each test names the sentence that was found."""

import dataclasses
import enum
import re

import pytest

from reviewdesk.i18n import join_sentences, translator, with_ratio
from tests.conftest import AS_OF
from tests.review.book_packs import book_packs


def test_sentences_run_together_after_a_chinese_full_stop():
    """Found under every Chinese holdings table: "变动：与 2025年9月30日 的回顾相比。 各金额按
    CNY 的最小货币单位四舍五入": an English space after "。"."""
    assert join_sentences("变动：与上次回顾相比。", "各金额按 CNY 取整。") == (
        "变动：与上次回顾相比。各金额按 CNY 取整。"
    )
    assert join_sentences("Change: since the last review.", "", "Rounded.") == (
        "Change: since the last review. Rounded."
    )
    # A Chinese sentence ending on a name keeps the space before the next one.
    assert join_sentences("基准：70% 演示股票指数", "收益率。") == "基准：70% 演示股票指数 收益率。"


def test_an_amount_with_its_ratio_takes_the_brackets_of_the_language():
    """Found: "自2022年3月31日以来，金融资产变动 -4,814,964.09 (-30.9%)：…" in the pack and
    "+2.37万 (+0.7%)" in present mode: English brackets in a Chinese sentence."""
    assert with_ratio("-4,814,964.09", "-30.9%", "zh") == "-4,814,964.09（-30.9%）"
    assert with_ratio("-4,814,964.09", "-30.9%", "en") == "-4,814,964.09 (-30.9%)"


def test_a_loan_no_longer_in_the_review_is_not_said_held(demo_book):
    """Found: a mortgage paid off since the last review read "住房按揭贷款 … 已不再持有"
    ("no longer held") under "贷款（负债）"."""
    from reviewdesk.book.models import AssetClass, Client
    from reviewdesk.review.build import build_review
    from reviewdesk.review.model import HoldingStatus
    from reviewdesk.settings import load_settings

    with demo_book.session() as session:
        client = session.query(Client).filter(Client.snapshots.any()).first()
        review = build_review(session, client.id, settings=load_settings(session), today=AS_OF)
    holding = next(h for h in review.holdings if not h.is_liability)
    loan = dataclasses.replace(holding, asset_class=AssetClass.LOAN, status=HoldingStatus.GONE)
    gone = dataclasses.replace(holding, status=HoldingStatus.GONE)
    zh = translator("zh")
    assert zh(loan.gone_line) == "已无此项负债"
    assert zh(gone.gone_line) == "已不再持有"
    assert translator("en")(loan.gone_line) == "No longer owed"


def _data_strings(value, found: set[str], seen: set[int]) -> None:
    """Every string the review holds (names, products, institutions, notes, benchmarks):
    the client's data, printed as recorded, never a sentence of the pack's own."""
    if isinstance(value, enum.Enum) or id(value) in seen:
        return
    if isinstance(value, str):
        found.add(value)
        return
    seen.add(id(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _data_strings(getattr(value, f.name), found, seen)
    elif isinstance(value, dict):
        for k, v in value.items():
            _data_strings(k, found, seen)
            _data_strings(v, found, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            _data_strings(v, found, seen)


@pytest.fixture(scope="module")
def chinese_packs(demo_book_path, tmp_path_factory):
    """Every client's pack of the tests' demo book, in Chinese, as text with the client's
    own data (names, products, notes) taken out: what is left is the pack's own words."""
    texts = {}
    packs = book_packs(demo_book_path, tmp_path_factory.mktemp("chinese"), "zh")
    for code, (review, text) in packs.items():
        data: set[str] = set()
        _data_strings(review, data, set())
        texts[code] = (text, data)
    return texts


# Latin text a Chinese pack prints of its own: currency codes, risk levels, the method's name.
ALLOWED_LATIN = re.compile(r"\b(?:[A-Z]{3}|[RC][1-5]|Dietz)\b")


def _own_words(text: str, data: set[str]) -> str:
    """The pack's text without the reference number and the client's data; a string of the
    review that is a message of the catalogue ("This bank", "Cash") is the pack's own
    word, to be translated, and stays."""
    from reviewdesk.i18n import catalogue

    messages = set(catalogue("zh"))
    text = " ".join(text.split())
    text = re.sub(r"[A-Z0-9]+-\d{8}-[A-Z0-9]+", " ", text)  # the reference
    for item in sorted(data - messages, key=len, reverse=True):
        if len(item) > 1:
            text = text.replace(item, " ")
    return ALLOWED_LATIN.sub(" ", text)


def test_the_chinese_packs_of_a_book_read_as_chinese(chinese_packs):
    """Every pack of the tests' demo book in Chinese: no English word of the pack's own, no
    English space after a full stop, no English brackets around a figure, one word for the
    risk assessment."""
    assert len(chinese_packs) > 10
    for code, (text, data) in chinese_packs.items():
        own = _own_words(text, data)
        english = re.findall(r"[A-Za-z]{2,}", own)
        assert english == [], (code, english)
        assert not re.search(r"[。；：] [\u4e00-\u9fff]", text), code
        flat = " ".join(text.split())
        assert not re.search(r" \([+-]?[\d.,]+%\)", flat), code
        assert "风险测评" not in flat, code
