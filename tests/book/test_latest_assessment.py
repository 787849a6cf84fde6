"""A client's latest risk assessment is one seek (0013): the index on (client_id,
assessed_on, id) gives it without sorting the client's assessments, the choice is the
same (the latest by the day, the highest id among one day's), and downgrading puts the
client index back and keeps every row."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect

from reviewdesk.book.enums import ClientRiskLevel
from reviewdesk.book.models import RiskAssessment
from reviewdesk.migrations import runner
from reviewdesk.review.risk_status import book_assessment_statuses
from tests import factories as f
from tests.sql import executed

TODAY = dt.date(2026, 6, 15)


def _fill(book) -> dict[str, int]:
    ids = {}
    with book.session() as s:
        for n, levels in enumerate(("C1", "C2C3", "C4C5C1", "")):
            client = f.client(code=f"A{n}", name=f"客户{n}")
            for k in range(0, len(levels), 2):
                client.assessments.append(
                    RiskAssessment(
                        # Two on one day for A2: the one recorded last counts.
                        assessed_on=dt.date(2026, 1 + min(k, 2), 10),
                        level=ClientRiskLevel(levels[k : k + 2]),
                        score=10,
                        valid_until=dt.date(2027, 1, 10),
                    )
                )
            s.add(client)
            s.flush()
            ids[client.code] = client.id
    return ids


def _statuses(book):
    with executed(book.engine) as run, book.session() as s:
        statuses = book_assessment_statuses(s, TODAY, 12)
    plans = []
    with book.engine.connect() as conn:
        for statement, parameters in run:
            if "risk_assessment" in statement:
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
                plans.append(" | ".join(str(r[-1]) for r in rows))
    return {cid: (x.level, x.assessed_on) for cid, x in statuses.items()}, plans


def test_the_latest_assessment_is_a_seek_and_the_same_choice(book):
    ids = _fill(book)
    statuses, plans = _statuses(book)
    assert statuses == {
        ids["A0"]: (ClientRiskLevel.C1, dt.date(2026, 1, 10)),
        ids["A1"]: (ClientRiskLevel.C3, dt.date(2026, 3, 10)),
        ids["A2"]: (ClientRiskLevel.C1, dt.date(2026, 3, 10)),
    }
    assert len(plans) == 1
    assert "ix_risk_assessment_client_date" in plans[0], plans[0]
    assert "TEMP B-TREE" not in plans[0], plans[0]  # no sort per client

    runner.downgrade(book.engine, "0012_calendar_days")
    names = {i["name"] for i in inspect(book.engine).get_indexes("risk_assessment")}
    assert "ix_risk_assessment_client_id" in names
    assert "ix_risk_assessment_client_date" not in names
    before, plans = _statuses(book)
    assert before == statuses and "TEMP B-TREE" in plans[0]
    runner.upgrade(book.engine)
    names = {i["name"] for i in inspect(book.engine).get_indexes("risk_assessment")}
    assert names == {"ix_risk_assessment_client_date"}
