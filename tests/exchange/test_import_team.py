"""The Clients sheet's manager column (客户经理): on a team book a workbook's clients go to
the importing manager or to the one the column names, where the importer may name them;
a refused name is a row problem naming the cell. A book file ignores the column (noted)
and its export leaves it out; a team book's export writes it."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from reviewdesk.book import team
from reviewdesk.book.db import open_book
from reviewdesk.book.models import Client
from reviewdesk.exchange import export_workbook, import_files, schema
from tests import factories as f
from tests import pg
from tests.exchange import workbooks

PASSWORD = "Import-Pass-123"
KEYS = ["client_id", "name", "manager"]
HOLDING_KEYS = ["asset_class", "product_name", "currency", "market_value"]


@pytest.fixture(scope="module")
def world():
    pg.server()
    with pg.new_database("rd_imp") as database:
        owner = open_book(pg.database_url(database))
        people = {w: f"{database}_{w}" for w in ("m1", "m2", "m3", "a12", "a1", "sup")}
        with owner.session() as s:
            for who, branch in (("m1", "b1"), ("m2", "b1"), ("m3", "b2")):
                team.add_user(s, people[who], "manager", PASSWORD, branch=branch)
            team.add_user(
                s, people["a12"], "assistant", PASSWORD, assists=[people["m1"], people["m2"]]
            )
            team.add_user(s, people["a1"], "assistant", PASSWORD, assists=[people["m1"]])
            team.add_user(s, people["sup"], "supervisor", PASSWORD, branch="b1")
        owner.close()
        people["database"] = database
        yield people


def _book(world, who):
    return open_book(pg.database_url(world["database"], world[who], PASSWORD))


def _sheet(path, rows, lang="zh"):
    return workbooks.write(
        path,
        {schema.CLIENTS.name(lang): [workbooks.header(schema.CLIENTS, lang, KEYS), *rows]},
    )


def _owners(world) -> dict[str, str | None]:
    engine = create_engine(pg.database_url(world["database"]))
    try:
        with engine.connect() as conn:
            return dict(conn.execute(text("SELECT code, owner FROM client")).all())
    finally:
        engine.dispose()


def _import(world, who, path):
    book = _book(world, who)
    try:
        return import_files(book, [path])
    finally:
        book.close()


def test_a_manager_imports_for_themselves_and_may_name_no_one_else(world, tmp_path):
    m1, m2 = world["m1"], world["m2"]
    refused = _sheet(
        tmp_path / "r.xlsx", [["MA1", "甲", None], ["MA2", "乙", m1], ["MA3", "丙", m2]]
    )
    report = _import(world, "m1", refused)
    assert not report.applied
    (problem,) = report.problems
    assert (problem.row, problem.column, problem.value) == (4, "客户经理", m2)
    assert "may name only themselves" in problem.reason
    assert not {"MA1", "MA2", "MA3"} & set(_owners(world))
    ok = _sheet(tmp_path / "ok.xlsx", [["MA1", "甲", None], ["MA2", "乙", m1]])
    assert _import(world, "m1", ok).applied
    owners = _owners(world)
    assert owners["MA1"] == owners["MA2"] == m1


def test_an_assistant_names_a_manager_they_assist(world, tmp_path):
    m2, m3 = world["m2"], world["m3"]
    path = _sheet(tmp_path / "a.xlsx", [["AS1", "丁", None], ["AS2", "戊", m2], ["AS3", "己", m3]])
    report = _import(world, "a12", path)
    problems = {(p.row, p.column): p.reason for p in report.problems}
    assert set(problems) == {(2, "客户经理"), (4, "客户经理")}, report.problems
    assert "assist more than one manager" in problems[(2, "客户经理")]
    assert f"you do not assist {m3}" in problems[(4, "客户经理")]
    ok = _sheet(tmp_path / "ok.xlsx", [["AS2", "戊", m2]])
    assert _import(world, "a12", ok).applied
    # An assistant of one manager needs no column: the client is that manager's.
    single = _sheet(tmp_path / "one.xlsx", [["AS4", "庚", None]])
    assert _import(world, "a1", single).applied
    owners = _owners(world)
    assert (owners["AS2"], owners["AS4"]) == (m2, world["m1"])


def test_a_supervisor_hands_clients_over_within_the_branch(world, tmp_path):
    m1, m2, m3 = world["m1"], world["m2"], world["m3"]
    book = _book(world, "m1")
    try:
        with book.session() as s:
            s.add_all([f.client("SV1", "辛"), f.client("SV2", "壬")])
    finally:
        book.close()
    refused = _sheet(tmp_path / "r.xlsx", [["SV1", "辛", m2], ["SV2", "壬", m3]])
    report = _import(world, "sup", refused)
    (problem,) = report.problems
    assert (problem.row, problem.column) == (3, "客户经理")
    assert "not a manager of your branch b1" in problem.reason
    ok = _sheet(tmp_path / "ok.xlsx", [["SV1", "辛", m2], ["SV2", "壬", m1]])
    report = _import(world, "sup", ok)
    assert report.applied and report.count("客户").updated == 1, report.problems
    owners = _owners(world)
    assert (owners["SV1"], owners["SV2"]) == (m2, m1)
    engine = create_engine(pg.database_url(world["database"]))
    try:
        with engine.connect() as conn:
            event = conn.execute(
                text(
                    "SELECT a.detail, a.actor FROM audit_entry a JOIN client c "
                    "ON c.id = a.client_id WHERE c.code = 'SV1' AND a.action = 'handover'"
                )
            ).one()
    finally:
        engine.dispose()
    assert event == (f"from {m1} to {m2}", world["sup"])
    # A manager cannot hand over, even naming themselves for a client they co-manage.
    back = _sheet(tmp_path / "back.xlsx", [["MA1", "甲", m2]])
    (problem,) = _import(world, "m1", back).problems
    assert "may name only themselves" in problem.reason


def test_a_team_books_export_writes_the_manager_and_reads_back_unchanged(world, tmp_path):
    book = _book(world, "m1")
    path = tmp_path / "team.xlsx"
    try:
        with book.session() as s:
            export_workbook(s, path, lang="zh")
        report = import_files(book, [path])
    finally:
        book.close()
    ws = load_workbook(path)[schema.CLIENTS.name("zh")]
    header = [c.value for c in ws[1]]
    assert header[-1] == "客户经理"
    managers = {row[0]: row[-1] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert managers["MA1"] == world["m1"]
    assert report.applied and report.problems == [], report.problems
    assert report.count("客户").updated == 0


def test_a_book_file_leaves_the_column_out_and_ignores_it_with_a_note(book, tmp_path):
    path = _sheet(tmp_path / "w.xlsx", [["F1", "甲", "someone"], ["F2", "乙", "other"]])
    report = import_files(book, [path])
    assert report.applied and report.problems == []
    (note,) = report.warnings
    assert (note.row, note.column) == (2, "客户经理")
    assert "manager column is for a team book" in note.reason
    out = tmp_path / "out.xlsx"
    with book.session() as s:
        export_workbook(s, out, lang="zh")
        assert {c.owner for c in s.query(Client)} == {None}
    header = [c.value for c in load_workbook(out)[schema.CLIENTS.name("zh")][1]]
    assert "客户经理" not in header and header[-1] == "证件号码"


def test_an_import_is_in_a_team_books_trail_once(world, tmp_path):
    """The database records each row the import writes; the import adds its event."""
    holdings = [
        workbooks.header(schema.HOLDINGS, "en", ["client_id", "review_date", *HOLDING_KEYS]),
        ["AU1", "2026-03-31", "fund", "易方达蓝筹", "CNY", 1000],
        ["AU1", "2026-03-31", "deposit", "定期存款", "CNY", 2000],
    ]
    path = workbooks.write(
        tmp_path / "au.xlsx",
        {
            "Clients": [workbooks.header(schema.CLIENTS, "en", KEYS[:2]), ["AU1", "癸"]],
            "Holdings": holdings,
        },
    )
    assert _import(world, "m1", path).applied
    engine = create_engine(pg.database_url(world["database"]))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT a.action, a.record, count(*) FROM audit_entry a JOIN client c "
                    "ON c.id = a.client_id WHERE c.code = 'AU1' GROUP BY a.action, a.record"
                )
            ).all()
            events = conn.execute(
                text("SELECT actor, detail FROM audit_entry WHERE action = 'import'")
            ).all()
    finally:
        engine.dispose()
    counts = {(action, record): n for action, record, n in rows}
    assert counts[("create", "Snapshot")] == 1 and counts[("create", "Holding")] == 2
    assert [actor for actor, detail in events if detail.startswith("au.xlsx: ")] == [world["m1"]]
