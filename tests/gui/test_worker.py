import threading

import pytest

from reviewdesk.gui.worker import BackgroundTask, Cancelled, book_worker


def test_result_arrives_on_the_ui_thread(qtbot):
    main = threading.get_ident()
    seen = {}

    def work(token):
        seen["worker"] = threading.get_ident()
        token.progress(1, 2)
        return 42

    def done(value):
        seen["value"] = value
        seen["callback"] = threading.get_ident()

    task = BackgroundTask(work).success(done)
    with qtbot.waitSignal(task.relay.done, timeout=5000):
        task.run_on(book_worker())
    assert seen["value"] == 42
    assert seen["worker"] != main
    assert seen["callback"] == main


def test_failure_and_cancel_are_reported(qtbot):
    errors = []

    def work(token):
        token.cancel()
        token.check()

    task = BackgroundTask(work).failure(errors.append)
    with qtbot.waitSignal(task.relay.failed, timeout=5000):
        task.run_on(book_worker())
    assert isinstance(errors[0], Cancelled)

    def boom(token):
        raise ValueError("holding market_value = -1")

    task = BackgroundTask(boom).failure(errors.append)
    with qtbot.waitSignal(task.relay.failed, timeout=5000):
        task.run_on(book_worker())
    assert "market_value" in str(errors[1])


@pytest.fixture(autouse=True)
def _drain():
    yield
    book_worker().waitForDone(5000)
