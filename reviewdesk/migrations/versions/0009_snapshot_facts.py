"""snapshot facts: what each snapshot's holdings add up to, kept by the database

The client list summed the holdings of every client's latest snapshot at every listing:
250,000 holdings on a book of 10,000 clients, a quarter of a second of SQLite's time
alone. `snapshot_fact` keeps, per (snapshot, currency, loan or asset): how many holdings,
the sum of their market values (the stored scaled integers: exact), the same for the
property among them (what returns leave out), and how many carry each product risk level
(so the highest is known after a delete too).

The database keeps it, not the app: triggers on holding add a row's share on insert,
take it off on delete, and move it on a change of the snapshot, currency, asset class,
value or risk level, whatever writes the row (the ORM, an import's or a benchmark's bulk
`executemany`, an undo, a restore, a hand-typed statement). A group whose last holding
goes loses its row. A snapshot deleted takes its rows along (`ON DELETE CASCADE`).

The upgrade fills the table from the holdings already there (one grouped pass), then
creates the triggers; the downgrade drops both.

On PostgreSQL the table is client data: `client_id` (the holding's, which 0008 keeps,
and a snapshot moved to another client takes its rows along), row-level security
FORCE'd with the policies of every other table of client data. Its rows are derived,
so nobody is granted to write them: the readers may SELECT, and the triggers run as the
schema's owner (SECURITY DEFINER, a fixed search_path) for whoever writes the holding.
The holding's own policies still decide whether that write happens at all.

Revision ID: 0009_snapshot_facts
Revises: 0008_holding_client
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_snapshot_facts"
down_revision = "0008_holding_client"
branch_labels = None
depends_on = None

READERS = ("manager", "assistant", "supervisor", "compliance")
WRITERS = ("manager", "assistant")
WRITABLE = "SELECT reviewdesk_writable_clients(current_user)"
RISKS = ("R1", "R2", "R3", "R4", "R5")
# The stored values of AssetClass.LOAN and AssetClass.PROPERTY.
LOAN = "'loan'"
PROPERTY = "'property'"
# The columns a holding's share is made of, in the order of `_share`.
COUNTS = (
    "holdings",
    "market_value",
    "property_holdings",
    "property_value",
    *(f"risk_{r.lower()}" for r in RISKS),
)
# A change of these columns moves the row's share.
WATCHED = ("snapshot_id", "currency", "asset_class", "market_value", "risk_level")


def upgrade() -> None:
    op.create_table(
        "snapshot_fact",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("is_liability", sa.Boolean(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("holdings", sa.Integer(), nullable=False),
        sa.Column("market_value", sa.BigInteger(), nullable=False),
        sa.Column("property_holdings", sa.Integer(), nullable=False),
        sa.Column("property_value", sa.BigInteger(), nullable=False),
        *(sa.Column(f"risk_{r.lower()}", sa.Integer(), nullable=False) for r in RISKS),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshot.id"],
            name=op.f("fk_snapshot_fact_snapshot_id_snapshot"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "snapshot_id", "currency", "is_liability", name=op.f("pk_snapshot_fact")
        ),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    # Every holding there is, grouped once; the index after (one build, not kept up).
    op.execute(_backfill(postgres))
    op.create_index("ix_snapshot_fact_client_id", "snapshot_fact", ["client_id"], unique=False)
    # Which of the listed snapshots hold an asset maturing soon depends on the day: a
    # seek per snapshot and a range of its maturities, where the index on the snapshot
    # alone read every holding of the listed snapshots (it served nothing else this one
    # does not).
    op.create_index(
        "ix_holding_snapshot_maturity", "holding", ["snapshot_id", "maturity_date"], unique=False
    )
    op.drop_index("ix_holding_snapshot_id", table_name="holding")
    statements = _postgres_statements() if postgres else _sqlite_statements()
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS reviewdesk_snapshot_fact_client ON snapshot")
        for name in ("reviewdesk_snapshot_fact", "reviewdesk_snapshot_fact_change"):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON holding")
        op.execute("DROP FUNCTION IF EXISTS reviewdesk_snapshot_fact()")
        op.execute("DROP FUNCTION IF EXISTS reviewdesk_snapshot_fact_client()")
    else:
        for name in ("snapshot_fact_add", "snapshot_fact_remove", "snapshot_fact_change"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.create_index("ix_holding_snapshot_id", "holding", ["snapshot_id"], unique=False)
    op.drop_index("ix_holding_snapshot_maturity", table_name="holding")
    op.drop_index("ix_snapshot_fact_client_id", table_name="snapshot_fact")
    op.drop_table("snapshot_fact")


# --- The share of one holding, as SQL over NEW or OLD ---------------------------------


def _is_loan(row: str) -> str:
    return f"({row}.asset_class = {LOAN})"


def _flag(condition: str) -> str:
    """1 when `condition` holds (false or unknown: 0)."""
    return f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _share(row: str) -> list[str]:
    """The values a holding adds to its group, in the order of COUNTS."""
    is_property = f"{row}.asset_class = {PROPERTY}"
    return [
        "1",
        f"{row}.market_value",
        _flag(is_property),
        f"(CASE WHEN {is_property} THEN {row}.market_value ELSE 0 END)",
        *(_flag(f"{row}.risk_level = '{r}'") for r in RISKS),
    ]


def _key(row: str) -> str:
    return (
        f"snapshot_id = {row}.snapshot_id AND currency = {row}.currency "
        f"AND is_liability = {_is_loan(row)}"
    )


def _add(postgres: bool) -> str:
    """Add NEW's share to its group (the group made if it is new)."""
    columns = ["snapshot_id", "currency", "is_liability"]
    values = ["NEW.snapshot_id", "NEW.currency", _is_loan("NEW")]
    if postgres:
        columns.append("client_id")
        values.append("NEW.client_id")
    columns += COUNTS
    values += _share("NEW")
    sums = ", ".join(f"{c} = snapshot_fact.{c} + excluded.{c}" for c in COUNTS)
    return (
        f"INSERT INTO snapshot_fact ({', '.join(columns)}) VALUES ({', '.join(values)}) "
        f"ON CONFLICT (snapshot_id, currency, is_liability) DO UPDATE SET {sums}"
    )


def _remove() -> list[str]:
    """Take OLD's share off its group; a group left with no holding goes."""
    minus = ", ".join(
        f"{c} = {c} - {value}" for c, value in zip(COUNTS, _share("OLD"), strict=True)
    )
    return [
        f"UPDATE snapshot_fact SET {minus} WHERE {_key('OLD')}",
        f"DELETE FROM snapshot_fact WHERE {_key('OLD')} AND holdings = 0",
    ]


def _backfill(postgres: bool) -> str:
    loan = "(asset_class = 'loan')"
    is_property = "asset_class = 'property'"
    sums = [
        "count(*)",
        "sum(market_value)",
        f"sum(CASE WHEN {is_property} THEN 1 ELSE 0 END)",
        f"sum(CASE WHEN {is_property} THEN market_value ELSE 0 END)",
        *(f"sum(CASE WHEN risk_level = '{r}' THEN 1 ELSE 0 END)" for r in RISKS),
    ]
    client = "max(client_id)" if postgres else "NULL"
    return (
        f"INSERT INTO snapshot_fact (snapshot_id, currency, is_liability, client_id, "
        f"{', '.join(COUNTS)}) "
        f"SELECT snapshot_id, currency, {loan}, {client}, {', '.join(sums)} "
        f"FROM holding GROUP BY snapshot_id, currency, {loan}"
    )


# --- SQLite ---------------------------------------------------------------------------


def _sqlite_statements() -> list[str]:
    watched = ", ".join(WATCHED)
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED)
    remove = "; ".join(_remove())
    return [
        f"CREATE TRIGGER snapshot_fact_add AFTER INSERT ON holding BEGIN {_add(False)}; END",
        f"CREATE TRIGGER snapshot_fact_remove AFTER DELETE ON holding BEGIN {remove}; END",
        f"CREATE TRIGGER snapshot_fact_change AFTER UPDATE OF {watched} ON holding "
        f"WHEN {changed} BEGIN {remove}; {_add(False)}; END",
    ]


# --- PostgreSQL -----------------------------------------------------------------------


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _postgres_statements() -> list[str]:
    database, schema = (
        op.get_bind().execute(sa.text("SELECT current_database(), current_schema()")).one()
    )
    g = {kind: _q(f"{database}_{kind}") for kind in (*READERS, "admin")}
    me = _q(op.get_bind().execute(sa.text("SELECT current_user")).scalar_one())
    path = f"{_q(schema)}, pg_temp"
    remove = ";\n        ".join(_remove())
    watched = ", ".join(WATCHED)
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)
    out = [
        f"""CREATE FUNCTION reviewdesk_snapshot_fact() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {path} AS $fn$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {remove};
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {_add(True)};
    END IF;
    RETURN NULL;
END
$fn$""",
        f"""CREATE FUNCTION reviewdesk_snapshot_fact_client() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {path} AS $fn$
BEGIN
    UPDATE snapshot_fact SET client_id = NEW.client_id WHERE snapshot_id = NEW.id;
    RETURN NULL;
END
$fn$""",
        "REVOKE ALL ON FUNCTION reviewdesk_snapshot_fact() FROM PUBLIC",
        "REVOKE ALL ON FUNCTION reviewdesk_snapshot_fact_client() FROM PUBLIC",
        "CREATE TRIGGER reviewdesk_snapshot_fact AFTER INSERT OR DELETE ON holding "
        "FOR EACH ROW EXECUTE FUNCTION reviewdesk_snapshot_fact()",
        f"CREATE TRIGGER reviewdesk_snapshot_fact_change AFTER UPDATE OF {watched} ON holding "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION reviewdesk_snapshot_fact()",
        "CREATE TRIGGER reviewdesk_snapshot_fact_client AFTER UPDATE OF client_id ON snapshot "
        "FOR EACH ROW WHEN (NEW.client_id IS DISTINCT FROM OLD.client_id) "
        "EXECUTE FUNCTION reviewdesk_snapshot_fact_client()",
        # Read like every table of client data; written by the triggers alone.
        f"GRANT SELECT ON snapshot_fact TO {', '.join(g[k] for k in READERS)}",
        "ALTER TABLE snapshot_fact ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE snapshot_fact FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY schema_owner ON snapshot_fact TO {me} USING (true) WITH CHECK (true)",
    ]
    visible = "client_id IN (SELECT c.id FROM client c)"
    mine = f"client_id IN ({WRITABLE})"
    for kind in READERS:
        out.append(
            f"CREATE POLICY {kind}_read ON snapshot_fact FOR SELECT TO {g[kind]} USING ({visible})"
        )
    # The same policies as every table of client data, should a grant to write ever be made.
    for kind in WRITERS:
        out += [
            f"CREATE POLICY {kind}_add ON snapshot_fact FOR INSERT TO {g[kind]} "
            f"WITH CHECK ({mine})",
            f"CREATE POLICY {kind}_edit ON snapshot_fact FOR UPDATE TO {g[kind]} "
            f"USING ({mine}) WITH CHECK ({mine})",
            f"CREATE POLICY {kind}_delete ON snapshot_fact FOR DELETE TO {g[kind]} USING ({mine})",
        ]
    out.append("ANALYZE snapshot_fact")
    return out
