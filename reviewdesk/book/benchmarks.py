"""Benchmarks: index levels by date, and which benchmark a client's returns are set beside.

The caller owns the unit of work: these functions add to, change or delete from the
session they are given and flush so the book's rules (and the audit trail) run; they
never commit.

A client's benchmark is the client's own choice if there is one, else the choice for the
risk level of the client's latest assessment (valid or expired: the level is still the
best word on the client's profile), else none. A choice names benchmarks that have
levels in the book; a benchmark whose levels are all removed later simply gives no
figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from reviewdesk.book import validation as v
from reviewdesk.book.enums import ClientRiskLevel
from reviewdesk.book.errors import NotFound, ValidationError
from reviewdesk.book.models import BenchmarkChoice, BenchmarkLevel, Client
from reviewdesk.book.validation import check_record
from reviewdesk.i18n import N_

# One benchmark's levels, oldest first: (day, level).
Series = tuple[tuple[dt.date, Decimal], ...]


def set_level(session: Session, name: str, day: dt.date, level: Decimal) -> BenchmarkLevel:
    """The level of `name` on `day`: added, or the stored one changed."""
    name = v.benchmark_name("Benchmark level", "name", name)
    stored = session.scalar(
        select(BenchmarkLevel).where(BenchmarkLevel.name == name, BenchmarkLevel.level_date == day)
    )
    if stored is not None:
        stored.level = level
        session.flush()
        return stored
    row = BenchmarkLevel(name=name, level_date=day, level=level)
    check_record(row)
    session.add(row)
    session.flush()
    return row


def remove_level(session: Session, name: str, day: dt.date) -> bool:
    """Remove the level of `name` on `day`; False if there was none."""
    stored = session.scalar(
        select(BenchmarkLevel).where(
            BenchmarkLevel.name == " ".join(name.split()), BenchmarkLevel.level_date == day
        )
    )
    if stored is None:
        return False
    session.delete(stored)
    session.flush()
    return True


def benchmark_names(session: Session) -> list[str]:
    """The names that have levels, in order."""
    return list(
        session.scalars(select(BenchmarkLevel.name).distinct().order_by(BenchmarkLevel.name))
    )


def levels(session: Session, name: str | None = None) -> list[BenchmarkLevel]:
    """The levels of `name` (every benchmark's if None), by name then date."""
    query = select(BenchmarkLevel)
    if name is not None:
        query = query.where(BenchmarkLevel.name == " ".join(name.split()))
    return list(session.scalars(query.order_by(BenchmarkLevel.name, BenchmarkLevel.level_date)))


def series(session: Session, names: Iterable[str]) -> dict[str, Series]:
    """The levels of each name, oldest first (a name without levels is left out)."""
    wanted = sorted(set(names))
    if not wanted:
        return {}
    out: dict[str, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for name, day, level in session.execute(
        select(BenchmarkLevel.name, BenchmarkLevel.level_date, BenchmarkLevel.level)
        .where(BenchmarkLevel.name.in_(wanted))
        .order_by(BenchmarkLevel.name, BenchmarkLevel.level_date)
    ):
        out[name].append((day, level))
    return {name: tuple(rows) for name, rows in out.items()}


def _known(session: Session, field: str, name: str) -> str:
    name = v.benchmark_name("Benchmark choice", field, name)
    with session.no_autoflush:
        count = session.scalar(
            select(func.count(BenchmarkLevel.id)).where(BenchmarkLevel.name == name)
        )
    if not count:
        raise ValidationError(
            "Benchmark choice", field, name, N_("has no levels in the book: add its levels first")
        )
    return name


def choose(
    session: Session,
    benchmark: str,
    *,
    client_id: int | None = None,
    risk_level: ClientRiskLevel | None = None,
    blend: str | None = None,
    weight: int | None = None,
) -> BenchmarkChoice:
    """Choose `benchmark` (blended with `blend`, `weight` percent of `benchmark`) for one
    client or one risk level, replacing the choice made before."""
    if (client_id is None) == (risk_level is None):
        raise ValidationError(
            "Benchmark choice",
            "risk_level",
            risk_level.value if risk_level else None,
            N_("give either a client or a risk level, not both or neither"),
        )
    name = _known(session, "benchmark", benchmark)
    second = _known(session, "blend", blend) if blend else None
    if second is not None and weight is None:
        raise ValidationError(
            "Benchmark choice", "weight", None, N_("is required with a second benchmark")
        )
    weight = 100 if weight is None else weight
    if client_id is not None and session.get(Client, client_id) is None:
        raise NotFound(f"client {client_id}: no such client")
    choice = choice_of(session, client_id=client_id, risk_level=risk_level)
    if choice is None:
        # The choice joins its client by the id alone: setting the relationship would make
        # the client dirty and its old choice be loaded in the middle of the flush.
        choice = BenchmarkChoice(
            client_id=client_id,
            risk_level=risk_level,
            benchmark=name,
            blend=second,
            weight=weight,
        )
        check_record(choice)
        session.add(choice)
    else:
        choice.benchmark = name
        choice.blend = second
        choice.weight = weight
        check_record(choice)
    session.flush()
    return choice


def clear_choice(
    session: Session, *, client_id: int | None = None, risk_level: ClientRiskLevel | None = None
) -> bool:
    """Remove the choice of a client or a risk level; False if there was none."""
    choice = choice_of(session, client_id=client_id, risk_level=risk_level)
    if choice is None:
        return False
    session.delete(choice)
    session.flush()
    return True


def choice_of(
    session: Session, *, client_id: int | None = None, risk_level: ClientRiskLevel | None = None
) -> BenchmarkChoice | None:
    """The choice made for exactly this client, or this risk level."""
    if client_id is not None:
        return session.scalar(select(BenchmarkChoice).where(BenchmarkChoice.client_id == client_id))
    if risk_level is not None:
        return session.scalar(
            select(BenchmarkChoice).where(BenchmarkChoice.risk_level == risk_level)
        )
    return None


def choices(session: Session) -> list[BenchmarkChoice]:
    """Every choice: the risk levels' (C1 to C5), then the clients' by client id."""
    rows = list(session.scalars(select(BenchmarkChoice)))
    return sorted(
        rows,
        key=lambda c: (
            c.risk_level is None,
            c.risk_level.rank if c.risk_level else 0,
            c.client_id or 0,
        ),
    )


def client_benchmark(
    session: Session, client_id: int, level: ClientRiskLevel | None
) -> BenchmarkChoice | None:
    """The benchmark a client's returns are set beside (see the module's note).

    The client's own choice and their level's are read in one statement: on a team book
    every statement pays the row-level policies once more."""
    wanted = BenchmarkChoice.client_id == client_id
    if level is not None:
        wanted = or_(wanted, BenchmarkChoice.risk_level == level)
    found = list(session.scalars(select(BenchmarkChoice).where(wanted)))
    own = next((c for c in found if c.client_id == client_id), None)
    if own is not None or level is None:
        return own
    return next((c for c in found if c.risk_level == level), None)
