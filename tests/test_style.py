"""The code stays in one format and passes the linter (ruff, configured in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["reviewdesk", "tests", "docs"]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    ruff = shutil.which("ruff")
    command = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    return subprocess.run(
        [*command, *args, *CHECKED], cwd=ROOT, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("args", [("format", "--check"), ("check",)], ids=["format", "lint"])
def test_ruff_finds_nothing(args):
    result = _ruff(*args)
    assert result.returncode == 0, result.stdout + result.stderr
