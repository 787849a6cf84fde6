"""The pack on screen (QtPdf) and on paper (QPrinter).

The preview shows the very bytes that would be saved or printed, so what the
manager checks is what the client gets. Printing rasterizes each page at the
printer's resolution: QtPdf renders pages to images, and a printer driver
receives them as it would any other document, with no PDF support needed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.i18n import _

# A page of A4 at 600 dpi is 140 MB of pixels; finer adds nothing a laser printer shows.
MAX_PRINT_DPI = 600


def load_pdf(data: bytes, parent=None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over bytes in memory; keep the buffer as long as the document."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise ValueError(
            _("The pack could not be read as a PDF: {error}").format(error=document.error().name)
        )
    return document, buffer


def print_document(
    document: QPdfDocument, printer: QPrinter, progress: Callable[[int, int], None] | None = None
) -> int:
    """Print every page (or the range chosen in the dialog); returns the pages printed."""
    count = document.pageCount()
    first, last = 0, count - 1
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(0, printer.fromPage() - 1)
        last = min(count - 1, (printer.toPage() or count) - 1)
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(_("The printer could not be opened."))
    printed = 0
    try:
        target_area = printer.pageLayout().paintRectPixels(printer.resolution())
        target_area.moveTo(0, 0)
        for index, page in enumerate(range(first, last + 1)):
            if index:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = document.render(page, size, QPdfDocumentRenderOptions())
            painter.drawImage(_fit(size, target_area), image)
            printed += 1
            if progress is not None:
                progress(index + 1, last - first + 1)
    finally:
        painter.end()
    return printed


def _fit(size: QSize, area: QRect) -> QRect:
    """`size` scaled into `area`, aspect kept, centred."""
    scaled = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    x = area.x() + (area.width() - scaled.width()) // 2
    y = area.y() + (area.height() - scaled.height()) // 2
    return QRect(x, y, scaled.width(), scaled.height())


class PdfPreviewDialog(QDialog):
    """A pack to read before it leaves the desk: pages, zoom, then export or print."""

    export_requested = Signal()
    print_requested = Signal()

    ZOOM_STEP = 1.25

    def __init__(self, data: bytes, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.data = data
        self.document, self._buffer = load_pdf(data, self)
        self.setWindowTitle(title)
        # A page's width and as much of its height as the screen has room for: 1000 pixels
        # high, the dialog ran off a 900-pixel screen with its page scroll.
        screen = parent.screen() if parent is not None else None
        screen = screen or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        if room is not None and room.isValid():
            frame = 40  # the window manager's title bar and borders
            self.resize(min(900, room.width() - frame), min(1000, room.height() - frame))
        else:
            self.resize(900, 1000)

        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.prev_button = QToolButton(self)
        self.prev_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.next_button = QToolButton(self)
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.page_box = QSpinBox(self)
        self.page_box.setRange(1, max(1, self.document.pageCount()))
        self.page_count = QLabel(self)
        self.zoom_out_button = QToolButton(self)
        self.zoom_in_button = QToolButton(self)
        self.fit_width_button = QToolButton(self)
        self.fit_page_button = QToolButton(self)
        self.zoom_label = QLabel(self)
        self.export_button = QPushButton(self)
        self.print_button = QPushButton(self)
        self.close_button = QPushButton(self)

        bar = QHBoxLayout()
        for widget in (self.prev_button, self.page_box, self.page_count, self.next_button):
            bar.addWidget(widget)
        bar.addSpacing(16)
        for widget in (
            self.zoom_out_button,
            self.zoom_label,
            self.zoom_in_button,
            self.fit_width_button,
            self.fit_page_button,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        for button in (self.export_button, self.print_button, self.close_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        navigator = self.view.pageNavigator()
        navigator.currentPageChanged.connect(self._page_changed)
        self.page_box.valueChanged.connect(lambda n: self.go_to_page(n - 1))
        self.prev_button.clicked.connect(lambda: self.go_to_page(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to_page(self.current_page() + 1))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(self.ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(1 / self.ZOOM_STEP))
        self.fit_width_button.clicked.connect(
            lambda: self.set_zoom_mode(QPdfView.ZoomMode.FitToWidth)
        )
        self.fit_page_button.clicked.connect(
            lambda: self.set_zoom_mode(QPdfView.ZoomMode.FitInView)
        )
        self.view.zoomFactorChanged.connect(lambda _f: self._show_zoom())
        self.view.zoomModeChanged.connect(lambda _m: self._show_zoom())
        self.export_button.clicked.connect(self.export_requested)
        self.print_button.clicked.connect(self.print_requested)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self.zoom_by(self.ZOOM_STEP))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self.zoom_by(1 / self.ZOOM_STEP))
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_requested.emit)
        QShortcut(QKeySequence.StandardKey.Save, self, self.export_requested.emit)
        self.retranslate()

    def retranslate(self) -> None:
        self.prev_button.setToolTip(_("Previous page"))
        self.next_button.setToolTip(_("Next page"))
        self.page_count.setText(_("of {count}").format(count=self.document.pageCount()))
        self.zoom_out_button.setText("−")
        self.zoom_out_button.setToolTip(_("Zoom out"))
        self.zoom_in_button.setText("+")
        self.zoom_in_button.setToolTip(_("Zoom in"))
        self.fit_width_button.setText(_("Fit width"))
        self.fit_page_button.setText(_("Whole page"))
        self.export_button.setText(_("Export…"))
        self.print_button.setText(_("Print…"))
        self.close_button.setText(_("Close"))
        self._show_zoom()

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        page = max(0, min(page, self.document.pageCount() - 1))
        if page != self.current_page():
            self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())

    def zoom_by(self, factor: float) -> None:
        current = self.view.zoomFactor()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.1, min(8.0, current * factor)))

    def set_zoom_mode(self, mode: QPdfView.ZoomMode) -> None:
        self.view.setZoomMode(mode)

    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.prev_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < self.document.pageCount() - 1)

    def _show_zoom(self) -> None:
        mode = self.view.zoomMode()
        if mode == QPdfView.ZoomMode.FitToWidth:
            self.zoom_label.setText(_("Fit width"))
        elif mode == QPdfView.ZoomMode.FitInView:
            self.zoom_label.setText(_("Whole page"))
        else:
            self.zoom_label.setText(f"{round(self.view.zoomFactor() * 100)}%")
