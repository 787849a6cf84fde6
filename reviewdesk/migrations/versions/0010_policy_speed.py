"""policy speed: the row-level policies in a shape the server answers by a client's key

Nothing changes in who sees or writes what: the same policies, on the same tables and
groups, written so that PostgreSQL's cost follows the rows a statement reads, not the
book's size. On SQLite there is nothing to do.

- A table of client data was read under `client_id IN (SELECT c.id FROM client c)`: the
  server kept the subquery as a filter and, for every statement, first gathered every
  client the person may see (a pass over the whole client table under its own policy),
  however few rows the statement read. Written `EXISTS (SELECT 1 FROM client c WHERE
  c.id = <table>.client_id)`, the planner probes the client's row by its key for a few
  rows and keeps the hashed pass for many (benchmark choices: `client_id IS NULL OR
  EXISTS (...)`).
- Writes were checked against `client_id IN (SELECT reviewdesk_writable_clients(...))`:
  the person's every writable client gathered for each statement (an import's every
  row). Written `EXISTS (SELECT 1 FROM client c WHERE c.id = <table>.client_id AND
  (c.owner = <me> OR c.id = ANY (<shared>)))`, the same set (the writable clients are
  the owned ones and the shared ones, read in the statement's snapshot either way)
  found by the row's key.
- The client table's policies tested `owner = current_user` on every client (the
  function called once per row) and gathered the person's writable clients, owned ones
  included. `current_user` is now read once (`(SELECT CAST(current_user AS varchar))`),
  which also lets the server find the owned clients by the owner's index, and the rest
  comes from `reviewdesk_shared_clients(who)`: the writable clients without the owned
  ones (co-managed, and those of the managers one assists), as an array. A client's
  update keeps checking its new row against the writable clients (a changed id must
  still be one), as before.

In one race only do the new policies answer differently: an update or delete whose row
is handed over to another manager by a supervisor while it waits is re-checked by the
server against the row as handed over, and is now refused (the previous manager loses
the client at the hand-over's commit), where the old shape let it through.

The policies are altered in place (`ALTER POLICY`: their groups and commands stay), so
a book made fresh and an upgraded one end with the same policies; downgrading puts
0009's expressions back and drops the function.

Revision ID: 0010_policy_speed
Revises: 0009_snapshot_facts
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from alembic import op

revision = "0010_policy_speed"
down_revision = "0009_snapshot_facts"
branch_labels = None
depends_on = None

GROUPS = ("manager", "assistant", "supervisor", "compliance", "admin")
READERS = ("manager", "assistant", "supervisor", "compliance")
WRITERS = ("manager", "assistant")
# Tables of client data keyed by `client_id` with 0007's policies (holding and fx_rate
# since 0008, snapshot_fact since 0009); client_manager has writes of its own.
KEYED = (
    "client_tag",
    "family_member",
    "snapshot",
    "fx_rate",
    "holding",
    "insurance_policy",
    "risk_assessment",
    "contact",
    "document",
    "pack_record",
    "flow",
    "snapshot_fact",
)

# --- 0009's expressions ------------------------------------------------------------------

OLD_WRITABLE = "SELECT reviewdesk_writable_clients(current_user)"
OLD_VISIBLE = "client_id IN (SELECT c.id FROM client c)"
OLD_MINE = f"client_id IN ({OLD_WRITABLE})"
OLD_OWNED = "client_id IN (SELECT c.id FROM client c WHERE c.owner = current_user)"
OLD_SUPERVISED = "branch IN (SELECT reviewdesk_supervised_branches(current_user))"
OLD_ASSISTED = "owner IN (SELECT reviewdesk_assisted_managers(current_user))"
OLD_CLIENT_WRITABLE = f"id IN ({OLD_WRITABLE})"

# --- 0010's ------------------------------------------------------------------------------

ME = "(SELECT CAST(current_user AS varchar))"
SHARED = "ARRAY(SELECT reviewdesk_shared_clients(current_user))"
# The client's own row: owned (tested on the row, current_user read once) or shared.
CLIENT_WRITABLE = f"owner = {ME} OR id = ANY ({SHARED})"
ASSISTED = "owner = ANY (ARRAY(SELECT reviewdesk_assisted_managers(current_user)))"
SUPERVISED = "branch = ANY (ARRAY(SELECT reviewdesk_supervised_branches(current_user)))"


def _visible(table: str) -> str:
    return f"EXISTS (SELECT 1 FROM client c WHERE c.id = {table}.client_id)"


def _mine(table: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM client c WHERE c.id = {table}.client_id "
        f"AND (c.owner = {ME} OR c.id = ANY ({SHARED})))"
    )


def _owned(table: str) -> str:
    return f"EXISTS (SELECT 1 FROM client c WHERE c.id = {table}.client_id AND c.owner = {ME})"


class Change(NamedTuple):
    """A policy's expressions (None: the policy has no such clause) before and after."""

    table: str
    policy: str
    old_using: str | None
    old_check: str | None
    new_using: str | None
    new_check: str | None


def _reads(table: str, old: str, new: str, kinds: tuple[str, ...] = READERS) -> list[Change]:
    return [Change(table, f"{kind}_read", old, None, new, None) for kind in kinds]


def _writes(table: str, old: str, new: str, kinds: tuple[str, ...] = WRITERS) -> list[Change]:
    out: list[Change] = []
    for kind in kinds:
        out += [
            Change(table, f"{kind}_add", None, old, None, new),
            Change(table, f"{kind}_edit", old, old, new, new),
            Change(table, f"{kind}_delete", old, None, new, None),
        ]
    return out


def changes() -> list[Change]:
    """Every policy this revision rewrites, with 0009's and 0010's expressions."""
    out = [
        Change("client", "manager_read", f"owner = current_user OR {OLD_CLIENT_WRITABLE}", None,
               CLIENT_WRITABLE, None),
        Change("client", "manager_edit", OLD_CLIENT_WRITABLE, OLD_CLIENT_WRITABLE,
               CLIENT_WRITABLE, OLD_CLIENT_WRITABLE),
        Change("client", "manager_delete", OLD_CLIENT_WRITABLE, None, CLIENT_WRITABLE, None),
        Change("client", "assistant_read", f"{OLD_ASSISTED} OR {OLD_CLIENT_WRITABLE}", None,
               f"{ASSISTED} OR {CLIENT_WRITABLE}", None),
        Change("client", "assistant_edit", OLD_CLIENT_WRITABLE, OLD_CLIENT_WRITABLE,
               CLIENT_WRITABLE, OLD_CLIENT_WRITABLE),
        Change("client", "supervisor_read", OLD_SUPERVISED, None, SUPERVISED, None),
        Change("client", "supervisor_reassign", OLD_SUPERVISED, OLD_SUPERVISED,
               SUPERVISED, OLD_SUPERVISED),
    ]  # fmt: skip
    for table in KEYED:
        out += _reads(table, OLD_VISIBLE, _visible(table))
        out += _writes(table, OLD_MINE, _mine(table))
    out += _reads("client_manager", OLD_VISIBLE, _visible("client_manager"))
    out += [
        Change("client_manager", "manager_insert", None, OLD_OWNED,
               None, _owned("client_manager")),
        Change("client_manager", "manager_delete", OLD_OWNED, None,
               _owned("client_manager"), None),
        Change("client_manager", "supervisor_insert", None, OLD_VISIBLE,
               None, _visible("client_manager")),
        Change("client_manager", "supervisor_delete", OLD_VISIBLE, None,
               _visible("client_manager"), None),
    ]  # fmt: skip
    out += _reads(
        "benchmark_choice",
        f"client_id IS NULL OR {OLD_VISIBLE}",
        f"client_id IS NULL OR {_visible('benchmark_choice')}",
    )
    out += _writes(
        "benchmark_choice",
        f"client_id IS NULL OR {OLD_MINE}",
        f"client_id IS NULL OR {_mine('benchmark_choice')}",
    )
    out += _reads(
        "audit_entry", OLD_VISIBLE, _visible("audit_entry"), ("manager", "assistant", "supervisor")
    )
    return out


def _alter(change: Change, new: bool) -> str:
    using, check = (
        (change.new_using, change.new_check) if new else (change.old_using, change.old_check)
    )
    clauses = []
    if using is not None:
        clauses.append(f"USING ({using})")
    if check is not None:
        clauses.append(f"WITH CHECK ({check})")
    return f"ALTER POLICY {change.policy} ON {change.table} {' '.join(clauses)}"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    database, schema = (
        op.get_bind().execute(sa.text("SELECT current_database(), current_schema()")).one()
    )
    groups = ", ".join(_q(f"{database}_{kind}") for kind in GROUPS)
    # reviewdesk_writable_clients (0007) without its owned clients: those a policy finds
    # by the row's owner. SECURITY DEFINER like it, so the client's policy may call it
    # without recursing into client_manager's policies.
    op.execute(
        f"""CREATE FUNCTION reviewdesk_shared_clients(who name) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {_q(schema)}, pg_temp AS $fn$
    SELECT m.client_id FROM client_manager m WHERE m.manager = who
    UNION SELECT c.id FROM client c JOIN assistant_assignment a ON a.manager = c.owner
        WHERE a.assistant = who AND a.ended_at IS NULL
    UNION SELECT m.client_id FROM client_manager m
        JOIN assistant_assignment a ON a.manager = m.manager
        WHERE a.assistant = who AND a.ended_at IS NULL
$fn$"""
    )
    op.execute("REVOKE ALL ON FUNCTION reviewdesk_shared_clients(name) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION reviewdesk_shared_clients(name) TO {groups}")
    for change in changes():
        op.execute(_alter(change, new=True))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for change in changes():
        op.execute(_alter(change, new=False))
    op.execute("DROP FUNCTION IF EXISTS reviewdesk_shared_clients(name)")
