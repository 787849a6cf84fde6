"""The command line. Each area registers its commands from its own module."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from pathlib import Path

from reviewdesk import __version__, collector
from reviewdesk.app import AppContext
from reviewdesk.book.errors import BookError
from reviewdesk.cli.file_errors import file_error
from reviewdesk.cli.output import echo
from reviewdesk.cli.parser_text import install as install_parser_text
from reviewdesk.i18n import _, set_language
from reviewdesk.logs import setup_logging

# Modules with a `register(subparsers)` function; each adds its commands.
COMMAND_MODULES = [
    "reviewdesk.cli.book_cmds",
    "reviewdesk.cli.contact_cmds",
    "reviewdesk.cli.flow_cmds",
    "reviewdesk.cli.benchmark_cmds",
    "reviewdesk.cli.pack_cmds",
    "reviewdesk.cli.safety_cmds",
    "reviewdesk.cli.exchange_cmds",
    "reviewdesk.cli.settings_cmds",
    "reviewdesk.cli.team_cmds",
]

log = logging.getLogger("reviewdesk.cli")
install_parser_text()


class UsageError(BookError):
    """A command-line value that is wrong: exit status 2."""


def _program_parser(add_help: bool = True) -> argparse.ArgumentParser:
    """The program's own options, before any command."""
    parser = argparse.ArgumentParser(
        prog="reviewdesk",
        description=_(
            "Client reviews for relationship managers. Without a command, opens the desktop app."
        ),
        add_help=add_help,
        exit_on_error=add_help,
    )
    if add_help:
        parser.add_argument(
            "--version",
            action="version",
            version=f"reviewdesk {__version__}",
            help=_("show the program's version number and exit"),
        )
    parser.add_argument(
        "--db",
        metavar="URL",
        help=_(
            "the book: a SQLAlchemy URL or a SQLite file "
            "(default: $REVIEWDESK_DB, then the book in your data folder)"
        ),
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help=_("make a new book unencrypted (a new book is encrypted by default)"),
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help=_("open the book read-only: nothing can be changed"),
    )
    parser.add_argument(
        "--ui-lang",
        choices=["zh", "en"],
        help=_("language of the interface (default: $REVIEWDESK_LANG or en)"),
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _program_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line's arguments. Without a command (the desktop app's start) only the
    program's options are read, and no command's module is imported: together they cost
    a launch about 90 ms (the pack's modules among them). Anything else, help, the version,
    a mistake, goes to the whole parser, so its answers and errors are the same."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        options, rest = _program_parser(add_help=False).parse_known_args(args)
    except argparse.ArgumentError:
        return build_parser().parse_args(args)  # the whole parser says what is wrong
    if not rest:
        options.command = None
        return options
    if options.ui_lang:
        set_language(options.ui_lang)  # the help, the usage and the refusals in it
    return build_parser().parse_args(args)


def _open_app(ctx: AppContext) -> int:
    # An encrypted book's key is derived on another core while Qt and the interface load.
    ctx.prepare()
    try:
        from reviewdesk.gui.main import run_gui
    except ImportError:
        pass
    else:
        return run_gui(ctx)
    collector.release()
    if ctx.ensure_demo():
        echo(_("The book was empty: a demo book was created."))
    echo(_("The desktop app is not part of this build; use the commands (reviewdesk --help)."))
    from reviewdesk.cli.book_cmds import print_clients

    print_clients(ctx, as_json=False)
    return 0


def _unexpected(command: str | None, log_file: object) -> int:
    """One sentence for the terminal, the traceback to the log. Neither the message nor the
    traceback's text reaches the terminal: an unexpected error's message may carry the
    record it was about (see reviewdesk.logs)."""
    log.exception("unexpected error in %r", command)
    if log_file is None:
        message = _("The command stopped on an unexpected error.")
    else:
        message = _("The command stopped on an unexpected error; the details are in {log}.").format(
            log=log_file
        )
    echo(f"reviewdesk: {message}", file=sys.stderr)
    return 70


def main(argv: list[str] | None = None) -> int:
    lang = os.environ.get("REVIEWDESK_LANG", "en")
    if lang in ("zh", "en"):
        set_language(lang)
    args = parse_args(argv)
    if args.command is not None:
        collector.release()  # held by the command's start while the modules loaded
    if args.ui_lang:
        set_language(args.ui_lang)
    from reviewdesk.book import server
    from reviewdesk.cli.safety_cmds import (
        offer_keyring,
        terminal_passphrase,
        terminal_server_password,
    )

    try:
        server.refuse_password(args.db)
    except server.PasswordInUrl as exc:
        echo(f"reviewdesk: {exc.message()}", file=sys.stderr)
        return 2
    ctx = AppContext(
        db=args.db,
        plain=args.plain,
        read_only=args.read_only,
        passphrase_provider=terminal_passphrase,
        server_password_provider=terminal_server_password,
        keyring_offer=offer_keyring,
        notify=lambda message: echo(f"reviewdesk: {message}", file=sys.stderr),
    )
    log_file = None
    try:
        log_file = setup_logging()
        if args.command is None:
            return _open_app(ctx)
        return int(args.handler(ctx, args) or 0)
    except UsageError as exc:
        echo(f"reviewdesk: {exc.message()}", file=sys.stderr)
        return 2
    except BookError as exc:
        echo(f"reviewdesk: {exc.message()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        echo(f"reviewdesk: {_('interrupted')}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        written = getattr(args, getattr(args, "writes", ""), None)
        message = file_error(exc, Path(written) if written is not None else None)
        if message is None:
            return _unexpected(args.command, log_file)
        log.warning("%r stopped on a file the system refused", args.command, exc_info=True)
        echo(f"reviewdesk: {message}", file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001 - the user gets one sentence, the log the traceback
        return _unexpected(args.command, log_file)
    finally:
        ctx.close()
