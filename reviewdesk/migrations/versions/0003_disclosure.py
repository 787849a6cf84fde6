"""disclosure: what a client may read, rule currencies, packs that can be rebuilt

- contact: `shared` (the summary may be shown to the client), `next_step_shared`,
  `next_step_due` and `next_step_done` (a next step is open until done). Every
  contact already in a book stays internal: the columns default to false/empty.
- client and family_member: `income_currency` (empty: the client's report currency,
  which is how incomes were read before).
- pack_record: `as_of` (the day the pack was judged from), `paper`, and `reference`
  (printed in the pack's footer), so a pack that was sent can be matched and rebuilt.

Revision ID: 0003_disclosure
Revises: 0002_safety
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_disclosure"
down_revision = "0002_safety"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shared", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("next_step_shared", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("next_step_due", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("next_step_done", sa.Date(), nullable=True))
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.add_column(sa.Column("income_currency", sa.String(length=3), nullable=True))
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("income_currency", sa.String(length=3), nullable=True))
    with op.batch_alter_table("pack_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("as_of", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("paper", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("reference", sa.String(length=40), nullable=True))
        batch_op.create_index("ix_pack_record_reference", ["reference"])


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35), as in 0002: batch mode would rebuild the tables.
    op.drop_index("ix_pack_record_reference", table_name="pack_record")
    for column in ("reference", "paper", "as_of"):
        op.drop_column("pack_record", column)
    op.drop_column("family_member", "income_currency")
    op.drop_column("client", "income_currency")
    for column in ("next_step_done", "next_step_due", "next_step_shared", "shared"):
        op.drop_column("contact", column)
