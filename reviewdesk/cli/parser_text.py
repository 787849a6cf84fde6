"""argparse's own words ("usage:", "error:", "invalid choice", the -h help) in the
interface language.

argparse translates its messages with the `gettext` and `ngettext` functions it imported
from the standard library, which read the system's catalogues, not ours; `install()`
puts the app's translation functions in their place, so that a command line read in
Chinese refuses a value in Chinese. The messages are listed here, marked, so that the
extraction keeps them in the catalogue; the `%(...)s` fields are argparse's.
"""

from __future__ import annotations

import argparse

from reviewdesk.i18n import N_, N_plural, ngettext, translate

MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)
PLURALS = (N_plural("expected %s argument", "expected %s arguments"),)


def _gettext(message: str) -> str:
    return translate(message) if message else message


def _ngettext(singular: str, plural: str, n: int) -> str:
    return ngettext(singular, plural, n)


def install() -> None:
    """argparse speaks the interface language from now on, whichever it is when it speaks."""
    setattr(argparse, "_", _gettext)  # noqa: B010 - argparse's own global, not an API
    setattr(argparse, "ngettext", _ngettext)  # noqa: B010
