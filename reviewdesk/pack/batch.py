"""Packs for many clients at once, across the machine's cores.

Used by `reviewdesk packs` and by the desktop app's "prepare this month's
packs": progress is reported through a callback, and the run can be
cancelled between packs. One client's error never stops the batch, and each
file is written whole or not at all.

The worker processes are never forked from the caller (a fork of a process running
Qt threads or holding database connections is not safe): they are forked from a fork
server, a fresh interpreter that has imported the pack's modules and parsed its fonts
once for all of them (`reviewdesk.pack.preload`), or spawned where there is no fork
server. They read the book the caller opened: its URL and passphrase travel as the
pool initializer's arguments, through the pool's own pipe. They open it read-only and without
its lock, which the caller holds; the caller records every pack written.

What stops the whole batch (a worker process dying, the book unreadable, the
folder unwritable or full) is raised as `BatchFailed`: one sentence for the
user, the details in the log, and the packs written before it recorded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import gc
import logging
import multiprocessing
import os
import re
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewdesk.book.crypto import NotSQLCipher, PassphraseError
from reviewdesk.book.db import Book, BookAccess, BookIOError, CorruptBook, ReadOnlyBook
from reviewdesk.book.enums import PackAction
from reviewdesk.book.errors import BookError
from reviewdesk.book.models import Client, Snapshot
from reviewdesk.files import PRIVATE_FILE, new_folders_private, write_private
from reviewdesk.i18n import _, current_language, set_language
from reviewdesk.logs import private_traceback
from reviewdesk.pack import collector
from reviewdesk.pack.produce import make_pack, record_pack
from reviewdesk.refusals import os_reason
from reviewdesk.review.cadence import add_months
from reviewdesk.review.client_list import list_clients
from reviewdesk.settings import Settings

log = logging.getLogger("reviewdesk.pack")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
# A file name is at most 255 bytes on the usual file systems; a Chinese character takes
# three in UTF-8. The code and the date make the name unique; the name is for reading.
NAME_BYTES = 120
# Errors writing a pack that every other pack would meet too: the folder, not the client.
_FOLDER_ERRORS = {
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.EIO,
    errno.ENOENT,
    errno.ENOTDIR,
}
# Errors reading the book that every other pack would meet too.
_BOOK_ERRORS = (CorruptBook, BookIOError, PassphraseError, NotSQLCipher)


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


class BatchFailed(BookError):
    """The batch stopped as a whole. The packs written before it are recorded (`result`)."""

    def __init__(self, message: str, result: BatchResult):
        super().__init__(message)
        self.result = result


def pack_file_name(code: str, name: str, review_date: dt.date) -> str:
    """`C00012 张伟 2026-03-31.pdf`: sorted by code, readable by name, dated."""
    safe = _UNSAFE.sub("_", name).strip(" .")
    if len(safe.encode("utf-8")) > NAME_BYTES:
        safe = safe.encode("utf-8")[:NAME_BYTES].decode("utf-8", "ignore").rstrip(" .")
    safe = safe or "client"
    return f"{code} {safe} {review_date.isoformat()}.pdf"


def all_jobs(session: Session) -> list[Job]:
    rows = session.execute(select(Client.id, Client.code, Client.name).order_by(Client.code))
    return [Job(*row) for row in rows]


def due_jobs(session: Session, month: dt.date, today: dt.date) -> list[Job]:
    """Clients whose next review is due by the end of `month` (overdue ones included)."""
    month_end = add_months(month.replace(day=1), 1) - dt.timedelta(days=1)
    due = {s.id for s in list_clients(session, today) if s.review_due_by(month_end)}
    return [job for job in all_jobs(session) if job.client_id in due]


# --- making one pack: in a worker process, or in the caller's with one worker ---------------


@dataclass(frozen=True)
class _Outcome:
    """What making one pack came to; crosses the process boundary, so plain values only."""

    status: str  # "ok", "skip" or "stop" (the batch cannot go on)
    reason: str = ""
    details: str = ""  # a traceback, for the log
    path: str = ""
    review_date: dt.date | None = None
    as_of: dt.date | None = None
    lang: str = ""
    paper: str = ""
    reference: str = ""
    stop: str = ""  # with "stop": "book", "folder" or "worker"
    # A worker's pack waits under a hidden name until the batch has it (`_staged_name`).
    staged: str = ""


def _make_one(
    book: Book,
    settings: Settings,
    job: Job,
    out_dir: str,
    today: dt.date,
    lang: str | None,
    paper: str | None,
    stage: str = "",
) -> _Outcome:
    """One client's pack written into `out_dir`; never raises.

    With `stage` (a worker process's pack), the file is written under a hidden name that
    the batch gives its own name once the outcome has come back (`_staged_name`): a
    worker that dies between writing and answering leaves no pack the book does not
    record."""
    try:
        with book.session() as session:
            has_snapshot = session.scalar(
                select(Snapshot.id).where(Snapshot.client_id == job.client_id).limit(1)
            )
            if has_snapshot is None:
                return _Outcome("skip", _("no snapshot yet"))
            pack = make_pack(
                session, job.client_id, settings=settings, today=today, lang=lang, paper=paper
            )
    except _BOOK_ERRORS as exc:
        return _Outcome("stop", str(exc), private_traceback(exc), stop="book")
    except BookError as exc:
        return _Outcome("skip", str(exc))
    except Exception as exc:  # noqa: BLE001 - one client's failure must not stop the batch
        return _Outcome(
            "skip",
            _("could not be prepared: {error} (details in the log)").format(error=_describe(exc)),
            private_traceback(exc),
        )
    path = Path(out_dir) / pack_file_name(job.code, job.name, pack.review.review_date)
    staged = _staged_name(path, stage) if stage else None
    try:
        if staged is None:
            write_private(path, pack.data)
        else:
            # Readable by its owner only, as every pack the app writes (`write_private`).
            fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pack.data)
                handle.flush()
                os.fsync(handle.fileno())
    except OSError as exc:
        if exc.errno in _FOLDER_ERRORS:
            return _Outcome("stop", os_reason(exc), private_traceback(exc), stop="folder")
        return _Outcome(
            "skip",
            _("the file {name} cannot be written: {error}").format(
                name=path.name, error=os_reason(exc)
            ),
            private_traceback(exc),
        )
    return _Outcome(
        "ok",
        path=str(path.resolve()),
        staged=str(staged.resolve()) if staged is not None else "",
        review_date=pack.review.review_date,
        as_of=pack.as_of,
        lang=pack.lang,
        paper=pack.paper,
        reference=pack.reference,
    )


def _staged_name(path: Path, stage: str) -> Path:
    """Where a worker writes the pack `path` of the batch `stage` until the batch has it."""
    return path.with_name(f".{path.name}.{stage}.part")


def _describe(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _WorkerState(TypedDict, total=False):
    """In a worker process: its book and settings, or why it has none."""

    book: Book
    settings: Settings
    error: _Outcome


_worker: _WorkerState = {}


def _init_worker(access: BookAccess, settings: dict[str, object], ui_lang: str) -> None:
    """Open the caller's book in this worker process (runs once per process)."""
    set_language(ui_lang)
    try:
        from reviewdesk.pack import fonts

        _worker["settings"] = Settings(settings)
        _worker["book"] = access.open_reader()
        fonts.register()
        gc.freeze()  # the book and its engine join what the fork server froze (preload.py)
    except BaseException as exc:  # noqa: BLE001 - told to the caller with the first pack
        _worker["error"] = _Outcome(
            "stop", str(exc) or type(exc).__name__, private_traceback(exc), stop="book"
        )


def _make_in_worker(
    job: Job, out_dir: str, today: dt.date, lang: str | None, paper: str | None, stage: str
) -> _Outcome:
    if "error" in _worker:
        return _worker["error"]
    collector.before_pack()  # a process that makes nothing but packs (collector.py)
    return _make_one(_worker["book"], _worker["settings"], job, out_dir, today, lang, paper, stage)


# --- the batch ----------------------------------------------------------------------------

PRELOAD = "reviewdesk.pack.preload"


def worker_context() -> multiprocessing.context.BaseContext:
    """How the batch's workers are started: from a fork server that has loaded what a
    pack needs once (see the module's docstring), or spawned where there is none."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([PRELOAD])
        return context
    return multiprocessing.get_context("spawn")


def prepare_workers() -> None:
    """Start the fork server now, so that its imports and fonts load while the caller
    opens the book and lists the clients (it lives as long as the caller)."""
    context = worker_context()
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def run_batch(
    book: Book,
    jobs: list[Job],
    out_dir: Path,
    *,
    today: dt.date,
    settings: Settings,
    lang: str | None = None,
    paper: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BatchResult:
    """Write one pack per job into `out_dir` and record each one in the book.

    `today` is the as-of date every pack is judged from. Raises BatchFailed when the
    batch cannot go on; the packs written until then are recorded all the same.
    """
    if book.read_only:  # a pack not recorded is a disclosure the book does not know of
        raise ReadOnlyBook(
            _(
                "the book is open read-only ({reason}): no pack was written, "
                "since none could be recorded"
            ).format(reason=book.read_only_reason)
        )
    out_dir = Path(out_dir)
    new_folders_private(out_dir)
    result = BatchResult()
    total = len(jobs)
    workers = max(1, min(workers or os.cpu_count() or 1, total or 1))
    outcomes: list[tuple[Job, _Outcome]] = []
    failure: _Outcome | None = None

    def arrived(job: Job, outcome: _Outcome) -> None:
        nonlocal failure
        if outcome.status == "stop":
            failure = failure or outcome
            return
        if outcome.status == "ok" and outcome.staged:
            outcome = _unstaged(outcome)
        outcomes.append((job, outcome))
        if progress:
            progress(len(outcomes), total)

    if progress:
        progress(0, total)
    if workers == 1:
        for job in jobs:
            if cancelled and cancelled():
                result.cancelled = True
                break
            arrived(job, _make_one(book, settings, job, str(out_dir), today, lang, paper))
            if failure:
                break
    else:
        init_args = (
            book.access(),
            {k: _dump(v) for k, v in settings.as_dict().items()},
            current_language(),
        )
        stage = uuid.uuid4().hex[:12]
        pool = ProcessPoolExecutor(
            workers,
            mp_context=worker_context(),
            initializer=_init_worker,
            initargs=init_args,
        )
        try:
            pending: dict[Future[_Outcome], Job] = {
                pool.submit(_make_in_worker, job, str(out_dir), today, lang, paper, stage): job
                for job in jobs
            }
            while pending and not failure:
                done, _not_done = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    arrived(pending.pop(future), _result(future))
                if cancelled and cancelled() and not failure:
                    result.cancelled = True
                    break
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        for future, job in pending.items():  # finished while the others were being stopped
            if future.done() and not future.cancelled():
                outcome = _result(future)
                if outcome.status != "stop":
                    arrived(job, outcome)
        # What a worker wrote and never answered for (it died, or the batch was stopped).
        for leftover in out_dir.glob(f".*.{stage}.part"):
            leftover.unlink(missing_ok=True)
    _record(book, outcomes, result)
    if failure:
        raise _failed(failure, result, total, out_dir)
    return result


def _unstaged(outcome: _Outcome) -> _Outcome:
    """A worker's pack under its own name, now that the batch has it (and records it)."""
    try:
        os.replace(outcome.staged, outcome.path)
    except OSError as exc:
        Path(outcome.staged).unlink(missing_ok=True)
        return _Outcome(
            "skip",
            _("the file {name} cannot be written: {error}").format(
                name=Path(outcome.path).name, error=os_reason(exc)
            ),
            private_traceback(exc),
        )
    return dataclasses.replace(outcome, staged="")


def _result(future: Future[_Outcome]) -> _Outcome:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        return _Outcome("stop", details=private_traceback(exc), stop="worker")


def _record(book: Book, outcomes: list[tuple[Job, _Outcome]], result: BatchResult) -> None:
    """Every pack written, recorded in one unit of work; every client skipped, said why."""
    with book.session() as session:
        for job, outcome in sorted(outcomes, key=lambda o: o[0].code):
            if outcome.status == "ok":
                assert outcome.review_date is not None  # every pack written has its date
                result.written.append((job, Path(outcome.path)))
                record_pack(
                    session,
                    job.client_id,
                    outcome.review_date,
                    PackAction.SAVED,
                    outcome.lang,
                    file_name=outcome.path,
                    as_of=outcome.as_of,
                    paper=outcome.paper,
                    reference=outcome.reference,
                )
            else:
                result.skipped.append((job, outcome.reason))
                if outcome.details:
                    # The reason may quote the data; the log takes the id and the traceback.
                    log.error(
                        "pack for client %s (%s) failed\n%s",
                        job.client_id,
                        job.code,
                        outcome.details,
                    )


def _failed(failure: _Outcome, result: BatchResult, total: int, out_dir: Path) -> BatchFailed:
    log.error("the batch of packs stopped (%s)\n%s", failure.stop, failure.details)
    written = len(result.written)
    if failure.stop == "worker":
        message = _(
            "Only {written} of {total} packs were written (each one recorded): a "
            "process preparing them stopped unexpectedly; the details are in the "
            "log."
        ).format(written=written, total=total)
    elif failure.stop == "folder":
        message = _(
            "Only {written} of {total} packs were written (each one recorded): the "
            "folder {folder} cannot be written to ({error})."
        ).format(written=written, total=total, folder=out_dir, error=failure.reason)
    else:
        message = _(
            "Only {written} of {total} packs were written (each one recorded): the "
            "book could not be read ({error})."
        ).format(written=written, total=total, error=failure.reason)
    return BatchFailed(message, result)


def _dump(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value
