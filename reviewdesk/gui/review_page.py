"""The review page of the client workspace: one client's review for a chosen date.

It shows the review object built for the pack, section by section in the
pack's order, with the same charts. The page never reads the book itself
except through `load()`, which runs on the book worker.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.gui import review_sections as sections
from reviewdesk.gui.charts_view import ChartView
from reviewdesk.gui.worker import BackgroundTask, book_worker, when_idle
from reviewdesk.i18n import _, current_language, pgettext

if TYPE_CHECKING:
    from reviewdesk.review.model import Review


def load_review(ctx, client_id: int, review_date: dt.date | None = None):
    """(review, every snapshot date of the client), for the book worker."""
    from reviewdesk.review.build import build_review, snapshot_dates
    from reviewdesk.settings import load_settings

    with ctx.book.session() as session:
        settings = load_settings(session)
        dated = snapshot_dates(session, client_id)  # read once: the review takes them too
        review = build_review(
            session, client_id, review_date, settings=settings, today=ctx.today, dated=dated
        )
    return review, [day for _id, day in dated]


class ReviewPage(QWidget):
    """Summary, holdings, charts, insurance, risk and next steps of one review.

    `date_changed` is emitted when the manager picks another review date; a page
    filled through `load()` also loads that review itself.
    """

    date_changed = Signal(object)
    review_shown = Signal(object)
    load_failed = Signal(str)
    review_requested = Signal()  # a load started: until it ends, `pending_date` is chosen
    # The review's two charts are on screen (or could not be drawn): what the page shows
    # first is complete, and work for what it does not show may start.
    charts_shown = Signal(object)

    def __init__(self, ctx=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.review: Review | None = None
        self.dates: list[dt.date] = []
        self.client_id: int | None = None
        # The date asked for and not shown yet: the review on screen is not the chosen one.
        self.pending_date: dt.date | None = None
        self.last_show_ms: float | None = None
        self._task: BackgroundTask | None = None

        self.title = QLabel(self)
        self.title.setObjectName("title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.date_caption = QLabel(self)
        self.date_box = QComboBox(self)
        self.date_box.setMinimumContentsLength(10)
        self.date_caption.setBuddy(self.date_box)
        self.period = QLabel(self)
        sections.tint(self.period, sections.MUTED)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.period)
        top.addSpacing(12)
        top.addWidget(self.date_caption)
        top.addWidget(self.date_box)

        self.note = QLabel(self)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body: QWidget | None = None
        self.allocation_chart: ChartView | None = None
        self.trend_chart: ChartView | None = None
        self.performance_chart: ChartView | None = None  # None while the review has none
        self._performance_view: ChartView | None = None
        self._headings: dict[str, QLabel] = {}
        self._boxes: dict[str, sections.SectionBox] = {}
        # The charts in view whose figures are on their way, for the review drawn last.
        self._waiting: set[ChartView] = set()
        self._charts_review: Review | None = None
        self._performance_due: Review | None = None
        self._body_client: int | None = None

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.scroll_area, 1)
        self.date_box.activated.connect(self._date_picked)
        self.clear()
        self.retranslate()

    # ---- the contract ----------------------------------------------------

    def show_review(self, review: Review, dates: list[dt.date] | None = None) -> None:
        started = time.perf_counter()
        self.review = review
        self.client_id = review.client.id
        if dates is not None:
            self.dates = list(dates)
        elif not self.dates or review.review_date not in self.dates:
            self.dates = [p.review_date for p in review.trend]
        self._fill_dates()
        self._build(review)
        self.last_show_ms = (time.perf_counter() - started) * 1000
        self.review_shown.emit(review)
        self._build_charts(review)

    def clear(self, message: str | None = None) -> None:
        self.review = None
        self.pending_date = None
        self.dates = []
        self._fill_dates()
        self.title.setText(_("Review"))
        self.period.clear()
        self.note.setText(message if message is not None else _("Choose a client to see a review."))
        self.note.show()
        self._drop_body()

    def retranslate(self) -> None:
        self.date_caption.setText(_("Review of"))
        self.date_box.setToolTip(_("Review date (snapshot)"))
        if self.review is not None:
            self._build(self.review)
            self._build_charts(self.review)
        elif self.note.isVisible():
            self.note.setText(_("Choose a client to see a review."))
            self.title.setText(_("Review"))

    def refresh(self) -> None:
        if self.client_id is not None and self.ctx is not None:
            day = self.pending_date or (self.review.review_date if self.review else None)
            self.load(self.client_id, day)

    def is_chosen(self, review: Review) -> bool:
        """Whether `review` is the one chosen: no other date is on its way."""
        return self.pending_date is None or self.pending_date == review.review_date

    # ---- loading through the worker --------------------------------------

    def load(self, client_id: int, review_date: dt.date | None = None) -> BackgroundTask:
        """Build the review on the book worker and show it; the latest call wins."""
        if self._task is not None:
            self._task.cancel()
        if client_id != self.client_id:
            self.pending_date = None
        self.client_id = client_id
        if review_date is not None:
            self.pending_date = review_date
        ctx = self.ctx

        def work(token):
            token.check()
            return load_review(ctx, client_id, review_date)

        task = BackgroundTask(work)
        task.success(lambda result: self._loaded(task, result))
        task.failure(lambda exc: self._failed(task, exc))
        self._task = task
        task.run_on(book_worker())
        self.review_requested.emit()
        return task

    def _loaded(self, task, result) -> None:
        if task is not self._task:
            return
        review, dates = result
        self.pending_date = None
        self.show_review(review, dates)

    def _failed(self, task, exc) -> None:
        from reviewdesk.gui.worker import Cancelled

        if task is not self._task or isinstance(exc, Cancelled):
            return
        self.pending_date = None
        from reviewdesk.review.build import NoSnapshot

        if isinstance(exc, NoSnapshot) and not exc.dates:
            self.clear(_("This client has no snapshot yet: add holdings to make a review."))
        else:
            self.clear(_("The review could not be loaded: {error}").format(error=exc))
        self.load_failed.emit(str(exc))

    # ---- building --------------------------------------------------------

    def _fill_dates(self) -> None:
        self.date_box.blockSignals(True)
        self.date_box.clear()
        for day in reversed(self.dates):
            self.date_box.addItem(day.isoformat())
        if self.review is not None:
            index = self.date_box.findText(self.review.review_date.isoformat())
            self.date_box.setCurrentIndex(max(0, index))
        self.date_box.setEnabled(len(self.dates) > 1)
        self.date_box.blockSignals(False)

    def _date_picked(self, index: int) -> None:
        if index < 0:
            return
        day = dt.date.fromisoformat(self.date_box.itemText(index))
        if self.review is not None and day == self.review.review_date:
            return
        self.date_changed.emit(day)
        if self.ctx is not None and self.client_id is not None:
            self.load(self.client_id, day)

    def _chart_done(self, chart: ChartView) -> None:
        """One of the two charts in view has its figure or its failure: `charts_shown` once
        both have, then the performance chart below them is built."""
        if chart not in self._waiting:
            return
        self._waiting.discard(chart)
        review = self._charts_review
        if self._waiting or review is None or review is not self.review:
            return
        self.charts_shown.emit(review)
        if self.performance_chart is not None and self._performance_due is review:
            # Below the two, out of view at first: built once the page is painted.
            when_idle(lambda: self._build_performance(review))

    def _build_performance(self, review: Review) -> None:
        performance, lang = self.performance_chart, current_language()
        if performance is not None and self._performance_due is review and shiboken6.isValid(self):
            self._performance_due = None
            performance.build(lambda: sections.performance_figure(review, lang))

    def _drop_body(self) -> None:
        for chart in (self.allocation_chart, self.trend_chart, self._performance_view):
            if chart is not None:
                chart.clear()
        self.allocation_chart = self.trend_chart = self.performance_chart = None
        self._performance_view = None
        self._waiting = set()
        self._charts_review = self._performance_due = None
        self._body_client = None
        if self.body is not None:
            self.scroll_area.takeWidget()
            self.body.deleteLater()
            self.body = None

    def _make_body(self, fmt: sections.Fmt) -> QWidget:
        """The page's widgets, made once: a review shown later fills them again (texts,
        rows, figures) rather than making new ones."""
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setSpacing(10)
        self._headings = {}
        self._boxes = {}

        def heading(key: str) -> QLabel:
            label = sections.heading("", fmt)
            self._headings[key] = label
            return label

        def box(key: str) -> sections.SectionBox:
            self._boxes[key] = sections.SectionBox()
            return self._boxes[key]

        layout.addWidget(heading("summary"))
        layout.addWidget(box("summary"))
        layout.addWidget(heading("holdings"))
        layout.addWidget(box("holdings"))
        charts = QHBoxLayout()
        self.allocation_chart = ChartView(body, min_height=230)
        self.trend_chart = ChartView(body, min_height=230)
        for key, chart in (("allocation", self.allocation_chart), ("trend", self.trend_chart)):
            column = QVBoxLayout()
            column.addWidget(heading(key))
            column.addWidget(chart, 1)
            charts.addLayout(column, 1)
            chart.figure_shown.connect(lambda _f, c=chart: self._chart_done(c))
            chart.failed.connect(lambda _m, c=chart: self._chart_done(c))
        layout.addLayout(charts)
        layout.addWidget(heading("performance"))
        layout.addWidget(box("returns"))
        self._performance_view = ChartView(body, min_height=230)
        self._performance_view.setObjectName("performanceChart")
        layout.addWidget(self._performance_view)
        for key in ("insurance", "risk", "next_steps"):
            layout.addWidget(heading(key))
            layout.addWidget(box(key))
        layout.addStretch(1)
        self.body = body
        self.scroll_area.setWidget(body)
        return body

    def _build(self, review: Review) -> None:
        lang = current_language()
        fmt = sections.Fmt(review, lang)
        self.note.hide()
        self.title.setText(review.client.name)
        self.period.setText(
            _("{period} review, {currency}").format(
                period=_(review.period.label), currency=review.currency
            )
        )
        another_client = self._body_client != review.client.id
        self._body_client = review.client.id
        if self.body is None:
            self._make_body(fmt)
        elif another_client:  # another client's page opens at its top
            self.scroll_area.verticalScrollBar().setValue(0)
        for key, text in (
            ("summary", _("Summary")),
            ("holdings", pgettext("section", "Holdings")),
            ("allocation", _("Allocation")),
            ("trend", _("Trend")),
            ("performance", _("Performance")),
            ("insurance", pgettext("section", "Insurance")),
            ("risk", _("Risk profile and suitability")),
            ("next_steps", _("Next steps")),
        ):
            self._headings[key].setText(text)
        with self._layouts_held():
            self._fill(review, fmt)

    @contextmanager
    def _layouts_held(self) -> Iterator[None]:
        """The page's layouts wait while it is filled, then lay it out once.

        Qt lays out the box and the page at once for each widget shown in a visible
        parent (a part put in a box, a chart taking its view's place): a dozen times a
        switch, each asking every word-wrapped label for its height.
        """
        body = self.body
        if body is None:
            yield
            return
        layouts: list[QLayout] = [box.column for box in self._boxes.values()]
        if (outer := body.layout()) is not None:
            layouts.append(outer)
        for layout in layouts:
            layout.setEnabled(False)
        try:
            yield
        finally:
            for layout in layouts:
                layout.setEnabled(True)
                layout.invalidate()  # laid out when the event loop next runs, before painting

    def _fill(self, review: Review, fmt: sections.Fmt) -> None:
        boxes = self._boxes
        sections.summary_section(review, fmt, box=boxes["summary"], for_manager=True)
        holdings = boxes["holdings"].refill()
        if review.groups:
            sections.holdings_table(review, fmt, box=holdings)
        else:
            holdings.label(_("No holdings in this snapshot."), fmt, sections.MUTED)
        holdings.done()
        sections.returns_section(review, fmt, box=boxes["returns"])
        sections.insurance_section(review, fmt, box=boxes["insurance"])
        sections.risk_section(review, fmt, box=boxes["risk"])
        sections.next_steps_section(review, fmt, for_manager=True, box=boxes["next_steps"])
        performance = self._performance_view
        assert performance is not None
        if sections.shows_performance_chart(review):
            self.performance_chart = performance
            self._performance_due = review
            performance.clear(_("Drawing the chart…"))
            performance.show()
        else:
            self.performance_chart = self._performance_due = None
            performance.clear()
            performance.hide()

    def _build_charts(self, review: Review) -> None:
        """The allocation and trend charts of the review just filled in. While the chart
        library loads, on the CPU pool (the page is up meanwhile); once it has, here and
        now, so that the page is laid out and painted once with its charts. The
        performance chart, below them, follows once they are drawn."""
        allocation, trend = self.allocation_chart, self.trend_chart
        if review is not self.review or allocation is None or trend is None:
            return  # a review_shown listener moved on meanwhile
        lang = current_language()
        self._charts_review = review
        self._waiting = {allocation, trend}
        with self._layouts_held():
            allocation.build(lambda: sections.allocation_figure(review, lang), at_once=True)
            trend.build(lambda: sections.trend_figure(review, lang), at_once=True)
