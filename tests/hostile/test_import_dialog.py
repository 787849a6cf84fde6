"""A report of 100,000 problems keeps the import dialog responsive."""

from __future__ import annotations

import time
from types import SimpleNamespace

from reviewdesk.exchange.report import ImportReport
from reviewdesk.gui.exchange_dialogs import SHOWN_PROBLEMS, ImportDialog


def test_a_hundred_thousand_problems_open_at_once(qtbot, tmp_path):
    report = ImportReport(files=["big.xlsx"])
    for n in range(100_000):
        report.problem("Holdings", n + 2, "currency", "XYZ", "is not a known currency")
    dialog = ImportDialog(SimpleNamespace(book=None), ["big.xlsx"])
    qtbot.addWidget(dialog)
    dialog.show()
    started = time.perf_counter()
    dialog.report = report
    dialog._show_report(report)
    qtbot.wait(10)
    assert time.perf_counter() - started < 2
    model = dialog.problems.model()
    assert model.rowCount() == SHOWN_PROBLEMS
    assert model.index(SHOWN_PROBLEMS - 1, 1).data() == str(SHOWN_PROBLEMS + 1)
    assert dialog.more_problems.isVisible()
    assert "95,000 more" in dialog.more_problems.text()
    assert report.text().count("XYZ") == 100_000  # what "Save report…" writes


def test_the_dialog_asks_for_a_protected_workbooks_password(qtbot, tmp_path, book, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from tests.hostile.test_import_files import book_rows, protected

    path = protected(tmp_path, "s3cret")
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[1:3])
        return "s3cret", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer))
    dialog = ImportDialog(SimpleNamespace(book=book), [str(path)])
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    assert asked and "password" in asked[0][1]
    assert dialog.report.applied, dialog.report.text()
    assert book_rows(book) == (1, 0)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))
    again = ImportDialog(SimpleNamespace(book=book), [str(path)])
    qtbot.addWidget(again)
    assert again.start() is None and again.report is None  # cancelled: nothing ran
