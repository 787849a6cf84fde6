"""Qt's own words (standard buttons, file and print dialogs) in the interface language.

Our messages come from ReviewDesk's catalogues; Qt's come from the `qtbase`
catalogue shipped in PySide6's translations folder, loaded with QTranslator.
Switching language removes the previous translator, so the switch is live.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LOCALES = {
    "zh": (QLocale.Language.Chinese, QLocale.Script.SimplifiedChineseScript, QLocale.Country.China),
    "en": (QLocale.Language.English, QLocale.Script.LatinScript, QLocale.Country.UnitedStates),
}
CATALOGUES = ("qtbase",)
_installed: list[QTranslator] = []


def apply_qt_language(lang: str) -> bool:
    """Load Qt's catalogues for `lang` ("zh" or "en"); True if they were found (or not needed)."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    locale = QLocale(*LOCALES.get(lang, LOCALES["en"]))
    QLocale.setDefault(locale)
    if lang == "en":
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    found = True
    for name in CATALOGUES:
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            found = False
    return found
