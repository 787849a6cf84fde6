"""The command line. Each area registers its commands from its own module."""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import os
import sys

from reviewdesk import __version__
from reviewdesk.app import AppContext, setup_logging
from reviewdesk.book.errors import BookError
from reviewdesk.i18n import _, set_language

# Modules with a `register(subparsers)` function; each adds its commands.
COMMAND_MODULES = [
    "reviewdesk.cli.book_cmds",
    "reviewdesk.cli.contact_cmds",
    "reviewdesk.cli.pack_cmds",
    "reviewdesk.cli.safety_cmds",
    "reviewdesk.cli.exchange_cmds",
    "reviewdesk.cli.settings_cmds",
]

log = logging.getLogger("reviewdesk.cli")


class UsageError(BookError):
    """A command-line value that is wrong: exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reviewdesk",
        description=_(
            "Client reviews for relationship managers. Without a command, opens the desktop app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"reviewdesk {__version__}")
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _open_app(ctx: AppContext) -> int:
    try:
        from reviewdesk.gui.main import run_gui
    except ImportError:
        pass
    else:
        return run_gui(ctx)
    if ctx.ensure_demo():
        print(_("The book was empty: a demo book was created."))
    print(_("The desktop app is not part of this build; use the commands (reviewdesk --help)."))
    from reviewdesk.cli.book_cmds import print_clients

    print_clients(ctx, as_json=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    lang = os.environ.get("REVIEWDESK_LANG", "en")
    if lang in ("zh", "en"):
        set_language(lang)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.ui_lang:
        set_language(args.ui_lang)
    from reviewdesk.cli.safety_cmds import offer_keyring, terminal_passphrase

    ctx = AppContext(
        db=args.db,
        plain=args.plain,
        read_only=args.read_only,
        passphrase_provider=terminal_passphrase,
        keyring_offer=offer_keyring,
        notify=lambda message: print(f"reviewdesk: {message}", file=sys.stderr),
    )
    try:
        setup_logging()
        if args.command is None:
            return _open_app(ctx)
        return int(args.handler(ctx, args) or 0)
    except UsageError as exc:
        print(f"reviewdesk: {exc.message()}", file=sys.stderr)
        return 2
    except BookError as exc:
        print(f"reviewdesk: {exc.message()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"reviewdesk: {_('interrupted')}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            print(
                "reviewdesk: {text}".format(
                    text=_(
                        "the disk is full ({file}): nothing was changed; free some space "
                        "and try again"
                    ).format(file=exc.filename or _("a file"))
                ),
                file=sys.stderr,
            )
            return 1
        log.exception("unexpected error")
        print(
            f"reviewdesk: {_('unexpected error')}: {exc} ({_('details in the log')})",
            file=sys.stderr,
        )
        return 70
    except Exception as exc:  # noqa: BLE001 - the user gets one line, the log the traceback
        log.exception("unexpected error")
        print(
            f"reviewdesk: {_('unexpected error')}: {exc} ({_('details in the log')})",
            file=sys.stderr,
        )
        return 70
    finally:
        ctx.close()
