"""Import and export from the File menu, driven as a manager would: menus, file choosers,
the dialog's buttons, and what ends up in the book and in the workbook."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from sqlalchemy import func, select

from reviewdesk.app import AppContext
from reviewdesk.book.db import open_book
from reviewdesk.book.models import AuditEntry, Client
from reviewdesk.exchange import import_files as real_import
from reviewdesk.exchange import schema
from reviewdesk.gui import exchange_dialogs
from reviewdesk.gui.exchange_dialogs import ExportDialog, ImportDialog
from reviewdesk.i18n import catalogue, set_language
from tests.conftest import PASSPHRASE
from tests.exchange import workbooks as wbs
from tests.gui.conftest import book_dump, open_client
from tests.gui.visible_text import visible_texts


def client_count(book) -> int:
    with book.session() as s:
        return s.scalar(select(func.count(Client.id)))


def answer_open(monkeypatch, paths: list[Path], asked: list | None = None) -> None:
    def chooser(parent, title, folder, filters):
        if asked is not None:
            asked.append((title, folder, filters))
        return [str(p) for p in paths], filters

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(chooser))


def answer_save(monkeypatch, path: Path | None, asked: list | None = None) -> None:
    def chooser(parent, title, suggested, filters):
        if asked is not None:
            asked.append((title, suggested, filters))
        return (str(path) if path else ""), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(chooser))


def start_import(qtbot, window, monkeypatch, paths, check_only=False) -> ImportDialog:
    """Ctrl+I, choose the files, then press Import (or Check) in the dialog."""
    answer_open(monkeypatch, paths)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    if check_only:
        dialog.check_only.setChecked(True)
    assert dialog.start_button.text() == ("Check" if check_only else "Import")
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    return dialog


def wait_done(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)


def mistakes_workbook(path: Path) -> Path:
    """Ten mistakes across four sheets, and one extra column (a warning, not a problem)."""
    H = wbs.HOLDING_KEYS
    return wbs.write(
        path,
        {
            "Clients": [
                wbs.header(
                    schema.CLIENTS,
                    "en",
                    ["client_id", "name", "email", "tier", "birthday", "report_currency"],
                )
                + ["remarks"],
                ["C00001", "Renamed", None, None, None, None, "ignored"],
                ["N1", "New one", "not-an-email", None, None, None, None],
                ["N2", "New two", None, "VIP client", None, None, None],
                ["N3", "New three", None, None, "2026-02-30", None, None],
                ["N4", "New four", None, None, None, "XYZ", None],
                ["N5", "Good client", None, None, None, "CNY", None],
            ],
            "Family": [
                wbs.header(schema.FAMILY, "en", wbs.FAMILY_KEYS),
                ["N5", "Cousin", "cousin", None, None],
                ["C99999", "Someone", "spouse", None, None],
            ],
            "Holdings": [
                wbs.header(schema.HOLDINGS, "en", H),
                [
                    "N5",
                    "2026-03-31",
                    "fund",
                    "Fund A",
                    None,
                    None,
                    "CNY",
                    1000,
                    None,
                    None,
                    None,
                    "R7",
                ],
                [
                    "N5",
                    "2026-03-31",
                    "fund",
                    "Fund B",
                    None,
                    None,
                    "CNY",
                    "abc",
                    None,
                    None,
                    None,
                    "R3",
                ],
            ],
            "Insurance": [
                wbs.header(schema.INSURANCE, "en", wbs.POLICY_KEYS),
                ["N5", "Good client", "life", "China Life", 500000, -500, 20, None, None, None],
            ],
        },
    )


EXPECTED_PROBLEMS = [
    ("Clients", "3", "email", "not-an-email"),
    ("Clients", "4", "tier", "VIP client"),
    ("Clients", "5", "birthday", "2026-02-30"),
    ("Clients", "6", "report_currency", "XYZ"),
    ("Family", "2", "relation", "cousin"),
    ("Family", "3", "client_id", "C99999"),
    ("Holdings", "2", "risk_level", "R7"),
    ("Holdings", "3", "market_value", "abc"),
    ("Insurance", "2", "annual_premium", "-500"),
]


def table_rows(dialog) -> list[tuple[str, ...]]:
    model = dialog.problems.model()
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def test_file_menu_holds_import_export_and_template(window):
    texts = [a.text() for a in window.file_menu.actions()]
    for text in ("Import from Excel or CSV…", "Export book to Excel…", "Write import template…"):
        assert text in texts
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert "Export this client to Excel…" in [a.text() for a in window.client_menu.actions()]


def test_a_workbook_with_mistakes_shows_every_problem_and_changes_nothing(
    qtbot, window, ctx, tmp_path, monkeypatch
):
    path = mistakes_workbook(tmp_path / "bad.xlsx")
    before = book_dump(ctx.book)
    dialog = start_import(qtbot, window, monkeypatch, [path])
    wait_done(qtbot, dialog)

    rows = table_rows(dialog)
    assert [r[:4] for r in rows] == EXPECTED_PROBLEMS
    assert all(r[4] for r in rows)  # every row says why
    assert dialog.problems.isVisible() and not dialog.summary.isVisible()
    assert dialog.headline.text() == ("9 problems; nothing was imported, the book is unchanged.")
    assert [dialog.warnings.item(n).text() for n in range(dialog.warnings.count())] == [
        dialog.report.warnings[0].message()
    ]
    assert "remarks" in dialog.warnings.item(0).text()
    assert book_dump(ctx.book) == before
    assert not dialog.report.applied

    # the report goes to the clipboard and to a text file, every problem in it
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    for problem in dialog.report.problems:
        assert problem.message() in copied
    saved = tmp_path / "report.txt"
    asked: list = []
    answer_save(monkeypatch, saved, asked)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert asked[0][1].endswith("bad import report.txt")
    assert saved.read_text(encoding="utf-8") == copied
    assert "9 problems" in copied and "remarks" in copied

    # fixed in Excel meanwhile: the same dialog reads the files again
    good = wbs.manager_workbook(tmp_path / "good.xlsx", "en")
    path.write_bytes(good.read_bytes())
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)
    assert dialog.report.applied and not dialog.problems.isVisible()
    assert not dialog.start_button.isEnabled()  # done; a second run would change nothing


def test_a_good_workbook_is_checked_then_imported_and_the_list_refreshed(
    qtbot, window, ctx, tmp_path, monkeypatch
):
    path = wbs.manager_workbook(tmp_path / "manager.xlsx", "zh")
    before = book_dump(ctx.book)
    shown = window.model.rowCount()
    dialog = start_import(qtbot, window, monkeypatch, [path], check_only=True)
    wait_done(qtbot, dialog)
    assert dialog.headline.text() == "Checked: no problems found; nothing was changed yet."
    assert book_dump(ctx.book) == before
    assert dialog.summary.item(0).text() == "客户: 2 added, 0 updated, 0 unchanged"

    assert not dialog.check_only.isChecked()  # clean: importing is the next step
    assert dialog.start_button.text() == "Import"
    with qtbot.waitSignal(window.list_loaded, timeout=30_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.headline.text() == "Imported: the book now holds this data."
    lines = [dialog.summary.item(n).text() for n in range(dialog.summary.count())]
    assert lines == dialog.report.summary_lines()
    assert "客户: 2 added, 0 updated, 0 unchanged" in lines
    assert any(line.startswith("资产: 6 rows; snapshots: 3 added") for line in lines)
    assert window.model.rowCount() == shown + 2
    assert client_count(ctx.book) == shown + 2
    assert "Imported: manager.xlsx" in window.statusBar().currentMessage()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(ImportDialog) is None, timeout=5000)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    open_client(qtbot, window, "王建国")  # in the list, and it opens

    # the same workbook again: nothing to change
    again = start_import(qtbot, window, monkeypatch, [path])
    wait_done(qtbot, again)
    assert again.headline.text() == "Nothing to change: the book already holds this data."


def test_the_last_folder_is_offered_next_time(qtbot, window, tmp_path, monkeypatch):
    folder = tmp_path / "workbooks"
    folder.mkdir()
    path = wbs.manager_workbook(folder / "m.xlsx", "en")
    asked: list = []
    answer_open(monkeypatch, [path], asked)
    window.import_action.trigger()
    window.findChild(ImportDialog).reject()
    window.import_action.trigger()
    assert asked[1][1] == str(folder)
    assert "*.xlsx" in asked[1][2] and "*.csv" in asked[1][2]


def big_workbook(path: Path, clients: int) -> Path:
    rows = [["client_id", "name"]] + [[f"B{n:05d}", f"Client {n}"] for n in range(clients)]
    return wbs.write(path, {"Clients": rows})


def test_cancelling_a_running_import_leaves_the_book_unchanged(
    qtbot, window, ctx, tmp_path, monkeypatch
):
    """The worker is held at its first progress report until Cancel has been pressed."""
    path = big_workbook(tmp_path / "big.xlsx", 12_000)
    before = book_dump(ctx.book)
    real = real_import
    pressed = threading.Event()

    def held(book, paths, *, dry_run=False, progress=None, password=None):
        def report(sheet, rows):
            progress(sheet, rows)
            pressed.wait(30)

        return real(book, paths, dry_run=dry_run, progress=report)

    monkeypatch.setattr("reviewdesk.exchange.import_files", held)
    dialog = start_import(qtbot, window, monkeypatch, [path])
    assert dialog.progress.isVisible() and dialog.progress.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: "5,000" in dialog.progress.label.text(), timeout=30_000)
    assert dialog.progress.label.text() == "Reading Clients: 5,000 rows…"
    qtbot.mouseClick(dialog.progress.cancel_button, Qt.MouseButton.LeftButton)
    pressed.set()
    wait_done(qtbot, dialog)
    assert dialog.headline.text() == "Cancelled: nothing was imported, the book is unchanged."
    assert not dialog.progress.isVisible()
    assert dialog.report is None and dialog.start_button.isEnabled()
    assert book_dump(ctx.book) == before


def test_closing_the_dialog_while_importing_stops_and_then_closes(
    qtbot, window, ctx, tmp_path, monkeypatch
):
    path = big_workbook(tmp_path / "big.xlsx", 12_000)
    before = book_dump(ctx.book)
    reached = threading.Event()
    closed = threading.Event()

    def held(book, paths, *, dry_run=False, progress=None, password=None):
        def report(sheet, rows):
            progress(sheet, rows)
            reached.set()
            closed.wait(30)

        return real_import(book, paths, dry_run=dry_run, progress=report)

    monkeypatch.setattr("reviewdesk.exchange.import_files", held)
    dialog = start_import(qtbot, window, monkeypatch, [path])
    qtbot.waitUntil(reached.is_set, timeout=30_000)
    dialog.reject()  # the window's close button, while the worker reads
    closed.set()
    assert dialog.isVisible()  # until the import has stopped
    qtbot.waitUntil(lambda: window.findChild(ImportDialog) is None, timeout=60_000)
    assert book_dump(ctx.book) == before


def test_exporting_the_book_writes_every_sheet(qtbot, window, ctx, tmp_path, monkeypatch):
    asked: list = []
    answer_save(monkeypatch, tmp_path / "out" / "book", asked)
    window.export_book_action.trigger()
    assert Path(asked[0][1]).name == "ReviewDesk 2026-06-15.xlsx"
    dialog = window.findChild(ExportDialog)
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    target = tmp_path / "out" / "book.xlsx"  # the extension is added
    assert dialog.headline.text() == f"Exported to {target}:"
    workbook = load_workbook(target, read_only=True)
    assert workbook.sheetnames == [s.key for s in schema.SHEETS]
    rows = {name: sum(1 for _row in workbook[name].iter_rows()) - 1 for name in workbook.sheetnames}
    workbook.close()
    assert rows["Clients"] == client_count(ctx.book) == 24
    assert rows["Holdings"] > 100
    shown = [dialog.sheets.item(n).text() for n in range(dialog.sheets.count())]
    assert shown == [f"{sheet}: {n:,} rows" for sheet, n in rows.items()]
    assert str(target) in window.statusBar().currentMessage()
    with ctx.book.session() as s:
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "export"))
    # the next export is offered in the same folder
    window.export_book_action.trigger()
    assert Path(asked[1][1]).parent == tmp_path / "out"
    qtbot.waitUntil(
        lambda: all(not d.running for d in window.findChildren(ExportDialog)), timeout=60_000
    )


def test_exporting_one_client_in_chinese(qtbot, window, ctx, tmp_path, monkeypatch):
    assert not window.export_client_action.isEnabled()
    client = open_client(qtbot, window, window.model.rows[3].summary.name)
    assert window.export_client_action.isEnabled()
    set_language("zh")
    window.retranslate()
    asked: list = []
    answer_save(monkeypatch, tmp_path / f"{client.code}.xlsx", asked)
    window.export_client_action.trigger()
    assert Path(asked[0][1]).name == f"{client.code} {client.name}.xlsx"
    dialog = window.findChild(ExportDialog)
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    workbook = load_workbook(tmp_path / f"{client.code}.xlsx", read_only=True)
    assert workbook.sheetnames[0] == "客户"
    clients = list(workbook["客户"].iter_rows(values_only=True))
    workbook.close()
    assert clients[0][0] == "客户编号"
    assert [row[:2] for row in clients[1:]] == [(client.code, client.name)]
    assert dialog.sheets.item(0).text() == "客户：1 行"


def test_a_file_name_takes_no_separator():
    assert exchange_dialogs.file_name_part("C1 A/B: C") == "C1 A B C"


def test_cancelling_the_file_chooser_does_nothing(qtbot, window, ctx, monkeypatch):
    before = book_dump(ctx.book)
    answer_save(monkeypatch, None)
    answer_open(monkeypatch, [])
    window.export_book_action.trigger()
    window.import_action.trigger()
    window.template_action.trigger()
    assert window.findChild(ExportDialog) is None and window.findChild(ImportDialog) is None
    assert book_dump(ctx.book) == before


def test_the_template_is_written_where_chosen(qtbot, window, tmp_path, monkeypatch):
    asked: list = []
    answer_save(monkeypatch, tmp_path / "blank", asked)
    window.template_action.trigger()
    assert Path(asked[0][1]).name == "ReviewDesk import template.xlsx"
    target = tmp_path / "blank.xlsx"
    qtbot.waitUntil(
        lambda: "Template written" in window.statusBar().currentMessage(), timeout=30_000
    )
    workbook = load_workbook(target, read_only=True)
    assert workbook.sheetnames == [s.key for s in schema.SHEETS]
    workbook.close()


@pytest.fixture
def read_only_window(qtbot, qapp, demo_book, tmp_path):
    from reviewdesk.gui.main import configure_application
    from reviewdesk.gui.mainwindow import MainWindow

    path = demo_book.path
    book = open_book(str(path), read_only=True, lock=False, passphrase=PASSPHRASE)
    assert book.read_only
    ctx = AppContext(db=str(path), today=demo_book_today(), read_only=True)
    ctx._book = book
    configure_application(qapp)
    set_language("en")
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.list_loaded, timeout=10_000):
        w.show()
    yield w


def demo_book_today():
    from tests.conftest import AS_OF

    return AS_OF


def test_a_read_only_book_refuses_import_and_says_why(qtbot, read_only_window, monkeypatch):
    window = read_only_window
    answer_open(monkeypatch, [])
    reason = window.ctx.book.read_only_reason
    # The menu does not offer it; asked for all the same, it is refused with the reason.
    assert not window.import_action.isEnabled()
    window.exchange.import_workbooks()
    (box,) = [b for b in window.findChildren(QMessageBox, "errorBox") if b.isVisible()]
    assert reason in box.text() and "read-only" in box.text()
    assert "nothing can be imported" in box.text()
    box.accept()
    assert window.findChild(ImportDialog) is None


def test_a_read_only_book_is_exported_and_the_dialog_says_the_record_was_not_kept(
    qtbot, read_only_window, tmp_path, monkeypatch
):
    window = read_only_window
    book = window.ctx.book
    with book.session() as session:
        entries = session.scalar(select(func.count(AuditEntry.id)))
    answer_save(monkeypatch, tmp_path / "out" / "book")
    window.export_book_action.trigger()
    dialog = window.findChild(ExportDialog)
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    target = tmp_path / "out" / "book.xlsx"
    assert target.is_file()  # the file is written
    text = dialog.headline.text()
    assert book.read_only_reason in text and "could not keep its record" in text
    assert f"Exported to {target}:" in text
    with book.session() as session:
        assert session.scalar(select(func.count(AuditEntry.id))) == entries


def test_the_import_dialog_speaks_chinese(qtbot, window, tmp_path, monkeypatch):
    set_language("zh")
    window.retranslate()
    texts = [a.text() for a in window.file_menu.actions()]
    assert "从 Excel 或 CSV 导入…" in texts
    path = mistakes_workbook(tmp_path / "bad.xlsx")
    answer_open(monkeypatch, [path])
    window.import_action.trigger()
    dialog = window.findChild(ImportDialog)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)
    assert dialog.headline.text() == "共 9 个问题；未导入任何数据，客户簿保持不变。"
    english = {m for m, t in catalogue("zh").items() if m != t}
    from_the_file = {"Clients", "Family", "Holdings", "Insurance"}  # its sheets, as written
    assert {t for t in visible_texts(dialog) if t in english} - from_the_file == set()
    assert dialog.problems.model().headerData(4, Qt.Orientation.Horizontal) == "原因"


def test_an_export_that_cannot_be_written_says_so_and_records_nothing(
    qtbot, window, ctx, tmp_path, monkeypatch
):
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    answer_save(monkeypatch, blocker / "book.xlsx")
    temporary = set(ALL_TEMP_FILES)
    window.export_book_action.trigger()
    qtbot.waitUntil(lambda: window.findChild(ExportDialog) is None, timeout=60_000)
    # the sheets written so far (client data) are not left in the temporary folder
    assert set(ALL_TEMP_FILES) - temporary == set()
    (box,) = [b for b in window.findChildren(QMessageBox, "errorBox") if b.isVisible()]
    assert "not-a-folder" in box.text() or "Not a directory" in box.text()
    box.accept()
    with ctx.book.session() as s:
        assert not s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "export"))


def test_cancelling_a_book_export_writes_no_file_and_records_nothing(
    qtbot, window, ctx, tmp_path, monkeypatch
):
    """Enough holdings for the export to report progress; it is held there until Cancel."""
    import datetime as dt

    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    from reviewdesk.exchange import export_workbook as real_export
    from tests import factories as f

    with ctx.book.session() as s:
        s.add(
            f.client(
                "BIG",
                "Big Holder",
                snapshots=[
                    f.snapshot(
                        dt.date(2026, 5, 31), *[f.holding(f"Fund {n}", "1000") for n in range(6000)]
                    )
                ],
            )
        )
    reached, pressed = threading.Event(), threading.Event()

    def held(session, path, *, lang="en", client_id=None, progress=None, record=True):
        def report(sheet, rows):
            reached.set()
            pressed.wait(30)
            progress(sheet, rows)

        return real_export(
            session, path, lang=lang, client_id=client_id, progress=report, record=record
        )

    monkeypatch.setattr("reviewdesk.exchange.export_workbook", held)
    target = tmp_path / "book.xlsx"
    answer_save(monkeypatch, target)
    temporary = set(ALL_TEMP_FILES)
    window.export_book_action.trigger()
    dialog = window.findChild(ExportDialog)
    qtbot.waitUntil(reached.is_set, timeout=60_000)
    qtbot.mouseClick(dialog.progress.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.progress.label.text() == "Stopping: no file will be written…"
    pressed.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    assert dialog.headline.text() == "Cancelled: no file was written."
    assert not target.exists() and not list(tmp_path.glob("*.partial"))
    assert set(ALL_TEMP_FILES) - temporary == set()
    with ctx.book.session() as s:
        assert not s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "export"))


def test_several_csv_files_import_together(qtbot, window, ctx, tmp_path, monkeypatch):
    import csv

    def write_csv(name, rows):
        with (tmp_path / name).open("w", newline="", encoding="utf-8-sig") as fh:
            csv.writer(fh).writerows(rows)
        return tmp_path / name

    files = [
        write_csv("客户.csv", [["客户编号", "姓名"], ["K1", "张伟"]]),
        write_csv(
            "Contacts.csv",
            [
                wbs.header(schema.CONTACTS, "en", wbs.CONTACT_KEYS),
                ["K1", "2026-04-02", "meeting", "First meeting", ""],
            ],
        ),
    ]
    dialog = start_import(qtbot, window, monkeypatch, files)
    assert dialog.files_label.text() == "Files: 客户.csv, Contacts.csv"
    wait_done(qtbot, dialog)
    assert dialog.report.applied
    lines = [dialog.summary.item(n).text() for n in range(dialog.summary.count())]
    assert lines == [
        "客户: 1 added, 0 updated, 0 unchanged",
        "Contacts: 1 added, 0 updated, 0 unchanged",
    ]
    qtbot.waitUntil(
        lambda: any(r.summary.name == "张伟" for r in window.model.rows), timeout=30_000
    )
