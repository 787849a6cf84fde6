"""Excel and CSV in and out: the workbooks managers keep, read into the book and written back."""

from reviewdesk.exchange.exporter import ExportSummary, export_workbook
from reviewdesk.exchange.importer import import_files
from reviewdesk.exchange.report import ImportProblem, ImportReport, SheetCounts
from reviewdesk.exchange.template import write_template

__all__ = [
    "ExportSummary",
    "ImportProblem",
    "ImportReport",
    "SheetCounts",
    "export_workbook",
    "import_files",
    "write_template",
]
