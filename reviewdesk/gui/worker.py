"""Work off the UI thread.

All book access runs on one worker thread, one task after another, so the
database is never touched from two threads at once; pack rendering and other
CPU work may use the general pool. Results come back on the UI thread through
queued signals: a callback never runs on the worker, so it may touch widgets.

    BackgroundTask(lambda cancel: load(ctx, client_id)) \
        .success(page.show_data).failure(window.show_error).run(book_worker())
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)

from reviewdesk.book.errors import BookError
from reviewdesk.book.team import TeamError

log = logging.getLogger("reviewdesk.gui")


class Cancelled(Exception):
    """Raised inside a task that noticed it was cancelled."""


def log_failure(exc: BaseException) -> None:
    """A task's failure in the log. The book's own refusals (a value refused, a save over
    someone else's change, a server that refused the login or did not answer) are what
    they are, expected: one line naming the kind, no traceback and never the message,
    which may carry client data; a server's refusal at WARNING, the others at INFO.
    Anything else is a fault: ERROR with its traceback."""
    if isinstance(exc, TeamError):
        log.warning("background task refused by the server: %s", type(exc).__name__)
    elif isinstance(exc, BookError):
        log.info("background task refused by the book: %s", type(exc).__name__)
    else:
        log.error("background task failed", exc_info=exc)


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()
        self.progress: Callable[[int, int], None] = lambda done, total: None

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class BackgroundTask(QRunnable):
    """`fn(token)` on a pool; success/failure/progress callbacks on the UI thread."""

    _alive: set[BackgroundTask] = set()

    def __init__(self, fn: Callable[[CancelToken], Any]):
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.token = CancelToken()
        self.relay = _Relay()  # created on the UI thread, so its slots run there
        self.token.progress = lambda done, total: self.relay.progressed.emit(done, total)
        self.relay.done.connect(self._finish)
        self.relay.failed.connect(self._finish)

    def success(self, callback: Callable[[Any], None]) -> BackgroundTask:
        self.relay.done.connect(callback)
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> BackgroundTask:
        self.relay.failed.connect(callback)
        return self

    def progress(self, callback: Callable[[int, int], None]) -> BackgroundTask:
        self.relay.progressed.connect(callback)
        return self

    def cancel(self) -> None:
        self.token.cancel()

    def run_on(self, pool: QThreadPool, priority: int = 0) -> BackgroundTask:
        """Queue the task; one of a higher `priority` is taken first among those waiting.
        On the book worker, AFTER_VIEW work (what the screen does not wait for) lets
        every other task pass it, and keeps its own order."""
        BackgroundTask._alive.add(self)
        pool.start(self, priority)
        return self

    def run(self) -> None:  # QRunnable: on the worker thread
        try:
            result = self.fn(self.token)
        except BaseException as exc:  # noqa: BLE001 - reported on the UI thread
            if not isinstance(exc, Cancelled):
                log_failure(exc)
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)

    def _finish(self, _result) -> None:
        BackgroundTask._alive.discard(self)


# A book-worker task that nothing on screen waits for (a record of access, the editing
# tabs' data while the review is on screen): queued after every task of the default
# priority, so that a client switch's read never waits behind it. Only work whose order
# against the other tasks does not matter takes it (a read, or a write no read depends on).
AFTER_VIEW = -1

_book_pool: QThreadPool | None = None


def book_worker() -> QThreadPool:
    """The single thread that does all book access, in order."""
    global _book_pool
    if _book_pool is None:
        _book_pool = QThreadPool()
        _book_pool.setMaxThreadCount(1)
    return _book_pool


def cpu_pool() -> QThreadPool:
    return QThreadPool.globalInstance()


class _Later(QObject):
    """Calls back when its event arrives (see `when_idle`)."""

    waiting: set[_Later] = set()  # kept alive until then

    def __init__(self, callback: Callable[[], None]):
        super().__init__()
        self.callback = callback

    def event(self, event: QEvent) -> bool:
        if event.type() == _LATER:
            _Later.waiting.discard(self)
            self.callback()
            return True
        return super().event(event)


_LATER = QEvent.Type(QEvent.registerEventType())


def when_idle(callback: Callable[[], None]) -> None:
    """`callback()` on the UI thread once the events waiting now are handled, the painting
    of what they changed among them: for work that what is on screen does not need, so
    that it neither delays nor competes with the painting. (Qt posts a window's repaint
    at the low priority; this comes after it at the same priority.)"""
    later = _Later(callback)
    _Later.waiting.add(later)
    QCoreApplication.postEvent(later, QEvent(_LATER), Qt.EventPriority.LowEventPriority.value)
