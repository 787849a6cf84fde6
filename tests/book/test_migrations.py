import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from reviewdesk.book.db import make_engine, open_book
from reviewdesk.book.errors import BookError
from reviewdesk.book.models import Base
from reviewdesk.migrations import runner


# SQLite's reflection cannot read indexes on expressions (0012's, on a date's month and
# day): Alembic skips them here, and tests/book/test_calendar_days.py compares their SQL.
@pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_empty_database_migrates_to_head_and_matches_the_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'b.sqlite'}")
    runner.upgrade(engine)
    state = runner.state(engine)
    assert state.current == state.head
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []
    assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)
    engine.dispose()


def test_downgrade_to_base_and_up_again(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'b.sqlite'}")
    runner.upgrade(engine)
    runner.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    runner.upgrade(engine)
    assert "holding" in inspect(engine).get_table_names()
    engine.dispose()


def test_open_book_creates_the_schema_once(tmp_path):
    path = tmp_path / "b.sqlite"
    open_book(str(path)).close()
    open_book(str(path)).close()  # already at head: nothing to do, no backup
    assert not (tmp_path / "backups").exists()


def test_a_foreign_database_is_not_taken_for_a_book(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(BookError, match="not a ReviewDesk book"):
        open_book(str(path))


def test_an_older_book_is_backed_up_before_upgrade(tmp_path, monkeypatch):
    path = tmp_path / "b.sqlite"
    open_book(str(path)).close()
    real_state = runner.state

    def older(engine):
        s = real_state(engine)
        return runner.State(current="0000_older", head=s.head, has_foreign_tables=False)

    monkeypatch.setattr(runner, "state", older)
    monkeypatch.setattr(runner, "upgrade", lambda engine: None)
    open_book(str(path)).close()
    backups = list((tmp_path / "backups").glob("b-*-before-*.sqlite"))
    assert len(backups) == 1
    check = sqlite3.connect(backups[0])
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert check.execute("SELECT version_num FROM alembic_version").fetchone()
    check.close()


def test_the_head_named_in_the_runner_is_alembics_head():
    """Opening a current book compares against runner.HEAD without importing Alembic."""
    assert runner.HEAD == runner.head_revision()
