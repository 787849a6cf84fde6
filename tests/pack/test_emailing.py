"""Emailing a pack (`pack.emailing`): what the client reads, to whom, and what the book
keeps; the one path the command line and the desktop both take."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest
from sqlalchemy import select

from reviewdesk.book.models import AuditEntry, PackRecord
from reviewdesk.mail import WrongRecipient
from reviewdesk.pack import emailing
from reviewdesk.pack.produce import make_pack
from reviewdesk.settings import load_settings, save_setting
from tests import factories as f

TODAY = dt.date(2026, 6, 15)


def _pack(book, lang: str = "en", **settings: str):
    with book.session() as session:
        for key, value in settings.items():
            save_setting(session, key, value)
        client = f.client("C1", "张伟", email="zhang.wei@example.com")
        client.snapshots = [f.snapshot(dt.date(2026, 5, 31), f.holding("易方达蓝筹", "100000"))]
        session.add(client)
        session.add(f.client("C2", "张丽", email="Zhang.Wei@example.com"))
        session.add(f.client("C3", "李强"))
        session.flush()
        return make_pack(
            session, client.id, settings=load_settings(session), today=TODAY, lang=lang
        )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_body_is_signed_by_the_manager_who_gives_the_password(book, lang):
    pack = _pack(
        book, lang, manager_name="王立", bank_name="示例银行", manager_phone="021-6888 1234"
    )
    subject, body = emailing.email_text(pack.review, lang)
    assert ("31 May 2026" if lang == "en" else "2026年5月31日") in subject
    assert "2026-05-31" not in subject + body
    assert body.rstrip().endswith("王立\n示例银行\n021-6888 1234")
    if lang == "en":
        assert subject == "Your portfolio review of 31 May 2026"
        assert "Please find attached your portfolio review of 31 May 2026." in body
        assert "which I will give you by telephone or text message" in body
    else:
        assert subject == "您的 2026年5月31日 资产回顾" and "密码我会通过电话或短信告知您" in body


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_with_no_manager_named_no_one_promises_the_password_and_no_signature_is_empty(book, lang):
    """Found: with no manager's name set, the draft's body promised "a password, which I
    will give you" and ended on "Kind regards," with no one under it (the command line's
    on an empty line)."""
    pack = _pack(book, lang, bank_name="示例银行")
    _subject, body = emailing.email_text(pack.review, lang)
    if lang == "en":
        assert "I will" not in body and "which you will receive by telephone" in body
        assert body.rstrip().endswith("Kind regards,\n示例银行")
    else:
        assert "我会" not in body and "密码将通过电话或短信告知您" in body
        assert body.rstrip().endswith("敬礼\n示例银行")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_with_no_one_to_sign_the_body_closes_without_a_signature(book, lang):
    pack = _pack(book, lang)
    _subject, body = emailing.email_text(pack.review, lang)
    assert "Kind regards" not in body and "此致" not in body and "I will" not in body
    assert body.rstrip().endswith("text message." if lang == "en" else "告知您。")


def test_the_draft_has_no_from_and_the_recipient_and_text_the_book_records(book, tmp_path):
    """Found: the command line's draft set From: to the manager's display name, which is
    not an address, and a subject and body of its own ("Your review of {date}")."""
    pack = _pack(book, manager_name="王立", bank_name="示例银行")
    with book.session() as session:
        recipient = emailing.find_recipient(session, 1, None, confirmed=False)
    assert recipient.address == "zhang.wei@example.com" and not recipient.confirmed
    assert recipient.sharing == ("C2",)  # the same address, in another case
    emailed = emailing.write_email(pack, recipient, tmp_path / "d", pdf_beside=True)
    assert emailed.draft == tmp_path / "d.eml" and emailed.pdf == tmp_path / "d.pdf"
    message = email.message_from_bytes(emailed.draft.read_bytes(), policy=policy.default)
    subject, body = emailing.email_text(pack.review, pack.lang)
    assert message["From"] is None and message["To"] == "zhang.wei@example.com"
    assert message["Subject"] == subject and message.get_body().get_content() == body
    assert next(message.iter_attachments()).get_filename() == "C1 张伟 2026-05-31.pdf"
    assert emailed.password not in repr(emailed)
    with book.session() as session:
        emailing.record_email(session, pack, recipient, emailed)
    with book.session() as session:
        [record] = session.scalars(select(PackRecord)).all()
        actions = [e.action for e in session.scalars(select(AuditEntry))]
    assert record.recipient == "zhang.wei@example.com" and record.encrypted
    assert "recipient_confirmed" not in actions


def test_an_address_given_for_a_client_without_one_is_confirmed_and_recorded(book, tmp_path):
    _pack(book)
    with book.session() as session:
        with pytest.raises(WrongRecipient, match="no email address"):
            emailing.find_recipient(session, 3, None, confirmed=False)
        for refused in ("a@example.com, b@example.com", "nobody", "a@example.com; b@x.cn"):
            with pytest.raises(WrongRecipient, match="one address only") as refusal:
                emailing.find_recipient(session, 3, refused, confirmed=True)
            assert repr(refused) in refusal.value.message()
        # The address another client has: the recipient says who else reads it.
        recipient = emailing.find_recipient(session, 3, "zhang.wei@example.com", confirmed=True)
    assert recipient.confirmed and recipient.sharing == ("C1", "C2")


@pytest.mark.parametrize("meanwhile", [None, "saved.meanwhile@example.com"])
def test_an_address_typed_for_a_client_without_one_can_be_kept_as_theirs(book, tmp_path, meanwhile):
    """An address the manager typed (the client had none on record) becomes the client's,
    so that it is not asked for again; one saved from the profile meanwhile stays."""
    from reviewdesk.book.models import Client

    pack = _pack(book)
    with book.session() as session:
        session.get(Client, 1).email = None
    with book.session() as session:
        recipient = emailing.find_recipient(session, 1, "new.wei@example.com", confirmed=True)
    assert recipient.on_record is None and recipient.confirmed
    emailed = emailing.write_email(pack, recipient, tmp_path / "d", pdf_beside=False)
    with book.session() as session:
        session.get(Client, 1).email = meanwhile
    with book.session() as session:
        emailing.record_email(session, pack, recipient, emailed, keep_address=True)
    with book.session() as session:
        assert session.get(Client, 1).email == (meanwhile or "new.wei@example.com")
        kept = [
            e.new_value
            for e in session.scalars(select(AuditEntry))
            if e.action == "update" and e.field == "email"
        ]
    # The change is in the audit trail as any edit of the profile is.
    assert kept[-1] == (meanwhile or "new.wei@example.com"), kept
