"""list reads: the client list's facts and rates read from their indexes alone

The client list reads, for every client's latest snapshot, its facts (`snapshot_fact`:
the sums per currency and side and the counts per product risk) and its exchange rates
(`fx_rate`). Each was a seek in the table's unique index by snapshot and then, for each
row found, a second seek into the table itself for the columns the index does not hold:
on a book of 10,000 clients, 30,000 facts and 20,000 rates at every listing. This
revision adds an index on each that holds every column the listing reads, in the order
it asks for them, so that a snapshot's rows are read from the index alone (SQLite's
covering index; PostgreSQL's index-only scan).

The indexes hold nothing the tables do not: a team book's row policies and grants are
unchanged. Downgrading drops them.

Revision ID: 0016_list_reads
Revises: 0015_team_member_contact
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0016_list_reads"
down_revision = "0015_team_member_contact"
branch_labels = None
depends_on = None

# Written out here rather than imported, so that this revision stays what it is whatever
# the models become; `tests/book/test_migrations.py` checks that the two give the same schema.
INDEXES = (
    (
        "ix_snapshot_fact_list",
        "snapshot_fact",
        [
            "snapshot_id",
            "currency",
            "is_liability",
            "market_value",
            "risk_r1",
            "risk_r2",
            "risk_r3",
            "risk_r4",
            "risk_r5",
        ],
    ),
    ("ix_fx_rate_list", "fx_rate", ["snapshot_id", "from_currency", "to_currency", "rate"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
