"""The sections of a review as Qt widgets, shared by the review page and present mode.

Both screens are built from the same review object by the same functions, in
the order of the pack, so what the manager prepared is what the client sees.
Widgets here show one review and nothing else: no client list, no search.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.i18n import current_language, ngettext, translator, with_ratio, written_date
from reviewdesk.money import format_money, format_percent, format_signed, news, round_money
from reviewdesk.review import returns_text as words
from reviewdesk.review.insurance_text import (
    gap_text,
    left_out_sentences,
    no_cover_sentence,
    no_income_note,
    premiums_sentence,
    rules_sentences,
)
from reviewdesk.review.model import (
    NEEDS_ASSESSMENT_LINE,
    NO_MATURITY_LINE,
    NO_NEXT_STEP_LINE,
    NO_POINTS_LINE,
    NONE_RATED_R2_LINE,
    NOTHING_TO_JUDGE_LINE,
    WITHIN_LEVEL_LINE,
    Suitability,
    unjudged_sentence,
    unrated_sentence,
)
from reviewdesk.review.returns import Returns
from reviewdesk.review.risk_status import AssessmentState

if TYPE_CHECKING:  # matplotlib is loaded when the first chart is built, not at start
    from matplotlib.figure import Figure

FLAG = "#b3261e"  # a flag (expired, unsuitable, gap): red, and always said in words too
GOOD = "#1b6e3a"
TONES = {1: GOOD, -1: FLAG, 0: None}  # good news, bad news, neither (`money.news`)
ACCENT = "#1d4e89"
MUTED = "#6b6b6b"
NEW = "#1b6e3a"
GONE = "#6b6b6b"

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class Fmt:
    """Amounts, ratios and dates of one review, in the current language."""

    def __init__(self, review, lang: str | None = None, scale: float = 1.0):
        self.currency = review.currency
        self.lang = lang or current_language()
        self.scale = scale
        self.tr = translator(self.lang)

    def font(self, factor: float = 1.0, bold: bool = False) -> QFont:
        """The application font times this screen's scale (present mode is larger)."""
        font = QFont(QApplication.font())
        font.setPointSizeF(font.pointSizeF() * self.scale * factor)
        font.setBold(bold)
        return font

    def money(self, amount: Decimal | None, currency: bool = False) -> str:
        if amount is None:
            return "—"
        return format_money(amount, self.currency, self.lang, code=currency)

    def signed(self, amount: Decimal | None) -> str:
        if amount is None:
            return "—"
        return format_signed(amount, self.currency, self.lang, compact=True)

    def whole(self, amount: Decimal | None, signed: bool = False) -> str:
        """An amount in whole units of the currency, without its code (a wide table)."""
        if amount is None:
            return "—"
        if signed:
            return format_signed(amount, self.currency, self.lang, compact=True, places=0)
        return format_money(amount, self.currency, self.lang, code=False, places=0)

    def pct(self, ratio: Decimal | None) -> str:
        return format_percent(ratio, self.lang)

    @staticmethod
    def date(day: dt.date | None) -> str:
        """A date in a table's cell: 2026-03-17."""
        return day.isoformat() if day else "—"

    def said(self, day: dt.date | None) -> str:
        """A date in a sentence, as the pack writes it: "17 Mar 2026", "2026年3月17日".
        Found: present mode read "the risk assessment expired on 2025-12-26" where the
        pack the client takes home reads "expired on 26 Dec 2025"."""
        return written_date(day, self.lang)


def heading(text: str, fmt: Fmt, level: int = 1) -> QLabel:
    label = QLabel(text)
    label.setFont(fmt.font(1.4 if level == 1 else 1.15, bold=True))
    label.setObjectName("heading")
    return label


def big_label(text: str, fmt: Fmt) -> QLabel:
    label = QLabel(text)
    label.setObjectName("figure")
    label.setFont(fmt.font(1.6, bold=True))
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def flag_label(text: str, fmt: Fmt) -> QLabel:
    """A warning in colour and in words (colour alone is lost on paper and to some eyes)."""
    label = QLabel(f"⚠ {text}")
    label.setWordWrap(True)
    label.setFont(fmt.font(bold=True))
    tint(label, FLAG)
    label.setProperty("flag", True)
    return label


def tint(widget: QWidget, colour: str) -> None:
    """The widget's text (or line) colour, through its palette.

    A style sheet per widget would do the same, but every widget with one is
    polished through the style sheet machinery when the page is put on screen:
    with a few dozen of them that is most of the time a client switch takes.
    """
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    widget.setPalette(palette)


def retint(widget: QWidget, colour: str | None) -> None:
    """`tint`, or back to the inherited colour for None (a widget shown again)."""
    if colour is None:
        widget.setPalette(QPalette())
    else:
        tint(widget, colour)


def text_label(text: str, fmt: Fmt, muted: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setFont(fmt.font())
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if muted:
        tint(label, MUTED)
    return label


FIRST_COLUMN_EMS = 8  # the least width of a table's first column, in widths of "M"


class ReadOnlyTable(QTableWidget):
    """A table that fits its rows (the page scrolls, not each table)."""

    def __init__(self, headers: list[str], fmt: Fmt, fit_rows: bool = True):
        super().__init__(0, len(headers))
        self.setFont(fmt.font())
        self.horizontalHeader().setFont(fmt.font(0.9, bold=True))
        self._bold = fmt.font(bold=True)
        self.setHorizontalHeaderLabels(headers)
        # What a screen reader announces: the columns it holds (a product, its value...).
        self.setAccessibleName(", ".join(h for h in headers if h))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        # One line per row, the same height for all: long names are elided and
        # shown whole in a tooltip, so a table's height is known before layout.
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.verticalHeader().setDefaultSectionSize(round(QFontMetrics(self.font()).height() * 1.5))
        self.setAlternatingRowColors(True)
        self._fit_rows = fit_rows

    def add_row(
        self,
        cells: list[str],
        *,
        color: str | None = None,
        bold: bool = False,
        right_from: int = 99,
        span: bool = False,
        tips: list[str] | None = None,
    ) -> int:
        row = self.rowCount()
        self.insertRow(row)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column >= right_from:
                item.setTextAlignment(RIGHT)
            if color:
                item.setForeground(QBrush(QColor(color)))
            if bold:
                item.setFont(self._bold)
            if tips and column < len(tips) and tips[column]:
                item.setToolTip(tips[column])
            elif column == 0 and len(text) > 24:
                item.setToolTip(text.strip())
            self.setItem(row, column, item)
        if span:
            self.setSpan(row, 0, 1, max(1, self.columnCount() - len(cells) + 1))
        return row

    def empty(self) -> None:
        """No rows (to be filled again: the columns, fonts and sizes stay)."""
        self.clearSpans()
        self.setRowCount(0)

    def cell(self, row: int, column: int) -> QTableWidgetItem:
        """The item `add_row` put at (row, column)."""
        item = self.item(row, column)
        if item is None:
            raise LookupError(f"no cell at row {row}, column {column}")
        return item

    def finish(self) -> None:
        # Sized to the contents once, when filled, rather than again after every row.
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._keep_first_column()
        if self._fit_rows:
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.fit_height()

    def _keep_first_column(self) -> None:
        """The first column (the names) takes the room the others leave, but never less
        than FIRST_COLUMN_EMS: a narrower table scrolls sideways rather than squeezing the
        names to nothing."""
        header = self.horizontalHeader()
        least = QFontMetrics(self.font()).horizontalAdvance("M") * FIRST_COLUMN_EMS
        others = sum(header.sectionSize(c) for c in range(1, self.columnCount()))
        stretch = self.viewport().width() - others >= least
        mode = QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(0) != mode:
            header.setSectionResizeMode(0, mode)
        if not stretch and header.sectionSize(0) != least:
            header.resizeSection(0, least)

    def fit_height(self) -> None:
        """Every row in view, and room for the horizontal scroll bar when the columns are
        wider than the table (a narrow window scrolls the table sideways, the rows stay)."""
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(self.rowCount()))
        if self.horizontalHeader().length() > self.viewport().width():
            height += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(height + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.horizontalHeader().sectionResizeMode(1) is QHeaderView.ResizeMode.ResizeToContents:
            self._keep_first_column()  # once finished
        if self._fit_rows:
            self.fit_height()


# ---- summary ---------------------------------------------------------------


class FiguresLayout(QLayout):
    """Headline figures in as many equal columns as the width holds (at most `columns`).

    A fixed grid of four wide figures makes the page as wide as the four together: in a
    narrow window the last one (the change since the last review) is cut off. Here the
    figures wrap to the next row instead, and the narrowest the layout gets is one figure.
    """

    def __init__(self, columns: int, spacing: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.columns = max(1, columns)
        self._spacing = spacing
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(0, 0, 0, 0)
        # (cell, caption, number, the line under the number or None), by `show_figures`
        self.cells: list[tuple[QWidget, QLabel, QLabel, QLabel | None]] = []

    # the QLayout contract
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def _widths(self, per_row: int) -> list[int]:
        """Each column as wide as its widest figure, as in a grid."""
        widths = [0] * per_row
        for index, item in enumerate(self._items):
            column = index % per_row
            widths[column] = max(widths[column], item.sizeHint().width())
        return widths

    def _needed(self, per_row: int) -> int:
        return sum(self._widths(per_row)) + (per_row - 1) * self._spacing

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = self._needed(min(self.columns, len(self._items)) or 1)
        return QSize(width, self.heightForWidth(width))

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        width = max((item.minimumSize().width() for item in self._items), default=0)
        return QSize(width, self.heightForWidth(max(width, self._needed(1))))

    def columns_for(self, width: int) -> int:
        """How many figures side by side in `width` pixels."""
        most = min(self.columns, len(self._items))
        return next((n for n in range(most, 1, -1) if self._needed(n) <= width), 1)

    def show_figures(
        self, figures: list[tuple[str, str, str | None, str | None]], fmt: Fmt
    ) -> None:
        """Cells of (caption, number, the number's colour or None, a line under it or
        None); shown again with the same shape, only their texts change."""
        if [extra is not None for *_f, extra in figures] != [c[3] is not None for c in self.cells]:
            self._make(figures, fmt)
            return
        for (_cell, caption, number, under), (title, value, colour, extra) in zip(
            self.cells, figures, strict=True
        ):
            caption.setText(title)
            number.setText(value)
            retint(number, colour)
            if under is not None and extra is not None:
                under.setText(extra)

    def drop_cells(self) -> None:
        while self._items:
            widget = self._items.pop().widget()
            if widget is not None:
                _drop_widget(widget)
        self.cells = []

    def _make(self, figures: list[tuple[str, str, str | None, str | None]], fmt: Fmt) -> None:
        self.drop_cells()
        for title, value, colour, extra in figures:
            cell = QWidget()
            cell.setObjectName("summaryFigure")
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            caption = text_label(title, fmt, muted=True)
            number = big_label(value, fmt)
            if colour:
                tint(number, colour)
            cell_layout.addWidget(caption)
            cell_layout.addWidget(number)
            under = None
            if extra is not None:
                under = text_label(extra, fmt)
                under.setObjectName("netNewMoney")
                cell_layout.addWidget(under)
            cell_layout.addStretch(1)  # a taller neighbour in the row leaves its room below
            self.addWidget(cell)
            cell.show()  # now, as the box's own parts
            self.cells.append((cell, caption, number, under))

    def _arrange(self, rect: QRect, move: bool) -> int:
        if not self._items:
            return 0
        per_row = self.columns_for(rect.width())
        widths = self._widths(per_row)
        extra = max(0, rect.width() - self._needed(per_row)) // per_row
        widths = [w + extra for w in widths] if per_row > 1 else [rect.width()]
        y = rect.y()
        for start in range(0, len(self._items), per_row):
            row = self._items[start : start + per_row]
            height = max(
                item.heightForWidth(widths[offset])
                if item.hasHeightForWidth()
                else item.sizeHint().height()
                for offset, item in enumerate(row)
            )
            x = rect.x()
            for offset, item in enumerate(row):
                if move:
                    item.setGeometry(QRect(x, y, widths[offset], height))
                x += widths[offset] + self._spacing
            y += height + self._spacing
        return y - self._spacing - rect.y()


# ---- a section's column of widgets, filled again in place -----------------


SPARES_PER_KIND = 4  # widgets of a kind a section box keeps for the next review


def _drop_widget(widget: QWidget) -> None:
    """Off screen and out of its parent (and `findChildren`) at once, deleted soon."""
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()


class SectionBox(QWidget):
    """A section's widgets, top to bottom, put there by a section function.

    Filled again (`refill()`, then the same calls for another review), the box keeps
    every widget of the same kind at the same place and changes only its text or its
    rows; a widget of another kind takes the place, and what the new review no longer
    needs leaves. A client switch then changes texts rather than making, styling and
    laying out the page's few hundred widgets anew.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        # (kind, widget or spacer item), in the order of the column.
        self._parts: list[tuple[Hashable, QWidget | QLayoutItem]] = []
        self._next = 0
        # Widgets that left the column, by kind, for the next review that asks for one:
        # made and styled once, they come back with their new text or rows. Out of the
        # box meanwhile (no parent): neither on screen nor among its children.
        self._spares: dict[Hashable, list[QWidget]] = {}

    def refill(self) -> SectionBox:
        """Start filling the box again from its top."""
        self._next = 0
        return self

    def done(self) -> SectionBox:
        """What the last filling did not ask for leaves the box."""
        while len(self._parts) > self._next:
            self._remove(len(self._parts) - 1)
        return self

    def kinds(self) -> list[Hashable]:
        return [kind for kind, _part in self._parts]

    def _place(self, kind: Hashable, insert: Callable[[int], QWidget | QLayoutItem]) -> tuple:
        """(the part of `kind` at the next place, whether it was there already)."""
        index = self._next
        self._next += 1
        # A part further down of this kind: those before it are no longer asked for.
        later = next((i for i in range(index, len(self._parts)) if self._parts[i][0] == kind), None)
        if later is not None:
            for _ in range(later - index):
                self._remove(index)
            return self._parts[index][1], True
        part = insert(index)
        self._parts.insert(index, (kind, part))
        return part, False

    def _remove(self, index: int) -> None:
        kind, part = self._parts.pop(index)
        if isinstance(part, QWidget):
            spares = self._spares.setdefault(kind, [])
            if len(spares) < SPARES_PER_KIND:
                part.hide()
                self.column.removeWidget(part)
                part.setParent(None)
                spares.append(part)
            else:
                _drop_widget(part)
        else:
            if isinstance(part, FiguresLayout):
                part.drop_cells()
            self.column.takeAt(index)  # parts are the column's items, in order

    def _widget(self, kind: Hashable, make: Callable[[], QWidget]) -> tuple:
        """(the widget of `kind` at the next place, whether it was made before: the caller
        then gives it its new text or rows)."""
        spares = self._spares.get(kind)
        spare = spares.pop() if spares else None

        def insert(index: int) -> QWidget:
            widget = spare if spare is not None else make()
            self.column.insertWidget(index, widget)
            widget.show()  # now, not when the event loop next runs (Qt's way for a layout)
            return widget

        part, kept = self._place(kind, insert)
        if spare is not None and part is not spare:  # one of the kind was in place already
            spares.append(spare)  # type: ignore[union-attr]
        return part, kept or part is spare

    # the parts
    def label(self, text: str, fmt: Fmt, colour: str | None = None, name: str = "") -> QLabel:
        """A wrapped line of text (`text_label`), in `colour` when given."""

        def make() -> QLabel:
            label = text_label(text, fmt)
            if colour is not None:
                tint(label, colour)
            if name:
                label.setObjectName(name)
            return label

        label, kept = self._widget(("text", colour, name), make)
        if kept and label.text() != text:
            label.setText(text)
        return label

    def flag(self, text: str, fmt: Fmt) -> QLabel:
        """A warning (`flag_label`)."""
        label, kept = self._widget("flag", lambda: flag_label(text, fmt))
        if kept and label.text() != f"⚠ {text}":
            label.setText(f"⚠ {text}")
        return label

    def big(self, text: str, fmt: Fmt) -> QLabel:
        label, kept = self._widget("big", lambda: big_label(text, fmt))
        if kept and label.text() != text:
            label.setText(text)
        return label

    def heading(self, text: str, fmt: Fmt, level: int = 1) -> QLabel:
        label, kept = self._widget(("heading", level), lambda: heading(text, fmt, level))
        if kept and label.text() != text:
            label.setText(text)
        return label

    def table(
        self, headers: list[str], fmt: Fmt, fit_rows: bool = True, name: str = ""
    ) -> ReadOnlyTable:
        """An empty `ReadOnlyTable` with these columns (the rows of the last filling gone)."""

        def make() -> ReadOnlyTable:
            table = ReadOnlyTable(headers, fmt, fit_rows=fit_rows)
            if name:
                table.setObjectName(name)
            return table

        table, kept = self._widget(("table", tuple(headers), fit_rows, name), make)
        if kept:
            table.empty()
        return table

    def figures(self, columns: int, fmt: Fmt) -> FiguresLayout:
        """A `FiguresLayout` in the column (its cells the box's widgets)."""

        def insert(index: int) -> FiguresLayout:
            grid = FiguresLayout(columns, round(24 * fmt.scale))
            grid.setObjectName("summaryFigures")
            self.column.insertLayout(index, grid)
            return grid

        grid, _kept = self._place(("figures", columns), insert)
        return grid

    def _spacer(self, index: int) -> QLayoutItem:
        item = self.column.itemAt(index)
        assert item is not None  # just inserted there
        return item

    def spacing(self, size: int) -> None:
        def insert(index: int) -> QLayoutItem:
            self.column.insertSpacing(index, size)
            return self._spacer(index)

        self._place(("spacing", size), insert)

    def stretch(self) -> None:
        def insert(index: int) -> QLayoutItem:
            self.column.insertStretch(index, 1)
            return self._spacer(index)

        self._place("stretch", insert)


def summary_section(
    review,
    fmt: Fmt,
    columns: int = 4,
    box: SectionBox | None = None,
    *,
    for_manager: bool = False,
) -> SectionBox:
    """The headline figures (up to `columns` to a row) and the points worth raising
    (into `box`, filled again in place, when given). `for_manager` (the manager's own
    review page, never present mode) adds to each point what the manager is to do."""
    tr = fmt.tr
    box = (box or SectionBox()).refill()
    figures: list[tuple[str, str, str | None, str | None]] = [
        (tr("Net worth"), fmt.money(review.net_worth, currency=True), None, None),
        (tr("Total assets"), fmt.money(review.current.assets, currency=True), None, None),
        (tr("Liabilities"), fmt.money(review.current.liabilities, currency=True), None, None),
    ]
    latest = None
    if review.previous is None:
        figures.append((tr("Change since last review"), tr("first review"), None, None))
    else:
        change = review.change
        beside_change: str | None = None
        latest = review.returns.latest_split if review.returns is not None else None
        if latest is not None:
            # The change counts new money as well as the market: the money put in or
            # taken out is said right under it, and what the market did, as the pack says
            # both (found: present mode gave the net new money alone, and a client read the
            # rest of the change as the market's).
            beside_change = "\n".join(
                (
                    tr("Net new money {amount}").format(amount=fmt.signed(latest.net_flows)),
                    tr("Market gain {amount}").format(amount=fmt.signed(latest.market_gain)),
                )
            )
        if change is None:  # a review lacks a rate: its total leaves a currency out
            shown, colour = "—", None
            beside_change = words.no_rate_words(review.change_unknown, fmt.lang)
        else:
            shown = with_ratio(fmt.signed(change), fmt.pct(review.change_pct), fmt.lang)
            colour = TONES[news(change, review.currency)]
        figures.append(
            (
                tr("Change since {date}").format(date=fmt.said(review.previous_date)),
                shown,
                colour,
                beside_change,
            )
        )
    # wide figures must not run together
    box.figures(columns, fmt).show_figures(figures, fmt)
    if latest is not None and review.change is not None:
        # What the change counts and what the two figures under it count, as the pack says.
        box.label(
            tr(
                "Change: the change in net worth, property and liabilities included. "
                "Net new money and market gain: those of the financial assets (see "
                "Performance)."
            ),
            fmt,
            MUTED,
        )
    missing = sorted(set(review.current.missing_rates))
    if missing:
        box.flag(
            tr("Not included for want of an exchange rate: {codes}").format(
                codes=tr(", ").join(missing)
            ),
            fmt,
        )
    box.spacing(round(12 * fmt.scale))  # the points apart from the figures
    box.heading(tr("Worth talking about"), fmt, 2)
    if review.talking_points:
        for point in review.talking_points:
            said = (point.for_manager if for_manager else point.text)(
                fmt.lang, review.currency, fmt.said
            )
            box.label("• " + said, fmt)
    else:
        box.label(tr(NO_POINTS_LINE), fmt, MUTED)
    box.stretch()
    return box.done()


# ---- holdings --------------------------------------------------------------


def status_text(h, fmt: Fmt) -> tuple[str, str | None]:
    tr = fmt.tr
    value = getattr(h.status, "value", h.status)
    if value == "new":
        return tr("New"), NEW
    if value == "gone":
        return (tr(h.gone_line) if h.is_liability else tr("Gone")), GONE
    return "", None


def holdings_table(
    review,
    fmt: Fmt,
    fit_rows: bool = True,
    compact: bool = False,
    box: SectionBox | None = None,
) -> ReadOnlyTable:
    """Holdings grouped by asset class with subtotals and the change since the last review.

    `compact` (present mode, large type) leaves out the dates, which the pack keeps.
    With `box`, the table is the box's (its rows filled again).
    """
    tr = fmt.tr
    columns = [
        ("product", tr("Product")),
        ("institution", tr("Institution")),
        ("held_since", tr("Held since")),
        ("maturity", tr("Maturity")),
        ("risk", tr("Risk")),
        ("value", tr("Value")),
        ("change", tr("Change")),
        ("change_pct", tr("Change %")),
        ("cost_gain", tr("Gain vs. cost")),
        ("status", tr("Status")),
    ]
    if compact:
        columns = [c for c in columns if c[0] not in ("held_since", "maturity")]
    if review.cost_gain is None:  # no holding has a recorded principal: no column of dashes
        columns = [c for c in columns if c[0] != "cost_gain"]
    keys = [key for key, _title in columns]
    right_from = keys.index("value")
    risk_column = keys.index("risk")
    headers = [title for _key, title in columns]
    if box is None:
        table = ReadOnlyTable(headers, fmt, fit_rows=fit_rows)
        table.setObjectName("reviewHoldings")
    else:
        table = box.table(headers, fmt, fit_rows, name="reviewHoldings")

    def add(cells: dict, **kw) -> int:
        return table.add_row([cells.get(key, "") for key in keys], right_from=right_from, **kw)

    for group in review.groups:
        add(
            {
                "product": group.title(fmt.lang),
                "value": fmt.money(group.total),
                "change": fmt.signed(group.change),
                "change_pct": fmt.pct(group.change_pct),
            },
            bold=True,
        )
        for h in group.holdings:
            status, colour = status_text(h, fmt)
            risk = h.risk_level.value if h.risk_level else "—"
            if h.above_client_level:
                risk = f"⚠ {risk}"
            row = add(
                {
                    "product": "  " + h.product_name,
                    "institution": h.institution or tr("This bank"),
                    "held_since": fmt.date(h.held_since),
                    "maturity": fmt.date(h.maturity_date),
                    "risk": risk,
                    "value": fmt.money(h.shown_value),
                    "change": fmt.signed(h.change),
                    "change_pct": fmt.pct(h.shown_change_pct),
                    "cost_gain": cost_gain_text(h, fmt),
                    "status": status,
                },
                color=colour,
            )
            if h.principal is not None and h.cost_gain is not None:
                table.cell(row, keys.index("cost_gain")).setToolTip(principal_text(h, fmt))
            if h.risk_level is not None:
                table.cell(row, risk_column).setToolTip(
                    review.above_level_note(fmt.lang, short=True)
                    if h.above_client_level
                    else tr(h.risk_level.label)
                )
            if h.above_client_level:
                table.cell(row, risk_column).setForeground(QBrush(QColor(FLAG)))
            if h.currency != review.currency:
                table.cell(row, right_from).setToolTip(
                    format_money(h.market_value, h.currency, fmt.lang)
                )
    add(
        {
            "product": tr("Net worth"),
            "value": fmt.money(review.net_worth),
            "change": fmt.signed(review.change),
            "change_pct": fmt.pct(review.change_pct),
        },
        bold=True,
    )
    total = review.cost_gain
    if total is not None and total.holdings:
        row = add(
            {
                "product": ngettext(
                    "Gain vs. cost of the {count} holding with a recorded principal",
                    "Gain vs. cost of the {count} holdings with a recorded principal",
                    total.holdings,
                    fmt.lang,
                ).format(count=total.holdings),
                "cost_gain": with_ratio(fmt.signed(total.gain), fmt.pct(total.ratio), fmt.lang),
            },
            bold=True,
        )
        tip = tr("Principal: {amount}").format(amount=fmt.money(total.principal, currency=True))
        if total.missing_rates:
            tip += "\n" + tr(
                "Left out of that total for want of an exchange rate: {currencies}."
            ).format(currencies=", ".join(total.missing_rates))
        table.cell(row, keys.index("cost_gain")).setToolTip(tip)
        table.cell(row, 0).setToolTip(tip)
        table.setSpan(row, 0, 1, keys.index("cost_gain"))  # the label reads whole
    table.finish()
    return table


def cost_gain_text(h, fmt: Fmt) -> str:
    """A holding's gain against its recorded principal and its percentage, as the pack
    gives them: "—" where no principal is recorded, nothing for a loan or a holding no
    longer held (review.model.cost_gain_applies); "—" for the amount without a rate."""
    if h.is_liability or getattr(h.status, "value", h.status) == "gone":
        return ""
    if h.cost_gain is None:
        return "—"
    value = h.cost_gain.value
    amount = "—" if value is None else fmt.signed(round_money(value, fmt.currency))
    if h.cost_gain_pct is None:
        return amount
    return with_ratio(amount, fmt.pct(h.cost_gain_pct), fmt.lang)


def principal_text(h, fmt: Fmt) -> str:
    """The principal a gain is against: in the report currency, and as recorded when it
    is in another currency (alone when that currency has no rate)."""
    principal = h.principal
    recorded = format_money(principal.amount, principal.currency, fmt.lang, compact=False)
    if principal.value is None:
        shown = recorded
    elif principal.currency != fmt.currency:
        shown = with_ratio(fmt.money(principal.value, currency=True), recorded, fmt.lang)
    else:
        shown = fmt.money(principal.value, currency=True)
    return fmt.tr("Principal: {amount}").format(amount=shown)


# ---- charts ----------------------------------------------------------------


def allocation_figure(review, lang: str) -> Figure:
    """The asset-mix ring of the pack (same builder, same colours)."""
    from reviewdesk.charts.builders import allocation_pie

    return allocation_pie(review.allocation.by_class, lang)


def trend_figure(review, lang: str) -> Figure:
    """Totals at every review date up to this one, and the money put in where flows are
    recorded: the pack's chart (the same builder, the same figures)."""
    from reviewdesk.charts.builders import trend_chart

    return trend_chart(review.trend, lang, review.currency, returns=review.returns)


def trend_notes(review, fmt: Fmt) -> list[str]:
    """What the trend chart cannot show by itself, as the pack's caption says it: where
    the dashed line of the money put in stops and why, and which totals leave holdings
    out for want of an exchange rate."""
    notes = []
    if review.returns is not None:
        notes.append(words.invested_stop_sentence(review.returns, fmt.lang, date=fmt.said))
    notes.append(
        words.left_out_sentence(
            [(p.review_date, p.missing_rates) for p in review.trend], fmt.lang, date=fmt.said
        )
    )
    return [note for note in notes if note]


# ---- returns ---------------------------------------------------------------


def returns_table(
    returns: Returns, fmt: Fmt, fit_rows: bool = True, box: SectionBox | None = None
) -> ReadOnlyTable:
    """The spans of `returns` (there is one at least): start, net new money, market gain,
    end (in whole units), time- and money-weighted returns (and the benchmark's when one is
    set), in the words of the pack (reviewdesk/review/returns_text.py)."""
    tr = fmt.tr
    benchmark = any(s.benchmark is not None for s in returns.spans)
    headers = [
        tr("Span"),
        tr("Starts on"),
        tr("Start value"),
        tr("Net new money"),
        tr("Market gain"),
        tr("End value"),
        tr("Time-weighted"),
        tr("Money-weighted"),
    ]
    if benchmark:
        headers.append(tr("Benchmark"))
    if box is None:
        table = ReadOnlyTable(headers, fmt, fit_rows=fit_rows)
        table.setObjectName("returnsTable")
    else:
        table = box.table(headers, fmt, fit_rows, name="returnsTable")
    marks = words.shorter_marks(returns)
    for span in returns.spans:
        cells = [
            words.span_label(span, fmt.lang),
            fmt.date(span.start) + marks.get(span.span, ""),
            fmt.whole(span.start_value),
            fmt.whole(span.net_new_money, signed=True),
            fmt.whole(span.gain, signed=True),
            fmt.whole(span.end_value),
            words.twr_text(span, fmt.lang),
            words.mwr_text(span, fmt.lang),
        ]
        if benchmark:
            cells.append(words.benchmark_text(span, fmt.lang))
        tips = [words.annualised_note(fmt.lang)] if span.annualised else None
        table.add_row(cells, right_from=2, tips=tips)
    table.finish()
    # Every column whole, the spans' names too: a narrow window scrolls the table sideways
    # rather than cutting a figure or a name short (or widening the whole page).
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(False)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    table.fit_height()
    return table


def returns_notes(review, fmt: Fmt) -> list[str]:
    """What is measured, then the notes of the spans table, as the pack says them (the
    amounts here shorter than the pack's, to the unit or in 万)."""
    notes = [words.scope(fmt.currency, fmt.lang)]
    if review.returns is not None:
        notes += words.notes(review.returns, fmt.lang, to_the_unit=False, date=fmt.said)
    return notes


def returns_section(
    review, fmt: Fmt, fit_rows: bool = True, box: SectionBox | None = None
) -> SectionBox:
    """The spans table and its notes; a sentence where there is nothing to measure yet."""
    tr = fmt.tr
    box = (box or SectionBox()).refill()
    box.setObjectName("returnsSection")
    returns = review.returns
    if returns is None or not returns.spans:
        box.label(tr(words.FIRST_REVIEW), fmt, MUTED)
        return box.done()
    if not returns.flows_recorded:
        for sentence in words.unmeasured_sentences(
            fmt.lang,
            returns.spans[-1],  # since the first review
            date=fmt.said,
            money=lambda amount: fmt.money(amount, currency=True),
            signed=fmt.signed,
            pct=fmt.pct,
        ):
            box.label(sentence, fmt, name="returnsUnmeasured")
        return box.done()
    returns_table(returns, fmt, fit_rows=fit_rows, box=box)
    for note in returns_notes(review, fmt):
        box.label(note, fmt, MUTED, name="returnsNote")
    return box.done()


def shows_performance_chart(review) -> bool:
    """The latest period's waterfall shows where the returns do: once flows are recorded
    (without them the change is not split, and a "net new money 0" step would say so)."""
    return review.returns is not None and review.returns.flows_recorded


def performance_figure(review, lang: str) -> Figure:
    """The latest period from start value through net new money and market gain to end
    value, as in the pack (the same builder)."""
    from reviewdesk.charts.builders import performance_chart

    return performance_chart(review, lang)


# ---- insurance -------------------------------------------------------------


def person_name(person, fmt: Fmt) -> str:
    tr = fmt.tr
    if person.relation is None:
        # Capitalised as the pack's "(Client)" beside "(Spouse)" (found: "Emily Lam (client)"
        # above "Daniel Lam (Spouse)" in present mode).
        name = tr("{name} (Client)").format(name=person.name)
        note = no_income_note(person, fmt.lang)
        return name if note is None else f"{name} · {note}"
    return tr("{name} ({relation})").format(name=person.name, relation=tr(person.relation.label))


def insurance_table(
    review, fmt: Fmt, fit_rows: bool = True, box: SectionBox | None = None
) -> ReadOnlyTable:
    """Cover per insured person and kind against the need; a gap is flagged in words too."""
    tr = fmt.tr
    headers = [
        tr("Insured person and cover"),
        tr("Sum assured"),
        tr("Need"),
        tr("Gap"),
        tr("Premiums a year"),
    ]
    table = (
        ReadOnlyTable(headers, fmt, fit_rows=fit_rows)
        if box is None
        else box.table(headers, fmt, fit_rows)
    )
    for person in review.insurance.people:
        # The person's name only: gaps of different kinds of cover are not added up.
        table.add_row([person_name(person, fmt), "", "", "", ""], bold=True)
        if not person.covers:
            table.add_row(
                ["  " + no_cover_sentence(review.insurance, person, fmt.lang), "", "", "", ""],
                color=MUTED,
            )
        for cover in person.covers:
            gap, said = cover.gap, gap_text(cover, fmt.money, fmt.lang)
            table.add_row(
                [
                    "  " + tr(cover.kind.label),
                    fmt.money(cover.cover),
                    fmt.money(cover.need),
                    f"⚠ {said}" if gap else said,
                    fmt.money(cover.premiums_shown),
                ],
                right_from=1,
                color=FLAG if gap else None,
            )
    table.finish()
    return table


def rules_text(review, fmt: Fmt) -> str:
    """The rules of thumb behind the needs: the pack's own sentences, as bullets."""
    return "\n".join("• " + line for line in rules_sentences(review.insurance, fmt.lang))


def insurance_section(
    review, fmt: Fmt, fit_rows: bool = True, box: SectionBox | None = None
) -> SectionBox:
    tr = fmt.tr
    box = (box or SectionBox()).refill()
    ins = review.insurance
    box.label(premiums_sentence(ins, review.currency, fmt.lang), fmt)
    if ins.premiums_over_limit:
        box.flag(tr("Premiums exceed the guide's share of household income."), fmt)
    if ins.people:
        insurance_table(review, fmt, fit_rows, box=box)
    else:
        box.label(tr("No insured person on record."), fmt, MUTED)
    for line in left_out_sentences(ins, review.currency, fmt.lang):
        box.flag(line, fmt)
    box.label(
        tr("How the need is worked out") + "\n" + rules_text(review, fmt), fmt, MUTED, name="rules"
    )
    box.stretch()
    return box.done()


# ---- risk ------------------------------------------------------------------


def risk_section(
    review, fmt: Fmt, fit_rows: bool = True, box: SectionBox | None = None
) -> SectionBox:
    """The assessment and what the review decided about suitability (never more)."""
    tr = fmt.tr
    box = (box or SectionBox()).refill()
    risk = review.risk
    if risk.state is AssessmentState.MISSING:
        box.flag(risk.sentence(fmt.lang, fmt.said), fmt)
    else:
        box.big(tr(risk.level.label), fmt)
        box.label(risk.dates_sentence(fmt.lang, fmt.said) or "", fmt)
        said = risk.sentence(fmt.lang, fmt.said)
        if risk.state in (AssessmentState.EXPIRED, AssessmentState.EXPIRING):
            box.flag(said, fmt)
        else:
            box.label(said, fmt, GOOD)
    if not review.suitability_status.can_assess:
        if review.suitability_status is Suitability.EXPIRED:
            reason = tr(
                "Suitability cannot be assessed: the risk assessment expired on {date}."
            ).format(date=fmt.said(risk.expired_on))
        else:
            reason = tr("Suitability cannot be assessed: there is no risk assessment on record.")
        box.flag(reason, fmt)
        if review.needs_assessment:
            box.label(
                ngettext(*NEEDS_ASSESSMENT_LINE, len(review.needs_assessment), fmt.lang).format(
                    count=len(review.needs_assessment)
                ),
                fmt,
            )
            table = box.table(
                [tr("Product"), tr("Asset class"), tr("Product risk"), tr("Value")], fmt, fit_rows
            )
            for need in review.needs_assessment:
                level = tr(need.risk_level.label) + (" ▲" if need.above_last_level else "")
                table.add_row(
                    [need.product_name, tr(need.asset_class.label), level, fmt.money(need.value)],
                    color=FLAG if need.above_last_level else None,
                    right_from=3,
                )
            table.finish()
            if any(n.above_last_level for n in review.needs_assessment):
                box.label(review.above_level_note(fmt.lang), fmt, MUTED)
        elif review.none_rated_r2_or_above:
            box.label(tr(NONE_RATED_R2_LINE), fmt, MUTED)
    elif review.suitability:
        box.flag(
            ngettext(
                "{count} holding above the client's risk level:",
                "{count} holdings above the client's risk level:",
                len(review.suitability),
                fmt.lang,
            ).format(count=len(review.suitability)),
            fmt,
        )
        table = box.table(
            [tr("Product"), tr("Asset class"), tr("Product risk"), tr("Client level"), tr("Value")],
            fmt,
            fit_rows,
        )
        for flag in review.suitability:
            table.add_row(
                [
                    flag.product_name,
                    tr(flag.asset_class.label),
                    tr(flag.risk_level.label),
                    tr(flag.client_level.label),
                    fmt.money(flag.value),
                ],
                color=FLAG,
                right_from=4,
            )
        table.finish()
    elif review.all_within_level:
        box.label(tr(WITHIN_LEVEL_LINE), fmt, MUTED)
    elif review.nothing_to_judge:
        box.label(tr(NOTHING_TO_JUDGE_LINE), fmt, MUTED)
    if review.unrated:  # in every assessment state, as the pack
        box.flag(
            unrated_sentence(review.unrated, fmt.lang),
            fmt,
        )
    if review.unjudged_classes:  # what the verdict above does not judge, as the pack
        box.label(unjudged_sentence(review.unjudged_classes, fmt.lang), fmt, MUTED)
    box.stretch()
    return box.done()


# ---- next steps ------------------------------------------------------------


def next_steps_section(
    review,
    fmt: Fmt,
    fit_rows: bool = True,
    for_manager: bool = False,
    contact_log: bool = True,
    box: SectionBox | None = None,
) -> SectionBox:
    """Maturities, then the next steps and contacts the client may read.

    `for_manager` (the manager's own review page, never present mode) adds how
    many contacts and next steps are kept internal: a count, never their words.
    `contact_log=False` (present mode: a screen the client reads across the desk)
    leaves out the contacts, shared or not; the agreed next steps stay.
    """
    tr = fmt.tr
    box = (box or SectionBox()).refill()
    box.heading(
        tr("Maturing in the next {days} days").format(days=review.maturity_window_days), fmt, 2
    )
    if review.maturities:
        table = box.table(
            [tr("Product"), tr("Institution"), tr("Matures on"), tr("In"), tr("Value")],
            fmt,
            fit_rows,
        )
        for m in review.maturities:
            table.add_row(
                [
                    m.product_name,
                    m.institution or tr("This bank"),
                    fmt.date(m.maturity_date),
                    tr("{days} days").format(days=m.days),
                    fmt.money(m.value),
                ],
                right_from=3,
            )
        table.finish()
    else:
        box.label(tr(NO_MATURITY_LINE), fmt, MUTED)
    for note in review.maturity_notes(fmt.lang):
        box.label(note, fmt, MUTED)
    if review.show_contacts:
        _agreed_steps(review, fmt, fit_rows, box)
        if contact_log:
            _shared_contacts(review, fmt, fit_rows, box)
    note = _internal_note(review, fmt) if for_manager else None
    if note is not None:
        box.label(note, fmt, MUTED, name="internalNote")
    box.stretch()
    return box.done()


def _agreed_steps(review, fmt: Fmt, fit_rows: bool, box: SectionBox) -> None:
    tr = fmt.tr
    box.heading(tr("Agreed next steps"), fmt, 2)
    if not review.next_steps:
        box.label(tr(NO_NEXT_STEP_LINE), fmt, MUTED)
        return
    table = box.table([tr("Next step"), tr("Due by"), tr("Agreed on")], fmt, fit_rows)
    for step in review.next_steps:
        table.add_row(
            [
                step.text,
                step.due_text(fmt.lang),
                fmt.date(step.agreed_on),
            ],
            color=FLAG if step.overdue else None,
        )
    table.finish()


def _shared_contacts(review, fmt: Fmt, fit_rows: bool, box: SectionBox) -> None:
    tr = fmt.tr
    box.heading(tr("Recent contacts"), fmt, 2)
    if not review.contacts:
        box.label(tr("No contact to report."), fmt, MUTED)
        return
    table = box.table([tr("What was discussed"), tr("Date"), tr("Channel")], fmt, fit_rows)
    for note in review.contacts:
        table.add_row([note.summary or "—", fmt.date(note.contact_date), tr(note.channel.label)])
    table.finish()


def _internal_note(review, fmt: Fmt) -> str | None:
    """How many contacts and next steps stay internal (or that the book leaves them out)."""
    tr = fmt.tr
    if review.show_contacts and not (review.internal_contacts or review.internal_next_steps):
        return None
    if not review.show_contacts:
        return tr(
            "Next steps and contacts are left out of the pack and present mode (book setting)."
        )
    contacts, steps = review.internal_contacts, review.internal_next_steps
    return tr(
        "Internal, not shown to the client: {contacts} and {steps}. Share them in the "
        "contact's dialog."
    ).format(
        contacts=ngettext("{n} contact", "{n} contacts", contacts, fmt.lang).format(n=contacts),
        steps=ngettext("{n} open next step", "{n} open next steps", steps, fmt.lang).format(
            n=steps
        ),
    )


def separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    tint(line, MUTED)
    return line
