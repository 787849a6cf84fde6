"""Documents: files filed under the client, dropped in or chosen, opened in the system viewer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.book.documents import DocumentDamaged, open_copy
from reviewdesk.book.editing import attach_document, remove_document
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Client
from reviewdesk.gui.common import FieldMessage, run_in_book, show_error
from reviewdesk.gui.labels import refusal
from reviewdesk.i18n import _

_VERSION_ROLE = Qt.ItemDataRole.UserRole + 1


def _size(n: int) -> str:
    size: float = n
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


class DocumentsTab(QWidget):
    changed = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.client: Client | None = None
        self.setAcceptDrops(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setObjectName("documentsList")
        self.list.setRootIsDecorated(False)
        self.list.setColumnCount(4)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.itemDoubleClicked.connect(lambda item, _col: self.open_document(item))
        self.message = FieldMessage()
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.choose_files)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(lambda: self.open_document(self.list.currentItem()))
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_current)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.hint.setText(
            _(
                "Drop files here to file them under this client; they are copied into "
                "the book's own documents folder, encrypted when the book is."
            )
        )
        self.list.setHeaderLabels([_("Title"), _("File"), _("Size"), _("Added")])
        self.list.setAccessibleName(_("Documents"))
        self.add_button.setText(_("Add files…"))
        self.open_button.setText(_("Open"))
        self.remove_button.setText(_("Remove"))

    def show_client(self, client: Client | None) -> None:
        self.client = client
        self.setEnabled(client is not None)
        self.message.clear_message()
        self.list.clear()
        if client is None:
            return
        for d in client.documents:
            item = QTreeWidgetItem(
                [d.title, d.file_name, _size(d.size_bytes), d.added_at.strftime("%Y-%m-%d %H:%M")]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, (d.id, d.stored_path, d.title))
            item.setData(0, _VERSION_ROLE, d.version)  # the save counter shown: a removal names it
            item.setToolTip(0, f"SHA-256 {d.sha256}")
            self.list.addTopLevelItem(item)

    def attach(self, files: list[Path]) -> None:
        if self.client is None or not files:
            return
        client_id = self.client.id

        def work(session):
            for f in files:
                attach_document(session, client_id, f)

        run_in_book(self.ctx, work, lambda _r: self.changed.emit(), self._failed)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.message.show_message(refusal(exc))
        else:
            show_error(self, exc)

    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(self, _("Add files"))
        self.attach([Path(n) for n in names])

    def open_document(self, item) -> None:
        """Open in the system viewer: an encrypted book's document as a private decrypted
        copy, removed when the program exits (or, failing that, when it next starts)."""
        if item is None:
            return
        doc_id, _stored, _title = item.data(0, Qt.ItemDataRole.UserRole)

        def opened(path: Path) -> None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, DocumentDamaged):
                self.message.show_message(str(exc))
            else:
                self._failed(exc)

        run_in_book(self.ctx, lambda s: open_copy(s, doc_id), opened, failed)

    def remove_current(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        doc_id, _stored, title = item.data(0, Qt.ItemDataRole.UserRole)
        read_version = item.data(0, _VERSION_ROLE)
        answer = QMessageBox.question(
            self,
            _("Remove document"),
            _("Remove {title} and its managed copy?").format(title=title),
        )
        if answer == QMessageBox.StandardButton.Yes:
            run_in_book(
                self.ctx,
                lambda s: remove_document(s, doc_id, read_version),
                lambda _r: self.changed.emit(),
                self._failed,
            )

    # drag and drop
    def dragEnterEvent(self, event):  # noqa: N802
        if event.mimeData().hasUrls() and self.client is not None:
            event.acceptProposedAction()

    def dropEvent(self, event):  # noqa: N802
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        self.attach([f for f in files if f.is_file()])
        event.acceptProposedAction()
