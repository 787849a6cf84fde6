"""Benchmarks: the index levels by date, and the benchmark of each client risk level.

The levels are one table (name, date, level) edited in place: rows can be added,
removed, or pasted from a spreadsheet (three columns, tab-separated, a header row is
skipped). Saving applies every change in one unit of work, or none with the refusal
shown under the table. The choice per client is on the client's risk tab
(`BenchmarkChoiceRow`), the same widget as each risk level's here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.book import benchmarks
from reviewdesk.book.enums import ClientRiskLevel
from reviewdesk.book.errors import ValidationError
from reviewdesk.exchange.parse import CellError, parse_amount, parse_date
from reviewdesk.gui.common import FieldMessage, run_in_book, show_error
from reviewdesk.gui.labels import refusal
from reviewdesk.i18n import _

# One choice as the widgets hold it: (benchmark, blended with, weight of the first).
Choice = tuple[str, str | None, int]


class BenchmarkChoiceRow(QWidget):
    """A benchmark, optionally blended with a second at a weight; blank is no choice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = QComboBox()
        self.first.setObjectName("benchmark")
        self.second = QComboBox()
        self.second.setObjectName("blend")
        self.weight = QSpinBox()
        self.weight.setObjectName("weight")
        self.weight.setRange(1, 99)
        self.weight.setValue(60)
        self.weight.setSuffix(" %")
        self.with_label = QLabel()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.first, 3)
        row.addWidget(self.weight)
        row.addWidget(self.with_label)
        row.addWidget(self.second, 3)
        self.second.currentIndexChanged.connect(self._enable)
        self.first.currentIndexChanged.connect(self._enable)
        self.retranslate()

    def retranslate(self) -> None:
        self.with_label.setText(_("blended with"))
        self.first.setAccessibleName(_("Benchmark"))
        self.second.setAccessibleName(_("Second benchmark of the blend"))
        self.weight.setAccessibleName(_("Weight of the first benchmark"))
        for combo in (self.first, self.second):
            if combo.count():
                combo.setItemText(0, _("(none)"))

    def set_names(self, names: list[str]) -> None:
        keep = (self.first.currentData(), self.second.currentData())
        for combo, kept in zip((self.first, self.second), keep, strict=True):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("(none)"), None)
            for name in names:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(combo.findData(kept), 0))
            combo.blockSignals(False)
        self._enable()

    def set_choice(self, choice: Choice | None) -> None:
        name, blend, weight = choice if choice is not None else (None, None, 100)
        for combo, value in ((self.first, name), (self.second, blend)):
            if value is not None and combo.findData(value) < 0:
                combo.addItem(value, value)  # chosen, though its levels are gone
            combo.setCurrentIndex(max(combo.findData(value), 0))
        self.weight.setValue(weight if blend is not None else 60)
        self._enable()

    def choice(self) -> Choice | None:
        name = self.first.currentData()
        if name is None:
            return None
        blend = self.second.currentData()
        return (name, blend, self.weight.value() if blend is not None else 100)

    def _enable(self, *_args: object) -> None:
        has_first = self.first.currentData() is not None
        self.second.setEnabled(has_first)
        self.weight.setEnabled(has_first and self.second.currentData() is not None)


def apply_choice(
    session, choice: Choice | None, *, client_id: int | None = None, level=None
) -> None:
    """Store `choice` for a client or a risk level (None: remove theirs)."""
    if choice is None:
        benchmarks.clear_choice(session, client_id=client_id, risk_level=level)
        return
    name, blend, weight = choice
    benchmarks.choose(
        session,
        name,
        client_id=client_id,
        risk_level=level,
        blend=blend,
        weight=weight if blend is not None else None,
    )


class BenchmarksDialog(QDialog):
    saved = Signal()
    COLUMNS = 3

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("benchmarksDialog")
        self.ctx = ctx
        self.loaded: dict[tuple[str, dt.date], Decimal] = {}
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setObjectName("benchmarkLevels")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addLevel")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("removeLevels")
        self.remove_button.clicked.connect(self.remove_selected)
        self.paste_button = QPushButton()
        self.paste_button.setObjectName("pasteLevels")
        self.paste_button.clicked.connect(self.paste)
        QShortcut(QKeySequence.StandardKey.Paste, self.table, self.paste)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.paste_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.levels_box = QGroupBox()
        levels_layout = QVBoxLayout(self.levels_box)
        levels_layout.addWidget(self.table)
        levels_layout.addLayout(buttons)

        self.choices_box = QGroupBox()
        form = QFormLayout(self.choices_box)
        self.level_rows: dict[ClientRiskLevel, BenchmarkChoiceRow] = {}
        self.level_labels: dict[ClientRiskLevel, QLabel] = {}
        for level in ClientRiskLevel:
            row = BenchmarkChoiceRow()
            row.setObjectName(f"choice_{level.value}")
            label = QLabel()
            self.level_rows[level], self.level_labels[level] = row, label
            form.addRow(label, row)
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        form.addRow(self.rule)

        self.message = FieldMessage()
        self.message.setObjectName("benchmarkMessage")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.levels_box, 3)
        layout.addWidget(self.choices_box, 2)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(760, 680)
        self.retranslate()
        self.setEnabled(False)
        run_in_book(ctx, self._read, self._show, lambda exc: show_error(self, exc))

    def retranslate(self) -> None:
        self.setWindowTitle(_("Benchmarks"))
        self.levels_box.setTitle(_("Index levels"))
        self.choices_box.setTitle(_("Benchmark per risk level"))
        self.table.setHorizontalHeaderLabels([_("Benchmark"), _("Date"), _("Level")])
        self.add_button.setText(_("Add level"))
        self.remove_button.setText(_("Remove selected"))
        self.paste_button.setText(_("Paste from spreadsheet"))
        self.rule.setText(
            _(
                "A client without a benchmark of their own (on the client's risk tab) gets "
                "the one of their risk level. A blend is rebalanced to its weights on every "
                "review date."
            )
        )
        for level, label in self.level_labels.items():
            label.setText(_(level.label))
            self.level_rows[level].retranslate()

    # reading
    @staticmethod
    def _read(session) -> tuple[list[tuple[str, dt.date, Decimal]], dict]:
        rows = [(lv.name, lv.level_date, lv.level) for lv in benchmarks.levels(session)]
        chosen = {
            c.risk_level: (c.benchmark, c.blend, c.weight)
            for c in benchmarks.choices(session)
            if c.risk_level is not None
        }
        return rows, chosen

    def _show(self, result) -> None:
        rows, chosen = result
        self.loaded = {(name, day): level for name, day, level in rows}
        self.table.setRowCount(0)
        for name, day, level in rows:
            self.add_row(name, day.isoformat(), str(level))
        names = sorted({name for name, _d, _l in rows})
        for level, row in self.level_rows.items():
            row.set_names(names)
            row.set_choice(chosen.get(level))
        self.setEnabled(True)

    # editing
    def add_row(self, name: str = "", day: str = "", level: str = "") -> None:
        if not day:
            day = self.ctx.today.isoformat()
            if not name and self.table.rowCount():
                name = self._text(self.table.rowCount() - 1, 0)
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate((name, day, level)):
            self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.scrollToBottom()

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def paste(self) -> None:
        """Rows copied from a spreadsheet: name, date, level, separated by tabs."""
        text = QGuiApplication.clipboard().text()
        for line in text.splitlines():
            cells = [c.strip() for c in line.split("\t")]
            if len(cells) < self.COLUMNS or not any(cells):
                continue
            try:
                parse_date(cells[1])
            except CellError:
                continue  # a header row
            self.add_row(*cells[: self.COLUMNS])

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def _wanted(self) -> dict[tuple[str, dt.date], Decimal] | None:
        """The table's levels, or None after showing the first cell that cannot be read."""
        wanted: dict[tuple[str, dt.date], Decimal] = {}
        for row in range(self.table.rowCount()):
            name = " ".join(self._text(row, 0).split())
            try:
                day = parse_date(self._text(row, 1))
                level = parse_amount(self._text(row, 2))
            except CellError as exc:
                self._row_message(row, exc.reason)
                return None
            if not name or day is None or level is None:
                self._row_message(row, _("give the benchmark, the date and the level"))
                return None
            if (name, day) in wanted:
                self._row_message(row, _("this benchmark has two levels on this date"))
                return None
            wanted[(name, day)] = level
        return wanted

    def _row_message(self, row: int, text: str) -> None:
        self.table.selectRow(row)
        self.message.show_message(_("Row {row}: {text}").format(row=row + 1, text=text))

    def save(self) -> None:
        self.message.clear_message()
        wanted = self._wanted()
        if wanted is None:
            return
        loaded = dict(self.loaded)
        choices = {level: row.choice() for level, row in self.level_rows.items()}

        def work(session) -> None:
            for (name, day), _level in loaded.items():
                if (name, day) not in wanted:
                    benchmarks.remove_level(session, name, day)
            for (name, day), level in wanted.items():
                if loaded.get((name, day)) != level:
                    benchmarks.set_level(session, name, day, level)
            for risk_level, choice in choices.items():
                apply_choice(session, choice, level=risk_level)
            session.commit()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError):
                self.message.show_message(refusal(exc))
            else:
                show_error(self, exc)

        def done(_result: object) -> None:
            self.saved.emit()
            self.accept()

        run_in_book(self.ctx, work, done, failed)


def open_benchmarks(window) -> BenchmarksDialog:
    """The Benchmarks dialog over `window`; a save refreshes what the window shows."""
    dialog = BenchmarksDialog(window.ctx, window)
    dialog.saved.connect(window.refresh_all)
    dialog.open()
    return dialog
