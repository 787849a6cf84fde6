"""Commands that keep the book safe: backup, restore, passphrase, audit."""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import os
import sys
from pathlib import Path
from typing import TypedDict

from reviewdesk.app import ENV_PASSPHRASE, AppContext
from reviewdesk.book import audit, backup, crypto, keys
from reviewdesk.book.db import CorruptBook
from reviewdesk.book.errors import BookError
from reviewdesk.book.queries import find_client
from reviewdesk.cli.args import iso_date
from reviewdesk.cli.output import csv_text, dump_json, echo, safe_fields, table
from reviewdesk.i18n import _, ngettext
from reviewdesk.privacy import MASKED_FIELDS, mask_fields, mask_number

ENV_NEW_PASSPHRASE = "REVIEWDESK_NEW_PASSPHRASE"
# The passphrase of a backup made before the book's passphrase changed.
ENV_BACKUP_PASSPHRASE = "REVIEWDESK_BACKUP_PASSPHRASE"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backup",
        help=_("write a checked backup of the book to FILE"),
        description=_(
            "Write a consistent backup of the book to FILE (encrypted "
            "with the book's passphrase when the book is encrypted)."
        ),
    )
    p.add_argument("file", metavar="FILE", type=Path, help=_("the backup file to write"))
    p.set_defaults(handler=cmd_backup, writes="file")

    p = sub.add_parser(
        "restore",
        help=_("replace the book with a checked backup"),
        description=_(
            "Replace the book with the backup in FILE. The backup is "
            "checked first; the replaced book is kept as a backup. "
            "A backup made under an older passphrase: set {env}."
        ).format(env=ENV_BACKUP_PASSPHRASE),
    )
    p.add_argument("file", metavar="FILE", type=Path, help=_("the backup file to restore"))
    p.add_argument(
        "--foreign",
        action="store_true",
        help=_("replace the book even with a backup of another book"),
    )
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser(
        "passphrase",
        help=_("change the book's passphrase (or encrypt a plain book)"),
        description=_(
            "Re-key the book under a new passphrase, read from "
            "{env} or typed twice. A plain book becomes encrypted."
        ).format(env=ENV_NEW_PASSPHRASE),
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--remember",
        action="store_true",
        help=_("only keep the current passphrase in the system keyring"),
    )
    group.add_argument(
        "--forget",
        action="store_true",
        help=_("only remove the passphrase from the system keyring"),
    )
    p.set_defaults(handler=cmd_passphrase)

    p = sub.add_parser(
        "email",
        help=_("write an email draft (.eml) with the encrypted pack"),
        description=_(
            "Write an email draft with the client's review pack "
            "attached, encrypted with AES-256 and a random password "
            "shown once here, never written into the draft."
        ),
    )
    p.add_argument("client", metavar="CLIENT", help=_("client id, code or exact name"))
    p.add_argument(
        "--date",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_("the review date (default: the latest snapshot)"),
    )
    p.add_argument(
        "--to",
        metavar="ADDRESS",
        help=_(
            "the recipient, one address (default: the client's email address); another "
            "address needs --confirm-recipient"
        ),
    )
    p.add_argument(
        "--confirm-recipient",
        action="store_true",
        help=_("confirm that --to, not the address on record, is the client's (recorded)"),
    )
    p.add_argument("--lang", choices=["zh", "en"], help=_("language of the pack"))
    p.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="DRAFT.eml",
        help=_("the draft to write"),
    )
    p.set_defaults(handler=cmd_email, writes="output")

    p = sub.add_parser(
        "audit",
        help=_("show the audit trail, of one client or of the book"),
        description=_("Show who changed or disclosed what, and when."),
    )
    p.add_argument(
        "client",
        metavar="CLIENT",
        nargs="?",
        help=_("client id, code or exact name (default: the whole book)"),
    )
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help=_("print JSON"))
    fmt.add_argument("--csv", action="store_true", help=_("print CSV"))
    p.add_argument(
        "--reveal",
        action="store_true",
        help=_("show account, ID and policy numbers whole (the reveal is recorded)"),
    )
    p.add_argument(
        "--who",
        metavar="CLIENT",
        help=_("who viewed, printed, emailed, exported or presented this client's data, when"),
    )
    p.set_defaults(handler=cmd_audit)


def terminal_passphrase(path: Path, creating: bool) -> str | None:
    """Ask on the terminal without echo; None when there is no terminal to ask on."""
    if not sys.stdin.isatty():
        return None
    if creating:
        echo(_("A new encrypted book: {book}").format(book=path), file=sys.stderr)
    first = getpass.getpass(_("Passphrase: "))
    if creating and first:
        again = getpass.getpass(_("Passphrase again: "))
        if again != first:
            raise BookError(_("the two passphrases differ: nothing was created"))
    return first or None


def terminal_server_password(account: str) -> str | None:
    """A server's password asked on the terminal without echo; None without a terminal."""
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(_("Password for {account}: ").format(account=account)) or None


def offer_keyring(path: Path, passphrase: str) -> None:
    if not sys.stdin.isatty():
        return
    answer = input(_("Keep the passphrase in the system keyring? [y/N] ")).strip().lower()
    if answer in ("y", "yes", "是"):
        keys.store(path, passphrase)
        echo(_("The passphrase is kept in the system keyring."), file=sys.stderr)


def cmd_backup(ctx: AppContext, args) -> int:
    target = args.file.expanduser()
    if target.exists():
        raise BookError(_("{file} already exists: choose a new file name").format(file=target))
    made = backup.backup_to(ctx.book, target)
    checked = backup.verify(made, ctx.book._passphrase)
    if not ctx.book.read_only:
        with ctx.book.session() as session:
            audit.record_event(session, "backup", detail=str(made))
    rows = sum(count for count, _digest in checked.tables.values())
    state = _("encrypted") if checked.encrypted else _("not encrypted")
    echo(
        _("Backup written: {file} ({rows} rows, {state}, checked)").format(
            file=made, rows=rows, state=state
        )
    )
    return 0


def cmd_restore(ctx: AppContext, args) -> int:
    source = args.file.expanduser()
    if not source.is_file():
        raise BookError(_("{file} does not exist").format(file=source))
    book = ctx.book
    passphrase = (
        os.environ.get(ENV_BACKUP_PASSPHRASE)
        or book._passphrase
        or os.environ.get(ENV_PASSPHRASE)
        or None
    )
    if (
        crypto.file_kind(source) == "encrypted"
        and sys.stdin.isatty()
        and ctx.passphrase_provider is not None
    ):
        try:
            backup.verify(source, passphrase)
        except (CorruptBook, crypto.PassphraseError):
            echo(
                _(
                    "The backup does not open with the book's passphrase; type the "
                    "backup's passphrase."
                ),
                file=sys.stderr,
            )
            passphrase = ctx.passphrase_provider(source, False) or passphrase
    done = backup.restore(book, source, passphrase, foreign=args.foreign)
    echo(
        _(
            "Restored from {file} (a backup of book {book}). The book as it was is kept as {kept}."
        ).format(file=source, book=done.book_id or _("not named"), kept=done.kept)
    )
    if done.foreign:
        echo(_("The backup was of another book: this book is now that book."))
    if done.audit_file is not None:
        echo(_("The audit entries made since are written to {file}.").format(file=done.audit_file))
    elif done.carried:
        echo(
            ngettext(
                "{n} audit entry made since the backup is kept in the trail.",
                "{n} audit entries made since the backup are kept in the trail.",
                done.carried,
            ).format(n=done.carried)
        )
    return 0


def _new_passphrase() -> str:
    value = os.environ.get(ENV_NEW_PASSPHRASE)
    if value:
        return value
    if not sys.stdin.isatty():
        raise BookError(
            _("no new passphrase: set {env} or run this on a terminal").format(
                env=ENV_NEW_PASSPHRASE
            )
        )
    first = getpass.getpass(_("New passphrase: "))
    if not first:
        raise BookError(_("the new passphrase is empty: nothing was changed"))
    if getpass.getpass(_("New passphrase again: ")) != first:
        raise BookError(_("the two passphrases differ: nothing was changed"))
    return first


def cmd_passphrase(ctx: AppContext, args) -> int:
    book = ctx.book
    if args.forget:
        done = keys.forget(book.path) if book.path else False
        echo(
            _("The passphrase was removed from the keyring.")
            if done
            else _("No passphrase was kept in the keyring.")
        )
        return 0
    if args.remember:
        if not book.encrypted or book.path is None or book._passphrase is None:
            raise BookError(_("the book is not encrypted: there is no passphrase to keep"))
        keys.store(book.path, book._passphrase)
        echo(_("The passphrase is kept in the system keyring."))
        return 0
    new = _new_passphrase()
    was_encrypted, followed = ctx.change_passphrase(new)
    if was_encrypted:
        echo(
            ngettext(
                "The passphrase was changed; {n} backup now uses it too.",
                "The passphrase was changed; {n} backups now use it too.",
                followed,
            ).format(n=followed)
        )
    else:
        echo(
            ngettext(
                "The book is now encrypted; {n} backup was encrypted too.",
                "The book is now encrypted; {n} backups were encrypted too.",
                followed,
            ).format(n=followed)
        )
    return 0


def cmd_email(ctx: AppContext, args) -> int:
    from reviewdesk.cli.output import warn_not_recorded
    from reviewdesk.cli.settings_cmds import warn_if_unbranded
    from reviewdesk.pack.emailing import find_recipient, record_email, write_email
    from reviewdesk.pack.produce import make_pack
    from reviewdesk.settings import load_settings

    book = ctx.book
    with book.session() as session:
        client = find_client(session, args.client)
        recipient = find_recipient(session, client.id, args.to, confirmed=args.confirm_recipient)
        settings = load_settings(session)
        pack = make_pack(
            session, client.id, args.date, settings=settings, today=ctx.today, lang=args.lang
        )
        emailed = write_email(pack, recipient, args.output)
        if not book.read_only:
            record_email(session, pack, recipient, emailed)
        code = client.code
    if book.read_only:
        warn_not_recorded(book.read_only_reason)
    if recipient.sharing:
        echo(
            "{warning}: {text}".format(
                warning=_("warning"),
                text=_(
                    "{address} is also the address of {clients}: check that only {client} "
                    "reads it before you send the draft"
                ).format(
                    address=recipient.address, clients=", ".join(recipient.sharing), client=code
                ),
            ),
            file=sys.stderr,
        )
    warn_if_unbranded(settings)
    echo(
        _("Email draft written to {path}; open it in your mail program to send it.").format(
            path=emailed.draft
        )
    )
    echo(_("Reference of the pack: {reference}").format(reference=pack.reference))
    echo(
        _("Password (shown only now; give it to the client by another channel): {password}").format(
            password=emailed.password
        )
    )
    return 0


def _masked(field: str | None, value: str | None, reveal: bool) -> str | None:
    if value is None or reveal:
        return value
    if field is not None:
        return mask_number(value) if field in MASKED_FIELDS else value
    if value.startswith("{"):
        try:
            values = json.loads(value)
        except ValueError:
            return value
        return json.dumps(mask_fields(values), ensure_ascii=False, sort_keys=True)
    return value


class _AuditRow(TypedDict):
    at: str
    actor: str
    host: str | None
    client_id: int | None
    action: str
    record: str | None
    record_id: int | None
    field: str | None
    old_value: str | None
    new_value: str | None
    detail: str | None


def cmd_audit_who(ctx: AppContext, args) -> int:
    """Compliance's question: who had this client's data in front of them, and how."""
    with ctx.book.session() as session:
        client = find_client(session, args.who)
        label = f"{client.name} ({client.code})"
        events = [
            {
                "at": e.at.isoformat(timespec="seconds"),
                "who": e.actor,
                "db_user": e.db_user,
                "host": e.host,
                "action": e.action,
                "whole_book": e.client_id is None,
                "detail": e.detail,
            }
            for e in audit.access_events(session, client.id)
        ]
    if args.json:
        dump_json(events)
        return 0
    if args.csv:
        writer = csv.DictWriter(
            sys.stdout,
            fieldnames=["at", "who", "db_user", "host", "action", "whole_book", "detail"],
            lineterminator="\n",
            quoting=csv.QUOTE_ALL,
        )
        writer.writeheader()
        writer.writerows({k: csv_text(v) for k, v in safe_fields(row).items()} for row in events)
        return 0
    echo(_("Who had the data of {client}:").format(client=label))
    echo(
        table(
            [_("When (UTC)"), _("Who"), _("Action"), _("Detail")],
            [
                [
                    str(e["at"]),
                    str(e["who"]),
                    str(e["action"]),
                    _clip(
                        (_("the whole book") + "; " if e["whole_book"] else "")
                        + str(e["detail"] or "")
                    ),
                ]
                for e in events
            ],
        )
    )
    echo(ngettext("{n} entry", "{n} entries", len(events)).format(n=len(events)))
    return 0


def cmd_audit(ctx: AppContext, args) -> int:
    if args.who:
        if args.client:
            raise BookError(_("give either CLIENT or --who CLIENT, not both"))
        return cmd_audit_who(ctx, args)
    with ctx.book.session() as session:
        client_id = find_client(session, args.client).id if args.client else None
        rows: list[_AuditRow] = [
            {
                "at": e.at.isoformat(timespec="seconds"),
                "actor": e.actor,
                "host": e.host,
                "client_id": e.client_id,
                "action": e.action,
                "record": e.record,
                "record_id": e.record_id,
                "field": e.field,
                "old_value": _masked(e.field, e.old_value, args.reveal),
                "new_value": _masked(e.field, e.new_value, args.reveal),
                "detail": e.detail,
            }
            for e in audit.entries(session, client_id)
        ]
        if args.reveal and not ctx.book.read_only:
            audit.record_event(session, "revealed", client_id, "audit trail, numbers whole")
    if args.json:
        dump_json(rows)
        return 0
    if args.csv:
        columns = list(rows[0]) if rows else list(audit.AUDIT_COLUMNS)
        # Every field quoted: one holding a carriage return stays one field, whatever the
        # line ending (the minimal quoting quotes only the line terminator's characters).
        writer = csv.DictWriter(
            sys.stdout, fieldnames=columns, lineterminator="\n", quoting=csv.QUOTE_ALL
        )
        writer.writeheader()
        writer.writerows({k: csv_text(v) for k, v in safe_fields(row).items()} for row in rows)
        return 0
    shown = [
        [
            r["at"],
            r["actor"],
            r["action"],
            f"{r['record'] or ''} {r['record_id'] or ''}",
            r["field"] or "",
            _clip(r["old_value"]),
            _clip(r["new_value"]),
            _clip(r["detail"]),
        ]
        for r in rows
    ]
    echo(
        table(
            [
                _("When (UTC)"),
                _("Who"),
                _("Action"),
                _("Record"),
                _("Field"),
                _("Old value"),
                _("New value"),
                _("Detail"),
            ],
            shown,
        )
    )
    echo(ngettext("{n} entry", "{n} entries", len(rows)).format(n=len(rows)))
    return 0


def _clip(value: str | None, width: int = 40) -> str:
    if not value:
        return ""
    return value if len(value) <= width else value[: width - 1] + "…"
