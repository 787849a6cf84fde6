"""A workbook without a sheet's optional columns keeps what the book holds for them: a
narrowed export of an unchanged book changes nothing, and the rows it changes keep the
stored values of the columns it lacks (README "Excel in, Excel out")."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import select

from reviewdesk.book.models import Client, Holding, InsurancePolicy, Snapshot
from reviewdesk.exchange import import_files, schema
from tests.exchange import full_book
from tests.exchange import workbooks as wbs
from tests.exchange.content import book_content

# The holding columns a workbook may leave out.
HOLDING_OPTIONAL = [
    c.key
    for c in schema.HOLDINGS.columns
    if not c.required and c.key not in ("client_id", "snapshot_note", "snapshot_record")
]


_narrowed = wbs.narrowed


def _holdings(book):
    """Each snapshot's holdings, every field, as a multiset."""
    fields = [getattr(Holding, f) for f in ("market_value", *HOLDING_OPTIONAL, "product_name")]
    with book.session() as s:
        rows = s.execute(
            select(Client.code, Snapshot.review_date, *fields)
            .join(Holding.snapshot)
            .join(Snapshot.client)
        ).all()
    out: dict[tuple, Counter] = {}
    for code, day, *values in rows:
        out.setdefault((code, day), Counter())[tuple(values)] += 1
    return out


def test_holding_columns_covered():
    assert set(HOLDING_OPTIONAL) == {
        "product_code",
        "institution",
        "principal",
        "held_since",
        "maturity_date",
        "risk_level",
        "account_number",
    }


def test_a_narrowed_holdings_sheet_of_an_unchanged_book_changes_nothing(demo_book, tmp_path):
    """Found: a workbook without the risk rating, principal, maturity, held-since,
    institution or product code columns found every snapshot of the book changed (its
    stored holdings have them) and replaced each with holdings that had none."""
    with demo_book.session() as s:
        rated = s.scalar(select(Holding.id).where(Holding.risk_level.is_not(None)).limit(1))
    assert rated is not None  # the demo book holds what the columns would wipe
    before = book_content(demo_book)
    path = _narrowed(demo_book, tmp_path / "narrow.xlsx", "Holdings", set(HOLDING_OPTIONAL))
    report = import_files(demo_book, [path])
    assert report.problems == []
    assert report.counts["Holdings"].updated == 0
    assert report.changed == 0
    assert book_content(demo_book) == before


def test_a_changed_snapshot_keeps_the_values_of_the_columns_the_workbook_lacks(demo_book, tmp_path):
    """Found: a workbook without the risk rating, principal or maturity columns that
    changed one market value replaced the snapshot with holdings that had no rating, no
    principal and no maturity: the pack then said the holdings had no rating and that
    nothing matured."""
    with demo_book.session() as s:
        sid, code, day = s.execute(
            select(Snapshot.id, Client.code, Snapshot.review_date)
            .join(Snapshot.client)
            .join(Holding, Holding.snapshot_id == Snapshot.id)
            .where(Holding.risk_level.is_not(None), Holding.principal.is_not(None))
            .order_by(Snapshot.id)
            .limit(1)
        ).one()
        first = s.scalars(
            select(Holding).where(Holding.snapshot_id == sid).order_by(Holding.id)
        ).first()
        product, value = first.product_name, first.market_value
    before = _holdings(demo_book)

    def edit(sheet, header):
        done = False
        for row in sheet.iter_rows(min_row=2):
            cells = {name: row[i] for i, name in enumerate(header)}
            if (
                not done
                and cells["client_id"].value == code
                and str(cells["review_date"].value)[:10] == day.isoformat()
                and cells["product_name"].value == product
            ):
                cells["market_value"].value = str(value + 1)
                done = True
        assert done

    path = _narrowed(demo_book, tmp_path / "narrow.xlsx", "Holdings", set(HOLDING_OPTIONAL), edit)
    report = import_files(demo_book, [path])
    assert report.problems == [] and report.applied
    after = _holdings(demo_book)
    assert {k: v for k, v in after.items() if k != (code, day)} == {
        k: v for k, v in before.items() if k != (code, day)
    }

    def without_value(holdings):
        return Counter({h[1:]: n for h, n in holdings.items()})

    # Every holding keeps its rating, principal, maturity, account...: only the value moved.
    assert without_value(after[(code, day)]) == without_value(before[(code, day)])
    assert sum(h[0] * n for h, n in after[(code, day)].items()) == sum(
        h[0] * n for h, n in before[(code, day)].items()
    ) + Decimal(1)
    assert report.counts["Holdings"].updated == 1


def test_two_positions_of_one_product_keep_their_own_values(book, tmp_path):
    """Found: a workbook without the account and risk rating columns that changed both
    positions of one product gave them no ratings; each now takes the values of the
    stored position held since the same day, not of the other."""
    keys = ["client_id", "review_date", "asset_class", "product_name", "currency"]
    keys += ["market_value", "held_since"]
    clients = [
        wbs.header(schema.CLIENTS, "en", ["client_id", "name", "report_currency"]),
        ["K020", "Grace Ho", "CNY"],
    ]

    def holdings(extra, rows):
        return {
            schema.CLIENTS.name("en"): clients,
            schema.HOLDINGS.name("en"): [wbs.header(schema.HOLDINGS, "en", keys + extra), *rows],
        }

    first = wbs.write(
        tmp_path / "first.xlsx",
        holdings(
            ["account_number", "risk_level"],
            [
                ["K020", "2026-03-31", "fund", "Balanced", "CNY", 100, "2020-01-02", "A1", "R2"],
                ["K020", "2026-03-31", "fund", "Balanced", "CNY", 200, "2024-05-06", "A2", "R4"],
            ],
        ),
    )
    assert import_files(book, [first]).problems == []
    # The rows in the other order, both values changed, without the two columns.
    second = wbs.write(
        tmp_path / "second.xlsx",
        holdings(
            [],
            [
                ["K020", "2026-03-31", "fund", "Balanced", "CNY", 250, "2024-05-06"],
                ["K020", "2026-03-31", "fund", "Balanced", "CNY", 150, "2020-01-02"],
            ],
        ),
    )
    report = import_files(book, [second])
    assert report.problems == [] and report.counts["Holdings"].updated == 1
    with book.session() as s:
        rows = s.execute(
            select(Holding.market_value, Holding.account_number, Holding.risk_level)
        ).all()
    assert sorted((int(v), a, r.value) for v, a, r in rows) == [
        (150, "A1", "R2"),
        (250, "A2", "R4"),
    ]


def _policy_book(book, tmp_path):
    keys = ["client_id", "insured", "policy_type", "insurer", "sum_assured", "start_date"]
    path = wbs.write(
        tmp_path / "policies.xlsx",
        {
            schema.CLIENTS.name("en"): [
                wbs.header(schema.CLIENTS, "en", ["client_id", "name", "report_currency"]),
                ["K030", "Henry Chan", "HKD"],
            ],
            schema.FAMILY.name("en"): [
                wbs.header(schema.FAMILY, "en", ["client_id", "name", "relation"]),
                ["K030", "Ivy Chan", "daughter"],
            ],
            schema.INSURANCE.name("en"): [
                wbs.header(schema.INSURANCE, "en", [*keys, "policy_number"]),
                ["K030", None, "life", "AIA", 2_000_000, "2019-04-01", None],
                ["K030", "Ivy Chan", "medical", "Prudential", 500_000, "2021-09-01", None],
                ["K030", None, "critical_illness", "AXA", 800_000, "2022-01-01", "P-77"],
            ],
        },
    )
    assert import_files(book, [path]).problems == []


def _policies(book):
    with book.session() as s:
        return sorted(
            (
                p.kind.value,
                p.insured_member.name if p.insured_member else None,
                p.insurer,
                str(p.start_date),
                p.policy_number,
                int(p.sum_assured),
            )
            for p in s.scalars(select(InsurancePolicy))
        )


def test_policies_without_an_id_are_matched_without_the_columns_the_workbook_lacks(book, tmp_path):
    """Found: rows without a record id, in a workbook without the insurer or start_date
    column, matched no stored policy (the key still compared the book's insurer and start
    with a blank) and each was added as a second policy beside the first."""
    _policy_book(book, tmp_path)
    before = _policies(book)
    dropped = {"record_id", "insurer", "start_date", "policy_number"}

    def edit(sheet, header):
        for row in sheet.iter_rows(min_row=2):
            if row[header.index("policy_type")].value == "life":
                row[header.index("sum_assured")].value = 2_500_000

    path = _narrowed(book, tmp_path / "narrow.xlsx", "Insurance", dropped, edit)
    report = import_files(book, [path])
    assert report.problems == [] and report.applied
    assert report.counts["Insurance"].added == 0
    assert report.counts["Insurance"].updated == 1
    assert _policies(book) == [(*p[:5], 2_500_000) if p[0] == "life" else p for p in before]
    again = import_files(book, [path])
    assert again.problems == [] and again.changed == 0


def test_a_workbook_without_the_insured_column_keeps_who_is_insured(book, tmp_path):
    """Found: a workbook without the insured column made every policy it updated the
    client's own (the daughter's medical cover became the client's, and the pack then
    showed her uncovered), and rows without a record id matched no policy of a family
    member and were added again."""
    _policy_book(book, tmp_path)
    before = _policies(book)
    for dropped in ({"insured"}, {"insured", "record_id"}):
        path = _narrowed(book, tmp_path / "narrow.xlsx", "Insurance", dropped)
        report = import_files(book, [path])
        assert report.problems == [], dropped
        assert report.changed == 0, dropped
        assert _policies(book) == before, dropped


def _optional(sheet: schema.Sheet) -> set[str]:
    """A sheet's columns a workbook may leave out, besides the record id."""
    return {c.key for c in sheet.columns if not c.required and c.key != "record_id"}


@pytest.mark.parametrize("with_ids", [True, False], ids=["with ids", "without ids"])
@pytest.mark.parametrize(
    ("title", "dropped"),
    [
        ("Contacts", {"summary"}),
        ("Risk", {"score", "valid_until"}),
        ("Flows", {"currency", "holding", "to_currency", "note", "rate"}),
    ],
)
def test_a_sheet_without_its_optional_columns_changes_nothing(
    book, tmp_path, title, dropped, with_ids
):
    """Found: a Contacts sheet without the summary column emptied the summary of each
    contact it named by id, and added each contact without an id again beside the stored
    one; a Risk sheet without the score column wiped the scores (and without the validity
    column put the default period over the dates on record); a Flows sheet without the
    currency or holding column made each flow it named by id one in the report currency
    with no holding, and added each flow without an id again."""
    with book.session() as s:
        full_book.fill(s)
    before = full_book.rows(book)
    gone = dropped | (set() if with_ids else {"record_id"})
    path = _narrowed(book, tmp_path / "narrow.xlsx", title, gone)
    report = import_files(book, [path])
    assert report.problems == []
    assert report.changed == 0, report.summary_lines()
    assert full_book.rows(book) == before


@pytest.mark.parametrize(
    "sheet", [schema.FAMILY, schema.INSURANCE, schema.CONTACTS, schema.RISK, schema.FLOWS]
)
def test_every_optional_column_left_out_changes_nothing(book, tmp_path, sheet):
    """Each sheet's every optional column (the record id too) left out of the book's own
    export: the book holds what it held."""
    with book.session() as s:
        full_book.fill(s)
    before = full_book.rows(book)
    path = _narrowed(
        book, tmp_path / "narrow.xlsx", sheet.name("en"), _optional(sheet) | {"record_id"}
    )
    report = import_files(book, [path])
    assert report.problems == []
    assert report.changed == 0, report.summary_lines()
    assert full_book.rows(book) == before


def test_a_risk_sheet_without_the_validity_column_keeps_the_dates_on_record(book, tmp_path):
    """Found: a Risk sheet without the valid_until column put the book's default period
    over an assessment's validity on record (here a shorter one, set by hand), so an
    expired assessment read as valid again."""
    from reviewdesk.book.models import RiskAssessment

    with book.session() as s:
        full_book.fill(s)
        s.flush()
        for a in s.scalars(select(RiskAssessment)):
            a.valid_until = a.assessed_on.replace(month=a.assessed_on.month + 3)
    before = full_book.rows(book)
    path = _narrowed(book, tmp_path / "narrow.xlsx", "Risk", {"valid_until", "record_id"})
    report = import_files(book, [path])
    assert report.problems == [] and report.changed == 0
    assert full_book.rows(book) == before
