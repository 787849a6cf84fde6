"""The book's vocabularies. Values are stored; labels are translated where shown."""

from __future__ import annotations

import enum
from typing import Self

from reviewdesk.i18n import N_


class LabelledEnum(str, enum.Enum):
    """A str enum whose members carry an English label for translation."""

    _value_: str
    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member

    def __str__(self) -> str:
        return self._value_

    @classmethod
    def parse(cls, text: str) -> Self:
        """A member from its value or its English label, case-insensitive."""
        key = str(text).strip().lower()
        for member in cls:
            if key in (member.value.lower(), member.label.lower()):
                return member
        raise ValueError(key)


class Tier(LabelledEnum):
    KEY = ("key", N_("Key"))
    STANDARD = ("standard", N_("Standard"))


class Cadence(LabelledEnum):
    MONTHLY = ("monthly", N_("Monthly"))
    QUARTERLY = ("quarterly", N_("Quarterly"))

    @property
    def months(self) -> int:
        return 1 if self is Cadence.MONTHLY else 3


class MaritalStatus(LabelledEnum):
    SINGLE = ("single", N_("Single"))
    MARRIED = ("married", N_("Married"))
    DIVORCED = ("divorced", N_("Divorced"))
    WIDOWED = ("widowed", N_("Widowed"))


class Language(LabelledEnum):
    ZH = ("zh", N_("Chinese"))
    EN = ("en", N_("English"))


class Relation(LabelledEnum):
    SPOUSE = ("spouse", N_("Spouse"))
    SON = ("son", N_("Son"))
    DAUGHTER = ("daughter", N_("Daughter"))
    FATHER = ("father", N_("Father"))
    MOTHER = ("mother", N_("Mother"))
    OTHER = ("other", N_("Other"))


class AssetClass(LabelledEnum):
    DEPOSIT = ("deposit", N_("Deposit"))
    FUND = ("fund", N_("Fund"))
    BOND = ("bond", N_("Bond"))
    STOCK = ("stock", N_("Stock"))
    WEALTH_PRODUCT = ("wealth_product", N_("Wealth management product"))
    INSURANCE = ("insurance", N_("Insurance cash value"))
    PROPERTY = ("property", N_("Property"))
    LOAN = ("loan", N_("Loan"))
    CASH = ("cash", N_("Cash"))
    OTHER = ("other", N_("Other"))

    @property
    def is_liability(self) -> bool:
        return self is AssetClass.LOAN


class RiskLevel(LabelledEnum):
    """A product's risk rating, R1 (lowest) to R5."""

    R1 = ("R1", N_("R1 Low"))
    R2 = ("R2", N_("R2 Medium-low"))
    R3 = ("R3", N_("R3 Medium"))
    R4 = ("R4", N_("R4 Medium-high"))
    R5 = ("R5", N_("R5 High"))

    @property
    def rank(self) -> int:
        return int(self.value[1])


class ClientRiskLevel(LabelledEnum):
    """A client's assessed tolerance, C1 (conservative) to C5 (aggressive)."""

    C1 = ("C1", N_("C1 Conservative"))
    C2 = ("C2", N_("C2 Prudent"))
    C3 = ("C3", N_("C3 Balanced"))
    C4 = ("C4", N_("C4 Growth"))
    C5 = ("C5", N_("C5 Aggressive"))

    @property
    def rank(self) -> int:
        return int(self.value[1])


class PolicyKind(LabelledEnum):
    LIFE = ("life", N_("Life"))
    CRITICAL_ILLNESS = ("critical_illness", N_("Critical illness"))
    MEDICAL = ("medical", N_("Medical"))
    ACCIDENT = ("accident", N_("Accident"))
    ANNUITY = ("annuity", N_("Annuity"))
    PROPERTY = ("property", N_("Property insurance"))
    OTHER = ("other", N_("Other"))


class Channel(LabelledEnum):
    PHONE = ("T", N_("Phone"))
    EMAIL = ("E", N_("Email"))
    MEETING = ("M", N_("Meeting"))
    SMS = ("S", N_("SMS"))
    CHAT = ("C", N_("Chat"))
    OTHER = ("O", N_("Other"))


class PackAction(LabelledEnum):
    SAVED = ("saved", N_("Saved"))
    PRINTED = ("printed", N_("Printed"))
    EMAILED = ("emailed", N_("Emailed"))
    SHOWN = ("shown", N_("Shown"))


class FeedbackTopic(LabelledEnum):
    PRODUCT = ("product", N_("Product"))
    SERVICE = ("service", N_("Service"))
    OTHER = ("other", N_("Other"))


class FlowKind(LabelledEnum):
    """Why money moved into or out of a client's portfolio."""

    DEPOSIT = ("deposit", N_("Paid in"))
    WITHDRAWAL = ("withdrawal", N_("Withdrawal"))
    TRANSFER_IN = ("transfer_in", N_("Transfer in"))
    TRANSFER_OUT = ("transfer_out", N_("Transfer out"))
    INCOME_PAID = ("income_paid", N_("Income paid out"))
    FEE = ("fee", N_("Fee"))

    @property
    def direction(self) -> int:
        """+1: money into the portfolio (a positive amount); -1: money out (negative)."""
        return 1 if self in (FlowKind.DEPOSIT, FlowKind.TRANSFER_IN) else -1
