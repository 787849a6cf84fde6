"""safety: ID and account numbers (masked), the host in the audit trail, append-only trail

The triggers make the audit trail append-only in the database itself, so not
even a raw SQL statement from the app can rewrite history.

Revision ID: 0002_safety
Revises: 0001_initial
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_safety"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_number", sa.String(length=40), nullable=True))
    with op.batch_alter_table("holding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_number", sa.String(length=60), nullable=True))
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("host", sa.String(length=200), nullable=True))
    if op.get_bind().dialect.name != "sqlite":
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON audit_entry "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )


def downgrade() -> None:
    # Not batch mode: on SQLite it rebuilds the table, and dropping the old client table
    # would cascade to every snapshot and holding. A plain DROP COLUMN (SQLite >= 3.35)
    # touches nothing else.
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_entry_no_{verb}")
    op.drop_column("audit_entry", "host")
    op.drop_column("holding", "account_number")
    op.drop_column("client", "id_number")
