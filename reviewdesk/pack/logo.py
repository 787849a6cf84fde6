"""The bank's logo: a file is accepted only if the pack can actually draw it."""

from __future__ import annotations

import io
import os
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from reviewdesk.book.errors import ValidationError
from reviewdesk.i18n import N_

MAX_BYTES = 10 * 1024 * 1024  # a logo, not a photograph


def check_logo(value: str, key: str = "bank_logo") -> str:
    """The logo's absolute path if it is an image file the pack can draw, else a
    ValidationError naming the setting and the value. "" (no logo) is accepted.

    The path is made absolute so packs written from any folder find the logo.
    """
    if not value:
        return ""
    path = Path(value).expanduser()
    if not path.is_file():
        raise ValidationError("Setting", key, value, N_("no such file"))
    if not os.access(path, os.R_OK):
        raise ValidationError("Setting", key, value, N_("the file cannot be read"))
    if path.stat().st_size > MAX_BYTES:
        raise ValidationError("Setting", key, value, N_("the file is larger than 10 MB"))
    try:
        image = ImageReader(str(path))
        width, height = image.getSize()
        if width < 1 or height < 1:
            raise ValueError("empty image")
        # Draw it on a throwaway page: what the pack does with it.
        canvas = Canvas(io.BytesIO())
        canvas.drawImage(image, 0, 0, width=min(width, 100), height=min(height, 100))
        canvas.save()
    except Exception:  # noqa: BLE001 - any failure to read or draw means "not an image we can use"
        raise ValidationError(
            "Setting", key, value, N_("is not an image the pack can show (PNG or JPEG)")
        ) from None
    return str(path.resolve())


# The settings whose new values only the pack can check (see `settings.save_setting`).
SETTING_CHECKS = {"bank_logo": check_logo}
