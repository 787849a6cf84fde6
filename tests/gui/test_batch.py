"""Prepare this month's packs: the clients due, a folder, progress, cancel and a summary."""

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QPushButton
from sqlalchemy import func, select

from reviewdesk.book.enums import PackAction
from reviewdesk.book.models import PackRecord
from reviewdesk.gui.batch import PrepareDueDialog
from reviewdesk.pack.batch import due_jobs
from tests import factories as f
from tests.conftest import AS_OF
from tests.pack.test_batch import KillingProgress


def saved(ctx) -> int:
    with ctx.book.session() as session:
        return session.scalar(
            select(func.count(PackRecord.id)).where(PackRecord.action == PackAction.SAVED)
        )


def open_dialog(qtbot, ctx, tmp_path, month=dt.date(2026, 8, 1), workers=1):
    dialog = PrepareDueDialog(ctx, workers=workers)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.month_edit.setDate(QDate(month.year, month.month, 1))
    with ctx.book.session() as session:
        expected = [j.client_id for j in due_jobs(session, month, ctx.today)]
    qtbot.waitUntil(lambda: dialog.loaded_month == month, timeout=10000)
    assert [j.client_id for j in dialog.jobs] == expected
    dialog.folder_edit.setText(str(tmp_path / "packs"))
    return dialog


def test_the_packs_of_the_clients_due_are_written_and_recorded(qtbot, family_ctx, tmp_path):
    with family_ctx.book.session() as session:
        session.add(f.client("N1", "赵新客"))  # never reviewed: due, but no snapshot to show
    dialog = open_dialog(qtbot, family_ctx, tmp_path, workers=2)
    assert dialog.due_list.count() == 3
    assert dialog.prepare_button.isEnabled()
    with qtbot.waitSignal(dialog.batch_finished, timeout=120000) as blocker:
        dialog.start()
    result = blocker.args[0]
    files = sorted(p.name for p in (tmp_path / "packs").iterdir())
    assert files == ["W1 王建国 2026-05-31.pdf", "W2 王建军 2026-05-31.pdf"]
    assert [(job.code, reason) for job, reason in result.skipped] == [("N1", "no snapshot yet")]
    assert saved(family_ctx) == 2
    assert family_ctx.book.encrypted  # the spawned workers read it with its passphrase
    with family_ctx.book.session() as session:
        records = session.scalars(select(PackRecord).order_by(PackRecord.client_id)).all()
    assert [(r.client_id, r.as_of, r.paper) for r in records] == [
        (family_ctx.ids["王建国"], AS_OF, "a4"),
        (family_ctx.ids["王建军"], AS_OF, "a4"),
    ]
    assert [r.reference[:12] for r in records] == ["W1-20260531-", "W2-20260531-"]
    assert "2 packs written" in dialog.summary.text()
    assert "1 skipped" in dialog.summary.text()
    assert dialog.skipped_list.item(0).text() == "N1  赵新客: no snapshot yet"
    assert dialog.open_folder_button.isVisible()


def test_cancel_stops_the_batch_and_says_so(qtbot, family_ctx, tmp_path):
    dialog = open_dialog(qtbot, family_ctx, tmp_path)
    with qtbot.waitSignal(dialog.batch_finished, timeout=60000) as blocker:
        task = dialog.start()
        [cancel] = dialog.progress.findChildren(QPushButton)
        cancel.click()
        assert task.token.cancelled
    result = blocker.args[0]
    assert result.cancelled
    assert len(result.written) < len(dialog.jobs)
    assert saved(family_ctx) == len(result.written)
    assert "Cancelled" in dialog.summary.text()


def test_a_month_with_nobody_due_offers_nothing_to_prepare(qtbot, family_ctx, tmp_path):
    dialog = open_dialog(qtbot, family_ctx, tmp_path, month=dt.date(2026, 6, 1))
    assert dialog.jobs == [] and dialog.due_list.count() == 0
    assert not dialog.prepare_button.isEnabled()
    assert "0 clients due" in dialog.due_label.text()


def test_an_unusable_folder_is_refused_with_its_name(qtbot, family_ctx, tmp_path):
    dialog = open_dialog(qtbot, family_ctx, tmp_path)
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    dialog.folder_edit.setText(str(blocker / "packs"))
    assert dialog.start() is None
    assert str(blocker / "packs") in dialog.summary.text()
    assert saved(family_ctx) == 0


def test_a_dying_worker_is_one_sentence_in_the_dialog(qtbot, demo_ctx, tmp_path, monkeypatch):
    from reviewdesk.pack import batch

    real = batch.run_batch

    def run_batch(*args, **kwargs):  # the system kills the workers once a pack is in
        kill = KillingProgress()

        def progress(done, total):
            kwargs["progress"](done, total)
            kill(done, total)

        return real(*args, **{**kwargs, "progress": progress})

    monkeypatch.setattr(batch, "run_batch", run_batch)
    dialog = open_dialog(qtbot, demo_ctx, tmp_path, month=dt.date(2026, 7, 1), workers=2)
    assert demo_ctx.book.encrypted and len(dialog.jobs) > 2
    with qtbot.waitSignal(dialog.batch_failed, timeout=120000) as blocker:
        dialog.start()
    failure = blocker.args[0]
    written = len(failure.result.written)
    assert 1 <= written < len(dialog.jobs)
    assert dialog.summary.text() == (
        f"Only {written} of {len(dialog.jobs)} packs were written (each one recorded): a "
        "process preparing them stopped unexpectedly; the details are in the log."
    )
    assert "terminated abruptly" not in dialog.summary.text()
    assert saved(demo_ctx) == written == len(list((tmp_path / "packs").glob("*.pdf")))
    assert dialog.open_folder_button.isVisible() and dialog.prepare_button.isEnabled()
