"""Present mode: one client's review, full screen, for the client across the desk.

The window is built from the review object alone: it cannot show another
client because it holds nothing of one. No client list, no search, no menu,
no status bar, no contact log; it is a window of its own, so nothing of the
main window shows through. It speaks the client's language by default (a
button switches). Presenting records nothing: whether it was the client's
review meeting is the manager's answer when it ends (see the main window).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent, QPalette, QScreen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScrollBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.gui import review_sections as sections
from reviewdesk.gui.charts_view import ChartView
from reviewdesk.i18n import LANGUAGES, N_, pgettext
from reviewdesk.review.model import review_title

# The pack's order.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", N_("Summary")),
    ("holdings", N_("Holdings")),
    ("allocation", N_("Allocation")),
    ("trend", N_("Trend")),
    ("performance", N_("Performance")),
    ("insurance", N_("Insurance")),
    ("risk", N_("Risk profile and suitability")),
    ("next_steps", N_("Next steps")),
)

NEXT_KEYS = {
    Qt.Key.Key_Right,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageDown,
    Qt.Key.Key_Space,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
}
PREVIOUS_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace}


def present_scale() -> float:
    """Large type for a screen read from across a desk: about 1/40 of the screen height."""
    screen = QGuiApplication.primaryScreen()
    height = screen.availableGeometry().height() if screen is not None else 900
    return max(1.3, min(2.4, height / 560))


_S = TypeVar("_S")  # a screen (QScreen; anything in the tests)


def presentation_screen(manager: _S | None, screens: Sequence[_S], primary: _S | None) -> _S | None:
    """The screen to present on. With a second screen connected (a monitor or a projector
    turned to the client, the desktop extended onto it), the first screen the manager's
    window is not on, as a presentation program does; with one screen, that one (found:
    present mode always opened on the primary screen, which may be the manager's own)."""
    if manager is not None:
        others = [screen for screen in screens if screen is not manager]
        return others[0] if others else manager
    return primary


class PresentWindow(QWidget):
    """Page by page through one review; arrows, PageUp/PageDown or a clicker; Esc leaves.

    A page taller than the screen (a long list of holdings) is read down first: the
    next key scrolls it a screen at a time, then moves on; the previous key goes back up.
    """

    page_changed = Signal(int)
    closed = Signal()

    def __init__(
        self,
        review,
        parent: QWidget | None = None,
        *,
        lang: str | None = None,
        full_screen: bool = True,
    ):
        super().__init__(parent)
        # A window of its own even with a parent: the main window stays hidden behind it.
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.review = review
        self.lang = lang if lang in LANGUAGES else review.client.language.value
        self.full_screen = full_screen
        self.scale = present_scale()
        self.charts: list[ChartView] = []
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("white"))
        palette.setColor(QPalette.ColorRole.Base, QColor("white"))
        self.setPalette(palette)
        self.setAutoFillBackground(True)

        self.client_label = QLabel(self)
        self.section_label = QLabel(self)
        self.date_label = QLabel(self)
        self.stack = QStackedWidget(self)
        self.prev_button = QPushButton(self)
        self.next_button = QPushButton(self)
        self.position_label = QLabel(self)
        self.position_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.language_button = QPushButton(self)
        self.leave_button = QPushButton(self)

        header = QHBoxLayout()
        header.addWidget(self.client_label)
        header.addStretch(1)
        header.addWidget(self.date_label)
        footer = QHBoxLayout()
        footer.addWidget(self.prev_button)
        footer.addStretch(1)
        footer.addWidget(self.position_label)
        footer.addStretch(1)
        footer.addWidget(self.language_button)
        footer.addWidget(self.leave_button)
        footer.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        margin = round(24 * self.scale)
        layout.setContentsMargins(margin, margin // 2, margin, margin // 2)
        layout.addLayout(header)
        layout.addWidget(self.section_label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(footer)

        self.prev_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        self.leave_button.clicked.connect(self.close)
        self.language_button.clicked.connect(self.switch_language)
        for button in (self.prev_button, self.next_button, self.leave_button, self.language_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._build()

    # ---- pages -----------------------------------------------------------

    @property
    def page(self) -> int:
        return self.stack.currentIndex()

    @property
    def page_count(self) -> int:
        return self.stack.count()

    def go_to(self, index: int) -> None:
        index = max(0, min(index, self.page_count - 1))
        going_back = index < self.page
        self.stack.setCurrentIndex(index)
        scroll = self.stack.currentWidget()
        if isinstance(scroll, QScrollArea):  # back onto a long page: at its end
            bar = scroll.verticalScrollBar()
            bar.setValue(bar.maximum() if going_back else bar.minimum())
        self._show_position()
        self.page_changed.emit(index)

    def _scroll_bar(self) -> QScrollBar | None:
        """The current page's vertical scroll bar, if the page is taller than the screen."""
        scroll = self.stack.currentWidget()
        if not isinstance(scroll, QScrollArea):
            return None
        bar = scroll.verticalScrollBar()
        return bar if bar.maximum() > bar.minimum() else None

    def next_page(self) -> None:
        bar = self._scroll_bar()
        if bar is not None and bar.value() < bar.maximum():
            bar.setValue(bar.value() + bar.pageStep())
            return
        self.go_to(self.page + 1)

    def previous_page(self) -> None:
        bar = self._scroll_bar()
        if bar is not None and bar.value() > bar.minimum():
            bar.setValue(bar.value() - bar.pageStep())
            return
        self.go_to(self.page - 1)

    def switch_language(self) -> None:
        """Chinese or English for this meeting, whatever the app's own language."""
        self.lang = "en" if self.lang == "zh" else "zh"
        page = self.page
        self._build()
        self.go_to(page)

    def _build(self) -> None:
        fmt = sections.Fmt(self.review, self.lang, scale=self.scale)
        tr = fmt.tr
        self.setFont(fmt.font())
        for chart in self.charts:
            chart.clear()
        self.charts = []
        while (widget := self.stack.widget(0)) is not None:
            self.stack.removeWidget(widget)
            widget.deleteLater()
        review = self.review
        self.client_label.setText(review.client.name)
        self.client_label.setFont(fmt.font(1.3, bold=True))
        title = review_title(review.review_date, fmt.lang)
        self.date_label.setText(title)
        self.date_label.setFont(fmt.font(0.9))
        self.section_label.setFont(fmt.font(1.6, bold=True))
        self.section_label.setStyleSheet(f"color: {sections.ACCENT};")
        self.prev_button.setText("◀ " + tr("Back"))
        self.next_button.setText(pgettext("page", "Next", fmt.lang) + " ▶")
        self.leave_button.setText(tr("Leave (Esc)"))
        self.language_button.setText("English" if self.lang == "zh" else "中文")
        for button in (self.prev_button, self.next_button, self.leave_button, self.language_button):
            button.setFont(fmt.font(0.9))
        self.setWindowTitle(f"{review.client.name} — {title}")
        for key, _title in SECTIONS:
            self.stack.addWidget(self._page(key, fmt))
        for widget in self.stack.findChildren(QWidget):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._show_position()

    def _page(self, key: str, fmt: sections.Fmt) -> QWidget:
        review = self.review
        if key in ("allocation", "trend"):
            lang = self.lang
            chart = ChartView(min_height=200, lang=lang)
            make = sections.allocation_figure if key == "allocation" else sections.trend_figure
            chart.build(lambda: make(review, lang))
            self.charts.append(chart)
            if key == "allocation":
                return self._with_note(chart, self._allocation_note(fmt), fmt)
            notes = sections.trend_notes(review, fmt)
            return self._with_note(chart, " ".join(notes), fmt) if notes else chart
        if key == "summary":
            # The page the meeting opens on: a few figures and points, set in the upper
            # middle of the screen rather than under its top edge.
            content = QWidget()
            column = QVBoxLayout(content)
            column.addStretch(1)
            # Two figures to a row: at presenting size four do not fit across a screen.
            column.addWidget(sections.summary_section(review, fmt, columns=2))
            column.addStretch(2)
        elif key == "holdings":
            content = (
                sections.holdings_table(review, fmt, compact=True)
                if review.groups
                else sections.text_label(fmt.tr("No holdings at this review."), fmt)
            )
        elif key == "performance":
            content = QWidget()
            column = QVBoxLayout(content)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(sections.returns_section(review, fmt))
            if sections.shows_performance_chart(review):
                lang = self.lang
                chart = ChartView(min_height=200, lang=lang)
                chart.setObjectName("performanceChart")
                chart.build(lambda: sections.performance_figure(review, lang))
                self.charts.append(chart)
                column.addWidget(chart, 1)
        elif key == "insurance":
            content = sections.insurance_section(review, fmt)
        elif key == "risk":
            content = sections.risk_section(review, fmt)
        else:
            content = sections.next_steps_section(review, fmt, contact_log=False)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        return scroll

    def _allocation_note(self, fmt: sections.Fmt) -> str:
        tr = fmt.tr
        slices = self.review.allocation.by_institution
        parts = [
            f"{tr(s.label)} {fmt.money(amount, currency=True)}"
            for s, amount in zip(slices, self.review.slice_amounts(slices), strict=True)
        ]
        return " · ".join(parts)

    @staticmethod
    def _with_note(chart: QWidget, note: str, fmt: sections.Fmt) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(chart, 1)
        label = QLabel(note)
        label.setFont(fmt.font())
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout.addWidget(label)
        return box

    def _show_position(self) -> None:
        index = max(0, self.page)
        self.section_label.setText(pgettext("section", SECTIONS[index][1], self.lang))
        self.position_label.setText(f"{index + 1} / {self.page_count}")
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < self.page_count - 1)

    # ---- keyboard and life cycle ----------------------------------------

    def event(self, event: QEvent) -> bool:
        # Every key comes here as a key press, never as a shortcut: no shortcut of the
        # main window (search, open client, recent books) can fire while presenting.
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in NEXT_KEYS:
            self.next_page()
        elif key in PREVIOUS_KEYS:
            self.previous_page()
        elif key == Qt.Key.Key_Home:
            self.go_to(0)
        elif key == Qt.Key.Key_End:
            self.go_to(self.page_count - 1)
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def present(self, manager_screen: QScreen | None = None) -> None:
        """Show full screen (or as a plain window), in front and with the keyboard: on the
        screen turned to the client (`presentation_screen`), away from `manager_screen`, the
        one the manager's window is on."""
        if self.full_screen:
            parent = self.parentWidget()
            if manager_screen is None and parent is not None:
                manager_screen = parent.screen()
            screen = presentation_screen(
                manager_screen, QGuiApplication.screens(), QGuiApplication.primaryScreen()
            )
            if screen is not None:  # without a window manager, full screen keeps the size
                self.setScreen(screen)
                self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            self.show()
        self.activateWindow()
        self.setFocus()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        for chart in self.charts:
            chart.clear()
        self.closed.emit()
        super().closeEvent(event)
