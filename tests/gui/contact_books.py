"""Hand-built books shared by the agenda, calendar and segments page tests."""

from __future__ import annotations

import datetime as dt

from reviewdesk.app import AppContext
from reviewdesk.book.enums import Channel, ClientRiskLevel, Tier
from reviewdesk.book.models import Contact, RiskAssessment
from tests import factories as f

D = dt.date
TODAY = D(2025, 3, 20)
NO_CALLS = "no calls in working hours: prefer SMS or lunch time"


def fill(book) -> None:
    with book.session() as s:
        a = f.client(
            "A",
            "甲客户",
            tier=Tier.KEY,
            contact_preferences=NO_CALLS,
            birthday=D(1980, 3, 22),
            snapshots=[f.snapshot(D(2025, 1, 31), f.holding(value="5000000"))],
            assessments=[
                RiskAssessment(
                    assessed_on=D(2024, 6, 1), level=ClientRiskLevel.C3, valid_until=D(2025, 6, 1)
                )
            ],
            contacts=[
                Contact(contact_date=D(2025, 3, 3), channel=Channel.PHONE, summary="电话沟通市场"),
                Contact(contact_date=D(2025, 3, 3), channel=Channel.EMAIL, summary="发送回顾表"),
            ],
        )
        a.set_tags(["有子女"])
        b = f.client(
            "B",
            "乙客户",
            snapshots=[
                f.snapshot(
                    D(2025, 2, 28),
                    f.holding(value="2000000"),
                    f.holding(institution="招商银行", value="6000000"),
                )
            ],
            assessments=[
                RiskAssessment(
                    assessed_on=D(2024, 12, 1), level=ClientRiskLevel.C2, valid_until=D(2025, 12, 1)
                )
            ],
            contacts=[Contact(contact_date=D(2024, 12, 1), channel=Channel.MEETING)],
        )
        c = f.client(
            "C",
            "丙客户",
            snapshots=[f.snapshot(D(2025, 2, 28), f.holding(value="500000"))],
            assessments=[
                RiskAssessment(
                    assessed_on=D(2024, 12, 1), level=ClientRiskLevel.C2, valid_until=D(2025, 12, 1)
                )
            ],
            contacts=[Contact(contact_date=D(2025, 3, 10), channel=Channel.PHONE)],
        )
        s.add_all([a, b, c])


def context(book) -> AppContext:
    return AppContext(today=TODAY, user="tester", _book=book)


def client_id(book, code: str) -> int:
    from sqlalchemy import select

    from reviewdesk.book.models import Client

    with book.session() as s:
        return s.scalar(select(Client.id).where(Client.code == code))
