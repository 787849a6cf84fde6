"""The Qt Designer forms in `ui/`: each `<name>.ui` compiled by `pyside6-uic` to a `Ui_` class.

Why compiled rather than loaded with QUiLoader: PySide6's documentation calls
generating a Python class the standard way, and the class it generates is what the
dialogs need. `setupUi(dialog)` builds the widget tree on the dialog itself (a
subclass of QDialog with our logic), with every named widget an attribute of the
form; `retranslateUi(dialog)` sets every text again, which is the live language
switch. QUiLoader builds a new widget instead, to be reparented and searched by
name, and retranslating it would be ours to write.

The forms' texts go through the app's gettext catalogue, not Qt's: `uic --tr tr`
writes `tr(text, disambiguation)`, and `tr` here is `_` (or `pgettext` when the form
gives a disambiguation, Designer's "comment"). The extraction reads the same
strings from the `.ui` files (reviewdesk/i18n/extract.py).

A built wheel carries the forms compiled (`<name>_ui.py` beside `<name>.ui` in
`reviewdesk/_ui`, by the build step in reviewdesk/_build.py); in a checkout, or
when a form is newer than its compiled module, the form is compiled in memory the
first time it is needed by the `uic` that comes with PySide6, so a fresh clone runs
without a build step.
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtWidgets import QWidget

from reviewdesk import paths
from reviewdesk.i18n import _, pgettext

COMPILED_SUFFIX = "_ui.py"
UIC_OPTIONS = ["-g", "python", "--tr", "tr"]  # as the build step's (reviewdesk/_build.py)


def tr(message: str, disambiguation: str | None = None) -> str:
    """The translation function the compiled forms call (`uic --tr tr`)."""
    return pgettext(disambiguation, message) if disambiguation else _(message)


def uic_command() -> list[str]:
    """PySide6's own uic, found as `pyside6-uic` finds it (Qt/libexec, or beside the
    package on Windows), so no console script needs to be on the PATH."""
    package = Path(PySide6.__file__).resolve().parent
    exe = package / "uic.exe" if sys.platform == "win32" else package / "Qt" / "libexec" / "uic"
    return [str(exe), *UIC_OPTIONS]


def compile_form(ui_file: Path) -> str:
    """The Python source `pyside6-uic` makes of one form."""
    done = subprocess.run(
        [*uic_command(), str(ui_file)], capture_output=True, text=True, encoding="utf-8"
    )
    if done.returncode != 0:
        raise RuntimeError(f"form {ui_file.name}: uic failed: {done.stderr.strip()}")
    return done.stdout


def form_file(name: str) -> Path:
    path = paths.ui_dir() / f"{name}.ui"
    if not path.exists():
        raise FileNotFoundError(f"form {name!r}: no {path}")
    return path


def available_forms() -> list[str]:
    return sorted(p.stem for p in paths.ui_dir().glob("*.ui"))


def _source(name: str) -> str:
    ui_file = form_file(name)
    compiled = ui_file.with_name(f"{name}{COMPILED_SUFFIX}")
    if compiled.exists() and compiled.stat().st_mtime >= ui_file.stat().st_mtime:
        return compiled.read_text(encoding="utf-8")
    return compile_form(ui_file)


@cache
def form_class(name: str) -> type:
    """The `Ui_<Class>` class of `ui/<name>.ui`."""
    source = _source(name)
    namespace: dict[str, Any] = {"__name__": f"reviewdesk._ui.{name}", "tr": tr}
    exec(compile(source, str(form_file(name)), "exec"), namespace)
    classes = [v for k, v in namespace.items() if k.startswith("Ui_") and isinstance(v, type)]
    if len(classes) != 1:
        raise RuntimeError(f"form {name!r}: expected one Ui_ class, found {len(classes)}")
    return classes[0]


def setup_form(name: str, widget: QWidget) -> Any:
    """Build form `name` on `widget`; the form object, whose attributes are its named
    widgets and whose `retranslateUi(widget)` sets its texts in the current language."""
    ui = form_class(name)()
    ui.setupUi(widget)
    return ui
