"""Building the review object for one client and one review date.

The caller owns the session; this module only reads. Only the two snapshots
compared are loaded with their holdings; the trend is summed in SQL, so a
client with years of monthly reviews costs the same as a new one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from reviewdesk.book.enums import AssetClass, PolicyKind, Relation
from reviewdesk.book.errors import NotFound
from reviewdesk.book.models import Client, Contact, Holding, Snapshot
from reviewdesk.book.queries import snapshot_rates, snapshot_totals
from reviewdesk.i18n import N_
from reviewdesk.money import quantize
from reviewdesk.review.cadence import add_months
from reviewdesk.review.contacts import next_step_open
from reviewdesk.review.model import (
    Allocation,
    ClientInfo,
    ContactNote,
    Cover,
    FamilyDetail,
    HoldingGroup,
    HoldingRow,
    HoldingStatus,
    Insurance,
    InsuranceRules,
    InsuredPerson,
    Maturity,
    NextStep,
    PointKind,
    Preparer,
    Review,
    RiskProfile,
    Slice,
    SuitabilityFlag,
    TalkingPoint,
    Totals,
    TrendPoint,
)
from reviewdesk.review.valuation import MissingRate, to_report

ZERO = Decimal(0)
CLASS_ORDER = {c: i for i, c in enumerate(AssetClass)}
EDUCATION_AGE = 22
LAST_CONTACTS = 5
NEXT_STEPS = 5
TALKING_POINTS = 4
LARGE_MOVE = Decimal("0.05")


class NoSnapshot(NotFound):
    """No snapshot on the asked date; names the dates there are."""

    def __init__(self, client_name: str, wanted: dt.date | None, dates: Iterable[dt.date]):
        self.dates = tuple(dates)
        listed = ", ".join(d.isoformat() for d in self.dates) or "none"
        if wanted is None:
            message = f"client {client_name!r} has no snapshot yet"
        else:
            message = (f"date {wanted.isoformat()}: client {client_name!r} has no snapshot "
                       f"on that date; snapshots: {listed}")
        super().__init__(message)


def snapshot_dates(session: Session, client_id: int) -> list[tuple[int, dt.date]]:
    """(snapshot id, review date) of a client, oldest first."""
    return [tuple(r) for r in session.execute(
        select(Snapshot.id, Snapshot.review_date)
        .where(Snapshot.client_id == client_id).order_by(Snapshot.review_date))]


def build_review(session: Session, client_id: int, review_date: dt.date | None = None, *,
                 settings, today: dt.date) -> Review:
    """The review of `client_id` at `review_date` (default: the latest snapshot).

    Holdings and totals are those of the snapshot; expiry, maturities and
    contacts are judged from `today` (the day of the meeting).
    """
    client = session.scalar(
        select(Client).where(Client.id == client_id).options(
            selectinload(Client.family), selectinload(Client.policies),
            selectinload(Client.assessments), selectinload(Client.contacts)))
    if client is None:
        raise NotFound(f"client {client_id}: no such client")
    dated = snapshot_dates(session, client_id)
    if not dated:
        raise NoSnapshot(client.name, None, ())
    if review_date is None:
        index = len(dated) - 1
    else:
        index = next((i for i, (_, d) in enumerate(dated) if d == review_date), None)
        if index is None:
            raise NoSnapshot(client.name, review_date, (d for _, d in dated))
    current_id, current_date = dated[index]
    previous_id, previous_date = dated[index - 1] if index else (None, None)
    snapshots = {s.id: s for s in session.scalars(
        select(Snapshot).where(Snapshot.id.in_([i for i in (current_id, previous_id) if i]))
        .options(selectinload(Snapshot.holdings), selectinload(Snapshot.rates)))}
    currency = client.report_currency

    trend = _trend(session, [sid for sid, _ in dated[:index + 1]], dict(dated), currency)
    current_totals = _totals(trend[-1])
    previous_totals = _totals(trend[-2]) if index else None

    current = snapshots[current_id]
    previous = snapshots.get(previous_id)
    risk = _risk_profile(client, today, settings.assessment_validity_months)
    rows = _holding_rows(current, previous, currency, risk)
    groups = _groups(rows, previous is not None)
    rates = _rates(current)
    insurance = _insurance(client, current_date, rates, currency, current_totals.liabilities,
                           _rules(settings))
    suitability = tuple(
        SuitabilityFlag(h.product_name, h.asset_class, h.risk_level, risk.level, h.value)
        for h in sorted((h for h in rows if h.above_client_level),
                        key=lambda h: -(h.value or ZERO)))
    window = settings.maturity_window_days
    maturities = tuple(sorted(
        (Maturity(h.product_name, h.asset_class, h.institution, h.maturity_date,
                  (h.maturity_date - today).days, h.value)
         for h in rows
         if h.status is not HoldingStatus.GONE and not h.is_liability and h.maturity_date
         and today <= h.maturity_date <= today + dt.timedelta(days=window)),
        key=lambda m: (m.maturity_date, m.product_name)))
    disclosed = _disclosed(client.contacts, today, settings.pack_show_contacts)

    review = Review(
        client=ClientInfo(
            id=client.id, code=client.code, name=client.name, language=client.language,
            report_currency=currency, cadence=client.effective_cadence,
            annual_income=client.annual_income,
            family=tuple(FamilyDetail(m.name, m.relation, _age(m.birthday, current_date),
                                      m.school_or_employer) for m in client.family)),
        review_date=current_date, previous_date=previous_date, today=today,
        currency=currency, current=current_totals, previous=previous_totals,
        groups=groups, allocation=_allocation(rows), trend=trend, insurance=insurance,
        risk=risk, suitability=suitability, maturities=maturities,
        maturity_window_days=window, **disclosed, talking_points=(),
        preparer=Preparer(settings.bank_name, settings.manager_name, settings.manager_phone,
                          settings.bank_logo),
    )
    return _with_talking_points(review)


def _disclosed(contacts: Iterable[Contact], today: dt.date, show: bool) -> dict:
    """What the client may read of the contact log, as Review fields.

    Only contacts and next steps the manager marked shared are copied, so the
    words of an internal note never enter the review object; the manager's
    screen gets counts of what was kept internal.
    """
    known = sorted((c for c in contacts if c.contact_date <= today),
                   key=lambda c: (c.contact_date, c.id or 0), reverse=True)
    shared = [c for c in known if c.shared]
    open_steps = [c for c in known if next_step_open(c, today)]
    steps = sorted((c for c in open_steps if c.next_step_shared),
                   key=lambda c: (c.next_step_due is None, c.next_step_due or today,
                                  c.contact_date, c.id or 0))
    return {
        "contacts": tuple(ContactNote(c.contact_date, c.channel, c.summary)
                          for c in shared[:LAST_CONTACTS]) if show else (),
        "next_steps": tuple(NextStep(c.next_step, c.next_step_due, c.contact_date)
                            for c in steps[:NEXT_STEPS]) if show else (),
        "show_contacts": show,
        "internal_contacts": len(known) - len(shared),
        "internal_next_steps": len(open_steps) - len(steps),
    }


def _rates(snapshot: Snapshot) -> dict[tuple[str, str], Decimal]:
    return {(r.from_currency, r.to_currency): r.rate for r in snapshot.rates}


def _trend(session: Session, ids: list[int], dates: Mapping[int, dt.date],
           currency: str) -> tuple[TrendPoint, ...]:
    sums = snapshot_totals(session, ids)
    rates = snapshot_rates(session, ids)
    points = []
    for sid in ids:
        assets = liabilities = ZERO
        missing: list[str] = []
        for (cur, loan), amount in sorted(sums.get(sid, {}).items()):
            try:
                value = to_report(amount, cur, currency, rates.get(sid, {}))
            except MissingRate:
                if cur not in missing:
                    missing.append(cur)
                continue
            if loan:
                liabilities += value
            else:
                assets += value
        points.append(TrendPoint(dates[sid], quantize(assets), quantize(liabilities),
                                 tuple(missing)))
    return tuple(points)


def _totals(point: TrendPoint) -> Totals:
    return Totals(point.review_date, point.assets, point.liabilities, point.missing_rates)


def _key_exact(h: Holding) -> tuple:
    if h.product_code:
        return ("code", h.product_code, h.institution, h.currency)
    return ("name", h.product_name, h.institution, h.currency)


def _key_loose(h: Holding) -> tuple:
    if h.product_code:
        return ("code", h.product_code)
    return ("name", h.product_name, h.institution, h.currency)


def match_holdings(current: list[Holding], previous: list[Holding]
                   ) -> tuple[list[tuple[Holding, Holding | None]], list[Holding]]:
    """Pairs (current, previous or None) and the previous holdings left unmatched.

    Holdings are the same product by code (else name, institution and
    currency); an exact match (same institution and currency) is preferred.
    """
    pairs: dict[int, Holding] = {}
    left = list(previous)
    for key in (_key_exact, _key_loose):
        pool: dict[tuple, list[Holding]] = defaultdict(list)
        for h in left:
            pool[key(h)].append(h)
        for i, h in enumerate(current):
            if i in pairs:
                continue
            candidates = pool.get(key(h))
            if candidates:
                pairs[i] = candidates.pop(0)
        taken = {id(h) for h in pairs.values()}
        left = [h for h in left if id(h) not in taken]
    return [(h, pairs.get(i)) for i, h in enumerate(current)], left


def _value(h: Holding, currency: str, rates) -> Decimal | None:
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
    return bool(h.risk_level and risk.level and h.risk_level.rank > risk.level.rank)


def _holding_rows(current: Snapshot, previous: Snapshot | None, currency: str,
                  risk: RiskProfile) -> list[HoldingRow]:
    now_rates = _rates(current)
    pairs, gone = match_holdings(list(current.holdings),
                                 list(previous.holdings) if previous else [])
    before_rates = _rates(previous) if previous else {}
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
        rows.append(HoldingRow(
            h.product_name, h.product_code, h.asset_class, h.institution, h.currency,
            h.market_value, value, prev_value, change, pct, h.held_since, h.maturity_date,
            h.risk_level, status, _above(h, risk)))
    for h in gone:
        prev_value = _value(h, currency, before_rates)
        change = -prev_value if prev_value is not None else None
        rows.append(HoldingRow(
            h.product_name, h.product_code, h.asset_class, h.institution, h.currency,
            ZERO, ZERO, prev_value, change, Decimal(-1) if prev_value else None,
            h.held_since, h.maturity_date, h.risk_level, HoldingStatus.GONE, False))
    return rows


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


def _groups(rows: list[HoldingRow], compared: bool) -> tuple[HoldingGroup, ...]:
    by_class: dict[AssetClass, list[HoldingRow]] = defaultdict(list)
    for row in rows:
        by_class[row.asset_class].append(row)
    groups = []
    for asset_class in sorted(by_class, key=lambda c: (c.is_liability, CLASS_ORDER[c])):
        members = sorted(by_class[asset_class], key=lambda h: (
            h.status is HoldingStatus.GONE, -(h.value or ZERO), h.product_name))
        total = quantize(_sum(h.value for h in members))
        if compared:
            previous_total = quantize(_sum(h.previous_value for h in members))
            change, pct = _change(total, previous_total)
        else:
            previous_total = change = pct = None
        groups.append(HoldingGroup(asset_class, tuple(members), total, previous_total,
                                   change, pct))
    return tuple(groups)


def _slices(values: dict[object, tuple[str, Decimal]], total: Decimal) -> tuple[Slice, ...]:
    ordered = sorted(values.items(), key=lambda kv: (-kv[1][1], str(kv[0])))
    return tuple(Slice(key, label, quantize(value), value / total if total else ZERO)
                 for key, (label, value) in ordered if value > 0)


def _allocation(rows: list[HoldingRow]) -> Allocation:
    assets = [h for h in rows if not h.is_liability and h.value]
    total = _sum(h.value for h in assets)
    by_class: dict[object, tuple[str, Decimal]] = {}
    for h in assets:
        label, value = by_class.get(h.asset_class, (h.asset_class.label, ZERO))
        by_class[h.asset_class] = (label, value + h.value)
    here = _sum(h.value for h in assets if h.at_this_bank)
    by_place = {Allocation.THIS_BANK: (N_("This bank"), here),
                Allocation.OTHER: (N_("Other institutions"), total - here)}
    return Allocation(_slices(by_class, total), _slices(by_place, total), quantize(total))


def _age(birthday: dt.date | None, on: dt.date) -> int | None:
    if birthday is None:
        return None
    return on.year - birthday.year - ((on.month, on.day) < (birthday.month, birthday.day))


def _risk_profile(client: Client, today: dt.date, months: int) -> RiskProfile:
    done = [a for a in client.assessments if a.assessed_on <= today]
    if not done:
        return RiskProfile(None, None, None, True, months)
    latest = max(done, key=lambda a: (a.assessed_on, a.id or 0))
    valid_until = min(latest.valid_until, add_months(latest.assessed_on, months))
    return RiskProfile(latest.level, latest.assessed_on, valid_until, valid_until < today,
                       months)


def _rules(settings) -> InsuranceRules:
    return InsuranceRules(
        life_income_multiple=settings.life_cover_income_multiple,
        life_includes_debt=settings.life_cover_includes_debt,
        education_per_child=settings.education_cost_per_child,
        critical_illness_income_multiple=settings.critical_illness_income_multiple,
        accident_income_multiple=settings.accident_cover_income_multiple,
        medical_minimum=settings.medical_cover_minimum,
        premium_income_share=settings.premium_income_share,
    )


CHILDREN = (Relation.SON, Relation.DAUGHTER)


def _needs(income: Decimal, rules: InsuranceRules, extra_life: Decimal
           ) -> dict[PolicyKind, Decimal | None]:
    earns = income > 0
    life = rules.life_income_multiple * income + extra_life
    return {
        PolicyKind.LIFE: life if life > 0 else None,
        PolicyKind.CRITICAL_ILLNESS:
            rules.critical_illness_income_multiple * income if earns else None,
        PolicyKind.MEDICAL: rules.medical_minimum if rules.medical_minimum > 0 else None,
        PolicyKind.ACCIDENT: rules.accident_income_multiple * income if earns else None,
    }


def _insurance(client: Client, on: dt.date, rates, currency: str, liabilities: Decimal,
               rules: InsuranceRules) -> Insurance:
    cover: dict[tuple[int | None, PolicyKind], list[Decimal]] = defaultdict(
        lambda: [ZERO, ZERO, 0])
    missing: list[str] = []
    total_cover = total_premiums = ZERO
    member_ids = {m.id for m in client.family}
    for p in client.policies:
        if p.end_date is not None and p.end_date < on:
            continue
        if p.start_date is not None and p.start_date > on:
            continue
        try:
            sum_assured = to_report(p.sum_assured, p.currency, currency, rates)
            premium = to_report(p.annual_premium or ZERO, p.currency, currency, rates)
        except MissingRate:
            if p.currency not in missing:
                missing.append(p.currency)
            continue
        who = p.insured_member_id if p.insured_member_id in member_ids else None
        entry = cover[(who, p.kind)]
        entry[0] += sum_assured
        entry[1] += premium
        entry[2] += 1
        total_cover += sum_assured
        total_premiums += premium

    children = [m for m in client.family if m.relation in CHILDREN
                and (_age(m.birthday, on) is None or _age(m.birthday, on) < EDUCATION_AGE)]
    education = rules.education_per_child * len(children)
    debt = liabilities if rules.life_includes_debt else ZERO
    people = []
    subjects = [(None, client.name, None, client.annual_income, client.birthday)] + [
        (m.id, m.name, m.relation, m.annual_income, m.birthday) for m in client.family]
    for who, name, relation, income, birthday in subjects:
        extra = education + debt if who is None else ZERO
        needs = _needs(income or ZERO, rules, extra)
        covers = []
        for kind in PolicyKind:
            held = cover.get((who, kind))
            need = needs.get(kind)
            if held is None and need is None:
                continue
            amount, premium, count = held or (ZERO, ZERO, 0)
            covers.append(Cover(kind, quantize(amount), quantize(need) if need is not None
                                else None, quantize(premium), count))
        people.append(InsuredPerson(
            name, relation, _age(birthday, on), income, tuple(covers),
            education_need=education if who is None else ZERO,
            debt_need=debt if who is None else ZERO))
    household = (client.annual_income or ZERO) + _sum(m.annual_income for m in client.family)
    return Insurance(rules, tuple(people), household, quantize(total_cover),
                     quantize(total_premiums), quantize(household * rules.premium_income_share),
                     tuple(missing))


def _with_talking_points(review: Review) -> Review:
    points: list[TalkingPoint] = []
    if review.maturities:
        m = review.maturities[0]
        points.append(TalkingPoint(PointKind.MATURITY, m.product_name, m.value, m.maturity_date))
    gaps = [(c.gap, p.name, c.kind) for p in review.insurance.people for c in p.covers
            if c.gap and c.gap > 0]
    if gaps:
        gap, name, kind = max(gaps, key=lambda g: g[0])
        points.append(TalkingPoint(PointKind.GAP, name, gap, detail=kind.label))
    if review.suitability:
        f = review.suitability[0]
        points.append(TalkingPoint(PointKind.SUITABILITY, f.product_name, f.value,
                                   detail=f.risk_level.value))
    moves = [h for h in review.holdings if h.status is HoldingStatus.KEPT
             and h.change_pct is not None and abs(h.change_pct) >= LARGE_MOVE and h.change]
    if moves:
        h = max(moves, key=lambda h: abs(h.change))
        points.append(TalkingPoint(PointKind.MOVE, h.product_name, h.change, ratio=h.change_pct))
    if review.risk.expired and review.risk.valid_until:
        points.append(TalkingPoint(PointKind.EXPIRED, when=review.risk.valid_until))
    if review.insurance.premiums_over_limit:
        points.append(TalkingPoint(PointKind.PREMIUMS, amount=review.insurance.total_premiums))
    return replace(review, talking_points=tuple(points[:TALKING_POINTS]))
