"""Two people at once on a team book, each on a connection of their own: a key taken
meanwhile, two imports racing for one client, two saves waiting on each other. Each ends
with one sentence (who holds what, try again), never the driver's words, and nothing of
the losing change is kept.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, text

from reviewdesk.book import team
from reviewdesk.book.concurrency import ConcurrentChange, KeyTaken
from reviewdesk.book.db import open_book
from reviewdesk.book.models import Client
from reviewdesk.book.versions import EditConflict
from reviewdesk.exchange import import_files, schema
from tests import factories as f
from tests import pg
from tests.exchange import workbooks

PASSWORD = "Race-Pass-123"
DRIVER_WORDS = ("UniqueViolation", "IntegrityError", "psycopg", "duplicate key", "DETAIL")


@pytest.fixture(scope="module")
def world():
    pg.server()
    with pg.new_database("rd_race") as database:
        owner = open_book(pg.database_url(database))
        people = {who: f"{database}_{who}" for who in ("m1", "m2")}
        with owner.session() as s:
            for login in people.values():
                team.add_user(s, login, "manager", PASSWORD, branch="b1")
        owner.close()
        people["database"] = database
        yield people


def _book(world, who):
    return open_book(pg.database_url(world["database"], world[who], PASSWORD))


def _clients_workbook(path, rows):
    keys = ["client_id", "name", "phone"]
    return workbooks.write(
        path, {schema.CLIENTS.name("zh"): [workbooks.header(schema.CLIENTS, "zh", keys), *rows]}
    )


def _codes(world) -> dict[str, str]:
    engine = create_engine(pg.database_url(world["database"]))
    try:
        with engine.connect() as conn:
            return dict(conn.execute(text("SELECT code, owner FROM client")).all())
    finally:
        engine.dispose()


def _plain(message: str) -> None:
    for words in DRIVER_WORDS:
        assert words not in message, message


def test_a_code_held_by_a_client_out_of_sight_is_one_sentence(world, tmp_path):
    m1, m2 = _book(world, "m1"), _book(world, "m2")
    try:
        with m1.session() as s:
            s.add(f.client(code="HID1", name="张伟"))
        path = _clients_workbook(
            tmp_path / "w.xlsx", [["NEW1", "李娜", None], ["HID1", "王芳", None]]
        )
        with pytest.raises(KeyTaken) as caught:
            import_files(m2, [path])
        message = str(caught.value)
        # Under row-level security the server does not say which of the batch's codes
        # it was: the sentence names the batch's.
        assert message.startswith(
            "One of the client codes HID1, NEW1 is already held by a client you cannot see"
        )
        assert "nothing of this change was saved" in message
        _plain(message)
        one = _clients_workbook(tmp_path / "one.xlsx", [["HID1", "王芳", None]])
        with pytest.raises(KeyTaken) as caught:
            import_files(m2, [one])
        assert str(caught.value) == (
            "Client code HID1 is already held by a client you cannot see (another manager's), "
            "saved by someone else meanwhile; nothing of this change was saved. Use another "
            "code, or try again to update that client."
        )
        codes = _codes(world)
        assert "NEW1" not in codes and codes["HID1"] == world["m1"]  # nothing half-written
    finally:
        m1.close()
        m2.close()


def test_two_imports_racing_for_one_client_the_second_names_the_holder(world, tmp_path):
    first, second = _book(world, "m1"), _book(world, "m1")  # two windows of one manager
    path = _clients_workbook(
        tmp_path / "w.xlsx", [["RACE1", "赵敏", None], ["RACE2", "周芷若", None]]
    )
    outcome: list[BaseException | object] = []
    try:
        holding = first.read_session()
        holding.add(f.client(code="RACE2", name="周芷若"))
        holding.flush()  # the key is taken, not yet committed

        def run():
            try:
                outcome.append(import_files(second, [path]))
            except BaseException as exc:  # noqa: BLE001 - the outcome is what is tested
                outcome.append(exc)

        racer = threading.Thread(target=run)
        racer.start()
        time.sleep(1.5)
        assert not outcome, "the second import must wait for the key's holder"
        holding.commit()
        holding.close()
        racer.join(60)
        (result,) = outcome
        assert isinstance(result, KeyTaken), result
        assert str(result).startswith(
            f"Client code RACE2 is already held by a client of {world['m1']}"
        )
        _plain(str(result))
        codes = _codes(world)
        assert "RACE1" not in codes and "RACE2" in codes
        # Tried again, the import updates the client now in the book.
        report = import_files(second, [path])
        assert report.applied and report.problems == []
    finally:
        first.close()
        second.close()


def test_an_import_over_a_change_saved_meanwhile_is_refused_naming_who(world, tmp_path):
    editor, importer = _book(world, "m2"), _book(world, "m2")
    try:
        with editor.session() as s:
            s.add(f.client(code="UPD1", name="杨过"))
        path = _clients_workbook(tmp_path / "w.xlsx", [["UPD1", "杨过", "13900000002"]])
        holding = editor.read_session()
        client = holding.query(Client).filter_by(code="UPD1").one()
        client.phone = "13900000003"
        holding.flush()  # the row is locked by this save, not yet committed
        outcome: list[BaseException | object] = []

        def run():
            try:
                outcome.append(import_files(importer, [path]))
            except BaseException as exc:  # noqa: BLE001
                outcome.append(exc)

        racer = threading.Thread(target=run)
        racer.start()
        time.sleep(1.5)
        holding.commit()
        holding.close()
        racer.join(60)
        (result,) = outcome
        assert isinstance(result, EditConflict), result
        assert f"changed by {world['m2']}" in str(result)
        _plain(str(result))
        with editor.session() as s:
            assert s.query(Client).filter_by(code="UPD1").one().phone == "13900000003"
    finally:
        editor.close()
        importer.close()


def test_two_saves_waiting_on_each_other_one_gives_way_in_one_sentence(world):
    a, b = _book(world, "m1"), _book(world, "m1")
    try:
        with a.session() as s:
            s.add_all([f.client(code="DL1", name="甲"), f.client(code="DL2", name="乙")])
        ready = threading.Barrier(2)
        outcome: dict[str, BaseException | None] = {}

        def save(book, label, first, second):
            try:
                with book.session() as s:
                    s.query(Client).filter_by(code=first).one().hobbies = label
                    s.flush()
                    ready.wait(10)
                    s.query(Client).filter_by(code=second).one().hobbies = label
                    s.flush()
                outcome[label] = None
            except BaseException as exc:  # noqa: BLE001
                outcome[label] = exc

        threads = [
            threading.Thread(target=save, args=(a, "a", "DL1", "DL2")),
            threading.Thread(target=save, args=(b, "b", "DL2", "DL1")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        errors = [e for e in outcome.values() if e is not None]
        assert len(outcome) == 2 and len(errors) == 1, outcome
        (error,) = errors
        assert isinstance(error, ConcurrentChange), error
        assert str(error) == (
            "Someone else changed the same records at the same moment; nothing of this "
            "change was saved. Try again."
        )
        (winner,) = [label for label, e in outcome.items() if e is None]
        with a.session() as s:
            kept = {c.code: c.hobbies for c in s.query(Client).filter(Client.code.like("DL%"))}
        assert kept == {"DL1": winner, "DL2": winner}
    finally:
        a.close()
        b.close()
