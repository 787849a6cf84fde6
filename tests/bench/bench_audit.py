"""What the database-written audit trail costs an import into a team book.

    REVIEWDESK_TEST_PG=postgresql+psycopg://... PYTHONPATH=$PWD \\
        python -m tests.bench.bench_audit [--clients 100] [--reviews 12] [--holdings 10]

A demo book of CLIENTS clients is exported to a workbook, which a manager imports through
the app into two fresh team books: one as the migrations make it (a per-row trigger
writes an audit entry for every row created), one with the audit triggers switched off
by the schema's owner. The difference is the trail's cost; the entries are counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from reviewdesk.book import team
from reviewdesk.book.db import open_book
from reviewdesk.demo import DemoOptions, fill_demo
from reviewdesk.exchange import export_workbook, import_files
from tests import pg

AUDITED = (
    "client",
    "client_tag",
    "family_member",
    "snapshot",
    "fx_rate",
    "holding",
    "insurance_policy",
    "risk_assessment",
    "contact",
    "flow",
)
PASSWORD = "bench-Pass-123"


def _import(workbook: Path, audited: bool) -> tuple[float, int, int]:
    with pg.new_database("rd_audit") as database:
        owner = open_book(pg.database_url(database))
        try:
            with owner.session() as s:
                team.add_user(s, f"{database}_m", "manager", PASSWORD, branch="b1")
        finally:
            owner.close()
        engine = create_engine(pg.database_url(database))
        try:
            if not audited:
                with engine.begin() as conn:
                    for table in AUDITED:
                        conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER reviewdesk_audit"))
            book = open_book(pg.database_url(database, f"{database}_m", PASSWORD))
            try:
                t0 = time.perf_counter()
                report = import_files(book, [workbook])
                seconds = time.perf_counter() - t0
            finally:
                book.close()
            assert report.applied, report.problems[:5]
            with engine.connect() as conn:
                entries = int(conn.scalar(text("SELECT count(*) FROM audit_entry")))
                holdings = int(conn.scalar(text("SELECT count(*) FROM holding")))
        finally:
            engine.dispose()
    return seconds, entries, holdings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--reviews", type=int, default=12)
    parser.add_argument("--holdings", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        demo = open_book(str(Path(folder) / "demo.sqlite"), plain=True)
        try:
            with demo.session() as s:
                fill_demo(
                    s,
                    DemoOptions(
                        clients=args.clients,
                        seed=7,
                        as_of=dt.date(2026, 6, 30),
                        uniform_snapshots=args.reviews,
                        uniform_holdings=args.holdings,
                    ),
                )
            workbook = Path(folder) / "book.xlsx"
            with demo.session() as s:
                export_workbook(s, workbook, lang="zh")
        finally:
            demo.close()
        with_trail = _import(workbook, audited=True)
        without = _import(workbook, audited=False)
    print(f"import of {args.clients} clients ({with_trail[2]} holdings) into a team book:")
    print(f"  with the audit triggers    {with_trail[0]:7.1f} s, {with_trail[1]} audit entries")
    print(f"  without them               {without[0]:7.1f} s, {without[1]} audit entries")


if __name__ == "__main__":
    main()
