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


def test_one_catalogue_per_language_in_the_gettext_format():
    from babel.messages.pofile import read_po

    from reviewdesk import paths

    folder = paths.resource("translations")
    assert sorted(p.name for p in folder.glob("*.po")) == ["zh.po"]
    with (folder / "zh.po").open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.locale_identifier == "zh_CN"
    assert catalog.num_plurals == 1
    assert not [m.id for m in catalog if m.id and m.fuzzy]


def test_plurals_follow_the_count():
    from reviewdesk.i18n import ngettext

    assert ngettext("{n} client", "{n} clients", 1, "en").format(n=1) == "1 client"
    assert ngettext("{n} client", "{n} clients", 2, "en").format(n=2) == "2 clients"
    assert ngettext("{n} client", "{n} clients", 1, "zh").format(n=1) == "共 1 位客户"


def test_a_context_tells_apart_one_word_said_two_ways():
    from reviewdesk.i18n import pgettext

    assert pgettext("insured", "Client", "zh") == "客户本人"
    assert translator("zh")("Client") == "客户"
    assert pgettext("section", "Holdings", "zh") == "持仓明细"
    assert translator("zh")("Holdings") == "持仓"
    # A context with no word of its own takes the general translation.
    assert pgettext("section", "Summary", "zh") == translator("zh")("Summary")


def test_babel_extraction_finds_what_the_app_translates(tmp_path):
    """`pybabel extract` with the shipped configuration sees the messages in f-strings,
    contexts and plurals, as the tests' own reading does."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    from reviewdesk import paths
    from reviewdesk.i18n import CONTEXT_SEPARATOR

    with paths.resource("translations", "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {"_": None, "N_": None, "tr": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
    found = set()
    for folder in (PACKAGE, paths.ui_dir()):
        for _file, _line, message, _comments, context in extract_from_dir(
            str(folder), method_map, options_map, keywords=keywords
        ):
            text = message[0] if isinstance(message, tuple) else message
            found.add(f"{context}{CONTEXT_SEPARATOR}{text}" if context else text)
    assert set(messages(PACKAGE)) <= found
    assert "interrupted" in found  # inside an f-string
    assert f"insured{CONTEXT_SEPARATOR}Client" in found
    assert "Review date" in found  # in a Designer form (ui/new_review_dialog.ui)


def test_the_designer_forms_strings_are_read_with_their_context(tmp_path):
    """A form's texts are messages, its disambiguation is the context, `notr` is left out."""
    from reviewdesk.i18n import CONTEXT_SEPARATOR
    from reviewdesk.i18n.extract import form_messages

    (tmp_path / "f.ui").write_text(
        '<ui version="4.0"><widget class="QDialog" name="d">'
        '<property name="windowTitle"><string>Title &amp; more</string></property>'
        '<property name="toolTip"><string comment="person">Name</string></property>'
        '<property name="displayFormat"><string notr="true">yyyy-MM-dd</string></property>'
        "</widget></ui>",
        encoding="utf-8",
    )
    assert set(form_messages(tmp_path)) == {"Title & more", f"person{CONTEXT_SEPARATOR}Name"}


def test_every_catalogue_entry_is_found_in_the_source():
    """A message the extraction cannot see would be dropped by the next `pybabel update`:
    every entry of the catalogue is marked where it is written."""
    zh = catalogue("zh")
    unseen = sorted(set(zh) - set(messages(PACKAGE)))
    assert unseen == []
