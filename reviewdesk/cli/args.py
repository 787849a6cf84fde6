"""Argument types shared by the commands: a wrong value is refused by argparse (exit 2)."""

from __future__ import annotations

import argparse
import datetime as dt

from reviewdesk.i18n import N_, _


def refused(message: str, text: str, **params: object) -> argparse.ArgumentTypeError:
    """A value refused while the command line is read, in the interface language:
    `message` is marked with `N_` and shows the value as `{value!r}`."""
    return argparse.ArgumentTypeError(_(message).format(value=text, **params))


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise refused(N_("{value!r} is not a date (YYYY-MM-DD)"), text) from None


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise refused(N_("{value!r} is not a whole number"), text) from None
    if value < 1:
        raise refused(N_("{value!r} must be at least 1"), text)
    return value
