"""Kill -9 a process in the middle of saving a 1,000-holding snapshot, again and again.

After every kill the book must pass `PRAGMA integrity_check` and hold exactly
the old set of holdings or the new one, never a mixture. Run it with

    PYTHONPATH=$PWD python -m tests.stress.kill_during_save --kills 200

or through pytest: `PYTHONPATH=$PWD python -m pytest -m stress tests/stress`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

PASSPHRASE = "stress test; '\" 口令"
HOLDINGS = 1000
DAY = dt.date(2026, 5, 31)


def holdings_for(generation: int):
    from reviewdesk.book.enums import AssetClass
    from reviewdesk.book.models import Holding

    return [
        Holding(
            product_name=f"G{generation % 2}-{i:04d}",
            asset_class=AssetClass.FUND,
            currency="CNY",
            market_value=Decimal(i * 100 + generation % 2),
        )
        for i in range(HOLDINGS)
    ]


def expected(generation: int) -> set[tuple[str, Decimal]]:
    return {
        (f"G{generation % 2}-{i:04d}", Decimal(i * 100 + generation % 2)) for i in range(HOLDINGS)
    }


def make_book(path: Path) -> None:
    from reviewdesk.book.db import open_book
    from reviewdesk.book.models import Client, Snapshot

    book = open_book(str(path), passphrase=PASSPHRASE)
    with book.session() as session:
        client = Client(code="S1", name="压力测试", report_currency="CNY")
        client.snapshots.append(Snapshot(review_date=DAY, holdings=holdings_for(0)))
        session.add(client)
    book.close()


def saver(path: Path) -> None:
    """The child: open the book, then save the snapshot's holdings, alternating sets, forever."""
    from sqlalchemy import select

    from reviewdesk.book.db import open_book
    from reviewdesk.book.models import Snapshot

    book = open_book(str(path), passphrase=PASSPHRASE)
    generation = 1
    print("ready", flush=True)
    while True:
        with book.session() as session:
            snapshot = session.scalar(select(Snapshot))
            current = {h.product_name[:2] for h in snapshot.holdings}
            generation = 1 if current == {"G0"} else 0
            snapshot.holdings = holdings_for(generation)
        print(f"saved {generation}", flush=True)


def check(path: Path) -> str:
    """'old-or-new' verdict for the book after a kill: 'G0', 'G1', or raises."""
    from sqlalchemy import select

    from reviewdesk.book.db import open_book
    from reviewdesk.book.models import Holding

    book = open_book(str(path), passphrase=PASSPHRASE)
    try:
        raw = book.engine.raw_connection()
        try:
            result = raw.driver_connection.execute("PRAGMA integrity_check").fetchall()
        finally:
            raw.close()
        if result != [("ok",)]:
            raise AssertionError(f"integrity_check: {result}")
        with book.session() as session:
            rows = {(h.product_name, h.market_value) for h in session.scalars(select(Holding))}
        for generation in (0, 1):
            if rows == expected(generation):
                return f"G{generation}"
        raise AssertionError(f"a mixture of holdings: {len(rows)} rows")
    finally:
        book.close()


def run(kills: int, folder: Path, seed: int = 1, log=print) -> dict:
    path = folder / "stress.sqlite"
    make_book(path)
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    results = {
        "kills": 0,
        "integrity_ok": 0,
        "old_or_new": 0,
        "G0": 0,
        "G1": 0,
        "saves_completed": 0,
    }
    save_seconds = None
    while results["kills"] < kills:
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.stress.kill_during_save", "--saver", str(path)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout.readline().strip() == "ready"
        if save_seconds is None:
            start = time.perf_counter()
            child.stdout.readline()
            save_seconds = time.perf_counter() - start
            child.send_signal(signal.SIGKILL)
            child.wait()
            continue
        time.sleep(rng.uniform(0, 2.5 * save_seconds))
        child.send_signal(signal.SIGKILL)
        child.wait()
        saved = child.stdout.read().count("saved")
        child.stdout.close()
        results["kills"] += 1
        results["saves_completed"] += saved
        verdict = check(path)
        results["integrity_ok"] += 1
        results["old_or_new"] += 1
        results[verdict] += 1
        if results["kills"] % 25 == 0:
            log(f"{results['kills']} kills: {results}")
    results["save_seconds"] = round(save_seconds, 3)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--saver", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.saver:
        saver(args.saver)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("REVIEWDESK_HOME", folder)
        started = time.perf_counter()
        results = run(args.kills, Path(folder), args.seed)
        results["minutes"] = round((time.perf_counter() - started) / 60, 1)
    print(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
