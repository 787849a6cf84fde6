"""A book on a server: the password never on a command line.

A password written into a `--db` URL would be visible to everyone on the computer
(the process list) and kept in the shell's history: such a URL is refused. Without
one, the password comes from where libpq looks itself (PGPASSWORD, ~/.pgpass), from
the system keyring (service "ReviewDesk server", account `user@host:port/database`),
or is asked for.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from reviewdesk.book import keys
from reviewdesk.book.errors import BookError
from reviewdesk.i18n import _

SERVICE = "ReviewDesk server"

# account (user@host:port/database) -> the password, or None if the user gave none.
PasswordProvider = Callable[[str], "str | None"]


class PasswordInUrl(BookError):
    pass


def refuse_password(value: str | None) -> None:
    """Refuse a database URL that carries a password (a command-line value)."""
    if not value or "://" not in value:
        return
    try:
        parsed = make_url(value)
    except Exception:  # noqa: BLE001 - an invalid URL is reported where it is opened
        return
    if parsed.password:
        raise PasswordInUrl(
            _(
                "--db {url}: a password in the URL is refused, because everyone on this "
                "computer could read it in the process list; leave it out: it is taken from "
                "PGPASSWORD, ~/.pgpass or the system keyring, or asked for"
            ).format(url=parsed.render_as_string(hide_password=True))
        )


def account(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.username or ''}@{parsed.host or 'localhost'}:{parsed.port or 5432}/" + (
        parsed.database or ""
    )


def _libpq_has_one() -> bool:
    if os.environ.get("PGPASSWORD"):
        return True
    passfile = os.environ.get("PGPASSFILE") or str(Path.home() / ".pgpass")
    return Path(passfile).is_file()


def with_password(url: str, ask: PasswordProvider | None = None, given: str | None = None) -> str:
    """The URL to connect with: a server URL without a password gets `given` (typed in a
    dialog), or one from the keyring or from `ask`, unless libpq has one itself
    (PGPASSWORD, ~/.pgpass)."""
    parsed = make_url(url)
    if given and not parsed.drivername.startswith("sqlite"):
        return parsed.set(password=given).render_as_string(hide_password=False)
    if parsed.drivername.startswith("sqlite") or parsed.password or _libpq_has_one():
        return url
    who = account(url)
    password = keys.load_account(SERVICE, who)
    if password is None and ask is not None:
        password = ask(who)
    if not password:
        return url  # the server may need none (peer or trust authentication)
    return parsed.set(password=password).render_as_string(hide_password=False)
