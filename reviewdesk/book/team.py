"""A branch's team book on PostgreSQL: people, their groups, and who holds which client.

Each person is a PostgreSQL login role, a member of one of the book's group roles
(`<database>_manager`, `_assistant`, `_supervisor`, `_compliance`, `_admin`, made by
migration 0006 with the grants, the row-level policies and the audit triggers). The
database, not this module, decides what each person sees and may change; this module
keeps the people (`team_member`), the assistants' assignments and the hand-overs, and
turns the server's refusals into sentences.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from reviewdesk.book import audit
from reviewdesk.book.errors import BookError, ValidationError
from reviewdesk.book.models import AssistantAssignment, Client, TeamMember, utcnow
from reviewdesk.book.queries import find_client
from reviewdesk.i18n import N_, _

ROLES = ("manager", "assistant", "supervisor", "compliance", "admin")
# A login name: lower-case letters, digits and underscores, starting with a letter.
NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,62}")


class TeamError(BookError):
    pass


class NotTeamBook(TeamError):
    pass


class NotAllowed(TeamError):
    """The server refused: the person's role does not allow it."""


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    branch: str | None
    assists: tuple[str, ...]
    added_at: dt.datetime
    left_at: dt.datetime | None
    full_name: str | None = None  # as their clients know them (a pack's cover)
    phone: str | None = None


@dataclass(frozen=True)
class ManagerContact:
    """A client's manager as the client reads them: their name and their telephone."""

    full_name: str
    phone: str | None


@dataclass(frozen=True)
class HandOver:
    client_id: int
    client_name: str
    previous: str | None
    owner: str


def require_team_book(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        raise NotTeamBook(
            _(
                "team commands need a book on PostgreSQL (--db postgresql+psycopg://...): "
                "a book file is one manager's"
            )
        )


def group_roles(session: Session) -> dict[str, str]:
    """The book's group roles by kind, named after its database (see migration 0006)."""
    require_team_book(session)
    database = session.scalar(text("SELECT current_database()"))
    return {kind: f"{database}_{kind}" for kind in ROLES}


def whoami(session: Session) -> tuple[str, str | None]:
    """The connected person and their group in this book (None: none of them)."""
    groups = group_roles(session)
    user = str(session.scalar(text("SELECT session_user")))
    for kind, group in groups.items():
        if session.scalar(text("SELECT pg_has_role(session_user, :g, 'MEMBER')"), {"g": group}):
            return user, kind
    return user, None


@dataclass(frozen=True)
class Me:
    """The connected person as the book knows them: their login, group and branch."""

    name: str
    role: str | None
    branch: str | None


def me(session: Session) -> Me:
    """Who is asking: the login, their group in this book (None: none of its groups) and
    their branch (as the team's list has it)."""
    user, role = whoami(session)
    if role is None:  # not one of the team: the people's list is not theirs to read
        return Me(user, None, None)
    member = session.get(TeamMember, user)
    return Me(user, role, member.branch if member is not None else None)


def is_team_book(session: Session) -> bool:
    """Whether the database holds a ReviewDesk team book (the revision and the people)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    found = session.execute(
        text("SELECT to_regclass('alembic_version'), to_regclass('team_member')")
    ).one()
    return found[0] is not None and found[1] is not None


def check_name(name: str, field: str = "name") -> str:
    value = name.strip()
    if not NAME_RE.fullmatch(value):
        raise ValidationError(
            "Team member",
            field,
            name,
            N_(
                "a login name is lower-case letters, digits and underscores, starting "
                "with a letter, at most 63 characters"
            ),
        )
    return value


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(
            "Team member",
            "role",
            role,
            N_("the role is one of {roles}"),
            {"roles": ", ".join(ROLES)},
        )
    return role


def _ddl(session: Session, statement: str) -> None:
    """A statement with no parameters, passed as it is (no `:name` is a placeholder)."""
    session.connection().exec_driver_sql(statement)


def _quote(session: Session, name: str) -> str:
    return session.get_bind().dialect.identifier_preparer.quote_identifier(name)


def login_exists(session: Session, name: str) -> bool:
    """Whether the server has a role of that name (a login of this or another book)."""
    return bool(session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}))


def _scram(session: Session, name: str, password: str) -> str:
    """The password's SCRAM verifier, computed here: the password itself never reaches
    the server's statement log."""
    raw = session.connection().connection.dbapi_connection
    pgconn = getattr(raw, "pgconn", None)
    if pgconn is None:  # pragma: no cover - another driver than psycopg 3
        raise TeamError(_("adding a person needs the psycopg driver (postgresql+psycopg://)"))
    verifier: bytes = pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
    return verifier.decode()


@contextmanager
def refusals(what: str) -> Iterator[None]:
    """The server's permission refusals (insufficient privilege, a row-level policy) as one
    sentence naming what was refused; nothing of the transaction is kept."""
    try:
        yield
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != "42501":
            raise
        diag = getattr(exc.orig, "diag", None)
        reason = str(getattr(diag, "message_primary", None) or exc.orig)
        raise NotAllowed(
            _("{what} was refused by the server: {reason}").format(
                what=what, reason=reason.removeprefix("reviewdesk: ")
            )
        ) from exc


def members(session: Session) -> list[Person]:
    group_roles(session)
    active: dict[str, list[str]] = {}
    for a in session.scalars(
        select(AssistantAssignment)
        .where(AssistantAssignment.ended_at.is_(None))
        .order_by(AssistantAssignment.manager)
    ):
        active.setdefault(a.assistant, []).append(a.manager)
    return [
        Person(
            m.name,
            m.role,
            m.branch,
            tuple(active.get(m.name, ())),
            m.added_at,
            m.left_at,
            m.full_name,
            m.phone,
        )
        for m in session.scalars(select(TeamMember).order_by(TeamMember.role, TeamMember.name))
    ]


def manager_contact(session: Session, login: str | None) -> ManagerContact | None:
    """The name and telephone a client of manager `login` (the client's owner) reads, in
    one read of the team's list. None when the client has no manager, the manager has
    left the team, or no name is on record for them: a telephone without a name says
    nobody's number, so neither is given."""
    if login is None:
        return None
    member = session.get(TeamMember, login)
    if member is None or member.left_at is not None or not member.full_name:
        return None
    return ManagerContact(member.full_name, member.phone or None)


def _contact_fields(member: TeamMember, full_name: str | None, phone: str | None) -> None:
    """Set what is given ("" clears it); each value is checked as it is set (the model's
    rules name the field and the value)."""
    if full_name is not None:
        member.full_name = full_name
    if phone is not None:
        member.phone = phone


def set_contact(
    session: Session, name: str, *, full_name: str | None = None, phone: str | None = None
) -> Person:
    """Change the name and telephone a person's clients read (None: unchanged; "" clears
    it). The team's admin keeps them: the database refuses anyone else."""
    group_roles(session)
    if full_name is None and phone is None:
        raise TeamError(_("nothing to change: give --full-name, --phone or both"))
    member = session.get(TeamMember, check_name(name))
    if member is None or member.left_at is not None:
        raise TeamError(_("{name} is not in the team").format(name=name))
    with refusals(_("changing {name}'s contact details").format(name=name)):
        _contact_fields(member, full_name, phone)
        session.flush()
    return next(p for p in members(session) if p.name == member.name)


def add_user(
    session: Session,
    name: str,
    role: str,
    password: str | None,
    *,
    branch: str | None = None,
    assists: list[str] | tuple[str, ...] = (),
    full_name: str | None = None,
    phone: str | None = None,
) -> Person:
    """Add a person (a login role, a member of the role's group) or give an existing login
    its place in this book. A new login needs a password; an existing one keeps its own.
    `full_name` and `phone` are what their clients read (a pack's cover); a person back in
    the team keeps theirs unless given. Needs CREATEROLE (an admin of the team, or the
    schema's owner)."""
    groups = group_roles(session)
    name = check_name(name)
    role = check_role(role)
    branch = branch.strip() or None if branch is not None else None
    if role == "supervisor" and branch is None:
        raise ValidationError(
            "Team member", "branch", branch, N_("a supervisor needs a branch (--branch)")
        )
    if role == "assistant" and not assists:
        raise ValidationError(
            "Team member",
            "assists",
            "",
            N_("an assistant works for a manager: name them (--assists MANAGER)"),
        )
    if assists and role != "assistant":
        raise ValidationError(
            "Team member", "assists", ",".join(assists), N_("only an assistant assists")
        )
    if name in groups.values():
        raise ValidationError(
            "Team member", "name", name, N_("that is the name of one of the team's groups")
        )
    existing = session.get(TeamMember, name)
    if existing is not None and existing.left_at is None:
        raise TeamError(
            _("{name} is already in the team, as {role}").format(name=name, role=existing.role)
        )
    # Checked before any role is made: a refused telephone adds nobody.
    contact = TeamMember(name=name, full_name=full_name, phone=phone)
    for manager in assists:
        held = session.get(TeamMember, check_name(manager, "assists"))
        if held is None or held.role != "manager" or held.left_at is not None:
            raise ValidationError(
                "Team member",
                "assists",
                manager,
                N_("{name} is not a manager of this team"),
                {"name": manager},
            )
    quoted = _quote(session, name)
    with refusals(_("adding {name}").format(name=name)):
        if login_exists(session, name):
            if existing is not None:  # back in the team: may log in again
                _ddl(session, f"ALTER ROLE {quoted} LOGIN")
        else:
            if not password:
                raise ValidationError(
                    "Team member", "password", "", N_("a new login needs a password")
                )
            verifier = _scram(session, name, password)
            literal = "'" + verifier.replace("'", "''") + "'"
            extra = " CREATEROLE" if role == "admin" else ""
            _ddl(session, f"CREATE ROLE {quoted} LOGIN{extra} PASSWORD {literal}")
        for other in ROLES:
            if other != role:
                _ddl(session, f"REVOKE {_quote(session, groups[other])} FROM {quoted}")
        _ddl(session, f"GRANT {_quote(session, groups[role])} TO {quoted}")
        if existing is None:
            existing = contact
            existing.role, existing.branch = role, branch
            session.add(existing)
        else:
            existing.role, existing.branch, existing.left_at = role, branch, None
            existing.added_at = utcnow()
            _contact_fields(existing, full_name, phone)
        for manager in assists:
            session.add(AssistantAssignment(assistant=name, manager=manager))
        session.flush()
    return Person(
        name,
        role,
        branch,
        tuple(assists),
        existing.added_at,
        None,
        existing.full_name,
        existing.phone,
    )


def end_assistance(session: Session, assistant: str, manager: str) -> int:
    """End an assistant's work for a manager: their clients are out of reach at once.
    Returns how many assignments ended (one)."""
    group_roles(session)
    assignments = list(
        session.scalars(
            select(AssistantAssignment).where(
                AssistantAssignment.assistant == assistant,
                AssistantAssignment.manager == manager,
                AssistantAssignment.ended_at.is_(None),
            )
        )
    )
    if not assignments:
        raise TeamError(
            _("{assistant} does not assist {manager}").format(assistant=assistant, manager=manager)
        )
    with refusals(
        _("ending {assistant}'s work for {manager}").format(assistant=assistant, manager=manager)
    ):
        now = utcnow()
        for a in assignments:
            a.ended_at = now
        session.flush()
    return len(assignments)


def remove_user(session: Session, name: str) -> None:
    """A person leaves: no login, no group, no assignments; their row stays (who they
    were), their clients stay theirs until a supervisor hands them over."""
    groups = group_roles(session)
    member = session.get(TeamMember, name)
    if member is None or member.left_at is not None:
        raise TeamError(_("{name} is not in the team").format(name=name))
    quoted = _quote(session, name)
    with refusals(_("removing {name}").format(name=name)):
        for group in groups.values():
            _ddl(session, f"REVOKE {_quote(session, group)} FROM {quoted}")
        _ddl(session, f"ALTER ROLE {quoted} NOLOGIN")
        now = utcnow()
        member.left_at = now
        for a in session.scalars(
            select(AssistantAssignment).where(
                (AssistantAssignment.assistant == name) | (AssistantAssignment.manager == name),
                AssistantAssignment.ended_at.is_(None),
            )
        ):
            a.ended_at = now
        session.flush()


@dataclass(frozen=True)
class Importer:
    """Who is bringing clients into a team book, as far as naming their manager goes."""

    name: str
    role: str | None  # None: none of the book's groups (the schema's owner)
    branch: str | None
    assists: frozenset[str]
    managers: dict[str, str | None]  # the team's managers and their branches


def importer(session: Session) -> Importer:
    name, role = whoami(session)
    me = session.get(TeamMember, name)
    managers = {
        m.name: m.branch
        for m in session.scalars(
            select(TeamMember).where(TeamMember.role == "manager", TeamMember.left_at.is_(None))
        )
    }
    assists = frozenset(
        session.scalars(
            select(AssistantAssignment.manager).where(
                AssistantAssignment.assistant == name, AssistantAssignment.ended_at.is_(None)
            )
        )
    )
    return Importer(name, role, me.branch if me is not None else None, assists, managers)


def check_owner(who: Importer, name: str, current: str | None = None) -> str:
    """The manager `who` may give a client to (a new one, or one now `current`'s): a
    supervisor names a manager of their branch, a manager themselves, an assistant a
    manager they assist; only a supervisor (or the schema's owner) hands a client over.
    Refused: ValidationError naming the value."""
    name = check_name(name, "owner")
    if name not in who.managers:
        raise ValidationError(
            "Client", "owner", name, N_("{name} is not a manager of this team"), {"name": name}
        )
    if name == current:
        return name
    if who.role == "manager" and name != who.name:
        raise ValidationError(
            "Client", "owner", name, N_("a manager may name only themselves as the manager")
        )
    if who.role == "assistant" and name not in who.assists:
        raise ValidationError(
            "Client", "owner", name, N_("you do not assist {name}"), {"name": name}
        )
    if who.role == "supervisor" and who.managers[name] != who.branch:
        raise ValidationError(
            "Client",
            "owner",
            name,
            N_("{name} is not a manager of your branch {branch}"),
            {"name": name, "branch": who.branch or ""},
        )
    if who.role in ("compliance", "admin"):
        raise ValidationError("Client", "owner", name, N_("your role holds no clients"))
    if current is not None and who.role not in (None, "supervisor"):
        raise ValidationError(
            "Client",
            "owner",
            name,
            N_("the client is {owner}'s: only a supervisor hands a client over"),
            {"owner": current},
        )
    return name


def hand_over(session: Session, client: Client, to: str) -> str | None:
    """Give `client` to manager `to` (the caller has checked who may); audited as a hand-over.
    Returns the previous owner."""
    previous = client.owner
    client.owner = to
    session.flush()
    audit.record_event(
        session,
        "handover",
        client.id,
        f"from {previous or '(nobody)'} to {to}",
        record="Client",
        record_id=client.id,
    )
    session.flush()
    return previous


def assign(session: Session, client_key: str, to: str) -> HandOver:
    """Hand a client over to manager `to`: the previous manager loses access with this
    transaction's commit. Audited twice: the database records the owner's change, and the
    hand-over itself is an event naming both."""
    group_roles(session)
    target = session.get(TeamMember, to)
    if target is None or target.role != "manager" or target.left_at is not None:
        raise ValidationError(
            "Client", "owner", to, N_("{name} is not a manager of this team"), {"name": to}
        )
    client = find_client(session, client_key)
    previous = client.owner
    if previous == to:
        raise TeamError(
            _("client {client} is already {name}'s").format(client=client.code, name=to)
        )
    with refusals(_("handing client {client} over").format(client=client.code)):
        hand_over(session, client, to)
    return HandOver(client.id, client.name, previous, to)


def assign_unowned(session: Session, to: str) -> int:
    """Hand every client without an owner (a book from before the team) to manager `to`."""
    group_roles(session)
    ids = list(session.scalars(select(Client.code).where(Client.owner.is_(None))))
    for code in ids:
        assign(session, code, to)
    return len(ids)


def clients_by_owner(session: Session) -> dict[str | None, int]:
    """How many clients each owner holds, among those the caller may see."""
    rows = session.execute(select(Client.owner, func.count(Client.id)).group_by(Client.owner))
    return {owner: count for owner, count in rows}


def harden_database(session: Session) -> bool:
    """Only the team's groups may connect to the book's database (when the caller owns the
    database). Returns whether it was done."""
    groups = group_roles(session)
    owns = session.scalar(
        text(
            "SELECT pg_get_userbyid(datdba) = current_user FROM pg_database "
            "WHERE datname = current_database()"
        )
    )
    if not owns:
        return False
    database = _quote(session, str(session.scalar(text("SELECT current_database()"))))
    _ddl(session, f"REVOKE CONNECT, TEMPORARY ON DATABASE {database} FROM PUBLIC")
    listed = ", ".join(_quote(session, g) for g in groups.values())
    _ddl(session, f"GRANT CONNECT ON DATABASE {database} TO {listed}")
    return True


class CannotConnect(TeamError):
    """The server could not be reached, refused the login, or is not a team book's."""


def connection_problem(exc: BaseException, url: str) -> str:
    """One sentence for a failed connection to a team book's server (never driver text)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    orig = getattr(exc, "orig", None) or exc
    state = getattr(orig, "sqlstate", None)
    said = str(orig).lower()
    if state == "28P01" or "password authentication failed" in said:
        return _(
            "The server {server} did not accept the password of {user}: check the user "
            "name and the password."
        ).format(server=where, user=parsed.username)
    if state == "3D000" or ("database" in said and "does not exist" in said):
        return _("The server {server} has no database {database}: check its name.").format(
            server=where, database=parsed.database
        )
    if state in ("28000", "42501") or "no pg_hba.conf entry" in said or "permission denied" in said:
        return _(
            "The server {server} does not let {user} into {database}: ask the team's "
            "administrator to add you."
        ).format(server=where, user=parsed.username, database=parsed.database)
    if "certificate" in said or "ssl" in said:
        return _(
            "The connection to {server} could not be secured: the server's certificate "
            "could not be verified with the root certificate given ({reason})."
        ).format(server=where, reason=str(orig).strip().splitlines()[-1])
    return _(
        "The server {server} cannot be reached: check its name and port, and that you are "
        "on the bank's network."
    ).format(server=where)


def probe(url: str, timeout: int = 10) -> Me:
    """Connect to `url` as the person it names and say who they are in its team book;
    every failure is a `CannotConnect` with one sentence (wrong password, unreachable
    server, not a ReviewDesk team book, a person not in the team). Nothing is written."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        raise CannotConnect(_("a team book is on a PostgreSQL server"))
    engine = create_engine(url, connect_args={"connect_timeout": timeout}, poolclass=NullPool)
    try:
        with Session(engine) as session:
            try:
                found = is_team_book(session)
            except DBAPIError as exc:
                raise CannotConnect(connection_problem(exc, url)) from exc
            if not found:
                raise CannotConnect(
                    _(
                        "The database {database} on {server} is not a ReviewDesk team book "
                        "(or you may not read it): check the database's name."
                    ).format(database=parsed.database, server=parsed.host or "localhost")
                )
            person = me(session)
            if person.role is None:
                raise CannotConnect(
                    _(
                        "{user} is not in the team of {database}: ask the team's "
                        "administrator to add you (reviewdesk team add-user)."
                    ).format(user=person.name, database=parsed.database)
                )
            return person
    finally:
        engine.dispose()
