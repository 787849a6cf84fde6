"""The batch of packs on an encrypted book: spawned workers read the caller's book, one
client's failure is one line, a batch that cannot go on is `BatchFailed`."""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import signal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from reviewdesk.book.models import PackRecord, Snapshot
from reviewdesk.pack.batch import BatchFailed, all_jobs, pack_file_name, run_batch
from reviewdesk.settings import Settings

TODAY = dt.date(2026, 6, 15)


class KillingProgress:
    """A progress callback that kills the worker processes once the first pack is in, as
    the system does to a process when memory runs out."""

    live = False

    def __init__(self, *_args, **_kwargs):
        self.killed = False

    def __call__(self, done: int, total: int) -> None:
        if done >= 1 and not self.killed:
            self.killed = True
            children = multiprocessing.active_children()
            assert children, "the batch runs in worker processes"
            for child in children:
                os.kill(child.pid, signal.SIGKILL)


def break_client(book) -> int:
    """A client whose holdings carry an asset class this version does not know (as a
    newer version might write): reading them fails in the worker. Returns the client id."""
    with book.session() as session:
        client_id = session.scalar(
            select(Snapshot.client_id).order_by(Snapshot.client_id).offset(3).limit(1)
        )
        session.execute(
            text(
                "UPDATE holding SET asset_class = 'crypto' WHERE snapshot_id IN "
                "(SELECT id FROM snapshot WHERE client_id = :c)"
            ),
            {"c": client_id},
        )
    return client_id


def owner_only(path: Path) -> bool:
    """A pack's file is readable by its owner only, as every pack the app writes (a
    batch's on two workers was 0644 while one pack's was 0600); Windows has no such mode."""
    return os.name == "nt" or path.stat().st_mode & 0o777 == 0o600


def saved(book) -> list[PackRecord]:
    with book.session() as session:
        return list(session.scalars(select(PackRecord)))


def jobs_of(book):
    with book.session() as session:
        return all_jobs(session)


def test_spawned_workers_read_the_encrypted_book_and_every_pack_is_recorded(demo_book, tmp_path):
    assert demo_book.encrypted and not demo_book.read_only
    jobs = jobs_of(demo_book)[:4]
    result = run_batch(
        demo_book,
        jobs,
        tmp_path / "out",
        today=TODAY,
        settings=Settings(),
        paper="letter",
        workers=2,
    )
    assert not result.skipped and [j for j, _p in result.written] == jobs
    records = sorted(saved(demo_book), key=lambda r: r.client_id)
    assert [r.client_id for r in records] == [j.client_id for j in jobs]
    assert all(r.as_of == TODAY and r.paper == "letter" and r.reference for r in records)
    for record, (job, path) in zip(records, result.written, strict=True):
        assert record.file_name == str(path) and path.is_file()
        assert path.name == pack_file_name(job.code, job.name, record.review_date)
        assert record.reference.startswith(f"{job.code}-{record.review_date:%Y%m%d}-")
        assert owner_only(path), oct(path.stat().st_mode)


def test_where_there_is_no_fork_server_spawned_workers_make_the_same_packs(
    demo_book, tmp_path, monkeypatch
):
    """Windows has no fork server: the workers are spawned, each importing the pack's
    modules and opening the encrypted book with the key it is handed. Their packs are the
    fork server's to the byte, and every one is recorded."""
    import multiprocessing

    from reviewdesk.pack import batch

    jobs = jobs_of(demo_book)[:3]
    served = run_batch(
        demo_book, jobs, tmp_path / "served", today=TODAY, settings=Settings(), workers=2
    )
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert batch.worker_context().get_start_method() == "spawn"
    spawned = run_batch(
        demo_book, jobs, tmp_path / "spawned", today=TODAY, settings=Settings(), workers=2
    )
    assert not spawned.skipped and [j for j, _p in spawned.written] == jobs
    for (_job, a), (_same, b) in zip(served.written, spawned.written, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert len(saved(demo_book)) == 2 * len(jobs)


def test_a_workers_pack_is_named_once_the_batch_has_it(demo_book, tmp_path, monkeypatch):
    """A worker writes its pack under a hidden name; the batch gives it its own name when
    the worker's answer arrives. What a dead worker wrote and never answered for (here,
    as if left by one) is removed: the folder holds exactly the packs the book records."""
    import uuid

    from reviewdesk.pack import batch

    monkeypatch.setattr(batch.uuid, "uuid4", lambda: uuid.UUID(int=0xABC))
    stage = uuid.UUID(int=0xABC).hex[:12]
    out = tmp_path / "out"
    out.mkdir()
    orphan = out / f".C99999 nobody 2026-05-31.pdf.{stage}.part"
    orphan.write_bytes(b"%PDF- a dead worker's pack")
    jobs = jobs_of(demo_book)[:3]
    result = run_batch(demo_book, jobs, out, today=TODAY, settings=Settings(), workers=2)
    assert not result.skipped and len(result.written) == 3
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for _j, p in result.written)
    assert len(saved(demo_book)) == 3

    # In a worker: only the hidden name until the batch has the answer.
    [job] = jobs_of(demo_book)[3:4]
    outcome = batch._make_one(demo_book, Settings(), job, str(out), TODAY, None, None, "s1")
    assert outcome.status == "ok" and outcome.staged.endswith(".s1.part")
    assert Path(outcome.staged).is_file() and not Path(outcome.path).exists()


def test_a_plain_book_works_the_same(plain_book, tmp_path):
    from tests import factories as f

    with plain_book.session() as session:
        for code in ("P1", "P2"):
            session.add(
                f.client(
                    code,
                    f"客户{code}",
                    snapshots=[f.snapshot(dt.date(2026, 5, 31), f.holding("易方达蓝筹", "200000"))],
                )
            )
    assert not plain_book.encrypted and plain_book.access().passphrase is None
    result = run_batch(
        plain_book,
        jobs_of(plain_book),
        tmp_path / "out",
        today=TODAY,
        settings=Settings(),
        workers=2,
    )
    assert [j.code for j, _p in result.written] == ["P1", "P2"] and not result.skipped
    assert len(saved(plain_book)) == 2


def test_one_worker_uses_the_callers_book_and_its_passphrase(demo_book, tmp_path):
    jobs = jobs_of(demo_book)[:2]
    result = run_batch(
        demo_book, jobs, tmp_path / "out", today=TODAY, settings=Settings(), workers=1
    )
    assert len(result.written) == 2 and not result.skipped
    assert {r.as_of for r in saved(demo_book)} == {TODAY}
    assert all(owner_only(path) for _job, path in result.written)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_client_whose_pack_fails_is_skipped_and_logged(demo_book, tmp_path, caplog, workers):
    broken = break_client(demo_book)
    everyone = jobs_of(demo_book)
    jobs = [j for j in everyone if j.client_id != broken][:2] + [
        j for j in everyone if j.client_id == broken
    ]
    with caplog.at_level(logging.ERROR, logger="reviewdesk"):
        result = run_batch(
            demo_book, jobs, tmp_path / "out", today=TODAY, settings=Settings(), workers=workers
        )
    [(job, reason)] = result.skipped
    assert job.client_id == broken
    assert reason.startswith("could not be prepared: LookupError: 'crypto'")
    assert "\n" not in reason
    assert len(result.written) == 2 and len(saved(demo_book)) == 2
    [logged] = [r.getMessage() for r in caplog.records if job.code in r.getMessage()]
    assert "Traceback" in logged and "LookupError" in logged


def test_a_dying_worker_stops_the_batch_with_one_sentence(demo_book, tmp_path, caplog):
    jobs = jobs_of(demo_book)
    with caplog.at_level(logging.ERROR, logger="reviewdesk"), pytest.raises(BatchFailed) as failed:
        run_batch(
            demo_book,
            jobs,
            tmp_path / "out",
            today=TODAY,
            settings=Settings(),
            workers=2,
            progress=KillingProgress(),
        )
    message = str(failed.value)
    written = len(failed.value.result.written)
    assert 1 <= written < len(jobs)
    assert message == (
        f"Only {written} of {len(jobs)} packs were written (each one "
        "recorded): a process preparing them stopped unexpectedly; the "
        "details are in the log."
    )
    assert len(saved(demo_book)) == written == len(list((tmp_path / "out").glob("*.pdf")))
    [logged] = [
        r.getMessage() for r in caplog.records if "batch of packs stopped" in r.getMessage()
    ]
    assert "Traceback" in logged and "BrokenProcessPool" in logged
    assert multiprocessing.active_children() == []  # no worker left behind


def test_a_full_folder_stops_the_batch_and_keeps_what_was_written(demo_book, tmp_path, monkeypatch):
    """One worker, in this process: the disk fills after the second pack."""
    import errno

    from reviewdesk.pack import batch

    real = batch.write_private
    calls = []

    def write_private(path, data):
        calls.append(path)
        if len(calls) > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(batch, "write_private", write_private)
    out = tmp_path / "out"
    with pytest.raises(BatchFailed) as failed:
        run_batch(
            demo_book, jobs_of(demo_book)[:5], out, today=TODAY, settings=Settings(), workers=1
        )
    # In the words every other refusal uses, not the system's (`refusals.os_reason`).
    assert str(failed.value) == (
        f"Only 2 of 5 packs were written (each one recorded): the "
        f"folder {out} cannot be written to (the disk is full)."
    )
    assert len(calls) == 3  # it stopped at the first failure
    with demo_book.session() as session:
        assert session.scalar(select(func.count(PackRecord.id))) == 2


def test_long_names_are_cut_to_fit_a_file_name():
    name = pack_file_name("C1", "王" * 200, dt.date(2026, 3, 31))
    assert len(name.encode("utf-8")) < 255 and name.startswith("C1 王王")
    assert name.endswith(" 2026-03-31.pdf")
