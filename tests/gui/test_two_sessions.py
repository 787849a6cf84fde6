"""Two people, one client, on the desktop: the window edits the client as its screens
showed it, while a colleague's session on the same book file saves changes of their own.
A save, a delete or an undo over the colleague's change is refused with who and when,
nothing is overwritten, and the window offers to reload the client."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from reviewdesk.app import AppContext
from reviewdesk.book.db import open_book
from reviewdesk.book.models import (
    Client,
    Contact,
    FamilyMember,
    FxRate,
    Holding,
    InsurancePolicy,
    Snapshot,
)
from reviewdesk.gui.worker import book_worker
from tests.conftest import AS_OF, PASSPHRASE
from tests.gui.conftest import open_client

COLLEAGUE = "li.na"


@pytest.fixture
def colleague(ctx):
    """A second session on the same book file, as another manager's desk would have."""
    other = AppContext(
        db=str(ctx.book.path),
        today=AS_OF,
        user=COLLEAGUE,
        _book=open_book(str(ctx.book.path), passphrase=PASSPHRASE, actor=COLLEAGUE),
    )
    yield other
    other.close()


def _settle(qtbot) -> None:
    for _round in range(3):
        book_worker().waitForDone(10_000)
        QApplication.processEvents()
    qtbot.wait(50)


def _client(ctx) -> Client:
    """A client with family, holdings, rates and a policy on the client's own life (the
    insurance tab opens on the client's policies)."""
    with ctx.book.session() as s:
        return s.scalars(
            select(Client)
            .join(Snapshot)
            .join(FxRate)
            .join(FamilyMember, FamilyMember.client_id == Client.id)
            .join(
                InsurancePolicy,
                (InsurancePolicy.client_id == Client.id)
                & InsurancePolicy.insured_member_id.is_(None),
            )
            .order_by(Client.name)
        ).first()


def _set_cell(table, row: int, field: str, text: str) -> None:
    column = [c.field for c in table.columns].index(field)
    assert table.setData(table.index(row, column), text, Qt.ItemDataRole.EditRole)


def _conflict(qtbot, window) -> QMessageBox:
    qtbot.waitUntil(
        lambda: window.findChild(QMessageBox, "editConflict") is not None, timeout=10_000
    )
    box = window.findChild(QMessageBox, "editConflict")
    assert box is not None
    return box


def _reload(qtbot, box: QMessageBox) -> None:
    next(b for b in box.buttons() if b.objectName() == "editConflictReload").click()
    _settle(qtbot)


def _keep(qtbot, box: QMessageBox) -> None:
    next(b for b in box.buttons() if b.objectName() == "editConflictKeep").click()
    _settle(qtbot)


def test_a_holding_saved_over_a_colleagues_change_is_refused_then_reloaded(
    qtbot, window, ctx, colleague
):
    open_client(qtbot, window, _client(ctx).name)
    holdings = window.workspace.holdings
    window.workspace.tabs.setCurrentWidget(holdings)
    row = dict(holdings.holdings.rows[0])
    with colleague.book.session() as s:
        s.get(Holding, row["id"]).market_value = Decimal("777")
    _set_cell(holdings.holdings, 0, "market_value", "888")
    box = _conflict(qtbot, window)
    assert f"was changed by {COLLEAGUE} at 20" in box.text()
    assert "nothing was saved" in box.text()
    with ctx.book.session() as s:
        assert s.get(Holding, row["id"]).market_value == Decimal("777")
    # the cell shows what the book holds again, and the reload shows the colleague's value
    _reload(qtbot, box)
    qtbot.waitUntil(
        lambda: holdings.holdings.rows and holdings.holdings.rows[0]["market_value"] == 777,
        timeout=10_000,
    )
    # now seen, the same edit saves
    _set_cell(holdings.holdings, 0, "market_value", "888")
    _settle(qtbot)
    assert window.findChild(QMessageBox, "editConflict") is None
    with ctx.book.session() as s:
        assert s.get(Holding, row["id"]).market_value == Decimal("888")


def test_a_rate_and_a_removed_holding_over_a_colleagues_change_are_refused(
    qtbot, window, ctx, colleague, monkeypatch
):
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    open_client(qtbot, window, _client(ctx).name)
    holdings = window.workspace.holdings
    window.workspace.tabs.setCurrentWidget(holdings)
    rate = dict(holdings.rates.rows[0])
    with colleague.book.session() as s:
        s.get(FxRate, rate["id"]).rate = Decimal("7.5")
    _set_cell(holdings.rates, 0, "rate", "7.3")
    box = _conflict(qtbot, window)
    label = f"{rate['from_currency']}/{rate['to_currency']} ({rate['id']})"
    assert f"Exchange rate {label} was changed by {COLLEAGUE} at 20" in box.text()
    _keep(qtbot, box)
    with ctx.book.session() as s:
        assert s.get(FxRate, rate["id"]).rate == Decimal("7.5")
    # the rate removed: refused as well, the colleague's rate stays
    holdings.rates_view.setCurrentIndex(holdings.rates.index(0, 0))
    holdings.remove_rate()
    box = _conflict(qtbot, window)
    _keep(qtbot, box)
    with ctx.book.session() as s:
        assert s.get(FxRate, rate["id"]) is not None

    # a holding the colleague deleted: the edit says so, nothing comes back
    gone = dict(holdings.holdings.rows[0])
    with colleague.book.session() as s:
        s.delete(s.get(Holding, gone["id"]))
    _set_cell(holdings.holdings, 0, "product_name", "改名")
    box = _conflict(qtbot, window)
    assert f"was deleted by {COLLEAGUE} at 20" in box.text()
    _keep(qtbot, box)
    with ctx.book.session() as s:
        assert s.get(Holding, gone["id"]) is None
        assert not s.scalars(select(Holding).where(Holding.product_name == "改名")).all()


def test_a_family_member_edited_or_removed_over_a_colleagues_change_is_refused(
    qtbot, window, ctx, colleague, monkeypatch
):
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    open_client(qtbot, window, _client(ctx).name)
    profile = window.workspace.profile
    window.workspace.tabs.setCurrentWidget(profile)
    member = dict(profile.family.rows[0])
    with colleague.book.session() as s:
        s.get(FamilyMember, member["id"]).school_or_employer = "医院"
    _set_cell(profile.family, 0, "school_or_employer", "律所")
    box = _conflict(qtbot, window)
    assert f"Family member {member['name']} ({member['id']}) was changed by {COLLEAGUE}" in (
        box.text()
    )
    _keep(qtbot, box)
    profile.family_view.setCurrentIndex(profile.family.index(0, 0))
    profile.remove_member()
    _conflict(qtbot, window)
    with ctx.book.session() as s:
        kept = s.get(FamilyMember, member["id"])
        assert kept is not None and kept.school_or_employer == "医院"


def test_a_policy_saved_over_a_colleagues_change_is_refused(qtbot, window, ctx, colleague):
    open_client(qtbot, window, _client(ctx).name)
    insurance = window.workspace.insurance
    window.workspace.tabs.setCurrentWidget(insurance)
    policy = dict(insurance.policies.rows[0])
    with colleague.book.session() as s:
        s.get(InsurancePolicy, policy["id"]).policy_number = "P-COLLEAGUE"
    _set_cell(insurance.policies, 0, "policy_number", "P-MINE")
    box = _conflict(qtbot, window)
    assert f"was changed by {COLLEAGUE} at 20" in box.text()
    _reload(qtbot, box)
    qtbot.waitUntil(
        lambda: insurance.policies.rows[0]["policy_number"] == "P-COLLEAGUE", timeout=10_000
    )
    with ctx.book.session() as s:
        assert s.get(InsurancePolicy, policy["id"]).policy_number == "P-COLLEAGUE"


def test_an_undo_over_a_colleagues_later_change_is_refused_not_applied(
    qtbot, window, ctx, colleague
):
    open_client(qtbot, window, _client(ctx).name)
    holdings = window.workspace.holdings
    window.workspace.tabs.setCurrentWidget(holdings)
    row = dict(holdings.holdings.rows[0])
    _set_cell(holdings.holdings, 0, "market_value", "1000")
    _settle(qtbot)
    with ctx.book.session() as s:
        assert s.get(Holding, row["id"]).market_value == Decimal("1000")
    # without anyone else, undo and redo work
    window.undo_action.trigger()
    _settle(qtbot)
    with ctx.book.session() as s:
        assert s.get(Holding, row["id"]).market_value == row["market_value"]
    window.redo_action.trigger()
    _settle(qtbot)
    # the colleague changes the holding after this window's save: the undo is refused
    with colleague.book.session() as s:
        s.get(Holding, row["id"]).market_value = Decimal("2000")
    window.undo_action.trigger()
    box = _conflict(qtbot, window)
    assert f"was changed by {COLLEAGUE} at 20" in box.text()
    with ctx.book.session() as s:
        assert s.get(Holding, row["id"]).market_value == Decimal("2000")
    # reloaded, nothing of before can be undone over the colleague's value
    _reload(qtbot, box)
    assert not window.workspace.history.canUndo()
    qtbot.waitUntil(lambda: holdings.holdings.rows[0]["market_value"] == 2000, timeout=10_000)

    # an added policy the colleague edited since: its undo (a delete) is refused too
    insurance = window.workspace.insurance
    before = {r["id"] for r in insurance.policies.rows}
    insurance.add_policy()
    _settle(qtbot)
    qtbot.waitUntil(lambda: len(insurance.policies.rows) == len(before) + 1, timeout=10_000)
    (added,) = {r["id"] for r in insurance.policies.rows} - before
    with colleague.book.session() as s:
        s.get(InsurancePolicy, added).policy_number = "P-KEEP"
    window.undo_action.trigger()
    _conflict(qtbot, window)
    with ctx.book.session() as s:
        assert s.get(InsurancePolicy, added).policy_number == "P-KEEP"


def test_a_contact_saved_or_deleted_over_a_colleagues_change_is_refused(
    qtbot, window, ctx, colleague
):
    from reviewdesk.gui.contact_dialog import ContactDialog

    with ctx.book.session() as s:
        contact = s.scalars(select(Contact).order_by(Contact.id)).first()
        contact_id, client_id, summary = contact.id, contact.client_id, contact.summary
    dialog = ContactDialog(ctx, client_id, "客户", contact_id=contact_id, parent=window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.read_version is not None, timeout=10_000)
    with colleague.book.session() as s:
        s.get(Contact, contact_id).summary = "同事的记录"
    dialog.summary.setPlainText("我的记录")
    dialog.save()
    box = _conflict(qtbot, dialog)
    assert f"Contact {contact_id} was changed by {COLLEAGUE} at 20" in box.text()
    assert "nothing was saved" in dialog.message.text()
    with ctx.book.session() as s:
        assert s.get(Contact, contact_id).summary == "同事的记录"
    assert summary != "同事的记录"
    # the delete is refused the same way
    _keep(qtbot, box)
    dialog.delete()
    box = _conflict(qtbot, dialog)
    with ctx.book.session() as s:
        assert s.get(Contact, contact_id) is not None
    # reloaded, the form shows the colleague's words and the save goes through
    _reload(qtbot, box)
    qtbot.waitUntil(lambda: dialog.summary.toPlainText() == "同事的记录", timeout=10_000)
    dialog.summary.setPlainText("我的记录")
    dialog.save()
    _settle(qtbot)
    with ctx.book.session() as s:
        assert s.get(Contact, contact_id).summary == "我的记录"
