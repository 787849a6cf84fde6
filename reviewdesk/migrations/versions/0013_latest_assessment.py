"""latest assessment: a client's latest risk assessment found by a seek

The client list and the agenda read each client's latest risk assessment (the latest
by a day, the highest id among one day's: `risk_status.book_assessment_statuses`) with
one seek per client. The assessments were indexed by client alone, so each seek read
the client's assessments and sorted them (a sort per client: 10,000 of them for a
list). An index on (client_id, assessed_on, id) gives the latest one as the first entry
back from the day, and serves whatever asked for a client's assessments, so it replaces
the index on client_id. Nothing else changes; downgrading puts the old index back.

On SQLite it also makes 0012's day indexes again as 0012 now makes them, partial (the
rows whose date is known): a first form of 0012, on main for an hour, made them whole,
and SQLite then scanned the client ids through them in the order of the days. Already
partial, they are made again the same (three small indexes: milliseconds).

Revision ID: 0013_latest_assessment
Revises: 0012_calendar_days
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_latest_assessment"
down_revision = "0012_calendar_days"
branch_labels = None
depends_on = None


# 0012's day indexes: (index, table, column).
DAYS = (
    ("ix_client_birthday_day", "client", "birthday"),
    ("ix_family_member_birthday_day", "family_member", "birthday"),
    ("ix_insurance_policy_start_day", "insurance_policy", "start_date"),
)


def upgrade() -> None:
    op.create_index(
        "ix_risk_assessment_client_date", "risk_assessment", ["client_id", "assessed_on", "id"]
    )
    op.drop_index("ix_risk_assessment_client_id", table_name="risk_assessment")
    if op.get_bind().dialect.name == "sqlite":
        for name, table, column in DAYS:
            date = sa.column(column, sa.Date)
            hundred = sa.literal(100, literal_execute=True)
            day = sa.extract("month", date) * hundred + sa.extract("day", date)
            op.execute(f"DROP INDEX IF EXISTS {name}")
            op.create_index(name, table, [day], sqlite_where=date.is_not(None))


def downgrade() -> None:
    op.create_index("ix_risk_assessment_client_id", "risk_assessment", ["client_id"])
    op.drop_index("ix_risk_assessment_client_date", table_name="risk_assessment")
