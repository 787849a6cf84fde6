"""The state of a client's risk assessment on a day: the one rule the whole desk uses.

The pack, the on-screen review, the client list's flag, the agenda, the risk tab and
the command line all ask this module, so a client is never "expired" on one page and
fine on the next. The rule:

- the assessment that counts is the latest one made on or before the day (on a tie,
  the one recorded last);
- it lapses on the earlier of its own valid-until date and the book's validity
  setting (`assessment_validity_months`) after the day it was made; it is still
  valid on that day and expired from the day after;
- it is "expiring" while valid but lapsing within the warning window (the
  agenda's look-ahead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewdesk.book.enums import ClientRiskLevel, LabelledEnum
from reviewdesk.book.models import Client, RiskAssessment
from reviewdesk.book.queries import plain_rows
from reviewdesk.i18n import N_, translator
from reviewdesk.review.questionnaire import valid_until


class AssessmentState(LabelledEnum):
    MISSING = ("missing", N_("No risk assessment"))
    VALID = ("valid", N_("Valid"))
    EXPIRING = ("expiring", N_("Expiring soon"))
    EXPIRED = ("expired", N_("Expired"))


_STATE_SENTENCES = {
    AssessmentState.MISSING: N_(
        "No risk assessment on record: one is needed before any product is recommended."
    ),
    AssessmentState.EXPIRED: N_(
        "The assessment has expired: it must be redone before any new investment."
    ),
    AssessmentState.EXPIRING: N_("The assessment is valid."),  # with its date: `sentence`
    AssessmentState.VALID: N_("The assessment is valid."),
}


@dataclass(frozen=True)
class AssessmentStatus:
    """A client's risk assessment as it stands on `on`.

    `level`, `assessed_on` and `valid_until` are None when there is none;
    `valid_until` is the effective date (own date and validity setting, the earlier).
    """

    state: AssessmentState
    level: ClientRiskLevel | None
    assessed_on: dt.date | None
    valid_until: dt.date | None
    validity_months: int
    on: dt.date

    @property
    def is_valid(self) -> bool:
        """Suitability may be judged against `level` (valid, even if expiring soon)."""
        return self.state in (AssessmentState.VALID, AssessmentState.EXPIRING)

    @property
    def expired(self) -> bool:
        return self.state is AssessmentState.EXPIRED

    @property
    def missing(self) -> bool:
        return self.state is AssessmentState.MISSING

    @property
    def lapsed_on(self) -> dt.date | None:
        """The day the assessment expired, the day after `valid_until` (on which it was still
        valid): what "expired on {date}" gives. None when there is none. Found: "Assessed on
        1 Jan 2026, valid until 9 Jun 2026" above "the risk assessment expired on 9 Jun
        2026" ("有效期至 2026年6月9日" above "已于 2026年6月9日 过期")."""
        return None if self.valid_until is None else self.valid_until + dt.timedelta(days=1)

    @property
    def _expiry_in_sentence(self) -> dt.date | None:
        """The day the assessment lapses if `sentence` gives it (only while expiring)."""
        return self.valid_until if self.state is AssessmentState.EXPIRING else None

    def sentence(self, lang: str, date: Callable[[dt.date], str]) -> str:
        """The state as the client reads it (the pack, the review page, present mode),
        the dates in the face's format (`date`). The facts only: a cue to the manager
        ("plan to redo it") belongs on the manager's own screens."""
        _ = translator(lang)
        if (until := self._expiry_in_sentence) is not None:
            return _("The assessment is valid until {date}, and is to be redone by then.").format(
                date=date(until)
            )
        return _(_STATE_SENTENCES[self.state])

    def dates_sentence(self, lang: str, date: Callable[[dt.date], str]) -> str | None:
        """When the assessment was made and until when it is valid, said above `sentence`
        on the risk pages; the validity only when `sentence` does not give it. None when
        there is no assessment.

        Found: "Assessed on 14 Apr 2025, valid until 14 Apr 2026. The assessment is valid
        until 14 Apr 2026, and is to be redone by then." ("有效期至 2026年4月14日。评估有效期至
        2026年4月14日，届时须重新评估。"): the expiry said twice."""
        if self.assessed_on is None or self.valid_until is None:
            return None
        _ = translator(lang)
        if self._expiry_in_sentence is not None:
            return _("Assessed on {date}.").format(date=date(self.assessed_on))
        return _("Assessed on {date}, valid until {until}.").format(
            date=date(self.assessed_on), until=date(self.valid_until)
        )

    def as_dict(self) -> dict[str, object]:
        """For JSON output: state, level, assessed_on, valid_until."""
        return {
            "status": self.state.value,
            "level": self.level.value if self.level else None,
            "assessed_on": self.assessed_on,
            "valid_until": self.valid_until,
        }


def effective_valid_until(
    assessed_on: dt.date, own_valid_until: dt.date | None, validity_months: int
) -> dt.date:
    """The day an assessment lapses: its own date or the validity setting, the earlier."""
    by_setting = valid_until(assessed_on, validity_months)
    return by_setting if own_valid_until is None else min(own_valid_until, by_setting)


def status_of(
    level: ClientRiskLevel | str | None,
    assessed_on: dt.date | None,
    own_valid_until: dt.date | None,
    on: dt.date,
    validity_months: int,
    warn_days: int = 0,
) -> AssessmentStatus:
    """The status of one assessment (None `assessed_on`: there is none) on `on`."""
    if assessed_on is None or level is None:
        return AssessmentStatus(AssessmentState.MISSING, None, None, None, validity_months, on)
    until = effective_valid_until(assessed_on, own_valid_until, validity_months)
    if until < on:
        state = AssessmentState.EXPIRED
    elif warn_days > 0 and until <= on + dt.timedelta(days=warn_days):
        state = AssessmentState.EXPIRING
    else:
        state = AssessmentState.VALID
    return AssessmentStatus(state, ClientRiskLevel(level), assessed_on, until, validity_months, on)


def assessment_status(
    assessments: Iterable[RiskAssessment], on: dt.date, validity_months: int, warn_days: int = 0
) -> AssessmentStatus:
    """The status on `on` of a client's assessments (as loaded on `Client.assessments`)."""
    done = [a for a in assessments if a.assessed_on is not None and a.assessed_on <= on]
    if not done:
        return status_of(None, None, None, on, validity_months, warn_days)
    latest = max(done, key=lambda a: (a.assessed_on, a.id or 0))
    return status_of(
        latest.level, latest.assessed_on, latest.valid_until, on, validity_months, warn_days
    )


def book_assessment_statuses(
    session: Session,
    on: dt.date,
    validity_months: int,
    warn_days: int = 0,
    client_ids: Iterable[int] | None = None,
) -> dict[int, AssessmentStatus]:
    """client id -> status on `on`, for every client with an assessment made by then.

    Each client's latest assessment (the same choice as `assessment_status`) is found by
    one seek per client in the assessments' client index, half the work of ranking every
    assessment of the book; clients missing from the result have none. Clients with the
    same assessment (level, day, own end) share one status, made once.
    """
    latest = (
        select(RiskAssessment.id)
        .where(RiskAssessment.client_id == Client.id, RiskAssessment.assessed_on <= on)
        .order_by(RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc())
        .limit(1)
        .scalar_subquery()
        .correlate_except(RiskAssessment)
    )
    query = select(
        Client.id, RiskAssessment.level, RiskAssessment.assessed_on, RiskAssessment.valid_until
    ).join(RiskAssessment, RiskAssessment.id == latest)
    if client_ids is not None:
        query = query.where(Client.id.in_(list(client_ids)))
    statuses: dict[int, AssessmentStatus] = {}
    made: dict[tuple[object, dt.date, dt.date | None], AssessmentStatus] = {}
    for cid, level, assessed_on, until in plain_rows(session, query):
        status = made.get((level, assessed_on, until))
        if status is None:
            status = made[(level, assessed_on, until)] = status_of(
                level, assessed_on, until, on, validity_months, warn_days
            )
        statuses[cid] = status
    return statuses


def missing_status(on: dt.date, validity_months: int) -> AssessmentStatus:
    """The status of a client with no assessment."""
    return status_of(None, None, None, on, validity_months)
