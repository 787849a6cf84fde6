"""The review object: everything one client's review shows, computed once.

The PDF pack, the on-screen review, present mode and the tests all read this
same object, so they can never disagree. It is immutable (frozen dataclasses,
tuples) and holds no database objects: it can cross threads and processes.

Amounts are `Decimal` in the client's report currency. Values per holding are
exact conversions (not rounded); totals and subtotals are rounded to the cent.
Ratios (`share`, `change_pct`) are exact `Decimal` fractions (0.25 = 25 %).
Labels are not translated here: enums carry English labels for `_()`, and
`TalkingPoint.text(lang)` renders a sentence in either language.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal

from reviewdesk.book.enums import (
    AssetClass,
    Cadence,
    Channel,
    ClientRiskLevel,
    Language,
    PolicyKind,
    Relation,
    RiskLevel,
)
from reviewdesk.i18n import N_, translator
from reviewdesk.money import format_money, format_percent


class HoldingStatus(enum.StrEnum):
    """A holding compared with the previous review."""

    KEPT = "kept"  # held at both reviews
    NEW = "new"  # not held at the previous review
    GONE = "gone"  # held at the previous review, not at this one (value 0 now)
    FIRST = "first"  # there is no previous review to compare with


@dataclass(frozen=True)
class Totals:
    """Totals of one snapshot, rounded to the cent. `missing_rates`: currencies left out."""

    review_date: dt.date
    assets: Decimal
    liabilities: Decimal
    missing_rates: tuple[str, ...] = ()

    @property
    def net_worth(self) -> Decimal:
        return self.assets - self.liabilities


@dataclass(frozen=True)
class HoldingRow:
    """One holding with its change since the previous review.

    `value` is in the report currency (exact); None if its rate is missing.
    For a GONE holding, `value` is 0 and the fields describe it as it was.
    """

    product_name: str
    product_code: str | None
    asset_class: AssetClass
    institution: str | None  # None: this bank
    currency: str
    market_value: Decimal  # in `currency`
    value: Decimal | None
    previous_value: Decimal | None
    change: Decimal | None
    change_pct: Decimal | None  # None when there was nothing to compare with
    held_since: dt.date | None
    maturity_date: dt.date | None
    risk_level: RiskLevel | None
    status: HoldingStatus
    above_client_level: bool  # risk level above the client's assessed level

    @property
    def at_this_bank(self) -> bool:
        return self.institution is None

    @property
    def is_liability(self) -> bool:
        return self.asset_class.is_liability


@dataclass(frozen=True)
class HoldingGroup:
    """The holdings of one asset class, with subtotals (rounded) at both reviews."""

    asset_class: AssetClass
    holdings: tuple[HoldingRow, ...]
    total: Decimal
    previous_total: Decimal | None
    change: Decimal | None
    change_pct: Decimal | None


@dataclass(frozen=True)
class Slice:
    """One part of an allocation. `key` is an AssetClass or an `Allocation.THIS_BANK/OTHER`."""

    key: object
    label: str  # English label, translate with _()
    value: Decimal
    share: Decimal  # of the allocation's total, exact


@dataclass(frozen=True)
class Allocation:
    """Assets (liabilities excluded) by asset class and by institution, largest first."""

    THIS_BANK = "this_bank"
    OTHER = "other"

    by_class: tuple[Slice, ...]
    by_institution: tuple[Slice, ...]
    total: Decimal


@dataclass(frozen=True)
class TrendPoint:
    review_date: dt.date
    assets: Decimal
    liabilities: Decimal
    missing_rates: tuple[str, ...] = ()

    @property
    def net_worth(self) -> Decimal:
        return self.assets - self.liabilities


@dataclass(frozen=True)
class InsuranceRules:
    """The rules of thumb used for the needs, from the book's settings, stated on the page."""

    life_income_multiple: Decimal
    life_includes_debt: bool
    education_per_child: Decimal
    critical_illness_income_multiple: Decimal
    accident_income_multiple: Decimal
    medical_minimum: Decimal
    premium_income_share: Decimal


@dataclass(frozen=True)
class Cover:
    """One kind of cover for one insured person; `need`/`gap` are None where no rule applies."""

    kind: PolicyKind
    cover: Decimal
    need: Decimal | None
    premiums: Decimal
    policies: int

    @property
    def gap(self) -> Decimal | None:
        if self.need is None:
            return None
        return max(Decimal(0), self.need - self.cover)


@dataclass(frozen=True)
class InsuredPerson:
    """The client or a family member as an insured person (never with holdings)."""

    name: str
    relation: Relation | None  # None: the client
    age: int | None
    annual_income: Decimal | None
    covers: tuple[Cover, ...]  # every kind with a need or a policy, in PolicyKind order
    education_need: Decimal = Decimal(0)  # part of the life need (children's education)
    debt_need: Decimal = Decimal(0)  # part of the life need (liabilities)

    @property
    def is_client(self) -> bool:
        return self.relation is None

    @property
    def total_gap(self) -> Decimal:
        return sum((c.gap or Decimal(0) for c in self.covers), Decimal(0))


@dataclass(frozen=True)
class Insurance:
    rules: InsuranceRules
    people: tuple[InsuredPerson, ...]  # the client first
    household_income: Decimal
    total_cover: Decimal
    total_premiums: Decimal
    premium_limit: Decimal  # household income x premium share
    missing_rates: tuple[str, ...] = ()

    @property
    def premiums_over_limit(self) -> bool:
        return self.total_premiums > self.premium_limit

    @property
    def total_gap(self) -> Decimal:
        return sum((p.total_gap for p in self.people), Decimal(0))


@dataclass(frozen=True)
class RiskProfile:
    """The latest assessment on or before the review date; `level` None: never assessed."""

    level: ClientRiskLevel | None
    assessed_on: dt.date | None
    valid_until: dt.date | None
    expired: bool
    validity_months: int


@dataclass(frozen=True)
class SuitabilityFlag:
    product_name: str
    asset_class: AssetClass
    risk_level: RiskLevel
    client_level: ClientRiskLevel
    value: Decimal | None


@dataclass(frozen=True)
class Maturity:
    product_name: str
    asset_class: AssetClass
    institution: str | None
    maturity_date: dt.date
    days: int  # from `Review.today`
    value: Decimal | None


@dataclass(frozen=True)
class ContactNote:
    """A contact the manager marked as shared: its summary may be read by the client.

    Unshared contacts never become a ContactNote, so no face can show their words.
    """

    contact_date: dt.date
    channel: Channel
    summary: str | None


@dataclass(frozen=True)
class NextStep:
    """An open next step the manager marked as shared with the client."""

    text: str
    due: dt.date | None  # None: no date agreed
    agreed_on: dt.date  # the day of the contact it was agreed in


@dataclass(frozen=True)
class FamilyDetail:
    name: str
    relation: Relation
    age: int | None
    school_or_employer: str | None


@dataclass(frozen=True)
class ClientInfo:
    id: int
    code: str
    name: str
    language: Language
    report_currency: str
    cadence: Cadence
    annual_income: Decimal | None
    family: tuple[FamilyDetail, ...]


@dataclass(frozen=True)
class Preparer:
    """Who hands the pack over, from the book's settings."""

    bank_name: str
    manager_name: str
    manager_phone: str
    bank_logo: str  # a file path, or "" for none


class PointKind(enum.StrEnum):
    MATURITY = "maturity"
    GAP = "gap"
    SUITABILITY = "suitability"
    MOVE = "move"
    EXPIRED = "expired"
    PREMIUMS = "premiums"


_POINT_TEXT = {
    PointKind.MATURITY: N_("{subject} matures on {date} ({amount}): plan the reinvestment."),
    PointKind.GAP: N_("{subject}: {kind} cover is {amount} short of the need."),
    PointKind.SUITABILITY: N_("{subject} ({level}) is above the client's risk level."),
    PointKind.MOVE: N_("{subject} moved {percent} ({amount}) since the last review."),
    PointKind.EXPIRED: N_("The risk assessment expired on {date}: redo it in this meeting."),
    PointKind.PREMIUMS: N_("Premiums of {amount} a year exceed the planned share of income."),
}


@dataclass(frozen=True)
class TalkingPoint:
    """Something worth raising in the meeting, derived from the data."""

    kind: PointKind
    subject: str = ""
    amount: Decimal | None = None
    when: dt.date | None = None
    ratio: Decimal | None = None
    detail: str = ""  # an English label (a cover kind, a risk level), translated on output

    def text(self, lang: str, currency: str) -> str:
        _ = translator(lang)
        amount = format_money(self.amount, currency, lang) if self.amount is not None else ""
        return _(_POINT_TEXT[self.kind]).format(
            subject=self.subject, amount=amount,
            date=self.when.isoformat() if self.when else "",
            percent=format_percent(self.ratio, lang), kind=_(self.detail) if self.detail else "",
            level=self.detail,
        )


@dataclass(frozen=True)
class Review:
    """One client's review on one review date. Built by `build_review`; never changed."""

    client: ClientInfo
    review_date: dt.date
    previous_date: dt.date | None
    today: dt.date  # expiry and maturities are judged from this day
    currency: str  # the report currency
    current: Totals
    previous: Totals | None
    groups: tuple[HoldingGroup, ...]  # AssetClass order; liabilities (loans) last
    allocation: Allocation
    trend: tuple[TrendPoint, ...]  # every review date up to this one, oldest first
    insurance: Insurance
    risk: RiskProfile
    suitability: tuple[SuitabilityFlag, ...]
    maturities: tuple[Maturity, ...]  # within `maturity_window_days`, soonest first
    maturity_window_days: int
    # What the client may read of the contact log (`pack_show_contacts` off: nothing).
    contacts: tuple[ContactNote, ...]  # the last few shared contacts, newest first
    next_steps: tuple[NextStep, ...]  # shared and open on `today`, soonest due first
    show_contacts: bool  # the book's setting: the pack and present mode show the two above
    # Counts for the manager's own screen, never words; not part of what the pack shows
    # (left out of repr, which the pack's reference digests).
    internal_contacts: int = field(repr=False)  # contacts up to `today` kept internal
    internal_next_steps: int = field(repr=False)  # open next steps kept internal
    talking_points: tuple[TalkingPoint, ...]
    preparer: Preparer

    @property
    def period(self) -> Cadence:
        return self.client.cadence

    @property
    def net_worth(self) -> Decimal:
        return self.current.net_worth

    @property
    def change(self) -> Decimal | None:
        """Net worth change since the previous review."""
        if self.previous is None:
            return None
        return self.current.net_worth - self.previous.net_worth

    @property
    def change_pct(self) -> Decimal | None:
        if self.previous is None or not self.previous.net_worth:
            return None
        return self.change / abs(self.previous.net_worth)

    @property
    def holdings(self) -> tuple[HoldingRow, ...]:
        return tuple(h for g in self.groups for h in g.holdings)

    @property
    def new_holdings(self) -> tuple[HoldingRow, ...]:
        return tuple(h for h in self.holdings if h.status is HoldingStatus.NEW)

    @property
    def gone_holdings(self) -> tuple[HoldingRow, ...]:
        return tuple(h for h in self.holdings if h.status is HoldingStatus.GONE)
