"""A pack can be rebuilt: `pack --as-of`, `pack --reference`, `pack-log`, and the reference
kept in the record, the audit trail and the footer of every page (an encrypted book)."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from reviewdesk.book.db import open_book
from reviewdesk.book.enums import PackAction
from reviewdesk.book.models import AuditEntry, Holding, PackRecord, Snapshot
from reviewdesk.cli import main
from tests.conftest import AS_OF

PASSPHRASE = "重建 口令 ' ;"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path, monkeypatch):
    """An encrypted demo book of three clients; the command line gets its passphrase from
    the environment."""
    from reviewdesk.demo import DemoOptions, fill_demo

    path = tmp_path / "b.sqlite"
    book = open_book(str(path), passphrase=PASSPHRASE)
    with book.session() as session:
        fill_demo(session, DemoOptions(clients=3, seed=11, as_of=AS_OF))
    book.close()
    monkeypatch.setenv("REVIEWDESK_PASSPHRASE", PASSPHRASE)
    return str(path)


def _book(db):
    return open_book(db, passphrase=PASSPHRASE)


def _records(db):
    book = _book(db)
    try:
        with book.session() as session:
            return [
                (r.action, r.review_date, r.as_of, r.language.value, r.paper, r.reference)
                for r in session.scalars(select(PackRecord).order_by(PackRecord.id))
            ]
    finally:
        book.close()


def _pack_events(db):
    book = _book(db)
    try:
        with book.session() as session:
            return [
                (e.action, e.record, e.record_id, e.detail)
                for e in session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.action.like("pack_%"))
                    .order_by(AuditEntry.id)
                )
            ]
    finally:
        book.close()


def _pages(path):
    return ["".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_a_pack_as_of_a_date_is_rebuilt_byte_for_byte(capsys, db, tmp_path):
    first = tmp_path / "first.pdf"
    code, out, err = run(
        capsys, "--db", db, "pack", "1", "--as-of", "2026-06-15", "--lang", "zh", "-o", str(first)
    )
    assert code == 0, err
    [(action, review_date, as_of, lang, paper, reference)] = _records(db)
    assert (action, as_of, lang, paper) == (PackAction.SAVED, AS_OF, "zh", "a4")
    assert reference.startswith(f"C00001-{review_date:%Y%m%d}-") and reference in out
    pages = _pages(first)
    assert "编制日期：2026年6月15日" in pages[0]
    assert all(f"文件编号{reference}" in page for page in pages)  # the footer of every page

    by_reference = tmp_path / "by-reference.pdf"
    code, out, err = run(
        capsys, "--db", db, "pack", "--reference", reference, "-o", str(by_reference)
    )
    assert code == 0, err
    assert by_reference.read_bytes() == first.read_bytes()

    by_options = tmp_path / "by-options.pdf"
    code, out, err = run(
        capsys,
        "--db",
        db,
        "pack",
        "C00001",
        "--date",
        review_date.isoformat(),
        "--as-of",
        "2026-06-15",
        "--lang",
        "zh",
        "--paper",
        "a4",
        "-o",
        str(by_options),
    )
    assert code == 0, err
    assert by_options.read_bytes() == first.read_bytes()

    # Each pack written is recorded, with what it takes to rebuild it, and audited with its
    # reference.
    assert [r[2:] for r in _records(db)] == [(AS_OF, "zh", "a4", reference)] * 3
    events = _pack_events(db)
    assert [e[0] for e in events] == ["pack_saved"] * 3
    assert all(f"ref {reference}" in e[3] and "as of 2026-06-15" in e[3] for e in events)
    assert all(e[1] == "PackRecord" and e[2] for e in events)

    code, out, err = run(capsys, "--db", db, "pack-log", "1", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["reference"], r["as_of"], r["paper"]) for r in rows] == [
        (reference, "2026-06-15", "a4")
    ] * 3
    code, out, err = run(capsys, "--db", db, "pack-log", "C00001")
    assert code == 0 and out.count(reference) == 3 and "3 packs recorded" in out


def test_the_as_of_date_changes_what_the_pack_shows_and_its_reference(capsys, db, tmp_path):
    code, out, err = run(
        capsys, "--db", db, "pack", "1", "--as-of", "2026-06-15", "-o", str(tmp_path / "june.pdf")
    )
    assert code == 0, err
    code, out, err = run(
        capsys,
        "--db",
        db,
        "pack",
        "1",
        "--as-of",
        "2026-09-30",
        "-o",
        str(tmp_path / "september.pdf"),
    )
    assert code == 0, err
    june, september = _records(db)
    assert june[1] == september[1]  # the same review date
    assert (june[2], september[2]) == (AS_OF, dt.date(2026, 9, 30))
    assert june[5] != september[5]


def test_a_later_pack_of_a_changed_book_gets_another_reference(capsys, db, tmp_path):
    code, out, err = run(
        capsys, "--db", db, "pack", "1", "--as-of", "2026-06-15", "-o", str(tmp_path / "first.pdf")
    )
    assert code == 0, err
    [first] = _records(db)
    book = _book(db)
    with book.session() as session:
        holding = session.scalars(
            select(Holding)
            .join(Snapshot)
            .where(Snapshot.client_id == 1, Snapshot.review_date == first[1])
        ).first()
        holding.market_value += Decimal("1000.00")
    book.close()

    code, out, err = run(capsys, "--db", db, "pack", "1", "-o", str(tmp_path / "later.pdf"))
    assert code == 0, err
    later = _records(db)[-1]
    assert later[2] == dt.date.today() and later[5] != first[5]
    # Even as of the same day, the changed book gives another pack.
    code, out, err = run(
        capsys,
        "--db",
        db,
        "pack",
        "1",
        "--as-of",
        "2026-06-15",
        "-o",
        str(tmp_path / "same-day.pdf"),
    )
    assert code == 0, err
    assert _records(db)[-1][5] not in (first[5], later[5])

    # The first pack can no longer be rebuilt as it was: refused, nothing written or recorded.
    gone = tmp_path / "rebuilt.pdf"
    code, out, err = run(capsys, "--db", db, "pack", "--reference", first[5], "-o", str(gone))
    assert code == 1 and first[5] in err and "changed" in err and "Traceback" not in err
    assert not gone.exists() and len(_records(db)) == 3


def test_reference_usage_and_unknown_reference(capsys, db, tmp_path):
    out_file = str(tmp_path / "x.pdf")
    code, _, err = run(capsys, "--db", db, "pack", "1", "--reference", "C00001-X", "-o", out_file)
    assert code == 2 and "CLIENT" in err
    code, _, err = run(
        capsys,
        "--db",
        db,
        "pack",
        "--reference",
        "C00001-X",
        "--as-of",
        "2026-06-15",
        "-o",
        out_file,
    )
    assert code == 2 and "--as-of" in err
    code, _, err = run(capsys, "--db", db, "pack", "-o", out_file)
    assert code == 2 and "CLIENT" in err and "--reference" in err
    code, _, err = run(
        capsys, "--db", db, "pack", "--reference", "C00001-20260331-NOPE00", "-o", out_file
    )
    assert code == 1 and "C00001-20260331-NOPE00" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists() and _records(db) == []


def test_an_encrypted_pack_rebuilt_from_its_reference_opens_to_the_same_text(capsys, db, tmp_path):
    plain = tmp_path / "plain.pdf"
    code, out, err = run(capsys, "--db", db, "pack", "2", "--as-of", "2026-06-15", "-o", str(plain))
    assert code == 0, err
    reference = _records(db)[0][5]
    locked = tmp_path / "locked.pdf"
    code, out, err = run(
        capsys, "--db", db, "pack", "--reference", reference, "--encrypt", "-o", str(locked)
    )
    assert code == 0, err
    password = out.strip().splitlines()[-1].split(": ")[-1]
    reader = PdfReader(io.BytesIO(locked.read_bytes()))
    assert reader.decrypt(password)
    assert ["".join(p.extract_text().split()) for p in reader.pages] == _pages(plain)
    assert _records(db)[-1][5] == reference


def test_email_records_the_as_of_date_paper_and_reference(capsys, db, tmp_path):
    code, out, err = run(
        capsys, "--db", db, "email", "1", "--lang", "en", "-o", str(tmp_path / "d.eml")
    )
    assert code == 0, err
    [(action, _date, as_of, lang, paper, reference)] = _records(db)
    assert (action, as_of, lang, paper) == (PackAction.EMAILED, dt.date.today(), "en", "a4")
    assert reference and reference in out
    [(event, record, _id, detail)] = _pack_events(db)
    assert event == "pack_emailed" and f"ref {reference}" in detail and "d.eml" in detail


def test_packs_as_of_a_date(capsys, demo_book, tmp_path, passphrase_env):
    out_dir = tmp_path / "packs"
    code, out, err = run(
        capsys,
        "--db",
        str(demo_book.path),
        "packs",
        "--all",
        "--as-of",
        "2026-09-30",
        "--lang",
        "en",
        "--workers",
        "1",
        "-o",
        str(out_dir),
    )
    assert code == 0, err
    files = sorted(out_dir.glob("*.pdf"))
    assert len(files) == 24
    assert all("Preparedon30Sep2026" in _pages(f)[0] for f in files[:3])


def test_a_pack_as_of_a_day_shows_the_review_the_client_had_by_then(capsys, db, tmp_path):
    book = _book(db)
    with book.session() as session:
        dates = session.scalars(
            select(Snapshot.review_date)
            .where(Snapshot.client_id == 1)
            .order_by(Snapshot.review_date)
        ).all()
    book.close()
    assert len(dates) >= 2
    day_before = dates[-1] - dt.timedelta(days=1)
    code, out, err = run(
        capsys,
        "--db",
        db,
        "pack",
        "1",
        "--as-of",
        day_before.isoformat(),
        "-o",
        str(tmp_path / "a.pdf"),
    )
    assert code == 0, err
    assert _records(db)[-1][1:3] == (dates[-2], day_before)

    code, _, err = run(
        capsys,
        "--db",
        db,
        "pack",
        "1",
        "--as-of",
        (dates[0] - dt.timedelta(days=1)).isoformat(),
        "-o",
        str(tmp_path / "b.pdf"),
    )
    assert code == 1 and dates[0].isoformat() in err and "Traceback" not in err
    code, _, err = run(
        capsys,
        "--db",
        db,
        "pack",
        "1",
        "--date",
        dates[-1].isoformat(),
        "--as-of",
        day_before.isoformat(),
        "-o",
        str(tmp_path / "c.pdf"),
    )
    assert code == 2 and "--as-of" in err
    assert not (tmp_path / "b.pdf").exists() and not (tmp_path / "c.pdf").exists()
    assert len(_records(db)) == 1
