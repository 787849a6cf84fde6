"""Flows: the money a client puts into the portfolio or takes out of it."""

from __future__ import annotations

import argparse
import unicodedata
from decimal import Decimal, InvalidOperation

from reviewdesk.app import AppContext
from reviewdesk.book.enums import FlowKind
from reviewdesk.book.queries import find_client
from reviewdesk.cli.args import iso_date, refused
from reviewdesk.cli.output import dump_json, echo, table
from reviewdesk.i18n import N_, _, current_language
from reviewdesk.money import format_money


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "flow",
        help=_("record money a client put in or took out"),
        description=_(
            "Record a flow: money into the portfolio (a positive amount) or out of it "
            "(negative). The rate to the client's report currency is kept with it; without "
            "--rate it is the rate of the client's first snapshot on or after the date."
        ),
    )
    p.add_argument("client", metavar="CLIENT", help=_("client id, code or exact name"))
    p.add_argument("--date", type=iso_date, required=True, metavar="YYYY-MM-DD", help=_("the day"))
    p.add_argument(
        "--amount",
        type=_decimal,
        required=True,
        metavar="AMOUNT",
        help=_("positive into the portfolio, negative out of it"),
    )
    p.add_argument("--currency", metavar="CODE", help=_("ISO code (default: the report currency)"))
    p.add_argument(
        "--rate",
        type=_decimal,
        metavar="RATE",
        help=_("1 unit of the currency in the report currency (default: the snapshot's)"),
    )
    p.add_argument(
        "--kind",
        type=_kind,
        required=True,
        metavar="|".join(k.value for k in FlowKind),
        help=_("what the money was (the Chinese names are taken too)"),
    )
    p.add_argument("--holding", metavar="TEXT", help=_("the holding it went to or came from"))
    p.add_argument("--note", metavar="TEXT", help=_("a note"))
    p.set_defaults(handler=cmd_flow)

    p = sub.add_parser(
        "flows",
        help=_("list a client's flows"),
        description=_("The money a client put in or took out, oldest first."),
    )
    p.add_argument("client", metavar="CLIENT", help=_("client id, code or exact name"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_flows)


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(unicodedata.normalize("NFKC", text).replace(",", "").strip())
    except InvalidOperation:
        raise refused(N_("{value!r} is not a number"), text) from None


def _kind(text: str) -> FlowKind:
    from reviewdesk.exchange.schema import aliases

    key = unicodedata.normalize("NFKC", text).strip().lower()
    member = aliases(FlowKind).get(key)
    if not isinstance(member, FlowKind):
        choices = "|".join(m.value for m in FlowKind)
        raise refused(N_("kind {value!r} is not one of {choices}"), text, choices=choices)
    return member


def cmd_flow(ctx: AppContext, args) -> int:
    from reviewdesk.book.flows import record_flow

    with ctx.book.session() as session:
        client = find_client(session, args.client)
        flow = record_flow(
            session,
            client.id,
            args.date,
            args.amount,
            args.kind,
            currency=args.currency,
            rate=args.rate,
            holding=args.holding,
            note=args.note,
            today=ctx.today,
        )
        session.commit()
        lang = current_language()
        shown = format_money(flow.amount, flow.currency, lang)
        rate = flow.rate
        name = client.name
    echo(
        _("Recorded: {kind} of {amount} for {name} on {day} (rate {rate}).").format(
            kind=_(args.kind.label), amount=shown, name=name, day=args.date.isoformat(), rate=rate
        )
    )
    return 0


def cmd_flows(ctx: AppContext, args) -> int:
    """The client's flows, each in the client's report currency (`Flow.value_in`), or "—"
    where it has no value in it (recorded against an earlier report currency)."""
    from reviewdesk.book.flows import client_flows

    lang = current_language()
    with ctx.book.session() as session:
        client = find_client(session, args.client)
        report = client.report_currency
        flows = client_flows(session, client.id)
        rows = [
            {
                "id": f.id,
                "date": f.flow_date,
                "amount": f.amount,
                "currency": f.currency,
                "rate": f.rate,
                "rate_to": f.to_currency,
                "report_currency": report,
                "report_amount": f.value_in(report),
                "kind": f.kind,
                "holding": f.holding,
                "note": f.note,
            }
            for f in flows
        ]
        lines = [
            [
                f.flow_date.isoformat(),
                _(f.kind.label),
                format_money(f.amount, f.currency, lang),
                _shown(f.rate_to(report), str),
                _shown(f.value_in(report), lambda value: format_money(value, report, lang)),
                f.note or "",
            ]
            for f in flows
        ]
    if args.json:
        dump_json(rows)
        return 0
    if not rows:
        echo(_("No flows."))
        return 0
    echo(
        table(
            [_("Date"), _("Kind"), _("Amount"), _("Rate"), _("In report currency"), _("Note")],
            lines,
            right=(2, 3, 4),
        )
    )
    if any(row["report_amount"] is None for row in rows):
        echo(_(NOT_IN_REPORT).format(currency=report))
    return 0


NOT_IN_REPORT = N_(
    "—: not in the report currency ({currency}): the flow's rate is to an earlier report "
    "currency, so no return is given over its review period."
)


def _shown(value: Decimal | None, show) -> str:
    return "—" if value is None else show(value)
