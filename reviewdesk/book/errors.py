"""Errors the book raises for the user to read."""

from __future__ import annotations


class BookError(Exception):
    """Anything the user must be told about, in one line."""


class ValidationError(BookError):
    """A value refused by the book: names the record, the field and the value."""

    def __init__(self, record: str, field: str, value: object, reason: str):
        self.record = record
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{record} {field} = {_show(value)}: {reason}")


class NotFound(BookError):
    pass


def _show(value: object) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, str):
        return repr(value)
    return str(value)
