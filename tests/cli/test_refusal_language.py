"""A refused value is one line in the interface language: in Chinese it names the field
by its label and gives the reason in Chinese; in English it is the book's own line."""

from __future__ import annotations

import pytest

from reviewdesk.cli import main
from reviewdesk.i18n import set_language
from tests import factories as f


@pytest.fixture
def db(book, passphrase_env):
    with book.session() as session:
        session.add(f.client("C1", "陈静"))
    yield str(book.path)
    set_language("en")


def run(capsys, lang: str, db: str, *argv: str) -> tuple[int, str]:
    code = main(["--ui-lang", lang, "--db", db, *argv])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "zh", "en"),
    [
        (
            ("settings", "set", "paper_size", "b5"),
            "纸张大小“b5”：必须是以下之一：a4、letter",
            "Setting paper_size = 'b5': must be one of a4, letter",
        ),
        (
            ("settings", "set", "maturity_window_days", "0"),
            "提前提示到期（天）“0”：不能小于 1",
            "Setting maturity_window_days = '0': must be at least 1",
        ),
        (
            ("contact", "C1", "--channel", "M", "--date", "2099-01-01", "--summary", "面谈"),
            "日期“2099-01-01”：不能是将来的日期",
            "Contact contact_date = 2099-01-01: is in the future",
        ),
    ],
)
def test_a_refusal_is_one_line_in_the_interface_language(capsys, db, argv, zh, en):
    assert run(capsys, "zh", db, *argv) == (1, f"reviewdesk: {zh}\n")
    assert run(capsys, "en", db, *argv) == (1, f"reviewdesk: {en}\n")
