"""team: a branch's shared book on PostgreSQL, with row-level security the database enforces

Every dialect gets the plain parts: a client's owning manager and branch
(`client.owner`, `client.branch`, indexed: the policies are keyed on them), its
co-managers (`client_manager`), the people of the team (`team_member`), assistants'
assignments to managers (`assistant_assignment`) and the database roles in each
audit entry (`audit_entry.db_user`, `audit_entry.db_session_user`). A one-manager
SQLite book leaves them empty. The records people edit get a save counter
(`version`, SQLAlchemy's version counter): a save over a change someone else saved
meanwhile is refused instead of overwriting it.

On PostgreSQL the book becomes a team book:

- group roles `<database>_manager`, `_assistant`, `_supervisor`, `_compliance` and
  `_admin` (named after the database, since roles are the server's, not the book's);
  people are login roles made members of one of them (`reviewdesk team add-user`);
- grants per group: managers and assistants read and write client data, a supervisor
  reads a branch's and may change a client's owner, compliance reads everything,
  admin keeps the people and the settings and reads no client data;
- row-level security, FORCE'd, on every table that holds client data, one policy per
  table and group; the schema's owner (who ran this migration) keeps a policy of its
  own, visible in pg_policies like the others;
- triggers that write the audit trail in the database (every insert, update and
  delete of client data, stamped with current_user and session_user) and keep a
  client's owner and branch (only a supervisor or the owner of the schema hands a
  client over); the trail is append-only: no group is granted UPDATE, DELETE or
  TRUNCATE on it.

Benchmarks (0006) are the branch's reference data: index levels and the default choice
per risk level are read by everyone and kept by managers, assistants, supervisors and
admin alike (a manager's workbook carries them; every change is in the trail with its
author); a client's own choice follows its client like any client data.

The role running this migration needs CREATEROLE. Tables added by later revisions
need their own grants and policies.

Revision ID: 0007_team
Revises: 0006_benchmarks
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_team"
down_revision = "0006_benchmarks"
branch_labels = None
depends_on = None

GROUPS = ("manager", "assistant", "supervisor", "compliance", "admin")
READERS = ("manager", "assistant", "supervisor", "compliance")
WRITERS = ("manager", "assistant")

# Tables holding client data, how each row finds its client, and its money columns
# (stored as scaled integers: the trail shows them as decimals).
CLIENT_TABLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "client": ("Client", "id", ("annual_income",)),
    "client_tag": ("ClientTag", "client_id", ()),
    "family_member": ("FamilyMember", "client_id", ("annual_income",)),
    "snapshot": ("Snapshot", "client_id", ()),
    "fx_rate": ("FxRate", "snapshot_id", ()),
    "holding": ("Holding", "snapshot_id", ("market_value", "principal")),
    "insurance_policy": ("InsurancePolicy", "client_id", ("sum_assured", "annual_premium")),
    "risk_assessment": ("RiskAssessment", "client_id", ()),
    "contact": ("Contact", "client_id", ()),
    "document": ("Document", "client_id", ()),
    "pack_record": ("PackRecord", "client_id", ()),
    "flow": ("Flow", "client_id", ("amount",)),
    "client_manager": ("ClientManager", "client_id", ()),
}
# The branch's reference data (no client in the row, or a risk level's default).
BENCHMARK_TABLES = {
    "benchmark_level": ("BenchmarkLevel", "none", ()),
    "benchmark_choice": ("BenchmarkChoice", "client_id", ()),
}
TEAM_TABLES = {
    "team_member": "TeamMember",
    "assistant_assignment": "AssistantAssignment",
}
MONEY_SCALE = 10000  # reviewdesk.book.types.MONEY_SCALE
VERSIONED = (
    "client",
    "family_member",
    "snapshot",
    "holding",
    "insurance_policy",
    "risk_assessment",
    "contact",
    "document",
    "flow",
)


def upgrade() -> None:
    # Plain ADD COLUMN, not batch: a batch rebuild of the client table on SQLite would
    # cascade to every snapshot and holding.
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=63), nullable=True))
        batch_op.add_column(sa.Column("branch", sa.String(length=63), nullable=True))
        batch_op.create_index(batch_op.f("ix_client_owner"), ["owner"], unique=False)
        batch_op.create_index(batch_op.f("ix_client_branch"), ["branch"], unique=False)
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("db_user", sa.String(length=63), nullable=True))
        batch_op.add_column(sa.Column("db_session_user", sa.String(length=63), nullable=True))
    op.create_table(
        "team_member",
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("branch", sa.String(length=63), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("left_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_team_member")),
    )
    with op.batch_alter_table("team_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_member_branch"), ["branch"], unique=False)
    op.create_table(
        "assistant_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assistant", sa.String(length=63), nullable=False),
        sa.Column("manager", sa.String(length=63), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_assignment")),
    )
    with op.batch_alter_table("assistant_assignment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assistant_assignment_assistant", ["assistant", "ended_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assistant_assignment_manager"), ["manager"], unique=False
        )
    op.create_table(
        "client_manager",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("manager", sa.String(length=63), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_client_manager_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", "manager", name=op.f("pk_client_manager")),
    )
    with op.batch_alter_table("client_manager", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_manager_manager"), ["manager"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for statement in _team_statements():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in _undo_statements():
            op.execute(statement)
    op.drop_table("client_manager")
    op.drop_table("assistant_assignment")
    op.drop_table("team_member")
    # Plain DROP COLUMN (not batch): on SQLite a batch rebuild of the client table would
    # cascade to every snapshot and holding.
    op.drop_column("audit_entry", "db_session_user")
    op.drop_column("audit_entry", "db_user")
    op.drop_index("ix_client_branch", table_name="client")
    op.drop_index("ix_client_owner", table_name="client")
    op.drop_column("client", "branch")
    op.drop_column("client", "owner")
    for table in VERSIONED:
        op.drop_column(table, "version")


# --- PostgreSQL -----------------------------------------------------------------------


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _names() -> tuple[dict[str, str], str, str]:
    """The group roles' names, the schema's owner (who runs this) and the schema."""
    bind = op.get_bind()
    database, owner, schema = bind.execute(
        sa.text("SELECT current_database(), current_user, current_schema()")
    ).one()
    groups = {kind: f"{database}_{kind}" for kind in GROUPS}
    too_long = [name for name in groups.values() if len(name.encode()) > 63]
    if too_long:
        raise RuntimeError(
            f"the database name {database!r} is too long for its team's role names "
            f"({too_long[0]!r} is over 63 bytes): use a shorter database name"
        )
    return groups, owner, schema


def _team_statements() -> list[str]:
    groups, owner, schema = _names()
    g = {kind: _q(name) for kind, name in groups.items()}
    me = _q(owner)
    path = f"{_q(schema)}, pg_temp"

    def to(*kinds: str) -> str:
        return ", ".join(g[k] for k in kinds)

    out: list[str] = []
    for name in groups.values():
        out.append(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
            f"{_lit(name)}) THEN CREATE ROLE {_q(name)} NOLOGIN; END IF; END $$"
        )

    # Which clients a person may write: owned, co-managed, or of a manager they assist.
    # SECURITY DEFINER (runs as the schema's owner, whose own policy sees every row), so
    # the client policy may use it without recursing into client_manager's policies.
    out.append(
        f"""CREATE FUNCTION reviewdesk_writable_clients(who name) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT c.id FROM client c WHERE c.owner = who
    UNION SELECT m.client_id FROM client_manager m WHERE m.manager = who
    UNION SELECT c.id FROM client c JOIN assistant_assignment a ON a.manager = c.owner
        WHERE a.assistant = who AND a.ended_at IS NULL
    UNION SELECT m.client_id FROM client_manager m
        JOIN assistant_assignment a ON a.manager = m.manager
        WHERE a.assistant = who AND a.ended_at IS NULL
$fn$"""
    )
    out.append(
        f"""CREATE FUNCTION reviewdesk_supervised_branches(who name) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT t.branch FROM team_member t
    WHERE t.name = who AND t.role = 'supervisor' AND t.left_at IS NULL AND t.branch IS NOT NULL
$fn$"""
    )
    out.append(
        f"""CREATE FUNCTION reviewdesk_assisted_managers(who name) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {path} AS $fn$
    SELECT a.manager FROM assistant_assignment a WHERE a.assistant = who AND a.ended_at IS NULL
$fn$"""
    )
    for fn in ("writable_clients", "supervised_branches", "assisted_managers"):
        out.append(f"REVOKE ALL ON FUNCTION reviewdesk_{fn}(name) FROM PUBLIC")
        out.append(f"GRANT EXECUTE ON FUNCTION reviewdesk_{fn}(name) TO {to(*GROUPS)}")

    # A client's owner and branch: the owner defaults to the manager who adds the client
    # (or the one manager an assistant assists); only a supervisor or the schema's owner
    # changes it; the branch follows the owner's.
    out.append(
        f"""CREATE FUNCTION reviewdesk_client_owner() RETURNS trigger
LANGUAGE plpgsql SET search_path = {path} AS $fn$
DECLARE
    n integer;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.owner IS NULL AND pg_has_role(current_user, {_lit(groups["manager"])}, 'USAGE')
        THEN
            NEW.owner := current_user;
        ELSIF NEW.owner IS NULL THEN
            SELECT count(*), min(m.name) INTO n, NEW.owner
                FROM reviewdesk_assisted_managers(current_user) AS m(name);
            IF n <> 1 THEN
                NEW.owner := NULL;
            END IF;
        END IF;
    ELSIF NEW.owner IS DISTINCT FROM OLD.owner THEN
        IF current_user <> {_lit(owner)}
           AND NOT pg_has_role(current_user, {_lit(groups["supervisor"])}, 'USAGE') THEN
            RAISE EXCEPTION 'reviewdesk: only a supervisor hands a client over (client %)', OLD.id
                USING ERRCODE = '42501';
        END IF;
    ELSIF NEW.branch IS DISTINCT FROM OLD.branch AND current_user <> {_lit(owner)} THEN
        NEW.branch := OLD.branch;
    END IF;
    IF NEW.owner IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.owner IS DISTINCT FROM OLD.owner) THEN
        IF NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = NEW.owner)
           OR NOT pg_has_role(NEW.owner, {_lit(groups["manager"])}, 'MEMBER') THEN
            RAISE EXCEPTION 'reviewdesk: % is not a manager of this book', NEW.owner
                USING ERRCODE = '42501';
        END IF;
        NEW.branch := COALESCE(
            (SELECT t.branch FROM team_member t WHERE t.name = NEW.owner), NEW.branch);
    END IF;
    RETURN NEW;
END
$fn$"""
    )
    out.append(
        "CREATE TRIGGER reviewdesk_client_owner BEFORE INSERT OR UPDATE ON client "
        "FOR EACH ROW EXECUTE FUNCTION reviewdesk_client_owner()"
    )

    # The audit trail, written by the database: one entry per row created or deleted,
    # one per field changed; stamped with the roles, whatever the program said.
    out.append(
        f"""CREATE FUNCTION reviewdesk_audit_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = {path} AS $fn$
BEGIN
    NEW.at := clock_timestamp() AT TIME ZONE 'UTC';
    NEW.actor := session_user;
    NEW.db_user := current_user;
    NEW.db_session_user := session_user;
    RETURN NEW;
END
$fn$"""
    )
    out.append(
        "CREATE TRIGGER reviewdesk_audit_stamp BEFORE INSERT ON audit_entry "
        "FOR EACH ROW EXECUTE FUNCTION reviewdesk_audit_stamp()"
    )
    out.append(
        f"""CREATE FUNCTION reviewdesk_audit_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = {path} AS $fn$
DECLARE
    o jsonb;
    n jsonb;
    r jsonb;
    k text;
    cid integer;
    rid integer;
    skip text[] := ARRAY['created_at', 'updated_at', 'version'];
BEGIN
    IF TG_OP <> 'INSERT' THEN o := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN n := to_jsonb(NEW); END IF;
    FOR i IN 2 .. TG_NARGS - 1 LOOP
        k := TG_ARGV[i];
        IF jsonb_typeof(o -> k) = 'number' THEN
            o := jsonb_set(o, ARRAY[k],
                to_jsonb(round((o ->> k)::numeric / {MONEY_SCALE}, 4)::text));
        END IF;
        IF jsonb_typeof(n -> k) = 'number' THEN
            n := jsonb_set(n, ARRAY[k],
                to_jsonb(round((n ->> k)::numeric / {MONEY_SCALE}, 4)::text));
        END IF;
    END LOOP;
    r := COALESCE(n, o);
    IF TG_ARGV[1] = 'id' THEN
        cid := (r ->> 'id')::integer;
    ELSIF TG_ARGV[1] = 'client_id' THEN
        cid := (r ->> 'client_id')::integer;
    ELSIF TG_ARGV[1] = 'snapshot_id' THEN
        SELECT s.client_id INTO cid FROM snapshot s WHERE s.id = (r ->> 'snapshot_id')::integer;
    END IF;
    IF jsonb_typeof(r -> 'id') = 'number' THEN
        rid := (r ->> 'id')::integer;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_entry (at, actor, client_id, action, record, record_id, new_value)
        VALUES (now(), session_user, cid, 'create', TG_ARGV[0], rid, (n - skip)::text);
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO audit_entry (at, actor, client_id, action, record, record_id, old_value)
        VALUES (now(), session_user, cid, 'delete', TG_ARGV[0], rid, (o - skip)::text);
    ELSE
        FOR k IN SELECT e.key FROM jsonb_each(n) e
                 WHERE NOT e.key = ANY (skip) AND (n -> e.key) IS DISTINCT FROM (o -> e.key)
                 ORDER BY e.key LOOP
            INSERT INTO audit_entry
                (at, actor, client_id, action, record, record_id, field, old_value, new_value)
            VALUES (now(), session_user, cid, 'update', TG_ARGV[0], rid, k, o ->> k, n ->> k);
        END LOOP;
    END IF;
    RETURN NULL;
END
$fn$"""
    )
    audited = {t: (record, key, money) for t, (record, key, money) in CLIENT_TABLES.items()}
    audited.update({t: (record, "none", ()) for t, record in TEAM_TABLES.items()})
    audited.update(BENCHMARK_TABLES)
    for table, (record, key, money) in audited.items():
        args = ", ".join(_lit(a) for a in (record, key, *money))
        out.append(
            f"CREATE TRIGGER reviewdesk_audit AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION reviewdesk_audit_change({args})"
        )

    # Grants. Nothing to PUBLIC; every group reads the revision and the settings (the app
    # reads both when it opens a book) and the people; admin keeps people and settings.
    out.append(f"GRANT USAGE ON SCHEMA {_q(schema)} TO {to(*GROUPS)}")
    out.append(f"GRANT SELECT ON alembic_version, setting, team_member TO {to(*GROUPS)}")
    out.append(f"GRANT SELECT ON assistant_assignment TO {to(*GROUPS)}")
    out.append(
        "GRANT INSERT, UPDATE, DELETE ON setting, team_member, assistant_assignment "
        f"TO {g['admin']}"
    )
    for table in CLIENT_TABLES:
        out.append(f"GRANT SELECT ON {table} TO {to(*READERS)}")
    for table in CLIENT_TABLES:
        if table in ("client", "client_manager"):
            continue
        out.append(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {to(*WRITERS)}")
    out.append(f"GRANT INSERT, UPDATE ON client TO {to(*WRITERS)}")
    out.append(f"GRANT DELETE ON client TO {g['manager']}")
    out.append(f"GRANT UPDATE (owner, updated_at, version) ON client TO {g['supervisor']}")
    out.append(f"GRANT INSERT, DELETE ON client_manager TO {to('manager', 'supervisor')}")
    # Benchmarks: read by every group, the branch's reference data kept by all but
    # compliance; a client's own choice is written by whoever may write that client.
    out.append(f"GRANT SELECT ON benchmark_level, benchmark_choice TO {to(*GROUPS)}")
    out.append(
        "GRANT INSERT, UPDATE, DELETE ON benchmark_level TO "
        + to("manager", "assistant", "supervisor", "admin")
    )
    out.append(
        "GRANT INSERT, UPDATE, DELETE ON benchmark_choice TO "
        + to("manager", "assistant", "supervisor", "admin")
    )
    out.append(
        "GRANT USAGE ON SEQUENCE benchmark_level_id_seq, benchmark_choice_id_seq TO "
        + to("manager", "assistant", "supervisor", "admin")
    )
    # The trail: anyone adds an entry; nobody but the owner changes or removes one.
    out.append(f"GRANT INSERT ON audit_entry TO {to(*GROUPS)}")
    out.append(f"GRANT SELECT ON audit_entry TO {to(*READERS)}")
    out.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {_q(schema)} TO {to(*WRITERS)}")
    out.append(
        f"GRANT USAGE ON SEQUENCE audit_entry_id_seq, assistant_assignment_id_seq TO {to(*GROUPS)}"
    )

    # Row-level security on every table with client data, for its owner too.
    for table in (*CLIENT_TABLES, "audit_entry"):
        out.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        out.append(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        out.append(f"CREATE POLICY schema_owner ON {table} TO {me} USING (true) WITH CHECK (true)")

    writable = "SELECT reviewdesk_writable_clients(current_user)"
    supervised = "branch IN (SELECT reviewdesk_supervised_branches(current_user))"
    assisted = "owner IN (SELECT reviewdesk_assisted_managers(current_user))"
    out += [
        # `owner = current_user` also shows a client to the manager adding it (the
        # function's snapshot does not hold a row the same statement inserts).
        f"CREATE POLICY manager_read ON client FOR SELECT TO {g['manager']} "
        f"USING (owner = current_user OR id IN ({writable}))",
        f"CREATE POLICY manager_add ON client FOR INSERT TO {g['manager']} "
        "WITH CHECK (owner = current_user)",
        f"CREATE POLICY manager_edit ON client FOR UPDATE TO {g['manager']} "
        f"USING (id IN ({writable})) WITH CHECK (id IN ({writable}))",
        f"CREATE POLICY manager_delete ON client FOR DELETE TO {g['manager']} "
        f"USING (id IN ({writable}))",
        f"CREATE POLICY assistant_read ON client FOR SELECT TO {g['assistant']} "
        f"USING ({assisted} OR id IN ({writable}))",
        f"CREATE POLICY assistant_add ON client FOR INSERT TO {g['assistant']} "
        f"WITH CHECK ({assisted})",
        f"CREATE POLICY assistant_edit ON client FOR UPDATE TO {g['assistant']} "
        f"USING (id IN ({writable})) WITH CHECK (id IN ({writable}))",
        f"CREATE POLICY supervisor_read ON client FOR SELECT TO {g['supervisor']} "
        f"USING ({supervised})",
        f"CREATE POLICY supervisor_reassign ON client FOR UPDATE TO {g['supervisor']} "
        f"USING ({supervised}) WITH CHECK ({supervised})",
        f"CREATE POLICY compliance_read ON client FOR SELECT TO {g['compliance']} USING (true)",
    ]
    for table, (_record, key, _money) in CLIENT_TABLES.items():
        if table == "client":
            continue
        if key == "client_id":
            visible = "client_id IN (SELECT c.id FROM client c)"
            mine = f"client_id IN ({writable})"
        else:
            visible = "snapshot_id IN (SELECT s.id FROM snapshot s)"
            mine = f"snapshot_id IN (SELECT s.id FROM snapshot s WHERE s.client_id IN ({writable}))"
        for kind in READERS:
            out.append(
                f"CREATE POLICY {kind}_read ON {table} FOR SELECT TO {g[kind]} USING ({visible})"
            )
        if table == "client_manager":
            owned = "client_id IN (SELECT c.id FROM client c WHERE c.owner = current_user)"
            for verb in ("INSERT", "DELETE"):
                check = "WITH CHECK" if verb == "INSERT" else "USING"
                out.append(
                    f"CREATE POLICY manager_{verb.lower()} ON client_manager FOR {verb} "
                    f"TO {g['manager']} {check} ({owned})"
                )
                out.append(
                    f"CREATE POLICY supervisor_{verb.lower()} ON client_manager FOR {verb} "
                    f"TO {g['supervisor']} {check} ({visible})"
                )
            continue
        for kind in WRITERS:
            out += [
                f"CREATE POLICY {kind}_add ON {table} FOR INSERT TO {g[kind]} WITH CHECK ({mine})",
                f"CREATE POLICY {kind}_edit ON {table} FOR UPDATE TO {g[kind]} "
                f"USING ({mine}) WITH CHECK ({mine})",
                f"CREATE POLICY {kind}_delete ON {table} FOR DELETE TO {g[kind]} USING ({mine})",
            ]
    # A risk level's default (no client) is the branch's; a client's own choice is the
    # client's: seen with the client, written by who may write the client (a supervisor
    # and admin keep the defaults only).
    out.append("ALTER TABLE benchmark_choice ENABLE ROW LEVEL SECURITY")
    out.append("ALTER TABLE benchmark_choice FORCE ROW LEVEL SECURITY")
    out.append(
        f"CREATE POLICY schema_owner ON benchmark_choice TO {me} USING (true) WITH CHECK (true)"
    )
    seen = "client_id IS NULL OR client_id IN (SELECT c.id FROM client c)"
    for kind in GROUPS:
        out.append(
            f"CREATE POLICY {kind}_read ON benchmark_choice FOR SELECT TO {g[kind]} "
            f"USING ({'client_id IS NULL' if kind == 'admin' else seen})"
        )
    for kind, rows in (
        ("manager", f"client_id IS NULL OR client_id IN ({writable})"),
        ("assistant", f"client_id IS NULL OR client_id IN ({writable})"),
        ("supervisor", "client_id IS NULL"),
        ("admin", "client_id IS NULL"),
    ):
        out += [
            f"CREATE POLICY {kind}_add ON benchmark_choice FOR INSERT TO {g[kind]} "
            f"WITH CHECK ({rows})",
            f"CREATE POLICY {kind}_edit ON benchmark_choice FOR UPDATE TO {g[kind]} "
            f"USING ({rows}) WITH CHECK ({rows})",
            f"CREATE POLICY {kind}_delete ON benchmark_choice FOR DELETE TO {g[kind]} "
            f"USING ({rows})",
        ]
    for kind in GROUPS:
        out.append(
            f"CREATE POLICY {kind}_append ON audit_entry FOR INSERT TO {g[kind]} "
            "WITH CHECK (db_session_user = session_user)"
        )
    for kind in ("manager", "assistant", "supervisor"):
        out.append(
            f"CREATE POLICY {kind}_read ON audit_entry FOR SELECT TO {g[kind]} "
            "USING (client_id IN (SELECT c.id FROM client c))"
        )
    out.append(
        f"CREATE POLICY compliance_read ON audit_entry FOR SELECT TO {g['compliance']} USING (true)"
    )
    return out


def _undo_statements() -> list[str]:
    groups, _owner, schema = _names()
    out: list[str] = []
    for table in (*CLIENT_TABLES, "audit_entry", "benchmark_choice"):
        out.append(
            f"DO $$ DECLARE p record; BEGIN FOR p IN SELECT policyname FROM pg_policies "
            f"WHERE schemaname = {_lit(schema)} AND tablename = {_lit(table)} LOOP "
            f"EXECUTE format('DROP POLICY %I ON {table}', p.policyname); END LOOP; END $$"
        )
        out.append(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        out.append(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for table in (*CLIENT_TABLES, *TEAM_TABLES, *BENCHMARK_TABLES):
        out.append(f"DROP TRIGGER IF EXISTS reviewdesk_audit ON {table}")
    out.append("DROP TRIGGER IF EXISTS reviewdesk_audit_stamp ON audit_entry")
    out.append("DROP TRIGGER IF EXISTS reviewdesk_client_owner ON client")
    for fn in (
        "reviewdesk_audit_change()",
        "reviewdesk_audit_stamp()",
        "reviewdesk_client_owner()",
        "reviewdesk_writable_clients(name)",
        "reviewdesk_supervised_branches(name)",
        "reviewdesk_assisted_managers(name)",
    ):
        out.append(f"DROP FUNCTION IF EXISTS {fn}")
    for name in groups.values():
        # The group goes with its privileges here; members elsewhere keep it alive.
        out.append(
            f"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {_lit(name)}) THEN "
            f"EXECUTE 'REVOKE ALL ON ALL TABLES IN SCHEMA {_q(schema)} FROM {_q(name)}'; "
            f"EXECUTE 'REVOKE ALL ON ALL SEQUENCES IN SCHEMA {_q(schema)} FROM {_q(name)}'; "
            f"EXECUTE 'REVOKE ALL ON SCHEMA {_q(schema)} FROM {_q(name)}'; "
            f"BEGIN EXECUTE 'DROP ROLE {_q(name)}'; "
            "EXCEPTION WHEN dependent_objects_still_exist THEN NULL; END; "
            "END IF; END $$"
        )
    return out
