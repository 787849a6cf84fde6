"""The team book's row-level security, table by table and role by role, on the real server.

Every check runs raw SQL on the role's own connection (the person logged in as
themselves), so it proves what the database enforces, not what the app chooses to do.
Each positive control (the owner may do it) shows the statement itself is sound, so a
refusal is the policy's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from reviewdesk.book import team
from reviewdesk.book.db import open_book
from reviewdesk.book.enums import (
    Channel,
    ClientRiskLevel,
    FlowKind,
    Language,
    PackAction,
    PolicyKind,
    Relation,
)
from reviewdesk.book.models import (
    AssistantAssignment,
    BenchmarkChoice,
    Client,
    ClientManager,
    Contact,
    Document,
    FamilyMember,
    Flow,
    InsurancePolicy,
    PackRecord,
    RiskAssessment,
)
from reviewdesk.book.versions import EditConflict
from tests import factories as f
from tests import pg

PASSWORD = "Tr0ub4dor&3-team"
# How each table's rows name a client (holdings and rates through their snapshot),
# a column an UPDATE may touch, and an INSERT naming a client (:cid) or snapshot (:sid).
TABLES: dict[str, tuple[str, str, str]] = {
    "client": (
        "id = :cid",
        "name",
        "INSERT INTO client (code, name, tier, report_currency, language, created_at, "
        "updated_at, owner) VALUES ('INTRUDER', 'x', 'standard', 'CNY', 'zh', now(), now(), "
        ":owner)",
    ),
    "client_tag": (
        "client_id = :cid",
        "tag",
        "INSERT INTO client_tag (client_id, tag) VALUES (:cid, 'intruder')",
    ),
    "family_member": (
        "client_id = :cid",
        "name",
        "INSERT INTO family_member (client_id, name, relation) VALUES (:cid, 'x', 'son')",
    ),
    "snapshot": (
        "client_id = :cid",
        "note",
        "INSERT INTO snapshot (client_id, review_date, created_at) "
        "VALUES (:cid, '2001-01-31', now())",
    ),
    "fx_rate": (
        "snapshot_id = :sid",
        "rate",
        "INSERT INTO fx_rate (snapshot_id, from_currency, to_currency, rate) "
        "VALUES (:sid, 'JPY', 'CNY', '0.05')",
    ),
    "holding": (
        "snapshot_id = :sid",
        "product_name",
        "INSERT INTO holding (snapshot_id, product_name, asset_class, currency, market_value) "
        "VALUES (:sid, 'x', 'deposit', 'CNY', 1)",
    ),
    "snapshot_fact": (  # derived from the holdings by the database: read, never written
        "snapshot_id = :sid",
        "market_value",
        "INSERT INTO snapshot_fact (snapshot_id, currency, is_liability, holdings, "
        "market_value, property_holdings, property_value, risk_r1, risk_r2, risk_r3, risk_r4, "
        "risk_r5) VALUES (:sid, 'JPY', false, 1, 1, 0, 0, 0, 0, 0, 0, 0)",
    ),
    "insurance_policy": (
        "client_id = :cid",
        "insurer",
        "INSERT INTO insurance_policy (client_id, kind, sum_assured, annual_premium, currency) "
        "VALUES (:cid, 'life', 1, 0, 'CNY')",
    ),
    "risk_assessment": (
        "client_id = :cid",
        "score",
        "INSERT INTO risk_assessment (client_id, assessed_on, answers, level, valid_until) "
        "VALUES (:cid, '2001-01-01', '{}', 'C1', '2002-01-01')",
    ),
    "contact": (
        "client_id = :cid",
        "summary",
        "INSERT INTO contact (client_id, contact_date, channel, shared, next_step_shared) "
        "VALUES (:cid, '2001-01-01', 'T', false, false)",
    ),
    "document": (
        "client_id = :cid",
        "title",
        "INSERT INTO document (client_id, title, file_name, stored_path, sha256, size_bytes, "
        "added_at) VALUES (:cid, 'x', 'x', 'x', 'x', 1, now())",
    ),
    "pack_record": (
        "client_id = :cid",
        "recipient",
        "INSERT INTO pack_record (client_id, review_date, produced_at, action, language, "
        "encrypted) VALUES (:cid, '2001-01-01', now(), 'saved', 'zh', false)",
    ),
    "flow": (
        "client_id = :cid",
        "note",
        "INSERT INTO flow (client_id, flow_date, amount, currency, rate, to_currency, kind, "
        "created_at) VALUES (:cid, '2001-01-01', 1, 'CNY', '1', 'CNY', 'deposit', now())",
    ),
    "benchmark_choice": (  # a client's own benchmark (one per client: the old one goes)
        "client_id = :cid",
        "weight",
        "WITH gone AS (DELETE FROM benchmark_choice WHERE client_id = :cid RETURNING 1) "
        "INSERT INTO benchmark_choice (client_id, benchmark, weight) "
        "SELECT :cid, 'x', 100 FROM (SELECT count(*) FROM gone) AS g",
    ),
    "client_manager": (
        "client_id = :cid",
        "manager",
        "INSERT INTO client_manager (client_id, manager) VALUES (:cid, :me)",
    ),
}
# Kept by the database's triggers alone: every role may at most read it.
DERIVED = ("snapshot_fact",)
# Who does what to manager 1's client: each row of the matrix.
OUTSIDERS = ("manager2", "assistant2", "supervisor2")  # see nothing, change nothing
READERS = ("supervisor", "compliance")  # see everything of it, change nothing


class Team:
    def __init__(self, database: str):
        self.database = database
        self.owner_url = pg.database_url(database)
        self.engines: dict[str, Engine] = {}
        self.people: dict[str, str] = {}

    def login(self, who: str) -> str:
        return self.people.get(who, who)

    def engine(self, who: str) -> Engine:
        if who not in self.engines:
            if who == "owner":
                url = self.owner_url
            else:
                url = pg.database_url(self.database, self.people[who], PASSWORD)
            self.engines[who] = create_engine(url)
        return self.engines[who]

    def book_as(self, who: str):
        return open_book(pg.database_url(self.database, self.people[who], PASSWORD))

    def close(self) -> None:
        for engine in self.engines.values():
            engine.dispose()


def _fill(book, code: str, name: str, co_manager: str | None = None) -> int:
    """A client with a row in every table that holds client data; its id."""
    with book.session() as s:
        c = f.client(code=code, name=name, annual_income=Decimal("360000"))
        c.set_tags(["家庭"])
        c.snapshots.append(
            f.snapshot(
                dt.date(2026, 5, 31), f.holding(value="1234.5678"), rates={("USD", "CNY"): "7.1"}
            )
        )
        c.family.append(FamilyMember(name="王芳", relation=Relation.SPOUSE))
        # A premium on record: going down past 0017 writes 0 for one that is not.
        c.policies.append(
            InsurancePolicy(
                kind=PolicyKind.LIFE, sum_assured=Decimal("1000000"), annual_premium=Decimal(0)
            )
        )
        c.assessments.append(
            RiskAssessment(
                assessed_on=dt.date(2026, 1, 5),
                level=ClientRiskLevel.C3,
                valid_until=dt.date(2027, 1, 5),
            )
        )
        c.contacts.append(Contact(contact_date=dt.date(2026, 5, 2), channel=Channel.PHONE))
        c.documents.append(
            Document(
                title="保单", file_name="p.pdf", stored_path="x", sha256="0" * 64, size_bytes=1
            )
        )
        c.packs.append(
            PackRecord(
                review_date=dt.date(2026, 5, 31),
                action=PackAction.SAVED,
                language=Language.ZH,
            )
        )
        c.benchmark_choice = BenchmarkChoice(benchmark="演示股票指数", weight=100)
        c.flows.append(
            Flow(
                flow_date=dt.date(2026, 3, 1),
                amount=Decimal("5000"),
                currency="CNY",
                rate=Decimal(1),
                to_currency="CNY",
                kind=FlowKind.DEPOSIT,
            )
        )
        s.add(c)
        s.flush()
        if co_manager is not None:
            s.add(ClientManager(client_id=c.id, manager=co_manager))
        return c.id


@pytest.fixture(scope="module")
def world():
    pg.server()
    with pg.new_database("rd_team") as database:
        owner_book = open_book(pg.database_url(database))  # the migrations: roles, policies
        t = Team(database)
        plan = [
            ("manager1", "manager", "b1", ()),
            ("manager2", "manager", "b1", ()),
            ("manager3", "manager", "b2", ()),
            ("assistant", "assistant", None, ("manager1",)),
            ("assistant2", "assistant", None, ("manager2",)),
            ("supervisor", "supervisor", "b1", ()),
            ("supervisor2", "supervisor", "b2", ()),
            ("compliance", "compliance", None, ()),
            ("admin", "admin", None, ()),
        ]
        with owner_book.session() as s:
            for who, role, branch, assists in plan:
                t.people[who] = f"{database}_p_{who}"
                team.add_user(
                    s,
                    t.people[who],
                    role,
                    PASSWORD,
                    branch=branch,
                    assists=[t.people[m] for m in assists],
                )
        owner_book.close()
        m1 = t.book_as("manager1")
        try:
            t.cid = _fill(m1, "T1", "张伟", co_manager=t.people["manager3"])
        finally:
            m1.close()
        with t.engine("owner").connect() as conn:
            t.sid = conn.scalar(
                text("SELECT min(id) FROM snapshot WHERE client_id = :c"), {"c": t.cid}
            )
        m2 = t.book_as("manager2")
        try:
            t.other = _fill(m2, "T2", "李娜")
        finally:
            m2.close()
        try:
            yield t
        finally:
            t.close()


def _params(t: Team, who: str) -> dict[str, object]:
    return {"cid": t.cid, "sid": t.sid, "owner": t.people["manager1"], "me": t.login(who)}


def _count(t: Team, who: str, table: str) -> int:
    where = TABLES[table][0]
    with t.engine(who).connect() as conn:
        return int(
            conn.scalar(text(f"SELECT count(*) FROM {table} WHERE {where}"), _params(t, who))
        )


def _run(t: Team, who: str, sql: str) -> int:
    """Run one statement in a transaction that is rolled back; the rows it touched."""
    with t.engine(who).connect() as conn:
        try:
            return conn.execute(text(sql), _params(t, who)).rowcount
        finally:
            conn.rollback()


def _refused(t: Team, who: str, sql: str) -> bool:
    try:
        _run(t, who, sql)
    except DBAPIError as exc:
        assert getattr(exc.orig, "sqlstate", None) == "42501", exc.orig  # privilege or policy
        return True
    return False


@pytest.mark.parametrize("table", list(TABLES))
def test_the_owner_manager_reads_and_writes_their_client(world, table):
    where, column, insert = TABLES[table]
    assert _count(world, "manager1", table) >= 1
    touch = f"UPDATE {table} SET {column} = {column} WHERE {where}"
    if table in DERIVED:  # the triggers write it, for whoever writes the holdings
        for sql in (touch, f"DELETE FROM {table} WHERE {where}", insert):
            assert _refused(world, "manager1", sql)
        assert _run(world, "manager1", f"UPDATE holding SET market_value = 1 WHERE {where}") >= 1
        return
    if table == "client_manager":  # co-managers are added and removed, never edited
        assert _refused(world, "manager1", touch)
        insert = insert.replace(":me", ":owner")
    else:
        assert _run(world, "manager1", touch) >= 1
    assert _run(world, "manager1", f"DELETE FROM {table} WHERE {where}") >= 1
    assert _run(world, "manager1", insert) == 1


@pytest.mark.parametrize("who", (*OUTSIDERS, "admin"))
@pytest.mark.parametrize("table", list(TABLES))
def test_another_managers_rows_are_out_of_reach(world, table, who):
    where, column, insert = TABLES[table]
    if who == "admin" and table != "benchmark_choice":
        assert _refused(world, who, f"SELECT count(*) FROM {table}")
        return
    # benchmark_choice: admin keeps the branch's defaults (no client), sees no client's.
    assert _count(world, who, table) == 0
    for sql in (
        f"UPDATE {table} SET {column} = {column} WHERE {where}",
        f"DELETE FROM {table} WHERE {where}",
    ):
        try:
            assert _run(world, who, sql) == 0
        except DBAPIError as exc:  # not granted at all (a supervisor writes no client data)
            assert exc.orig.sqlstate == "42501"
    assert _refused(world, who, insert)
    assert _count(world, "owner", table) >= 1  # nothing was changed


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("table", list(TABLES))
def test_supervisor_and_compliance_read_and_cannot_write(world, table, who):
    where, column, insert = TABLES[table]
    assert _count(world, who, table) == _count(world, "owner", table) >= 1
    if who == "supervisor" and table == "client_manager":
        # A supervisor reassigns: co-managers of the branch's clients too.
        assert _run(world, who, f"DELETE FROM {table} WHERE {where}") >= 1
        assert _run(world, who, insert) == 1
        return
    if who == "supervisor" and table == "benchmark_choice":
        # A supervisor keeps the branch's defaults: granted, but no client's row is his.
        assert _run(world, who, f"DELETE FROM {table} WHERE {where}") == 0
        assert _run(world, who, f"UPDATE {table} SET {column} = {column} WHERE {where}") == 0
        assert _refused(world, who, insert)
        assert _count(world, "owner", table) >= 1
        return
    assert _refused(world, who, f"DELETE FROM {table} WHERE {where}")
    assert _refused(world, who, insert)
    touch = f"UPDATE {table} SET {column} = {column} WHERE {where}"
    if who == "supervisor" and table == "client":
        touch = f"UPDATE client SET name = name WHERE {where}"  # only the owner column is his
    assert _refused(world, who, touch)


@pytest.mark.parametrize(
    "who", ("manager1", "manager2", "assistant", "supervisor", "compliance", "admin")
)
def test_the_audit_trail_is_append_only_for_every_role(world, who):
    with world.engine("owner").connect() as conn:
        before = conn.scalar(text("SELECT count(*) FROM audit_entry"))
    assert before > 0
    for sql in (
        "UPDATE audit_entry SET detail = 'rewritten'",
        "DELETE FROM audit_entry",
        "TRUNCATE audit_entry",
    ):
        assert _refused(world, who, sql), sql
    with world.engine("owner").connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM audit_entry")) == before
    # Only the schema's owner may; shown in a transaction that is rolled back.
    assert _run(world, "owner", "DELETE FROM audit_entry") == before


def test_the_database_writes_the_trail_with_the_roles(world):
    with world.engine("compliance").connect() as conn:
        rows = conn.execute(
            text(
                "SELECT actor, db_user, db_session_user, action, record, field, new_value "
                "FROM audit_entry WHERE client_id = :c ORDER BY id"
            ),
            {"c": world.cid},
        ).all()
    m1 = world.people["manager1"]
    created = {r.record for r in rows if r.action == "create"}
    assert {"Client", "Holding", "FxRate", "Flow", "Contact", "ClientTag"} <= created
    assert all(r.actor == r.db_session_user == m1 for r in rows if r.action == "create")
    holding = next(r for r in rows if r.record == "Holding" and r.action == "create")
    assert '"market_value": "1234.5678"' in holding.new_value  # money as a decimal
    # A program cannot pose as someone else: the database stamps the entry.
    with world.engine("manager2").connect() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_entry (at, actor, action, db_user, db_session_user) "
                "VALUES (now(), 'someone_else', 'note', 'x', 'x')"
            )
        )
        conn.commit()
    with world.engine("compliance").connect() as conn:
        stamped = conn.execute(
            text("SELECT actor, db_user FROM audit_entry WHERE action = 'note'")
        ).one()
    assert stamped == (world.people["manager2"], world.people["manager2"])


def test_an_assistant_loses_access_when_the_assignment_ends(world):
    assert _count(world, "assistant", "holding") >= 1
    assert _run(world, "assistant", "UPDATE contact SET summary = 'x' WHERE client_id = :cid") >= 1
    # The other manager's client stays out of reach all along.
    with world.engine("assistant").connect() as conn:
        assert (
            conn.scalar(text("SELECT count(*) FROM client WHERE id = :o"), {"o": world.other}) == 0
        )
    owner = open_book(world.owner_url)
    try:
        with owner.session() as s:
            team.end_assistance(s, world.people["assistant"], world.people["manager1"])
        for table in TABLES:
            assert _count(world, "assistant", table) == 0, table
        assert (
            _run(world, "assistant", "UPDATE contact SET summary = 'x' WHERE client_id = :cid") == 0
        )
        assert _refused(world, "assistant", TABLES["contact"][2])
    finally:
        with owner.session() as s:  # back to work, for the other tests
            s.add(
                AssistantAssignment(
                    assistant=world.people["assistant"], manager=world.people["manager1"]
                )
            )
        owner.close()


def test_two_people_one_client_the_second_save_is_refused_naming_the_first(world):
    manager, assistant = world.book_as("manager1"), world.book_as("assistant")
    try:
        first = manager.read_session()
        mine = first.get(Client, world.cid)
        first.commit()  # read; the manager's screen shows it
        with assistant.session() as s:
            s.get(Client, world.cid).phone = "13900000000"
        mine.hobbies = "围棋"
        with pytest.raises(EditConflict, match=f"changed by {world.people['assistant']} at 20"):
            first.commit()
        first.rollback()
        first.close()
        with manager.session() as s:
            kept = s.get(Client, world.cid)
            assert kept.phone == "13900000000" and kept.hobbies != "围棋"
    finally:
        manager.close()
        assistant.close()


def test_a_managers_import_makes_the_clients_theirs(world, demo_book, tmp_path):
    from reviewdesk.exchange import export_workbook, import_files

    path = tmp_path / "book.xlsx"
    with demo_book.session() as s:
        export_workbook(s, path, lang="zh")
        expected = s.scalar(text("SELECT count(*) FROM client"))
    importer = world.book_as("manager3")
    try:
        report = import_files(importer, [path])
        assert report.problems == [] and report.applied, report.problems[:5]
    finally:
        importer.close()
    with world.engine("owner").connect() as conn:
        owners = conn.execute(
            text("SELECT owner, count(*) FROM client WHERE code NOT IN ('T1', 'T2') GROUP BY owner")
        ).all()
    assert owners == [(world.people["manager3"], expected)]
    with world.engine("manager2").connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM holding")) == conn.scalar(
            text(
                "SELECT count(*) FROM holding h JOIN snapshot s ON s.id = h.snapshot_id "
                "JOIN client c ON c.id = s.client_id WHERE c.code = 'T2'"
            )
        )


def test_a_person_who_leaves_can_no_longer_log_in(world):
    owner = open_book(world.owner_url)
    try:
        with owner.session() as s:
            team.add_user(s, world.people["manager1"] + "_temp", "compliance", PASSWORD)
        world.people["leaver"] = world.people["manager1"] + "_temp"
        assert _count(world, "leaver", "client") == 1
        world.engine("leaver").dispose()
        with owner.session() as s:
            team.remove_user(s, world.people["leaver"])
            (left,) = [p for p in team.members(s) if p.name == world.people["leaver"]]
            assert left.left_at is not None
        with pytest.raises(DBAPIError, match="not permitted to log in"):
            _count(world, "leaver", "client")
    finally:
        owner.close()
