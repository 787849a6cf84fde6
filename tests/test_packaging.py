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
