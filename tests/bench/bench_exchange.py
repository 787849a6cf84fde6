"""Import and export at scale: 2,000 clients x 36 reviews x 25 holdings (1.8M holding rows).

Run from the repository root:

    PYTHONPATH=$PWD python tests/bench/bench_exchange.py            # full size
    PYTHONPATH=$PWD python tests/bench/bench_exchange.py --clients 200
    PYTHONPATH=$PWD python tests/bench/bench_exchange.py --clients 200 --profile out.prof

The book (tests/bench/books.py `big_book`, shared with the other benchmarks)
and its exported workbook `exchange-<clients>x36x25.xlsx` are made once and
cached under tests/bench/.cache, one pair per size; the workbook alone is
enough for later runs. Each step runs in a child process so that its peak
memory (max RSS) and CPU time are its own: the figures printed are wall time,
CPU time (user + system, all processes of the step) and peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
SNAPSHOTS, HOLDINGS = 36, 25


def child(step: str, *args: str) -> tuple[float, str, str]:
    """Run one step in a child process: (wall seconds, its CPU and memory, its output).

    The step reports its own usage (see `usage`), so each figure is that step's alone.
    """
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--step", step, *args],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    ).stdout
    seconds = time.perf_counter() - start
    *lines, last = out.strip().splitlines()
    own_cpu, own_peak, kids_cpu, kids_peak = (float(x) for x in last.split())
    figures = f"CPU {own_cpu + kids_cpu:.1f} s in all, peak {own_peak:.0f} MiB"
    if kids_cpu:
        figures += (
            f"; of these, the sheet reader process: CPU {kids_cpu:.1f} s, peak {kids_peak:.0f} MiB"
        )
    return seconds, figures, "\n".join(lines)


def usage() -> str:
    """CPU seconds (user + system) and peak memory (max RSS, MiB) of this process, then
    of the processes it waited for (a sheet reader)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (
        f"{own.ru_utime + own.ru_stime:.2f} {own.ru_maxrss / 1024:.1f} "
        f"{kids.ru_utime + kids.ru_stime:.2f} {kids.ru_maxrss / 1024:.1f}"
    )


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
        profile = args[2] if len(args) > 2 else None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            report = profiler.runcall(import_files, book, [args[1]])
            profiler.dump_stats(profile)
        else:
            report = import_files(book, [args[1]])
        assert report.applied, [p.message() for p in report.problems[:10]]
        print("; ".join(report.summary_lines()))
    print(usage())


def load() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument(
        "--prepare", action="store_true", help="only make the cached book and workbook"
    )
    parser.add_argument(
        "--once",
        action="store_true",
        help="only the import into an empty book, not the second import",
    )
    parser.add_argument("--profile", help="write a cProfile of the first import to this file")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        step(args.step, args.rest)
        return 0
    CACHE.mkdir(exist_ok=True)
    workbook = CACHE / f"exchange-{args.clients}x{SNAPSHOTS}x{HOLDINGS}.xlsx"
    rows = args.clients * SNAPSHOTS * HOLDINGS
    print(
        f"{args.clients} clients x {SNAPSHOTS} reviews x {HOLDINGS} holdings = "
        f"{rows:,} holding rows"
    )
    if not workbook.exists():
        from tests.bench.books import big_book

        start = time.perf_counter()
        source = big_book(args.clients, SNAPSHOTS, HOLDINGS)
        print(f"book: {time.perf_counter() - start:.1f} s ({source.name}, cached)")
        partial = workbook.with_suffix(".partial.xlsx")
        seconds, figures, _out = child("export", str(source), str(partial))
        os.replace(partial, workbook)
        print(
            f"export: {seconds:.1f} s, {figures}, "
            f"{workbook.stat().st_size / 2**20:.0f} MiB workbook (cached)"
        )
    if args.prepare:
        return 0
    target = CACHE / f"import-{args.clients}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    extra = [args.profile] if args.profile else []
    print(f"load average before (1, 5, 15 min): {load()}")
    seconds, figures, out = child("import", str(target), str(workbook), *extra)
    print(
        f"import into an empty book: {seconds:.1f} s ({rows / seconds:,.0f} holding rows/s), "
        f"{figures}"
    )
    print(f"  {out}")
    print(f"  load average after: {load()}")
    if args.once:
        return 0
    seconds, figures, out = child("import", str(target), str(workbook))
    print(f"import again (nothing changes): {seconds:.1f} s, {figures}")
    print(f"  {out}")
    print(f"  load average after: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
