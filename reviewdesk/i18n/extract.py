"""Find the messages marked for translation in the source (used by the tests)."""

from __future__ import annotations

import ast
from pathlib import Path

MARKERS = {"_", "N_", "tr"}


def messages(root: Path) -> dict[str, str]:
    """Each literal message passed to _(), N_() or tr(), with the first place it is used."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) else None)
            if name not in MARKERS:
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, f"{path.relative_to(root.parent)}:{node.lineno}")
    return found
