"""Where the shipped files and the user's files live.

`resources/` and `ui/` sit at the top of the repository and are installed into
the wheel as `reviewdesk/_resources` and `reviewdesk/_ui`; both layouts work.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "ReviewDesk"
_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str, checkout_name: str) -> Path:
    installed = _PACKAGE / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / checkout_name


def resources_dir() -> Path:
    return _shipped("_resources", "resources")


def ui_dir() -> Path:
    return _shipped("_ui", "ui")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def data_dir() -> Path:
    """The user's data folder; REVIEWDESK_HOME overrides it (tests, portable use)."""
    override = os.environ.get("REVIEWDESK_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    # Made closed to everyone but the user (the book, its backups and the log are in it);
    # a folder that exists keeps the mode its owner gave it.
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def default_book_path() -> Path:
    return data_dir() / "book.sqlite"


def demo_book_path() -> Path:
    """The demo book the desktop app offers on its first start, kept apart from the real one."""
    return data_dir() / "demo.sqlite"


def is_demo_book(path: Path | None) -> bool:
    if path is None:
        return False
    return Path(path).expanduser().resolve() == demo_book_path().resolve()


def documents_dir() -> Path:
    path = data_dir() / "documents"
    path.mkdir(parents=True, exist_ok=True)
    return path
