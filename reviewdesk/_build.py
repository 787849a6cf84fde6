"""The build step that compiles the translation catalogues (.po -> .mo) and the Qt Designer
forms (.ui -> Python, by PySide6's uic) into the wheel.

Named in pyproject.toml (`[tool.setuptools.cmdclass]`); it imports nothing of the
app, nor Qt (it runs PySide6's uic as a program). A checkout needs no build:
`reviewdesk.i18n` compiles a `.po` in memory when no current `.mo` is beside it,
and `reviewdesk.gui.forms` compiles a form in memory when no current `<name>_ui.py`
is beside it.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

# The installed setuptools (65) ships no type information and types-setuptools is no dependency.
from setuptools.command.build_py import build_py  # type: ignore[import-untyped]

SOURCE = Path(__file__).resolve().parent.parent / "resources" / "translations"
FORMS = Path(__file__).resolve().parent.parent / "ui"
# The same command reviewdesk.gui.forms runs: `tr(text, disambiguation)` is the app's gettext.
UIC_OPTIONS = ["-g", "python", "--tr", "tr"]


def compile_catalogues(source: Path, target: Path) -> list[Path]:
    """Each `<lang>.po` in `source` as `<lang>.mo` in `target`; fuzzy entries left out."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    target.mkdir(parents=True, exist_ok=True)
    written = []
    for po in sorted(source.glob("*.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.stem)
        mo = target / f"{po.stem}.mo"
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def uic_program() -> Path:
    """PySide6's uic (a build requirement), found without importing Qt."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        raise RuntimeError("the forms need PySide6's uic to build: install PySide6-Essentials")
    package = Path(spec.origin).parent
    return package / "uic.exe" if sys.platform == "win32" else package / "Qt" / "libexec" / "uic"


def compile_forms(source: Path, target: Path) -> list[Path]:
    """Each `<name>.ui` in `source` as `<name>_ui.py` in `target` (the module the app reads)."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for form in sorted(source.glob("*.ui")):
        module = target / f"{form.stem}_ui.py"
        subprocess.run([str(uic_program()), *UIC_OPTIONS, "-o", str(module), str(form)], check=True)
        written.append(module)
    return written


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            compile_catalogues(
                SOURCE, Path(self.build_lib) / "reviewdesk" / "_resources" / "translations"
            )
            compile_forms(FORMS, Path(self.build_lib) / "reviewdesk" / "_ui")
