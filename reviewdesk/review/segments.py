"""The book by value: who carries it (the 80/20 view) and who could bring more.

A client's total assets are the client list's figure: `valuation.report_totals` of their
latest snapshot, in their report currency at the snapshot's own rates, rounded once to
that currency's unit (`money.round_money`); a currency the snapshot has no rate for is
left out and named, as the client list leaves it out. Assets here (holdings with no other
institution), elsewhere and property are valued the same way. The ranking needs one
currency, the book's: a figure in another report currency is converted at the snapshot's
rate, or failing that the rate of the book's most recent latest snapshot that has one,
and rounded to the book currency's unit. A client with no rate at all into the book's
currency cannot be ranked: left out of the figures and named, never counted as nothing.
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
from reviewdesk.book.queries import (
    among,
    latest_snapshots,
    plain_rows,
    snapshot_rates,
    snapshot_totals,
    stored_sort_name,
)
from reviewdesk.i18n import N_, current_language, translator
from reviewdesk.money import format_money, format_percent, round_money
from reviewdesk.review.cadence import add_months, client_tags
from reviewdesk.review.model import Allocation, place_slices, slice_amounts
from reviewdesk.settings import Settings, load_settings
from reviewdesk.valuation import MissingRate, report_totals, to_report

ZERO = Decimal(0)
SHARE_PLACES = 4  # a share or a growth in JSON: 0.8000 is 80.00%
POTENTIAL_REASONS = {
    "elsewhere": N_("Most financial assets are at other institutions ({share} here)"),
    "grew": N_("Total assets grew {growth} in a year"),
}
# What the key clients hold is their own share, the first to reach the setting's (found:
# "80.0% of the assets here are held by 1 of 1 clients", who held all of them).
KEY_SHARE = N_(
    "{k} of {n} clients ({pct}) hold {held} of the assets here ({total}): the fewest who "
    "reach {share}."
)
KEY_SHARE_TITLE = N_("{k} of {n} clients ({pct}) hold {held} of the assets here")
PARTLY_VALUED = N_("Holdings left out for want of an exchange rate: {names}.")
NOT_VALUED = N_(
    "Not valued and left out of these figures (no exchange rate into {currency}): {names}."
)
Rates = Mapping[tuple[str, str], Decimal]


@dataclass
class ClientValue:
    """A client's figures in the book's currency, each rounded to its unit.

    `total_assets` is the client list's total (converted when the client reports in
    another currency); `missing_rates` the currencies it leaves out, as the client list's.
    """

    client_id: int
    code: str
    name: str
    tier: Tier
    tags: list[str]
    report_currency: str = ""
    bank_assets: Decimal = ZERO
    elsewhere: Decimal = ZERO
    property_value: Decimal = ZERO
    total_assets: Decimal = ZERO
    missing_rates: tuple[str, ...] = ()
    previous_total: Decimal | None = None
    rank_bank: int = 0
    rank_total: int = 0
    cumulative_share: Decimal = ZERO
    suggested_tier: Tier = Tier.STANDARD
    overridden: bool = False  # the manager kept this tier against the suggestion
    potential: list[str] = field(default_factory=list)
    sort_name: str = ""  # the name as lists sort it (`text.sort_name`)

    @property
    def growth(self) -> Decimal | None:
        """Growth over a year; none when a total leaves holdings out (no measure of it)."""
        if not self.previous_total or self.missing_rates:
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
        growth = self.growth
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
            "bank_assets": self.bank_assets,
            "elsewhere": self.elsewhere,
            "property": self.property_value,
            "total_assets": self.total_assets,
            "missing_rates": list(self.missing_rates),
            "cumulative_share": round_money(self.cumulative_share, places=SHARE_PLACES),
            "growth": None if growth is None else round_money(growth, places=SHARE_PLACES),
            "potential": self.potential,
            "potential_why": self.potential_text(),
        }


@dataclass
class Segmentation:
    currency: str
    share: Decimal
    rows: list[ClientValue]  # by assets here, largest first
    key_count: int
    # No exchange rate into the book's currency: in none of the figures above.
    not_valued: list[ClientValue] = field(default_factory=list)

    @property
    def total_bank(self) -> Decimal:
        """The assets here: the sum of the clients' figures as shown."""
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
    def partly_valued(self) -> list[ClientValue]:
        """Clients valued without their holdings in a currency that has no rate."""
        return [r for r in self.rows if r.missing_rates]

    @property
    def by_total(self) -> list[ClientValue]:
        return sorted(self.rows, key=lambda r: r.rank_total)

    def curve(self) -> list[tuple[Decimal, Decimal]]:
        """(share of clients, cumulative share of assets here), from the largest client."""
        n = len(self.rows)
        return [(Decimal(i + 1) / n, r.cumulative_share) for i, r in enumerate(self.rows)]

    @property
    def key_client_share(self) -> Decimal:
        """The key clients as a share of all the clients ranked."""
        n = len(self.rows)
        return Decimal(self.key_count) / n if n else ZERO

    @property
    def key_held_share(self) -> Decimal:
        """The share of the assets here the key clients hold together: their cumulative
        share, at least the setting's (`share`) when anything is held."""
        return self.rows[self.key_count - 1].cumulative_share if self.key_count else ZERO

    def key_share_text(self, lang: str | None = None, title: bool = False) -> str:
        """The 80/20 sentence: how many clients hold the key share of the assets here, and
        what they hold; `title` the chart's shorter form of it, with the same figures."""
        lang = lang or current_language()
        return translator(lang)(KEY_SHARE_TITLE if title else KEY_SHARE).format(
            share=format_percent(self.share, lang, signed=False),
            held=format_percent(self.key_held_share, lang, signed=False),
            total=format_money(self.total_bank, self.currency, lang),
            k=self.key_count,
            n=len(self.rows),
            pct=format_percent(self.key_client_share, lang, signed=False),
        )

    def rates_text(self, lang: str | None = None) -> str:
        """What the figures leave out for want of an exchange rate; empty when nothing."""
        tr = translator(lang or current_language())
        sentences = []
        if self.partly_valued:
            names = ", ".join(
                f"{r.name} ({', '.join(r.missing_rates)})" for r in self.partly_valued
            )
            sentences.append(tr(PARTLY_VALUED).format(names=names))
        if self.not_valued:
            names = ", ".join(f"{r.name} ({r.report_currency})" for r in self.not_valued)
            sentences.append(tr(NOT_VALUED).format(currency=self.currency, names=names))
        return " ".join(sentences)


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
    """Per snapshot: (currency, bucket, sum of market values), one grouped read."""
    bucket = _bucket()
    rows = plain_rows(
        session,
        select(
            Holding.snapshot_id,
            Holding.currency,
            bucket.label("bucket"),
            func.sum(Holding.market_value.expression),
        )
        .where(among(session, Holding.snapshot_id, snapshot_ids))
        .group_by(Holding.snapshot_id, Holding.currency, bucket),
    )
    totals: dict[int, list[tuple[str, str, Decimal]]] = {}
    for sid, currency, name, total in rows:
        totals.setdefault(sid, []).append((currency, name, total or ZERO))
    return totals


class _Valuer:
    """Figures in the book's currency, from figures in a client's report currency."""

    def __init__(self, currency: str, book_rates: Rates):
        self.currency = currency
        self.book_rates = book_rates

    def into_book(self, amount: Decimal, report: str, own: Rates) -> Decimal:
        """`amount` (in `report`) in the book's currency: at the snapshot's own rate, else
        the book's; MissingRate when neither has one."""
        if report == self.currency:
            return amount
        try:
            value = to_report(amount, report, self.currency, own)
        except MissingRate:
            value = to_report(amount, report, self.currency, self.book_rates)
        return round_money(value, self.currency)

    def latest(
        self, value: ClientValue, lines: Sequence[tuple[str, str, Decimal]], own: Rates
    ) -> None:
        """The client's figures at their latest snapshot: the total is the client list's
        (`report_totals` of the same sums at the same rates), the parts leave out the same
        currencies."""
        report = value.report_currency
        totals = report_totals(
            ((currency, bucket == "loan", amount) for currency, bucket, amount in lines),
            report,
            own,
        )
        parts = {"bank": ZERO, "elsewhere": ZERO, "property": ZERO}
        for currency, bucket, amount in lines:
            if bucket in parts and currency not in totals.missing_rates:
                parts[bucket] += to_report(amount, currency, report, own)
        # Split as the client's review splits its allocation, to the cent of the total.
        places = place_slices(parts["bank"], parts["elsewhere"], parts["property"])
        amounts = dict(
            zip((s.key for s in places), slice_amounts(totals.assets, places, report), strict=True)
        )
        bank, elsewhere, held, total = [
            self.into_book(amount, report, own)
            for amount in (
                amounts.get(Allocation.THIS_BANK, ZERO),
                amounts.get(Allocation.OTHER, ZERO),
                amounts.get(AssetClass.PROPERTY, ZERO),
                round_money(totals.assets, report),
            )
        ]
        value.bank_assets, value.elsewhere, value.property_value = bank, elsewhere, held
        value.total_assets, value.missing_rates = total, totals.missing_rates

    def total(
        self, report: str, sums: Mapping[tuple[str, bool], Decimal], own: Rates
    ) -> Decimal | None:
        """Total assets of a snapshot in the book's currency; None unless every holding
        could be valued."""
        totals = report_totals(
            ((currency, loan, amount) for (currency, loan), amount in sums.items()), report, own
        )
        if totals.missing_rates:
            return None
        try:
            return self.into_book(totals.assets, report, own)
        except MissingRate:
            return None


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
    latest_ids = {cid: sid for cid, sid, _ in latest_rows}
    # A latest snapshot a year old or more says nothing of growth over the year.
    previous_rows = [
        (cid, sid)
        for cid, sid in session.execute(
            select(Snapshot.client_id, Snapshot.id).join(
                then,
                (then.c.client_id == Snapshot.client_id) & (then.c.day == Snapshot.review_date),
            )
        )
        if latest_ids.get(cid) != sid
    ]
    previous_ids = [sid for _, sid in previous_rows]
    all_ids = list(latest_ids.values()) + previous_ids
    rates = snapshot_rates(session, all_ids) if all_ids else {}

    # Rates from the most recent latest snapshots first, for the step into the book's currency.
    book_rates: dict[tuple[str, str], Decimal] = {}
    for _, sid, _ in sorted(latest_rows, key=lambda r: r[2]):
        book_rates.update(rates.get(sid, {}))
    valuer = _Valuer(currency, book_rates)

    clients = {
        cid: ClientValue(
            client_id=cid,
            code=code,
            name=name,
            tier=tier,
            tags=tags.get(cid, []),
            report_currency=report,
            sort_name=stored_sort_name(name, sort),
        )
        for cid, code, name, tier, report, sort in session.execute(
            select(
                Client.id,
                Client.code,
                Client.name,
                Client.tier,
                Client.report_currency,
                Client.sort_name,
            )
        )
    }
    lines = _bucket_totals(session, list(latest_ids.values())) if latest_ids else {}
    not_valued: list[ClientValue] = []
    for cid, sid in latest_ids.items():
        value = clients[cid]
        try:
            valuer.latest(value, lines.get(sid, ()), rates.get(sid, {}))
        except MissingRate:
            not_valued.append(value)
    previous = snapshot_totals(session, previous_ids) if previous_ids else {}
    for cid, sid in previous_rows:
        value = clients[cid]
        value.previous_total = valuer.total(
            value.report_currency, previous.get(sid, {}), rates.get(sid, {})
        )

    left_out = {r.client_id for r in not_valued}
    rows = sorted(
        (r for r in clients.values() if r.client_id not in left_out),
        key=lambda r: (-r.bank_assets, -r.total_assets, r.sort_name, r.name),
    )
    cumulative, key_count = pareto([r.bank_assets for r in rows], share)
    for i, (row, cum) in enumerate(zip(rows, cumulative, strict=True)):
        row.rank_bank = i + 1
        row.cumulative_share = cum
        row.suggested_tier = Tier.KEY if i < key_count else Tier.STANDARD
    for i, row in enumerate(sorted(rows, key=lambda r: (-r.total_assets, r.sort_name, r.name))):
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
        currency=currency,
        share=share,
        rows=rows,
        key_count=key_count,
        not_valued=sorted(not_valued, key=lambda r: (r.sort_name, r.name)),
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
