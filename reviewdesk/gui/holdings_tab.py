"""Holdings: the snapshots by date, edited in a table, with undo and the running total.

"New review from last snapshot" copies the previous holdings and rates to a
new date, so after a statement arrives the manager only updates values and
adds or closes positions.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.book.editing import add_record, new_snapshot_from_last
from reviewdesk.book.enums import AssetClass, RiskLevel
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Client, FxRate, Holding
from reviewdesk.gui.common import FieldMessage, lock_for_reading, run_in_book, show_error
from reviewdesk.gui.contact_dialog import from_qdate
from reviewdesk.gui.flows_table import FlowsPanel
from reviewdesk.gui.forms import setup_form
from reviewdesk.gui.labels import refusal
from reviewdesk.gui.tables import Column, RecordDelegate, RecordTableModel
from reviewdesk.gui.undo import AddRecord, CellEdit, EditHistory, RemoveRecord
from reviewdesk.i18n import _, current_language
from reviewdesk.money import format_money
from reviewdesk.review.snapshot_view import snapshot_view

HOLDING_COLUMNS = [
    Column("product_name"),
    Column("product_code"),
    Column("asset_class", "enum", AssetClass),
    Column("institution"),
    Column("account_number", "masked"),
    Column("currency", "currency"),
    Column("market_value", "amount"),
    Column("principal", "amount"),
    Column("held_since", "date"),
    Column("maturity_date", "date"),
    Column("risk_level", "enum", RiskLevel),
]
HOLDING_FIELDS = [c.field for c in HOLDING_COLUMNS]
# The order the table shows the columns in (the model keeps HOLDING_COLUMNS' order).
HOLDING_SHOWN_ORDER = [
    "product_name",
    "asset_class",
    "currency",
    "market_value",
    "principal",
    "risk_level",
    "maturity_date",
    "held_since",
    "institution",
    "account_number",
    "product_code",
]
RATE_COLUMNS = [
    Column("from_currency", "currency"),
    Column("to_currency", "currency"),
    Column("rate", "rate"),
]


class NewReviewDialog(QDialog):
    """The date of a new review copied from the last snapshot (form: ui/new_review_dialog.ui);
    or, `first`, of the client's first review, which has nothing to copy.

    Found: for a new client the dialog said the last snapshot's holdings and rates would be
    copied, when there was none."""

    def __init__(self, today: dt.date, parent=None, *, first: bool = False):
        super().__init__(parent)
        self.ui = setup_form("new_review_dialog", self)
        if first:
            self.setWindowTitle(_("First review"))
            self.ui.newReviewExplanation.setText(
                _(
                    "The client's first review: no earlier holdings to copy. Add the "
                    "holdings and exchange rates of this date once it is made."
                )
            )
        self.date_edit = self.ui.newReviewDate
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        buttons = self.ui.newReviewButtons
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Create"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    def review_date(self) -> dt.date:
        return from_qdate(self.date_edit.date())


class HoldingsTab(QWidget):
    changed = Signal()  # structure changed: reload the client
    values_changed = Signal()  # a value was written: lists showing totals are stale
    review_created = Signal(int, object)  # client id, review date: the review now chosen

    def __init__(self, ctx, parent=None, history: EditHistory | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.client: Client | None = None
        self.snapshot_id: int | None = None
        self.pending_date: dt.date | None = None
        # The client workspace's one history of edits (a tab on its own keeps its own).
        self.undo_stack = history if history is not None else EditHistory(ctx, self)

        self.date_label = QLabel()
        self.snapshot_combo = QComboBox()
        self.snapshot_combo.setObjectName("snapshotDate")
        self.snapshot_combo.setMinimumContentsLength(12)
        self.snapshot_combo.currentIndexChanged.connect(self._snapshot_chosen)
        self.date_label.setBuddy(self.snapshot_combo)
        self.new_review_button = QPushButton()
        self.new_review_button.setObjectName("newReview")
        self.new_review_button.clicked.connect(self.ask_new_review)
        self.total_label = QLabel()
        self.total_label.setObjectName("snapshotTotal")
        self.total_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.total_label.font()
        font.setBold(True)
        self.total_label.setFont(font)
        # The totals are a line of their own that wraps: beside the date they made the
        # tab (and so the window) as wide as the longest totals line in bold.
        self.total_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.date_label)
        top.addWidget(self.snapshot_combo)
        top.addWidget(self.new_review_button)
        top.addStretch(1)

        self.message = FieldMessage()
        self.message.setObjectName("holdingsMessage")
        self.holdings = RecordTableModel(Holding, "Holding", HOLDING_COLUMNS, self)
        self.holdings.edit_requested.connect(
            lambda rid, field, old, new: self._edit(self.holdings, rid, field, old, new)
        )
        self.holdings.refused.connect(lambda _f, text: self.message.show_message(text))
        self.holdings.dataChanged.connect(self.update_total)
        self.holdings.modelReset.connect(self.update_total)
        self.holdings_view = self._table(self.holdings, HOLDING_COLUMNS, "holdingsTable")
        header = self.holdings_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.holdings_view.setColumnWidth(0, 160)
        header.setStretchLastSection(True)
        # What a review is about first (name, class, currency, value), the bookkeeping after:
        # a narrow window scrolls past the account numbers, not past the market value.
        for visual, field in enumerate(HOLDING_SHOWN_ORDER):
            header.moveSection(header.visualIndex(HOLDING_FIELDS.index(field)), visual)

        self.rates = RecordTableModel(FxRate, "Exchange rate", RATE_COLUMNS, self)
        self.rates.edit_requested.connect(
            lambda rid, field, old, new: self._edit(self.rates, rid, field, old, new)
        )
        self.rates.refused.connect(lambda _f, text: self.message.show_message(text))
        self.rates.dataChanged.connect(self.update_total)
        self.rates.modelReset.connect(self.update_total)
        self.rates_view = self._table(self.rates, RATE_COLUMNS, "ratesTable")

        self.add_holding_button = QPushButton()
        self.add_holding_button.clicked.connect(self.add_holding)
        self.remove_holding_button = QPushButton()
        self.remove_holding_button.clicked.connect(self.remove_holding)
        holding_buttons = QHBoxLayout()
        holding_buttons.addStretch(1)
        holding_buttons.addWidget(self.add_holding_button)
        holding_buttons.addWidget(self.remove_holding_button)
        self.holdings_box = QGroupBox()
        hb = QVBoxLayout(self.holdings_box)
        hb.addWidget(self.holdings_view)
        hb.addLayout(holding_buttons)

        self.add_rate_button = QPushButton()
        self.add_rate_button.clicked.connect(self.add_rate)
        self.remove_rate_button = QPushButton()
        self.remove_rate_button.clicked.connect(self.remove_rate)
        rate_buttons = QHBoxLayout()
        rate_buttons.addWidget(self.add_rate_button)
        rate_buttons.addWidget(self.remove_rate_button)
        # The three columns share the box's width: no column is cut off behind a scroll bar.
        self.rates_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.rates_view.horizontalHeader().setMinimumSectionSize(48)
        self.rates_box = QGroupBox()
        rb = QVBoxLayout(self.rates_box)
        rb.addWidget(self.rates_view)
        rb.addLayout(rate_buttons)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("holdingsSplitter")
        split.addWidget(self.holdings_box)
        split.addWidget(self.rates_box)
        split.setCollapsible(0, False)
        split.setCollapsible(1, False)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([800, 180])

        # The money in and out over the chosen review's period, under its holdings.
        self.flows = FlowsPanel(ctx, self.undo_stack)
        self.flows.changed.connect(self._reload)
        columns = QSplitter(Qt.Orientation.Vertical)
        columns.addWidget(split)
        columns.addWidget(self.flows)
        columns.setStretchFactor(0, 3)
        columns.setStretchFactor(1, 2)
        columns.setSizes([420, 260])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.total_label)
        layout.addWidget(self.message)
        layout.addWidget(columns, 1)
        self.retranslate()

    def _table(self, model, columns, name) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.setItemDelegate(RecordDelegate(columns, view))
        view.verticalHeader().hide()
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return view

    def retranslate(self) -> None:
        self.date_label.setText(_("Review date"))
        self._name_new_review()
        self.holdings_box.setTitle(_("Holdings"))
        self.rates_box.setTitle(_("Exchange rates"))
        self.holdings_view.setAccessibleName(_("Holdings"))
        self.rates_view.setAccessibleName(_("Exchange rates"))
        self.add_holding_button.setText(_("Add holding"))
        self.remove_holding_button.setText(_("Remove holding"))
        self.add_rate_button.setText(_("Add rate"))
        self.remove_rate_button.setText(_("Remove rate"))
        self.holdings.retranslate()
        self.rates.retranslate()
        self.flows.retranslate()
        self.update_total()

    # showing
    def _name_new_review(self) -> None:
        """A client with no review yet starts a first one; the others copy the last."""
        first = self.client is not None and not self.client.snapshots
        self.new_review_button.setText(
            _("First review") if first else _("New review from last snapshot")
        )

    def show_client(self, client: Client | None) -> None:
        keep = self.pending_date or self.current_date()
        same_client = self.client is not None and client is not None and client.id == self.client.id
        self.client = client
        self._name_new_review()
        # A date asked for (a new review, an edit) holds until a load that has it arrives: a
        # load already on its way may still be of the book before the change.
        if not same_client or (
            client is not None and any(s.review_date == self.pending_date for s in client.snapshots)
        ):
            self.pending_date = None
        self.message.clear_message()
        self.setEnabled(client is not None)
        self.snapshot_combo.blockSignals(True)
        self.snapshot_combo.clear()
        if client is not None:
            for snap in reversed(client.snapshots):
                self.snapshot_combo.addItem(snap.review_date.isoformat(), snap.id)
            if same_client and keep is not None:
                found = self.snapshot_combo.findText(keep.isoformat())
                self.snapshot_combo.setCurrentIndex(max(found, 0))
        self.snapshot_combo.blockSignals(False)
        self._snapshot_chosen()

    def current_date(self) -> dt.date | None:
        text = self.snapshot_combo.currentText()
        return dt.date.fromisoformat(text) if text else None

    def _snapshot(self):
        if self.client is None:
            return None
        sid = self.snapshot_combo.currentData()
        return next((s for s in self.client.snapshots if s.id == sid), None)

    def _snapshot_chosen(self, *_args) -> None:
        snap = self._snapshot()
        self.snapshot_id = snap.id if snap else None
        self.holdings.set_rows(
            []
            if snap is None
            else [{"id": h.id, **{f: getattr(h, f) for f in HOLDING_FIELDS}} for h in snap.holdings]
        )
        self.rates.set_rows(
            []
            if snap is None
            else [
                {
                    "id": r.id,
                    "from_currency": r.from_currency,
                    "to_currency": r.to_currency,
                    "rate": r.rate,
                }
                for r in snap.rates
            ]
        )
        for button in (
            self.add_holding_button,
            self.remove_holding_button,
            self.add_rate_button,
            self.remove_rate_button,
        ):
            button.setEnabled(snap is not None)
        self.flows.show_period(self.client, snap.review_date if snap is not None else None)
        if self.ctx.book.read_only:
            self.lock_for_reading()

    def lock_for_reading(self) -> None:
        """A read-only book: the snapshots can be browsed, not edited."""
        lock_for_reading(self, keep=(self.snapshot_combo,))
        self.flows.lock_for_reading()

    def view(self):
        """The snapshot as the table shows it now, valued in the report currency."""
        if self.client is None or self.current_date() is None:
            return None
        snap = SimpleNamespace(
            review_date=self.current_date(),
            holdings=[
                SimpleNamespace(**{f: row[f] for f in HOLDING_FIELDS}) for row in self.holdings.rows
            ],
            rates=[
                SimpleNamespace(**{k: row[k] for k in ("from_currency", "to_currency", "rate")})
                for row in self.rates.rows
            ],
        )
        return snapshot_view(snap, self.client.report_currency)

    def update_total(self, *_args) -> None:
        view = self.view()
        if view is None:
            self.total_label.setText(_("No snapshot yet") if self.client else "")
            return
        lang = current_language()
        text = _("Total assets {total} · liabilities {debt} · net worth {net}").format(
            total=format_money(view.total_assets, view.currency, lang),
            debt=format_money(view.liabilities, view.currency, lang),
            net=format_money(view.net_worth, view.currency, lang),
        )
        if view.missing_rates:
            text += " · " + _("no rate for {currencies}").format(
                currencies=", ".join(view.missing_rates)
            )
        self.total_label.setText(text)

    # editing
    def _edit(self, model: RecordTableModel, record_id: int, field: str, old, new) -> None:
        """A cell changed: shown at once, written to the book, undoable."""
        self.message.clear_message()
        self.undo_stack.push(
            CellEdit(
                self.undo_stack,
                model,
                record_id,
                field,
                old,
                new,
                lambda _undone: self.values_changed.emit(),
                self._failed,
            )
        )

    def ask_new_review(self) -> None:
        if self.client is None:
            return
        dialog = NewReviewDialog(self.ctx.today, self, first=not self.client.snapshots)
        dialog.setObjectName("newReviewDialog")
        dialog.accepted.connect(lambda: self.new_review(dialog.review_date()))
        dialog.open()

    def new_review(self, review_date: dt.date) -> None:
        if self.client is None:
            return
        client_id = self.client.id

        def created(_sid):
            self.pending_date = review_date
            self.review_created.emit(client_id, review_date)
            self.changed.emit()

        run_in_book(
            self.ctx,
            lambda s: new_snapshot_from_last(s, client_id, review_date),
            created,
            self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.message.show_message(refusal(exc))
        else:
            show_error(self, exc)

    def _structure(self, command) -> None:
        """A record added or removed: an undoable command; the client is reloaded after."""
        self.pending_date = self.current_date()
        self.message.clear_message()
        command.done = lambda _undone: self._reload()
        command.on_failure = lambda exc, _undone: self._failed(exc)
        self.undo_stack.push(command)

    def _reload(self) -> None:
        self.pending_date = self.pending_date or self.current_date()
        self.changed.emit()

    def add_holding(self) -> None:
        if self.snapshot_id is None or self.client is None:
            return
        values = {
            "snapshot_id": self.snapshot_id,
            "product_name": _("New holding"),
            "asset_class": AssetClass.OTHER,
            "currency": self.client.report_currency,
            "market_value": 0,
        }
        self._structure(
            AddRecord(
                self.undo_stack,
                Holding,
                lambda s: add_record(s, Holding, values),
                _("Add holding"),
            )
        )

    def _confirm_remove(self, view: QTableView, model: RecordTableModel, question: str):
        index = view.currentIndex()
        if not index.isValid():
            return None
        row = model.rows[index.row()]
        answer = QMessageBox.question(self, _("Remove"), question.format(**row))
        return row if answer == QMessageBox.StandardButton.Yes else None

    def remove_holding(self) -> None:
        row = self._confirm_remove(
            self.holdings_view,
            self.holdings,
            _("Close the position {product_name} in this snapshot?"),
        )
        if row is not None:
            self._structure(RemoveRecord(self.undo_stack, Holding, row["id"], _("Remove holding")))

    def add_rate(self) -> None:
        if self.snapshot_id is None or self.client is None:
            return
        have = {(r["from_currency"], r["to_currency"]) for r in self.rates.rows}
        report = self.client.report_currency
        needed = [
            row["currency"]
            for row in self.holdings.rows
            if row["currency"] != report and (row["currency"], report) not in have
        ]
        source = needed[0] if needed else ("USD" if report != "USD" else "CNY")
        values = {
            "snapshot_id": self.snapshot_id,
            "from_currency": source,
            "to_currency": report,
            "rate": 1,
        }
        self._structure(
            AddRecord(
                self.undo_stack, FxRate, lambda s: add_record(s, FxRate, values), _("Add rate")
            )
        )

    def remove_rate(self) -> None:
        row = self._confirm_remove(
            self.rates_view, self.rates, _("Remove the rate {from_currency} to {to_currency}?")
        )
        if row is not None:
            self._structure(RemoveRecord(self.undo_stack, FxRate, row["id"], _("Remove rate")))
