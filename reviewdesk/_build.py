"""The build step that compiles the translation catalogues (.po -> .mo) into the wheel.

Named in pyproject.toml (`[tool.setuptools.cmdclass]`); it imports nothing of the
app. A checkout needs no build: `reviewdesk.i18n` compiles a `.po` in memory when
no current `.mo` is beside it.
"""

from __future__ import annotations

from pathlib import Path

# The installed setuptools (65) ships no type information and types-setuptools is no dependency.
from setuptools.command.build_py import build_py  # type: ignore[import-untyped]

SOURCE = Path(__file__).resolve().parent.parent / "resources" / "translations"


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


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            compile_catalogues(
                SOURCE, Path(self.build_lib) / "reviewdesk" / "_resources" / "translations"
            )
