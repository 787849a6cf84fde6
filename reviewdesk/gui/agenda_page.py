"""The home page: what is due today and in the coming days, and why.

Each line says why it is there and how the client likes to be reached; one
click on its button starts the review, logs the contact or opens the client.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.gui.contact_dialog import ContactDialog, error_text
from reviewdesk.gui.worker import BackgroundTask, book_worker
from reviewdesk.i18n import N_, _, current_language
from reviewdesk.review.agenda import Agenda, AgendaKind, AgendaLine, build_agenda

WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
            N_("Saturday"), N_("Sunday"))
URGENT = {AgendaKind.REVIEW_OVERDUE, AgendaKind.CONTACT_OVERDUE,
          AgendaKind.ASSESSMENT_EXPIRED}
URGENT_COLOUR = QColor("#b00020")
PREFERENCE_COLOUR = QColor("#8a5a00")
LINK_COLOUR = QColor("#1f5f99")
LINE_ROLE = Qt.ItemDataRole.UserRole + 1

COL_WHAT, COL_CLIENT, COL_WHY, COL_PREF, COL_ACTION = range(5)


def day_title(day: dt.date, today: dt.date) -> str:
    text = f"{day.isoformat()}  {_(WEEKDAYS[day.weekday()])}"
    if day == today:
        return text + "  " + _("(today)")
    if day == today + dt.timedelta(days=1):
        return text + "  " + _("(tomorrow)")
    return text


class AgendaPage(QWidget):
    open_client = Signal(int)
    start_review = Signal(int)
    log_contact = Signal(int)  # the user started logging a contact with this client
    contact_saved = Signal(int)
    loaded = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("agendaPage")
        self.ctx = ctx
        self.agenda: Agenda | None = None
        self.dialog: ContactDialog | None = None
        self._generation = 0

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
        self.days.setValue(7)
        self.group_label = QLabel()
        self.group_box = QComboBox()
        self.group_box.setObjectName("agendaGroup")
        self.group_box.addItem("", "day")
        self.group_box.addItem("", "kind")
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("agendaRefresh")
        self.summary = QLabel()
        self.summary.setObjectName("agendaSummary")

        self.tree = QTreeWidget()
        self.tree.setObjectName("agendaTree")
        self.tree.setColumnCount(5)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(10)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(False)
        header = self.tree.header()
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
        for w in (self.days_label, self.days, self.group_label, self.group_box,
                  self.refresh_button):
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)

        self.days.valueChanged.connect(self.refresh)
        self.group_box.currentIndexChanged.connect(self._render)
        self.refresh_button.clicked.connect(self.refresh)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.installEventFilter(self)
        self.tree.setMouseTracking(True)
        self.tree.itemEntered.connect(self._hovered)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.title.setText(_("Agenda"))
        self.days_label.setText(_("Days ahead"))
        self.group_label.setText(_("Group by"))
        self.group_box.setItemText(0, _("Day"))
        self.group_box.setItemText(1, _("Kind"))
        self.refresh_button.setText(_("Refresh"))
        self.tree.setHeaderLabels([_("What"), _("Client"), _("Why"), _("Contact preference"),
                                   ""])
        self._render()

    # -- loading -----------------------------------------------------------
    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        ctx, today, days = self.ctx, self.ctx.today, self.days.value()
        self.summary.setText(_("Loading…"))

        def work(token):
            token.check()
            with ctx.book.session() as session:
                return build_agenda(session, today, days)

        BackgroundTask(work).success(lambda agenda: self._loaded(generation, agenda)).failure(
            lambda exc: self._failed(generation, exc)).run_on(book_worker())

    def _loaded(self, generation: int, agenda: Agenda) -> None:
        if generation != self._generation:
            return
        self.agenda = agenda
        self._render()
        self.loaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.summary.setText(error_text(exc))

    # -- showing -----------------------------------------------------------
    def _render(self) -> None:
        self.tree.clear()
        agenda = self.agenda
        if agenda is None:
            return
        lang = current_language()
        if not agenda.lines:
            self.summary.setText(_("Nothing due from {start} to {end}.").format(
                start=agenda.today.isoformat(), end=agenda.end.isoformat()))
            return
        urgent = sum(1 for line in agenda.lines if line.kind in URGENT)
        self.summary.setText(_("{n} items from {start} to {end}; {urgent} overdue or expired")
                             .format(n=len(agenda.lines), start=agenda.today.isoformat(),
                                     end=agenda.end.isoformat(), urgent=urgent))
        if self.group_box.currentData() == "kind":
            groups = [(_(kind.label), lines) for kind, lines in agenda.by_kind()]
        else:
            groups = [(day_title(day, agenda.today), lines) for day, lines in agenda.by_day()]
        metrics = self.tree.fontMetrics()
        header = self.tree.header()
        header.resizeSection(COL_WHAT, 24 + max(
            metrics.horizontalAdvance(_(line.kind.label)) for line in agenda.lines))
        header.resizeSection(COL_CLIENT, 24 + min(240, max(
            metrics.horizontalAdvance(line.client_label or line.client_name)
            for line in agenda.lines)))
        bold = QFont(self.tree.font())
        bold.setBold(True)
        self._link_font = QFont(self.tree.font())
        self._link_font.setUnderline(True)
        for title, lines in groups:
            group = QTreeWidgetItem(self.tree, [f"{title}   ({len(lines)})"])
            group.setFirstColumnSpanned(True)
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for line in lines:
                self._add_line(group, line, lang)
            group.setExpanded(True)

    def _add_line(self, group: QTreeWidgetItem, line: AgendaLine, lang: str) -> None:
        why = line.why(lang)
        name = line.client_label or line.client_name
        item = QTreeWidgetItem(group, [_(line.kind.label), name, why, line.preferences or ""])
        item.setData(0, LINE_ROLE, line)
        item.setToolTip(COL_WHY, why)
        item.setToolTip(COL_CLIENT, f"{line.client_name} ({line.client_code})")
        if line.preferences:
            item.setToolTip(COL_PREF, line.preferences)
            item.setForeground(COL_PREF, QBrush(PREFERENCE_COLOUR))
        if line.kind in URGENT:
            item.setForeground(COL_WHAT, QBrush(URGENT_COLOUR))
        # The action is a link-like cell, not a button per line: a widget per line made
        # a book with thousands of lines take a minute to show.
        item.setText(COL_ACTION, self._action_text(line))
        item.setForeground(COL_ACTION, QBrush(LINK_COLOUR))
        item.setFont(COL_ACTION, self._link_font)
        item.setToolTip(COL_ACTION, self._action_text(line))

    @staticmethod
    def _action_text(line: AgendaLine) -> str:
        return {"review": _("Start review"), "contact": _("Log contact"),
                "open": _("Open client")}[line.action]

    def lines(self) -> list[AgendaLine]:
        return self.agenda.lines if self.agenda else []

    # -- actions -----------------------------------------------------------
    def activate(self, line: AgendaLine) -> None:
        """The line's one-click action."""
        if line.action == "review":
            self.start_review.emit(line.client_id)
        elif line.action == "contact":
            self.open_contact_dialog(line)
        else:
            self.open_client.emit(line.client_id)

    def open_contact_dialog(self, line: AgendaLine) -> ContactDialog:
        self.log_contact.emit(line.client_id)
        dialog = ContactDialog(self.ctx, line.client_id, line.client_name, self.ctx.today,
                               channel=line.channel, parent=self)
        dialog.set_context(line.why(), line.preferences)
        dialog.saved.connect(self._contact_saved)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _contact_saved(self, client_id: int) -> None:
        self.contact_saved.emit(client_id)
        self.refresh()

    def _clicked(self, item: QTreeWidgetItem, column: int) -> None:
        """One click on a line's action (the last column) does it."""
        line = item.data(0, LINE_ROLE)
        if line is not None and column == COL_ACTION:
            self.activate(line)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """Enter on a line does its action, as a click on the action would."""
        if (watched is self.tree and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            item = self.tree.currentItem()
            line = item.data(0, LINE_ROLE) if item is not None else None
            if line is not None:
                self.activate(line)
                return True
        return super().eventFilter(watched, event)

    def _hovered(self, item: QTreeWidgetItem, column: int) -> None:
        link = column == COL_ACTION and item.data(0, LINE_ROLE) is not None
        self.tree.viewport().setCursor(Qt.CursorShape.PointingHandCursor if link
                                       else Qt.CursorShape.ArrowCursor)

    def _double_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        line = item.data(0, LINE_ROLE)
        if line is not None and column != COL_ACTION:
            self.open_client.emit(line.client_id)
