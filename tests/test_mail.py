import email
import io
import secrets
from email import policy

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from reviewdesk import mail, paths
from reviewdesk.book import audit
from reviewdesk.book.models import AuditEntry
from tests import factories as f


def _pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawString(72, 720, "Review pack for client C1")
    page.save()
    return out.getvalue()


def _encrypt(data: bytes, password: str, algorithm: str = "AES-256") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(
        user_password=password, owner_password=secrets.token_hex(16), algorithm=algorithm
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_emailed_pack_is_aes256_r6_opens_with_its_password_only_and_leaks_it_nowhere(
    book, tmp_path
):
    password = secrets.token_urlsafe(12)
    pdf = _encrypt(_pdf(), password)
    assert mail.pdf_protection(pdf) == (5, 6)
    with book.session() as s:
        s.add(f.client("C1", "张伟", email="zhang.wei@example.com"))
    message = mail.build_draft(
        pdf=pdf,
        file_name="review-C1-2026-05-31.pdf",
        to="zhang.wei@example.com",
        subject="Your review pack",
        body="The password will reach you separately.",
        password=password,
    )
    draft = mail.write_draft(message, tmp_path / "drafts" / "C1")
    with book.session() as s:
        audit.record_event(s, "pack_emailed", 1, f"to zhang.wei@example.com as {draft.name}")
    assert draft.suffix == ".eml"

    parsed = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    attached = next(parsed.iter_attachments())
    data = attached.get_content()
    assert attached.get_filename() == "review-C1-2026-05-31.pdf"
    assert mail.is_aes256(data)
    reader = PdfReader(io.BytesIO(data))
    assert reader.decrypt("wrong password") == 0
    assert reader.decrypt("") == 0
    reader = PdfReader(io.BytesIO(data))
    assert reader.decrypt(password) != 0
    assert "Review pack for client C1" in reader.pages[0].extract_text()

    book.close()
    written = [
        p for p in list(tmp_path.rglob("*")) + list(paths.data_dir().rglob("*")) if p.is_file()
    ]
    assert any(p.suffix == ".sqlite" for p in written)
    for p in written:
        raw = p.read_bytes()
        assert password.encode() not in raw, p
        assert password.encode("utf-16-le") not in raw, p


def test_a_pack_that_is_not_aes256_is_never_attached():
    with pytest.raises(mail.UnsafeAttachment, match="not encrypted"):
        mail.build_draft(pdf=_pdf(), file_name="p.pdf", to=None, subject="s", body="b")
    rc4 = _encrypt(_pdf(), "pw-123456789", algorithm="RC4-128")
    with pytest.raises(mail.UnsafeAttachment):
        mail.build_draft(pdf=rc4, file_name="p.pdf", to=None, subject="s", body="b")


def test_a_draft_that_would_carry_the_password_is_refused():
    password = secrets.token_urlsafe(12)
    pdf = _encrypt(_pdf(), password)
    with pytest.raises(mail.UnsafeAttachment, match="password"):
        mail.build_draft(
            pdf=pdf,
            file_name="p.pdf",
            to=None,
            subject="s",
            body=f"The password is {password}",
            password=password,
        )
    with pytest.raises(mail.UnsafeAttachment, match="does not open"):
        mail.build_draft(
            pdf=pdf, file_name="p.pdf", to=None, subject="s", body="b", password="not it at all"
        )


def test_the_trail_records_the_email_without_the_password(book):
    with book.session() as s:
        s.add(f.client("C1", "张伟"))
        audit.record_event(s, "pack_emailed", 1, "to zhang.wei@example.com")
    with book.session() as s:
        entry = s.query(AuditEntry).filter_by(action="pack_emailed").one()
        assert entry.client_id == 1 and entry.actor
