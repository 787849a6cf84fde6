"""Keeping in touch: the agenda, the 80/20 view, logging contacts and feedback."""

from __future__ import annotations

import argparse

from reviewdesk.app import AppContext
from reviewdesk.book.enums import Channel, FeedbackTopic, Tier
from reviewdesk.book.queries import find_client
from reviewdesk.cli.args import iso_date, refused
from reviewdesk.cli.output import dump_json, echo, table
from reviewdesk.i18n import N_, _, current_language, pgettext
from reviewdesk.money import format_money, format_percent
from reviewdesk.review.agenda import day_heading


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "agenda",
        help=_("what is due today and in the coming days, and why"),
        description=_(
            "Reviews and contacts due, birthdays, maturities, "
            "expired risk assessments and insurance renewals."
        ),
    )
    p.add_argument(
        "--days",
        type=_days,
        default=None,
        metavar="N",
        help=_("days ahead besides today (default: the setting due_ahead_days, 7)"),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_agenda)

    p = sub.add_parser(
        "segments",
        help=_("the book by value: the 80/20 view and potential"),
        description=_(
            "Clients ranked by assets here and in total, the key "
            "clients who hold most of the assets here, suggested "
            "tier changes and clients with potential."
        ),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.add_argument(
        "--top",
        type=_days,
        default=20,
        metavar="N",
        help=_("rows of the ranking to print (default 20; JSON has all)"),
    )
    p.set_defaults(handler=cmd_segments)

    p = sub.add_parser(
        "contact",
        help=_("log a contact with a client"),
        description=_(
            "Log a contact (phone, email, meeting...) with a client, "
            "with the client's feedback if any."
        ),
    )
    p.add_argument("client", metavar="CLIENT", help=_("client id, code or exact name"))
    p.add_argument(
        "--channel",
        required=True,
        type=_channel,
        metavar="T|E|M|S|C|O",
        help=_("T phone, E email, M meeting, S SMS, C chat, O other"),
    )
    p.add_argument(
        "--date",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help=_("the day of the contact (default today)"),
    )
    p.add_argument("--summary", required=True, metavar="TEXT", help=_("what was said"))
    p.add_argument("--next-step", metavar="TEXT", help=_("what to do next"))
    p.add_argument("--feedback", metavar="TEXT", help=_("what the client said about us"))
    p.add_argument(
        "--topic",
        type=_topic,
        metavar="product|service|other",
        help=_("what the feedback is about (default other)"),
    )
    p.add_argument(
        "--shared",
        action="store_true",
        help=_("the client may read this note in the pack and present mode (default: internal)"),
    )
    p.add_argument(
        "--share-next-step",
        action="store_true",
        help=_("the client may read the next step (needs --next-step)"),
    )
    p.add_argument(
        "--next-step-due",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_("the day the next step is due (needs --next-step)"),
    )
    p.set_defaults(handler=cmd_contact)

    p = sub.add_parser(
        "next-steps",
        help=_("a client's open next steps; mark one done"),
        description=_(
            "The next steps not done yet, soonest due first, with "
            "the contact number to mark one done (--done)."
        ),
    )
    p.add_argument("client", metavar="CLIENT", help=_("client id, code or exact name"))
    p.add_argument(
        "--done", type=_contact_id, metavar="CONTACT", help=_("mark this contact's next step done")
    )
    p.add_argument(
        "--reopen",
        type=_contact_id,
        metavar="CONTACT",
        help=_("open this contact's next step again"),
    )
    p.add_argument(
        "--on",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help=_("the day it was done (default today)"),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_next_steps)

    p = sub.add_parser(
        "feedback",
        help=_("list a client's feedback"),
        description=_("What the client said about products and service, newest first."),
    )
    p.add_argument("client", metavar="CLIENT", help=_("client id, code or exact name"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_feedback)

    p = sub.add_parser(
        "tags",
        help=_("the tags in use, and tags to suggest"),
        description=_(
            "The tags in use with the number of clients carrying "
            "each, and the suggested tags not used yet."
        ),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_tags)

    p = sub.add_parser(
        "tier",
        help=_("set a client's tier (key or standard)"),
        description=_(
            "Set a client's tier; the book records whether it follows "
            "the suggestion of `reviewdesk segments`."
        ),
    )
    p.add_argument("client", metavar="CLIENT", help=_("client id, code or exact name"))
    p.add_argument("tier", type=_tier, metavar="key|standard", help=_("the new tier"))
    p.set_defaults(handler=cmd_tier)


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise refused(N_("{value!r} is not a whole number"), text) from None
    if not 0 <= value <= 366:
        raise refused(N_("{value!r} must be between 0 and 366"), text)
    return value


def _enum_arg(cls, message: str, text: str):
    try:
        return cls.parse(text)
    except ValueError:
        choices = "|".join(m.value for m in cls)
        raise refused(message, text, choices=choices) from None


def _channel(text: str) -> Channel:
    return _enum_arg(Channel, N_("channel {value!r} is not one of {choices}"), text)


def _topic(text: str) -> FeedbackTopic:
    return _enum_arg(FeedbackTopic, N_("topic {value!r} is not one of {choices}"), text)


def _tier(text: str) -> Tier:
    return _enum_arg(Tier, N_("tier {value!r} is not one of {choices}"), text)


def cmd_agenda(ctx: AppContext, args) -> int:
    from reviewdesk.review.agenda import build_agenda

    lang = current_language()
    with ctx.book.session() as session:
        agenda = build_agenda(session, ctx.today, args.days)
    if args.json:
        dump_json(
            {
                "today": agenda.today,
                "days": agenda.days,
                "ahead": agenda.ahead,
                "lines": [line.as_dict(lang) for line in agenda.lines],
            }
        )
        return 0
    if not agenda.lines:
        echo(agenda.span_text(lang))
        return 0
    for day, lines in agenda.by_day():
        echo(day_heading(day, agenda.today))
        rows = [
            [_(line.kind.label), line.client_label, line.why(lang), line.preferences or ""]
            for line in lines
        ]
        echo(table([_("What"), _("Client"), _("Why"), _("Contact preference")], rows))
        echo()
    echo(agenda.span_text(lang))
    return 0


def cmd_segments(ctx: AppContext, args) -> int:
    from reviewdesk.review.segments import segment_book

    lang = current_language()
    with ctx.book.session() as session:
        seg = segment_book(session, ctx.today)
    if args.json:
        dump_json(
            {
                "currency": seg.currency,
                "share": seg.share,
                "key_count": seg.key_count,
                "clients": len(seg.rows),
                "total_here": seg.total_bank,
                "total_assets": seg.total_assets,
                "ranking": [r.as_dict() for r in seg.rows],
                "suggestions": [
                    {
                        "client_id": r.client_id,
                        "name": r.name,
                        "tier": r.tier,
                        "suggested_tier": r.suggested_tier,
                    }
                    for r in seg.suggestions
                ],
                "potential": [
                    {"client_id": r.client_id, "name": r.name, "why": r.potential_text(lang)}
                    for r in seg.potential
                ],
                "not_valued": [
                    {
                        "client_id": r.client_id,
                        "code": r.code,
                        "name": r.name,
                        "report_currency": r.report_currency,
                    }
                    for r in seg.not_valued
                ],
            }
        )
        return 0
    n = len(seg.rows)
    echo(seg.key_share_text(lang))
    echo()
    rows = [
        [
            str(r.rank_bank),
            r.name,
            _(r.tier.label),
            _(r.suggested_tier.label),
            format_money(r.bank_assets, seg.currency, lang),
            format_money(r.total_assets, seg.currency, lang),
            str(r.rank_total),
            format_percent(r.cumulative_share, signed=False),
        ]
        for r in seg.rows[: args.top]
    ]
    echo(
        table(
            [
                _("#"),
                _("Client"),
                _("Tier"),
                _("Suggested"),
                _("Assets here"),
                _("Total assets"),
                _("# by total"),
                _("Cumulative"),
            ],
            rows,
            right=(0, 4, 5, 6, 7),
        )
    )
    if n > args.top:
        echo(_("... {n} more (use --top or --json)").format(n=n - args.top))
    if seg.suggestions:
        echo()
        echo(_("Suggested tier changes (accept with `reviewdesk tier CLIENT TIER`):"))
        echo(
            table(
                [_("Client"), _("Tier"), _("Suggested"), _("Assets here")],
                [
                    [
                        r.name,
                        _(r.tier.label),
                        _(r.suggested_tier.label),
                        format_money(r.bank_assets, seg.currency, lang),
                    ]
                    for r in seg.suggestions
                ],
                right=(3,),
            )
        )
    if seg.potential:
        echo()
        echo(_("Clients with potential:"))
        echo(
            table(
                [_("Client"), _("Assets here"), _("Elsewhere"), _("Why")],
                [
                    [
                        r.name,
                        format_money(r.bank_assets, seg.currency, lang),
                        format_money(r.elsewhere, seg.currency, lang),
                        r.potential_text(lang),
                    ]
                    for r in seg.potential
                ],
                right=(1, 2),
            )
        )
    note = seg.rates_text(lang)
    if note:
        echo()
        echo(note)
    return 0


def _contact_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise refused(N_("contact {value!r} is not a contact number"), text) from None
    if value < 1:
        raise refused(N_("contact {value!r} is not a contact number"), text)
    return value


def cmd_contact(ctx: AppContext, args) -> int:
    from reviewdesk.book.contacts import log_contact
    from reviewdesk.cli import UsageError

    if not (args.next_step or "").strip():
        for given, option in (
            (args.share_next_step, "--share-next-step"),
            (args.next_step_due, "--next-step-due"),
        ):
            if given:
                raise UsageError(_("{option} needs --next-step TEXT").format(option=option))
    day = args.date or ctx.today
    with ctx.book.session() as session:
        client = find_client(session, args.client)
        log_contact(
            session,
            client.id,
            args.channel,
            day,
            summary=args.summary,
            next_step=args.next_step,
            feedback=args.feedback,
            topic=args.topic,
            shared=args.shared,
            next_step_shared=args.share_next_step,
            next_step_due=args.next_step_due,
            today=ctx.today,
        )
        name = client.name
    echo(
        _("Logged: {channel} with {name} on {day}.").format(
            channel=_(args.channel.label), name=name, day=day.isoformat()
        )
    )
    return 0


def cmd_next_steps(ctx: AppContext, args) -> int:
    from reviewdesk.book.contacts import mark_next_step_done
    from reviewdesk.cli import UsageError
    from reviewdesk.review.contacts import open_next_steps

    if args.done and args.reopen:
        raise UsageError(_("--done and --reopen: give one of them"))
    if args.on and not args.done:
        raise UsageError(_("--on needs --done CONTACT"))
    with ctx.book.session() as session:
        client = find_client(session, args.client)
        changed = args.done or args.reopen
        if changed:
            mark_next_step_done(
                session,
                changed,
                args.on or ctx.today if args.done else None,
                client_id=client.id,
                today=ctx.today,
            )
        steps = open_next_steps(session, client.id, ctx.today)
        name = client.name
    if args.done:
        echo(_("Done: the next step of contact {id}.").format(id=args.done))
    elif args.reopen:
        echo(_("Open again: the next step of contact {id}.").format(id=args.reopen))
    if args.json:
        dump_json(
            [
                {
                    "contact_id": s.contact_id,
                    "contact_date": s.contact_date,
                    "next_step": s.text,
                    "due": s.due,
                    "overdue": s.overdue,
                    "shared": s.shared,
                }
                for s in steps
            ]
        )
        return 0
    if not steps:
        echo(_("{name} has no open next step.").format(name=name))
        return 0
    echo(
        table(
            [_("Contact"), _("Agreed on"), _("Next step"), _("Due by"), _("Client sees it")],
            [
                [
                    str(s.contact_id),
                    s.contact_date.isoformat(),
                    s.text,
                    s.due_text(current_language()),
                    _("yes") if s.shared else _("no"),
                ]
                for s in steps
            ],
            right=(0,),
        )
    )
    return 0


def cmd_feedback(ctx: AppContext, args) -> int:
    from reviewdesk.review.contacts import feedback_history

    with ctx.book.session() as session:
        client = find_client(session, args.client)
        entries = feedback_history(session, client.id)
        name = client.name
    if args.json:
        dump_json(
            [
                {
                    "contact_id": e.contact_id,
                    "date": e.day,
                    "channel": e.channel,
                    "topic": e.topic,
                    "feedback": e.feedback,
                    "summary": e.summary,
                }
                for e in entries
            ]
        )
        return 0
    if not entries:
        echo(_("No feedback from {name} yet.").format(name=name))
        return 0
    echo(
        table(
            [_("Date"), _("Channel"), _("Topic"), _("Feedback")],
            [
                [
                    e.day.isoformat(),
                    _(e.channel.label),
                    _(e.topic.label) if e.topic else "—",
                    e.feedback,
                ]
                for e in entries
            ],
        )
    )
    return 0


def cmd_tags(ctx: AppContext, args) -> int:
    from reviewdesk.review.segments import tag_counts, tag_suggestions

    with ctx.book.session() as session:
        counts = tag_counts(session)
        suggestions = tag_suggestions(session)
    used = {tag for tag, _count in counts}
    unused = [tag for tag in suggestions if tag not in used]
    if args.json:
        dump_json({"in_use": [{"tag": t, "clients": n} for t, n in counts], "suggested": unused})
        return 0
    if counts:
        echo(
            table(
                [_("Tag"), pgettext("count", "Clients")],
                [[t, str(n)] for t, n in counts],
                right=(1,),
            )
        )
    else:
        echo(_("No tags in use yet."))
    if unused:
        echo()
        echo(_("Suggested: {tags}").format(tags=", ".join(unused)))
    return 0


def cmd_tier(ctx: AppContext, args) -> int:
    from reviewdesk.book.editing import set_tier
    from reviewdesk.review.segments import segment_book

    with ctx.book.session() as session:
        client = find_client(session, args.client)
        seg = segment_book(session, ctx.today)
        suggested = next((r.suggested_tier for r in seg.rows if r.client_id == client.id), None)
        old = client.tier
        set_tier(session, client.id, args.tier, ctx.user, suggested)
        name = client.name
    echo(
        _("{name}: tier {old} -> {new} (suggested: {suggested}).").format(
            name=name,
            old=_(old.label),
            new=_(args.tier.label),
            suggested=_(suggested.label) if suggested else "—",
        )
    )
    return 0
