"""Field labels and readable refusals, shared by every editing screen."""

from __future__ import annotations

from reviewdesk.book.errors import ValidationError
from reviewdesk.i18n import N_, _

FIELD_LABELS = {
    "code": N_("Client code"),
    "name": N_("Name"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "id_number": N_("ID number"),
    "account_number": N_("Account number"),
    "address": N_("Address"),
    "birthday": N_("Birthday"),
    "occupation": N_("Occupation"),
    "employer": N_("Employer"),
    "hobbies": N_("Hobbies"),
    "annual_income": N_("Annual income"),
    "income_currency": N_("Income currency"),
    "marital_status": N_("Marital status"),
    "tier": N_("Tier"),
    "review_cadence": N_("Review cadence"),
    "contact_cadence_days": N_("Contact every (days)"),
    "report_currency": N_("Report currency"),
    "language": N_("Pack language"),
    "contact_preferences": N_("Contact preferences"),
    "special_notes": N_("Things to watch out for"),
    "tags": N_("Tags"),
    "relation": N_("Relation"),
    "school_or_employer": N_("School or employer"),
    "product_name": N_("Product"),
    "product_code": N_("Product code"),
    "asset_class": N_("Asset class"),
    "institution": N_("Held at (empty: this bank)"),
    "currency": N_("Currency"),
    "market_value": N_("Market value"),
    "principal": N_("Principal"),
    "held_since": N_("Held since"),
    "maturity_date": N_("Maturity"),
    "risk_level": N_("Risk"),
    "from_currency": N_("From"),
    "to_currency": N_("To"),
    "rate": N_("Rate"),
    "kind": N_("Cover"),
    "insurer": N_("Insurer"),
    "policy_number": N_("Policy number"),
    "sum_assured": N_("Sum assured"),
    "annual_premium": N_("Annual premium"),
    "payment_years": N_("Payment years"),
    "start_date": N_("Start"),
    "end_date": N_("End"),
    "insured_member_id": N_("Insured"),
    "review_date": N_("Review date"),
    "assessed_on": N_("Assessed on"),
    "valid_until": N_("Valid until"),
    "file": N_("File"),
}

# The book's reasons, marked here so the desk can show them in Chinese.
REASONS = (
    N_("is required"), N_("must be text"), N_("amounts must be exact decimals, not floats"),
    N_("is not a number"), N_("is too large"), N_("must not be negative"),
    N_("must be greater than zero"), N_("is in the future"), N_("is not a date"),
    N_("must be a whole number"), N_("is not an email address"),
    N_("this client already has a snapshot on that date"), N_("is before the start date"),
    N_("is before the assessment date"), N_("is not a family member of this client"),
    N_("is not a readable file"), N_("is not a date (YYYY-MM-DD)"),
)


def field_label(field: str) -> str:
    label = FIELD_LABELS.get(field)
    return _(label) if label else field


def refusal(exc: ValidationError) -> str:
    """One line for the user: the field, the value as entered, and why it was refused."""
    value = "" if exc.value is None else str(exc.value)
    shown = f" “{value}”" if value else ""
    return f"{field_label(exc.field)}{shown}: {_(exc.reason)}"
