"""client sort name: a client's name as the list sorts and searches it

`client.sort_name` keeps the name with its Chinese characters in pinyin, case-folded,
one space between syllables and words (`reviewdesk.text.sort_name`: 张伟 -> "zhang
wei"), written by the model with every change of the name. The client list, the agenda,
the contact calendar, the segments and `clients` sort names by it, so 丁远刚 sorts among
the D's rather than after every Latin name in code-point order, and the searches find 张伟
by "zhang", "zw" or "wei". Kept, it costs a listing nothing; worked out at each
listing, 10,000 names would take 0.13 s, and loading the pinyin dictionaries 0.1 s more
at every launch.

The upgrade works it out for every client there is. On a team book (PostgreSQL) the
backfill is not a change of anyone's client, so the audit trigger is held while it runs;
and the trigger leaves the column out of the trail from then on, as the model's trail
does on SQLite (`audit.SKIP_FIELDS`): a renamed client's entry is the name's alone.
A row written outside the model (a hand-typed INSERT) keeps '' and is sorted by its name
worked out when read (`book.queries.client_basics`).

Revision ID: 0014_client_sort_name
Revises: 0013_latest_assessment
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from reviewdesk.text import sort_name

revision = "0014_client_sort_name"
down_revision = "0013_latest_assessment"
branch_labels = None
depends_on = None


# The audit trigger's fields left out of the trail (0007), before and after.
SKIP = "ARRAY['created_at', 'updated_at', 'version']"
SKIP_SORT_NAME = "ARRAY['created_at', 'updated_at', 'version', 'sort_name']"


def _audit_skips(old: str, new: str) -> None:
    """The audit trigger's function made again with `new` in place of `old` (on
    PostgreSQL, where 0007 made it; unchanged if it is not there or not as 0007 left it)."""
    definition = (
        op.get_bind()
        .execute(sa.text("SELECT pg_get_functiondef(to_regproc('reviewdesk_audit_change'))"))
        .scalar()
    )
    if definition and old in definition:
        op.execute(definition.replace(old, new))


def upgrade() -> None:
    op.add_column(
        "client", sa.Column("sort_name", sa.String(length=1400), nullable=False, server_default="")
    )
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        _audit_skips(SKIP, SKIP_SORT_NAME)
    client = sa.table("client", sa.column("id", sa.Integer), sa.column("name", sa.String))
    rows = [
        {"row_id": cid, "sort_name": sort_name(name)}
        for cid, name in bind.execute(sa.select(client.c.id, client.c.name))
    ]
    if not rows:
        return
    if postgres:
        op.execute("ALTER TABLE client DISABLE TRIGGER USER")
    bind.execute(sa.text("UPDATE client SET sort_name = :sort_name WHERE id = :row_id"), rows)
    if postgres:
        op.execute("ALTER TABLE client ENABLE TRIGGER USER")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _audit_skips(SKIP_SORT_NAME, SKIP)
    # In place, on SQLite too (3.35 and later): a batch copy of the table would drop the
    # old one, and every foreign key to it would take the client's rows with it.
    op.execute("ALTER TABLE client DROP COLUMN sort_name")
