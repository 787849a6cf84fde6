"""`reviewdesk packs` on an encrypted book, the default: every pack written and recorded,
one client's failure one line, a batch that cannot go on one sentence."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from sqlalchemy import select, text

from reviewdesk.book.enums import PackAction
from reviewdesk.book.models import Client, PackRecord, Snapshot
from reviewdesk.cli import main
from reviewdesk.pack.batch import due_jobs
from reviewdesk.settings import save_setting
from tests.conftest import AS_OF
from tests.pack.test_batch import KillingProgress, break_client

pytestmark = pytest.mark.usefixtures("passphrase_env")  # the user's passphrase, from the env


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def with_snapshot(book) -> dict[int, tuple[str, str, dt.date]]:
    """id -> (code, name, latest review date) of every client with a snapshot."""
    with book.session() as session:
        rows = session.execute(
            select(Client.id, Client.code, Client.name, Snapshot.review_date).join(Snapshot)
        )
        latest: dict[int, tuple[str, str, dt.date]] = {}
        for cid, code, name, date in rows:
            if cid not in latest or latest[cid][2] < date:
                latest[cid] = (code, name, date)
        return latest


def records(book) -> list[PackRecord]:
    with book.session() as session:
        return list(session.scalars(select(PackRecord).order_by(PackRecord.client_id)))


def assert_written_and_recorded(book, out_dir, expected: dict[int, tuple[str, str, dt.date]]):
    files = sorted(p.name for p in out_dir.iterdir())
    assert files == sorted(
        f"{code} {name} {date.isoformat()}.pdf" for code, name, date in expected.values()
    )
    saved = records(book)
    assert [r.client_id for r in saved] == sorted(expected)
    for record in saved:
        code, _name, date = expected[record.client_id]
        assert record.action == PackAction.SAVED and record.review_date == date
        assert record.as_of == dt.date.today() and record.paper == "a4"
        assert re.fullmatch(rf"{code}-{date:%Y%m%d}-[A-Z2-7]{{6}}", record.reference)
        assert (out_dir / record.file_name).is_file()  # an absolute path: this joins to it


@pytest.mark.parametrize("workers", ["2", "1"])
def test_packs_all_writes_and_records_every_client_with_a_snapshot(
    capsys, demo_book, tmp_path, workers
):
    assert demo_book.encrypted
    with demo_book.session() as session:
        session.add(Client(code="Z1", name="新客户"))  # no snapshot yet: skipped, said why
    expected = with_snapshot(demo_book)
    assert len(expected) == 24
    out_dir = tmp_path / "packs"
    code, out, err = run(
        capsys,
        "--db",
        str(demo_book.path),
        "packs",
        "--all",
        "--workers",
        workers,
        "-o",
        str(out_dir),
    )
    assert code == 0, err
    assert "passphrase" not in err and "Traceback" not in out + err
    assert f"24 packs written to {out_dir}, 1 skipped" in out
    assert "skipped Z1 新客户: no snapshot yet" in out
    assert_written_and_recorded(demo_book, out_dir, expected)
    assert not [p for p in out_dir.iterdir() if p.name.startswith(".")]  # no temp files left


def test_packs_due_writes_and_records_the_clients_due(capsys, demo_book, tmp_path):
    with demo_book.session() as session:
        due = {job.client_id for job in due_jobs(session, dt.date(2026, 7, 1), dt.date.today())}
    expected = {cid: v for cid, v in with_snapshot(demo_book).items() if cid in due}
    assert expected
    out_dir = tmp_path / "due"
    code, out, err = run(
        capsys,
        "--db",
        str(demo_book.path),
        "packs",
        "--due",
        "--month",
        "2026-07",
        "--workers",
        "2",
        "-o",
        str(out_dir),
    )
    assert code == 0, err
    assert f"{len(expected)} packs written" in out
    assert_written_and_recorded(demo_book, out_dir, expected)


def test_packs_due_as_of_a_day_takes_the_clients_due_on_that_day(capsys, demo_book, tmp_path):
    """Found: `packs --due --as-of D` made the packs "prepared on" D for the clients due this
    month as judged today."""
    today = dt.date.today()
    as_of = AS_OF - dt.timedelta(days=30)  # before the demo's day: a third of them due then
    with demo_book.session() as session:
        due = {job.client_id for job in due_jobs(session, as_of, as_of)}
        due_now = {job.client_id for job in due_jobs(session, today, today)}
    assert due != due_now  # the day matters in this book
    expected = {cid: v for cid, v in with_snapshot(demo_book).items() if cid in due}
    out_dir = tmp_path / "due"
    code, out, err = run(
        capsys,
        "--db",
        str(demo_book.path),
        "packs",
        "--due",
        "--as-of",
        as_of.isoformat(),
        "--workers",
        "1",
        "-o",
        str(out_dir),
    )
    assert code == 0, err
    assert f"{len(expected)} packs written" in out
    # Each client's review as of that day: the latest snapshot on or before it.
    assert {r.client_id: r.as_of for r in records(demo_book)} == dict.fromkeys(expected, as_of)
    assert all(r.review_date <= as_of for r in records(demo_book))
    assert len(list(out_dir.iterdir())) == len(expected)


def test_a_client_whose_pack_fails_is_one_line_and_the_others_are_written(
    capsys, caplog, demo_book, tmp_path
):
    broken = break_client(demo_book)
    expected = with_snapshot(demo_book)
    code_, name, _date = expected.pop(broken)
    out_dir = tmp_path / "packs"
    with caplog.at_level(logging.ERROR, logger="reviewdesk"):
        code, out, err = run(
            capsys,
            "--db",
            str(demo_book.path),
            "packs",
            "--all",
            "--workers",
            "2",
            "-o",
            str(out_dir),
        )
    assert code == 0, err
    assert f"23 packs written to {out_dir}, 1 skipped" in out
    [line] = [line for line in out.splitlines() if line.startswith("skipped")]
    assert line.startswith(f"skipped {code_} {name}: could not be prepared: LookupError")
    assert line.endswith("(details in the log)")
    assert "Traceback" not in out + err
    assert_written_and_recorded(demo_book, out_dir, expected)
    assert any(code_ in r.getMessage() and "Traceback" in r.getMessage() for r in caplog.records)


def brand(book) -> None:
    """A bank name set, so that the only thing on stderr is what the test is about."""
    with book.session() as session:
        save_setting(session, "bank_name", "示例银行上海分行")


def test_a_dying_worker_is_one_sentence_and_what_was_written_is_recorded(
    capsys, caplog, demo_book, tmp_path, monkeypatch
):
    brand(demo_book)
    monkeypatch.setattr("reviewdesk.cli.pack_cmds.Progress", KillingProgress)
    out_dir = tmp_path / "packs"
    with caplog.at_level(logging.ERROR, logger="reviewdesk"):
        code, out, err = run(
            capsys,
            "--db",
            str(demo_book.path),
            "packs",
            "--all",
            "--workers",
            "2",
            "-o",
            str(out_dir),
        )
    assert code == 1
    [sentence] = err.strip().splitlines()
    match = re.fullmatch(
        r"reviewdesk: Only (\d+) of 24 packs were written \(each one "
        r"recorded\): a process preparing them stopped unexpectedly; the "
        r"details are in the log\.",
        sentence,
    )
    assert match, sentence
    written = int(match[1])
    assert 1 <= written < 24
    assert "Traceback" not in out + err
    saved = records(demo_book)
    assert len(saved) == written == len(list(out_dir.glob("*.pdf")))
    assert all((out_dir / r.file_name).is_file() and r.reference for r in saved)
    assert any("BrokenProcessPool" in r.getMessage() for r in caplog.records)


def test_the_chinese_interface_says_the_sentence_in_chinese(
    capsys, demo_book, tmp_path, monkeypatch
):
    brand(demo_book)
    monkeypatch.setattr("reviewdesk.cli.pack_cmds.Progress", KillingProgress)
    code, out, err = run(
        capsys,
        "--ui-lang",
        "zh",
        "--db",
        str(demo_book.path),
        "packs",
        "--all",
        "--workers",
        "2",
        "-o",
        str(tmp_path / "packs"),
    )
    assert code == 1
    assert "生成进程意外终止，详情见日志" in err and len(err.strip().splitlines()) == 1


def test_the_book_holds_no_passphrase_in_what_it_hands_over(demo_book):
    access = demo_book.access()
    assert access.url == demo_book.url and access.passphrase
    assert access.passphrase not in repr(access)
    reader = access.open_reader()
    try:
        assert reader.read_only and reader.encrypted
        with reader.session() as session:
            assert session.scalar(select(Client.id).limit(1)) is not None
    finally:
        reader.close()
    with demo_book.session() as session:  # the opener still holds the book's lock and writes
        session.execute(text("UPDATE client SET phone = '1' WHERE id = 1"))


def test_a_read_only_book_writes_no_pack_it_could_not_record(capsys, demo_book, tmp_path):
    code, out, err = run(
        capsys,
        "--db",
        str(demo_book.path),
        "--read-only",
        "packs",
        "--all",
        "-o",
        str(tmp_path / "packs"),
    )
    assert code == 1 and "no pack was written" in err and "Traceback" not in err
    assert not (tmp_path / "packs").exists() and records(demo_book) == []
