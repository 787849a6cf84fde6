"""Two people at once on a team book: the server's refusals as one sentence.

On PostgreSQL two units of work may race: two imports adding the same client code, a
key someone else took meanwhile, two saves that wait on each other. The server keeps the
book whole (a unique index, a serialization failure, a deadlock victim) and the driver
says so in its own words (`UniqueViolation`, `SerializationFailure`, ...). At the book's
boundary (the end of a unit of work, after the rollback) those become one sentence: who
holds what, and that nothing was saved and the change may be tried again.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError

from reviewdesk.book.errors import BookError
from reviewdesk.book.models import Client
from reviewdesk.i18n import _

UNIQUE_VIOLATION = "23505"
SERIALIZATION_FAILURE = "40001"
DEADLOCK = "40P01"
INSUFFICIENT_PRIVILEGE = "42501"  # a privilege or a row-level policy

# "Key (code)=(C00001) already exists." / "Key (client_id, review_date)=(3, 2026-01-31) ..."
_DETAIL = re.compile(r"Key \((?P<columns>.+?)\)=\((?P<values>.*)\) already exists", re.S)


class KeyTaken(BookError):
    """A unique key (a client code...) was taken by someone else meanwhile."""


class Refused(BookError):
    """The server refused the change: the person's role or a row-level policy."""


class ConcurrentChange(BookError):
    """Two units of work changed the same records at the same moment; this one gave way."""


def explain(engine: Engine, exc: BaseException) -> BookError | None:
    """The sentence for a race the server refused (None: not such a refusal). Called after
    the unit of work was rolled back; may read on a connection of its own."""
    if not isinstance(exc, DBAPIError) or exc.orig is None:
        return None
    state = getattr(exc.orig, "sqlstate", None)
    if state in (SERIALIZATION_FAILURE, DEADLOCK):
        return ConcurrentChange(
            _(
                "Someone else changed the same records at the same moment; nothing of this "
                "change was saved. Try again."
            )
        )
    diag = getattr(exc.orig, "diag", None)
    if state == INSUFFICIENT_PRIVILEGE:
        reason = str(getattr(diag, "message_primary", None) or "").removeprefix("reviewdesk: ")
        return Refused(
            _(
                "The server refused this change ({reason}); nothing of this change was saved."
            ).format(reason=reason or state)
        )
    if state != UNIQUE_VIOLATION:
        return None
    table = str(getattr(diag, "table_name", None) or "")
    # The server names the key's value only to who may read every row of the table: on a
    # table under row-level security it does not, so the values come from the statement.
    match = _DETAIL.search(str(getattr(diag, "message_detail", None) or ""))
    if table == "client" and (match is None or match.group("columns") == "code"):
        codes = [match.group("values")] if match else _codes_in(exc.params)
        return _code_taken(engine, codes)
    if match is None:
        return KeyTaken(
            _(
                "A record of {what} was saved by someone else meanwhile with the same key; "
                "nothing of this change was saved. Try again."
            ).format(what=table or _("the book"))
        )
    return KeyTaken(
        _(
            "{what} ({columns}: {values}) was saved by someone else meanwhile; nothing of "
            "this change was saved. Try again."
        ).format(what=table, columns=match.group("columns"), values=match.group("values"))
    )


def _codes_in(params: object) -> list[str]:
    """The client codes a failed statement carried (one row's or a batch's)."""
    rows = params if isinstance(params, list | tuple) else [params]
    codes: list[str] = []
    for row in rows:
        if isinstance(row, dict):
            for key, value in row.items():
                if (key == "code" or key.startswith("code__")) and isinstance(value, str):
                    codes.append(value)
    return sorted(set(codes))


def _code_taken(engine: Engine, codes: list[str]) -> KeyTaken:
    """Which of `codes` is held, and by whom, as far as the caller may see."""
    held = {code: _owner_of(engine, code) for code in codes}
    seen = {code: owner for code, owner in held.items() if owner is not None}
    tail = _(
        "nothing of this change was saved. Use another code, or try again to update that client."
    )
    if seen:
        code, owner = sorted(seen.items())[0]
        holder = _("a client of {owner}").format(owner=owner or _("nobody"))
    elif len(codes) == 1:
        code, holder = codes[0], _("a client you cannot see (another manager's)")
    else:
        return KeyTaken(
            _(
                "One of the client codes {codes} is already held by a client you cannot see "
                "(another manager's), saved by someone else meanwhile; {tail}"
            ).format(codes=", ".join(codes) or "?", tail=tail)
        )
    return KeyTaken(
        _(
            "Client code {code} is already held by {holder}, saved by someone else "
            "meanwhile; {tail}"
        ).format(code=code, holder=holder, tail=tail)
    )


def _owner_of(engine: Engine, code: str) -> str | None:
    """The owner of the client holding `code`, as far as the caller may see it: "" for a
    client without an owner, None for one out of sight (or gone again)."""
    try:
        with engine.connect() as conn:
            row = conn.execute(select(Client.owner).where(Client.code == code)).first()
    except (DBAPIError, BookError):
        return None
    if row is None:
        return None
    return row.owner or ""
