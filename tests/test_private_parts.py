"""The private parts of openpyxl, reportlab and matplotlib the app relies on.

pyproject.toml bounds these libraries from above; when a bound is raised, this
test says which private part moved, before a user meets the failure.
"""

from __future__ import annotations

import importlib

import pytest

PARTS = [
    # openpyxl: the streaming export's temporary files; the read-only reader's date formats.
    ("openpyxl.worksheet._writer", "ALL_TEMP_FILES", "exchange/exporter.py"),
    ("openpyxl.workbook.workbook", "Workbook._date_formats", "exchange/xlsx_rows.py"),
    ("openpyxl.workbook.workbook", "Workbook._timedelta_formats", "exchange/xlsx_rows.py"),
    # reportlab: the page canvas held until 'page N of M' is known, the invariant timestamp,
    # XMP in the catalog, and the table and keep-together internals the layout reads.
    ("reportlab.pdfgen.canvas", "Canvas._startPage", "pack/document.py"),
    ("reportlab.lib.utils", "TimeStamp", "pack/document.py"),
    ("reportlab.pdfbase.pdfdoc", "XMP", "pack/document.py"),
    ("reportlab.platypus.tables", "Table._rowHeights", "pack/document.py"),
    ("reportlab.platypus.flowables", "KeepTogether._content", "pack/tables.py"),
    ("reportlab.platypus.frames", "Frame._atTop", "pack/document.py"),
    # matplotlib: text drawn as paths by the vector renderer, when a font lacks a glyph.
    ("matplotlib.backend_bases", "RendererBase._draw_text_as_path", "pack/vector.py"),
    # matplotlib: the screen's charts keep their designed size on a high-DPI screen.
    ("matplotlib.figure", "Figure._set_dpi", "gui/charts_view.py"),
    ("matplotlib.figure", "Figure._original_dpi", "gui/charts_view.py"),
]


def _instance_attribute(module, dotted: str) -> bool:
    owner_name, attribute = dotted.split(".", 1)
    owner = getattr(module, owner_name)
    if hasattr(owner, attribute):
        return True
    # Attributes set in __init__ (a workbook's formats, a table's row heights).
    if owner_name == "Figure":
        return hasattr(owner(), attribute)
    if owner_name == "Workbook":
        return hasattr(owner(), attribute)
    if owner_name == "Table":
        table = owner([["x"]])
        table.wrap(100, 100)
        return hasattr(table, attribute)
    if owner_name == "KeepTogether":
        return hasattr(owner([]), attribute)
    if owner_name == "Frame":
        return hasattr(owner(0, 0, 100, 100), attribute)
    return False


@pytest.mark.parametrize(
    ("module", "name", "used_in"), PARTS, ids=[f"{m}.{n}" for m, n, _ in PARTS]
)
def test_the_private_part_is_still_there(module, name, used_in):
    loaded = importlib.import_module(module)
    found = _instance_attribute(loaded, name) if "." in name else hasattr(loaded, name)
    assert found, (
        f"{module}.{name} has moved in this version of the library; "
        f"reviewdesk/{used_in} relies on it"
    )
