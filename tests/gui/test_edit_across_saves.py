"""Typing on from one cell to the next: a save reads the client again, and the table it
reads into keeps the editor the manager has moved to."""

from __future__ import annotations

from decimal import Decimal as D

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from reviewdesk.book.models import Client, InsurancePolicy
from reviewdesk.gui.insurance_tab import POLICY_FIELDS
from tests.gui.conftest import open_client


def test_a_value_typed_after_tab_from_a_saved_cell_is_kept(qtbot, window, ctx):
    """Found: in the insurance tab, a sum assured typed, Tab, and a premium typed: the
    premium was lost, because the sum's save read the client again and reset the table
    under the premium's editor."""
    with ctx.book.session() as s:
        name, policy_id = s.execute(
            select(Client.name, func.min(InsurancePolicy.id))
            .join(InsurancePolicy, InsurancePolicy.client_id == Client.id)
            .where(InsurancePolicy.insured_member_id.is_(None))  # shown first: the client's
            .group_by(Client.id)
            .order_by(Client.id)
            .limit(1)
        ).one()
    open_client(qtbot, window, name)
    workspace = window.workspace
    tab = workspace.insurance
    workspace.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.policies.row_of(policy_id) >= 0, timeout=10_000)
    row = tab.policies.row_of(policy_id)
    view = tab.view
    sum_column = POLICY_FIELDS.index("sum_assured")
    premium_column = POLICY_FIELDS.index("annual_premium")
    assert premium_column == sum_column + 1
    index = tab.policies.index(row, sum_column)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    editor.selectAll()
    qtbot.keyClicks(editor, "777000")
    with qtbot.waitSignal(workspace.loaded, timeout=10_000):  # the save reads the client
        qtbot.keyClick(editor, Qt.Key.Key_Tab)
    premium = tab.policies.index(tab.policies.row_of(policy_id), premium_column)
    qtbot.waitUntil(lambda: view.indexWidget(premium) is not None, timeout=2000)
    editor = view.indexWidget(premium)
    editor.selectAll()
    qtbot.keyClicks(editor, "8888")
    with qtbot.waitSignal(workspace.loaded, timeout=10_000):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    with ctx.book.session() as s:
        policy = s.get(InsurancePolicy, policy_id)
        assert (policy.sum_assured, policy.annual_premium) == (D(777000), D(8888))
