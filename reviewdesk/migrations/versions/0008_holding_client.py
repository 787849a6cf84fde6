"""holding client: a holding's and a rate's client in the row, for policies that scale

Every dialect gets `holding.client_id` and `fx_rate.client_id` (nullable, indexed), and
an index on a holding's maturity (and snapshot) for the agenda's maturities: without it
PostgreSQL read the whole of an index over every holding of the book to find those
maturing in the coming days. A SQLite book leaves the new columns empty: nothing reads
them there.

On PostgreSQL the column is the row-level policies' key. 0007 found a holding's or a
rate's client through its snapshot (`snapshot_id IN (SELECT s.id FROM snapshot s)`), which
made the server filter over every snapshot of the book to answer for one client: the cost
grew with the branch, not with the person's share. Here:

- the column is filled from the row's snapshot for the rows already there;
- a trigger fills it on every insert and on every change of the row's snapshot (or of
  the column itself), whatever writes the row: the app, the import, a bulk insert; it
  runs as the person writing, so a snapshot they cannot see leaves it empty and the
  policies refuse the row, as before;
- a trigger on snapshot carries a change of a snapshot's client to its rows;
- the policies of both tables are keyed on `client_id`, like every other table of client
  data (`client_id IN (SELECT c.id FROM client c)` to read, the writable clients to write).

The audit triggers stay as they are (their key is still the snapshot). Downgrading puts
0007's policies back and drops the triggers, the indexes and the columns.

Revision ID: 0008_holding_client
Revises: 0007_team
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_holding_client"
down_revision = "0007_team"
branch_labels = None
depends_on = None

TABLES = ("holding", "fx_rate")
READERS = ("manager", "assistant", "supervisor", "compliance")
WRITERS = ("manager", "assistant")
WRITABLE = "SELECT reviewdesk_writable_clients(current_user)"


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("client_id", sa.Integer(), nullable=True))
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        # Before the indexes: one pass over the rows, no index kept up meanwhile. The audit
        # triggers are off for it: the rows do not change, they gain a copy of their key.
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} DISABLE TRIGGER reviewdesk_audit")
            op.execute(
                f"UPDATE {table} t SET client_id = s.client_id FROM snapshot s "
                "WHERE s.id = t.snapshot_id"
            )
            op.execute(f"ALTER TABLE {table} ENABLE TRIGGER reviewdesk_audit")
    for table in TABLES:
        op.create_index(f"ix_{table}_client_id", table, ["client_id"], unique=False)
    op.create_index(
        "ix_holding_maturity", "holding", ["maturity_date", "snapshot_id"], unique=False
    )
    if postgres:
        for statement in _client_key_statements():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in _snapshot_key_statements():
            op.execute(statement)
    op.drop_index("ix_holding_maturity", table_name="holding")
    for table in TABLES:
        op.drop_index(f"ix_{table}_client_id", table_name=table)
        # Plain DROP COLUMN (not batch): a batch rebuild would copy every holding.
        op.drop_column(table, "client_id")


# --- PostgreSQL -----------------------------------------------------------------------


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _names() -> tuple[dict[str, str], str]:
    """The group roles (named after the database, as 0007 made them) and the schema."""
    database, schema = (
        op.get_bind().execute(sa.text("SELECT current_database(), current_schema()")).one()
    )
    kinds = (*READERS, "admin")
    return {kind: _q(f"{database}_{kind}") for kind in kinds}, schema


def _policies(g: dict[str, str], visible: str, mine: str) -> list[str]:
    """0007's shape for a table of client data: one policy per group and verb."""
    out: list[str] = []
    for table in TABLES:
        for kind in READERS:
            out.append(f"DROP POLICY IF EXISTS {kind}_read ON {table}")
            out.append(
                f"CREATE POLICY {kind}_read ON {table} FOR SELECT TO {g[kind]} USING ({visible})"
            )
        for kind in WRITERS:
            for verb in ("add", "edit", "delete"):
                out.append(f"DROP POLICY IF EXISTS {kind}_{verb} ON {table}")
            out += [
                f"CREATE POLICY {kind}_add ON {table} FOR INSERT TO {g[kind]} WITH CHECK ({mine})",
                f"CREATE POLICY {kind}_edit ON {table} FOR UPDATE TO {g[kind]} "
                f"USING ({mine}) WITH CHECK ({mine})",
                f"CREATE POLICY {kind}_delete ON {table} FOR DELETE TO {g[kind]} USING ({mine})",
            ]
    return out


def _client_key_statements() -> list[str]:
    g, schema = _names()
    path = f"{_q(schema)}, pg_temp"
    out = [
        f"""CREATE FUNCTION reviewdesk_row_client() RETURNS trigger
LANGUAGE plpgsql SET search_path = {path} AS $fn$
BEGIN
    NEW.client_id := (SELECT s.client_id FROM snapshot s WHERE s.id = NEW.snapshot_id);
    RETURN NEW;
END
$fn$""",
        f"""CREATE FUNCTION reviewdesk_snapshot_client() RETURNS trigger
LANGUAGE plpgsql SET search_path = {path} AS $fn$
BEGIN
    UPDATE holding SET client_id = NEW.client_id WHERE snapshot_id = NEW.id;
    UPDATE fx_rate SET client_id = NEW.client_id WHERE snapshot_id = NEW.id;
    RETURN NULL;
END
$fn$""",
        "CREATE TRIGGER reviewdesk_snapshot_client AFTER UPDATE OF client_id ON snapshot "
        "FOR EACH ROW WHEN (NEW.client_id IS DISTINCT FROM OLD.client_id) "
        "EXECUTE FUNCTION reviewdesk_snapshot_client()",
    ]
    for table in TABLES:
        out.append(
            f"CREATE TRIGGER reviewdesk_row_client BEFORE INSERT OR UPDATE OF snapshot_id, "
            f"client_id ON {table} FOR EACH ROW EXECUTE FUNCTION reviewdesk_row_client()"
        )
    out += _policies(
        g,
        visible="client_id IN (SELECT c.id FROM client c)",
        mine=f"client_id IN ({WRITABLE})",
    )
    out += [f"ANALYZE {table}" for table in TABLES]
    return out


def _snapshot_key_statements() -> list[str]:
    g, _schema = _names()
    out = _policies(
        g,
        visible="snapshot_id IN (SELECT s.id FROM snapshot s)",
        mine=f"snapshot_id IN (SELECT s.id FROM snapshot s WHERE s.client_id IN ({WRITABLE}))",
    )
    out.append("DROP TRIGGER IF EXISTS reviewdesk_snapshot_client ON snapshot")
    for table in TABLES:
        out.append(f"DROP TRIGGER IF EXISTS reviewdesk_row_client ON {table}")
    out.append("DROP FUNCTION IF EXISTS reviewdesk_snapshot_client()")
    out.append("DROP FUNCTION IF EXISTS reviewdesk_row_client()")
    return out
