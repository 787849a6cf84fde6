"""A matplotlib Figure from `reviewdesk.charts` inside a Qt widget.

The screen shows the very figures the PDF prints, so the two cannot disagree.
Building a figure (layout, text, pie wedges) takes tens of milliseconds, so it
happens on the CPU pool; only the canvas, a Qt widget, is made and drawn on
the UI thread. A newer request supersedes an older one still running, so
switching clients quickly never shows a stale chart.
"""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedLayout, QWidget

from reviewdesk.gui.worker import BackgroundTask, cpu_pool
from reviewdesk.i18n import _


class ChartView(QWidget):
    """Shows one Figure; `build(fn)` makes the next one off the UI thread."""

    figure_shown = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, min_height: int = 220, zoom: float = 1.0):
        super().__init__(parent)
        self.zoom = zoom
        self._generation = 0
        self._task: BackgroundTask | None = None
        self.canvas: FigureCanvasQTAgg | None = None
        self._note = QLabel(self)
        self._note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._note.setWordWrap(True)
        self._stack = QStackedLayout(self)
        self._stack.setContentsMargins(0, 0, 0, 0)
        self._stack.addWidget(self._note)
        self.setMinimumHeight(min_height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @property
    def figure(self) -> Figure | None:
        return self.canvas.figure if self.canvas is not None else None

    def build(self, make: Callable[[], Figure]) -> BackgroundTask:
        """Build a figure on the CPU pool and show it when done (latest request wins)."""
        self._generation += 1
        generation = self._generation
        if self._task is not None:
            self._task.cancel()
        self.show_note(_("Drawing the chart…"))

        def work(token):
            token.check()
            return make()

        def done(figure):
            if generation == self._generation:
                self.show_figure(figure)

        def fail(exc):
            if generation == self._generation and not token_cancelled(task):
                self.show_note(_("The chart could not be drawn: {error}").format(error=exc))
                self.failed.emit(str(exc))

        task = BackgroundTask(work).success(done).failure(fail)
        self._task = task
        return task.run_on(cpu_pool())

    def show_figure(self, figure: Figure) -> None:
        """Put `figure` on screen (UI thread only)."""
        old = self.canvas
        if self.zoom != 1.0:
            # A figure drawn at a higher dpi on the same pixels is a larger figure:
            # present mode enlarges text and lines this way. The canvas derives its
            # dpi from _original_dpi on every screen change, so that is what is set.
            figure._original_dpi = figure.dpi * self.zoom
            figure.set_dpi(figure._original_dpi)
        canvas = FigureCanvasQTAgg(figure)
        canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        canvas.setMinimumHeight(self.minimumHeight())
        self._stack.addWidget(canvas)
        self._stack.setCurrentWidget(canvas)
        self.canvas = canvas
        if old is not None:
            self._stack.removeWidget(old)
            old.deleteLater()
        canvas.draw_idle()
        self.figure_shown.emit(figure)

    def show_note(self, text: str) -> None:
        """A line of text in place of the chart (nothing to draw, or drawing)."""
        self._note.setText(text)
        self._stack.setCurrentWidget(self._note)

    def clear(self, note: str = "") -> None:
        self._generation += 1
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self.canvas is not None:
            self._stack.removeWidget(self.canvas)
            self.canvas.deleteLater()
            self.canvas = None
        self.show_note(note)


def token_cancelled(task: BackgroundTask) -> bool:
    return task.token.cancelled
