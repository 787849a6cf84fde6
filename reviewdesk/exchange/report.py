"""What an import found and did: the object the command line prints and a dialog shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from reviewdesk.i18n import _, ngettext
from reviewdesk.text import escape_controls, shorten


def show_value(value: object) -> str:
    """A cell value as the user typed or sees it."""
    if value is None:
        return _("(empty)")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    # A cell may hold escape codes or a whole page: shown escaped and cut short.
    return escape_controls(shorten(str(value)))


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong in the input: where it is, what it holds and why it was refused.

    `row` is the worksheet row (the header is usually row 1) or the CSV line;
    `column` the header as written in the file. Either is None when the problem
    is about a whole sheet or file.
    """

    sheet: str
    row: int | None
    column: str | None
    value: object
    reason: str
    # False for problems about a header, a sheet or a file rather than a cell's value.
    about_value: bool = True

    def message(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += " " + _("row {row}").format(row=self.row)
        if self.column is not None:
            where = _("{place}, {column}").format(place=where, column=self.column)
        if not self.about_value or (self.column is None and self.value is None):
            return _("{where}: {reason}").format(where=where, reason=self.reason)
        return _("{where}: {value} {reason}").format(
            where=where, value=show_value(self.value), reason=self.reason
        )

    def __str__(self) -> str:
        return self.message()


@dataclass
class SheetCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    # Rows read; for Holdings the counts above are snapshots, not rows.
    rows: int = 0
    snapshots: bool = False
    # Holdings: snapshots moved to the date of their rows (`snapshot_record`), among updated.
    moved: int = 0

    @property
    def changed(self) -> int:
        return self.added + self.updated


@dataclass
class ImportReport:
    """All problems of an input (never only the first) and, per sheet, what changed.

    `applied` is True only when the book was changed: no problems and not a dry run.
    """

    files: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    counts: dict[str, SheetCounts] = field(default_factory=dict)
    dry_run: bool = False
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, sheet: str) -> SheetCounts:
        return self.counts.setdefault(sheet, SheetCounts())

    def problem(
        self,
        sheet: str,
        row: int | None,
        column: str | None,
        value: object,
        reason: str,
        about_value: bool = True,
    ) -> None:
        self.problems.append(ImportProblem(sheet, row, column, value, reason, about_value))

    def warn(
        self,
        sheet: str,
        row: int | None,
        column: str | None,
        value: object,
        reason: str,
        about_value: bool = True,
    ) -> None:
        self.warnings.append(ImportProblem(sheet, row, column, value, reason, about_value))

    @property
    def changed(self) -> int:
        return sum(c.changed for c in self.counts.values())

    def problems_line(self) -> str:
        """How many problems, and that the book is unchanged (the last line of a refusal)."""
        return ngettext(
            "{n} problem; nothing was imported, the book is unchanged.",
            "{n} problems; nothing was imported, the book is unchanged.",
            len(self.problems),
        ).format(n=len(self.problems))

    def summary_lines(self) -> list[str]:
        """Per sheet: added, updated, unchanged (what a dialog or the terminal shows)."""
        lines = []
        for sheet, c in self.counts.items():
            if c.snapshots:
                line = _(
                    "{sheet}: {rows} rows; snapshots: {added} added, {updated} "
                    "replaced, {unchanged} unchanged"
                ).format(
                    sheet=sheet,
                    rows=c.rows,
                    added=c.added,
                    updated=c.updated,
                    unchanged=c.unchanged,
                )
                if c.moved:
                    line += "; " + ngettext(
                        "{n} of them moved to the date of its rows",
                        "{n} of them moved to the date of their rows",
                        c.moved,
                    ).format(n=c.moved)
                lines.append(line)
                continue
            lines.append(
                _("{sheet}: {added} added, {updated} updated, {unchanged} unchanged").format(
                    sheet=sheet, added=c.added, updated=c.updated, unchanged=c.unchanged
                )
            )
        return lines

    def outcome(self) -> str:
        """The one line that says what happened to the book."""
        if self.problems:
            return self.problems_line()
        if self.dry_run:
            return _("Checked: no problems found; nothing was changed yet.")
        if self.changed == 0:
            return _("Nothing to change: the book already holds this data.")
        return _("Imported: the book now holds this data.")

    def text(self) -> str:
        """The whole report as plain text, every problem included: to copy into a mail,
        or to save beside the workbook."""
        lines = [_("Files: {files}").format(files=", ".join(self.files))]
        if self.problems:
            lines.append(self.outcome())
            lines.extend(problem.message() for problem in self.problems)
        for warning in self.warnings:
            lines.append(_("warning: {message}").format(message=warning.message()))
        if not self.problems:
            lines.extend(self.summary_lines())
            lines.append(self.outcome())
        return "\n".join(lines) + "\n"
