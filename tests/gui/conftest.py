"""Shared GUI fixtures: an application context over a test book, and a drained worker."""

from __future__ import annotations

import pytest

from reviewdesk.app import AppContext
from reviewdesk.gui.worker import book_worker, cpu_pool
from reviewdesk.i18n import set_language
from tests.conftest import AS_OF


@pytest.fixture
def demo_ctx(demo_book):
    ctx = AppContext(db=demo_book.url, today=AS_OF, user="tester", _book=demo_book)
    yield ctx


@pytest.fixture(autouse=True)
def _drain_workers():
    """No task outlives its test (a late callback would touch a deleted widget)."""
    yield
    book_worker().waitForDone(10000)
    cpu_pool().waitForDone(10000)
    set_language("en")
