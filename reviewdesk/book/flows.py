"""Recording the money a client puts into the portfolio or takes out of it.

The caller owns the unit of work: `record_flow` adds to the session it is given and
flushes so the book's rules run; it never commits.

A flow keeps its rate to the client's report currency. When none is given, the rate is
the one stored on the client's first snapshot on or after the flow's date (the review
that will value what the flow brought or took): the direct pair's rate as stored, or
the inverse pair's reciprocal rounded to 10 decimal places (the precision a rate is
kept with). A flow in the report currency has the rate 1. A flow in another currency
with no such snapshot rate needs the rate to be given.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewdesk.book import versions
from reviewdesk.book.enums import FlowKind
from reviewdesk.book.errors import NotFound, ValidationError
from reviewdesk.book.models import Client, Flow, FxRate, Snapshot
from reviewdesk.book.validation import check_record
from reviewdesk.i18n import N_

RATE_PLACES = Decimal("1e-10")


def snapshot_rate(
    session: Session, client_id: int, currency: str, to_currency: str, day: dt.date
) -> Decimal | None:
    """1 unit of `currency` in `to_currency` from the client's first snapshot on or after
    `day` that has the pair (or its inverse); None if none has it."""
    if currency == to_currency:
        return Decimal(1)
    rows = session.execute(
        select(Snapshot.review_date, FxRate.from_currency, FxRate.rate)
        .join(FxRate, FxRate.snapshot_id == Snapshot.id)
        .where(
            Snapshot.client_id == client_id,
            Snapshot.review_date >= day,
            (
                (FxRate.from_currency == currency) & (FxRate.to_currency == to_currency)
                | (FxRate.from_currency == to_currency) & (FxRate.to_currency == currency)
            ),
        )
        .order_by(Snapshot.review_date)
    ).all()
    if not rows:
        return None
    first = rows[0][0]
    direct = [rate for date, src, rate in rows if date == first and src == currency]
    if direct:
        return direct[0]
    inverse = next(rate for date, _src, rate in rows if date == first)
    return (Decimal(1) / inverse).quantize(RATE_PLACES, ROUND_HALF_EVEN)


def record_flow(
    session: Session,
    client_id: int,
    day: dt.date,
    amount: Decimal,
    kind: FlowKind,
    *,
    currency: str | None = None,
    rate: Decimal | None = None,
    holding: str | None = None,
    note: str | None = None,
    today: dt.date | None = None,
) -> Flow:
    """Add a flow; the currency defaults to the client's report currency, the rate to the
    snapshot's (see the module's note)."""
    today = today or dt.date.today()
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(f"client {client_id}: no such client")
    if day > today:
        raise ValidationError("Flow", "flow_date", day, N_("is in the future"))
    flow = Flow(
        flow_date=day,
        amount=amount,
        kind=kind,
        currency=currency or client.report_currency,
        to_currency=client.report_currency,
        holding=holding,
        note=note,
    )
    if rate is None:
        rate = _snapshot_rate_of(session, flow, client_id, day)
    flow.rate = rate
    check_record(flow)  # before it joins the session: a refused flow leaves nothing behind
    flow.client = client
    session.add(flow)
    session.flush()
    return flow


def update_flow(
    session: Session,
    flow_id: int,
    values: dict[str, Any],
    today: dt.date | None = None,
    read_version: int | None = None,
) -> Flow:
    """Change fields of a flow. A new currency or date without a rate given takes the
    snapshot's rate again, as `record_flow` would (see the module's note). With
    `read_version` (the save counter the screen showed), a flow someone else saved or
    deleted since is refused (`versions.EditConflict`)."""
    flow = versions.as_read(session, Flow, flow_id, read_version)
    day = values.get("flow_date", flow.flow_date)
    if day is not None and day > (today or dt.date.today()):
        raise ValidationError("Flow", "flow_date", day, N_("is in the future"))
    for field, value in values.items():
        setattr(flow, field, value)
    if "rate" not in values and ("currency" in values or "flow_date" in values):
        flow.rate = _snapshot_rate_of(session, flow, flow.client_id, day)
    session.flush()
    return flow


def _snapshot_rate_of(session: Session, flow: Flow, client_id: int, day: dt.date) -> Decimal:
    """The rate of the flow's currency to its report currency at the first snapshot on or
    after `day`; refused, naming the currencies, where there is none."""
    with session.no_autoflush:
        rate = snapshot_rate(session, client_id, flow.currency, flow.to_currency, day)
    if rate is None:
        raise ValidationError(
            "Flow",
            "rate",
            None,
            N_("is required: no snapshot on or after {day} has a rate from {currency} to {to}"),
            {"day": day.isoformat(), "currency": flow.currency, "to": flow.to_currency},
        )
    return rate


def client_flows(session: Session, client_id: int, until: dt.date | None = None) -> list[Flow]:
    """The client's flows, oldest first (up to `until` if given)."""
    query = select(Flow).where(Flow.client_id == client_id)
    if until is not None:
        query = query.where(Flow.flow_date <= until)
    return list(session.scalars(query.order_by(Flow.flow_date, Flow.id)))
