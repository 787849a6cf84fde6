"""The wheel carries every package, the migrations, the resources and the forms (compiled)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_for_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "reviewdesk").rglob("__init__.py")
    }
    assert found - listed == set()
    assert config["package-dir"] == {"reviewdesk._resources": "resources", "reviewdesk._ui": "ui"}


def test_the_build_compiles_each_catalogue_into_one_the_app_reads(tmp_path):
    import gettext

    from reviewdesk import _build

    (mo,) = _build.compile_catalogues(_build.SOURCE, tmp_path)
    assert mo.name == "zh.mo"
    with mo.open("rb") as handle:
        zh = gettext.GNUTranslations(handle)
    assert zh.gettext("Fund") == "基金"
    assert zh.pgettext("insured", "Client") == "客户本人"
    assert zh.ngettext("{n} client", "{n} clients", 2) == "共 {n} 位客户"


def test_the_wheel_ships_the_forms_and_the_modules_compiled_from_them():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    package_data = config["tool"]["setuptools"]["package-data"]["reviewdesk._ui"]
    assert {"*.ui", "*_ui.py"} <= set(package_data)
    # The build step runs PySide6's uic, which the build needs.
    assert any(r.startswith("PySide6-Essentials") for r in config["build-system"]["requires"])
    assert list((ROOT / "ui").glob("*.ui"))


def test_the_build_compiles_each_form_into_the_module_the_app_reads(tmp_path, monkeypatch):
    """What the build writes into reviewdesk/_ui is what the app loads in place of compiling."""
    import shutil

    from reviewdesk import _build, paths
    from reviewdesk.gui import forms

    for form in _build.FORMS.glob("*.ui"):
        shutil.copy(form, tmp_path)
    written = _build.compile_forms(_build.FORMS, tmp_path)
    assert sorted(p.name for p in written) == sorted(
        f"{p.stem}_ui.py" for p in _build.FORMS.glob("*.ui")
    )
    assert _build.UIC_OPTIONS == forms.UIC_OPTIONS
    monkeypatch.setattr(paths, "ui_dir", lambda: tmp_path)
    compiled = []
    monkeypatch.setattr(forms, "compile_form", lambda path: compiled.append(path) or "")
    forms.form_class.cache_clear()
    try:
        for form in written:
            name = form.name.removesuffix("_ui.py")
            assert forms.form_class(name).__name__.startswith("Ui_")
        assert compiled == []  # read from the build's modules, nothing compiled
    finally:
        forms.form_class.cache_clear()
