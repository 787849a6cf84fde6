"""The Qt floor with a book under it: what any launch of a SQLAlchemy book app costs at least.

`qtfloor.py`'s window (a 2,000-row table and a 6,000-row tree), its rows read from the
book: SQLAlchemy imported, an engine made on the book file and its clients' id, name,
code, tier and report currency read with one Core select. No ORM models, no totals, no
agenda, no translations, no encryption. The launch's own figure is compared with the
Qt floor; this one says how much of that ratio the storage library and one read take
before any of the app's own work.

    python -m tests.bench.bookfloor BOOK.sqlite -> the seconds from the first import to
    the window shown
"""

import os
import sys
import time

t0 = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import sqlalchemy as sa  # noqa: E402
from PySide6.QtCore import QAbstractTableModel, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QMainWindow,
    QSplitter,
    QTableView,
    QTreeView,
)


class Rows(QAbstractTableModel):
    def __init__(self, rows):
        super().__init__()
        self.rows = rows

    def rowCount(self, parent=None):  # noqa: N802 - Qt override
        return len(self.rows)

    def columnCount(self, parent=None):  # noqa: N802 - Qt override
        return 5

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self.rows[index.row()][index.column()])
        return None


def main(book: str) -> None:
    app = QApplication([])
    client = sa.table(
        "client",
        sa.column("id"),
        sa.column("name"),
        sa.column("code"),
        sa.column("tier"),
        sa.column("report_currency"),
    )
    engine = sa.create_engine(f"sqlite:///{book}")
    with engine.connect() as connection:
        rows = connection.execute(sa.select(*client.c).order_by(client.c.name)).all()
    window, split, table, tree = QMainWindow(), QSplitter(), QTableView(), QTreeView()
    table.setModel(Rows(rows))
    tree.setModel(Rows(rows * 3))
    split.addWidget(table)
    split.addWidget(tree)
    window.setCentralWidget(split)
    window.resize(1440, 900)
    window.show()

    def shown() -> None:
        print(
            f"book floor: import + {len(rows):,} clients read + window shown: "
            f"{time.perf_counter() - t0:.2f} s"
        )
        app.quit()

    QTimer.singleShot(0, shown)
    app.exec()
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
