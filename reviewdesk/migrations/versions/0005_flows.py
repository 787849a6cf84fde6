"""flows: the money a client put into the portfolio or took out of it

A flow is dated, signed (positive in, negative out), in a currency, with the rate to
the client's report currency kept beside it (`rate`, `to_currency`), so the figures
that tell new money apart from market gains (review/returns.py) never move with later
rates. Indexed by client and date: a review reads one client's flows between two dates.

Downgrading drops the table and its flows.

Revision ID: 0005_flows
Revises: 0004_client_codes
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_flows"
down_revision = "0004_client_codes"
branch_labels = None
depends_on = None

KINDS = ("deposit", "withdrawal", "transfer_in", "transfer_out", "income_paid", "fee")


def upgrade() -> None:
    op.create_table(
        "flow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("flow_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.String(length=40), nullable=False),
        sa.Column("to_currency", sa.String(length=3), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*KINDS, name="flowkind", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("holding", sa.String(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_flow_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flow")),
    )
    with op.batch_alter_table("flow", schema=None) as batch_op:
        batch_op.create_index("ix_flow_client_date", ["client_id", "flow_date"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("flow", schema=None) as batch_op:
        batch_op.drop_index("ix_flow_client_date")
    op.drop_table("flow")
