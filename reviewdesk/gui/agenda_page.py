"""The home page: what is due today and in the coming days, and why.

Each line says why it is there and how the client likes to be reached; one
click on its button starts the review, logs the contact or opens the client.
"""

from __future__ import annotations

from bisect import bisect_right
from html import escape

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.gui.common import LatestRead
from reviewdesk.gui.contact_dialog import ContactDialog, error_text
from reviewdesk.i18n import _, current_language
from reviewdesk.review.agenda import Agenda, AgendaLine, build_agenda, day_heading
from reviewdesk.settings import OPTIONS

URGENT_COLOUR = QColor("#b00020")
PREFERENCE_COLOUR = QColor("#8a5a00")
LINK_COLOUR = QColor("#1f5f99")
HEADING_BACKGROUND = QColor("#e6ecf2")  # a group's heading row, across the table
LINE_ROLE = Qt.ItemDataRole.UserRole + 1

COL_WHAT, COL_CLIENT, COL_WHY, COL_PREF, COL_ACTION = range(5)
# Asked for every row on screen at each paint: made once, not per call.
NO_FLAGS = Qt.ItemFlag.NoItemFlags
GROUP_FLAGS = Qt.ItemFlag.ItemIsEnabled
LINE_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
COLUMNS = 5


class AgendaModel(QAbstractTableModel):
    """The agenda as one flat table: each group (a day or a kind) is a heading row
    followed by its lines; a cell's text is made only when shown.

    A week of a 10,000-client book has tens of thousands of lines: the table view asks
    only for the rows on screen (a tree asks for every line as it expands its groups).
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[AgendaLine | str] = []  # a heading row is its title
        self._headings: list[int] = []  # the rows that are headings, in order
        self.lang = "en"
        self.read_only = False  # a read-only book's lines only open their client
        self._why: dict[int, str] = {}
        self.bold = QFont()
        self.bold.setBold(True)
        self.link = QFont()
        self.link.setUnderline(True)
        self.heading_brush = QBrush(HEADING_BACKGROUND)

    def set_groups(
        self, groups: list[tuple[str, list[AgendaLine]]], lang: str, font: QFont
    ) -> None:
        rows: list[AgendaLine | str] = []
        headings = []
        for title, lines in groups:
            headings.append(len(rows))
            rows.append(f"{title}   ({len(lines)})")
            rows.extend(lines)
        self.beginResetModel()
        self.rows, self._headings, self.lang, self._why = rows, headings, lang, {}
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.link = QFont(font)
        self.link.setUnderline(True)
        self.endResetModel()

    @property
    def headings(self) -> list[int]:
        """The rows that are group headings (a day or a kind), top to bottom."""
        return self._headings

    def heading_of(self, row: int) -> str:
        """The title of the group row `row` belongs to ("" before any)."""
        at = bisect_right(self._headings, row) - 1
        title = self.rows[self._headings[at]] if at >= 0 else ""
        return title if isinstance(title, str) else ""

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else COLUMNS

    def flags(self, index):
        if not index.isValid():
            return NO_FLAGS
        return GROUP_FLAGS if type(self.rows[index.row()]) is str else LINE_FLAGS

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_("What"), _("Client"), _("Why"), _("Contact preference"), "")[section]
        return None

    def line(self, index: QModelIndex) -> AgendaLine | None:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        return None if isinstance(item, str) else item

    def why(self, line: AgendaLine) -> str:
        text = self._why.get(id(line))
        if text is None:
            text = self._why[id(line)] = line.why(self.lang)
        return text

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        column = index.column()
        line = self.rows[index.row()]
        if type(line) is str:  # a group's heading, spanned over the row
            if column != 0:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return line
            if role == Qt.ItemDataRole.FontRole:
                return self.bold
            if role == Qt.ItemDataRole.BackgroundRole:
                return self.heading_brush
            if role == Qt.ItemDataRole.AccessibleDescriptionRole:
                return _("Group heading")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_CLIENT:
                return f"{line.client_name} ({line.client_code})"
            return self._text(line, column) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_ACTION:
                return QBrush(LINK_COLOUR)
            if column == COL_PREF and line.preferences:
                return QBrush(PREFERENCE_COLOUR)
            if column == COL_WHAT and line.kind.urgent:
                return QBrush(URGENT_COLOUR)
            return None
        if role == Qt.ItemDataRole.FontRole and column == COL_ACTION:
            return self.link
        if role == LINE_ROLE:
            return line
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and column == COL_WHAT:
            # A screen reader names the line's group (its day or kind) as a tree did.
            return self.heading_of(index.row())
        return None

    def _text(self, line: AgendaLine, column: int) -> str:
        if column == COL_WHAT:
            return _(line.kind.label)
        if column == COL_CLIENT:
            return line.client_label or line.client_name
        if column == COL_WHY:
            return self.why(line)
        if column == COL_PREF:
            return line.preferences or ""
        return action_text(line, self.read_only)


def line_action(line: AgendaLine, read_only: bool = False) -> str:
    """What a line's one click does: in a read-only book only opening the client."""
    return "open" if read_only else line.action


def action_text(line: AgendaLine, read_only: bool = False) -> str:
    return {"review": _("Start review"), "contact": _("Log contact"), "open": _("Open client")}[
        line_action(line, read_only)
    ]


def _empty_book_text() -> str:
    """What an empty book's agenda says: how to begin, each step a link (`first_step`).
    Found: a new book opened on an empty agenda saying only that nothing was due."""
    new = f'<a href="new_client">{escape(_("add a client"))}</a>'
    imported = f'<a href="import">{escape(_("import clients from Excel or CSV"))}</a>'
    return escape(_("No clients yet: {new}, or {imported}.")).format(new=new, imported=imported)


class AgendaPage(QWidget):
    open_client = Signal(int)
    start_review = Signal(int)
    log_contact = Signal(int)  # the user started logging a contact with this client
    contact_saved = Signal(int)
    loaded = Signal()
    # An empty book's agenda offers its first steps: "new_client" or "import".
    first_step = Signal(str)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("agendaPage")
        self.ctx = ctx
        self.agenda: Agenda | None = None
        self.dialog: ContactDialog | None = None
        self._read = LatestRead()

        self.title = QLabel()
        self.title.setObjectName("agendaTitle")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.title.setFont(font)
        self.days_label = QLabel()
        self.days = QSpinBox()
        self.days.setObjectName("agendaDays")
        self.days.setRange(0, 90)
        # The settings' days ahead (`due_ahead_days`) until the manager picks other days: the
        # agenda then opens on what the client list and the calendar flag as due.
        self.days.setValue(OPTIONS["due_ahead_days"].default)
        self._days_chosen = False
        self.group_label = QLabel()
        self.group_box = QComboBox()
        self.group_box.setObjectName("agendaGroup")
        # Wide enough for the longest choice in the language shown ("按日期", "Kind").
        self.group_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group_box.addItem("", "day")
        self.group_box.addItem("", "kind")
        self.days_label.setBuddy(self.days)
        self.group_label.setBuddy(self.group_box)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("agendaRefresh")
        self.summary = QLabel()
        self.summary.setObjectName("agendaSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.linkActivated.connect(self.first_step.emit)

        self.model = AgendaModel(self)
        self.model.read_only = bool(ctx.book.read_only)
        # A flat table whose group headings are rows spanning every column: it looks like a
        # tree of days (or kinds) but Qt asks only for the rows on screen.
        self.table = QTableView()
        self.table.setObjectName("agendaTable")
        self.table.setModel(self.model)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, as from the other lists
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no row measured
        rows.setMinimumSectionSize(1)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_CLIENT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_WHY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_PREF, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_ACTION, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(COL_WHAT, 150)
        header.resizeSection(COL_CLIENT, 130)
        header.resizeSection(COL_PREF, 260)
        header.resizeSection(COL_ACTION, 110)

        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addStretch(1)
        for w in (
            self.days_label,
            self.days,
            self.group_label,
            self.group_box,
            self.refresh_button,
        ):
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

        self.days.valueChanged.connect(self._days_changed)
        self.group_box.currentIndexChanged.connect(self._render)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.clicked.connect(self._clicked)
        self.table.installEventFilter(self)
        self.table.setMouseTracking(True)
        self.table.entered.connect(self._hovered)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.title.setText(_("Agenda"))
        self.days_label.setText(_("Days ahead"))
        self.group_label.setText(_("Group by"))
        self.group_box.setItemText(0, _("Day"))
        self.group_box.setItemText(1, _("Kind"))
        self.refresh_button.setText(_("Refresh"))
        self.table.setAccessibleName(_("Agenda"))
        self._render()

    # -- loading -----------------------------------------------------------
    def _days_changed(self) -> None:
        self._days_chosen = True
        self.refresh()

    def refresh(self) -> None:
        today, days = self.ctx.today, self.days.value() if self._days_chosen else None
        self.summary.setText(_("Loading…"))
        self._read.run(
            self.ctx, lambda session: build_agenda(session, today, days), self._loaded, self._failed
        )

    def _loaded(self, agenda: Agenda) -> None:
        self.agenda = agenda
        if not self._days_chosen and self.days.value() != agenda.days:
            self.days.blockSignals(True)
            self.days.setValue(agenda.days)
            self.days.blockSignals(False)
        self._render()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(escape(error_text(exc)))

    # -- showing -----------------------------------------------------------
    def _render(self) -> None:
        agenda = self.agenda
        if agenda is None:
            self._set_groups([], current_language())
            return
        lang = current_language()
        if not agenda.lines:
            self._set_groups([], lang)
            self.summary.setText(
                _empty_book_text() if agenda.clients == 0 else escape(agenda.span_text(lang))
            )
            return
        self.summary.setText(escape(agenda.span_text(lang)))
        if self.group_box.currentData() == "kind":
            groups = [(_(kind.label), lines) for kind, lines in agenda.by_kind()]
        else:
            groups = [
                (day_heading(day, agenda.today, gap="  "), lines) for day, lines in agenda.by_day()
            ]
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        kinds = {line.kind for line in agenda.lines}
        header.resizeSection(
            COL_WHAT, 24 + max(metrics.horizontalAdvance(_(k.label)) for k in kinds)
        )
        # The widest names by length are measured, not every one of thousands.
        names = sorted({line.client_label or line.client_name for line in agenda.lines}, key=len)[
            -20:
        ]
        header.resizeSection(
            COL_CLIENT, 24 + min(240, max(metrics.horizontalAdvance(name) for name in names))
        )
        self._set_groups(groups, lang)

    def _set_groups(self, groups: list[tuple[str, list[AgendaLine]]], lang: str) -> None:
        table = self.table
        table.clearSpans()
        self.model.set_groups(groups, lang, table.font())
        # The height of one line of text, as a tree with uniform rows gives it.
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 2)
        for row in self.model.headings:
            table.setSpan(row, 0, 1, COLUMNS)

    def lines(self) -> list[AgendaLine]:
        return self.agenda.lines if self.agenda else []

    # -- actions -----------------------------------------------------------
    def activate(self, line: AgendaLine) -> None:
        """The line's one-click action."""
        action = line_action(line, self.model.read_only)
        if action == "review":
            self.start_review.emit(line.client_id)
        elif action == "contact":
            self.open_contact_dialog(line)
        else:
            self.open_client.emit(line.client_id)

    def open_contact_dialog(self, line: AgendaLine) -> ContactDialog:
        self.log_contact.emit(line.client_id)
        dialog = ContactDialog(
            self.ctx,
            line.client_id,
            line.client_name,
            self.ctx.today,
            channel=line.channel,
            parent=self,
        )
        dialog.set_context(line.why(), line.preferences)
        dialog.saved.connect(self._contact_saved)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _contact_saved(self, client_id: int) -> None:
        self.contact_saved.emit(client_id)
        self.refresh()

    def _clicked(self, index: QModelIndex) -> None:
        """One click on a line's action (the last column) does it."""
        line = self.model.line(index)
        if line is not None and index.column() == COL_ACTION:
            self.activate(line)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """Enter on a line does its action, as a click on the action would."""
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            line = self.model.line(self.table.currentIndex())
            if line is not None:
                self.activate(line)
                return True
        return super().eventFilter(watched, event)

    def _hovered(self, index: QModelIndex) -> None:
        link = index.column() == COL_ACTION and self.model.line(index) is not None
        self.table.viewport().setCursor(
            Qt.CursorShape.PointingHandCursor if link else Qt.CursorShape.ArrowCursor
        )

    def _double_clicked(self, index: QModelIndex) -> None:
        line = self.model.line(index)
        if line is not None and index.column() != COL_ACTION:
            self.open_client.emit(line.client_id)
