"""A client whose reviews and flows are the worked example of issue 13: three reviews of
a CNY client, a withdrawal in the first period and a deposit in the second."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal as D

from sqlalchemy.orm import Session

from reviewdesk.app import AppContext
from reviewdesk.book.enums import FlowKind
from reviewdesk.book.flows import record_flow
from tests import factories as f
from tests.conftest import AS_OF

NAME = "林晓东"
INTERNAL_NOTE = "遗产款，客户不愿提起"  # the manager's own note on a flow: never on screen


def add_example_client(session) -> int:
    client = f.client("R1", NAME)
    client.snapshots = [
        f.snapshot(dt.date(2026, 1, 31), f.holding("稳健理财", "1000000")),
        f.snapshot(dt.date(2026, 2, 28), f.holding("稳健理财", "1030000")),
        f.snapshot(dt.date(2026, 3, 31), f.holding("稳健理财", "1060000")),
    ]
    session.add(client)
    session.flush()
    record_flow(
        session, client.id, dt.date(2026, 2, 14), D(-20000), FlowKind.WITHDRAWAL, today=AS_OF
    )
    record_flow(
        session,
        client.id,
        dt.date(2026, 3, 21),
        D(100000),
        FlowKind.DEPOSIT,
        note=INTERNAL_NOTE,
        today=AS_OF,
    )
    return client.id


def client_ctx(book, add: Callable[[Session], int]) -> AppContext:
    """An app context on `book` with the client `add(session)` writes; its id is
    `ctx.client_id`."""
    with book.session() as session:
        client_id = add(session)
    ctx = AppContext(db=book.url, today=AS_OF, user="tester", _book=book)
    ctx.client_id = client_id
    return ctx
