"""Who a pack's cover names as "your relationship manager": on a book file the settings'
manager (one manager's book); on a team book the client's own manager, as the team's list
has them (`team_member.full_name`, `.phone`), whoever makes the pack.

The team book's tests run on the real server (tests/pg.py): skipped without
REVIEWDESK_TEST_PG, failed in CI without it.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from reviewdesk.book import team
from reviewdesk.book.db import open_book
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import TeamMember
from reviewdesk.pack.document import render_pack
from reviewdesk.review.build import build_review
from reviewdesk.settings import load_settings, save_setting
from tests import factories as f
from tests import pg

TODAY = dt.date(2026, 6, 15)
PASSWORD = "Cover-Pass-4711"
# The book-wide settings: the team's, no one manager's.
BOOK_MANAGER = ("周建国", "021-6000 0000")
WANG = ("王晓东", "021-6888 1234")
LI = ("李敏", "021-6888 5678")


def cover(book, client_id: int, lang: str = "zh") -> str:
    """The cover page's text, spaces squeezed out."""
    with book.session() as s:
        review = build_review(s, client_id, settings=load_settings(s), today=TODAY)
    first = PdfReader(io.BytesIO(render_pack(review, lang))).pages[0]
    return "".join(first.extract_text().split())


def squeeze(text: str) -> str:
    return "".join(text.split())


def _settings(session) -> None:
    save_setting(session, "bank_name", "示例银行")
    save_setting(session, "manager_name", BOOK_MANAGER[0])
    save_setting(session, "manager_phone", BOOK_MANAGER[1])


def _client(book, code: str, name: str) -> int:
    with book.session() as s:
        c = f.client(code=code, name=name)
        c.snapshots.append(f.snapshot(dt.date(2026, 5, 31), f.holding(value="250000")))
        s.add(c)
        s.flush()
        return c.id


def test_a_book_file_names_the_settings_manager(tmp_path):
    """One manager's book: the cover names the settings' manager and telephone, as before."""
    book = open_book(str(tmp_path / "b.sqlite"), passphrase=None)
    try:
        with book.session() as s:
            _settings(s)
        cid = _client(book, "C1", "张伟")
        page = cover(book, cid, "en")
        assert f"Preparedby{BOOK_MANAGER[0]},yourrelationshipmanager" in page
        assert f"Telephone:{squeeze(BOOK_MANAGER[1])}" in page
    finally:
        book.close()


class World:
    def __init__(self, database: str):
        self.database = database
        self.people: dict[str, str] = {}
        self.clients: dict[str, int] = {}

    def book_as(self, who: str):
        return open_book(pg.database_url(self.database, self.people[who], PASSWORD))


@pytest.fixture(scope="module")
def world():
    pg.server()
    with pg.new_database("rd_cover") as database:
        w = World(database)
        owner = open_book(pg.database_url(database))
        plan = [
            ("wang", "manager", "b1", (), *WANG),
            ("li", "manager", "b1", (), *LI),
            ("zhao", "manager", "b1", (), None, None),  # no name on record
            ("assistant", "assistant", None, ("wang",), None, None),
            ("supervisor", "supervisor", "b1", (), None, None),
            ("compliance", "compliance", None, (), None, None),
            ("admin", "admin", None, (), None, None),
        ]
        try:
            with owner.session() as s:
                _settings(s)
                for who, role, branch, assists, full_name, phone in plan:
                    w.people[who] = f"{database}_p_{who}"
                    team.add_user(
                        s,
                        w.people[who],
                        role,
                        PASSWORD,
                        branch=branch,
                        assists=[w.people[m] for m in assists],
                        full_name=full_name,
                        phone=phone,
                    )
        finally:
            owner.close()
        for who, code, name in (
            ("wang", "W1", "张伟"),
            ("li", "L1", "陈静"),
            ("zhao", "Z1", "刘洋"),
        ):
            book = w.book_as(who)
            try:
                w.clients[who] = _client(book, code, name)
            finally:
                book.close()
        yield w


def test_each_client_reads_their_own_manager_and_phone(world):
    """Found: on a team book every client's cover read "Prepared by 周建国, your
    relationship manager" and 周建国's telephone (the book-wide settings, kept by the
    admin), whoever managed the client."""
    for who, (name, phone) in (("wang", WANG), ("li", LI)):
        book = world.book_as(who)
        try:
            page = cover(book, world.clients[who])
            en = cover(book, world.clients[who], "en")
        finally:
            book.close()
        assert f"{name}" in page and squeeze(phone) in page
        assert f"Preparedby{name},yourrelationshipmanager" in en
        assert f"Telephone:{squeeze(phone)}" in en
        assert BOOK_MANAGER[0] not in page and squeeze(BOOK_MANAGER[1]) not in page


@pytest.mark.parametrize("who", ("assistant", "supervisor", "compliance"))
def test_whoever_makes_the_pack_names_the_clients_manager(world, who):
    """An assistant, the branch's supervisor and compliance read the manager's name and
    telephone too: their packs of Wang's client name Wang, not themselves nor the book's."""
    book = world.book_as(who)
    try:
        en = cover(book, world.clients["wang"], "en")
    finally:
        book.close()
    assert f"Preparedby{WANG[0]},yourrelationshipmanager" in en
    assert f"Telephone:{squeeze(WANG[1])}" in en


def test_a_manager_without_a_name_on_record_is_not_named(world):
    """Found: a manager with no name on record had the book-wide manager printed as their
    client's relationship manager, with that person's telephone."""
    book = world.book_as("zhao")
    try:
        en = cover(book, world.clients["zhao"], "en")
        zh = cover(book, world.clients["zhao"], "zh")
    finally:
        book.close()
    assert "yourrelationshipmanager" not in en and "Telephone" not in en
    assert BOOK_MANAGER[0] not in en + zh and squeeze(BOOK_MANAGER[1]) not in en + zh
    assert "示例银行" in zh  # the bank is the book's, as before


def test_after_a_hand_over_the_cover_names_the_new_manager(world):
    book = open_book(pg.database_url(world.database), upgrade=False)
    try:
        with book.session() as s:
            cid = _client_as_owner(s, "W2", "孙丽", world.people["wang"])
    finally:
        book.close()
    wang = world.book_as("wang")
    try:
        assert f"Preparedby{WANG[0]}," in cover(wang, cid, "en")
    finally:
        wang.close()
    supervisor = world.book_as("supervisor")
    try:
        with supervisor.session() as s:
            team.assign(s, "W2", world.people["li"])
    finally:
        supervisor.close()
    li = world.book_as("li")
    try:
        en = cover(li, cid, "en")
    finally:
        li.close()
    assert f"Preparedby{LI[0]},yourrelationshipmanager" in en
    assert f"Telephone:{squeeze(LI[1])}" in en and WANG[0] not in en


def _client_as_owner(session, code: str, name: str, owner: str) -> int:
    c = f.client(code=code, name=name, owner=owner)
    c.snapshots.append(f.snapshot(dt.date(2026, 5, 31), f.holding(value="90000")))
    session.add(c)
    session.flush()
    return c.id


def test_the_admin_alone_changes_a_managers_contact(world):
    """Everyone reads the team's list; only the admin (or the schema's owner) writes it, and
    a telephone that is none is refused naming the field and the value."""
    manager = world.book_as("li")
    try:
        with pytest.raises(team.NotAllowed), manager.session() as s:
            team.set_contact(s, world.people["li"], full_name="冒名者")
    finally:
        manager.close()
    engine = create_engine(pg.database_url(world.database, world.people["supervisor"], PASSWORD))
    try:
        with engine.connect() as conn:
            with pytest.raises(DBAPIError) as refused:
                conn.execute(text("UPDATE team_member SET phone = '110'"))
            assert refused.value.orig.sqlstate == "42501"
    finally:
        engine.dispose()
    # The admin opens no client data: the team's list through a session of their own.
    engine = create_engine(pg.database_url(world.database, world.people["admin"], PASSWORD))
    try:
        with pytest.raises(ValidationError) as bad, Session(engine) as s:
            team.set_contact(s, world.people["zhao"], phone="call me")
        assert bad.value.field == "phone" and bad.value.value == "call me"
        with Session(engine) as s, s.begin():
            person = team.set_contact(s, world.people["zhao"], full_name=" 赵磊 ", phone="")
        assert (person.full_name, person.phone) == ("赵磊", None)
        with Session(engine) as s, s.begin():
            assert s.get(TeamMember, world.people["zhao"]).full_name == "赵磊"
            team.set_contact(s, world.people["zhao"], full_name="")  # as it was
    finally:
        engine.dispose()


def test_the_email_draft_is_signed_by_the_clients_manager(world, monkeypatch, capsys, tmp_path):
    """Found: the `email` command's draft was from, and signed by, the book-wide manager on
    a team book, whoever managed the client."""
    import email
    from email import policy

    from sqlalchemy.engine import URL, make_url

    from reviewdesk.cli import main

    server = make_url(pg.server())
    url = URL.create(
        server.drivername,
        username=world.people["li"],
        host=server.host,
        port=server.port,
        database=world.database,
    ).render_as_string()
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    draft = tmp_path / "draft.eml"
    code = main(
        ["--db", url, "email", "L1", "--to", "c@example.com", "--confirm-recipient"]
        + ["-o", str(draft)]
    )
    _out, err = capsys.readouterr()
    assert code == 0, err
    message = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    body = message.get_body().get_content()
    # Signed by the client's manager (name, bank, telephone); no From: the mail program
    # fills in the sender's own account.
    assert message["From"] is None
    assert body.rstrip().endswith("\n".join([LI[0], "示例银行", LI[1]]))
    assert BOOK_MANAGER[0] not in body and BOOK_MANAGER[1] not in body
