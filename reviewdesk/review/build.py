"""Building the review object for one client and one review date.

The caller owns the session; this module only reads. Only the two snapshots
compared are loaded with their holdings; the trend is summed in SQL, so a
client with years of monthly reviews costs the same as a new one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TypedDict

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload

from reviewdesk.book.benchmarks import client_benchmark, series
from reviewdesk.book.enums import AssetClass, ClientRiskLevel, PolicyKind
from reviewdesk.book.errors import NotFound
from reviewdesk.book.flows import client_flows
from reviewdesk.book.models import Client, Contact, Flow, Holding, Snapshot
from reviewdesk.book.queries import snapshot_rates, snapshot_sums
from reviewdesk.book.team import manager_contact
from reviewdesk.i18n import _
from reviewdesk.money import quantize, round_money
from reviewdesk.review.cadence import review_cadence
from reviewdesk.review.contacts import next_step_open, step_overdue
from reviewdesk.review.cost_gain import converted as _converted
from reviewdesk.review.cost_gain import cost_gain_total, principal_and_gain
from reviewdesk.review.model import (
    CHILDREN,
    NEEDS_ASSESSMENT_FROM,
    TERM_CLASSES,
    Allocation,
    AssessmentNeed,
    ClientInfo,
    ContactNote,
    Converted,
    Cover,
    FamilyDetail,
    HoldingGroup,
    HoldingRow,
    HoldingStatus,
    Insurance,
    InsuranceRules,
    InsuredPerson,
    LeftOut,
    LeftOutKind,
    Maturity,
    NextStep,
    PointKind,
    PolicyTerms,
    Preparer,
    Review,
    RiskProfile,
    Suitability,
    SuitabilityFlag,
    TalkingPoint,
    Totals,
    TrendPoint,
    allocation_slices,
    counts_in_change_pct,
    moved_by_client,
    place_slices,
)
from reviewdesk.review.returns import (
    Benchmark,
    BenchmarkPart,
    CashFlow,
    Returns,
    Span,
    UnvaluedFlow,
    Valuation,
    compute_returns,
    in_period,
)
from reviewdesk.review.risk_status import AssessmentState, assessment_status
from reviewdesk.settings import Settings
from reviewdesk.valuation import MissingRate, report_totals, to_report

ZERO = Decimal(0)
CLASS_ORDER = {c: i for i, c in enumerate(AssetClass)}
EDUCATION_AGE = 22
LAST_CONTACTS = 5
NEXT_STEPS = 5
TALKING_POINTS = 4
LARGE_MOVE = Decimal("0.05")
# A time-weighted return this far (3 percentage points) below or above its benchmark's
# over the same span is worth talking about.
BENCHMARK_GAP = Decimal("0.03")
# The spans a benchmark point is judged on, in order: the first with both figures counts.
BENCHMARK_SPANS = (Span.SINCE_PREVIOUS, Span.YEAR_TO_DATE)

# Exchange rates as a snapshot stores them: (from currency, to currency) -> rate.
Rates = Mapping[tuple[str, str], Decimal]


class NoSnapshot(NotFound):
    """No snapshot on the asked date; names the dates there are."""

    def __init__(self, client_name: str, wanted: dt.date | None, dates: Iterable[dt.date]):
        self.dates = tuple(dates)
        listed = _(", ").join(d.isoformat() for d in self.dates) or _("none")
        if wanted is None:
            message = _("client {client!r} has no snapshot yet").format(client=client_name)
        else:
            message = _(
                "date {date}: client {client!r} has no snapshot on that date; snapshots: {dates}"
            ).format(date=wanted.isoformat(), client=client_name, dates=listed)
        super().__init__(message)


# The client with what the review shows of theirs besides the snapshots; built once
# (making it costs about as much as running it on SQLite).
_CLIENT = (
    select(Client)
    .where(Client.id == bindparam("client_id"))
    .options(
        joinedload(Client.family),
        selectinload(Client.policies),
        selectinload(Client.assessments),
        selectinload(Client.contacts),
    )
)


def snapshot_dates(session: Session, client_id: int) -> list[tuple[int, dt.date]]:
    """(snapshot id, review date) of a client, oldest first."""
    return [
        (sid, day)
        for sid, day in session.execute(
            select(Snapshot.id, Snapshot.review_date)
            .where(Snapshot.client_id == client_id)
            .order_by(Snapshot.review_date)
        )
    ]


def build_review(
    session: Session,
    client_id: int,
    review_date: dt.date | None = None,
    *,
    settings: Settings,
    today: dt.date,
    dated: list[tuple[int, dt.date]] | None = None,
) -> Review:
    """The review of `client_id` at `review_date` (default: the latest snapshot).

    Holdings and totals are those of the snapshot; expiry, maturities and
    contacts are judged from `today` (the day of the meeting), maturities from the
    holdings of the latest snapshot on or before it (`Review.maturities_from`). `dated`:
    the client's `snapshot_dates`, when the caller has just read them.
    """
    # Each statement on a team book pays the row-level policies once more: the client with
    # its family in one, what the review reads of the snapshots in four (their dates, the
    # two compared snapshots' holdings, the trend's rates and its sums), nothing twice.
    client = session.scalars(_CLIENT, {"client_id": client_id}).unique().one_or_none()
    if client is None:
        raise NotFound(f"client {client_id}: no such client")
    if dated is None:
        dated = snapshot_dates(session, client_id)
    if not dated:
        raise NoSnapshot(client.name, None, ())
    if review_date is None:
        index = len(dated) - 1
    else:
        found = next((i for i, (_, d) in enumerate(dated) if d == review_date), None)
        if found is None:
            raise NoSnapshot(client.name, review_date, (d for _, d in dated))
        index = found
    current_id, current_date = dated[index]
    previous_id, previous_date = dated[index - 1] if index else (None, None)
    # What matures is read from the latest review on or before `today`: an older review's
    # pack must not announce the maturity of a product a later review shows is gone.
    later = [(sid, d) for sid, d in dated[index + 1 :] if d <= today]
    basis_id, basis_date = later[-1] if later else (None, None)
    held = _holdings(session, [i for i in (current_id, previous_id, basis_id) if i is not None])
    currency = client.report_currency

    trend_ids = [sid for sid, _ in dated[: index + 1]]
    trend_rates = snapshot_rates(session, trend_ids + ([basis_id] if basis_id else []))
    sums = snapshot_sums(session, trend_ids)
    trend = _trend(sums.totals, trend_ids, dict(dated), currency, trend_rates)
    current_totals = _totals(trend[-1])
    previous_totals = _totals(trend[-2]) if index else None

    risk = assessment_status(
        client.assessments,
        today,
        settings.assessment_validity_months,
        settings.agenda_lookahead_days,
    )
    rates = dict(trend_rates.get(current_id, {}))
    compared = previous_id is not None
    flows = client_flows(session, client_id, until=current_date)
    rows = _holding_rows(
        held.get(current_id, []),
        held.get(previous_id, []) if previous_id is not None else None,
        rates,
        dict(trend_rates.get(previous_id, {})) if previous_id is not None else {},
        currency,
        risk,
        previous_date,
        _flowed(flows, previous_date, current_date),
    )
    groups = _groups(rows, compared, currency)
    insurance = _insurance(
        client,
        current_date,
        rates,
        currency,
        current_totals.liabilities,
        _rules(settings, currency, rates),
        _unvalued_debts(rows),
    )
    if insurance.policies_held == 0:
        held_insurance = tuple(
            h.product_name
            for h in rows
            if h.asset_class is AssetClass.INSURANCE and h.status is not HoldingStatus.GONE
        )
        if held_insurance:
            insurance = replace(insurance, unrecorded_policies=held_insurance)
    # A holding is above the client's level only when both levels are known (`_above`).
    client_level = risk.level
    suitability = tuple(
        SuitabilityFlag(h.product_name, h.asset_class, h.risk_level, client_level, h.value)
        for h in sorted((h for h in rows if h.above_client_level), key=lambda h: -(h.value or ZERO))
        if h.risk_level is not None and client_level is not None
    )
    suitability_status, needs = _suitability(risk, rows)
    window = settings.maturity_window_days
    basis_rows = (
        rows
        if basis_id is None
        else _holding_rows(
            held.get(basis_id, []), None, trend_rates.get(basis_id, {}), {}, currency, risk
        )
    )
    maturities = _maturities(basis_rows, today, window)
    disclosed = _disclosed(client.contacts, today, settings.pack_show_contacts)

    review = Review(
        client=ClientInfo(
            id=client.id,
            code=client.code,
            name=client.name,
            language=client.language,
            report_currency=currency,
            cadence=review_cadence(client.tier, client.review_cadence, settings),
            annual_income=insurance.people[0].annual_income,
            family=tuple(
                FamilyDetail(
                    m.name, m.relation, _age(m.birthday, current_date), m.school_or_employer
                )
                for m in client.family
            ),
        ),
        review_date=current_date,
        previous_date=previous_date,
        today=today,
        currency=currency,
        current=current_totals,
        previous=previous_totals,
        groups=groups,
        allocation=_allocation(rows, current_totals.assets),
        trend=trend,
        insurance=insurance,
        risk=risk,
        suitability=suitability,
        suitability_status=suitability_status,
        needs_assessment=needs,
        maturities=maturities,
        maturity_window_days=window,
        **disclosed,
        talking_points=(),
        preparer=preparer(session, client.owner, settings),
        rates=tuple((src, dst, rate) for (src, dst), rate in sorted(rates.items())),
        returns=_returns(
            session,
            client_id,
            dated[: index + 1],
            currency,
            _benchmark(session, client_id, risk.level),
            trend_rates,
            sums.financial,
            flows,
        ),
        cost_gain=cost_gain_total(((h.principal, h.cost_gain) for h in rows), currency),
        maturities_from=basis_date,
        undated_term=_undated_term(basis_rows),
    )
    return _with_talking_points(review)


def _maturities(rows: Iterable[HoldingRow], today: dt.date, window: int) -> tuple[Maturity, ...]:
    """The assets held whose maturity date falls within `window` days of `today`, soonest
    first."""
    return tuple(
        sorted(
            (
                Maturity(
                    h.product_name,
                    h.asset_class,
                    h.institution,
                    h.maturity_date,
                    (h.maturity_date - today).days,
                    h.value,
                    h.currency,
                )
                for h in rows
                if h.status is not HoldingStatus.GONE
                and not h.is_liability
                and h.maturity_date
                and today <= h.maturity_date <= today + dt.timedelta(days=window)
            ),
            key=lambda m: (m.maturity_date, m.product_name),
        )
    )


def _undated_term(rows: Iterable[HoldingRow]) -> tuple[str, ...]:
    """Term products held with no maturity date on record (`TERM_CLASSES`), largest
    first: no maturity window can speak for them."""
    return tuple(
        h.product_name
        for h in sorted(rows, key=lambda h: -(h.value or ZERO))
        if h.status is not HoldingStatus.GONE
        and h.asset_class in TERM_CLASSES
        and h.maturity_date is None
    )


def preparer(session: Session, owner: str | None, settings: Settings) -> Preparer:
    """Who hands a client's pack over. A book file is one manager's: the settings' name and
    telephone. A team book's settings are the whole team's, so the client reads its own
    manager (`owner`) as the team's list has them; with no name on record for them (or no
    manager, or one who has left) neither a name nor a telephone, rather than another
    manager's."""
    if session.get_bind().dialect.name != "postgresql":
        return Preparer(
            settings.bank_name, settings.manager_name, settings.manager_phone, settings.bank_logo
        )
    contact = manager_contact(session, owner)
    if contact is None:
        return Preparer(settings.bank_name, "", "", settings.bank_logo)
    return Preparer(settings.bank_name, contact.full_name, contact.phone or "", settings.bank_logo)


def _benchmark(session: Session, client_id: int, level: ClientRiskLevel | None) -> Benchmark | None:
    """The client's benchmark (book/benchmarks.py) with its levels; None if none is chosen."""
    choice = client_benchmark(session, client_id, level)
    if choice is None:
        return None
    named = [(choice.benchmark, Decimal(choice.weight))]
    if choice.blend is not None:
        named.append((choice.blend, Decimal(100 - choice.weight)))
    levels = series(session, (name for name, _w in named))
    return Benchmark(
        tuple(BenchmarkPart(name, weight / 100, levels.get(name, ())) for name, weight in named)
    )


def _returns(
    session: Session,
    client_id: int,
    dated: list[tuple[int, dt.date]],
    currency: str,
    benchmark: Benchmark | None = None,
    rates: Mapping[int, Mapping[tuple[str, str], Decimal]] | None = None,
    financial: Mapping[int, Mapping[str, Decimal]] | None = None,
    recorded: Iterable[Flow] | None = None,
) -> Returns:
    """The returns up to the review (review/returns.py): the financial assets of each
    snapshot in the report currency, with the client's flows up to the review date.

    A flow without a value in today's report currency (`Flow.value_in`: its rate is to
    the report currency of when it was recorded, and it is not in today's) cannot be
    counted: it is passed on as unvalued, and its period has no return for that reason
    (the reviews' values are whole, and say nothing of a missing rate).
    """
    ids = [sid for sid, _day in dated]
    sums = snapshot_sums(session, ids).financial if financial is None else financial
    if rates is None:
        rates = snapshot_rates(session, ids)
    valued: list[tuple[dt.date, Decimal, set[str]]] = []
    for sid, day in dated:
        totals = report_totals(
            ((cur, False, amount) for cur, amount in sorted(sums.get(sid, {}).items())),
            currency,
            rates.get(sid, {}),
        )
        valued.append((day, totals.assets, set(totals.missing_rates)))
    flows: list[CashFlow] = []
    unvalued: list[UnvaluedFlow] = []
    if recorded is None:
        recorded = client_flows(session, client_id, until=dated[-1][1])
    for flow in recorded:
        value = flow.value_in(currency)
        if value is not None:
            flows.append(CashFlow(flow.flow_date, value))
        else:
            unvalued.append(UnvaluedFlow(flow.flow_date, flow.amount, flow.currency))
    valuations = [Valuation(day, value, tuple(sorted(missing))) for day, value, missing in valued]
    return compute_returns(valuations, flows, currency, benchmark, unvalued)


class _Disclosed(TypedDict):
    """The fields of `Review` that hold what the client may read of the contact log."""

    contacts: tuple[ContactNote, ...]
    next_steps: tuple[NextStep, ...]
    show_contacts: bool
    internal_contacts: int
    internal_next_steps: int


def _disclosed(contacts: Iterable[Contact], today: dt.date, show: bool) -> _Disclosed:
    """What the client may read of the contact log, as Review fields.

    Only contacts and next steps the manager marked shared are copied, so the
    words of an internal note never enter the review object; the manager's
    screen gets counts of what was kept internal.
    """
    known = sorted(
        (c for c in contacts if c.contact_date <= today),
        key=lambda c: (c.contact_date, c.id or 0),
        reverse=True,
    )
    shared = [c for c in known if c.shared]
    open_steps = [c for c in known if next_step_open(c, today)]
    steps = sorted(
        (c for c in open_steps if c.next_step_shared),
        key=lambda c: (
            c.next_step_due is None,
            c.next_step_due or today,
            c.contact_date,
            c.id or 0,
        ),
    )
    return {
        "contacts": tuple(
            ContactNote(c.contact_date, c.channel, c.summary) for c in shared[:LAST_CONTACTS]
        )
        if show
        else (),
        # An open step has a text (`next_step_open`).
        "next_steps": tuple(
            NextStep(
                c.next_step,
                c.next_step_due,
                c.contact_date,
                overdue=step_overdue(c.next_step_due, today),
            )
            for c in steps[:NEXT_STEPS]
            if c.next_step
        )
        if show
        else (),
        "show_contacts": show,
        "internal_contacts": len(known) - len(shared),
        "internal_next_steps": len(open_steps) - len(steps),
    }


def _holdings(session: Session, snapshot_ids: list[int]) -> dict[int, list[Holding]]:
    """The holdings of the snapshots, per snapshot, in the order of their ids (as
    `Snapshot.holdings`)."""
    held: dict[int, list[Holding]] = defaultdict(list)
    for h in session.scalars(
        select(Holding).where(Holding.snapshot_id.in_(snapshot_ids)).order_by(Holding.id)
    ):
        held[h.snapshot_id].append(h)
    return held


def _trend(
    sums: Mapping[int, Mapping[tuple[str, bool], Decimal]],
    ids: list[int],
    dates: Mapping[int, dt.date],
    currency: str,
    rates: Mapping[int, Mapping[tuple[str, str], Decimal]],
) -> tuple[TrendPoint, ...]:
    points = []
    for sid in ids:
        totals = report_totals(
            ((cur, loan, amount) for (cur, loan), amount in sorted(sums.get(sid, {}).items())),
            currency,
            rates.get(sid, {}),
        )
        points.append(
            TrendPoint(dates[sid], totals.assets, totals.liabilities, totals.missing_rates)
        )
    return tuple(points)


def _totals(point: TrendPoint) -> Totals:
    return Totals(point.review_date, point.assets, point.liabilities, point.missing_rates)


def _key_position(h: Holding) -> tuple[object, ...] | None:
    """The same position of the same product: its account number, or without one the day
    it was first held. A client often has several of one product at one bank (time
    deposits opened on different days, two current accounts)."""
    if h.account_number:
        return (*_key_exact(h), "account", h.account_number)
    if h.held_since:
        return (*_key_exact(h), "since", h.held_since)
    return None


def _key_exact(h: Holding) -> tuple[str | None, ...]:
    if h.product_code:
        return ("code", h.product_code, h.institution, h.currency)
    return ("name", h.product_name, h.institution, h.currency)


def _key_loose(h: Holding) -> tuple[str | None, ...]:
    if h.product_code:
        return ("code", h.product_code)
    return ("name", h.product_name, h.institution, h.currency)


def match_holdings(
    current: list[Holding], previous: list[Holding], since: dt.date | None = None
) -> tuple[list[tuple[Holding, Holding | None]], list[Holding]]:
    """Pairs (current, previous or None) and the previous holdings left unmatched.

    Holdings are the same product by code (else name, institution and currency); the
    same position of it (account number, else the day first held) is matched first,
    then the same institution and currency, then the code alone. Paired by the product
    alone, a client's two current accounts at one bank, one closed since, read as the
    other having lost half its value.

    Past the same position, two holdings are never paired when they cannot be one
    position: both have account numbers and they differ, or the current one was first
    held after the previous review (`since`). Found: a certificate of deposit that
    matured and was replaced by another of the same product read "moved +31.7% since
    the last review", the new money put into the new one.
    """
    pairs: dict[int, Holding] = {}
    left = list(previous)
    keys: tuple[Callable[[Holding], tuple[object, ...] | None], ...] = (
        _key_position,
        _key_exact,
        _key_loose,
    )
    for key in keys:
        pool: dict[tuple[object, ...], list[Holding]] = defaultdict(list)
        for h in left:
            found = key(h)
            if found is not None:
                pool[found].append(h)
        for i, h in enumerate(current):
            if i in pairs:
                continue
            found = key(h)
            candidates = pool.get(found) if found is not None else None
            if not candidates:
                continue
            if key is not _key_position:
                if h.held_since is not None and since is not None and h.held_since > since:
                    continue  # first held after the previous review: a new position
                match = next((c for c in candidates if _may_be_one(h, c)), None)
                if match is not None:
                    candidates.remove(match)
                    pairs[i] = match
            else:
                pairs[i] = candidates.pop(0)
        taken = {id(h) for h in pairs.values()}
        left = [h for h in left if id(h) not in taken]
    return [(h, pairs.get(i)) for i, h in enumerate(current)], left


def _may_be_one(now: Holding, before: Holding) -> bool:
    """Whether two holdings of one product may be one position: not when each has an
    account number and they differ."""
    return not (now.account_number and before.account_number) or (
        now.account_number == before.account_number
    )


def _value(h: Holding, currency: str, rates: Rates) -> Decimal | None:
    try:
        return to_report(h.market_value, h.currency, currency, rates)
    except MissingRate:
        return None


def _change(now: Decimal | None, before: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    if now is None or before is None:
        return None, None
    change = now - before
    return change, (change / before if before else None)


def _above(h: Holding, risk: RiskProfile) -> bool:
    """Whether a holding's product risk rating is above the client's level: both known,
    and an asset (a loan is owed, not an investment the client's level speaks of, as
    `Review.judged` has it; found: a mortgage recorded with a rating of R5 read "住房按揭
    (R5) is above the client's risk level" among the key points)."""
    return bool(
        not h.asset_class.is_liability
        and h.risk_level
        and risk.level
        and h.risk_level.rank > risk.level.rank
    )


def _flow_key(text: str | None) -> str:
    """A holding's name, code or institution as a flow's "holding or institution" is
    compared with it: case and spacing aside."""
    return " ".join((text or "").split()).casefold()


def _flowed(
    flows: Iterable[Flow], since: dt.date | None, until: dt.date
) -> Callable[[Holding], bool]:
    """Whether money is recorded as flowing into or out of a holding in the period from
    `since` (the previous review) to `until`: a flow of the period whose "holding or
    institution" names the holding, its product code or, held elsewhere, its institution."""
    named = {
        key
        for flow in flows
        if in_period(flow.flow_date, since, until) and (key := _flow_key(flow.holding))
    }

    def against(h: Holding) -> bool:
        keys = {_flow_key(h.product_name), _flow_key(h.product_code)}
        if h.institution is not None:
            keys.add(_flow_key(h.institution))
        return bool(named & (keys - {""}))

    return against


def _holding_rows(
    current: list[Holding],
    previous: list[Holding] | None,
    now_rates: Rates,
    before_rates: Rates,
    currency: str,
    risk: RiskProfile,
    since: dt.date | None = None,
    flowed: Callable[[Holding], bool] = lambda _h: False,
) -> list[HoldingRow]:
    """The current snapshot's holdings beside the previous one's (None: no previous
    snapshot, else of the review of `since`), each valued at its own snapshot's rates.
    `flowed`: whether flows of the period are recorded against a holding."""
    pairs, gone = match_holdings(current, previous or [], since)
    rows = []
    for h, before in pairs:
        value = _value(h, currency, now_rates)
        if previous is None:
            status, prev_value = HoldingStatus.FIRST, None
        elif before is None:
            status, prev_value = HoldingStatus.NEW, ZERO
        else:
            status, prev_value = HoldingStatus.KEPT, _value(before, currency, before_rates)
        change, pct = _change(value, prev_value)
        principal, cost_gain = _principal(h, status, currency, now_rates)
        rows.append(
            HoldingRow(
                h.product_name,
                h.product_code,
                h.asset_class,
                h.institution,
                h.currency,
                h.market_value,
                value,
                prev_value,
                change,
                pct,
                h.held_since,
                h.maturity_date,
                h.risk_level,
                status,
                _above(h, risk),
                principal,
                cost_gain,
                before is not None
                and moved_by_client(h.asset_class, h.principal, before.principal, flowed(h)),
            )
        )
    for h in gone:
        prev_value = _value(h, currency, before_rates)
        change = -prev_value if prev_value is not None else None
        rows.append(
            HoldingRow(
                h.product_name,
                h.product_code,
                h.asset_class,
                h.institution,
                h.currency,
                ZERO,
                ZERO,
                prev_value,
                change,
                Decimal(-1) if prev_value else None,
                h.held_since,
                h.maturity_date,
                h.risk_level,
                HoldingStatus.GONE,
                False,
                _principal(h, HoldingStatus.GONE, currency, before_rates)[0],
            )
        )
    return rows


def _principal(
    h: Holding, status: HoldingStatus, currency: str, rates: Rates
) -> tuple[Converted | None, Converted | None]:
    """The holding's principal and its gain against it (review/cost_gain.py)."""
    return principal_and_gain(
        h.principal, h.market_value, h.currency, h.asset_class, status, currency, rates
    )


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


def _shown_sum(values: Iterable[Decimal | None], currency: str) -> Decimal:
    """The sum of amounts each rounded as every face shows it (money.round_money)."""
    return _sum(round_money(v, currency) for v in values if v is not None)


def _shown_subtotal(values: Iterable[Decimal | None], currency: str) -> Decimal | None:
    """`_shown_sum` of a group's rows; None (shown "—") when no row has an amount: a class
    whose only holding cannot be valued (no exchange rate) read "Bond 0.00"."""
    known = [v for v in values if v is not None]
    return _shown_sum(known, currency) if known else None


def _groups(rows: list[HoldingRow], compared: bool, currency: str) -> tuple[HoldingGroup, ...]:
    """Holdings by asset class. A subtotal adds up its rows as they are shown (each
    rounded to the smallest unit of `currency`), so the pack, the review page and
    present mode print the same subtotal and it is the sum of the rows printed."""
    by_class: dict[AssetClass, list[HoldingRow]] = defaultdict(list)
    for row in rows:
        by_class[row.asset_class].append(row)
    groups = []
    for asset_class in sorted(by_class, key=lambda c: (c.is_liability, CLASS_ORDER[c])):
        members = sorted(
            by_class[asset_class],
            key=lambda h: (h.status is HoldingStatus.GONE, -(h.value or ZERO), h.product_name),
        )
        total = _shown_subtotal((h.value for h in members), currency)
        previous_total: Decimal | None
        change: Decimal | None
        pct: Decimal | None
        if compared:
            previous_total = _shown_subtotal((h.previous_value for h in members), currency)
            change = _shown_subtotal((h.change for h in members), currency)
            pct = _kept_change_pct(members, currency)
        else:
            previous_total = change = pct = None
        groups.append(HoldingGroup(asset_class, tuple(members), total, previous_total, change, pct))
    return tuple(groups)


def _kept_change_pct(members: Iterable[HoldingRow], currency: str) -> Decimal | None:
    """A class's change as a share, over its holdings held at both reviews with both
    values known, as a row's own percentage is (`HoldingRow.shown_change_pct`): money put
    into a new holding or taken out of one sold is not a change of the class's value (a
    new deposit read +206.9%, a matured bond -100.0%). None when no such holding."""
    kept = [h for h in members if counts_in_change_pct(h)]
    if not kept:
        return None
    before = _shown_sum((h.previous_value for h in kept), currency)
    change = _shown_sum((h.change for h in kept), currency)
    return change / before if before else None


def _allocation(rows: list[HoldingRow], total_assets: Decimal) -> Allocation:
    """Shares of the exact sum; the total stated is the review's total assets (the
    same rounded figure as the summary, whatever the order the values are added in)."""
    assets = [(h, amount) for h in rows if not h.is_liability and (amount := h.value)]
    total = _sum(amount for _, amount in assets)
    by_class: dict[object, tuple[str, Decimal]] = {}
    for h, amount in assets:
        label, value = by_class.get(h.asset_class, (h.asset_class.label, ZERO))
        by_class[h.asset_class] = (label, value + amount)
    # A home is held by the client, not at an institution: counted with "other
    # institutions", a client's own house read as 65 points of an 87.4% held elsewhere.
    owned = _sum(amount for h, amount in assets if h.asset_class is AssetClass.PROPERTY)
    here = _sum(
        amount
        for h, amount in assets
        if h.at_this_bank and h.asset_class is not AssetClass.PROPERTY
    )
    by_currency: dict[object, tuple[str, Decimal]] = {}
    for h, amount in assets:
        by_currency[h.currency] = (h.currency, by_currency.get(h.currency, ("", ZERO))[1] + amount)
    return Allocation(
        allocation_slices(by_class, total),
        place_slices(here, total - here - owned, owned),
        total_assets,
        allocation_slices(by_currency, total),
    )


def _age(birthday: dt.date | None, on: dt.date) -> int | None:
    if birthday is None:
        return None
    return on.year - birthday.year - ((on.month, on.day) < (birthday.month, birthday.day))


def _suitability(
    risk: RiskProfile, rows: list[HoldingRow]
) -> tuple[Suitability, tuple[AssessmentNeed, ...]]:
    """Whether the holdings can be judged, and those that need a valid assessment."""
    if risk.is_valid:
        status = Suitability.ASSESSED
    elif risk.state is AssessmentState.EXPIRED:
        status = Suitability.EXPIRED
    else:
        status = Suitability.NO_ASSESSMENT
    needs = tuple(
        AssessmentNeed(h.product_name, h.asset_class, h.risk_level, h.value, h.above_client_level)
        for h in sorted(
            rows,
            key=lambda h: (
                -h.risk_level.rank if h.risk_level else 0,
                -(h.value or ZERO),
                h.product_name,
            ),
        )
        if h.status is not HoldingStatus.GONE
        and not h.is_liability
        and h.risk_level
        and h.risk_level.rank >= NEEDS_ASSESSMENT_FROM.rank
    )
    return status, needs


def _rules(settings: Settings, currency: str, rates: Rates) -> InsuranceRules:
    """The rules from the settings, their fixed amounts converted into `currency`."""

    def fixed(key: str) -> Converted:
        return _converted(settings.get(key), settings.amount_currency(key), currency, rates)

    return InsuranceRules(
        life_income_multiple=settings.life_cover_income_multiple,
        life_includes_debt=settings.life_cover_includes_debt,
        education_per_child=fixed("education_cost_per_child"),
        critical_illness_income_multiple=settings.critical_illness_income_multiple,
        accident_income_multiple=settings.accident_cover_income_multiple,
        medical_minimum=fixed("medical_cover_minimum"),
        premium_income_share=settings.premium_income_share,
    )


def _needs(
    income: Decimal | None, rules: InsuranceRules, extra_life: Decimal | None
) -> dict[PolicyKind, Decimal | None]:
    """The need per kind; None where no rule applies or where an amount it rests on is not
    known (`income` or `extra_life` None: not recorded, or not convertible): a need is
    left out, never guessed."""
    earned = income if income is not None and income > 0 else None
    life = None
    if income is not None and extra_life is not None:
        life = rules.life_income_multiple * income + extra_life
    medical = rules.medical_minimum.value
    return {
        PolicyKind.LIFE: life if life is not None and life > 0 else None,
        PolicyKind.CRITICAL_ILLNESS: rules.critical_illness_income_multiple * earned
        if earned is not None
        else None,
        PolicyKind.MEDICAL: medical if medical is not None and medical > 0 else None,
        PolicyKind.ACCIDENT: rules.accident_income_multiple * earned
        if earned is not None
        else None,
    }


def _unvalued_debts(rows: Iterable[HoldingRow]) -> tuple[str, ...]:
    """The currencies of the liabilities held whose value could not be converted into the
    report currency (no rate in the snapshot), in the order they come."""
    return tuple(
        dict.fromkeys(
            h.currency
            for h in rows
            if h.is_liability and h.status is not HoldingStatus.GONE and h.value is None
        )
    )


def _income(
    amount: Decimal | None, income_currency: str | None, currency: str, rates: Rates
) -> Converted | None:
    """An income as recorded (no currency: the report currency, as incomes were read
    before they had one), converted; None when no income is recorded."""
    if amount is None:
        return None
    return _converted(amount, income_currency or currency, currency, rates)


@dataclass
class _Held:
    """The policies in force of one kind on one person, summed in the report currency;
    `cover_known`/`premiums_known` False when one of them was left out for want of a rate,
    `premiums_known` False also when one still paying has no premium on record."""

    cover: Decimal = ZERO
    premiums: Decimal = ZERO
    policies: int = 0
    cover_known: bool = True
    premiums_known: bool = True


def _insurance(
    client: Client,
    on: dt.date,
    rates: Rates,
    currency: str,
    liabilities: Decimal,
    rules: InsuranceRules,
    unvalued_debts: tuple[str, ...] = (),
) -> Insurance:
    """The cover and needs on `on`. `liabilities`: the debts valued in `currency`;
    `unvalued_debts`: the currencies of debts held that could not be (no rate), so the
    debts, and with them the client's life need when it includes them, are not known."""
    cover: dict[tuple[int | None, PolicyKind], _Held] = defaultdict(_Held)
    left_out: list[LeftOut] = []

    def leave_out(item: LeftOut) -> None:
        if item not in left_out:
            left_out.append(item)

    def unit(amount: Decimal) -> Decimal:
        # To the smallest unit of the currency, as printed, so that a gap is the need
        # printed less the cover printed (in yen: 300,010 - 100,001 read 200,010); kept to
        # the cent, so a review whose amounts were whole units is the same review.
        return quantize(round_money(amount, currency))

    total_cover = total_premiums = ZERO
    premiums_converted = True
    unrecorded_premiums = 0
    member_ids = {m.id for m in client.family}
    for p in client.policies:
        amounts = PolicyTerms(
            p.currency, p.sum_assured, p.annual_premium, p.payment_years, p.start_date, p.end_date
        ).held_on(on)
        if amounts is None:
            continue
        who = p.insured_member_id if p.insured_member_id in member_ids else None
        entry = cover[(who, p.kind)]
        entry.policies += 1
        if amounts[1] is None:
            # Paying a premium not on record: the premiums are those on record, and the
            # premium guide is not judged (`Insurance.unrecorded_premiums`).
            unrecorded_premiums += 1
            entry.premiums_known = False
        try:
            sum_assured = to_report(amounts[0], p.currency, currency, rates)
            premium = to_report(amounts[1] or ZERO, p.currency, currency, rates)
        except MissingRate:
            # Its cover is not known, so neither is this person's cover of this kind nor
            # its gap; a premium paid not known leaves the premium guide unjudged.
            leave_out(LeftOut(LeftOutKind.POLICIES, p.currency))
            entry.cover_known = False
            if amounts[1]:
                entry.premiums_known = premiums_converted = False
            continue
        entry.cover += sum_assured
        entry.premiums += premium
        total_cover += sum_assured
        total_premiums += premium

    medical = rules.medical_minimum
    if medical.missing and medical.amount > 0:
        leave_out(LeftOut(LeftOutKind.MEDICAL_MINIMUM, medical.currency))
    # A child whose age is not recorded is not counted (the rules' sentences say so): the
    # need stays a floor (found: a grown son with no birthday added an education need).
    children = [
        m
        for m in client.family
        if m.relation in CHILDREN
        and (age := _age(m.birthday, on)) is not None
        and age < EDUCATION_AGE
    ]
    per_child = rules.education_per_child
    # With a child's age not on record, the client's life need leaves out an education that
    # may be due: a cover that meets it is not known to meet the whole need.
    ageless_child = bool(per_child.amount) and any(
        m.relation in CHILDREN and m.birthday is None for m in client.family
    )
    if not children or not per_child.amount:
        education: Decimal | None = ZERO
    elif per_child.value is None:  # missing: no rate for its currency
        education = None
        leave_out(LeftOut(LeftOutKind.EDUCATION, per_child.currency))
    else:
        education = per_child.value * len(children)
    debt: Decimal | None = liabilities if rules.life_includes_debt else ZERO
    if rules.life_includes_debt and unvalued_debts:
        # A debt left out of the liabilities for want of a rate is not a debt of 0: the
        # client's life need is not known (found: a CNY 3,000,000 mortgage with no rate to
        # the report currency USD was left out of the need, and life cover read "Covered").
        debt = None
        for code in unvalued_debts:
            leave_out(LeftOut(LeftOutKind.DEBTS, code))
    people = []
    subjects = [
        (None, client.name, None, client.annual_income, client.income_currency, client.birthday)
    ] + [
        (m.id, m.name, m.relation, m.annual_income, m.income_currency, m.birthday)
        for m in client.family
    ]
    household: Decimal | None = ZERO
    for who, name, relation, recorded, income_currency, birthday in subjects:
        income = _income(recorded, income_currency, currency, rates)
        value = ZERO if income is None else income.value
        if income is not None and value is None:  # missing: no rate for its currency
            leave_out(LeftOut(LeftOutKind.INCOME, income.currency, name))
            household = None
        elif household is not None and value is not None:
            household += value
        if who is None:
            extra = None if education is None or debt is None else education + debt
        else:
            extra = ZERO
        needs = _needs(value, rules, extra)
        covers = []
        for kind in PolicyKind:
            held = cover.get((who, kind))
            need = needs.get(kind)
            if held is None and need is None:
                continue
            if held is None:
                held = _Held()
            covers.append(
                Cover(
                    kind,
                    unit(held.cover) if held.cover_known else None,
                    unit(need) if need is not None else None,
                    unit(held.premiums) if held.premiums_known else None,
                    held.policies,
                    # The client's life need is the part known (debts, education) when
                    # the income it rests on is not recorded, as when a child's age is not:
                    # a floor (found: no income on record, "Life cover 500,000.00, need
                    # 300,000.00, Covered", the need being the debts alone).
                    need_floor=who is None
                    and kind is PolicyKind.LIFE
                    and (ageless_child or income is None),
                )
            )
        people.append(
            InsuredPerson(
                name,
                relation,
                _age(birthday, on),
                None if income is None else income.value,
                tuple(covers),
                education_need=education if who is None else ZERO,
                debt_need=debt if who is None else ZERO,
                income=income,
                member_id=who,
            )
        )
    missing = tuple(dict.fromkeys(item.currency for item in left_out))
    limit = None if household is None else unit(household * rules.premium_income_share)
    insurance = Insurance(
        rules,
        tuple(people),
        household,
        unit(total_cover),
        unit(total_premiums),
        limit,
        missing,
        tuple(left_out),
        premiums_converted=premiums_converted,
        unrecorded_premiums=unrecorded_premiums,
    )
    if not insurance.client_income_recorded or insurance.unrecorded_spouses:
        # The household's income is not known, not nil: a premium paid read as "above
        # the planned share" of an income of 0 when no one's was recorded. Nor is it the
        # family's alone while the client's own is not recorded (found: "household income"
        # was the spouse's, and the premiums were judged against it), nor the client's
        # alone while a spouse's is not; an income of 0 says "none".
        return replace(insurance, household_income=None, premium_limit=None)
    if not insurance.premiums_complete:
        # The premiums known alone are not judged against the guide (found: "0.6% of
        # household income" with a USD policy's premium left out, or a premium not on
        # record taken as 0).
        return replace(insurance, premium_limit=None)
    return insurance


def _with_talking_points(review: Review) -> Review:
    """Compliance first (no or expired assessment, holdings above the level), then
    maturities, gaps, moves and premiums; the cap never drops a compliance point."""
    compliance: list[TalkingPoint] = []
    names = tuple(n.product_name for n in review.needs_assessment)
    if review.suitability_status is Suitability.NO_ASSESSMENT:
        compliance.append(TalkingPoint(PointKind.NO_ASSESSMENT, names=names))
    elif review.suitability_status is Suitability.EXPIRED:
        compliance.append(TalkingPoint(PointKind.EXPIRED, when=review.risk.expired_on, names=names))
    if review.suitability:
        f = review.suitability[0]
        compliance.append(
            TalkingPoint(
                PointKind.SUITABILITY,
                f.product_name,
                f.value,
                detail=f.risk_level.value,
                variant="" if review.suitability_status.can_assess else "expired",
                # Every holding above the level, when there are several (largest first).
                names=(
                    tuple(h.product_name for h in review.suitability)
                    if len(review.suitability) > 1
                    else ()
                ),
            )
        )
    # Named in every assessment state: found, with no assessment or an expired one, a fund
    # recorded without its rating was never named and the client read that nothing held
    # was rated R2 or above.
    if review.unrated:
        compliance.append(TalkingPoint(PointKind.UNRATED, names=review.unrated))
    others: list[TalkingPoint] = []
    if review.maturities:
        m = review.maturities[0]
        others.append(
            TalkingPoint(
                PointKind.MATURITY,
                m.product_name,
                m.value,
                m.maturity_date,
                variant="no_rate" if m.value is None else "",
                held_currency=m.currency,
            )
        )
    # No gap is a point while an insurance product is held with no policy on record: the
    # cover it gives is not known (found: "吴怡：寿险保额距需求尚差 960.82万 CNY。" beside
    # a whole-life policy's cash value on the holdings page).
    gaps = [
        (c.gap, p.name, c.kind)
        for p in review.insurance.people
        for c in p.covers
        if c.gap and c.gap > 0 and not review.insurance.unrecorded_policies
    ]
    if gaps:
        gap, name, kind = max(gaps, key=lambda g: g[0])
        others.append(TalkingPoint(PointKind.GAP, name, gap, detail=kind.label))
    # A holding's move is news when the market made it, not when the client may have made
    # it (`moved_by_client`): a fund topped up by half read "moved +50% since the last
    # review", a current account topped up "+300.0%".
    moves = [
        (h, change)
        for h in review.holdings
        if h.status is HoldingStatus.KEPT
        and not h.client_moved
        and h.change_pct is not None
        and abs(h.change_pct) >= LARGE_MOVE
        and (change := h.change)
    ]
    if moves:
        h, change = max(moves, key=lambda move: abs(move[1]))
        others.append(TalkingPoint(PointKind.MOVE, h.product_name, change, ratio=h.change_pct))
    if review.insurance.premiums_over_limit:
        others.append(
            TalkingPoint(
                PointKind.PREMIUMS,
                amount=review.insurance.total_premiums,
                ratio=review.insurance.rules.premium_income_share,
            )
        )
    benchmark = _benchmark_point(review.returns)
    if benchmark is not None:
        others.append(benchmark)
    room = max(0, TALKING_POINTS - len(compliance))
    return replace(review, talking_points=tuple(compliance + others[:room]))


def _benchmark_point(returns: Returns | None) -> TalkingPoint | None:
    """The time-weighted return well below or above the benchmark's (BENCHMARK_GAP), on
    the first of BENCHMARK_SPANS where both figures exist; none where either is missing,
    nor where no return is given at all (`Returns.flows_recorded`, the rule of the
    Performance page: without a recorded flow, new money is counted as the market's)."""
    if returns is None or returns.benchmark_name is None or not returns.flows_recorded:
        return None
    for which in BENCHMARK_SPANS:
        span = returns.span(which)
        if span is None or span.twr is None or span.benchmark is None:
            continue
        gap = span.twr - span.benchmark
        if abs(gap) < BENCHMARK_GAP:
            return None
        return TalkingPoint(
            PointKind.BENCHMARK,
            returns.benchmark_name,
            ratio=span.twr,
            other=span.benchmark,
            detail=which.label,
            variant="above" if gap > 0 else "below",
        )
    return None
