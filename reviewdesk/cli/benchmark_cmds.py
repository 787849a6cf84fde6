"""Benchmarks: index levels by date, and the benchmark chosen per client or risk level."""

from __future__ import annotations

import argparse
import unicodedata
from decimal import Decimal, InvalidOperation

from reviewdesk.app import AppContext
from reviewdesk.book.enums import ClientRiskLevel
from reviewdesk.book.queries import find_client
from reviewdesk.cli.args import iso_date, refused
from reviewdesk.cli.output import dump_json, echo, table
from reviewdesk.i18n import N_, _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "benchmark",
        help=_("keep benchmark levels and choose a client's benchmark"),
        description=_(
            "Benchmarks set a client's time-weighted return beside an index's over the same "
            "review dates. Keep each index's levels by date, then choose one index, or a "
            "blend of two, for a client or as the default of a client risk level."
        ),
    )
    actions = p.add_subparsers(dest="benchmark_action", metavar="ACTION", required=True)

    levels = actions.add_parser(
        "levels",
        help=_("list a benchmark's levels (without a name: the benchmarks)"),
        description=_("A benchmark's levels, oldest first; without a name, every benchmark."),
    )
    levels.add_argument("name", metavar="NAME", nargs="?", help=_("the benchmark's name"))
    levels.add_argument("--json", action="store_true", help=_("print JSON"))
    levels.set_defaults(handler=cmd_levels)

    put = actions.add_parser(
        "set-level",
        help=_("record a benchmark's level on a day"),
        description=_("Record (or correct) a benchmark's level on a day."),
    )
    put.add_argument("name", metavar="NAME", help=_("the benchmark's name"))
    put.add_argument(
        "--date", type=iso_date, required=True, metavar="YYYY-MM-DD", help=_("the day")
    )
    put.add_argument(
        "--level", type=_decimal, required=True, metavar="LEVEL", help=_("the level, above zero")
    )
    put.set_defaults(handler=cmd_set_level)

    drop = actions.add_parser("remove-level", help=_("remove a benchmark's level on a day"))
    drop.add_argument("name", metavar="NAME", help=_("the benchmark's name"))
    drop.add_argument(
        "--date", type=iso_date, required=True, metavar="YYYY-MM-DD", help=_("the day")
    )
    drop.set_defaults(handler=cmd_remove_level)

    choose = actions.add_parser(
        "choose",
        help=_("choose the benchmark of a client or a risk level"),
        description=_(
            "Choose the benchmark a client's returns are set beside: for one client, or as "
            "the default of the clients assessed at a risk level who have none of their "
            "own. With --blend, the blend is rebalanced to its weights on every review date."
        ),
    )
    choose.add_argument("name", metavar="NAME", help=_("the benchmark's name"))
    _target(choose)
    choose.add_argument("--blend", metavar="NAME2", help=_("a second benchmark to blend in"))
    choose.add_argument(
        "--weight",
        type=int,
        metavar="PERCENT",
        help=_("the first benchmark's weight in percent (1-99); the second weighs the rest"),
    )
    choose.set_defaults(handler=cmd_choose)

    clear = actions.add_parser(
        "unchoose", help=_("remove the benchmark choice of a client or a risk level")
    )
    _target(clear)
    clear.set_defaults(handler=cmd_unchoose)

    listing = actions.add_parser("choices", help=_("list the benchmark choices"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(handler=cmd_choices)


def _target(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--client", metavar="CLIENT", help=_("client id, code or exact name"))
    group.add_argument(
        "--risk-level",
        type=_risk_level,
        metavar="|".join(level.value for level in ClientRiskLevel),
        help=_("a client risk level"),
    )


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(unicodedata.normalize("NFKC", text).replace(",", "").strip())
    except InvalidOperation:
        raise refused(N_("{value!r} is not a number"), text) from None


def _risk_level(text: str) -> ClientRiskLevel:
    try:
        return ClientRiskLevel(unicodedata.normalize("NFKC", text).strip().upper())
    except ValueError:
        choices = "|".join(level.value for level in ClientRiskLevel)
        raise refused(
            N_("risk level {value!r} is not one of {choices}"), text, choices=choices
        ) from None


def cmd_levels(ctx: AppContext, args) -> int:
    from reviewdesk.book.benchmarks import levels

    with ctx.book.session() as session:
        rows = [(lv.name, lv.level_date, lv.level) for lv in levels(session, args.name)]
    if args.name is None:
        summary: dict[str, list] = {}
        for name, day, level in rows:
            entry = summary.setdefault(name, [0, day, day, level])
            entry[0] += 1
            entry[2], entry[3] = day, level
        if args.json:
            dump_json(
                [
                    {"name": n, "levels": c, "first": f, "last": la, "last_level": lv}
                    for n, (c, f, la, lv) in summary.items()
                ]
            )
            return 0
        if not summary:
            echo(_("No benchmark levels."))
            return 0
        echo(
            table(
                [_("Benchmark"), _("Levels"), _("First"), _("Last"), _("Last level")],
                [
                    [n, str(c), f.isoformat(), la.isoformat(), str(lv)]
                    for n, (c, f, la, lv) in summary.items()
                ],
                right=(1, 4),
            )
        )
        return 0
    if args.json:
        dump_json([{"date": day, "level": level} for _name, day, level in rows])
        return 0
    if not rows:
        echo(_("No levels of {name}.").format(name=args.name))
        return 0
    echo(
        table([_("Date"), _("Level")], [[d.isoformat(), str(lv)] for _n, d, lv in rows], right=(1,))
    )
    return 0


def cmd_set_level(ctx: AppContext, args) -> int:
    from reviewdesk.book.benchmarks import set_level

    with ctx.book.session() as session:
        row = set_level(session, args.name, args.date, args.level)
        session.commit()
        name, day, level = row.name, row.level_date, row.level
    echo(_("{name}: {level} on {day}.").format(name=name, level=level, day=day.isoformat()))
    return 0


def cmd_remove_level(ctx: AppContext, args) -> int:
    from reviewdesk.book.benchmarks import remove_level

    with ctx.book.session() as session:
        removed = remove_level(session, args.name, args.date)
        session.commit()
    if not removed:
        echo(_("{name} has no level on {day}.").format(name=args.name, day=args.date.isoformat()))
        return 1
    echo(_("Removed the level of {name} on {day}.").format(name=args.name, day=args.date))
    return 0


def _whom(session, args) -> tuple[int | None, str]:
    if args.client is not None:
        client = find_client(session, args.client)
        return client.id, client.name
    return None, _(args.risk_level.label)


def cmd_choose(ctx: AppContext, args) -> int:
    from reviewdesk.book.benchmarks import choose
    from reviewdesk.review.returns import choice_label

    with ctx.book.session() as session:
        client_id, whom = _whom(session, args)
        choice = choose(
            session,
            args.name,
            client_id=client_id,
            risk_level=args.risk_level,
            blend=args.blend,
            weight=args.weight,
        )
        session.commit()
        shown = choice_label(choice.benchmark, choice.blend, choice.weight)
    echo(_("Benchmark of {whom}: {benchmark}.").format(whom=whom, benchmark=shown))
    return 0


def cmd_unchoose(ctx: AppContext, args) -> int:
    from reviewdesk.book.benchmarks import clear_choice

    with ctx.book.session() as session:
        client_id, whom = _whom(session, args)
        removed = clear_choice(session, client_id=client_id, risk_level=args.risk_level)
        session.commit()
    if not removed:
        echo(_("{whom} has no benchmark of its own.").format(whom=whom))
        return 1
    echo(_("Removed the benchmark of {whom}.").format(whom=whom))
    return 0


def cmd_choices(ctx: AppContext, args) -> int:
    from reviewdesk.book.benchmarks import choices
    from reviewdesk.book.models import Client
    from reviewdesk.review.returns import choice_label

    with ctx.book.session() as session:
        rows = []
        for c in choices(session):
            client = session.get(Client, c.client_id) if c.client_id is not None else None
            rows.append(
                {
                    "client": client.code if client else None,
                    "client_name": client.name if client else None,
                    "risk_level": c.risk_level.value if c.risk_level else None,
                    "benchmark": c.benchmark,
                    "blend": c.blend,
                    "weight": c.weight,
                    "name": choice_label(c.benchmark, c.blend, c.weight),
                }
            )
    if args.json:
        dump_json(rows)
        return 0
    if not rows:
        echo(_("No benchmark chosen."))
        return 0
    echo(
        table(
            [_("For"), _("Benchmark")],
            [
                [
                    f"{r['client']} {r['client_name']}" if r["client"] else str(r["risk_level"]),
                    str(r["name"]),
                ]
                for r in rows
            ],
        )
    )
    return 0
