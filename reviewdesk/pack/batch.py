"""Packs for many clients at once, across the machine's cores.

Used by `reviewdesk packs` and by the desktop app's "prepare this month's
packs": progress is reported through a callback, and the run can be
cancelled between packs. One client's error never stops the batch, and each
file is written whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from reviewdesk.book.enums import PackAction
from reviewdesk.book.errors import BookError
from reviewdesk.book.models import Client, Snapshot
from reviewdesk.book.queries import list_clients
from reviewdesk.pack.produce import make_pack, record_pack, write_atomic
from reviewdesk.review.cadence import add_months

log = logging.getLogger("reviewdesk.pack")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class Job:
    client_id: int
    code: str
    name: str


@dataclass
class BatchResult:
    written: list[tuple[Job, Path]] = field(default_factory=list)
    skipped: list[tuple[Job, str]] = field(default_factory=list)
    cancelled: bool = False


def pack_file_name(code: str, name: str, review_date: dt.date) -> str:
    """`C00012 张伟 2026-03-31.pdf`: sorted by code, readable by name, dated."""
    safe = _UNSAFE.sub("_", name).strip(" .") or "client"
    return f"{code} {safe} {review_date.isoformat()}.pdf"


def all_jobs(session) -> list[Job]:
    rows = session.execute(select(Client.id, Client.code, Client.name).order_by(Client.code))
    return [Job(*row) for row in rows]


def due_jobs(session, month: dt.date, today: dt.date) -> list[Job]:
    """Clients whose next review is due by the end of `month` (overdue ones included)."""
    month_end = add_months(month.replace(day=1), 1) - dt.timedelta(days=1)
    due = {s.id for s in list_clients(session, today) if s.next_review_due <= month_end}
    return [job for job in all_jobs(session) if job.client_id in due]


# --- worker side: one book and one settings object per process ---------------------------

_worker: dict = {}


def _init_worker(db: str, settings: dict) -> None:
    from reviewdesk.book.db import open_book
    from reviewdesk.pack import fonts
    from reviewdesk.settings import Settings

    _worker["book"] = open_book(db, upgrade=False)
    _worker["settings"] = Settings(settings)
    fonts.register()


def _make_one(job: Job, out_dir: str, today: dt.date, lang: str | None,
              paper: str | None) -> tuple[str, dt.date | None, str]:
    """('ok', review date, path) or ('skip', None, reason); never raises."""
    try:
        with _worker["book"].session() as session:
            has_snapshot = session.scalar(
                select(Snapshot.id).where(Snapshot.client_id == job.client_id).limit(1))
            if has_snapshot is None:
                return "skip", None, "no snapshot yet"
            pack = make_pack(session, job.client_id, settings=_worker["settings"],
                             today=today, lang=lang, paper=paper)
        path = Path(out_dir) / pack_file_name(job.code, job.name, pack.review.review_date)
        write_atomic(path, pack.data)
        return "ok", pack.review.review_date, f"{path}\t{pack.lang}"
    except BookError as exc:
        return "skip", None, str(exc)
    except Exception as exc:  # noqa: BLE001 - one client's failure must not stop the batch
        log.exception("pack for client %s failed", job.client_id)
        return "skip", None, f"error: {type(exc).__name__}: {exc}"


def run_batch(book, jobs: list[Job], out_dir: Path, *, today: dt.date, settings,
              lang: str | None = None, paper: str | None = None, workers: int | None = None,
              progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> BatchResult:
    """Write one pack per job into `out_dir` and record each one in the book."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = BatchResult()
    total = len(jobs)
    workers = max(1, min(workers or os.cpu_count() or 1, total or 1))
    init_args = (book.url, {k: _dump(v) for k, v in settings.as_dict().items()})
    outcomes: list[tuple[Job, tuple]] = []
    if progress:
        progress(0, total)
    if workers == 1:
        _init_worker(*init_args)
        for job in jobs:
            if cancelled and cancelled():
                result.cancelled = True
                break
            outcomes.append((job, _make_one(job, str(out_dir), today, lang, paper)))
            if progress:
                progress(len(outcomes), total)
    else:
        with ProcessPoolExecutor(workers, initializer=_init_worker,
                                 initargs=init_args) as pool:
            pending: dict[Future, Job] = {
                pool.submit(_make_one, job, str(out_dir), today, lang, paper): job
                for job in jobs}
            while pending:
                done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    outcomes.append((pending.pop(future), future.result()))
                    if progress:
                        progress(len(outcomes), total)
                if cancelled and cancelled():
                    result.cancelled = True
                    for future in pending:
                        future.cancel()
                    pool.shutdown(wait=True, cancel_futures=True)
                    for future, job in pending.items():
                        if future.done() and not future.cancelled():
                            outcomes.append((job, future.result()))
                    break
    with book.session() as session:
        for job, (status, review_date, detail) in sorted(outcomes, key=lambda o: o[0].code):
            if status == "ok":
                path, used_lang = detail.split("\t")
                result.written.append((job, Path(path)))
                record_pack(session, job.client_id, review_date, PackAction.SAVED, used_lang,
                            file_name=path)
            else:
                result.skipped.append((job, detail))
    return result


def _dump(value):
    return str(value) if isinstance(value, Decimal) else value
