"""A matplotlib Figure from `reviewdesk.charts` inside a Qt widget.

The screen shows the very figures the PDF prints, so the two cannot disagree.
Building a figure (layout, text, pie wedges) takes tens of milliseconds, so it
happens on the CPU pool; only the canvas, a Qt widget, is made and drawn on
the UI thread. A newer request supersedes an older one still running, so
switching clients quickly never shows a stale chart.

matplotlib takes about half a second to import: it is loaded by the first
chart built (on the CPU pool, see `preload`), never while the app starts.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedLayout, QWidget

from reviewdesk.gui.worker import BackgroundTask, cpu_pool, log_failure
from reviewdesk.i18n import _, translator

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_rc_installed = False
_style_lock = threading.Lock()


def preload() -> None:
    """Import matplotlib and the chart builders (on the CPU pool, once the window is up)."""
    install_chart_style()
    from matplotlib.backends import backend_qtagg  # noqa: F401 - the canvas module


def charts_loaded() -> bool:
    """Whether the chart library is loaded: a chart now costs its drawing only."""
    return _rc_installed and "matplotlib.backends.backend_qtagg" in sys.modules


def install_chart_style() -> None:
    """Make the charts' style the process default before any figure is built or drawn.

    The builders set their fonts and colours in an rc_context, which is process-wide
    state: two figures built on two threads, or tick labels created at draw time on
    the UI thread, would otherwise see the defaults (and draw Chinese as boxes).
    With the same values as the default, entering and leaving the context changes
    nothing, whichever thread does it.
    """
    global _rc_installed
    with _style_lock:
        if not _rc_installed:
            import matplotlib

            from reviewdesk.charts import builders

            matplotlib.rcParams.update(builders._rc())
            _rc_installed = True


_canvas_class = None
# Canvases of charts no longer on screen, by their figure's design size, kept for the next
# chart of that size: a client switch builds a new review page, and a canvas made anew
# costs a Qt widget, a renderer and its cache of text measurements, where a kept one
# takes the new figure (its renderer too, when the size is the same).
_spare_canvases: dict[tuple[float, float], list] = {}
SPARE_PER_SIZE = 2


def fitted_canvas(figure: Figure):
    """A FittedCanvas showing `figure` (the class is made with matplotlib's Qt canvas)."""
    spare = _spare_canvases.get(tuple(figure.get_size_inches()))
    while spare:
        canvas = spare.pop()
        if shiboken6.isValid(canvas):
            canvas.take_figure(figure)
            return canvas
    return _new_canvas(figure)


def release_canvas(canvas) -> None:
    """A canvas whose chart left the screen, kept (without a parent) for the next chart."""
    if not shiboken6.isValid(canvas):
        return
    canvas.setParent(None)
    spare = _spare_canvases.setdefault(canvas.design_size, [])
    if len(spare) < SPARE_PER_SIZE and canvas not in spare:
        spare.append(canvas)
    else:
        canvas.deleteLater()


def _new_canvas(figure: Figure):
    global _canvas_class
    if _canvas_class is None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        class FittedCanvas(FigureCanvasQTAgg):
            """A canvas that scales a figure to the widget instead of reflowing it.

            The chart builders lay a figure out for its print size; on screen the
            figure keeps those proportions, and its dpi follows the widget, so text
            grows with the chart (present mode) rather than staying at 9 points.
            """

            def __init__(self, figure):
                self.design_size = tuple(figure.get_size_inches())
                super().__init__(figure)

            def take_figure(self, figure) -> None:
                """Show `figure` instead, at this canvas's size (a kept canvas)."""
                figure.set_canvas(self)
                self.figure = figure
                self.design_size = tuple(figure.get_size_inches())
                width, height = self.width(), self.height()
                if width > 0 and height > 0:
                    self._fit(width, height)
                    ratio = self.device_pixel_ratio
                    figure.set_size_inches(
                        width * ratio / figure.dpi, height * ratio / figure.dpi, forward=False
                    )
                else:
                    figure._original_dpi = figure.dpi

            def draw_idle(self) -> None:
                """Render when next painted, not at once: Qt paints only what is in view,
                so a chart below the fold of the review page costs nothing until the
                manager scrolls to it (rendering its text takes about 20 ms)."""
                if not getattr(self, "_is_drawing", False):
                    self._draw_pending = True
                    self.update()

            def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
                width, height = event.size().width(), event.size().height()
                if width > 0 and height > 0:
                    self._fit(width, height)
                super().resizeEvent(event)

            def _fit(self, width: int, height: int) -> None:
                dpi = max(36.0, min(width / self.design_size[0], height / self.design_size[1]))
                # The canvas derives the figure's dpi from _original_dpi on every screen
                # change. Both are matplotlib's private canvas protocol, which its stubs
                # leave out.
                self.figure._original_dpi = dpi  # type: ignore[attr-defined]
                self.figure._set_dpi(  # type: ignore[attr-defined]
                    dpi * self.device_pixel_ratio, forward=False
                )

        _canvas_class = FittedCanvas
    return _canvas_class(figure)


class _AspectHost(QWidget):
    """Holds a canvas at its figure's proportions, centred in whatever room it is given.

    The builders place text and keys for the print size; a canvas stretched to another
    shape would move them onto the bars (the key of the trend chart did).
    """

    def __init__(self, canvas, parent: QWidget | None = None):
        super().__init__(parent)
        self.canvas = canvas
        canvas.setParent(self)
        canvas.show()  # a kept canvas was hidden as it left its last host
        width, height = canvas.design_size
        self.aspect = width / height

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._place(event.size().width(), event.size().height())

    def _place(self, width: int, height: int) -> None:
        if width <= 0 or height <= 0:
            return
        if width / height > self.aspect:
            fitted_w, fitted_h = round(height * self.aspect), height
        else:
            fitted_w, fitted_h = width, round(width / self.aspect)
        self.canvas.setGeometry(
            (width - fitted_w) // 2, (height - fitted_h) // 2, fitted_w, fitted_h
        )


class ChartView(QWidget):
    """Shows one Figure; `build(fn)` makes the next one off the UI thread."""

    figure_shown = Signal(object)
    failed = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, min_height: int = 220, *, lang: str | None = None
    ):
        """`lang`: the language of a view a client reads (present mode), which says its
        notes in that language and never an error's own words (they go to the log)."""
        super().__init__(parent)
        self.lang = lang
        self._generation = 0
        self._task: BackgroundTask | None = None
        self.canvas = None  # a FittedCanvas once a figure is shown
        self._host: QWidget | None = None  # the canvas's _AspectHost
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

    def build(self, make: Callable[[], Figure], at_once: bool = False) -> BackgroundTask | None:
        """Build a figure and show it (the latest request wins).

        Until the chart library has loaded, on the CPU pool: its import takes half a
        second. After that, on the UI thread once the events waiting now are handled
        (the page around the chart is laid out first), or `at_once`, before this call
        returns (a page filled with its charts is laid out and painted once, not twice):
        a figure takes a few milliseconds to build, and a worker thread running Python
        beside the UI thread costs more than that, since every call into Qt hands the
        interpreter over and waits to get it back.
        """
        self._generation += 1
        generation = self._generation
        if self._task is not None:
            self._task.cancel()
            self._task = None
        # The figure shown so far goes (its canvas is kept for the next): a view shown
        # again for another review never shows the last one's chart meanwhile.
        self._drop_host()
        tr = _ if self.lang is None else translator(self.lang)
        self.show_note(tr("Drawing the chart…"))

        def current() -> bool:
            # The view may be gone (page rebuilt, window closed) before the figure is.
            return shiboken6.isValid(self) and generation == self._generation

        def done(figure):
            if current():
                self.show_figure(figure)

        def fail(exc, cancelled: bool = False):
            if current() and not cancelled:
                if self.lang is None:  # the manager's screen: what went wrong
                    note = _("The chart could not be drawn: {error}").format(error=exc)
                else:  # the client's: the error's own words stay in the log
                    note = tr("The chart could not be drawn.")
                self.show_note(note)
                self.failed.emit(str(exc))

        if charts_loaded():

            def build_here() -> None:
                if not current():
                    return
                try:
                    figure = make()
                except Exception as exc:  # noqa: BLE001 - said in place of the chart
                    log_failure(exc)
                    fail(exc)
                    return
                done(figure)

            if at_once:
                build_here()
            else:
                QTimer.singleShot(0, build_here)
            return None

        def work(token):
            token.check()
            install_chart_style()
            return make()

        task = BackgroundTask(work).success(done)
        task.failure(lambda exc: fail(exc, token_cancelled(task)))
        self._task = task
        return task.run_on(cpu_pool())

    def show_figure(self, figure: Figure) -> None:
        """Put `figure` on screen (UI thread only)."""
        install_chart_style()  # the canvas draws tick labels with the charts' fonts
        old = self._host
        if old is not None:  # its canvas may show the new figure
            self._drop_host()
        canvas = fitted_canvas(figure)
        host = _AspectHost(canvas)
        host.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        host.setMinimumHeight(self.minimumHeight())
        self._stack.addWidget(host)
        self._stack.setCurrentWidget(host)
        self.canvas, self._host = canvas, host
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
        self._drop_host()
        self.show_note(note)

    def _drop_host(self) -> None:
        """The chart off screen; its canvas kept for the next chart."""
        host, canvas = self._host, self.canvas
        self.canvas = self._host = None
        if host is None:
            return
        self._stack.removeWidget(host)
        if canvas is not None:
            release_canvas(canvas)
        host.deleteLater()


def token_cancelled(task: BackgroundTask) -> bool:
    return task.token.cancelled
