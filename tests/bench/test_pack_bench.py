"""Pack benchmarks (not part of the normal run).

    PYTHONPATH=$PWD python -m pytest tests/bench/test_pack_bench.py --benchmark-only -s

One pack for a client with 36 monthly reviews and 40 holdings, warm; and the
whole 300-client demo book through `run_batch` (what `packs --all` runs),
reported as packs per second.
"""

import datetime as dt
import os
import resource
import time

import pytest

from reviewdesk.book.db import open_book
from reviewdesk.demo import DemoOptions, fill_demo
from reviewdesk.pack.batch import all_jobs, run_batch
from reviewdesk.pack.produce import make_pack
from reviewdesk.settings import Settings

pytestmark = pytest.mark.bench
AS_OF = dt.date(2026, 6, 15)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the pool's workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _book(path, **options):
    book = open_book(str(path))
    with book.session() as session:
        fill_demo(session, DemoOptions(seed=11, as_of=AS_OF, **options))
    return book


def test_one_pack_36_reviews_40_holdings_warm(benchmark, tmp_path):
    book = _book(tmp_path / "one.sqlite", clients=1, uniform_snapshots=36, uniform_holdings=40)
    settings = Settings()

    def one():
        with book.session() as session:
            return make_pack(session, 1, settings=settings, today=AS_OF, lang="zh")

    pack = one()  # warm: fonts parsed, matplotlib imported
    assert len(pack.review.trend) == 36 and len(pack.review.holdings) >= 40
    benchmark.pedantic(one, rounds=15, warmup_rounds=2)
    book.close()


def test_packs_all_300_clients(benchmark, tmp_path):
    book = _book(tmp_path / "all.sqlite", clients=300)
    with book.session() as session:
        jobs = all_jobs(session)
    rates = []

    def batch():
        out = tmp_path / f"out{len(rates)}"
        start = time.perf_counter()
        cpu = _cpu()
        result = run_batch(book, jobs, out, today=AS_OF, settings=Settings())
        elapsed, cpu = time.perf_counter() - start, _cpu() - cpu
        assert len(result.written) == 300, result.skipped[:3]
        rates.append((300 / elapsed, cpu))

    benchmark.pedantic(batch, rounds=1, iterations=1)
    rate, cpu = rates[-1]
    cores = os.cpu_count()
    # On a shared machine the wall-clock rate depends on the neighbours; the CPU time
    # says what the same work gives on idle cores.
    benchmark.extra_info.update(
        packs_per_second=round(rate, 1),
        cpu_seconds=round(cpu, 1),
        packs_per_second_idle_cores=round(300 * cores / cpu, 1),
    )
    print(
        f"\npacks --all: {rate:.1f} packs/s wall on {cores} cores (load: "
        f"{os.getloadavg()[0]:.1f}); {cpu:.1f} s CPU = {1000 * cpu / 300:.0f} ms per pack, "
        f"{300 * cores / cpu:.1f} packs/s on {cores} idle cores"
    )
    book.close()


def test_one_pack_and_packs_all_against_the_floor():
    """The ratios to the floor (tests/bench/bench_pack.py), printed; skipped without it."""
    from tests.bench import bench_pack, floors

    path = floors.floor_path()
    why = floors.missing(path, floors.FLOOR_ENV)
    if why:
        pytest.skip(why)
    assert bench_pack.one_pack(floors.load_floor(path), rounds=15) > 0
    assert bench_pack.batch(path, 60) > 0
