"""Excel and CSV in and out: the workbooks managers keep, read into the book and written back.

The names below load their modules (and openpyxl) when first used, not when the
package is: the desktop app imports `reviewdesk.exchange.parse` for its tables at
launch, and openpyxl is not needed until a workbook is read or written.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewdesk.exchange.exporter import ExportSummary, export_workbook
    from reviewdesk.exchange.importer import import_files
    from reviewdesk.exchange.report import ImportProblem, ImportReport, SheetCounts
    from reviewdesk.exchange.template import write_template

_HOMES = {
    "ExportSummary": "exporter",
    "export_workbook": "exporter",
    "import_files": "importer",
    "ImportProblem": "report",
    "ImportReport": "report",
    "SheetCounts": "report",
    "write_template": "template",
}

__all__ = [
    "ExportSummary",
    "ImportProblem",
    "ImportReport",
    "SheetCounts",
    "export_workbook",
    "import_files",
    "write_template",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
