"""Importing a manager's workbook into the book: all or nothing, every problem reported.

The whole import is one unit of work. Every row is read, parsed and checked
with the book's own rules; any problem is recorded with its sheet, row,
column, value and reason, and reading goes on so that the user sees every
problem at once. If there was any problem (or on a dry run) the unit of work
is rolled back and the book is as it was.

Rows are keyed by client_id and dates, so importing the same workbook again
finds everything equal and changes nothing. Holdings stream: the rows of one
(client_id, review_date) are one snapshot and are compared, validated and
bulk-inserted as a group; only one group is held in memory at a time.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Literal, TypeVar, cast
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

from sqlalchemy import (
    Connection,
    Date,
    Dialect,
    Enum,
    Table,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.types import TypeEngine

from reviewdesk.book import audit, identity, team, validation
from reviewdesk.book.db import Book
from reviewdesk.book.enums import ClientRiskLevel, Language, PolicyKind, Relation, Tier
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.flows import snapshot_rate
from reviewdesk.book.models import (
    Base,
    BenchmarkChoice,
    BenchmarkLevel,
    Client,
    Contact,
    FamilyMember,
    Flow,
    FxRate,
    Holding,
    InsurancePolicy,
    RiskAssessment,
    Snapshot,
)
from reviewdesk.exchange import schema
from reviewdesk.exchange.limits import DEFAULT_LIMITS, ImportRefused, Limits
from reviewdesk.exchange.parse import CellError, check_currency_sign, is_blank, parse_date
from reviewdesk.exchange.report import ImportReport, SheetCounts
from reviewdesk.exchange.sources import Inputs, SheetInput
from reviewdesk.i18n import N_, _
from reviewdesk.privacy import switched_off
from reviewdesk.review.questionnaire import valid_until
from reviewdesk.settings import load_settings
from reviewdesk.text import normalise_code

K = TypeVar("K")  # a key rows are told apart by (`Importer.repeated`)
R = TypeVar(
    "R", FamilyMember, InsurancePolicy, Contact, Flow, RiskAssessment
)  # a record a row may name by its id
_RECORD_ID = re.compile(r"^([0-9a-f]{8})-([1-9][0-9]{0,17})$")
BATCH = 20_000

# The parsed cells of one row, by column key. Each value is what its column's parser
# makes (schema.Column.kind: a text is a str, a date a dt.date, an enum its member...),
# which the type cannot say; the casts below state it where a typed use needs it.
_Cells = dict[str, object]
# A row's cell values as read from the file.
_Values = tuple[object, ...]
# One holding as compared with the book's: its _HOLDING_FIELDS in order.
_HoldingKey = tuple[object, ...]
# What tells one policy from another (see _policy_key).
_PolicyKey = tuple[object, ...]
# A holding column read: (key, position, column, the parses of its texts and floats).
_PlanStep = tuple[str, int, schema.Column, dict[object, object]]
_BindProcessor = Callable[[object], object]

# Model attribute -> workbook column, where they differ.
_FIELD_COLUMNS = {
    "code": "client_id",
    "special_notes": "notes",
    "tag": "tags",
    "kind": "policy_type",
    "insured_member": "insured",
    "contact_date": "date",
    "flow_date": "date",
    "level_date": "date",
    "owner": "manager",
}

_CLIENT_FIELDS = {
    "name": "name",
    "phone": "phone",
    "email": "email",
    "address": "address",
    "birthday": "birthday",
    "occupation": "occupation",
    "employer": "employer",
    "hobbies": "hobbies",
    "annual_income": "annual_income",
    "income_currency": "income_currency",
    "marital_status": "marital_status",
    "tier": "tier",
    "review_cadence": "review_cadence",
    "report_currency": "report_currency",
    "language": "language",
    "notes": "special_notes",
    "contact_preferences": "contact_preferences",
    "contact_cadence_days": "contact_cadence_days",
    "id_number": "id_number",
}
# Blank in the sheet: a new client takes the default, an existing one keeps its value.
_CLIENT_DEFAULTED = {"tier", "report_currency", "language"}

_HOLDING_FIELDS = (
    "product_name",
    "product_code",
    "asset_class",
    "institution",
    "currency",
    "market_value",
    "principal",
    "held_since",
    "maturity_date",
    "risk_level",
    "account_number",
)
# A policy's columns a workbook may leave out: without one, a stored policy keeps its value.
_POLICY_OPTIONAL = (
    "policy_number",
    "insurer",
    "annual_premium",
    "payment_years",
    "start_date",
    "end_date",
)
# What pairs a workbook's holding with a stored one when a column is absent
# (`_keep_stored`), after all the fields the workbook gives: the same position, else the
# same product.
_HOLDING_POSITION = ("product_name", "product_code", "institution", "currency", "held_since")
_HOLDING_PRODUCT = ("product_name", "product_code", "institution", "currency")


# A flow's columns a workbook may leave out: without one, a stored flow keeps its value.
_FLOW_OPTIONAL = ("currency", "to_currency", "holding", "note")

# The columns of the family and policy fields a bank may switch off (privacy.py).
_FAMILY_OFF = {key: key for key in ("birthday", "annual_income", "income_currency")}
_POLICY_OFF = {"policy_number": "policy_number"}

# The amount columns of a sheet, whose currency sign (`US$1,000`) must be the row's currency.
_AMOUNTS = {
    "Clients": ("annual_income",),
    "Family": ("annual_income",),
    "Holdings": ("market_value", "principal"),
    "Insurance": ("sum_assured", "annual_premium"),
    "Flows": ("amount",),
}

# The book's own field rules for holdings, run on each parsed cell (and cached with it).
_HOLDING_RULES = validation.field_rules(Holding)
_SNAPSHOT_NOTE_RULE = validation.field_rules(Snapshot)["note"]


def _sheet_rules(
    model: type[Base], sheet: schema.Sheet, fields: Mapping[str, str] | None = None
) -> dict[str, Callable[[object], object]]:
    """The model's field rules by the column of `sheet` that sets each field, run on each
    cell as it parses (`_Import.cells`): `fields` (column key: field), else the columns
    named as the fields are (`_FIELD_COLUMNS` where the names differ)."""
    rules = validation.field_rules(model)
    if fields is None:
        fields = {_FIELD_COLUMNS.get(attr, attr): attr for attr in rules}
    return {
        key: rules[attr] for key, attr in fields.items() if key in sheet.by_key and attr in rules
    }


# The clients' columns as `apply_client` sets them: the code and the manager are checked
# apart (`_code_in`, `owner_of`).
_CLIENT_RULES = _sheet_rules(Client, schema.CLIENTS, _CLIENT_FIELDS)
_FAMILY_RULES = _sheet_rules(FamilyMember, schema.FAMILY)
_INSURANCE_RULES = _sheet_rules(InsurancePolicy, schema.INSURANCE)
_CONTACT_RULES = _sheet_rules(Contact, schema.CONTACTS)
_RISK_RULES = _sheet_rules(RiskAssessment, schema.RISK)
_FLOW_RULES = _sheet_rules(Flow, schema.FLOWS)


class _Rollback(Exception):
    pass


def import_files(
    book: Book,
    paths: Iterable[str | Path],
    *,
    dry_run: bool = False,
    progress: Callable[[str, int], None] | None = None,
    password: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ImportReport:
    """Import .xlsx workbooks and/or per-sheet .csv files into the book.

    Returns the report; the book is changed only if `report.applied`.
    `progress(sheet, rows_read)` is called now and then for a progress display.
    `password` opens a password-protected workbook; `limits` bound what a file may
    hold (see reviewdesk.exchange.limits).
    """
    files = [Path(p) for p in paths]
    report = ImportReport(files=[str(p) for p in files], dry_run=dry_run)
    inputs = Inputs(files, report, limits, password)
    try:
        with book.session() as session:
            importer = _Import(session, report, progress)
            importer.run(inputs)
            if not report.problems and inputs.rows_read == 0:
                report.problem(
                    ", ".join(p.name for p in files) or _("the import"),
                    None,
                    None,
                    None,
                    _("no row to import was found: nothing was read"),
                )
            if report.problems or dry_run:
                raise _Rollback
            importer.record(files)
            report.applied = True
    except _Rollback:
        pass
    finally:
        inputs.close()
    return report


@dataclass
class _Group:
    """The rows of one snapshot being read: (client, review date) and its holdings."""

    client: Client
    review_date: dt.date
    first_row: int
    rows: list[_Cells] = field(default_factory=list)
    currency_rows: dict[str, int] = field(default_factory=dict)
    last_row: int = 0
    note: str | None = None
    note_row: int = 0
    record: str | None = None  # the snapshot's id as the export wrote it (`snapshot_record`)
    record_row: int = 0


class _Inserter:
    """Rows into one table by the driver's executemany, each value bound as SQLAlchemy
    binds it (the column types' own bind processors).

    For the 1.8M holdings of a large workbook the ORM's bulk insert spent about
    17 us a row on bookkeeping, Core's about 9; this, about 6, most of it the
    database's. Columns left out must have no default for the program to fill (the
    database fills its own: a record's save counter starts at 1).
    """

    def __init__(self, connection: Connection, table: Table, keys: tuple[str, ...]):
        dialect = connection.dialect
        for column in table.columns:
            if column.key not in keys:
                assert column.primary_key or (
                    column.default is None
                    and (column.nullable or column.server_default is not None)
                ), column
        compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
        self.sql = str(compiled)
        self.positional = bool(compiled.positional)
        if self.positional:
            assert compiled.positiontup is not None  # a positional statement lists its keys
            self.keys = list(compiled.positiontup)
        else:
            self.keys = list(keys)
        self.processors = [_bind_processor(table.c[key].type, dialect) for key in self.keys]

    def insert(self, connection: Connection, rows: list[_Cells]) -> None:
        values_of = itemgetter(*self.keys)
        converted = [(i, p) for i, p in enumerate(self.processors) if p is not None]
        params: list[tuple[object, ...] | dict[str, object]] = []
        for row in rows:
            values = list(values_of(row))
            for i, process in converted:
                value = values[i]
                if value is not None:
                    values[i] = process(value)
            params.append(
                tuple(values) if self.positional else dict(zip(self.keys, values, strict=True))
            )
        connection.exec_driver_sql(self.sql, params)


def _bind_processor(type_: TypeEngine[object], dialect: Dialect) -> _BindProcessor | None:
    """The type's bind processor; for enumerations and dates, whose few values recur,
    with what it made of each value kept."""
    process = type_.bind_processor(dialect)
    if process is None or not isinstance(type_, Enum | Date):
        return process
    made: dict[object, object] = {}

    def cached(value: object) -> object:
        result = made.get(value, made)
        if result is made:
            result = made[value] = process(value)
        return result

    return cached


class _Import:
    def __init__(
        self, session: Session, report: ImportReport, progress: Callable[[str, int], None] | None
    ):
        self.session = session
        self.report = report
        self.progress = progress
        self.settings = load_settings(session)
        self.off = switched_off(self.settings)
        # A team book's importer names (or is) each new client's manager; a book file is
        # one manager's and ignores the manager column (noted once).
        self.importer = (
            team.importer(session) if session.get_bind().dialect.name == "postgresql" else None
        )
        self.manager_noted = False
        self.tag = schema.record_tag(identity.book_id(session))
        self.off = audit.off_fields(session)
        self.clients: dict[str, Client] = {}
        self.bad_codes: set[str] = set()
        self.ambiguous: set[str] = set()
        # FX: date -> {(from, to): (rate, row)}, (code, date) -> {(from, to): (rate, row)}
        self.date_rates: dict[dt.date, dict[tuple[str, str], tuple[Decimal, int]]] = {}
        self.client_rates: dict[
            tuple[str, dt.date], dict[tuple[str, str], tuple[Decimal, int]]
        ] = {}
        self.fx_title = schema.FX.key
        self.used_dates: set[dt.date] = set()
        self.touched_snapshots: set[tuple[int, dt.date]] = set()
        self.bumped: set[int] = set()
        self.deleted_version = 0  # the highest save counter of the holdings replaced
        self.snapshot_clients: dict[int, int | None] = {}
        # Family members this import renamed (by their record id): their name before, which
        # the Insurance sheet, written with the members' old names, may still give.
        self.renamed: dict[FamilyMember, str] = {}
        self._stored_for: int | None = None
        # What the import's statements changed, for the audit trail (the session records
        # only what goes through its objects); a team book's database records it itself.
        self.trail: list[dict[str, object]] | None = (
            None if audit.database_writes_changes(session) else []
        )
        self._stored: tuple[
            dict[int, list[_HoldingKey]], dict[int, dict[tuple[str, str], Decimal]]
        ] = ({}, {})

    # ---- driving ----------------------------------------------------------

    def run(self, inputs: Inputs) -> None:
        for client in self.session.scalars(
            select(Client).options(selectinload(Client.tags), selectinload(Client.family))
        ):
            # Codes are matched in the book's one form; a book from before codes had one
            # form may hold two that are one code (see migration 0004): neither is matched.
            code = normalise_code(client.code)
            if code in self.clients:
                self.ambiguous.add(code)
            self.clients[code] = client
        for code in self.ambiguous:
            del self.clients[code]
        steps = {
            "Clients": self.clients_sheet,
            "Family": self.family_sheet,
            "FX": self.fx_sheet,
            "Holdings": self.holdings_sheet,
            "Insurance": self.insurance_sheet,
            "Contacts": self.contacts_sheet,
            "Risk": self.risk_sheet,
            "Flows": self.flows_sheet,
            "Benchmarks": self.benchmarks_sheet,
            "Benchmark choices": self.benchmark_choices_sheet,
        }
        for sheet in schema.IMPORT_ORDER:
            source = inputs.sheets.get(sheet.key)
            if source is None:
                if sheet.key == "Holdings":
                    self.fx_leftovers(None)
                continue
            try:
                if not source.read_header(self.report):
                    if sheet.key == "Holdings":
                        self.fx_leftovers(None)
                    continue
                steps[sheet.key](source)
            except (
                UnicodeDecodeError,
                csv.Error,
                zipfile.BadZipFile,
                ParseError,
                ExpatError,
                EOFError,
                OSError,
                ImportRefused,
            ) as exc:
                if isinstance(exc, ImportRefused):
                    self.report.problem(source.title, exc.row, None, None, exc.message())
                else:
                    self.report.problem(
                        source.title,
                        None,
                        None,
                        None,
                        _("cannot be read: {error}").format(error=exc),
                    )
            if sheet.key in (
                "Clients",
                "Family",
                "Insurance",
                "Contacts",
                "Risk",
                "Flows",
                "Benchmarks",
                "Benchmark choices",
            ):
                self.flush(source)

    def flush(self, source: SheetInput) -> None:
        try:
            self.session.flush()
        except ValidationError as exc:
            # Rows are checked one by one before they join the session; this is a backstop.
            self.report.problem(
                source.title, None, self.header_of(source, exc), exc.value, exc.reason_in()
            )
            raise _Rollback from exc

    def record(self, files: list[Path]) -> None:
        """The audit trail of an import that changed the book: what its statements did to
        each snapshot (the session records the clients, family, policies, contacts and the
        like itself), and one `import` event that says which files changed what."""
        if not self.report.changed:
            return
        if self.trail:
            audit.bulk_entries(self.session, self.trail)
            self.trail = []
        parts = []
        for sheet, c in self.report.counts.items():
            if c.snapshots:
                parts.append(
                    f"{sheet} {c.rows} rows: {c.added} snapshots added, {c.updated} replaced "
                    f"({c.moved} moved to another date), {c.unchanged} unchanged"
                )
            else:
                parts.append(
                    f"{sheet} {c.added} added, {c.updated} updated, {c.unchanged} unchanged"
                )
        names = ", ".join(p.name for p in files)
        audit.record_event(self.session, "import", None, f"{names}: {'; '.join(parts)}")

    def trail_entry(
        self, client_id: int | None, action: str, record: str, **values: object
    ) -> None:
        if self.trail is not None:
            self.trail.append(
                {"client_id": client_id, "action": action, "record": record, **values}
            )

    def trail_replaced(self, client_id: int, snapshot_id: int) -> None:
        """The holdings a replaced snapshot had, each as a deletion with its values."""
        if self.trail is None:
            return
        for row in self.session.execute(
            select(_table(Holding)).where(Holding.snapshot_id == snapshot_id)
        ).mappings():
            self.trail_entry(
                client_id,
                "delete",
                "Holding",
                record_id=row["id"],
                old_value=audit.values_text({str(k): v for k, v in row.items()}),
                detail="import: snapshot replaced",
            )
        self.snapshot_clients[snapshot_id] = client_id

    def snapshot_client(self, snapshot_id: int) -> int | None:
        if snapshot_id not in self.snapshot_clients:
            self.snapshot_clients[snapshot_id] = self.session.scalar(
                select(Snapshot.client_id).where(Snapshot.id == snapshot_id)
            )
        return self.snapshot_clients[snapshot_id]

    def trail_buffers(self) -> None:
        """The snapshots, holdings and rates about to be inserted: a new snapshot as one
        creation that counts its holdings and rates (a book of 72,000 snapshots gets
        72,000 entries, not 1.8 million); a replaced snapshot's holdings and a rate added
        to a snapshot in the book one by one."""
        if self.trail is None:
            return
        # Rates of the FX sheet alone (no Holdings sheet) come with no other buffer.
        snapshots = getattr(self, "snapshot_buffer", [])
        holding_rows = getattr(self, "holding_buffer", [])
        new = {row["id"]: row for row in snapshots}
        holdings = Counter(row["snapshot_id"] for row in holding_rows)
        rates = Counter(row["snapshot_id"] for row in self.rate_buffer)
        for sid, row in new.items():
            self.snapshot_clients[cast(int, sid)] = cast(int, row["client_id"])
            self.trail_entry(
                cast(int, row["client_id"]),
                "create",
                "Snapshot",
                record_id=sid,
                new_value=audit.values_text(row),
                detail=f"import: {holdings[sid]} holdings, {rates[sid]} exchange rates",
            )
        for record, rows in (("Holding", holding_rows), ("FxRate", self.rate_buffer)):
            for row in rows:
                sid = cast(int, row["snapshot_id"])
                if sid not in new:
                    values = {k: row.get(k) for k in ("snapshot_id", *_HOLDING_FIELDS)}
                    if record == "FxRate":
                        values = dict(row)
                    self.trail_entry(
                        self.snapshot_client(sid),
                        "create",
                        record,
                        new_value=audit.values_text(values),
                        detail="import",
                    )

    def tick(self, source: SheetInput, count: int) -> None:
        if self.progress and count % 5000 == 0:
            self.progress(source.title, count)

    # ---- rows -------------------------------------------------------------

    def cells(
        self,
        source: SheetInput,
        number: int,
        values: _Values,
        rules: dict[str, Callable[[object], object]] | None = None,
    ) -> _Cells | None:
        """The parsed cells of one row, or None after reporting its problems. `rules`
        (column key: the book's rule for its field) check each cell that parsed, so that
        a row's every refused value is reported in one import, not the first only, nor
        the book's refusals only once the cells that would not parse are mended."""
        out: _Cells = {}
        ok = True
        assert source.positions is not None
        for key, index in source.positions.items():
            column = source.sheet.by_key[key]
            raw = values[index] if index < len(values) else None
            try:
                value = column.parser(raw)
            except CellError as exc:
                self.report.problem(source.title, number, source.header_of(column), raw, exc.reason)
                ok = False
                continue
            # A switched-off field's cell is judged with the record it would change
            # (`collects_off`, the book's rule: the value it holds may be given again).
            rule = rules.get(key) if rules is not None else None
            if rule is not None and value is not None:
                try:
                    value = rule(value)
                except ValidationError as exc:
                    self.refused(source, number, exc, values)
                    ok = False
                    continue
            if value is None and column.required:
                self.report.problem(
                    source.title, number, source.header_of(column), raw, _("is required")
                )
                ok = False
            out[key] = value
        return out if ok else None

    def switched_off(
        self, source: SheetInput, number: int, column: schema.Column, raw: object
    ) -> None:
        self.report.problem(
            source.title,
            number,
            source.header_of(column),
            raw,
            _("this field is switched off in the settings: the bank does not collect it"),
        )

    @staticmethod
    def header_of(source: SheetInput, exc: ValidationError) -> str:
        """The refused field as the sheet names its column (in the sheet's language); a
        field with no column of its own by its label."""
        column = source.sheet.by_key.get(_FIELD_COLUMNS.get(exc.field, exc.field))
        return source.header_of(column) if column is not None else exc.field_label()

    def refused(
        self, source: SheetInput, number: int, exc: ValidationError, values: _Values
    ) -> None:
        """A row the book refused: its column as the sheet names it, the cell as the sheet
        holds it (`-1,234.5`, not the -1234.5 read from it; the value refused where the
        field has no cell of its own or it is blank), the reason in the interface
        language."""
        value = exc.value
        index = (source.positions or {}).get(_FIELD_COLUMNS.get(exc.field, exc.field))
        if index is not None and index < len(values) and not is_blank(values[index]):
            value = values[index]
        self.report.problem(
            source.title, number, self.header_of(source, exc), value, exc.reason_in()
        )

    def signs_agree(
        self, source: SheetInput, number: int, values: _Values, currency: str | None
    ) -> bool:
        """Whether the currency signs of the row's amounts are its currency's (`US$1,000`
        in a row in HKD is not HKD 1,000: refused, naming the cell and the currency)."""
        ok = True
        positions = source.positions or {}
        for key in _AMOUNTS.get(source.sheet.key, ()):
            index = positions.get(key)
            if index is None or index >= len(values) or currency is None:
                continue
            raw = values[index]
            if raw.__class__ is not str:
                continue
            try:
                check_currency_sign(raw, currency)
            except CellError as exc:
                column = source.sheet.by_key[key]
                self.report.problem(source.title, number, source.header_of(column), raw, exc.reason)
                ok = False
        return ok

    def collects_off(
        self,
        source: SheetInput,
        number: int,
        values: _Values,
        cells: _Cells,
        record: str,
        fields: Mapping[str, str],
        stored: object | None,
    ) -> bool:
        """Whether the row gives a value of a field the bank's settings switched off, by
        the book's rule (`audit.collects`): then each such cell is reported, with its row,
        column and value, and the row is not to be applied."""
        found = False
        positions = source.positions or {}
        for key, attr in fields.items():
            if (record, attr) not in self.off or key not in cells:
                continue
            changed = stored is not None and getattr(stored, attr) != cells[key]
            if audit.collects(cells[key], stored is None, changed):
                index = positions[key]
                raw = values[index] if index < len(values) else None
                column = source.header_of(source.sheet.by_key[key])
                self.report.problem(source.title, number, column, raw, _(audit.SWITCHED_OFF))
                found = True
        return found

    def off_of_refused_client(
        self, source: SheetInput, number: int, values: _Values, cells: _Cells, record: str
    ) -> None:
        """A family member's or policy's switched-off cells, for a client whose own row
        was refused: named now, with the client's, rather than once that row is mended. A
        new client's are all new; an existing client's member is matched by name alone."""
        code = _code_in(source, values)
        if code is None or code not in self.bad_codes:
            return
        known = self.clients.get(code)
        stored: object | None = None
        if known is not None:
            if record != "FamilyMember":
                return
            members = [m for m in known.family if m.name == cells.get("name")]
            if len(members) > 1:
                return
            stored = members[0] if members else None
        fields = _FAMILY_OFF if record == "FamilyMember" else _POLICY_OFF
        self.collects_off(source, number, values, cells, record, fields, stored)

    def repeated(
        self,
        seen: dict[K, int],
        key: K,
        source: SheetInput,
        number: int,
        message: str,
        column: str | None = None,
        value: object = None,
    ) -> bool:
        """Whether an earlier row of the sheet gave `key` already: then the problem is
        reported (`message`, translated, names the first row as {row}) and the row is to be
        skipped; otherwise the row is noted as the first with `key`."""
        first = seen.get(key)
        if first is None:
            seen[key] = number
            return False
        header = source.header_of(source.sheet.by_key[column]) if column is not None else None
        self.report.problem(source.title, number, header, value, message.format(row=first))
        return True

    def client_of(self, source: SheetInput, number: int, values: _Values) -> Client | None:
        """The row's client; unknown ones are reported, ones whose own row failed are not."""
        assert source.positions is not None
        index = source.positions.get("client_id")
        raw = values[index] if index is not None and index < len(values) else None
        try:
            code = _parse_code(raw)
        except CellError:
            return None  # reported with the row's cells
        if code is None or code in self.bad_codes:
            return None
        client = self.clients.get(code)
        if code in self.ambiguous:
            self.report.problem(
                source.title, number, source.header_of(schema.CLIENT_ID), raw, _ambiguous_code()
            )
        elif client is None:
            self.report.problem(
                source.title,
                number,
                source.header_of(schema.CLIENT_ID),
                raw,
                _("is not a client in the book or in the Clients sheet"),
            )
        return client

    def claimed(
        self,
        source: SheetInput,
        number: int,
        cells: _Cells,
        client: Client,
        stored: Mapping[int, R],
        seen: dict[int, int],
    ) -> tuple[bool, R | None]:
        """The record the row names by its id (schema.RECORD_ID): (True, the record), or
        (True, None) for a row without one (or with another book's), or (False, None) after
        reporting an id that cannot be this row's."""
        raw = cast("str | None", cells.get("record_id"))
        if raw is None:
            return True, None
        found = _RECORD_ID.match(raw.strip().lower())
        column = source.header_of(source.sheet.by_key["record_id"])
        if found is None:
            self.report.problem(
                source.title,
                number,
                column,
                raw,
                _("is not a record id such as {example}; leave it blank for a new record").format(
                    example=f"{self.tag or '3f2a9c1e'}-42"
                ),
            )
            return False, None
        if found.group(1) != self.tag:
            return True, None  # another book's record: matched by the other columns
        pk = int(found.group(2))
        if self.repeated(
            seen,
            pk,
            source,
            number,
            _("this record id is given twice (first in row {row})"),
            "record_id",
            raw,
        ):
            return False, None
        record = stored.get(pk)
        if record is None:
            self.report.warn(
                source.title,
                number,
                column,
                raw,
                _("this record is no longer in the book: the row is added as a new one"),
            )
            return True, None
        if record.client_id != client.id:
            self.report.problem(
                source.title,
                number,
                column,
                raw,
                _("is the id of a record of another client ({code})").format(
                    code=record.client.code
                ),
            )
            return False, None
        return True, record

    # ---- Clients ------------------------------------------------------------

    def clients_sheet(self, source: SheetInput) -> None:
        counts = self.report.count(source.title)
        seen: dict[str, tuple[int, object]] = {}  # code: its first row and cell
        for n, (number, values) in enumerate(source.rows(), 1):
            self.tick(source, n)
            before = len(self.report.problems)
            cells = self.cells(source, number, values, _CLIENT_RULES)
            code = _code_in(source, values)
            # A code is matched in its one form (`c00003` is C00003), named as written.
            raw_code = values[(source.positions or {})["client_id"]] if code is not None else None
            if code is not None and code in seen:
                self.report.problem(
                    source.title,
                    number,
                    source.header_of(schema.CLIENT_ID),
                    raw_code,
                    _("is given twice (first in row {row})").format(row=seen[code][0])
                    if raw_code == seen[code][1]
                    else _(
                        "is the code of row {row} ({code}) again: a code is one whatever its "
                        "case or width"
                    ).format(row=seen[code][0], code=seen[code][1]),
                )
                continue
            if code is not None:
                seen[code] = (number, raw_code)
            if cells is None:
                if code is not None:
                    self.bad_codes.add(code)
                continue
            # client_id is a required column: a row without one has no cells.
            assert code is not None
            if code in self.ambiguous:
                self.report.problem(
                    source.title,
                    number,
                    source.header_of(schema.CLIENT_ID),
                    raw_code,
                    _ambiguous_code(),
                )
                self.bad_codes.add(code)
                continue
            client = self.clients.get(code)
            # A blank income currency is the report currency; a column left out keeps the
            # client's.
            income = (
                cells["income_currency"]
                if "income_currency" in cells
                else (client.income_currency if client is not None else None)
            )
            currency = (
                income
                or cells.get("report_currency")
                or (client.report_currency if client is not None else None)
                or self.settings.default_currency
            )
            if not self.signs_agree(
                source, number, values, cast(str, currency)
            ) or self.collects_off(source, number, values, cells, "Client", _CLIENT_FIELDS, client):
                self.bad_codes.add(code)
                continue
            try:
                owner = self.owner_of(source, number, client, cells)
                changed = self.apply_client(source, client, cells, owner)
            except ValidationError as exc:
                self.refused(source, number, exc, values)
                changed = None
            if len(self.report.problems) > before:
                self.bad_codes.add(code)
                continue
            if client is None:
                counts.added += 1
            elif changed:
                counts.updated += 1
            else:
                counts.unchanged += 1

    def owner_of(
        self, source: SheetInput, number: int, client: Client | None, cells: _Cells
    ) -> str | None:
        """The manager the row names for its client, checked against who imports (None:
        the book's default: the importing manager, or the one an assistant assists)."""
        raw = cast("str | None", cells.get("manager"))
        if self.importer is None:
            if raw is not None and not self.manager_noted:
                self.manager_noted = True
                self.report.warn(
                    source.title,
                    number,
                    source.header_of(schema.MANAGER),
                    raw,
                    _(
                        "a book file is one manager's: the manager column is for a team book "
                        "and was ignored"
                    ),
                )
            return None
        if raw is None:
            if (
                client is None
                and self.importer.role == "assistant"
                and len(self.importer.assists) > 1
            ):
                raise ValidationError(
                    "Client",
                    "owner",
                    "",
                    N_("is required: you assist more than one manager ({managers}); name one"),
                    {"managers": ", ".join(sorted(self.importer.assists))},
                )
            return None
        return team.check_owner(self.importer, raw, client.owner if client is not None else None)

    def apply_client(
        self, source: SheetInput, client: Client | None, cells: _Cells, owner: str | None = None
    ) -> bool:
        new = client is None
        target = Client(code=cells["client_id"]) if client is None else client
        changed = False
        for key, attr in _CLIENT_FIELDS.items():
            if key not in cells:
                continue
            value = cells[key]
            if value is None and key in _CLIENT_DEFAULTED:
                if not new:
                    continue
                value = {
                    "tier": Tier.STANDARD,
                    "language": Language.ZH,
                    "report_currency": self.settings.default_currency,
                }[key]
            if new or getattr(target, attr) != value:
                setattr(target, attr, value)
                changed = True
        if "tags" in cells:
            tags = cast("list[str]", cells["tags"] or [])
            if sorted(target.tag_names) != sorted(tags):
                target.set_tags(tags)
                changed = True
        validation.check_record(target)
        if new:
            target.owner = owner
            self.session.add(target)
            self.clients[target.code] = target
        elif owner is not None and owner != target.owner:
            team.hand_over(self.session, target, owner)
            changed = True
        return changed and not new

    # ---- Family -------------------------------------------------------------

    def family_sheet(self, source: SheetInput) -> None:
        """A row with a record id updates that member, its name too (found: a name
        corrected in the workbook came back as a second member beside the first, and the
        pack worked out cover for both). Rows without one are matched by name; where a
        client has two members of one name, by name and relation, then also birthday. The
        sheet is small: it is read whole to know which."""
        counts = self.report.count(source.title)
        stored = {
            m.id: m for m in self.session.scalars(select(FamilyMember).order_by(FamilyMember.id))
        }
        seen: dict[int, int] = {}
        rows: list[tuple[int, Client, _Cells]] = []
        named: list[tuple[int, Client, _Cells, FamilyMember]] = []
        raw_rows: dict[int, _Values] = {}
        for n, (number, values) in enumerate(source.rows(), 1):
            self.tick(source, n)
            cells = self.cells(source, number, values, _FAMILY_RULES)
            client = self.client_of(source, number, values)
            if cells is not None and client is None:
                self.off_of_refused_client(source, number, values, cells, "FamilyMember")
            if cells is None or client is None:
                continue
            currency = cast("str | None", cells.get("income_currency")) or client.report_currency
            if not self.signs_agree(source, number, values, currency):
                continue
            ok, claimed = self.claimed(source, number, cells, client, stored, seen)
            if not ok:
                continue
            raw_rows[number] = values
            if claimed is None:
                rows.append((number, client, cells))
            else:
                named.append((number, client, cells, claimed))
        fields = ("relation", "birthday", "school_or_employer", "annual_income", "income_currency")
        taken = {member for *_rest, member in named}
        for number, _client, cells, record in named:
            if self.collects_off(
                source, number, raw_rows[number], cells, "FamilyMember", _FAMILY_OFF, record
            ):
                continue
            before = record.name
            try:
                changed = self.apply(record, {f: cells[f] for f in ("name", *fields) if f in cells})
                validation.check_record(record)
            except ValidationError as exc:
                self.refused(source, number, exc, raw_rows[number])
                continue
            if record.name != before:
                self.renamed[record] = before
            counts.updated += changed
            counts.unchanged += not changed
        groups: dict[tuple[str, str], list[tuple[int, Client, _Cells]]] = {}
        for number, client, cells in rows:
            groups.setdefault((client.code, cast(str, cells["name"])), []).append(
                (number, client, cells)
            )
        for group in groups.values():
            client, name = group[0][1], group[0][2]["name"]
            existing = [m for m in client.family if m.name == name and m not in taken]
            level = _member_level([c for _n, _c, c in group], existing)
            if level is None:
                first = group[0][0]
                for number, _client, _cells in group[1:]:
                    self.report.problem(
                        source.title,
                        number,
                        source.header_of(source.sheet.by_key["name"]),
                        name,
                        _("is given twice for this client (first in row {row})").format(row=first),
                    )
                continue
            for number, client, cells in group:
                key = _member_key(level, cells["relation"], cells.get("birthday"))
                member = next(
                    (m for m in existing if _member_key(level, m.relation, m.birthday) == key), None
                )
                if self.collects_off(
                    source, number, raw_rows[number], cells, "FamilyMember", _FAMILY_OFF, member
                ):
                    continue
                try:
                    if member is None:
                        member = FamilyMember(
                            name=name, **{f: cells.get(f) for f in fields if f in cells}
                        )
                        validation.check_record(member)
                        client.family.append(member)
                        counts.added += 1
                        continue
                    changed = False
                    for f in fields:
                        if f in cells and getattr(member, f) != cells[f]:
                            setattr(member, f, cells[f])
                            changed = True
                    counts.updated += changed
                    counts.unchanged += not changed
                except ValidationError as exc:
                    self.refused(source, number, exc, raw_rows[number])

    # ---- FX -----------------------------------------------------------------

    def fx_sheet(self, source: SheetInput) -> None:
        self.fx_title = source.title
        for number, values in source.rows():
            cells = self.cells(source, number, values)
            code = None
            if source.positions and "client_id" in source.positions:
                client = None
                raw_code = _code_in(source, values)
                if raw_code is not None:
                    client = self.client_of(source, number, values)
                    if client is None:
                        continue
                    code = client.code
            if cells is None:
                continue
            try:
                row = validation.validate_row(
                    FxRate,
                    {
                        "snapshot_id": None,
                        "from_currency": cells["from_currency"],
                        "to_currency": cells["to_currency"],
                        "rate": cells["rate"],
                    },
                )
            except ValidationError as exc:
                self.refused(source, number, exc, values)
                continue
            # The currency rule gives codes, the rate rule a Decimal.
            pair = (cast(str, row["from_currency"]), cast(str, row["to_currency"]))
            if pair[0] == pair[1]:
                self.report.problem(
                    source.title,
                    number,
                    source.header_of(source.sheet.by_key["to_currency"]),
                    pair[1],
                    _("is the same currency as the one converted from"),
                )
                continue
            day = cast(dt.date, cells["review_date"])
            table = (
                self.date_rates.setdefault(day, {})
                if code is None
                else self.client_rates.setdefault((code, day), {})
            )
            if pair in table:
                self.report.problem(
                    source.title,
                    number,
                    source.header_of(source.sheet.by_key["rate"]),
                    cells["rate"],
                    _("this rate is given twice (first in row {row})").format(row=table[pair][1]),
                )
                continue
            table[pair] = (cast(Decimal, row["rate"]), number)

    def rates_for(self, code: str, day: dt.date) -> dict[tuple[str, str], Decimal]:
        rates = {pair: rate for pair, (rate, _row) in self.date_rates.get(day, {}).items()}
        rates.update(
            {pair: rate for pair, (rate, _row) in self.client_rates.get((code, day), {}).items()}
        )
        return rates

    # ---- Holdings -------------------------------------------------------------

    def new_snapshot_id(self) -> int:
        """An id for a new snapshot. On PostgreSQL drawn from the table's sequence, in
        blocks: the sequence stays ahead of the rows, and in a team book the rows this
        person cannot see (row-level security) are never given the same id."""
        if self.session.get_bind().dialect.name != "postgresql":
            sid = self.next_snapshot_id
            self.next_snapshot_id += 1
            return sid
        if not self.reserved_ids:
            self.reserved_ids: list[int] = sorted(
                self.session.scalars(
                    text(
                        "SELECT nextval(pg_get_serial_sequence('snapshot', 'id')) "
                        "FROM generate_series(1, 1000)"
                    )
                ),
                reverse=True,
            )
        return int(self.reserved_ids.pop())

    def holdings_sheet(self, source: SheetInput) -> None:
        self.holdings_title = source.title
        counts = self.report.count(source.title)
        counts_rows = 0
        self.session.flush()
        self.existing = {}
        self.notes: dict[int, str | None] = {}
        # Each snapshot's client and date, for a row naming its snapshot by id; the
        # snapshots this import moved to another date (old key -> new date, first row).
        self.snapshot_at: dict[int, tuple[int, dt.date]] = {}
        self.moved: dict[tuple[int, dt.date], tuple[dt.date, int]] = {}
        for sid, cid, day, note in self.session.execute(
            select(Snapshot.id, Snapshot.client_id, Snapshot.review_date, Snapshot.note)
        ):
            self.existing[(cid, day)] = sid
            self.snapshot_at[sid] = (cid, day)
            self.notes[sid] = note
        self.next_snapshot_id = (self.session.scalar(select(func.max(Snapshot.id))) or 0) + 1
        self.reserved_ids = []
        self.holding_buffer: list[_Cells] = []
        self.holding_inserter: _Inserter | None = None
        self.snapshot_buffer: list[dict[str, object]] = []
        self.rate_buffer: list[dict[str, object]] = []
        done: dict[tuple[int, dt.date], tuple[int, int]] = {}
        group: _Group | None = None
        skipping: tuple[int, dt.date] | None = None
        cache: dict[tuple[str, type, object], object] = {}
        plan = self.holding_plan(source)
        missing = [name for name in _HOLDING_FIELDS if name not in (source.positions or {})]
        # A column the workbook does not carry leaves the book's values as they are: a
        # snapshot is compared without it, and replaced holdings keep the stored values.
        self.kept = tuple(missing)
        given = [i for i, name in enumerate(_HOLDING_FIELDS) if name not in missing]
        self.given_fields: Callable[[_HoldingKey], _HoldingKey] | None = (
            itemgetter(*given) if missing else None
        )
        self.note_given = "snapshot_note" in (source.positions or {})
        self.past_dates: set[dt.date] = set()
        id_index = (source.positions or {}).get("client_id")
        known: dict[object, Client] = {}  # client_id cell -> client, for those found
        for number, values in source.rows():
            counts_rows += 1
            self.tick(source, counts_rows)
            cells = self.holding_cells(source, number, values, plan, cache)
            raw_id = values[id_index] if id_index is not None and id_index < len(values) else None
            client = known.get(raw_id) if raw_id.__class__ is str else None
            if client is None:
                client = self.client_of(source, number, values)
                if client is not None and raw_id.__class__ is str:
                    known[raw_id] = client
            if cells is None or client is None:
                continue
            key = (id(client), cast(dt.date, cells.pop("review_date")))
            if group is not None and key == (id(group.client), group.review_date):
                pass
            else:
                if group is not None:
                    self.finish_group(source, group, counts)
                    done[(id(group.client), group.review_date)] = (group.first_row, group.last_row)
                    group = None
                if key in done:
                    if skipping != key:
                        first, last = done[key]
                        rows = str(first) if first == last else f"{first}-{last}"
                        self.report.problem(
                            source.title,
                            number,
                            source.header_of(source.sheet.by_key["review_date"]),
                            key[1],
                            _(
                                "duplicate snapshot: this client's rows for this date were "
                                "already given (row {rows}); the rows of one snapshot must be "
                                "next to each other"
                            ).format(rows=rows),
                        )
                        skipping = key
                    continue
                skipping = None
                group = _Group(client, key[1], number)
            # Each cell went through the Holding's field rules above; blanks of required
            # fields were refused there too.
            for name in missing:
                cells[name] = None
            self.shared_value(
                source,
                number,
                group,
                cells,
                "snapshot_note",
                "note",
                _("this snapshot has another note in row {row}: give its note in one row"),
            )
            self.shared_value(
                source,
                number,
                group,
                cells,
                "snapshot_record",
                "record",
                _(
                    "this snapshot has another id in row {row}: the rows of one snapshot "
                    "carry one id"
                ),
            )
            row = cells
            group.rows.append(row)
            group.last_row = number
            group.currency_rows.setdefault(cast(str, row["currency"]), number)
        if group is not None:
            self.finish_group(source, group, counts)
        self.flush_buffers()
        if self.bumped and self.deleted_version and not self.report.problems:
            # A replaced holding's row may be given a deleted one's id again (SQLite reuses
            # the highest); its save counter starts above every deleted one's, so a save of
            # the deleted holding as read before is refused, not applied to its successor.
            self.session.execute(
                update(Holding)
                .where(Holding.snapshot_id.in_(sorted(self.bumped)))
                .values(version=self.deleted_version + 1)
                .execution_options(synchronize_session=False)
            )
        counts.rows = counts_rows
        counts.snapshots = True
        self.fx_leftovers(source)

    def holding_plan(self, source: SheetInput) -> list[_PlanStep]:
        """Each holding column read: (key, position, column, the parses of its texts and
        decimals)."""
        positions = source.positions or {}
        return [
            (key, index, source.sheet.by_key[key], {})
            for key, index in positions.items()
            if key != "client_id"
        ]

    def holding_cells(
        self,
        source: SheetInput,
        number: int,
        values: _Values,
        plan: list[_PlanStep],
        cache: dict[tuple[str, type, object], object],
    ) -> _Cells | None:
        """Like `cells`, with the parse of repeated values (currencies, classes, names,
        dates, amounts) kept: texts and decimals by column (a text never equals a
        float), other values by (column, type, value), as 1 == 1.0 == True."""
        out: _Cells = {}
        ok = True
        width = len(values)
        for key, index, column, texts in plan:
            raw = values[index] if index < width else None
            if raw is None:
                value = None
            else:
                kind = raw.__class__
                if kind is str or kind is float:  # never equal to one another
                    value = texts.get(raw, texts)
                    hit = None
                else:
                    hit = (key, kind, raw) if kind is not float else None
                    value = cache.get(hit, cache) if hit is not None else cache
                if value is texts or value is cache:
                    try:
                        value = self.holding_value(key, column, raw)
                    except CellError as exc:
                        self.report.problem(
                            source.title, number, source.header_of(column), raw, exc.reason
                        )
                        ok = False
                        continue
                    except ValidationError as exc:
                        self.refused(source, number, exc, values)
                        ok = False
                        continue
                    if value is not None and column.collected in self.off:
                        self.switched_off(source, number, column, raw)
                        ok = False
                        continue
                    if kind is str or kind is float:
                        if len(texts) >= 50_000:
                            texts.clear()
                        texts[raw] = value
                    elif hit is not None and len(cache) < 100_000:
                        cache[hit] = value
            if value is None and column.required:
                self.report.problem(
                    source.title, number, source.header_of(column), raw, _("is required")
                )
                ok = False
            out[key] = value
        if not ok or not self.signs_agree(source, number, values, cast(str, out["currency"])):
            return None
        day = out["review_date"]
        if day not in self.past_dates:
            try:
                validation.past_date("Snapshot", "review_date", day)
            except ValidationError as exc:
                self.refused(source, number, exc, values)
                return None
            self.past_dates.add(cast(dt.date, day))
        return out

    @staticmethod
    def holding_value(key: str, column: schema.Column, raw: object) -> object:
        """A holding cell parsed and put through the Holding's field rule."""
        value = column.parser(raw)
        if key == "institution" and isinstance(value, str) and value.lower() in schema.THIS_BANK:
            value = None
        rule = _SNAPSHOT_NOTE_RULE if key == "snapshot_note" else _HOLDING_RULES.get(key)
        if rule is not None and value is not None:
            value = rule(value)
        return value

    def finish_group(self, source: SheetInput, group: _Group, counts: SheetCounts) -> None:
        client = group.client
        day = group.review_date
        key = (client.id, day)
        if key in self.moved:
            new_day, first = self.moved[key]
            self.report.problem(
                source.title,
                group.first_row,
                source.header_of(source.sheet.by_key["review_date"]),
                day,
                _(
                    "this client's snapshot of this date was moved to {date} by its id "
                    "(row {row}); give its rows once, with the date it should have"
                ).format(date=new_day.isoformat(), row=first),
            )
            return
        existing_id = self.existing.get(key)
        moved = False
        if group.record is not None:
            named = self.named_snapshot(source, group, existing_id)
            if named is False:
                return
            if named is not None and existing_id is None:
                existing_id, moved = self.move_snapshot(named, group), True
                counts.moved += 1
        self.touched_snapshots.add(key)
        self.used_dates.add(day)
        rates = self.rates_for(client.code, day)
        stored_rates: dict[tuple[str, str], Decimal] = {}
        if existing_id is not None:
            stored_rates = self.stored(client.id)[1].get(existing_id, {})
        report_currency = client.report_currency
        available = {**stored_rates, **rates}
        for currency, number in group.currency_rows.items():
            if currency == report_currency:
                continue
            if (currency, report_currency) in available or (report_currency, currency) in available:
                continue
            self.report.problem(
                source.title,
                number,
                source.header_of(source.sheet.by_key["currency"]),
                currency,
                _("has no exchange rate to {currency} for {date}: add it to the FX sheet").format(
                    currency=report_currency, date=day.isoformat()
                ),
            )
        if self.report.problems:
            return  # nothing will be written: save the work
        fx_counts = self.report.count(self.fx_title)
        if existing_id is None:
            sid = self.new_snapshot_id()
            self.snapshot_buffer.append(
                {"id": sid, "client_id": client.id, "review_date": day, "note": group.note}
            )
            for row in group.rows:
                row["snapshot_id"] = sid
            self.holding_buffer.extend(group.rows)
            for (src, dst), rate in sorted(rates.items()):
                self.rate_buffer.append(
                    {"snapshot_id": sid, "from_currency": src, "to_currency": dst, "rate": rate}
                )
                fx_counts.added += 1
            counts.added += 1
        else:
            stored = self.stored(client.id)[0].get(existing_id, [])
            new = [tuple(r.get(f) for f in _HOLDING_FIELDS) for r in group.rows]
            same = Counter(map(self.compared, stored)) == Counter(map(self.compared, new))
            note_changed = self.note_given and group.note != self.notes.get(existing_id)
            if note_changed:
                self.bump(existing_id)
                self.session.execute(
                    update(Snapshot)
                    .where(Snapshot.id == existing_id)
                    .values(note=group.note)
                    .execution_options(synchronize_session=False)
                )
            if same:
                counts.updated += note_changed or moved
                counts.unchanged += not (note_changed or moved)
            else:
                if self.kept:
                    _keep_stored(stored, group.rows, self.kept)
                self.flush_buffers()
                gone = self.session.scalar(
                    select(func.max(Holding.version)).where(Holding.snapshot_id == existing_id)
                )
                self.deleted_version = max(self.deleted_version, gone or 1)
                self.trail_replaced(client.id, existing_id)
                self.session.execute(delete(Holding).where(Holding.snapshot_id == existing_id))
                self.bump(existing_id)
                for row in group.rows:
                    row["snapshot_id"] = existing_id
                self.holding_buffer.extend(group.rows)
                counts.updated += 1
            self.store_rates(existing_id, stored_rates, rates)
        if len(self.holding_buffer) >= BATCH:
            self.flush_buffers()

    def shared_value(
        self,
        source: SheetInput,
        number: int,
        group: _Group,
        cells: _Cells,
        key: str,
        attr: str,
        another: str,
    ) -> None:
        """A value the rows of one snapshot share (its note, its id), taken out of the row's
        cells into the group (`attr`, and `attr`_row where it was given): the first row's
        value, and another one in a later row reported (`another`, with that row)."""
        value = cast("str | None", cells.pop(key, None))
        if value is None:
            return
        first = getattr(group, attr)
        if first is None:
            setattr(group, attr, value)
            setattr(group, f"{attr}_row", number)
        elif value != first:
            self.report.problem(
                source.title,
                number,
                source.header_of(source.sheet.by_key[key]),
                value,
                another.format(row=getattr(group, f"{attr}_row")),
            )

    def named_snapshot(
        self, source: SheetInput, group: _Group, existing_id: int | None
    ) -> int | None | Literal[False]:
        """The snapshot of this book a group's rows name by id (`snapshot_record`), None
        for another book's (matched by client and date), or False after reporting an id
        that cannot be theirs."""
        raw = cast(str, group.record)
        column = source.header_of(source.sheet.by_key["snapshot_record"])
        found = _RECORD_ID.match(raw.strip().lower())
        if found is None:
            self.report.problem(
                source.title,
                group.record_row,
                column,
                raw,
                _("is not a record id such as {example}; leave it blank for a new record").format(
                    example=f"{self.tag or '3f2a9c1e'}-42"
                ),
            )
            return False
        if found.group(1) != self.tag:
            return None
        sid = int(found.group(2))
        if sid not in self.snapshot_at:
            self.report.warn(
                source.title,
                group.record_row,
                column,
                raw,
                _("this record is no longer in the book: the row is added as a new one"),
            )
            return None
        owner, old_day = self.snapshot_at[sid]
        client = group.client
        if owner != client.id:
            code = self.session.scalar(select(Client.code).where(Client.id == owner))
            self.report.problem(
                source.title,
                group.record_row,
                column,
                raw,
                _("is the id of a record of another client ({code})").format(code=code),
            )
            return False
        if existing_id is not None and existing_id != sid:
            self.report.problem(
                source.title,
                group.record_row,
                column,
                raw,
                _(
                    "is the id of this client's snapshot of {old}, and the client has another "
                    "snapshot of {date}: give the rows the one date or the other snapshot's id"
                ).format(old=old_day.isoformat(), date=group.review_date.isoformat()),
            )
            return False
        if existing_id is None and (client.id, old_day) in self.touched_snapshots:
            self.report.problem(
                source.title,
                group.record_row,
                column,
                raw,
                _(
                    "is the id of this client's snapshot of {old}, whose rows were given "
                    "already: one snapshot cannot take two dates"
                ).format(old=old_day.isoformat()),
            )
            return False
        return sid

    def move_snapshot(self, sid: int, group: _Group) -> int:
        """Move a snapshot the rows name by id to their date: a date corrected in the
        workbook is the same review, not a second one (found: a review dated a day late
        and corrected came back beside the first, and the pack then compared the review
        with its own copy of the day before). Its rates, notes and holdings stay with it;
        the rows then update its holdings as for any snapshot in the book."""
        client, day = group.client, group.review_date
        _owner, old_day = self.snapshot_at[sid]
        self.flush_buffers()
        self.session.execute(
            update(Snapshot)
            .where(Snapshot.id == sid)
            .values(review_date=day)
            .execution_options(synchronize_session=False)
        )
        self.bump(sid)
        del self.existing[(client.id, old_day)]
        self.existing[(client.id, day)] = sid
        self.snapshot_at[sid] = (client.id, day)
        self.moved[(client.id, old_day)] = (day, group.first_row)
        self.trail_entry(
            client.id,
            "update",
            "Snapshot",
            record_id=sid,
            field="review_date",
            old_value=old_day.isoformat(),
            new_value=day.isoformat(),
            detail="import: snapshot moved to the date of its rows",
        )
        return sid

    def compared(self, holding: _HoldingKey) -> _HoldingKey:
        """A holding's fields as the workbook gives them: without those it has no column
        for, so that a workbook narrowed to fewer columns finds an unchanged snapshot
        unchanged."""
        if self.given_fields is None:
            return holding
        return self.given_fields(holding)

    def stored(
        self, client_id: int
    ) -> tuple[dict[int, list[_HoldingKey]], dict[int, dict[tuple[str, str], Decimal]]]:
        """The holdings and rates of one client's snapshots in the book, read in two
        queries per client rather than two per snapshot."""
        if self._stored_for != client_id:
            holdings: dict[int, list[_HoldingKey]] = {}
            for sid, *fields in self.session.execute(
                select(Holding.snapshot_id, *(getattr(Holding, f) for f in _HOLDING_FIELDS))
                .join(Holding.snapshot)
                .where(Snapshot.client_id == client_id)
                .order_by(Holding.id)
            ):
                holdings.setdefault(sid, []).append(tuple(fields))
            rates: dict[int, dict[tuple[str, str], Decimal]] = {}
            for sid, src, dst, rate in self.session.execute(
                select(FxRate.snapshot_id, FxRate.from_currency, FxRate.to_currency, FxRate.rate)
                .join(FxRate.snapshot)
                .where(Snapshot.client_id == client_id)
            ):
                rates.setdefault(sid, {})[(src, dst)] = rate
            self._stored_for, self._stored = client_id, (holdings, rates)
        return self._stored

    def store_rates(
        self,
        snapshot_id: int,
        stored: Mapping[tuple[str, str], Decimal],
        rates: Mapping[tuple[str, str], Decimal],
    ) -> None:
        fx_counts = self.report.count(self.fx_title)
        for (src, dst), rate in sorted(rates.items()):
            old = stored.get((src, dst))
            if old is None:
                self.bump(snapshot_id)
                self.rate_buffer.append(
                    {
                        "snapshot_id": snapshot_id,
                        "from_currency": src,
                        "to_currency": dst,
                        "rate": rate,
                    }
                )
                fx_counts.added += 1
            elif old != rate:
                self.bump(snapshot_id)
                self.trail_entry(
                    self.snapshot_client(snapshot_id),
                    "update",
                    "FxRate",
                    field="rate",
                    old_value=audit.text(old),
                    new_value=audit.text(rate),
                    detail=f"import: {src} to {dst}, snapshot {snapshot_id}",
                )
                self.session.execute(
                    update(FxRate)
                    .where(
                        FxRate.snapshot_id == snapshot_id,
                        FxRate.from_currency == src,
                        FxRate.to_currency == dst,
                    )
                    # The rate's own save counter too: a save of it as read before is
                    # refused (versions.py), not applied over the import's rate.
                    .values(rate=rate, version=FxRate.version + 1)
                )
                fx_counts.updated += 1
            else:
                fx_counts.unchanged += 1

    def bump(self, snapshot_id: int) -> None:
        """A snapshot whose holdings or rates this import changes by direct statements
        takes a new save counter, once: a save of it as read before is refused like a save
        over anyone's change (versions.py), not applied over the import's."""
        if snapshot_id in self.bumped:
            return
        self.bumped.add(snapshot_id)
        self.session.execute(
            update(Snapshot)
            .where(Snapshot.id == snapshot_id)
            .values(version=Snapshot.version + 1)
            .execution_options(synchronize_session=False)
        )

    def flush_buffers(self) -> None:
        # render_nulls: rows with and without blanks go in one executemany, not one
        # statement per change of the set of non-null keys.
        options = {"render_nulls": True}
        self.trail_buffers()
        connection = self.session.connection()
        if self.snapshot_buffer:
            connection.execute(
                insert(_table(Snapshot)), self.snapshot_buffer, execution_options=options
            )
            self.snapshot_buffer = []
        if self.rate_buffer:
            connection.execute(insert(_table(FxRate)), self.rate_buffer, execution_options=options)
            self.rate_buffer = []
        if self.holding_buffer:
            if self.holding_inserter is None:
                self.holding_inserter = _Inserter(
                    connection, _table(Holding), ("snapshot_id", *_HOLDING_FIELDS)
                )
            self.holding_inserter.insert(connection, self.holding_buffer)
            self.holding_buffer = []

    def fx_leftovers(self, source: SheetInput | None) -> None:
        """Rates no snapshot of this import used: stored on the book's snapshot or reported."""
        if not self.date_rates and not self.client_rates:
            return
        if not hasattr(self, "existing"):
            self.existing = {
                (cid, day): sid
                for sid, cid, day in self.session.execute(
                    select(Snapshot.id, Snapshot.client_id, Snapshot.review_date)
                )
            }
            self.rate_buffer = []
        for day, table in self.date_rates.items():
            if day not in self.used_dates:
                row = min(r for _rate, r in table.values())
                self.report.warn(
                    self.fx_title,
                    row,
                    None,
                    day,
                    _("no snapshot of this date is imported; these rates were not stored"),
                )
        for (code, day), table in self.client_rates.items():
            client = self.clients[code]
            key = (client.id, day)
            if key in self.touched_snapshots:
                continue
            sid = self.existing.get(key)
            if sid is None:
                row = min(r for _rate, r in table.values())
                moved = getattr(self, "moved", {}).get(key)
                self.report.problem(
                    self.fx_title,
                    row,
                    None,
                    day,
                    _("client {code} has no snapshot on this date").format(code=code)
                    if moved is None
                    else _(
                        "client {code}'s snapshot of this date was moved to {date} (Holdings "
                        "row {row}): give these rates that date"
                    ).format(code=code, date=moved[0].isoformat(), row=moved[1]),
                )
                continue
            if self.report.problems:
                continue
            stored = {
                (f, t): r
                for f, t, r in self.session.execute(
                    select(FxRate.from_currency, FxRate.to_currency, FxRate.rate).where(
                        FxRate.snapshot_id == sid
                    )
                )
            }
            self.store_rates(sid, stored, {p: r for p, (r, _row) in table.items()})
        if self.rate_buffer and not self.report.problems:
            self.trail_buffers()
            self.session.execute(
                insert(FxRate), self.rate_buffer, execution_options={"render_nulls": True}
            )
            self.rate_buffer = []

    # ---- Insurance --------------------------------------------------------------

    def insurance_sheet(self, source: SheetInput) -> None:
        """A row with a record id updates that policy, its number too; a row without one
        takes a policy of the client with its number (without a number: of the same
        insured, kind, insurer and start), one for one, else it is a new policy. A column
        the workbook does not have neither tells policies apart nor changes a stored one."""
        counts = self.report.count(source.title)
        self.session.flush()
        given = source.positions or {}
        stored = {
            p.id: p
            for p in self.session.scalars(select(InsurancePolicy).order_by(InsurancePolicy.id))
        }
        seen: dict[int, int] = {}
        rows: list[
            tuple[int, _Values, Client, _Cells, FamilyMember | None, InsurancePolicy | None]
        ] = []
        for n, (number, values) in enumerate(source.rows(), 1):
            self.tick(source, n)
            cells = self.cells(source, number, values, _INSURANCE_RULES)
            client = self.client_of(source, number, values)
            if cells is not None and client is None:
                self.off_of_refused_client(source, number, values, cells, "InsurancePolicy")
            if cells is None or client is None:
                continue
            if not self.signs_agree(
                source, number, values, cast(str, cells.get("currency") or "CNY")
            ):
                continue
            insured = cells.get("insured")
            member = None
            if isinstance(insured, str) and insured != client.name:
                matches = insured_matches(client, insured, self.renamed)
                if not matches:
                    self.report.problem(
                        source.title,
                        number,
                        source.header_of(source.sheet.by_key["insured"]),
                        insured,
                        _(
                            "is neither the client ({name}) nor one of the client's family members"
                        ).format(name=client.name),
                    )
                    continue
                if len(matches) > 1:
                    self.report.problem(
                        source.title,
                        number,
                        source.header_of(source.sheet.by_key["insured"]),
                        insured,
                        _(
                            "several family members of this client have this name; add the "
                            "relation, e.g. {example}"
                        ).format(example=f"{insured} (son)"),
                    )
                    continue
                member = matches[0]
            ok, policy = self.claimed(source, number, cells, client, stored, seen)
            if ok:
                rows.append((number, values, client, cells, member, policy))
        claimed = {p.id for *_rest, p in rows if p is not None}
        free: dict[_PolicyKey, list[InsurancePolicy]] = {}
        for p in stored.values():
            if p.id not in claimed:
                key = _policy_key(
                    given,
                    p.client.code,
                    p.policy_number,
                    p.insured_member.name if p.insured_member else None,
                    p.kind,
                    p.insurer,
                    p.start_date,
                )
                free.setdefault(key, []).append(p)
        for number, values, client, cells, member, policy in rows:
            values_: dict[str, object] = {
                "kind": cells["policy_type"],
                "sum_assured": cells["sum_assured"],
                # A column the workbook does not have leaves a stored policy's value as the
                # book has it (found: a workbook without the premium column wiped every
                # premium on record, and one without currencies made every policy CNY). A
                # blank premium: none on record, not a premium of 0 (found: a
                # single-premium policy read "0.00 a year").
                **{f: cells[f] for f in _POLICY_OPTIONAL if f in cells},
            }
            if "currency" in cells:
                values_["currency"] = cells["currency"] or "CNY"
            if policy is None:
                same = free.get(
                    _policy_key(
                        given,
                        client.code,
                        cast("str | None", values_.get("policy_number")),
                        member.name if member is not None else None,
                        cast(PolicyKind, values_["kind"]),
                        cast("str | None", values_.get("insurer")),
                        cast("dt.date | None", values_.get("start_date")),
                    )
                )
                policy = same.pop(0) if same else None
            if self.collects_off(
                source, number, values, cells, "InsurancePolicy", _POLICY_OFF, policy
            ):
                continue
            try:
                if policy is None:
                    policy = InsurancePolicy(**{"currency": "CNY", **values_})
                    validation.check_record(policy)
                    policy.insured_member = member
                    _attach(self.session, client, policy)
                    counts.added += 1
                    continue
                if "insured" in given:  # without the column, the stored insured stays
                    values_["insured_member"] = member
                changed = self.apply(policy, values_)
                validation.check_record(policy)
                counts.updated += changed
                counts.unchanged += not changed
            except ValidationError as exc:
                self.refused(source, number, exc, values)

    # ---- Contacts ---------------------------------------------------------------

    def contacts_sheet(self, source: SheetInput) -> None:
        """A row with a record id updates that contact, whatever else of it was edited; a
        row without one takes a contact of the same client, date, channel and summary, one
        for one (the book may hold the same contact twice), else it is a new contact."""
        counts = self.report.count(source.title)
        stored = {c.id: c for c in self.session.scalars(select(Contact).order_by(Contact.id))}
        fields = (
            "next_step",
            "feedback",
            "feedback_topic",
            "shared",
            "next_step_shared",
            "next_step_due",
            "next_step_done",
        )
        seen: dict[int, int] = {}
        rows: list[tuple[int, Client, _Cells, Contact | None]] = []
        for n, (number, values) in enumerate(source.rows(), 1):
            self.tick(source, n)
            cells = self.cells(source, number, values, _CONTACT_RULES)
            client = self.client_of(source, number, values)
            if cells is None or client is None:
                continue
            for flag in ("shared", "next_step_shared"):  # a blank cell: internal
                if flag in cells and cells[flag] is None:
                    cells[flag] = False
            ok, contact = self.claimed(source, number, cells, client, stored, seen)
            if ok:
                rows.append((number, client, cells, contact))
        claimed = {c.id for _n, _c, _cells, c in rows if c is not None}
        # Without the summary column, a contact is matched by its date and channel, and
        # keeps its summary (found: each came back as a second contact without one, and
        # one named by its id lost its summary).
        summed = "summary" in (source.positions or {})
        free: dict[tuple[object, ...], list[Contact]] = {}
        for c in stored.values():
            if c.id not in claimed:
                key = (c.client_id, c.contact_date, c.channel, c.summary if summed else None)
                free.setdefault(key, []).append(c)
        for number, client, cells, contact in rows:
            if contact is None:
                same = free.get((client.id, cells["date"], cells["channel"], cells.get("summary")))
                contact = same.pop(0) if same else None
            wanted = {
                "contact_date": cells["date"],
                "channel": cells["channel"],
                **{f: cells[f] for f in ("summary", *fields) if f in cells},
            }
            self.add_or_update(
                source,
                number,
                values,
                client,
                counts,
                contact,
                wanted,
                partial(Contact, **wanted),
            )

    def add_or_update(
        self,
        source: SheetInput,
        number: int,
        values: _Values,
        client: Client,
        counts: SheetCounts,
        record: _Record | None,
        wanted: Mapping[str, object],
        new: _Record | Callable[[], _Record],
    ) -> None:
        """The row's record set to `wanted`, or, without one, the new record (or what makes
        it, where making it runs the field rules), not yet in the session so that a refused
        one is never kept, checked and added to the client; counted either way, and a
        refusal reported for the row."""
        try:
            if record is None:
                made = new() if callable(new) else new
                validation.check_record(made)
                _attach(self.session, client, made)
                counts.added += 1
                return
            changed = self.apply(record, wanted)
            validation.check_record(record)
            counts.updated += changed
            counts.unchanged += not changed
        except ValidationError as exc:
            self.refused(source, number, exc, values)

    @staticmethod
    def apply(record: object, wanted: Mapping[str, object]) -> bool:
        """Whether setting the row's values on the record changed it."""
        changed = False
        for attr, value in wanted.items():
            if getattr(record, attr) != value:
                setattr(record, attr, value)
                changed = True
        return changed

    # ---- Risk -----------------------------------------------------------------

    def risk_sheet(self, source: SheetInput) -> None:
        """A row with a record id updates that assessment, its date too (found: a date
        corrected in the workbook added a second assessment, and where the wrong date was
        the later one, the client's level and its expiry were still read from it). A row
        without one takes the client's assessment of that date, else it is a new one."""
        counts = self.report.count(source.title)
        stored = {
            a.id: a
            for a in self.session.scalars(select(RiskAssessment).order_by(RiskAssessment.id))
        }
        seen: dict[tuple[int, dt.date], int] = {}
        seen_ids: dict[int, int] = {}
        months = self.settings.assessment_validity_months
        rows: list[tuple[int, _Values, Client, dict[str, object], RiskAssessment | None]] = []
        for n, (number, values) in enumerate(source.rows(), 1):
            self.tick(source, n)
            cells = self.cells(source, number, values, _RISK_RULES)
            client = self.client_of(source, number, values)
            if cells is None or client is None:
                continue
            answers: dict[str, object] | None = None
            if cells.get("answers") is not None:
                try:
                    answers = json.loads(cast(str, cells["answers"]))
                except ValueError:
                    answers = None
                if not isinstance(answers, dict):
                    self.report.problem(
                        source.title,
                        number,
                        source.header_of(source.sheet.by_key["answers"]),
                        cells["answers"],
                        _("is not a JSON object such as {example}").format(
                            example='{"horizon_years": 5}'
                        ),
                    )
                    continue
            assessed_on = cast(dt.date, cells["assessed_on"])
            if self.repeated(
                seen,
                (client.id, assessed_on),
                source,
                number,
                _("this client has two assessments on this date (first in row {row})"),
                "assessed_on",
                cells["assessed_on"],
            ):
                continue
            ok, claimed = self.claimed(source, number, cells, client, stored, seen_ids)
            if not ok:
                continue
            # A column the workbook does not have leaves a stored assessment's value as it
            # is (found: a workbook without the score column wiped every score, and one
            # without the validity column put back the default over the dates on record).
            wanted: dict[str, object] = {
                "assessed_on": assessed_on,
                "level": cells["level"],
                **{f: cells[f] for f in ("score",) if f in cells},
            }
            if "valid_until" in cells:
                wanted["valid_until"] = cells["valid_until"] or valid_until(assessed_on, months)
            if "answers" in cells:
                wanted["answers"] = answers or {}
            rows.append((number, values, client, wanted, claimed))
        taken = {a.id for *_rest, a in rows if a is not None}
        # The book's assessments no row names by its id, by client and date.
        existing: dict[tuple[int, dt.date], RiskAssessment] = {}
        for a in stored.values():
            if a.id not in taken:
                existing[(a.client_id, a.assessed_on)] = a
        for number, values, client, wanted, item in rows:
            assessed_on = cast(dt.date, wanted["assessed_on"])
            if item is None and client.id is not None:
                item = existing.get((client.id, assessed_on))
            if "valid_until" not in wanted and (item is None or item.assessed_on != assessed_on):
                # A new assessment, or one whose date moved: valid for the book's period.
                wanted["valid_until"] = valid_until(assessed_on, months)
            self.add_or_update(
                source,
                number,
                values,
                client,
                counts,
                item,
                wanted,
                partial(RiskAssessment, **{"answers": {}, **wanted}),
            )

    # ---- Flows ------------------------------------------------------------------

    def flows_sheet(self, source: SheetInput) -> None:
        """A row with a record id updates that flow, whatever of it was edited (a corrected
        amount is the same flow, not a second one). A row without one takes a flow of the
        same client, date, amount, currency, kind and holding, one for one (two equal
        deposits on a day are two flows), else it is a new flow. A column the workbook
        does not have neither tells flows apart nor changes a stored one. An import never
        deletes a flow."""
        counts = self.report.count(source.title)
        self.session.flush()
        stored = {f.id: f for f in self.session.scalars(select(Flow).order_by(Flow.id))}
        seen: dict[int, int] = {}
        rows: list[tuple[int, _Values, Client, _Cells, Flow, Flow | None]] = []
        for n, (number, values) in enumerate(source.rows(), 1):
            self.tick(source, n)
            cells = self.cells(source, number, values, _FLOW_RULES)
            client = self.client_of(source, number, values)
            if cells is None or client is None:
                continue
            currency = cast("str | None", cells.get("currency")) or client.report_currency
            if not self.signs_agree(source, number, values, currency):
                continue
            to_currency = cast("str | None", cells.get("to_currency")) or client.report_currency
            try:
                flow = Flow(
                    flow_date=cells["date"],
                    amount=cells["amount"],
                    currency=currency,
                    to_currency=to_currency,
                    kind=cells["kind"],
                    holding=cells.get("holding"),
                    note=cells.get("note"),
                )
            except ValidationError as exc:
                self.refused(source, number, exc, values)
                continue
            ok, match = self.claimed(source, number, cells, client, stored, seen)
            if ok:
                rows.append((number, values, client, cells, flow, match))
        claimed = {m.id for *_rest, m in rows if m is not None}
        given = source.positions or {}
        free: dict[tuple[object, ...], list[Flow]] = {}
        for f in stored.values():
            if f.id not in claimed:
                free.setdefault(_flow_key(given, f.client_id, f), []).append(f)
        for number, values, client, cells, flow, match in rows:
            if match is None:
                same = free.get(_flow_key(given, client.id, flow), [])
                match = same.pop(0) if same else None
            if match is not None:
                # A column the workbook does not have keeps the flow's value (found: a
                # workbook without the currency column made every flow it updated one in
                # the report currency, and one without the holding column emptied it).
                for column in _FLOW_OPTIONAL:
                    if column not in given:
                        setattr(flow, column, getattr(match, column))
            rate = cast("Decimal | None", cells.get("rate"))
            pair = (flow.currency, flow.to_currency)
            if rate is None and match is not None and (match.currency, match.to_currency) == pair:
                rate = match.rate
            day = flow.flow_date
            if rate is None:
                with self.session.no_autoflush:
                    rate = snapshot_rate(self.session, client.id, *pair, day)
            if rate is None:
                self.report.problem(
                    source.title,
                    number,
                    source.header_of(source.sheet.by_key["rate"]),
                    None,
                    _(
                        "is required: no snapshot of this client on or after {day} has a "
                        "rate from {currency} to {to}"
                    ).format(day=day.isoformat(), currency=pair[0], to=pair[1]),
                )
                continue
            wanted: dict[str, object] = {
                "flow_date": day,
                "amount": flow.amount,
                "kind": flow.kind,
                "rate": rate,
                **{column: getattr(flow, column) for column in _FLOW_OPTIONAL},
            }
            flow.rate = rate  # a new flow's; `wanted` gives it to the flow matched
            self.add_or_update(source, number, values, client, counts, match, wanted, flow)

    # ---- Benchmarks -------------------------------------------------------------

    def benchmarks_sheet(self, source: SheetInput) -> None:
        """Levels are keyed by benchmark name and date: a stored level takes the row's
        value, a new one is added. An import never deletes a level."""
        counts = self.report.count(source.title)
        existing = {
            (stored.name, stored.level_date): stored
            for stored in self.session.scalars(select(BenchmarkLevel))
        }
        seen: dict[tuple[str, dt.date], int] = {}
        for n, (number, values) in enumerate(source.rows(), 1):
            self.tick(source, n)
            cells = self.cells(source, number, values)
            if cells is None:
                continue
            try:
                level = BenchmarkLevel(
                    name=cells["name"], level_date=cells["date"], level=cells["level"]
                )
            except ValidationError as exc:
                self.refused(source, number, exc, values)
                continue
            key = (level.name, level.level_date)
            if self.repeated(
                seen,
                key,
                source,
                number,
                _("this benchmark has two levels on this date (first in row {row})"),
                "date",
                cells["date"],
            ):
                continue
            stored = existing.get(key)
            if stored is None:
                self.session.add(level)
                counts.added += 1
            elif stored.level != level.level:
                stored.level = level.level
                counts.updated += 1
            else:
                counts.unchanged += 1

    def benchmark_choices_sheet(self, source: SheetInput) -> None:
        """A choice is keyed by its client or its risk level: a stored one takes the row's
        benchmarks and weight, a new one is added. It names benchmarks with levels in the
        book or in the Benchmarks sheet. An import never deletes a choice."""
        counts = self.report.count(source.title)
        self.session.flush()
        names = set(self.session.scalars(select(BenchmarkLevel.name).distinct()))
        stored_choices = list(self.session.scalars(select(BenchmarkChoice)))
        by_client = {c.client_id: c for c in stored_choices if c.client_id is not None}
        by_level = {c.risk_level: c for c in stored_choices if c.risk_level is not None}
        seen: dict[object, int] = {}
        for n, (number, values) in enumerate(source.rows(), 1):
            self.tick(source, n)
            cells = self.cells(source, number, values)
            if cells is None:
                continue
            client: Client | None = None
            level = cast("ClientRiskLevel | None", cells.get("risk_level"))
            if cells.get("client_id") is not None:
                client = self.client_of(source, number, values)
                if client is None:
                    continue
            if (client is None) == (level is None):
                self.report.problem(
                    source.title,
                    number,
                    source.header_of(source.sheet.by_key["risk_level"]),
                    level.value if level is not None else None,
                    _("give either a client or a risk level, not both or neither"),
                )
                continue
            key: object = client.id if client is not None else level
            column = "client_id" if client is not None else "risk_level"
            if self.repeated(
                seen,
                key,
                source,
                number,
                _("has two benchmark choices (first in row {row})"),
                column,
                cells.get(column),
            ):
                continue
            missing = False
            for column in ("benchmark", "blend"):
                raw = cells.get(column)
                name = " ".join(str(raw).split()) if raw is not None else None
                if name is not None and name not in names:
                    self.report.problem(
                        source.title,
                        number,
                        source.header_of(source.sheet.by_key[column]),
                        raw,
                        _("has no levels in the book or in the Benchmarks sheet"),
                    )
                    missing = True
            if missing:
                continue
            wanted: dict[str, object] = {
                "benchmark": cells["benchmark"],
                "blend": cells.get("blend"),
                "weight": cells.get("weight") or 100,
            }
            if wanted["blend"] is not None and cells.get("weight") is None:
                self.report.problem(
                    source.title,
                    number,
                    source.header_of(source.sheet.by_key["weight"]),
                    None,
                    _("is required with a second benchmark"),
                )
                continue
            # The Clients sheet was flushed: every client has its id.
            if client is not None:
                stored = by_client.get(client.id)
            else:
                assert level is not None  # one of the two, checked above
                stored = by_level.get(level)
            try:
                if stored is None:
                    # By the client's id alone, as book/benchmarks.py `choose` explains.
                    choice = BenchmarkChoice(
                        client_id=client.id if client is not None else None,
                        risk_level=level,
                        **wanted,
                    )
                    validation.check_record(choice)
                    self.session.add(choice)
                    counts.added += 1
                    continue
                changed = False
                for attr, value in wanted.items():
                    if getattr(stored, attr) != value:
                        setattr(stored, attr, value)
                        changed = True
                validation.check_record(stored)
                counts.updated += changed
                counts.unchanged += not changed
            except ValidationError as exc:
                self.refused(source, number, exc, values)


def _keep_stored(stored: list[_HoldingKey], rows: list[_Cells], kept: tuple[str, ...]) -> None:
    """The values a snapshot's holdings in the book hold for the columns a workbook does
    not have (`kept`), given to the rows that replace them: each row takes the values of a
    stored holding with the same fields, else of the same position (the product, where it
    is held, its currency and the day it was first held), else of the same product, one
    for one, each key without the columns the workbook lacks. Found: a workbook without
    the risk rating, principal or maturity columns replaced a changed snapshot with
    holdings that had none, and the pack then said the holdings had no rating and nothing
    matured; the review pairs positions by account number (review/build.py
    `match_holdings`), which a workbook without that column must keep too."""
    index = {f: i for i, f in enumerate(_HOLDING_FIELDS)}
    keys = [
        tuple(f for f in fields if f not in kept)
        for fields in (_HOLDING_FIELDS, _HOLDING_POSITION, _HOLDING_PRODUCT)
    ]
    left = rows
    paired = [False] * len(stored)
    for key in keys:
        if not left:
            break
        getter = itemgetter(*(index[f] for f in key))
        by_key: dict[object, list[int]] = {}
        for i in range(len(stored) - 1, -1, -1):  # popped from the end: the first first
            if not paired[i]:
                by_key.setdefault(getter(stored[i]), []).append(i)
        unpaired: list[_Cells] = []
        for row in left:
            same = by_key.get(tuple(row[f] for f in key))
            if not same:
                unpaired.append(row)
                continue
            i = same.pop()
            paired[i] = True
            for f in kept:
                row[f] = stored[i][index[f]]
        left = unpaired


def _flow_key(given: Container[str], client_id: int | None, flow: Flow) -> tuple[object, ...]:
    """A flow without an id is known by its date, amount, currency, kind and holding; a
    column the workbook does not have (`given`: those it has) is no part of the key, for
    the row and the stored flow alike."""
    return (
        client_id,
        flow.flow_date,
        flow.amount,
        flow.currency if "currency" in given else None,
        flow.kind,
        flow.holding if "holding" in given else None,
    )


_QUALIFIED = re.compile(r"^(.*?)\s*[(（]\s*([^()（）]+?)\s*[)）]$")


def _member_key(level: int, relation: object, birthday: object) -> tuple[object, ...]:
    return ((), (relation,), (relation, birthday))[level]


def _member_level(rows: list[_Cells], members: list[FamilyMember]) -> int | None:
    """How much beyond the name tells these members apart: 0 nothing, 1 the relation,
    2 the relation and birthday; None if even that does not."""
    for level in range(3):
        keys = [_member_key(level, c["relation"], c.get("birthday")) for c in rows]
        known = [_member_key(level, m.relation, m.birthday) for m in members]
        if len(set(keys)) == len(keys) and len(set(known)) == len(known):
            return level
    return None


def insured_matches(
    client: Client, insured: str, renamed: Mapping[FamilyMember, str] | None = None
) -> list[FamilyMember]:
    """Family members a name in the insured column can mean.

    Members of one name are told apart as the export writes them: by relation,
    `William Harris (son)` or `王子涵（儿子）`, and if need be birthday too,
    `William Harris (son, 2015-05-22)`. A member the same import renamed (`renamed`: its
    name before) answers to either name: the workbook's other sheets still give the old.
    """
    renamed = renamed or {}

    def names(m: FamilyMember) -> tuple[str, ...]:
        return (m.name, renamed[m]) if m in renamed else (m.name,)

    matches = [m for m in client.family if insured in names(m)]
    if matches:
        return matches
    qualified = _QUALIFIED.match(insured)
    if qualified is None:
        return []
    name, inside = qualified.groups()
    parts = [p.strip() for p in re.split(r"[,，]", inside)]
    relation = schema.aliases(Relation).get(parts[0].lower())
    matches = [m for m in client.family if name in names(m) and m.relation is relation]
    if len(parts) > 1:
        try:
            birthday = parse_date(parts[1])
        except CellError:
            return []
        matches = [m for m in matches if m.birthday == birthday]
    return matches


_Record = InsurancePolicy | Contact | RiskAssessment | Flow  # a record `_attach` adds


def _attach(session: Session, client: Client, record: _Record) -> None:
    """The record joins the client by its many-to-one side: appending to the client's
    collection would load that collection (and flush) once per client, which for
    thousands of clients was most of these sheets' time."""
    record.client = client
    session.add(record)


def _ambiguous_code() -> str:
    """Why a code that names several clients of an old book matches none of them."""
    return _(
        "is the code of several clients in the book (codes that differ only in case or "
        "width): give one of them another code first"
    )


def _parse_code(raw: object) -> str | None:
    """A client_id cell by its column's parser, which reads a code as text."""
    return cast("str | None", schema.CLIENT_ID.parser(raw))


def _code_in(source: SheetInput, values: _Values) -> str | None:
    index = (source.positions or {}).get("client_id")
    if index is None or index >= len(values):
        return None
    try:
        return _parse_code(values[index])
    except CellError:
        return None


def _table(model: type[Base]) -> Table:
    """The model's table (declarative typing knows it only as a FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _policy_key(
    given: Container[str],
    code: str,
    number: str | None,
    insured: str | None,
    kind: PolicyKind,
    insurer: str | None,
    start: dt.date | None,
) -> _PolicyKey:
    """A policy is known by its number; without one, by who is insured, for what, by
    whom, since when. A column the workbook does not have (`given`: those it has) is no
    part of the key, for the row and the stored policy alike: found, a workbook without
    the insurer or start column matched no stored policy (the book's insurer was compared
    with a blank) and added each as a second policy beside the first."""
    if number and "policy_number" in given:
        return (code, "number", number)
    return (
        code,
        insured if "insured" in given else None,
        kind,
        insurer if "insurer" in given else None,
        start if "start_date" in given else None,
    )
