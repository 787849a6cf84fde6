"""The pack from the desktop: preview, export, print and email, each recorded in the book.

The pack is the very PDF the command line writes (`reviewdesk.pack`): the book
is read on the book worker, the PDF rendered on the CPU pool, and only the
dialogs run on the UI thread. Every pack that leaves the desk, as a file, on
paper or by email, gets a PackRecord with the matching action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QFontDatabase, QGuiApplication, QPageSize
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewdesk import paths
from reviewdesk.book.enums import PackAction
from reviewdesk.book.errors import BookError
from reviewdesk.gui.common import start_folder
from reviewdesk.gui.pack_records import write_record
from reviewdesk.gui.worker import BackgroundTask, book_worker, cpu_pool
from reviewdesk.i18n import _

# The PDF viewer and printing (QtPdf, QtPrintSupport) load with the first preview or
# print, not with the window: `warm_up` brings them in off the launch's path.
if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from reviewdesk.gui.pdf_preview import PdfPreviewDialog
    from reviewdesk.pack.emailing import EmailedPack, Recipient
    from reviewdesk.pack.produce import Pack
    from reviewdesk.review.model import Review
    from reviewdesk.settings import Settings

LAST_FOLDER_KEY = "pack/last_folder"


# The pack's modules loaded in this process, or loading: by the warm-up, or by the first
# pack asked for before it (which then waits for nothing else). Once a process, whatever
# window asks.
_loaded = [False]


def warm_pack() -> None:
    """Load what the first pack of a session needs, so that its preview is as quick as
    the next one: the pack's modules with its fonts parsed (`reviewdesk.pack.warm`), then
    set out of the collector's way. For the CPU pool (pure Python: no Qt module)."""
    from reviewdesk.pack import warm

    warm.warm()
    settle_pack()


def settle_pack() -> None:
    """What the pack loaded, out of the collector's way, without a full collection of the
    window's process (`reviewdesk.pack.warm.settle`). For the CPU pool."""
    from reviewdesk.pack import warm

    warm.settle(full=False)


def load_pdf_viewer() -> None:
    """The PDF viewer's modules (QtPdf and its widgets), for the UI thread: a Qt module
    is loaded where its classes will live, never on a worker."""
    import reviewdesk.gui.pdf_preview  # noqa: F401


@dataclass(frozen=True)
class PackJob:
    """A rendered pack and what the dialogs need to name and address it."""

    review: Review
    lang: str
    paper: str
    data: bytes
    code: str
    email: str | None
    settings: Settings
    reference: str = ""

    @property
    def client_id(self) -> int:
        return self.review.client.id

    @property
    def as_of(self) -> dt.date:
        return self.review.today

    @property
    def rebuild(self) -> dict:
        """What a PackRecord keeps to rebuild this pack."""
        return {"as_of": self.as_of, "paper": self.paper, "reference": self.reference}

    @property
    def review_date(self) -> dt.date:
        return self.review.review_date

    @property
    def file_name(self) -> str:
        from reviewdesk.pack.batch import pack_file_name

        return pack_file_name(self.code, self.review.client.name, self.review_date)


def load_pack_inputs(ctx, client_id: int, review_date: dt.date | None):
    """(review, settings, client code, client email): the book part, for the book worker."""
    from reviewdesk.book.models import Client
    from reviewdesk.review.build import build_review
    from reviewdesk.settings import load_settings

    with ctx.book.session() as session:
        settings = load_settings(session)
        review = build_review(session, client_id, review_date, settings=settings, today=ctx.today)
        client = session.get(Client, client_id)
        return review, settings, client.code, client.email


def render(inputs, lang: str | None, paper: str | None) -> PackJob:
    """The PDF from the review: pure CPU work, for the CPU pool. The same path as the
    command line's (`pack_from_review`), so the pack carries the same reference."""
    review, settings, code, email = inputs
    from reviewdesk.pack.produce import pack_from_review

    pack = pack_from_review(
        review, lang or review.client.language.value, paper or settings.paper_size
    )
    return PackJob(review, pack.lang, pack.paper, pack.data, code, email, settings, pack.reference)


def as_pack(job: PackJob) -> Pack:
    """The rendered pack as the pack layer knows it (`pack.emailing` takes it)."""
    from reviewdesk.pack.produce import Pack

    return Pack(job.review, job.lang, job.paper, job.data, job.reference)


def outbox_dir() -> Path:
    """Where email drafts and their encrypted packs are written for the mail program."""
    folder = paths.data_dir() / "outbox"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class AddressDialog(QDialog):
    """The client's address, asked for when none is on record: one address, checked as the
    command line checks `--to`; typing it is the manager's confirmation that it is the
    client's (recorded with the pack)."""

    def __init__(self, client_name: str, code: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Email the review pack"))
        self.address = ""
        intro = QLabel(
            _(
                "{name} ({code}) has no email address on record. Type the client's own "
                "address: the draft goes to it, and the book records that you confirmed "
                "it is the client's."
            ).format(name=client_name, code=code)
        )
        intro.setWordWrap(True)
        self.edit = QLineEdit()
        self.edit.setObjectName("address")
        self.refusal = QLabel()
        self.refusal.setObjectName("refusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("color: #b00020")
        self.refusal.hide()
        # Kept as the client's address unless unticked, so that it is not asked next time.
        self.keep = QCheckBox(_("Keep it as the client's email address"))
        self.keep.setObjectName("keep")
        self.keep.setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.edit, self.refusal, self.keep, buttons):
            layout.addWidget(widget)

    def accept(self) -> None:
        from reviewdesk.mail import WrongRecipient, one_address

        text = self.edit.text().strip()
        try:
            if not text:
                raise WrongRecipient(_("Type the client's email address."))
            self.address = one_address(text)
        except WrongRecipient as exc:
            self.refusal.setText(exc.message())
            self.refusal.show()
            # Room for the refusal's line: found, the explanation above the address was cut
            # off when the dialog kept its size.
            self.adjustSize()
            self.edit.setFocus()
            return
        super().accept()


class PasswordDialog(QDialog):
    """The pack's password, shown once, to be given to the client by another channel."""

    def __init__(self, password: str, client_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Password for the emailed pack"))
        self.password = password
        intro = QLabel(
            _(
                "The pack attached to the email draft for {name} is encrypted. "
                "Give the client this password by telephone or text message, "
                "never in the email:"
            ).format(name=client_name)
        )
        intro.setWordWrap(True)
        shown = QLabel(password)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10) * 2)
        font.setWeight(QFont.Weight.Bold)
        shown.setFont(font)
        shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shown.setObjectName("password")
        once = QLabel(_("It is shown only this once and is not stored anywhere."))
        once.setWordWrap(True)
        copy = QPushButton(_("Copy"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(password))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        for widget in (intro, shown, once, buttons):
            layout.addWidget(widget)

    def done(self, result: int) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard.text() == self.password:  # do not leave it lying on the clipboard
            clipboard.clear()
        super().done(result)


class PackActions(QObject):
    """Preview, export, print and email a client's pack from any window."""

    finished = Signal(str, object)  # action ("preview", "saved", ...), its result
    address_kept = Signal(int)  # the client whose record took the address typed for an email
    failed = Signal(str)
    notice = Signal(str)  # something to mention without interrupting (the status bar)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.parent_widget = parent
        self.previews: list[PdfPreviewDialog] = []
        self._busy = 0
        self._warned_unbranded = False
        # While presenting, the steps that would open a window (`hold`), in their order.
        self._held: list[Callable[[], object]] | None = None

    def hold(self) -> None:
        """While the client's review is presented: a pack asked for before, finishing now,
        opens nothing (a preview, the file or print dialog, the email's questions, the
        draft in the mail program, all about another client perhaps) until `release`.
        The app's own windows are kept off the screen while presenting, but a question
        kept off the screen is a question cancelled, and the mail program is not the
        app's: the step waits instead."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Presenting ended: the steps held meanwhile go on, in their order."""
        held, self._held = self._held or [], None
        for step in held:
            step()

    @property
    def waiting(self) -> int:
        """How many steps wait for presenting to end."""
        return len(self._held or ())

    def _on_screen(self, step: Callable[[], object]) -> None:
        """`step` (it opens a window) now, or once presenting ends (`hold`)."""
        if self._held is None:
            step()
        else:
            self._held.append(step)

    @property
    def loaded(self) -> bool:
        """Whether the pack's modules are loaded in this process, or loading (`_loaded`)."""
        return _loaded[0]

    def warm_up(self) -> None:
        """Load what the first pack needs off the UI thread (the PDF viewer on it), unless
        a pack has been asked for already."""
        if _loaded[0]:
            return
        _loaded[0] = True
        load_pdf_viewer()
        BackgroundTask(lambda _token: warm_pack()).run_on(cpu_pool())

    # ---- the four actions ------------------------------------------------

    def preview(
        self, client_id: int, review_date: dt.date | None = None, lang: str | None = None
    ) -> None:
        self._prepare(client_id, review_date, lang, self._show_preview)

    def export(
        self,
        client_id: int,
        review_date: dt.date | None = None,
        lang: str | None = None,
        job: PackJob | None = None,
    ) -> None:
        self._with_job(job, client_id, review_date, lang, self._export)

    def print_pack(
        self,
        client_id: int,
        review_date: dt.date | None = None,
        lang: str | None = None,
        job: PackJob | None = None,
    ) -> None:
        self._with_job(job, client_id, review_date, lang, self._print)

    def email(
        self,
        client_id: int,
        review_date: dt.date | None = None,
        lang: str | None = None,
        job: PackJob | None = None,
    ) -> None:
        self._with_job(job, client_id, review_date, lang, self._email)

    # ---- steps -----------------------------------------------------------

    def _with_job(self, job, client_id, review_date, lang, then) -> None:
        if job is not None:
            then(job)
        else:
            self._prepare(client_id, review_date, lang, then)

    def _prepare(
        self,
        client_id: int,
        review_date: dt.date | None,
        lang: str | None,
        then: Callable[[PackJob], None],
    ) -> None:
        """Read the book on the book worker, render on the CPU pool, continue on the UI."""
        self._set_busy(True)
        ctx = self.ctx
        first = not _loaded[0]
        _loaded[0] = True

        def rendered(job: PackJob) -> None:
            self._set_busy(False)
            if first:  # it loaded what the warm-up would have
                BackgroundTask(lambda _token: settle_pack()).run_on(cpu_pool())
            self._warn_if_unbranded(job)
            self._on_screen(lambda: then(job))

        def loaded(inputs) -> None:
            BackgroundTask(lambda token: render(inputs, lang, None)).success(rendered).failure(
                self._fail
            ).run_on(cpu_pool())

        BackgroundTask(lambda token: load_pack_inputs(ctx, client_id, review_date)).success(
            loaded
        ).failure(self._fail).run_on(book_worker())

    def _show_preview(self, job: PackJob) -> None:
        title = _("Review pack: {name}, {date}").format(
            name=job.review.client.name, date=job.review_date.isoformat()
        )
        from reviewdesk.gui.pdf_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(job.data, title, self.parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.export_requested.connect(lambda: self._export(job))
        dialog.print_requested.connect(lambda: self._print(job))
        dialog.destroyed.connect(
            lambda: self.previews.remove(dialog) if dialog in self.previews else None
        )
        self.previews.append(dialog)
        dialog.show()
        self.finished.emit("preview", dialog)

    def _export(self, job: PackJob) -> None:
        settings = QSettings()
        suggested = str(Path(start_folder(settings, LAST_FOLDER_KEY)) / job.file_name)
        path, _filter = QFileDialog.getSaveFileName(
            self.parent_widget, _("Export the review pack"), suggested, _("PDF files (*.pdf)")
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(target.suffix + ".pdf")
        settings.setValue(LAST_FOLDER_KEY, str(target.parent))
        ctx = self.ctx

        def work(token):
            from reviewdesk.files import write_private

            write_private(target, job.data)
            write_record(
                ctx,
                job.client_id,
                job.review_date,
                PackAction.SAVED,
                job.lang,
                file_name=target,
                **job.rebuild,
            )
            return target

        self._set_busy(True)
        BackgroundTask(work).success(lambda result: self._done("saved", result)).failure(
            self._fail
        ).run_on(book_worker())

    def _print(self, job: PackJob) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(
            QPageSize(
                QPageSize.PageSizeId.Letter if job.paper == "letter" else QPageSize.PageSizeId.A4
            )
        )
        printer.setDocName(Path(job.file_name).stem)
        dialog = QPrintDialog(printer, self.parent_widget)
        dialog.setWindowTitle(_("Print the review pack"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(job, printer)

    def print_to(self, job: PackJob, printer: QPrinter) -> int:
        """Print on a printer already chosen; pages are rasterized at its resolution."""
        from reviewdesk.gui.pdf_preview import load_pdf, print_document

        document, _buffer = load_pdf(job.data, self)
        progress = QProgressDialog(_("Printing…"), "", 0, document.pageCount(), self.parent_widget)
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)

        def step(done: int, total: int) -> None:
            progress.setValue(done)
            QApplication.processEvents()

        try:
            pages = print_document(document, printer, step)
        except OSError as exc:
            self._fail(exc)
            return 0
        finally:
            progress.close()
            document.close()
        where = printer.outputFileName() or printer.printerName() or None
        ctx = self.ctx
        BackgroundTask(
            lambda token: write_record(
                ctx,
                job.client_id,
                job.review_date,
                PackAction.PRINTED,
                job.lang,
                recipient=where,
                **job.rebuild,
            )
        ).success(lambda _id: self._done("printed", pages)).failure(self._fail).run_on(
            book_worker()
        )
        return pages

    def _email(self, job: PackJob) -> None:
        """The recipient first (asked for when the client has none on record), then a shared
        address confirmed, then the draft and its record: all by `pack.emailing`."""
        given, keep = None, False
        if not job.email:
            asked = self.ask_address(job)
            if asked is None:
                return
            given, keep = asked
        ctx = self.ctx

        def find(token) -> Recipient:
            from reviewdesk.pack.emailing import find_recipient

            with ctx.book.session() as session:
                return find_recipient(session, job.client_id, given, confirmed=given is not None)

        def found(recipient: Recipient) -> None:
            self._set_busy(False)
            self._on_screen(lambda: self._confirm_and_write(job, recipient, keep))

        self._set_busy(True)
        BackgroundTask(find).success(found).failure(self._fail).run_on(book_worker())

    def _confirm_and_write(self, job: PackJob, recipient: Recipient, keep: bool) -> None:
        if recipient.sharing and not self.confirm_shared(job, recipient):
            return
        self._write_email(job, recipient, keep)

    def ask_address(self, job: PackJob) -> tuple[str, bool] | None:
        """The address the manager types for a client with none on record, and whether to
        keep it as the client's; None: cancelled."""
        dialog = AddressDialog(job.review.client.name, job.code, self.parent_widget)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.address, dialog.keep.isChecked()

    def confirm_shared(self, job: PackJob, recipient: Recipient) -> bool:
        """Other clients read this address: say which, and let the manager go on or not."""
        text = _(
            "{address} is also the address of {clients}: check that only {client} reads "
            "it before you send the draft"
        ).format(address=recipient.address, clients=", ".join(recipient.sharing), client=job.code)
        answer = QMessageBox.question(
            self.parent_widget,
            _("Email the review pack"),
            text + "\n\n" + _("Write the email draft to this address?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _write_email(self, job: PackJob, recipient: Recipient, keep: bool = False) -> None:
        ctx = self.ctx
        folder = outbox_dir()
        pack = as_pack(job)

        def work(token):
            from reviewdesk.pack.emailing import attachment_name, record_email, write_email

            draft = (folder / attachment_name(pack)).with_suffix(".eml")
            emailed = write_email(pack, recipient, draft, pdf_beside=True)
            with ctx.book.session() as session:
                record_email(session, pack, recipient, emailed, keep_address=keep)
            return emailed

        def written(emailed: EmailedPack) -> None:
            self._set_busy(False)
            if keep:
                self.address_kept.emit(job.client_id)
            self._on_screen(lambda: self._open_draft(job, emailed))

        self._set_busy(True)
        BackgroundTask(work).success(written).failure(self._fail).run_on(book_worker())

    def _open_draft(self, job: PackJob, emailed: EmailedPack) -> None:
        """The draft in the mail program, and the PDF's password to tell the client."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(emailed.draft)))
        self.show_password(emailed.password, job.review.client.name)
        self.finished.emit("emailed", (emailed.pdf, emailed.draft))

    def show_password(self, password: str, client_name: str) -> None:
        PasswordDialog(password, client_name, self.parent_widget).exec()

    # ---- feedback --------------------------------------------------------

    def _warn_if_unbranded(self, job: PackJob) -> None:
        """Once per session: packs go out without the bank's name until it is set."""
        if job.review.preparer.bank_name or self._warned_unbranded:
            return
        self._warned_unbranded = True
        self.notice.emit(
            _(
                "No bank name is set: packs carry none on the cover and in the "
                "header. Set it in Settings."
            )
        )

    def _done(self, action: str, result) -> None:
        self._set_busy(False)
        self.finished.emit(action, result)

    def _fail(self, exc: BaseException) -> None:
        self._set_busy(False)
        message = (exc.message() if isinstance(exc, BookError) else str(exc)) or type(exc).__name__
        self.failed.emit(message)
        self._on_screen(
            lambda: QMessageBox.warning(
                self.parent_widget,
                _("Review pack"),
                _("The pack could not be produced: {error}").format(error=message),
            )
        )

    def _set_busy(self, busy: bool) -> None:
        if busy:
            self._busy += 1
            if self._busy == 1:
                QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        elif self._busy:
            self._busy -= 1
            if self._busy == 0:
                QApplication.restoreOverrideCursor()
