"""Commands for a branch's team book on PostgreSQL: team init, add-user, assign, list..."""

from __future__ import annotations

import argparse
import getpass
import sys

from reviewdesk.app import AppContext
from reviewdesk.book import team
from reviewdesk.book.errors import BookError
from reviewdesk.cli.output import dump_json, echo, table
from reviewdesk.i18n import _, ngettext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "team",
        help=_("a branch's shared book on PostgreSQL: people, roles, hand-overs"),
        description=_(
            "Manage the people of a team book on PostgreSQL. Each person logs in as "
            "themselves; the database decides what they see."
        ),
    )
    team_sub = p.add_subparsers(dest="team_command", metavar="ACTION", required=True)

    q = team_sub.add_parser(
        "init",
        help=_("make the book a team book: roles, grants, policies (as the schema's owner)"),
    )
    q.add_argument(
        "--assign-unowned-to",
        metavar="MANAGER",
        help=_("hand every client without a manager to MANAGER"),
    )
    q.set_defaults(handler=cmd_init)

    q = team_sub.add_parser(
        "add-user",
        help=_("add a person: a login of their own in one role"),
        description=_(
            "Add a person as a PostgreSQL login in one of the team's roles. A new login's "
            "password is asked on the terminal (or read as one line from standard input)."
        ),
    )
    q.add_argument("name", metavar="NAME", help=_("the login name"))
    q.add_argument("--role", required=True, choices=team.ROLES, help=_("the person's role"))
    q.add_argument("--branch", metavar="B", help=_("the branch (a supervisor's is required)"))
    q.add_argument(
        "--assists",
        metavar="M",
        action="append",
        default=[],
        help=_("the manager an assistant works for (repeat for several)"),
    )
    _contact_options(q)
    q.set_defaults(handler=cmd_add_user)

    q = team_sub.add_parser(
        "set-contact",
        help=_("change the name and telephone a person's clients read (admin)"),
        description=_(
            "Change the name and telephone a person's clients read on their packs' cover "
            "(the book's settings are the whole team's). An empty value clears it."
        ),
    )
    q.add_argument("name", metavar="NAME", help=_("the login name"))
    _contact_options(q)
    q.set_defaults(handler=cmd_set_contact)

    q = team_sub.add_parser(
        "assign",
        help=_("hand a client over to a manager (the previous one loses access at once)"),
    )
    q.add_argument("client", metavar="CLIENT", help=_("client id, code or exact name"))
    q.add_argument("--to", required=True, metavar="USER", help=_("the new owning manager"))
    q.set_defaults(handler=cmd_assign)

    q = team_sub.add_parser(
        "end-assist", help=_("end an assistant's work for a manager (access ends at once)")
    )
    q.add_argument("name", metavar="NAME", help=_("the assistant"))
    q.add_argument("--manager", required=True, metavar="M", help=_("the manager"))
    q.set_defaults(handler=cmd_end_assist)

    q = team_sub.add_parser(
        "remove-user", help=_("a person leaves: no login, no role; their clients stay theirs")
    )
    q.add_argument("name", metavar="NAME", help=_("the login name"))
    q.set_defaults(handler=cmd_remove_user)

    q = team_sub.add_parser("list", help=_("list the team's people and who holds how many"))
    q.add_argument("--json", action="store_true", help=_("print JSON"))
    q.set_defaults(handler=cmd_list)


def _contact_options(q: argparse.ArgumentParser) -> None:
    q.add_argument(
        "--full-name",
        metavar="N",
        help=_("the name their clients know them by, on the pack's cover"),
    )
    q.add_argument(
        "--phone", metavar="P", help=_("the telephone their clients call, on the pack's cover")
    )


def _contact_line(person: team.Person) -> str:
    """What a manager's clients read on a pack's cover, or that they read no name."""
    if not person.full_name:
        return _(
            "The packs of {name}'s clients name no relationship manager: no full name is "
            "on record (reviewdesk team set-contact {name} --full-name N)."
        ).format(name=person.name)
    line = _("The packs of {name}'s clients name {full_name} as their relationship manager").format(
        name=person.name, full_name=person.full_name
    )
    if person.phone:
        line += ", " + _("telephone {phone}").format(phone=person.phone)
    return line + "."


def _password(name: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(_("Password for {name}: ").format(name=name))
        again = getpass.getpass(_("Password again: "))
        if first != again:
            raise BookError(_("the two passwords differ: nobody was added"))
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_init(ctx: AppContext, args) -> int:
    book = ctx.book  # opening it runs the migrations: the roles, grants and policies
    with book.session() as session:
        groups = team.group_roles(session)
        hardened = team.harden_database(session)
        handed = (
            team.assign_unowned(session, args.assign_unowned_to) if (args.assign_unowned_to) else 0
        )
    echo(_("{book} is a team book. Its roles:").format(book=book.display_name))
    for kind, group in groups.items():
        echo(f"  {kind}: {group}")
    if hardened:
        echo(_("Only the team's roles may connect to its database."))
    if args.assign_unowned_to:
        echo(
            ngettext(
                "{n} client without a manager went to {name}.",
                "{n} clients without a manager went to {name}.",
                handed,
            ).format(n=handed, name=args.assign_unowned_to)
        )
    echo(_("Next: reviewdesk team add-user NAME --role ROLE"))
    return 0


def cmd_add_user(ctx: AppContext, args) -> int:
    with ctx.book.session() as session:
        team.group_roles(session)
        password = None if team.login_exists(session, args.name) else _password(args.name)
        person = team.add_user(
            session,
            args.name,
            args.role,
            password,
            branch=args.branch,
            assists=args.assists,
            full_name=args.full_name,
            phone=args.phone,
        )
    line = _("{name} was added as {role}").format(name=person.name, role=person.role)
    if person.branch:
        line += ", " + _("branch {branch}").format(branch=person.branch)
    if person.assists:
        line += ", " + _("assisting {managers}").format(managers=", ".join(person.assists))
    echo(line + ".")
    if person.role == "manager":
        echo(_contact_line(person))
    return 0


def cmd_set_contact(ctx: AppContext, args) -> int:
    with ctx.book.session() as session:
        person = team.set_contact(session, args.name, full_name=args.full_name, phone=args.phone)
    if person.role == "manager":
        echo(_contact_line(person))
    else:
        echo(_("The contact details of {name} were changed.").format(name=person.name))
    return 0


def cmd_assign(ctx: AppContext, args) -> int:
    with ctx.book.session() as session:
        done = team.assign(session, args.client, args.to)
    echo(
        _("Client {name} ({id}) is now {owner}'s (was {previous}).").format(
            name=done.client_name,
            id=done.client_id,
            owner=done.owner,
            previous=done.previous or _("nobody's"),
        )
    )
    return 0


def cmd_end_assist(ctx: AppContext, args) -> int:
    with ctx.book.session() as session:
        team.end_assistance(session, args.name, args.manager)
    echo(
        _("{assistant} no longer assists {manager}.").format(
            assistant=args.name, manager=args.manager
        )
    )
    return 0


def cmd_remove_user(ctx: AppContext, args) -> int:
    with ctx.book.session() as session:
        team.remove_user(session, args.name)
    echo(_("{name} has left the team: no login, no role.").format(name=args.name))
    return 0


def cmd_list(ctx: AppContext, args) -> int:
    with ctx.book.session() as session:
        me, my_role = team.whoami(session)
        people = team.members(session)
        held = team.clients_by_owner(session) if my_role not in ("admin", None) else {}
    if args.json:
        dump_json(
            {
                "you": {"name": me, "role": my_role},
                "people": [
                    {
                        "name": p.name,
                        "role": p.role,
                        "branch": p.branch,
                        "assists": list(p.assists),
                        "added_at": p.added_at,
                        "left_at": p.left_at,
                        "full_name": p.full_name,
                        "phone": p.phone,
                        "clients": held.get(p.name),
                    }
                    for p in people
                ],
            }
        )
        return 0
    echo(_("You are {name} ({role}).").format(name=me, role=my_role or _("no team role")))
    rows = [
        [
            p.name,
            p.role,
            p.full_name or "",
            p.phone or "",
            p.branch or "",
            ", ".join(p.assists),
            str(held[p.name]) if p.name in held else "",
            p.left_at.date().isoformat() if p.left_at else "",
        ]
        for p in people
    ]
    echo(
        table(
            [
                _("Name"),
                _("Role"),
                _("Name on packs"),
                _("Phone"),
                _("Branch"),
                _("Assists"),
                _("Clients"),
                _("Left"),
            ],
            rows,
            right=[6],
        )
    )
    if None in held:
        echo(
            ngettext(
                "{n} client has no manager yet (reviewdesk team assign).",
                "{n} clients have no manager yet (reviewdesk team assign).",
                held[None],
            ).format(n=held[None])
        )
    return 0
