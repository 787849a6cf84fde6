"""Email drafts with a review pack attached, safe by construction.

The app never sends mail itself: it writes an .eml draft the manager opens in
the bank's mail program, so the bank's own mail rules (archiving, data-loss
checks) apply. The attached pack must be a PDF encrypted with AES-256
(revision 6); a plain PDF is refused rather than attached. The password
travels by another channel: it is never written into the message, and the
draft is checked for it before it is written.
"""

from __future__ import annotations

import io
from email.message import EmailMessage
from email.utils import formatdate, getaddresses
from pathlib import Path
from typing import cast

from reviewdesk.book.errors import BookError
from reviewdesk.files import write_private
from reviewdesk.i18n import _

EML_SUFFIX = ".eml"


class UnsafeAttachment(BookError):
    pass


class WrongRecipient(BookError):
    """A draft addressed to anyone but the client (or to more than one address)."""


def one_address(text: str) -> str:
    """The single address in `text`; refused, naming `text`, when it holds none, several,
    or a malformed one (a pack goes to one client, at one address)."""
    from reviewdesk.book.validation import is_email_address

    found = [address for _name, address in getaddresses([text]) if address]
    if len(found) != 1 or not is_email_address(found[0]) or ";" in text:
        raise WrongRecipient(
            _(
                "{value!r} is not one email address: give one address only (a pack goes to "
                "one client)"
            ).format(value=text)
        )
    return found[0]


def check_recipient(given: str | None, client_email: str | None, *, confirmed: bool) -> str:
    """The address a client's pack may be drafted to: the client's own address, or one
    the manager confirms (`confirmed`) is the client's; always one address. The refusals
    name the command line's options: the desktop asks for an address only when none is on
    record, and a typed address is the manager's confirmation."""
    own = one_address(client_email) if client_email else None
    if not given:
        if own is None:
            raise WrongRecipient(
                _(
                    "the client has no email address: give the client's address with --to "
                    "and confirm it with --confirm-recipient"
                )
            )
        return own
    address = one_address(given)
    if own is not None and address.casefold() == own.casefold():
        return own
    if not confirmed:
        raise WrongRecipient(
            _(
                "--to {value}: not the client's own address ({own}); a pack goes to its "
                "client only: if {value} is the client's, confirm with --confirm-recipient"
            ).format(value=address, own=own or _("none on record"))
        )
    return address


def pdf_protection(data: bytes) -> tuple[int, int] | None:
    """(V, R) of a PDF's standard security handler, or None for a PDF that is not encrypted."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    reader = PdfReader(io.BytesIO(data))
    if not reader.is_encrypted:
        return None
    # An encrypted PDF's /Encrypt is a dictionary (the trailer's entry in the PDF standard),
    # and PdfReader has already read it as one; its stubs type it as any PDF object.
    encrypt = cast(DictionaryObject, reader.trailer["/Encrypt"].get_object())
    return int(encrypt.get("/V", 0)), int(encrypt.get("/R", 0))


def is_aes256(data: bytes) -> bool:
    """True for a PDF encrypted with AES-256 under the revision 6 handler (PDF 2.0)."""
    return pdf_protection(data) == (5, 6)


def opens_with(data: bytes, password: str) -> bool:
    from pypdf import PasswordType, PdfReader

    reader = PdfReader(io.BytesIO(data))
    return reader.decrypt(password) != PasswordType.NOT_DECRYPTED


def build_draft(
    *,
    pdf: bytes,
    file_name: str,
    to: str | None,
    subject: str,
    body: str,
    password: str | None = None,
) -> EmailMessage:
    """A draft message with the encrypted pack attached.

    `password`, when given, is only used to prove the pack opens with it and
    that the message does not contain it; it is not kept. No From: the mail program
    fills in the manager's own account (a display name alone is not an address).
    """
    if not is_aes256(pdf):
        raise UnsafeAttachment(
            _("the pack is not encrypted with AES-256: it cannot be attached to an email")
        )
    if password is not None and not opens_with(pdf, password):
        raise UnsafeAttachment(_("the pack does not open with its password: not attached"))
    message = EmailMessage()
    if to:
        message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["X-Unsent"] = "1"  # mail programs open the file as a draft to edit and send
    message.set_content(body)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=file_name)
    if password is not None:
        _refuse_if_contains(message, password)
    return message


def _refuse_if_contains(message: EmailMessage, password: str) -> None:
    raw = message.as_bytes()
    for form in {password, password.encode("utf-8").hex()}:
        if form.encode("utf-8") in raw:
            raise UnsafeAttachment(_("the draft would contain the pack's password: not written"))
    for part in message.walk():
        if not part.is_multipart() and part.get_content_maintype() == "text":
            if password in part.get_content():
                raise UnsafeAttachment(
                    _("the draft would contain the pack's password: not written")
                )


def write_draft(message: EmailMessage, path: Path) -> Path:
    """Write the draft as an .eml file, whole or not at all, readable by its owner only
    (it names the client and carries their pack)."""
    path = Path(path)
    if path.suffix.lower() != EML_SUFFIX:
        path = path.with_suffix(EML_SUFFIX)
    return write_private(path, message.as_bytes())
