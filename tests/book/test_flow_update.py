"""Editing a flow: a new currency or date takes the snapshot's rate again; the book's rules
refuse what they refuse on a new flow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from reviewdesk.book.enums import FlowKind
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.flows import record_flow, update_flow
from tests import factories as f
from tests.conftest import AS_OF


def _client(session) -> int:
    client = f.client()
    client.snapshots = [
        f.snapshot(dt.date(2026, 1, 31), f.holding()),
        f.snapshot(dt.date(2026, 2, 28), f.holding(), rates={("USD", "CNY"): "7.2"}),
    ]
    session.add(client)
    session.flush()
    return client.id


def test_a_new_currency_takes_the_snapshots_rate(book):
    with book.session() as s:
        client_id = _client(s)
        flow = record_flow(
            s, client_id, dt.date(2026, 2, 10), D(1000), FlowKind.DEPOSIT, today=AS_OF
        )
        assert flow.rate == 1
        update_flow(s, flow.id, {"currency": "USD"}, today=AS_OF)
        assert (flow.currency, flow.rate, flow.report_amount) == ("USD", D("7.2"), D(7200))
        update_flow(s, flow.id, {"currency": "CNY"}, today=AS_OF)
        assert flow.rate == 1


def test_a_flow_moved_where_no_snapshot_has_its_rate_is_refused(book):
    with book.session() as s:
        client_id = _client(s)
        flow = record_flow(
            s,
            client_id,
            dt.date(2026, 2, 10),
            D(1000),
            FlowKind.DEPOSIT,
            currency="USD",
            today=AS_OF,
        )
        with pytest.raises(ValidationError) as refused:
            update_flow(s, flow.id, {"flow_date": dt.date(2026, 3, 5)}, today=AS_OF)
        assert refused.value.field == "rate"


def test_a_flow_moved_into_the_future_or_against_its_kind_is_refused(book):
    with book.session() as s:
        client_id = _client(s)
        flow = record_flow(
            s, client_id, dt.date(2026, 2, 10), D(1000), FlowKind.DEPOSIT, today=AS_OF
        )
        with pytest.raises(ValidationError) as future:
            update_flow(s, flow.id, {"flow_date": AS_OF + dt.timedelta(days=1)}, today=AS_OF)
        assert future.value.field == "flow_date"
    with book.session() as s:
        with pytest.raises(ValidationError) as sign:
            update_flow(s, flow.id, {"kind": FlowKind.WITHDRAWAL}, today=AS_OF)
        assert sign.value.field == "amount"
        s.rollback()
