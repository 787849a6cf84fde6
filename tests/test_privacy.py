from reviewdesk.privacy import is_collected, mask_fields, mask_number, switched_off
from reviewdesk.settings import Settings


def test_numbers_are_masked_unless_revealed():
    assert mask_number("6222 0212 3456 7890") == "**** **** **** 7890"
    assert mask_number("110101199001011234") == "**************1234"
    assert mask_number("P-2026-000123") == "*-****-**0123"
    assert mask_number("1234567") == "*******"  # too short to show any of it
    assert mask_number("6222021234567890", reveal=True) == "6222021234567890"
    assert mask_number(None) == "" and mask_number("") == ""


def test_switched_off_fields_follow_the_settings():
    settings = Settings({"collect_id_number": False, "collect_birthdays": "off"})
    off = switched_off(settings)
    assert ("Client", "id_number") in off and ("FamilyMember", "birthday") in off
    assert not is_collected(settings, "Client", "birthday")
    assert is_collected(settings, "Holding", "account_number")
    assert switched_off(Settings()) == set()


def test_a_record_has_its_number_fields_masked():
    values = {"name": "张伟", "id_number": "110101199001011234", "phone": "13800000000"}
    assert mask_fields(values) == {
        "name": "张伟",
        "id_number": "**************1234",
        "phone": "13800000000",
    }
    assert mask_fields(values, reveal=True) == values
