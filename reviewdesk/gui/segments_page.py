"""The book by value: the ranking, the 80/20 chart, suggested tiers and clients with potential."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.book.editing import set_tier
from reviewdesk.book.enums import Tier
from reviewdesk.gui.common import LatestRead
from reviewdesk.gui.contact_dialog import error_text, run_in_book
from reviewdesk.i18n import _, current_language, ngettext
from reviewdesk.money import format_money, format_percent
from reviewdesk.review.segments import ClientValue, Segmentation, segment_book

KEY_BACKGROUND = QColor("#e3eef7")
CHANGE_COLOUR = QColor("#b05a00")
_ROOT = QModelIndex()


class ValueTableModel(QAbstractTableModel):
    """A thin table over `ClientValue` rows; each column is (header, text of a row)."""

    RANKING = (
        "rank",
        "name",
        "tier",
        "suggested",
        "here",
        "total",
        "rank_total",
        "cumulative",
        "tags",
    )
    SUGGESTIONS = ("name", "tier", "suggested", "here", "cumulative")
    POTENTIAL = ("name", "here", "elsewhere", "total", "why")
    RIGHT = {"rank", "here", "total", "rank_total", "cumulative", "elsewhere"}

    def __init__(self, columns: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.columns = columns
        self.rows: list[ClientValue] = []
        self.currency = "CNY"

    def set_rows(self, rows: list[ClientValue], currency: str) -> None:
        self.beginResetModel()
        self.rows = rows
        self.currency = currency
        self.endResetModel()

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            "rank": _("#"),
            "name": _("Client"),
            "tier": _("Tier"),
            "suggested": _("Suggested"),
            "here": _("Assets here"),
            "total": _("Total assets"),
            "rank_total": _("# by total"),
            "cumulative": _("Cumulative"),
            "tags": _("Tags"),
            "elsewhere": _("Elsewhere"),
            "why": _("Why"),
        }[self.columns[section]]

    def text(self, row: ClientValue, column: str) -> str:
        lang = current_language()
        money = lambda amount: format_money(amount, self.currency, lang)  # noqa: E731
        return {
            "rank": lambda: str(row.rank_bank),
            "name": lambda: row.name,
            "tier": lambda: _(row.tier.label),
            "suggested": lambda: _(row.suggested_tier.label),
            "here": lambda: money(row.bank_assets),
            "total": lambda: money(row.total_assets),
            "rank_total": lambda: str(row.rank_total),
            "cumulative": lambda: format_percent(row.cumulative_share, signed=False),
            "tags": lambda: ", ".join(row.tags),
            "elsewhere": lambda: money(row.elsewhere),
            "why": lambda: row.potential_text(lang),
        }[column]()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in ("name", "why"):
            return f"{row.name} ({row.code})" if column == "name" else row.potential_text()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and row.suggested_tier is Tier.KEY
            and "rank" in self.columns
        ):
            return QBrush(KEY_BACKGROUND)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == "suggested"
            and row.suggested_tier is not row.tier
        ):
            return QBrush(CHANGE_COLOUR)
        return None

    def refresh_texts(self) -> None:
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1)
            )
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)


def _table(model: ValueTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class SegmentsPage(QWidget):
    open_client = Signal(int)
    start_review = Signal(int)
    tier_changed = Signal(int)
    loaded = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("segmentsPage")
        self.ctx = ctx
        self.segmentation: Segmentation | None = None
        self._read = LatestRead()
        self.canvas = None

        self.title = QLabel()
        font = self.title.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setObjectName("segmentsSummary")
        self.summary.setWordWrap(True)
        self.rank_label = QLabel()
        self.rank_box = QComboBox()
        self.rank_box.setObjectName("rankBy")
        self.rank_box.addItem("", "here")
        self.rank_box.addItem("", "total")
        self.rank_label.setBuddy(self.rank_box)
        self.refresh_button = QPushButton()

        self.ranking = ValueTableModel(ValueTableModel.RANKING, self)
        self.ranking_view = _table(self.ranking, "rankingView")
        self.suggestions = ValueTableModel(ValueTableModel.SUGGESTIONS, self)
        self.suggestions_view = _table(self.suggestions, "suggestionsView")
        self.potential = ValueTableModel(ValueTableModel.POTENTIAL, self)
        self.potential_view = _table(self.potential, "potentialView")
        self.accept_button = QPushButton()
        self.accept_button.setObjectName("acceptTier")
        self.keep_button = QPushButton()
        self.keep_button.setObjectName("keepTier")
        self.tier_message = QLabel()
        self.tier_message.setObjectName("tierMessage")
        self.tier_message.setWordWrap(True)

        self.chart_holder = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_holder)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)

        suggestions_tab = QWidget()
        tab_layout = QVBoxLayout(suggestions_tab)
        tab_layout.addWidget(self.suggestions_view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.tier_message, 1)
        tab_layout.addLayout(buttons)
        self.tabs = QTabWidget()
        self.tabs.addTab(suggestions_tab, "")
        self.tabs.addTab(self.potential_view, "")

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.chart_holder)
        right.addWidget(self.tabs)
        right.setSizes([380, 320])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.ranking_view)
        split.addWidget(right)
        split.setSizes([620, 680])

        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addStretch(1)
        bar.addWidget(self.rank_label)
        bar.addWidget(self.rank_box)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

        self.rank_box.currentIndexChanged.connect(self._fill_ranking)
        self.refresh_button.clicked.connect(self.refresh)
        self.accept_button.clicked.connect(self.accept_selected)
        self.keep_button.clicked.connect(self.keep_selected)
        for view, model in (
            (self.ranking_view, self.ranking),
            (self.suggestions_view, self.suggestions),
            (self.potential_view, self.potential),
        ):
            view.doubleClicked.connect(
                lambda index, m=model: self.open_client.emit(m.rows[index.row()].client_id)
            )
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.title.setText(_("Clients by value"))
        self.rank_label.setText(_("Rank by"))
        self.rank_box.setItemText(0, _("Assets here"))
        self.rank_box.setItemText(1, _("Total assets"))
        self.refresh_button.setText(_("Refresh"))
        self.accept_button.setText(_("Accept suggested tier"))
        self.keep_button.setText(_("Keep current tier"))
        self.tabs.setTabText(0, _("Suggested tier changes"))
        self.tabs.setTabText(1, _("Clients with potential"))
        self.ranking_view.setAccessibleName(_("Clients by value"))
        self.suggestions_view.setAccessibleName(_("Suggested tier changes"))
        self.potential_view.setAccessibleName(_("Clients with potential"))
        for model in (self.ranking, self.suggestions, self.potential):
            model.refresh_texts()
        self._show()

    # -- loading -----------------------------------------------------------
    def refresh(self) -> None:
        today = self.ctx.today
        self.summary.setText(_("Loading…"))
        self._read.run(
            self.ctx, lambda session: segment_book(session, today), self._loaded, self._failed
        )

    def _loaded(self, seg: Segmentation) -> None:
        self.segmentation = seg
        self._show()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(error_text(exc))

    def _show(self) -> None:
        seg = self.segmentation
        if seg is None:
            return
        lang = current_language()
        note = seg.rates_text(lang)
        self.summary.setText(seg.key_share_text(lang) + (" " + note if note else ""))
        self._fill_ranking()
        self.suggestions.set_rows(seg.suggestions, seg.currency)
        self.potential.set_rows(seg.potential, seg.currency)
        for view in (self.ranking_view, self.suggestions_view, self.potential_view):
            view.resizeColumnsToContents()
        self.tabs.setTabText(0, _("Suggested tier changes") + f" ({len(seg.suggestions)})")
        self.tabs.setTabText(1, _("Clients with potential") + f" ({len(seg.potential)})")
        self._draw_chart(seg, lang)

    def _fill_ranking(self) -> None:
        seg = self.segmentation
        if seg is None:
            return
        rows = seg.by_total if self.rank_box.currentData() == "total" else seg.rows
        self.ranking.set_rows(rows, seg.currency)

    def _draw_chart(self, seg: Segmentation, lang: str) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from reviewdesk.charts.pareto import pareto_figure

        if self.canvas is not None:
            self.chart_layout.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.canvas = FigureCanvasQTAgg(pareto_figure(seg, lang, size=(6.5, 3.6)))
        self.canvas.setObjectName("paretoCanvas")
        self.canvas.setMinimumHeight(260)
        self.chart_layout.addWidget(self.canvas)

    # -- tiers -------------------------------------------------------------
    def selected_suggestions(self) -> list[ClientValue]:
        rows = {index.row() for index in self.suggestions_view.selectionModel().selectedRows()}
        return [self.suggestions.rows[i] for i in sorted(rows)]

    def accept_selected(self) -> None:
        self._set_tiers(
            [(r.client_id, r.suggested_tier, r.suggested_tier) for r in self.selected_suggestions()]
        )

    def keep_selected(self) -> None:
        """Keep the tier against the suggestion: recorded, so the choice is visible later."""
        self._set_tiers(
            [(r.client_id, r.tier, r.suggested_tier) for r in self.selected_suggestions()]
        )

    def _set_tiers(self, changes: list[tuple[int, Tier, Tier]]) -> None:
        if not changes:
            self.tier_message.setText(_("Select one or more clients first."))
            return
        user = self.ctx.user

        def work(session):
            for client_id, tier, suggested in changes:
                set_tier(session, client_id, tier, user, suggested)
            return [client_id for client_id, _tier, _suggested in changes]

        self.tier_message.setText(_("Saving…"))
        run_in_book(
            self.ctx,
            work,
            self._tiers_saved,
            lambda exc: self.tier_message.setText(error_text(exc)),
        )

    def _tiers_saved(self, client_ids: list[int]) -> None:
        self.tier_message.setText(
            ngettext("{n} client updated.", "{n} clients updated.", len(client_ids)).format(
                n=len(client_ids)
            )
        )
        for client_id in client_ids:
            self.tier_changed.emit(client_id)
        self.refresh()
