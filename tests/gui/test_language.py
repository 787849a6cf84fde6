"""Switching the interface to Chinese at run time leaves no English message on screen."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reviewdesk.i18n import catalogue
from tests.gui.conftest import open_client
from tests.gui.visible_text import visible_texts


def _untranslated(widget) -> set[str]:
    """English messages on screen; the language chooser names each language in itself."""
    zh = catalogue("zh")
    english = {m for m, t in zh.items() if m != t}
    skip = ("interfaceLanguage",)
    return {t for t in visible_texts(widget, skip) if t in english}


def test_switching_to_chinese_translates_every_visible_string(qtbot, window, ctx):
    from reviewdesk.gui.settings_dialog import SettingsDialog

    first = window.model.rows[0].summary.name
    open_client(qtbot, window, first)
    assert _untranslated(window)  # in English, the English messages are on screen

    window.open_settings()
    dialog = window.findChild(SettingsDialog)
    qtbot.waitUntil(dialog.isEnabled, timeout=5000)
    dialog.language.setCurrentIndex(dialog.language.findData("zh"))
    assert window.file_menu.title() == "文件(&F)"

    tabs = window.workspace.tabs
    for n in range(tabs.count()):
        tabs.setCurrentIndex(n)
        qtbot.wait(10)
        assert _untranslated(window) == set(), tabs.tabText(n)
    assert _untranslated(dialog) == set()
    dialog.reject()

    window.search.clear()
    qtbot.keyClicks(window.search, window.model.rows[0].summary.sort_name[:1])  # pinyin too
    assert "显示" in window.count_label.text()
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)


def test_a_first_start_speaks_the_desktops_language_until_one_is_chosen(monkeypatch):
    """A Chinese desktop's first start was in English: until a language is chosen in
    Settings, the interface takes the desktop's (zh-CN, zh-TW, zh-Hans-CN: Chinese)."""
    from PySide6.QtCore import QLocale, QSettings

    from reviewdesk.gui import main
    from reviewdesk.i18n import current_language, set_language

    monkeypatch.delenv("REVIEWDESK_LANG", raising=False)
    monkeypatch.setattr(main.sys, "argv", ["reviewdesk"])
    QSettings().remove("ui/language")  # none chosen yet
    try:
        for desktop, expected in (
            (["zh-CN", "zh-Hans-CN", "zh"], "zh"),
            (["zh-TW"], "zh"),
            (["en-GB", "zh-CN"], "en"),
            (["fr-FR", "zh-Hans-CN"], "zh"),
            (["fr-FR", "de-DE"], "en"),  # none the app has: as before
        ):
            set_language("en")
            monkeypatch.setattr(QLocale, "system", staticmethod(lambda d=desktop: _Desktop(d)))
            main.choose_language()
            assert current_language() == expected, desktop
        # A language chosen in Settings wins over the desktop's.
        QSettings().setValue("ui/language", "en")
        monkeypatch.setattr(QLocale, "system", staticmethod(lambda: _Desktop(["zh-CN"])))
        main.choose_language()
        assert current_language() == "en"
    finally:
        QSettings().remove("ui/language")
        set_language("en")


class _Desktop:
    def __init__(self, languages):
        self.languages = languages

    def uiLanguages(self):  # noqa: N802 - Qt's name
        return self.languages
