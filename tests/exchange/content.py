"""The book's content by natural keys (no ids, no timestamps), for comparing two books."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import aliased

from reviewdesk.book.models import (
    BenchmarkChoice,
    BenchmarkLevel,
    Client,
    ClientTag,
    Contact,
    FamilyMember,
    Flow,
    FxRate,
    Holding,
    InsurancePolicy,
    RiskAssessment,
    Snapshot,
)


def _norm(value):
    if hasattr(value, "normalize") and hasattr(value, "as_tuple"):
        return str(value.normalize()) if value == value else str(value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def _rows(session, query) -> list[tuple]:
    return sorted((tuple(_norm(v) for v in row) for row in session.execute(query)), key=repr)


def book_content(book) -> dict[str, list[tuple]]:
    skip = {"id", "created_at", "updated_at", "version"}
    client_cols = [c for c in Client.__table__.columns if c.key not in skip]
    member = aliased(FamilyMember)
    with book.session() as s:
        return {
            "clients": _rows(s, select(*client_cols)),
            "tags": _rows(s, select(Client.code, ClientTag.tag).join(ClientTag.client)),
            "family": _rows(
                s,
                select(
                    Client.code,
                    FamilyMember.name,
                    FamilyMember.relation,
                    FamilyMember.birthday,
                    FamilyMember.school_or_employer,
                    FamilyMember.annual_income,
                    FamilyMember.income_currency,
                ).join(FamilyMember.client),
            ),
            "snapshots": _rows(
                s, select(Client.code, Snapshot.review_date, Snapshot.note).join(Snapshot.client)
            ),
            "holdings": _rows(
                s,
                select(
                    Client.code,
                    Snapshot.review_date,
                    *[
                        c
                        for c in Holding.__table__.columns
                        if c.key not in ("id", "snapshot_id", "client_id", "version")
                    ],
                )
                .join(Holding.snapshot)
                .join(Snapshot.client),
            ),
            "rates": _rows(
                s,
                select(
                    Client.code,
                    Snapshot.review_date,
                    FxRate.from_currency,
                    FxRate.to_currency,
                    FxRate.rate,
                )
                .join(FxRate.snapshot)
                .join(Snapshot.client),
            ),
            "policies": _rows(
                s,
                select(
                    Client.code,
                    member.name,
                    *[
                        c
                        for c in InsurancePolicy.__table__.columns
                        if c.key not in ("id", "client_id", "insured_member_id")
                    ],
                )
                .join(InsurancePolicy.client)
                .outerjoin(member, member.id == InsurancePolicy.insured_member_id),
            ),
            "assessments": _rows(
                s,
                select(
                    Client.code,
                    *[
                        c
                        for c in RiskAssessment.__table__.columns
                        if c.key not in ("id", "client_id")
                    ],
                ).join(RiskAssessment.client),
            ),
            "contacts": _rows(
                s,
                select(
                    Client.code,
                    *[c for c in Contact.__table__.columns if c.key not in ("id", "client_id")],
                ).join(Contact.client),
            ),
            "flows": _rows(
                s,
                select(
                    Client.code,
                    *[c for c in Flow.__table__.columns if c.key not in skip | {"client_id"}],
                ).join(Flow.client),
            ),
            "benchmark_levels": _rows(
                s, select(BenchmarkLevel.name, BenchmarkLevel.level_date, BenchmarkLevel.level)
            ),
            "benchmark_choices": _rows(
                s,
                select(
                    Client.code,
                    BenchmarkChoice.risk_level,
                    BenchmarkChoice.benchmark,
                    BenchmarkChoice.blend,
                    BenchmarkChoice.weight,
                ).outerjoin(Client, Client.id == BenchmarkChoice.client_id),
            ),
        }
