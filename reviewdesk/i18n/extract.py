"""Find the messages marked for translation in the source.

`messages()` serves the tests; `babel_extract` is the same reading as a Babel
extraction method (named in resources/translations/babel.cfg), so `pybabel
extract` finds what the app translates, including the messages inside f-strings
that Babel's own tokenizer cannot see into before Python 3.12. `babel_extract_ui`
reads the Qt Designer forms (`ui/*.ui`): every `<string>` not marked `notr`, with
Designer's disambiguation ("comment") as the message's context.
"""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from reviewdesk import paths
from reviewdesk.i18n import CONTEXT_SEPARATOR

MARKERS = {"_", "N_", "tr"}


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _calls(tree: ast.AST):
    """(line, marker, messages) for each marked call: messages is the literal message, the
    (singular, plural) of ngettext (and of N_plural), or the (context, message) of
    pgettext."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = (
            func.id
            if isinstance(func, ast.Name)
            else (func.attr if isinstance(func, ast.Attribute) else None)
        )
        if name in MARKERS:
            text = _literal(node.args[0])
            if text is not None:
                yield node.lineno, name, text
        elif name in ("ngettext", "pgettext", "N_plural") and len(node.args) >= 2:
            first, second = _literal(node.args[0]), _literal(node.args[1])
            if first is not None and second is not None:
                # A plural marked where it is defined is extracted as ngettext's.
                yield node.lineno, "ngettext" if name == "N_plural" else name, (first, second)


def babel_extract(fileobj, keywords, comment_tags, options):
    """A Babel extraction method: `[reviewdesk.i18n.extract:babel_extract: **.py]`."""
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    for lineno, name, found in sorted(_calls(tree), key=lambda c: c[0]):
        if name in keywords or name in MARKERS:
            yield lineno, name, found, []


def _form_strings(text: str) -> Iterator[tuple[int, str, str | tuple[str, str]]]:
    """(line, marker, message) of each translatable string of a Designer form: "tr" and the
    text, or "pgettext" and (disambiguation, text)."""
    lines = text.splitlines()
    root = ET.fromstring(text)
    seen = 0  # the line search moves forward, as the strings come in document order
    for node in root.iter("string"):
        message = node.text or ""
        if not message or node.get("notr") == "true":
            continue
        escaped = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        probe = f">{escaped.splitlines()[0]}"
        line = next((n for n in range(seen, len(lines)) if probe in lines[n]), seen)
        seen = line
        context = node.get("comment")
        if context:
            yield line + 1, "pgettext", (context, message)
        else:
            yield line + 1, "tr", message


def babel_extract_ui(fileobj, keywords, comment_tags, options):
    """A Babel extraction method for Designer forms: `[reviewdesk.i18n.extract:babel_extract_ui:
    **.ui]`."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    for lineno, name, found in _form_strings(text):
        yield lineno, name, found, []


def form_messages(folder: Path) -> dict[str, str]:
    """The messages of the Designer forms in `folder`, as `messages` gives them."""
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.ui")):
        for lineno, name, text in _form_strings(path.read_text(encoding="utf-8")):
            key = f"{text[0]}{CONTEXT_SEPARATOR}{text[1]}" if name == "pgettext" else text
            found.setdefault(str(key), f"{path.parent.name}/{path.name}:{lineno}")
    return found


def messages(root: Path, forms: Path | None = None) -> dict[str, str]:
    """Each literal message passed to _(), N_(), tr(), ngettext() (its singular) or
    pgettext() (as context\\x04message), with the first place it is used; then the
    messages of the Designer forms (`forms`, by default the app's `ui/`)."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for lineno, name, text in _calls(tree):
            if name == "pgettext":
                key = f"{text[0]}{CONTEXT_SEPARATOR}{text[1]}"
            else:
                key = text[0] if isinstance(text, tuple) else text
            found.setdefault(key, f"{path.relative_to(root.parent)}:{lineno}")
    for key, where in form_messages(forms or paths.ui_dir()).items():
        found.setdefault(key, where)
    return found
