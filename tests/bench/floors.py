"""The floors our benchmarks are measured against, loaded from where they live.

Shared machines make absolute times noisy, so the performance goals are ratios to a
floor measured in the same run: `floor.py` (reportlab alone laying out a pack's
content with the CJK font and vector charts) and `qtfloor.py` (PySide6 and a window
with a 2,000-row table and a 6,000-row tree shown). They are not part of the project:
they are found through `--floor` / `--qt-floor`, the environment variables
`REVIEWDESK_FLOOR` / `REVIEWDESK_QT_FLOOR`, or `../shared/bench/` beside the
repository; a benchmark without them says so and skips.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from tests.screen import OFFSCREEN

ROOT = Path(__file__).resolve().parents[2]
FONT = ROOT / "resources" / "fonts" / "DroidSansFallbackFull.ttf"
FLOOR_ENV = "REVIEWDESK_FLOOR"
QT_FLOOR_ENV = "REVIEWDESK_QT_FLOOR"


def floor_path(given: str | None = None) -> Path:
    return Path(given or os.environ.get(FLOOR_ENV) or ROOT.parent / "shared/bench/floor.py")


def qt_floor_path(given: str | None = None) -> Path:
    return Path(given or os.environ.get(QT_FLOOR_ENV) or ROOT.parent / "shared/bench/qtfloor.py")


def missing(path: Path, env: str) -> str | None:
    """Why a floor cannot be used (None when it can)."""
    if path.is_file():
        return None
    return f"the floor {path} is absent: set {env} or pass its path"


def load_floor(path: Path) -> ModuleType:
    """floor.py as a module (`setup()`, `pack(seed)`, `batch(n)`). It reads the font's path
    from sys.argv[1] when imported, so argv is set for the import and put back after; it is
    registered in sys.modules so its functions can be sent to worker processes."""
    spec = importlib.util.spec_from_file_location("reviewdesk_bench_floor", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    argv = sys.argv
    sys.argv = [str(path), str(FONT)]
    try:
        spec.loader.exec_module(module)
    finally:
        sys.argv = argv
    sys.modules[spec.name] = module
    return module


_BATCH = re.compile(r"batch ([0-9.]+) packs/s")
_QT = re.compile(r"([0-9.]+) s\s*$")


def floor_batch_rate(path: Path, packs: int, procs: int) -> float:
    """The floor's packs per second over `packs` packs on `procs` processes, measured by the
    floor itself (its process pool started inside the timing), in a process of its own."""
    out = subprocess.run(
        [sys.executable, str(path), str(FONT), str(packs), str(procs)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = _BATCH.search(out)
    if not found:
        raise RuntimeError(f"the floor printed no rate: {out!r}")
    return float(found.group(1))


def qt_floor_seconds(path: Path, *args: str) -> float:
    """The Qt floor's seconds from its first import to its window shown, as it prints them
    (`args`: the floor script's own, as the book floor's book)."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", OFFSCREEN))
    out = subprocess.run(
        [sys.executable, str(path), *args], check=True, capture_output=True, text=True, env=env
    ).stdout
    found = _QT.search(out.strip())
    if not found:
        raise RuntimeError(f"the Qt floor printed no time: {out!r}")
    return float(found.group(1))


BOOK_FLOOR = Path(__file__).resolve().parent / "bookfloor.py"


def book_floor_seconds(book: Path) -> float:
    """The book floor's seconds (`bookfloor.py`: the Qt floor's window with SQLAlchemy
    imported and the book's clients read by one select) on the plain book `book`."""
    return qt_floor_seconds(BOOK_FLOOR, str(book))


def load() -> str:
    """The load average, to print with every measurement."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"
