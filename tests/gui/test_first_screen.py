"""What a launch and a client switch do, and what they leave for later: the pages and
tabs not on screen are made when first used, a client's editing tabs are read once the
review's charts are drawn, the charts' canvases are kept from one client to the next,
and the pack is warmed in a pause."""

from __future__ import annotations

import subprocess
import sys

from reviewdesk.gui import charts_view
from reviewdesk.gui.worker import cpu_pool
from reviewdesk.gui.workspace import EDITING_TABS
from tests.gui.conftest import open_client


def test_the_first_screen_leaves_the_other_pages_and_dialogs_unimported():
    """Importing the main window brings in the agenda and the client list, not what is
    shown later (a fresh interpreter: the test session has imported everything)."""
    code = (
        "import sys\n"
        "import reviewdesk.gui.mainwindow\n"
        "later = ['reviewdesk.gui.calendar_page', 'reviewdesk.gui.segments_page',\n"
        "         'reviewdesk.gui.exchange_dialogs', 'reviewdesk.gui.restore_backup',\n"
        "         'reviewdesk.gui.present', 'reviewdesk.gui.pdf_preview',\n"
        "         'reviewdesk.gui.holdings_tab', 'reviewdesk.gui.profile_tab',\n"
        "         'reviewdesk.gui.insurance_tab', 'reviewdesk.gui.risk_tab',\n"
        "         'reviewdesk.gui.documents_tab', 'PySide6.QtPdf', 'PySide6.QtPrintSupport',\n"
        "         'matplotlib', 'reportlab']\n"
        "print(' '.join(name for name in later if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_editing_tabs_are_made_when_first_shown_and_show_the_client_on_screen(qtbot, window):
    workspace = window.workspace
    assert workspace.made_tabs() == []
    window.show_page("clients")
    client = open_client(qtbot, window, window.model.rows[3].summary.name)
    assert workspace.made_tabs() == []  # the review page alone was filled
    index = 1 + [spec[0] for spec in EDITING_TABS].index("holdings")
    workspace.tabs.setCurrentIndex(index)
    assert workspace.made_tabs() == ["holdings"]
    assert workspace.tabs.currentWidget() is workspace.holdings
    assert workspace.holdings.client is not None and workspace.holdings.client.id == client.id
    assert workspace.holdings.isEnabled()
    # a tab asked for by name is made too, with the same client
    assert workspace.profile.isEnabled()
    assert set(workspace.made_tabs()) == {"holdings", "profile"}
    assert workspace.tabs.count() == 6
    assert workspace.tabs.tabText(index) == "Holdings"


def test_the_editing_tabs_are_read_after_the_charts_are_drawn(qtbot, window):
    window.show_page("clients")
    rows = window.model.rows
    open_client(qtbot, window, rows[1].summary.name)  # the charts' library is loaded by now
    cpu_pool().waitForDone(10_000)
    qtbot.waitUntil(charts_view.charts_loaded, timeout=10_000)
    page = window.workspace.review_page
    order: list[str] = []
    page.review_shown.connect(lambda _r: order.append("review"))
    page.charts_shown.connect(lambda _r: order.append("charts"))
    window.workspace.loaded.connect(lambda _d: order.append("tabs"))
    window.select_client(rows[6].id)
    qtbot.waitUntil(lambda: "tabs" in order, timeout=10_000)
    assert order == ["review", "charts", "tabs"]
    assert window.workspace.detail.client.id == rows[6].id


def test_a_chart_canvas_is_kept_for_the_next_client(qtbot, window):
    window.show_page("clients")
    rows = window.model.rows
    page = window.workspace.review_page

    def charts_of(client_id):
        with qtbot.waitSignal(page.charts_shown, timeout=10_000):
            window.select_client(client_id)
        return page.allocation_chart.canvas, page.trend_chart.canvas

    first = charts_of(rows[2].id)
    first_figures = [canvas.figure for canvas in first]
    second = charts_of(rows[7].id)
    assert {id(c) for c in second} == {id(c) for c in first}  # the same widgets
    assert [canvas.figure for canvas in second] != first_figures
    for canvas in second:
        assert canvas.figure.canvas is canvas and canvas.isVisible()
        assert canvas.parentWidget() is not None


def test_the_pack_is_warmed_once_the_manager_pauses(qtbot, window, monkeypatch):
    warmed = []
    monkeypatch.setattr("reviewdesk.gui.pack_actions.warm_pack", lambda: warmed.append(1))
    window._pack_warm_up.setInterval(300)
    window._pack_warm_up_latest.setInterval(60_000)
    window._start_warm_up()
    window.show_page("clients")
    window.select_client(window.model.rows[4].id)  # busy: the warm-up waits again
    assert window._pack_warm_up.isActive() and window._pack_warm_up.remainingTime() > 200
    qtbot.waitUntil(lambda: bool(warmed), timeout=5000)
    cpu_pool().waitForDone(5000)
    assert warmed == [1]
    assert not window._pack_warm_up_latest.isActive()
    window._start_warm_up()  # once a session
    assert not window._pack_warm_up.isActive()


def test_a_pack_asked_for_before_the_warm_up_loads_what_it_would(qtbot, window, monkeypatch):
    """The first preview of a session loads the pack's modules itself; the warm-up then
    has nothing left to do and does not run (it would only compete with what follows),
    and what was loaded is set out of the collector's way once."""
    warmed, settled = [], []
    monkeypatch.setattr("reviewdesk.gui.pack_actions.warm_pack", lambda: warmed.append(1))
    monkeypatch.setattr("reviewdesk.gui.pack_actions.settle_pack", lambda: settled.append(1))
    window._start_warm_up()
    assert window._pack_warm_up.isActive()
    client_id = window.model.rows[2].id
    with qtbot.waitSignal(window.pack.finished, timeout=30_000) as shown:
        window.pack.preview(client_id)
    action, dialog = shown.args
    assert action == "preview" and dialog.document.pageCount() >= 3
    dialog.close()
    cpu_pool().waitForDone(5000)
    assert settled == [1]
    window._warm_pack()  # the timer's time comes
    cpu_pool().waitForDone(5000)
    assert warmed == []
    window._start_warm_up()
    assert not window._pack_warm_up.isActive()
    with qtbot.waitSignal(window.pack.finished, timeout=30_000) as shown:
        window.pack.preview(client_id)
    shown.args[1].close()
    cpu_pool().waitForDone(5000)
    assert settled == [1] and warmed == []  # once a session


def test_the_desktops_warm_up_makes_no_full_collection(monkeypatch):
    """A full collection of the window's process (a few hundred thousand objects) would
    hold the interpreter, and the window with it, for about 0.1 s: the warm-up collects the
    young generations, then freezes what the pack loaded."""
    import gc

    from reviewdesk.gui import pack_actions

    calls = []
    monkeypatch.setattr(gc, "collect", lambda *args: calls.append(("collect", args)) or 0)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(("freeze", ())))
    pack_actions.warm_pack()
    assert calls == [("collect", (1,)), ("freeze", ())]


def test_the_pack_is_warmed_at_the_latest_after_a_few_seconds(qtbot, window, monkeypatch):
    warmed = []
    monkeypatch.setattr("reviewdesk.gui.pack_actions.warm_pack", lambda: warmed.append(1))
    window._pack_warm_up.setInterval(2000)  # never idle that long below
    window._pack_warm_up_latest.setInterval(900)
    window._start_warm_up()
    window.show_page("clients")
    rows = window.model.rows
    for row in rows[1:16]:  # a manager going through clients without a pause
        window.select_client(row.id)
        qtbot.wait(150)
        cpu_pool().waitForDone(5000)
        if warmed:
            break
    assert warmed == [1]  # while still busy
    assert row is not rows[15]
