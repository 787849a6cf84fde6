"""A branch's team book at scale: MANAGERS managers of 500 clients each, REVIEWS monthly
reviews of HOLDINGS holdings per client (the issue's branch: 10,000 clients, 36 reviews of
25 holdings, 9 million holdings), on the PostgreSQL server of REVIEWDESK_TEST_PG.

    REVIEWDESK_TEST_PG=postgresql+psycopg://... PYTHONPATH=$PWD \\
        python -m tests.bench.bench_team --scale --clients 10000 [--reviews 36] [--holdings 25]

The book is built once, by the schema's owner, with set-based statements on the server
(INSERT ... SELECT over generate_series, a range of clients at a time), not through the
import: the import's cost is another measure. The audit triggers are off while it is
built (the built rows have no trail: nobody made them) and on again for the measures.
The database is kept under a name made of its shape (`rd_scale_<clients>x<reviews>x<holdings>`)
and marked built when done: a second run reuses it (brought to the newest revision by
its owner first, then compacted); a half-built one is dropped and built again.

Then, as the people themselves (each on their own connection, under the policies), the
medians of RUNS runs, each in its own unit of work as the app does it:

- a manager's client list (their 500), the supervisor's (all of the branch's);
- a client's review (build_review: the latest snapshot and the trend over every one);
- a manager's agenda (build_agenda for the week);
- SESSIONS sessions at once (threads, each a person with their own book: managers, the
  supervisor reading), each doing rounds of list, review, agenda and a save; the errors
  are counted (none expected) and the latencies under that load printed.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import threading
import time
from collections.abc import Callable

from sqlalchemy import create_engine, text

from reviewdesk.book import team
from reviewdesk.book.db import Book, open_book
from reviewdesk.book.models import Client, Contact
from reviewdesk.migrations import runner
from reviewdesk.review.agenda import build_agenda
from reviewdesk.review.build import build_review
from reviewdesk.review.client_list import list_clients
from reviewdesk.settings import load_settings
from tests import pg

AS_OF = dt.date(2026, 6, 30)
PASSWORD = "bench-Pass-123"
PER_MANAGER = 500
CHUNK = 250  # clients per statement while building (CHUNK * REVIEWS * HOLDINGS holdings)
AUDITED = ("client", "snapshot", "holding", "fx_rate", "contact", "risk_assessment")
TARGETS = {  # the issue's, in milliseconds
    "manager's client list": 150,
    "supervisor's client list": 500,
    "client's review": 50,
    "manager's agenda": 300,
}


def _say(message: str) -> None:
    print(message, flush=True)


def _built(admin, name: str) -> str | None:
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            return None
        return (
            conn.scalar(
                text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = :n"
                ),
                {"n": name},
            )
            or ""
        )


def _drop(admin, name: str) -> None:
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        for role in conn.scalars(
            text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"), {"p": name + "\\_%"}
        ).all():
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))


def build(name: str, clients: int, reviews: int, holdings: int) -> None:
    managers = [f"{name}_m{i}" for i in range(max(1, clients // PER_MANAGER))]
    url = pg.database_url(name)
    owner = open_book(url)  # the migrations: tables, roles, policies, triggers
    try:
        with owner.session() as s:
            for m in managers:
                team.add_user(s, m, "manager", PASSWORD, branch="b1")
            team.add_user(s, f"{name}_sup", "supervisor", PASSWORD, branch="b1")
    finally:
        owner.close()
    engine = create_engine(url)
    t0 = time.perf_counter()
    try:
        with engine.begin() as conn:
            for table in AUDITED:
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER reviewdesk_audit"))
            conn.execute(text("ALTER TABLE client DISABLE TRIGGER reviewdesk_client_owner"))
            conn.execute(
                text(
                    "INSERT INTO client (code, name, tier, report_currency, language, "
                    "created_at, updated_at, owner, branch, birthday, version, sort_name) "
                    "SELECT 'S' || lpad(i::text, 6, '0'), '客户' || i, "
                    "CASE WHEN i % 5 = 0 THEN 'key' ELSE 'standard' END, 'CNY', 'zh', "
                    "now(), now(), (CAST(:names AS text[]))[1 + (i - 1) / :per], 'b1', "
                    "date '1950-01-01' + (i * 37) % 18000, 1, 'ke hu ' || i "
                    "FROM generate_series(1, :n) AS i"
                ),
                {"names": managers, "per": PER_MANAGER, "n": clients},
            )
            conn.execute(
                text(
                    "INSERT INTO snapshot (client_id, review_date, created_at, version) "
                    "SELECT c.id, (date_trunc('month', CAST(:as_of AS date)) "
                    "- make_interval(months => k) + interval '1 month' - interval '1 day')::date, "
                    "now(), 1 FROM client c CROSS JOIN generate_series(0, :r - 1) AS k"
                ),
                {"as_of": AS_OF, "r": reviews},
            )
            conn.execute(
                text(
                    "INSERT INTO fx_rate (snapshot_id, from_currency, to_currency, rate) "
                    "SELECT s.id, 'USD', 'CNY', '7.1' FROM snapshot s"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO contact (client_id, contact_date, channel, summary, next_step, "
                    "shared, next_step_shared, next_step_due, version) "
                    "SELECT c.id, CAST(:as_of AS date) - ((c.id * 13 + k * 40) % 200), 'T', "
                    "'回访', '跟进', false, false, "
                    "CASE WHEN k = 0 THEN CAST(:as_of AS date) + (c.id % 10) END, 1 "
                    "FROM client c CROSS JOIN generate_series(0, 3) AS k"
                ),
                {"as_of": AS_OF},
            )
            conn.execute(
                text(
                    "INSERT INTO risk_assessment (client_id, assessed_on, answers, level, "
                    "valid_until, version) "
                    "SELECT c.id, CAST(:as_of AS date) - (c.id * 17) % 700, '{}', "
                    "'C' || (1 + c.id % 5), CAST(:as_of AS date) - (c.id * 17) % 700 + 730, 1 "
                    "FROM client c"
                ),
                {"as_of": AS_OF},
            )
        _say(f"  clients, snapshots, rates, contacts: {time.perf_counter() - t0:.0f} s")
        with engine.connect() as conn:
            low, high = conn.execute(text("SELECT min(id), max(id) FROM client")).one()
        for start in range(low, high + 1, CHUNK):
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO holding (snapshot_id, product_name, product_code, "
                        "asset_class, currency, market_value, maturity_date, version) "
                        "SELECT s.id, '产品' || j, 'P' || lpad(j::text, 4, '0'), "
                        "(ARRAY['deposit', 'fund', 'bond', 'stock', 'wealth_product', "
                        "'cash'])[1 + j % 6], CASE WHEN j = :h THEN 'USD' ELSE 'CNY' END, "
                        "(10000 + (s.id::bigint * 7919 + j * 104729) % 990000) * 10000, "
                        "CASE WHEN j % 6 = 2 THEN s.review_date + (s.id + j) % 400 END, 1 "
                        "FROM snapshot s CROSS JOIN generate_series(1, :h) AS j "
                        "WHERE s.client_id >= :lo AND s.client_id < :hi"
                    ),
                    {"h": holdings, "lo": start, "hi": start + CHUNK},
                )
            done = min(high, start + CHUNK - 1) - low + 1
            if done % (CHUNK * 8) == 0 or done == high - low + 1:
                _say(f"  holdings of {done} clients: {time.perf_counter() - t0:.0f} s")
        with engine.begin() as conn:
            for table in AUDITED:
                conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER reviewdesk_audit"))
            conn.execute(text("ALTER TABLE client ENABLE TRIGGER reviewdesk_client_owner"))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
            conn.execute(
                text(
                    f"COMMENT ON DATABASE \"{name}\" IS 'built {dt.datetime.now():%Y-%m-%d %H:%M}'"
                )
            )
    finally:
        engine.dispose()
    _say(f"built in {time.perf_counter() - t0:.0f} s")


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def _list(book: Book) -> int:
    with book.session() as s:
        return len(list_clients(s, AS_OF))


def _review(book: Book, client_id: int) -> None:
    with book.session() as s:
        build_review(s, client_id, settings=load_settings(s), today=AS_OF)


def _agenda(book: Book) -> int:
    with book.session() as s:
        return len(build_agenda(s, AS_OF).lines)


def _save(book: Book, client_id: int, note: str) -> None:
    with book.session() as s:
        contact = s.query(Contact).filter_by(client_id=client_id).order_by(Contact.id).first()
        assert contact is not None
        contact.summary = note
        s.get(Client, client_id).hobbies = note


def _person(database: str, who: str) -> Book:
    return open_book(pg.database_url(database, who, PASSWORD))


def _own_clients(book: Book) -> list[int]:
    with book.session() as s:
        return list(s.scalars(text("SELECT id FROM client ORDER BY id")))


def measure(name: str, clients: int, sessions: int, runs: int, database: str | None = None) -> None:
    """As the people of the book `name` (named after it), on `database` (by default the
    book itself; else a copy of it, see `run`)."""
    database = database or name
    managers = [f"{name}_m{i}" for i in range(max(1, clients // PER_MANAGER))]
    manager, supervisor = _person(database, managers[0]), _person(database, f"{name}_sup")
    try:
        mine = _own_clients(manager)
        assert _list(manager) == len(mine) == min(PER_MANAGER, clients)
        assert _list(supervisor) == clients
        results = {
            "manager's client list": _median_ms(lambda: _list(manager), runs),
            "supervisor's client list": _median_ms(lambda: _list(supervisor), runs),
            "client's review": _median_ms(lambda: _review(manager, mine[len(mine) // 2]), runs),
            "manager's agenda": _median_ms(lambda: _agenda(manager), runs),
        }
    finally:
        manager.close()
        supervisor.close()
    _say(f"{clients} clients ({len(managers)} managers), medians of {runs} runs, one at a time:")
    for label, ms in results.items():
        verdict = "ok" if ms <= TARGETS[label] else "OVER"
        _say(f"  {label:26} {ms:8.1f} ms   (target {TARGETS[label]} ms: {verdict})")
    _concurrent(name, managers, sessions, database=database)


def _concurrent(
    name: str, managers: list[str], sessions: int, rounds: int = 5, database: str | None = None
) -> None:
    """SESSIONS people at once, each with their own book, doing ROUNDS rounds of work."""
    people = [
        f"{name}_sup" if i == sessions - 1 else managers[i % len(managers)] for i in range(sessions)
    ]
    latencies: dict[str, list[float]] = {"list": [], "review": [], "agenda": [], "save": []}
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(sessions)

    def work(index: int, who: str) -> None:
        rng = random.Random(index)
        try:
            book = _person(database or name, who)
        except Exception as exc:  # noqa: BLE001 - counted, not raised
            with lock:
                errors.append(f"{who}: {type(exc).__name__}: {exc}")
            start.wait()
            return
        try:
            ids = _own_clients(book)
            start.wait()
            for r in range(rounds):
                cid = rng.choice(ids)
                steps: list[tuple[str, Callable[[], object]]] = [
                    ("list", lambda: _list(book)),
                    ("review", lambda: _review(book, cid)),  # noqa: B023 - used at once
                    ("agenda", lambda: _agenda(book)),
                ]
                if not who.endswith("_sup"):  # a supervisor reads
                    steps.append(("save", lambda: _save(book, cid, f"第{r}轮{index}")))  # noqa: B023
                for label, step in steps:
                    t0 = time.perf_counter()
                    try:
                        step()
                    except Exception as exc:  # noqa: BLE001 - counted, not raised
                        with lock:
                            errors.append(f"{who} {label}: {type(exc).__name__}: {exc}")
                        continue
                    with lock:
                        latencies[label].append((time.perf_counter() - t0) * 1000)
        finally:
            book.close()

    threads = [threading.Thread(target=work, args=(i, p)) for i, p in enumerate(people)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    _say(f"{sessions} sessions at once ({rounds} rounds each), {wall:.1f} s, errors: {len(errors)}")
    for label, values in latencies.items():
        if values:
            values.sort()
            p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
            _say(
                f"  {label:8} n={len(values):3}  median {statistics.median(values):8.1f} ms"
                f"   p95 {p95:8.1f} ms"
            )
    for line in errors[:10]:
        _say(f"  error: {line}")


def _upgrade(name: str) -> None:
    """A book built by an older revision is brought to the head by its owner, as the app
    would on opening it; the people's books are opened without upgrading."""
    url = pg.database_url(name)
    engine = create_engine(url)
    try:
        state = runner.state(engine)
        if state.current == state.head:
            return
        _say(f"  upgrading {name} from {state.current} to {state.head}")
        t0 = time.perf_counter()
        runner.upgrade(engine)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # An upgrade may rewrite every row of a table (0008 fills a column of every
            # holding): compacted, the book is measured as one built at this revision.
            conn.execute(text("VACUUM (FULL, ANALYZE)"))
        _say(f"  upgraded in {time.perf_counter() - t0:.0f} s")
    finally:
        engine.dispose()


def run(
    clients: int, reviews: int, holdings: int, sessions: int, runs: int, copy: str | None = None
) -> None:
    """Build (once) and measure the book of this shape; with `copy`, measure that database
    instead: a copy of the built book (`CREATE DATABASE copy TEMPLATE rd_scale_...`) that
    a change to the schema may upgrade without touching the shared one. Its people are
    the book's; its group roles are named after the copy (`<copy>_manager`, ...), each
    granted to the book's (`GRANT "<copy>_manager" TO "rd_scale_..._manager"`)."""
    name = f"rd_scale_{clients}x{reviews}x{holdings}"
    if copy is not None:
        _say(f"measuring {copy}, a copy of {name}")
        _upgrade(copy)
        measure(name, clients, sessions, runs, database=copy)
        return
    admin = create_engine(pg.server(), isolation_level="AUTOCOMMIT")
    try:
        marker = _built(admin, name)
        if marker is None or not marker.startswith("built"):
            if marker is not None:
                _say(f"{name} was half-built: built again")
            _drop(admin, name)
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            _say(
                f"building {name}: {clients} clients, {reviews} reviews of {holdings} "
                f"holdings ({clients * reviews * holdings:,} holdings)"
            )
            build(name, clients, reviews, holdings)
        else:
            _say(f"reusing {name} ({marker})")
            _upgrade(name)
    finally:
        admin.dispose()
    measure(name, clients, sessions, runs)
