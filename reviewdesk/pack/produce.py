"""Producing one pack from the book, writing it safely, and recording it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewdesk.book import audit
from reviewdesk.book.enums import Language, PackAction
from reviewdesk.book.errors import BookError, NotFound
from reviewdesk.book.models import Client, PackRecord
from reviewdesk.i18n import _
from reviewdesk.pack.document import render_pack
from reviewdesk.pack.reference import pack_reference
from reviewdesk.review.build import build_review, snapshot_dates
from reviewdesk.review.model import Review
from reviewdesk.settings import Settings


@dataclass(frozen=True)
class Pack:
    review: Review
    lang: str
    paper: str
    data: bytes
    reference: str
    warnings: tuple[str, ...] = ()  # e.g. characters no embedded font has: show them

    @property
    def as_of(self) -> dt.date:
        """The day the pack was judged from (expiry, maturities, contacts)."""
        return self.review.today


def pack_from_review(review: Review, lang: str, paper: str) -> Pack:
    """The pack of a review already built: the one way a pack is rendered and referenced,
    for the command line, the batch and the desktop alike."""
    reference = pack_reference(review, lang, paper)
    warnings: list[str] = []
    data = render_pack(review, lang, paper, reference=reference, warnings=warnings)
    return Pack(review, lang, paper, data, reference, tuple(warnings))


def make_pack(
    session: Session,
    client_id: int,
    review_date: dt.date | None = None,
    *,
    settings: Settings,
    today: dt.date,
    lang: str | None = None,
    paper: str | None = None,
) -> Pack:
    """The pack of a client's review as of `today`; the client's language unless `lang`.

    Without `review_date`, the latest review on or before `today`: a pack prepared on a
    day shows the review the client had by then (the command line, the batch and the
    desktop alike)."""
    dated = snapshot_dates(session, client_id)
    if review_date is None and dated:
        review_date = _latest_on_or_before(session, client_id, dated, today)
    review = build_review(
        session, client_id, review_date, settings=settings, today=today, dated=dated
    )
    return pack_from_review(
        review, lang or review.client.language.value, paper or settings.paper_size
    )


def review_date_as_of(session: Session, client_id: int, as_of: dt.date) -> dt.date:
    """The latest review date on or before `as_of`: a pack prepared on a day shows the
    review the client had by then, not a later one."""
    return _latest_on_or_before(session, client_id, snapshot_dates(session, client_id), as_of)


def _latest_on_or_before(
    session: Session, client_id: int, dated: list[tuple[int, dt.date]], as_of: dt.date
) -> dt.date:
    earlier = [day for _, day in dated if day <= as_of]
    if not earlier:
        client = session.get(Client, client_id)
        raise NotFound(
            _(
                "as of {date}: client {client!r} has no snapshot on or before that "
                "day; snapshots: {dates}"
            ).format(
                date=as_of.isoformat(),
                client=client.name if client else client_id,
                dates=", ".join(day.isoformat() for _, day in dated) or "-",
            )
        )
    return earlier[-1]


def find_recorded_pack(session: Session, reference: str) -> PackRecord:
    """The latest record of the pack with this reference (the same pack may have been
    saved, printed and emailed: every record holds the same options)."""
    reference = reference.strip()
    record = session.scalars(
        select(PackRecord)
        .where(func.upper(PackRecord.reference) == reference.upper())
        .order_by(PackRecord.produced_at.desc(), PackRecord.id.desc())
        .limit(1)
    ).first()
    if record is None:
        raise NotFound(
            _("no pack with reference {reference} is recorded in this book").format(
                reference=reference
            )
        )
    return record


def rebuild_pack(session: Session, reference: str, *, settings: Settings) -> Pack:
    """The pack with this reference, made again from its record: the same client, review
    date, as-of date, language and paper. Refused when the book has changed since (the
    pack would show something else than the client was given)."""
    record = find_recorded_pack(session, reference)
    if record.as_of is None or record.paper is None:
        raise BookError(
            _(
                "pack {reference}: its record lacks the as-of date or the paper, "
                "it cannot be rebuilt"
            ).format(reference=reference)
        )
    pack = make_pack(
        session,
        record.client_id,
        record.review_date,
        settings=settings,
        today=record.as_of,
        lang=record.language.value,
        paper=record.paper,
    )
    if pack.reference != record.reference:
        raise BookError(
            _(
                "pack {reference}: the book or its settings have changed since the pack was "
                "made, so it cannot be rebuilt as it was (made today with the same dates and "
                "options it would be {now}); nothing was written"
            ).format(reference=record.reference, now=pack.reference)
        )
    return pack


def record_pack(
    session: Session,
    client_id: int,
    review_date: dt.date,
    action: PackAction,
    lang: str,
    *,
    encrypted: bool = False,
    recipient: str | None = None,
    file_name: str | None = None,
    as_of: dt.date | None = None,
    paper: str | None = None,
    reference: str | None = None,
) -> PackRecord:
    """Note in the book that a pack was produced (what was disclosed, how, to whom, and
    what it takes to rebuild it: the as-of date, the paper and the reference), with its
    event in the audit trail, in the caller's unit of work."""
    record = PackRecord(
        client_id=client_id,
        review_date=review_date,
        action=action,
        language=Language(lang),
        encrypted=encrypted,
        recipient=recipient,
        file_name=file_name,
        as_of=as_of,
        paper=paper,
        reference=reference,
    )
    session.add(record)
    session.flush()
    audit.record_event(
        session,
        f"pack_{action.value}",
        client_id,
        pack_event_detail(record),
        record="PackRecord",
        record_id=record.id,
    )
    return record


def pack_event_detail(record: PackRecord) -> str:
    """The audit trail's line for a pack: which review, as of when, how, and its reference."""
    parts = [f"review {record.review_date.isoformat()}"]
    if record.as_of is not None:
        parts.append(f"as of {record.as_of.isoformat()}")
    parts.append(record.language.value)
    if record.paper:
        parts.append(record.paper)
    if record.encrypted:
        parts.append("encrypted")
    if record.recipient:
        parts.append(f"to {record.recipient}")
    if record.file_name:
        parts.append(f"as {Path(record.file_name).name}")
    if record.reference:
        parts.append(f"ref {record.reference}")
    return ", ".join(parts)


def record_meeting(
    session: Session, client_id: int, review_date: dt.date, lang: str, as_of: dt.date | None
) -> int:
    """A presentation the manager says was the client's review meeting: recorded as the
    review shown to the client (which counts as the review and as a contact); its id."""
    return record_pack(session, client_id, review_date, PackAction.SHOWN, lang, as_of=as_of).id


def remove_meeting(session: Session, record_id: int) -> None:
    """Take back a review meeting recorded by mistake; the audit trail keeps the removal.
    Only a presentation can be taken back: a pack saved, printed or emailed has left."""
    record = session.get(PackRecord, record_id)
    if record is None or record.action is not PackAction.SHOWN:
        raise NotFound(_("no review meeting {id} is recorded in this book").format(id=record_id))
    session.delete(record)
    session.flush()
