"""rate version: an exchange rate's save counter

0007 gave the records people edit a save counter (`version`, SQLAlchemy's version
counter) but not exchange rates, which were compared field by field with the values a
screen showed. `fx_rate.version` (NOT NULL, 1 for the rates already there) gives them
the same counter: a save over a change someone else saved since is refused by the row
the UPDATE or DELETE matches, like every other record's, and an import that changes a
rate counts it up too.

Every dialect gets the plain column, added in place (not a batch rebuild: on SQLite a
rebuild would copy every rate). On PostgreSQL nothing else is needed: the groups' grants
on fx_rate are on the table (not on columns), so they cover the new column; the audit
trigger (0007's `reviewdesk_audit_change`) already leaves out a column named `version`,
so a counted-up save writes no entry of its own; the row-level policies concern rows,
not columns. A constant default adds the column without rewriting the table or firing
the audit trigger.

Downgrading drops the column.

Revision ID: 0011_rate_version
Revises: 0010_policy_speed
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_rate_version"
down_revision = "0010_policy_speed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("fx_rate", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    # Plain DROP COLUMN (not batch): a batch rebuild would copy every rate.
    op.drop_column("fx_rate", "version")
