"""Excel in and out from the File menu: import with its full report, export, the template.

The work is the command line's (`reviewdesk import/export/template`, see
`reviewdesk.exchange`): the import is all or nothing, inside one unit of work,
so stopping it part-way (Cancel) or any problem leaves the book as it was.
Both run on the book worker; the dialogs show the sheet being read with a
Cancel button, then the same report the terminal prints, in a table the
manager can copy or save to fix the workbook.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, select

from reviewdesk.book.db import ReadOnlyBook
from reviewdesk.book.errors import BookError
from reviewdesk.book.models import Holding, Snapshot
from reviewdesk.files import write_private
from reviewdesk.gui.common import show_error, start_folder
from reviewdesk.gui.forms import setup_form
from reviewdesk.gui.worker import BackgroundTask, Cancelled, book_worker, cpu_pool
from reviewdesk.i18n import _, current_language

FOLDER_KEY = "exchange/last_folder"


def last_folder() -> str:
    return start_folder(QSettings(), FOLDER_KEY)


def remember_folder(chosen_file: Path) -> None:
    QSettings().setValue(FOLDER_KEY, str(chosen_file.parent))


def file_name_part(text: str) -> str:
    """`text` without the characters a file name cannot hold on Windows, macOS or Linux."""
    return " ".join(re.sub(r'[\\/:*?"<>|\x00-\x1f]', " ", text).split()).strip(" .") or "client"


def with_xlsx(path: str) -> Path:
    target = Path(path)
    return target if target.suffix.lower() == ".xlsx" else target.with_name(target.name + ".xlsx")


def error_text(exc: BaseException) -> str:
    return exc.message() if isinstance(exc, BookError) else f"{_('Unexpected error')}: {exc}"


def report_text(report) -> str:
    """The whole import report as plain text, to copy into a mail or beside the workbook."""
    return report.text()


def outcome(report) -> str:
    """The one line that says what happened to the book."""
    return report.outcome()


def show_beside(dialog: QDialog) -> None:
    """Not modal: the manager can look up a client named in a report while it stays open."""
    dialog.setModal(False)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()


# Problems the dialog's table holds: beyond this the table says how many more there are,
# and "Save report…" writes them all. Qt draws only the visible rows of a model, so
# this bounds the memory and the time to fill, not what the manager can scroll through.
SHOWN_PROBLEMS = 5000


class ProblemsModel(QAbstractTableModel):
    """The first `SHOWN_PROBLEMS` problems of a report as a table model: the view asks
    only for the rows on screen, so 100,000 problems open as fast as ten."""

    COLUMNS = 5

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._problems: list = []
        self._headers: list[str] = [""] * self.COLUMNS

    def set_problems(self, problems: list) -> None:
        self.beginResetModel()
        self._problems = problems[:SHOWN_PROBLEMS]
        self.endResetModel()

    def set_headers(self, headers: list[str]) -> None:
        self._headers = headers
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMNS - 1)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self.COLUMNS

    def text(self, row: int, column: int) -> str:
        from reviewdesk.exchange.report import show_value

        problem = self._problems[row]
        if column == 0:
            return problem.sheet
        if column == 1:
            return "" if problem.row is None else str(problem.row)
        if column == 2:
            return problem.column or ""
        if column == 3:
            return show_value(problem.value) if problem.about_value else ""
        return problem.reason

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._problems[row].message() if column == 4 else self.text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None


class _Relay(QObject):
    """Progress from the book worker, delivered on the UI thread (the relay lives there)."""

    progressed = Signal(str, int, int)  # sheet, rows done, rows in all (0: not known)


def _lines(parent: QWidget, name: str) -> QListWidget:
    """A list of report lines: read (and copied with the report), never chosen."""
    view = QListWidget(parent)
    view.setObjectName(name)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return view


def _fit(view: QListWidget, most: int = 8) -> None:
    """As tall as its lines (up to `most`, then it scrolls), so no empty box is left."""
    rows = max(1, min(view.count(), most))
    height = view.sizeHintForRow(0) if view.count() else view.fontMetrics().height() + 4
    view.setFixedHeight(rows * height + 2 * view.frameWidth() + 4)


def _bold(label: QLabel) -> QLabel:
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class ImportProgress(QWidget):
    """What is being read now, a busy bar and the Cancel button (a promoted widget of
    ui/import_dialog.ui)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setObjectName("progressLabel")
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("cancelButton")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        text = QVBoxLayout()
        text.addWidget(self.label)
        text.addWidget(self.bar)
        layout.addLayout(text, 1)
        layout.addWidget(self.cancel_button)
        self.hide()

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.show()

    def step(self, text: str, done: int, total: int) -> None:
        self.label.setText(text)
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

    def stopping(self, text: str) -> None:
        self.label.setText(text)
        self.cancel_button.setEnabled(False)


class ImportDialog(QDialog):
    """The chosen files, Import (or Check only), the progress, then the report."""

    imported = Signal(object)  # the ImportReport of an import that changed the book

    def __init__(self, ctx, paths: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.ctx = ctx
        self.paths = [str(p) for p in paths]
        self.report = None
        self._password: str | None = None
        self._task: BackgroundTask | None = None
        self._close_when_done = False
        self.ui = setup_form("import_dialog", self)
        self.intro = self.ui.importIntro
        self.files_label = self.ui.importFiles
        self.check_only = self.ui.checkOnly
        self.progress = self.ui.progressRow
        self.headline = _bold(self.ui.headline)
        self.problems_model = ProblemsModel(self)
        self.problems = self.ui.problemsTable
        self.problems.setModel(self.problems_model)
        header = self.problems.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((110, 50, 120, 160)):
            self.problems.setColumnWidth(column, width)
        header.sectionResized.connect(lambda *_a: self._fit_rows())
        self.more_problems = self.ui.moreProblems
        self.warnings_label = self.ui.warningsLabel
        self.warnings = self.ui.warningsList
        self.summary = self.ui.summaryList
        for widget in (
            self.problems,
            self.more_problems,
            self.warnings_label,
            self.warnings,
            self.summary,
        ):
            widget.hide()

        # The button box's buttons of roles of their own: not something a form can hold.
        self.buttons = self.ui.importButtons
        self.start_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setObjectName("startButton")
        self.copy_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setObjectName("copyReport")
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setObjectName("saveReport")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.stretch = self.ui.importStretch  # takes the room the problems table does not

        self.check_only.toggled.connect(lambda _on: self._update_buttons())
        self.start_button.clicked.connect(self.start)
        self.progress.cancel_button.clicked.connect(self.cancel)
        self.copy_button.clicked.connect(self.copy_report)
        self.save_button.clicked.connect(self.save_report)
        self.close_button.clicked.connect(self.reject)
        self.retranslate()

    def retranslate(self) -> None:
        self.ui.retranslateUi(self)
        names = ", ".join(Path(p).name for p in self.paths)
        self.files_label.setText(_("Files: {files}").format(files=names))
        self.files_label.setToolTip("\n".join(self.paths))
        self.progress.cancel_button.setText(_("Cancel"))
        self.problems_model.set_headers(
            [_("Sheet"), _("Row"), _("Column"), _("Cell value"), _("Why")]
        )
        if self.report is not None:
            self._show_more(self.report)
        self.copy_button.setText(_("Copy report"))
        self.save_button.setText(_("Save report…"))
        self.close_button.setText(_("Close"))
        self._update_buttons()

    @property
    def running(self) -> bool:
        return self._task is not None

    def _update_buttons(self) -> None:
        self.start_button.setText(_("Check") if self.check_only.isChecked() else _("Import"))
        applied = self.report is not None and self.report.applied
        self.start_button.setEnabled(not self.running and not applied)
        self.check_only.setEnabled(not self.running and not applied)
        has_report = self.report is not None and not self.running
        self.copy_button.setEnabled(has_report)
        self.save_button.setEnabled(has_report)

    # ---- running -----------------------------------------------------------

    def start(self) -> BackgroundTask | None:
        if self.running:
            return None
        from reviewdesk.exchange import import_files

        book, paths, dry_run = self.ctx.book, list(self.paths), self.check_only.isChecked()
        password = self._password
        if password is None and self._protected():
            password = self.ask_password()
            if password is None:
                return None
        self._password = password
        relay = _Relay(self)
        relay.progressed.connect(self._progressed)

        def work(token):
            token.check()

            def progress(sheet: str, rows: int) -> None:
                relay.progressed.emit(sheet, rows, 0)
                token.check()  # raising here rolls the whole import back

            return import_files(book, paths, dry_run=dry_run, progress=progress, password=password)

        self.report = None
        self._show_report(None)
        self.headline.hide()
        self.progress.start(_("Reading the files…"))
        task = BackgroundTask(work).success(self._finished).failure(self._failed)
        self._task = task
        self._update_buttons()
        return task.run_on(book_worker())

    def _protected(self) -> bool:
        """Whether a chosen workbook is protected by a password."""
        from reviewdesk.exchange.xlsx_rows import is_encrypted

        for path in self.paths:
            if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
                try:
                    if is_encrypted(path):
                        return True
                except OSError:
                    continue  # the import reports the file it cannot read
        return False

    def ask_password(self) -> str | None:
        """The workbook's password, or None if the manager cancels."""
        text, ok = QInputDialog.getText(
            self,
            _("Protected workbook"),
            _("The workbook is protected by a password. Its password:"),
            QLineEdit.EchoMode.Password,
        )
        return text if ok and text else None

    def _progressed(self, sheet: str, rows: int, _total: int) -> None:
        if self.running and self.progress.cancel_button.isEnabled():
            self.progress.step(
                _("Reading {sheet}: {rows} rows…").format(sheet=sheet, rows=f"{rows:,}"), rows, 0
            )

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.progress.stopping(_("Stopping: the book is being left as it was…"))

    def _finished(self, report) -> None:
        self._task = None
        self.progress.hide()
        self.report = report
        self._show_report(report)
        if report.dry_run and report.ok:
            self.check_only.setChecked(False)  # checked and clean: importing is what is next
            self.start_button.setDefault(True)
        self._update_buttons()
        if report.applied:
            self.imported.emit(report)
        self._close_if_asked()

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self.progress.hide()
        if isinstance(exc, Cancelled):
            text = _("Cancelled: nothing was imported, the book is unchanged.")
        else:
            text = _(
                "The import stopped: {error}. Nothing was imported, the book is unchanged."
            ).format(error=error_text(exc).rstrip("."))
        self.headline.setText(text)
        self.headline.setStyleSheet("")
        self.headline.show()
        self._update_buttons()
        self._close_if_asked()

    def _close_if_asked(self) -> None:
        if self._close_when_done:
            self._close_when_done = False
            super().reject()

    # ---- the report --------------------------------------------------------

    def _show_report(self, report) -> None:
        self.problems_model.set_problems([])
        self.warnings.clear()
        self.summary.clear()
        for widget in (
            self.problems,
            self.more_problems,
            self.warnings_label,
            self.warnings,
            self.summary,
        ):
            widget.hide()
        if report is None:
            return
        self.headline.setText(outcome(report))
        self.headline.setStyleSheet("color: #b00020;" if report.problems else "")
        self.headline.show()
        if report.problems:
            self.problems_model.set_problems(report.problems)
            self.problems.show()
            self._show_more(report)
            self.resize(max(self.width(), 900), max(self.height(), 600))
            self._fit_rows()
        else:
            self.summary.addItems(report.summary_lines())
            _fit(self.summary, 10)
            self.summary.setVisible(self.summary.count() > 0)
        self.stretch.setVisible(not report.problems)
        if report.warnings:
            self.warnings.addItems([w.message() for w in report.warnings[:SHOWN_PROBLEMS]])
            _fit(self.warnings, 6)
            self.warnings_label.show()
            self.warnings.show()

    def _show_more(self, report) -> None:
        more = len(report.problems) - SHOWN_PROBLEMS
        self.more_problems.setVisible(more > 0)
        if more > 0:
            self.more_problems.setText(
                _(
                    "The first {shown} problems are shown, {more} more are not: "
                    "\u201cSave report…\u201d writes them all to a file."
                ).format(shown=f"{SHOWN_PROBLEMS:,}", more=f"{more:,}")
            )

    def _fit_rows(self) -> None:
        """Long reasons wrap onto a second line; a very long report keeps one line a row."""
        if 0 < self.problems_model.rowCount() <= 500:
            self.problems.resizeRowsToContents()

    def copy_report(self) -> None:
        if self.report is not None:
            QGuiApplication.clipboard().setText(report_text(self.report))

    def save_report(self) -> Path | None:
        if self.report is None:
            return None
        first = Path(self.paths[0]) if self.paths else Path(last_folder()) / "import"
        suggested = str(first.with_name(first.stem + " " + _("import report") + ".txt"))
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the import report"), suggested, _("Text files (*.txt)")
        )
        if not path:
            return None
        target = Path(path)
        try:
            write_private(target, report_text(self.report).encode("utf-8"))
        except OSError as exc:
            show_error(self, exc)
            return None
        return target

    def reject(self) -> None:
        if self.running:  # closing while running: stop (the book stays as it was), then close
            self._close_when_done = True
            self.cancel()
            return
        super().reject()


class ExportDialog(QDialog):
    """The export under way (with Cancel), then the rows written per sheet."""

    exported = Signal(object)  # the ExportSummary
    failed = Signal(object)  # the exception, Cancelled excepted

    def __init__(
        self,
        ctx,
        path: Path,
        client_id: int | None = None,
        parent: QWidget | None = None,
        what: str = "",
    ):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.ctx = ctx
        self.path = path
        self.client_id = client_id
        self.what = what
        self.summary = None
        self._task: BackgroundTask | None = None
        self._close_when_done = False
        self.resize(560, 10)

        self.target_label = QLabel(self)
        self.target_label.setWordWrap(True)
        self.target_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = ImportProgress(self)
        self.headline = _bold(QLabel(self))
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.headline.hide()
        self.sheets = _lines(self, "sheetsList")
        self.sheets.hide()
        self.buttons = QDialogButtonBox(self)
        self.open_folder_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_folder_button.hide()
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.target_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.headline)
        layout.addWidget(self.sheets)
        layout.addStretch(1)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)
        self.progress.cancel_button.clicked.connect(self.cancel)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.close_button.clicked.connect(self.reject)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Export to Excel"))
        self.target_label.setText(
            _("Exporting {what} to {file}").format(
                what=self.what or _("the whole book"), file=self.path
            )
        )
        self.progress.cancel_button.setText(_("Cancel"))
        self.open_folder_button.setText(_("Open the folder"))
        self.close_button.setText(_("Close"))

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> BackgroundTask:
        from reviewdesk.exchange import export_workbook, schema

        book, path, client_id = self.ctx.book, self.path, self.client_id
        lang = current_language()
        relay = _Relay(self)
        relay.progressed.connect(self._progressed)

        def work(token):
            token.check()
            with book.session() as session:
                query = select(func.count(Holding.id)).join(Holding.snapshot)
                if client_id is not None:
                    query = query.where(Snapshot.client_id == client_id)
                total = session.scalar(query) or 0

                def progress(sheet: str, rows: int) -> None:
                    found = schema.match_sheet(sheet)
                    relay.progressed.emit(found.name(lang) if found else sheet, rows, total)
                    token.check()  # raising here: no file, nothing recorded

                return export_workbook(
                    session,
                    path,
                    lang=lang,
                    client_id=client_id,
                    progress=progress,
                    record=not book.read_only,  # a read-only book cannot keep the record
                )

        self.progress.start(_("Writing the workbook…"))
        task = BackgroundTask(work).success(self._finished).failure(self._failed)
        self._task = task
        return task.run_on(book_worker())

    def _progressed(self, sheet: str, rows: int, total: int) -> None:
        if self.running and self.progress.cancel_button.isEnabled():
            self.progress.step(
                _("Writing {sheet}: {rows} of {total} rows…").format(
                    sheet=sheet, rows=f"{rows:,}", total=f"{total:,}"
                ),
                rows,
                total,
            )

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.progress.stopping(_("Stopping: no file will be written…"))

    def _finished(self, summary) -> None:
        self._task = None
        self.progress.hide()
        self.target_label.hide()
        self.summary = summary
        headline = _("Exported to {file}:").format(file=summary.path)
        book = self.ctx.book
        if book.read_only:
            headline = (
                _(
                    "the book is open read-only ({reason}): the file is written, but the book "
                    "could not keep its record (the audit trail does not show it)"
                ).format(reason=book.read_only_reason)
                + "\n"
                + headline
            )
        self.headline.setText(headline)
        self.headline.show()
        self.sheets.clear()
        self.sheets.addItems(
            [
                _("{sheet}: {n} rows").format(sheet=sheet, n=f"{rows:,}")
                for sheet, rows in summary.rows.items()
            ]
        )
        _fit(self.sheets, 10)
        self.sheets.show()
        self.open_folder_button.show()
        self.exported.emit(summary)
        self._close_if_asked()

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self.progress.hide()
        if isinstance(exc, Cancelled):
            self.headline.setText(_("Cancelled: no file was written."))
            self.headline.show()
            self._close_if_asked()
            return
        self.failed.emit(exc)
        super().reject()  # the error is shown by itself; this dialog has nothing more to say

    def _close_if_asked(self) -> None:
        if self._close_when_done:
            self._close_when_done = False
            super().reject()

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path.parent)))

    def reject(self) -> None:
        if self.running:
            self._close_when_done = True
            self.cancel()
            return
        super().reject()


class ExchangeActions(QObject):
    """The File and Client menu entries: choose the files, then open the dialog that works."""

    book_changed = Signal()
    message = Signal(str)  # for the status bar

    def __init__(self, ctx, parent_widget: QWidget):
        super().__init__(parent_widget)
        self.ctx = ctx
        self.parent_widget = parent_widget
        self.import_dialog: ImportDialog | None = None

    def _refused_read_only(self, what: str) -> bool:
        book = self.ctx.book
        if not book.read_only:
            return False
        show_error(self.parent_widget, ReadOnlyBook(what.format(reason=book.read_only_reason)))
        return True

    def import_workbooks(self) -> ImportDialog | None:
        running = self.import_dialog
        if running is not None and running.isVisible() and running.running:
            running.raise_()
            running.activateWindow()
            return running
        if self._refused_read_only(
            _("the book is open read-only ({reason}): nothing can be imported into it")
        ):
            return None
        paths, _filter = QFileDialog.getOpenFileNames(
            self.parent_widget,
            _("Import from Excel or CSV"),
            last_folder(),
            _("Workbooks and CSV files (*.xlsx *.csv);;All files (*)"),
        )
        if not paths:
            return None
        remember_folder(Path(paths[0]))
        dialog = ImportDialog(self.ctx, paths, self.parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.imported.connect(lambda _report: self.book_changed.emit())
        dialog.imported.connect(
            lambda _report: self.message.emit(
                _("Imported: {files}").format(files=", ".join(Path(p).name for p in paths))
            )
        )
        dialog.destroyed.connect(lambda: setattr(self, "import_dialog", None))
        self.import_dialog = dialog
        show_beside(dialog)
        return dialog

    def export_book(self) -> ExportDialog | None:
        name = _("ReviewDesk {date}.xlsx").format(date=self.ctx.today.isoformat())
        return self._export(name, None, _("the whole book"))

    def export_client(self, client_id: int, code: str, name: str) -> ExportDialog | None:
        suggested = file_name_part(f"{code} {name}") + ".xlsx"
        return self._export(suggested, client_id, _("client {name}").format(name=name))

    def _export(self, suggested: str, client_id: int | None, what: str) -> ExportDialog | None:
        # A read-only book is still exported: the file is written and the dialog says the
        # book could not keep the export's record (see ExportDialog).
        path, _filter = QFileDialog.getSaveFileName(
            self.parent_widget,
            _("Export to Excel"),
            str(Path(last_folder()) / suggested),
            _("Excel workbooks (*.xlsx)"),
        )
        if not path:
            return None
        target = with_xlsx(path)
        remember_folder(target)
        dialog = ExportDialog(self.ctx, target, client_id, self.parent_widget, what)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.exported.connect(
            lambda summary: self.message.emit(
                _("Exported to {file}: {rows} rows").format(
                    file=summary.path, rows=sum(summary.rows.values())
                )
            )
        )
        dialog.failed.connect(lambda exc: show_error(self.parent_widget, exc))
        show_beside(dialog)
        dialog.start()
        return dialog

    def write_template(self) -> BackgroundTask | None:
        from reviewdesk.exchange import write_template

        name = _("ReviewDesk import template.xlsx")
        path, _filter = QFileDialog.getSaveFileName(
            self.parent_widget,
            _("Write import template"),
            str(Path(last_folder()) / name),
            _("Excel workbooks (*.xlsx)"),
        )
        if not path:
            return None
        target = with_xlsx(path)
        remember_folder(target)
        lang = current_language()
        task = BackgroundTask(lambda token: write_template(target, lang))
        task.success(
            lambda written: self.message.emit(_("Template written: {file}").format(file=written))
        )
        task.failure(lambda exc: show_error(self.parent_widget, exc))
        return task.run_on(cpu_pool())
