"""The settings form is generated from the option registry and obeys its rules."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox

from reviewdesk.settings import OPTIONS, load_settings
from tests.gui.conftest import book_dump


def _dialog(qtbot, window):
    from reviewdesk.gui.settings_dialog import SettingsDialog

    window.open_settings()
    dialog = window.findChild(SettingsDialog)
    qtbot.waitUntil(dialog.isEnabled, timeout=5000)
    return dialog


def test_every_option_has_a_widget_of_its_type(qtbot, window):
    dialog = _dialog(qtbot, window)
    assert set(dialog.editors) == set(OPTIONS)
    assert isinstance(dialog.editors["life_cover_includes_debt"], QCheckBox)
    assert isinstance(dialog.editors["paper_size"], QComboBox)
    assert isinstance(dialog.editors["assessment_validity_months"], QSpinBox)
    assert isinstance(dialog.editors["bank_name"], QLineEdit)
    dialog.reject()


def test_saving_writes_the_book_and_a_bad_value_is_refused_at_its_field(qtbot, window, ctx):
    dialog = _dialog(qtbot, window)
    before = book_dump(ctx.book)
    dialog.editors["bank_name"].setText("招商银行 上海分行")
    dialog.editors["premium_income_share"].setText("lots")
    dialog.save()
    message = dialog.messages["premium_income_share"]
    qtbot.waitUntil(message.isVisible, timeout=5000)
    assert "lots" in message.text()
    assert book_dump(ctx.book) == before

    # A share's field is in percent: it shows 10%, and 8 typed there is 8%.
    assert dialog.editors["key_client_share"].text() == "80%"
    dialog.editors["premium_income_share"].setText("8")
    dialog.editors["growth_threshold"].setText("12.5%")
    dialog.editors["assessment_validity_months"].setValue(18)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    with ctx.book.session() as s:
        stored = load_settings(s)
    assert stored.bank_name == "招商银行 上海分行"
    assert stored.premium_income_share == Decimal("0.08")
    assert stored.growth_threshold == Decimal("0.125")
    assert stored.assessment_validity_months == 18


def test_the_interface_language_is_remembered(qtbot, window):
    dialog = _dialog(qtbot, window)
    dialog.language.setCurrentIndex(dialog.language.findData("zh"))
    assert QSettings().value("ui/language") == "zh"
    assert window.windowTitle() == "客户回顾台"
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert window.windowTitle() == "ReviewDesk"
    dialog.reject()
