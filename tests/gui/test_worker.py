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


def _fail_with(qtbot, exc: BaseException) -> None:
    def work(_token):
        raise exc

    task = BackgroundTask(work)
    with qtbot.waitSignal(task.relay.failed, timeout=5000):
        task.run_on(book_worker())


def test_expected_refusals_are_logged_as_what_they_are_in_one_line(qtbot, caplog):
    import logging

    from reviewdesk.book.errors import ValidationError
    from reviewdesk.book.team import CannotConnect

    caplog.set_level(logging.DEBUG, logger="reviewdesk.gui")
    _fail_with(qtbot, CannotConnect("The server db.example:5432 did not accept the password"))
    _fail_with(qtbot, ValidationError("Client", "phone", "王芳 138", "is not a phone number"))
    refused = [r for r in caplog.records if r.name == "reviewdesk.gui"]
    assert [(r.levelno, r.getMessage()) for r in refused] == [
        (logging.WARNING, "background task refused by the server: CannotConnect"),
        (logging.INFO, "background task refused by the book: ValidationError"),
    ]
    assert all(r.exc_info is None for r in refused)  # no traceback, no client data
    assert "王芳" not in caplog.text
    caplog.clear()
    _fail_with(qtbot, RuntimeError("a fault"))
    (fault,) = [r for r in caplog.records if r.name == "reviewdesk.gui"]
    assert fault.levelno == logging.ERROR and fault.exc_info is not None


def test_a_read_answered_after_another_book_took_its_place_is_dropped(qapp, book, passphrase_env):
    """Switching books while a client was loading: the answer (or the error) arrives for a
    window of the closed book and is dropped, never shown on it."""
    from reviewdesk.app import AppContext
    from reviewdesk.gui.common import run_in_book
    from reviewdesk.gui.worker import book_worker
    from tests.conftest import AS_OF

    ctx = AppContext(db=book.url, today=AS_OF, _book=book)
    seen: list[object] = []
    run_in_book(ctx, lambda session: 42, seen.append, seen.append)
    book_worker().waitForDone(10_000)
    ctx.close(for_good=True)  # File > Open: another book takes this one's place
    qapp.processEvents()
    assert seen == []
    kept = AppContext(db=book.url, today=AS_OF)
    run_in_book(kept, lambda session: 42, seen.append, seen.append)
    book_worker().waitForDone(10_000)
    qapp.processEvents()
    assert seen == [42]
    kept.close()
