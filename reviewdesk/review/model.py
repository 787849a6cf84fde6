"""The review object: everything one client's review shows, computed once.

The PDF pack, the on-screen review, present mode and the tests all read this
same object, so they can never disagree. It is immutable (frozen dataclasses,
tuples) and holds no database objects: it can cross threads and processes.

Amounts are `Decimal` in the client's report currency. Values per holding are
exact conversions (not rounded); totals and subtotals are rounded to the cent.
Ratios (`share`, `change_pct`) are exact `Decimal` fractions (0.25 = 25 %).
Labels are not translated here: enums carry English labels for `_()`, and
`TalkingPoint.text(lang)` renders a sentence in either language (what the client reads;
`TalkingPoint.prompt` is the manager's cue, for the manager's screen only).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
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
from reviewdesk.i18n import N_, N_plural, ngettext, translator, written_date
from reviewdesk.money import (
    PERCENT_PLACES,
    apportion,
    format_money,
    format_percent,
    format_return,
    quantize,
)
from reviewdesk.review.cadence import add_months
from reviewdesk.review.returns import Returns
from reviewdesk.review.risk_status import AssessmentStatus


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
    # The principal (cost) as recorded, in `currency`, and its value in the report currency
    # at this snapshot's stored rate; None when none is recorded. For a loan it is what was
    # borrowed; for a GONE holding, what was recorded at the previous review.
    principal: Converted | None = None
    # The gain against the principal (see `cost_gain_applies`): the market value less the
    # principal, in `currency` (exact), and in the report currency at the snapshot's stored
    # rate (exact; None when the rate is missing, never taken as 1). It is the gain in the
    # holding's own currency: a move of the exchange rate since the purchase is not in it.
    cost_gain: Converted | None = None
    # A holding kept since the previous review whose change may be the client's own doing
    # rather than the market's (`moved_by_client`): its move is never a key point. Out of
    # the repr, so out of the pack's reference (`pack.reference`): what it decides, the key
    # points, is in it.
    client_moved: bool = field(default=False, repr=False)

    @property
    def at_this_bank(self) -> bool:
        return self.institution is None

    @property
    def shown_value(self) -> Decimal | None:
        """The value every face shows: None ("—") for a holding no longer held, whose
        `value` of 0 is there for the sums, and where its rate is missing."""
        return None if self.status is HoldingStatus.GONE else self.value

    @property
    def shown_change_pct(self) -> Decimal | None:
        """The change as a share of the previous value, for a holding kept since the
        previous review only: a holding sold or bought in between moved by what was put
        in or taken out, not by -100 % or from nothing."""
        return self.change_pct if self.status is HoldingStatus.KEPT else None

    @property
    def cost_gain_pct(self) -> Decimal | None:
        """The gain against the principal as an exact fraction of it (0.05 = 5 %); None
        where there is no gain against the principal or the principal is zero. The same in
        either currency: both amounts are converted at one rate."""
        return gain_ratio(self.principal, self.cost_gain)

    @property
    def is_liability(self) -> bool:
        return self.asset_class.is_liability

    @property
    def gone_line(self) -> str:
        """What every face says of a holding no longer in this review (a message to
        translate): a loan is no longer owed; "no longer held" is said of what the client
        owns."""
        return NO_LONGER_OWED if self.is_liability else NO_LONGER_HELD


# Found: a mortgage paid off since the last review read "住房按揭贷款 ... 已不再持有"
# ("no longer held") under "贷款（负债）": a client holds assets, and owes a loan.
NO_LONGER_HELD = N_("No longer held")
NO_LONGER_OWED = N_("No longer owed")


# Balances the client moves: a deposit, a current account or cash changes by what is paid
# in or taken out, a loan by what is borrowed or repaid, never by the market.
BALANCE_CLASSES = frozenset({AssetClass.DEPOSIT, AssetClass.CASH, AssetClass.LOAN})
# Values the client's own payments build up: an insurance policy's cash value grows with
# the premiums paid into it. Its change is the market's only where its principal (what was
# paid in) is recorded at both reviews and did not move.
PAID_INTO_CLASSES = frozenset({AssetClass.INSURANCE})


def moved_by_client(
    asset_class: AssetClass,
    principal: Decimal | None,
    previous_principal: Decimal | None,
    flows_recorded: bool,
) -> bool:
    """Whether a holding kept since the previous review may have changed by the client's
    own doing, so that its change is not said to be a move of the market: a balance the
    client moves (`BALANCE_CLASSES`), money recorded as flowing into or out of it in the
    period (`flows_recorded`), a principal recorded at both reviews that changed, or a
    value built up by the client's payments (`PAID_INTO_CLASSES`) without its principal
    at both reviews.

    Found: a current account topped up from 100,000 to 400,000 read "moved +300.0%
    (CNY 300,000.00) since the last review" among the key points."""
    if asset_class in BALANCE_CLASSES or flows_recorded:
        return True
    if principal is None or previous_principal is None:
        return asset_class in PAID_INTO_CLASSES
    return principal != previous_principal


def cost_gain_applies(status: HoldingStatus, asset_class: AssetClass) -> bool:
    """Whether a holding has a gain against its principal (cost), when one is recorded.

    Only an asset still held: a loan's principal is what was borrowed and its balance what
    is owed, so their difference is what was repaid, not a gain; a GONE holding was sold or
    matured at a price the book does not record, so its gain is unknown. An asset held at a
    market value of 0 has lost its principal: its gain is minus the principal (-100 %).
    """
    return status is not HoldingStatus.GONE and not asset_class.is_liability


def gain_ratio(principal: Converted | None, gain: Converted | None) -> Decimal | None:
    """A gain as an exact fraction of its principal; None without a gain or a principal,
    or when the principal is zero. The same in either currency (one rate converts both)."""
    if gain is None or principal is None or not principal.amount:
        return None
    return gain.amount / principal.amount


@dataclass(frozen=True)
class CostGainTotal:
    """The gain against principal over the holdings that have one, and only those: never
    the gain of the whole portfolio. Each amount adds up the rows as shown (rounded to the
    smallest unit of the report currency), as the subtotals do.

    `holdings` counts the rows added up; `missing_rates` lists the currencies of holdings
    with a principal left out for want of a rate.
    """

    holdings: int
    principal: Decimal
    gain: Decimal
    missing_rates: tuple[str, ...] = ()

    @property
    def ratio(self) -> Decimal | None:
        return self.gain / self.principal if self.principal else None


def counts_in_change_pct(h: HoldingRow) -> bool:
    """Whether a holding counts in its class's change as a share (`HoldingGroup.change_pct`):
    held at both reviews, both values known and something held before."""
    return h.status is HoldingStatus.KEPT and h.change is not None and bool(h.previous_value)


@dataclass(frozen=True)
class HoldingGroup:
    """The holdings of one asset class, with subtotals at both reviews.

    A subtotal (and its change) adds up the rows as shown, each rounded to the smallest
    unit of the report currency: what a reader adds up on any face is what is printed.
    """

    asset_class: AssetClass
    holdings: tuple[HoldingRow, ...]
    total: Decimal | None  # None: no row of the group has a value (no exchange rate)
    previous_total: Decimal | None
    change: Decimal | None
    # Over the holdings held at both reviews with both values known, as a row's own
    # percentage (new money and sales are not a change); None when there are none.
    change_pct: Decimal | None

    def title(self, lang: str) -> str:
        """The group's title in a holdings table, on every face: a liability's class says
        it is one. Found: present mode titled the mortgage's group "Loan" where the pack
        read "Loan (liability)"."""
        _ = translator(lang)
        title = _(self.asset_class.label)
        if self.asset_class.is_liability:
            return _("{name} (liability)").format(name=title)
        return title

    @property
    def change_pct_partial(self) -> bool:
        """Whether `change_pct` leaves out some holding of the class (bought or sold in
        between, or a value unknown), so that it is not `change` over `previous_total`:
        a table that shows both says so."""
        return any(not counts_in_change_pct(h) for h in self.holdings)


@dataclass(frozen=True)
class Slice:
    """One part of an allocation. `key` is an AssetClass or an `Allocation.THIS_BANK/OTHER`
    (by institution: this bank, other institutions, and property, held by the client)."""

    key: object
    label: str  # English label, translate with _()
    value: Decimal
    share: Decimal  # of the allocation's total, exact


def printed_shares(slices: Sequence[Slice]) -> list[Decimal]:
    """The slices' shares as every face prints them, to a tenth of a percent, adding up to
    what the slices add up to (100.0% for a whole allocation): three thirds read 33.4%,
    33.3% and 33.3%, never 99.9% in all (`money.apportion`)."""
    shares = [s.share for s in slices]
    return apportion(sum(shares, Decimal(0)), shares, None, places=PERCENT_PLACES + 2)


@dataclass(frozen=True)
class Allocation:
    """Assets (liabilities excluded) by asset class and by institution, largest first."""

    THIS_BANK = "this_bank"
    OTHER = "other"

    by_class: tuple[Slice, ...]
    by_institution: tuple[Slice, ...]
    total: Decimal
    by_currency: tuple[Slice, ...] = ()  # key and label: the holding's currency code


def allocation_slices(
    values: Mapping[object, tuple[str, Decimal]], total: Decimal
) -> tuple[Slice, ...]:
    """The slices of `values` (key: English label and exact value) with a value, largest
    first: the order every face lists them in and `slice_amounts` settles a tie in."""
    ordered = sorted(values.items(), key=lambda kv: (-kv[1][1], str(kv[0])))
    return tuple(
        Slice(key, label, quantize(value), value / total if total else Decimal(0))
        for key, (label, value) in ordered
        if value > 0
    )


def place_slices(here: Decimal, elsewhere: Decimal, owned: Decimal) -> tuple[Slice, ...]:
    """Where the assets are (exact values in the report currency): at this bank, at other
    institutions, and property, held by the client. The one split of the review's
    allocation and of the segments' assets here and elsewhere."""
    return allocation_slices(
        {
            Allocation.THIS_BANK: (N_("This bank"), here),
            Allocation.OTHER: (N_("Other institutions"), elsewhere),
            AssetClass.PROPERTY: (AssetClass.PROPERTY.label, owned),
        },
        here + elsewhere + owned,
    )


def slice_amounts(total: Decimal, slices: Sequence[Slice], currency: str) -> list[Decimal]:
    """The amounts of `slices` as every face prints them: to the smallest unit of
    `currency`, adding up to `total` (the total assets) printed beside them
    (`money.apportion`). Found: 500.005 at this bank read 500.00 in the pack's allocation
    and 500.01 among the segments' assets here, which rounded each part on its own."""
    return apportion(total, [s.value for s in slices], currency)


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
class Converted:
    """An amount as it was set (in its own currency) and in the report currency.

    `value` is exact (not rounded) and None when the snapshot has no rate between the
    two currencies: a missing rate is never taken as 1. `rate` is the stored rate used,
    as (from, to, rate) in the direction it is stored; None for the same currency.
    """

    amount: Decimal
    currency: str
    value: Decimal | None
    rate: tuple[str, str, Decimal] | None = None

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class InsuranceRules:
    """The rules of thumb used for the needs, from the book's settings, stated on the page.

    The fixed amounts carry their own currency (the book's base currency unless set) and
    their value in the client's report currency at the snapshot's stored rates.
    """

    life_income_multiple: Decimal
    life_includes_debt: bool
    education_per_child: Converted
    critical_illness_income_multiple: Decimal
    accident_income_multiple: Decimal
    medical_minimum: Converted
    premium_income_share: Decimal


def in_force(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    """Whether a policy starting on `start` and ending on `end` (None: not recorded) is
    in force on `on`: the one rule of the review's cover and the policies' totals."""
    return (start is None or start <= on) and (end is None or end >= on)


def paying_premiums(start: dt.date | None, payment_years: int | None, on: dt.date) -> bool:
    """Whether a policy's annual premium is still paid on `on`: for `payment_years` years
    from `start` (a policy paid in 10 years costs nothing a year in its eleventh). With no
    term or start recorded, the annual premium on record is taken as paid.

    Found: the review counted the premium of a single-premium policy bought years ago as
    paid every year, and told the client that premiums "exceed the planned share of
    income" when nothing was payable."""
    if start is None or payment_years is None:
        return True
    return on < add_months(start, 12 * payment_years)


@dataclass(frozen=True)
class PolicyTerms:
    """What of a policy tells what it holds on a day: its cover and premium in its own
    currency, and the dates and term they run for."""

    currency: str
    sum_assured: Decimal | None
    annual_premium: Decimal | None
    payment_years: int | None
    start_date: dt.date | None
    end_date: dt.date | None

    def held_on(self, on: dt.date) -> tuple[Decimal, Decimal | None] | None:
        """The cover held and the premium paid a year on `on`, in the policy's currency
        (`in_force`, `paying_premiums`); None when the policy is not in force then.

        The premium is None when the policy is still paying and no premium is on record (a
        single premium, or one never typed): not known, rather than 0 (found: a policy
        imported with its premium blank read "HKD 0.00 a year" and counted as costing
        nothing in the premiums' share of the household income). A policy whose term is
        over pays none, recorded or not."""
        if not in_force(self.start_date, self.end_date, on):
            return None
        cover = self.sum_assured or Decimal(0)
        if not paying_premiums(self.start_date, self.payment_years, on):
            return cover, Decimal(0)
        return cover, self.annual_premium


@dataclass(frozen=True)
class PoliciesInForce:
    """Policies added up per currency on one day: (currency, cover, premiums a year on
    record) in the order the currencies first come, how many are not in force that day,
    and how many in force and still paying have no premium on record (`PolicyTerms.held_on`)."""

    by_currency: tuple[tuple[str, Decimal, Decimal], ...]
    not_in_force: int
    unrecorded_premiums: int = 0


def policies_in_force(policies: Iterable[PolicyTerms], on: dt.date) -> PoliciesInForce:
    """The cover and premiums of the policies in force on `on`, per currency, by the
    review's own rule (`PolicyTerms.held_on`): a lapsed policy's cover is not held, and a
    premium whose term is over is not paid."""
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    not_held = unrecorded = 0
    for terms in policies:
        held = terms.held_on(on)
        if held is None:
            not_held += 1
            continue
        if held[1] is None:
            unrecorded += 1
        cover, premiums = totals.get(terms.currency, (Decimal(0), Decimal(0)))
        totals[terms.currency] = (cover + held[0], premiums + (held[1] or Decimal(0)))
    return PoliciesInForce(
        tuple((cur, c, p) for cur, (c, p) in totals.items()), not_held, unrecorded
    )


@dataclass(frozen=True)
class Cover:
    """One kind of cover for one insured person; `need`/`gap` are None where no rule applies.

    `cover` and `premiums` are None when a policy of this kind on this person was left
    out for want of an exchange rate (`Insurance.left_out`): the cover held is not known,
    and neither is the gap (found: a USD life policy read as a cover of 0.00 and a gap of
    the whole need). `premiums` is None too when such a policy still paying has no premium
    on record (`Insurance.unrecorded_premiums`)."""

    kind: PolicyKind
    cover: Decimal | None
    need: Decimal | None
    premiums: Decimal | None
    policies: int
    # The need leaves out what is not on record (the client's life need, with the client's
    # income or a child's age not recorded), so it is a floor. Out of the repr: what it
    # changes on the page is in the pack's reference through `Review.digest_extras`.
    need_floor: bool = field(default=False, repr=False)

    @property
    def gap(self) -> Decimal | None:
        """The amount short of the need; 0 when the cover meets it; None when the need or
        the cover is not known, and when the cover meets a need that is only a floor
        (`need_floor`). Found: a client whose son's age was not recorded read "Covered"
        for life, the son's education left out of the need."""
        if self.need is None or self.cover is None:
            return None
        short = self.need - self.cover
        if short > 0:
            return short
        return None if self.need_floor else Decimal(0)

    @property
    def meets_floor(self) -> bool:
        """The cover meets the need, which is only a floor (`need_floor`): not known to be
        covered."""
        return (
            self.need_floor
            and self.need is not None
            and self.cover is not None
            and self.cover >= self.need
        )

    @property
    def premiums_shown(self) -> Decimal | None:
        """The premiums a face shows for this cover: None ("—") with no policy of this kind
        on record, where no premium is known to be paid or not (found: present mode read
        "0.00" a year beside every kind of cover of a client with no policy at all), or
        when a policy's premium was left out for want of a rate or is not on record."""
        return self.premiums if self.policies else None


@dataclass(frozen=True)
class InsuredPerson:
    """The client or a family member as an insured person (never with holdings).

    `annual_income` is in the report currency; None when none is recorded or when its
    currency has no rate in the snapshot (then `income.missing` and the income-based
    needs are left out). `income` is the income as recorded, in its own currency.
    """

    name: str
    relation: Relation | None  # None: the client
    age: int | None
    annual_income: Decimal | None
    covers: tuple[Cover, ...]  # every kind with a need or a policy, in PolicyKind order
    education_need: Decimal | None = Decimal(0)  # part of the life need; None: not convertible
    # Part of the life need (liabilities); None: a debt could not be converted (`LeftOutKind.DEBTS`)
    debt_need: Decimal | None = Decimal(0)
    income: Converted | None = None
    # Which family member this is (None: the client): the screen finds a person's gaps by
    # it, never by position, since the family may have changed since the review was made.
    # Not shown, so not part of a pack's reference (`pack.reference`).
    member_id: int | None = field(default=None, repr=False)

    @property
    def is_client(self) -> bool:
        return self.relation is None


# The relations a child has to the client: their education is part of the client's life
# need, and a blank income of theirs is taken as none.
CHILDREN = (Relation.SON, Relation.DAUGHTER)


class LeftOutKind(enum.StrEnum):
    """What could not be converted into the report currency for want of a rate."""

    POLICIES = "policies"  # policies in that currency: their cover and premiums
    INCOME = "income"  # one person's income: their income-based needs
    MEDICAL_MINIMUM = "medical_minimum"  # the medical need of everyone
    EDUCATION = "education"  # the children's education, so the client's life need
    DEBTS = "debts"  # the client's debts in that currency, so the client's life need


@dataclass(frozen=True)
class LeftOut:
    kind: LeftOutKind
    currency: str
    subject: str = ""  # the person, for INCOME


@dataclass(frozen=True)
class Insurance:
    """Cover and needs in the report currency.

    `household_income` and `premium_limit` are None when the household's income is not
    known: an income could not be converted, no one's income is recorded
    (`income_recorded`), or the client's or a spouse's is not (`client_income_recorded`,
    `unrecorded_spouses`); the premium guide cannot then be judged. Nor can it when a
    premium paid is not known (`premiums_complete`): left out for want of a rate
    (`premiums_converted`), or not on record (`unrecorded_premiums`); then
    `premium_limit` is None and `total_premiums` is the premiums known. `missing_rates`
    lists the currencies without a rate; `left_out` says what each one kept out.

    A gap is one person's of one kind of cover (`Cover.gap`): life, critical illness,
    medical and accident cover answer different needs, so their gaps are not added up
    (found: present mode's "Total gap in cover" and per-person totals, which the pack
    never showed).
    """

    rules: InsuranceRules
    people: tuple[InsuredPerson, ...]  # the client first
    household_income: Decimal | None
    total_cover: Decimal
    total_premiums: Decimal
    premium_limit: Decimal | None  # household income x premium share
    missing_rates: tuple[str, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    # False when a policy whose premium is paid was left out for want of a rate: the
    # premiums are then not all known (found: "0.6% of household income" of the premiums
    # known alone). Said on the page through `left_out`, so not part of the reference.
    premiums_converted: bool = field(default=True, repr=False)
    # How many policies in force and still paying have no premium on record
    # (`PolicyTerms.held_on`): the premiums are then those on record, not all (found: a
    # single-premium policy imported with its premium blank read "HKD 0.00 a year" and
    # the premiums' share of the household income was worked out as if it cost nothing).
    # Printed by the pack: in its reference through `Review.digest_extras`.
    unrecorded_premiums: int = field(default=0, repr=False)
    # Insurance products held (their cash value among the holdings) while no policy in
    # force on the review date is on record: their cover is not known, so the table's
    # cover leaves them out and says so (found: a client holding a whole-life policy's cash
    # value read "Life cover 0.00, gap 9,608,188.96" with nothing said). Printed by the
    # pack: in its reference through `Review.digest_extras`.
    unrecorded_policies: tuple[str, ...] = field(default=(), repr=False)

    @property
    def premiums_complete(self) -> bool:
        """Whether every premium paid on the review date is known: none left out for want
        of a rate (`premiums_converted`) and none not on record (`unrecorded_premiums`)."""
        return self.premiums_converted and not self.unrecorded_premiums

    @property
    def income_recorded(self) -> bool:
        """Whether anyone's income is recorded: with none, the household's income is not
        known (a blank is not a zero), and premiums are not judged against it."""
        return any(person.income is not None for person in self.people)

    def person(self, member_id: int | None) -> InsuredPerson | None:
        """The insured person who is the family member `member_id` (None: the client), if
        the review has them."""
        return next((p for p in self.people if p.member_id == member_id), None)

    @property
    def client_income_recorded(self) -> bool:
        """Whether the client's own income is recorded (0 for none): without it the
        household's income is not known, whatever the family's."""
        return any(person.is_client and person.income is not None for person in self.people)

    @property
    def unrecorded_spouses(self) -> tuple[str, ...]:
        """The spouses whose income is not recorded (0 for none): a spouse's income is the
        household's as the client's is, so without it the household's is not known (found:
        "15.0% of household income" of the client's alone). A blank for a child or a
        parent is taken as no income."""
        return tuple(
            p.name for p in self.people if p.relation is Relation.SPOUSE and p.income is None
        )

    @property
    def policies_held(self) -> int:
        """How many policies on record are in force on the review date, those left out for
        want of a rate included: with none, no premium is known to be paid or not."""
        return sum(cover.policies for person in self.people for cover in person.covers)

    @property
    def premiums_judged(self) -> bool:
        """Whether the premiums are checked against the guide: a policy is in force, the
        household's income is known and so is every premium paid (else
        `insurance_text.premiums_unjudged` says why not).

        Found: with no policy on record the pack read "Premiums: CNY 0.00 a year, 0.0% of
        household income", a figure the bank does not know."""
        return (
            self.policies_held > 0
            and self.premiums_complete
            and self.household_income is not None
            and self.premium_limit is not None
        )

    @property
    def premiums_over_limit(self) -> bool:
        return self.premium_limit is not None and self.total_premiums > self.premium_limit

    @property
    def premium_share(self) -> Decimal | None:
        """The premiums as an exact fraction of the household income; None when the
        income is not known or nil, a premium paid is not known, or no policy is in
        force (`premiums_judged`)."""
        if not self.household_income or not self.premiums_complete or not self.policies_held:
            return None
        return self.total_premiums / self.household_income


# The client's risk assessment on the day of the meeting (`review.risk_status`):
# state (missing, valid, expiring, expired), level, assessed_on, effective valid_until.
RiskProfile = AssessmentStatus


class Suitability(enum.StrEnum):
    """Whether what is held can be judged against the client's risk level."""

    ASSESSED = "assessed"  # a valid assessment: holdings judged against its level
    NO_ASSESSMENT = "no_assessment"  # cannot be assessed: no assessment on record
    EXPIRED = "expired"  # cannot be assessed: the latest assessment has expired

    @property
    def can_assess(self) -> bool:
        return self is Suitability.ASSESSED


# Products at this level and above may only be held with a valid assessment (R1 fits
# every client level, C1 included).
NEEDS_ASSESSMENT_FROM = RiskLevel.R2
# Products sold with a risk rating: one held with no rating on record cannot be judged
# against the client's level. Deposits and cash keep their principal; insurance cash
# value and property are not rated products; a loan is owed.
RATED_CLASSES = frozenset(
    {
        AssetClass.FUND,
        AssetClass.BOND,
        AssetClass.STOCK,
        AssetClass.WEALTH_PRODUCT,
        AssetClass.OTHER,
    }
)
# The line under the suitability verdict when such holdings are held (the pack, the screen).
UNRATED_LINE = N_plural(
    "{count} holding has no product risk rating on record, so its suitability cannot be "
    "judged: {names}.",
    "{count} holdings have no product risk rating on record, so their suitability cannot "
    "be judged: {names}.",
)


def unrated_sentence(names: tuple[str, ...], lang: str) -> str:
    """`UNRATED_LINE` for the holdings named: the talking point's text, which the risk
    sections of the pack and the screen repeat."""
    return TalkingPoint(PointKind.UNRATED, names=names).text(lang, "")


REVIEW_TITLE = N_("Portfolio review of {date}")


def review_title(review_date: dt.date, lang: str) -> str:
    """A review's title as the client reads it, on the pack's pages (its running header, the
    PDF's title) and in present mode: the date written as the sentences write it.

    Found: "2026-12-02 资产回顾" above a cover and sentences that write 2026年12月2日, and
    present mode's "Review of 2026-12-02" beside the pack's title."""
    return translator(lang)(REVIEW_TITLE).format(date=written_date(review_date, lang))


# Under "points worth raising" when the review's rules raise none: of the points, not "nothing
# needs attention", which a need not worked out for want of an income would belie.
NO_POINTS_LINE = N_("No particular point to raise at this review.")

# What the pack and the screen say when no maturity date on record falls in the window:
# of the holdings on record, since a term product recorded without its maturity date may
# still mature in it ("Nothing matures in this period" said more than the book knows).
NO_MATURITY_LINE = N_("No holding on record matures in this period.")

# Products that are bought for a term and normally carry a maturity date. A deposit may be
# a current account, so a deposit without a date is not one missing.
TERM_CLASSES = frozenset({AssetClass.BOND, AssetClass.WEALTH_PRODUCT})
# Under the maturities, in the pack and on screen: the term products held with no maturity
# date on record, which no window can say anything about. Found: a bond recorded without
# its date was covered by "No holding on record matures in this period." alone.
UNDATED_TERM_LINE = N_("Maturity date not on record: {names}.")
# Under the maturities heading of an older review prepared after a later one: the window is
# read from the holdings of the latest review on or before the as-of day. Found: a pack of
# the 31 Jan review made on 10 Jun listed "2026-06-20 Bond X" and the key point "Bond X
# matures on 2026-06-20", a bond the 31 May review shows was no longer held.
MATURITY_BASIS_LINE = N_(
    "Maturities are read from the holdings at the review of {date}, the latest on record."
)

# What the pack and the screen say, with no valid assessment, when no holding waits for
# one: only when every rated product held has its rating on record
# (`Review.none_rated_r2_or_above`), and of the ratings on record. Found: with no assessment,
# an equity fund recorded without its rating read "No holding is rated R2 or above", and
# the fund was never named. Of the assets held: a loan is owed, and one recorded with a
# rating of R5 read "No holding has a risk rating of R2 or above on record" beside it.
NONE_RATED_R2_LINE = N_(
    "No asset held has a product risk rating of R2 or above on record; an assessment is "
    "needed before any product is recommended."
)

# What the pack and the screen say under a valid assessment when no asset held carries a
# product risk rating on record (only loans, deposits or property without one, or nothing
# at all): there is nothing to judge, so nothing is said to be within the client's level.
# Of the record and of the assets (found: "No holding with a product risk rating is held"
# beside a mortgage recorded with a rating, and of a structured deposit recorded without
# the rating it was sold with).
NOTHING_TO_JUDGE_LINE = N_(
    "No asset held has a product risk rating on record: there is nothing to judge against "
    "the client's risk level."
)

# The verdict under a valid assessment (`Review.all_within_level`): of the assets judged,
# those with a rating on record. Found: a client holding a fund within the level and a
# structured deposit, an investment-linked policy and a flat, the three recorded without a
# rating, read "Every holding is within the client's risk level.", which no one had
# checked of the three.
WITHIN_LEVEL_LINE = N_(
    "Every asset held with a product risk rating on record is within the client's risk level."
)
# Under the verdict: the classes of the assets held that it does not speak of
# (`Review.unjudged_classes`).
UNJUDGED_LINE = N_plural(
    "Assets held with no product risk rating on record are not judged against the "
    "client's risk level (asset class: {classes}).",
    "Assets held with no product risk rating on record are not judged against the "
    "client's risk level (asset classes: {classes}).",
)


def unjudged_sentence(classes: tuple[AssetClass, ...], lang: str) -> str:
    """`UNJUDGED_LINE` for the asset classes given (`Review.unjudged_classes`), each by its
    label as the holdings page heads its group; the pack and the screens say it alike."""
    _ = translator(lang)
    labels = ("、" if lang == "zh" else ", ").join(_(c.label) for c in classes)
    return ngettext(*UNJUDGED_LINE, len(classes), lang).format(classes=labels)


# What the mark beside a holding's risk level says (the pack's note under the holdings, the
# screen's tooltip): above the level of the latest assessment, and with that one expired,
# of the expired assessment, as the risk page and the key points say. Found: with the
# assessment expired, the pack's holdings read "Risk level marked ▲: above the client's
# assessed risk level." while its risk page said suitability could not be assessed.
ABOVE_LEVEL_NOTE = N_("Risk level marked ▲: above the client's assessed risk level.")
ABOVE_LEVEL_TIP = N_("Above the client's risk level")
ABOVE_EXPIRED_LEVEL_NOTE = N_("{mark} above the level of the expired assessment ({level}).")
ABOVE_EXPIRED_LEVEL_TIP = N_("Above the level of the expired assessment ({level})")

# The line over the holdings that wait for an assessment, in the pack and on screen.
NEEDS_ASSESSMENT_LINE = N_plural(
    "{count} holding is rated R2 or above and needs a valid assessment before it can be judged:",
    "These {count} holdings are rated R2 or above and need a valid assessment before they "
    "can be judged:",
)


@dataclass(frozen=True)
class AssessmentNeed:
    """A holding that needs a valid assessment (R2 or above) before it can be judged."""

    product_name: str
    asset_class: AssetClass
    risk_level: RiskLevel
    value: Decimal | None
    above_last_level: bool  # above the level of the latest (expired) assessment


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
    value: Decimal | None  # None: no rate for its currency in the snapshot
    # The holding's own currency, which the key point names when its value is missing. Out
    # of the repr (`pack.reference`): the point that says it is in it.
    currency: str = field(default="", repr=False)


@dataclass(frozen=True)
class ContactNote:
    """A contact the manager marked as shared: its summary may be read by the client.

    Unshared contacts never become a ContactNote, so no face can show their words.
    """

    contact_date: dt.date
    channel: Channel
    summary: str | None


# Under "Agreed next steps" when none is shown: of what the pack reports, since open next
# steps kept internal are never shown nor counted to the client. Found: "No open next step."
# read while the manager had open steps marked internal.
NO_NEXT_STEP_LINE = N_("No next step to report.")

# The "Due by" cell of a shared next step whose due date has passed on the review's as-of
# day (`Review.today`). Found: a pack prepared on 10 June 2026 showed "Send insurance quote,
# due by 2026-02-01" as if still on time.
OVERDUE_STEP = N_("Overdue (due by {date})")
NO_DUE_DATE = N_("No date set")


@dataclass(frozen=True)
class NextStep:
    """An open next step the manager marked as shared with the client."""

    text: str
    due: dt.date | None  # None: no date agreed
    agreed_on: dt.date  # the day of the contact it was agreed in
    # Its due date is before the review's as-of day. Out of the repr (`pack.reference`):
    # `due` and `Review.today`, which decide it, are in it.
    overdue: bool = field(default=False, repr=False)

    def due_text(self, lang: str) -> str:
        """The "Due by" cell as the pack and the screen print it (`step_due_text`)."""
        return step_due_text(self.due, self.overdue, lang)


def step_due_text(due: dt.date | None, overdue: bool, lang: str) -> str:
    """A next step's "Due by" cell, on every face that lists next steps: the pack, the
    review page, present mode and `next-steps`. Found: `next-steps` printed "2026-02-28"
    for a step the pack of the same day called "Overdue (due by 2026-02-28)", and "—"
    where the pack said "No date set"."""
    _ = translator(lang)
    if due is None:
        return _(NO_DUE_DATE)
    if overdue:
        return _(OVERDUE_STEP).format(date=due.isoformat())
    return due.isoformat()


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
    annual_income: Decimal | None  # in the report currency; None: none, or no rate
    family: tuple[FamilyDetail, ...]


@dataclass(frozen=True)
class Preparer:
    """Who hands the pack over: the bank from the book's settings; the manager from the
    settings on a book file, from the client's own manager on a team book ("" when no
    name is on record: the cover then names nobody; `build.preparer`)."""

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
    NO_ASSESSMENT = "no_assessment"
    PREMIUMS = "premiums"
    BENCHMARK = "benchmark"
    UNRATED = "unrated"  # rated products held with no rating on record

    @property
    def compliance(self) -> bool:
        """A suitability point: never left out of the talking points."""
        return self in (
            PointKind.NO_ASSESSMENT,
            PointKind.EXPIRED,
            PointKind.SUITABILITY,
            PointKind.UNRATED,
        )


# What the client reads: a point states the facts (the pack, present mode, the screen).
_POINT_TEXT: dict[PointKind, str | tuple[str, str]] = {
    PointKind.MATURITY: N_("{subject} matures on {date} ({amount})."),
    PointKind.GAP: N_("{subject}: {kind} cover is {amount} short of the need."),
    PointKind.SUITABILITY: N_("{subject} ({level}) is above the client's risk level."),
    # A move said as a rise or a fall, its size unsigned (found: "招商银行 moved -7.2% (CNY
    # -80,942.62) since the last review."): the fall is the "fell" variant.
    PointKind.MOVE: N_("{subject} rose {percent} ({amount}) since the last review."),
    PointKind.EXPIRED: N_plural(
        "The risk assessment expired on {date}: suitability cannot be "
        "assessed for {count} holding of R2 or above ({names}) until it is redone.",
        "The risk assessment expired on {date}: suitability cannot be "
        "assessed for {count} holdings of R2 or above ({names}) until it is redone.",
    ),
    PointKind.NO_ASSESSMENT: N_plural(
        "No risk assessment on record: suitability cannot be assessed "
        "for {count} holding of R2 or above ({names}).",
        "No risk assessment on record: suitability cannot be assessed "
        "for {count} holdings of R2 or above ({names}).",
    ),
    PointKind.UNRATED: UNRATED_LINE,
    # Named as the insurance page names it, the guide and its share (found: "exceed the
    # planned share of income" beside "(guide: at most 10.0%)": a plan the client never made).
    PointKind.PREMIUMS: N_(
        "Premiums of {amount} a year exceed the guide of {percent} of household income."
    ),
    PointKind.BENCHMARK: N_(
        "{kind}: the portfolio returned {percent} (time-weighted), its benchmark {subject} {other}."
    ),
}

# Texts for a point without holdings to name, or judged against an expired assessment.
_POINT_VARIANTS: dict[tuple[PointKind, str], str | tuple[str, str]] = {
    (PointKind.EXPIRED, "none_held"): N_(
        "The risk assessment expired on {date} and needs to be redone."
    ),
    (PointKind.NO_ASSESSMENT, "none_held"): N_(
        "No risk assessment on record: one is needed before any product is recommended."
    ),
    # Found: a USD certificate of deposit with no USD rate in the snapshot read "matures
    # on 2026-07-01 ()."
    (PointKind.MATURITY, "no_rate"): N_(
        "{subject} matures on {date} (its value is not available: no exchange rate for {codes})."
    ),
    (PointKind.MOVE, "fell"): N_("{subject} fell {percent} ({amount}) since the last review."),
    (PointKind.SUITABILITY, "expired"): N_(
        "{subject} ({level}) is above the risk level of the expired assessment."
    ),
    # Several holdings above the level: each named, not the largest alone (found: a client
    # holding two products above the level read of one, as if it were the only one).
    (PointKind.SUITABILITY, "several"): N_plural(
        "{count} holding is above the client's risk level: {names}.",
        "{count} holdings are above the client's risk level: {names}.",
    ),
    (PointKind.SUITABILITY, "expired_several"): N_plural(
        "{count} holding is above the risk level of the expired assessment: {names}.",
        "{count} holdings are above the risk level of the expired assessment: {names}.",
    ),
    (PointKind.BENCHMARK, "below"): N_(
        "{kind}: the portfolio returned {percent} (time-weighted), well below its benchmark "
        "{subject} at {other}."
    ),
    (PointKind.BENCHMARK, "above"): N_(
        "{kind}: the portfolio returned {percent} (time-weighted), well above its benchmark "
        "{subject} at {other}."
    ),
}

# What the manager is to do about a point: on the manager's own review page only, never
# in the pack or present mode, which the client reads ("explain why" is the bank's cue to
# its manager, not a sentence to its client).
_PROMPTS = {
    PointKind.MATURITY: N_("Plan the reinvestment with the client."),
    PointKind.EXPIRED: N_("Redo it in this meeting."),
    PointKind.NO_ASSESSMENT: N_("Assess the client in this meeting."),
    (PointKind.BENCHMARK, "below"): N_("Explain why."),
    (PointKind.BENCHMARK, "above"): N_("Talk about the risk taken."),
}
NAMED_AT_MOST = 3


def full_stop(sentence: str) -> str:
    """A sentence that ends on a name ending in its own full stop ends on that one: found,
    "2 holdings are above the risk level of the expired assessment: Toyota Motor Corp., Sony
    Group Corp.." and "…: Apple Inc..". A name ending in an ellipsis keeps its three."""
    if sentence.endswith(".."):
        return sentence[:-1]
    return sentence


def name_list(names: tuple[str, ...], lang: str, at_most: int = NAMED_AT_MOST) -> str:
    """Product names for a sentence: the first few, each once, then how many more holdings.
    Found: a client holding one product in three lots read "朝招金 7天持有期、US Treasury
    4.25% 2026、朝招金 7天持有期，另有 2 项" and "未记录到期日：朝招金 7天持有期、朝招金
    7天持有期、朝招金 7天持有期。"."""
    _ = translator(lang)
    distinct = list(dict.fromkeys(names))[:at_most]
    shown = ("、" if lang == "zh" else ", ").join(distinct)
    more = sum(1 for name in names if name not in distinct)
    if more:
        shown += _(" and {count} more").format(count=more)
    return shown


@dataclass(frozen=True)
class TalkingPoint:
    """Something worth raising in the meeting, derived from the data."""

    kind: PointKind
    subject: str = ""
    amount: Decimal | None = None
    when: dt.date | None = None
    ratio: Decimal | None = None
    detail: str = ""  # an English label (a cover kind, a risk level), translated on output
    # The holdings concerned: an assessment point's; a suitability point's when more than
    # one holding is above the level (the largest is then `subject`).
    names: tuple[str, ...] = ()
    # "expired": a suitability point against an expired assessment; "below" / "above": a
    # return against its benchmark; "no_rate": a maturity whose value has no rate.
    variant: str = ""
    other: Decimal | None = None  # the benchmark's return beside `ratio` (benchmark points)
    # The holding's own currency, named when its value could not be converted (a maturity
    # point's "no_rate"); out of the repr, where the variant says it.
    held_currency: str = field(default="", repr=False)

    def prompt(self, lang: str) -> str:
        """What the manager is to do about it ("" for nothing): the manager's screen adds
        it after `text`; the pack and present mode never show it."""
        template = _PROMPTS.get((self.kind, self.variant)) or _PROMPTS.get(self.kind)
        return translator(lang)(template) if template else ""

    def for_manager(
        self, lang: str, currency: str, date: Callable[[dt.date], str] = dt.date.isoformat
    ) -> str:
        """The point as the manager's own review page says it: the text, then the prompt."""
        text, prompt = self.text(lang, currency, date), self.prompt(lang)
        if not prompt:
            return text
        _ = translator(lang)
        return _("{point} {prompt}").format(point=text, prompt=prompt)

    def text(
        self, lang: str, currency: str, date: Callable[[dt.date], str] = dt.date.isoformat
    ) -> str:
        """The point as the client reads it (the pack, present mode): the facts, its date as
        the face writes a date in a sentence (`date`: the pack's "2026年3月17日" as on its
        other pages; found: the key points read "将于 2026-03-17 到期" beside them)."""
        _ = translator(lang)
        amount = format_money(self.amount, currency, lang) if self.amount is not None else ""
        variant = self.variant
        ratio = self.ratio
        if self.kind is PointKind.MOVE:  # "rose 4.0%" / "fell 7.2%": the verb gives the sign
            fell = (self.ratio or 0) < 0 or (self.amount or 0) < 0
            variant = "fell" if fell else ""
            ratio = abs(self.ratio) if self.ratio is not None else None
            if self.amount is not None:
                amount = format_money(abs(self.amount), currency, lang)
        if self.kind in (PointKind.EXPIRED, PointKind.NO_ASSESSMENT) and not self.names:
            variant = "none_held"
        elif self.kind is PointKind.SUITABILITY and len(self.names) > 1:
            variant = "expired_several" if variant == "expired" else "several"
        template = _POINT_VARIANTS.get((self.kind, variant), _POINT_TEXT[self.kind])
        # Returns to the two decimals the Performance page gives them (`format_return`).
        shown = format_return if self.kind is PointKind.BENCHMARK else format_percent
        if isinstance(template, tuple):  # a plural, by the holdings named
            message = ngettext(*template, len(self.names), lang)
        else:
            message = _(template)
        return full_stop(
            message.format(
                subject=self.subject,
                amount=amount,
                date=date(self.when) if self.when else "",
                percent=(
                    format_percent(ratio, lang, signed=False)
                    if self.kind in (PointKind.MOVE, PointKind.PREMIUMS)
                    else shown(ratio, lang)
                ),
                other=shown(self.other, lang) if self.other is not None else "",
                kind=_(self.detail) if self.detail else "",
                level=self.detail,
                count=len(self.names),
                names=name_list(self.names, lang),
                codes=self.held_currency,
            )
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
    risk: RiskProfile  # the assessment's state on `today`
    # Holdings above the level of the latest assessment (valid or expired), largest first.
    suitability: tuple[SuitabilityFlag, ...]
    suitability_status: Suitability  # ASSESSED only with a valid assessment
    # Holdings of R2 and above still held: with no valid assessment, they cannot be judged.
    needs_assessment: tuple[AssessmentNeed, ...]
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
    # (from, to, rate) of the snapshot's exchange rates, as used for the report currency
    rates: tuple[tuple[str, str, Decimal], ...] = ()
    # New money told apart from what the market did (review/returns.py); the pack shows
    # it, so it is part of repr (which the pack's reference digests).
    returns: Returns | None = None
    # The gain against principal over the holdings with one; None when no holding has one.
    cost_gain: CostGainTotal | None = None
    # The date of the later review whose holdings the maturities (and the undated term
    # products) are read from, when the as-of day is past a later review than this one;
    # None: this review's own holdings. Term products held then with no maturity date on
    # record (`TERM_CLASSES`), largest first. Both printed, yet out of the repr, so the
    # references of packs that print neither stay as they were: `digest_extras` adds them.
    maturities_from: dt.date | None = field(default=None, repr=False)
    undated_term: tuple[str, ...] = field(default=(), repr=False)

    @property
    def digest_extras(self) -> tuple[object, ...]:
        """What the pack prints that the repr leaves out (`pack.reference`); () for none:
        the review the maturities are read from, the term products with no date, the
        flows with no value in the report currency (their reason names each), the
        insurance products held with no policy on record, the policies paying a premium
        not on record, and the covers that meet a need
        that is only a floor (`Cover.meets_floor`)."""
        unvalued = (
            tuple(u for p in self.returns.periods for u in p.unvalued) if self.returns else ()
        )
        extras: tuple[object, ...] = ()
        if self.maturities_from is not None or self.undated_term or unvalued:
            extras = (self.maturities_from, self.undated_term, unvalued)
        if self.insurance.unrecorded_policies:
            extras += (("unrecorded_policies", self.insurance.unrecorded_policies),)
        if self.insurance.unrecorded_premiums:
            extras += (("unrecorded_premiums", self.insurance.unrecorded_premiums),)
        floors = tuple(
            (p.name, c.kind.value) for p in self.insurance.people for c in p.covers if c.meets_floor
        )
        if floors:
            extras += (("needs_floor", floors),)
        return extras

    def maturity_notes(self, lang: str) -> tuple[str, ...]:
        """The sentences under the maturities, in the pack and on screen: the review they
        are read from when it is a later one, then the term products with no date."""
        _ = translator(lang)
        notes = []
        if self.maturities_from is not None:
            # Written as every date in a sentence (found: "…at the review of 2026-05-31…"
            # among the pack's "31 May 2026").
            notes.append(
                _(MATURITY_BASIS_LINE).format(date=written_date(self.maturities_from, lang))
            )
        if self.undated_term:
            notes.append(
                full_stop(_(UNDATED_TERM_LINE).format(names=name_list(self.undated_term, lang)))
            )
        return tuple(notes)

    def above_level_note(self, lang: str, *, short: bool = False) -> str:
        """What the mark beside a holding above the level says: under the holdings in the
        pack, or `short`, as the screen's tooltip. Against the expired assessment's level
        when the assessment has expired (`suitability_status`)."""
        _ = translator(lang)
        if self.suitability_status.can_assess or self.risk.level is None:
            return _(ABOVE_LEVEL_TIP if short else ABOVE_LEVEL_NOTE)
        level = _(self.risk.level.label)
        if short:
            return _(ABOVE_EXPIRED_LEVEL_TIP).format(level=level)
        return _(ABOVE_EXPIRED_LEVEL_NOTE).format(mark="▲", level=level)

    @property
    def period(self) -> Cadence:
        return self.client.cadence

    @property
    def net_worth(self) -> Decimal:
        return self.current.net_worth

    @property
    def change(self) -> Decimal | None:
        """Net worth change since the previous review; None with no previous review and
        when either review lacks a rate for a currency held (`change_unknown`)."""
        if self.previous is None or self.change_unknown:
            return None
        return self.current.net_worth - self.previous.net_worth

    @property
    def change_pct(self) -> Decimal | None:
        change = self.change
        if change is None or self.previous is None or not self.previous.net_worth:
            return None
        return change / abs(self.previous.net_worth)

    @property
    def change_unknown(self) -> tuple[str, ...]:
        """The currencies without a rate at this review or the previous one: a total that
        leaves one out is not compared with one that does not (found: a EUR bond held at
        both reviews, its rate missing at the latest, read as a fall of 26.8%)."""
        if self.previous is None:
            return ()
        return tuple(sorted(set(self.current.missing_rates) | set(self.previous.missing_rates)))

    def slice_amounts(self, slices: tuple[Slice, ...]) -> list[Decimal]:
        """The amounts of some of the allocation's slices (by class, institution or
        currency) as every face prints them: to the report currency's smallest unit, and
        adding up to the total assets printed beside them (`money.apportion`)."""
        return slice_amounts(self.allocation.total, slices, self.currency)

    @property
    def unrated(self) -> tuple[str, ...]:
        """Rated products still held with no product risk rating on record (names, largest
        first): no verdict covers them."""
        return tuple(
            h.product_name
            for h in sorted(self.holdings, key=lambda h: -(h.value or Decimal(0)))
            if h.status is not HoldingStatus.GONE
            and h.asset_class in RATED_CLASSES
            and h.risk_level is None
        )

    @property
    def judged(self) -> tuple[HoldingRow, ...]:
        """The holdings suitability speaks of: assets still held that carry a product risk
        rating on record or are rated products (`RATED_CLASSES`, rated or not). A loan is
        owed, and a deposit or property recorded without a rating has no level to judge."""
        return tuple(
            h
            for h in self.holdings
            if h.status is not HoldingStatus.GONE
            and not h.is_liability
            and (h.risk_level is not None or h.asset_class in RATED_CLASSES)
        )

    @property
    def unjudged_classes(self) -> tuple[AssetClass, ...]:
        """The asset classes of what is held but not judged, when there is a verdict to
        qualify (a valid assessment and something judged): assets still held with no
        product risk rating on record whose class is not a rated product's
        (`RATED_CLASSES`), in the holdings page's order of classes. () otherwise.

        The verdict (`WITHIN_LEVEL_LINE`, or the holdings above the level) speaks only of
        `judged`; this says what it leaves out, so that "every asset with a rating is within
        the level" is not read as every asset. Classes, not names: a deposit, cash, an
        insurance cash value and a property are recorded without a rating on most packs, so
        a list of every savings account would bury the one that matters, and no rule on the
        data tells a structured deposit or an investment-linked policy from a plain one.
        The classes are few (at most four), short to read and complete: the client learns
        that, say, deposits and insurance cash value were not checked. Found: a fund within
        the level beside a structured deposit recorded as a deposit, an investment-linked
        policy as insurance cash value and a flat read "Every holding is within the
        client's risk level." of them all."""
        if not (self.suitability_status.can_assess and self.judged):
            return ()
        held = {
            h.asset_class
            for h in self.holdings
            if h.status is not HoldingStatus.GONE
            and not h.is_liability
            and h.risk_level is None
            and h.asset_class not in RATED_CLASSES
        }
        return tuple(c for c in AssetClass if c in held)

    @property
    def all_within_level(self) -> bool:
        """True only when a valid assessment exists, something held is judged against it
        (`judged`), no holding is above its level and every rated product held has a
        rating on record.

        It speaks of the assets judged, as `WITHIN_LEVEL_LINE` does; those held that are not
        judged are named by class (`unjudged_classes`). Found: a snapshot of a mortgage
        alone (or of nothing) read "Every holding is within the client's risk level"."""
        return (
            self.suitability_status.can_assess
            and bool(self.judged)
            and not self.suitability
            and not self.unrated
        )

    @property
    def nothing_to_judge(self) -> bool:
        """With a valid assessment, nothing held carries a product risk rating: the faces
        say `NOTHING_TO_JUDGE_LINE`, never that every holding is within the level."""
        return self.suitability_status.can_assess and not self.judged

    @property
    def none_rated_r2_or_above(self) -> bool:
        """No holding has a rating of R2 or above on record, and every rated product held
        has its rating on record: only then may a face say `NONE_RATED_R2_LINE`. A rated
        product held without its rating is named (`unrated`) in every assessment state."""
        return not self.needs_assessment and not self.unrated

    @property
    def holdings(self) -> tuple[HoldingRow, ...]:
        return tuple(h for g in self.groups for h in g.holdings)

    @property
    def new_holdings(self) -> tuple[HoldingRow, ...]:
        return tuple(h for h in self.holdings if h.status is HoldingStatus.NEW)

    @property
    def gone_holdings(self) -> tuple[HoldingRow, ...]:
        return tuple(h for h in self.holdings if h.status is HoldingStatus.GONE)
