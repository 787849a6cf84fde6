"""`reviewdesk settings`: the book's settings (the bank's and the manager's names, phone,
logo, rules of thumb...) from the command line, validated as the desktop app does."""

from __future__ import annotations

import argparse
import sys

from reviewdesk.app import AppContext
from reviewdesk.book.errors import ValidationError
from reviewdesk.cli.output import dump_json, echo, table
from reviewdesk.i18n import N_, _
from reviewdesk.pack.logo import SETTING_CHECKS
from reviewdesk.settings import OPTIONS, Settings, load_settings, save_setting

EMPTY = '""'


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "settings",
        help=_("list, show or change the book's settings"),
        description=_(
            "The book's settings, shared by everyone using the book: "
            "without an action, list them all."
        ),
    )
    actions = p.add_subparsers(dest="settings_action", metavar="ACTION")
    get = actions.add_parser("get", help=_("print one setting's value"))
    get.add_argument("key", metavar="KEY", help=_("the setting, e.g. bank_name"))
    put = actions.add_parser(
        "set",
        help=_("change one setting (recorded in the audit trail)"),
        description=_(
            "Change one setting. The value is checked as in the "
            "app; an empty value clears a name, a phone or the "
            "logo."
        ),
    )
    put.add_argument("key", metavar="KEY", help=_("the setting, e.g. bank_name"))
    put.add_argument("value", metavar="VALUE", help=_("the new value"))
    p.add_argument("--json", action="store_true", help=_("list them as JSON"))
    p.set_defaults(handler=cmd_settings)


def _option(key: str):
    option = OPTIONS.get(key)
    if option is None:
        raise ValidationError(
            "Setting",
            "key",
            key,
            N_("is not a known setting; known: {keys}"),
            {"keys": tuple(OPTIONS)},
            label=N_("Setting"),
        )
    return option


def _shown(key: str, value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return OPTIONS[key].shown(value)  # a share as a percentage, as the dialog shows it


def cmd_settings(ctx: AppContext, args) -> int:
    if args.settings_action == "set":
        _option(args.key)
        with ctx.book.session() as session:
            stored = save_setting(session, args.key, args.value, SETTING_CHECKS)
        echo(f"{args.key} = {_shown(args.key, stored) or EMPTY}")
        return 0
    with ctx.book.session() as session:
        values = load_settings(session).as_dict()
    if args.settings_action == "get":
        _option(args.key)
        echo(_shown(args.key, values[args.key]))
        return 0
    if args.json:
        dump_json(values)
        return 0
    rows = [[key, _shown(key, value), _(OPTIONS[key].label)] for key, value in values.items()]
    echo(table([_("Setting"), _("Current value"), _("Meaning")], rows))
    return 0


def warn_if_unbranded(settings: Settings) -> None:
    """One line on stderr when packs go out without the bank's name on them."""
    if not settings.bank_name:
        echo(
            "reviewdesk: "
            + _(
                "warning: no bank name is set, so the pack's cover and "
                "header carry none; set it with `reviewdesk settings set "
                "bank_name NAME`"
            ),
            file=sys.stderr,
        )
