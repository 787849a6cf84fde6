"""The program's log: where tracebacks go, and what of them may be written down.

The log is a plain file in the user's data folder, outside the (encrypted) book,
so it never holds client data: a traceback keeps its frames (file, line, function)
and the type of each exception, but an exception's message is written only where
it comes from the program's code rather than from the data (an attribute or a name
that does not exist, a module that does not import, the SQL of a statement without
its parameters, an operating system error without its file name). Messages that
the program logs itself name records by their ids and codes only.

The file is readable by its owner only (0600) and rotates: a few files of bounded
size, the oldest dropped.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import sys
import traceback
from pathlib import Path
from typing import Any, cast

from reviewdesk import paths

LOG_NAME = "reviewdesk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Exceptions whose messages the interpreter makes from the program's code, never from data.
_CODE_MESSAGES: tuple[type[BaseException], ...] = (
    AttributeError,
    NameError,
    ImportError,
    NotImplementedError,
    RecursionError,
    MemoryError,
)


def log_path() -> Path:
    return paths.data_dir() / LOG_NAME


def _exception_text(exc: BaseException) -> str:
    """What of an exception's message may be written to the log."""
    name = type(exc).__qualname__
    module = type(exc).__module__
    if module not in ("builtins", "__main__"):
        name = f"{module}.{name}"
    statement = getattr(exc, "statement", None)
    if isinstance(statement, str) and hasattr(exc, "params"):
        # A SQLAlchemy statement error: the SQL says what failed; its parameters are data.
        orig = getattr(exc, "orig", None)
        cause = f" ({type(orig).__name__})" if orig is not None else ""
        return f"{name}{cause}: [SQL: {' '.join(statement.split())}] [parameters withheld]"
    if isinstance(exc, OSError):
        reason = os.strerror(exc.errno) if exc.errno is not None else "operating system error"
        return f"{name}: [Errno {exc.errno}] {reason} [file name withheld]"
    if isinstance(exc, _CODE_MESSAGES):
        return f"{name}: {exc}" if str(exc) else name
    return f"{name}: [message withheld: it may hold client data]" if str(exc) else name


def private_traceback(exc: BaseException) -> str:
    """The traceback of `exc` (and of its causes), every message as `_exception_text` allows."""
    lines: list[str] = []
    seen: set[int] = set()
    chain: list[tuple[BaseException, str | None]] = []
    current: BaseException | None = exc
    link: str | None = None
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, "The above exception was the direct cause of:"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, "During handling of the above exception:"
        else:
            current = None
    for current, link in reversed(chain):
        if lines and link:
            lines.append(link)
        lines.append("Traceback (most recent call last):")
        frames = traceback.extract_tb(current.__traceback__)
        lines.extend(
            f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}' for frame in frames
        )
        lines.append(_exception_text(current))
    return "\n".join(lines)


class PrivateFormatter(logging.Formatter):
    """Tracebacks without the data their messages may carry (see the module's notes)."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        exc = ei[1]
        if exc is None:
            return ""
        return private_traceback(exc)

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 - logging's name
        return stack_info  # source lines and frames only: no values


class PrivateFileHandler(logging.handlers.RotatingFileHandler):
    """A size-bounded, rotating log whose every file is created readable by its owner only."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(self.baseFilename, 0o600)  # a log made by an older version was 0644
        stream = open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115
        return cast(io.TextIOWrapper, stream)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        """A line the system refuses (a full disk, the data folder gone) is dropped: the
        user has been told what failed in their own words, and logging's own report would
        put a traceback on the terminal with the messages the log keeps out (found: on a
        full data folder every refused file printed "--- Logging error ---")."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handleError(record)


def setup_logging() -> Path:
    """Tracebacks go to the log file in the data folder, never to the user's terminal.

    Returns the log's path, for the one line that points the user to it."""
    path = log_path()
    root = logging.getLogger("reviewdesk")
    for handler in [h for h in root.handlers if isinstance(h, PrivateFileHandler)]:
        if Path(handler.baseFilename) == path.absolute():
            return path
        root.removeHandler(handler)  # another data folder (REVIEWDESK_HOME changed)
        handler.close()
    for old in (path.with_name(f"{path.name}.{n}") for n in range(1, BACKUP_COUNT + 1)):
        if old.exists():
            old.chmod(0o600)
    handler = PrivateFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler.setFormatter(PrivateFormatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
