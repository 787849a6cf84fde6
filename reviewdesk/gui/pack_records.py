"""Writing PackRecords from the desktop: what was shown, printed or emailed, to whom.

A pack leaving the desk is a disclosure of client data; the book keeps a row
for each one. Rows are written on the book worker, never from the UI thread.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reviewdesk.book.enums import Language, PackAction
from reviewdesk.book.models import AuditEntry, PackRecord
from reviewdesk.gui.worker import BackgroundTask, book_worker


def write_record(ctx, client_id: int, review_date: dt.date, action: PackAction, language: str,
                 *, recipient: str | None = None, file_name: str | Path | None = None,
                 encrypted: bool = False) -> int:
    """Add one PackRecord (and its audit line) in its own unit of work; returns its id."""
    with ctx.book.session() as session:
        record = PackRecord(
            client_id=client_id, review_date=review_date, action=action,
            language=Language(language), recipient=recipient,
            file_name=str(file_name) if file_name else None, encrypted=encrypted,
        )
        session.add(record)
        session.add(AuditEntry(
            actor=ctx.user, client_id=client_id, action=f"pack_{action.value}",
            record="PackRecord", detail=f"review {review_date.isoformat()}"
            + (f" -> {file_name}" if file_name else "")
            + (f" to {recipient}" if recipient else ""),
        ))
        session.flush()
        return record.id


def record_in_background(ctx, client_id: int, review_date: dt.date, action: PackAction,
                         language: str, on_error=None, **kw) -> BackgroundTask:
    task = BackgroundTask(
        lambda token: write_record(ctx, client_id, review_date, action, language, **kw))
    if on_error is not None:
        task.failure(on_error)
    return task.run_on(book_worker())
