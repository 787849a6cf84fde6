"""The screen Qt's offscreen platform gives the tests and the benchmarks.

A 1920x1080 monitor, what a bank's desks have, described in `screen.json`; the
platform's own screen is 800x800, smaller than any the app meets, so the window would
open maximised to it.
"""

from __future__ import annotations

from pathlib import Path

CONFIG = Path(__file__).resolve().with_name("screen.json")
OFFSCREEN = f"offscreen:configfile={CONFIG}"
