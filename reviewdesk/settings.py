"""Book-wide settings: each option declared once, with its type, default and label.

Settings live in the book (table `setting`) so a team sharing a book shares
them. Values are validated on the way in; a value that cannot be read falls
back to the default rather than breaking the app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Setting
from reviewdesk.i18n import N_
from reviewdesk.money import CURRENCIES, to_decimal


@dataclass(frozen=True)
class Option:
    key: str
    kind: type
    default: Any
    label: str
    choices: tuple[str, ...] = ()
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    # The value needs a check beyond its type that only a layer above the book can make (a
    # logo file must be an image the pack can draw): whoever saves it passes the check to
    # `save_setting`, and without it nothing is saved. Run when a value changes, not on reads.
    needs_check: bool = False
    # For a currency of a fixed amount: the amount option it belongs to (shown beside it).
    currency_of: str = ""
    # A share kept as a fraction (0.10) that people write as a percentage: "10%" is read as
    # 0.10, and the settings dialog shows and takes it in percent (found: "10%" was refused
    # as "not a number", and "10" as "must be at most 1").
    percent: bool = False

    def parse(self, value: Any) -> Any:
        """The value as this option's type, or a ValidationError naming the option."""
        try:
            if self.kind is bool:
                if isinstance(value, bool):
                    return value
                text = str(value).strip().lower()
                if text in ("1", "true", "yes", "on"):
                    return True
                if text in ("0", "false", "no", "off"):
                    return False
                raise ValueError(value)
            result: Decimal | int | str
            if self.kind is Decimal and self.percent and isinstance(value, str):
                text = value.strip()
                if text.endswith(("%", "％")):
                    result = to_decimal(text[:-1]) / 100
                else:
                    result = to_decimal(text)
                if not result.is_finite():
                    raise ValueError(value)
            elif self.kind is Decimal:
                result = to_decimal(value if not isinstance(value, float) else str(value))
                if not result.is_finite():  # a Decimal handed in directly: NaN, Infinity
                    raise ValueError(value)
            elif self.kind is int:
                if isinstance(value, bool):
                    raise ValueError(value)
                result = int(value)
            else:
                text = "" if value is None else str(value).strip()
                result = text.upper() if self.choices == CURRENCIES or self.currency_of else text
        except (TypeError, ValueError, ArithmeticError):
            raise ValidationError(
                "Setting", self.key, value, _KIND_REASONS[self.kind], label=self.label
            ) from None
        if self.choices and result not in self.choices:
            raise ValidationError(
                "Setting",
                self.key,
                value,
                N_("must be one of {choices}"),
                {"choices": self.choices},
                label=self.label,
            )
        if isinstance(result, str):
            return result  # text has no range
        low, high = self.minimum, self.maximum
        if self.percent and (
            (low is not None and result < low) or (high is not None and result > high)
        ):
            raise ValidationError(
                "Setting",
                self.key,
                value,
                N_("must be a percentage from {minimum} to {maximum}, such as 10%"),
                {"minimum": self.shown(low or 0), "maximum": self.shown(high or 0)},
                label=self.label,
            )
        if low is not None and result < low:
            raise ValidationError(
                "Setting",
                self.key,
                value,
                N_("must be at least {minimum}"),
                {"minimum": low},
                label=self.label,
            )
        if high is not None and result > high:
            raise ValidationError(
                "Setting",
                self.key,
                value,
                N_("must be at most {maximum}"),
                {"maximum": high},
                label=self.label,
            )
        return result

    def shown(self, value: Any) -> str:
        """The value as a person reads and types it: a share in percent ("10%")."""
        if not self.percent:
            return str(value)
        hundredths = Decimal(value) * 100
        if hundredths == hundredths.to_integral_value():
            return f"{int(hundredths)}%"
        return f"{hundredths.normalize():f}%"

    def dump(self, value: Any) -> Any:
        return str(value) if self.kind is Decimal else value


# Why a value cannot be read as the option's type.
_KIND_REASONS = {
    bool: N_("must be yes or no"),
    Decimal: N_("is not a number"),
    int: N_("must be a whole number"),
    str: N_("must be text"),
}


# A fixed amount's currency: empty means the book's base currency (`default_currency`).
RULE_CURRENCIES: tuple[str, ...] = ("", *CURRENCIES)

_OPTIONS = [
    # The bank and the manager, shown on the pack's cover. On a team book the manager a
    # client reads is the client's own, from the team's list (`team set-contact`).
    Option("bank_name", str, "", N_("Bank name")),
    Option("manager_name", str, "", N_("Relationship manager")),
    Option("manager_phone", str, "", N_("Manager's phone")),
    Option("bank_logo", str, "", N_("Bank logo (image file)"), needs_check=True),
    Option("paper_size", str, "a4", N_("Paper size"), choices=("a4", "letter")),
    # The book's base currency: new clients report in it, book-wide totals are in it, and
    # the fixed amounts of the insurance rules are in it unless given their own currency.
    Option("default_currency", str, "CNY", N_("Base currency of the book"), choices=CURRENCIES),
    # Insurance rules of thumb (DOMAIN.md): editable, and stated on the pack.
    Option(
        "life_cover_income_multiple",
        Decimal,
        Decimal(10),
        N_("Life cover: multiple of annual income"),
        minimum=Decimal(0),
        maximum=Decimal(50),
    ),
    Option(
        "premium_income_share",
        Decimal,
        Decimal("0.10"),
        N_("Premiums: at most this share of annual income"),
        minimum=Decimal(0),
        maximum=Decimal(1),
        percent=True,
    ),
    Option(
        "critical_illness_income_multiple",
        Decimal,
        Decimal(3),
        N_("Critical illness cover: multiple of annual income"),
        minimum=Decimal(0),
        maximum=Decimal(20),
    ),
    Option("life_cover_includes_debt", bool, True, N_("Life cover must also clear debts")),
    Option(
        "education_cost_per_child",
        Decimal,
        Decimal(500_000),
        N_("Education need per child under 22"),
        minimum=Decimal(0),
    ),
    Option(
        "education_cost_per_child_currency",
        str,
        "",
        N_("Currency of the education need (empty: the base currency)"),
        choices=RULE_CURRENCIES,
        currency_of="education_cost_per_child",
    ),
    Option(
        "accident_cover_income_multiple",
        Decimal,
        Decimal(5),
        N_("Accident cover: multiple of annual income"),
        minimum=Decimal(0),
        maximum=Decimal(50),
    ),
    Option(
        "medical_cover_minimum",
        Decimal,
        Decimal(1_000_000),
        N_("Medical cover: minimum sum assured"),
        minimum=Decimal(0),
    ),
    Option(
        "medical_cover_minimum_currency",
        str,
        "",
        N_("Currency of the medical minimum (empty: the base currency)"),
        choices=RULE_CURRENCIES,
        currency_of="medical_cover_minimum",
    ),
    # Reviews and contacts.
    Option(
        "assessment_validity_months",
        int,
        12,
        N_("Risk assessment valid for (months)"),
        minimum=1,
        maximum=60,
    ),
    Option(
        "maturity_window_days", int, 90, N_("Maturities shown ahead (days)"), minimum=1, maximum=730
    ),
    Option(
        "review_cadence_key",
        str,
        "monthly",
        N_("Review cadence of key clients"),
        choices=("monthly", "quarterly"),
    ),
    Option(
        "review_cadence_standard",
        str,
        "quarterly",
        N_("Review cadence of standard clients"),
        choices=("monthly", "quarterly"),
    ),
    Option(
        "contact_days_key",
        int,
        30,
        N_("Contact at least every (days), key clients"),
        minimum=1,
        maximum=366,
    ),
    Option(
        "contact_days_standard",
        int,
        90,
        N_("Contact at least every (days), standard clients"),
        minimum=1,
        maximum=366,
    ),
    Option(
        "due_ahead_days",
        int,
        7,
        N_("Reviews and contacts due within (days; the agenda's days)"),
        minimum=0,
        maximum=90,
    ),
    Option(
        "pack_show_contacts",
        bool,
        True,
        N_("Pack and present mode: show the shared next steps and contacts"),
    ),
    Option(
        "agenda_lookahead_days",
        int,
        30,
        N_("Agenda: maturities, assessments and renewals ahead (days)"),
        minimum=1,
        maximum=366,
    ),
    Option(
        "key_client_share",
        Decimal,
        Decimal("0.80"),
        N_("Key clients: those who together hold this share of the assets here"),
        minimum=Decimal("0.05"),
        maximum=Decimal(1),
        percent=True,
    ),
    Option(
        "growth_threshold",
        Decimal,
        Decimal("0.20"),
        N_("Potential: growth of total assets over a year at least"),
        minimum=Decimal(0),
        maximum=Decimal(10),
        percent=True,
    ),
    # Safety: backups, and fields a bank may be told not to collect (minimum necessary).
    Option(
        "backup_keep_days",
        int,
        30,
        N_("Keep automatic backups for (days)"),
        minimum=1,
        maximum=3650,
    ),
    Option("collect_id_number", bool, True, N_("Collect clients' ID numbers")),
    Option("collect_account_numbers", bool, True, N_("Collect account numbers of holdings")),
    Option("collect_policy_numbers", bool, True, N_("Collect insurance policy numbers")),
    Option("collect_income", bool, True, N_("Collect income (client and family)")),
    Option("collect_birthdays", bool, True, N_("Collect birthdays (client and family)")),
    Option("collect_address", bool, True, N_("Collect home addresses")),
    Option("collect_hobbies", bool, True, N_("Collect hobbies and special notes")),
]
OPTIONS: dict[str, Option] = {o.key: o for o in _OPTIONS}


class Settings:
    """The book's settings, read once; options not stored take their default."""

    def __init__(self, values: dict[str, Any] | None = None):
        self._values = {}
        for key, raw in (values or {}).items():
            option = OPTIONS.get(key)
            if option is None:
                continue
            try:
                self._values[key] = option.parse(raw)
            except ValidationError:
                continue  # unreadable stored value: use the default

    def __getattr__(self, key: str) -> Any:
        option = OPTIONS.get(key)
        if option is None:
            raise AttributeError(key)
        return self._values.get(key, option.default)

    def get(self, key: str) -> Any:
        return getattr(self, key)

    @property
    def base_currency(self) -> str:
        """The book's base currency (the option `default_currency`)."""
        currency: str = self.default_currency
        return currency

    def amount_currency(self, key: str) -> str:
        """The currency of the fixed amount `key`: its own currency, else the base currency."""
        currency = next((o for o in _OPTIONS if o.currency_of == key), None)
        if currency is None:
            raise KeyError(f"{key} is not a fixed amount with a currency")
        return self.get(currency.key) or self.base_currency

    def as_dict(self) -> dict[str, Any]:
        return {key: self.get(key) for key in OPTIONS}


def load_settings(session: Session) -> Settings:
    rows = session.execute(select(Setting.key, Setting.value)).all()
    return Settings(dict(rows))


Check = Callable[[Any], Any]


def save_setting(
    session: Session, key: str, value: Any, checks: Mapping[str, Check] | None = None
) -> Any:
    """Validate and store one setting (the change is in the audit trail, as every change
    made through the session); returns the value as stored.

    `checks` gives, per key, the check of an option that `needs_check` (e.g.
    `reviewdesk.pack.logo.SETTING_CHECKS`): it returns the value to keep or raises.
    """
    option = OPTIONS.get(key)
    if option is None:
        raise ValidationError(
            "Setting", "key", key, N_("is not a known setting"), label=N_("Setting")
        )
    parsed = option.parse(value)
    row = session.get(Setting, key)
    if option.needs_check and (row is None or row.value != option.dump(parsed)):
        check = (checks or {}).get(key)
        if check is None:
            raise LookupError(
                f"setting {key}: its check was not given to save_setting "
                "(checks); nothing was saved"
            )
        try:
            parsed = check(parsed)
        except ValidationError as exc:
            exc.label = exc.label or option.label
            raise
    if row is None:
        session.add(Setting(key=key, value=option.dump(parsed)))
    else:
        row.value = option.dump(parsed)
    return parsed
