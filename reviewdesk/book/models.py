"""The client book: typed SQLAlchemy models.

Money columns are `Money` (exact Decimal), dates are dates, vocabularies are
enums. Field-level rules run as the values are set (`validates`), rules that
need the whole record or other rows run before each flush (see validation.py),
so every path into the book, the GUI, the command line or an import, obeys
them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    extract,
    false,
    literal,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates
from sqlalchemy.sql.elements import ColumnElement

from reviewdesk.book import validation as v
from reviewdesk.book.enums import (
    AssetClass,
    Cadence,
    Channel,
    ClientRiskLevel,
    FeedbackTopic,
    FlowKind,
    Language,
    MaritalStatus,
    PackAction,
    PolicyKind,
    Relation,
    RiskLevel,
    Tier,
)
from reviewdesk.book.types import DecimalText, Money
from reviewdesk.text import sort_name as sort_name_of


def month_day(column: Any) -> ColumnElement[int]:
    """A date's month * 100 + day (1 March: 301), what the agenda asks for birthdays and
    policy anniversaries by. The indexes below (`day_index`) are on this very expression
    (the 100 written in, not a parameter): a database uses an index on an expression only
    for the same expression, so the agenda reads a week's birthdays by a seek rather than
    by working out the day of every birthday in the book."""
    hundred = literal(100, literal_execute=True)  # written into the statement
    return extract("month", column) * hundred + extract("day", column)


def day_index(name: str, column: Any) -> Index:
    """An index on `month_day(column)`, on SQLite of the rows where the date is known.
    Partial, so that it serves only statements that ask for a known date (`column IS NOT
    NULL`, as the agenda's do): a whole index of the table, being narrower than the
    table, would be what SQLite scans for a statement that needs only the ids, in the
    order of the days rather than of the ids, and every seek made per id would land far
    from the last one (the client list's latest snapshots: 11 -> 20 ms on 10,000
    clients). PostgreSQL's planner reads such statements from the table or its key, and
    its index is whole: naming `postgresql_where` here would load that dialect (40 ms)
    into every start of the app."""
    return Index(name, month_day(column), sqlite_where=column.is_not(None))


BENCHMARK_NAME_LIMIT = 120
LEVEL_PLACES = 6  # decimal places an index level is kept with

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _enum(cls: type) -> Enum:
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=24,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {Decimal: Money(), dt.date: Date(), dt.datetime: DateTime()}


class Client(Base):
    __tablename__ = "client"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The save counter: a save over a change saved meanwhile is refused (versions.py).
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # The name as lists sort and search it (`text.sort_name`: Chinese in pinyin), written
    # with every change of the name.
    sort_name: Mapped[str] = mapped_column(String(1400), server_default="")
    phone: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(200))
    # Identity card or passport number: masked on screen and in packs (privacy.mask_number).
    id_number: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text, info=v.text_limit(v.ADDRESS_LIMIT))
    birthday: Mapped[dt.date | None]
    occupation: Mapped[str | None] = mapped_column(String(200))
    employer: Mapped[str | None] = mapped_column(String(200))
    hobbies: Mapped[str | None] = mapped_column(Text, info=v.text_limit(v.NOTE_LIMIT))
    annual_income: Mapped[Decimal | None]
    income_currency: Mapped[str | None] = mapped_column(String(3))  # None: report currency
    marital_status: Mapped[MaritalStatus | None] = mapped_column(_enum(MaritalStatus))
    tier: Mapped[Tier] = mapped_column(_enum(Tier), default=Tier.STANDARD)
    # None: follow the tier (key: monthly, standard: quarterly).
    review_cadence: Mapped[Cadence | None] = mapped_column(_enum(Cadence))
    contact_cadence_days: Mapped[int | None] = mapped_column(Integer)
    report_currency: Mapped[str] = mapped_column(String(3), default="CNY")
    language: Mapped[Language] = mapped_column(_enum(Language), default=Language.ZH)
    contact_preferences: Mapped[str | None] = mapped_column(Text, info=v.text_limit(v.NOTE_LIMIT))
    special_notes: Mapped[str | None] = mapped_column(Text, info=v.text_limit(v.LONG_NOTE_LIMIT))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # A team book (PostgreSQL): the owning manager's login role and the branch, which the
    # database keeps (team.py); the row-level policies are keyed on them. None in a
    # one-manager book.
    owner: Mapped[str | None] = mapped_column(String(63), index=True)
    branch: Mapped[str | None] = mapped_column(String(63), index=True)

    tags: Mapped[list[ClientTag]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="ClientTag.tag"
    )
    family: Mapped[list[FamilyMember]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="FamilyMember.id"
    )
    snapshots: Mapped[list[Snapshot]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Snapshot.review_date"
    )
    policies: Mapped[list[InsurancePolicy]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="InsurancePolicy.id"
    )
    assessments: Mapped[list[RiskAssessment]] = relationship(
        back_populates="client",
        cascade="all, delete-orphan",
        order_by="RiskAssessment.assessed_on",
    )
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Contact.contact_date"
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Document.id"
    )
    packs: Mapped[list[PackRecord]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="PackRecord.produced_at"
    )
    flows: Mapped[list[Flow]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Flow.flow_date"
    )
    benchmark_choice: Mapped[BenchmarkChoice | None] = relationship(
        back_populates="client", cascade="all, delete-orphan", uselist=False
    )

    @property
    def tag_names(self) -> list[str]:
        return [t.tag for t in self.tags]

    def set_tags(self, names: list[str]) -> None:
        wanted = []
        for name in names:
            name = name.strip()
            if name and name not in wanted:
                wanted.append(name)
        keep = {t.tag: t for t in self.tags if t.tag in wanted}
        self.tags = [keep.get(name) or ClientTag(tag=name) for name in wanted]

    @validates("name")
    def _v_name(self, key: str, value: object) -> str:
        name = v.required_text("Client", key, value)
        if self is not None:  # None: a value checked alone (`validation.field_rules`)
            self.sort_name = sort_name_of(name)
        return name

    @validates("code")
    def _v_code(self, key: str, value: object) -> str:
        return v.client_code("Client", key, value)

    @validates("email")
    def _v_email(self, key: str, value: object) -> str | None:
        return v.email("Client", key, value)

    @validates("phone")
    def _v_phone(self, key: str, value: object) -> str | None:
        return v.phone("Client", key, value)

    @validates("birthday")
    def _v_birthday(self, key: str, value: object) -> dt.date | None:
        return v.past_date("Client", key, value)

    @validates("annual_income")
    def _v_income(self, key: str, value: object) -> Decimal | None:
        return v.non_negative("Client", key, value)

    @validates("report_currency")
    def _v_currency(self, key: str, value: object) -> str:
        return v.currency("Client", key, value)

    @validates("income_currency")
    def _v_income_currency(self, key: str, value: object) -> str | None:
        return None if value in (None, "") else v.currency("Client", key, value)

    @validates("contact_cadence_days")
    def _v_contact_days(self, key: str, value: object) -> int | None:
        return v.int_range("Client", key, value, 1, 366)


# The agenda's birthdays (`month_day`).
day_index("ix_client_birthday_day", Client.birthday)


class ClientTag(Base):
    __tablename__ = "client_tag"

    client_id: Mapped[int] = mapped_column(
        ForeignKey("client.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
    client: Mapped[Client] = relationship(back_populates="tags")


class FamilyMember(Base):
    __tablename__ = "family_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The save counter: a save over a change saved meanwhile is refused (versions.py).
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[Relation] = mapped_column(_enum(Relation))
    birthday: Mapped[dt.date | None]
    school_or_employer: Mapped[str | None] = mapped_column(String(200))
    annual_income: Mapped[Decimal | None]
    income_currency: Mapped[str | None] = mapped_column(String(3))  # None: report currency
    client: Mapped[Client] = relationship(back_populates="family")

    @validates("name")
    def _v_name(self, key: str, value: object) -> str:
        return v.required_text("Family member", key, value)

    @validates("birthday")
    def _v_birthday(self, key: str, value: object) -> dt.date | None:
        return v.past_date("Family member", key, value)

    @validates("annual_income")
    def _v_income(self, key: str, value: object) -> Decimal | None:
        return v.non_negative("Family member", key, value)

    @validates("income_currency")
    def _v_income_currency(self, key: str, value: object) -> str | None:
        return None if value in (None, "") else v.currency("Family member", key, value)


day_index("ix_family_member_birthday_day", FamilyMember.birthday)


class Snapshot(Base):
    """A client's portfolio on one review date, with the exchange rates it used."""

    __tablename__ = "snapshot"
    __table_args__ = (UniqueConstraint("client_id", "review_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The save counter: a save over a change saved meanwhile is refused (versions.py).
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    review_date: Mapped[dt.date]
    note: Mapped[str | None] = mapped_column(Text, info=v.text_limit(v.NOTE_LIMIT))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    client: Mapped[Client] = relationship(back_populates="snapshots")
    holdings: Mapped[list[Holding]] = relationship(
        back_populates="snapshot", cascade="all, delete-orphan", order_by="Holding.id"
    )
    rates: Mapped[list[FxRate]] = relationship(
        back_populates="snapshot", cascade="all, delete-orphan", order_by="FxRate.from_currency"
    )

    def rate(self, from_currency: str, to_currency: str) -> Decimal | None:
        if from_currency == to_currency:
            return Decimal(1)
        for r in self.rates:
            if r.from_currency == from_currency and r.to_currency == to_currency:
                return r.rate
        return None

    def set_rate(self, from_currency: str, to_currency: str, rate: Decimal) -> None:
        for r in self.rates:
            if r.from_currency == from_currency and r.to_currency == to_currency:
                r.rate = rate
                return
        self.rates.append(FxRate(from_currency=from_currency, to_currency=to_currency, rate=rate))

    @validates("review_date")
    def _v_date(self, key: str, value: object) -> dt.date | None:
        return v.past_date("Snapshot", key, v.required("Snapshot", key, value))


Index("ix_snapshot_client_date", Snapshot.client_id, Snapshot.review_date.desc())


class FxRate(Base):
    """1 unit of from_currency in to_currency, as used by one snapshot."""

    __tablename__ = "fx_rate"
    __table_args__ = (UniqueConstraint("snapshot_id", "from_currency", "to_currency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The save counter: a save over a change saved meanwhile is refused (versions.py).
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshot.id", ondelete="CASCADE"))
    # The snapshot's client, filled by the database on a team book (0008): the key of its
    # row-level policies. Empty on SQLite; never read by the app.
    client_id: Mapped[int | None] = mapped_column(Integer, index=True)
    from_currency: Mapped[str] = mapped_column(String(3))
    to_currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(DecimalText())
    snapshot: Mapped[Snapshot] = relationship(back_populates="rates")

    @validates("from_currency", "to_currency")
    def _v_currency(self, key: str, value: object) -> str:
        return v.currency("Exchange rate", key, value)

    @validates("rate")
    def _v_rate(self, key: str, value: object) -> Decimal | None:
        return v.positive("Exchange rate", key, value, places=10)


class Holding(Base):
    __tablename__ = "holding"
    __table_args__ = (
        # The agenda's maturities: the holdings maturing within a span, then their snapshots.
        Index("ix_holding_maturity", "maturity_date", "snapshot_id"),
        # A snapshot's holdings; the client list's: those of its snapshots maturing soon.
        Index("ix_holding_snapshot_maturity", "snapshot_id", "maturity_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The save counter: a save over a change saved meanwhile is refused (versions.py).
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshot.id", ondelete="CASCADE"))
    # The snapshot's client, filled by the database on a team book (0008): the key of its
    # row-level policies. Empty on SQLite; never read by the app.
    client_id: Mapped[int | None] = mapped_column(Integer, index=True)
    product_name: Mapped[str] = mapped_column(String(300))
    product_code: Mapped[str | None] = mapped_column(String(60))
    # Masked on screen and in packs unless revealed (privacy.mask_number).
    account_number: Mapped[str | None] = mapped_column(String(60))
    asset_class: Mapped[AssetClass] = mapped_column(_enum(AssetClass))
    # None is this bank; otherwise the other institution's name.
    institution: Mapped[str | None] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    market_value: Mapped[Decimal]
    principal: Mapped[Decimal | None]
    held_since: Mapped[dt.date | None]
    maturity_date: Mapped[dt.date | None]
    risk_level: Mapped[RiskLevel | None] = mapped_column(_enum(RiskLevel))
    snapshot: Mapped[Snapshot] = relationship(back_populates="holdings")

    @property
    def at_this_bank(self) -> bool:
        return self.institution is None

    @validates("product_name")
    def _v_name(self, key: str, value: object) -> str:
        return v.required_text("Holding", key, value)

    @validates("currency")
    def _v_currency(self, key: str, value: object) -> str:
        return v.currency("Holding", key, value)

    @validates("market_value")
    def _v_value(self, key: str, value: object) -> Decimal | None:
        return v.non_negative("Holding", key, v.required("Holding", key, value))

    @validates("principal")
    def _v_principal(self, key: str, value: object) -> Decimal | None:
        return v.non_negative("Holding", key, value)

    @validates("institution")
    def _v_institution(self, key: str, value: object) -> str | None:
        return v.optional_text(value)


class SnapshotFact(Base):
    """What a snapshot's holdings add up to, per currency and side (migration 0009).

    Kept by the database alone: triggers on holding add, move and remove each row's share
    on every insert, update and delete, whatever writes it (the app, an import's bulk
    insert, an undo, a restore), and a snapshot deleted takes its rows along. The app only
    reads it (`book.queries`): the client list's totals without reading every holding.
    Sums are of the stored scaled integers, exact like a SUM over the holdings.
    """

    __tablename__ = "snapshot_fact"

    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("snapshot.id", ondelete="CASCADE"), primary_key=True
    )
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    # A loan (AssetClass.is_liability) or an asset.
    is_liability: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    # The snapshot's client on a team book (the row-level policies' key); empty on SQLite.
    client_id: Mapped[int | None] = mapped_column(Integer, index=True)
    holdings: Mapped[int] = mapped_column(Integer)
    market_value: Mapped[Decimal]
    # The property among them (left out of the financial assets returns are measured on).
    property_holdings: Mapped[int] = mapped_column(Integer)
    property_value: Mapped[Decimal]
    # How many holdings carry each product risk level, R1 to R5.
    risk_r1: Mapped[int] = mapped_column(Integer)
    risk_r2: Mapped[int] = mapped_column(Integer)
    risk_r3: Mapped[int] = mapped_column(Integer)
    risk_r4: Mapped[int] = mapped_column(Integer)
    risk_r5: Mapped[int] = mapped_column(Integer)


# What the client list reads of its latest snapshots' facts and rates (`book.queries`
# `holding_facts`, `snapshot_rates`), read from these indexes alone rather than from the
# table row by row (migration 0016).
Index(
    "ix_snapshot_fact_list",
    SnapshotFact.snapshot_id,
    SnapshotFact.currency,
    SnapshotFact.is_liability,
    SnapshotFact.market_value,
    SnapshotFact.risk_r1,
    SnapshotFact.risk_r2,
    SnapshotFact.risk_r3,
    SnapshotFact.risk_r4,
    SnapshotFact.risk_r5,
)
Index("ix_fx_rate_list", FxRate.snapshot_id, FxRate.from_currency, FxRate.to_currency, FxRate.rate)


class InsurancePolicy(Base):
    __tablename__ = "insurance_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The save counter: a save over a change saved meanwhile is refused (versions.py).
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    # None: the client is the insured person.
    insured_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("family_member.id", ondelete="SET NULL")
    )
    kind: Mapped[PolicyKind] = mapped_column(_enum(PolicyKind))
    insurer: Mapped[str | None] = mapped_column(String(200))
    policy_number: Mapped[str | None] = mapped_column(String(80))
    sum_assured: Mapped[Decimal]
    # None: no premium on record (a single premium, or one never typed), not a premium of
    # 0: the review's premiums are then those on record and the guide is not judged
    # (migration 0017).
    annual_premium: Mapped[Decimal | None]
    payment_years: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[dt.date | None]
    end_date: Mapped[dt.date | None]
    currency: Mapped[str] = mapped_column(String(3), default="CNY")

    client: Mapped[Client] = relationship(back_populates="policies")
    insured_member: Mapped[FamilyMember | None] = relationship()

    @validates("sum_assured")
    def _v_sum(self, key: str, value: object) -> Decimal | None:
        return v.non_negative("Insurance policy", key, v.required("Insurance policy", key, value))

    @validates("annual_premium")
    def _v_premium(self, key: str, value: object) -> Decimal | None:
        return v.non_negative("Insurance policy", key, value)

    @validates("payment_years")
    def _v_years(self, key: str, value: object) -> int | None:
        return v.int_range("Insurance policy", key, value, 1, 100)

    @validates("currency")
    def _v_currency(self, key: str, value: object) -> str:
        return v.currency("Insurance policy", key, value)


# The agenda's renewals: policies ending in its days, and anniversaries (`month_day`).
Index("ix_insurance_policy_end_date", InsurancePolicy.end_date)
day_index("ix_insurance_policy_start_day", InsurancePolicy.start_date)


class RiskAssessment(Base):
    __tablename__ = "risk_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The save counter: a save over a change saved meanwhile is refused (versions.py).
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    # Indexed with the date below (`ix_risk_assessment_client_date`).
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    assessed_on: Mapped[dt.date]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    score: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[ClientRiskLevel] = mapped_column(_enum(ClientRiskLevel))
    valid_until: Mapped[dt.date]
    client: Mapped[Client] = relationship(back_populates="assessments")

    @validates("assessed_on")
    def _v_date(self, key: str, value: object) -> dt.date | None:
        return v.past_date("Risk assessment", key, v.required("Risk assessment", key, value))

    @validates("score")
    def _v_score(self, key: str, value: object) -> int | None:
        return v.int_range("Risk assessment", key, value, 0, 1000)


# A client's latest assessment (`risk_status.book_assessment_statuses`): the first entry back
# from a day, without sorting the client's assessments; and a client's assessments.
Index(
    "ix_risk_assessment_client_date",
    RiskAssessment.client_id,
    RiskAssessment.assessed_on,
    RiskAssessment.id,
)


class Contact(Base):
    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The save counter: a save over a change saved meanwhile is refused (versions.py).
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    contact_date: Mapped[dt.date]
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    summary: Mapped[str | None] = mapped_column(Text, info=v.text_limit(v.LONG_NOTE_LIMIT))
    next_step: Mapped[str | None] = mapped_column(Text, info=v.text_limit(v.NOTE_LIMIT))
    feedback: Mapped[str | None] = mapped_column(Text, info=v.text_limit(v.NOTE_LIMIT))
    feedback_topic: Mapped[FeedbackTopic | None] = mapped_column(_enum(FeedbackTopic))
    # What the client may read: a contact's summary and its next step are internal
    # unless the manager marks them shared.
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    next_step_shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    next_step_due: Mapped[dt.date | None]
    next_step_done: Mapped[dt.date | None]
    client: Mapped[Client] = relationship(back_populates="contacts")

    @validates("contact_date")
    def _v_date(self, key: str, value: object) -> object:
        return v.required("Contact", key, value)

    @validates("next_step_due", "next_step_done")
    def _v_step_dates(self, key: str, value: object) -> dt.date | None:
        return v.date("Contact", key, value)

    @validates("shared", "next_step_shared")
    def _v_flags(self, key: str, value: object) -> bool:
        return v.flag("Contact", key, value)


Index("ix_contact_client_date", Contact.client_id, Contact.contact_date)
Index("ix_contact_date", Contact.contact_date)


class Document(Base):
    """A file filed under a client, kept in the managed documents folder."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The save counter: a save over a change saved meanwhile is refused (versions.py).
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    file_name: Mapped[str] = mapped_column(String(300))
    stored_path: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    client: Mapped[Client] = relationship(back_populates="documents")


class PackRecord(Base):
    """One review pack produced: for whom, for which review, how and to whom."""

    __tablename__ = "pack_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    review_date: Mapped[dt.date]
    produced_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    action: Mapped[PackAction] = mapped_column(_enum(PackAction))
    recipient: Mapped[str | None] = mapped_column(String(300))
    file_name: Mapped[str | None] = mapped_column(String(1000))
    language: Mapped[Language] = mapped_column(_enum(Language))
    encrypted: Mapped[bool] = mapped_column(Boolean, default=False)
    as_of: Mapped[dt.date | None]  # the day the pack was judged from (None: before 0003)
    paper: Mapped[str | None] = mapped_column(String(10))
    reference: Mapped[str | None] = mapped_column(String(40), index=True)
    client: Mapped[Client] = relationship(back_populates="packs")


class Flow(Base):
    """Money the client put into the portfolio or took out of it (not what the market did).

    `amount` is in `currency`: positive into the portfolio, negative out (the kind says
    which). `rate` is 1 unit of `currency` in `to_currency`, the client's report currency
    when the flow was recorded, kept with the flow so that its value in the report
    currency (`report_amount`, exact) never moves with later rates.
    """

    __tablename__ = "flow"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The save counter: a save over a change saved meanwhile is refused (versions.py).
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    flow_date: Mapped[dt.date]
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(DecimalText())
    to_currency: Mapped[str] = mapped_column(String(3))
    kind: Mapped[FlowKind] = mapped_column(_enum(FlowKind))
    holding: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text, info=v.text_limit(v.NOTE_LIMIT))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    client: Mapped[Client] = relationship(back_populates="flows")

    @property
    def report_amount(self) -> Decimal:
        """The amount in `to_currency`, exact: amount x rate."""
        return self.amount * self.rate

    def rate_to(self, currency: str) -> Decimal | None:
        """The rate of 1 unit of the flow's currency in `currency` (the client's report
        currency now): the recorded rate when it is to `currency`, 1 when the flow is in
        `currency`; None otherwise (the report currency changed since the flow was
        recorded, and the flow is in neither)."""
        if self.to_currency == currency:
            return self.rate
        if self.currency == currency:
            return Decimal(1)
        return None

    def value_in(self, currency: str) -> Decimal | None:
        """The flow's amount in `currency`, exact; None where `rate_to` has no rate. The
        review's returns count the flow at this value, or treat its period as one missing
        a rate; the flows list and the flows table show it, or say it is not in the
        report currency."""
        rate = self.rate_to(currency)
        return None if rate is None else self.amount * rate

    @validates("flow_date")
    def _v_date(self, key: str, value: object) -> dt.date | None:
        return v.past_date("Flow", key, v.required("Flow", key, value))

    @validates("amount")
    def _v_amount(self, key: str, value: object) -> Decimal | None:
        return v.non_zero("Flow", key, value)

    @validates("currency", "to_currency")
    def _v_currency(self, key: str, value: object) -> str:
        return v.currency("Flow", key, value)

    @validates("rate")
    def _v_rate(self, key: str, value: object) -> Decimal | None:
        return v.positive("Flow", key, value, places=10)

    @validates("holding", "note")
    def _v_text(self, key: str, value: object) -> str | None:
        return v.optional_text(value)


Index("ix_flow_client_date", Flow.client_id, Flow.flow_date)


class BenchmarkLevel(Base):
    """An index's (or any benchmark's) level on one day: returns are read between two
    levels of the same name, so one level per name and day."""

    __tablename__ = "benchmark_level"
    __table_args__ = (UniqueConstraint("name", "level_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(BENCHMARK_NAME_LIMIT))
    level_date: Mapped[dt.date]
    level: Mapped[Decimal] = mapped_column(DecimalText())

    @validates("name")
    def _v_name(self, key: str, value: object) -> str:
        return v.benchmark_name("Benchmark level", key, value)

    @validates("level_date")
    def _v_date(self, key: str, value: object) -> dt.date | None:
        return v.past_date("Benchmark level", key, v.required("Benchmark level", key, value))

    @validates("level")
    def _v_level(self, key: str, value: object) -> Decimal | None:
        return v.positive("Benchmark level", key, value, places=LEVEL_PLACES)


class BenchmarkChoice(Base):
    """The benchmark a client's returns are set beside: one index, or a blend of two
    (`weight` percent of `benchmark`, the rest of `blend`). Chosen for one client, or for
    a client risk level as the default of the clients assessed at it without their own."""

    __tablename__ = "benchmark_choice"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("client.id", ondelete="CASCADE"), unique=True
    )
    risk_level: Mapped[ClientRiskLevel | None] = mapped_column(_enum(ClientRiskLevel), unique=True)
    benchmark: Mapped[str] = mapped_column(String(BENCHMARK_NAME_LIMIT))
    blend: Mapped[str | None] = mapped_column(String(BENCHMARK_NAME_LIMIT))
    weight: Mapped[int] = mapped_column(Integer, default=100)  # percent of `benchmark`
    client: Mapped[Client | None] = relationship(back_populates="benchmark_choice")

    @validates("benchmark")
    def _v_benchmark(self, key: str, value: object) -> str:
        return v.benchmark_name("Benchmark choice", key, value)

    @validates("blend")
    def _v_blend(self, key: str, value: object) -> str | None:
        text = v.optional_text(value)
        return None if text is None else v.benchmark_name("Benchmark choice", key, text)

    @validates("weight")
    def _v_weight(self, key: str, value: object) -> int | None:
        return v.int_range("Benchmark choice", key, value, 1, 100)


class AuditEntry(Base):
    """Append-only record of changes and disclosures (written by the book, never edited).

    In a team book the database writes the change entries itself (triggers) and stamps
    every entry with its own roles (`db_user`: current_user, `db_session_user`: the login).
    No RETURNING on insert: a person may add an entry they may not read back.
    """

    __tablename__ = "audit_entry"
    __table_args__ = {"implicit_returning": False}

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    host: Mapped[str | None] = mapped_column(String(200))
    client_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(40))
    record: Mapped[str | None] = mapped_column(String(60))
    record_id: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(80))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
    db_user: Mapped[str | None] = mapped_column(String(63))
    db_session_user: Mapped[str | None] = mapped_column(String(63))


class TeamMember(Base):
    """A person of a team book: their login role, their group and their branch, and the
    name and telephone their clients know them by (a client's pack names its manager
    from them: the book's settings are the whole team's)."""

    __tablename__ = "team_member"

    name: Mapped[str] = mapped_column(String(63), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    branch: Mapped[str | None] = mapped_column(String(63), index=True)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    left_at: Mapped[dt.datetime | None]
    full_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(60))

    @validates("full_name")
    def _v_full_name(self, key: str, value: object) -> str | None:
        return v.optional_text(value)

    @validates("phone")
    def _v_phone(self, key: str, value: object) -> str | None:
        return v.phone("Team member", key, value)


class AssistantAssignment(Base):
    """An assistant working for a manager, from `started_at` until `ended_at`."""

    __tablename__ = "assistant_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    assistant: Mapped[str] = mapped_column(String(63))
    manager: Mapped[str] = mapped_column(String(63), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None]


Index(
    "ix_assistant_assignment_assistant", AssistantAssignment.assistant, AssistantAssignment.ended_at
)


class ClientManager(Base):
    """A co-manager of a client: reads and writes the client as the owner does."""

    __tablename__ = "client_manager"

    client_id: Mapped[int] = mapped_column(
        ForeignKey("client.id", ondelete="CASCADE"), primary_key=True
    )
    manager: Mapped[str] = mapped_column(String(63), primary_key=True, index=True)


class Setting(Base):
    """Book-wide settings (bank, manager, rules of thumb), shared by a team."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


v.install_text_rules(Base)
