"""A field the bank switched off (Settings, collect_...) is refused by the import as the
book refuses it, by the one rule, and every such cell is named with its sheet, row,
column and value: not one problem without a row, and not only the first."""

from __future__ import annotations

from sqlalchemy import select

from reviewdesk.book.models import Client
from reviewdesk.exchange import import_files, schema
from reviewdesk.settings import save_setting
from tests.exchange import workbooks as wbs

REASON = "this field is switched off in the settings: the bank does not collect it"


def _switch_off(book, *keys):
    with book.session() as s:
        for key in keys:
            save_setting(s, key, False)


def _workbook(path, birthdays=("1975年5月12日", "1988-01-03"), member="2012-09-10"):
    return wbs.write(
        path,
        {
            "Clients": [
                wbs.header(schema.CLIENTS, "en", ["client_id", "name", "birthday"]),
                ["K001", "王建国", birthdays[0]],
                ["K002", "Emily Chan", birthdays[1]],
            ],
            "Family": [
                wbs.header(schema.FAMILY, "en", ["client_id", "name", "relation", "birthday"]),
                ["K001", "王子涵", "son", member],
            ],
            "Insurance": [
                wbs.header(
                    schema.INSURANCE,
                    "en",
                    ["client_id", "insured", "policy_type", "sum_assured", "policy_number"],
                ),
                ["K002", "Emily Chan", "medical", 100000, "P-778812"],
            ],
        },
    )


def _problems(report):
    return [(p.sheet, p.row, p.column, p.value, p.reason) for p in report.problems]


def test_every_switched_off_cell_is_named_with_its_row(book, tmp_path):
    _switch_off(book, "collect_birthdays", "collect_policy_numbers")
    path = _workbook(tmp_path / "w.xlsx")
    for dry_run in (True, False):
        report = import_files(book, [path], dry_run=dry_run)
        assert _problems(report) == [
            ("Clients", 2, "birthday", "1975年5月12日", REASON),
            ("Clients", 3, "birthday", "1988-01-03", REASON),
            ("Family", 2, "birthday", "2012-09-10", REASON),
            ("Insurance", 2, "policy_number", "P-778812", REASON),
        ]
        assert report.problems[0].message() == (f"Clients row 2, birthday: 1975年5月12日 {REASON}")
    with book.session() as s:
        assert s.scalars(select(Client)).all() == []


def test_a_value_kept_from_before_the_switch_may_be_given_again_not_changed(book, tmp_path):
    """The book's rule: what it holds stays (an export reads back); a new or changed
    value is refused."""
    assert import_files(book, [_workbook(tmp_path / "a.xlsx")]).applied
    _switch_off(book, "collect_birthdays")
    again = import_files(book, [_workbook(tmp_path / "a.xlsx")])
    assert again.problems == [] and again.changed == 0
    changed = _workbook(tmp_path / "b.xlsx", birthdays=("1975-05-12", "1988-01-04"))
    report = import_files(book, [changed])
    assert _problems(report) == [("Clients", 3, "birthday", "1988-01-04", REASON)]
    blanked = _workbook(tmp_path / "c.xlsx", birthdays=(None, None), member=None)
    assert import_files(book, [blanked]).applied  # not collecting is never refused
    with book.session() as s:
        assert {c.code: c.birthday for c in s.scalars(select(Client))} == {
            "K001": None,
            "K002": None,
        }
