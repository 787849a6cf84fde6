"""Two people, one record: a save over a change someone else saved meanwhile is refused.

The records people edit carry a save counter (`version`, SQLAlchemy's version counter):
an UPDATE or DELETE names the version that was read, and matches no row when another
save came first. Nothing is overwritten; the refusal says who changed the record and
when (from the audit trail), so that the person can reload and decide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Mapper, Session

from reviewdesk.book.errors import BookError
from reviewdesk.book.models import AuditEntry
from reviewdesk.i18n import _


@dataclass(frozen=True)
class Changed:
    record: str
    record_id: int
    label: str
    who: str | None
    when: dt.datetime | None
    deleted: bool


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
        if first.deleted:
            return _(
                "{record} {label} was deleted by {who} at {when} (UTC) since you opened it: "
                "nothing was saved"
            ).format(
                record=first.record,
                label=first.label,
                who=first.who or _("someone"),
                when=_when(first.when),
            )
        return _(
            "{record} {label} was changed by {who} at {when} (UTC) since you opened it: "
            "nothing was saved; reload it and make your change again"
        ).format(
            record=first.record,
            label=first.label,
            who=first.who or _("someone"),
            when=_when(first.when),
        )


def _when(value: dt.datetime | None) -> str:
    return value.isoformat(sep=" ", timespec="seconds") if value else _("an unknown time")


@dataclass(frozen=True)
class Saving:
    """A versioned record about to be saved, as it was read."""

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
        label = str(read.get("name") or read.get("product_name") or "")
        out.append(
            Saving(
                type(obj).__name__,
                state.mapper,
                state.identity[0],
                read.get(state.mapper.get_property_by_column(column).key),
                label,
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
            (pk,) = item.mapper.primary_key
            column = item.mapper.version_id_col
            assert column is not None  # being_saved keeps versioned records only
            current = conn.scalar(select(column).where(pk == item.record_id))
            if current is not None and current == item.version:
                continue
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
                    deleted=current is None,
                )
            )
    return EditConflict(changed)


def refuse_if_changed(session: Session, obj: Any, read_version: object) -> None:
    """Refuse to save `obj` when its save counter moved on since the screen read it at
    `read_version` (someone else saved it meanwhile): an EditConflict naming who and when."""
    state = inspect(obj)
    column = state.mapper.version_id_col
    if column is None or read_version is None or state.identity is None:
        return
    key = state.mapper.get_property_by_column(column).key
    if state.dict.get(key) == read_version:
        return
    read = {**state.dict, **state.committed_state}
    label = str(read.get("name") or read.get("product_name") or "")
    raise explain(
        session,
        [Saving(type(obj).__name__, state.mapper, state.identity[0], read_version, label)],
    )
