"""The pack from the desktop: preview, export, print and email, each recorded in the book."""

import email
import email.policy
import io

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from sqlalchemy import select

from reviewdesk.book.enums import PackAction
from reviewdesk.book.models import AuditEntry, Client, PackRecord
from reviewdesk.gui import pack_actions as pa
from reviewdesk.gui.pack_actions import PackActions, PasswordDialog
from reviewdesk.gui.worker import book_worker
from reviewdesk.mail import is_aes256, opens_with


@pytest.fixture
def actions(qtbot, family_ctx, monkeypatch):
    errors = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: errors.append(a))
    acts = PackActions(family_ctx, None)
    acts.errors = errors
    yield acts
    for dialog in list(acts.previews):
        dialog.close()


def records(ctx):
    book_worker().waitForDone(5000)
    with ctx.book.session() as session:
        return [
            (r.client_id, r.action, r.file_name, r.recipient, r.encrypted)
            for r in session.scalars(select(PackRecord).order_by(PackRecord.id))
        ]


def test_export_writes_a_findable_file_and_records_it(
    qtbot, actions, family_ctx, tmp_path, monkeypatch
):
    cid = family_ctx.ids["王建国"]
    offered = {}

    def save_dialog(parent, title, suggested, filters):
        offered["name"] = suggested
        return str(tmp_path / "out" / suggested.split("/")[-1]), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    (tmp_path / "out").mkdir()
    with qtbot.waitSignal(actions.finished, timeout=20000) as blocker:
        actions.export(cid)
    action, path = blocker.args
    assert action == "saved"
    assert path.name == "W1 王建国 2026-05-31.pdf" and offered["name"].endswith(path.name)
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "王建国" in text and "王建军" not in text
    assert records(family_ctx) == [(cid, PackAction.SAVED, str(path), None, False)]
    assert actions.errors == []


def test_cancelled_export_writes_and_records_nothing(qtbot, actions, family_ctx, monkeypatch):
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: asked.append(a) or ("", ""))
    actions.export(family_ctx.ids["王建国"])
    qtbot.waitUntil(lambda: bool(asked) and actions._busy == 0, timeout=20000)
    assert records(family_ctx) == []


def test_email_writes_an_encrypted_pack_and_a_draft_without_the_password(
    qtbot, actions, family_ctx, monkeypatch
):
    cid = family_ctx.ids["王建国"]
    opened, shown = [], []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    monkeypatch.setattr(PasswordDialog, "exec", lambda self: shown.append(self.password) or 0)
    with qtbot.waitSignal(actions.finished, timeout=20000) as blocker:
        actions.email(cid)
    action, (pdf_path, eml_path) = blocker.args
    assert action == "emailed"
    [password] = shown
    assert len(password) >= 12
    data = pdf_path.read_bytes()
    assert is_aes256(data) and opens_with(data, password)
    assert not opens_with(data, "wrong password 123")
    raw = eml_path.read_bytes()
    assert password.encode() not in raw
    message = email.message_from_bytes(raw)
    assert message["To"] == "w1@example.com"
    assert password not in message["Subject"]
    [attachment] = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert attachment.get_payload(decode=True) == data
    for part in message.walk():
        if part.get_content_maintype() == "text":
            assert password not in part.get_payload(decode=True).decode("utf-8")
    assert [u.toLocalFile() for u in opened] == [str(eml_path)]
    assert records(family_ctx) == [(cid, PackAction.EMAILED, str(eml_path), "w1@example.com", True)]
    with family_ctx.book.session() as session:
        details = [e.detail or "" for e in session.scalars(select(AuditEntry))]
    assert not any(password in d for d in details)


def test_print_goes_through_the_print_dialog_and_is_recorded(
    qtbot, actions, family_ctx, tmp_path, monkeypatch
):
    cid = family_ctx.ids["王建国"]
    target = tmp_path / "printed.pdf"

    def accept(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setResolution(100)  # keep the test light; real printers say 300-600
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    with qtbot.waitSignal(actions.finished, timeout=30000) as blocker:
        actions.print_pack(cid)
    action, pages = blocker.args
    assert action == "printed"
    assert pages == len(PdfReader(target).pages) and pages >= 3
    assert records(family_ctx) == [(cid, PackAction.PRINTED, None, str(target), False)]


def test_preview_shows_the_pack_and_exports_the_same_bytes(
    qtbot, actions, family_ctx, tmp_path, monkeypatch
):
    cid = family_ctx.ids["王建军"]
    with qtbot.waitSignal(actions.finished, timeout=20000) as blocker:
        actions.preview(cid)
    action, dialog = blocker.args
    assert action == "preview"
    assert dialog.document.pageCount() >= 3
    dialog.go_to_page(1)
    qtbot.waitUntil(lambda: dialog.page_box.value() == 2)
    dialog.zoom_by(2)
    assert dialog.zoom_label.text().endswith("%")
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda parent, title, suggested, f: (str(tmp_path / "x.pdf"), f),
    )
    with qtbot.waitSignal(actions.finished, timeout=20000):
        dialog.export_button.click()
    assert (tmp_path / "x.pdf").read_bytes() == dialog.data
    assert records(family_ctx) == [(cid, PackAction.SAVED, str(tmp_path / "x.pdf"), None, False)]


def test_a_failure_is_reported_and_records_nothing(qtbot, actions, family_ctx):
    with qtbot.waitSignal(actions.failed, timeout=10000) as blocker:
        actions.preview(999)
    assert "999" in blocker.args[0]
    assert len(actions.errors) == 1
    assert records(family_ctx) == []


def test_the_pdf_is_byte_identical_to_the_command_lines(family_ctx):
    from reviewdesk.pack.produce import make_pack
    from reviewdesk.settings import load_settings

    cid = family_ctx.ids["王建国"]
    job = pa.render(pa.load_pack_inputs(family_ctx, cid, None), None, None)
    with family_ctx.book.session() as session:
        pack = make_pack(session, cid, settings=load_settings(session), today=family_ctx.today)
    assert job.data == pack.data
    assert len(PdfReader(io.BytesIO(job.data)).pages) >= 3


def test_a_preview_waits_while_another_pack_is_laid_out(family_ctx):
    """The pack takes turns itself (reviewdesk.pack.context.LAYOUT_LOCK): a preview built
    while another pack (or the warm-up) is laid out waits for it, then comes out whole."""
    import threading

    from reviewdesk.pack.context import LAYOUT_LOCK

    inputs = pa.load_pack_inputs(family_ctx, family_ctx.ids["王建国"], None)
    done = threading.Event()
    jobs = []

    def build() -> None:
        jobs.append(pa.render(inputs, None, None))
        done.set()

    with LAYOUT_LOCK:  # a build (or the warm-up) under way
        thread = threading.Thread(target=build)
        thread.start()
        assert not done.wait(1.0)
    assert done.wait(60)
    thread.join()
    assert jobs[0].data.startswith(b"%PDF")


def _email_quietly(monkeypatch):
    """The draft's opening and the password's dialog answered; what they got, kept."""
    opened, shown = [], []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    monkeypatch.setattr(PasswordDialog, "exec", lambda self: shown.append(self.password) or 0)
    return opened, shown


def _set_email(ctx, client_id, address):
    with ctx.book.session() as session:
        session.get(Client, client_id).email = address


def test_a_client_with_no_address_is_asked_for_one_and_it_is_recorded_as_confirmed(
    qtbot, actions, family_ctx, monkeypatch
):
    """Found: emailing a client with no address on record wrote a draft with an empty To:
    and recorded the pack as emailed to no one."""
    cid = family_ctx.ids["王建国"]
    _set_email(family_ctx, cid, None)
    _email_quietly(monkeypatch)
    asked = []

    def typed(dialog):
        asked.append(dialog.windowTitle())
        dialog.edit.setText("jianguo.wang@example.com")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(pa.AddressDialog, "exec", typed)
    with qtbot.waitSignal(actions.finished, timeout=20000) as blocker:
        actions.email(cid)
    _pdf_path, eml_path = blocker.args[1]
    assert asked == ["Email the review pack"]
    assert email.message_from_bytes(eml_path.read_bytes())["To"] == "jianguo.wang@example.com"
    assert records(family_ctx) == [
        (cid, PackAction.EMAILED, str(eml_path), "jianguo.wang@example.com", True)
    ]
    with family_ctx.book.session() as session:
        [event] = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "recipient_confirmed")
        ).all()
    assert "jianguo.wang@example.com" in event.detail and "none" in event.detail
    assert actions.errors == []
    # Kept as the client's address (ticked by default): not asked for again next time.
    with family_ctx.book.session() as session:
        assert session.get(Client, cid).email == "jianguo.wang@example.com"


def test_an_address_typed_with_keep_unticked_is_used_once_and_not_kept(
    qtbot, actions, family_ctx, monkeypatch
):
    cid = family_ctx.ids["王建国"]
    _set_email(family_ctx, cid, None)
    _email_quietly(monkeypatch)

    def typed(dialog):
        dialog.edit.setText("once@example.com")
        dialog.keep.setChecked(False)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(pa.AddressDialog, "exec", typed)
    kept = []
    actions.address_kept.connect(kept.append)
    with qtbot.waitSignal(actions.finished, timeout=20000) as blocker:
        actions.email(cid)
    eml_path = blocker.args[1][1]
    assert email.message_from_bytes(eml_path.read_bytes())["To"] == "once@example.com"
    with family_ctx.book.session() as session:
        assert session.get(Client, cid).email is None
    assert kept == []


def test_asking_for_an_address_can_be_cancelled_and_then_nothing_is_written(
    qtbot, actions, family_ctx, monkeypatch
):
    cid = family_ctx.ids["王建国"]
    _set_email(family_ctx, cid, None)
    opened, shown = _email_quietly(monkeypatch)
    asked = []
    monkeypatch.setattr(
        pa.AddressDialog, "exec", lambda dialog: asked.append(1) or dialog.reject() or 0
    )
    actions.email(cid)
    qtbot.waitUntil(lambda: bool(asked) and actions._busy == 0, timeout=20000)
    assert records(family_ctx) == [] and opened == [] and shown == []
    assert not list(pa.outbox_dir().glob("*.eml"))


@pytest.mark.parametrize("typed", ["a@example.com, b@example.com", "nobody", "a@x.cn; b@y.cn", ""])
def test_the_address_dialog_refuses_anything_but_one_address_naming_it(qtbot, typed):
    dialog = pa.AddressDialog("王建国", "W1")
    qtbot.addWidget(dialog)
    dialog.edit.setText(typed)
    dialog.accept()
    assert dialog.result() != pa.QDialog.DialogCode.Accepted and dialog.address == ""
    assert not dialog.refusal.isHidden()
    if typed:
        assert repr(typed) in dialog.refusal.text() and "one address only" in dialog.refusal.text()
    else:
        assert dialog.refusal.text() == "Type the client's email address."


def test_the_address_dialogs_refusal_reads_as_chinese_and_is_not_cut_off(qtbot):
    """Found: in Chinese, the refusal quoted the address as 'wang@' (Python's quotes), and
    the explanation above the address was cut off when the refusal's line appeared."""
    from reviewdesk.i18n import set_language

    set_language("zh")
    try:
        dialog = pa.AddressDialog("王小明", "C00001")
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.edit.setText("wang@")
        dialog.accept()
        assert dialog.refusal.text().startswith("“wang@”不是一个电子邮件地址")
        layout = dialog.layout()
        assert dialog.height() >= layout.minimumSize().height()
        assert dialog.height() >= layout.heightForWidth(dialog.width())
    finally:
        set_language("en")


@pytest.mark.parametrize("answer", ["Yes", "Cancel"])
def test_an_address_other_clients_share_is_named_before_the_draft_is_written(
    qtbot, actions, family_ctx, monkeypatch, answer
):
    """Found: the desktop drafted to an address another client also has, without a word
    (the command line warned)."""
    cid = family_ctx.ids["王建国"]
    _set_email(family_ctx, family_ctx.ids["王建军"], "W1@example.com")
    opened, shown = _email_quietly(monkeypatch)
    questions = []

    def question(parent, title, text, buttons, default):
        questions.append(text)
        return getattr(QMessageBox.StandardButton, answer)

    monkeypatch.setattr(QMessageBox, "question", question)
    if answer == "Yes":
        with qtbot.waitSignal(actions.finished, timeout=20000):
            actions.email(cid)
        assert [r[3] for r in records(family_ctx)] == ["w1@example.com"]
    else:
        actions.email(cid)
        qtbot.waitUntil(lambda: bool(questions) and actions._busy == 0, timeout=20000)
        assert records(family_ctx) == [] and opened == [] and shown == []
    [text] = questions
    assert "w1@example.com is also the address of W2" in text and "only W1 reads it" in text


def test_the_desktop_and_the_command_line_write_the_same_draft(
    qtbot, actions, family_ctx, monkeypatch, tmp_path
):
    """Found: the command line's draft read "Your review of {date}", a body of its own and
    a From: of the manager's bare name; the desktop's "Your portfolio review of {date}"."""
    import argparse

    from reviewdesk.cli.safety_cmds import cmd_email
    from reviewdesk.settings import save_setting

    with family_ctx.book.session() as session:
        save_setting(session, "manager_name", "李敏")
        save_setting(session, "bank_name", "示例银行")
    cid = family_ctx.ids["王建国"]
    _email_quietly(monkeypatch)
    with qtbot.waitSignal(actions.finished, timeout=20000) as blocker:
        actions.email(cid, lang="en")
    desktop = email.message_from_bytes(blocker.args[1][1].read_bytes(), policy=email.policy.default)
    args = argparse.Namespace(
        client="W1", to=None, confirm_recipient=False, date=None, lang="en", output=tmp_path / "c"
    )
    assert cmd_email(family_ctx, args) == 0
    cli = email.message_from_bytes((tmp_path / "c.eml").read_bytes(), policy=email.policy.default)
    for message in (desktop, cli):
        assert message["From"] is None and message["To"] == "w1@example.com"
        assert message["Subject"] == "Your portfolio review of 31 May 2026"
    assert desktop.get_body().get_content() == cli.get_body().get_content()
    assert desktop.get_body().get_content().rstrip().endswith("李敏\n示例银行")
    [a, b] = (next(m.iter_attachments()).get_filename() for m in (desktop, cli))
    assert a == b == "W1 王建国 2026-05-31.pdf"
