"""The agenda: what to do today and in the coming days, and why.

Each line names its reason and carries the client's contact preferences so the
manager picks the right way to reach them. Everything is read with grouped
SQL over the whole book; no client's full history is loaded.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from reviewdesk.book.enums import (
    AssetClass,
    Cadence,
    Channel,
    LabelledEnum,
    PolicyKind,
    Relation,
)
from reviewdesk.book.models import (
    Client,
    Contact,
    FamilyMember,
    Holding,
    InsurancePolicy,
    Snapshot,
    month_day,
)
from reviewdesk.book.queries import latest_snapshot_id, latest_snapshots, plain_rows
from reviewdesk.i18n import N_, current_language, ngettext, translator
from reviewdesk.money import format_money
from reviewdesk.review.bulk import collector_paused
from reviewdesk.review.cadence import (
    ClientCadence,
    DueState,
    add_months,
    book_cadences,
    client_label,
    shared_names,
)
from reviewdesk.review.contacts import step_is_open, step_overdue
from reviewdesk.review.model import paying_premiums
from reviewdesk.review.risk_status import AssessmentState, book_assessment_statuses
from reviewdesk.settings import Settings, load_settings


class AgendaKind(LabelledEnum):
    REVIEW_OVERDUE = ("review_overdue", N_("Review overdue"))
    REVIEW_DUE = ("review_due", N_("Review due"))
    CONTACT_OVERDUE = ("contact_overdue", N_("Contact overdue"))
    CONTACT_DUE = ("contact_due", N_("Contact due"))
    # A next step agreed at a contact, not done, whose due date has passed or falls in the
    # agenda's days. Found: a step agreed "by 16 December" was on no list but the pack's.
    NEXT_STEP_OVERDUE = ("next_step_overdue", N_("Next step overdue"))
    NEXT_STEP_DUE = ("next_step_due", N_("Next step due"))
    BIRTHDAY = ("birthday", N_("Birthday"))
    MATURITY = ("maturity", N_("Product maturing"))
    ASSESSMENT_EXPIRED = ("assessment_expired", N_("Risk assessment expired"))
    # Found: a client never assessed was listed as "Risk assessment expired".
    ASSESSMENT_MISSING = ("assessment_missing", N_("No risk assessment"))
    ASSESSMENT_EXPIRING = ("assessment_expiring", N_("Risk assessment expiring"))
    INSURANCE_RENEWAL = ("insurance_renewal", N_("Insurance renewal"))

    @property
    def urgent(self) -> bool:
        """A line past its day: a review or a contact overdue, a risk assessment expired or
        missing (the screen marks them, and the agenda's summary counts them)."""
        return self in _URGENT

    @property
    def action(self) -> str:
        """What one click on the line does: "review", "contact" or "open"."""
        if self in (AgendaKind.REVIEW_OVERDUE, AgendaKind.REVIEW_DUE):
            return "review"
        if self in _ASSESSMENT_KINDS or self in _STEP_KINDS:
            return "open"
        return "contact"


_URGENT = frozenset(
    (
        AgendaKind.REVIEW_OVERDUE,
        AgendaKind.CONTACT_OVERDUE,
        AgendaKind.ASSESSMENT_EXPIRED,
        AgendaKind.ASSESSMENT_MISSING,
        AgendaKind.NEXT_STEP_OVERDUE,
    )
)
_STEP_KINDS = frozenset((AgendaKind.NEXT_STEP_OVERDUE, AgendaKind.NEXT_STEP_DUE))
_ASSESSMENT_KINDS = frozenset(
    (AgendaKind.ASSESSMENT_EXPIRED, AgendaKind.ASSESSMENT_MISSING, AgendaKind.ASSESSMENT_EXPIRING)
)
KIND_ORDER = {kind: i for i, kind in enumerate(AgendaKind)}
# The day names an agenda's headings use (the screen and the command line), Monday first.
WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def day_heading(day: dt.date, today: dt.date, lang: str | None = None, gap: str = " ") -> str:
    """A day of the agenda as its heading says it: the date, the day's name, and "(today)"
    or "(tomorrow)" (the screen and the command line); `gap` between the parts."""
    _ = translator(lang or current_language())
    parts = [day.isoformat(), _(WEEKDAYS[day.weekday()])]
    if day == today:
        parts.append(_("(today)"))
    elif day == today + dt.timedelta(days=1):
        parts.append(_("(tomorrow)"))
    return gap.join(parts)


# Words in a preference or a tag that say how (not) to reach the client.
_PREFERENCE_WORDS = (
    "勿",
    "偏好",
    "不要",
    "短信",
    "邮件",
    "午休",
    "面谈",
    "周末",
    "prefer",
    "no call",
    "don't call",
    "sms",
    "email",
    "lunch",
    "weekend",
)
_CHANNEL_HINTS = (
    (Channel.SMS, ("短信", "sms", "text")),
    (Channel.EMAIL, ("邮件", "email", "e-mail")),
    (Channel.MEETING, ("面谈", "meet")),
)


# The words above as one pattern each, searched once per text rather than word by word.
_PREFERENCE_PATTERN = re.compile("|".join(map(re.escape, _PREFERENCE_WORDS)))
_CHANNEL_PATTERNS = tuple(
    (channel, re.compile("|".join(map(re.escape, words)))) for channel, words in _CHANNEL_HINTS
)


def preference_note(preferences: str | None, tags: list[str]) -> str | None:
    """The client's stated contact preference plus any tag about how to reach them."""
    parts = [preferences.strip()] if preferences and preferences.strip() else []
    for tag in tags:
        if _PREFERENCE_PATTERN.search(tag.lower()) and tag not in parts:
            parts.append(tag)
    return " · ".join(parts) or None


def channel_hint(preferences: str | None, tags: list[str]) -> Channel | None:
    """The channel the client asked for, if they said one (the contact form starts on it)."""
    text = " ".join([preferences or "", *tags]).lower()
    for channel, pattern in _CHANNEL_PATTERNS:
        if pattern.search(text):
            return channel
    return None


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


# Not frozen: a frozen dataclass sets each field through `object.__setattr__`, which made
# the 31,546 lines of a week of a 10,000-client book four times as slow to make (85 ms
# against 19). Nothing changes a line once the agenda is made.
@dataclass(slots=True)
class AgendaLine:
    day: dt.date
    kind: AgendaKind
    client_id: int
    client_code: str
    client_name: str
    message: str
    params: dict[str, object] = field(default_factory=dict)
    preferences: str | None = None
    channel: Channel | None = None
    client_label: str = ""  # the name, with the code when another client has the same name

    @property
    def action(self) -> str:
        return self.kind.action

    def why(self, lang: str | None = None) -> str:
        lang = lang or current_language()
        tr = translator(lang)
        values: dict[str, object] = {}
        for key, value in self.params.items():
            if isinstance(value, Money):
                value = format_money(value.amount, value.currency, lang)
            elif isinstance(value, LabelledEnum):
                value = tr(value.label)
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif value is None:
                value = "—"
            values[key] = value
        return tr(self.message).format(**values)

    def as_dict(self, lang: str | None = None) -> dict[str, object]:
        return {
            "day": self.day,
            "kind": self.kind,
            "client_id": self.client_id,
            "client_code": self.client_code,
            "client_name": self.client_name,
            "client_label": self.client_label,
            "why": self.why(lang),
            "preferences": self.preferences,
            "suggested_channel": self.channel,
            "action": self.action,
        }


@dataclass
class Agenda:
    today: dt.date
    days: int
    lines: list[AgendaLine]
    # Maturities, risk assessments and insurance renewals are looked for further ahead
    # than the days asked for (the settings' lookahead), since they need a call before
    # their day: the last day they were looked for, if later than `end`.
    ahead: dt.date | None = None
    # How many clients the agenda looked at: none is an empty book, not a quiet week.
    clients: int | None = None

    @property
    def end(self) -> dt.date:
        return self.today + dt.timedelta(days=self.days)

    @property
    def urgent(self) -> int:
        """How many lines are past their day (`AgendaKind.urgent`)."""
        return sum(1 for line in self.lines if line.kind.urgent)

    def span_text(self, lang: str | None = None) -> str:
        """What the agenda covers: how many lines and how many of them are past their day
        (overdue, expired or missing), the days, and how far ahead the maturities, assessments and
        renewals were looked for when that is further (a line on 22 December in a week's
        agenda of 2 December is a maturity, not an error)."""
        lang = lang or current_language()
        _ = translator(lang)
        start, end = self.today.isoformat(), self.end.isoformat()
        ahead = self.ahead.isoformat() if self.ahead is not None and self.ahead > self.end else None
        if not self.lines:
            if ahead is None:
                return _("Nothing due from {start} to {end}.").format(start=start, end=end)
            return _(
                "Nothing due from {start} to {end}, and no maturity, risk assessment or "
                "insurance renewal to {ahead}."
            ).format(start=start, end=end, ahead=ahead)
        n = len(self.lines)
        if ahead is None:
            text = ngettext(
                "{n} item from {start} to {end}", "{n} items from {start} to {end}", n, lang
            )
        else:
            text = ngettext(
                "{n} item from {start} to {end}, with maturities, risk assessments and "
                "insurance renewals to {ahead}",
                "{n} items from {start} to {end}, with maturities, risk assessments and "
                "insurance renewals to {ahead}",
                n,
                lang,
            )
        text = text.format(n=n, start=start, end=end, ahead=ahead)
        if not self.urgent:
            return text
        return _("{span}; {urgent} overdue, expired or missing").format(
            span=text, urgent=self.urgent
        )

    def by_day(self) -> list[tuple[dt.date, list[AgendaLine]]]:
        groups: dict[dt.date, list[AgendaLine]] = {}
        for line in self.lines:
            groups.setdefault(line.day, []).append(line)
        return sorted(groups.items())

    def by_kind(self) -> list[tuple[AgendaKind, list[AgendaLine]]]:
        groups: dict[AgendaKind, list[AgendaLine]] = {}
        for line in self.lines:
            groups.setdefault(line.kind, []).append(line)
        return sorted(groups.items(), key=lambda item: KIND_ORDER[item[0]])


def birthday_in(born: dt.date, year: int) -> dt.date:
    """The birthday kept in `year`: 29 February falls on 28 February in other years."""
    if born.month == 2 and born.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return born.replace(year=year)


def next_birthday(born: dt.date, today: dt.date) -> tuple[dt.date, int]:
    """The next birthday on or after today, and the age then."""
    day = birthday_in(born, today.year)
    if day < today:
        day = birthday_in(born, today.year + 1)
    return day, day.year - born.year


class _Builder:
    def __init__(
        self, today: dt.date, days: int, lookahead: int, cadences: dict[int, ClientCadence]
    ):
        self.today = today
        self.days = days
        self.end = today + dt.timedelta(days=days)
        self.ahead = today + dt.timedelta(days=max(days, lookahead))
        self.cadences = cadences
        self.lines: list[AgendaLine] = []
        self._shared = shared_names(c.name for c in cadences.values())
        # Per client, made once for all of its lines (a week of a 10,000-client book has
        # tens of thousands of lines): code, name, how to reach them, label.
        self._who: dict[int, tuple[str, str, str | None, Channel | None, str]] = {}
        # How to reach a client, per wording of preference and tags (many clients share one).
        self._reach: dict[tuple[str | None, tuple[str, ...]], tuple[str | None, Channel | None]]
        self._reach = {}

    def _client(self, client_id: int) -> tuple[str, str, str | None, Channel | None, str]:
        c = self.cadences[client_id]
        key = (c.preferences, tuple(c.tags))
        reach = self._reach.get(key)
        if reach is None:
            reach = self._reach[key] = (
                preference_note(c.preferences, c.tags),
                channel_hint(c.preferences, c.tags),
            )
        label = client_label(c.name, c.code, self._shared)
        who = self._who[client_id] = (c.code, c.name, *reach, label)
        return who

    def add(
        self, client_id: int, day: dt.date, what: AgendaKind, message: str, **params: object
    ) -> None:
        self.line(client_id, day, what, message, params)

    def line(
        self,
        client_id: int,
        day: dt.date,
        what: AgendaKind,
        message: str,
        params: dict[str, object],
    ) -> None:
        """`add` with the parameters as a dict: for the kinds with thousands of lines."""
        code, name, preferences, channel, label = self._who.get(client_id) or self._client(
            client_id
        )
        self.lines.append(
            AgendaLine(
                day if day > self.today else self.today,
                what,
                client_id,
                code,
                name,
                message,
                params,
                preferences,
                channel,
                label,
            )
        )


def build_agenda(
    session: Session,
    today: dt.date,
    days: int | None = None,
    lookahead: int | None = None,
    settings: Settings | None = None,
) -> Agenda:
    """The agenda for today and the next `days` days (default from the settings: the days
    ahead a review or a contact counts as due, 7), so that it opens on what the client
    list and the calendar flag as due.

    Maturities, risk assessments and insurance renewals are looked for
    `lookahead` days ahead (default from the settings: 30), since they need
    a call before the day.
    """
    if days is not None and days < 0:
        raise ValueError("days must not be negative")
    # Tens of thousands of lines in a week of a large book: made with the cycle collector
    # paused (`review.bulk`).
    with collector_paused():
        return _build_agenda(session, today, days, lookahead, settings)


def _build_agenda(
    session: Session,
    today: dt.date,
    days: int | None,
    lookahead: int | None,
    settings: Settings | None,
) -> Agenda:
    settings = settings or load_settings(session)
    days = settings.due_ahead_days if days is None else days
    lookahead = settings.get("agenda_lookahead_days") if lookahead is None else lookahead
    cadences = {c.client_id: c for c in book_cadences(session, today, settings)}
    b = _Builder(today, days, lookahead, cadences)
    _reviews_and_contacts(b)
    _birthdays(session, b)
    _maturities(session, b)
    _assessments(session, b, settings.assessment_validity_months)
    _insurance(session, b)
    _next_steps(session, b)
    # A day's (a kind's) lines in the clients' order: by sort name, as `book_cadences`
    # gives them (Chinese names in pinyin among the rest).
    order = {cid: i for i, cid in enumerate(cadences)}
    last = len(order)
    b.lines.sort(
        key=lambda x: (x.day, KIND_ORDER[x.kind], order.get(x.client_id, last), x.client_id)
    )
    return Agenda(today, days, b.lines, b.ahead, clients=len(cadences))


_NEVER_REVIEWED = N_("Never reviewed: a {cadence} review is due")
_REVIEW_OVERDUE = N_("{cadence} review was due {due}; last review {last}")
_REVIEW_DUE = N_("{cadence} review due; last review {last}")
_NEVER_CONTACTED = N_("No contact on record (contact every {every} days)")
_CONTACT_OVERDUE = N_("No contact for {gap} days (every {every} days); last contact {last}")
_CONTACT_DUE = N_("Contact due (every {every} days); last contact {last}")


def _reviews_and_contacts(b: _Builder) -> None:
    # Every review line, then every contact line, each in the clients' name order: the
    # final sort then finds long ordered runs. A line per client and per rhythm (tens of
    # thousands in a week of a large book), so the lines are made here in one pass rather
    # than through `_Builder.add`; every day below is today or later, as `add` would make it.
    # Overdue or due as the client list and the calendar say it (`cadence.due_state`),
    # due counted over the agenda's days.
    today, days = b.today, b.days
    reviews: list[AgendaLine] = []
    contacts: list[AgendaLine] = []
    who = b._who
    # Many clients were last reviewed (contacted) on the same day at the same rhythm: what
    # their review (contact) line says is worked out once for them all, and the line's
    # parameters are shared (a line is not changed once made).
    review_of: dict[tuple[dt.date | None, dt.date, Cadence], _Line | None] = {}
    contact_of: dict[tuple[dt.date | None, dt.date, int], tuple[DueState, _Line | None]] = {}
    due = DueState.DUE
    for c in b.cadences.values():
        cid = c.client_id
        key = (c.last_review, c.next_review_due, c.cadence)
        if key in review_of:
            review = review_of[key]
        else:
            review = review_of[key] = _review_line(c, c.review_state(today, days), today)
        rhythm = (c.last_contact, c.next_contact_due, c.contact_days)
        known = contact_of.get(rhythm)
        if known is None:
            state = c.contact_state(today, days)
            known = contact_of[rhythm] = (state, _contact_line(c, state, today))
        state, contact = known
        # A review meeting is a contact; one due later is not (found: with 30 days ahead, a
        # contact due on the 17th vanished behind a review due on the 30th).
        if state is due and review is not None and review[0] <= c.next_contact_due:
            contact = None
        if review is None and contact is None:
            continue
        code, name, preferences, channel, label = who.get(cid) or b._client(cid)
        if review is not None:
            day, kind, message, params = review
            reviews.append(
                AgendaLine(day, kind, cid, code, name, message, params, preferences, channel, label)
            )
        if contact is not None:
            day, kind, message, params = contact
            contacts.append(
                AgendaLine(day, kind, cid, code, name, message, params, preferences, channel, label)
            )
    b.lines += reviews
    b.lines += contacts


# A line's day, kind, message and parameters.
_Line = tuple[dt.date, AgendaKind, str, dict[str, object]]


def _review_line(c: ClientCadence, state: DueState, today: dt.date) -> _Line | None:
    """The review line of a client whose review stands at `state`, if it has one."""
    if state is DueState.OVERDUE and c.last_review is None:
        return (today, AgendaKind.REVIEW_OVERDUE, _NEVER_REVIEWED, {"cadence": c.cadence})
    if state is DueState.OVERDUE:
        return (
            today,
            AgendaKind.REVIEW_OVERDUE,
            _REVIEW_OVERDUE,
            {"cadence": c.cadence, "due": c.next_review_due, "last": c.last_review},
        )
    if state is DueState.DUE:
        return (
            c.next_review_due,
            AgendaKind.REVIEW_DUE,
            _REVIEW_DUE,
            {"cadence": c.cadence, "last": c.last_review},
        )
    return None


def _contact_line(c: ClientCadence, state: DueState, today: dt.date) -> _Line | None:
    """The contact line of a client whose contact stands at `state`, if it has one; a
    contact due gives way to a review due by then (`_reviews_and_contacts`)."""
    last_contact = c.last_contact
    if state is DueState.OVERDUE and last_contact is None:
        return (today, AgendaKind.CONTACT_OVERDUE, _NEVER_CONTACTED, {"every": c.contact_days})
    if state is DueState.OVERDUE and last_contact is not None:
        return (
            today,
            AgendaKind.CONTACT_OVERDUE,
            _CONTACT_OVERDUE,
            {"gap": (today - last_contact).days, "every": c.contact_days, "last": last_contact},
        )
    if state is DueState.DUE:
        return (
            c.next_contact_due,
            AgendaKind.CONTACT_DUE,
            _CONTACT_DUE,
            {"every": c.contact_days, "last": c.last_contact},
        )
    return None


def calendar_days(first: dt.date, last: dt.date) -> set[int] | None:
    """The days of the year from `first` to `last` as month * 100 + day, for asking the
    database only for the birthdays and anniversaries that can fall in the span (the rule
    that places them stays in Python); None if the span is a year long or more.

    A 29 February falls on 28 February in a common year, so 28 February of a common year
    brings 229 in."""
    if (last - first).days >= 364:
        return None
    days: set[int] = set()
    day = first
    while day <= last:
        days.add(day.month * 100 + day.day)
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            days.add(229)
        day += dt.timedelta(days=1)
    return days


def _on_days(column: InstrumentedAttribute[dt.date | None], days: set[int]) -> ColumnElement[bool]:
    """`column` is known and its month and day are among `days` (month * 100 + day): what
    the book's indexes hold (`models.day_index`: partial, on `models.month_day`), so that
    the database seeks the few matching rows."""
    return and_(column.is_not(None), month_day(column).in_(sorted(days)))


def _birthdays(session: Session, b: _Builder) -> None:
    def check(
        client_id: int, born: dt.date | None, message: str, feb29: str, **params: object
    ) -> None:
        if born is None:  # the queries below ask only for known birthdays
            return
        day, age = next_birthday(born, b.today)
        if day > b.end or age <= 0:
            return
        leap_born = (born.month, born.day) == (2, 29)
        moved = leap_born and day.day == 28
        b.add(client_id, day, AgendaKind.BIRTHDAY, feb29 if moved else message, age=age, **params)

    # Only the birthdays whose day falls in the agenda's days are read (a week: one client in
    # fifty); `check` decides as before.
    days = calendar_days(b.today, b.end)
    clients = select(Client.id, Client.birthday).where(Client.birthday.is_not(None))
    family = select(
        FamilyMember.client_id, FamilyMember.name, FamilyMember.relation, FamilyMember.birthday
    ).where(FamilyMember.birthday.is_not(None))
    if days is not None:
        clients = clients.where(_on_days(Client.birthday, days))
        family = family.where(_on_days(FamilyMember.birthday, days))
    for cid, born in plain_rows(session, clients):
        check(
            cid,
            born,
            N_("Birthday: turns {age}"),
            N_("Birthday (born 29 February, kept on 28 February this year): turns {age}"),
        )
    for cid, name, relation, born in plain_rows(session, family):
        check(
            cid,
            born,
            N_("{relation} {name}'s birthday: turns {age}"),
            N_(
                "{relation} {name}'s birthday (born 29 February, kept on 28 February "
                "this year): turns {age}"
            ),
            relation=Relation(relation),
            name=name,
        )


def _maturities(session: Session, b: _Builder) -> None:
    columns = (
        Holding.product_name,
        Holding.institution,
        Holding.currency,
        Holding.market_value,
        Holding.maturity_date,
    )
    maturing = (
        Holding.maturity_date >= b.today,
        Holding.maturity_date <= b.ahead,
    )
    lent = Holding.asset_class != AssetClass.LOAN  # money to reinvest, as the review
    if session.get_bind().dialect.name == "postgresql":
        # PostgreSQL reads the maturity-date index for this join with the latest snapshots
        # itself (a bitmap scan, then a hash join); under a team book's row policies the
        # latest snapshots are the person's own. The two-step statement below, planned
        # there as one query, scanned every holding of the book.
        latest = latest_snapshots()
        statement = (
            select(latest.c.client_id, *columns)
            .join(latest, latest.c.snapshot_id == Holding.snapshot_id)
            .where(*maturing, lent)
        )
    else:
        # SQLite reads the holdings maturing in the look-ahead from the maturity-date index
        # (`ix_holding_maturity`, which carries the snapshot), checks each snapshot against
        # the list of latest snapshots (one seek per client), and only then reads those
        # holdings. `+ 0` keeps it from answering the IN through the snapshot index, which
        # read every latest snapshot's holdings: the work grew with the book rather than
        # with the coming days' maturities (76-88 -> 21-48 ms on 10,000 clients).
        ids = select(latest_snapshot_id(Client.id)).select_from(Client)
        due = select(Holding.id).where(*maturing, (Holding.snapshot_id + 0).in_(ids)).subquery()
        statement = (
            select(Snapshot.client_id, *columns)
            .select_from(due)
            .join(Holding, Holding.id == due.c.id)
            .join(Snapshot, Snapshot.id == Holding.snapshot_id)
            .where(lent)
        )
    # Same-day maturities of one client stay in the order they were recorded.
    rows = plain_rows(session, statement.order_by(Holding.maturity_date, Holding.id))
    line, maturity = b.line, AgendaKind.MATURITY
    for cid, product, institution, currency, value, due in rows:
        if institution is None:
            line(
                cid,
                due,
                maturity,
                _MATURITY,
                {"product": product, "value": Money(value, currency), "due": due},
            )
        else:
            line(
                cid,
                due,
                maturity,
                _MATURITY_ELSEWHERE,
                {
                    "product": product,
                    "institution": institution,
                    "value": Money(value, currency),
                    "due": due,
                },
            )


_MATURITY = N_("{product} ({value}) matures {due}: call about reinvesting")
_MATURITY_ELSEWHERE = N_(
    "{product} at {institution} ({value}) matures {due}: a chance to bring it here"
)
_NO_ASSESSMENT = N_("No risk assessment on file: assess before advising")
_ASSESSMENT_EXPIRED = N_("Risk assessment ({level}) expired {due}: redo it before advising")
# Its last valid day, said as the pack says it: "expires on" that day read as the day it
# lapsed, which is the day after (`AssessmentStatus.expired_on`).
_ASSESSMENT_EXPIRING = N_("Risk assessment ({level}) valid until {due}: redo it by then")


def _assessments(session: Session, b: _Builder, validity_months: int) -> None:
    """The rule of `review.risk_status`; "expiring" is within the agenda's look-ahead."""
    statuses = book_assessment_statuses(session, b.today, validity_months, (b.ahead - b.today).days)
    line, today, expired, expiring, missing = (
        b.line,
        b.today,
        AgendaKind.ASSESSMENT_EXPIRED,
        AgendaKind.ASSESSMENT_EXPIRING,
        AgendaKind.ASSESSMENT_MISSING,
    )
    for cid in b.cadences:
        status = statuses.get(cid)
        if status is None:
            line(cid, today, missing, _NO_ASSESSMENT, {})
        elif status.state is AssessmentState.EXPIRED:
            line(
                cid,
                today,
                expired,
                _ASSESSMENT_EXPIRED,
                # Found: "expired 2026-06-09" for an assessment valid until that day, which
                # the pack says expired on the 10th: the day it lapsed, as the pack says it.
                {"level": status.level, "due": status.expired_on},
            )
        elif status.state is AssessmentState.EXPIRING and status.valid_until is not None:
            line(
                cid,
                status.valid_until,
                expiring,
                _ASSESSMENT_EXPIRING,
                {"level": status.level, "due": status.valid_until},
            )


_STEP_DUE = N_("Agreed {agreed}: {step}")
_STEP_OVERDUE = N_("Agreed {agreed}, due {due}: {step}")


def _next_steps(session: Session, b: _Builder) -> None:
    """The next steps open today (`contacts.step_is_open`) whose due date has passed
    (`contacts.step_overdue`: listed today) or falls in the agenda's days; a step with no
    date has no day to be listed on."""
    rows = plain_rows(
        session,
        select(Contact.client_id, Contact.contact_date, Contact.next_step, Contact.next_step_due)
        .where(
            step_is_open(b.today, whole_book=True),
            Contact.next_step_due <= b.end,
        )
        .order_by(Contact.next_step_due, Contact.contact_date, Contact.id),
    )
    for cid, agreed, step, due in rows:
        if cid not in b.cadences or due is None:  # a client the agenda does not list
            continue
        if step_overdue(due, b.today):
            b.add(
                cid,
                b.today,
                AgendaKind.NEXT_STEP_OVERDUE,
                _STEP_OVERDUE,
                agreed=agreed,
                due=due,
                step=step,
            )
        else:
            b.add(cid, due, AgendaKind.NEXT_STEP_DUE, _STEP_DUE, agreed=agreed, step=step)


def premium_dates(
    start: dt.date, payment_years: int | None, end: dt.date | None, first: dt.date, last: dt.date
) -> list[dt.date]:
    """Policy anniversaries in [first, last] on which a renewal premium is payable: while
    the review counts the premium as paid (`model.paying_premiums`: for the payment years,
    every year when no term is recorded) and the policy has not ended.

    Found: a policy with no payment years recorded had its premium counted in the review
    every year, and no renewal reminder in the agenda."""
    days = []
    for year in range(first.year, last.year + 1):
        n = year - start.year
        if n < 1:
            continue
        day = add_months(start, 12 * n)
        if not (first <= day <= last) or (end is not None and day > end):
            continue
        if paying_premiums(start, payment_years, day):
            days.append(day)
    return days


def _insurance(session: Session, b: _Builder) -> None:
    policies = select(
        InsurancePolicy.client_id,
        InsurancePolicy.kind,
        InsurancePolicy.insurer,
        InsurancePolicy.start_date,
        InsurancePolicy.end_date,
        InsurancePolicy.payment_years,
        InsurancePolicy.annual_premium,
        InsurancePolicy.currency,
    )
    days = calendar_days(b.today, b.ahead)
    if days is not None:
        # Only the policies that end in the look-ahead or whose anniversary falls in it (a
        # renewal premium is due on an anniversary); the loop below decides as before.
        policies = policies.where(
            or_(
                InsurancePolicy.end_date.between(b.today, b.ahead),
                _on_days(InsurancePolicy.start_date, days),
            )
        )
    rows = plain_rows(session, policies)
    for cid, kind, insurer, start, end, years, premium, currency in rows:
        kind = PolicyKind(kind)
        if end is not None and b.today <= end <= b.ahead:
            b.add(
                cid,
                end,
                AgendaKind.INSURANCE_RENEWAL,
                N_("{policy} policy ({insurer}) ends {due}: discuss renewal"),
                policy=kind,
                insurer=insurer,
                due=end,
            )
        if start is not None and premium and premium > 0:
            for day in premium_dates(start, years, end, b.today, b.ahead):
                b.add(
                    cid,
                    day,
                    AgendaKind.INSURANCE_RENEWAL,
                    N_("{policy} policy ({insurer}): renewal premium {premium} due {due}"),
                    policy=kind,
                    insurer=insurer,
                    premium=Money(premium, currency),
                    due=day,
                )
