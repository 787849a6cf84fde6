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
    qtbot.keyClicks(window.search, first[:1])
    assert "显示" in window.count_label.text()
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
