"""Cases where the pack, the review page and present mode said different things about one
figure, because each worked it out itself; each now asks the core once.

- Net new money beside the change: the pack left it out when the latest review lacked a
  rate, the screen still showed it (`Returns.latest_split`).
- A holding sold since the last review: "—" and no percentage in the pack, "0.00" and
  "-100.0%" on screen (`HoldingRow.shown_value`, `shown_change_pct`).
- Parts of the total assets rounded one by one: present mode read "This bank 11,000.06 ·
  Other institutions 11,000.06" beside a total of 22,000.11; the pack's "By currency"
  said EUR 481 under a total of JPY 480 (`Review.slice_amounts`, `money.apportion`).
- Insurance in yen kept to the cent: cover 100,001, need 300,010 and gap 200,010 printed
  side by side.
- The insurance tab added up every policy on record, lapsed ones included, beside the
  review's gaps, which count the policies in force (`model.in_force`).
- An assessment expiring: its expiry said twice on the risk page of the pack and present
  mode (`AssessmentStatus.dates_sentence`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal as D
from types import SimpleNamespace

import pypdf
import pytest

from reviewdesk.book.enums import AssetClass, FlowKind, Language, PolicyKind, RiskLevel
from reviewdesk.book.flows import record_flow
from reviewdesk.book.models import InsurancePolicy
from reviewdesk.book.queries import load_client_history
from reviewdesk.money import apportion, format_money
from reviewdesk.pack.produce import pack_from_review
from reviewdesk.review.build import build_review
from reviewdesk.settings import load_settings
from tests import factories as f

TODAY = dt.date(2026, 4, 10)


def _texts(widget) -> list[str]:
    from PySide6.QtWidgets import QLabel, QTableWidget

    texts = [w.text() for w in widget.findChildren(QLabel)]
    tables = [widget] if isinstance(widget, QTableWidget) else []
    for table in tables + widget.findChildren(QTableWidget):
        texts += [
            " | ".join(
                table.item(r, c).text() if table.item(r, c) else ""
                for c in range(table.columnCount())
            )
            for r in range(table.rowCount())
        ]
    return texts


def _pdf(review, lang: str = "en") -> str:
    pack = pack_from_review(review, lang, "a4")
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pack.data)).pages)


def _review(book, client) -> object:
    with book.session() as s:
        s.add(client)
        s.flush()
        cid = client.id
    with book.session() as s:
        return build_review(s, cid, settings=load_settings(s), today=TODAY)


def test_net_new_money_is_beside_the_change_on_every_face_or_on_none(book, qapp):
    from reviewdesk.gui import review_sections as sections

    c = f.client("C1", "Grace Wong", language=Language.EN, report_currency="USD")
    c.snapshots = [
        f.snapshot(dt.date(2026, 1, 31), f.holding("USD deposit", "100000", "USD")),
        f.snapshot(
            dt.date(2026, 3, 31),
            f.holding("USD deposit", "125000", "USD"),
            f.holding("Euro bond", "30000", "EUR", AssetClass.BOND, risk_level=RiskLevel.R1),
        ),  # no EUR rate at the latest review
    ]
    with book.session() as s:
        s.add(c)
        s.flush()
        cid = c.id
        record_flow(s, cid, dt.date(2026, 2, 15), D("20000"), FlowKind.DEPOSIT, today=TODAY)
    with book.session() as s:
        review = build_review(s, cid, settings=load_settings(s), today=TODAY)
    assert review.returns.flows_recorded and review.returns.latest_split is None
    screen = _texts(sections.summary_section(review, sections.Fmt(review, "en")))
    assert not any("Net new money" in t for t in screen), screen
    assert "Net new money" not in _pdf(review).split("Worth talking about")[0]


def test_a_holding_sold_reads_the_same_on_the_screen_and_in_the_pack(book, qapp):
    from reviewdesk.gui import review_sections as sections

    c = f.client("C2", "Grace Wong", language=Language.EN, report_currency="USD")
    c.snapshots = [
        f.snapshot(
            dt.date(2026, 1, 31),
            f.holding("USD deposit", "100000", "USD"),
            f.holding("Tech fund", "50000", "USD", AssetClass.FUND, risk_level=RiskLevel.R3),
        ),
        f.snapshot(dt.date(2026, 3, 31), f.holding("USD deposit", "150000", "USD")),
    ]
    review = _review(book, c)
    gone = next(h for h in review.holdings if h.product_name == "Tech fund")
    assert gone.shown_value is None and gone.shown_change_pct is None
    rows = _texts(sections.holdings_table(review, sections.Fmt(review, "en")))
    row = next(r for r in rows if "Tech fund" in r).split(" | ")
    assert "0.00" not in row and "-100.0%" not in row, row
    assert "—" in row and "-50,000.00" in row
    text = _pdf(review)
    assert "-100.0%" not in text


def test_the_parts_of_the_total_assets_add_up_to_it(book, qapp):
    from reviewdesk.gui import review_sections as sections
    from reviewdesk.gui.present import PresentWindow

    c = f.client("C3", "Grace Wong", language=Language.EN, report_currency="USD")
    c.snapshots = [
        f.snapshot(
            dt.date(2026, 3, 31),
            f.holding("Euro deposit here", "10000.05", "EUR"),
            f.holding(
                "Euro bond elsewhere",
                "10000.05",
                "EUR",
                AssetClass.BOND,
                risk_level=RiskLevel.R1,
                institution="Other Bank",
            ),
            rates={("EUR", "USD"): "1.1"},
        )
    ]
    review = _review(book, c)
    assert review.current.assets == D("22000.11")
    shown = review.slice_amounts(review.allocation.by_institution)
    assert sum(shown) == review.current.assets and sorted(shown) == [
        D("11000.05"),
        D("11000.06"),
    ]
    window = PresentWindow(review, full_screen=False, lang="en")
    try:
        note = window._allocation_note(sections.Fmt(review, "en"))
    finally:
        window.close()
        window.deleteLater()
    assert "11,000.06" in note and "11,000.05" in note, note


def test_by_currency_adds_up_to_the_total_in_yen(book):
    c = f.client("C4", "Ken Sato", language=Language.EN, report_currency="JPY")
    c.snapshots = [
        f.snapshot(
            dt.date(2026, 3, 31),
            f.holding("Euro deposit", "3.0000", "EUR"),
            rates={("EUR", "JPY"): "160.165"},  # 480.495 yen
        )
    ]
    review = _review(book, c)
    assert review.current.assets == D("480")
    assert review.slice_amounts(review.allocation.by_currency) == [D("480")]
    text = _pdf(review)
    by_currency = text[text.index("By currency") :]
    assert re.search(r"^EUR\n480\n100.0%$", by_currency, re.M), by_currency[:80]


def test_the_shares_of_the_asset_mix_add_up_to_a_hundred(book, qapp):
    """Found: three equal parts read 33.3% each, 99.9% in all, beside amounts that add up
    to the total: the pie's legend (pack, screen, present mode) and the pack's "By
    currency" rounded each share on its own (`model.printed_shares`)."""
    from reviewdesk.charts.builders import allocation_pie

    c = f.client("C5", "Grace Wong", language=Language.EN, report_currency="USD")
    c.snapshots = [
        f.snapshot(
            dt.date(2026, 3, 31),
            f.holding("USD deposit", "1000", "USD", AssetClass.DEPOSIT),
            f.holding("HKD bond", "7800", "HKD", AssetClass.BOND, risk_level=RiskLevel.R1),
            f.holding("EUR fund", "1000", "EUR", risk_level=RiskLevel.R2),
            rates={("USD", "HKD"): "7.8", ("EUR", "USD"): "1"},
        )
    ]
    review = _review(book, c)
    for slices in (review.allocation.by_class, review.allocation.by_currency):
        assert len(slices) == 3
        legend = [t.get_text() for t in allocation_pie(slices, "en").texts]
        shares = sorted(t.rsplit(" ", 1)[1] for t in legend)
        assert shares == ["33.3%", "33.3%", "33.4%"], legend
    text = _pdf(review)
    by_currency = text[text.index("By currency") :]
    assert sorted(re.findall(r"^(33\.[34]%)$", by_currency, re.M)[:3]) == [
        "33.3%",
        "33.3%",
        "33.4%",
    ], by_currency[:200]


@pytest.mark.parametrize(
    ("total", "parts", "currency", "expected"),
    [
        ("22000.11", ["11000.055", "11000.055"], "USD", ["11000.06", "11000.05"]),
        ("100", ["33.333", "33.333", "33.334"], "CNY", ["33.33", "33.33", "33.34"]),
        ("480", ["480.5"], "JPY", ["480"]),
        ("10", ["3.4", "3.3", "3.3"], "JPY", ["4", "3", "3"]),
        ("0.00", [], "USD", []),
    ],
)
def test_apportion(total, parts, currency, expected):
    assert apportion(D(total), [D(p) for p in parts], currency) == [D(e) for e in expected]


def test_a_gap_in_yen_is_the_need_printed_less_the_cover_printed(book):
    c = f.client(
        "C5",
        "Ken Sato",
        language=Language.EN,
        report_currency="JPY",
        annual_income=D("100003.4967"),
        income_currency="JPY",
    )
    c.snapshots = [
        f.snapshot(
            dt.date(2026, 3, 31),
            f.holding("Deposit", "1000000", "JPY"),
            rates={("USD", "JPY"): "100"},
        )
    ]
    c.policies = [
        InsurancePolicy(
            kind=PolicyKind.CRITICAL_ILLNESS,
            insurer="X",
            sum_assured=D("1000.0051"),
            annual_premium=D("0"),
            currency="USD",
            start_date=dt.date(2020, 1, 1),
        )
    ]
    review = _review(book, c)
    cover = next(
        x for x in review.insurance.people[0].covers if x.kind is PolicyKind.CRITICAL_ILLNESS
    )

    def printed(v):
        return D(format_money(v, "JPY", "en", code=False).replace(",", ""))

    assert printed(cover.gap) == printed(cover.need) - printed(cover.cover)
    assert cover.cover == D("100001.00")  # whole yen, kept to the cent


def test_the_insurance_tab_adds_up_the_policies_in_force(book, qapp):
    from reviewdesk.gui.insurance_tab import InsuranceTab

    c = f.client("C6", "Grace Wong", report_currency="CNY", annual_income=D("500000"))
    c.snapshots = [f.snapshot(dt.date(2026, 3, 31), f.holding("Deposit", "100000", "CNY"))]
    c.policies = [
        InsurancePolicy(
            kind=PolicyKind.LIFE,
            insurer="A",
            sum_assured=D("1000000"),
            annual_premium=D("12000"),
            currency="CNY",
            start_date=dt.date(2010, 1, 1),
            end_date=dt.date(2025, 12, 31),
        ),
        InsurancePolicy(
            kind=PolicyKind.CRITICAL_ILLNESS,
            insurer="B",
            sum_assured=D("300000"),
            annual_premium=D("5000"),
            currency="CNY",
            start_date=dt.date(2020, 1, 1),
        ),
    ]
    review = _review(book, c)
    with book.session() as s:
        client = load_client_history(s, review.client.id)
        tab = InsuranceTab(SimpleNamespace(today=TODAY, book=SimpleNamespace(read_only=False)))
        tab.show_client(client)
        tab.show_gaps(review.insurance, review.currency)
        summary = tab.summary.text()
    assert "1,000,000.00" not in summary and "12,000.00" not in summary, summary
    assert "300,000.00" in summary and "5,000.00" in summary, summary
    assert "1 policy not in force today" in summary, summary


def test_a_missing_rate_is_not_a_market_loss(book, qapp):
    """Found: a EUR bond of EUR 30,000 held at both reviews, with no EUR rate at the
    latest, read "Change since … -49,000 / -26.8%" and "Market gain -31,000.00": a total
    that left the bond out was compared with one that had it."""
    from reviewdesk.gui import review_sections as sections

    c = f.client("C7", "Grace Wong", language=Language.EN, report_currency="USD")
    bond = ("Euro bond", "30000", "EUR", AssetClass.BOND)
    c.snapshots = [
        f.snapshot(
            dt.date(2026, 1, 31),
            f.holding("USD deposit", "150000", "USD"),
            f.holding(*bond, risk_level=RiskLevel.R1),
            rates={("EUR", "USD"): "1.1"},
        ),
        f.snapshot(
            dt.date(2026, 3, 31),
            f.holding("USD deposit", "160000", "USD"),
            f.holding(*bond, risk_level=RiskLevel.R1),
        ),  # no EUR rate at the latest review
    ]
    with book.session() as s:
        s.add(c)
        s.flush()
        cid = c.id
        record_flow(s, cid, dt.date(2026, 2, 15), D("8000"), FlowKind.DEPOSIT, today=TODAY)
    with book.session() as s:
        review = build_review(s, cid, settings=load_settings(s), today=TODAY)
    assert review.change is None and review.change_pct is None
    assert review.change_unknown == ("EUR",)
    span = review.returns.spans[-1]
    assert span.change is None and span.gain is None and review.returns.periods[-1].gain is None
    screen = _texts(sections.summary_section(review, sections.Fmt(review, "en")))
    assert any("not compared: no rate for EUR" in t for t in screen), screen
    assert not any("%" in t for t in screen if "Change" in t), screen
    returns = _texts(sections.returns_section(review, sections.Fmt(review, "en")))
    assert not any("-33,000" in t or "-31,000" in t for t in returns), returns
    text = " ".join(_pdf(review).split())
    assert "-16." not in text and "-31,000" not in text and "-33,000" not in text
    assert "not compared: no rate for EUR" in text
    assert "cannot be compared: a review in that time has no exchange rate for EUR" in text


def test_a_signed_amount_in_whole_units_reads_the_same_everywhere(qapp):
    """Found: +0.50 of net new money read "1" in the screen's spans table (Python's
    round, half to even) and "+1" on the chart's bar."""
    from reviewdesk.charts.builders import _bar_amount
    from reviewdesk.gui.review_sections import Fmt

    fmt = Fmt(SimpleNamespace(currency="USD"), "en")
    for amount, shown in (("0.50", "+1"), ("-0.50", "-1"), ("0.49", "0"), ("2.50", "+3")):
        assert fmt.whole(D(amount), signed=True) == shown
        assert _bar_amount(D(amount), "USD", "en", signed=True) == shown


def test_a_need_kept_out_by_a_missing_rate_is_not_no_need(book, qapp):
    """Found: an HKD client with no CNY rate (the medical minimum is set in CNY) read "No
    cover and no need by the rules" above "the medical minimum … not applied"."""
    from reviewdesk.gui import review_sections as sections

    c = f.client("C8", "Grace Wong", language=Language.EN, report_currency="HKD")
    c.snapshots = [f.snapshot(dt.date(2026, 3, 31), f.holding("HKD deposit", "1000", "HKD"))]
    review = _review(book, c)
    assert review.insurance.people[0].covers == ()
    said = "No cover; the need could not be worked out for want of an exchange rate"
    assert said in " ".join(_pdf(review).split())
    rows = _texts(sections.insurance_table(review, sections.Fmt(review, "en")))
    assert any(said in r for r in rows), rows


def test_a_client_with_no_income_recorded_is_said_to_have_none_beside_the_need(book, qapp):
    """Found: a client with a mortgage and no income recorded read "Life need 490,000.00,
    gap 490,000.00" with nothing to say that the income's part was not worked out: the
    need shown is the part known (the debt), and the client's line now says why."""
    from reviewdesk.gui import review_sections as sections

    c = f.client("C9", "Grace Wong", language=Language.EN, report_currency="CNY")
    c.snapshots = [
        f.snapshot(
            dt.date(2026, 3, 31),
            f.holding("Deposit", "100000", "CNY"),
            f.holding("Mortgage", "490000", "CNY", AssetClass.LOAN, risk_level=None),
        )
    ]
    review = _review(book, c)
    covers = {cover.kind: cover for cover in review.insurance.people[0].covers}
    assert covers[PolicyKind.LIFE].need == D("490000.00")  # the debt, the part known
    note = "no income recorded: income-based needs not worked out"
    assert note in " ".join(_pdf(review).split())
    rows = _texts(sections.insurance_table(review, sections.Fmt(review, "en")))
    assert any(note in r for r in rows), rows


def test_a_premium_share_over_the_guide_never_reads_as_the_guide():
    from reviewdesk.review.insurance_text import premium_share_text

    def text(share):
        return premium_share_text(
            SimpleNamespace(
                premium_share=D(share), rules=SimpleNamespace(premium_income_share=D("0.1"))
            ),
            "en",
        )

    assert text("0.10004") == "10.004%" and text("0.09999") == "9.999%"
    assert text("0.1") == "10.0%" and text("0.25") == "25.0%"


def test_the_client_reads_facts_and_the_manager_the_cue(book, qapp):
    """Found in the packs: "…matures on 2026-12-02 (CNY 3,510,947.22): plan the
    reinvestment." and "The assessment is valid but expires on 10 Dec 2026: plan to redo
    it." The bank's cues to its manager are on the manager's own review page only."""
    from reviewdesk.book.enums import ClientRiskLevel
    from reviewdesk.book.models import RiskAssessment
    from reviewdesk.gui import review_sections as sections

    c = f.client("C10", "Grace Wong", language=Language.EN, report_currency="CNY")
    c.snapshots = [
        f.snapshot(
            dt.date(2026, 3, 31),
            f.holding(
                "Time deposit",
                "500000",
                "CNY",
                AssetClass.DEPOSIT,
                risk_level=RiskLevel.R1,
                maturity_date=dt.date(2026, 4, 30),
            ),
        )
    ]
    c.assessments = [
        RiskAssessment(
            assessed_on=dt.date(2025, 4, 20),
            level=ClientRiskLevel.C3,
            valid_until=dt.date(2026, 4, 20),
        )
    ]
    review = _review(book, c)
    text = " ".join(_pdf(review).split())
    assert (
        "Time deposit matures on 30 Apr 2026" in text
        or "Time deposit matures on 2026-04-30" in text
    )
    assert "reinvestment" not in text and "plan to redo" not in text
    assert "The assessment is valid until 20 Apr 2026, and is to be redone by then." in text
    client_face = _texts(sections.summary_section(review, sections.Fmt(review, "en")))
    manager_face = _texts(
        sections.summary_section(review, sections.Fmt(review, "en"), for_manager=True)
    )
    assert not any("reinvestment" in t for t in client_face), client_face
    assert any("Plan the reinvestment with the client." in t for t in manager_face), manager_face


def test_an_assessment_expiring_says_its_expiry_once(book, qapp):
    """Found: the risk page of the pack and present mode read "Assessed on 14 Apr 2025,
    valid until 14 Apr 2026. The assessment is valid until 14 Apr 2026, and is to be
    redone by then." ("评估日期 2025年4月14日，有效期至 2026年4月14日。评估有效期至
    2026年4月14日，届时须重新评估。"): the expiry said twice. The sentence that says it is
    to be redone by then is kept (`AssessmentStatus.dates_sentence`)."""
    from reviewdesk.book.enums import ClientRiskLevel
    from reviewdesk.book.models import RiskAssessment
    from reviewdesk.gui import review_sections as sections

    c = f.client("C11", "Grace Wong", report_currency="CNY")
    c.snapshots = [f.snapshot(dt.date(2026, 3, 31), f.holding("Deposit", "500000", "CNY"))]
    c.assessments = [
        RiskAssessment(
            assessed_on=dt.date(2025, 4, 14),
            level=ClientRiskLevel.C3,
            valid_until=dt.date(2026, 4, 14),
        )
    ]
    review = _review(book, c)
    assert review.risk.state.value == "expiring"
    faces = {
        "en": ("14 Apr 2026", "Assessed on 14 Apr 2025.", "to be redone by then"),
        "zh": ("2026年4月14日", "评估日期 2025年4月14日。", "届时须重新评估"),
    }
    for lang, (until, assessed, redo) in faces.items():
        pack = " ".join(_pdf(review, lang).split())
        assert pack.count(until) == 1, pack
        assert assessed in pack and redo in pack
        screen = " ".join(_texts(sections.risk_section(review, sections.Fmt(review, lang))))
        assert screen.count(until) == 1, screen  # written as the pack writes it
        assert redo in screen


def test_the_allocation_says_what_it_leaves_out(book):
    """Found: with a EUR bond and no EUR rate, the allocation read "Fund 67.5% / Deposit
    32.5%" with nothing to say the bond was not in it."""
    c = f.client("C11", "Grace Wong", language=Language.EN, report_currency="USD")
    c.snapshots = [
        f.snapshot(
            dt.date(2026, 3, 31),
            f.holding("USD deposit", "100000", "USD"),
            f.holding("Euro bond", "30000", "EUR", AssetClass.BOND, risk_level=RiskLevel.R1),
        )
    ]
    review = _review(book, c)
    text = " ".join(_pdf(review).split())
    allocation = text[text.index("Asset allocation") :]
    assert "Not included for want of an exchange rate: EUR" in allocation[:300]


def test_the_client_list_tells_overdue_from_due_as_the_calendar_does(book, qapp):
    """Found under Xvfb: the list flagged an overdue review "Review due" and left its date
    plain, while the agenda said overdue and the calendar coloured it red."""
    from PySide6.QtCore import Qt

    from reviewdesk.gui.client_list import DUE_TINTS, ClientListModel
    from reviewdesk.review.cadence import DueState
    from reviewdesk.review.client_list import list_client_rows

    today = dt.date(2026, 7, 2)
    for code, reviewed in (("O1", dt.date(2026, 3, 31)), ("D1", dt.date(2026, 4, 5))):
        with book.session() as s:
            c = f.client(code, f"Client {code}")  # a standard client: reviewed quarterly
            c.snapshots = [f.snapshot(reviewed, f.holding("Deposit", "1000", "CNY"))]
            s.add(c)
    with book.session() as s:
        rows = list_client_rows(s, today, settings=load_settings(s))
    model = ClientListModel()
    model.set_rows(rows)
    states = {}
    for i, row in enumerate(model.rows):
        cell = model.index(i, 4)
        brush = model.data(cell, Qt.ItemDataRole.BackgroundRole)
        states[row.summary.code] = (
            row.summary.review_state,
            brush.color().name() if brush is not None else None,
            model.data(cell, Qt.ItemDataRole.ToolTipRole),
        )
    assert states["O1"] == (DueState.OVERDUE, DUE_TINTS[DueState.OVERDUE], "Review overdue")
    assert states["D1"] == (DueState.DUE, DUE_TINTS[DueState.DUE], "Review due")


def test_clients_of_one_name_are_told_apart_in_the_list(book, qapp):
    """Found under Xvfb: two "Henry Lim" rows in the client list, nothing to tell which is
    which (the agenda and the calendar add the code); opening the wrong one before a
    meeting would show another client's review."""
    from PySide6.QtCore import Qt

    from reviewdesk.gui.client_list import ClientListModel
    from reviewdesk.review.client_list import list_client_rows

    with book.session() as s:
        for code, name in (("H1", "Henry Lim"), ("H2", "Henry Lim"), ("G1", "Grace Wong")):
            c = f.client(code, name)
            c.snapshots = [f.snapshot(dt.date(2026, 3, 31), f.holding("Deposit", "1000", "CNY"))]
            s.add(c)
    with book.session() as s:
        rows = list_client_rows(s, TODAY, settings=load_settings(s))
    model = ClientListModel()
    model.set_rows(rows)
    names = sorted(
        model.data(model.index(i, 0), Qt.ItemDataRole.DisplayRole) for i in range(len(rows))
    )
    assert names == ["Grace Wong", "Henry Lim (H1)", "Henry Lim (H2)"]
    # the other Henry Lim deleted: the one left reads as a name alone
    model.update_rows([rows[[r.summary.code for r in rows].index("H2")].id], [])
    names = sorted(model.data(model.index(i, 0), Qt.ItemDataRole.DisplayRole) for i in range(2))
    assert names == ["Grace Wong", "Henry Lim"]
