"""Writing the book, or one client, as a workbook in the import format.

The workbook is written with openpyxl in write-only mode and the rows are
streamed from the database, so a large book is never held in memory whole.
Whatever is written reads back to the same book: amounts a double cannot
carry exactly are written as text, and exchange rates that differ between
clients on the same date are written per client.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypeVarTuple, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import ALL_TEMP_FILES, WorksheetWriter
from sqlalchemy import Select, exists, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased, selectinload

from reviewdesk.book import audit, identity
from reviewdesk.book.enums import LabelledEnum, Relation
from reviewdesk.book.models import (
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
from reviewdesk.exchange.parse import float_to_decimal
from reviewdesk.files import new_folders_private, write_private
from reviewdesk.privacy import switched_off
from reviewdesk.settings import load_settings

DATE_FORMAT = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

_Ts = TypeVarTuple("_Ts")


@dataclass
class ExportSummary:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)


def amount_cell(value: Decimal | None, *, places: bool = False) -> Decimal | str | None:
    """A number if a double carries it exactly (as Excel shows it), else exact text.

    With `places` (exchange rates, index levels: kept as written, 0.9180 is not 0.918,
    and a pack prints them so) a value whose trailing zeros a number would drop is text.
    """
    if value is None:
        return None
    given = value
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    else:
        value = value.normalize()
    if places and str(value) != str(given):
        return str(given)
    try:
        if float_to_decimal(float(value)) == value:
            return value
    except (OverflowError, ValueError):
        pass
    return str(given) if places else str(value)


class _SheetWriter:
    def __init__(self, workbook: Workbook, sheet: schema.Sheet, lang: str, parts: Path):
        self.ws = workbook.create_sheet(sheet.name(lang))
        # The sheet's rows stream into a file of the export's own folder beside the target,
        # not into the system's temporary folder (see `export_workbook`).
        out = str(parts / f"sheet{len(workbook.worksheets)}.xml")
        writer = WorksheetWriter(self.ws, out=out)
        ALL_TEMP_FILES.append(out)  # openpyxl's own list: it removes the file once saved
        writer.write_top()
        self.ws._writer = writer
        self.sheet = sheet
        self.lang = lang
        self.count = 0
        for index, column in enumerate(sheet.columns, start=1):
            width = max(12, min(40, len(column.name(lang)) * (2 if lang == "zh" else 1) + 6))
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.ws.freeze_panes = "A2"
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(self.ws, value=column.name(lang))
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            header.append(cell)
        self.ws.append(header)

    def row(self, values: Mapping[str, object]) -> None:
        # A value is what the column's kind says (the book's columns are typed so): the casts
        # below state it.
        out: list[object] = []
        for column in self.sheet.columns:
            value = values.get(column.key)
            if value is None:
                out.append(None)
            elif column.kind == "date":
                cell = WriteOnlyCell(self.ws, value=value)
                cell.number_format = DATE_FORMAT
                out.append(cell)
            elif column.kind in ("amount", "rate"):
                out.append(amount_cell(cast(Decimal, value), places=column.kind == "rate"))
            elif column.kind == "enum":
                out.append(schema.enum_text(cast(LabelledEnum, value), self.lang))
            elif column.kind == "yesno":
                out.append(schema.yes_no_text(cast(bool, value), self.lang))
            elif column.kind == "tags":
                out.append(self.text("; ".join(cast("list[str]", value))) if value else None)
            elif value.__class__ is str:
                out.append(self.text(value))
            else:
                out.append(value)
        self.ws.append(out)
        self.count += 1

    def text(self, value: str) -> str | WriteOnlyCell:
        """Text is written as text: openpyxl would write "=..." as a live formula and "#N/A"
        as an error value, so such a cell is given the string type (and Excel's quote prefix,
        which keeps it text when the cell is edited)."""
        if not value.startswith("=") and value not in ERROR_CODES:
            return value
        cell = WriteOnlyCell(self.ws, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell


def export_workbook(
    session: Session,
    path: str | Path,
    *,
    lang: str = "en",
    client_id: int | None = None,
    progress: Callable[[str, int], None] | None = None,
    record: bool = True,
) -> ExportSummary:
    """Write the book (or one client) to `path` in the import format, headers in `lang`.

    The sheets stream into a private folder beside `path` (mode 0700, on the same disk and
    under the same protection as the file asked for, never in the system's temporary
    folder), and that folder goes on every way out: written, failed, cancelled or
    interrupted. The export is recorded in the audit trail; `record=False` is for a book
    that cannot keep the record (open read-only), whose caller says so to the user.
    """
    path = Path(path)
    new_folders_private(path.parent)
    parts = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".parts", dir=path.parent))
    workbook = Workbook(write_only=True)
    try:
        return _write(session, workbook, path, parts, lang, client_id, progress, record)
    finally:
        _discard(workbook, parts)


def _discard(workbook: Workbook, parts: Path) -> None:
    """The sheets' files hold client data: they go now, not when the program ends."""
    for ws in workbook.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        if not ws.closed:
            with contextlib.suppress(Exception):
                ws.close()  # ends the XML stream, so its file is closed before it goes
        if writer.out in ALL_TEMP_FILES:
            ALL_TEMP_FILES.remove(writer.out)
    shutil.rmtree(parts, ignore_errors=True)


def _write(
    session: Session,
    workbook: Workbook,
    path: Path,
    parts: Path,
    lang: str,
    client_id: int | None,
    progress: Callable[[str, int], None] | None,
    record: bool = True,
) -> ExportSummary:
    team_book = session.get_bind().dialect.name == "postgresql"
    # A field the bank does not collect is not written, even if the book still holds it
    # from before (an import of the workbook keeps what it does not carry).
    off = frozenset(switched_off(load_settings(session)))
    writers = {
        s.key: _SheetWriter(workbook, schema.for_book(s, team_book, off), lang, parts)
        for s in schema.SHEETS
    }

    def only(query: Select[*_Ts], column: InstrumentedAttribute[int]) -> Select[*_Ts]:
        return query.where(column == client_id) if client_id is not None else query

    this_bank = "本行" if lang == "zh" else "this bank"
    tag = schema.record_tag(identity.book_id(session))

    def record_id(pk: int) -> str | None:
        return f"{tag}-{pk}" if tag is not None else None

    clients = session.scalars(
        only(select(Client), Client.id)
        .order_by(Client.code)
        .options(selectinload(Client.tags))
        .execution_options(yield_per=500)
    )
    for client in clients:
        writers["Clients"].row(
            {
                "client_id": client.code,
                "name": client.name,
                "phone": client.phone,
                "email": client.email,
                "address": client.address,
                "birthday": client.birthday,
                "occupation": client.occupation,
                "employer": client.employer,
                "hobbies": client.hobbies,
                "annual_income": client.annual_income,
                "income_currency": client.income_currency,
                "marital_status": client.marital_status,
                "tier": client.tier,
                "review_cadence": client.review_cadence,
                "report_currency": client.report_currency,
                "language": client.language,
                "tags": client.tag_names,
                "notes": client.special_notes,
                "contact_preferences": client.contact_preferences,
                "contact_cadence_days": client.contact_cadence_days,
                "id_number": client.id_number,
                "manager": client.owner,
            }
        )

    family_rows = session.execute(
        only(
            select(
                Client.code,
                FamilyMember.name,
                FamilyMember.relation,
                FamilyMember.birthday,
                FamilyMember.school_or_employer,
                FamilyMember.annual_income,
                FamilyMember.income_currency,
                FamilyMember.id,
            ).join(FamilyMember.client),
            Client.id,
        ).order_by(Client.code, FamilyMember.id)
    )
    for code, name, relation, birthday, school, income, income_currency, pk in family_rows:
        writers["Family"].row(
            {
                "client_id": code,
                "name": name,
                "relation": relation,
                "birthday": birthday,
                "school_or_employer": school,
                "annual_income": income,
                "income_currency": income_currency,
                "record_id": record_id(pk),
            }
        )

    holding_columns = [
        getattr(Holding, f)
        for f in (
            "asset_class",
            "product_name",
            "product_code",
            "institution",
            "currency",
            "market_value",
            "principal",
            "held_since",
            "maturity_date",
            "risk_level",
            "account_number",
        )
    ]
    holding_rows = session.execute(
        only(
            select(Client.code, Snapshot.review_date, Snapshot.note, Snapshot.id, *holding_columns)
            .join(Snapshot, Snapshot.client_id == Client.id)
            .join(Holding, Holding.snapshot_id == Snapshot.id),
            Client.id,
        )
        .order_by(Client.code, Snapshot.review_date, Holding.id)
        .execution_options(yield_per=5000)
    )
    holdings = writers["Holdings"]
    last: tuple[str, dt.date] | None = None
    for (
        code,
        day,
        note,
        snapshot_pk,
        asset_class,
        name,
        product_code,
        institution,
        currency,
        value,
        principal,
        held_since,
        maturity,
        risk,
        account,
    ) in holding_rows:
        first = (code, day) != last  # the snapshot's note goes with its first row
        last = (code, day)
        holdings.row(
            {
                "client_id": code,
                "review_date": day,
                "asset_class": asset_class,
                "product_name": name,
                "product_code": product_code,
                "institution": institution or this_bank,
                "currency": currency,
                "market_value": value,
                "principal": principal,
                "held_since": held_since,
                "maturity_date": maturity,
                "risk_level": risk,
                "account_number": account,
                "snapshot_note": note if first else None,
                "snapshot_record": record_id(snapshot_pk),
            }
        )
        if progress and holdings.count % 10000 == 0:
            progress("Holdings", holdings.count)

    for values in _fx_rows(session, client_id):
        writers["FX"].row(values)

    twins = _shared_names(session, client_id)
    member = aliased(FamilyMember)
    policy_rows = session.execute(
        only(
            select(
                Client.code,
                Client.name,
                member.name,
                member.relation,
                member.client_id,
                member.birthday,
                InsurancePolicy.kind,
                InsurancePolicy.insurer,
                InsurancePolicy.sum_assured,
                InsurancePolicy.annual_premium,
                InsurancePolicy.payment_years,
                InsurancePolicy.start_date,
                InsurancePolicy.end_date,
                InsurancePolicy.currency,
                InsurancePolicy.policy_number,
                InsurancePolicy.id,
            )
            .join(InsurancePolicy, InsurancePolicy.client_id == Client.id)
            .outerjoin(member, member.id == InsurancePolicy.insured_member_id),
            Client.id,
        ).order_by(Client.code, InsurancePolicy.id)
    )
    for (
        code,
        client_name,
        member_name,
        relation,
        member_client,
        birthday,
        kind,
        insurer,
        sum_assured,
        premium,
        years,
        start,
        end,
        currency,
        number,
        pk,
    ) in policy_rows:
        insured = member_name or client_name
        twin = twins.get((member_client, member_name))
        if member_name is not None and twin is not None:
            # Members of one name: the relation (and birthday) tell the import which one.
            inside = schema.enum_text(relation, lang)
            if twin[relation] > 1:
                inside += f", {birthday.isoformat() if birthday else ''}"
            insured = f"{member_name}（{inside}）" if lang == "zh" else f"{member_name} ({inside})"
        writers["Insurance"].row(
            {
                "client_id": code,
                "insured": insured,
                "policy_type": kind,
                "insurer": insurer,
                "sum_assured": sum_assured,
                "annual_premium": premium,
                "payment_years": years,
                "start_date": start,
                "end_date": end,
                "currency": currency,
                "policy_number": number,
                "record_id": record_id(pk),
            }
        )

    contact_rows = session.execute(
        only(
            select(
                Client.code,
                Contact.contact_date,
                Contact.channel,
                Contact.summary,
                Contact.next_step,
                Contact.feedback,
                Contact.feedback_topic,
                Contact.shared,
                Contact.next_step_shared,
                Contact.next_step_due,
                Contact.next_step_done,
                Contact.id,
            ).join(Contact, Contact.client_id == Client.id),
            Client.id,
        ).order_by(Client.code, Contact.contact_date, Contact.id)
    )
    for (
        code,
        day,
        channel,
        summary,
        next_step,
        feedback,
        topic,
        shared,
        step_shared,
        due,
        done,
        pk,
    ) in contact_rows:
        writers["Contacts"].row(
            {
                "client_id": code,
                "date": day,
                "channel": channel,
                "summary": summary,
                "next_step": next_step,
                "feedback": feedback,
                "feedback_topic": topic,
                "shared": shared,
                "next_step_shared": step_shared,
                "next_step_due": due,
                "next_step_done": done,
                "record_id": record_id(pk),
            }
        )

    risk_rows = session.execute(
        only(
            select(
                Client.code,
                RiskAssessment.assessed_on,
                RiskAssessment.level,
                RiskAssessment.score,
                RiskAssessment.valid_until,
                RiskAssessment.answers,
                RiskAssessment.id,
            ).join(RiskAssessment, RiskAssessment.client_id == Client.id),
            Client.id,
        ).order_by(Client.code, RiskAssessment.assessed_on, RiskAssessment.id)
    )
    for code, assessed_on, level, score, valid_until, answers, pk in risk_rows:
        writers["Risk"].row(
            {
                "client_id": code,
                "assessed_on": assessed_on,
                "level": level,
                "score": score,
                "valid_until": valid_until,
                "answers": json.dumps(answers, ensure_ascii=False, sort_keys=True)
                if answers
                else None,
                "record_id": record_id(pk),
            }
        )

    flow_rows = session.execute(
        only(
            select(
                Client.code,
                Flow.flow_date,
                Flow.amount,
                Flow.currency,
                Flow.kind,
                Flow.holding,
                Flow.note,
                Flow.rate,
                Flow.to_currency,
                Flow.id,
            ).join(Flow, Flow.client_id == Client.id),
            Client.id,
        ).order_by(Client.code, Flow.flow_date, Flow.id)
    )
    for code, day, amount, currency, flow_kind, holding, note, rate, to_currency, pk in flow_rows:
        writers["Flows"].row(
            {
                "client_id": code,
                "date": day,
                "amount": amount,
                "currency": currency,
                "kind": flow_kind,
                "holding": holding,
                "note": note,
                "rate": rate,
                "to_currency": to_currency,
                "record_id": record_id(pk),
            }
        )

    # Benchmarks are the book's, not a client's: their levels and the risk levels' choices
    # go with every export; a client's own choice goes with that client.
    for name, day, level in session.execute(
        select(BenchmarkLevel.name, BenchmarkLevel.level_date, BenchmarkLevel.level).order_by(
            BenchmarkLevel.name, BenchmarkLevel.level_date
        )
    ):
        writers["Benchmarks"].row({"name": name, "date": day, "level": level})
    choice_query = select(
        BenchmarkChoice.risk_level,
        Client.code,
        BenchmarkChoice.benchmark,
        BenchmarkChoice.blend,
        BenchmarkChoice.weight,
    ).outerjoin(Client, Client.id == BenchmarkChoice.client_id)
    if client_id is not None:
        choice_query = choice_query.where(
            (BenchmarkChoice.client_id == client_id) | BenchmarkChoice.client_id.is_(None)
        )
    choice_rows = sorted(
        session.execute(choice_query),
        key=lambda r: (r[0] is None, r[0].rank if r[0] else 0, r[1] or ""),
    )
    for level, code, benchmark, blend, weight in choice_rows:
        writers["Benchmark choices"].row(
            {
                "client_id": code,
                "risk_level": level,
                "benchmark": benchmark,
                "blend": blend,
                "weight": weight if blend is not None else None,
            }
        )

    counts = {w.ws.title: w.count for w in writers.values()}
    # An export is a disclosure: it is recorded first, so that a book that fails to record
    # it refuses it before any file exists; the caller's commit keeps both.
    if record:
        audit.record_event(
            session,
            "export",
            client_id,
            "{name}: {counts}".format(
                name=path.name, counts=", ".join(f"{sheet} {n}" for sheet, n in counts.items())
            ),
        )
        session.flush()
    # Written whole under another name, then put in place; an export is client data in
    # clear, so it is its owner's alone (`files`).
    write_private(path, workbook.save)
    return ExportSummary(path, counts)


def _shared_names(
    session: Session, client_id: int | None
) -> dict[tuple[int, str], Counter[Relation]]:
    """(client id, name) of family members who share their name with another member,
    with how many of them have each relation."""
    query = select(FamilyMember.client_id, FamilyMember.name, FamilyMember.relation)
    if client_id is not None:
        query = query.where(FamilyMember.client_id == client_id)
    names: dict[tuple[int, str], Counter[Relation]] = defaultdict(Counter)
    for cid, name, relation in session.execute(query):
        names[(cid, name)][relation] += 1
    return {key: c for key, c in names.items() if c.total() > 1}


def _fx_rows(session: Session, client_id: int | None) -> list[dict[str, object]]:
    """One row per date where every exported snapshot of the date uses the same rate,
    per client where they differ; only snapshots with holdings are exported."""
    has_holdings = exists().where(Holding.snapshot_id == Snapshot.id)
    query = select(Snapshot.review_date, Client.code).join(Snapshot.client).where(has_holdings)
    if client_id is not None:
        query = query.where(Client.id == client_id)
    per_date: dict[dt.date, int] = defaultdict(int)
    for day, _code in session.execute(query):
        per_date[day] += 1
    rate_query = (
        select(
            Snapshot.review_date, Client.code, FxRate.from_currency, FxRate.to_currency, FxRate.rate
        )
        .join(FxRate.snapshot)
        .join(Snapshot.client)
        .where(has_holdings)
    )
    if client_id is not None:
        rate_query = rate_query.where(Client.id == client_id)
    users: dict[tuple[dt.date, str, str, Decimal], list[str]] = defaultdict(list)
    for day, code, src, dst, rate in session.execute(rate_query):
        users[(day, src, dst, rate)].append(code)
    out: list[dict[str, object]] = []
    for (day, src, dst, rate), codes in sorted(
        users.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], kv[0][3])
    ):
        base = {"review_date": day, "from_currency": src, "to_currency": dst, "rate": rate}
        if len(codes) == per_date[day]:
            out.append(base)
        else:
            out.extend({**base, "client_id": code} for code in sorted(codes))
    return out
