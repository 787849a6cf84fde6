"""The contact dialog: sharing is off until ticked; due and done dates; clear refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate
from sqlalchemy import select

from reviewdesk.app import AppContext
from reviewdesk.book.models import Contact
from reviewdesk.gui.contact_dialog import ContactDialog
from tests.review.disclosure_book import OPEN_STEP, TODAY, add_client, disclosure_book


@pytest.fixture
def ctx(tmp_path):
    book = disclosure_book(tmp_path / "b.sqlite")
    ctx = AppContext(db=book.url, today=TODAY, user="tester", _book=book)
    ctx.client_id = add_client(book)
    yield ctx
    book.close()


def open_dialog(qtbot, ctx, contact_id=None):
    dialog = ContactDialog(ctx, ctx.client_id, "赵敏", TODAY, contact_id=contact_id)
    qtbot.addWidget(dialog)
    dialog.show()
    if contact_id is not None:
        qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=5000)
    return dialog


def contact(ctx, **where):
    with ctx.book.session() as s:
        c = s.scalar(select(Contact).filter_by(**where))
        return (c.shared, c.next_step_shared, c.next_step_due, c.next_step_done)


def test_a_new_contact_is_internal_until_ticked(qtbot, ctx):
    dialog = open_dialog(qtbot, ctx)
    assert not dialog.shared.isChecked() and not dialog.next_step_shared.isChecked()
    assert not dialog.due_on.isEnabled() and not dialog.done_on.isEnabled()
    dialog.summary.setPlainText("回顾后客户同意调整")
    dialog.next_step.setText("下周寄送调整方案")
    dialog.shared.setChecked(True)
    dialog.next_step_shared.setChecked(True)
    dialog.has_due.setChecked(True)
    assert dialog.due_on.isEnabled()
    dialog.due_on.setDate(QDate(2026, 6, 22))
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    assert contact(ctx, summary="回顾后客户同意调整") == (True, True, dt.date(2026, 6, 22), None)

    plain = open_dialog(qtbot, ctx)
    plain.summary.setPlainText("只给自己看")
    plain.next_step.setText("内部跟进")
    with qtbot.waitSignal(plain.saved, timeout=5000):
        plain.save()
    assert contact(ctx, summary="只给自己看") == (False, False, None, None)


def test_an_open_next_step_is_marked_done_in_the_dialog(qtbot, ctx):
    with ctx.book.session() as s:
        contact_id = s.scalar(select(Contact.id).where(Contact.next_step == OPEN_STEP))
    dialog = open_dialog(qtbot, ctx, contact_id)
    assert dialog.shared.isChecked() and dialog.next_step_shared.isChecked()
    assert dialog.has_due.isChecked() and dialog.due_on.date() == QDate(2026, 7, 10)
    assert not dialog.is_done.isChecked()
    dialog.is_done.setChecked(True)
    dialog.done_on.setDate(QDate(2026, 6, 14))
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    assert contact(ctx, id=contact_id) == (True, True, dt.date(2026, 7, 10), dt.date(2026, 6, 14))


def test_sharing_a_next_step_that_is_not_written_is_refused_by_name(qtbot, ctx):
    dialog = open_dialog(qtbot, ctx)
    dialog.summary.setPlainText("x")
    dialog.next_step_shared.setChecked(True)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.message.isVisibleTo(dialog), timeout=5000)
    assert dialog.message.text() == (
        "Share the next step with the client: needs the next step itself"
    )
    assert dialog.isVisible() and dialog.summary.toPlainText() == "x"
