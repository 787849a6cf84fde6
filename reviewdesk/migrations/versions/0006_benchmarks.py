"""benchmarks: index levels by date, and the benchmark chosen per client or risk level

`benchmark_level` keeps one level per benchmark name and day (exact text, like a rate);
`benchmark_choice` names the benchmark (or a blend of two, `weight` percent of the first)
a client's returns are set beside, for one client or as the default of a client risk
level. A client's choice goes with the client.

Downgrading drops both tables.

Revision ID: 0006_benchmarks
Revises: 0005_flows
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_benchmarks"
down_revision = "0005_flows"
branch_labels = None
depends_on = None

LEVELS = ("C1", "C2", "C3", "C4", "C5")


def upgrade() -> None:
    op.create_table(
        "benchmark_level",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("level_date", sa.Date(), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmark_level")),
        sa.UniqueConstraint("name", "level_date", name=op.f("uq_benchmark_level_name")),
    )
    op.create_table(
        "benchmark_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column(
            "risk_level",
            sa.Enum(*LEVELS, name="clientrisklevel", native_enum=False, length=24),
            nullable=True,
        ),
        sa.Column("benchmark", sa.String(length=120), nullable=False),
        sa.Column("blend", sa.String(length=120), nullable=True),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_benchmark_choice_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmark_choice")),
        sa.UniqueConstraint("client_id", name=op.f("uq_benchmark_choice_client_id")),
        sa.UniqueConstraint("risk_level", name=op.f("uq_benchmark_choice_risk_level")),
    )


def downgrade() -> None:
    op.drop_table("benchmark_choice")
    op.drop_table("benchmark_level")
