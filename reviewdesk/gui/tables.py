"""An editable table over plain rows of one kind of record.

The rows are dicts (id plus field values) copied from the book; every edit is
checked with the book's own field rules before anything is sent to the book,
and a refused value is reported, never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QWidget

from reviewdesk.book.editing import check_value
from reviewdesk.book.enums import LabelledEnum
from reviewdesk.book.errors import ValidationError
from reviewdesk.exchange import parse
from reviewdesk.gui.labels import field_label, refusal
from reviewdesk.i18n import N_, _, current_language
from reviewdesk.money import CURRENCIES, format_money
from reviewdesk.privacy import mask_number

# An income currency left empty: the income is in the client's report currency.
REPORT_CURRENCY = N_("(report currency)")


@dataclass(frozen=True)
class Column:
    field: str
    # text, masked (a number shown masked, whole when edited), amount, rate, date, int,
    # enum, currency, choice, income_currency (a currency, or none: the report currency)
    kind: str = "text"
    enum: type[LabelledEnum] | None = None
    editable: bool = True
    # For "choice": (value, label) pairs offered, e.g. the insured people.
    choices: Callable[[], list[tuple[Any, str]]] | None = None
    # The header, where the field's label in the book's list would not fit this table.
    label: str | None = None

    def vocabulary(self) -> type[LabelledEnum]:
        """The enum of an "enum" column."""
        if self.enum is None:
            raise TypeError(f"the column {self.field} names no enum")
        return self.enum


def _refused(record: str, field: str, text: str, exc: parse.CellError) -> ValidationError:
    """The importer's reason for a cell, as the book's refusal of the field (the reason is
    already in the interface language)."""
    return ValidationError(record, field, text, exc.reason)


def parse_date_text(record: str, field: str, text: str) -> dt.date | None:
    """A date as the importer reads it (`2026-03-31`, `2026/3/31`, `2026年3月31日`); a date
    the calendar does not have (`1990-02-30`) is refused as no such day."""
    try:
        return parse.parse_date(text)
    except parse.CellError as exc:
        if exc.reason == _(NO_CALENDAR_DAY):
            raise ValidationError(record, field, text, N_("no such day")) from None
        raise _refused(record, field, text, exc) from None


NO_CALENDAR_DAY = N_("is not a day of the calendar")


def parse_text(record: str, column: Column, text: Any) -> Any:
    """The typed value of what was typed, or the book's kind of error. Amounts, rates and
    dates are read by the importer's own parsers: what a workbook may hold, an editor takes."""
    if not isinstance(text, str):
        return text
    text = text.strip()
    if column.kind in ("text", "masked"):
        return text or None
    if not text:
        return None
    if column.kind in ("amount", "rate"):
        reader = parse.parse_amount if column.kind == "amount" else parse.parse_rate
        try:
            return reader(text)
        except parse.CellError as exc:
            raise _refused(record, column.field, text, exc) from None
    if column.kind == "date":
        return parse_date_text(record, column.field, text)
    if column.kind == "int":
        try:
            return int(text)
        except ValueError:
            raise ValidationError(
                record, column.field, text, N_("must be a whole number")
            ) from None
    if column.kind == "enum":
        return column.vocabulary()(text)
    if column.kind in ("currency", "income_currency"):
        return text.upper()
    if column.kind == "choice":
        return int(text) if text.isdigit() else None
    return text


def plain_amount(value: Decimal) -> str:
    """An amount as typed: cents kept, extra zeros dropped, thousands grouped (the parser
    reads the separators back)."""
    value = Decimal(value)
    cents = value.quantize(Decimal("0.01"))
    return f"{cents:,f}" if cents == value else f"{value.normalize():,f}"


def show_value(column: Column, value: Any) -> str:
    if value is None:
        return _(REPORT_CURRENCY) if column.kind == "income_currency" else ""
    if column.kind == "amount":
        return format_money(Decimal(value), None, current_language(), compact=False)
    if column.kind == "masked":
        return mask_number(value)
    if column.kind == "enum":
        return _(value.label)
    if column.kind == "choice" and column.choices:
        return dict(column.choices()).get(value, "")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class RecordTableModel(QAbstractTableModel):
    """Rows of one record type; `edit_requested` carries a checked change to apply."""

    edit_requested = Signal(int, str, object, object)  # record id, field, old, new
    refused = Signal(str, str)  # field, message

    def __init__(self, model: type, record: str, columns: list[Column], parent=None):
        super().__init__(parent)
        self.model = model
        self.record = record
        self.columns = columns
        self.rows: list[dict[str, Any]] = []
        self.extra_roles: Callable[[dict, Column, int], Any] | None = None
        self.last_error: ValidationError | None = None

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Show `rows`. The same records in the same order (the client read again after an
        edit) are updated in place, so that an editor open in the table stays open: found,
        a value typed in the insurance tab after Tab from the cell just saved was lost when
        the save read the client again and the table was reset under it."""
        same = bool(rows) and [r.get("id") for r in rows] == [r.get("id") for r in self.rows]
        if not same:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()
            return
        pairs = enumerate(zip(self.rows, rows, strict=True))
        changed = [n for n, (old, new) in pairs if old != new]
        self.rows = rows
        if changed:
            self.dataChanged.emit(
                self.index(changed[0], 0), self.index(changed[-1], len(self.columns) - 1)
            )

    def row_of(self, record_id: int) -> int:
        for n, row in enumerate(self.rows):
            if row["id"] == record_id:
                return n
        return -1

    def apply(self, record_id: int, field: str, value: Any) -> None:
        n = self.row_of(record_id)
        if n < 0:
            return
        self.rows[n][field] = value
        col = next(i for i, c in enumerate(self.columns) if c.field == field)
        self.dataChanged.emit(self.index(n, col), self.index(n, col))

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1)
            )

    # Qt overrides
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            column = self.columns[section]
            return _(column.label) if column.label else field_label(column.field)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        value = row.get(column.field)
        if role == Qt.ItemDataRole.DisplayRole:
            return show_value(column, value)
        if role == Qt.ItemDataRole.EditRole:
            if value is None:
                return ""
            if column.kind == "enum":
                return value.value
            if column.kind == "amount":
                return plain_amount(value)
            if isinstance(value, dt.date):
                return value.isoformat()
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in ("amount", "rate", "int"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if self.extra_roles is not None:
            return self.extra_roles(row, column, role)
        return None

    def flags(self, index):
        base = super().flags(index)
        if index.isValid() and self.columns[index.column()].editable:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, column = self.rows[index.row()], self.columns[index.column()]
        try:
            new = parse_text(self.record, column, value)
            if column.kind != "choice":
                new = check_value(self.model, column.field, new)
        except ValidationError as exc:
            self.last_error = exc
            self.refused.emit(column.field, refusal(exc))
            return False
        old = row.get(column.field)
        if new == old:
            return False
        self.last_error = None
        self.edit_requested.emit(row["id"], column.field, old, new)
        return True


class RecordDelegate(QStyledItemDelegate):
    """Drop-downs for vocabularies, currencies and people; text for the rest."""

    def __init__(self, columns: list[Column], parent=None):
        super().__init__(parent)
        self.columns = columns

    def _options(self, column: Column) -> list[tuple[str, str]] | None:
        if column.kind == "enum":
            return [(m.value, _(m.label)) for m in column.vocabulary()]
        if column.kind == "currency":
            return [(c, c) for c in CURRENCIES]
        if column.kind == "income_currency":
            return [("", _(REPORT_CURRENCY))] + [(c, c) for c in CURRENCIES]
        if column.kind == "choice" and column.choices:
            return [("" if v is None else str(v), label) for v, label in column.choices()]
        return None

    def createEditor(self, parent: QWidget, option, index):  # noqa: N802
        options = self._options(self.columns[index.column()])
        if options is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        for value, label in options:
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802
        if isinstance(editor, QComboBox):
            current = index.data(Qt.ItemDataRole.EditRole) or ""
            found = editor.findData(current)
            editor.setCurrentIndex(max(found, 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):  # noqa: N802
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)
