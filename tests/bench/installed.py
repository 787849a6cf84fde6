"""What an installed app has that a checkout makes as it runs, made before a benchmark.

pip compiles the modules' bytecode, and the wheel carries the translation catalogues
compiled (`reviewdesk/_build.py`). A checkout would otherwise compile a module at each
import when bytecode is not written (PYTHONDONTWRITEBYTECODE), and a language's catalogue
the first time it is needed (in memory, `reviewdesk.i18n`): 0.1-0.2 s that the app's
users never wait for. The catalogues are written beside their sources, where the app
looks for them first (git ignores them), and are remade when a source is newer.
"""

from __future__ import annotations

import compileall
from pathlib import Path

from reviewdesk._build import SOURCE, compile_catalogues

ROOT = Path(__file__).resolve().parents[2]


def as_installed() -> None:
    compileall.compile_dir(ROOT / "reviewdesk", quiet=1)
    compile_catalogues(SOURCE, SOURCE)
