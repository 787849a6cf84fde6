"""Prepare this month's packs: one PDF per client due, into a folder, with progress.

The batch is the command line's (`reviewdesk packs --due`): it renders on
every core, writes each file whole or not at all, records each pack saved,
and one client's error never stops it. This dialog chooses the month and the
folder, shows progress with a Cancel button, and ends with what was written
and what was skipped, and why.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.book.errors import BookError
from reviewdesk.files import new_folders_private
from reviewdesk.gui.contact_dialog import from_qdate
from reviewdesk.gui.worker import BackgroundTask, Cancelled, book_worker
from reviewdesk.i18n import _, ngettext
from reviewdesk.pack.batch import BatchFailed, BatchResult
from reviewdesk.refusals import os_reason

FOLDER_KEY = "batch/last_folder"


def load_due(ctx, month: dt.date):
    """The clients due by the end of `month` (overdue ones included), for the book worker."""
    from reviewdesk.pack.batch import due_jobs

    with ctx.book.session() as session:
        return due_jobs(session, month, ctx.today)


def run_due_batch(ctx, jobs, folder: Path, lang: str | None, workers: int | None, token):
    """The batch itself, on the book worker: it reads the book and records every pack."""
    from reviewdesk.pack.batch import run_batch
    from reviewdesk.settings import load_settings

    with ctx.book.session() as session:
        settings = load_settings(session)
    return run_batch(
        ctx.book,
        jobs,
        folder,
        today=ctx.today,
        settings=settings,
        lang=lang,
        workers=workers,
        progress=token.progress,
        cancelled=lambda: token.cancelled,
    )


class PrepareDueDialog(QDialog):
    """Choose the month and the folder, then write the packs of every client due."""

    batch_finished = Signal(object)  # the BatchResult
    batch_failed = Signal(object)  # what stopped the batch (BatchFailed) or the loading

    def __init__(self, ctx, parent: QWidget | None = None, workers: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.workers = workers
        self.jobs: list = []
        self.loaded_month: dt.date | None = None
        # The last run's outcome (not `result`: that is QDialog's own result code).
        self.batch_result: BatchResult | None = None
        self.progress: QProgressDialog | None = None
        self._task: BackgroundTask | None = None
        self.resize(560, 520)

        self.month_edit = QDateEdit(self)
        self.month_edit.setDisplayFormat("yyyy-MM")
        self.month_edit.setCalendarPopup(False)
        self.month_edit.setDate(QDate(ctx.today.year, ctx.today.month, 1))
        self.folder_edit = QLineEdit(self)
        self.browse_button = QPushButton(self)
        self.language_box = QComboBox(self)
        self.due_label = QLabel(self)
        self.due_list = QListWidget(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.skipped_list = QListWidget(self)
        self.skipped_list.hide()
        self.buttons = QDialogButtonBox(self)
        self.prepare_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_folder_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_folder_button.hide()
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)
        self.form_labels = [QLabel(self) for _i in range(3)]
        self.form = QFormLayout()
        self.form.addRow(self.form_labels[0], self.month_edit)
        self.form.addRow(self.form_labels[1], folder_row)
        self.form.addRow(self.form_labels[2], self.language_box)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.due_label)
        layout.addWidget(self.due_list, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.skipped_list, 1)
        layout.addWidget(self.buttons)

        self.month_edit.dateChanged.connect(lambda _d: self.load_due())
        self.browse_button.clicked.connect(self.choose_folder)
        self.folder_edit.textChanged.connect(lambda _t: self._update_buttons())
        self.prepare_button.clicked.connect(self.start)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.close_button.clicked.connect(self.reject)
        self.retranslate()
        self.folder_edit.setText(self._default_folder())
        self.load_due()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Prepare this month's packs"))
        for label, text in zip(
            self.form_labels,
            (_("Clients due by the end of"), _("Folder"), _("Language")),
            strict=True,
        ):
            label.setText(text)
        self.browse_button.setText(_("Choose…"))
        current = self.language_box.currentIndex()
        self.language_box.clear()
        self.language_box.addItem(_("Each client's language"), None)
        self.language_box.addItem(_("Chinese"), "zh")
        self.language_box.addItem(_("English"), "en")
        self.language_box.setCurrentIndex(max(0, current))
        self.prepare_button.setText(_("Prepare the packs"))
        self.open_folder_button.setText(_("Open the folder"))
        self._show_due()

    # ---- choosing ----------------------------------------------------------

    @property
    def month(self) -> dt.date:
        return from_qdate(self.month_edit.date()).replace(day=1)

    @property
    def folder(self) -> Path:
        return Path(self.folder_edit.text().strip()).expanduser()

    def _default_folder(self) -> str:
        last = QSettings().value(FOLDER_KEY, "")
        if last:
            return str(last)
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return str(Path(base or Path.home()) / "ReviewDesk packs")

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, _("Folder for the packs"), self.folder_edit.text()
        )
        if chosen:
            self.folder_edit.setText(chosen)

    def load_due(self) -> BackgroundTask:
        ctx, month = self.ctx, self.month
        self.jobs = []
        self.loaded_month = None
        self.due_label.setText(_("Finding the clients due…"))
        self._update_buttons()
        task = BackgroundTask(lambda token: load_due(ctx, month))
        task.success(lambda jobs: self._due_loaded(month, jobs)).failure(self._failed)
        return task.run_on(book_worker())

    def _due_loaded(self, month: dt.date, jobs) -> None:
        if month != self.month:  # the month changed meanwhile; its own load follows
            return
        self.jobs = list(jobs)
        self.loaded_month = month
        self._show_due()

    def _show_due(self) -> None:
        self.due_list.clear()
        for job in self.jobs:
            self.due_list.addItem(f"{job.code}  {job.name}")
        self.due_label.setText(
            ngettext(
                "{count} client due by the end of {month}.",
                "{count} clients due by the end of {month}.",
                len(self.jobs),
            ).format(count=len(self.jobs), month=self.month.strftime("%Y-%m"))
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self._task is not None
        self.prepare_button.setEnabled(
            bool(self.jobs) and bool(self.folder_edit.text().strip()) and not running
        )

    # ---- running -----------------------------------------------------------

    def start(self) -> BackgroundTask | None:
        folder = self.folder
        try:
            new_folders_private(folder)
        except OSError as exc:
            self.summary.setText(
                _("The folder {folder} cannot be used: {error}").format(
                    folder=folder, error=os_reason(exc)
                )
            )
            return None
        QSettings().setValue(FOLDER_KEY, str(folder))
        self.summary.clear()
        self.skipped_list.clear()
        self.skipped_list.hide()
        self.open_folder_button.hide()
        ctx, jobs, lang, workers = (
            self.ctx,
            list(self.jobs),
            self.language_box.currentData(),
            self.workers,
        )

        self.progress = QProgressDialog(_("Writing the packs…"), _("Cancel"), 0, len(jobs), self)
        self.progress.setWindowTitle(_("Prepare this month's packs"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        task = BackgroundTask(lambda token: run_due_batch(ctx, jobs, folder, lang, workers, token))
        task.progress(self._progressed).success(self._finished).failure(self._failed)
        self.progress.canceled.connect(task.cancel)
        self.progress.canceled.connect(
            lambda: self.progress.setLabelText(_("Stopping after the packs in hand…"))
        )
        self._task = task
        self._update_buttons()
        self.progress.show()
        return task.run_on(book_worker())

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None and not self.progress.wasCanceled():
            self.progress.setMaximum(total)
            self.progress.setValue(done)
            self.progress.setLabelText(
                _("Writing the packs… {done} of {total}").format(done=done, total=total)
            )

    def _finished(self, result: BatchResult) -> None:
        self._task = None
        self._close_progress()
        self.batch_result = result
        lines = [
            ngettext(
                "{count} pack written to {folder}.",
                "{count} packs written to {folder}.",
                len(result.written),
            ).format(count=len(result.written), folder=self.folder)
        ]
        if result.cancelled:
            lines.append(_("Cancelled: the clients not reached have no pack."))
        if result.skipped:
            lines.append(_("{count} skipped:").format(count=len(result.skipped)))
        self._show_skipped(result)
        self.summary.setText("\n".join(lines))
        self.open_folder_button.setVisible(bool(result.written))
        self._update_buttons()
        self.batch_finished.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self._close_progress()
        if isinstance(exc, Cancelled):
            self.summary.setText(_("Cancelled."))
        elif isinstance(exc, BatchFailed):  # one sentence; the packs it wrote are recorded
            self.summary.setText(str(exc))
            self._show_skipped(exc.result)
            self.open_folder_button.setVisible(bool(exc.result.written))
        elif isinstance(exc, BookError):
            self.summary.setText(
                _("The packs could not be prepared: {error}").format(error=exc.message())
            )
        else:  # the traceback is in the log (BackgroundTask)
            self.summary.setText(
                _(
                    "The packs could not be prepared: an unexpected error "
                    "({error}); the details are in the log."
                ).format(error=type(exc).__name__)
            )
        self._update_buttons()
        self.batch_failed.emit(exc)

    def _show_skipped(self, result) -> None:
        for job, reason in result.skipped:
            self.skipped_list.addItem(f"{job.code}  {job.name}: {reason}")
        self.skipped_list.setVisible(bool(result.skipped))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def reject(self) -> None:
        if self._task is not None:  # closing while running: stop, keep what is written
            self._task.cancel()
            return
        super().reject()
