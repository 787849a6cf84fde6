"""The package keeps its layers, and only the GUI imports Qt: the core runs headless."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "reviewdesk"
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


def test_the_import_contracts_hold():
    """The contracts in pyproject.toml ([tool.importlinter]): the layers
    gui | cli > app > pack | exchange > charts > review > book, and Qt only in the GUI.

    Run from the repository's root, so the package checked is this one, not an installed copy.
    """
    code = (
        "import sys; from importlinter.cli import lint_imports; "
        "sys.exit(lint_imports(no_cache=True, no_logo=True))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    # Every contract was read and checked: a lost table would pass silently otherwise.
    for contract in ("Layers:", "Only the GUI imports Qt", "The book and the review draw nothing"):
        assert contract in report, report
    assert "3 kept, 0 broken" in report, report
