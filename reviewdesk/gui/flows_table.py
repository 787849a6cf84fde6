"""The flows of a review period beside its holdings: money the client put in or took out.

A review's period runs from the day after the previous review up to and including the
review's date (a flow on a review date belongs to the period that review closes; the
first review's period has no start). The table shows the flows of the period of the
snapshot chosen in the holdings tab; adding, editing and removing go through the book's
own rules (reviewdesk/book/flows.py) and the client workspace's undo history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.book.editing import check_value, update_fields
from reviewdesk.book.enums import FlowKind
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.flows import record_flow, update_flow
from reviewdesk.book.models import Client, Flow
from reviewdesk.book.validation import check_record
from reviewdesk.gui.common import FieldMessage
from reviewdesk.gui.contact_dialog import from_qdate
from reviewdesk.gui.labels import refusal
from reviewdesk.gui.tables import Column, RecordDelegate, RecordTableModel, parse_text
from reviewdesk.gui.undo import AddRecord, BookCommand, EditHistory, RemoveRecord
from reviewdesk.i18n import N_, _, ngettext
from reviewdesk.money import CURRENCIES
from reviewdesk.review import returns

FLOW_COLUMNS = [
    Column("flow_date", "date"),
    Column("kind", "enum", FlowKind, label=N_("Type of flow")),
    Column("amount", "amount"),
    Column("currency", "currency"),
    Column("rate", "rate", editable=False, label=N_("Rate to report currency")),
    Column("holding", label=N_("Holding or institution")),
    Column("note"),
]
FLOW_FIELDS = [c.field for c in FLOW_COLUMNS]
AMOUNT = Column("amount", "amount")


def period_of(client: Client, review_date: dt.date) -> tuple[dt.date | None, dt.date]:
    """(the previous review's date or None, the review's date): the period's flows are
    after the first and on or before the second."""
    before = [s.review_date for s in client.snapshots if s.review_date < review_date]
    return (max(before) if before else None, review_date)


def in_period(day: dt.date, period: tuple[dt.date | None, dt.date]) -> bool:
    return returns.in_period(day, *period)


def flow_row(flow: Flow, report_currency: str) -> dict[str, Any]:
    """A flow as the table shows it; its rate is the rate to the client's report currency
    now (`Flow.rate_to`), None where the flow has none (recorded against an earlier one)."""
    row = {"id": flow.id, **{f: getattr(flow, f) for f in FLOW_FIELDS}}
    row["rate"] = flow.rate_to(report_currency)
    return row


NOT_IN_REPORT = N_("not in the report currency ({currency})")


class FlowTableModel(RecordTableModel):
    """The flows' rows; a flow without a rate to the report currency shows "—" as its
    rate, and says why when pointed at."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Flow, "Flow", FLOW_COLUMNS, parent)
        self.report_currency = ""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if (
            index.isValid()
            and self.columns[index.column()].field == "rate"
            and self.rows[index.row()].get("rate") is None
        ):
            if role == Qt.ItemDataRole.DisplayRole:
                return "—"
            if role == Qt.ItemDataRole.ToolTipRole:
                return _(NOT_IN_REPORT).format(currency=self.report_currency)
        return super().data(index, role)


def read_amount(text: str) -> Decimal:
    """An amount typed for a flow, read by the editors' one amount parser; the book's
    refusal names the field and the value."""
    value = parse_text("Flow", AMOUNT, text)
    return check_value(Flow, "amount", value if value is not None else None)


class FlowDialog(QDialog):
    """A new flow: its date within the period, kind, amount, currency, holding and note.
    What the book would refuse is said under the form, and the dialog stays open."""

    submitted = Signal(object)  # the values (a dict would lose its enum and dates to Qt)

    def __init__(
        self,
        period: tuple[dt.date | None, dt.date],
        today: dt.date,
        report_currency: str,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("flowDialog")
        self.setWindowTitle(_("Add flow"))
        self.report_currency = report_currency
        start, end = period
        last = min(end, today)
        self.date_edit = QDateEdit(QDate(last.year, last.month, last.day))
        self.date_edit.setObjectName("flowDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(QDate(last.year, last.month, last.day))
        if start is not None:
            first = start + dt.timedelta(days=1)
            self.date_edit.setMinimumDate(QDate(first.year, first.month, first.day))
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("flowKind")
        for kind in FlowKind:
            self.kind_box.addItem(_(kind.label), kind.value)
        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("flowAmount")
        self.amount_edit.setPlaceholderText(_("positive into the portfolio, negative out"))
        # Room for the hint in either language (a fallback CJK font measures short).
        self.amount_edit.setMinimumWidth(
            2 * self.amount_edit.fontMetrics().horizontalAdvance(_("Amount")) + 240
        )
        self.currency_box = QComboBox()
        self.currency_box.setObjectName("flowCurrency")
        for code in CURRENCIES:
            self.currency_box.addItem(code, code)
        self.currency_box.setCurrentIndex(max(0, self.currency_box.findData(report_currency)))
        self.holding_edit = QLineEdit()
        self.holding_edit.setObjectName("flowHolding")
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("flowNote")
        self.message = FieldMessage()
        self.message.setObjectName("flowMessage")

        form = QFormLayout(self)
        form.addRow(_("Flow date"), self.date_edit)
        form.addRow(_("Type of flow"), self.kind_box)
        form.addRow(_("Amount"), self.amount_edit)
        form.addRow(_("Currency"), self.currency_box)
        form.addRow(_("Holding or institution"), self.holding_edit)
        form.addRow(_("Note"), self.note_edit)
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Add"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, Any]:
        """The flow as the book would take it, or the book's refusal (ValidationError)."""
        kind = FlowKind(self.kind_box.currentData())
        currency = self.currency_box.currentData()
        values = {
            "flow_date": from_qdate(self.date_edit.date()),
            "kind": kind,
            "amount": read_amount(self.amount_edit.text()),
            "currency": currency,
            "holding": check_value(Flow, "holding", self.holding_edit.text().strip() or None),
            "note": check_value(Flow, "note", self.note_edit.text().strip() or None),
        }
        # The record's own rules (the amount's sign follows the kind), before the book work;
        # the rate is the book's to find, so a placeholder stands in for it here.
        probe = Flow(**values, to_currency=self.report_currency, rate=Decimal(1))
        check_record(probe)
        return values

    def submit(self) -> None:
        try:
            values = self.values()
        except ValidationError as exc:
            self.show_refusal(exc)
            return
        self.message.clear_message()
        self.ok_button.setEnabled(False)  # until the book answers
        self.submitted.emit(values)

    def show_refusal(self, exc: ValidationError) -> None:
        self.ok_button.setEnabled(True)
        self.message.show_message(refusal(exc))


class FlowEdit(BookCommand):
    """Fields of one flow changed: shown at once, then written through the book's rules
    (a new currency or date takes the snapshot's rate again); undone with the rate it had.
    A refusal puts the cells back and `refused(exc)` tells why."""

    def __init__(
        self,
        history: EditHistory,
        table: RecordTableModel,
        record_id: int,
        old: dict[str, Any],
        new: dict[str, Any],
        today: dt.date,
        done,
        refused,
    ):
        self.table, self.record_id = table, record_id
        self.old, self.new = old, new
        self.old_rate: Decimal | None = None

        def forward(session) -> None:
            flow_id = history.current_id(Flow, record_id)
            flow = session.get(Flow, flow_id)
            if flow is not None:
                self.old_rate = flow.rate
            saved = update_flow(
                session,
                flow_id,
                dict(new),
                today=today,
                read_version=history.read_version(Flow, flow_id),
            )
            history.saved(saved)

        def backward(session) -> None:
            values = dict(old)
            if self.old_rate is not None:
                values["rate"] = self.old_rate
            flow_id = history.current_id(Flow, record_id)
            saved = update_fields(
                session, Flow, flow_id, values, history.read_version(Flow, flow_id)
            )
            history.saved(saved)

        def failed(exc: BaseException, undone: bool) -> None:
            self._show(new if undone else old)
            refused(exc)

        super().__init__(history, _("Edit flow"), forward, backward, done, failed)

    def _show(self, values: dict[str, Any]) -> None:
        record_id = self.history.current_id(Flow, self.record_id)
        for field, value in values.items():
            if field in FLOW_FIELDS:
                self.table.apply(record_id, field, value)

    def redo(self) -> None:
        self._show(self.new)
        super().redo()

    def undo(self) -> None:
        self._show(self.old)
        super().undo()


class FlowsPanel(QGroupBox):
    """The flows of one review period, edited in place; structure changes reload the client."""

    changed = Signal()  # a flow written: reload the client (the review is out of date)

    def __init__(self, ctx, history: EditHistory, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("flowsBox")
        self.ctx = ctx
        self.history = history
        self.client: Client | None = None
        self.period: tuple[dt.date | None, dt.date] | None = None
        self.dialog: FlowDialog | None = None

        self.caption = QLabel()
        self.caption.setObjectName("flowsPeriod")
        self.caption.setWordWrap(True)
        self.later = QLabel()
        self.later.setObjectName("flowsLater")
        self.later.setWordWrap(True)
        self.later.setStyleSheet("color: #6b6b6b;")
        self.message = FieldMessage()
        self.message.setObjectName("flowsMessage")
        self.model = FlowTableModel(self)
        self.model.edit_requested.connect(self._edit)
        self.model.refused.connect(lambda _f, text: self.message.show_message(text))
        self.view = QTableView()
        self.view.setObjectName("flowsTable")
        self.view.setModel(self.model)
        self.view.setItemDelegate(RecordDelegate(FLOW_COLUMNS, self.view))
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.add_button = QPushButton()
        self.add_button.setObjectName("addFlow")
        self.add_button.clicked.connect(self.ask_add)
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("removeFlow")
        self.remove_button.clicked.connect(self.remove_flow)
        buttons = QHBoxLayout()
        buttons.addWidget(self.caption, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.later)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Flows: money in and out"))
        self.add_button.setText(_("Add flow"))
        self.remove_button.setText(_("Remove flow"))
        self.view.setAccessibleName(_("Flows of the review period"))
        self.model.retranslate()
        self._show_caption()

    def show_period(self, client: Client | None, review_date: dt.date | None) -> None:
        self.client = client
        self.message.clear_message()
        if client is None or review_date is None:
            self.period = None
            self.model.set_rows([])
        else:
            self.period = period_of(client, review_date)
            period = self.period
            report = client.report_currency
            self.model.report_currency = report
            self.model.set_rows(
                [flow_row(f, report) for f in client.flows if in_period(f.flow_date, period)]
            )
        for button in (self.add_button, self.remove_button):
            button.setEnabled(self.period is not None and not self.ctx.book.read_only)
        self._show_caption()

    def _show_caption(self) -> None:
        self.later.hide()
        if self.period is None or self.client is None:
            self.caption.setText("")
            return
        start, end = self.period
        if start is None:
            # Not a period of the returns: money in before the first review is in its
            # value (the pack says no flow is recorded between reviews).
            text = _(
                "Up to and including {end}, the first review: these flows are part of its "
                "value, and returns are measured from it"
            ).format(end=end.isoformat())
        else:
            text = _("After {start}, up to and including {end}").format(
                start=start.isoformat(), end=end.isoformat()
            )
        self.caption.setText(text)
        last = max((s.review_date for s in self.client.snapshots), default=None)
        if last == end:
            after = sum(1 for f in self.client.flows if f.flow_date > end)
            if after:
                self.later.setText(
                    ngettext(
                        "{n} flow after {end} counts towards the next review.",
                        "{n} flows after {end} count towards the next review.",
                        after,
                    ).format(n=after, end=end.isoformat())
                )
                self.later.show()

    def lock_for_reading(self) -> None:
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.add_button.setEnabled(False)
        self.remove_button.setEnabled(False)

    # ---- editing ---------------------------------------------------------

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.message.show_message(refusal(exc))
        else:
            from reviewdesk.gui.common import show_error

            show_error(self, exc)

    def _edit(self, record_id: int, field: str, old: Any, new: Any) -> None:
        self.message.clear_message()
        if self.period is None:
            return
        old_values, new_values = {field: old}, {field: new}
        if field == "flow_date" and not in_period(new, self.period):
            start, end = self.period
            self.message.show_message(
                refusal(
                    ValidationError(
                        "Flow",
                        "flow_date",
                        new,
                        N_("is outside this review's period ({start} to {end})"),
                        {"start": start.isoformat() if start else "…", "end": end.isoformat()},
                    )
                )
            )
            self.model.apply(record_id, field, old)
            return
        row = self.model.rows[self.model.row_of(record_id)]
        if field == "kind" and row["amount"] is not None:
            # The amount's sign follows the kind: a deposit turned into a withdrawal is the
            # same money going the other way.
            amount = row["amount"]
            signed = abs(amount) * new.direction
            if signed != amount:
                old_values["amount"], new_values["amount"] = amount, signed
        self.history.push(
            FlowEdit(
                self.history,
                self.model,
                record_id,
                old_values,
                new_values,
                self.ctx.today,
                lambda _undone: self.changed.emit(),
                self._failed,
            )
        )

    def ask_add(self) -> None:
        if self.client is None or self.period is None:
            return
        dialog = FlowDialog(self.period, self.ctx.today, self.client.report_currency, self)
        dialog.submitted.connect(lambda values: self.add_flow(values, dialog))
        self.dialog = dialog
        dialog.open()

    def add_flow(self, values: dict[str, Any], dialog: FlowDialog | None = None) -> None:
        """Record the flow (undoable); the dialog closes once the book has taken it."""
        if self.client is None:
            return
        client_id, today = self.client.id, self.ctx.today
        data = dict(values)

        def create(session) -> int:
            day, amount, kind = data.pop("flow_date"), data.pop("amount"), data.pop("kind")
            return record_flow(session, client_id, day, amount, kind, today=today, **data).id

        command = AddRecord(self.history, Flow, create, _("Add flow"))
        waiting = [dialog] if dialog is not None else []

        def done(undone: bool) -> None:
            if waiting and not undone:
                waiting.pop().accept()
            self.changed.emit()

        def failed(exc: BaseException, undone: bool) -> None:
            if not undone and command.first_id is None:
                # Nothing was recorded: the command leaves the history, the form stays.
                command.setObsolete(True)
                if self.history.canUndo() and self.history.undoText() == command.text():
                    self.history.undo()
                if waiting and isinstance(exc, ValidationError):
                    waiting[0].show_refusal(exc)
                    return
            self._failed(exc)

        command.done, command.on_failure = done, failed
        self.message.clear_message()
        self.history.push(command)

    def remove_flow(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        row = self.model.rows[index.row()]
        question = _("Remove the flow of {amount} {currency} on {day}?").format(
            amount=row["amount"], currency=row["currency"], day=row["flow_date"].isoformat()
        )
        answer = QMessageBox.question(self, _("Remove"), question)
        if answer != QMessageBox.StandardButton.Yes:
            return
        command = RemoveRecord(self.history, Flow, row["id"], _("Remove flow"))
        command.done = lambda _undone: self.changed.emit()
        command.on_failure = lambda exc, _undone: self._failed(exc)
        self.message.clear_message()
        self.history.push(command)
