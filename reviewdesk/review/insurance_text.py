"""The insurance rules and what a missing rate kept out, as sentences in one language.

The pack's insurance page, the on-screen review and the insurance tab all state the
rules with these functions, so what the client reads is what the manager sees.
Amounts are given in the client's report currency; a fixed amount set in another
currency is followed by the amount as set and the snapshot's stored rate.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from reviewdesk.i18n import ngettext, translator
from reviewdesk.money import format_money, format_percent
from reviewdesk.review.model import (
    CHILDREN,
    Converted,
    Cover,
    Insurance,
    InsuredPerson,
    LeftOutKind,
    name_list,
)

RATE_PLACES = Decimal("0.0001")


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def rate_text(rate: Decimal) -> str:
    """A stored rate with at least four decimals, all of its own if it has more."""
    return f"{rate:.4f}" if rate == rate.quantize(RATE_PLACES) else _number(rate)


def converted_text(amount: Converted, lang: str) -> str:
    """An amount in the report currency; if set in another currency, the amount as set
    and the rate follow; if that currency has no rate, the amount as set and why it is
    not applied."""
    _ = translator(lang)
    original = format_money(amount.amount, amount.currency, lang)
    if amount.value is None:
        return _(
            "{original} (no exchange rate to the report currency at this review: not applied)"
        ).format(original=original)
    if amount.rate is None:
        return original
    source, target, rate = amount.rate
    # The value is in the report currency: the rate's other side unless the pair is inverse.
    report = target if source == amount.currency else source
    return _("{amount} ({original} at {rate})").format(
        amount=format_money(amount.value, report, lang),
        original=original,
        rate=_("1 {source} = {rate} {target}").format(
            source=source, rate=rate_text(rate), target=target
        ),
    )


def income_text(person: InsuredPerson, lang: str) -> str:
    """A person's annual income for the page: in the report currency, with the amount
    as recorded where it was in another currency; "" when none is recorded."""
    return "" if person.income is None else converted_text(person.income, lang)


def rules_sentences(insurance: Insurance, lang: str) -> list[str]:
    """How the needs are worked out, one sentence per rule, in `lang`."""
    _ = translator(lang)
    rules = insurance.rules
    stop = "。" if lang == "zh" else "."
    life = _("Life: {n} times the person's annual income").format(
        n=_number(rules.life_income_multiple)
    )
    extras = []
    if rules.life_includes_debt:
        extras.append(_("the client's debts"))
    if rules.education_per_child.amount:
        extras.append(
            _("{amount} of education per child under 22").format(
                amount=converted_text(rules.education_per_child, lang)
            )
        )
    if extras:
        # Found: "Life: 10 times the person's annual income, plus for the client: the
        # client's debts, CNY 500,000.00 of education per child under 22." (two needs read
        # as a list that runs on); the last is joined with "and", "、" in Chinese as before.
        items = (
            extras[0]
            if len(extras) == 1
            else _("{first} and {last}").format(first=_(", ").join(extras[:-1]), last=extras[-1])
        )
        life += _(", plus, for the client, {items}").format(items=items)
    # A child whose age is not recorded is left out of the education need: said, so the
    # need reads as the floor it is.
    ageless = [p.name for p in insurance.people if p.relation in CHILDREN and p.age is None]
    lines = [
        _(
            "Double-ten rule: total cover about ten times the household's annual income, "
            "premiums at most {share} of it."
        ).format(share=format_percent(rules.premium_income_share, lang, signed=False)),
        life + stop,
        *(
            [
                _("{names}: age not recorded, so no education need is counted for them.").format(
                    names=_(", ").join(ageless)
                )
            ]
            if ageless and rules.education_per_child.amount
            else []
        ),
        _("Critical illness: {n} times annual income.").format(
            n=_number(rules.critical_illness_income_multiple)
        ),
        _("Accident: {n} times annual income.").format(n=_number(rules.accident_income_multiple)),
    ]
    if rules.medical_minimum.amount:
        lines.append(
            _("Medical: at least {amount} for each family member.").format(
                amount=converted_text(rules.medical_minimum, lang)
            )
        )
    if any(p.income is not None and p.income.rate is not None for p in insurance.people):
        lines.append(
            _(
                "Incomes recorded in another currency are converted at the "
                "exchange rates of this review."
            )
        )
    lines.append(
        _("These guides are the bank's; a person without income has no income-based need.")
    )
    return lines


def premium_share_text(insurance: Insurance, lang: str) -> str:
    """The premiums' share of the household income, to as many decimals as it takes to
    tell it from the guide's share when it is over (found: "10.0% (guide: at most 10.0%)"
    in red beside "exceed", of a share of 10.05%)."""
    share = insurance.premium_share
    if share is None:
        return "—"
    guide = insurance.rules.premium_income_share
    places = 1
    while places < 4 and share != guide:
        text = format_percent(share, lang, signed=False, places=places)
        if text != format_percent(guide, lang, signed=False, places=places):
            return text
        places += 1
    return format_percent(share, lang, signed=False, places=places)


def gap_text(cover: Cover, amount: Callable[[Decimal], str], lang: str) -> str:
    """A cover's gap as its cell reads on every face: the amount short, in the face's
    `amount` format; "Covered" when the cover meets the need; "—" when the need or the
    cover is not known (found: present mode's "0.00" where the pack said "已足额")."""
    _ = translator(lang)
    gap = cover.gap
    if gap is None:
        return "—"
    if gap > 0:
        return amount(gap)
    return _("Covered")


def no_income_note(person: InsuredPerson, lang: str) -> str | None:
    """Beside the client's name when no income is recorded: the income-based needs are
    not worked out, which is not the same as none."""
    if not person.is_client or person.income is not None:
        return None
    _ = translator(lang)
    return _("no income recorded: income-based needs not worked out")


def no_cover_sentence(insurance: Insurance, person: InsuredPerson, lang: str) -> str:
    """What is said of a person with no cover and no need worked out: a need that could
    not be worked out for want of a rate is not "no need" (found: "No cover and no need by
    the rules" above "the medical minimum … not applied")."""
    _ = translator(lang)
    kept_out = any(
        item.kind is LeftOutKind.MEDICAL_MINIMUM
        or (item.kind is LeftOutKind.INCOME and item.subject == person.name)
        or (item.kind in (LeftOutKind.EDUCATION, LeftOutKind.DEBTS) and person.is_client)
        for item in insurance.left_out
    )
    if kept_out:
        return _("No cover; the need could not be worked out for want of an exchange rate")
    if person.income is None:
        return _("No cover; no income recorded, so no income-based need worked out")
    return _("No cover and no need by the rules")


def left_out_sentences(insurance: Insurance, currency: str, lang: str) -> list[str]:
    """One sentence per thing a missing exchange rate kept out of the cover or the needs;
    then the insurance products held with no policy on record, whose cover is not known."""
    _ = translator(lang)
    rules = insurance.rules
    lines = []
    for item in insurance.left_out:
        pair = {"source": item.currency, "target": currency}
        if item.kind is LeftOutKind.POLICIES:
            text = _(
                "No {source} to {target} rate at this review: policies in {source} "
                "are left out of the cover and premiums."
            ).format(**pair)
        elif item.kind is LeftOutKind.INCOME:
            text = _(
                "No {source} to {target} rate at this review: the income of {name} "
                "is left out, and so are the needs based on it and the premium "
                "guide."
            ).format(name=item.subject, **pair)
        elif item.kind is LeftOutKind.MEDICAL_MINIMUM:
            text = _(
                "No {source} to {target} rate at this review: the medical minimum "
                "of {amount} is not applied and no medical need is shown."
            ).format(amount=format_money(rules.medical_minimum.amount, item.currency, lang), **pair)
        elif item.kind is LeftOutKind.DEBTS:
            text = _(
                "No {source} to {target} rate at this review: the client's debts in "
                "{source} are not known in {target}, so the client's life need is not shown."
            ).format(**pair)
        else:
            text = _(
                "No {source} to {target} rate at this review: the education need of "
                "{amount} per child is not applied and the client's life need is not "
                "shown."
            ).format(
                amount=format_money(rules.education_per_child.amount, item.currency, lang), **pair
            )
        lines.append(text)
    if insurance.unrecorded_policies:
        names = insurance.unrecorded_policies
        lines.append(
            ngettext(
                "{names} is held as an insurance product, but no policy in force on the "
                "review date is on record: its cover is not counted in the cover shown.",
                "{count} insurance products are held ({names}), but no policy in force on "
                "the review date is on record: their cover is not counted in the cover shown.",
                len(names),
                lang,
            ).format(count=len(names), names=name_list(names, lang))
        )
    return lines


def premiums_sentence(insurance: Insurance, currency: str, lang: str) -> str:
    """The premiums' line of the insurance page, on every face: the premiums a year, their
    share of the household income and the guide's; or, when the guide cannot be checked,
    why not (`premiums_unjudged`). Found: present mode read "Household income HKD
    8,900,000.00; premiums 166,938.50 a year (guide: at most 890,000.00)" beside the pack's
    "… 1.9% of household income of HKD 8,900,000.00 (guide: at most 10.0%)": the guide a
    sum on one face and a share on the other."""
    income = insurance.household_income
    if not insurance.premiums_judged or income is None:  # judged: the income is known
        return premiums_unjudged(insurance, currency, lang)
    _ = translator(lang)
    return _(
        "Premiums: {premiums} a year, {share} of household income of {income} "
        "(guide: at most {limit})."
    ).format(
        premiums=format_money(insurance.total_premiums, currency, lang),
        share=premium_share_text(insurance, lang),
        income=format_money(income, currency, lang),
        limit=format_percent(insurance.rules.premium_income_share, lang, signed=False),
    )


def premiums_unjudged(insurance: Insurance, currency: str, lang: str) -> str:
    """The premiums when the guide cannot be checked (`Insurance.premiums_judged` False):
    no policy in force is on record, when no premium figure is given (premiums of 0.00
    were not a figure the bank knows); the household's income is not known (no one's
    income recorded, the client's or a spouse's not recorded, or one that could not be
    converted); or a premium paid was left out for want of a rate or is not on record, when
    the premiums are said to be those known, and how many are not on record (found: a
    single-premium policy imported with its premium blank read "HKD 0.00 a year" and the
    premiums were judged against the guide as if it cost nothing)."""
    _ = translator(lang)
    if not insurance.policies_held:
        return _("Premiums: no insurance policy in force on the review date is on record.")
    unrecorded = insurance.unrecorded_premiums
    if insurance.premiums_complete:
        lead = _("Premiums: {premiums} a year.")
    elif not unrecorded:
        lead = _("Premiums of the policies that could be converted: {premiums} a year.")
    elif insurance.premiums_converted:
        lead = ngettext(
            "Premiums on record: {premiums} a year; the premium of {count} policy is not "
            "on record.",
            "Premiums on record: {premiums} a year; the premiums of {count} policies are "
            "not on record.",
            unrecorded,
            lang,
        )
    else:
        lead = ngettext(
            "Premiums on record of the policies that could be converted: {premiums} a "
            "year; the premium of {count} policy is not on record.",
            "Premiums on record of the policies that could be converted: {premiums} a "
            "year; the premiums of {count} policies are not on record.",
            unrecorded,
            lang,
        )
    if insurance.household_income is not None and unrecorded:
        reason = ngettext(
            "Without it, the premiums' share of the household income of {income} cannot "
            "be checked against the guide of at most {share}.",
            "Without them, the premiums' share of the household income of {income} cannot "
            "be checked against the guide of at most {share}.",
            unrecorded,
            lang,
        )
    elif insurance.household_income is not None:
        reason = _(
            "Policies were left out for want of an exchange rate (see above), so the "
            "premiums' share of the household income of {income} cannot be checked "
            "against the guide of at most {share}."
        )
    elif not insurance.income_recorded:
        reason = _(
            "No income is recorded for the client or the family, so the guide of at most "
            "{share} of the household income cannot be checked."
        )
    elif not insurance.client_income_recorded:
        reason = _(
            "The client's own income is not recorded, so the household income is not "
            "known and the guide of at most {share} of it cannot be checked."
        )
    elif insurance.unrecorded_spouses:
        reason = _(
            "The income of {names} (spouse) is not recorded, so the household income is "
            "not known and the guide of at most {share} of it cannot be checked."
        )
    else:
        reason = _(
            "The household income is not known in {currency} (a rate is missing), so the "
            "guide of at most {share} of it cannot be checked."
        )
    space = "" if lang == "zh" else " "
    return (lead + space + reason).format(
        premiums=format_money(insurance.total_premiums, currency, lang),
        count=unrecorded,
        income=format_money(insurance.household_income or Decimal(0), currency, lang),
        names=_(", ").join(insurance.unrecorded_spouses),
        currency=currency,
        share=format_percent(insurance.rules.premium_income_share, lang, signed=False),
    )
