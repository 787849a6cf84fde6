"""A refused value is one line in the interface language: in Chinese it names the field
by its label and gives the reason in Chinese; in English it is the book's own line."""

from __future__ import annotations

import datetime as dt

import pytest

from reviewdesk.cli import main
from reviewdesk.i18n import set_language
from tests import factories as f


@pytest.fixture
def db(book, passphrase_env):
    with book.session() as session:
        session.add(f.client("C1", "陈静"))
        with_history = f.client("C2", "王芳")
        with_history.snapshots = [
            f.snapshot(dt.date(2025, 3, 31), f.holding()),
            f.snapshot(dt.date(2025, 6, 30), f.holding()),
        ]
        session.add(with_history)
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


@pytest.mark.parametrize(
    ("argv", "zh", "en"),
    [
        (
            ("show", "999"),
            "客户 '999'：没有编号、代码或姓名与之相符的客户",
            "client '999': no client has that id, code or name",
        ),
        (
            ("pack", "C2", "--date", "2020-01-01", "-o", "never.pdf"),
            "日期 2020-01-01：客户 '王芳' 在该日没有资产快照；已有快照：2025-03-31、2025-06-30",
            "date 2020-01-01: client '王芳' has no snapshot on that date; snapshots: "
            "2025-03-31, 2025-06-30",
        ),
        (
            ("pack", "C1", "-o", "never.pdf"),
            "客户 '陈静' 还没有资产快照",
            "client '陈静' has no snapshot yet",
        ),
        (
            ("flow", "C1", "--date", "2025-11-01", "--amount", "-5", "--kind", "deposit"),
            "金额“-5”：必须为正数：存入是转入组合的资金",
            "Flow amount = -5: must be positive: deposit is money into the portfolio",
        ),
        (
            ("flow", "C1", "--date", "2025-11-01", "--amount", "5", "--kind", "fee"),
            "金额“5”：必须为负数：费用是流出组合的资金",
            "Flow amount = 5: must be negative: fee is money out of the portfolio",
        ),
    ],
)
def test_a_book_refusal_reads_wholly_in_the_interface_language(capsys, db, argv, zh, en):
    """No English word and no stored value (deposit) in a Chinese refusal."""
    assert run(capsys, "zh", db, *argv) == (1, f"reviewdesk: {zh}\n")
    assert run(capsys, "en", db, *argv) == (1, f"reviewdesk: {en}\n")


def parse_error(capsys, lang: str, db: str, *argv: str) -> tuple[str, str]:
    """The usage line's first word and the error line of a command line argparse refuses."""
    with pytest.raises(SystemExit) as stopped:
        main(["--ui-lang", lang, "--db", db, *argv])
    assert stopped.value.code == 2
    lines = capsys.readouterr().err.splitlines()
    return lines[0].split("reviewdesk")[0], lines[-1]


@pytest.mark.parametrize(
    ("argv", "zh", "en"),
    [
        (
            ("tier", "C1", "gold"),
            "reviewdesk tier：错误：参数 key|standard：客户等级 'gold' 不是以下之一：key|standard",
            "reviewdesk tier: error: argument key|standard: tier 'gold' is not one of key|standard",
        ),
        (
            ("agenda", "--days", "-5"),
            "reviewdesk agenda：错误：参数 --days：'-5' 必须在 0 到 366 之间",
            "reviewdesk agenda: error: argument --days: '-5' must be between 0 and 366",
        ),
        (
            ("contact", "C1", "--channel", "M", "--summary", "面谈", "--date", "2026/13/01"),
            "reviewdesk contact：错误：参数 --date：'2026/13/01' 不是日期（YYYY-MM-DD）",
            "reviewdesk contact: error: argument --date: '2026/13/01' is not a date (YYYY-MM-DD)",
        ),
        (
            ("flow", "C1", "--date", "2025-11-01", "--amount", "5%", "--kind", "deposit"),
            "reviewdesk flow：错误：参数 --amount：'5%' 不是数字",
            "reviewdesk flow: error: argument --amount: '5%' is not a number",
        ),
        (
            ("benchmark", "set-level", "Index", "--date", "2025-11-01", "--level", "x"),
            "reviewdesk benchmark set-level：错误：参数 --level：'x' 不是数字",
            "reviewdesk benchmark set-level: error: argument --level: 'x' is not a number",
        ),
        (
            ("show",),
            "reviewdesk show：错误：缺少以下参数：CLIENT",
            "reviewdesk show: error: the following arguments are required: CLIENT",
        ),
    ],
)
def test_a_command_line_refused_while_read_is_in_the_interface_language(capsys, db, argv, zh, en):
    """argparse's own words (usage, error, argument, required) and the app's checks of a
    value are translated with the rest of the interface."""
    assert parse_error(capsys, "zh", db, *argv) == ("用法：", zh)
    assert parse_error(capsys, "en", db, *argv) == ("usage: ", en)


def test_the_help_is_in_the_interface_language(capsys, db):
    with pytest.raises(SystemExit):
        main(["--ui-lang", "zh", "--db", db, "tier", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：reviewdesk tier")
    assert "显示此帮助并退出" in out and "新的级别" in out


def test_argparse_placeholders_survive_translation():
    """argparse fills its messages with %-fields: a translation keeps every one."""
    import re

    from reviewdesk.cli.parser_text import MESSAGES, PLURALS
    from reviewdesk.i18n import catalogue

    zh = catalogue("zh")
    fields = lambda s: sorted(re.findall(r"%(?:\(\w+\))?[sr]", s))  # noqa: E731
    for message in (*MESSAGES, *(singular for singular, _plural in PLURALS)):
        assert message in zh, message
        assert fields(zh[message]) == fields(message), message
