"""The review page shows the review object's numbers, flags and charts, in either language."""

import datetime as dt

from reviewdesk.gui.review_page import ReviewPage
from reviewdesk.i18n import set_language
from tests.gui.conftest import figure_texts, visible_texts


def shown(qtbot, page, client_id, review_date=None):
    with qtbot.waitSignal(page.review_shown, timeout=10000):
        page.load(client_id, review_date)
    qtbot.waitUntil(
        lambda: page.allocation_chart.canvas is not None and page.trend_chart.canvas is not None,
        timeout=10000,
    )
    return "\n".join(visible_texts(page))


def row_of(page, product):
    from PySide6.QtWidgets import QTableWidget

    for table in page.findChildren(QTableWidget):
        for row in range(table.rowCount()):
            item = table.item(row, 0)
            if item is not None and item.text().strip() == product:
                return [
                    table.item(row, c).text() if table.item(row, c) else ""
                    for c in range(table.columnCount())
                ]
    raise AssertionError(f"{product} not in any table")


def test_the_page_shows_the_reviews_numbers_and_flags(qtbot, family_ctx):
    page = ReviewPage(family_ctx)
    qtbot.addWidget(page)
    page.show()
    text = shown(qtbot, page, family_ctx.ids["王建国"])
    # 2026-03-31: fund 200,000 + deposit 50,000; 2026-05-31: fund 212,345 + bond 80,000
    assert "CNY 292,345.00" in text
    assert "+42,345.00 (+16.9%)" in text
    assert "Change since 31 Mar 2026" in text
    fund = row_of(page, "易方达蓝筹")
    assert fund[:2] == ["  易方达蓝筹", "This bank"] and "⚠ R4" in fund
    assert "212,345.00" in fund and "+12,345.00" in fund and "+6.2%" in fund
    assert row_of(page, "国债2026")[-1] == "New"
    assert row_of(page, "活期存款")[-1] == "Gone"
    assert "The assessment has expired" in text
    # Expired: suitability is not judged, the R4 fund is listed as needing an assessment.
    assert "Suitability cannot be assessed: the risk assessment expired on" in text
    assert "above the level of the expired assessment" in text
    assert "is within the client's risk level" not in text
    assert "16 days" in text and "2026-07-01" in text  # the bond matures within 90 days
    assert "补充重疾险" in text  # the agreed next step
    assert "Double-ten rule" in text  # the rules behind the needs are stated
    assert "王建军" not in text
    allocation = figure_texts(page.allocation_chart.figure)
    assert any(t.startswith("Fund") for t in allocation)
    assert page.last_show_ms is not None


def test_choosing_another_date_loads_that_review(qtbot, family_ctx):
    page = ReviewPage(family_ctx)
    qtbot.addWidget(page)
    page.show()
    shown(qtbot, page, family_ctx.ids["王建国"])
    assert [page.date_box.itemText(i) for i in range(page.date_box.count())] == [
        "2026-05-31",
        "2026-03-31",
    ]
    with (
        qtbot.waitSignal(page.date_changed) as changed,
        qtbot.waitSignal(page.review_shown, timeout=10000),
    ):
        page.date_box.activated.emit(1)
    assert changed.args == [dt.date(2026, 3, 31)]
    assert page.review.review_date == dt.date(2026, 3, 31)
    text = "\n".join(visible_texts(page))
    assert "CNY 250,000.00" in text and "first review" in text
    assert page.date_box.currentText() == "2026-03-31"


def test_the_page_follows_the_language(qtbot, family_ctx):
    page = ReviewPage(family_ctx)
    qtbot.addWidget(page)
    page.show()
    shown(qtbot, page, family_ctx.ids["王建国"])
    set_language("zh")
    page.retranslate()
    qtbot.waitUntil(lambda: page.allocation_chart.canvas is not None, timeout=10000)
    text = "\n".join(visible_texts(page))
    assert "29.23万 CNY" in text and "概览" in text and "持仓明细" in text
    assert "新增" in text and "风险评估已过期" in text
    for english in ("Summary", "Holdings", "Net worth", "New", "Gone", "Review of"):
        assert english not in visible_texts(page)
    assert any(t.startswith("基金") for t in figure_texts(page.allocation_chart.figure))


def test_clear_and_a_client_without_a_snapshot(qtbot, family_ctx):
    from tests import factories as f

    with family_ctx.book.session() as session:
        newcomer = f.client("N1", "赵新客")
        session.add(newcomer)
        session.flush()
        newcomer_id = newcomer.id
    page = ReviewPage(family_ctx)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.load_failed, timeout=10000):
        page.load(newcomer_id)
    assert "no snapshot yet" in page.note.text() and page.review is None
    shown(qtbot, page, family_ctx.ids["王建国"])
    page.clear()
    assert page.review is None and page.body is None and page.date_box.count() == 0


def test_a_demo_review_with_charts(qtbot, demo_ctx):
    page = ReviewPage(demo_ctx)
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.show()
    text = shown(qtbot, page, 1)
    assert page.review.client.name in text
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import same_color
    from matplotlib.patches import Rectangle

    from reviewdesk.charts import style

    artists = page.trend_chart.figure.artists
    keys = [
        a
        for a in artists
        if isinstance(a, Rectangle) and same_color(a.get_facecolor(), style.ACCENT)
    ]
    (bars,) = [a for a in artists if isinstance(a, PolyCollection)]
    assert same_color(bars.get_facecolor()[0], style.ACCENT)
    assert len(keys) == 1  # the key's mark
    assert len(bars.get_paths()) == len(page.review.trend)  # one bar per review


def test_a_page_filled_again_shows_what_a_new_page_shows(qtbot, demo_ctx):
    """A switch of client fills the page's widgets again (the same body, tables and
    charts): what it then shows is word for word what a page made for that client shows,
    and nothing of the client before stays."""
    from PySide6.QtWidgets import QTableWidget

    from reviewdesk.review.client_list import list_clients

    with demo_ctx.book.session() as session:
        ids = [c.id for c in list_clients(session, demo_ctx.today) if c.last_review]
    page = ReviewPage(demo_ctx)
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.show()
    shown(qtbot, page, ids[0])
    body, charts = page.body, (page.allocation_chart, page.trend_chart)
    tables = set(page.findChildren(QTableWidget))
    kept_tables = 0
    for client_id in ids[1:8] + ids[:1]:
        again = shown(qtbot, page, client_id)
        fresh = ReviewPage(demo_ctx)
        qtbot.addWidget(fresh)
        fresh.resize(1200, 900)
        fresh.show()
        # the same lines (in the order of their widgets' making, which differs)
        assert sorted(again.splitlines()) == sorted(shown(qtbot, fresh, client_id).splitlines())
        assert figure_texts(page.trend_chart.figure) == figure_texts(fresh.trend_chart.figure)
        assert (page.performance_chart is None) == (fresh.performance_chart is None)
        assert page.body is body and (page.allocation_chart, page.trend_chart) == charts
        kept_tables += len(tables & set(page.findChildren(QTableWidget)))
        fresh.close()
    assert kept_tables  # tables of the same columns were filled again, not made anew
