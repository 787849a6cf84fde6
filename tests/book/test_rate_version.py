"""An exchange rate's save counter (0011): a rate saved over a change someone else saved
since it was read is refused, naming who and when, nothing overwritten; on the default
encrypted book and on a team book on PostgreSQL. Upgrading gives the rates already there
their counter; downgrading takes it away and keeps the rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, inspect, select, text

from reviewdesk.book import team
from reviewdesk.book.db import open_book
from reviewdesk.book.editing import delete_record, update_fields
from reviewdesk.book.models import AuditEntry, FxRate
from reviewdesk.book.versions import EditConflict
from reviewdesk.migrations import runner
from tests import factories as f
from tests import pg
from tests.conftest import PASSPHRASE

DAY = dt.date(2026, 5, 31)
COLLEAGUE = "li.na"
PASSWORD = "Rate-Pass-4711"


def _client_with_a_rate(book, code: str) -> int:
    """A client whose snapshot converts USD at 7.1; the rate's id."""
    with book.session() as s:
        c = f.client(code=code, name="王芳")
        c.snapshots.append(
            f.snapshot(DAY, f.holding("美元存款", currency="USD"), rates={("USD", "CNY"): "7.1"})
        )
        s.add(c)
        s.flush()
        return c.snapshots[0].rates[0].id


def _read(book, rate_id: int):
    """A screen's read of the rate: its own session, the rate as it was then."""
    session = book.read_session()
    rate = session.get(FxRate, rate_id)
    session.commit()
    return session, rate


@pytest.fixture
def colleague(book):
    """A second person on the same encrypted book file."""
    other = open_book(str(book.path), passphrase=PASSPHRASE, actor=COLLEAGUE)
    yield other
    other.close()


def test_a_rate_saved_over_a_colleagues_change_is_refused_naming_who_and_when(book, colleague):
    rate_id = _client_with_a_rate(book, "R1")
    session, mine = _read(book, rate_id)
    assert mine.version == 1
    with colleague.session() as s:
        s.get(FxRate, rate_id).rate = Decimal("7.25")
    mine.rate = Decimal("7.3")
    with pytest.raises(
        EditConflict,
        match=(
            rf"Exchange rate USD/CNY \({rate_id}\) was changed by {COLLEAGUE} "
            rf"at 20\d\d-.+ since you"
        ),
    ) as caught:
        session.commit()
    (changed,) = caught.value.changed
    assert (changed.who, changed.deleted) == (COLLEAGUE, False)
    assert changed.when is not None and changed.when.date() >= DAY
    session.rollback()
    session.close()
    with book.session() as s:
        kept = s.get(FxRate, rate_id)
        assert (kept.rate, kept.version) == (Decimal("7.25"), 2)


def test_a_rate_deleted_or_changed_meanwhile_is_not_written_by_the_desk(book, colleague):
    rate_id = _client_with_a_rate(book, "R2")
    with book.session() as s:
        shown = s.get(FxRate, rate_id).version
    with colleague.session() as s:
        s.get(FxRate, rate_id).rate = Decimal("6.9")
    with book.session() as s, pytest.raises(EditConflict, match=f"changed by {COLLEAGUE}"):
        delete_record(s, FxRate, rate_id, shown)
    with colleague.session() as s:
        s.delete(s.get(FxRate, rate_id))
    with book.session() as s, pytest.raises(EditConflict, match=f"deleted by {COLLEAGUE}"):
        update_fields(s, FxRate, rate_id, {"rate": Decimal("7")}, shown + 1)
    with book.session() as s:
        assert s.get(FxRate, rate_id) is None


def test_saving_a_rate_counts_up_and_the_trail_leaves_the_counter_out(book):
    rate_id = _client_with_a_rate(book, "R3")
    for value in ("7.2", "7.3"):
        with book.session() as s:
            s.get(FxRate, rate_id).rate = Decimal(value)
    with book.session() as s:
        assert s.get(FxRate, rate_id).version == 3
        fields = s.scalars(
            select(AuditEntry.field).where(
                AuditEntry.record == "FxRate", AuditEntry.record_id == rate_id
            )
        ).all()
    assert fields and "version" not in fields and "rate" in fields


def test_downgrade_drops_the_counter_and_upgrade_gives_every_rate_one(book):
    rate_id = _client_with_a_rate(book, "R4")
    with book.session() as s:
        s.get(FxRate, rate_id).rate = Decimal("7.2")  # counted up to 2
    runner.downgrade(book.engine, "0010_policy_speed")
    columns = {c["name"] for c in inspect(book.engine).get_columns("fx_rate")}
    assert "version" not in columns and "rate" in columns
    with book.engine.connect() as conn:
        assert conn.execute(text("SELECT rate FROM fx_rate WHERE id = :i"), {"i": rate_id}).one()
    runner.upgrade(book.engine)
    assert runner.state(book.engine).current == runner.HEAD
    with book.session() as s:
        kept = s.get(FxRate, rate_id)
        assert (kept.rate, kept.version) == (Decimal("7.2"), 1)


# --- a team book on PostgreSQL -------------------------------------------------------


@pytest.fixture(scope="module")
def team_book():
    """A manager's client with a rate, and an assistant working for the manager."""
    pg.server()
    with pg.new_database("rd_rate") as database:
        owner = open_book(pg.database_url(database))
        people = {who: f"{database}_p_{who}" for who in ("m1", "a1")}
        with owner.session() as s:
            team.add_user(s, people["m1"], "manager", PASSWORD, branch="b1")
            team.add_user(s, people["a1"], "assistant", PASSWORD, assists=[people["m1"]])
        owner.close()
        m1 = open_book(pg.database_url(database, people["m1"], PASSWORD))
        try:
            rate_id = _client_with_a_rate(m1, "P1")
        finally:
            m1.close()
        yield database, people, rate_id


def _as(team_book, who: str):
    database, people, _rate = team_book
    return open_book(pg.database_url(database, people[who], PASSWORD), upgrade=False)


def test_on_a_team_book_the_second_save_of_a_rate_is_refused_naming_the_first(team_book):
    _db, people, rate_id = team_book
    manager, assistant = _as(team_book, "m1"), _as(team_book, "a1")
    try:
        session, mine = _read(manager, rate_id)
        before = mine.version
        with assistant.session() as s:
            s.get(FxRate, rate_id).rate = Decimal("7.15")
        mine.rate = Decimal("7.3")
        with pytest.raises(
            EditConflict,
            match=rf"Exchange rate USD/CNY \({rate_id}\) was changed by {people['a1']} at 20\d\d-",
        ):
            session.commit()
        session.rollback()
        session.close()
        with manager.session() as s:
            kept = s.get(FxRate, rate_id)
            assert (kept.rate, kept.version) == (Decimal("7.15"), before + 1)
            # The database's trail: the rate's change, by the assistant; no entry for the
            # counter.
            entries = s.execute(
                select(AuditEntry.field, AuditEntry.actor).where(
                    AuditEntry.record == "FxRate",
                    AuditEntry.record_id == rate_id,
                    AuditEntry.action == "update",
                )
            ).all()
        assert (("rate", people["a1"]) in entries) and all(e.field != "version" for e in entries)
    finally:
        manager.close()
        assistant.close()


def test_on_a_team_book_downgrade_and_upgrade_keep_the_rates_and_their_grants(team_book):
    database, people, rate_id = team_book
    owner = create_engine(pg.database_url(database))
    try:
        runner.downgrade(owner, "0010_policy_speed")
        try:
            assert "version" not in {c["name"] for c in inspect(owner).get_columns("fx_rate")}
        finally:
            runner.upgrade(owner)
        assert runner.state(owner).current == runner.HEAD
        with owner.connect() as conn:
            assert (
                conn.scalar(text("SELECT version FROM fx_rate WHERE id = :i"), {"i": rate_id}) == 1
            )
    finally:
        owner.dispose()
    # The groups' grants cover the column: the manager's save counts it up.
    manager = _as(team_book, "m1")
    try:
        with manager.session() as s:
            s.get(FxRate, rate_id).rate = Decimal("7.05")
        with manager.session() as s:
            assert s.get(FxRate, rate_id).version == 2
    finally:
        manager.close()


def test_on_a_team_book_an_import_changing_a_rate_refuses_a_save_read_before(team_book, tmp_path):
    from openpyxl import load_workbook

    from reviewdesk.exchange import export_workbook, import_files, schema

    _db, _people, rate_id = team_book
    manager = _as(team_book, "m1")
    try:
        path = tmp_path / "book.xlsx"
        with manager.session() as s:
            export_workbook(s, path, lang="en")
        session, mine = _read(manager, rate_id)
        read = mine.version
        wb = load_workbook(path)
        ws = wb[schema.FX.name("en")]
        column = [c.value for c in ws[1]].index("rate")
        (row,) = [r for r in ws.iter_rows(min_row=2) if r[0].value is not None]
        new_rate = Decimal(str(row[column].value)) + Decimal("0.5")
        row[column].value = str(new_rate)
        wb.save(path)
        report = import_files(manager, [path])
        assert report.applied and report.count("FX").updated == 1
        mine.rate = Decimal("1")
        with pytest.raises(EditConflict, match=rf"Exchange rate USD/CNY \({rate_id}\) was changed"):
            session.commit()
        session.rollback()
        session.close()
        with manager.session() as s:
            kept = s.get(FxRate, rate_id)
            assert kept.rate == new_rate and kept.version == read + 1
    finally:
        manager.close()
