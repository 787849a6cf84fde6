"""Commands that produce review packs: one client (`pack`) or many (`packs`)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from reviewdesk.app import AppContext
from reviewdesk.book.enums import PackAction
from reviewdesk.book.queries import find_client
from reviewdesk.cli.args import iso_date, refused
from reviewdesk.cli.output import Progress, dump_json, echo, table, warn_not_recorded
from reviewdesk.cli.settings_cmds import warn_if_unbranded
from reviewdesk.i18n import N_, _, ngettext


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "pack",
        help=_("write one client's review pack (PDF)"),
        description=_(
            "Write a client's review pack as a PDF, by default for "
            "the latest snapshot, in the client's language."
        ),
    )
    p.add_argument("client", metavar="CLIENT", nargs="?", help=_("client id, code or exact name"))
    p.add_argument(
        "--date",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_("the review date (a snapshot date; default: the latest)"),
    )
    p.add_argument(
        "--as-of",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_(
            "the day the pack is prepared on: maturities, contacts and the "
            "assessment's expiry are judged from it (default: today)"
        ),
    )
    p.add_argument(
        "--reference",
        metavar="REF",
        help=_(
            "rebuild the recorded pack with this reference: its client, review "
            "date, as-of date, language and paper (instead of CLIENT)"
        ),
    )
    p.add_argument(
        "--lang", choices=["zh", "en"], help=_("language of the pack (default: the client's)")
    )
    protect = p.add_mutually_exclusive_group()
    protect.add_argument(
        "--encrypt",
        action="store_true",
        help=_("encrypt with AES-256 and a generated password, shown once"),
    )
    protect.add_argument(
        "--password",
        metavar="P",
        help=_(
            "encrypt with AES-256 and this password (12 characters or more; "
            "it stays in the shell's history: prefer --password-stdin)"
        ),
    )
    protect.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("encrypt with AES-256 and the password read from standard input (its first line)"),
    )
    p.add_argument(
        "--paper", choices=["a4", "letter"], help=_("paper size (default: the book's setting)")
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="FILE.pdf",
        help=_("the PDF file to write"),
    )
    p.set_defaults(handler=cmd_pack, writes="output")

    p = sub.add_parser(
        "packs",
        help=_("write review packs for many clients"),
        description=_(
            "Write one review pack per client into a folder, in "
            "parallel, with a summary at the end."
        ),
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--due", action="store_true", help=_("clients whose review is due by the end of the month")
    )
    which.add_argument("--all", action="store_true", help=_("every client"))
    p.add_argument(
        "--month",
        type=_month,
        metavar="YYYY-MM",
        help=_("with --due: the month (default: the month of --as-of)"),
    )
    p.add_argument(
        "--lang", choices=["zh", "en"], help=_("language of every pack (default: each client's)")
    )
    p.add_argument(
        "--paper", choices=["a4", "letter"], help=_("paper size (default: the book's setting)")
    )
    p.add_argument(
        "--as-of",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_("the day the packs are prepared on (default: today)"),
    )
    p.add_argument(
        "--workers", type=int, metavar="N", help=_("processes to use (default: one per core)")
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="DIR",
        help=_("the folder to write into"),
    )
    p.set_defaults(handler=cmd_packs, writes="output")

    p = sub.add_parser(
        "pack-log",
        help=_("list the packs recorded for a client, with their references"),
        description=_(
            "List the review packs given to a client (saved, printed, "
            "emailed or shown), newest first, with what it takes to "
            "rebuild each: its reference, as-of date, language and "
            "paper."
        ),
    )
    p.add_argument("client", metavar="CLIENT", help=_("client id, code or exact name"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_pack_log)


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise refused(N_("{value!r} is not a month (YYYY-MM)"), text) from None


def cmd_pack_log(ctx: AppContext, args) -> int:
    from sqlalchemy import select

    from reviewdesk.book.models import PackRecord

    with ctx.book.session() as session:
        client = find_client(session, args.client)
        records = session.scalars(
            select(PackRecord)
            .where(PackRecord.client_id == client.id)
            .order_by(PackRecord.produced_at.desc(), PackRecord.id.desc())
        ).all()
        rows = [
            {
                "produced_at": r.produced_at.isoformat(timespec="seconds"),
                "action": r.action.value,
                "review_date": r.review_date,
                "as_of": r.as_of,
                "language": r.language.value,
                "paper": r.paper,
                "encrypted": r.encrypted,
                "recipient": r.recipient,
                "file_name": r.file_name,
                "reference": r.reference,
            }
            for r in records
        ]
    if args.json:
        dump_json(rows)
        return 0
    shown = [
        [
            r["produced_at"].replace("T", " "),
            _(PackAction(r["action"]).label),
            r["review_date"].isoformat(),
            r["as_of"].isoformat() if r["as_of"] else "—",
            r["language"],
            r["paper"] or "—",
            _("yes") if r["encrypted"] else "",
            r["recipient"] or "",
            r["reference"] or "—",
        ]
        for r in rows
    ]
    echo(
        table(
            [
                _("When (UTC)"),
                _("Action"),
                _("Review date"),
                _("As of"),
                _("Language"),
                _("Paper"),
                _("Encrypted"),
                _("To"),
                _("Reference"),
            ],
            shown,
        )
    )
    echo(
        ngettext(
            "{n} pack recorded for {client}", "{n} packs recorded for {client}", len(rows)
        ).format(n=len(rows), client=client.name)
    )
    return 0


def cmd_pack(ctx: AppContext, args) -> int:
    from reviewdesk.cli import UsageError
    from reviewdesk.files import write_private
    from reviewdesk.pack.produce import make_pack, rebuild_pack, record_pack
    from reviewdesk.pack.protect import MIN_LENGTH, encrypt_pdf, generate_password
    from reviewdesk.settings import load_settings

    if args.reference is not None:
        given = [
            option
            for option, value in (
                ("CLIENT", args.client),
                ("--date", args.date),
                ("--as-of", args.as_of),
                ("--lang", args.lang),
                ("--paper", args.paper),
            )
            if value is not None
        ]
        if given:
            raise UsageError(
                _(
                    "--reference: the record gives the client, dates, language and "
                    "paper; leave out {options}"
                ).format(options=", ".join(given))
            )
    elif args.client is None:
        raise UsageError(_("CLIENT: required (or --reference REF to rebuild a recorded pack)"))
    if args.as_of is not None and args.date is not None and args.date > args.as_of:
        raise UsageError(
            _(
                "--date {date} is after --as-of {as_of}: a pack cannot be prepared "
                "before its review date"
            ).format(date=args.date.isoformat(), as_of=args.as_of.isoformat())
        )
    if args.password_stdin:
        args.password = sys.stdin.readline().rstrip("\r\n")
    option = "--password-stdin" if args.password_stdin else "--password"
    if args.password is not None and len(args.password) < MIN_LENGTH:
        raise UsageError(
            _("{option}: must be at least {n} characters").format(option=option, n=MIN_LENGTH)
        )
    if args.output.is_dir():
        raise UsageError(_("-o {file}: is a folder; give a file name").format(file=args.output))
    with ctx.book.session() as session:
        settings = load_settings(session)
        if args.reference is not None:
            pack = rebuild_pack(session, args.reference, settings=settings)
        else:
            client = find_client(session, args.client)
            pack = make_pack(
                session,
                client.id,
                args.date,
                settings=settings,
                today=args.as_of or ctx.today,
                lang=args.lang,
                paper=args.paper,
            )
        client_name = pack.review.client.name
        data = pack.data
        password = args.password or (generate_password() if args.encrypt else None)
        if password:
            data = encrypt_pdf(data, password)
        path = write_private(args.output, data)
        if not ctx.book.read_only:
            record_pack(
                session,
                pack.review.client.id,
                pack.review.review_date,
                PackAction.SAVED,
                pack.lang,
                encrypted=bool(password),
                file_name=str(path.resolve()),
                as_of=pack.as_of,
                paper=pack.paper,
                reference=pack.reference,
            )
    if ctx.book.read_only:
        warn_not_recorded(ctx.book.read_only_reason)
    warn_if_unbranded(settings)
    echo(
        _("Review pack of {date} for {client} written to {path}").format(
            date=pack.review.review_date.isoformat(), client=client_name, path=path
        )
    )
    echo(
        _("Prepared on {date}, reference {reference}").format(
            date=pack.as_of.isoformat(), reference=pack.reference
        )
    )
    for warning in pack.warnings:
        echo(f"{_('warning')}: {warning}", file=sys.stderr)
    if password and args.encrypt:
        echo(
            _("Password (shown only now; send it by another channel): {password}").format(
                password=password
            )
        )
    return 0


def cmd_packs(ctx: AppContext, args) -> int:
    from reviewdesk.cli import UsageError
    from reviewdesk.pack.batch import (
        BatchFailed,
        all_jobs,
        due_jobs,
        prepare_workers,
        run_batch,
    )
    from reviewdesk.settings import load_settings

    if args.month and not args.due:
        raise UsageError(_("--month: only with --due"))
    if args.workers is not None and args.workers < 1:
        raise UsageError(_("--workers {n}: must be at least 1").format(n=args.workers))
    as_of = args.as_of or ctx.today
    if args.workers != 1:
        prepare_workers()  # the workers' modules load while the book opens
    with ctx.book.session() as session:
        settings = load_settings(session)
        warn_if_unbranded(settings)
        if args.all:
            jobs = all_jobs(session)
        else:
            # Due as the packs' day sees it: by the end of --month, or of --as-of's month.
            jobs = due_jobs(session, args.month or as_of, as_of)
    progress = Progress(_("Writing packs"))

    def print_skipped(result) -> None:
        for job, reason in result.skipped:
            echo(
                _("skipped {code} {name}: {reason}").format(
                    code=job.code, name=job.name, reason=reason
                )
            )

    try:
        result = run_batch(
            ctx.book,
            jobs,
            args.output,
            today=as_of,
            settings=settings,
            lang=args.lang,
            paper=args.paper,
            workers=args.workers,
            progress=progress,
        )
    except BatchFailed as exc:
        if progress.live:
            echo(file=sys.stderr)  # end the progress line
        print_skipped(exc.result)
        raise  # one sentence on stderr, exit status 1; the details are in the log
    echo(
        ngettext(
            "{written} pack written to {folder}, {skipped} skipped",
            "{written} packs written to {folder}, {skipped} skipped",
            len(result.written),
        ).format(written=len(result.written), folder=args.output, skipped=len(result.skipped))
    )
    print_skipped(result)
    return 1 if result.skipped and not result.written else 0
