"""Qt's own buttons and dialogs follow the interface language."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QPushButton

from reviewdesk.gui.qt_language import apply_qt_language


def _texts(widget) -> set[str]:
    return {
        w.text() for kind in (QPushButton, QLabel) for w in widget.findChildren(kind) if w.text()
    }


def test_standard_buttons_and_the_file_dialog_are_chinese_in_the_chinese_interface(qtbot):
    assert apply_qt_language("zh")
    box = QMessageBox()
    qtbot.addWidget(box)
    box.setStandardButtons(
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel
    )
    yes = box.button(QMessageBox.StandardButton.Yes).text()
    cancel = box.button(QMessageBox.StandardButton.Cancel).text()
    assert "是" in yes and "取消" in cancel

    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    texts = " ".join(_texts(dialog))
    assert "文件名" in texts or "查看" in texts, texts
    buttons = dialog.findChild(QDialogButtonBox)
    assert any("取消" in b.text() for b in buttons.buttons())

    apply_qt_language("en")
    again = QMessageBox()
    qtbot.addWidget(again)
    again.setStandardButtons(QMessageBox.StandardButton.Cancel)
    assert again.button(QMessageBox.StandardButton.Cancel).text().replace("&", "") == "Cancel"


def test_switching_language_in_settings_switches_qt_too(qtbot, window):
    from reviewdesk.gui.settings_dialog import SettingsDialog

    window.open_settings()
    dialog = window.findChild(SettingsDialog)
    qtbot.waitUntil(dialog.isEnabled, timeout=5000)
    dialog.language.setCurrentIndex(dialog.language.findData("zh"))
    box = QMessageBox()
    qtbot.addWidget(box)
    box.setStandardButtons(QMessageBox.StandardButton.Cancel)
    assert "取消" in box.button(QMessageBox.StandardButton.Cancel).text()
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    box.setStandardButtons(QMessageBox.StandardButton.Cancel)
    assert box.button(QMessageBox.StandardButton.Cancel).text().replace("&", "") == "Cancel"
    dialog.reject()


def test_the_file_dialog_has_no_english_left_in_the_chinese_interface(qtbot, tmp_path):
    """Qt 6 gave some file-dialog words an accelerator ("&Look in:") or a new context
    ("Folder"), and its Chinese catalogue kept only the old ones: they are found anyway."""
    from PySide6.QtCore import QCoreApplication

    (tmp_path / "a folder").mkdir()
    assert apply_qt_language("zh")
    try:
        dialog = QFileDialog(None, "", str(tmp_path))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(dialog)
        labels = sorted(label.text() for label in dialog.findChildren(QLabel) if label.text())
        assert labels == ["文件名称(&N)：", "文件类型(&T)：", "查找范围(&L)："]
        kind = QCoreApplication.translate("QAbstractFileIconProvider", "Folder")
        assert kind == "文件夹"
        # What the catalogue has itself is untouched, and what nobody has stays as it is.
        assert QCoreApplication.translate("QFileDialog", "&Open") == "打开(&O)"
        assert QCoreApplication.translate("NoSuchContext", "&Nothing") == "&Nothing"
    finally:
        apply_qt_language("en")
    english = QFileDialog(None, "", str(tmp_path))
    english.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(english)
    assert "&Look in:" in {label.text() for label in english.findChildren(QLabel)}
