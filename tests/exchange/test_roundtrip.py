"""Export, then import into an empty book, gives the same book; a second import changes nothing."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from reviewdesk.book.db import open_book
from reviewdesk.exchange import export_workbook, import_files
from tests.conftest import PASSPHRASE
from tests.exchange.content import book_content


def test_export_then_import_into_an_empty_book_gives_the_same_book(demo_book, tmp_path):
    path = tmp_path / "book.xlsx"
    with demo_book.session() as s:
        summary = export_workbook(s, path, lang="zh")
    assert summary.rows["资产"] > 1000
    target = open_book(str(tmp_path / "copy.sqlite"))
    try:
        report = import_files(target, [path])
        assert report.problems == [], report.problems[:5]
        assert report.applied
        original, copy = book_content(demo_book), book_content(target)
        assert all(original.values()), "every table of the demo has rows"
        for table in original:
            assert copy[table] == original[table], table
        assert len(copy["holdings"]) == summary.rows["资产"]

        again = import_files(target, [path])
        assert again.problems == [] and again.applied
        assert again.changed == 0
        assert all(c.added == c.updated == 0 for c in again.counts.values())
        assert book_content(target) == original
    finally:
        target.close()


def test_english_export_of_one_client_round_trips(demo_book, tmp_path):
    path = tmp_path / "one.xlsx"
    with demo_book.session() as s:
        export_workbook(s, path, lang="en", client_id=3)
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == [
        "Clients",
        "Family",
        "Holdings",
        "FX",
        "Insurance",
        "Contacts",
        "Risk",
        "Flows",
        "Benchmarks",
        "Benchmark choices",
    ]
    codes = {row[0] for row in wb["Holdings"].iter_rows(min_row=2, values_only=True)}
    wb.close()
    assert len(codes) == 1
    target = open_book(str(tmp_path / "one.sqlite"))
    try:
        report = import_files(target, [path])
        assert report.problems == []
        code = codes.pop()
        # The benchmarks are the book's: every level and the risk levels' choices go with
        # one client's export, beside that client's own choice.
        book_wide = ("benchmark_levels", "benchmark_choices")
        mine = {
            t: [r for r in rows if r[0] == code or (t in book_wide and r[0] is None)]
            for t, rows in book_content(demo_book).items()
            if t not in ("clients", "benchmark_levels")
        }
        mine["benchmark_levels"] = book_content(demo_book)["benchmark_levels"]
        theirs = {t: rows for t, rows in book_content(target).items() if t != "clients"}
        assert theirs == mine
    finally:
        target.close()


def test_exported_dates_are_dates_and_amounts_are_numbers(demo_book, tmp_path):
    path = tmp_path / "book.xlsx"
    with demo_book.session() as s:
        export_workbook(s, path, lang="en")
    wb = load_workbook(path, read_only=True)
    header, first = list(wb["Holdings"].iter_rows(min_row=1, max_row=2, values_only=True))
    # Blank cells at the end of a row are not written: the row is shorter than the header.
    row = dict(zip(header, first, strict=False))
    wb.close()
    assert hasattr(row["review_date"], "year")
    assert isinstance(row["market_value"], int | float)
    assert row["institution"]  # "this bank" or another institution's name


def test_family_members_who_share_a_name_round_trip(book, tmp_path):
    import datetime as dt
    from decimal import Decimal

    from reviewdesk.book.enums import PolicyKind, Relation
    from reviewdesk.book.models import FamilyMember, InsurancePolicy
    from tests import factories

    with book.session() as s:
        client = factories.client("C1", "James Harris")
        older = FamilyMember(
            name="William Harris", relation=Relation.SON, birthday=dt.date(2015, 5, 22)
        )
        younger = FamilyMember(
            name="William Harris", relation=Relation.SON, birthday=dt.date(2018, 4, 9)
        )
        father = FamilyMember(name="Tom Harris", relation=Relation.FATHER)
        namesake = FamilyMember(name="Tom Harris", relation=Relation.SON)
        client.family.extend([older, younger, father, namesake])
        for member in (younger, namesake, None):
            client.policies.append(
                InsurancePolicy(
                    kind=PolicyKind.MEDICAL, insured_member=member, sum_assured=Decimal(1000)
                )
            )
        s.add(client)
    path = tmp_path / "twins.xlsx"
    with book.session() as s:
        export_workbook(s, path, lang="en")
    wb = load_workbook(path, read_only=True)
    insured = [r[1] for r in wb["Insurance"].iter_rows(min_row=2, values_only=True)]
    wb.close()
    assert insured == ["William Harris (son, 2018-04-09)", "Tom Harris (son)", "James Harris"]
    copy = open_book(str(tmp_path / "copy.sqlite"))
    try:
        report = import_files(copy, [path])
        assert report.problems == []
        assert book_content(copy) == book_content(book)
        assert import_files(copy, [path]).changed == 0
    finally:
        copy.close()


def test_an_export_is_recorded_and_a_read_only_book_refuses_it(demo_book, tmp_path):
    from sqlalchemy import select

    from reviewdesk.book.errors import BookError
    from reviewdesk.book.models import AuditEntry

    out = tmp_path / "out"
    path = out / "one.xlsx"
    with demo_book.session() as s:
        export_workbook(s, path, lang="en", client_id=1)
    with demo_book.session() as s:
        [event] = s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert event.client_id == 1 and event.detail.startswith("one.xlsx: Clients 1,")
    assert [p.name for p in out.iterdir()] == ["one.xlsx"]  # no partial file left

    demo_book.close()
    reader = open_book(str(demo_book.path), read_only=True, passphrase=PASSPHRASE)
    try:
        with pytest.raises(BookError, match="read-only"), reader.session() as s:
            export_workbook(s, out / "refused.xlsx", lang="en")
    finally:
        reader.close()
    assert [p.name for p in out.iterdir()] == ["one.xlsx"]
