"""The desktop's packs carry the same reference as the command line's and are recorded with
what it takes to rebuild them; a pack without a bank name is mentioned once a session."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import select

from reviewdesk.book.models import AuditEntry, PackRecord
from reviewdesk.gui import pack_actions as pa
from reviewdesk.gui.pack_actions import PackActions
from reviewdesk.gui.worker import book_worker
from reviewdesk.settings import save_setting
from tests.conftest import AS_OF


@pytest.fixture
def actions(qtbot, family_ctx, monkeypatch):
    errors = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: errors.append(a))
    acts = PackActions(family_ctx, None)
    acts.errors = errors
    yield acts
    for dialog in list(acts.previews):
        dialog.close()


def test_the_desktop_pack_has_the_command_lines_reference(family_ctx):
    from reviewdesk.pack.produce import make_pack
    from reviewdesk.settings import load_settings

    cid = family_ctx.ids["王建国"]
    job = pa.render(pa.load_pack_inputs(family_ctx, cid, None), None, None)
    with family_ctx.book.session() as session:
        pack = make_pack(session, cid, settings=load_settings(session), today=family_ctx.today)
    assert job.reference == pack.reference and job.data == pack.data
    assert job.rebuild == {"as_of": AS_OF, "paper": "a4", "reference": pack.reference}


def test_export_records_the_as_of_date_paper_and_reference(
    qtbot, actions, family_ctx, tmp_path, monkeypatch
):
    cid = family_ctx.ids["王建国"]
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda parent, title, suggested, filters: (str(tmp_path / "out.pdf"), filters),
    )
    with qtbot.waitSignal(actions.finished, timeout=20000):
        actions.export(cid)
    book_worker().waitForDone(5000)
    job = pa.render(pa.load_pack_inputs(family_ctx, cid, None), None, None)
    with family_ctx.book.session() as session:
        [record] = session.scalars(select(PackRecord)).all()
        events = session.scalars(select(AuditEntry).where(AuditEntry.action.like("pack_%"))).all()
        assert (record.as_of, record.paper, record.reference) == (AS_OF, "a4", job.reference)
        assert [(e.action, e.record_id) for e in events] == [("pack_saved", record.id)]
        assert f"ref {job.reference}" in events[0].detail
    assert Path(tmp_path / "out.pdf").read_bytes() == job.data


def test_no_bank_name_is_mentioned_once_a_session(qtbot, actions, family_ctx):
    notices = []
    actions.notice.connect(notices.append)
    for name in ("王建国", "王建军"):
        with qtbot.waitSignal(actions.finished, timeout=20000):
            actions.preview(family_ctx.ids[name])
    assert len(notices) == 1 and "bank name" in notices[0]


def test_with_a_bank_name_nothing_is_mentioned(qtbot, actions, family_ctx):
    with family_ctx.book.session() as session:
        save_setting(session, "bank_name", "示例银行")
    notices = []
    actions.notice.connect(notices.append)
    with qtbot.waitSignal(actions.finished, timeout=20000):
        actions.preview(family_ctx.ids["王建国"])
    assert notices == []


def test_the_main_window_keeps_the_notice_past_the_actions_message(window):
    window.pack.notice.emit("No bank name is set")
    assert "No bank name is set" in window.statusBar().currentMessage()
    window._pack_done("saved", Path("/tmp/x.pdf"))
    message = window.statusBar().currentMessage()
    assert "x.pdf" in message and "No bank name is set" in message
    window._pack_done("saved", Path("/tmp/y.pdf"))
    assert "No bank name" not in window.statusBar().currentMessage()


def test_the_settings_dialog_refuses_a_logo_the_pack_cannot_draw(qtbot, window, ctx, tmp_path):
    from PIL import Image

    from reviewdesk.gui.settings_dialog import SettingsDialog
    from reviewdesk.settings import load_settings

    window.open_settings()
    dialog = window.findChild(SettingsDialog)
    qtbot.waitUntil(dialog.isEnabled, timeout=5000)
    (tmp_path / "logo.png").write_text("not an image")
    dialog.editors["bank_logo"].line_edit.setText(str(tmp_path / "logo.png"))
    dialog.save()
    message = dialog.messages["bank_logo"]
    qtbot.waitUntil(message.isVisible, timeout=5000)
    assert "logo.png" in message.text() and "not an image" in message.text()

    Image.new("RGB", (120, 40), "#1d4e89").save(tmp_path / "logo.png")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    with ctx.book.session() as session:
        assert load_settings(session).bank_logo == str(tmp_path / "logo.png")
