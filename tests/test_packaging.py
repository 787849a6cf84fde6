"""The wheel carries every package, the migrations, the resources and the forms."""

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
