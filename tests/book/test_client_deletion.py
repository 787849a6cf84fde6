"""Deleting a client: the record and all of theirs, the documents' files after the commit."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from reviewdesk.book import documents
from reviewdesk.book.editing import attach_document, client_contents, delete_client
from reviewdesk.book.errors import NotFound
from reviewdesk.book.models import AuditEntry, Client, Document, Holding, Snapshot


def _first_with_snapshots(session) -> Client:
    client = session.scalars(
        select(Client).where(Client.snapshots.any()).order_by(Client.id)
    ).first()
    assert client is not None
    return client


def test_delete_client_removes_everything_and_the_files_after_commit(demo_book, tmp_path):
    source = tmp_path / "合同.pdf"
    source.write_bytes(b"%PDF-1.4 contract")
    with demo_book.session() as session:
        client = _first_with_snapshots(session)
        client_id, code = client.id, client.code
        document_id = attach_document(session, client_id, source)
        stored = documents.resolve(session.get(Document, document_id).stored_path)
        holdings = client_contents(session, client_id).holdings
    assert holdings > 0 and stored.exists()

    # A rollback keeps the client and the file.
    with pytest.raises(RuntimeError), demo_book.session() as session:
        delete_client(session, client_id)
        assert stored.exists()
        raise RuntimeError("changed my mind")
    assert stored.exists()
    with demo_book.session() as session:
        assert session.get(Client, client_id) is not None

    with demo_book.session() as session:
        contents = delete_client(session, client_id)
    assert contents.code == code and contents.documents == 1
    assert not stored.exists() and not stored.parent.exists()
    assert source.exists()  # the user's original is never touched
    with demo_book.session() as session:
        assert session.get(Client, client_id) is None
        assert (
            session.scalar(
                select(func.count()).select_from(Snapshot).where(Snapshot.client_id == client_id)
            )
            == 0
        )
        assert (
            session.scalar(
                select(func.count())
                .select_from(Holding)
                .where(~Holding.snapshot_id.in_(select(Snapshot.id)))
            )
            == 0
        )
        (entry,) = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "delete", AuditEntry.record == "Client")
        ).all()
        assert entry.record_id == client_id and json.loads(entry.old_value)["code"] == code
        with pytest.raises(NotFound):
            delete_client(session, client_id)
