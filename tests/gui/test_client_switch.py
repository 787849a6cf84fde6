"""A client switch: the review read goes first on the book worker; what nothing on screen
waits for (the access record, the editing tabs' data) follows it, and an obsolete read is
skipped; the client list's texts follow its rows and the language."""

import threading

from reviewdesk.gui import review_page, workspace
from reviewdesk.gui.worker import AFTER_VIEW, BackgroundTask, book_worker, when_idle
from reviewdesk.i18n import set_language


def _hold_worker() -> threading.Event:
    """The book worker kept busy until the event is set: what is queued meanwhile waits."""
    release = threading.Event()
    started = threading.Event()

    def hold(_token):
        started.set()
        release.wait(10)

    BackgroundTask(hold).run_on(book_worker())
    started.wait(10)
    return release


def test_after_view_work_lets_later_work_pass_and_keeps_its_own_order(qtbot):
    order: list[str] = []
    release = _hold_worker()
    for name, priority in (("record", AFTER_VIEW), ("tabs", AFTER_VIEW), ("review", 0)):
        BackgroundTask(lambda _t, n=name: order.append(n)).run_on(book_worker(), priority)
    release.set()
    book_worker().waitForDone(10_000)
    assert order == ["review", "record", "tabs"]


def test_when_idle_runs_once_after_the_waiting_events_and_the_painting(qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QLabel

    calls: list[str] = []

    class Painted(QLabel):
        def paintEvent(self, event):  # noqa: N802 - Qt override
            calls.append("painted")
            super().paintEvent(event)

    label = Painted("a")
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    qtbot.wait(50)
    calls.clear()
    label.setText("b")  # a repaint waits
    QTimer.singleShot(0, lambda: calls.append("event"))
    when_idle(lambda: calls.append("idle"))
    qtbot.waitUntil(lambda: "idle" in calls, timeout=2000)
    qtbot.wait(50)
    assert calls == ["event", "painted", "idle"]


def test_a_switch_reads_the_review_before_recording_the_access(qtbot, window, ctx, monkeypatch):
    """The access is recorded still, after the read the screen waits for."""
    from reviewdesk.book import audit
    from reviewdesk.book.models import AuditEntry

    order: list[str] = []
    load, record = review_page.load_review, audit.record_event

    def reading(*args, **kwargs):
        order.append("review")
        return load(*args, **kwargs)

    def recording(session, action, *args, **kwargs):
        order.append(action)
        return record(session, action, *args, **kwargs)

    monkeypatch.setattr(review_page, "load_review", reading)
    monkeypatch.setattr(audit, "record_event", recording)
    ids = [row.id for row in window.model.rows if row.id != window.workspace.client_id][:2]
    page = window.workspace.review_page
    release = _hold_worker()
    window.select_client(ids[1])
    release.set()
    with qtbot.waitSignal(page.review_shown, timeout=10_000):
        pass
    book_worker().waitForDone(10_000)
    assert order[:2] == ["review", "opened"]
    with ctx.book.session() as session:
        opened = session.query(AuditEntry).filter_by(action="opened", client_id=ids[1]).count()
    assert opened == 1


def test_the_last_clients_tabs_are_not_read_once_another_is_chosen(qtbot, window, monkeypatch):
    """Choosing clients quickly, one after another, on an editing tab: the tabs' data is
    read only for the client that stays on screen, and the tabs show that client."""
    read: list[int] = []
    load = workspace.load_detail

    def reading(session, client_id):
        read.append(client_id)
        return load(session, client_id)

    monkeypatch.setattr(workspace, "load_detail", reading)
    space = window.workspace
    ids = [row.id for row in window.model.rows if row.id != space.client_id][:4]
    with qtbot.waitSignal(space.loaded, timeout=10_000):
        window.select_client(ids[0])
    read.clear()
    space.tabs.setCurrentWidget(space.profile)  # the tabs' data is what is on screen
    book_worker().waitForDone(10_000)
    qtbot.wait(50)
    read.clear()
    release = _hold_worker()
    for client_id in ids[1:]:
        window.select_client(client_id)
    release.set()
    qtbot.waitUntil(lambda: space.detail is not None, timeout=10_000)
    book_worker().waitForDone(10_000)
    qtbot.wait(50)
    assert read == [ids[-1]]
    qtbot.waitUntil(lambda: space.review_page.review.client.id == ids[-1], timeout=10_000)
    assert space.detail.client.id == ids[-1]


def test_the_lists_texts_follow_the_rows_and_the_language(qtbot, window):
    from reviewdesk.gui.client_list import TIER

    model = window.model
    row = model.rows[0]
    english = model.index(0, TIER).data()
    assert english == row.summary.tier.label
    set_language("zh")
    window.retranslate()
    chinese = model.index(0, TIER).data()
    assert chinese != english and chinese.isascii() is False
    set_language("en")
    window.retranslate()
    assert model.index(0, TIER).data() == english
    model.set_rows(model.rows[1:])  # new rows, new texts
    assert model.index(0, 0).data() == model.rows[0].summary.name != row.summary.name
