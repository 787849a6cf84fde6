"""A policy's premium not on record on the screens: the insurance tab leaves the cell empty,
takes an emptied cell as none on record and says so under the policies; the review page
and present mode show "—" for the cover's premiums and the pack's premiums line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

from PySide6.QtWidgets import QLabel

from reviewdesk.book.enums import AssetClass, PolicyKind
from reviewdesk.book.models import InsurancePolicy
from reviewdesk.book.queries import load_client_history
from reviewdesk.gui.insurance_tab import POLICY_FIELDS, InsuranceTab
from reviewdesk.gui.review_sections import Fmt, ReadOnlyTable, insurance_section
from reviewdesk.review.build import build_review
from reviewdesk.review.insurance_text import premiums_sentence
from reviewdesk.settings import Settings
from tests import factories as f

TODAY = dt.date(2026, 6, 10)


def _client(book):
    """A client with a single-premium life policy saved with no premium and a medical
    policy paying 3,000 a year; its review."""
    with book.session() as s:
        client = f.client("P1", "Amy Lee", report_currency="HKD", annual_income=D(1_200_000))
        client.policies = [
            InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(2_000_000), currency="HKD"),
            InsurancePolicy(
                kind=PolicyKind.MEDICAL,
                sum_assured=D(1_000_000),
                annual_premium=D(3_000),
                currency="HKD",
            ),
        ]
        client.snapshots = [
            f.snapshot(dt.date(2026, 5, 31), f.holding("Cash", "1000", "HKD", AssetClass.CASH))
        ]
        s.add(client)
        s.flush()
        return client.id, build_review(s, client.id, settings=Settings(), today=TODAY)


def test_the_insurance_tab_shows_no_premium_on_record_as_empty(book, qtbot):
    """Found: a policy whose premium was never typed read "0.00" in the premium column,
    and "premiums HKD 3,000.00 a year" under the policies, as if it cost nothing."""
    client_id, review = _client(book)
    tab = InsuranceTab(SimpleNamespace(today=TODAY, book=SimpleNamespace(read_only=False)))
    qtbot.addWidget(tab)
    with book.session() as s:
        tab.show_client(load_client_history(s, client_id))
        tab.show_gaps(review.insurance, review.currency)
        summary = tab.summary.text()
    column = POLICY_FIELDS.index("annual_premium")
    shown = [tab.policies.index(r, column).data() for r in range(tab.policies.rowCount())]
    assert shown == ["", "3,000.00"]
    assert "premiums on record HKD 3,000.00 a year" in summary, summary
    assert summary.endswith("the premium of 1 policy is not on record"), summary

    # Emptying the medical policy's premium asks to save none on record, not 0.
    medical = tab.policies.index(1, column)
    with qtbot.waitSignal(tab.policies.edit_requested) as asked:
        assert tab.policies.setData(medical, "")
    assert asked.args[2:] == [D(3000), None]


def test_the_review_page_shows_a_dash_and_the_packs_premiums_line(book, qapp):
    _client_id, review = _client(book)
    for lang in ("en", "zh"):
        section = insurance_section(review, Fmt(review, lang))
        table = section.findChild(ReadOnlyTable)
        premiums = {
            table.cell(r, 0).text().strip(): table.cell(r, 4).text()
            for r in range(table.rowCount())
            if table.cell(r, 1).text()
        }
        life, medical = ("Life", "Medical") if lang == "en" else ("寿险", "医疗险")
        assert premiums[life] == "—" and premiums[medical] == "3,000.00", premiums
        labels = [label.text() for label in section.findChildren(QLabel)]
        assert premiums_sentence(review.insurance, review.currency, lang) in labels
    said = premiums_sentence(review.insurance, review.currency, "en")
    assert said.startswith("Premiums on record: HKD 3,000.00 a year; the premium of 1 policy")
