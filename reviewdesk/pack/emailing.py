"""Emailing a client's pack: the one way, for the command line and the desktop alike.

What the client reads (the subject and the body in the pack's language, signed by the
review's preparer), to whom the draft goes (the client's own address, or one the
manager confirms is the client's: always one; `mail.check_recipient`), who else reads
that address (other clients on record with it), the encrypted pack and its draft
(`mail`: AES-256, the password never in the message, no From), and the record in the
book: the pack with its recipient, and an audit event when the manager confirmed an
address that is not the one on record. The faces only ask and present the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewdesk.book import audit
from reviewdesk.book.enums import PackAction
from reviewdesk.book.errors import NotFound
from reviewdesk.book.models import Client, PackRecord
from reviewdesk.files import write_private
from reviewdesk.i18n import N_, translator, written_date
from reviewdesk.mail import build_draft, check_recipient, write_draft
from reviewdesk.pack.produce import Pack, record_pack
from reviewdesk.pack.protect import encrypt_pdf, generate_password
from reviewdesk.review.model import Review


@dataclass(frozen=True)
class Recipient:
    """Where a pack's draft goes, and who else reads that address."""

    address: str
    on_record: str | None  # the client's address in the book, if any
    sharing: tuple[str, ...] = ()  # codes of the other clients with this address

    @property
    def confirmed(self) -> bool:
        """An address the manager confirmed is the client's: not the one on record."""
        return self.on_record is None or self.address.casefold() != self.on_record.casefold()


def clients_at(session: Session, address: str, *, besides: int) -> tuple[str, ...]:
    """Codes of the clients other than `besides` whose email address is `address`."""
    return tuple(
        session.scalars(
            select(Client.code)
            .where(func.lower(Client.email) == address.lower(), Client.id != besides)
            .order_by(Client.code)
        )
    )


def find_recipient(
    session: Session, client_id: int, given: str | None, *, confirmed: bool
) -> Recipient:
    """The recipient of a client's pack: `given` (confirmed by the manager when it is not
    the address on record) or the client's own; refused as `mail.check_recipient` says."""
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(f"client {client_id}: no such client")
    address = check_recipient(given, client.email, confirmed=confirmed)
    return Recipient(address, client.email, clients_at(session, address, besides=client.id))


# The body, signed by the preparer. With no manager named, the password is not promised
# by an "I" nobody signs for; with no one at all to sign, the body closes without a
# signature rather than on an empty one.
_SIGNED_BY_MANAGER = N_(
    "Dear {name},\n\nPlease find attached your portfolio review of {date}. "
    "The file is protected with a password, which I will give you by telephone "
    "or text message.\n\nKind regards,\n{signature}\n"
)
_SIGNED_BY_BANK = N_(
    "Dear {name},\n\nPlease find attached your portfolio review of {date}. "
    "The file is protected with a password, which you will receive by telephone "
    "or text message.\n\nKind regards,\n{signature}\n"
)
_UNSIGNED = N_(
    "Dear {name},\n\nPlease find attached your portfolio review of {date}. "
    "The file is protected with a password, which you will receive by telephone "
    "or text message.\n"
)


def email_text(review: Review, lang: str) -> tuple[str, str]:
    """Subject and body in the pack's language; the password is never part of them."""
    tr = translator(lang)
    # The date as the pack's sentences write it (found: "Please find attached your portfolio
    # review of 2026-05-31." above a cover that reads "Review date: 31 May 2026").
    date = written_date(review.review_date, lang)
    subject = tr("Your portfolio review of {date}").format(date=date)
    preparer = review.preparer
    if preparer.manager_name:
        template = _SIGNED_BY_MANAGER
    elif preparer.bank_name:
        template = _SIGNED_BY_BANK
    else:
        template = _UNSIGNED
    signature = "\n".join(
        line for line in (preparer.manager_name, preparer.bank_name, preparer.manager_phone) if line
    )
    body = tr(template).format(name=review.client.name, date=date, signature=signature)
    return subject, body


def attachment_name(pack: Pack) -> str:
    """The pack's file name, in the draft and in the outbox: as the batch names it."""
    from reviewdesk.pack.batch import pack_file_name

    client = pack.review.client
    return pack_file_name(client.code, client.name, pack.review.review_date)


@dataclass(frozen=True)
class EmailedPack:
    """The draft written (and the encrypted pack beside it, when asked for), and the
    password to give the client by another channel: shown once, kept nowhere."""

    draft: Path
    pdf: Path | None
    password: str = field(repr=False)


def write_email(
    pack: Pack, recipient: Recipient, draft: Path, *, pdf_beside: bool = False
) -> EmailedPack:
    """Encrypt the pack under a new password and write its draft to `recipient` at `draft`
    (an .eml); with `pdf_beside`, the encrypted pack too, as `draft` with .pdf."""
    password = generate_password()
    protected = encrypt_pdf(pack.data, password)
    subject, body = email_text(pack.review, pack.lang)
    message = build_draft(
        pdf=protected,
        file_name=attachment_name(pack),
        to=recipient.address,
        subject=subject,
        body=body,
        password=password,
    )
    pdf = write_private(Path(draft).with_suffix(".pdf"), protected) if pdf_beside else None
    return EmailedPack(write_draft(message, draft), pdf, password)


def record_email(
    session: Session,
    pack: Pack,
    recipient: Recipient,
    emailed: EmailedPack,
    *,
    keep_address: bool = False,
) -> PackRecord:
    """The pack recorded as emailed to its recipient (its audit event names the review,
    the recipient, the draft and the reference); and, for an address the manager
    confirmed, the confirmation in the audit trail. In the caller's unit of work.

    `keep_address`: the address the manager typed for a client with none on record becomes
    the client's address, so that it is not asked for again next time; kept only while
    the client still has none (one saved meanwhile from the profile stays)."""
    review = pack.review
    record = record_pack(
        session,
        review.client.id,
        review.review_date,
        PackAction.EMAILED,
        pack.lang,
        encrypted=True,
        recipient=recipient.address,
        file_name=str(emailed.draft.resolve()),
        as_of=pack.as_of,
        paper=pack.paper,
        reference=pack.reference,
    )
    if recipient.confirmed:
        audit.record_event(
            session,
            "recipient_confirmed",
            review.client.id,
            f"{recipient.address} confirmed as the client's address "
            f"(on record: {recipient.on_record or 'none'})",
            record="PackRecord",
            record_id=record.id,
        )
    if keep_address and recipient.on_record is None:
        client = session.get(Client, review.client.id)
        if client is not None and not client.email:
            client.email = recipient.address
            session.flush()
    return record
