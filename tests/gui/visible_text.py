"""Every text a user can see in a window, for the language and confidentiality checks."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QToolBar,
    QTreeWidget,
    QWidget,
)


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    texts = []
    for orientation in (Qt.Orientation.Horizontal,):
        for section in range(model.columnCount(QModelIndex())):
            value = model.headerData(section, orientation, Qt.ItemDataRole.DisplayRole)
            if value:
                texts.append(str(value))
    rows = min(model.rowCount(QModelIndex()), 200)
    for row in range(rows):
        for col in range(model.columnCount(QModelIndex())):
            value = model.index(row, col).data(Qt.ItemDataRole.DisplayRole)
            if value:
                texts.append(str(value))
    return texts


def visible_texts(root: QWidget, skip: tuple[str, ...] = ()) -> list[str]:
    texts: list[str] = [root.windowTitle()]
    widgets = [root] + root.findChildren(QWidget)
    for w in widgets:
        if not w.isVisible() or w.objectName() in skip:
            continue
        if isinstance(w, QLabel):
            texts.append(w.text())
        elif isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QLineEdit):
            texts.extend([w.text(), w.placeholderText()])
        elif isinstance(w, QPlainTextEdit):
            texts.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            texts.extend(w.itemText(i) for i in range(w.count()))
        elif isinstance(w, QTabWidget):
            texts.extend(w.tabText(i) for i in range(w.count()))
        elif isinstance(w, QTreeWidget):
            header = w.headerItem()
            texts.extend(header.text(c) for c in range(w.columnCount()))
            for n in range(w.topLevelItemCount()):
                item = w.topLevelItem(n)
                texts.extend(item.text(c) for c in range(w.columnCount()))
        elif isinstance(w, QListWidget):
            texts.extend(w.item(n).text() for n in range(w.count()))
        elif isinstance(w, QAbstractItemView):
            texts.extend(_model_texts(w))
        elif isinstance(w, QToolBar):
            texts.extend(a.text() for a in w.actions())
        if isinstance(w, QGroupBox) and w.isCheckable():
            texts.append(w.title())
    if isinstance(root, QMainWindow):
        for menu_action in root.menuBar().actions():
            texts.append(menu_action.text().replace("&", ""))
            texts.append(menu_action.text())
            menu = menu_action.menu()
            if isinstance(menu, QMenu):
                texts.extend(a.text() for a in menu.actions())
        texts.extend(label.text() for label in root.statusBar().findChildren(QLabel))
    return [t for t in texts if t]
