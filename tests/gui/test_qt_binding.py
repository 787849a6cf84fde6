"""The Qt binding in use does not lose references to None.

PySide6 6.12.0 released one reference to None for every value it converted into
a QVariant (item data, combo box data, a model's data()). On Python 3.11, where
None is reference-counted like any object, the app aborted after some thousands
of them ("deallocating None"). pyproject.toml keeps such a binding out; this test
proves it for the one installed.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QTreeWidget, QTreeWidgetItem

ROLE = Qt.ItemDataRole.UserRole + 1


class _Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 50

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 2

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return "x" if role == Qt.ItemDataRole.DisplayRole else None


def _none_references_lost(work) -> int:
    work()  # warm up: caches, lazily created type objects
    before = sys.getrefcount(None)
    work()
    return before - sys.getrefcount(None)


def test_item_data_keeps_none_alive(qapp):
    def work():
        tree = QTreeWidget()
        for n in range(300):
            QTreeWidgetItem(tree, ["a"]).setData(0, ROLE, n)
        tree.clear()

    assert _none_references_lost(work) < 50


def test_combo_box_data_keeps_none_alive(qapp):
    def work():
        combo = QComboBox()
        for n in range(300):
            combo.addItem(str(n), n)
        combo.clear()

    assert _none_references_lost(work) < 50


def test_model_data_keeps_none_alive(qapp):
    model = _Model()

    def work():
        for row in range(50):
            for column in range(2):
                index = model.index(row, column)
                index.data(ROLE)
                index.data(Qt.ItemDataRole.ToolTipRole)

    assert _none_references_lost(work) < 50
