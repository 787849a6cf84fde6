"""The client list the desk opens on: summaries plus the flags a manager acts on.

Everything is aggregated in SQL, one query per kind of fact and none per
client: the latest snapshot of each client through the (client, date) index,
then one pass over those snapshots' holdings for totals, the highest product
risk and the nearest maturity. A 2,000-client book lists in a fraction of a
second.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import String, and_, case, func, select
from sqlalchemy.orm import Session

from reviewdesk.book.enums import AssetClass, ClientRiskLevel, LabelledEnum
from reviewdesk.book.models import Client, ClientTag, FxRate, Holding
from reviewdesk.book.queries import ClientSummary, _fill_totals, latest_snapshots
from reviewdesk.i18n import N_
from reviewdesk.review.cadence import next_review_due


class ClientFlag(LabelledEnum):
    REVIEW_DUE = ("review_due", N_("Review due"))
    # Missing or expired (review.risk_status): suitability cannot be judged.
    ASSESSMENT_EXPIRED = ("assessment_expired", N_("No valid risk assessment"))
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


def latest_snapshot_rows(session: Session) -> dict[int, tuple[int, dt.date]]:
    """client id -> (snapshot id, review date) of the latest snapshot."""
    latest = latest_snapshots()
    rows = session.execute(select(latest.c.client_id, latest.c.snapshot_id, latest.c.review_date))
    return {cid: (sid, day) for cid, sid, day in rows}


def list_client_rows(session: Session, today: dt.date | None = None,
                     maturity_window_days: int = 90, settings=None) -> list[ClientRow]:
    """The client list's rows; last review and next due as in `queries.list_clients`."""
    from reviewdesk.review.cadence import last_reviews, review_cadence
    from reviewdesk.review.risk_status import book_assessment_statuses, missing_status
    from reviewdesk.settings import load_settings

    today = today or dt.date.today()
    settings = settings if settings is not None else load_settings(session)
    reviewed = last_reviews(session, today)
    horizon = today + dt.timedelta(days=maturity_window_days)
    latest = latest_snapshot_rows(session)
    snapshot_ids = [sid for sid, _day in latest.values()]

    is_loan = case((Holding.asset_class == AssetClass.LOAN, 1), else_=0)
    # An asset maturing (money to reinvest), as the review's maturities; a loan falling
    # due is not one.
    maturing = case((and_(Holding.asset_class != AssetClass.LOAN,
                          Holding.maturity_date >= today, Holding.maturity_date <= horizon), 1),
                    else_=0)
    totals: dict[int, dict[tuple[str, bool], Decimal]] = defaultdict(dict)
    top_risk: dict[int, int] = defaultdict(int)
    matures: set[int] = set()
    for sid, currency, loan, total, risk, soon in session.execute(
        select(
            Holding.snapshot_id, Holding.currency, is_loan.label("loan"),
            func.sum(Holding.market_value.expression).label("total"),
            func.max(func.substr(Holding.risk_level.expression, 2, 1, type_=String)),
            func.max(maturing),
        )
        .where(Holding.snapshot_id.in_(snapshot_ids))
        .group_by(Holding.snapshot_id, Holding.currency, is_loan)
    ):
        totals[sid][(currency, bool(loan))] = total or Decimal(0)
        if risk:
            top_risk[sid] = max(top_risk[sid], int(risk))
        if soon:
            matures.add(sid)
    rates: dict[int, dict[tuple[str, str], Decimal]] = defaultdict(dict)
    for sid, src, dst, rate in session.execute(
        select(FxRate.snapshot_id, FxRate.from_currency, FxRate.to_currency, FxRate.rate)
        .where(FxRate.snapshot_id.in_(snapshot_ids))
    ):
        rates[sid][(src, dst)] = rate
    tags: dict[int, list[str]] = defaultdict(list)
    for client_id, tag in session.execute(
            select(ClientTag.client_id, ClientTag.tag).order_by(ClientTag.tag)):
        tags[client_id].append(tag)
    months = settings.assessment_validity_months
    assessed = book_assessment_statuses(session, today, months, settings.agenda_lookahead_days)

    rows = []
    for cid, code, name, tier, cadence, currency, phone in session.execute(
        select(Client.id, Client.code, Client.name, Client.tier, Client.review_cadence,
               Client.report_currency, Client.phone).order_by(Client.name, Client.id)
    ):
        effective = review_cadence(tier, cadence, settings)
        sid, _snapshot_day = latest.get(cid, (None, None))
        last = reviewed.get(cid)
        summary = ClientSummary(
            id=cid, code=code, name=name, tier=tier, cadence=effective,
            report_currency=currency, last_review=last,
            next_review_due=next_review_due(last, effective.months, today),
            assessment=assessed.get(cid) or missing_status(today, months),
        )
        flags = set()
        if sid is not None:
            _fill_totals(summary, totals.get(sid, {}), rates.get(sid, {}))
        if summary.next_review_due <= today:
            flags.add(ClientFlag.REVIEW_DUE)
        level = summary.assessment.level
        if not summary.assessment.is_valid:
            flags.add(ClientFlag.ASSESSMENT_EXPIRED)
        if level is not None and sid is not None and top_risk.get(sid, 0) > level.rank:
            flags.add(ClientFlag.SUITABILITY)
        if sid in matures:
            flags.add(ClientFlag.MATURITY_SOON)
        rows.append(ClientRow(summary, phone or "", tuple(tags.get(cid, ())), level,
                              frozenset(flags)))
    return rows
