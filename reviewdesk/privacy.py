"""Minimum necessary: masked numbers, and the fields a bank may switch off.

Pure functions, so the pack, the screen and the command line mask the same
way. A number is shown whole only where the caller asks for it deliberately
(`reveal=True`), e.g. after the manager clicks "Reveal" on one field.
"""

from __future__ import annotations

from typing import Any

MASK = "*"
# Fields holding account, card, ID or policy numbers: masked wherever they are shown.
MASKED_FIELDS = frozenset({"id_number", "account_number", "policy_number"})

# Setting -> the (record, field) pairs it switches off when set to False.
FIELD_SWITCHES: dict[str, tuple[tuple[str, str], ...]] = {
    "collect_id_number": (("Client", "id_number"),),
    "collect_account_numbers": (("Holding", "account_number"),),
    "collect_policy_numbers": (("InsurancePolicy", "policy_number"),),
    "collect_income": (
        ("Client", "annual_income"),
        ("Client", "income_currency"),
        ("FamilyMember", "annual_income"),
        ("FamilyMember", "income_currency"),
    ),
    "collect_birthdays": (("Client", "birthday"), ("FamilyMember", "birthday")),
    "collect_address": (("Client", "address"),),
    "collect_hobbies": (("Client", "hobbies"), ("Client", "special_notes")),
}


def mask_number(value: str | None, *, keep: int = 4, reveal: bool = False) -> str:
    """An account, card, ID or policy number with all but its last `keep` characters hidden.

    Separators (spaces, dashes) stay where they are so the shape is familiar;
    a number too short to hide anything useful is hidden entirely.
    """
    if value is None:
        return ""
    text = str(value).strip()
    if reveal or not text:
        return text
    significant = [i for i, ch in enumerate(text) if ch.isalnum()]
    shown = set(significant[-keep:]) if len(significant) > 2 * keep else set()
    return "".join(ch if (i in shown or not ch.isalnum()) else MASK for i, ch in enumerate(text))


def mask_fields(values: dict[str, Any], *, reveal: bool = False) -> dict[str, Any]:
    """A record's values with its number fields masked (for a trail, a table, an export)."""
    if reveal:
        return dict(values)
    return {
        key: mask_number(value) if key in MASKED_FIELDS and value else value
        for key, value in values.items()
    }


def switched_off(settings: Any) -> set[tuple[str, str]]:
    """The (record, field) pairs the bank's settings say must not be collected."""
    off: set[tuple[str, str]] = set()
    for key, fields in FIELD_SWITCHES.items():
        if not settings.get(key):
            off.update(fields)
    return off


def is_collected(settings: Any, record: str, field: str) -> bool:
    """Whether a form, an import or a pack may hold `record.field` under these settings."""
    return (record, field) not in switched_off(settings)
