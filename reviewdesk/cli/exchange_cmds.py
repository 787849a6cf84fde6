"""Commands that bring workbooks in and out: template, import, export."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from reviewdesk.app import AppContext
from reviewdesk.book.queries import find_client
from reviewdesk.cli.output import echo, warn_not_recorded
from reviewdesk.files import write_private
from reviewdesk.i18n import _, current_language, ngettext
from reviewdesk.refusals import os_reason

# Problems printed by default: a workbook with 100,000 bad rows must not swamp the terminal.
SHOWN_PROBLEMS = 50


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "template",
        help=_("write an empty workbook in the import format"),
        description=_(
            "Write an empty workbook in the import format, with a "
            "comment on each column and drop-down lists."
        ),
    )
    p.add_argument("file", metavar="FILE.xlsx", help=_("the workbook to write"))
    p.add_argument(
        "--lang",
        choices=["zh", "en"],
        default=None,
        help=_("language of sheet and column names (default: the interface language)"),
    )
    p.set_defaults(handler=cmd_template, writes="file")

    p = sub.add_parser(
        "import",
        help=_("import workbooks or CSV files into the book"),
        description=_(
            "Import an .xlsx workbook, or one .csv file per sheet. "
            "All or nothing: with any problem, every problem is "
            "listed and the book is left unchanged."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help=_(".xlsx or .csv files"))
    p.add_argument("--dry-run", action="store_true", help=_("check and report, but change nothing"))
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read the password of a protected workbook from the first line of standard input"),
    )
    p.add_argument(
        "--all-problems",
        action="store_true",
        help=_("print every problem (by default the first {n} and a count)").format(
            n=SHOWN_PROBLEMS
        ),
    )
    p.add_argument(
        "--report",
        metavar="FILE",
        help=_("write the whole report, every problem included, to this text file"),
    )
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser(
        "export",
        help=_("export the book or one client as a workbook"),
        description=_("Export the whole book, or one client, as a workbook in the import format."),
    )
    p.add_argument("file", metavar="FILE.xlsx", help=_("the workbook to write"))
    p.add_argument("--client", metavar="CLIENT", help=_("only this client (id, code or name)"))
    p.add_argument(
        "--lang",
        choices=["zh", "en"],
        default=None,
        help=_("language of sheet and column names (default: the interface language)"),
    )
    p.set_defaults(handler=cmd_export, writes="file")


class _RowCounter:
    """Rows read so far, on one line of stderr (only when stderr is a terminal)."""

    def __init__(self, label: str):
        self.label = label
        self.live = sys.stderr.isatty()
        self.sheet: str | None = None

    def __call__(self, sheet: str, rows: int) -> None:
        if not self.live:
            return
        if self.sheet not in (None, sheet):
            sys.stderr.write("\n")
        self.sheet = sheet
        sys.stderr.write(f"\r{self.label} {sheet}: {rows:,}")
        sys.stderr.flush()

    def done(self) -> None:
        if self.live and self.sheet is not None:
            sys.stderr.write("\n")


def _check_xlsx(name: str) -> None:
    from reviewdesk.cli import UsageError

    if not name.lower().endswith(".xlsx"):
        raise UsageError(_("{file}: the file name must end in .xlsx").format(file=name))


def _check_report(path: Path) -> None:
    """A report file that cannot be written is refused before anything is imported."""
    from reviewdesk.cli import UsageError

    if path.is_dir():
        raise UsageError(_("--report {file}: is a folder").format(file=path))
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(
            _("--report {file}: no such folder {folder}").format(file=path, folder=folder)
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(
            _("--report {file}: the folder {folder} cannot be written to").format(
                file=path, folder=folder
            )
        )


def cmd_template(ctx: AppContext, args) -> int:
    from reviewdesk.exchange import write_template

    _check_xlsx(args.file)
    path = write_template(args.file, args.lang or current_language())
    echo(_("Template written: {file}").format(file=path))
    return 0


def cmd_import(ctx: AppContext, args) -> int:
    from reviewdesk.cli import UsageError
    from reviewdesk.exchange import import_files

    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UsageError(_("--password-stdin: no password on standard input"))
    if args.report:
        _check_report(Path(args.report))
    counter = _RowCounter(_("Importing"))
    report = import_files(
        ctx.book, args.files, dry_run=args.dry_run, progress=counter, password=password
    )
    counter.done()
    # A report asked for and not written fails the command, whatever the import did.
    status = 0
    if args.report:
        try:
            write_private(Path(args.report), report.text().encode("utf-8"))
        except OSError as exc:
            status = 1
            echo(
                _("The report could not be written to {file}: {error}").format(
                    file=args.report, error=os_reason(exc)
                ),
                file=sys.stderr,
            )
    shown = None if args.all_problems else SHOWN_PROBLEMS
    for warning in report.warnings[:shown]:
        echo(_("warning: {message}").format(message=warning.message()), file=sys.stderr)
    if shown is not None and len(report.warnings) > shown:
        more = len(report.warnings) - shown
        echo(
            ngettext("... and {n} more warning", "... and {n} more warnings", more).format(n=more),
            file=sys.stderr,
        )
    if report.problems:
        for problem in report.problems[:shown]:
            echo(problem.message(), file=sys.stderr)
        if shown is not None and len(report.problems) > shown:
            more = len(report.problems) - shown
            if args.report:
                hint = ngettext(
                    "... and {n} more problem (all of them in {file})",
                    "... and {n} more problems (all of them in {file})",
                    more,
                ).format(n=more, file=args.report)
            else:
                hint = ngettext(
                    "... and {n} more problem (--all-problems prints them all, "
                    "--report FILE writes them to a file)",
                    "... and {n} more problems (--all-problems prints them all, "
                    "--report FILE writes them to a file)",
                    more,
                ).format(n=more)
            echo(hint, file=sys.stderr)
        echo(report.problems_line(), file=sys.stderr)
        return 1
    for line in report.summary_lines():
        echo(line)
    if report.dry_run:
        echo(_("Dry run: no problems found; nothing was changed."))
    elif report.changed == 0:
        echo(_("Nothing to change: the book already holds this data."))
    else:
        echo(_("Imported into {book}.").format(book=ctx.book.display_name))
    return status


def cmd_export(ctx: AppContext, args) -> int:
    from reviewdesk.exchange import export_workbook

    _check_xlsx(args.file)
    with ctx.book.session() as session:
        client_id = find_client(session, args.client).id if args.client else None
        summary = export_workbook(
            session,
            args.file,
            lang=args.lang or current_language(),
            client_id=client_id,
            progress=None,
            record=not ctx.book.read_only,
        )
    if ctx.book.read_only:
        warn_not_recorded(ctx.book.read_only_reason)
    echo(_("Exported to {file}:").format(file=summary.path))
    for sheet, rows in summary.rows.items():
        echo(_("{sheet}: {n} rows").format(sheet=sheet, n=rows))
    return 0
