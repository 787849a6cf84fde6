"""The types hold: mypy, with the project's configuration (pyproject.toml), finds nothing.

The core (book, review, pack, exchange) and the money, settings and valuation
modules are checked with mypy's strict flags, the faces with the ordinary ones.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(900)
def test_mypy_finds_no_error():
    api = pytest.importorskip("mypy.api")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        out, err, status = api.run(["--config-file", "pyproject.toml"])
    finally:
        os.chdir(cwd)
    assert status == 0, out + err
