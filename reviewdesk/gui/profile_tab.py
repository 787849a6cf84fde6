"""Profile and family: every field of the client and the family members."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from reviewdesk.book.editing import add_record, check_value
from reviewdesk.book.enums import Cadence, LabelledEnum, Language, MaritalStatus, Relation, Tier
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Client, FamilyMember
from reviewdesk.gui.common import FieldMessage, editor_as, field_cell, show_error
from reviewdesk.gui.forms import setup_form
from reviewdesk.gui.labels import field_label, refusal
from reviewdesk.gui.tables import (
    REPORT_CURRENCY,
    Column,
    RecordDelegate,
    RecordTableModel,
    parse_text,
    plain_amount,
)
from reviewdesk.gui.undo import AddRecord, CellEdit, EditHistory, RemoveRecord, edit_fields
from reviewdesk.i18n import N_, _, ngettext
from reviewdesk.money import CURRENCIES
from reviewdesk.privacy import mask_number, switched_off

# (field, kind, enum); kinds as in tables.Column
PROFILE_FIELDS: list[tuple[str, str, type[LabelledEnum] | None]] = [
    ("name", "text", None),
    ("code", "text", None),
    ("phone", "text", None),
    ("email", "text", None),
    ("id_number", "masked", None),
    ("address", "text", None),
    ("birthday", "date", None),
    ("occupation", "text", None),
    ("employer", "text", None),
    ("hobbies", "text", None),
    ("annual_income", "amount", None),
    ("income_currency", "income_currency", None),
    ("marital_status", "enum", MaritalStatus),
    ("tier", "enum", Tier),
    ("review_cadence", "enum", Cadence),
    ("contact_cadence_days", "int", None),
    ("report_currency", "currency", None),
    ("language", "enum", Language),
    ("tags", "tags", None),
    ("contact_preferences", "text", None),
    ("special_notes", "long", None),
]
REQUIRED_ENUMS = {"tier", "language"}
FAMILY_COLUMNS = [
    Column("name"),
    Column("relation", "enum", Relation),
    Column("birthday", "date"),
    Column("school_or_employer"),
    Column("annual_income", "amount"),
    Column("income_currency", "income_currency"),
]
NOT_SET = N_("(not set)")
FOLLOW_TIER = N_("(follow the tier)")


def _vocabulary(field: str, enum: type[LabelledEnum] | None) -> type[LabelledEnum]:
    """The enum of a profile field of kind "enum"."""
    if enum is None:
        raise TypeError(f"the profile field {field} names no enum")
    return enum


class ProfileTab(QWidget):
    changed = Signal()  # something of the client was saved: lists may show it

    def __init__(self, ctx, parent=None, history: EditHistory | None = None):
        super().__init__(parent)
        self.ctx = ctx
        # The client workspace's one history of edits (a tab on its own keeps its own).
        self.history = history if history is not None else EditHistory(ctx, self)
        self.client: Client | None = None
        self.editors: dict[str, QWidget] = {}
        self.messages: dict[str, FieldMessage] = {}
        self.labels: dict[str, QLabel] = {}
        self.cells: dict[str, QWidget] = {}  # an editor with its message, hidden together
        self.hidden: set[str] = set()

        self.ui = setup_form("profile_tab", self)
        # The form holds the frame; a row per profile field follows, in two columns.
        forms = [self.ui.profileFormLeft, self.ui.profileFormRight]
        for n, (field, kind, enum) in enumerate(PROFILE_FIELDS):
            editor = self._make_editor(field, kind, enum)
            editor.setObjectName(f"profile_{field}")
            cell, message = field_cell(editor)
            message.setObjectName(f"message_{field}")
            label = QLabel()
            label.setBuddy(editor)  # the field's name, for a screen reader and a mnemonic
            self.editors[field], self.messages[field], self.labels[field] = editor, message, label
            self.cells[field] = cell
            forms[0 if n < 12 else 1].addRow(label, cell)

        self.profile_box = self.ui.profileBox
        self.save_button = self.ui.saveProfile
        self.save_button.clicked.connect(self.save)
        self.revert_button = self.ui.revertProfile
        self.revert_button.clicked.connect(lambda: self.show_client(self.client))

        self.family_box = self.ui.familyBox
        self.family = RecordTableModel(FamilyMember, "Family member", FAMILY_COLUMNS, self)
        self.family.edit_requested.connect(self._save_member_field)
        self.family_message = self.ui.familyMessage
        self.family.refused.connect(lambda field, text: self.family_message.show_message(text))
        self.family_view = self.ui.familyTable
        self.family_view.setModel(self.family)
        self.family_view.setItemDelegate(RecordDelegate(FAMILY_COLUMNS, self.family_view))
        self.family_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_member_button = self.ui.addMember
        self.add_member_button.clicked.connect(self.add_member)
        self.remove_member_button = self.ui.removeMember
        self.remove_member_button.clicked.connect(self.remove_member)
        self.retranslate()

    def _make_editor(self, field: str, kind: str, enum: type[LabelledEnum] | None) -> QWidget:
        if kind == "enum":
            return QComboBox()
        if kind == "currency":
            combo = QComboBox()
            combo.addItems(CURRENCIES)
            return combo
        if kind == "income_currency":
            combo = QComboBox()
            combo.addItem(_(REPORT_CURRENCY), "")
            for code in CURRENCIES:
                combo.addItem(code, code)
            return combo
        if kind == "long":
            text = QPlainTextEdit()
            text.setFixedHeight(70)
            text.setTabChangesFocus(True)  # Tab goes on to the next field
            return text
        editor = QLineEdit()
        if kind == "date":
            editor.setPlaceholderText("YYYY-MM-DD")
        return editor

    def _combo(self, field: str) -> QComboBox:
        return editor_as(self.editors, field, QComboBox)

    def _line(self, field: str) -> QLineEdit:
        return editor_as(self.editors, field, QLineEdit)

    def _fill_enum_combo(self, field: str, enum: type[LabelledEnum]) -> None:
        combo = self._combo(field)
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        if field not in REQUIRED_ENUMS:
            combo.addItem(_(FOLLOW_TIER if field == "review_cadence" else NOT_SET), "")
        for member in enum:
            combo.addItem(_(member.label), member.value)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def retranslate(self) -> None:
        self.ui.retranslateUi(self)
        for field, kind, enum in PROFILE_FIELDS:
            self.labels[field].setText(field_label(field))
            if kind == "enum":
                self._fill_enum_combo(field, _vocabulary(field, enum))
            elif kind == "income_currency":
                self._combo(field).setItemText(0, _(REPORT_CURRENCY))
        self._line("tags").setPlaceholderText(_("comma-separated"))
        # A blank income is not an income of 0: the review works out no income-based need
        # and does not judge the premiums until the client's is recorded (0: none).
        self._line("annual_income").setPlaceholderText(_("blank: not recorded; 0: no income"))
        self.family_view.setAccessibleName(_("Family"))
        self.family.retranslate()

    # showing
    def set_collected(self, settings) -> None:
        """Fields the bank's settings say are not collected are neither shown nor saved."""
        self.hidden = {field for record, field in switched_off(settings) if record == "Client"}
        for field, _kind, _enum in PROFILE_FIELDS:
            visible = field not in self.hidden
            self.labels[field].setVisible(visible)
            self.cells[field].setVisible(visible)
        hidden_family = {f for r, f in switched_off(settings) if r == "FamilyMember"}
        for n, column in enumerate(FAMILY_COLUMNS):
            self.family_view.setColumnHidden(n, column.field in hidden_family)

    def show_client(self, client: Client | None) -> None:
        self.client = client
        for message in self.messages.values():
            message.clear_message()
        self.family_message.clear_message()
        self.setEnabled(client is not None)
        if client is None:
            self.family.set_rows([])
            return
        for field, kind, _enum in PROFILE_FIELDS:
            if kind == "tags":
                self._line(field).setText(", ".join(client.tag_names))
                continue
            value = getattr(client, field)
            if kind in ("enum", "currency", "income_currency"):
                combo = self._combo(field)
                key = "" if value is None else str(value)
                combo.setCurrentIndex(
                    max(combo.findText(key) if kind == "currency" else combo.findData(key), 0)
                )
            elif kind == "long":
                editor_as(self.editors, field, QPlainTextEdit).setPlainText(value or "")
            elif kind == "amount" and value is not None:
                self._line(field).setText(plain_amount(value))
            elif kind == "masked":
                # typing a new number replaces it
                self._line(field).setText(mask_number(value))
            else:
                self._line(field).setText(
                    ""
                    if value is None
                    else (value.isoformat() if hasattr(value, "isoformat") else str(value))
                )
        self.family.set_rows(
            [
                {
                    "id": m.id,
                    "name": m.name,
                    "relation": m.relation,
                    "birthday": m.birthday,
                    "school_or_employer": m.school_or_employer,
                    "annual_income": m.annual_income,
                    "income_currency": m.income_currency,
                }
                for m in client.family
            ]
        )

    def _value(self, field: str, kind: str, enum: type[LabelledEnum] | None) -> Any:
        """One field's value, typed; raises the book's ValidationError for unreadable text."""
        if kind == "enum":
            data = self._combo(field).currentData()
            return _vocabulary(field, enum)(data) if data else None
        if kind == "currency":
            return self._combo(field).currentText()
        if kind == "income_currency":
            return self._combo(field).currentData() or None
        if kind == "long":
            text = editor_as(self.editors, field, QPlainTextEdit).toPlainText()
            return text.strip() or None
        if kind == "tags":
            text = self._line(field).text()
            return [t.strip() for t in text.replace("，", ",").split(",")]
        return parse_text("Client", Column(field, kind), self._line(field).text())

    def checked_values(self) -> tuple[dict[str, Any], dict[str, ValidationError]]:
        """The form's values as the book would store them, and every field it would refuse
        (all of them, not only the first)."""
        result: dict[str, Any] = {}
        errors: dict[str, ValidationError] = {}
        for field, kind, enum in PROFILE_FIELDS:
            if field in self.hidden:
                continue
            if kind == "masked":
                original = getattr(self.client, field) if self.client is not None else None
                if self._line(field).text() == mask_number(original):
                    continue  # unchanged: the number itself is not in the form
            try:
                value = self._value(field, kind, enum)
                if kind != "tags":
                    value = check_value(Client, field, value)
            except ValidationError as exc:
                errors[field] = exc
                continue
            result[field] = value
        return result, errors

    def values(self) -> dict[str, Any]:
        """The form's values, typed; raises the book's ValidationError of the first field it
        would refuse."""
        result, errors = self.checked_values()
        if errors:
            raise next(iter(errors.values()))
        return result

    def _stored(self, field: str) -> Any:
        if self.client is None:
            return None
        if field == "tags":
            return list(self.client.tag_names)
        return getattr(self.client, field)

    def save(self) -> None:
        if self.client is None:
            return
        for message in self.messages.values():
            message.clear_message()
        values, errors = self.checked_values()
        if errors:
            for exc in errors.values():
                self._refused(exc, focus=False)
            first = next(f for f, _k, _e in PROFILE_FIELDS if f in errors)
            self.editors[first].setFocus()
            return
        changed = {f: v for f, v in values.items() if v != self._stored(f)}
        if not changed:
            return
        old = {field: self._stored(field) for field in changed}
        self.history.push(
            edit_fields(
                self.history,
                Client,
                self.client.id,
                old,
                changed,
                _("Save the profile"),
                lambda _undone: self.changed.emit(),
                lambda exc, _undone: self._failed(exc),
            )
        )

    def _refused(self, exc: ValidationError, focus: bool = True) -> None:
        target = self.messages.get(exc.field)
        if target is None:
            target = self.messages["name"]
        target.show_message(refusal(exc))
        editor = self.editors.get(exc.field)
        if editor is not None and focus:
            editor.setFocus()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self._refused(exc)
        else:
            show_error(self, exc)

    # family
    def _save_member_field(self, member_id: int, field: str, old, new) -> None:
        self.family_message.clear_message()
        self.history.push(
            CellEdit(
                self.history,
                self.family,
                member_id,
                field,
                old,
                new,
                lambda _undone: self.changed.emit(),
                self._family_failed,
            )
        )

    def _family_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.family_message.show_message(refusal(exc))
        else:
            show_error(self, exc)

    def _family_command(self, command) -> None:
        self.family_message.clear_message()
        command.done = lambda _undone: self.changed.emit()
        command.on_failure = lambda exc, _undone: self._family_failed(exc)
        self.history.push(command)

    def add_member(self) -> None:
        if self.client is None:
            return
        values = {"client_id": self.client.id, "name": _("New member"), "relation": Relation.OTHER}
        self._family_command(
            AddRecord(
                self.history,
                FamilyMember,
                lambda s: add_record(s, FamilyMember, values),
                _("Add member"),
            )
        )

    def remove_member(self) -> None:
        index = self.family_view.currentIndex()
        if not index.isValid():
            return
        row = self.family.rows[index.row()]
        # A member a policy names is not removed (the book refuses it too): the policy would
        # then name no one, which reads as the client's own cover.
        policies = sum(
            1
            for p in (self.client.policies if self.client is not None else [])
            if p.insured_member_id == row["id"]
        )
        if policies:
            QMessageBox.information(
                self,
                _("Remove member"),
                ngettext(
                    "{name} is the insured person of {count} policy on record, so cannot be "
                    "removed from the family. Remove that policy in the Insurance tab first.",
                    "{name} is the insured person of {count} policies on record, so cannot be "
                    "removed from the family. Remove those policies in the Insurance tab first.",
                    policies,
                ).format(name=row["name"], count=policies),
            )
            return
        answer = QMessageBox.question(
            self, _("Remove member"), _("Remove {name} from the family?").format(name=row["name"])
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._family_command(
            RemoveRecord(self.history, FamilyMember, row["id"], _("Remove member"))
        )
