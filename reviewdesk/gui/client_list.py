"""The client list: a thin table model over plain summaries, and the search filter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from reviewdesk.book.enums import Tier
from reviewdesk.i18n import N_, _, current_language
from reviewdesk.money import format_money
from reviewdesk.review.cadence import DueState, client_label, shared_names
from reviewdesk.review.client_list import ClientFlag, ClientRow
from reviewdesk.text import name_matches

# The tints of a date due, the client list's and the contact calendar's: overdue in red,
# due (within the settings' days ahead) in amber.
DUE_TINTS = {DueState.OVERDUE: "#f6c9c9", DueState.DUE: "#fde2b5"}
_DUE_BRUSHES: dict[DueState, object] = {}  # a QBrush needs the Qt GUI module: made on use

_NEVER = dt.date.min

HEADERS = (
    N_("Name"),
    N_("Tier"),
    N_("Total assets"),
    N_("Last review"),
    N_("Next due"),
    N_("Flags"),
)
NAME, TIER, TOTAL, LAST, NEXT, FLAGS = range(6)
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
_ANSWERED = frozenset(
    (
        Qt.ItemDataRole.DisplayRole,
        ROW_ROLE,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.BackgroundRole,
    )
)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

# Sort keys per column, read from the rows in Python: the proxy would otherwise ask data()
# tens of thousands of times through Qt to sort 2,000 clients.
# Names go by their sort name (`text.sort_name`): Chinese names in pinyin among the rest.
SORT_KEYS = (
    lambda r: (r.summary.sort_name, r.summary.name),
    lambda r: (r.summary.tier.value, r.summary.sort_name, r.summary.name),
    lambda r: (r.summary.total_assets, r.summary.sort_name, r.summary.name),
    lambda r: (r.summary.last_review or _NEVER, r.summary.sort_name, r.summary.name),
    lambda r: (r.summary.next_review_due, r.summary.sort_name, r.summary.name),
    lambda r: (len(r.flags), r.summary.sort_name, r.summary.name),
)


def flag_text(flags) -> str:
    return ", ".join(_(f.label) for f in ClientFlag if f in flags)


class ClientListModel(QAbstractTableModel):
    """The rows, kept in the order the manager sorted them by (the proxy only filters)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[ClientRow] = []
        self._positions: dict[int, int] = {}
        self.sort_column = NAME
        self.sort_order = Qt.SortOrder.AscendingOrder
        # client id -> (the row the texts were made from, its cells' texts), in one language
        self._row_texts: dict[int, tuple[ClientRow, tuple[str, ...]]] = {}
        self._texts_lang = ""
        self._shared: set[str] = set()  # names more than one client has: shown with the code

    def set_rows(self, rows: list[ClientRow]) -> None:
        self.beginResetModel()
        self._row_texts.clear()
        self.rows = list(rows)
        self._shared = shared_names(row.summary.name for row in self.rows)
        self._order_rows()
        self.endResetModel()

    def update_rows(self, client_ids: Iterable[int], rows: list[ClientRow]) -> None:
        """The rows of `client_ids` read again: each replaced, added (a new client) or
        removed (deleted, or no longer the person's); the others are kept as they are, and
        so are the selection and the sort order."""
        fresh = {row.id: row for row in rows}
        for client_id in client_ids:
            position = self._positions.get(client_id)
            row = fresh.get(client_id)
            if position is not None and row is not None:
                self.rows[position] = row
                self.dataChanged.emit(
                    self.index(position, 0), self.index(position, len(HEADERS) - 1)
                )
            elif position is not None:
                self.beginRemoveRows(QModelIndex(), position, position)
                del self.rows[position]
                self._positions = {r.id: n for n, r in enumerate(self.rows)}
                self.endRemoveRows()
            elif row is not None:
                self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
                self.rows.append(row)
                self._positions[row.id] = len(self.rows) - 1
                self.endInsertRows()
        shared = shared_names(row.summary.name for row in self.rows)
        if shared != self._shared:  # a name now shared, or no longer: those rows read anew
            self._shared = shared
            self._row_texts.clear()
            if self.rows:
                self.dataChanged.emit(self.index(0, NAME), self.index(len(self.rows) - 1, NAME))
        # A new name, total or due date may move a row in the manager's order.
        self.sort(self.sort_column, self.sort_order)

    def _order_rows(self) -> None:
        self.rows.sort(
            key=SORT_KEYS[self.sort_column], reverse=self.sort_order == Qt.SortOrder.DescendingOrder
        )
        self._positions = {row.id: n for n, row in enumerate(self.rows)}

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SORT_KEYS):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self.rows[index.row()].id for index in persistent]
        self.sort_column, self.sort_order = column, order
        self._order_rows()
        self.changePersistentIndexList(
            persistent,
            [
                self.index(self._positions[client_id], index.column())
                for client_id, index in zip(ids, persistent, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def row_of(self, client_id: int) -> int:
        return self._positions.get(client_id, -1)

    def retranslate(self) -> None:
        self._row_texts.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, FLAGS))

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # Qt asks every cell it paints for some ten roles, most of which the list leaves to
        # the style: those are answered before anything else is looked at, and a row's
        # texts are made once (per language), not at every paint (a scroll repaints some
        # two hundred cells).
        if role not in _ANSWERED or not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts(row)[col]
        if role == ROW_ROLE:
            return row
        s = row.summary
        if role == Qt.ItemDataRole.ToolTipRole and col == NAME:
            return " · ".join(x for x in (s.code, row.phone, " ".join(row.tags)) if x)
        if role == Qt.ItemDataRole.ToolTipRole and col == FLAGS and row.flags:
            return flag_text(row.flags)  # the column is often narrower than all of them
        if role == Qt.ItemDataRole.TextAlignmentRole and col == TOTAL:
            return _RIGHT
        if col == NEXT and s.review_state in DUE_TINTS:
            # Overdue told from due, as the agenda and the calendar tell them (found: the
            # list flagged an overdue review "Review due" and left the date plain).
            if role == Qt.ItemDataRole.BackgroundRole:
                return due_brush(s.review_state)
            if role == Qt.ItemDataRole.ToolTipRole:
                overdue = s.review_state is DueState.OVERDUE
                return _("Review overdue") if overdue else _("Review due")
        return None

    def _texts(self, row: ClientRow) -> tuple[str, ...]:
        """The row's cells as shown, in the current language."""
        lang = current_language()
        if lang != self._texts_lang:
            self._row_texts.clear()
            self._texts_lang = lang
        texts = self._row_texts.get(row.id)
        if texts is None or texts[0] is not row:
            s = row.summary
            texts = (
                row,
                (
                    client_label(s.name, s.code, self._shared),
                    _(s.tier.label),
                    format_money(s.total_assets, s.report_currency, lang),
                    s.last_review.isoformat() if s.last_review else "—",
                    s.next_review_due.isoformat(),
                    flag_text(row.flags),
                ),
            )
            self._row_texts[row.id] = texts
        return texts[1]


def due_brush(state: DueState):
    """The brush of a date overdue or due (`DUE_TINTS`)."""
    brush = _DUE_BRUSHES.get(state)
    if brush is None:
        from PySide6.QtGui import QBrush, QColor

        brush = _DUE_BRUSHES[state] = QBrush(QColor(DUE_TINTS[state]))
    return brush


class ClientFilter(QSortFilterProxyModel):
    """Search by name, phone, code or tag; filters by tier, tag, flag and (a supervisor's
    team book) the managing manager."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.tier: Tier | None = None
        self.tag: str | None = None
        self.flag: ClientFlag | None = None
        self.manager: str | None = None
        self.owners: dict[int, str | None] = {}  # client id -> its manager (a team book)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """The view's header sorts the rows themselves; the filter keeps their order."""
        self.sourceModel().sort(column, order)

    def set_criteria(
        self, text: str | None = None, tier=..., tag=..., flag=..., manager=...
    ) -> None:
        self.beginFilterChange()
        if manager is not ...:
            self.manager = manager
        if text is not None:
            self.text = text.strip().lower()
        if tier is not ...:
            self.tier = tier
        if tag is not ...:
            self.tag = tag
        if flag is not ...:
            self.flag = flag
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _clients(self) -> ClientListModel:
        model = self.sourceModel()
        if not isinstance(model, ClientListModel):
            raise TypeError("the client filter sits over a ClientListModel")
        return model

    def filterAcceptsRow(self, source_row, source_parent) -> bool:  # noqa: N802
        row: ClientRow = self._clients().rows[source_row]
        if self.tier is not None and row.summary.tier != self.tier:
            return False
        if self.tag is not None and self.tag not in row.tags:
            return False
        if self.flag is not None and not row.has(self.flag):
            return False
        if self.manager is not None and self.owners.get(row.id) != self.manager:
            return False
        if not self.text:
            return True
        text = self.text
        return (
            name_matches(row.summary.name, row.summary.sort_name, text)
            or text in row.phone
            or text in row.summary.code.lower()
            or any(text in t.lower() for t in row.tags)
        )
