"""Field labels and readable refusals, shared by every editing screen."""

from __future__ import annotations

from reviewdesk.book.errors import ValidationError
from reviewdesk.book.fields import FIELD_LABELS
from reviewdesk.i18n import _, current_language

__all__ = ["FIELD_LABELS", "field_label", "refusal"]


def field_label(field: str) -> str:
    label = FIELD_LABELS.get(field)
    return _(label) if label else field


def refusal(exc: ValidationError) -> str:
    """One line for the user, in the interface language: the field, the value as entered,
    and why it was refused."""
    return exc.refusal(current_language())
