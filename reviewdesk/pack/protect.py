"""Protecting a pack for email: a random password and AES-256 (PDF 2.0, revision 6).

The password is never derived from the client's data (a birthday or a phone
number is guessable); it is shown once to the user, who passes it on by
another channel.
"""

from __future__ import annotations

import io
import secrets

from pypdf import PdfReader, PdfWriter

# No 0/O, 1/l/I: the password is read out over the phone.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
MIN_LENGTH = 12


def generate_password(length: int = 14) -> str:
    """A random password from the OS's secure generator."""
    if length < MIN_LENGTH:
        raise ValueError(f"password length: {length} is below {MIN_LENGTH}")
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def check_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise ValueError(f"password: must be at least {MIN_LENGTH} characters")
    return password


def encrypt_pdf(data: bytes, password: str) -> bytes:
    """`data` encrypted with AES-256 (revision 6); opening it needs `password`."""
    check_password(password)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    # A random owner password: nobody can lift the protection without the user password.
    writer.encrypt(
        user_password=password, owner_password=secrets.token_urlsafe(24), algorithm="AES-256"
    )
    # AES-256 with revision 6 is PDF 2.0 (ISO 32000-2); the copied header said 1.3.
    writer.pdf_header = b"%PDF-2.0"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
