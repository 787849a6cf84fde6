"""Every Designer form in ui/ loads, offscreen, with its named widgets of the expected types."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCommandLinkButton,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QWidget,
)

from reviewdesk import paths
from reviewdesk.book.fields import FIELD_LABELS
from reviewdesk.gui import forms
from reviewdesk.gui.common import FieldMessage
from reviewdesk.gui.exchange_dialogs import ImportProgress
from reviewdesk.i18n import set_language

# form -> {object name: type}; what the dialogs' Python reaches for by name.
EXPECTED: dict[str, dict[str, type]] = {
    "new_review_dialog": {
        "newReviewDialog": QDialog,
        "newReviewDate": QDateEdit,
        "newReviewButtons": QDialogButtonBox,
    },
    "new_passphrase_dialog": {
        "newPassphraseDialog": QDialog,
        "passphraseIntro": QLabel,
        "passphraseCurrent": QLineEdit,
        "passphraseFirst": QLineEdit,
        "passphraseSecond": QLineEdit,
        "passphraseReason": QLabel,
        "passphraseButtons": QDialogButtonBox,
    },
    "first_start_dialog": {
        "firstStartDialog": QDialog,
        "firstStartHeading": QLabel,
        "startEmptyBook": QCommandLinkButton,
        "tryDemo": QCommandLinkButton,
        "openBookFile": QPushButton,
        "firstStartQuit": QPushButton,
    },
    "contact_dialog": {
        "contactDialog": QDialog,
        "contactHeading": QLabel,
        "channel": QComboBox,
        "contactDate": QDateEdit,
        "summary": QPlainTextEdit,
        "shareNote": QCheckBox,
        "nextStep": QLineEdit,
        "shareNextStep": QCheckBox,
        "hasDue": QCheckBox,
        "nextStepDue": QDateEdit,
        "nextStepDone": QCheckBox,
        "nextStepDoneOn": QDateEdit,
        "feedback": QPlainTextEdit,
        "feedbackTopic": QComboBox,
        "contactMessage": QLabel,
        "contactButtons": QDialogButtonBox,
    },
    "import_dialog": {
        "importDialog": QDialog,
        "importIntro": QLabel,
        "importFiles": QLabel,
        "checkOnly": QCheckBox,
        "progressRow": ImportProgress,
        "headline": QLabel,
        "problemsTable": QTableView,
        "moreProblems": QLabel,
        "summaryList": QListWidget,
        "warningsList": QListWidget,
        "importButtons": QDialogButtonBox,
    },
    "settings_dialog": {
        "settingsDialog": QDialog,
        "settingsScroll": QScrollArea,
        "interfaceLanguage": QComboBox,
        "settingsButtons": QDialogButtonBox,
    },
    "profile_tab": {
        "profileTab": QWidget,
        "profileBox": QGroupBox,
        "saveProfile": QPushButton,
        "revertProfile": QPushButton,
        "familyBox": QGroupBox,
        "familyTable": QTableView,
        "familyMessage": FieldMessage,
        "addMember": QPushButton,
        "removeMember": QPushButton,
    },
    "team_book_dialog": {
        "teamBookDialog": QDialog,
        "teamBookIntro": QLabel,
        "teamHost": QLineEdit,
        "teamPort": QSpinBox,
        "teamDatabase": QLineEdit,
        "teamUser": QLineEdit,
        "teamPassword": QLineEdit,
        "teamKeepPassword": QCheckBox,
        "teamVerify": QCheckBox,
        "teamRootCert": QLineEdit,
        "teamRootCertBrowse": QPushButton,
        "teamBookProblem": QLabel,
        "teamBookButtons": QDialogButtonBox,
    },
}
HOSTS = {"profile_tab": QWidget}


def test_every_form_is_expected_and_every_expected_form_is_there():
    assert forms.available_forms() == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_form_loads_with_its_named_widgets(qtbot, name):
    host = HOSTS.get(name, QDialog)()
    qtbot.addWidget(host)
    ui = forms.setup_form(name, host)
    for object_name, kind in EXPECTED[name].items():
        found = host if host.objectName() == object_name else host.findChild(QWidget, object_name)
        assert isinstance(found, kind), (name, object_name, type(found))
        if found is not host:
            assert getattr(ui, object_name) is found


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_input_of_a_form_has_an_accessible_name(qtbot, name):
    host = HOSTS.get(name, QDialog)()
    qtbot.addWidget(host)
    forms.setup_form(name, host)
    inputs = (QLineEdit, QComboBox, QDateEdit, QPlainTextEdit, QTableView)
    unnamed = [
        w.objectName()
        for w in host.findChildren(QWidget)
        if isinstance(w, inputs)
        and not w.objectName().startswith("qt_")  # Qt's own parts
        and not w.accessibleName()
    ]
    assert unnamed == []


def test_object_names_are_unique_within_each_form():
    for path in paths.ui_dir().glob("*.ui"):
        names = [n.get("name") for n in ET.parse(path).iter() if n.tag in ("widget", "layout")]
        assert len(names) == len(set(names)), path.name


def test_a_form_speaks_the_interface_language_and_switches_live(qtbot, english_after):
    host = QDialog()
    qtbot.addWidget(host)
    set_language("zh")
    ui = forms.setup_form("new_review_dialog", host)
    assert ui.newReviewDateLabel.text() == "回顾日期"
    assert ui.newReviewDate.accessibleName() == "回顾日期"
    set_language("en")
    ui.retranslateUi(host)
    assert ui.newReviewDateLabel.text() == "Review date"
    assert host.windowTitle() == "New review from last snapshot"


def test_the_contact_labels_name_the_fields_as_the_refusals_do(qtbot, english_after):
    """A refusal names the field by FIELD_LABELS; the form's labels say the same words."""
    set_language("zh")
    host = QDialog()
    qtbot.addWidget(host)
    ui = forms.setup_form("contact_dialog", host)
    from reviewdesk.i18n import _

    for label, field in (
        (ui.channelLabel, "channel"),
        (ui.contactDateLabel, "contact_date"),
        (ui.summaryLabel, "summary"),
        (ui.nextStepLabel, "next_step"),
        (ui.nextStepDueLabel, "next_step_due"),
        (ui.nextStepDoneLabel, "next_step_done"),
        (ui.feedbackLabel, "feedback"),
        (ui.feedbackTopicLabel, "feedback_topic"),
        (ui.shareNote, "shared"),
        (ui.shareNextStep, "next_step_shared"),
    ):
        assert label.text() == _(FIELD_LABELS[field]), field
    assert ui.summary.tabChangesFocus() and ui.feedback.tabChangesFocus()


def test_a_compiled_form_is_used_when_current_and_a_broken_form_says_which(tmp_path, monkeypatch):
    (tmp_path / "f.ui").write_text("<ui version='4.0'><widget class='QDialog' name='d'>")
    monkeypatch.setattr(paths, "ui_dir", lambda: tmp_path)
    forms.form_class.cache_clear()
    try:
        with pytest.raises(RuntimeError, match=r"form f\.ui: uic failed"):
            forms.form_class("f")
        # A current compiled module beside the form is read instead of compiling.
        (tmp_path / "f_ui.py").write_text("class Ui_F:\n    marker = tr('Save')\n")
        assert forms.form_class("f").marker == "Save"
        with pytest.raises(FileNotFoundError, match="form 'missing'"):
            forms.form_class("missing")
    finally:
        forms.form_class.cache_clear()
