"""Packs measured against the floor in the same run (not part of the normal test run).

    PYTHONPATH=$PWD python -m tests.bench.bench_pack [--floor PATH] [--rounds 15]
        [--clients 60,300] [--repeat 2] [--only one|batch]

one pack: a client with 36 monthly reviews of 40 holdings, in Chinese, warm (fonts
parsed, modules imported), in CPU time; the floor's `pack(seed)` and ours are timed
in turn in this one process, and the ratio is of their medians (target: at most 2.0).
Before each of ours, untimed, another client's pack of the same shape is made with the
paragraph layouts kept across packs forgotten first: as in a batch, what every pack
says is laid out already and this client's own text is not.

batch: `run_batch` (what `packs --all` runs) over encrypted demo books of 60 and 300
clients on two workers, from the pool's start to the last pack recorded, beside the
floor's own batch measure (its process pool started inside its timing) run just
before; the ratio is ours over the floor's packs per second (target: at least 0.6).

The floor (`floor.py`, see tests/bench/floors.py) is found through --floor,
REVIEWDESK_FLOOR or ../shared/bench/floor.py beside the repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.bench import floors

AS_OF = dt.date(2026, 6, 15)
PASSPHRASE = "bench passphrase"
CACHE = Path(__file__).resolve().parent / ".cache"


def one_pack_book(folder: Path, seed: int = 11):
    from reviewdesk.book.db import open_book
    from reviewdesk.demo import DemoOptions, fill_demo

    book = open_book(str(folder / f"one-{seed}.sqlite"), passphrase=PASSPHRASE)
    with book.session() as session:
        fill_demo(
            session,
            DemoOptions(
                seed=seed, as_of=AS_OF, clients=1, uniform_snapshots=36, uniform_holdings=40
            ),
        )
    return book


def encrypted_demo_book(clients: int) -> Path:
    """An encrypted demo book of `clients` clients, built once into tests/bench/.cache/."""
    from reviewdesk.book.db import open_book
    from reviewdesk.demo import DemoOptions, fill_demo

    path = CACHE / f"demo-{clients}-encrypted.sqlite"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        for leftover in CACHE.glob(partial.name + "*"):
            leftover.unlink()
        book = open_book(str(partial), passphrase=PASSPHRASE)
        with book.session() as session:
            fill_demo(session, DemoOptions(clients=clients, seed=2026, as_of=AS_OF))
        book.close()
        os.replace(partial, path)
    return path


def interleaved(
    first: Callable[[int], object],
    second: Callable[[int], object],
    rounds: int,
    before_second: Callable[[], object] | None = None,
) -> tuple[list[float], list[float]]:
    """CPU seconds of `first` and `second`, called in turn `rounds` times each
    (`before_second`, untimed, before each call of `second`)."""
    a: list[float] = []
    b: list[float] = []
    for n in range(rounds):
        for call, times in ((first, a), (second, b)):
            if call is second and before_second is not None:
                before_second()
            start = time.process_time()
            call(n)
            times.append(time.process_time() - start)
    return a, b


@contextmanager
def our_packs(floor_module) -> Iterator[tuple[Callable[[int], object], Callable[[], None]]]:
    """(ours, as_in_a_batch): our pack of the benchmark's client, and what is done untimed
    before each; both warm, the floor's pack too."""
    from reviewdesk.pack import collector, context, preload
    from reviewdesk.pack.produce import make_pack
    from reviewdesk.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        book = one_pack_book(Path(folder))
        other = one_pack_book(Path(folder), seed=12)  # another client, the same shape
        settings = Settings()

        def ours(_n: int) -> object:
            # Made as the batch's workers make each pack (pack/collector.py), the collector
            # paused meanwhile, with the collection of its garbage that the next pack's
            # start makes in a worker (timed), and the collector enabled again for the
            # floor's pack.
            collector.before_pack()
            try:
                with book.session() as session:
                    return make_pack(session, 1, settings=settings, today=AS_OF, lang="zh")
            finally:
                gc.collect(1)
                gc.enable()

        def as_in_a_batch() -> None:
            """Forget the line breaking the pack keeps across packs (context._LAYOUTS), then
            make another client's pack: what comes back in every pack (explanations, notes,
            disclaimer) is laid out already, as in a batch, and this client's text is not."""
            context._LAYOUTS.clear()
            collector.before_pack()
            try:
                with other.session() as session:
                    make_pack(session, 1, settings=settings, today=AS_OF, lang="zh")
            finally:
                gc.collect(1)
                gc.enable()

        pack = ours(0)  # warm: fonts parsed, chart library imported
        assert len(pack.review.trend) == 36 and len(pack.review.holdings) >= 40
        floor_module.setup()
        floor_module.pack(0)
        ours(0)
        # What a pack-making process does once warm (the batch's fork server and workers):
        # what is loaded leaves the garbage collector's sight, the floor's as well as ours.
        preload.settle()
        try:
            yield ours, as_in_a_batch
        finally:
            book.close()
            other.close()


def one_pack(floor_module, rounds: int) -> float:
    with our_packs(floor_module) as (ours, as_in_a_batch):
        floor_times, our_times = interleaved(floor_module.pack, ours, rounds, as_in_a_batch)
    floor, mine = statistics.median(floor_times), statistics.median(our_times)
    ratio = mine / floor
    print(
        f"one pack (36 reviews, 40 holdings, zh, warm; CPU, median of {rounds} interleaved "
        f"rounds): floor {floor * 1000:.1f} ms, ReviewDesk {mine * 1000:.1f} ms "
        f"(min {min(our_times) * 1000:.1f}), ratio {ratio:.2f}x (target <= 2.0x); "
        f"{floors.load()}",
        flush=True,
    )
    return ratio


def content(floor_module, rounds: int) -> float:
    """How much each pack lays out, the floor's time with its content 1, 2 and 3 times over
    in one document, and ours against the floor's at as much content as ours (by cells);
    returns the floor's own ratio at our content (what reportlab alone costs for it)."""
    from tests.bench.pack_content import at, counting, floor_times_over

    with our_packs(floor_module) as (ours, as_in_a_batch):
        with counting() as counted:
            floor_module.pack(0)
            ours(0)
        floor_content, our_content = counted.documents
        scaled = {k: floor_times_over(floor_module, k) for k in (1, 2, 3)}
        times: dict[int | str, list[float]] = {k: [] for k in (*scaled, "ours")}
        for n in range(rounds):
            for k, pack in scaled.items():
                start = time.process_time()
                pack(n)
                times[k].append(time.process_time() - start)
            as_in_a_batch()
            start = time.process_time()
            ours(n)
            times["ours"].append(time.process_time() - start)
    medians = {k: statistics.median(v) for k, v in times.items()}
    floor = {k: medians[k] for k in scaled}
    scale = our_content.cells / floor_content.cells
    floor_at_ours = at(scale, floor)
    print(
        f"what each lays out: the floor {floor_content}; ReviewDesk {our_content} "
        f"({scale:.2f}x the floor's cells, {our_content.charts / floor_content.charts:.2f}x "
        f"its charts, {our_content.pages / floor_content.pages:.2f}x its pages)",
        flush=True,
    )
    ratios = ", ".join(f"{k}x {floor[k] * 1000:.1f} ms ({floor[k] / floor[1]:.2f})" for k in floor)
    print(
        f"the floor's content laid out k times over in one document (CPU, median of "
        f"{rounds} interleaved rounds): {ratios}; at {scale:.2f}x its content "
        f"{floor_at_ours * 1000:.1f} ms, {floor_at_ours / floor[1]:.2f}x the floor; "
        f"ReviewDesk {medians['ours'] * 1000:.1f} ms, {medians['ours'] / floor[1]:.2f}x the "
        f"floor and {medians['ours'] / floor_at_ours:.2f}x the floor at as much content; "
        f"{floors.load()}",
        flush=True,
    )
    return floor_at_ours / floor[1]


def batch(floor: Path, clients: int, workers: int = 2) -> float:
    from reviewdesk.book.db import open_book
    from reviewdesk.pack.batch import all_jobs, run_batch
    from reviewdesk.settings import Settings

    source = encrypted_demo_book(clients)
    floor_rate = floors.floor_batch_rate(floor, clients, workers)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / source.name
        shutil.copyfile(source, path)
        book = open_book(str(path), passphrase=PASSPHRASE)
        with book.session() as session:
            jobs = all_jobs(session)
        start = time.perf_counter()
        result = run_batch(
            book, jobs, Path(folder) / "out", today=AS_OF, settings=Settings(), workers=workers
        )
        elapsed = time.perf_counter() - start
        book.close()
    assert len(result.written) == clients, result.skipped[:3]
    rate = clients / elapsed
    ratio = rate / floor_rate
    print(
        f"packs --all, {clients} clients, {workers} workers (wall clock, worker start-up "
        f"included): floor {floor_rate:.1f} packs/s, ReviewDesk {rate:.1f} packs/s "
        f"({elapsed:.1f} s), ratio {ratio:.2f}x (target >= 0.6x); {floors.load()}",
        flush=True,
    )
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--floor", help="path of floor.py")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--clients", default="60,300")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", choices=("one", "content", "batch"))
    args = parser.parse_args(argv)
    path = floors.floor_path(args.floor)
    why = floors.missing(path, floors.FLOOR_ENV)
    if why:
        print(f"skipped: {why}")
        return 0
    floor_module = floors.load_floor(path)
    for _ in range(args.repeat):
        if args.only in (None, "one"):
            one_pack(floor_module, args.rounds)
        if args.only in (None, "content"):
            content(floor_module, args.rounds)
        if args.only in (None, "batch"):
            for clients in (int(c) for c in args.clients.split(",")):
                batch(path, clients)
    return 0


if __name__ == "__main__":
    sys.exit(main())
