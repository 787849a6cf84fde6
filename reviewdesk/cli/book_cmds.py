"""Commands over the book itself: demo, clients, show."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from reviewdesk.app import AppContext
from reviewdesk.book import audit
from reviewdesk.book.errors import BookError
from reviewdesk.book.queries import find_client
from reviewdesk.cli.args import iso_date, positive_int
from reviewdesk.cli.output import Progress, dump_json, echo, table
from reviewdesk.i18n import _, current_language, ngettext
from reviewdesk.money import format_money, format_percent, format_signed, round_money
from reviewdesk.review.client_list import list_clients


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help=_("fill an empty book with a realistic demo"),
        description=_("Fill an empty book with a deterministic demo book."),
    )
    p.add_argument(
        "--clients",
        type=positive_int,
        default=300,
        metavar="N",
        help=_("number of clients (default 300)"),
    )
    p.add_argument(
        "--seed",
        type=int,
        default=2026,
        metavar="S",
        help=_("random seed; the same seed gives the same book (default 2026)"),
    )
    p.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help=_("the day the demo is made as of (default today)"),
    )
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser(
        "clients",
        help=_("list the clients with their latest totals"),
        description=_("List the clients with their totals at the latest review."),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.add_argument(
        "--search",
        metavar="TEXT",
        help=_(
            "only clients found by TEXT: in the name, its pinyin or initials (zw: 张伟), "
            "the phone or the code"
        ),
    )
    p.set_defaults(handler=lambda ctx, args: print_clients(ctx, args.json, args.search))

    p = sub.add_parser(
        "show",
        help=_("show one client's profile and latest snapshot"),
        description=_("Show one client's profile and latest snapshot."),
    )
    p.add_argument("client", metavar="CLIENT", help=_("client id, code or exact name"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser(
        "delete-client",
        help=_("delete a client and everything of theirs"),
        description=_(
            "Delete a client with their snapshots, holdings, policies, contacts, assessments "
            "and documents (their files too). Without --yes, only says what would go."
        ),
    )
    p.add_argument("client", metavar="CLIENT", help=_("client id, code or exact name"))
    p.add_argument("--yes", action="store_true", help=_("really delete"))
    p.set_defaults(handler=cmd_delete_client)


def cmd_demo(ctx: AppContext, args) -> int:
    from reviewdesk.demo import DemoOptions, fill_demo

    options = DemoOptions(clients=args.clients, seed=args.seed, as_of=args.as_of or ctx.today)
    if options.as_of > dt.date.today():
        raise BookError(_("--as-of {date}: is in the future").format(date=options.as_of))
    with ctx.book.session() as session:
        made = fill_demo(session, options, Progress(_("Creating demo")))
    echo(
        ngettext(
            "Demo book: {n} client in {book}", "Demo book: {n} clients in {book}", made
        ).format(n=made, book=ctx.book.display_name)
    )
    return 0


def print_clients(ctx: AppContext, as_json: bool, search: str | None = None) -> int:
    with ctx.book.session() as session:
        summaries = list_clients(session, ctx.today, search)
    if as_json:
        dump_json(
            [
                {
                    "id": s.id,
                    "code": s.code,
                    "name": s.name,
                    "tier": s.tier,
                    "cadence": s.cadence,
                    "report_currency": s.report_currency,
                    "total_assets": s.total_assets,
                    "liabilities": s.liabilities,
                    "net_worth": s.net_worth,
                    "last_review": s.last_review,
                    "next_review_due": s.next_review_due,
                    "review_state": s.review_state,
                    "missing_rates": s.missing_rates,
                    "risk_assessment": s.assessment.as_dict() if s.assessment else None,
                }
                for s in summaries
            ]
        )
        return 0
    lang = current_language()
    rows = [
        [
            str(s.id),
            s.name,
            _(s.tier.label),
            format_money(s.total_assets, s.report_currency, lang),
            s.last_review.isoformat() if s.last_review else "—",
            s.next_review_due.isoformat()
            + ("" if s.review_flag is None else f" ({_(s.review_flag.label)})"),
        ]
        for s in summaries
    ]
    echo(
        table(
            [
                _("ID"),
                _("Name"),
                _("Tier"),
                _("Total assets"),
                _("Last review"),
                _("Next review due"),
            ],
            rows,
            right=(0, 3),
        )
    )
    echo(ngettext("{n} client", "{n} clients", len(summaries)).format(n=len(summaries)))
    return 0


def assessment_text(status) -> str:
    """One line for a risk assessment's state: level, dates and whether it still holds."""
    if status.level is None:
        return _(status.state.label)
    return _("{level}, assessed {date}, valid until {until} ({state})").format(
        level=_(status.level.label),
        date=status.assessed_on.isoformat(),
        until=status.valid_until.isoformat(),
        state=_(status.state.label),
    )


def cmd_show(ctx: AppContext, args) -> int:
    from reviewdesk.review.cadence import review_cadence
    from reviewdesk.review.risk_status import assessment_status
    from reviewdesk.review.snapshot_view import latest_snapshot_view
    from reviewdesk.settings import load_settings

    with ctx.book.session() as session:
        client = find_client(session, args.client)
        if not ctx.book.read_only:  # who looked at whom: an access event
            audit.record_event(session, "opened", client.id, "show")
        view = latest_snapshot_view(client)
        settings = load_settings(session)
        assessment = assessment_status(
            client.assessments,
            ctx.today,
            settings.assessment_validity_months,
            settings.agenda_lookahead_days,
        )
        income = client.annual_income
        income_currency = client.income_currency or client.report_currency
        tags = client.tag_names
        family = [(m.name, m.relation) for m in client.family]
        profile = {
            "id": client.id,
            "code": client.code,
            "name": client.name,
            "phone": client.phone,
            "email": client.email,
            "address": client.address,
            "birthday": client.birthday,
            "occupation": client.occupation,
            "employer": client.employer,
            "hobbies": client.hobbies,
            "annual_income": income,
            "income_currency": income_currency,
            "marital_status": client.marital_status,
            "tier": client.tier,
            "review_cadence": review_cadence(client.tier, client.review_cadence, settings),
            "report_currency": client.report_currency,
            "language": client.language,
            "contact_preferences": client.contact_preferences,
            "tags": tags,
            "special_notes": client.special_notes,
            "family": [
                {
                    "name": m.name,
                    "relation": m.relation,
                    "birthday": m.birthday,
                    "school_or_employer": m.school_or_employer,
                    "annual_income": m.annual_income,
                    "income_currency": m.income_currency or client.report_currency,
                }
                for m in client.family
            ],
        }
    if args.json:
        dump_json(
            {
                "client": profile,
                "risk_assessment": assessment.as_dict(),
                "latest_snapshot": view.as_dict() if view else None,
            }
        )
        return 0
    lang = current_language()
    labels = [
        ("code", _("Code")),
        ("name", _("Name")),
        ("phone", _("Phone")),
        ("email", _("Email")),
        ("address", _("Address")),
        ("birthday", _("Birthday")),
        ("occupation", _("Occupation")),
        ("employer", _("Employer")),
        ("hobbies", _("Hobbies")),
        ("tier", _("Tier")),
        ("review_cadence", _("Review cadence")),
        ("report_currency", _("Report currency")),
        ("contact_preferences", _("Contact preferences")),
        ("special_notes", _("Special notes")),
    ]
    for key, label in labels:
        value = profile[key]
        if hasattr(value, "label"):
            value = _(value.label)
        echo(f"{label}: {value if value not in (None, '') else '—'}")
    if income is not None:
        echo(f"{_('Annual income')}: {format_money(income, income_currency, lang)}")
    if tags:
        echo(f"{_('Tags')}: {', '.join(tags)}")
    for name, relation in family:
        echo(f"{_('Family')}: {name} ({_(relation.label)})")
    echo(f"{_('Risk assessment')}: {assessment_text(assessment)}")
    if view is None:
        echo(_("No snapshot yet."))
        return 0
    echo()
    echo(_("Snapshot of {date}").format(date=view.review_date.isoformat()))
    rows = [
        [
            h.product_name,
            _(h.asset_class.label),
            h.institution or _("This bank"),
            h.risk_level.value if h.risk_level else "—",
            format_money(h.market_value, h.currency, lang, compact=False),
            _cost_gain_text(h, view.currency, lang),
        ]
        for h in view.holdings
    ]
    gain_head = _("Gain vs. cost ({currency})").format(currency=view.currency)
    echo(
        table(
            [_("Product"), _("Class"), _("Institution"), _("Risk"), _("Market value"), gain_head],
            rows,
            right=(4, 5),
        )
    )
    echo(f"{_('Total assets')}: {format_money(view.total_assets, view.currency, lang)}")
    echo(f"{_('Liabilities')}: {format_money(view.liabilities, view.currency, lang)}")
    echo(f"{_('Net worth')}: {format_money(view.net_worth, view.currency, lang)}")
    if view.missing_rates:
        echo(_("No exchange rate for: {codes}").format(codes=", ".join(view.missing_rates)))
    total = view.cost_gain
    if total is not None and total.holdings:
        label = ngettext(
            "Gain vs. cost of the {count} holding with a recorded principal",
            "Gain vs. cost of the {count} holdings with a recorded principal",
            total.holdings,
        ).format(count=total.holdings)
        echo(
            f"{label}: {format_signed(total.gain, view.currency, lang)}"
            f" ({format_percent(total.ratio, lang)}); "
            + _("Principal: {amount}").format(
                amount=format_money(total.principal, view.currency, lang, compact=False)
            )
        )
    if total is not None and total.missing_rates:
        echo(
            _("Left out of that total for want of an exchange rate: {currencies}.").format(
                currencies=", ".join(total.missing_rates)
            )
        )
    return 0


def _cost_gain_text(h, currency: str, lang: str) -> str:
    """The gain against the recorded principal in the report currency and its ratio, as
    the review shows it: "—" without a principal or a rate, nothing for a loan."""
    if h.asset_class.is_liability:
        return ""
    if h.cost_gain is None:
        return "—"
    amount = "—"
    if h.cost_gain_in_report is not None:
        amount = format_signed(round_money(h.cost_gain_in_report, currency), currency, lang)
    if h.cost_gain_pct is None:
        return amount
    return f"{amount} ({format_percent(h.cost_gain_pct, lang)})"


def cmd_delete_client(ctx: AppContext, args) -> int:
    from reviewdesk.book.editing import client_contents, delete_client, deletion_warning

    if not args.yes:
        with ctx.book.session() as session:
            contents = client_contents(session, find_client(session, args.client).id)
        echo(deletion_warning(contents), file=sys.stderr)
        echo(_("Nothing was deleted: add --yes to delete."), file=sys.stderr)
        return 2
    with ctx.book.session() as session:
        contents = delete_client(session, find_client(session, args.client).id)
    echo(_("Deleted {code} {name}.").format(code=contents.code, name=contents.name))
    return 0
