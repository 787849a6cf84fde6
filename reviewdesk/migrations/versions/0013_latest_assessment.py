"""latest assessment: a client's latest risk assessment found by a seek

The client list and the agenda read each client's latest risk assessment (the latest
by a day, the highest id among one day's: `risk_status.book_assessment_statuses`) with
one seek per client. The assessments were indexed by client alone, so each seek read
the client's assessments and sorted them (a sort per client: 10,000 of them for a
list). An index on (client_id, assessed_on, id) gives the latest one as the first entry
back from the day, and serves whatever asked for a client's assessments, so it replaces
the index on client_id. Nothing else changes; downgrading puts the old index back.

Revision ID: 0013_latest_assessment
Revises: 0012_calendar_days
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0013_latest_assessment"
down_revision = "0012_calendar_days"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_risk_assessment_client_date", "risk_assessment", ["client_id", "assessed_on", "id"]
    )
    op.drop_index("ix_risk_assessment_client_id", table_name="risk_assessment")


def downgrade() -> None:
    op.create_index("ix_risk_assessment_client_id", "risk_assessment", ["client_id"])
    op.drop_index("ix_risk_assessment_client_date", table_name="risk_assessment")
