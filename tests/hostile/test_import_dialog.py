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
