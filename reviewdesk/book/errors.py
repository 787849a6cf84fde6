"""Errors the book raises for the user to read."""

from __future__ import annotations

from collections.abc import Mapping

from reviewdesk.i18n import N_, SOURCE, current_language, translator
from reviewdesk.text import escape_controls, shorten


class BookError(Exception):
    """Anything the user must be told about, in one line."""

    def message(self, lang: str | None = None) -> str:
        """The line for the user. Most book errors are written in the interface language
        when raised; a `ValidationError` is translated when shown."""
        return str(self)


class ValidationError(BookError):
    """A value refused by the book: names the record, the field and the value.

    The reason is a message id (an English template marked with `N_`) and its
    parameters, filled in after translation, so that a refusal reads wholly in
    the language it is shown in. `str(exc)` is the English line for the log and
    the English command line; `reason_in(lang)` and `message(lang)` are for the
    user. `label` (marked with `N_`) names the field when the raiser knows
    better than the book's field labels (a setting's label).
    """

    def __init__(
        self,
        record: str,
        field: str,
        value: object,
        message_id: str,
        params: Mapping[str, object] | None = None,
        *,
        label: str | None = None,
    ):
        self.record = record
        self.field = field
        self.value = value
        self.message_id = message_id
        self.params = dict(params or {})
        self.label = label
        super().__init__(f"{record} {field} = {_show(value)}: {self.reason}")

    @property
    def reason(self) -> str:
        """The reason in English, parameters filled in."""
        return self.reason_in("en")

    def reason_in(self, lang: str | None = None) -> str:
        """The reason translated, then its parameters filled in (default: the interface
        language)."""
        lang = lang or current_language()
        template = translator(lang)(self.message_id)
        return template.format(**{key: _param(value, lang) for key, value in self.params.items()})

    def field_label(self, lang: str | None = None) -> str:
        """The field as the user knows it: the raiser's label, else the book's label for the
        field, else the field's own name."""
        from reviewdesk.book.fields import FIELD_LABELS

        label = self.label or FIELD_LABELS.get(self.field)
        return translator(lang or current_language())(label) if label else self.field

    def refusal(self, lang: str | None = None, field: str | None = None) -> str:
        """One line: the field (`field` as the face names it, else `field_label`), the value
        as entered, and why it was refused."""
        lang = lang or current_language()
        tr = translator(lang)
        name = field if field is not None else self.field_label(lang)
        reason = self.reason_in(lang)
        if self.value is None or (isinstance(self.value, str) and not self.value.strip()):
            return tr(N_("{field}: {reason}")).format(field=name, reason=reason)
        return tr(N_("{field} “{value}”: {reason}")).format(
            field=name, value=_printable(self.value), reason=reason
        )

    def message(self, lang: str | None = None) -> str:
        """English: `str(exc)`, which names the record and the field as the book does;
        any other language: `refusal(lang)`, which names the field by its label."""
        lang = lang or current_language()
        return str(self) if lang == "en" else self.refusal(lang)


class NotFound(BookError):
    pass


def _show(value: object) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, str):
        return repr(shorten(value))
    return str(value)


def _printable(value: object) -> str:
    """A refused value quoted in a refusal: control characters escaped, cut short."""
    return escape_controls(shorten(str(value)))


def _param(value: object, lang: str) -> str:
    """A parameter as shown in a reason: a list joined the way the language lists things;
    one of the book's vocabularies by its stored value in English (the word the command
    line takes), by its label in another language."""
    from reviewdesk.book.enums import LabelledEnum

    if isinstance(value, LabelledEnum):
        return str(value) if lang == SOURCE else translator(lang)(value.label)
    if isinstance(value, list | tuple):
        return translator(lang)(N_(", ")).join(_param(item, lang) for item in value)
    if value is None or value == "":
        return translator(lang)(N_("(empty)"))
    return str(value)
