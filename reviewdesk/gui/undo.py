"""One undo history per client workspace: every edit of the client is a command that writes
through to the book when done, undone and redone.

The book work runs on the book worker, one unit of work at a time and in order, so a
command pushed after another always finds the other's work done. A record removed and
brought back by an undo gets a new id; the history follows it (`current_id`), so the
earlier commands that name the old id still reach the record.

Every write names the record as the screen showed it: its save counter (`saw`, from the
client as loaded and from the saves made here). A save, delete, undo or redo over someone
else's later change is refused by the book (`versions.EditConflict`), nothing
overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack
from sqlalchemy import inspect

from reviewdesk.book.editing import add_record, delete_record, update_fields
from reviewdesk.book.models import FamilyMember, Snapshot
from reviewdesk.gui.common import run_in_book

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]

# A foreign key kept by a record brought back: the record it points to may itself have
# been brought back under a new id.
_POINTS_TO: dict[str, type] = {
    "insured_member_id": FamilyMember,
    "snapshot_id": Snapshot,
}


class EditHistory(QUndoStack):
    """The undo stack of one client's edits, with the ids of records brought back."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._moved: dict[tuple[type, int], int] = {}
        # The save counter of each record as this history knows it (shown or saved here): a
        # save finding another is refused, someone else having saved meanwhile.
        self._versions: dict[tuple[type, int], int] = {}

    def current_id(self, model: type, record_id: int) -> int:
        """The id the record has now (an undo of its removal gave it a new one)."""
        seen = {record_id}
        while (model, record_id) in self._moved:
            record_id = self._moved[(model, record_id)]
            if record_id in seen:
                break
            seen.add(record_id)
        return record_id

    def moved(self, model: type, old: int, new: int) -> None:
        if old != new:
            self._moved[(model, old)] = new

    def forget(self) -> None:
        """Another client: nothing of the last one can be undone here."""
        self.clear()
        self._moved.clear()
        self._versions.clear()

    def saw(self, model: type, record_id: int, version: int | None) -> None:
        """The screen shows the record at this save counter (a later one never goes back)."""
        if version is None:
            return
        key = (model, record_id)
        self._versions[key] = max(version, self._versions.get(key, version))

    def read_version(self, model: type, record_id: int) -> int | None:
        return self._versions.get((model, record_id))

    def saw_versions(self, shown: Iterable[tuple[type, int, int]]) -> None:
        """The client's screens show these records at these save counters
        (`versions.shown_versions` of the client as loaded)."""
        for model, record_id, version in shown:
            self.saw(model, record_id, version)

    def saved(self, obj: Any) -> None:
        """A record as saved here (on the book worker, in the order of the saves): its
        save counter."""
        state = inspect(obj)
        if state.identity is None:
            return
        self.saw(type(obj), state.identity[0], getattr(obj, "version", None))

    def run(self, work: Callable[[Any], Any], done: Done | None, failed: Failed | None) -> None:
        run_in_book(self.ctx, work, done, failed)


class BookCommand(QUndoCommand):
    """An edit as two units of book work, `forward(session)` and `backward(session)`;
    `done(undone)` and `failed(exc, undone)` are called on the UI thread after each."""

    def __init__(
        self,
        history: EditHistory,
        text: str,
        forward: Callable[[Any], Any],
        backward: Callable[[Any], Any],
        done: Callable[[bool], None] | None = None,
        failed: Callable[[BaseException, bool], None] | None = None,
    ):
        super().__init__(text)
        self.history = history
        self.forward, self.backward = forward, backward
        self.done, self.on_failure = done, failed

    def _run(self, work: Callable[[Any], Any], undone: bool) -> None:
        done, failure = self.done, self.on_failure
        self.history.run(
            work,
            (lambda _r: done(undone)) if done is not None else None,
            (lambda exc: failure(exc, undone)) if failure is not None else None,
        )

    def redo(self) -> None:
        self._run(self.forward, False)

    def undo(self) -> None:
        self._run(self.backward, True)


def edit_fields(
    history: EditHistory,
    model: type,
    record_id: int,
    old: dict[str, Any],
    new: dict[str, Any],
    text: str,
    done: Callable[[bool], None] | None = None,
    failed: Callable[[BaseException, bool], None] | None = None,
) -> BookCommand:
    """Fields of one record changed from `old` to `new` (the same keys)."""

    def write(values: dict[str, Any]) -> Callable[[Any], None]:
        def work(session) -> None:
            current = history.current_id(model, record_id)
            obj = update_fields(
                session, model, current, dict(values), history.read_version(model, current)
            )
            history.saved(obj)

        return work

    return BookCommand(history, text, write(new), write(old), done, failed)


def _columns(obj: Any) -> dict[str, Any]:
    return {
        attr.key: getattr(obj, attr.key)
        for attr in inspect(type(obj)).column_attrs
        if attr.key not in ("id", "version")  # brought back, a record counts its saves anew
    }


def _take_away(history: EditHistory, session, model: type, record_id: int) -> Any:
    """Delete the record as this history knows it (refused if someone else changed or
    deleted it since, or by the book's rules: `delete_record`); returns it as it was."""
    return delete_record(session, model, record_id, history.read_version(model, record_id))


def _pointed(history: EditHistory, values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (
            history.current_id(_POINTS_TO[key], value)
            if key in _POINTS_TO and value is not None
            else value
        )
        for key, value in values.items()
    }


class AddRecord(BookCommand):
    """A record created by `create(session) -> id`; undone by deleting it, redone by
    creating it again with the values it had."""

    def __init__(
        self,
        history: EditHistory,
        model: type,
        create: Callable[[Any], int],
        text: str,
        done: Callable[[bool], None] | None = None,
        failed: Callable[[BaseException, bool], None] | None = None,
    ):
        self.model = model
        self.first_id: int | None = None
        self.deleted_id: int | None = None
        self.values: dict[str, Any] | None = None

        def forward(session) -> None:
            if self.values is None or self.deleted_id is None:
                self.first_id = create(session)
                new = self.first_id
            else:
                new = add_record(session, model, _pointed(history, self.values))
                history.moved(model, self.deleted_id, new)
            created = session.get(model, new)
            if created is not None:
                history.saved(created)

        def backward(session) -> None:
            if self.first_id is None:  # the creation failed: nothing to take back
                return
            record_id = history.current_id(model, self.first_id)
            values = _columns(_take_away(history, session, model, record_id))
            self.values, self.deleted_id = values, record_id

        super().__init__(history, text, forward, backward, done, failed)


class RemoveRecord(BookCommand):
    """A record deleted; undone by creating it again with every value it had. (A family
    member is not removed while a policy names them: `delete_record`.)"""

    def __init__(
        self,
        history: EditHistory,
        model: type,
        record_id: int,
        text: str,
        done: Callable[[bool], None] | None = None,
        failed: Callable[[BaseException, bool], None] | None = None,
    ):
        self.values: dict[str, Any] | None = None
        self.deleted_id = record_id

        def forward(session) -> None:
            current = history.current_id(model, record_id)
            obj = _take_away(history, session, model, current)
            self.values, self.deleted_id = _columns(obj), current

        def backward(session) -> None:
            if self.values is None:
                return
            new = add_record(session, model, _pointed(history, self.values))
            history.moved(model, self.deleted_id, new)
            created = session.get(model, new)
            if created is not None:
                history.saved(created)

        super().__init__(history, text, forward, backward, done, failed)


class CellEdit(BookCommand):
    """One cell of an editing table changed: shown at once, then written; a refusal by the
    book puts the cell back and `refused(exc)` tells why."""

    def __init__(
        self,
        history: EditHistory,
        table: Any,  # a RecordTableModel: its rows, `model` (the record's class) and `apply`
        record_id: int,
        field: str,
        old: Any,
        new: Any,
        done: Callable[[bool], None] | None = None,
        refused: Failed | None = None,
    ):
        self.table, self.record_id, self.field = table, record_id, field
        self.old, self.new = old, new
        model = table.model

        def failed(exc: BaseException, undone: bool) -> None:
            self._show(new if undone else old)
            if refused is not None:
                refused(exc)

        command = edit_fields(history, model, record_id, {field: old}, {field: new}, field)
        super().__init__(history, field, command.forward, command.backward, done, failed)

    def _show(self, value: Any) -> None:
        record_id = self.history.current_id(self.table.model, self.record_id)
        self.table.apply(record_id, self.field, value)

    def redo(self) -> None:
        self._show(self.new)
        super().redo()

    def undo(self) -> None:
        self._show(self.old)
        super().undo()
