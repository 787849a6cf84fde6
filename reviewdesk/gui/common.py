"""Small pieces every client tab uses: book work off the UI thread and field messages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.book.errors import BookError
from reviewdesk.book.versions import EditConflict
from reviewdesk.gui.worker import BackgroundTask, book_worker
from reviewdesk.i18n import _

EditorT = TypeVar("EditorT", bound=QWidget)


def stored_text(settings: QSettings, key: str, default: str = "") -> str:
    """A text this computer keeps in QSettings, or `default`."""
    value = settings.value(key, default, str)
    return value if isinstance(value, str) else default


def start_folder(settings: QSettings, key: str) -> str:
    """Where a file dialog opens: the folder last used (`key`) if it is still there, else
    the documents folder, else home. Found: on a desktop with no Documents folder, the
    import dialog opened with "Documents" typed in as the file's name."""
    for folder in (
        stored_text(settings, key),
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation),
    ):
        if folder and Path(folder).is_dir():
            return folder
    return str(Path.home())


def stored_int(settings: QSettings, key: str) -> int | None:
    """A whole number this computer keeps in QSettings; None for one never kept (asked
    for as an int, Qt reads a missing key as 0, so the key is looked for first)."""
    if not settings.contains(key):
        return None
    value = settings.value(key, None, int)
    return value if isinstance(value, int) else None


def editor_as(editors: Mapping[str, QWidget], key: str, kind: type[EditorT]) -> EditorT:
    """The editor of `key` in a generated form, as the kind of widget made for it."""
    editor = editors[key]
    if not isinstance(editor, kind):
        raise TypeError(f"the editor of {key} is a {type(editor).__name__}, not a {kind.__name__}")
    return editor


def lock_for_reading(root: QWidget, keep: tuple[QWidget, ...] = ()) -> None:
    """Make every editor in `root` read-only and its buttons disabled (a book opened
    read-only): nothing invites typing that the book would then refuse. `keep` stays usable
    (browsing, opening)."""
    root.setAcceptDrops(False)
    for widget in root.findChildren(QWidget):
        if widget in keep:
            continue
        if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit | QAbstractSpinBox):
            widget.setReadOnly(True)
        elif isinstance(widget, QAbstractItemView):
            widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            widget.setAcceptDrops(False)
        elif isinstance(widget, QAbstractButton | QComboBox):
            widget.setEnabled(False)


def run_in_book(
    ctx,
    fn: Callable[[Any], Any],
    success: Callable[[Any], None] | None = None,
    failure: Callable[[BaseException], None] | None = None,
    priority: int = 0,
) -> BackgroundTask:
    """`fn(session)` in one unit of work on the book worker; callbacks on the UI thread.
    A result or an error that comes after another book took this one's place (`ctx.retired`)
    is dropped: the window it was for belongs to a closed book. `priority`: see
    `BackgroundTask.run_on` (`worker.AFTER_VIEW`)."""

    def work(token):
        token.check()
        with ctx.book.session() as session:
            return fn(session)

    def current(callback: Callable[[Any], None]) -> Callable[[Any], None]:
        def call(value: Any) -> None:
            if not getattr(ctx, "retired", False):
                callback(value)

        return call

    task = BackgroundTask(work)
    if success is not None:
        task.success(current(success))
    if failure is not None:
        task.failure(current(failure))
    return task.run_on(book_worker(), priority)


class LatestRead:
    """Book reads where only the newest request's answer counts (a page reloading as the
    manager changes a filter): an older read still queued is cancelled, and its result or
    error, should it come anyway, is dropped."""

    def __init__(self) -> None:
        self._generation = 0
        self._task: BackgroundTask | None = None

    def run(
        self,
        ctx,
        fn: Callable[[Any], Any],
        success: Callable[[Any], None],
        failure: Callable[[BaseException], None],
    ) -> BackgroundTask:
        self._generation += 1
        generation = self._generation
        if self._task is not None:
            self._task.cancel()

        def succeeded(result: Any) -> None:
            if generation == self._generation:
                success(result)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                failure(exc)

        self._task = run_in_book(ctx, fn, succeeded, failed)
        return self._task


def close_other_windows(keep: QWidget) -> list[QWidget]:
    """Close every window of the app on screen but `keep` (previews, dialogs, whether
    they have a parent or not): what they show belongs to a book that is no longer the
    one open, or no longer as it was. Returns the windows closed."""
    closed = []
    for widget in QApplication.topLevelWidgets():
        if widget is keep or not widget.isWindow() or not widget.isVisible():
            continue
        widget.close()
        if widget.isVisible():  # a window that refused to close is hidden all the same
            widget.hide()
        closed.append(widget)
    return closed


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """A message box: the book's own message for its errors, a short line otherwise. A
    save refused because someone else saved the record meanwhile offers to reload."""
    if isinstance(exc, EditConflict):
        offer_reload(parent, exc)
        return
    text = exc.message() if isinstance(exc, BookError) else f"{_('Unexpected error')}: {exc}"
    box = QMessageBox(
        QMessageBox.Icon.Warning, _("ReviewDesk"), text, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("errorBox")
    box.open()


def offer_reload(parent: QWidget | None, exc: EditConflict) -> QMessageBox:
    """Who changed the record and when, and the choice: reload the client as saved now
    (the edits made here are discarded, as the box says), or keep them on screen."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _("ReviewDesk"),
        exc.message(),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setObjectName("editConflict")
    box.setInformativeText(
        _(
            "Reload the client to see it as saved now: the changes you made here are "
            "discarded, and you can make them again."
        )
    )
    reload = box.addButton(_("Reload the client"), QMessageBox.ButtonRole.AcceptRole)
    reload.setObjectName("editConflictReload")
    keep = box.addButton(_("Not now"), QMessageBox.ButtonRole.RejectRole)
    keep.setObjectName("editConflictKeep")
    box.setDefaultButton(reload)
    box.setEscapeButton(keep)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

    def answered(_result: int) -> None:
        if box.clickedButton() is not reload:
            return
        owner = parent
        while owner is not None and not hasattr(owner, "reload_after_conflict"):
            owner = owner.parentWidget()
        if owner is not None:
            owner.reload_after_conflict()

    box.finished.connect(answered)
    box.open()
    return box


class FieldMessage(QLabel):
    """The refusal shown right under the field it is about; hidden when there is none."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("fieldMessage")
        self.setStyleSheet("color: #b00020;")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")


def field_cell(editor: QWidget) -> tuple[QWidget, FieldMessage]:
    """An editor with its refusal message right under it, for a form row."""
    message = FieldMessage()
    cell = QWidget()
    box = QVBoxLayout(cell)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    box.addWidget(editor)
    box.addWidget(message)
    return cell, message
