"""client codes in one form: codes that differ only in case or width are one code

From this revision a client code is stored NFKC-normalised, trimmed and upper-cased
(`reviewdesk.text.normalise_code`): `c90001`, `C90001` and `Ｃ９０００１` are all
`C90001`, and the unique index on client.code keeps two clients from sharing it.

Existing codes are brought to that form here, with one exception decided so that no data
is lost and nothing is merged behind the user's back: where two or more clients of a book
have codes that are one code in the new form (`C90001` and `c90001`), none of them is
changed. They stay as they were, each still reachable by its exact code or its id, and the
upgrade log names them (a warning per collision) so that the manager can give one of them
another code. New and edited codes are checked against them in the new form, so no further
collision can be made (validation.py), and an import that names such a code is refused
with the reason, not matched to one of them at random. A code whose new form would be
longer than the column's 40 characters is left as it is and logged too.

Downgrading changes nothing: a code in the new form is a valid code before it, and the
forms the codes had before cannot be known.

Revision ID: 0004_client_codes
Revises: 0003_disclosure
Create Date: 2026-12-15
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

from reviewdesk.text import normalise_code

revision = "0004_client_codes"
down_revision = "0003_disclosure"
branch_labels = None
depends_on = None

log = logging.getLogger("reviewdesk.migrations")

_CLIENT = sa.table("client", sa.column("id", sa.Integer), sa.column("code", sa.String(40)))
_CODE_LENGTH = 40


def plan(codes: list[tuple[int, str]]) -> tuple[dict[int, str], list[list[tuple[int, str]]]]:
    """The new code of each client to change, and the groups of clients whose codes are
    one code (left as they are)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for client_id, code in codes:
        groups.setdefault(normalise_code(code), []).append((client_id, code))
    changes: dict[int, str] = {}
    collisions: list[list[tuple[int, str]]] = []
    for new, members in groups.items():
        if len(members) > 1:
            collisions.append(members)
            continue
        client_id, code = members[0]
        if code == new:
            continue
        if not new or len(new) > _CODE_LENGTH:
            log.warning(
                "client %d: code %r left as it is (its normal form %r does not fit)",
                client_id,
                code,
                new,
            )
            continue
        changes[client_id] = new
    return changes, collisions


def upgrade() -> None:
    connection = op.get_bind()
    codes = [
        (row.id, row.code) for row in connection.execute(sa.select(_CLIENT).order_by(_CLIENT.c.id))
    ]
    changes, collisions = plan(codes)
    for members in collisions:
        log.warning(
            "client codes %s are one code when case and width are ignored; left as they "
            "are: give all but one of these clients another code",
            ", ".join(f"{code!r} (client {client_id})" for client_id, code in members),
        )
    for client_id, new in changes.items():
        connection.execute(_CLIENT.update().where(_CLIENT.c.id == client_id).values(code=new))


def downgrade() -> None:
    pass
