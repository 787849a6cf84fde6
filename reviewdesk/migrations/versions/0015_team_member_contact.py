"""team member contact: the name and telephone a client reads for their manager

A team book's settings are the branch's, one row for everyone, so the book-wide
`manager_name` and `manager_phone` are no one manager's: every client's pack named the
same person as "your relationship manager". Each person of the team now carries the name
their clients know them by (`team_member.full_name`) and their telephone
(`team_member.phone`), both optional, kept by the team's admin (`reviewdesk team
add-user --full-name --phone`, `team set-contact`); a client's pack names the client's
own manager from them.

On PostgreSQL nothing else changes: every group already reads `team_member` (the
table's SELECT, granted by 0007, covers columns added later, and the table has no
row-level policy), so whoever makes a client's pack (its manager, a co-manager, an
assistant, the branch's supervisor, compliance) reads its manager's name and telephone;
and only admin is granted INSERT, UPDATE and DELETE on it. The audit trigger on the
table (0007) records each change of them like any other field.

Revision ID: 0015_team_member_contact
Revises: 0014_client_sort_name
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_team_member_contact"
down_revision = "0014_client_sort_name"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("team_member", sa.Column("full_name", sa.String(length=200), nullable=True))
    op.add_column("team_member", sa.Column("phone", sa.String(length=60), nullable=True))


def downgrade() -> None:
    # In place, as 0007 and 0014 do (SQLite 3.35 and later).
    op.drop_column("team_member", "phone")
    op.drop_column("team_member", "full_name")
