"""calendar days: the agenda's birthdays and policy anniversaries found by a seek

The agenda asks for the birthdays (clients and their families) and the policy
anniversaries that fall in its days by a date's month * 100 + day
(`models.month_day`). Without an index that expression was worked out for every
birthday and policy of the book at every agenda (on 10,000 clients with 14,000 family
members and 20,000 policies: about 35 ms of a week's agenda, for some 600 rows). This
revision adds indexes on that very expression, written as the agenda writes it (a
database uses an index on an expression only for the same expression), on SQLite
over the rows whose date is known (partial: a whole one would be scanned, in the wrong
order, by statements that need only the ids), and an index
on a policy's end date, so that the renewals' "ends in these days or has its
anniversary in them" is two seeks rather than a pass over every policy.

SQLite accepts its date functions in an index when they do not read the clock; on
PostgreSQL, EXTRACT from a date is immutable. The indexes hold nothing the tables do
not: a team book's row policies and grants are unchanged. Downgrading drops them.

Revision ID: 0012_calendar_days
Revises: 0011_rate_version
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_calendar_days"
down_revision = "0011_rate_version"
branch_labels = None
depends_on = None

# (index, table, column): on the column's month * 100 + day, as `models.month_day` writes it.
DAYS = (
    ("ix_client_birthday_day", "client", "birthday"),
    ("ix_family_member_birthday_day", "family_member", "birthday"),
    ("ix_insurance_policy_start_day", "insurance_policy", "start_date"),
)


def _month_day(column: str) -> sa.ColumnElement[int]:
    # Written out here rather than imported, so that this revision stays what it is
    # whatever the models become; `tests/book/test_migrations.py` checks that the two
    # give the same schema.
    date = sa.column(column, sa.Date)
    hundred = sa.literal(100, literal_execute=True)
    return sa.extract("month", date) * hundred + sa.extract("day", date)


def upgrade() -> None:
    for name, table, column in DAYS:
        # On SQLite, of the rows whose date is known (`models.day_index` says why).
        known = sa.column(column, sa.Date).is_not(None)
        op.create_index(name, table, [_month_day(column)], sqlite_where=known)
    op.create_index("ix_insurance_policy_end_date", "insurance_policy", ["end_date"])


def downgrade() -> None:
    op.drop_index("ix_insurance_policy_end_date", table_name="insurance_policy")
    for name, table, _column in reversed(DAYS):
        op.drop_index(name, table_name=table)
