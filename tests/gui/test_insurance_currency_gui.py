"""Income currencies edited on the desk, rule currencies in Settings, and the rules text the
screen shows being the pack's own."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal as D

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel
from sqlalchemy import select

from reviewdesk.book.db import open_book
from reviewdesk.book.enums import AssetClass, Relation
from reviewdesk.book.models import Client, FamilyMember, Snapshot
from reviewdesk.gui.review_sections import Fmt, insurance_section, rules_text
from reviewdesk.i18n import translator
from reviewdesk.pack import insurance as pack_insurance
from reviewdesk.pack.context import PackContext
from reviewdesk.review.build import build_review
from reviewdesk.review.insurance_text import rules_sentences
from reviewdesk.settings import Settings, load_settings
from tests import factories as f
from tests.gui.conftest import open_client


def _usd_review(tmp_path):
    book = open_book(str(tmp_path / "b.sqlite"), passphrase="correct horse battery")
    try:
        with book.session() as s:
            client = f.client(
                "U1",
                "Amy Lee",
                report_currency="USD",
                annual_income=D(720_000),
                income_currency="CNY",
            )
            client.family = [
                FamilyMember(name="Tom", relation=Relation.SON, birthday=dt.date(2015, 1, 1))
            ]
            client.snapshots = [
                f.snapshot(
                    dt.date(2026, 5, 31),
                    f.holding("Cash", "1000", "USD", AssetClass.CASH),
                    rates={("USD", "CNY"): "7.2350"},
                )
            ]
            s.add(client)
            s.flush()
            return build_review(s, client.id, settings=Settings(), today=dt.date(2026, 6, 10))
    finally:
        book.close()


def test_the_screen_states_the_rules_with_the_packs_sentences(qapp, tmp_path):
    review = _usd_review(tmp_path)
    for lang in ("zh", "en"):
        pack_lines = pack_insurance._rules(PackContext(review, lang, 400))
        fmt = Fmt(review, lang)
        assert rules_text(review, fmt) == "\n".join("• " + line for line in pack_lines)
        section = insurance_section(review, fmt)
        label = section.findChild(QLabel, "rules")
        assert label.text() == (
            translator(lang)("How the need is worked out") + "\n" + rules_text(review, fmt)
        )
        assert pack_lines == rules_sentences(review.insurance, lang)
    en = rules_text(review, Fmt(review, "en"))
    assert "USD 138,217.00 (CNY 1,000,000.00 at 1 USD = 7.2350 CNY)" in en


def test_income_currency_is_edited_in_the_profile_and_the_family_table(qtbot, window, ctx):
    with ctx.book.session() as s:
        target = s.scalars(
            select(Client).join(Snapshot).join(Client.family).order_by(Client.name)
        ).first()
        client_id, name = target.id, target.name
    open_client(qtbot, window, name)
    profile = window.workspace.profile
    window.workspace.tabs.setCurrentWidget(profile)
    combo: QComboBox = profile.editors["income_currency"]
    assert combo.itemText(0) == "(report currency)" and combo.currentIndex() == 0
    combo.setCurrentIndex(combo.findData("HKD"))
    qtbot.mouseClick(profile.save_button, Qt.MouseButton.LeftButton)

    def stored():
        with ctx.book.session() as s:
            client = s.get(Client, client_id)
            return client.income_currency, [m.income_currency for m in client.family]

    qtbot.waitUntil(lambda: stored()[0] == "HKD", timeout=5000)

    family = profile.family
    column = [c.field for c in family.columns].index("income_currency")
    index = family.index(0, column)
    assert index.data() == "(report currency)"
    assert not family.setData(index, "PESO")
    assert "Income currency" in profile.family_message.text()
    assert "PESO" in profile.family_message.text()
    assert family.setData(index, "usd")
    qtbot.waitUntil(lambda: stored()[1][0] == "USD", timeout=5000)
    # The table shows the saved value once the save has come back from the book worker.
    qtbot.waitUntil(lambda: family.index(0, column).data() == "USD", timeout=5000)
    assert family.setData(family.index(0, column), "")
    qtbot.waitUntil(lambda: stored()[1][0] is None, timeout=5000)


def test_a_rule_amounts_currency_sits_beside_it_in_settings(qtbot, window, ctx):
    from reviewdesk.gui.settings_dialog import SettingsDialog

    window.open_settings()
    dialog = window.findChild(SettingsDialog)
    qtbot.waitUntil(dialog.isEnabled, timeout=5000)
    amount = dialog.editors["medical_cover_minimum"]
    currency: QComboBox = dialog.editors["medical_cover_minimum_currency"]
    assert currency.parentWidget() is amount.parentWidget()  # one row
    assert "medical_cover_minimum_currency" not in dialog.labels
    assert currency.itemText(0) == "Base currency (CNY)"
    base = dialog.editors["default_currency"]
    base.setCurrentIndex(base.findData("HKD"))
    assert currency.itemText(0) == "Base currency (HKD)"
    assert dialog.labels["default_currency"].text() == "Base currency of the book"
    currency.setCurrentIndex(currency.findData("USD"))
    amount.setText("150000")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    with ctx.book.session() as s:
        stored = load_settings(s)
    assert stored.medical_cover_minimum_currency == "USD"
    assert stored.amount_currency("medical_cover_minimum") == "USD"
    assert stored.amount_currency("education_cost_per_child") == "HKD"
    assert stored.medical_cover_minimum == D(150000)


def _gap_review(tmp_path, client_income):
    """A client whose spouse earns and holds no cover: a gap known on the spouse; the
    client's own income-based needs are worked out only if their income is recorded."""
    spouse = FamilyMember(
        name="Ben Lee", relation=Relation.SPOUSE, annual_income=D(100_000), income_currency="CNY"
    )
    return _policies_review(tmp_path, client_income, family=[spouse])


def _judged(lang: str) -> re.Pattern[str]:
    """The premiums' line when the guide is checked, any figures in it."""
    template = translator(lang)(
        "Premiums: {premiums} a year, {share} of household income of {income} "
        "(guide: at most {limit})."
    )
    return re.compile(re.sub(r"\\\{\w+\\\}", ".+", re.escape(template)))


def _flags(section) -> list[str]:
    return [label.text() for label in section.findChildren(QLabel) if label.property("flag")]


def test_the_gaps_of_different_kinds_of_cover_are_not_added_up(qapp, tmp_path):
    """Found: present mode read "⚠ 保障缺口合计：4,710.00万 CNY" ("Total gap in cover"), the
    gaps in life, critical illness, medical and accident cover added together, and a total
    per person in the person's row: sums of needs of different kinds, which the pack never
    showed."""
    from reviewdesk.gui.review_sections import ReadOnlyTable

    for income in (None, D(50_000)):
        review = _gap_review(tmp_path / str(income), client_income=income)
        spouse = review.insurance.people[1]
        assert sum(1 for c in spouse.covers if c.gap) > 1  # gaps of several kinds
        for lang in ("en", "zh"):
            section = insurance_section(review, Fmt(review, lang))
            texts = [label.text() for label in section.findChildren(QLabel)]
            assert not any("缺口合计" in t or "Total gap" in t or "add up" in t for t in texts)
            table = section.findChild(ReadOnlyTable)
            names = [
                [table.cell(r, c).text() for c in range(1, table.columnCount())]
                for r in range(table.rowCount())
                if not table.cell(r, 0).text().startswith(" ")
            ]
            assert names == [["", "", "", ""]] * len(review.insurance.people)


def _policies_review(tmp_path, income: D | None, *policies, family=()):
    """The review of a client with this income, these policies, this family and some cash,
    on the default encrypted book."""
    book = open_book(str(tmp_path / "p.sqlite"), passphrase="correct horse battery")
    try:
        with book.session() as s:
            client = f.client("P1", "Amy Lee", annual_income=income)
            client.policies = list(policies)
            client.family = list(family)
            client.snapshots = [
                f.snapshot(dt.date(2026, 5, 31), f.holding("Cash", "1000", "CNY", AssetClass.CASH))
            ]
            s.add(client)
            s.flush()
            return build_review(s, client.id, settings=Settings(), today=dt.date(2026, 6, 10))
    finally:
        book.close()


def test_a_policy_left_out_for_want_of_a_rate_reads_as_not_known_on_the_screen(qapp, tmp_path):
    """Found: present mode showed a USD life policy with no USD rate as a life cover of
    0.00 with "⚠ 5,000,000.00" of gap, and the premiums against the household income
    judged on the CNY premium alone."""
    from reviewdesk.book.enums import PolicyKind
    from reviewdesk.book.models import InsurancePolicy
    from reviewdesk.gui.review_sections import ReadOnlyTable

    review = _policies_review(
        tmp_path,
        D(500_000),
        InsurancePolicy(
            kind=PolicyKind.LIFE,
            sum_assured=D(2_000_000),
            annual_premium=D(60_000),
            currency="USD",
        ),
        InsurancePolicy(kind=PolicyKind.MEDICAL, sum_assured=D(1_000_000), annual_premium=D(3_000)),
    )
    section = insurance_section(review, Fmt(review, "en"))
    table = section.findChild(ReadOnlyTable)
    rows = [
        [table.cell(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
    life = next(row for row in rows if row[0].strip() == "Life")
    assert life == ["  Life", "—", "5,000,000.00", "—", "—"]
    labels = [label.text() for label in section.findChildren(QLabel)]
    assert any(t.startswith("Premiums of the policies that could be converted") for t in labels)
    assert not any(_judged("en").fullmatch(t) for t in labels)


def test_no_policy_on_record_is_said_on_the_screen(qapp, tmp_path):
    """Found: present mode read "家庭年收入 356.50万 CNY；每年保费 0.00（上限 35.65万）"
    ("premiums 0.00 a year (limit …)") of a client with no insurance policy on record."""
    review = _gap_review(tmp_path, client_income=D(50_000))
    assert review.insurance.policies_held == 0
    for lang in ("en", "zh"):
        section = insurance_section(review, Fmt(review, lang))
        labels = [label.text() for label in section.findChildren(QLabel)]
        said = translator(lang)(
            "Premiums: no insurance policy in force on the review date is on record."
        )
        assert said in labels
        assert not any(_judged(lang).fullmatch(t) for t in labels), labels


def test_a_need_that_is_covered_reads_covered_on_the_screen_as_in_the_pack(qapp, tmp_path):
    """Found: present mode's gap cell read "0.00" of a medical need fully covered, where
    the pack read "已足额" (Covered); and its premium column read "0.00" a year beside
    every kind of cover no policy is on record for."""
    from reviewdesk.book.enums import PolicyKind
    from reviewdesk.book.models import InsurancePolicy
    from reviewdesk.gui.review_sections import ReadOnlyTable
    from reviewdesk.pack.document import render_pack

    review = _policies_review(
        tmp_path,
        D(100_000),
        InsurancePolicy(kind=PolicyKind.MEDICAL, sum_assured=D(2_000_000), annual_premium=D(3_000)),
    )
    medical = next(c for c in review.insurance.people[0].covers if c.kind is PolicyKind.MEDICAL)
    assert medical.gap == 0
    for lang, covered in (("en", "Covered"), ("zh", "已足额")):
        section = insurance_section(review, Fmt(review, lang))
        table = section.findChild(ReadOnlyTable)
        row = next(
            r
            for r in range(table.rowCount())
            if table.cell(r, 0).text().strip() == translator(lang)("Medical")
        )
        assert table.cell(row, 3).text() == covered
        pages = PdfReader(io.BytesIO(render_pack(review, lang))).pages
        assert covered in "".join(page.extract_text() for page in pages)
        # The medical policy's premium; no policy of the other kinds: "—", not 0.00 a year.
        premiums = {
            table.cell(r, 0).text().strip(): table.cell(r, 4).text()
            for r in range(table.rowCount())
            if table.cell(r, 1).text()
        }
        assert premiums.pop(translator(lang)("Medical")) == "3,000.00"
        assert premiums and set(premiums.values()) == {"—"}, premiums


def test_the_premiums_line_on_the_screen_is_the_packs(qapp, tmp_path):
    """Found: present mode read "Household income CNY 500,000.00; premiums 13,000.00 a year
    (guide: at most 50,000.00)" beside the pack's "Premiums: CNY 13,000.00 a year, 2.6% of
    household income of CNY 500,000.00 (guide: at most 10.0%)": the guide a sum on one face
    and a share on the other. One sentence now (`insurance_text.premiums_sentence`)."""
    from reviewdesk.book.enums import PolicyKind
    from reviewdesk.book.models import InsurancePolicy
    from reviewdesk.pack.document import render_pack
    from reviewdesk.review.insurance_text import premiums_sentence

    review = _policies_review(
        tmp_path,
        D(500_000),
        InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(2_000_000), annual_premium=D(10_000)),
        InsurancePolicy(kind=PolicyKind.MEDICAL, sum_assured=D(1_000_000), annual_premium=D(3_000)),
    )
    assert review.insurance.premiums_judged
    for lang in ("en", "zh"):
        said = premiums_sentence(review.insurance, review.currency, lang)
        assert _judged(lang).fullmatch(said)
        section = insurance_section(review, Fmt(review, lang))
        assert said in [label.text() for label in section.findChildren(QLabel)]
        pages = PdfReader(io.BytesIO(render_pack(review, lang))).pages
        text = "".join(page.extract_text() for page in pages)
        assert "".join(said.split()) in "".join(text.split())
