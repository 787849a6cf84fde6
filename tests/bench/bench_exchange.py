"""Import and export at scale: 2,000 clients x 36 reviews x 25 holdings (1.8M holding rows).

Run from the repository root:

    PYTHONPATH=$PWD python tests/bench/bench_exchange.py            # full size
    PYTHONPATH=$PWD python tests/bench/bench_exchange.py --clients 200

The demo book and its exported workbook are made once and cached under
tests/bench/.cache; the import runs in a child process so that its peak
memory (max RSS) is its own. Prints the time and peak memory of each step.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
AS_OF = dt.date(2026, 6, 15)


def make_book(path: Path, clients: int) -> float:
    from reviewdesk.book.db import open_book
    from reviewdesk.demo import DemoOptions, fill_demo

    start = time.perf_counter()
    book = open_book(str(path))
    with book.session() as session:
        fill_demo(session, DemoOptions(clients=clients, seed=11, as_of=AS_OF,
                                       uniform_snapshots=36, uniform_holdings=25))
    book.close()
    return time.perf_counter() - start


def child(step: str, *args: str) -> tuple[float, float, str]:
    """Run one step in a child process: (seconds, peak MiB, its output)."""
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([sys.executable, __file__, "--step", step, *args], check=True,
                         capture_output=True, text=True, env=os.environ).stdout
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024, out.strip()


def step(name: str, args: list[str]) -> None:
    from reviewdesk.book.db import open_book

    if name == "export":
        from reviewdesk.exchange import export_workbook

        book = open_book(args[0])
        with book.session() as session:
            summary = export_workbook(session, args[1], lang="zh")
        print(summary.rows)
    elif name == "import":
        from reviewdesk.exchange import import_files

        book = open_book(args[0])
        report = import_files(book, [args[1]])
        assert report.applied, [p.message() for p in report.problems[:10]]
        print("; ".join(report.summary_lines()))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--prepare", action="store_true",
                        help="only make the cached book and workbook")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        step(args.step, args.rest)
        return 0
    CACHE.mkdir(exist_ok=True)
    source = CACHE / f"demo-{args.clients}.sqlite"
    workbook = CACHE / f"demo-{args.clients}.xlsx"
    rows = args.clients * 36 * 25
    print(f"{args.clients} clients x 36 reviews x 25 holdings = {rows:,} holding rows")
    if not source.exists():
        seconds = make_book(source.with_suffix(".tmp"), args.clients)
        source.with_suffix(".tmp").rename(source)
        print(f"demo book made in {seconds:.1f} s (cached)")
    if not workbook.exists():
        seconds, peak, out = child("export", str(source), str(workbook))
        print(f"export: {seconds:.1f} s, peak {peak:.0f} MiB, "
              f"{workbook.stat().st_size / 2**20:.0f} MiB workbook (cached)")
    if args.prepare:
        return 0
    target = CACHE / "import-target.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    seconds, peak, out = child("import", str(target), str(workbook))
    print(f"import into an empty book: {seconds:.1f} s, peak {peak:.0f} MiB "
          f"({rows / seconds:,.0f} holding rows/s)")
    print(f"  {out}")
    seconds, peak, out = child("import", str(target), str(workbook))
    print(f"import again (nothing changes): {seconds:.1f} s, peak {peak:.0f} MiB")
    print(f"  {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
