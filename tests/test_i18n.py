from pathlib import Path

import pytest

from reviewdesk.i18n import catalogue, translate, translator
from reviewdesk.i18n.extract import messages

PACKAGE = Path(__file__).resolve().parents[1] / "reviewdesk"


def test_every_marked_message_has_a_chinese_translation():
    zh = catalogue("zh")
    missing = {m: where for m, where in messages(PACKAGE).items() if m not in zh}
    assert missing == {}


def test_placeholders_survive_translation():
    zh = catalogue("zh")
    import string
    fields = lambda s: sorted(f for _, f, _, _ in string.Formatter().parse(s) if f)  # noqa: E731
    bad = [m for m, t in zh.items() if fields(m) != fields(t)]
    assert bad == []


def test_translator_is_bound_to_its_language():
    assert translator("zh")("Fund") == "基金"
    assert translator("en")("Fund") == "Fund"
    assert translate("Fund", "zh") == "基金"
    with pytest.raises(ValueError, match="language"):
        translator("fr")



def test_the_review_page_new_holding_is_xinzeng():
    """The audit table's "New" (value) once overrode the review page's "新增" with "新值"."""
    assert translator("zh")("New") == "新增"
    assert translator("zh")("New value") == "新值"
