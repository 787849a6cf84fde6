"""Two people, one record: a save over a change someone else saved meanwhile is refused.

The records people edit carry a save counter (`version`, SQLAlchemy's version counter):
an UPDATE or DELETE names the version that was read, and matches no row when another
save came first. Nothing is overwritten; the refusal says who changed the record and
when (from the audit trail), so that the person can reload and decide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Mapper, Session

from reviewdesk.book.errors import BookError, NotFound
from reviewdesk.book.models import AuditEntry
from reviewdesk.i18n import _, pgettext


@dataclass(frozen=True)
class Changed:
    record: str
    record_id: int
    label: str
    who: str | None
    when: dt.datetime | None
    deleted: bool


def record_name(record: str) -> str:
    """A kind of record (its model's name) as the person knows it, in the interface's
    language."""
    names = {
        "Client": pgettext("record", "Client"),
        "FamilyMember": pgettext("record", "Family member"),
        "Snapshot": pgettext("record", "Review"),
        "FxRate": pgettext("record", "Exchange rate"),
        "Holding": pgettext("record", "Holding"),
        "InsurancePolicy": pgettext("record", "Insurance policy"),
        "RiskAssessment": pgettext("record", "Risk assessment"),
        "Contact": pgettext("record", "Contact"),
        "Document": pgettext("record", "Document"),
        "Flow": pgettext("record", "Flow"),
    }
    return names.get(record, record)


class EditConflict(BookError):
    """A save refused because someone else saved the same record since it was read."""

    def __init__(self, changed: list[Changed]):
        self.changed = changed
        super().__init__(self._sentence())

    def _sentence(self) -> str:
        if not self.changed:
            return _(
                "someone else saved these records since you opened them: nothing was saved; "
                "reload and make your change again"
            )
        first = self.changed[0]
        said = {
            "record": record_name(first.record),
            "label": first.label,
            "who": first.who or _("someone"),
            "when": _when(first.when),
        }
        if first.deleted:
            return _(
                "{record} {label} was deleted by {who} at {when} (UTC) since you opened it: "
                "nothing was saved"
            ).format(**said)
        return _(
            "{record} {label} was changed by {who} at {when} (UTC) since you opened it: "
            "nothing was saved; reload it and make your change again"
        ).format(**said)


def _when(value: dt.datetime | None) -> str:
    return value.isoformat(sep=" ", timespec="seconds") if value else _("an unknown time")


@dataclass(frozen=True)
class Saving:
    """A record about to be saved, as it was read: its save counter."""

    record: str
    mapper: Mapper[Any]
    record_id: object
    version: object
    label: str


def being_saved(session: Session) -> list[Saving]:
    """The versioned records a flush is about to update or delete, with the version read."""
    out = []
    for obj in (*session.dirty, *session.deleted):
        state = inspect(obj)
        column = state.mapper.version_id_col
        if column is None or state.identity is None or len(state.identity) != 1:
            continue
        read = {**state.dict, **state.committed_state}  # as read, not as edited
        out.append(
            Saving(
                type(obj).__name__,
                state.mapper,
                state.identity[0],
                read.get(state.mapper.get_property_by_column(column).key),
                _label(state),
            )
        )
    return out


def explain(session: Session, saving: list[Saving]) -> EditConflict:
    """After a save matched no row: which of the records changed in the book, by whom and
    when (read on a connection of its own)."""
    changed: list[Changed] = []
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with engine.connect() as conn:
        for item in saving:
            if not _changed_since(conn, item):
                continue
            deleted = not _exists(conn, item)
            latest = conn.execute(
                select(AuditEntry.actor, AuditEntry.at)
                .where(AuditEntry.record == item.record, AuditEntry.record_id == item.record_id)
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                .limit(1)
            ).first()
            changed.append(
                Changed(
                    record=item.record,
                    record_id=int(str(item.record_id)),
                    label=f"{item.label} ({item.record_id})" if item.label else str(item.record_id),
                    who=latest.actor if latest else None,
                    when=latest.at if latest else None,
                    deleted=deleted,
                )
            )
    return EditConflict(changed)


def _exists(conn: Any, item: Saving) -> bool:
    (pk,) = item.mapper.primary_key
    return conn.scalar(select(pk).where(pk == item.record_id)) is not None


def _changed_since(conn: Any, item: Saving) -> bool:
    """Whether the record in the book is no longer as `item` read it (or is gone)."""
    (pk,) = item.mapper.primary_key
    column = item.mapper.version_id_col
    if column is None:
        raise TypeError(f"{item.record} has no save counter")
    current = conn.scalar(select(column).where(pk == item.record_id))
    return current is None or current != item.version


def _label(state: Any) -> str:
    """What a person knows the record by, as read (not as edited): a name, a product, or
    a rate's currencies."""
    read = {**state.dict, **state.committed_state}
    if read.get("from_currency") and read.get("to_currency"):
        return f"{read['from_currency']}/{read['to_currency']}"
    return str(read.get("name") or read.get("product_name") or "")


def refuse_if_changed(session: Session, obj: Any, read_version: object) -> None:
    """Refuse to save `obj` when its save counter moved on since the screen read it at
    `read_version` (someone else saved it meanwhile): an EditConflict naming who and when."""
    state = inspect(obj)
    if state.identity is None or read_version is None:
        return
    column = state.mapper.version_id_col
    if column is None:
        raise TypeError(f"{type(obj).__name__} has no save counter")
    key = state.mapper.get_property_by_column(column).key
    if state.dict.get(key) == read_version:
        return
    raise explain(
        session,
        [Saving(type(obj).__name__, state.mapper, state.identity[0], read_version, _label(state))],
    )


RecordT = TypeVar("RecordT")


def as_read(
    session: Session, model: type[RecordT], record_id: int, read_version: object = None
) -> RecordT:
    """The record to save or delete, provided it is still as the screen showed it (its
    save counter `read_version`). A record someone else changed or deleted since is
    refused (EditConflict, naming who and when); without the counter the screen showed,
    a missing record is NotFound."""
    obj = session.get(model, record_id)
    if obj is not None:
        refuse_if_changed(session, obj, read_version)
        return obj
    if read_version is None:
        raise NotFound(f"{model.__name__} {record_id}: no such record")
    raise explain(session, [Saving(model.__name__, inspect(model), record_id, read_version, "")])


# What a client's screens show of theirs, walked from the client as loaded.
_SHOWN_WITH_CLIENT = (
    "family",
    "snapshots",
    "holdings",
    "rates",
    "policies",
    "assessments",
    "contacts",
    "documents",
    "flows",
)


def shown_versions(client: Any) -> list[tuple[type, int, int]]:
    """(model, id, save counter) of a loaded client and of every record of theirs that was
    loaded with it: what the screens showing this client read. Relations not loaded are
    skipped (never loaded lazily here: the client may be detached)."""
    out: list[tuple[type, int, int]] = []
    todo = [client]
    while todo:
        obj = todo.pop()
        state = inspect(obj)
        column = state.mapper.version_id_col
        if column is not None and state.identity is not None:
            version = state.dict.get(state.mapper.get_property_by_column(column).key)
            if version is not None:
                out.append((type(obj), state.identity[0], version))
        for key in _SHOWN_WITH_CLIENT:
            if key in state.mapper.relationships and key not in state.unloaded:
                todo.extend(state.dict.get(key) or ())
    return out
