"""Writing PackRecords from the desktop: what was shown, saved, printed or emailed, to whom.

A pack leaving the desk is a disclosure of client data; the book keeps a
PackRecord and an audit event for each one, in one unit of work. Rows are
written on the book worker, never from the UI thread.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reviewdesk.book.enums import PackAction
from reviewdesk.gui.worker import BackgroundTask, book_worker


def write_record(
    ctx,
    client_id: int,
    review_date: dt.date,
    action: PackAction,
    language: str,
    *,
    recipient: str | None = None,
    file_name: str | Path | None = None,
    encrypted: bool = False,
    as_of: dt.date | None = None,
    paper: str | None = None,
    reference: str | None = None,
) -> int:
    """Add one PackRecord and its audit event (`record_pack`, as the command line does);
    returns its id. `as_of`, `paper`, `reference`: what it takes to rebuild the pack."""
    from reviewdesk.pack.produce import record_pack

    with ctx.book.session() as session:
        record = record_pack(
            session,
            client_id,
            review_date,
            action,
            language,
            encrypted=encrypted,
            recipient=recipient,
            file_name=str(file_name) if file_name else None,
            as_of=as_of,
            paper=paper,
            reference=reference,
        )
        return record.id


def record_in_background(
    ctx,
    client_id: int,
    review_date: dt.date,
    action: PackAction,
    language: str,
    on_error=None,
    on_done=None,
    **kw,
) -> BackgroundTask:
    task = BackgroundTask(
        lambda token: write_record(ctx, client_id, review_date, action, language, **kw)
    )
    if on_error is not None:
        task.failure(on_error)
    if on_done is not None:
        task.success(on_done)
    return task.run_on(book_worker())
