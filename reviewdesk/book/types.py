"""Column types that keep Decimal exact on every database."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, Dialect, String
from sqlalchemy.types import TypeDecorator

from reviewdesk.money import to_decimal

MONEY_SCALE = Decimal("0.0001")
_FACTOR = 10_000


class Money(TypeDecorator[Decimal]):
    """An amount stored as an integer count of 1/10,000 units.

    SQLite has no decimal type (NUMERIC becomes a float there); an integer is
    exact on SQLite and PostgreSQL alike and SUM() stays exact in SQL.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: object, dialect: Dialect) -> int | None:
        if value is None:
            return None
        amount = to_decimal(value)
        scaled = amount / MONEY_SCALE
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{amount} has more than 4 decimal places")
        return int(scaled)

    def process_result_value(self, value: int | Decimal | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return from_scaled(value)

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal


def from_scaled(value: int | Decimal | None) -> Decimal:
    """A Decimal from a stored (or SUMmed) scaled integer."""
    if value is None:
        return Decimal(0)
    return (Decimal(int(value)) * MONEY_SCALE).quantize(MONEY_SCALE)


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal kept as its exact text (exchange rates, scores)."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: object, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return str(to_decimal(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else from_text(value)

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal


def from_text(value: str) -> Decimal:
    """A Decimal from its stored text (`DecimalText`)."""
    return Decimal(value)
