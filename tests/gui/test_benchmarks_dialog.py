"""The Benchmarks dialog (index levels, the benchmark per risk level) and the client's own
benchmark on the risk tab: what they save is what the book holds; refusals are shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from PySide6.QtGui import QGuiApplication

from reviewdesk.book.benchmarks import choice_of, levels
from reviewdesk.book.enums import ClientRiskLevel
from reviewdesk.demo import DEMO_BONDS, DEMO_EQUITY
from tests.gui.conftest import book_dump


def _dialog(qtbot, window):
    from reviewdesk.gui.benchmarks_dialog import BenchmarksDialog

    window.benchmarks_action.trigger()
    dialog = window.findChild(BenchmarksDialog)
    qtbot.waitUntil(dialog.isEnabled, timeout=5000)
    return dialog


def test_levels_are_edited_pasted_and_saved_with_the_risk_levels_choices(qtbot, window, ctx):
    dialog = _dialog(qtbot, window)
    with ctx.book.session() as s:
        stored = len(levels(s))
    assert dialog.table.rowCount() == stored > 0
    # The demo's choices are shown: C3 is a 50/50 blend.
    c3 = dialog.level_rows[ClientRiskLevel.C3]
    assert c3.choice() == (DEMO_EQUITY, DEMO_BONDS, 50)

    QGuiApplication.clipboard().setText(
        "名称\t日期\t点位\nNew index\t2024-06-28\t1,000.5\nNew index\t2024-07-31\t1010\n"
    )
    dialog.paste()
    assert dialog.table.rowCount() == stored + 2
    dialog.table.selectRow(0)
    dialog.remove_selected()
    c1 = dialog.level_rows[ClientRiskLevel.C1]
    c1.set_names([DEMO_BONDS, DEMO_EQUITY, "New index"])
    c1.set_choice(("New index", DEMO_BONDS, 30))
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    with ctx.book.session() as s:
        new = [(lv.level_date, lv.level) for lv in levels(s, "New index")]
        assert new == [(dt.date(2024, 6, 28), D("1000.5")), (dt.date(2024, 7, 31), D(1010))]
        assert len(levels(s)) == stored + 1  # one removed
        chosen = choice_of(s, risk_level=ClientRiskLevel.C1)
        assert (chosen.benchmark, chosen.blend, chosen.weight) == ("New index", DEMO_BONDS, 30)


def test_a_bad_level_is_refused_under_the_table_and_nothing_is_saved(qtbot, window, ctx):
    dialog = _dialog(qtbot, window)
    before = book_dump(ctx.book)
    dialog.add_row("Bad index", "2024-06-28", "-3")
    dialog.save()
    qtbot.waitUntil(dialog.message.isVisible, timeout=5000)
    assert "-3" in dialog.message.text()
    assert book_dump(ctx.book) == before
    dialog.table.setRowCount(dialog.table.rowCount() - 1)
    dialog.add_row("Bad index", "someday", "3")
    dialog.save()
    assert "someday" in dialog.message.text() or "Row" in dialog.message.text()
    assert book_dump(ctx.book) == before
    dialog.reject()


def test_the_clients_own_benchmark_on_the_risk_tab(qtbot, ctx):
    from reviewdesk.book.editing import load_client_detail
    from reviewdesk.gui.risk_tab import RiskTab

    with ctx.book.session() as s:
        client = load_client_detail(s, 2)
    tab = RiskTab(ctx)
    qtbot.addWidget(tab)
    tab.show_client(client, 12, 0)
    qtbot.waitUntil(lambda: tab.benchmark_row.first.count() > 2, timeout=5000)
    tab.benchmark_row.set_choice((DEMO_BONDS, DEMO_EQUITY, 75))
    with qtbot.waitSignal(tab.changed, timeout=5000):
        tab.save_benchmark()
    with ctx.book.session() as s:
        own = choice_of(s, client_id=2)
        assert (own.benchmark, own.blend, own.weight) == (DEMO_BONDS, DEMO_EQUITY, 75)
    tab.benchmark_row.set_choice(None)
    with qtbot.waitSignal(tab.changed, timeout=5000):
        tab.save_benchmark()
    with ctx.book.session() as s:
        assert choice_of(s, client_id=2) is None


def test_the_risk_tab_names_the_benchmark_none_stands_for(qtbot, ctx):
    """ "(none)" on a client's risk tab is their risk level's benchmark: the tab names it
    (the one the review sets their returns beside), or says none is chosen."""
    from reviewdesk.book.benchmarks import clear_choice, client_benchmark
    from reviewdesk.book.editing import load_client_detail
    from reviewdesk.gui.risk_tab import RiskTab
    from reviewdesk.review.returns import choice_label
    from reviewdesk.review.risk_status import assessment_status

    with ctx.book.session() as s:
        client = load_client_detail(s, 2)
        level = assessment_status(client.assessments, ctx.today, 12, 0).level
        chosen = client_benchmark(s, 2, level)
        assert chosen is not None and chosen.client_id is None  # the level's, as in the review
        label = choice_label(chosen.benchmark, chosen.blend, chosen.weight)
    tab = RiskTab(ctx)
    qtbot.addWidget(tab)
    tab.show_client(client, 12, 0)
    qtbot.waitUntil(lambda: label in tab.benchmark_note.text(), timeout=5000)
    assert level.value.upper() in tab.benchmark_note.text()  # "C3 Balanced"
    with ctx.book.session() as s:
        clear_choice(s, risk_level=level)
        s.commit()
    tab.show_client(None)
    tab.show_client(client, 12, 0)
    qtbot.waitUntil(lambda: "none is chosen" in tab.benchmark_note.text(), timeout=5000)
    assert label not in tab.benchmark_note.text()
