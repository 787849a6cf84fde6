"""Changes made from the desk: one function per kind of edit, inside the caller's unit of work.

Values go through the models' own rules (set attribute, then flush), so a
refused value raises ValidationError before anything is committed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from reviewdesk.book import audit, documents, versions
from reviewdesk.book.enums import ClientRiskLevel, Tier
from reviewdesk.book.errors import NotFound, ValidationError
from reviewdesk.book.models import (
    AuditEntry,
    Base,
    Client,
    Document,
    FamilyMember,
    FxRate,
    Holding,
    InsurancePolicy,
    RiskAssessment,
    Snapshot,
)
from reviewdesk.book.queries import load_client_history
from reviewdesk.i18n import N_, _

# The audit actions of a tier decision: set (by hand or as suggested), or kept against the
# suggestion. The segments view reads them back.
TIER_SET = "tier"
TIER_OVERRIDE = "tier_override"


class KeyedRecord(Protocol):
    """A model whose records are known by an integer `id`."""

    @property
    def id(self) -> int: ...


def check_value(model: type[Base], field: str, value: Any) -> Any:
    """The value as the book would store it, or the book's ValidationError; nothing is saved."""
    probe = model()
    setattr(probe, field, value)
    return getattr(probe, field)


def _get(session: Session, model: type[Base], record_id: int) -> Any:
    obj = session.get(model, record_id)
    if obj is None:
        raise NotFound(f"{model.__name__} {record_id}: no such record")
    return obj


def update_fields(
    session: Session,
    model: type[Base],
    record_id: int,
    values: dict[str, Any],
    read_version: int | None = None,
) -> Any:
    """Set several fields of one record; record rules run at the flush. With
    `read_version` (the save counter the screen showed), a record someone else saved or
    deleted since is refused (`versions.EditConflict`, naming who and when)."""
    obj = versions.as_read(session, model, record_id, read_version)
    for field, value in values.items():
        if field == "tags" and isinstance(obj, Client):
            obj.set_tags(list(value))
        else:
            setattr(obj, field, value)
    session.flush()
    return obj


def add_record(session: Session, model: type[KeyedRecord], values: dict[str, Any]) -> int:
    obj = model()
    for field, value in values.items():
        setattr(obj, field, value)
    session.add(obj)
    session.flush()
    return obj.id


def delete_record(
    session: Session,
    model: type[Base],
    record_id: int,
    read_version: int | None = None,
) -> Any:
    """Delete one record and return it as it was; as `update_fields`, one someone else
    changed or deleted since the screen showed it is refused, and so is a family member
    who is the insured person of a policy (`insured_policies`)."""
    obj = versions.as_read(session, model, record_id, read_version)
    if isinstance(obj, FamilyMember) and (count := insured_policies(session, obj.id)):
        raise ValidationError(
            "Family member",
            "name",
            obj.name,
            N_(
                "is the insured person of policies on record ({count}): remove those "
                "policies in the Insurance tab first"
            ),
            {"count": count},
        )
    session.delete(obj)
    session.flush()
    return obj


def insured_policies(session: Session, member_id: int) -> int:
    """How many policies name the family member as the insured person. Removing the member
    would leave them naming no one, which the book reads as the client (found: a removed
    spouse's life policy read as the client's own cover, "Covered"); so a member is not
    removed while any does."""
    return (
        session.scalar(
            select(func.count())
            .select_from(InsurancePolicy)
            .where(InsurancePolicy.insured_member_id == member_id)
        )
        or 0
    )


def next_client_code(session: Session) -> str:
    codes = session.scalars(select(Client.code).where(Client.code.like("C%"))).all()
    numbers = [int(c[1:]) for c in codes if c[1:].isdigit()]
    return f"C{max(numbers, default=0) + 1:05d}"


def create_client(session: Session, name: str, currency: str = "CNY") -> int:
    client = Client(code=next_client_code(session), name=name, report_currency=currency)
    session.add(client)
    session.flush()
    return client.id


def new_snapshot_from_last(
    session: Session, client_id: int, review_date: dt.date | None = None
) -> int:
    """A new review date with the previous snapshot's holdings and rates copied.

    The manager then only updates values and adds or closes positions.
    """
    review_date = review_date or dt.date.today()
    previous = session.scalar(
        select(Snapshot)
        .where(Snapshot.client_id == client_id, Snapshot.review_date < review_date)
        .order_by(Snapshot.review_date.desc())
        .limit(1)
        .options(selectinload(Snapshot.holdings), selectinload(Snapshot.rates))
    )
    _get(session, Client, client_id)
    snapshot = Snapshot(client_id=client_id, review_date=review_date)
    if previous is not None:
        for h in previous.holdings:
            snapshot.holdings.append(
                Holding(
                    product_name=h.product_name,
                    product_code=h.product_code,
                    asset_class=h.asset_class,
                    institution=h.institution,
                    currency=h.currency,
                    market_value=h.market_value,
                    principal=h.principal,
                    held_since=h.held_since,
                    maturity_date=h.maturity_date,
                    risk_level=h.risk_level,
                )
            )
        for r in previous.rates:
            snapshot.rates.append(
                FxRate(from_currency=r.from_currency, to_currency=r.to_currency, rate=r.rate)
            )
    session.add(snapshot)
    session.flush()
    return snapshot.id


def save_assessment(
    session: Session,
    client_id: int,
    assessed_on: dt.date,
    answers: dict[str, Any],
    score: int,
    level: ClientRiskLevel,
    valid_until: dt.date,
) -> int:
    _get(session, Client, client_id)
    assessment = RiskAssessment(
        client_id=client_id,
        assessed_on=assessed_on,
        answers=answers,
        score=score,
        level=level,
        valid_until=valid_until,
    )
    session.add(assessment)
    session.flush()
    return assessment.id


def set_tier(
    session: Session, client_id: int, tier: Tier, actor: str, suggested: Tier | None = None
) -> Client:
    """Set a client's tier and record whether it followed the suggestion or overrode it."""
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(f"client {client_id}: no such client")
    old = client.tier
    with audit.paused(session):  # one entry that says why, not a bare field change too
        client.tier = tier
    action = TIER_SET
    if suggested is None:
        detail = "set by hand"
    elif suggested is tier:
        detail = "accepted the suggested tier"
    else:
        action = TIER_OVERRIDE
        detail = f"kept {tier.value} against the suggested {suggested.value}"
    session.add(
        AuditEntry(
            actor=actor,
            client_id=client_id,
            action=action,
            record="Client",
            record_id=client_id,
            field="tier",
            old_value=old.value,
            new_value=tier.value,
            detail=detail,
        )
    )
    session.flush()
    return client


def attach_document(
    session: Session, client_id: int, source: Path, title: str | None = None
) -> int:
    """Copy a file into the client's folder of the book (encrypted when the book is) and
    record it with the SHA-256 of its content."""
    _get(session, Client, client_id)
    source = Path(source)
    if not source.is_file():
        raise ValidationError("Document", "file", str(source), N_("is not a readable file"))
    stored = documents.store(session, client_id, source)
    try:
        document = Document(
            client_id=client_id,
            title=title or source.stem,
            file_name=source.name,
            stored_path=stored.stored_path,
            sha256=stored.sha256,
            size_bytes=stored.size_bytes,
        )
        session.add(document)
        session.flush()
    except BaseException:
        documents.remove_file(stored.stored_path)
        raise
    return document.id


def remove_document(session: Session, document_id: int, read_version: int | None = None) -> None:
    """Forget the document and delete its file in the book's folder (never the user's
    original); one someone else changed or removed since the screen showed it (its save
    counter `read_version`) is refused."""
    document = versions.as_read(session, Document, document_id, read_version)
    stored_path = document.stored_path
    session.delete(document)
    session.flush()
    documents.remove_when_committed(session, stored_path)


@dataclass(frozen=True)
class ClientContents:
    """What goes with a client when the client is deleted: the confirmation names it."""

    id: int
    code: str
    name: str
    snapshots: int
    holdings: int
    policies: int
    contacts: int
    assessments: int
    documents: int


def client_contents(session: Session, client_id: int) -> ClientContents:
    """The client's record and how much of theirs the book holds."""
    client: Client = _get(session, Client, client_id)
    return ClientContents(
        id=client.id,
        code=client.code,
        name=client.name,
        snapshots=len(client.snapshots),
        holdings=sum(len(s.holdings) for s in client.snapshots),
        policies=len(client.policies),
        contacts=len(client.contacts),
        assessments=len(client.assessments),
        documents=len(client.documents),
    )


def deletion_warning(contents: ClientContents) -> str:
    """What deleting the client takes away, in the interface's language."""
    return _(
        "Delete {code} {name} and everything of theirs from the book: snapshots ({snapshots}), "
        "holdings ({holdings}), insurance policies ({policies}), contacts ({contacts}), "
        "risk assessments ({assessments}) and documents ({documents}), the documents' files "
        "too. This cannot be undone here; the book's backups keep the client until they age out."
    ).format(
        code=contents.code,
        name=contents.name,
        snapshots=contents.snapshots,
        holdings=contents.holdings,
        policies=contents.policies,
        contacts=contents.contacts,
        assessments=contents.assessments,
        documents=contents.documents,
    )


def delete_client(session: Session, client_id: int) -> ClientContents:
    """Remove a client and everything of theirs (the models' cascades); their documents'
    files go once the unit of work is committed (a rollback keeps them with the records).
    The audit trail records each deleted row, the client's own with its id and code."""
    contents = client_contents(session, client_id)
    client: Client = _get(session, Client, client_id)
    stored_paths = [document.stored_path for document in client.documents]
    session.delete(client)
    session.flush()
    for stored_path in stored_paths:
        documents.remove_when_committed(session, stored_path)
    return contents


def load_client_detail(session: Session, client_id: int) -> Client:
    """One client with everything the workspace shows, loaded for use after the session."""
    return load_client_history(
        session,
        client_id,
        selectinload(Client.policies).selectinload(InsurancePolicy.insured_member),
        selectinload(Client.documents),
        selectinload(Client.flows),
    )
