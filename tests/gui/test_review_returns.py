"""The review page and present mode show the returns of `Review.returns`, as returns.py
computes them, formatted and never computed again; present mode shows no internal note."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from PySide6.QtWidgets import QLabel, QTableWidget, QWidget

from reviewdesk.app import AppContext
from reviewdesk.book.enums import FlowKind
from reviewdesk.book.flows import record_flow
from reviewdesk.gui import review_sections as sections
from reviewdesk.gui.present import SECTIONS, PresentWindow
from reviewdesk.gui.review_page import ReviewPage, load_review
from reviewdesk.i18n import set_language
from reviewdesk.money import format_return
from reviewdesk.review.returns import Span
from tests import factories as f
from tests.conftest import AS_OF
from tests.gui.conftest import figure_texts, visible_texts
from tests.gui.returns_books import INTERNAL_NOTE, add_example_client

TWR_COLUMN, MWR_COLUMN = 6, 7


@pytest.fixture
def returns_ctx(book):
    with book.session() as session:
        client_id = add_example_client(session)
        # a client with a dollar holding and no dollar rate at the first review
        other = f.client("R2", "周敏")
        other.snapshots = [
            f.snapshot(dt.date(2026, 1, 31), f.holding("美元存款", "1000", currency="USD")),
            f.snapshot(
                dt.date(2026, 2, 28),
                f.holding("美元存款", "1000", currency="USD"),
                rates={("USD", "CNY"): "7.2"},
            ),
        ]
        session.add(other)
        session.flush()
        other_id = other.id
        record_flow(session, other_id, dt.date(2026, 2, 10), D(5000), FlowKind.DEPOSIT, today=AS_OF)
        # a client with two reviews and no flow recorded
        quiet = f.client("R3", "钱安")
        quiet.snapshots = [
            f.snapshot(dt.date(2026, 1, 31), f.holding("稳健理财", "500000")),
            f.snapshot(dt.date(2026, 2, 28), f.holding("稳健理财", "512000")),
        ]
        session.add(quiet)
        session.flush()
        quiet_id = quiet.id
    ctx = AppContext(db=book.url, today=AS_OF, user="tester", _book=book)
    ctx.client_id, ctx.other_id, ctx.quiet_id = client_id, other_id, quiet_id
    return ctx


def _page(qtbot, ctx, client_id, lang="en") -> tuple[ReviewPage, object]:
    set_language(lang)
    review, dates = load_review(ctx, client_id)
    page = ReviewPage(ctx)
    qtbot.addWidget(page)
    page.show_review(review, dates)
    return page, review


def _rows(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_review_page_shows_the_returns_as_returns_py_computes_them(qtbot, returns_ctx, lang):
    page, review = _page(qtbot, returns_ctx, returns_ctx.client_id, lang)
    table = page.findChild(QTableWidget, "returnsTable")
    assert table is not None
    rows = _rows(table)
    spans = review.returns.spans
    assert len(rows) == len(spans)
    fmt = sections.Fmt(review, lang)
    for row, span in zip(rows, spans, strict=True):
        assert row[TWR_COLUMN] == format_return(span.twr, lang)
        assert row[MWR_COLUMN] == format_return(span.mwr, lang)
        assert row[2:6] == [
            fmt.whole(span.start_value),
            fmt.whole(span.net_flows, signed=True),
            fmt.whole(span.market_gain, signed=True),
            fmt.whole(span.end_value),
        ]
    if lang == "en":
        assert rows[0][2:6] == ["1,030,000", "+100,000", "-70,000", "1,060,000"]
    # the worked example: -6.59% since the previous review, -1.87% over the two periods
    previous = review.returns.span(Span.SINCE_PREVIOUS)
    first = review.returns.span(Span.SINCE_FIRST)
    assert previous.twr.quantize(D("0.0001")) == D("-0.0659")
    assert first.twr.quantize(D("0.0001")) == D("-0.0187")
    # to two decimals of a percent, as the pack prints them
    assert rows[0][TWR_COLUMN] == "-6.59%" and rows[-1][TWR_COLUMN] == "-1.87%"
    assert first.net_flows == D(80000)

    # beside the change (+60,000), the net new money of the period (+100,000)
    net = page.findChild(QLabel, "netNewMoney")
    assert net is not None and fmt.signed(previous.net_flows) in net.text()
    texts = "\n".join(visible_texts(page))
    assert fmt.signed(review.change) in texts
    # the waterfall of the latest period, through the charts view (the pack's builder)
    chart = page.performance_chart
    assert chart is not None
    qtbot.waitUntil(lambda: chart.canvas is not None, timeout=10_000)
    drawn = figure_texts(chart.figure)
    assert fmt.tr("Net new money") in drawn and fmt.tr("Market gain") in drawn
    # the trend, as in the pack: the money put in (the first review plus the net new money)
    trend = page.trend_chart
    qtbot.waitUntil(lambda: trend.canvas is not None, timeout=10_000)
    assert fmt.tr("Start + net new money") in figure_texts(trend.figure)
    if lang == "zh":
        assert "时间加权收益率" in texts and "净投入" in texts
        assert "Net new money" not in texts and "Time-weighted" not in texts
    else:
        assert "Time-weighted" in texts and "Net new money" in texts


def test_a_missing_return_is_said_in_words(qtbot, returns_ctx):
    page, review = _page(qtbot, returns_ctx, returns_ctx.other_id)
    span = review.returns.span(Span.SINCE_PREVIOUS)
    assert span.twr is None and span.mwr is None
    row = _rows(page.findChild(QTableWidget, "returnsTable"))[0]
    assert row[TWR_COLUMN] == row[MWR_COLUMN] == "no rate"
    texts = "\n".join(visible_texts(page))
    assert "lacks an exchange rate for USD" in texts


def test_a_first_review_says_returns_need_two(qtbot, returns_ctx):
    set_language("en")
    review, dates = load_review(returns_ctx, returns_ctx.client_id, dt.date(2026, 1, 31))
    page = ReviewPage(returns_ctx)
    qtbot.addWidget(page)
    page.show_review(review, dates)
    assert page.findChild(QTableWidget, "returnsTable") is None
    assert page.performance_chart is None
    assert "with one review on record there is nothing to measure yet" in "\n".join(
        visible_texts(page)
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_without_a_recorded_flow_no_return_is_shown_only_what_is_needed(qtbot, returns_ctx, lang):
    """No flow recorded is not "no money moved": the page, present mode and the pack say
    the change is not split and what is needed, in the same words, with no return, no
    "net new money 0" and no waterfall."""
    import io

    from pypdf import PdfReader

    from reviewdesk.pack.produce import pack_from_review
    from reviewdesk.review import returns_text as words

    page, review = _page(qtbot, returns_ctx, returns_ctx.quiet_id, lang)
    assert review.returns is not None and not review.returns.flows_recorded
    assert page.findChild(QTableWidget, "returnsTable") is None
    assert page.performance_chart is None
    assert page.findChild(QLabel, "netNewMoney") is None
    shown = [label.text() for label in page.findChildren(QLabel, "returnsUnmeasured")]
    feb, jan = (
        ("28 Feb 2026", "31 Jan 2026") if lang == "en" else ("2026年2月28日", "2026年1月31日")
    )
    assert len(shown) == 2 and feb in shown[0]
    # the same words as the pack's, the date written as the pack's sentences write it
    mark = "\x00"
    span = review.returns.spans[-1]
    before, after = words.unmeasured_sentences(
        lang,
        span,
        date=lambda day: mark if day == span.start else "",
        money=lambda _amount: "",
        signed=lambda _amount: "",
        pct=lambda _amount: "",
    )[1].split(mark)
    assert shown[1] == before + jan + after
    window = PresentWindow(review, full_screen=False, lang=lang)
    qtbot.addWidget(window)
    present = [label.text() for label in window.findChildren(QLabel, "returnsUnmeasured")]
    assert present == shown
    pack = pack_from_review(review, lang, "a4")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.data)).pages)
    squash = lambda t: "".join(t.split())  # noqa: E731 - the pack wraps lines
    assert squash(before) in squash(text) and squash(after) in squash(text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_present_mode_shows_the_same_figures_and_no_internal_note(qtbot, returns_ctx, lang):
    review, _dates = load_review(returns_ctx, returns_ctx.client_id)
    window = PresentWindow(review, full_screen=False, lang=lang)
    qtbot.addWidget(window)
    window.present()
    qtbot.waitExposed(window)
    texts = []
    for index in range(window.page_count):
        window.go_to(index)
        texts.extend(visible_texts(window))
    joined = "\n".join(texts)
    assert INTERNAL_NOTE not in joined
    assert window.findChild(QLabel, "internalNote") is None

    window.go_to([key for key, _title in SECTIONS].index("performance"))
    table = window.stack.currentWidget().findChild(QTableWidget, "returnsTable")
    rows = _rows(table)
    for row, span in zip(rows, review.returns.spans, strict=True):
        assert row[TWR_COLUMN] == format_return(span.twr, lang)
        assert row[MWR_COLUMN] == format_return(span.mwr, lang)
    qtbot.waitUntil(lambda: all(c.canvas is not None for c in window.charts), timeout=10_000)
    performance = window.stack.currentWidget().findChild(QWidget, "performanceChart")
    assert performance in window.charts
    fmt = sections.Fmt(review, lang)
    assert fmt.tr("Net new money") in figure_texts(performance.figure)
    window.go_to(0)
    net = window.stack.currentWidget().findChild(QLabel, "netNewMoney")
    assert fmt.signed(review.returns.span(Span.SINCE_PREVIOUS).net_flows) in net.text()
    window.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_flow_without_a_rate_to_the_report_currency_is_said_on_screen(qtbot, book, lang):
    """Found: after the report currency changed from CNY to HKD, a CNY deposit recorded
    before read on the review page and in present mode as "a review in that time has no
    exchange rate for CNY, so its total leaves those holdings out" (every holding in HKD,
    the change +50,000 shown above), with "the date and amount of every deposit..." asked
    for. Both now show the spans with the reason, as the pack: the deposit has no rate to
    HKD."""
    with book.session() as session:
        client = f.client("R4", "陈静")
        client.snapshots = [
            f.snapshot(dt.date(2026, 1, 31), f.holding("港币存款", "1000000", "HKD")),
            f.snapshot(dt.date(2026, 3, 31), f.holding("港币存款", "1050000", "HKD")),
        ]
        session.add(client)
        session.flush()
        record_flow(
            session, client.id, dt.date(2026, 2, 10), D(50000), FlowKind.DEPOSIT, today=AS_OF
        )
        client.report_currency = "HKD"
        client_id = client.id
    ctx = AppContext(db=book.url, today=AS_OF, user="tester", _book=book)
    page, review = _page(qtbot, ctx, client_id, lang)
    fmt = sections.Fmt(review, lang)
    tr = fmt.tr
    assert page.findChild(QLabel, "returnsUnmeasured") is None
    rows = _rows(page.findChild(QTableWidget, "returnsTable"))
    assert rows[0][3] == rows[0][4] == "—"  # neither new money nor market gain is known
    assert rows[0][TWR_COLUMN] == rows[0][MWR_COLUMN] == tr("flow not valued")
    notes = [label.text() for label in page.findChildren(QLabel, "returnsNote")]
    texts = "\n".join(visible_texts(page))
    assert fmt.signed(D(50000)) in texts
    if lang == "en":
        assert (
            "Flow not valued: there is no exchange rate to HKD for the deposit of 10 Feb 2026 "
            "in CNY, so no return is given over a span that includes it." in notes
        )
        assert "leaves those holdings out" not in texts and "every deposit" not in texts
    else:
        assert (
            "流水未折算：2026年2月10日以 CNY 记录的存入没有折算为 HKD 的汇率，"
            "包含该笔流水的区间不列示收益率。" in notes
        )
        assert "其合计未计入这些持仓" not in texts and "每笔存入" not in texts
    window = PresentWindow(review, full_screen=False, lang=lang)
    qtbot.addWidget(window)
    window.go_to([key for key, _title in SECTIONS].index("performance"))
    present = window.stack.currentWidget()
    assert _rows(present.findChild(QTableWidget, "returnsTable")) == rows
    assert [label.text() for label in present.findChildren(QLabel, "returnsNote")] == notes
    window.close()


def test_the_market_gain_is_said_under_the_change_as_the_pack_says_it(qtbot, returns_ctx):
    """Found: present mode and the review page gave the net new money under the change and
    no market gain, where the pack prints both and says what each counts: a client read the
    rest of the change as the market's, though the change counts property and debts."""
    page, review = _page(qtbot, returns_ctx, returns_ctx.client_id)
    fmt = sections.Fmt(review, "en")
    latest = review.returns.latest_split
    under = page.findChild(QLabel, "netNewMoney").text()
    assert fmt.signed(latest.net_flows) in under
    assert fmt.tr("Market gain {amount}").format(amount=fmt.signed(latest.market_gain)) in under
    texts = "\n".join(visible_texts(page))
    assert "Net new money and market gain: those of the financial assets" in texts
