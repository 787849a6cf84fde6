from decimal import Decimal

import pytest

from reviewdesk.book.errors import ValidationError
from reviewdesk.settings import load_settings, save_setting


def test_defaults_then_saved_values(book):
    with book.session() as s:
        settings = load_settings(s)
        assert settings.life_cover_income_multiple == Decimal(10)
        assert settings.paper_size == "a4"
        save_setting(s, "life_cover_income_multiple", "8")
        save_setting(s, "bank_name", "招商银行上海分行")
    with book.session() as s:
        settings = load_settings(s)
        assert settings.life_cover_income_multiple == Decimal(8)
        assert settings.bank_name == "招商银行上海分行"


def test_bad_values_name_the_setting_and_value(book):
    with book.session() as s:
        with pytest.raises(ValidationError, match="paper_size = 'a5'"):
            save_setting(s, "paper_size", "a5")
        with pytest.raises(
            ValidationError,
            match="premium_income_share = '2': must be a percentage from 0% to 100%, such as 10%",
        ):
            save_setting(s, "premium_income_share", "2")
        with pytest.raises(ValidationError, match="is not a known setting"):
            save_setting(s, "nonsense", 1)


def test_a_number_that_is_not_finite_is_refused_naming_the_setting():
    from decimal import Decimal

    import pytest

    from reviewdesk.book.errors import ValidationError
    from reviewdesk.settings import OPTIONS

    option = OPTIONS["premium_income_share"]
    for value in (Decimal("NaN"), Decimal("Infinity"), "NaN", "inf"):
        with pytest.raises(ValidationError, match="premium_income_share"):
            option.parse(value)


def test_a_share_is_written_and_shown_as_a_percentage(book):
    """Found: the settings dialog showed the premium guide as 0.10, refused "10%" as "not a
    number" and "10" as "must be at most 1"."""
    from reviewdesk.settings import OPTIONS

    option = OPTIONS["premium_income_share"]
    assert option.parse("10%") == Decimal("0.10") and option.parse("0.10") == Decimal("0.10")
    assert option.parse(" 12.5 ％") == Decimal("0.125")
    assert option.shown(Decimal("0.10")) == "10%" and option.shown(Decimal("0.125")) == "12.5%"
    with pytest.raises(ValidationError, match="from 0% to 100%"):
        option.parse("150%")
    with pytest.raises(ValidationError, match="is not a number"):
        option.parse("ten%")
    assert OPTIONS["life_cover_income_multiple"].shown(Decimal(10)) == "10"
    with book.session() as s:
        save_setting(s, "key_client_share", "75%")
    with book.session() as s:
        assert load_settings(s).key_client_share == Decimal("0.75")
