"""Benchmarks run only when asked (`--benchmark-only` or `-m bench`), not in the normal run."""

import pytest


def pytest_collection_modifyitems(config, items):
    asked = config.getoption("benchmark_only", False) or "bench" in (
        config.getoption("markexpr", "") or ""
    )
    if asked:
        return
    skip = pytest.mark.skip(reason="benchmark: run with --benchmark-only")
    for item in items:
        if "bench" in item.keywords:
            item.add_marker(skip)
