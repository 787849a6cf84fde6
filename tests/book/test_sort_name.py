"""Names in pinyin order (0014): a client's sort name is its name with the Chinese in
pinyin (`text.sort_name`), kept by the book with every change of the name; the client
list, `clients`, the agenda, the calendar and the segments sort by it, and their searches
find a name by its pinyin or its initials. Upgrading works it out for the clients there
are (on a team book without an audit entry each); downgrading keeps every row."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from reviewdesk.book import team
from reviewdesk.book.db import open_book
from reviewdesk.book.models import AuditEntry, Client, RiskAssessment
from reviewdesk.book.queries import client_basics
from reviewdesk.migrations import runner
from reviewdesk.review.agenda import build_agenda
from reviewdesk.review.calendar_grid import build_grid
from reviewdesk.review.client_list import list_client_rows, list_clients
from reviewdesk.review.segments import segment_book
from reviewdesk.text import name_matches, sort_name
from tests import factories as f
from tests import pg

TODAY = dt.date(2026, 6, 15)
# In code-point order the Latin names came first and the Chinese after them, 丁 (U+4E01)
# before 万 (U+4E07) before 严 before 张 before 曾 before 陈.
NAMES = (
    "陈大文",
    "Daniel Lam",
    "丁远刚",
    "曾国藩",
    "万芳涵",
    "Amy Wong",
    "严磊志",
    "张伟",
    "单雄信",
)
IN_ORDER = [
    "Amy Wong",
    "陈大文",
    "Daniel Lam",
    "丁远刚",
    "单雄信",
    "万芳涵",
    "严磊志",
    "曾国藩",
    "张伟",
]


def test_a_sort_name_is_the_pinyin_and_a_surname_is_read_as_one():
    assert sort_name("张伟") == "zhang wei"
    assert sort_name("曾国藩") == "zeng guo fan"  # not "ceng"
    assert sort_name("单雄信") == "shan xiong xin"  # not "dan"
    assert sort_name("欧阳娜娜") == "ou yang na na"
    assert sort_name("Daniel Lam") == "daniel lam"
    assert sort_name("  ＤＡＮＩＥＬ  lam ") == "daniel lam"  # full width, case, spaces
    assert sort_name("李 Anna-Maria") == "li anna maria"
    assert sort_name("张三2号") == "zhang san 2 hao"
    assert sort_name("") == ""
    assert sort_name("—？") == "—?"  # never empty for a name: empty is "not written"
    assert len(sort_name("张" * 200)) == 200 * 6 - 1
    assert len(sort_name("\ufdfa" * 200)) == 1400  # NFKC's widest: cut at the column's size


@pytest.mark.parametrize(
    ("needle", "found"),
    [
        ("zhang", True),
        ("zhangw", True),
        ("Zhang Wei", True),
        ("wei", True),
        ("zw", True),
        ("z", True),
        ("张", True),
        ("伟", True),
        ("wz", False),
        ("li", False),
        ("", True),
    ],
)
def test_a_search_finds_a_chinese_name_by_its_pinyin_or_initials(needle, found):
    assert name_matches("张伟", sort_name("张伟"), needle) is found


def test_a_search_finds_a_latin_name_as_before_and_by_its_initials():
    kept = sort_name("Daniel Lam")
    assert all(name_matches("Daniel Lam", kept, n) for n in ("dan", "LAM", "iel l", "dl", "ｌａｍ"))
    assert not name_matches("Daniel Lam", kept, "ld")


def _renamed_fields(book, cid: int) -> list[str]:
    """The fields of the trail's entries for a client's update."""
    with book.session() as s:
        return list(
            s.scalars(
                select(AuditEntry.field).where(
                    AuditEntry.client_id == cid, AuditEntry.action == "update"
                )
            )
        )


def test_the_book_keeps_the_sort_name_with_every_change_of_the_name(book):
    with book.session() as s:
        client = f.client(code="S1", name="曾国藩")
        s.add(client)
        s.flush()
        cid = client.id
    with book.session() as s:
        assert s.get(Client, cid).sort_name == "zeng guo fan"
        s.get(Client, cid).name = "Grace Wong"
    with book.session() as s:
        assert s.get(Client, cid).sort_name == "grace wong"
    # The trail says the name changed, once: the sort name follows it.
    assert _renamed_fields(book, cid) == ["name"]


def _fill(book) -> dict[str, int]:
    ids = {}
    with book.session() as s:
        for n, name in enumerate(NAMES):
            client = f.client(code=f"N{n}", name=name)
            client.snapshots = [
                f.snapshot(dt.date(2026, 3, 31), f.holding("Deposit", str(1000 + n), "CNY"))
            ]
            client.assessments.append(
                RiskAssessment(
                    assessed_on=dt.date(2025, 6, 1),
                    level="C3",
                    score=10,
                    valid_until=dt.date(2026, 6, 1),
                )
            )
            s.add(client)
            s.flush()
            ids[name] = client.id
    return ids


def test_every_list_of_clients_is_in_pinyin_order(book):
    """The client list's rows, `clients`, the calendar's rows and each day of the agenda
    go by the sort name."""
    ids = _fill(book)
    with book.session() as s:
        assert [c.name for c in client_basics(s)] == IN_ORDER
        assert [c.name for c in list_clients(s, TODAY)] == IN_ORDER
        assert [r.summary.name for r in list_client_rows(s, TODAY)] == IN_ORDER
        assert [r.name for r in build_grid(s, TODAY, TODAY, TODAY).view()] == IN_ORDER
        agenda = build_agenda(s, TODAY, 7)
        by_kind: dict[object, list[str]] = {}
        for line in agenda.lines:
            by_kind.setdefault((line.day, line.kind), []).append(line.client_name)
        overdue = [names for names in by_kind.values() if len(names) == len(NAMES)]
        assert overdue and all(names == IN_ORDER for names in overdue), by_kind
        segments = segment_book(s, TODAY)
        assert {r.client_id for r in segments.rows} == set(ids.values())
    with book.session() as s:
        found = client_basics(s, search="zw")
        assert [c.name for c in found] == ["张伟"]
        assert [c.name for c in client_basics(s, search="ZENG")] == ["曾国藩"]
        assert [c.name for c in client_basics(s, search="N1")] == ["Daniel Lam"]  # the code
        grid = build_grid(s, TODAY, TODAY, TODAY)
        assert [r.name for r in grid.view(search="shan")] == ["单雄信"]


def test_a_client_written_outside_the_models_is_placed_by_its_name(book):
    """A hand-typed INSERT leaves the sort name empty: the lists work it out."""
    _fill(book)
    with book.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO client (code, name, tier, report_currency, language, "
                "review_cadence, created_at, updated_at, version) VALUES ('H1', '邓丽君', "
                "'standard', 'CNY', 'zh', NULL, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            )
        )
    with book.session() as s:
        names = [c.name for c in client_basics(s)]
        assert names.index("邓丽君") == names.index("Daniel Lam") + 1  # deng after daniel
        assert [c.name for c in client_basics(s, search="dlj")] == ["邓丽君"]
        rows = [r.summary.name for r in list_client_rows(s, TODAY)]
        assert rows == names


def test_upgrading_works_the_sort_names_out_and_downgrading_keeps_every_row(book):
    ids = _fill(book)

    def counts():
        with book.engine.connect() as conn:
            return [
                conn.scalar(select(func.count()).select_from(text(t)))
                for t in ("client", "snapshot", "holding", "risk_assessment")
            ]

    before = counts()
    runner.downgrade(book.engine, "0013_latest_assessment")
    assert "sort_name" not in {c["name"] for c in inspect(book.engine).get_columns("client")}
    assert counts() == before  # not a copy of the table that its foreign keys emptied
    runner.upgrade(book.engine)
    with book.session() as s:
        kept = dict(s.execute(select(Client.id, Client.sort_name)).all())
    assert kept == {cid: sort_name(name) for name, cid in ids.items()}


@pytest.fixture(scope="module")
def team_book():
    pg.server()
    with pg.new_database("rd_sort") as database:
        owner = open_book(pg.database_url(database))
        with owner.session() as s:
            team.add_user(s, f"{database}_m1", "manager", "Sort-Pass-4711", branch="b1")
        owner.close()
        m1 = open_book(pg.database_url(database, f"{database}_m1", "Sort-Pass-4711"))
        try:
            _fill(m1)
        finally:
            m1.close()
        yield database


def test_on_a_team_book_the_upgrade_writes_no_audit_entry(team_book):
    owner = create_engine(pg.database_url(team_book))
    try:
        runner.downgrade(owner, "0013_latest_assessment")
        with owner.connect() as conn:
            entries = conn.scalar(select(func.count()).select_from(AuditEntry))
        runner.upgrade(owner)
        with owner.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(AuditEntry)) == entries
            kept = dict(conn.execute(select(Client.name, Client.sort_name)).all())
            triggers = conn.scalar(
                text(
                    "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'client'::regclass "
                    "AND NOT tgisinternal AND tgenabled = 'D'"
                )
            )
        assert kept == {name: sort_name(name) for name in NAMES}
        assert triggers == 0  # the audit trigger is on again
    finally:
        owner.dispose()
    # The manager renames a client: the trail has the name's entry alone.
    m1 = open_book(pg.database_url(team_book, f"{team_book}_m1", "Sort-Pass-4711"), upgrade=False)
    try:
        with m1.session() as s:
            client = s.scalars(select(Client).where(Client.name == "张伟")).one()
            client.name = "李娜"
            cid = client.id
        with m1.session() as s:
            assert s.get(Client, cid).sort_name == "li na"
        assert _renamed_fields(m1, cid) == ["name"]
    finally:
        m1.close()
