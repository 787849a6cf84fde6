"""Present mode: one client's review, page by page, and nothing of anyone else."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from reviewdesk.book.enums import AssetClass, ClientRiskLevel, RiskLevel
from reviewdesk.book.models import PackRecord, RiskAssessment
from reviewdesk.gui.present import SECTIONS, PresentWindow
from reviewdesk.gui.review_page import load_review
from reviewdesk.gui.worker import book_worker
from reviewdesk.i18n import translator, written_date
from reviewdesk.review.build import build_review
from reviewdesk.review.model import (
    NONE_RATED_R2_LINE,
    NOTHING_TO_JUDGE_LINE,
    WITHIN_LEVEL_LINE,
    unjudged_sentence,
    unrated_sentence,
)
from reviewdesk.settings import Settings
from tests import factories as f
from tests.gui.conftest import figure_texts, visible_texts


def open_present(qtbot, ctx, client_id, **kw):
    review, _dates = load_review(ctx, client_id)
    window = PresentWindow(review, full_screen=False, **kw)
    qtbot.addWidget(window)
    window.present()
    qtbot.waitExposed(window)
    return window


def every_page_text(qtbot, window) -> list[str]:
    texts = []
    for index in range(window.page_count):
        window.go_to(index)
        texts.extend(visible_texts(window))
    qtbot.waitUntil(lambda: all(c.canvas is not None for c in window.charts), timeout=10000)
    for chart in window.charts:
        texts.extend(figure_texts(chart.figure))
    return texts


def test_nothing_of_another_client_is_visible(qtbot, family_ctx):
    window = open_present(qtbot, family_ctx, family_ctx.ids["王建国"], lang="zh")
    texts = every_page_text(qtbot, window)
    joined = "\n".join(texts)
    assert "王建国" in joined and "易方达蓝筹" in joined and "刘美华" in joined
    for other in ("王建军", "招商中证白酒", "陈小红", "W2"):
        assert other not in joined
    # and the same the other way round, in English
    window.close()
    window = open_present(qtbot, family_ctx, family_ctx.ids["王建军"], lang="en")
    joined = "\n".join(every_page_text(qtbot, window))
    assert "王建军" in joined and "招商中证白酒" in joined
    for other in ("王建国", "易方达蓝筹", "刘美华", "W1"):
        assert other not in joined


def test_every_section_in_the_packs_order_with_flags_in_words(qtbot, family_ctx):
    window = open_present(qtbot, family_ctx, family_ctx.ids["王建国"], lang="en")
    assert window.page_count == len(SECTIONS) == 8
    titles = []
    for index in range(window.page_count):
        window.go_to(index)
        titles.append(window.section_label.text())
    assert titles == [
        "Summary",
        "Holdings",
        "Allocation",
        "Trend",
        "Performance",
        "Insurance",
        "Risk profile and suitability",
        "Next steps",
    ]
    window.go_to(6)
    risk_text = "\n".join(visible_texts(window))
    assert "expired" in risk_text and "Suitability cannot be assessed" in risk_text
    assert "above the level of the expired assessment" in risk_text
    assert "is within the client's risk level" not in risk_text


def test_keyboard_and_clicker_navigation(qtbot, family_ctx):
    window = open_present(qtbot, family_ctx, family_ctx.ids["王建国"])
    # the screen's size (its type is scaled to the screen): in a smaller window the
    # figures wrap and the first page scrolls too
    window.resize(window.screen().size())
    assert window.page == 0
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert window.page == 2
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    assert window.page == 1
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert window.page == window.page_count - 1
    qtbot.keyClick(window, Qt.Key.Key_Right)  # past the end stays on the last page
    assert window.page == window.page_count - 1
    qtbot.mouseClick(window.prev_button, Qt.MouseButton.LeftButton)
    assert window.page == window.page_count - 2
    with qtbot.waitSignal(window.closed, timeout=2000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)


def test_presenting_records_nothing_by_itself(qtbot, family_ctx):
    cid = family_ctx.ids["王建国"]
    window = open_present(qtbot, family_ctx, cid, lang="zh")
    window.hide()
    window.show()
    window.close()
    book_worker().waitForDone(5000)
    with family_ctx.book.session() as session:
        assert session.scalars(select(PackRecord)).all() == []


def test_language_of_the_meeting_switches_without_touching_the_app(qtbot, family_ctx):
    from reviewdesk.i18n import current_language

    window = open_present(qtbot, family_ctx, family_ctx.ids["王建国"], lang="zh")
    assert window.section_label.text() == "概览"
    window.go_to(3)
    qtbot.mouseClick(window.language_button, Qt.MouseButton.LeftButton)
    assert window.lang == "en" and window.page == 3
    assert window.section_label.text() == "Trend"
    assert current_language() == "en"
    # The title is the pack's, its date written as the sentences write it. Found: present
    # mode read "Review of 2026-03-31" beside the pack's title.
    day = window.review.review_date
    assert window.date_label.text() == f"Portfolio review of {written_date(day, 'en')}"
    qtbot.mouseClick(window.language_button, Qt.MouseButton.LeftButton)
    assert window.date_label.text() == f"{written_date(day, 'zh')} 资产回顾"


def _with_flows(review) -> bool:
    """A review after another, with flows recorded: its change has new money beside it."""
    return (
        review.previous is not None and review.returns is not None and review.returns.flows_recorded
    )


def test_the_summary_figures_of_a_row_line_up_and_the_points_stand_apart(qtbot, ctx):
    """The change figure carries the net new money under it; its row neighbour still starts
    at the top of the row, and "Worth talking about" does not touch the figures."""
    from PySide6.QtWidgets import QLabel, QWidget

    from reviewdesk.review.client_list import list_clients

    with ctx.book.session() as session:
        ids = [c.id for c in list_clients(session, ctx.today) if c.last_review]
    client = next(i for i in ids if _with_flows(load_review(ctx, i)[0]))
    window = open_present(qtbot, ctx, client, lang="en")
    window.resize(1440, 900)
    window.go_to(0)
    qtbot.wait(50)
    page = window.stack.currentWidget()
    assert page.findChild(QLabel, "netNewMoney") is not None
    cells = [c for c in page.findChildren(QWidget, "summaryFigure") if c.isVisible()]
    assert len(cells) == 4

    def top_of_caption(cell) -> int:
        caption = cell.findChildren(QLabel)[0]
        return caption.mapTo(page, caption.rect().topLeft()).y()

    rows: dict[int, list[int]] = {}
    for cell in cells:
        rows.setdefault(cell.mapTo(page, cell.rect().topLeft()).y(), []).append(
            top_of_caption(cell)
        )
    assert len(rows) == 2
    for tops in rows.values():
        assert len(set(tops)) == 1, tops
    for cell in cells:  # no label stretched to the row's height (its text then sits lower)
        for label in cell.findChildren(QLabel):
            assert label.height() <= label.sizeHint().height() + 1, label.text()
    figures = page.findChild(QWidget, "summaryFigure").parentWidget()
    heading = next(
        label for label in figures.findChildren(QLabel) if label.text() == "Worth talking about"
    )
    bottom = max(c.mapTo(page, c.rect().bottomLeft()).y() for c in cells)
    assert heading.mapTo(page, heading.rect().topLeft()).y() - bottom >= 10


def test_the_managers_cue_on_a_point_stays_on_the_managers_screen(qtbot, family_ctx):
    """A point worth raising states the facts wherever the client reads it (present mode,
    the pack); what the manager is to do about it ("Redo it in this meeting.", "Explain
    why.") is on the manager's own review page only. Found: present mode and the pack
    told the client "...well below its benchmark ...: explain why." """
    import io
    from functools import partial

    from pypdf import PdfReader

    from reviewdesk.gui.review_page import ReviewPage
    from reviewdesk.i18n import written_date
    from reviewdesk.pack.document import render_pack
    from tests.gui.test_review_page import shown

    cid = family_ctx.ids["王建国"]  # an expired assessment: a point with a cue
    review, _dates = load_review(family_ctx, cid)
    cued = [p for p in review.talking_points if p.prompt("en")]
    assert cued
    page = ReviewPage(family_ctx)
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.show()
    on_page = shown(qtbot, page, cid)
    for lang in ("en", "zh"):
        window = open_present(qtbot, family_ctx, cid, lang=lang)
        present = "\n".join(every_page_text(qtbot, window))
        window.close()
        pack = "".join(
            "".join(p.extract_text().split())
            for p in PdfReader(io.BytesIO(render_pack(review, lang))).pages
        )
        for point in cued:
            # Present mode and the pack write the point's date as their sentences write
            # one: "2 Mar 2026", "2026年3月2日".
            said = partial(written_date, lang=lang)
            text, prompt = point.text(lang, review.currency, said), point.prompt(lang)
            assert text in present and "".join(text.split())[:40] in pack
            assert prompt not in present and "".join(prompt.split()) not in pack
    for point in cued:  # the page in the interface's language (English here)
        said = partial(written_date, lang="en")
        assert point.for_manager("en", review.currency, said) in on_page


PRESENT_TODAY = dt.date(2026, 6, 10)
PAGES = [key for key, _title in SECTIONS]


def _present_review(qtbot, book, *snapshots, assessments=(), lang="zh"):
    """Present mode over a review built from `snapshots` (and `assessments`)."""
    with book.session() as session:
        client = f.client("P1", "韩梅")
        client.snapshots = list(snapshots)
        client.assessments = list(assessments)
        session.add(client)
        session.flush()
        review = build_review(session, client.id, settings=Settings(), today=PRESENT_TODAY)
    window = PresentWindow(review, full_screen=False, lang=lang)
    qtbot.addWidget(window)
    window.present()
    qtbot.waitExposed(window)
    return review, window


def test_a_fund_with_no_rating_is_named_on_screen_without_an_assessment(qtbot, book):
    """Found: with no assessment, an equity fund recorded without its rating: present mode
    read 「目前没有 R2 及以上的持仓」 and never named the fund; a fund sold since the last
    review read 「已结清」 (paid off) where the book only knows it is no longer held."""
    review, window = _present_review(
        qtbot,
        book,
        f.snapshot(
            dt.date(2026, 4, 30),
            f.holding("旧基金", "50000", risk_level=RiskLevel.R1),
            f.holding("新发股票基金", "300000", risk_level=None),
        ),
        f.snapshot(
            dt.date(2026, 5, 31),
            f.holding("新发股票基金", "310000", risk_level=None),
            f.holding("活期存款", "10000", asset_class=AssetClass.DEPOSIT, risk_level=RiskLevel.R1),
        ),
    )
    tr = translator("zh")
    window.go_to(PAGES.index("risk"))
    risk_text = "\n".join(visible_texts(window))
    assert unrated_sentence(("新发股票基金",), "zh") in risk_text
    assert tr(NONE_RATED_R2_LINE) not in risk_text and "没有 R2 及以上" not in risk_text
    window.go_to(PAGES.index("holdings"))
    holdings_text = visible_texts(window)
    assert "已不再持有" in holdings_text and "已结清" not in holdings_text
    assert tr("Gone") == tr("No longer held")  # the pack's words for it


def test_a_loan_alone_is_not_said_to_be_within_level_on_screen(qtbot, book):
    """Found: a snapshot of a mortgage alone read "Every holding is within the client's
    risk level." beside a valid assessment."""
    _review, window = _present_review(
        qtbot,
        book,
        f.snapshot(
            dt.date(2026, 5, 31),
            f.holding("住房按揭", "400000", asset_class=AssetClass.LOAN, risk_level=None),
        ),
        assessments=[
            RiskAssessment(
                assessed_on=dt.date(2026, 1, 5),
                level=ClientRiskLevel.C3,
                valid_until=dt.date(2027, 1, 5),
            )
        ],
        lang="en",
    )
    window.go_to(PAGES.index("risk"))
    risk_text = "\n".join(visible_texts(window))
    assert "is within the client's risk level" not in risk_text
    assert translator("en")(NOTHING_TO_JUDGE_LINE) in risk_text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_assets_without_a_rating_are_not_said_to_be_within_level_on_screen(qtbot, book, lang):
    """Found: a fund within a valid C3 assessment beside a structured deposit (recorded as a
    deposit), an investment-linked policy (as insurance cash value) and a flat, the three
    without a product risk rating: present mode read "Every holding is within the client's
    risk level." as the pack did. It now says the verdict of the assets with a rating on
    record, and names the classes of those not judged, as the pack does."""
    review, window = _present_review(
        qtbot,
        book,
        f.snapshot(
            dt.date(2026, 5, 31),
            f.holding("稳健债券基金", "100000", risk_level=RiskLevel.R2),
            f.holding("结构性存款A", "200000", asset_class=AssetClass.DEPOSIT, risk_level=None),
            f.holding("投连险", "80000", asset_class=AssetClass.INSURANCE, risk_level=None),
            f.holding("九龙住宅", "3000000", asset_class=AssetClass.PROPERTY, risk_level=None),
        ),
        assessments=[
            RiskAssessment(
                assessed_on=dt.date(2026, 1, 5),
                level=ClientRiskLevel.C3,
                valid_until=dt.date(2027, 1, 5),
            )
        ],
        lang=lang,
    )
    window.go_to(PAGES.index("risk"))
    risk_text = "\n".join(visible_texts(window))
    assert "Every holding is within" not in risk_text and "所有持仓均在" not in risk_text
    assert translator(lang)(WITHIN_LEVEL_LINE) in risk_text
    classes = (AssetClass.DEPOSIT, AssetClass.INSURANCE, AssetClass.PROPERTY)
    assert review.unjudged_classes == classes
    assert unjudged_sentence(classes, lang) in risk_text


def test_the_trend_page_says_where_a_rate_is_missing(qtbot, book):
    """Found: a EUR bond left out of the second review's total for want of a rate; the
    trend's bars dropped by its value there, and present mode's trend page said nothing of
    it. The page now says, as the pack's caption does, that the money put in is not drawn
    beyond the first review and which total leaves EUR out."""
    import datetime as dt
    from decimal import Decimal

    from reviewdesk.book.enums import AssetClass, FlowKind
    from reviewdesk.book.flows import record_flow
    from tests import factories as f
    from tests.gui.returns_books import client_ctx

    def bond():
        return f.holding("欧元债券", "25000", "EUR", AssetClass.BOND)

    def add(session) -> int:
        client = f.client("T1", "赵磊")
        client.snapshots = [
            f.snapshot(dt.date(2026, 1, 31), f.holding(), bond(), rates={("EUR", "CNY"): "8"}),
            f.snapshot(dt.date(2026, 2, 28), f.holding(value="110000"), bond()),
            f.snapshot(
                dt.date(2026, 3, 31),
                f.holding(value="120000"),
                bond(),
                rates={("EUR", "CNY"): "8"},
            ),
        ]
        session.add(client)
        session.flush()
        record_flow(
            session,
            client.id,
            dt.date(2026, 2, 10),
            Decimal(5_000),
            FlowKind.DEPOSIT,
            today=dt.date(2026, 4, 15),
        )
        session.commit()
        return client.id

    ctx = client_ctx(book, add)
    window = open_present(qtbot, ctx, ctx.client_id, lang="en")
    window.go_to([key for key, _title in SECTIONS].index("trend"))
    shown = "\n".join(visible_texts(window))
    assert "The money put in since 31 Jan 2026 is not drawn" in shown
    assert "Totals that leave out holdings for want of an exchange rate: 28 Feb 2026 (EUR)." in (
        shown
    )


def test_a_chart_the_client_reads_says_its_notes_in_the_meetings_language(qtbot):
    """Found: present mode in Chinese showed "Drawing the chart…" in the app's English, and
    a chart that failed showed the error's own words to the client."""
    from reviewdesk.gui.charts_view import ChartView
    from reviewdesk.i18n import set_language, translator

    def fails():
        raise RuntimeError("font cache locked: /home/manager/.cache")

    set_language("en")
    shown = ChartView(lang="zh")
    qtbot.addWidget(shown)
    shown.build(fails)
    assert shown._note.text() == translator("zh")("Drawing the chart…") != "Drawing the chart…"
    qtbot.waitUntil(lambda: shown._note.text() == "图表无法绘制。", timeout=5000)
    # The manager's own screen says what went wrong, in the app's language.
    own = ChartView()
    qtbot.addWidget(own)
    own.build(fails)
    qtbot.waitUntil(lambda: "font cache locked" in own._note.text(), timeout=5000)
    assert own._note.text().startswith("The chart could not be drawn: ")


def test_the_next_steps_page_says_what_is_overdue_and_denies_no_step(qtbot, book):
    """Found: present mode on 10 Jun 2026 showed "Send insurance quote — Due by 2026-02-01"
    as if still on time, and with the only other open step kept internal it would have
    read "No open next step."; the page now says the first is overdue, in the core's
    words, as the pack does."""
    from reviewdesk.book.enums import Channel
    from reviewdesk.book.models import Contact
    from reviewdesk.review.model import NO_NEXT_STEP_LINE, OVERDUE_STEP

    def step(text, due, shared=True):
        return Contact(
            contact_date=dt.date(2026, 1, 15),
            channel=Channel.MEETING,
            next_step=text,
            next_step_shared=shared,
            next_step_due=due,
        )

    for lang in ("en", "zh"):
        with book.session() as session:
            client = f.client(f"S{lang}", "韩梅")
            client.snapshots = [f.snapshot(dt.date(2026, 5, 31), f.holding())]
            client.contacts = [step("Send insurance quote", dt.date(2026, 2, 1))]
            other = f.client(f"T{lang}", "李雷")
            other.snapshots = [f.snapshot(dt.date(2026, 5, 31), f.holding())]
            other.contacts = [step("内部审批", dt.date(2026, 6, 30), shared=False)]
            session.add_all([client, other])
            session.flush()
            overdue = build_review(session, client.id, settings=Settings(), today=PRESENT_TODAY)
            internal = build_review(session, other.id, settings=Settings(), today=PRESENT_TODAY)
        tr = translator(lang)
        for review, said, unsaid in (
            (overdue, tr(OVERDUE_STEP).format(date="2026-02-01"), None),
            (internal, tr(NO_NEXT_STEP_LINE), "内部审批"),
        ):
            window = PresentWindow(review, full_screen=False, lang=lang)
            qtbot.addWidget(window)
            window.present()
            window.go_to(PAGES.index("next_steps"))
            texts = visible_texts(window)
            assert said in texts
            assert unsaid is None or unsaid not in "\n".join(texts)
            assert not any("No open next step" in t or "暂无待办" in t for t in texts)
            window.close()


def test_the_maturities_page_reads_the_latest_holdings_and_names_undated_term_products(qtbot, book):
    """Found: present mode of the 31 Jan review on 10 Jun listed "2026-06-20 Bond X", a bond
    the 31 May review shows was no longer held, and a bond recorded without its maturity
    date was covered by "No holding on record matures in this period." alone."""
    from reviewdesk.review.model import MATURITY_BASIS_LINE, UNDATED_TERM_LINE

    jan = dt.date(2026, 1, 31)
    bond_x = f.holding(
        "Bond X", "200000", asset_class=AssetClass.BOND, maturity_date=dt.date(2026, 6, 20)
    )
    with book.session() as session:
        client = f.client("M1", "韩梅")
        client.snapshots = [
            f.snapshot(jan, f.holding(), bond_x),
            f.snapshot(
                dt.date(2026, 5, 31),
                f.holding(),
                f.holding("Undated bond", "150000", asset_class=AssetClass.BOND),
            ),
        ]
        session.add(client)
        session.flush()
        review = build_review(session, client.id, jan, settings=Settings(), today=PRESENT_TODAY)
    for lang in ("en", "zh"):
        tr = translator(lang)
        window = PresentWindow(review, full_screen=False, lang=lang)
        qtbot.addWidget(window)
        window.present()
        window.go_to(PAGES.index("next_steps"))
        texts = visible_texts(window)
        assert "Bond X" not in texts and "2026-06-20" not in texts
        said = written_date(dt.date(2026, 5, 31), lang)  # as the pack writes it in a sentence
        assert tr(MATURITY_BASIS_LINE).format(date=said) in texts
        assert tr(UNDATED_TERM_LINE).format(names="Undated bond") in texts
        window.close()


def test_the_holdings_mark_names_the_expired_assessment(qtbot, family_ctx):
    """Found: with the assessment expired, the flag beside a holding's risk level on the
    holdings page said "Above the client's risk level" while the risk page said the mark
    was against the expired assessment and suitability could not be assessed."""
    from PySide6.QtWidgets import QTableWidget

    window = open_present(qtbot, family_ctx, family_ctx.ids["王建国"], lang="zh")
    assert window.review.risk.expired
    window.go_to(1)
    table = window.stack.currentWidget().findChild(QTableWidget, "reviewHoldings")
    tips = [
        table.item(row, col).toolTip()
        for row in range(table.rowCount())
        for col in range(table.columnCount())
        if table.item(row, col) is not None and table.item(row, col).text().startswith("⚠")
    ]
    assert tips and set(tips) == {"高于已过期评估的等级（C2 稳健型）"}


def test_present_mode_opens_on_the_screen_turned_to_the_client():
    """Found: present mode always opened on the primary screen, which may be the manager's
    own; with a second screen connected it now opens on the one the manager's window is not
    on, as a presentation program does, and with one screen on that one."""
    from reviewdesk.gui.present import presentation_screen

    laptop, tv, third = "laptop", "tv", "third"
    assert presentation_screen(laptop, [laptop, tv], laptop) == tv
    assert presentation_screen(tv, [laptop, tv], laptop) == laptop  # the window on the TV
    assert presentation_screen(laptop, [laptop, tv, third], laptop) == tv
    assert presentation_screen(laptop, [laptop], laptop) == laptop
    assert presentation_screen(None, [laptop, tv], laptop) == laptop  # no window: primary


def test_the_english_insurance_page_reads_as_the_packs(qtbot, family_ctx):
    """Found in present mode, read across an English demo book: "Emily Lam (client)" above
    "Daniel Lam (Spouse)", where the pack reads "(Client)"; "premiums … a year (limit
    62,500.00)" and "Premiums exceed the planned share of income." where the pack names
    the guide ("guide: at most 10.0%"); "No holdings in this snapshot." (the book's word)."""
    window = open_present(qtbot, family_ctx, family_ctx.ids["王建国"], lang="en")
    window.go_to(5)
    text = "\n".join(visible_texts(window))
    assert "王建国 (Client)" in text and "(client)" not in text
    assert "(limit" not in text and "planned share" not in text
    if "premiums" in text:
        assert "(guide: at most" in text


def test_an_assessment_is_said_to_expire_the_day_after_it_is_valid_until(qtbot, book):
    """Found: present mode read "有效期至 2026-06-09" above "无法评估适当性：风险评估已于
    2026-06-09 过期。", and the key point the same: valid on the 9th, expired on the 10th."""
    _review, window = _present_review(
        qtbot,
        book,
        f.snapshot(dt.date(2026, 5, 31), f.holding("平衡混合基金", "100000")),
        assessments=[
            RiskAssessment(
                assessed_on=dt.date(2026, 1, 1),
                level=ClientRiskLevel.C3,
                valid_until=dt.date(2026, 6, 9),
            )
        ],
    )
    said = "\n".join(every_page_text(qtbot, window))
    # A date in a sentence is written as the pack writes it (`Fmt.said`).
    assert "无法评估适当性：风险评估已于 2026年6月10日 过期。" in said
    assert "风险评估已于 2026年6月10日 过期，在重新评估之前" in said
    assert "2026年6月9日 过期" not in said


def test_a_liabilitys_group_is_titled_as_the_pack_titles_it(qtbot, book):
    """Found: present mode titled the mortgage's group "Loan" where the pack read "Loan
    (liability)" ("贷款" / "贷款（负债）"): one title for the group, on every face."""
    review, window = _present_review(
        qtbot,
        book,
        f.snapshot(
            dt.date(2026, 5, 31),
            f.holding("平衡混合基金", "500000"),
            f.holding("住房按揭", "300000", asset_class=AssetClass.LOAN, risk_level=None),
        ),
        lang="en",
    )
    loan = next(g for g in review.groups if g.asset_class is AssetClass.LOAN)
    assert loan.title("en") == "Loan (liability)"
    said = "\n".join(every_page_text(qtbot, window))
    assert "Loan (liability)" in said
