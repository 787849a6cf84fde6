"""`reviewdesk pack` and `reviewdesk packs`: exit codes, outputs, files and records."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from reviewdesk.book.enums import PackAction
from reviewdesk.book.models import Client, PackRecord, Snapshot
from reviewdesk.cli import main
from reviewdesk.pack.batch import Job, pack_file_name, run_batch
from reviewdesk.settings import Settings

# The books are encrypted (the default); the passphrase comes from the environment,
# as a user may give it.
pytestmark = pytest.mark.usefixtures("passphrase_env")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _first_client(book):
    with book.session() as session:
        client = session.scalars(select(Client).order_by(Client.id)).first()
        dates = session.scalars(
            select(Snapshot.review_date)
            .where(Snapshot.client_id == client.id)
            .order_by(Snapshot.review_date)
        ).all()
        return client.id, client.name, client.language.value, dates


def test_pack_writes_the_latest_review_and_records_it(capsys, demo_book, tmp_path):
    db = str(demo_book.path)
    cid, name, lang, dates = _first_client(demo_book)
    out_file = tmp_path / "a.pdf"
    code, out, err = run(capsys, "--db", db, "pack", str(cid), "-o", str(out_file))
    assert code == 0, err
    assert dates[-1].isoformat() in out and name in out
    text = "".join(PdfReader(out_file).pages[0].extract_text().split())
    assert "".join(name.split()) in text
    with demo_book.session() as session:
        record = session.scalars(select(PackRecord)).one()
    assert (record.client_id, record.review_date, record.action) == (
        cid,
        dates[-1],
        PackAction.SAVED,
    )
    assert record.language.value == lang and not record.encrypted


def test_pack_for_a_date_without_snapshot_lists_the_dates(capsys, demo_book, tmp_path):
    cid, _, _, dates = _first_client(demo_book)
    code, out, err = run(
        capsys,
        "--db",
        str(demo_book.path),
        "pack",
        str(cid),
        "--date",
        "2001-01-01",
        "-o",
        str(tmp_path / "x.pdf"),
    )
    assert code == 1
    assert "2001-01-01" in err and dates[0].isoformat() in err and dates[-1].isoformat() in err
    assert "Traceback" not in err and not (tmp_path / "x.pdf").exists()


def test_encrypted_pack_prints_the_password_once(capsys, demo_book, tmp_path):
    cid, _, _, dates = _first_client(demo_book)
    out_file = tmp_path / "secret.pdf"
    code, out, err = run(
        capsys,
        "--db",
        str(demo_book.path),
        "pack",
        str(cid),
        "--encrypt",
        "--lang",
        "en",
        "--date",
        dates[0].isoformat(),
        "-o",
        str(out_file),
    )
    assert code == 0, err
    password = out.strip().splitlines()[-1].split(": ")[-1]
    assert len(password) >= 12 and out.count(password) == 1
    reader = PdfReader(io.BytesIO(out_file.read_bytes()))
    assert reader.is_encrypted and reader.trailer["/Encrypt"]["/R"] == 6
    assert reader.decrypt(password)
    assert password not in out_file.name


def test_pack_refuses_a_short_password_and_a_bad_paper(capsys, demo_book, tmp_path):
    db = str(demo_book.path)
    code, _, err = run(
        capsys, "--db", db, "pack", "1", "--password", "short", "-o", str(tmp_path / "p.pdf")
    )
    assert code == 2 and "--password" in err
    try:
        main(["--db", db, "pack", "1", "--paper", "a3", "-o", str(tmp_path / "p.pdf")])
    except SystemExit as exc:
        assert exc.code == 2


def test_packs_all_writes_one_file_per_client_with_a_summary(capsys, demo_book, tmp_path):
    out_dir = tmp_path / "packs"
    code, out, err = run(
        capsys, "--db", str(demo_book.path), "packs", "--all", "--workers", "2", "-o", str(out_dir)
    )
    assert code == 0, err
    files = sorted(p.name for p in out_dir.iterdir())
    assert len(files) == 24 and all(f.endswith(".pdf") for f in files)
    assert "24" in out and "0" in out
    assert not [p for p in out_dir.iterdir() if p.name.startswith(".")]  # no temp files left
    with demo_book.session() as session:
        assert len(session.scalars(select(PackRecord)).all()) == 24


def test_packs_due_this_month(capsys, demo_book, tmp_path):
    code, out, err = run(
        capsys,
        "--db",
        str(demo_book.path),
        "packs",
        "--due",
        "--month",
        "2026-06",
        "-o",
        str(tmp_path / "due"),
    )
    assert code == 0, err
    assert len(list((tmp_path / "due").iterdir())) > 0


def test_batch_skips_a_client_without_snapshot_and_can_be_cancelled(demo_book, tmp_path):
    with demo_book.session() as session:
        session.add(Client(code="Z1", name="新客户"))
    with demo_book.session() as session:
        jobs = [
            Job(*row)
            for row in session.execute(
                select(Client.id, Client.code, Client.name).order_by(Client.id.desc()).limit(3)
            )
        ]
    seen = []
    result = run_batch(
        demo_book,
        jobs,
        tmp_path / "b",
        today=dt.date(2026, 6, 15),
        settings=Settings(),
        workers=1,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [(j.code, reason) for j, reason in result.skipped] == [("Z1", "no snapshot yet")]
    assert len(result.written) == 2 and seen[-1] == (3, 3)
    cancelled = run_batch(
        demo_book,
        jobs,
        tmp_path / "c",
        today=dt.date(2026, 6, 15),
        settings=Settings(),
        workers=1,
        cancelled=lambda: True,
    )
    assert cancelled.cancelled and not cancelled.written


def test_file_names_are_findable_and_safe():
    assert pack_file_name("C00012", "张伟", dt.date(2026, 3, 31)) == "C00012 张伟 2026-03-31.pdf"
    assert pack_file_name("C1", 'a/b:c"', dt.date(2026, 3, 31)) == "C1 a_b_c_ 2026-03-31.pdf"


def test_same_book_and_options_write_identical_files(capsys, demo_book, tmp_path):
    db = str(demo_book.path)
    for name in ("one.pdf", "two.pdf"):
        code, _, err = run(
            capsys, "--db", db, "pack", "1", "--lang", "en", "-o", str(tmp_path / name)
        )
        assert code == 0, err
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()


def test_the_password_can_come_from_standard_input(capsys, demo_book, tmp_path, monkeypatch):
    """Kept out of the shell's history: `echo ... | reviewdesk pack --password-stdin`."""
    cid, _, _, dates = _first_client(demo_book)
    out_file = tmp_path / "piped.pdf"
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    code, out, err = run(
        capsys,
        "--db",
        str(demo_book.path),
        "pack",
        str(cid),
        "--password-stdin",
        "--date",
        dates[0].isoformat(),
        "-o",
        str(out_file),
    )
    assert code == 0, err
    assert "correct horse" not in out + err
    reader = PdfReader(io.BytesIO(out_file.read_bytes()))
    assert reader.is_encrypted and reader.decrypt("correct horse battery")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, _, err = run(
        capsys,
        "--db",
        str(demo_book.path),
        "pack",
        str(cid),
        "--password-stdin",
        "-o",
        str(tmp_path / "short.pdf"),
    )
    assert code == 2 and "--password-stdin" in err
