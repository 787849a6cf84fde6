"""Hostile import files, built on the fly: each refused with its true reason, the book
unchanged; none takes more than a few seconds or a few hundred megabytes to refuse."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import msoffcrypto  # noqa: F401  (the dependency that opens protected workbooks)
from msoffcrypto.format.ooxml import OOXMLFile
from sqlalchemy import func, select

from reviewdesk.book.models import Client, Holding
from reviewdesk.cli import main
from reviewdesk.exchange import import_files
from reviewdesk.exchange.limits import Limits
from tests.exchange import workbooks as wbs

HEADER = "client_id,name,tier\n"


def book_rows(book) -> tuple[int, int]:
    with book.session() as s:
        return s.scalar(select(func.count(Client.id))), s.scalar(select(func.count(Holding.id)))


def refused(book, paths, *words, **kw):
    """Import, check it was refused with these words and the book is unchanged."""
    before = book_rows(book)
    report = import_files(book, paths, **kw)
    text = "\n".join(p.message() for p in report.problems)
    assert not report.applied and report.problems, text
    for word in words:
        assert word in text, text
    assert book_rows(book) == before
    return report


def clients_workbook(path: Path, rows=(("K1", "张伟"),)) -> Path:
    return wbs.write(path, {"Clients": [["client_id", "name"], *map(list, rows)]})


# ---- 6. CSV that loses rows silently --------------------------------------------


def test_an_unclosed_quote_is_refused_by_its_line(book, tmp_path):
    path = tmp_path / "Clients.csv"
    path.write_text(HEADER + 'K1,"张伟,key\nK2,李娜,key\nK3,王芳,key\n', encoding="utf-8")
    report = refused(book, [path], "Clients row 2:", "never closed", "2 lines after it")
    assert report.problems[0].row == 2


def test_a_semicolon_csv_is_read(book, tmp_path):
    path = tmp_path / "Clients.csv"
    path.write_text("client_id;name;tier\nK1;张伟;key\nK2;李娜;key\n", encoding="utf-8")
    report = import_files(book, [path])
    assert report.applied, [p.message() for p in report.problems]
    assert book_rows(book) == (2, 0)


def test_a_tab_separated_csv_is_read(book, tmp_path):
    path = tmp_path / "Clients.csv"
    path.write_text("client_id\tname\nK1\t张伟, 先生\n", encoding="utf-8")
    assert import_files(book, [path]).applied
    assert book_rows(book) == (1, 0)


def test_a_file_with_no_usable_row_says_so_and_fails(book, tmp_path, capsys, passphrase_env):
    path = tmp_path / "Clients.csv"
    path.write_text(HEADER, encoding="utf-8")
    refused(book, [path], "no row to import")
    book.close()
    code = main(["--db", str(book.path), "import", str(path)])
    assert code != 0
    assert "no row to import" in capsys.readouterr().err


def test_a_csv_whose_header_is_never_found_is_refused(book, tmp_path):
    path = tmp_path / "Clients.csv"
    path.write_text("a|b\n1|2\n", encoding="utf-8")
    refused(book, [path], "no header row")


# ---- 7. Misleading messages --------------------------------------------------------


def protected(tmp_path: Path, password: str) -> Path:
    plain = clients_workbook(tmp_path / "plain.xlsx")
    target = tmp_path / "protected.xlsx"
    with plain.open("rb") as fh, target.open("wb") as out:
        OOXMLFile(fh).encrypt(password, out)
    return target


def test_a_protected_workbook_asks_for_its_password(book, tmp_path):
    path = protected(tmp_path, "s3cret")
    refused(book, [path], "protected by a password", "--password-stdin")
    refused(book, [path], "does not open", password="wrong")
    report = import_files(book, [path], password="s3cret")
    assert report.applied and book_rows(book) == (1, 0)


def test_the_command_line_reads_the_password_from_stdin(
    book, tmp_path, capsys, monkeypatch, passphrase_env
):
    path = protected(tmp_path, "s3cret")
    book.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret\n"))
    code = main(["--db", str(book.path), "import", "--password-stdin", str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "1 added" in out


def test_utf16_csv_is_read(book, tmp_path):
    path = tmp_path / "Clients.csv"
    path.write_bytes((HEADER + "K1,张伟,key\n").encode("utf-16"))  # with its BOM
    assert import_files(book, [path]).applied
    no_bom = tmp_path / "客户.csv"
    no_bom.write_bytes((HEADER + "K2,李娜,key\n").encode("utf-16-le"))
    assert import_files(book, [no_bom]).applied
    assert book_rows(book) == (2, 0)


def test_gb18030_is_told_on_the_whole_file(book, tmp_path):
    filler = "K1,Client one,key\n" + ",,\n" * 400_000  # more than 1 MiB of ASCII first
    path = tmp_path / "Clients.csv"
    path.write_bytes((HEADER + filler + "K9,张伟,key\n").encode("gb18030"))
    assert path.stat().st_size > 1 << 20
    report = import_files(book, [path])
    assert report.applied, [p.message() for p in report.problems[:3]]
    with book.session() as s:
        assert s.scalar(select(Client.name).where(Client.code == "K9")) == "张伟"


def test_text_in_no_known_encoding_is_refused_naming_them(book, tmp_path):
    path = tmp_path / "Clients.csv"
    path.write_bytes(HEADER.encode() + b"K1,\xff\xff\xff,key\n")
    refused(book, [path], "UTF-8, UTF-16 or GB18030")


def test_a_formula_never_calculated_says_so(book, tmp_path):
    path = wbs.write(
        tmp_path / "f.xlsx", {"Clients": [["client_id", "name"], ["K1", '=CONCAT("张","伟")']]}
    )
    refused(book, [path], "Clients row 2, name", "formula that was never calculated", "save it")


def rewrite(path: Path, change) -> Path:
    """The workbook with its parts passed through `change(name, data)` (None drops one)."""
    with zipfile.ZipFile(path) as src:
        parts = [(i.filename, src.read(i)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            data = change(name, data)
            if data is not None:
                out.writestr(name, data)
    return path


def with_shared_strings(path: Path, strings: bytes, index: int) -> Path:
    """The workbook with a shared-strings part, the name of row 2 taken from it at `index`."""
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"

    def change(name, data):
        if name == "xl/worksheets/sheet1.xml":
            name_cell = '<c r="B2" t="inlineStr"><is><t>张伟</t></is></c>'.encode()
            assert name_cell in data
            return data.replace(name_cell, f'<c r="B2" t="s"><v>{index}</v></c>'.encode())
        if name == "[Content_Types].xml":
            override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/>'
            return data.replace(b"</Types>", override.encode() + b"</Types>")
        return data

    rewrite(path, change)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as out:
        out.writestr("xl/sharedStrings.xml", strings)
    return path


SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def test_shared_strings_are_read(book, tmp_path):
    path = clients_workbook(tmp_path / "s.xlsx")
    with_shared_strings(path, SST + "<si><t>李娜</t></si></sst>".encode(), 0)
    assert import_files(book, [path]).applied
    with book.session() as s:
        assert s.scalar(select(Client.name)) == "李娜"


def test_a_bad_shared_string_index_is_a_damaged_workbook(book, tmp_path, capsys, passphrase_env):
    path = clients_workbook(tmp_path / "s.xlsx")
    with_shared_strings(path, SST + "<si><t>李娜</t></si></sst>".encode(), 99999)
    refused(book, [path], "damaged", "99999")
    book.close()
    code = main(["--db", str(book.path), "import", str(path)])
    assert code == 1  # a refusal, not an internal error (70)
    assert "damaged" in capsys.readouterr().err


def test_a_workbook_with_no_known_sheet_names_what_was_expected(book, tmp_path):
    path = wbs.write(tmp_path / "w.xlsx", {"Sheet1": [["client_id", "name"], ["K1", "张伟"]]})
    refused(book, [path], "holds none of the sheets", "Clients / 客户", "found Sheet1")


def test_a_declared_sheet_whose_part_is_missing_is_damaged(book, tmp_path):
    path = wbs.write(
        tmp_path / "m.xlsx",
        {
            "Clients": [["client_id", "name"], ["K1", "张伟"]],
            "Holdings": [["client_id"]],
        },
    )
    rewrite(path, lambda name, data: None if name == "xl/worksheets/sheet2.xml" else data)
    refused(book, [path], "Holdings", "missing", "damaged")


# ---- 8. Zip bombs --------------------------------------------------------------------


def raw_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip written by hand: (name, deflated data, uncompressed size, crc) per member."""
    out = bytearray()
    central = bytearray()
    for name, data, size, crc in members:
        raw = name.encode()
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(raw), 0
        )
        out += raw + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(data),
            size,
            len(raw),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += raw
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0
    )
    path.write_bytes(bytes(out + central + end))
    return path


def deflated(data: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = c.compress(data) + c.flush()
    return body, len(data), zlib.crc32(data)


def repeated(unit: bytes, times: int, head: bytes, tail: bytes) -> tuple[bytes, int, int]:
    """A deflate stream of head + unit * times + tail, made in milliseconds: after a full
    flush the compressor starts afresh, so each repetition compresses to the same bytes."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(unit) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(unit) + c.flush(zlib.Z_FULL_FLUSH)
    assert block == again
    body = first + block * (times - 1) + again + c.compress(tail) + c.flush()
    size = len(head) + len(unit) * times + len(tail)
    crc = 0  # a bomb is refused before its end, where the checksum is checked
    if size < 64 << 20:
        crc = zlib.crc32(head)
        for _n in range(times):
            crc = zlib.crc32(unit, crc)
        crc = zlib.crc32(tail, crc)
    return body, size, crc


def bomb(path: Path, unit: bytes, times: int) -> Path:
    """A workbook whose one sheet is a header row then `unit` `times` times."""
    template = clients_workbook(path.with_name("template.xlsx"))
    members = []
    with zipfile.ZipFile(template) as src:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _rows, _rest = data.partition(b"<sheetData>")
                head += b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>client_id</t>'
                head += b'</is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'
                body, size, crc = repeated(unit, times, head, b"</sheetData></worksheet>")
                members.append((info.filename, body, size, crc))
            else:
                members.append((info.filename, *deflated(data)))
    return raw_zip(path, members)


def measured(call):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = call()
    finally:
        seconds = time.perf_counter() - started
        _size, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, seconds, peak


def test_a_3mb_zip_bomb_is_refused_at_once(book, tmp_path):
    unit = b'<row r="2"><c r="A2"><v>1</v></c></row>' * 10_000
    path = bomb(tmp_path / "bomb.xlsx", unit, 2_600)  # a gigabyte of rows in 3 MB
    assert 1 << 20 < path.stat().st_size < 4 << 20
    report, seconds, peak = measured(lambda: refused(book, [path], "times its packed size"))
    assert seconds < 5 and peak < 200 << 20, (seconds, peak)


def test_the_limits_are_counted_while_reading(book, tmp_path):
    """A file within the declared limits still stops at the first row past a limit."""
    loose = dict(ratio=10**6, total_bytes=1 << 40, sheet_bytes=1 << 40)
    unit = b'<row r="2"><c r="A2"><v>1</v></c></row>' * 100
    path = bomb(tmp_path / "rows.xlsx", unit, 10_000)  # a million rows
    report, seconds, peak = measured(
        lambda: refused(book, [path], "more than 1,000 rows", limits=Limits(rows=1000, **loose))
    )
    assert seconds < 5 and peak < 200 << 20
    wide = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"x" * 40_000 + b"</t></is></c></row>"
    path = bomb(tmp_path / "cell.xlsx", wide, 10)
    refused(book, [path], "40,000 characters", "32,767", limits=Limits(**loose))
    huge = b'<row r="2">' + b'<c r="A2"><v>1</v></c>' * 1000
    path = bomb(tmp_path / "row.xlsx", huge, 20_000)  # one row never closed
    refused(book, [path], "larger than the limit of 16.0 MB", limits=Limits(**loose))


def test_a_sheet_past_its_size_limit_is_refused_before_reading(book, tmp_path):
    unit = b'<row r="2"><c r="A2"><v>1</v></c></row>' * 100
    path = bomb(tmp_path / "big.xlsx", unit, 10_000)
    refused(
        book,
        [path],
        "unpacks to",
        "more than the limit of 1.0 MB",
        limits=Limits(sheet_bytes=1 << 20),
    )


def test_a_huge_shared_string_is_refused_before_it_is_read(book, tmp_path):
    path = clients_workbook(tmp_path / "ss.xlsx")
    with_shared_strings(path, SST + b"<si><t>" + b"x" * (2 << 20) + b"</t></si></sst>", 0)
    refused(book, [path], "sharedStrings.xml", "times its packed size")
    limits = Limits(strings_bytes=1 << 20, ratio=10**6)
    refused(book, [path], "sharedStrings.xml", "limit of 1.0 MB", limits=limits)
    limits = Limits(ratio=10**6)
    refused(book, [path], "2,097,152 characters", "32,767", limits=limits)


def test_a_long_csv_cell_is_refused(book, tmp_path):
    path = tmp_path / "Clients.csv"
    path.write_text(HEADER + "K1," + "x" * 40_000 + ",key\n", encoding="utf-8")
    refused(book, [path], "Clients row 2:", "32,767")


# ---- 15. Reports that swamp the screen -----------------------------------------------


def many_bad_rows(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "Clients.csv"
    path.write_text(HEADER + "".join(f"K{n},张伟,gold\n" for n in range(count)), encoding="utf-8")
    return path


def test_the_command_line_prints_a_bounded_summary(book, tmp_path, capsys, passphrase_env):
    path = many_bad_rows(tmp_path, 200)
    book.close()
    code = main(["--db", str(book.path), "import", str(path)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("gold") == 50
    assert "... and 150 more problems" in err and "200 problems" in err

    target = tmp_path / "report.txt"
    code = main(["--db", str(book.path), "import", str(path), "--report", str(target)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("gold") == 50 and str(target) in err
    assert target.read_text(encoding="utf-8").count("gold") == 200

    code = main(["--db", str(book.path), "import", str(path), "--all-problems"])
    assert capsys.readouterr().err.count("gold") == 200
