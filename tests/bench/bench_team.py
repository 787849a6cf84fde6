"""The cost of a team book's row-level policies, and a branch's book at scale.

    REVIEWDESK_TEST_PG=postgresql+psycopg://... PYTHONPATH=$PWD \
        python -m tests.bench.bench_team [--managers 10] [--clients 1000] [--runs 7]
    ... python -m tests.bench.bench_team --scale [--clients 10000] [--reviews 36] [--holdings 25]

--scale: see tests/bench/bench_team_scale.py.

A team book of CLIENTS demo clients (12 monthly reviews of 10 holdings each) held by
MANAGERS managers. With policies: one manager, logged in as themselves, asks for their
client list and for one client's review history (the policies keep the others' rows
out). Without: the same manager's clients alone (the others deleted), the policies
switched off, the same queries as the schema's owner. Medians in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from sqlalchemy import text

from reviewdesk.book import team
from reviewdesk.book.db import open_book
from reviewdesk.book.queries import load_client_history
from reviewdesk.demo import DemoOptions, fill_demo
from reviewdesk.review.client_list import list_clients
from tests import pg

AS_OF = dt.date(2026, 6, 30)
PASSWORD = "bench-Pass-123"
TABLES = (
    "client",
    "client_tag",
    "family_member",
    "snapshot",
    "fx_rate",
    "holding",
    "insurance_policy",
    "risk_assessment",
    "contact",
    "document",
    "pack_record",
    "flow",
    "client_manager",
    "audit_entry",
)


def _median_ms(fn, runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def _timings(book, runs: int) -> tuple[int, float, float]:
    with book.session() as s:
        rows = list_clients(s, AS_OF)
    first = rows[0].id

    def client_list():
        with book.session() as s:
            list_clients(s, AS_OF)

    def review():
        with book.session() as s:
            load_client_history(s, first)

    return len(rows), _median_ms(client_list, runs), _median_ms(review, runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--managers", type=int, default=10)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scale", action="store_true", help="the branch at scale")
    parser.add_argument("--reviews", type=int, default=36)
    parser.add_argument("--holdings", type=int, default=25)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--copy", help="with --scale: measure this copy of the scale book")
    args, _rest = parser.parse_known_args()
    if args.scale:
        from tests.bench import bench_team_scale as bench_scale

        bench_scale.run(
            args.clients, args.reviews, args.holdings, args.sessions, args.runs, args.copy
        )
        return
    with pg.new_database("rd_bench") as database:
        owner = open_book(pg.database_url(database))
        managers = [f"{database}_m{i}" for i in range(args.managers)]
        t0 = time.perf_counter()
        with owner.session() as s:
            for name in managers:
                team.add_user(s, name, "manager", PASSWORD, branch="b1")
        with owner.session() as s:
            fill_demo(
                s,
                DemoOptions(
                    clients=args.clients,
                    seed=7,
                    as_of=AS_OF,
                    uniform_snapshots=12,
                    uniform_holdings=10,
                ),
            )
        with owner.engine.begin() as conn:
            conn.execute(
                text("UPDATE client SET owner = (CAST(:names AS text[]))[1 + id % :n]"),
                {"names": managers, "n": len(managers)},
            )
            conn.execute(text("ANALYZE"))
        print(f"built {args.clients} clients in {time.perf_counter() - t0:.0f} s")
        person = open_book(pg.database_url(database, managers[0], PASSWORD))
        try:
            n, with_list, with_review = _timings(person, args.runs)
        finally:
            person.close()
        with owner.engine.begin() as conn:
            conn.execute(text("DELETE FROM client WHERE owner <> :m"), {"m": managers[0]})
            for table in TABLES:
                conn.execute(text(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"))
            conn.execute(text("ANALYZE"))
        try:
            n_plain, without_list, without_review = _timings(owner, args.runs)
        finally:
            owner.close()
        assert n == n_plain, (n, n_plain)
        print(f"{n} clients of one manager among {args.clients}, medians of {args.runs} runs:")
        for label, with_, without in (
            ("client list", with_list, without_list),
            ("client review", with_review, without_review),
        ):
            print(f"  {label:14} {with_:7.1f} ms with policies, {without:7.1f} without")


if __name__ == "__main__":
    main()
