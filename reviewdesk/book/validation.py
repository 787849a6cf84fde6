"""The book's rules. Field rules are called by the models as values are set;
record rules run before every flush, whatever path the data came by."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Enum, String, Text, event, func, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from reviewdesk.book.errors import ValidationError
from reviewdesk.i18n import N_
from reviewdesk.money import CURRENCIES, to_decimal
from reviewdesk.text import codepoint, control_character, normalise_code

if TYPE_CHECKING:
    from reviewdesk.book.models import Base

T = TypeVar("T")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def today() -> dt.date:
    return dt.date.today()


def required(record: str, field: str, value: T) -> T:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(record, field, value, N_("is required"))
    return value


def required_text(record: str, field: str, value: object) -> str:
    required(record, field, value)
    if not isinstance(value, str):
        raise ValidationError(record, field, value, N_("must be text"))
    return value.strip()


def benchmark_name(record: str, field: str, value: object) -> str:
    """A benchmark's name, its inner runs of spaces made one: levels and choices find each
    other by it, so "CSI  300" and "CSI 300" are one name."""
    return " ".join(required_text(record, field, value).split())


def client_code(record: str, field: str, value: object) -> str:
    """A client code in its one stored form (see `text.normalise_code`): codes that differ
    only in case or width are one code."""
    return normalise_code(required_text(record, field, value))


def optional_text(value: object) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _amount(record: str, field: str, value: object, places: int = 4) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        raise ValidationError(
            record, field, value, N_("amounts must be exact decimals, not floats")
        )
    try:
        amount = to_decimal(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(record, field, value, N_("is not a number")) from exc
    if amount.as_tuple().exponent < -places:  # type: ignore[operator]
        raise ValidationError(
            record, field, value, N_("has more than {places} decimal places"), {"places": places}
        )
    if abs(amount) >= Decimal("1e14"):
        raise ValidationError(record, field, value, N_("is too large"))
    return amount


def non_negative(record: str, field: str, value: object) -> Decimal | None:
    amount = _amount(record, field, value)
    if amount is not None and amount < 0:
        raise ValidationError(record, field, value, N_("must not be negative"))
    return amount


def positive(record: str, field: str, value: object, places: int = 4) -> Decimal | None:
    amount = _amount(record, field, required(record, field, value), places)
    if amount is not None and amount <= 0:
        raise ValidationError(record, field, value, N_("must be greater than zero"))
    return amount


def non_zero(record: str, field: str, value: object) -> Decimal | None:
    amount = _amount(record, field, required(record, field, value))
    if amount is not None and amount == 0:
        raise ValidationError(record, field, value, N_("must not be zero"))
    return amount


def currency(record: str, field: str, value: object) -> str:
    if value is None:
        raise ValidationError(record, field, value, N_("is required"))
    code = str(value).strip().upper()
    if code not in CURRENCIES:
        raise ValidationError(
            record, field, value, N_("is not a known currency ({known})"), {"known": CURRENCIES}
        )
    return code


def flag(record: str, field: str, value: object) -> bool:
    """Yes or no; None (not given) is no."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValidationError(record, field, value, N_("must be yes or no"))
    return value


def date(record: str, field: str, value: object) -> dt.date | None:
    """A calendar date (a datetime gives its day), or None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, dt.date):
        raise ValidationError(record, field, value, N_("is not a date"))
    return value


def past_date(record: str, field: str, value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise ValidationError(record, field, value, N_("is not a date"))
    if value > today():
        raise ValidationError(record, field, value, N_("is in the future"))
    return value


def int_range(record: str, field: str, value: object, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(record, field, value, N_("must be a whole number"))
    if not low <= value <= high:
        raise ValidationError(
            record, field, value, N_("must be between {low} and {high}"), {"low": low, "high": high}
        )
    return value


def is_email_address(text: str) -> bool:
    """One address of the form the book keeps for a client (`email`)."""
    return bool(_EMAIL.match(text))


def email(record: str, field: str, value: object) -> str | None:
    value = optional_text(value)
    if value is not None and not _EMAIL.match(value):
        raise ValidationError(record, field, value, N_("is not an email address"))
    return value


_PHONE = re.compile(r"^[0-9 +\-()]+$")
PHONE_DIGITS = (6, 20)


def phone(record: str, field: str, value: object) -> str | None:
    """A phone number: digits, spaces, `+`, `-` and parentheses, with 6 to 20 digits."""
    value = optional_text(value)
    if value is None or not isinstance(value, str) or control_character(value, False):
        return value  # not text, or a control character: the text rule names it
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE.match(value) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise ValidationError(
            record,
            field,
            value,
            N_("is not a phone number (digits, spaces, + - and brackets; {low} to {high} digits)"),
            {"low": PHONE_DIGITS[0], "high": PHONE_DIGITS[1]},
        )
    return value


# ---- text fields -----------------------------------------------------------
#
# Every text column has a longest length, in characters, the same on every database:
# a String(n) column's n, or for a Text column the limit it declares with `text_limit`
# (its `info`). The limits below are the Text columns'; all are under a spreadsheet
# cell's 32,767. Text columns keep tabs and line ends (notes); String columns refuse
# every control character.

ADDRESS_LIMIT = 500
NOTE_LIMIT = 4_000
LONG_NOTE_LIMIT = 10_000

# Tables written by the book itself (copies of values already checked), not by a user.
_UNCHECKED_TABLES = frozenset({"audit_entry", "setting"})


def text_limit(limit: int) -> dict[str, object]:
    """A Text column's `info`: the longest text it takes."""
    return {"max_length": limit}


@dataclass(frozen=True)
class TextRule:
    """One text column's rule: its longest length and whether it is a multi-line note."""

    limit: int
    multiline: bool


@functools.cache
def text_rules(model: type[Base]) -> dict[str, TextRule]:
    """The text rule of each text attribute of a model, from its columns."""
    mapper = inspect(model)
    rules: dict[str, TextRule] = {}
    if model.__tablename__ in _UNCHECKED_TABLES:
        return rules
    for column in mapper.columns:
        kind = column.type
        if not isinstance(kind, String) or isinstance(kind, Enum):
            continue
        limit = kind.length or column.info.get("max_length")
        if not isinstance(limit, int):
            raise TypeError(f"{model.__tablename__}.{column.name} declares no text limit")
        key = mapper.get_property_by_column(column).key
        rules[key] = TextRule(limit, isinstance(kind, Text))
    return rules


def check_text(record: str, field: str, value: object, rule: TextRule) -> None:
    """Refuse control characters (a note keeps tabs and line ends) and text over the
    field's limit."""
    if not isinstance(value, str):
        return
    char = control_character(value, rule.multiline)
    if char is not None:
        raise ValidationError(
            record,
            field,
            value,
            N_("contains a control character ({char})"),
            {"char": codepoint(char)},
        )
    if len(value) > rule.limit:
        raise ValidationError(
            record,
            field,
            value,
            N_("is longer than {limit} characters ({length})"),
            {"limit": f"{rule.limit:,}", "length": f"{len(value):,}"},
        )


def install_text_rules(base: type[Base]) -> None:
    """Check every text attribute of every model as it is set, as `validates` does for
    the fields that have a rule of their own (the record rules check them again)."""
    for mapper in base.registry.mappers:
        model = cast("type[Base]", mapper.class_)
        record = _RECORD_NAMES.get(model.__tablename__, model.__name__)
        for key, rule in text_rules(model).items():

            def on_set(
                target: object,
                value: object,
                oldvalue: object,
                initiator: object,
                record: str = record,
                key: str = key,
                rule: TextRule = rule,
            ) -> object:
                check_text(record, key, value, rule)
                return value

            event.listen(getattr(model, key), "set", on_set, retval=True)


def _check_text(obj: object) -> None:
    from reviewdesk.book.models import Client, ClientTag

    model = type(obj)
    record = _RECORD_NAMES.get(model.__tablename__, model.__name__)  # type: ignore[attr-defined]
    for key, rule in text_rules(model).items():  # type: ignore[arg-type]
        check_text(record, key, getattr(obj, key), rule)
    if isinstance(obj, Client):
        rule = text_rules(ClientTag)["tag"]
        for tag in obj.tags:
            check_text(record, "tags", tag.tag, rule)


def _check_client_codes(session: Session) -> None:
    """A new or changed client code that another client already has. Codes are stored in
    one form, so an equal code is the same code; a book from before codes had one form
    may still hold a few in another (see migration 0004), compared in that form here."""
    from reviewdesk.book.models import Client

    changed: list[Client] = []
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Client) or obj.code is None:
            continue
        if obj in session.new or inspect(obj).attrs.code.history.has_changes():
            changed.append(obj)
    if not changed:
        return
    holders: dict[str, set[int]] = {}
    wanted = [obj.code for obj in changed]
    with session.no_autoflush:
        rows = session.execute(
            select(Client.id, Client.code).where(
                Client.code.in_(wanted) | (Client.code != func.upper(Client.code))
            )
        ).all()
    for client_id, code in rows:
        holders.setdefault(normalise_code(code), set()).add(client_id)
    seen: dict[str, Client] = {}
    for obj in changed:
        others = holders.get(obj.code, set()) - {obj.id}
        if others or (obj.code in seen and seen[obj.code] is not obj):
            raise ValidationError("Client", "code", obj.code, N_("is the code of another client"))
        seen[obj.code] = obj


# The record rules below import the models inside each function: the models import this
# module's field rules as their classes are defined, before the models exist.
_RECORD_NAMES = {
    "client": "Client",
    "family_member": "Family member",
    "snapshot": "Snapshot",
    "holding": "Holding",
    "fx_rate": "Exchange rate",
    "insurance_policy": "Insurance policy",
    "risk_assessment": "Risk assessment",
    "contact": "Contact",
    "client_tag": "Client tag",
    "flow": "Flow",
    "benchmark_level": "Benchmark level",
    "benchmark_choice": "Benchmark choice",
    "team_member": "Team member",
}


def _check_required(obj: object) -> None:
    mapper = inspect(obj).mapper
    record = _RECORD_NAMES.get(mapper.local_table.name, type(obj).__name__)
    for column in mapper.columns:
        if column.nullable or column.primary_key or column.foreign_keys:
            continue
        if column.default is not None or column.server_default is not None:
            continue
        attr = mapper.get_property_by_column(column).key
        if getattr(obj, attr) is None:
            raise ValidationError(record, attr, None, N_("is required"))


def _check_snapshot_dates(session: Session) -> None:
    from reviewdesk.book.models import Snapshot

    seen: dict[tuple[int, dt.date], Snapshot] = {}
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Snapshot) or obj.review_date is None:
            continue
        client_key = id(obj.client) if obj.client is not None else obj.client_id
        key = (client_key, obj.review_date)
        if key in seen and seen[key] is not obj:
            raise ValidationError(
                "Snapshot",
                "review_date",
                obj.review_date,
                N_("this client already has a snapshot on that date"),
            )
        seen[key] = obj
        client_id = obj.client.id if obj.client is not None else obj.client_id
        if client_id is None:
            continue
        with session.no_autoflush:
            clash = session.scalar(
                select(Snapshot.id).where(
                    Snapshot.client_id == client_id,
                    Snapshot.review_date == obj.review_date,
                    Snapshot.id != (obj.id or -1),
                )
            )
        if clash is not None:
            raise ValidationError(
                "Snapshot",
                "review_date",
                obj.review_date,
                N_("this client already has a snapshot on that date"),
            )


def _check_policy(obj: object) -> None:
    from reviewdesk.book.models import InsurancePolicy

    if isinstance(obj, InsurancePolicy) and obj.start_date and obj.end_date:
        if obj.end_date < obj.start_date:
            raise ValidationError(
                "Insurance policy", "end_date", obj.end_date, N_("is before the start date")
            )


def _check_assessment(obj: object) -> None:
    from reviewdesk.book.models import RiskAssessment

    if isinstance(obj, RiskAssessment) and obj.assessed_on and obj.valid_until:
        if obj.valid_until < obj.assessed_on:
            raise ValidationError(
                "Risk assessment",
                "valid_until",
                obj.valid_until,
                N_("is before the assessment date"),
            )


def _check_member(obj: object) -> None:
    from reviewdesk.book.models import InsurancePolicy

    if isinstance(obj, InsurancePolicy) and obj.insured_member is not None:
        if obj.insured_member.client is not obj.client:
            raise ValidationError(
                "Insurance policy",
                "insured",
                obj.insured_member.name,
                N_("is not a family member of this client"),
            )


def _check_contact(obj: object) -> None:
    """A next step's flag, due date or done date needs the next step itself."""
    from reviewdesk.book.models import Contact

    if not isinstance(obj, Contact):
        return
    if not (obj.next_step or "").strip():
        for field, value in (
            ("next_step_shared", obj.next_step_shared or None),
            ("next_step_due", obj.next_step_due),
            ("next_step_done", obj.next_step_done),
        ):
            if value:
                raise ValidationError("Contact", field, value, N_("needs the next step itself"))
    if obj.next_step_done and obj.contact_date and obj.next_step_done < obj.contact_date:
        raise ValidationError(
            "Contact", "next_step_done", obj.next_step_done, N_("is before the contact date")
        )


def _check_flow(obj: object) -> None:
    """A flow's sign follows its kind (money in is positive, money out negative), and a
    flow in the currency its rate converts to has the rate 1."""
    from reviewdesk.book.models import Flow

    if not isinstance(obj, Flow) or obj.amount is None or obj.kind is None:
        return
    if obj.amount * obj.kind.direction < 0:
        reason = (
            N_("must be positive: {kind} is money into the portfolio")
            if obj.kind.direction > 0
            else N_("must be negative: {kind} is money out of the portfolio")
        )
        raise ValidationError("Flow", "amount", obj.amount, reason, {"kind": obj.kind})
    if obj.currency is not None and obj.currency == obj.to_currency and obj.rate != 1:
        raise ValidationError(
            "Flow", "rate", obj.rate, N_("must be 1: the flow is in the report currency")
        )


def _check_benchmark_choice(obj: object) -> None:
    """A choice is for one client or for one risk level; a blend is of two different
    benchmarks with weights that sum to 100% (the first's weight is 1 to 99 percent), and
    a single benchmark weighs 100%."""
    from reviewdesk.book.models import BenchmarkChoice

    if not isinstance(obj, BenchmarkChoice):
        return
    has_client = obj.client is not None or obj.client_id is not None
    if has_client == (obj.risk_level is not None):
        raise ValidationError(
            "Benchmark choice",
            "risk_level",
            obj.risk_level.value if obj.risk_level else None,
            N_("give either a client or a risk level, not both or neither"),
        )
    weight = 100 if obj.weight is None else obj.weight
    if obj.blend is None:
        if weight != 100:
            raise ValidationError(
                "Benchmark choice", "weight", weight, N_("must be 100 without a second benchmark")
            )
        return
    if obj.blend == obj.benchmark:
        raise ValidationError(
            "Benchmark choice", "blend", obj.blend, N_("must differ from the first benchmark")
        )
    if not 1 <= weight <= 99:
        raise ValidationError(
            "Benchmark choice",
            "weight",
            weight,
            N_("must be between {low} and {high}: the two weights sum to 100%"),
            {"low": 1, "high": 99},
        )


def check_record(obj: object) -> None:
    """The whole-record rules of one object, before it joins a session (imports do this
    per row so that every refused row is reported, not only the first at flush)."""
    _check_required(obj)
    _check_text(obj)
    _check_policy(obj)
    _check_assessment(obj)
    _check_member(obj)
    _check_contact(obj)
    _check_flow(obj)
    _check_benchmark_choice(obj)


def field_rules(model: type[Base]) -> dict[str, Callable[[object], object]]:
    """Each field's rule of a model (its `validates` hook, then for a text field the text
    rule) as a function of the value."""
    rules: dict[str, Callable[[object], object]] = {}
    record = _RECORD_NAMES.get(model.__tablename__, model.__name__)
    texts = text_rules(model)
    for key, (method, _options) in inspect(model).validators.items():
        # SQLAlchemy annotates the entry as the method's name; it is the method itself.
        validator = cast(Callable[[object, str, object], object], method)
        rules[key] = (lambda fn, k: lambda value: fn(None, k, value))(validator, key)
    for key, text in texts.items():
        own = rules.get(key)

        def rule(
            value: object,
            own: Callable[[object], object] | None = own,
            key: str = key,
            text: TextRule = text,
        ) -> object:
            value = own(value) if own is not None else value
            check_text(record, key, value, text)
            return value

        rules[key] = rule
    return rules


# A row's values differ in type from column to column: Any, as in SQLAlchemy's own rows.
def validate_row(model: type[Base], values: dict[str, Any]) -> dict[str, Any]:
    """A row for a bulk insert, passed through the model's own field rules.

    Bulk inserts (`session.execute(insert(Model), rows)`) skip the ORM's
    `validates` hooks; this runs the same hooks on a plain dict and checks the
    required columns, so a bulk path obeys the same rules as an object.
    """
    mapper = inspect(model)
    record = _RECORD_NAMES.get(model.__tablename__, model.__name__)
    for key, rule in field_rules(model).items():
        if key in values:
            values[key] = rule(values[key])
    for column in mapper.columns:
        if column.nullable or column.primary_key or column.foreign_keys:
            continue
        if column.default is not None or column.server_default is not None:
            continue
        key = mapper.get_property_by_column(column).key
        if values.get(key) is None:
            raise ValidationError(record, key, None, N_("is required"))
    return values


def check_session(session: Session) -> None:
    for obj in list(session.new) + list(session.dirty):
        if not session.is_modified(obj) and obj not in session.new:
            continue
        check_record(obj)
    _check_snapshot_dates(session)
    _check_client_codes(session)


def install(session_class: type[Session]) -> None:
    """Run the record rules before every flush of sessions of this class."""

    @event.listens_for(session_class, "before_flush")
    def _before_flush(
        session: Session, flush_context: UOWTransaction, instances: Sequence[object] | None
    ) -> None:
        check_session(session)
