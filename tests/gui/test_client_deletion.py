"""Deleting a client from the desktop app: asked, named, audited, and gone everywhere."""

from __future__ import annotations

import json
from decimal import Decimal as D

from PySide6.QtWidgets import QMessageBox, QPushButton
from sqlalchemy import func, select

from reviewdesk.book import documents
from reviewdesk.book.editing import attach_document
from reviewdesk.book.enums import PolicyKind
from reviewdesk.book.models import (
    AuditEntry,
    Client,
    Contact,
    Document,
    Holding,
    InsurancePolicy,
    RiskAssessment,
    Snapshot,
)
from tests.gui.conftest import open_client


def _client_with_everything(book, tmp_path) -> tuple[int, str, str, str]:
    """A demo client with snapshots, holdings and contacts, given a policy and a document."""
    source = tmp_path / "风险评估问卷.pdf"
    source.write_bytes(b"%PDF-1.4 signed questionnaire")
    with book.session() as session:
        client = session.scalars(
            select(Client).where(Client.snapshots.any(), Client.contacts.any()).order_by(Client.id)
        ).first()
        assert client is not None
        if not client.policies:
            client.policies.append(InsurancePolicy(kind=PolicyKind.LIFE, annual_premium=D(1000)))
        document_id = attach_document(session, client.id, source)
        stored = session.get(Document, document_id).stored_path
        return client.id, client.code, client.name, stored


def _wait_box(qtbot, window) -> QMessageBox:
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "deleteClient") is not None, timeout=5000)
    return window.findChild(QMessageBox, "deleteClient")


def _count(session, model, client_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(model).where(model.client_id == client_id)
    )


def test_deleting_a_client_asks_naming_them_and_everything_goes(qtbot, window, ctx, tmp_path):
    client_id, code, name, stored = _client_with_everything(ctx.book, tmp_path)
    assert documents.resolve(stored).exists()
    with qtbot.waitSignal(window.list_loaded, timeout=5000):
        window.refresh_list()
    open_client(qtbot, window, name)
    action = window.delete_client_action
    assert action in window.client_menu.actions() and action.isEnabled()

    # Keeping the client keeps everything.
    action.trigger()
    box = _wait_box(qtbot, window)
    text = box.text()
    assert code in text and name in text
    for word in ("snapshots", "holdings", "policies", "contacts", "assessments", "documents"):
        assert word in text
    assert "files" in text and "backups keep the client" in text
    box.findChild(QPushButton, "deleteClientNo").click()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "deleteClient") is None, timeout=5000)
    with ctx.book.session() as session:
        assert session.get(Client, client_id) is not None

    # Deleting it.
    action.trigger()
    box = _wait_box(qtbot, window)
    with qtbot.waitSignal(window.client_deleted, timeout=5000):
        box.findChild(QPushButton, "deleteClientYes").click()
    qtbot.waitUntil(lambda: window.model.row_of(client_id) < 0, timeout=5000)
    assert window.workspace.client_id is None and window.workspace.detail is None
    assert not window.delete_client_action.isEnabled()
    assert not documents.resolve(stored).exists()
    with ctx.book.session() as session:
        assert session.get(Client, client_id) is None
        for model in (Snapshot, InsurancePolicy, Contact, RiskAssessment, Document):
            assert _count(session, model, client_id) == 0, model
        orphans = (
            select(func.count())
            .select_from(Holding)
            .where(~Holding.snapshot_id.in_(select(Snapshot.id)))
        )
        assert session.scalar(orphans) == 0
        entries = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "delete",
                AuditEntry.record == "Client",
                AuditEntry.record_id == client_id,
            )
        ).all()
    assert len(entries) == 1
    assert json.loads(entries[0].old_value)["code"] == code


def test_the_client_list_menu_deletes_the_client_under_the_pointer(qtbot, window, ctx, monkeypatch):
    from PySide6.QtWidgets import QMenu

    with ctx.book.session() as session:
        client = session.scalars(select(Client).order_by(Client.id)).first()
        client_id, code = client.id, client.code
    shown: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda self, *_a: shown.append(self))
    row = window.model.row_of(client_id)
    index = window.proxy.mapFromSource(window.model.index(row, 0))
    window.table.scrollTo(index)
    window._list_menu(window.table.visualRect(index).center())
    (menu,) = shown
    (delete,) = [a for a in menu.actions() if a.objectName() == "deleteClientFromList"]
    delete.trigger()
    box = _wait_box(qtbot, window)
    assert code in box.text()
    with qtbot.waitSignal(window.client_deleted, timeout=5000):
        box.findChild(QPushButton, "deleteClientYes").click()
    qtbot.waitUntil(lambda: window.model.row_of(client_id) < 0, timeout=5000)
