"""The client list the desk opens on: summaries plus the flags a manager acts on.

The book gives the rows, one grouped query per kind of fact and none per client
(`book.queries`: each client's latest snapshot, one pass over those snapshots'
holdings for totals, the highest product risk and the nearest maturity). This
module makes the review's figures of them: totals in the report currency, the
last review and the next one due as the agenda counts them (`review.cadence`),
the risk assessment's state (`review.risk_status`) and the flags. A 2,000-client
book lists in a fraction of a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from reviewdesk.book.enums import Cadence, ClientRiskLevel, LabelledEnum, Tier
from reviewdesk.book.queries import (
    ClientBasics,
    client_basics,
    holding_facts,
    snapshot_rates,
    snapshot_totals,
)
from reviewdesk.i18n import N_
from reviewdesk.review.bulk import collector_paused
from reviewdesk.review.cadence import (
    DueState,
    client_tags,
    due_by,
    due_state,
    last_reviews,
    next_review_due,
    review_cadence,
)
from reviewdesk.review.risk_status import (
    AssessmentStatus,
    book_assessment_statuses,
    missing_status,
)
from reviewdesk.settings import Settings, load_settings
from reviewdesk.valuation import totals_of_sums


@dataclass
class ClientSummary:
    id: int
    code: str
    name: str
    tier: Tier
    cadence: Cadence
    report_currency: str
    last_review: dt.date | None
    next_review_due: dt.date
    total_assets: Decimal = Decimal(0)
    liabilities: Decimal = Decimal(0)
    missing_rates: list[str] = field(default_factory=list)
    assessment: AssessmentStatus = field(kw_only=True)  # the risk assessment's state today
    # Overdue, due (today or within the settings' `due_ahead_days`) or not yet, as the
    # agenda and the calendar say it (`review.cadence.due_state`).
    review_state: DueState = field(kw_only=True)
    # The name as the list sorts and searches it (`text.sort_name`: Chinese in pinyin).
    sort_name: str = field(kw_only=True, default="")

    @property
    def net_worth(self) -> Decimal:
        return self.total_assets - self.liabilities

    @property
    def review_flag(self) -> ClientFlag | None:
        """Review overdue, review due or neither: the client list's flag and what
        `clients` prints beside the next review's date."""
        return _REVIEW_FLAGS.get(self.review_state)

    def review_due_by(self, day: dt.date) -> bool:
        return due_by(self.last_review, self.next_review_due, day)


class ClientFlag(LabelledEnum):
    # A row carries one of the two, as the agenda says it (`cadence.due_state`): an overdue
    # review is not flagged as merely due. The "Review due" filter takes both (`ClientRow.has`).
    REVIEW_OVERDUE = ("review_overdue", N_("Review overdue"))
    REVIEW_DUE = ("review_due", N_("Review due"))
    # Missing or expired (review.risk_status): suitability cannot be judged.
    ASSESSMENT_EXPIRED = ("assessment_expired", N_("No valid risk assessment"))
    SUITABILITY = ("suitability", N_("Holding above risk level"))
    MATURITY_SOON = ("maturity_soon", N_("Maturity soon"))


_REVIEW_FLAGS = {DueState.OVERDUE: ClientFlag.REVIEW_OVERDUE, DueState.DUE: ClientFlag.REVIEW_DUE}


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

    def has(self, flag: ClientFlag) -> bool:
        """Whether the row answers to `flag`: an overdue review is also a review due."""
        if flag == ClientFlag.REVIEW_DUE:  # a str enum: Qt's item data gives back the str
            return bool(self.flags & {ClientFlag.REVIEW_DUE, ClientFlag.REVIEW_OVERDUE})
        return flag in self.flags


def _fill_totals(
    summary: ClientSummary,
    sums: Mapping[tuple[str, bool], Decimal],
    rates: Mapping[tuple[str, str], Decimal],
) -> None:
    totals = totals_of_sums(sums, summary.report_currency, rates)
    summary.total_assets = totals.assets
    summary.liabilities = totals.liabilities
    summary.missing_rates = list(totals.missing_rates)


class _Summaries:
    """What every summary of one listing shares: the day, the settings, the last reviews
    and the assessments of the whole book (or of the clients listed)."""

    def __init__(
        self,
        session: Session,
        today: dt.date,
        settings: Settings,
        client_ids: Collection[int] | None = None,
    ):
        self.today = today
        self.settings = settings
        self.reviewed = last_reviews(session, today, client_ids)
        self.months = settings.assessment_validity_months
        self.assessed = book_assessment_statuses(
            session, today, self.months, settings.agenda_lookahead_days, client_ids
        )
        self.missing = missing_status(today, self.months)
        self.ahead = settings.due_ahead_days
        self._cadences: dict[tuple[Tier, Cadence | None], Cadence] = {}
        # Many clients were last reviewed on the same day: each day's next review and where
        # it stands today are worked out once per cadence, not once per client.
        self._dues: dict[tuple[dt.date | None, int], tuple[dt.date, DueState]] = {}

    def cadence(self, tier: Tier, override: Cadence | None) -> Cadence:
        """The client's cadence, looked up in the settings once per tier and override."""
        cadence = self._cadences.get((tier, override))
        if cadence is None:
            cadence = self._cadences[(tier, override)] = review_cadence(
                tier, override, self.settings
            )
        return cadence

    def summary(self, client: ClientBasics) -> ClientSummary:
        effective = self.cadence(client.tier, client.review_cadence)
        last = self.reviewed.get(client.id)
        key = (last, effective.months)
        known = self._dues.get(key)
        if known is None:
            due = next_review_due(last, effective.months, self.today)
            known = self._dues[key] = (due, due_state(last, due, self.today, self.ahead))
        due, state = known
        return ClientSummary(
            id=client.id,
            code=client.code,
            name=client.name,
            tier=client.tier,
            cadence=effective,
            report_currency=client.report_currency,
            last_review=last,
            next_review_due=due,
            assessment=self.assessed.get(client.id) or self.missing,
            review_state=state,
            sort_name=client.sort_name,
        )


# A listing makes a few objects per client: the cycle collector waits (`review.bulk`).
@collector_paused()
def list_clients(
    session: Session,
    today: dt.date | None = None,
    search: str | None = None,
    settings: Settings | None = None,
) -> list[ClientSummary]:
    """Every client with totals at the latest snapshot, in the report currency.

    The last review and the next one due are the ones the agenda uses
    (`review.cadence`): packs shown or sent count as reviews, and the cadence
    follows the book's settings unless the client has its own.
    """
    today = today or dt.date.today()
    shared = _Summaries(
        session, today, settings if settings is not None else load_settings(session)
    )
    clients = client_basics(session, search)
    latest_ids = [c.snapshot_id for c in clients if c.snapshot_id is not None]
    totals = snapshot_totals(session, latest_ids)
    rates = snapshot_rates(session, latest_ids)
    result = []
    for client in clients:
        summary = shared.summary(client)
        if client.snapshot_id is not None:
            _fill_totals(
                summary, totals.get(client.snapshot_id, {}), rates.get(client.snapshot_id, {})
            )
        result.append(summary)
    return result


# A listing makes a few objects per client: the cycle collector waits (`review.bulk`).
@collector_paused()
def list_client_rows(
    session: Session,
    today: dt.date | None = None,
    maturity_window_days: int = 90,
    settings: Settings | None = None,
    client_ids: Collection[int] | None = None,
) -> list[ClientRow]:
    """The client list's rows; last review and next due as in `list_clients`.

    With `client_ids`, the rows of those clients only (those still in the book and visible
    to the person), made the same way: the list after an edit reads the edited client's
    row again, not the whole book's."""
    today = today or dt.date.today()
    shared = _Summaries(
        session, today, settings if settings is not None else load_settings(session), client_ids
    )
    clients = client_basics(session, client_ids=client_ids)
    snapshot_ids = [c.snapshot_id for c in clients if c.snapshot_id is not None]
    facts = holding_facts(
        session, snapshot_ids, today, today + dt.timedelta(days=maturity_window_days)
    )
    rates = snapshot_rates(session, snapshot_ids)
    tags = client_tags(session, client_ids)

    rows = []
    # The flags follow from four facts of a row: each of their few combinations is one set,
    # made once (10,000 clients: a set per client cost more than the flags' own tests).
    flag_sets: dict[tuple[DueState, bool, bool, bool], frozenset[ClientFlag]] = {}
    # A level's rank, and whether an assessment is valid, per assessment shared by clients
    # (`book_assessment_statuses` makes one status per level, day and end).
    judged: dict[int, tuple[bool, int | None]] = {}
    top_risk, maturing = facts.top_risk, facts.maturing
    for client in clients:
        sid = client.snapshot_id
        summary = shared.summary(client)
        if sid is not None:
            _fill_totals(summary, facts.totals.get(sid, {}), rates.get(sid, {}))
        assessment = summary.assessment
        level = assessment.level
        known = judged.get(id(assessment))
        if known is None:
            known = judged[id(assessment)] = (
                assessment.is_valid,
                None if level is None else level.rank,
            )
        valid, rank = known
        key = (
            summary.review_state,
            valid,
            rank is not None and sid is not None and top_risk.get(sid, 0) > rank,
            sid in maturing,
        )
        flags = flag_sets.get(key)
        if flags is None:
            flags = flag_sets[key] = _row_flags(summary.review_flag, *key[1:])
        rows.append(
            ClientRow(summary, client.phone or "", tuple(tags.get(client.id, ())), level, flags)
        )
    return rows


def _row_flags(
    review: ClientFlag | None, assessment_valid: bool, above_level: bool, maturing: bool
) -> frozenset[ClientFlag]:
    """A row's flags: the review's, a missing or expired assessment, a holding above the
    client's risk level, a maturity in the window."""
    flags = set()
    if review is not None:
        flags.add(review)
    if not assessment_valid:
        flags.add(ClientFlag.ASSESSMENT_EXPIRED)
    if above_level:
        flags.add(ClientFlag.SUITABILITY)
    if maturing:
        flags.add(ClientFlag.MATURITY_SOON)
    return frozenset(flags)
