"""The team book's audit trail for rows created or deleted in bulk is written by
statement-level triggers (one call per statement, from its transition table). Its content
must be the row triggers' to the letter: the same work done in a book whose triggers are
switched back to one call per row leaves the same entries."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from reviewdesk.book.db import open_book
from reviewdesk.book.enums import Relation
from reviewdesk.book.models import Client, FamilyMember
from reviewdesk.exchange import export_workbook, import_files, schema
from tests import factories as f
from tests import pg
from tests.conftest import PASSPHRASE

ENTRY = "action, record, record_id, client_id, field, old_value, new_value, actor"


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory, demo_book_path):
    folder = tmp_path_factory.mktemp("stmt")
    shutil.copyfile(demo_book_path, folder / "demo.sqlite")
    demo = open_book(str(folder / "demo.sqlite"), passphrase=PASSPHRASE)
    first = folder / "first.xlsx"
    try:
        with demo.session() as s:
            export_workbook(s, first, lang="zh")
    finally:
        demo.close()
    # The second: every holding of the sheet worth one more yuan, so each snapshot's
    # holdings are replaced (deleted and created again in bulk).
    second = folder / "second.xlsx"
    wb = load_workbook(first)
    ws = wb[schema.HOLDINGS.name("zh")]
    col = [c.value for c in ws[1]].index(schema.HOLDINGS.by_key["market_value"].name("zh")) + 1
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row=row, column=col)
        if cell.value is not None:
            cell.value = Decimal(str(cell.value)) + 1
    wb.save(second)
    return first, second


def _row_triggers(url: str) -> None:
    """Switch the book back to row-level audit triggers for inserts and deletes, with the
    statement triggers' own arguments."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            rows = conn.execute(
                text(
                    "SELECT tgrelid::regclass::text, tgargs FROM pg_trigger "
                    "WHERE tgname = 'reviewdesk_audit_insert'"
                )
            ).all()
            assert len(rows) >= 15
            for table, raw in rows:
                args = bytes(raw).decode().split("\x00")[:-1]
                listed = ", ".join("'" + a.replace("'", "''") + "'" for a in args)
                conn.execute(text(f"DROP TRIGGER reviewdesk_audit_insert ON {table}"))
                conn.execute(text(f"DROP TRIGGER reviewdesk_audit_delete ON {table}"))
                conn.execute(
                    text(
                        f"CREATE TRIGGER reviewdesk_audit_rows AFTER INSERT OR DELETE ON {table} "
                        f"FOR EACH ROW EXECUTE FUNCTION reviewdesk_audit_change({listed})"
                    )
                )
    finally:
        engine.dispose()


def _work(url: str, first, second) -> list[tuple]:
    book = open_book(url)
    try:
        with book.session() as s:
            c = f.client("AUD1", "张伟", annual_income=Decimal("360000.5"))
            c.set_tags(["家庭", "重点"])
            c.snapshots.append(
                f.snapshot(
                    dt.date(2026, 5, 31),
                    f.holding(value="1234.5678"),
                    f.holding("美元存款", value="10", currency="USD"),
                    rates={("USD", "CNY"): "7.1"},
                )
            )
            c.family.append(FamilyMember(name="王芳", relation=Relation.SPOUSE))
            s.add(c)
        for path in (first, second):
            report = import_files(book, [path])
            assert report.applied, report.problems[:5]
        with book.session() as s:
            s.query(Client).filter_by(code="AUD1").one().phone = "13900000009"
        with book.session() as s:
            s.delete(s.query(Client).filter_by(code="AUD1").one())  # cascades
    finally:
        book.close()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(f"SELECT {ENTRY} FROM audit_entry"))]
    finally:
        engine.dispose()


def test_bulk_rows_leave_the_same_entries_as_row_triggers(workbooks):
    first, second = workbooks
    with pg.new_database("rd_stmt") as by_statement, pg.new_database("rd_rows") as by_row:
        open_book(pg.database_url(by_row)).close()  # migrated
        _row_triggers(pg.database_url(by_row))
        statement_entries = _work(pg.database_url(by_statement), first, second)
        row_entries = _work(pg.database_url(by_row), first, second)
    key = repr
    assert len(statement_entries) > 1000
    actions = {e[0] for e in statement_entries}
    assert {"create", "delete", "update"} <= actions
    holdings_deleted = [e for e in statement_entries if e[:2] == ("delete", "Holding")]
    assert any(e[3] is not None for e in holdings_deleted)  # a replaced snapshot's client
    assert sorted(statement_entries, key=key) == sorted(row_entries, key=key)
