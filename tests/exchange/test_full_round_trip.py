"""A book with every field set goes out to Excel and back whole, and a workbook edited and
imported again updates the records it names, in place, losing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from reviewdesk.book.db import open_book
from reviewdesk.book.models import (
    Client,
    FamilyMember,
    FxRate,
    InsurancePolicy,
    RiskAssessment,
    Snapshot,
)
from reviewdesk.exchange import export_workbook, import_files
from tests.conftest import PASSPHRASE
from tests.exchange import full_book


@pytest.fixture
def full(book):
    with book.session() as s:
        full_book.fill(s)
    return book


@pytest.fixture
def other(tmp_path):
    b = open_book(str(tmp_path / "other.sqlite"), passphrase=PASSPHRASE)
    yield b
    b.close()


def export(book, path, lang="en", **kw):
    with book.session() as s:
        export_workbook(s, path, lang=lang, **kw)
    return path


def sheet(path, title) -> list[dict]:
    wb = load_workbook(path)
    ws = wb[title]
    values = list(ws.iter_rows(values_only=True))
    wb.close()
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_exchange_rates_keep_their_places(book, other, tmp_path):
    """Found: 0.9180 went out as 0.918, so a pack made from the book it was imported into
    printed "1 HKD = CNY 0.918" and its reference changed."""
    with book.session() as s:
        full_book.fill(s, twice=False)
    path = export(book, tmp_path / "book.xlsx")
    assert {str(r["rate"]) for r in sheet(path, "FX")} == {"0.9180", "0.9200"}
    assert import_files(other, [path]).problems == []
    with other.session() as s:
        assert sorted(str(r) for r in s.scalars(select(FxRate.rate))) == ["0.9180", "0.9200"]
    assert {str(r["level"]) for r in sheet(path, "Benchmarks")} == {"3900.10", "3950.5", "18000"}
    assert import_files(other, [path]).changed == 0  # the same rates: nothing to change


def test_every_field_goes_out_and_back_whole(book, other, tmp_path):
    """Found: ID numbers, holdings' account numbers and snapshot notes were lost on the way
    out and back (so the review could no longer pair two positions of one product), and a
    flow's currency converted to became the report currency. The book holds one contact
    twice: found, its export was refused ("the same contact is given twice")."""
    with book.session() as s:
        full_book.fill(s)
    same = import_files(book, [export(book, tmp_path / "same.xlsx")])
    assert same.problems == [] and same.changed == 0  # into the same book: nothing changes
    for lang in ("en", "zh"):
        path = export(book, tmp_path / f"book-{lang}.xlsx", lang=lang)
        target = open_book(str(tmp_path / f"{lang}.sqlite"), passphrase=PASSPHRASE)
        try:
            report = import_files(target, [path])
            assert report.problems == [] and report.applied
            assert full_book.rows(target) == full_book.rows(book)
            again = import_files(target, [path])
            assert again.problems == [] and again.changed == 0
            assert full_book.rows(target) == full_book.rows(book)
        finally:
            target.close()


def test_a_changed_market_value_keeps_the_account_numbers(book, tmp_path):
    """Found: a workbook with one market value changed reported "1 replaced" and left all
    the snapshot's account numbers empty, without a warning."""
    with book.session() as s:
        full_book.fill(s, twice=False)
    path = export(book, tmp_path / "book.xlsx")
    wb = load_workbook(path)
    ws = wb["Holdings"]
    header = [c.value for c in ws[1]]
    row = next(
        r for r in ws.iter_rows(min_row=2) if r[header.index("product_name")].value == "Apple"
    )
    row[header.index("market_value")].value = 13000
    wb.save(path)
    before = full_book.rows(book)
    report = import_files(book, [path])
    assert report.problems == [] and report.counts["Holdings"].updated == 1
    after = full_book.rows(book)
    assert [r for r in after["holding"] if dict(r)["account_number"]] == [
        r for r in before["holding"] if dict(r)["account_number"]
    ]
    # Without the column (a workbook kept by hand, or written before it existed), the
    # book's numbers stay on the positions they belong to.
    for drop in ("account_number", "snapshot_note"):
        ws.delete_cols(header.index(drop) + 1)
        header.remove(drop)
    rows = list(ws.iter_rows(min_row=2))
    for r in rows:
        name, since = r[header.index("product_name")].value, r[header.index("held_since")].value
        if name == "Apple":
            r[header.index("market_value")].value = 14000
        elif since is not None and since.year == 2025:
            r[header.index("market_value")].value = 99  # one position of two, changed
    wb.save(path)
    report = import_files(book, [path])
    assert report.problems == [] and report.counts["Holdings"].updated == 2
    after = full_book.rows(book)

    def positions(rows):
        return sorted(
            (
                (dict(r)["snapshot_id"], dict(r)["held_since"], dict(r)["account_number"])
                for r in rows["holding"]
            ),
            key=repr,
        )

    assert positions(after) == positions(before)
    assert after["snapshot"] == before["snapshot"]  # the notes too


def test_a_workbook_without_the_new_columns_keeps_what_the_book_holds(book, tmp_path):
    from tests.exchange import workbooks as wbs

    with book.session() as s:
        full_book.fill(s, twice=False)
    before = full_book.rows(book)
    path = export(book, tmp_path / "book.xlsx")
    wb = load_workbook(path)
    for title, column in (("Clients", "id_number"), ("Insurance", "policy_number")):
        ws = wb[title]
        header = [c.value for c in ws[1]]
        ws.delete_cols(header.index(column) + 1)
    wb.save(path)
    report = import_files(book, [path])
    assert report.problems == [] and report.changed == 0
    assert full_book.rows(book) == before
    assert wbs  # the hand-made workbooks' helpers are the same format


def test_a_field_switched_off_is_neither_written_nor_taken(book, other, tmp_path):
    from reviewdesk.settings import save_setting

    with book.session() as s:
        full_book.fill(s, twice=False)
    with book.session() as s:
        save_setting(s, "collect_id_number", False)
    path = export(book, tmp_path / "book.xlsx")
    assert "id_number" not in sheet(path, "Clients")[0]
    before = full_book.rows(book)
    assert import_files(book, [path]).changed == 0  # the number in the book stays
    assert full_book.rows(book) == before
    # A workbook from elsewhere that carries the field is refused, naming it.
    with other.session() as s:
        save_setting(s, "collect_account_numbers", False)
    report = import_files(other, [export(book, tmp_path / "all.xlsx")])
    assert not report.applied
    assert {(p.sheet, p.column, p.value) for p in report.problems} >= {
        ("Holdings", "account_number", "6222 0000 1111 2222")
    }
    assert "switched off" in report.problems[0].reason


def edit(path, title, changes):
    """Each change: (a test of the row's values, column, new value)."""
    wb = load_workbook(path)
    ws = wb[title]
    header = [c.value for c in ws[1]]
    for test, column, value in changes:
        for row in ws.iter_rows(min_row=2):
            if test(dict(zip(header, (c.value for c in row), strict=False))):
                row[header.index(column)].value = value
                break
        else:
            raise AssertionError(f"no row for {column}")
    wb.save(path)


def test_a_corrected_row_updates_its_record(full, tmp_path):
    """Found: a flow amount corrected by 0.01 gave "Flows: 1 added" and the client had both
    flows (the money counted twice in returns); a contact's summary or date and a policy
    number edited added a second record too."""
    path = export(full, tmp_path / "book.xlsx")
    edit(path, "Flows", [(lambda r: True, "amount", "-2695265.95")])
    edit(
        path,
        "Contacts",
        [
            (lambda r: r["summary"] == "生日祝福", "summary", "生日祝福（已回复）"),
            (lambda r: r["summary"] == "回顾资产配置", "date", "2026-03-02"),
        ],
    )
    edit(path, "Insurance", [(lambda r: True, "policy_number", "P-2026-000124")])
    before = full_book.rows(full)
    report = import_files(full, [path])
    assert report.problems == [] and report.applied
    counts = {sheet: (c.added, c.updated) for sheet, c in report.counts.items()}
    assert counts["Flows"] == (0, 1)
    assert counts["Contacts"] == (0, 2)
    assert counts["Insurance"] == (0, 1)
    after = full_book.rows(full)
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
    assert [dict(r)["amount"] for r in after["flow"]] == ["-2695265.9500"]
    assert [dict(r)["policy_number"] for r in after["insurance_policy"]] == ["P-2026-000124"]
    summaries = sorted((dict(r)["summary"], str(dict(r)["contact_date"])) for r in after["contact"])
    assert summaries == [
        ("回顾资产配置", "2026-03-02"),
        ("生日祝福", "2026-02-23"),
        ("生日祝福（已回复）", "2026-02-23"),
    ]
    assert import_files(full, [path]).changed == 0


def test_a_workbook_from_another_book_is_matched_by_its_rows(full, other, tmp_path):
    """Another book's ids name none of this book's records: its rows are matched by their
    other columns, so a workbook goes into a new book and back as a no-op."""
    first = export(full, tmp_path / "first.xlsx")
    assert import_files(other, [first]).problems == []
    back = import_files(full, [export(other, tmp_path / "back.xlsx")])
    assert back.problems == [] and back.changed == 0
    again = import_files(other, [first])
    assert again.problems == [] and again.changed == 0
    assert full_book.rows(other) == full_book.rows(full)


def test_a_record_id_that_cannot_be_the_rows_is_refused(full, tmp_path):
    path = export(full, tmp_path / "book.xlsx")
    flow_id = sheet(path, "Flows")[0]["record_id"]
    edit(path, "Contacts", [(lambda r: r["summary"] == "回顾资产配置", "record_id", "no such")])
    edit(path, "Flows", [(lambda r: True, "client_id", "K2")])
    report = import_files(full, [path])
    assert not report.applied
    found = {(p.sheet, p.column, p.value): p.reason for p in report.problems}
    assert "is not a record id such as" in found[("Contacts", "record_id", "no such")]
    assert found[("Flows", "record_id", flow_id)] == "is the id of a record of another client (K1)"


def test_a_family_member_renamed_in_the_workbook_is_renamed_not_added(full, tmp_path):
    """Found: a son's name corrected on the Family sheet came back as a second son beside
    the first ("Family: 1 added"), and the review worked out cover and needs for both. The
    row's record id names the member: renamed in place, the policy insuring him kept on
    him though the Insurance sheet still gives his old name, nothing added."""
    path = export(full, tmp_path / "book.xlsx")
    assert [r["insured"] for r in sheet(path, "Insurance")] == ["王小明"]
    edit(path, "Family", [(lambda r: r["name"] == "王小明", "name", "王晓明")])
    report = import_files(full, [path])
    assert report.problems == [] and report.applied
    assert (report.counts["Family"].added, report.counts["Family"].updated) == (0, 1)
    with full.session() as s:
        members = s.scalars(select(FamilyMember)).all()
        assert [(m.name, m.relation.value) for m in members] == [("王晓明", "son")]
        policy = s.scalars(select(InsurancePolicy)).one()
        assert policy.insured_member is members[0]
    again = import_files(full, [export(full, tmp_path / "again.xlsx")])
    assert again.problems == [] and again.changed == 0


def test_a_family_row_without_its_id_is_still_matched_by_name(full, tmp_path):
    """A workbook written before the column (or by hand) has no record ids: its rows are
    matched by name as before, and a new name is a new member."""
    path = export(full, tmp_path / "book.xlsx")
    edit(path, "Family", [(lambda r: True, "record_id", None)])
    same = import_files(full, [path])
    assert same.problems == [] and same.changed == 0
    edit(path, "Family", [(lambda r: True, "name", "王晓明")])
    report = import_files(full, [path])
    assert report.problems == [] and report.counts["Family"].added == 1


def test_an_assessment_whose_date_is_corrected_is_moved_not_added(full, tmp_path):
    """Found: a risk assessment's date corrected on the Risk sheet (a typo a month late)
    came back as a second assessment beside the first, and the wrongly dated one, being
    the later, still gave the client's level and its expiry. The row's record id names
    the assessment: its date is corrected in place."""
    path = export(full, tmp_path / "book.xlsx")
    rows = sheet(path, "Risk")
    assert rows and all(r["record_id"] for r in rows)
    first = rows[0]
    moved = first["assessed_on"].date() - dt.timedelta(days=30)
    edit(path, "Risk", [(lambda r: r["record_id"] == first["record_id"], "assessed_on", moved)])
    with full.session() as s:
        before = s.scalars(select(RiskAssessment)).all()
        count = len(before)
    report = import_files(full, [path])
    assert report.problems == [] and report.applied
    assert (report.counts["Risk"].added, report.counts["Risk"].updated) == (0, 1)
    with full.session() as s:
        after = s.scalars(select(RiskAssessment).order_by(RiskAssessment.id)).all()
        assert len(after) == count
        assert moved in {a.assessed_on for a in after}
        assert first["assessed_on"].date() not in {a.assessed_on for a in after}
    again = import_files(full, [export(full, tmp_path / "again.xlsx")])
    assert again.problems == [] and again.changed == 0


def edit_all(path, title, test, column, value) -> int:
    """Set `column` to `value` in every row that `test` accepts; how many."""
    wb = load_workbook(path)
    ws = wb[title]
    header = [c.value for c in ws[1]]
    count = 0
    for row in ws.iter_rows(min_row=2):
        if test(dict(zip(header, (c.value for c in row), strict=False))):
            row[header.index(column)].value = value
            count += 1
    wb.save(path)
    return count


def _june(r) -> bool:
    return r["client_id"] == "K1" and r["review_date"].date() == full_book.JUNE


def _june_rows(path) -> tuple[list, list[list]]:
    """The Holdings sheet's header, and the values of K1's June rows."""
    wb = load_workbook(path)
    ws = wb["Holdings"]
    header = [c.value for c in ws[1]]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    wb.close()
    return header, [r for r in rows if _june(dict(zip(header, r, strict=False)))]


def test_a_review_date_corrected_in_the_workbook_moves_its_snapshot(full, tmp_path):
    """Found: a review's date corrected on the Holdings sheet (a day early) came back as a
    second snapshot beside the first ("snapshots: 1 added"), and the review then compared
    the June review with its own copy of the day before: no change since the last review.
    The rows carry their snapshot's id: it moves, with its rates, and nothing is added."""
    path = export(full, tmp_path / "book.xlsx")
    assert all(r["snapshot_record"] for r in sheet(path, "Holdings"))
    day = full_book.JUNE - dt.timedelta(days=1)
    assert edit_all(path, "Holdings", _june, "review_date", day) == 3
    before = full_book.rows(full)
    report = import_files(full, [path])
    assert report.problems == [] and report.applied
    assert (report.counts["Holdings"].added, report.counts["Holdings"].updated) == (0, 1)
    assert report.counts["Holdings"].moved == 1
    assert any("1 of them moved to the date of its rows" in x for x in report.summary_lines())
    with full.session() as s:
        k1 = select(Snapshot.review_date).join(Snapshot.client).where(Client.code == "K1")
        assert sorted(s.scalars(k1)) == [full_book.MARCH, day]
        moved = s.scalars(select(Snapshot).where(Snapshot.review_date == day)).one()
        assert [(r.from_currency, str(r.rate)) for r in moved.rates] == [("HKD", "0.9200")]
        assert moved.note == "2026-06-30 面谈时确认" and len(moved.holdings) == 3
    after = full_book.rows(full)
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
    again = import_files(full, [export(full, tmp_path / "again.xlsx")])
    assert again.problems == [] and again.changed == 0


def test_rates_given_for_a_moved_snapshots_old_date_say_so(full, tmp_path):
    """The client's own rates still under the old date: said, naming the new one, and
    nothing imported."""
    path = export(full, tmp_path / "book.xlsx")
    edit_all(path, "Holdings", _june, "review_date", full_book.JUNE - dt.timedelta(days=1))
    edit_all(path, "FX", lambda r: r["review_date"].date() == full_book.JUNE, "client_id", "K1")
    before = full_book.rows(full)
    report = import_files(full, [path])
    assert not report.applied and full_book.rows(full) == before
    assert [p.sheet for p in report.problems] == ["FX"]
    assert "was moved to 2026-06-29 (Holdings row" in report.problems[0].reason


def test_a_snapshot_id_given_with_its_old_date_too_is_refused(full, tmp_path):
    """Rows copied to make a new snapshot, the id kept: one snapshot cannot take two dates."""
    path = export(full, tmp_path / "book.xlsx")
    header, june = _june_rows(path)
    wb = load_workbook(path)
    ws = wb["Holdings"]
    for values in june:
        values[header.index("review_date")] = dt.datetime(2026, 7, 31)
        ws.append(values)
    wb.save(path)
    report = import_files(full, [path])
    assert not report.applied
    assert any(
        p.column == "snapshot_record" and "cannot take two dates" in p.reason
        for p in report.problems
    ), report.problems


def test_a_moved_snapshots_old_date_given_again_is_refused(full, tmp_path):
    """The rows moved to a new date, then the old date's rows given again further down."""
    path = export(full, tmp_path / "book.xlsx")
    header, june = _june_rows(path)
    edit_all(path, "Holdings", _june, "review_date", full_book.JUNE - dt.timedelta(days=1))
    wb = load_workbook(path)
    for values in june:
        values[header.index("snapshot_record")] = None
        wb["Holdings"].append(values)
    wb.save(path)
    report = import_files(full, [path])
    assert not report.applied
    assert any("was moved to 2026-06-29 by its id" in p.reason for p in report.problems), (
        report.problems
    )
