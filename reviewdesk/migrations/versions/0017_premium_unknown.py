"""premium unknown: a policy's annual premium may be not on record

A policy's annual premium was required, 0 by default, and an import wrote a blank cell
as 0: a single-premium policy, or one whose premium was never typed, read "0.00 a year"
and counted as costing nothing in the premiums' total and their share of the household
income. `insurance_policy.annual_premium` may now be NULL: no premium on record, which
the review says rather than adds up as 0.

The premiums already stored keep their values, a 0 included: whether it meant a blank
cannot be known. On PostgreSQL the column's NOT NULL is dropped in place (its grants,
row-level policies and audit trigger stay; the trigger turns only a number from its
scaled integer, so a NULL is recorded as such). On SQLite the table is copied (batch
mode), and 0012's day index on the start date, an index on an expression that SQLite's
reflection cannot read and the copy would leave behind, is made again as 0012 makes it.

Downgrading writes 0 where no premium is on record and makes the column required again.

Revision ID: 0017_premium_unknown
Revises: 0016_list_reads
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_premium_unknown"
down_revision = "0016_list_reads"
branch_labels = None
depends_on = None

TABLE = "insurance_policy"
COLUMN = "annual_premium"
# 0012's index on the start date's month * 100 + day, on SQLite of the rows whose date is
# known (`models.day_index`); written out here so that this revision stays what it is.
START_DAY = "ix_insurance_policy_start_day"


def _set_nullable(nullable: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(TABLE, COLUMN, existing_type=sa.BigInteger(), nullable=nullable)
        return
    op.execute(f"DROP INDEX IF EXISTS {START_DAY}")
    with op.batch_alter_table(TABLE, schema=None, recreate="always") as batch_op:
        batch_op.alter_column(COLUMN, existing_type=sa.BigInteger(), nullable=nullable)
    date = sa.column("start_date", sa.Date)
    hundred = sa.literal(100, literal_execute=True)
    day = sa.extract("month", date) * hundred + sa.extract("day", date)
    op.create_index(START_DAY, TABLE, [day], sqlite_where=date.is_not(None))


def upgrade() -> None:
    _set_nullable(True)


def downgrade() -> None:
    op.execute(f"UPDATE {TABLE} SET {COLUMN} = 0 WHERE {COLUMN} IS NULL")
    _set_nullable(False)
