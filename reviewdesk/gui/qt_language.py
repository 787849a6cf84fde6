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
# Contexts Qt 6 renamed whose words its shipped catalogues still keep under the old name
# (the file dialog's "Folder", "File", "Drive"... under QFileDialog, as in Qt 5).
MOVED_CONTEXTS = {"QAbstractFileIconProvider": "QFileDialog"}
COLONS = ("：", ":")
_installed: list[QTranslator] = []


def with_accelerator(translated: str, key: str) -> str:
    """A translation given its keyboard accelerator the way Qt's Chinese catalogue writes
    it: "文件名称(&N)：" for "File &name:"."""
    colon = next((c for c in COLONS if translated.endswith(c)), "")
    text = translated[: len(translated) - len(colon)] if colon else translated
    return f"{text}(&{key.upper()}){colon}"


class CatalogueGaps(QTranslator):
    """Qt's words its catalogue for the language misses since Qt changed them: a text
    given an accelerator ("&Look in:", once "Look in:") and a renamed context are looked
    up as they were, in the catalogues loaded. Anything else is left to them."""

    def __init__(self, catalogues: list[QTranslator], parent=None):
        super().__init__(parent)
        self.catalogues = catalogues

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False

    def translate(  # None (a null QString): "not mine"
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if self._look_up(context, source, disambiguation, n):
            return None  # the catalogue has it
        if context in MOVED_CONTEXTS:
            return self._look_up(MOVED_CONTEXTS[context], source, disambiguation, n) or None
        at = source.find("&")
        if 0 <= at < len(source) - 1 and source[at + 1] != "&":
            plain = source[:at] + source[at + 1 :]
            found = self._look_up(context, plain, disambiguation, n)
            return with_accelerator(found, source[at + 1]) if found else None
        return None

    def _look_up(self, context: str, source: str, disambiguation: str | None, n: int) -> str:
        for catalogue in self.catalogues:
            found = catalogue.translate(context, source, disambiguation, n)
            if found:
                return found
        return ""


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
    if _installed:
        gaps = CatalogueGaps(list(_installed), app)
        app.installTranslator(gaps)  # asked first: it answers only where they have nothing
        _installed.append(gaps)
    return found
