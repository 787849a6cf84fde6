"""The client list the desk opens on: summaries plus the flags a manager acts on.

Everything is aggregated in SQL (one query per kind of fact, none per client),
so the list of a 2,000-client book loads in a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import String, func, select
from sqlalchemy.orm import Session

from reviewdesk.book.enums import ClientRiskLevel, LabelledEnum
from reviewdesk.book.models import Client, ClientTag, Holding, RiskAssessment
from reviewdesk.book.queries import ClientSummary, latest_snapshots, list_clients
from reviewdesk.i18n import N_


class ClientFlag(LabelledEnum):
    REVIEW_DUE = ("review_due", N_("Review due"))
    ASSESSMENT_EXPIRED = ("assessment_expired", N_("Assessment expired"))
    SUITABILITY = ("suitability", N_("Holding above risk level"))
    MATURITY_SOON = ("maturity_soon", N_("Maturity soon"))


@dataclass
class ClientRow:
    summary: ClientSummary
    phone: str = ""
    tags: tuple[str, ...] = ()
    risk_level: ClientRiskLevel | None = None
    flags: frozenset[ClientFlag] = field(default_factory=frozenset)

    @property
    def id(self) -> int:
        return self.summary.id


def latest_assessments():
    """(client_id, level, valid_until) of each client's latest risk assessment."""
    ranked = select(
        RiskAssessment.client_id, RiskAssessment.level, RiskAssessment.valid_until,
        func.row_number().over(
            partition_by=RiskAssessment.client_id,
            order_by=(RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc()),
        ).label("rn"),
    ).subquery()
    return (
        select(ranked.c.client_id, ranked.c.level, ranked.c.valid_until)
        .where(ranked.c.rn == 1)
        .subquery()
    )


def unsuitable_clients(session: Session) -> set[int]:
    """Clients holding, at their latest snapshot, a product rated above their C-level."""
    latest = latest_snapshots()
    assessed = latest_assessments()
    product_rank = func.substr(Holding.risk_level.expression, 2, 1, type_=String)
    client_rank = func.substr(assessed.c.level, 2, 1, type_=String)
    query = (
        select(latest.c.client_id)
        .join(Holding, Holding.snapshot_id == latest.c.snapshot_id)
        .join(assessed, assessed.c.client_id == latest.c.client_id)
        .where(Holding.risk_level.is_not(None), product_rank > client_rank)
        .distinct()
    )
    return set(session.scalars(query))


def maturing_clients(session: Session, today: dt.date, window_days: int) -> set[int]:
    """Clients with a position at their latest snapshot maturing within the window."""
    latest = latest_snapshots()
    query = (
        select(latest.c.client_id)
        .join(Holding, Holding.snapshot_id == latest.c.snapshot_id)
        .where(Holding.maturity_date >= today,
               Holding.maturity_date <= today + dt.timedelta(days=window_days))
        .distinct()
    )
    return set(session.scalars(query))


def list_client_rows(session: Session, today: dt.date | None = None,
                     maturity_window_days: int = 90) -> list[ClientRow]:
    today = today or dt.date.today()
    summaries = list_clients(session, today)
    phones = dict(session.execute(select(Client.id, Client.phone)).all())
    tags: dict[int, list[str]] = {}
    for client_id, tag in session.execute(
            select(ClientTag.client_id, ClientTag.tag).order_by(ClientTag.tag)):
        tags.setdefault(client_id, []).append(tag)
    assessed = latest_assessments()
    levels = {cid: (level, valid_until) for cid, level, valid_until in session.execute(
        select(assessed.c.client_id, assessed.c.level, assessed.c.valid_until))}
    unsuitable = unsuitable_clients(session)
    maturing = maturing_clients(session, today, maturity_window_days)

    rows = []
    for summary in summaries:
        flags = set()
        if summary.next_review_due <= today:
            flags.add(ClientFlag.REVIEW_DUE)
        level, valid_until = levels.get(summary.id, (None, None))
        if valid_until is None or valid_until < today:
            flags.add(ClientFlag.ASSESSMENT_EXPIRED)
        if summary.id in unsuitable:
            flags.add(ClientFlag.SUITABILITY)
        if summary.id in maturing:
            flags.add(ClientFlag.MATURITY_SOON)
        if isinstance(level, str) and not isinstance(level, ClientRiskLevel):
            level = ClientRiskLevel(level)
        rows.append(ClientRow(summary, phones.get(summary.id) or "",
                              tuple(tags.get(summary.id, ())), level, frozenset(flags)))
    return rows
