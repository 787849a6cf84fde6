"""Read queries over the book, aggregated in SQL.

Storage only: what a review makes of these rows (next review due, flags, totals in the
report currency) is computed in `reviewdesk.review`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVarTuple

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Row,
    ScalarSelect,
    Select,
    String,
    Subquery,
    any_,
    bindparam,
    case,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from reviewdesk.book.enums import AssetClass, Cadence, Tier
from reviewdesk.book.errors import NotFound
from reviewdesk.book.models import Client, FxRate, Holding, Snapshot, SnapshotFact
from reviewdesk.book.types import from_scaled, from_text
from reviewdesk.i18n import _
from reviewdesk.text import name_matches, normalise_code, sort_name

_Ts = TypeVarTuple("_Ts")


def plain_rows(session: Session, statement: Select[*_Ts]) -> Sequence[Row[*_Ts]]:
    """The rows of a statement over columns (no ORM entities), executed as Core in the
    session's transaction and fetched at once: the ORM's per-row loading and a fetch per row
    cost a book-wide read (the agenda's, the client list's) a tenth of its time. What the
    session holds unsaved is flushed first, as the ORM's own execution would."""
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection().execute(statement).all()


# Snapshot ids to aggregate over: a list, or a scalar subquery that selects them.
SnapshotIds = Sequence[int] | ScalarSelect[int]


def among(
    session: Session, column: InstrumentedAttribute[int], snapshot_ids: SnapshotIds
) -> ColumnElement[bool]:
    """`column IN snapshot_ids`, a list sent as one value: on PostgreSQL an array
    (`= ANY(:ids)`: as 10,000 separate values the planner read the whole table rather
    than seek each), on SQLite a JSON array (`IN (SELECT value FROM json_each(:ids))`: the
    same seeks without making and binding 10,000 parameters at every listing)."""
    if isinstance(snapshot_ids, ScalarSelect):
        return column.in_(snapshot_ids)
    ids = [int(i) for i in snapshot_ids]
    if session.get_bind().dialect.name == "postgresql":
        # Imported here: the PostgreSQL dialect costs a book file's launch about 40 ms.
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(bindparam(None, ids, type_=ARRAY(Integer)))
    listed = func.json_each(bindparam(None, json.dumps(ids), type_=String)).table_valued("value")
    return column.in_(select(listed.c.value))


def latest_snapshot_id(
    client_id: ColumnElement[int] | InstrumentedAttribute[int],
) -> ScalarSelect[int]:
    """The id of the latest snapshot of the client `client_id` names (a correlated
    subquery: one seek in the (client_id, review_date) index per client)."""
    return (
        select(Snapshot.id)
        .where(Snapshot.client_id == client_id)
        .order_by(Snapshot.review_date.desc())
        .limit(1)
        .scalar_subquery()
        .correlate_except(Snapshot)
    )


def latest_snapshots() -> Subquery:
    """(client_id, snapshot_id, review_date) of each client's latest snapshot.

    One seek per client in the (client_id, review_date) index: on a book of 10,000
    clients and 360,000 snapshots, a third of the time of a join on MAX(review_date) per
    client (which reads every snapshot) and a fraction of a window function's.
    """
    newest = select(Client.id, latest_snapshot_id(Client.id).label("snapshot_id")).subquery()
    return (
        select(Snapshot.client_id, Snapshot.id.label("snapshot_id"), Snapshot.review_date)
        .join(newest, newest.c.snapshot_id == Snapshot.id)
        .subquery()
    )


def _fact_rows(
    session: Session,
    snapshot_ids: SnapshotIds,
    *more: ColumnElement[Any] | InstrumentedAttribute[Any],
) -> Sequence[Row[*tuple[Any, ...]]]:
    """The snapshots' stored facts (`snapshot_fact`, which the database's triggers keep
    equal to a GROUP BY over the holdings): snapshot, currency, is_liability (true or 1),
    the sum of market values as stored (`from_scaled` makes it the amount), then the
    columns of `more`.

    The two middle columns come as the database gives them and are made a bool and a
    Decimal by the loop that reads them: through the column types each value cost a call
    more (10,000 clients read 30,000 facts at every listing)."""
    return plain_rows(
        session,
        select(
            SnapshotFact.snapshot_id,
            SnapshotFact.currency,
            type_coerce(SnapshotFact.is_liability, Integer),
            type_coerce(SnapshotFact.market_value, BigInteger),
            *more,
        ).where(among(session, SnapshotFact.snapshot_id, snapshot_ids)),
    )


def snapshot_totals(
    session: Session, snapshot_ids: SnapshotIds
) -> dict[int, dict[tuple[str, bool], Decimal]]:
    """Per snapshot: the sum of market values per (currency, is_liability).

    `snapshot_ids` is a list or a scalar subquery of snapshot ids. The sums are the
    database's: `snapshot_fact`, which its triggers keep equal to a SUM over the holdings.
    """
    totals: dict[int, dict[tuple[str, bool], Decimal]] = defaultdict(dict)
    for snapshot_id, currency, loan, total in _fact_rows(session, snapshot_ids):
        totals[snapshot_id][(currency, bool(loan))] = from_scaled(total)
    return totals


# Not money at work in the market: left out of the financial assets returns are measured on.
NOT_FINANCIAL = (AssetClass.PROPERTY, AssetClass.LOAN)


@dataclass(frozen=True)
class SnapshotSums:
    """Per snapshot: the sums of market values a review's trend and returns start from.

    `totals`: per (currency, is_liability), as `snapshot_totals`; `financial`: per currency,
    the financial assets only (NOT_FINANCIAL left out), which returns are measured on."""

    totals: dict[int, dict[tuple[str, bool], Decimal]]
    financial: dict[int, dict[str, Decimal]]


def snapshot_sums(session: Session, snapshot_ids: SnapshotIds) -> SnapshotSums:
    """The totals and the financial assets' totals of the snapshots, in one statement (on a
    team book each statement pays the row-level policies once more).

    The sums are the database's (`snapshot_fact`, kept equal to a SUM over the holdings by
    its triggers); the financial assets are a currency's assets less its property, for the
    currencies that hold anything besides property."""
    totals: dict[int, dict[tuple[str, bool], Decimal]] = defaultdict(dict)
    financials: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for (
        snapshot_id,
        currency,
        loan,
        scaled,
        property_value,
        holdings,
        property_holdings,
    ) in _fact_rows(
        session,
        snapshot_ids,
        SnapshotFact.property_value,
        SnapshotFact.holdings,
        SnapshotFact.property_holdings,
    ):
        total = totals[snapshot_id][(currency, bool(loan))] = from_scaled(scaled)
        if not loan and holdings > property_holdings:
            financials[snapshot_id][currency] = total - property_value
    return SnapshotSums(dict(totals), dict(financials))


def snapshot_rates(
    session: Session, snapshot_ids: SnapshotIds
) -> dict[int, dict[tuple[str, str], Decimal]]:
    """Per snapshot: its exchange rates, keyed (from, to)."""
    rates: dict[int, dict[tuple[str, str], Decimal]] = defaultdict(dict)
    rows = plain_rows(
        session,
        select(
            FxRate.snapshot_id,
            FxRate.from_currency,
            FxRate.to_currency,
            type_coerce(FxRate.rate, String),  # as stored: `from_text` below
        ).where(among(session, FxRate.snapshot_id, snapshot_ids)),
    )
    # Many snapshots of a book quote the same rate: each text is read once per call, not
    # once per rate (the latest snapshots of 10,000 clients: 19,848 rates, 932 texts; read
    # through the column type, 67 -> 55 ms).
    read: dict[str, Decimal] = {}
    for snapshot_id, src, dst, text in rows:
        rate = read.get(text)
        if rate is None:
            rate = read[text] = from_text(text)
        rates[snapshot_id][(src, dst)] = rate
    return rates


@dataclass(frozen=True)
class ClientBasics:
    """A client as the client list starts from, with the id of the latest snapshot."""

    id: int
    code: str
    name: str
    tier: Tier
    review_cadence: Cadence | None
    report_currency: str
    phone: str | None
    snapshot_id: int | None
    sort_name: str  # the name as lists sort and search it (`text.sort_name`)


def stored_sort_name(name: str, stored: str | None) -> str:
    """A client's sort name as the book keeps it; one written outside the model (a
    hand-typed INSERT leaves '') is worked out from the name."""
    return stored or sort_name(name)


def client_basics(
    session: Session, search: str | None = None, client_ids: Collection[int] | None = None
) -> list[ClientBasics]:
    """Every client (or those `search` finds by name, as `text.name_matches` says, or
    whose phone or code contains it; or those of `client_ids`), by their sort name."""
    query = select(
        Client.id,
        Client.code,
        Client.name,
        Client.tier,
        Client.review_cadence,
        Client.report_currency,
        Client.phone,
        latest_snapshot_id(Client.id),
        Client.sort_name,
    ).order_by(Client.sort_name, Client.name, Client.id)
    if client_ids is not None:
        query = query.where(Client.id.in_(list(client_ids)))
    rows = plain_rows(session, query)
    clients = [ClientBasics(*row[:-1], stored_sort_name(row[2], row[-1])) for row in rows]
    if any(not row[-1] for row in rows):  # worked out here: not in the statement's order
        clients.sort(key=lambda c: (c.sort_name, c.name, c.id))
    if search and search.strip():
        needle = search.strip().casefold()
        clients = [
            c
            for c in clients
            if name_matches(c.name, c.sort_name, search)
            or needle in (c.phone or "").casefold()
            or needle in c.code.casefold()
        ]
    return clients


@dataclass
class HoldingFacts:
    """Per snapshot: sums per (currency, is_liability), the highest product risk (1-5) and
    whether an asset (not a loan) matures in the window."""

    totals: dict[int, dict[tuple[str, bool], Decimal]] = field(default_factory=dict)
    top_risk: dict[int, int] = field(default_factory=dict)
    maturing: set[int] = field(default_factory=set)


# The highest product risk level (1-5) a group holds, 0 for none.
_TOP_RISK = case(
    (SnapshotFact.risk_r5 > 0, 5),
    (SnapshotFact.risk_r4 > 0, 4),
    (SnapshotFact.risk_r3 > 0, 3),
    (SnapshotFact.risk_r2 > 0, 2),
    (SnapshotFact.risk_r1 > 0, 1),
    else_=0,
)


def holding_facts(
    session: Session, snapshot_ids: SnapshotIds, start: dt.date, end: dt.date
) -> HoldingFacts:
    """Totals and the highest product risk (`snapshot_fact`, kept by the database), and
    which snapshots hold an asset maturing between `start` and `end` (`maturing`)."""
    totals: dict[int, dict[tuple[str, bool], Decimal]] = defaultdict(dict)
    top_risk: dict[int, int] = {}
    for sid, currency, loan, total, risk in _fact_rows(session, snapshot_ids, _TOP_RISK):
        totals[sid][(currency, bool(loan))] = from_scaled(total)
        if risk and risk > top_risk.get(sid, 0):
            top_risk[sid] = risk
    return HoldingFacts(dict(totals), top_risk, maturing(session, snapshot_ids, start, end))


def maturing(session: Session, snapshot_ids: SnapshotIds, start: dt.date, end: dt.date) -> set[int]:
    """The snapshots that hold an asset maturing between `start` and `end` (as the
    review's maturities; a loan falling due is not one). It depends on the day, so it is
    asked of the holdings themselves: a seek per snapshot in the index on
    (snapshot_id, maturity_date)."""
    return {
        sid
        for (sid,) in plain_rows(
            session,
            select(Holding.snapshot_id)
            .distinct()
            .where(
                among(session, Holding.snapshot_id, snapshot_ids),
                Holding.maturity_date >= start,
                Holding.maturity_date <= end,
                Holding.asset_class != AssetClass.LOAN,
            ),
        )
    }


def find_client(session: Session, key: str | int) -> Client:
    """A client by id, code (in any case or width) or exact name; an ambiguous name is an
    error."""
    text = str(key).strip()
    if text.isdigit():
        client = session.get(Client, int(text))
        if client is not None:
            return client
    # A code in any case or width is the code (`c90001`, `Ｃ９０００１`); the exact text too,
    # for a code an old book kept in another form (see migration 0004).
    exact = session.scalars(select(Client).where(Client.code == text)).all()
    if len(exact) == 1:
        return exact[0]
    codes = {text, normalise_code(text)}
    matches = session.scalars(
        select(Client).where(or_(Client.code.in_(codes), Client.name == text))
    ).all()
    if not matches:
        raise NotFound(
            _("client {client!r}: no client has that id, code or name").format(client=text)
        )
    if len(matches) > 1:
        ids = ", ".join(str(c.id) for c in matches)
        raise NotFound(
            _("client {client!r}: several clients have that name (ids {ids}); use the id").format(
                client=text, ids=ids
            )
        )
    return matches[0]


def load_client_history(session: Session, client_id: int, *extra: LoaderOption) -> Client:
    """One client with every snapshot, holding and rate loaded in a few queries.

    `extra` loader options add what a caller shows besides (documents, the insured).
    """
    client = session.scalar(
        select(Client)
        .where(Client.id == client_id)
        .options(
            selectinload(Client.snapshots).selectinload(Snapshot.holdings),
            selectinload(Client.snapshots).selectinload(Snapshot.rates),
            selectinload(Client.family),
            selectinload(Client.policies),
            selectinload(Client.assessments),
            selectinload(Client.contacts),
            selectinload(Client.tags),
            *extra,
        )
    )
    if client is None:
        raise NotFound(f"client {client_id}: no such client")
    return client
