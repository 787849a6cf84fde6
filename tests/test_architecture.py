"""Only the GUI imports Qt: the core runs headless."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "reviewdesk"
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_outside_the_gui_imports_qt():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "gui":
            continue
        if _imports(path) & set(QT):
            offenders.append(str(rel))
    assert offenders == []


def test_the_core_and_the_command_line_load_without_qt():
    code = (
        "import sys, importlib, pkgutil, reviewdesk\n"
        "skip = ('reviewdesk.gui', 'reviewdesk.migrations.env')\n"
        "for m in pkgutil.walk_packages(reviewdesk.__path__, 'reviewdesk.'):\n"
        "    if not m.name.startswith(skip):\n"
        "        importlib.import_module(m.name)\n"
        "from reviewdesk.cli import build_parser; build_parser()\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {QT!r}]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
