"""Shared GUI fixtures: application contexts over test books, the main window, drained workers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal as D

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QTableWidget, QWidget

from reviewdesk.app import AppContext
from reviewdesk.book.enums import (
    AssetClass,
    Channel,
    ClientRiskLevel,
    PolicyKind,
    Relation,
    RiskLevel,
)
from reviewdesk.book.models import Contact, FamilyMember, InsurancePolicy, RiskAssessment
from reviewdesk.gui.worker import book_worker, cpu_pool
from reviewdesk.i18n import set_language
from tests import factories as f
from tests.conftest import AS_OF

ADDRESS = "上海市浦东新区世纪大道100号"


@pytest.fixture
def demo_ctx(demo_book):
    yield AppContext(db=demo_book.url, today=AS_OF, user="tester", _book=demo_book)


def add_wang(session, code: str, name: str, spouse: str, product: str, value: str) -> int:
    """A client of the Wang family: two reviews, a gap, an expired assessment, a maturity."""
    client = f.client(
        code, name, annual_income=D(600_000), address=ADDRESS, email=f"{code.lower()}@example.com"
    )
    wife = FamilyMember(name=spouse, relation=Relation.SPOUSE, annual_income=D(100_000))
    client.family = [wife]
    client.snapshots = [
        f.snapshot(
            dt.date(2026, 3, 31),
            f.holding(product, value, risk_level=RiskLevel.R4),
            f.holding("活期存款", "50000", asset_class=AssetClass.DEPOSIT, risk_level=RiskLevel.R1),
        ),
        f.snapshot(
            dt.date(2026, 5, 31),
            f.holding(product, str(int(value) + 12_345), risk_level=RiskLevel.R4),
            f.holding(
                "国债2026",
                "80000",
                asset_class=AssetClass.BOND,
                risk_level=RiskLevel.R1,
                maturity_date=dt.date(2026, 7, 1),
            ),
        ),
    ]
    client.assessments = [
        RiskAssessment(
            assessed_on=dt.date(2025, 3, 1),
            level=ClientRiskLevel.C2,
            valid_until=dt.date(2026, 3, 1),
        )
    ]
    client.policies = [
        InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(1_000_000), annual_premium=D(12_000))
    ]
    client.contacts = [
        Contact(
            contact_date=dt.date(2026, 6, 1),
            channel=Channel.MEETING,
            summary=f"{product}面谈",
            next_step="补充重疾险",
            shared=True,
            next_step_shared=True,
            next_step_due=dt.date(2026, 6, 30),
        )
    ]
    session.add(client)
    session.flush()
    return client.id


@pytest.fixture
def family_ctx(book):
    """Two clients who share a family name and an address (and an adviser)."""
    with book.session() as session:
        first = add_wang(session, "W1", "王建国", "刘美华", "易方达蓝筹", "200000")
        second = add_wang(session, "W2", "王建军", "陈小红", "招商中证白酒", "90000")
    ctx = AppContext(db=book.url, today=AS_OF, user="tester", _book=book)
    ctx.ids = {"王建国": first, "王建军": second}
    yield ctx


def visible_texts(root: QWidget) -> list[str]:
    """Every text a person could read in `root`: labels, buttons, cells, headers, titles."""
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        texts.append(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QTableWidget):
            for column in range(widget.columnCount()):
                header = widget.horizontalHeaderItem(column)
                texts.append(header.text() if header else "")
            for row in range(widget.rowCount()):
                for column in range(widget.columnCount()):
                    item = widget.item(row, column)
                    if item is not None:
                        texts.extend([item.text(), item.toolTip()])
    return [t for t in texts if t]


def figure_texts(figure) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in figure.findobj(Text) if t.get_text()]


class UnexpectedDialog(AssertionError):
    """A modal dialog the test did not answer: failing beats waiting for a click forever."""


@pytest.fixture(autouse=True)
def _no_unanswered_dialogs(monkeypatch):
    """Every modal dialog a test reaches must be answered by that test (monkeypatched)."""
    from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

    def refuse(name):
        def modal(*args, **kwargs):
            raise UnexpectedDialog(f"{name} opened with {args[1:3]!r}: the test must answer it")

        return modal

    for owner, names in (
        (
            QFileDialog,
            ("getSaveFileName", "getOpenFileName", "getOpenFileNames", "getExistingDirectory"),
        ),
        (QMessageBox, ("critical", "warning", "information", "question")),
        (QInputDialog, ("getText", "getItem", "getInt", "getDouble")),
    ):
        for name in names:
            monkeypatch.setattr(owner, name, staticmethod(refuse(f"{owner.__name__}.{name}")))
    monkeypatch.setattr(QDialog, "exec", refuse("QDialog.exec"))


@pytest.fixture(autouse=True)
def _drain_workers():
    """Each test starts in English; no task outlives its test (a late callback would touch
    a deleted widget)."""
    set_language("en")  # a failed test may leave the interface in Chinese
    yield
    from PySide6.QtWidgets import QApplication

    # A task's result comes back to the UI thread and may start the next task: drain until
    # quiet, while the dialog guard is still in place.
    for _round in range(5):
        book_worker().waitForDone(10000)
        cpu_pool().waitForDone(10000)
        QApplication.processEvents()
        if not (book_worker().activeThreadCount() or cpu_pool().activeThreadCount()):
            break
    set_language("en")
    from reviewdesk.gui.qt_language import apply_qt_language

    apply_qt_language("en")


@pytest.fixture(autouse=True)
def _first_pack_of_a_session(monkeypatch):
    """Each test is a session whose pack is not loaded yet (`pack_actions._loaded`), and
    what the pack's first load froze out of the collector's sight (`settle_pack`) is
    back in it after the test, so that a later test's garbage is collected as usual."""
    import gc

    from reviewdesk.gui import pack_actions

    monkeypatch.setattr(pack_actions, "_loaded", [False])
    yield
    cpu_pool().waitForDone(10000)
    gc.unfreeze()


@pytest.fixture
def ctx(demo_book):
    context = AppContext(db=str(demo_book.path), today=AS_OF)
    context._book = demo_book
    return context


@contextmanager
def main_window(qtbot, qapp, ctx) -> Iterator:
    """The main window on `ctx`, in English, shown with its client list loaded; the book
    worker's work done when the test leaves it."""
    from reviewdesk.gui.main import configure_application
    from reviewdesk.gui.mainwindow import MainWindow

    configure_application(qapp)
    set_language("en")
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.list_loaded, timeout=10_000):
        w.show()
    yield w
    book_worker().waitForDone(10_000)
    qapp.processEvents()


@pytest.fixture
def window(qtbot, qapp, ctx):
    with main_window(qtbot, qapp, ctx) as w:
        yield w
    set_language("en")


def book_dump(book) -> list[str]:
    """Every row of the book as SQL text, to prove that nothing changed."""
    lines = []
    with book.engine.connect() as connection:
        for name, sql in connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master ORDER BY type, name"
        ).all():
            lines.append(str(sql))
            if sql and sql.startswith("CREATE TABLE"):
                rows = connection.exec_driver_sql(f'SELECT * FROM "{name}" ORDER BY rowid')
                lines.extend(f"{name} {tuple(row)!r}" for row in rows)
    return lines


def open_client(qtbot, window, name: str):
    """Search for the client and click it in the list, as a user does."""
    from PySide6.QtCore import Qt

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.splitter and window.search.hasFocus()
    window.search.clear()
    if name.isascii():
        qtbot.keyClicks(window.search, name)
    else:  # QTest cannot type Chinese; an input method commits the text whole
        window.search.insert(name)
    row = next(r for r in range(window.proxy.rowCount()) if window.proxy.index(r, 0).data() == name)
    index = window.proxy.index(row, 0)
    rect = window.table.visualRect(index)
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(
        lambda: window.workspace.detail is not None and window.workspace.detail.client.name == name,
        timeout=5000,
    )
    return window.workspace.detail.client
