"""Settings: a form generated from the option registry, plus the interface language.

Book settings are shared by everyone using the book; the interface language
is this computer's choice (QSettings) and switches at once.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from reviewdesk.book.enums import Cadence
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.team import is_team_book
from reviewdesk.gui.common import FieldMessage, editor_as, field_cell, run_in_book, show_error
from reviewdesk.gui.forms import setup_form
from reviewdesk.gui.qt_language import apply_qt_language
from reviewdesk.i18n import LANGUAGES, _, current_language, set_language
from reviewdesk.pack.logo import SETTING_CHECKS
from reviewdesk.settings import OPTIONS, Option, load_settings, save_setting

LANGUAGE_NAMES = {"zh": "简体中文", "en": "English"}
TEAM_UNUSED = ("manager_name", "manager_phone")  # settings no team book's pack reads
PAPER = {"a4": "A4", "letter": "Letter"}


def choice_label(option: Option, value: str) -> str:
    if option.key.startswith("review_cadence"):
        return _(Cadence(value).label)
    if option.key == "paper_size":
        return PAPER.get(value, value)
    return value


class LogoField(QWidget):
    """The logo's path with a button beside it that picks the image file."""

    def __init__(self, line_edit: QLineEdit) -> None:
        super().__init__()
        self.line_edit = line_edit


class SettingsDialog(QDialog):
    language_changed = Signal()
    saved = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.editors: dict[str, QWidget] = {}
        self.messages: dict[str, FieldMessage] = {}
        self.labels: dict[str, QLabel] = {}

        self.ui = setup_form("settings_dialog", self)
        # The form holds the frame and the language; a row per option of the registry follows.
        form = self.ui.settingsForm
        self.language_label = self.ui.interfaceLanguageLabel
        self.language = self.ui.interfaceLanguage
        for lang in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[lang], lang)
        self.language.setCurrentIndex(self.language.findData(current_language()))
        self.language.currentIndexChanged.connect(self._switch_language)
        # A fixed amount's currency sits beside the amount, on the amount's row.
        currency_of = {o.currency_of: o for o in OPTIONS.values() if o.currency_of}
        for option in OPTIONS.values():
            if option.currency_of:
                continue
            editor = self._editor(option)
            editor.setObjectName(f"setting_{option.key}")
            shown: QWidget = editor
            paired = currency_of.get(option.key)
            if paired is not None:
                combo = self._editor(paired)
                combo.setObjectName(f"setting_{paired.key}")
                shown = QWidget()
                row = QHBoxLayout(shown)
                row.setContentsMargins(0, 0, 0, 0)
                row.addWidget(editor, 1)
                row.addWidget(combo)
                self.editors[paired.key] = combo
            cell, message = field_cell(shown)
            label = QLabel()
            label.setWordWrap(True)
            self.editors[option.key], self.messages[option.key] = editor, message
            self.labels[option.key] = label
            if paired is not None:
                self.messages[paired.key] = message  # one message under the row
            form.addRow(label, cell)
        self._combo("default_currency").currentIndexChanged.connect(
            lambda _i: self._name_base_currency()
        )
        self.buttons = self.ui.settingsButtons
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.retranslate()
        self.setEnabled(False)
        run_in_book(
            ctx,
            lambda s: (load_settings(s).as_dict(), is_team_book(s)),
            lambda read: self._show_values(*read),
            lambda exc: show_error(self, exc),
        )

    def _editor(self, option: Option) -> QWidget:
        if option.kind is bool:
            return QCheckBox()
        if option.choices:
            return QComboBox()
        if option.kind is int:
            spin = QSpinBox()
            spin.setRange(int(option.minimum or 0), int(option.maximum or 1_000_000))
            return spin
        if option.key == "bank_logo":
            edit = QLineEdit()
            host = LogoField(edit)
            row = QHBoxLayout(host)
            row.setContentsMargins(0, 0, 0, 0)
            edit.setObjectName("logoPath")
            self.logo_button = QPushButton()
            self.logo_button.clicked.connect(lambda: self._choose_logo(edit))
            row.addWidget(edit, 1)
            row.addWidget(self.logo_button)
            return host
        return QLineEdit()

    def _combo(self, key: str) -> QComboBox:
        """The editor of an option with choices (made a QComboBox by `_editor`)."""
        return editor_as(self.editors, key, QComboBox)

    def _name_base_currency(self) -> None:
        """The empty choice of a rule currency names the base currency it stands for."""
        base = self._combo("default_currency").currentData() or ""
        for option in OPTIONS.values():
            if option.currency_of:
                self._combo(option.key).setItemText(
                    0, _("Base currency ({code})").format(code=base)
                )

    def _choose_logo(self, edit: QLineEdit) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Bank logo (image file)"), "", _("Images (*.png *.jpg *.jpeg)")
        )
        if name:
            edit.setText(name)

    def retranslate(self) -> None:
        self.ui.retranslateUi(self)
        for option in OPTIONS.values():
            editor = self.editors[option.key]
            if option.currency_of:
                editor.setToolTip(_(option.label))
            else:
                self.labels[option.key].setText(_(option.label))
            if isinstance(editor, QComboBox):
                keep = editor.currentData()
                editor.blockSignals(True)
                editor.clear()
                for value in option.choices:
                    editor.addItem(choice_label(option, value), value)
                editor.setCurrentIndex(max(editor.findData(keep), 0))
                editor.blockSignals(False)
        self._name_base_currency()
        if hasattr(self, "logo_button"):
            self.logo_button.setText(_("Choose…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _show_values(self, values: dict[str, Any], team: bool = False) -> None:
        for key, value in values.items():
            editor = self.editors[key]
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(editor.findData(value), 0))
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(value))
            elif isinstance(editor, LogoField):
                editor.line_edit.setText(str(value))
            elif isinstance(editor, QLineEdit):
                editor.setText(OPTIONS[key].shown(value))
        self.setEnabled(True)
        if team:
            # A team book's pack names each client's own manager (`review.build.preparer`):
            # the book's manager and telephone would reach no cover.
            for key in TEAM_UNUSED:
                self.editors[key].setEnabled(False)
                self.editors[key].setToolTip(
                    _(
                        "On a team book each client's pack names the client's own manager: "
                        "the admin keeps each person's name and telephone "
                        "(reviewdesk team set-contact)."
                    )
                )

    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                result[key] = editor.isChecked()
            elif isinstance(editor, QComboBox):
                result[key] = editor.currentData()
            elif isinstance(editor, QSpinBox):
                result[key] = editor.value()
            elif isinstance(editor, LogoField):
                result[key] = editor.line_edit.text()
            elif isinstance(editor, QLineEdit):
                text = editor.text().strip()
                # A share's field is in percent: "15" typed there is 15% (a text that is no
                # number is left as typed, for the refusal to quote).
                if OPTIONS[key].percent and _a_number(text):
                    text += "%"
                result[key] = text
        return result

    def _switch_language(self) -> None:
        lang = self.language.currentData()
        set_language(lang)
        apply_qt_language(lang)
        QSettings().setValue("ui/language", lang)
        self.retranslate()
        self.language_changed.emit()

    def save(self) -> None:
        values = self.values()
        for message in self.messages.values():
            message.clear_message()

        def work(session):
            for key, value in values.items():
                save_setting(session, key, value, SETTING_CHECKS)

        def failed(exc):
            if isinstance(exc, ValidationError) and exc.field in self.messages:
                self.messages[exc.field].show_message(
                    _("“{value}”: {reason}").format(value=exc.value, reason=exc.reason_in())
                )
            else:
                show_error(self, exc)

        def done(_r):
            self.saved.emit()
            self.accept()

        run_in_book(self.ctx, work, done, failed)


def _a_number(text: str) -> bool:
    """Whether `text` is a plain number, as a share's field takes it in percent."""
    try:
        return Decimal(text.replace(",", "")).is_finite()
    except InvalidOperation:
        return False
