"""The desktop app's start reads only the program's options: no command's module loads."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reviewdesk.cli import build_parser, parse_args


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "book.sqlite"],
        ["--db=book.sqlite", "--plain", "--read-only"],
        ["--ui-lang", "zh"],
        ["--read", "--ui-lang=en"],  # an abbreviation, as the whole parser takes it
        ["--db", "book.sqlite", "clients", "--json"],
        ["demo", "--clients", "3"],
    ],
)
def test_the_arguments_read_are_the_whole_parsers(argv):
    whole = vars(build_parser().parse_args(argv))
    read = vars(parse_args(argv))
    # A command's handler is made as its parser is: the same kind, not the same object.
    handlers = whole.pop("handler", None), read.pop("handler", None)
    assert read == whole
    assert getattr(handlers[0], "__qualname__", None) == getattr(handlers[1], "__qualname__", None)


@pytest.mark.parametrize(
    "argv", [["--ui-lang", "fr"], ["--bogus"], ["--db"], ["nonsense-command"], ["-h"]]
)
def test_help_and_mistakes_are_the_whole_parsers(argv, capsys):
    with pytest.raises(SystemExit) as whole:
        build_parser().parse_args(argv)
    expected = capsys.readouterr()
    with pytest.raises(SystemExit) as read:
        parse_args(argv)
    assert read.value.code == whole.value.code
    assert capsys.readouterr() == expected


def test_starting_the_app_loads_no_commands_module():
    code = (
        "import sys\n"
        "from reviewdesk.cli import COMMAND_MODULES, parse_args\n"
        "args = parse_args(['--db', 'book.sqlite'])\n"
        "assert args.command is None and args.db == 'book.sqlite', args\n"
        "loaded = [m for m in COMMAND_MODULES if m in sys.modules]\n"
        "loaded += [m for m in sys.modules if m.split('.')[:2] == ['reviewdesk', 'pack']]\n"
        "loaded += [m for m in sys.modules if m.startswith('sqlalchemy.dialects.postgresql')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
