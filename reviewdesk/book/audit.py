"""The audit trail: who changed what in a client's data, and who disclosed it, when.

Changes are recorded by the session itself after each flush, so every path
that goes through the ORM (a window, a command, an import) is covered without
remembering to call anything. Disclosures (a pack produced, printed, emailed
or shown; an export; an import) are events the areas record with
`record_event`. Bulk paths that insert thousands of rows through Core record
one summary event (`bulk`) rather than one row per value.

The trail is append-only from the app's side: the session refuses to update
or delete an entry.

A team book on PostgreSQL writes the change entries in the database itself
(triggers, migration 0006), stamped with the database roles, so that no client
program can skip them; there the session records only the events.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import socket
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal

from sqlalchemy import Delete, Update, event, insert, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from reviewdesk.book.errors import BookError, ValidationError
from reviewdesk.book.models import (
    AuditEntry,
    Client,
    FxRate,
    Holding,
    Setting,
    Snapshot,
    utcnow,
)
from reviewdesk.i18n import N_, _
from reviewdesk.privacy import switched_off
from reviewdesk.settings import load_settings

# The columns of an audit entry that say what happened (its id is the book's own number):
# the CSV of `audit --csv` and the entries a restore carries over.
AUDIT_COLUMNS = (
    "at",
    "actor",
    "host",
    "client_id",
    "action",
    "record",
    "record_id",
    "field",
    "old_value",
    "new_value",
    "detail",
)
_PAUSED = "audit_paused"
_SETTINGS = "audit_off_fields"
# `sort_name` follows the name (`Client.sort_name`): the name's entry says the change.
SKIP_FIELDS = {"created_at", "updated_at", "version", "sort_name"}
HOST = socket.gethostname()


class AuditTrailError(BookError):
    pass


def actor(session: Session) -> str:
    book = session.info.get("book")
    return getattr(book, "actor", None) or session.info.get("actor") or "?"


def text(value: object) -> str | None:
    """A value as the trail keeps it: exact and readable (Decimal as written, enums by value)."""
    if value is None:
        return None
    return _exact(value)


def _exact(value: object) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def record_event(
    session: Session,
    action: str,
    client_id: int | None = None,
    detail: str | None = None,
    *,
    record: str | None = None,
    record_id: int | None = None,
) -> None:
    """Record a disclosure or a bulk change, e.g. `pack_emailed`, `export`, `import`.

    Part of the caller's unit of work: it is saved with the action or not at all.
    Never put a password or a whole record in `detail`.
    """
    session.add(
        AuditEntry(
            at=utcnow(),
            actor=actor(session),
            host=HOST,
            client_id=client_id,
            action=action,
            record=record,
            record_id=record_id,
            detail=detail,
        )
    )


@contextmanager
def paused(session: Session) -> Iterator[None]:
    """Changes made inside are not recorded field by field: the caller records them itself."""
    previous = session.info.get(_PAUSED, False)
    session.info[_PAUSED] = True
    try:
        yield
        session.flush()
    finally:
        session.info[_PAUSED] = previous


@contextmanager
def bulk(
    session: Session, action: str, detail: str | None = None, client_id: int | None = None
) -> Iterator[None]:
    """Record one summary event for a bulk change instead of one row per value."""
    with paused(session):
        yield
    record_event(session, action, client_id, detail)


def bulk_entries(session: Session, entries: Iterable[Mapping[str, object]]) -> int:
    """Entries for changes a bulk path made by statements the session does not see (an
    import's snapshots, holdings and rates): written as the session writes its own, each
    entry giving its `client_id`, `action`, `record` and any of `record_id`, `field`,
    `old_value`, `new_value`, `detail`. A team book's database wrote them already (its
    triggers see every statement): there nothing is written. Returns how many were."""
    if database_writes_changes(session):
        return 0
    who, now = actor(session), utcnow()
    blank = dict.fromkeys(AUDIT_COLUMNS)
    rows = [{**blank, "at": now, "actor": who, "host": HOST, **entry} for entry in entries]
    if rows:
        session.connection().execute(insert(AuditEntry), rows)
    return len(rows)


def values_text(values: Mapping[str, object]) -> str:
    """A record's values as a creation or deletion entry keeps them (see `_columns`)."""
    return json.dumps(
        {k: _exact(v) for k, v in values.items() if v is not None and k not in SKIP_FIELDS},
        ensure_ascii=False,
        sort_keys=True,
    )


def client_of(session: Session, obj: object) -> int | None:
    if isinstance(obj, Client):
        return obj.id
    client_id: int | None = getattr(obj, "client_id", None)
    if client_id is not None:
        return client_id
    if isinstance(obj, Holding | FxRate):
        snapshot: Snapshot | None = obj.__dict__.get("snapshot")  # only if already loaded
        if snapshot is not None and snapshot.client_id is not None:
            return snapshot.client_id
        if obj.snapshot_id is not None:
            return session.connection().scalar(
                select(Snapshot.client_id).where(Snapshot.id == obj.snapshot_id)
            )
    return None


def _columns(obj: object) -> dict[str, str]:
    mapper = inspect(obj).mapper
    values = {}
    for attr in mapper.column_attrs:
        if attr.key in SKIP_FIELDS:
            continue
        value = obj.__dict__.get(attr.key)
        if value is not None:
            values[attr.key] = _exact(value)
    return values


def _record_id(obj: object) -> int | None:
    identity = inspect(obj).identity
    if identity and len(identity) == 1 and isinstance(identity[0], int):
        return identity[0]
    return None


def _changes(session: Session) -> list[dict[str, object]]:
    who, now = actor(session), utcnow()
    rows: list[dict[str, object]] = []

    def row(
        obj: object,
        action: str,
        field: str | None = None,
        old: str | None = None,
        new: str | None = None,
    ) -> None:
        rows.append(
            {
                "at": now,
                "actor": who,
                "host": HOST,
                "client_id": client_of(session, obj),
                "action": action,
                "record": type(obj).__name__,
                "record_id": _record_id(obj),
                "field": field,
                "old_value": old,
                "new_value": new,
                "detail": None,
            }
        )

    for obj in session.new:
        if not isinstance(obj, AuditEntry):
            row(obj, "create", new=json.dumps(_columns(obj), ensure_ascii=False, sort_keys=True))
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) or not session.is_modified(obj):
            continue
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            if attr.key in SKIP_FIELDS:
                continue
            history = state.attrs[attr.key].history
            if not history.has_changes():
                continue
            old = text(history.deleted[0]) if history.deleted else None
            new = text(history.added[0]) if history.added else None
            if old != new:
                row(obj, "update", attr.key, old, new)
    for obj in session.deleted:
        if not isinstance(obj, AuditEntry):
            row(obj, "delete", old=json.dumps(_columns(obj), ensure_ascii=False, sort_keys=True))
    return rows


def _before_flush(
    session: Session, flush_context: UOWTransaction, instances: Sequence[object] | None
) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditTrailError(
                _("the audit trail is append-only: an entry cannot be changed or deleted")
            )
    _refuse_switched_off(session)


def database_writes_changes(session: Session) -> bool:
    """Whether the database records the changes itself (a team book on PostgreSQL)."""
    return session.get_bind().dialect.name == "postgresql"


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    if session.info.get(_PAUSED) or database_writes_changes(session):
        return
    rows = _changes(session)
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def _refuse_bulk_edits(state: ORMExecuteState) -> None:
    statement = state.statement
    table = getattr(statement, "table", None)
    if (
        isinstance(statement, Update | Delete)
        and getattr(table, "name", None) == AuditEntry.__tablename__
    ):
        raise AuditTrailError(
            _("the audit trail is append-only: an entry cannot be changed or deleted")
        )


SWITCHED_OFF = N_("this field is switched off in the settings: the bank does not collect it")


def collects(value: object, new: bool, changed: bool) -> bool:
    """Whether setting a field to `value` collects it, for a field the settings switched
    off: a value given for a new record, or a changed one. Blanking it is not, nor a value
    kept from before the switch (the same value given again). The one rule of the book's
    check at each save and of the import's, which names every cell."""
    return value not in (None, "") and (new or changed)


def off_fields(session: Session) -> set[tuple[str, str]]:
    """The (record, field) pairs the book's settings switched off (see privacy.py)."""
    return _off_fields(session)


def _off_fields(session: Session) -> set[tuple[str, str]]:
    if any(isinstance(o, Setting) for o in list(session.new) + list(session.dirty)):
        session.info.pop(_SETTINGS, None)
    cached = session.info.get(_SETTINGS)
    if cached is None:
        with session.no_autoflush:
            cached = switched_off(load_settings(session))
        session.info[_SETTINGS] = cached
    return cached


def _refuse_switched_off(session: Session) -> None:
    if not (session.new or session.dirty):
        return
    off = _off_fields(session)
    if not off:
        return
    for obj in list(session.new) + list(session.dirty):
        record = type(obj).__name__
        state = inspect(obj)
        for mapped_record, field in off:
            if mapped_record != record:
                continue
            value = obj.__dict__.get(field)
            if collects(value, obj in session.new, bool(state.attrs[field].history.added)):
                raise ValidationError(record, field, value, SWITCHED_OFF)


def install(session_class: type[Session]) -> None:
    event.listen(session_class, "before_flush", _before_flush)
    event.listen(session_class, "after_flush", _after_flush)
    event.listen(session_class, "do_orm_execute", _refuse_bulk_edits)


# Events that disclosed a client's data: who opened, printed, emailed, exported or
# presented it (a whole-book export, client_id None, disclosed every client's).
ACCESS_ACTIONS = (
    "opened",
    "pack_saved",
    "pack_printed",
    "pack_emailed",
    "pack_shown",
    "presented",
    "export",
    "revealed",
    "recipient_confirmed",
)


def access_events(session: Session, client_id: int) -> list[AuditEntry]:
    """Who viewed, printed, emailed, exported or presented this client's data, when."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.action.in_(ACCESS_ACTIONS))
        .where(
            (AuditEntry.client_id == client_id)
            | ((AuditEntry.client_id.is_(None)) & (AuditEntry.action == "export"))
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return list(session.scalars(query))


def entries(session: Session, client_id: int | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
    if client_id is not None:
        query = query.where(AuditEntry.client_id == client_id)
    return list(session.scalars(query))
