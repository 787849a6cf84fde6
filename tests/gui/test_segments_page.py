import datetime as dt
from decimal import Decimal

import pytest
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import QItemSelectionModel
from sqlalchemy import select

from reviewdesk.book.enums import Tier
from reviewdesk.book.models import AuditEntry, Client
from reviewdesk.gui.segments_page import SegmentsPage
from tests import factories as f
from tests.gui.contact_books import client_id, context

D = dt.date
AMOUNTS = (50, 20, 10, 5, 5, 4, 3, 1, 1, 1)


@pytest.fixture
def page(qtbot, book):
    with book.session() as s:
        for i, amount in enumerate(AMOUNTS):
            holdings = [f.holding(value=f"{amount * 100000}")]
            if i == 9:
                holdings.append(f.holding("他行理财", institution="招商银行", value="3000000"))
            s.add(
                f.client(
                    f"C{i}",
                    f"客户{i}",
                    tier=Tier.KEY if i == 5 else Tier.STANDARD,
                    snapshots=[f.snapshot(D(2025, 2, 28), *holdings)],
                )
            )
    page = SegmentsPage(context(book))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.segmentation is not None, timeout=5000)
    page.resize(1300, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_ranking_chart_and_summary(page):
    assert "3 of 10 clients (30.0%) hold 80.0% of the assets here" in page.summary.text()
    assert page.ranking.rowCount() == 10
    assert page.ranking.data(page.ranking.index(0, 1)) == "客户0"
    assert page.ranking.data(page.ranking.index(2, 7)) == "80.0%"
    assert isinstance(page.canvas, FigureCanvasQTAgg)
    title = page.canvas.figure.axes[0].get_title(loc="left")
    assert title == "3 of 10 clients (30.0%) hold 80.0% of the assets here"  # as the sentence
    assert page.potential.rowCount() == 1
    assert page.potential.rows[0].code == "C9"
    page.rank_box.setCurrentIndex(1)  # by total assets: C9 holds 3.1M in all
    assert page.ranking.rows[0].code == "C0"
    assert page.ranking.rows[1].code == "C9"


def _select(page, codes):
    view = page.suggestions_view
    for row, value in enumerate(page.suggestions.rows):
        if value.code in codes:
            view.selectionModel().select(
                page.suggestions.index(row, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )


def test_accept_and_override_suggested_tiers(qtbot, page, book):
    assert {r.code for r in page.suggestions.rows} == {"C0", "C1", "C2", "C5"}
    _select(page, {"C1", "C2"})
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.accept_button.click()
    assert {r.code for r in page.suggestions.rows} == {"C0", "C5"}
    _select(page, {"C5"})
    with qtbot.waitSignals([page.tier_changed, page.loaded], timeout=5000):
        page.keep_button.click()
    assert {r.code for r in page.suggestions.rows} == {"C0"}
    with book.session() as s:
        assert s.get(Client, client_id(book, "C1")).tier is Tier.KEY
        assert s.get(Client, client_id(book, "C5")).tier is Tier.KEY
        details = s.scalars(
            select(AuditEntry.detail).where(AuditEntry.field == "tier").order_by(AuditEntry.id)
        ).all()
    assert details == [
        "accepted the suggested tier",
        "accepted the suggested tier",
        "kept key against the suggested standard",
    ]


def test_nothing_selected_says_so(page):
    page.accept_button.click()
    assert page.tier_message.text() == "Select one or more clients first."


def test_double_click_opens_the_client(qtbot, page, book):
    index = page.ranking.index(3, 1)
    with qtbot.waitSignal(page.open_client, timeout=1000) as got:
        page.ranking_view.doubleClicked.emit(index)
    assert got.args == [client_id(book, page.ranking.rows[3].code)]
    assert Decimal(0) < page.ranking.rows[3].bank_assets


def test_share_of_clients_rounds_as_money_does(qtbot, book):
    """3 of 80 clients is 3.75%: shown 3.8%, not the 3.7% a float gives."""
    with book.session() as s:
        for i in range(80):
            value = "10000000" if i < 3 else "10000"
            s.add(
                f.client(
                    f"C{i:02}",
                    f"客户{i:02}",
                    snapshots=[f.snapshot(D(2025, 2, 28), f.holding(value=value))],
                )
            )
    page = SegmentsPage(context(book))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.segmentation is not None, timeout=5000)
    assert "3 of 80 clients (3.8%) hold" in page.summary.text()


def test_the_summary_says_who_is_left_out_for_want_of_a_rate(qtbot, book):
    """The page shows the core's sentences, as `segments` prints them: a currency with no
    rate is left out of a client's figures and named, and a client with no rate into the
    book's currency is named, not ranked as holding nothing."""
    with book.session() as s:
        s.add_all(
            [
                f.client(
                    "X",
                    "缺汇率",
                    snapshots=[
                        f.snapshot(
                            D(2025, 2, 28),
                            f.holding(value="1000.125"),
                            f.holding(value="100", currency="EUR"),
                        )
                    ],
                ),
                f.client(
                    "E",
                    "欧元客户",
                    report_currency="EUR",
                    snapshots=[f.snapshot(D(2025, 2, 28), f.holding(value="5", currency="EUR"))],
                ),
            ]
        )
    page = SegmentsPage(context(book))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.segmentation is not None, timeout=5000)
    seg = page.segmentation
    assert page.summary.text() == f"{seg.key_share_text('en')} {seg.rates_text('en')}"
    assert "1 of 1 clients" in page.summary.text()
    assert "缺汇率 (EUR)" in page.summary.text() and "欧元客户 (EUR)" in page.summary.text()
    assert [r.code for r in page.ranking.rows] == ["X"]
    assert page.ranking.data(page.ranking.index(0, 5)) == "CNY 1,000.13"
