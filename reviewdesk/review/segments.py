"""The book by value: who carries it (the 80/20 view) and who could bring more.

Every client is valued at their latest snapshot in the book's currency: the
assets held here (holdings with no other institution), the financial assets
at other institutions, property, and the total. Sums run in SQL per snapshot
and currency; conversion uses the snapshot's own rates, then the rates of
the book's other latest snapshots for the step into the book's currency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Case, case, func, select
from sqlalchemy.orm import Session

from reviewdesk.book.editing import TIER_OVERRIDE, TIER_SET
from reviewdesk.book.enums import AssetClass, Tier
from reviewdesk.book.models import AuditEntry, Client, ClientTag, Holding, Snapshot
from reviewdesk.book.queries import latest_snapshots, snapshot_rates
from reviewdesk.i18n import N_, current_language, translator
from reviewdesk.money import format_percent
from reviewdesk.review.cadence import add_months, client_tags
from reviewdesk.settings import Settings, load_settings
from reviewdesk.valuation import MissingRate, to_report

ZERO = Decimal(0)
CENT = Decimal("0.01")
POTENTIAL_REASONS = {
    "elsewhere": N_("Most financial assets are at other institutions ({share} here)"),
    "grew": N_("Total assets grew {growth} in a year"),
}


@dataclass
class ClientValue:
    client_id: int
    code: str
    name: str
    tier: Tier
    tags: list[str]
    bank_assets: Decimal = ZERO
    elsewhere: Decimal = ZERO
    property_value: Decimal = ZERO
    previous_total: Decimal | None = None
    rank_bank: int = 0
    rank_total: int = 0
    cumulative_share: Decimal = ZERO
    suggested_tier: Tier = Tier.STANDARD
    overridden: bool = False  # the manager kept this tier against the suggestion
    potential: list[str] = field(default_factory=list)

    @property
    def total_assets(self) -> Decimal:
        return self.bank_assets + self.elsewhere + self.property_value

    @property
    def growth(self) -> Decimal | None:
        if not self.previous_total:
            return None
        return (self.total_assets - self.previous_total) / self.previous_total

    @property
    def bank_share(self) -> Decimal | None:
        financial = self.bank_assets + self.elsewhere
        return self.bank_assets / financial if financial else None

    def potential_text(self, lang: str | None = None) -> str:
        """Why the client has potential, in `lang`."""
        tr = translator(lang or current_language())
        texts = []
        for code in self.potential:
            texts.append(
                tr(POTENTIAL_REASONS[code]).format(
                    share=format_percent(self.bank_share, signed=False),
                    growth=format_percent(self.growth),
                )
            )
        return "; ".join(texts)

    def as_dict(self) -> dict[str, object]:
        def q(d: Decimal) -> Decimal:
            return d.quantize(CENT)

        return {
            "client_id": self.client_id,
            "code": self.code,
            "name": self.name,
            "tier": self.tier,
            "suggested_tier": self.suggested_tier,
            "kept_against_suggestion": self.overridden,
            "tags": self.tags,
            "rank_bank": self.rank_bank,
            "rank_total": self.rank_total,
            "bank_assets": q(self.bank_assets),
            "elsewhere": q(self.elsewhere),
            "property": q(self.property_value),
            "total_assets": q(self.total_assets),
            "cumulative_share": self.cumulative_share.quantize(Decimal("0.0001")),
            "growth": None if self.growth is None else self.growth.quantize(Decimal("0.0001")),
            "potential": self.potential,
            "potential_why": self.potential_text(),
        }


@dataclass
class Segmentation:
    currency: str
    share: Decimal
    rows: list[ClientValue]  # by assets here, largest first
    key_count: int
    missing: list[str] = field(default_factory=list)

    @property
    def total_bank(self) -> Decimal:
        return sum((r.bank_assets for r in self.rows), ZERO)

    @property
    def total_assets(self) -> Decimal:
        return sum((r.total_assets for r in self.rows), ZERO)

    @property
    def key_clients(self) -> list[ClientValue]:
        return [r for r in self.rows if r.suggested_tier is Tier.KEY]

    @property
    def suggestions(self) -> list[ClientValue]:
        return [r for r in self.rows if r.suggested_tier is not r.tier and not r.overridden]

    @property
    def potential(self) -> list[ClientValue]:
        return sorted(
            (r for r in self.rows if r.potential),
            key=lambda r: (-(r.elsewhere + r.property_value), r.name),
        )

    @property
    def by_total(self) -> list[ClientValue]:
        return sorted(self.rows, key=lambda r: r.rank_total)

    def curve(self) -> list[tuple[Decimal, Decimal]]:
        """(share of clients, cumulative share of assets here), from the largest client."""
        n = len(self.rows)
        return [(Decimal(i + 1) / n, r.cumulative_share) for i, r in enumerate(self.rows)]


def pareto(values: list[Decimal], share: Decimal) -> tuple[list[Decimal], int]:
    """Cumulative shares of `values` sorted largest first, and how many reach `share`."""
    total = sum(values, ZERO)
    cumulative, running, count = [], ZERO, 0
    for value in values:
        if total > 0 and running < share * total and value > 0:
            count += 1
        running += value
        cumulative.append(running / total if total > 0 else ZERO)
    return cumulative, count


def _bucket() -> Case[str]:
    return case(
        (Holding.asset_class == AssetClass.LOAN, "loan"),
        (Holding.asset_class == AssetClass.PROPERTY, "property"),
        (Holding.institution.is_(None), "bank"),
        else_="elsewhere",
    )


def _bucket_totals(
    session: Session, snapshot_ids: Sequence[int]
) -> dict[int, list[tuple[str, str, Decimal]]]:
    bucket = _bucket()
    rows = session.execute(
        select(
            Holding.snapshot_id,
            Holding.currency,
            bucket.label("bucket"),
            func.sum(Holding.market_value.expression),
        )
        .where(Holding.snapshot_id.in_(snapshot_ids))
        .group_by(Holding.snapshot_id, Holding.currency, bucket)
    )
    totals: dict[int, list[tuple[str, str, Decimal]]] = {}
    for sid, currency, name, total in rows:
        totals.setdefault(sid, []).append((currency, name, total or ZERO))
    return totals


class _Converter:
    def __init__(self, target: str, book_rates: dict[tuple[str, str], Decimal]):
        self.target = target
        self.book_rates = book_rates

    def __call__(
        self, amount: Decimal, currency: str, report: str, own: Mapping[tuple[str, str], Decimal]
    ) -> Decimal:
        merged = {**self.book_rates, **own}
        try:
            return to_report(amount, currency, self.target, merged)
        except MissingRate:
            in_report = to_report(amount, currency, report, own)
            return to_report(in_report, report, self.target, merged)


def segment_book(
    session: Session, today: dt.date, settings: Settings | None = None
) -> Segmentation:
    settings = settings or load_settings(session)
    currency = settings.get("default_currency")
    share = settings.get("key_client_share")
    threshold = settings.get("growth_threshold")
    tags = client_tags(session)

    latest = latest_snapshots()
    latest_rows = session.execute(
        select(latest.c.client_id, latest.c.snapshot_id, latest.c.review_date)
    ).all()
    year_ago = add_months(today, -12)
    then = (
        select(Snapshot.client_id, func.max(Snapshot.review_date).label("day"))
        .where(Snapshot.review_date <= year_ago)
        .group_by(Snapshot.client_id)
        .subquery()
    )
    previous_rows = session.execute(
        select(Snapshot.client_id, Snapshot.id).join(
            then, (then.c.client_id == Snapshot.client_id) & (then.c.day == Snapshot.review_date)
        )
    ).all()
    latest_ids = [sid for _, sid, _ in latest_rows]
    previous_ids = [sid for _, sid in previous_rows]
    all_ids = latest_ids + previous_ids
    rates = snapshot_rates(session, all_ids) if all_ids else {}

    # Rates from the most recent latest snapshots first, for the step into the book's currency.
    book_rates: dict[tuple[str, str], Decimal] = {}
    for _, sid, _ in sorted(latest_rows, key=lambda r: r[2]):
        book_rates.update(rates.get(sid, {}))
    convert = _Converter(currency, book_rates)

    clients = {
        cid: ClientValue(client_id=cid, code=code, name=name, tier=tier, tags=tags.get(cid, []))
        for cid, code, name, tier in session.execute(
            select(Client.id, Client.code, Client.name, Client.tier)
        )
    }
    report = dict(session.execute(select(Client.id, Client.report_currency)).all())
    owner = {sid: cid for cid, sid, _ in latest_rows}
    owner_prev = {sid: cid for cid, sid in previous_rows}
    missing: list[str] = []
    totals = _bucket_totals(session, all_ids) if all_ids else {}
    for sid, lines in totals.items():
        cid = owner.get(sid) or owner_prev[sid]
        value = clients[cid]
        sums = {"bank": ZERO, "elsewhere": ZERO, "property": ZERO, "loan": ZERO}
        try:
            for cur, bucket, amount in lines:
                sums[bucket] += convert(amount, cur, report[cid], rates.get(sid, {}))
        except MissingRate as exc:
            if sid in owner and value.name not in missing:
                missing.append(f"{value.name} ({exc.from_currency}→{exc.to_currency})")
            continue
        if sid in owner:
            value.bank_assets, value.elsewhere, value.property_value = (
                sums["bank"],
                sums["elsewhere"],
                sums["property"],
            )
        else:
            value.previous_total = sums["bank"] + sums["elsewhere"] + sums["property"]

    rows = sorted(clients.values(), key=lambda r: (-r.bank_assets, -r.total_assets, r.name))
    cumulative, key_count = pareto([r.bank_assets for r in rows], share)
    for i, (row, cum) in enumerate(zip(rows, cumulative, strict=True)):
        row.rank_bank = i + 1
        row.cumulative_share = cum
        row.suggested_tier = Tier.KEY if i < key_count else Tier.STANDARD
    for i, row in enumerate(sorted(rows, key=lambda r: (-r.total_assets, r.name))):
        row.rank_total = i + 1

    for cid, action, tier in _latest_tier_choices(session):
        chosen = clients.get(cid)
        if chosen is not None and action == TIER_OVERRIDE and tier == chosen.tier.value:
            chosen.overridden = True

    held_here = sorted(r.bank_assets for r in rows if r.bank_assets > 0)
    median_here = held_here[(len(held_here) - 1) // 2] if held_here else ZERO
    for row in rows:
        if row.elsewhere > row.bank_assets and row.elsewhere >= median_here and row.elsewhere > 0:
            row.potential.append("elsewhere")
        if row.growth is not None and row.growth >= threshold:
            row.potential.append("grew")
    return Segmentation(
        currency=currency, share=share, rows=rows, key_count=key_count, missing=missing
    )


def _latest_tier_choices(session: Session) -> list[tuple[int, str, str | None]]:
    """(client id, action, tier set) of each client's latest tier decision."""
    ranked = (
        select(
            AuditEntry.client_id,
            AuditEntry.action,
            AuditEntry.new_value,
            func.row_number()
            .over(partition_by=AuditEntry.client_id, order_by=AuditEntry.id.desc())
            .label("rn"),
        )
        .where(AuditEntry.action.in_((TIER_SET, TIER_OVERRIDE)))
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.client_id, ranked.c.action, ranked.c.new_value).where(ranked.c.rn == 1)
    )
    # A tier decision always names its client; an entry without one is no client's choice.
    return [(cid, action, tier) for cid, action, tier in rows if cid is not None]


# Tags the practice suggests (DOMAIN.md); the book's own tags come first.
SUGGESTED_TAGS = (
    N_("likes new fund launches"),
    N_("has children (invite to family events)"),
    N_("no calls during working hours"),
    N_("prefers SMS"),
    N_("prefers email"),
    N_("business owner"),
    N_("retirement planning"),
    N_("assets abroad"),
)


def tag_counts(session: Session) -> list[tuple[str, int]]:
    """The tags in use with how many clients carry each, most used first."""
    rows = session.execute(
        select(ClientTag.tag, func.count(ClientTag.client_id))
        .group_by(ClientTag.tag)
        .order_by(func.count(ClientTag.client_id).desc(), ClientTag.tag)
    )
    return [(tag, count) for tag, count in rows]


def tag_suggestions(session: Session, lang: str | None = None) -> list[str]:
    """Tags to offer while tagging: those in use, then the practice's own, not repeated."""
    tr = translator(lang or current_language())
    result = [tag for tag, _count in tag_counts(session)]
    for tag in SUGGESTED_TAGS:
        if tr(tag) not in result:
            result.append(tr(tag))
    return result
