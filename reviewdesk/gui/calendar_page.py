"""The contact calendar: clients down, days across, each contact by its channel letter.

The grid is built on the book worker (`review.calendar_grid`); the table model
only reads it, and filtering or sorting re-slices the rows already loaded, so
scrolling and filtering never wait on the book.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.book.enums import Tier
from reviewdesk.gui.client_list import DUE_TINTS
from reviewdesk.gui.common import LatestRead
from reviewdesk.gui.contact_dialog import ContactDialog, error_text
from reviewdesk.i18n import N_, _, pgettext
from reviewdesk.review.cadence import DueState
from reviewdesk.review.calendar_grid import (
    CalendarGrid,
    CalendarRow,
    Period,
    SortKey,
    build_grid,
    period_bounds,
    shift_period,
)

WEEKDAY_SHORT = (N_("Mo"), N_("Tu"), N_("We"), N_("Th"), N_("Fr"), N_("Sa"), N_("Su"))
WEEKEND = QColor("#f1f1f1")
TODAY = QColor("#fff4c2")
CONTACTED = QColor("#dcebf7")
MEETING = QColor("#c7e3c2")
OVERDUE = QColor(DUE_TINTS[DueState.OVERDUE])
DUE = QColor(DUE_TINTS[DueState.DUE])
_ROOT = QModelIndex()
_BRUSH: dict[str, QBrush] = {}  # filled on first use: a QBrush needs the Qt GUI module loaded


class CalendarModel(QAbstractTableModel):
    """Days as columns, then the last contact and the next due date; names in the header."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.read_only = False  # the cells' tooltips offer no logging then
        if not _BRUSH:
            _BRUSH.update(
                {
                    "MEETING": QBrush(MEETING),
                    "CONTACTED": QBrush(CONTACTED),
                    "TODAY": QBrush(TODAY),
                    "WEEKEND": QBrush(WEEKEND),
                    "OVERDUE": QBrush(OVERDUE),
                    "DUE": QBrush(DUE),
                }
            )
        self._center = int(Qt.AlignmentFlag.AlignCenter)
        self.grid: CalendarGrid | None = None
        self.rows: list[CalendarRow] = []
        self._days: list[dt.date] = []

    def set_grid(self, grid: CalendarGrid | None, rows: list[CalendarRow]) -> None:
        self.beginResetModel()
        self.grid = grid
        self._days = grid.days if grid else []
        self.rows = rows
        self.endResetModel()

    def set_rows(self, rows: list[CalendarRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    @property
    def day_count(self) -> int:
        return len(self._days)

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.grid is None else self.day_count + 2

    def day_at(self, column: int) -> dt.date | None:
        return self._days[column] if 0 <= column < self.day_count else None

    def contacts_at(self, index: QModelIndex):
        if not index.isValid() or index.column() >= self.day_count:
            return []
        return self.rows[index.row()].cells.get(index.column(), [])

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if not index.isValid() or self.grid is None:
            return None
        row = self.rows[index.row()]
        col = index.column()
        today = self.grid.today
        if col < self.day_count:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.letters(col)
            if role == Qt.ItemDataRole.ToolTipRole:
                return _cell_tooltip(row, col, self._days[col], today, self.read_only)
            if role == Qt.ItemDataRole.BackgroundRole:
                contacts = row.cells.get(col)
                if contacts:
                    meeting = any(c.channel.value == "M" for c in contacts)
                    return QBrush(MEETING if meeting else CONTACTED)
                day = self._days[col]
                if day == today:
                    return _BRUSH["TODAY"]
                if day.weekday() >= 5:
                    return _BRUSH["WEEKEND"]
                return None
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return self._center
            return None
        if col == self.day_count:  # last contact
            if role == Qt.ItemDataRole.DisplayRole:
                return row.last_contact.isoformat() if row.last_contact else "—"
            if role == Qt.ItemDataRole.ToolTipRole and row.last_contact:
                return _("{days} days ago").format(days=(today - row.last_contact).days)
            return None
        due = row.next_due()
        if role == Qt.ItemDataRole.DisplayRole:
            what = _("review") if row.next_due_is_review() else _("contact")
            return f"{due.isoformat()} {what}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(
                [
                    _("Next contact due: {day}").format(day=row.next_contact_due.isoformat()),
                    _("Next review due: {day}").format(day=row.next_review_due.isoformat()),
                ]
            )
        # Overdue in red, due (within the settings' days ahead) in amber: the row's state,
        # as the agenda and the client list say it.
        if role == Qt.ItemDataRole.BackgroundRole:
            state = row.due_state()
            if state is DueState.OVERDUE:
                return _BRUSH["OVERDUE"]
            if state is DueState.DUE:
                return _BRUSH["DUE"]
        if role == Qt.ItemDataRole.FontRole and row.due_state() is DueState.OVERDUE:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.BackgroundRole,
        ):
            return None
        if orientation == Qt.Orientation.Vertical:
            if not 0 <= section < len(self.rows):
                return None
            row = self.rows[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return row.label or row.name
            if role == Qt.ItemDataRole.ToolTipRole:
                parts = [f"{row.name} ({row.code}) · {_(row.tier.label)}"]
                if row.tags:
                    parts.append(", ".join(row.tags))
                if row.preferences:
                    parts.append(row.preferences)
                return "\n".join(parts)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return None
        if section < self.day_count:
            day = self._days[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return day.isoformat()
            return f"{day.day}\n{_(WEEKDAY_SHORT[day.weekday()])}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        return _("Last contact") if section == self.day_count else pgettext("contact", "Next due")

    def retranslate(self) -> None:
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)


def _cell_tooltip(
    row: CalendarRow, col: int, day: dt.date, today: dt.date, read_only: bool = False
) -> str:
    contacts = row.cells.get(col)
    if not contacts:
        if day > today or read_only:
            return f"{row.name}, {day.isoformat()}"
        return _("{name}, {day}: click to log a contact").format(name=row.name, day=day.isoformat())
    lines = []
    for c in contacts:
        lines.append(f"{c.channel.value} {_(c.channel.label)}: {c.summary or '—'}")
        if c.next_step:
            lines.append("    " + _("Next step: {text}").format(text=c.next_step))
        if c.feedback:
            lines.append("    " + _("Feedback: {text}").format(text=c.feedback))
    return "\n".join(lines)


class CalendarPage(QWidget):
    open_client = Signal(int)
    start_review = Signal(int)
    log_contact = Signal(int)  # the user started logging a contact with this client
    contact_saved = Signal(int)  # a contact with this client was saved or deleted
    loaded = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("calendarPage")
        self.ctx = ctx
        self.period = Period.MONTH
        self.anchor = ctx.today
        self.grid: CalendarGrid | None = None
        self.dialog: ContactDialog | None = None
        self.menu: QMenu | None = None
        self._read = LatestRead()

        self.title = QLabel()
        self.title.setObjectName("calendarTitle")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.title.setFont(font)
        self.prev_button = QPushButton("◀")
        self.prev_button.setObjectName("previousPeriod")
        self.next_button = QPushButton("▶")
        self.next_button.setObjectName("nextPeriod")
        self.today_button = QPushButton()
        for button in (self.prev_button, self.next_button):
            button.setFixedWidth(36)
        self.period_box = QComboBox()
        self.period_box.setObjectName("periodBox")
        self.period_box.addItem("", Period.MONTH)
        self.period_box.addItem("", Period.QUARTER)
        self.tier_box = QComboBox()
        self.tier_box.setObjectName("tierFilter")
        self.tier_box.addItem("", None)
        for tier in Tier:
            self.tier_box.addItem("", tier)
        self.tag_box = QComboBox()
        self.tag_box.setObjectName("tagFilter")
        self.tag_box.addItem("", None)
        self.sort_box = QComboBox()
        self.sort_box.setObjectName("sortBox")
        for key in SortKey:
            self.sort_box.addItem("", key)
        self.search = QLineEdit()
        self.search.setObjectName("calendarSearch")
        self.search.setClearButtonEnabled(True)
        self.status = QLabel()
        self.status.setObjectName("calendarStatus")
        self.legend = QLabel()
        self.legend.setObjectName("calendarLegend")

        self.model = CalendarModel(self)
        self.model.read_only = self.read_only
        self.view = QTableView()
        self.view.setObjectName("calendarView")
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh = self.view.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        hh.setDefaultSectionSize(30)
        hh.setMinimumHeight(40)
        vh = self.view.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(24)
        vh.setMinimumWidth(110)
        vh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        bar = QHBoxLayout()
        for w in (self.prev_button, self.today_button, self.next_button, self.title):
            bar.addWidget(w)
        bar.addStretch(1)
        self.filter_labels = [QLabel() for _ in range(4)]
        for label, box in zip(
            self.filter_labels,
            (self.period_box, self.tier_box, self.tag_box, self.sort_box),
            strict=True,
        ):
            label.setBuddy(box)
            bar.addWidget(label)
            bar.addWidget(box)
        bar.addWidget(self.search)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.legend, 1)
        foot.addWidget(self.status)
        layout.addLayout(foot)

        self.prev_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(1))
        self.today_button.clicked.connect(self.go_today)
        self.period_box.currentIndexChanged.connect(self._period_changed)
        for box in (self.tier_box, self.tag_box, self.sort_box):
            box.currentIndexChanged.connect(self.apply_filter)
        self.search.textChanged.connect(self.apply_filter)
        self.view.clicked.connect(self.cell_clicked)
        # The keyboard: arrows move between days and clients, Enter logs or edits there.
        self.view.installEventFilter(self)
        self.view.customContextMenuRequested.connect(self._context_menu)
        vh.sectionDoubleClicked.connect(self._name_double_clicked)
        self.retranslate()
        self.refresh()

    # -- texts -------------------------------------------------------------
    def retranslate(self) -> None:
        self.today_button.setText(_("Today"))
        self.prev_button.setToolTip(_("Previous"))
        self.next_button.setToolTip(pgettext("period", "Next"))
        self.period_box.setItemText(0, _("Month"))
        self.period_box.setItemText(1, _("Quarter"))
        self.tier_box.setItemText(0, _("All tiers"))
        for i, tier in enumerate(Tier, start=1):
            self.tier_box.setItemText(i, _(tier.label))
        self.tag_box.setItemText(0, _("All tags"))
        labels = {
            SortKey.NAME: _("Name"),
            SortKey.LAST_CONTACT: _("Longest without contact"),
            SortKey.NEXT_DUE: pgettext("contact", "Next due"),
        }
        for i, key in enumerate(SortKey):
            self.sort_box.setItemText(i, labels[key])
        for label, text in zip(
            self.filter_labels, (_("View"), _("Tier"), _("Tag"), _("Sort")), strict=True
        ):
            label.setText(text)
        self.search.setPlaceholderText(_("Find a client"))
        self.search.setAccessibleName(_("Find a client"))
        self.view.setAccessibleName(_("Contact calendar"))
        self.legend.setText(
            _(
                "T phone · E email · M meeting · S SMS · C chat · O other — "
                "the book is open read-only: contacts can be read, not logged"
            )
            if self.read_only
            else _(
                "T phone · E email · M meeting · S SMS · C chat · O other — "
                "click an empty day to log a contact, a marked day to edit it"
            )
        )
        self._set_title()
        self.model.retranslate()
        self.view.verticalHeader().viewport().update()
        self._show_count()

    def _set_title(self) -> None:
        start, end = period_bounds(self.anchor, self.period)
        if self.period is Period.MONTH:
            text = _("{year}-{month:02d}").format(year=start.year, month=start.month)
        else:
            text = _("{year} Q{quarter}").format(
                year=start.year, quarter=(start.month - 1) // 3 + 1
            )
        self.title.setText(text)

    def _show_count(self) -> None:
        if self.grid is None:
            return
        self.status.setText(
            _("{shown} of {total} clients").format(
                shown=self.model.rowCount(), total=len(self.grid.rows)
            )
        )

    # -- loading -----------------------------------------------------------
    def refresh(self) -> None:
        """Reload the period from the book on the worker; a newer request wins."""
        start, end = period_bounds(self.anchor, self.period)
        today = self.ctx.today
        self._set_title()
        self.status.setText(_("Loading…"))
        self._read.run(
            self.ctx,
            lambda session: build_grid(session, start, end, today),
            self._loaded,
            self._failed,
        )

    def _loaded(self, grid: CalendarGrid) -> None:
        self.grid = grid
        current = self.tag_box.currentData()
        self.tag_box.blockSignals(True)
        while self.tag_box.count() > 1:
            self.tag_box.removeItem(1)
        for tag in grid.tags():
            self.tag_box.addItem(tag, tag)
        index = self.tag_box.findData(current) if current else 0
        self.tag_box.setCurrentIndex(max(index, 0))
        self.tag_box.blockSignals(False)
        kept = self._current_cell()
        self.model.set_grid(grid, self._rows())
        header = self.view.horizontalHeader()
        header.resizeSection(self.model.day_count, 96)
        header.resizeSection(self.model.day_count + 1, 136)
        self._scroll_to_today()
        if kept is not None:  # a reload (a contact logged from the keyboard) stays on its cell
            self._restore_cell(*kept)
        self._show_count()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(error_text(exc))

    def _rows(self) -> list[CalendarRow]:
        if self.grid is None:
            return []
        return self.grid.view(
            tier=self.tier_box.currentData(),
            tag=self.tag_box.currentData(),
            sort=self.sort_box.currentData(),
            search=self.search.text(),
        )

    def apply_filter(self) -> None:
        self.model.set_rows(self._rows())
        self._show_count()

    def _scroll_to_today(self) -> None:
        if self.grid and self.grid.start <= self.ctx.today <= self.grid.end and self.model.rows:
            col = self.grid.day_index(self.ctx.today)
            today = self.model.index(0, col)
            self.view.scrollTo(today, QAbstractItemView.ScrollHint.PositionAtCenter)
            # the keyboard starts on today, not on the first day of the month
            self.view.selectionModel().setCurrentIndex(
                today, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def _current_cell(self) -> tuple[int, dt.date] | None:
        index = self.view.currentIndex()
        day = self.model.day_at(index.column()) if index.isValid() else None
        if day is None or not 0 <= index.row() < len(self.model.rows):
            return None
        return self.model.rows[index.row()].client_id, day

    def _restore_cell(self, client_id: int, day: dt.date) -> None:
        if self.grid is None or not self.grid.start <= day <= self.grid.end:
            return
        row = next((n for n, r in enumerate(self.model.rows) if r.client_id == client_id), None)
        if row is not None:
            index = self.model.index(row, self.grid.day_index(day))
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.view.scrollTo(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            watched is self.view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.view.currentIndex().isValid()
        ):
            self.cell_clicked(self.view.currentIndex())
            return True
        return super().eventFilter(watched, event)

    # -- navigation --------------------------------------------------------
    def go(self, steps: int) -> None:
        self.anchor = shift_period(self.anchor, self.period, steps)
        self.refresh()

    def go_today(self) -> None:
        self.anchor = self.ctx.today
        self.refresh()

    def _period_changed(self) -> None:
        self.period = Period(self.period_box.currentData())
        self.refresh()

    # -- contacts ----------------------------------------------------------
    def cell_clicked(self, index: QModelIndex) -> None:
        day = self.model.day_at(index.column())
        if day is None or self.read_only:  # nothing to log or edit in a read-only book
            return
        row = self.model.rows[index.row()]
        contacts = self.model.contacts_at(index)
        if not contacts:
            if day <= self.ctx.today:
                self.open_dialog(row, day)
            return
        self.open_dialog(row, day, contacts[-1].contact_id)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        day = self.model.day_at(index.column()) if index.isValid() else None
        if day is None:
            return
        row = self.model.rows[index.row()]
        menu = QMenu(self)
        menu.setObjectName("calendarMenu")
        writable = not self.read_only
        if day <= self.ctx.today:
            log = menu.addAction(_("Log a contact"), lambda: self.open_dialog(row, day))
            log.setEnabled(writable)
        for c in self.model.contacts_at(index):
            text = _("Edit {channel}: {note}").format(
                channel=_(c.channel.label), note=(c.summary or "—")[:30]
            )

            def edit(contact_id: int = c.contact_id) -> None:
                self.open_dialog(row, day, contact_id)

            menu.addAction(text, edit).setEnabled(writable)
        menu.addSeparator()
        menu.addAction(_("Open client"), lambda: self.open_client.emit(row.client_id))
        review = menu.addAction(_("Start review"), lambda: self.start_review.emit(row.client_id))
        review.setEnabled(writable)
        self.menu = menu
        menu.popup(self.view.viewport().mapToGlobal(pos))

    @property
    def read_only(self) -> bool:
        return bool(self.ctx.book.read_only)

    def open_dialog(
        self, row: CalendarRow, day: dt.date, contact_id: int | None = None
    ) -> ContactDialog:
        if contact_id is None:
            self.log_contact.emit(row.client_id)
        dialog = ContactDialog(self.ctx, row.client_id, row.name, day, contact_id, parent=self)
        dialog.saved.connect(self._contact_changed)
        dialog.deleted.connect(self._contact_changed)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _contact_changed(self, client_id: int) -> None:
        self.contact_saved.emit(client_id)
        self.refresh()

    def _name_double_clicked(self, section: int) -> None:
        if 0 <= section < len(self.model.rows):
            self.open_client.emit(self.model.rows[section].client_id)
