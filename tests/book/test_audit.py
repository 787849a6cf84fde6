import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select, text, update

from reviewdesk.book import audit
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import AuditEntry, Client, Holding
from reviewdesk.settings import save_setting
from tests import factories as f

DAY = dt.date(2026, 5, 31)


def _entries(book, client_id=None):
    with book.session() as s:
        return [
            (e.action, e.record, e.field, e.old_value, e.new_value, e.actor, e.client_id)
            for e in audit.entries(s, client_id)
        ]


def test_every_change_to_a_client_is_recorded_with_who_what_old_and_new(book):
    book.actor = "wang.fang"
    with book.session() as s:
        c = f.client("C1", "张伟", phone="13800000001")
        c.snapshots.append(f.snapshot(DAY, f.holding("理财A", "1000.00")))
        s.add(c)
    with book.session() as s:
        c = s.scalar(select(Client))
        c.phone = "13900000002"
        c.annual_income = Decimal("360000.00")
        c.snapshots[0].holdings[0].market_value = Decimal("1200.50")
    with book.session() as s:
        s.delete(s.scalar(select(Holding)))
    rows = _entries(book, client_id=1)
    actions = [(a, r, fld) for a, r, fld, *_ in rows]
    assert ("create", "Client", None) in actions
    assert ("create", "Holding", None) in actions
    assert ("update", "Client", "phone") in actions
    assert ("update", "Holding", "market_value") in actions
    assert ("delete", "Holding", None) in actions
    phone = next(r for r in rows if r[2] == "phone")
    assert phone[3:7] == ("13800000001", "13900000002", "wang.fang", 1)
    value = next(r for r in rows if r[2] == "market_value")
    assert (value[3], value[4]) == ("1000.0000", "1200.5000") or (
        Decimal(value[3]),
        Decimal(value[4]),
    ) == (Decimal("1000"), Decimal("1200.50"))
    income = next(r for r in rows if r[2] == "annual_income")
    assert income[3] is None and Decimal(income[4]) == Decimal("360000")


def test_a_failed_action_leaves_no_audit_entry(book):
    with book.session() as s:
        s.add(f.client("C1", "张伟"))
    before = len(_entries(book))
    with pytest.raises(ValidationError):
        with book.session() as s:
            s.scalar(select(Client)).phone = "1"
            s.scalar(select(Client)).email = "not an email"
    assert len(_entries(book)) == before


def test_the_trail_is_append_only(book):
    with book.session() as s:
        s.add(f.client("C1", "张伟"))
        audit.record_event(s, "pack_printed", 1, "review 2026-05-31")
    with pytest.raises(audit.AuditTrailError):
        with book.session() as s:
            s.scalar(select(AuditEntry)).actor = "someone else"
    with pytest.raises(audit.AuditTrailError):
        with book.session() as s:
            s.delete(s.scalar(select(AuditEntry)))
    with pytest.raises(audit.AuditTrailError):
        with book.session() as s:
            s.execute(delete(AuditEntry))
    with pytest.raises(audit.AuditTrailError):
        with book.session() as s:
            s.execute(update(AuditEntry).values(detail="x"))
    with pytest.raises(audit.AuditTrailError):
        with book.session() as s:
            s.execute(text("DELETE FROM audit_entry"))
    with book.session() as s:
        # Deleting the client keeps its history.
        s.delete(s.get(Client, 1))
    rows = _entries(book, client_id=1)
    assert ("pack_printed" in [r[0] for r in rows]) and rows[-1][0] == "delete"


def test_bulk_paths_record_one_summary_event(book):
    from reviewdesk.demo import DemoOptions, fill_demo

    with book.session() as s:
        fill_demo(s, DemoOptions(clients=5, seed=1, as_of=dt.date(2026, 6, 15)))
    with book.session() as s:
        entries = list(s.scalars(select(AuditEntry)))
        assert s.scalar(select(func.count(Client.id))) == 5
    assert [e.action for e in entries] == ["demo"]
    assert "5 clients" in entries[0].detail


def test_fields_switched_off_are_refused_by_the_book(book):
    with book.session() as s:
        save_setting(s, "collect_id_number", False)
        save_setting(s, "collect_income", "no")
    with pytest.raises(ValidationError, match="id_number.*switched off"):
        with book.session() as s:
            s.add(f.client("C1", "张伟", id_number="110101199001011234"))
    with pytest.raises(ValidationError, match="annual_income"):
        with book.session() as s:
            s.add(f.client("C1", "张伟", annual_income=Decimal(1)))
    with book.session() as s:
        s.add(f.client("C1", "张伟", phone="13800000000"))
    with book.session() as s:
        save_setting(s, "collect_id_number", True)
    with book.session() as s:
        s.scalar(select(Client)).id_number = "110101199001011234"
