"""The dependencies in pyproject.toml tell the truth: every third-party module the product
(aggregator/, spiders/, pipelines/) imports is declared, and every declared dependency is
imported somewhere or is a plugin loaded by entry point. And the package data it names exists."""
from __future__ import annotations

import ast
import glob
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ["aggregator", "spiders", "pipelines"]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# Declared but never imported: Datasette loads them through its "datasette" entry point
PLUGINS = {
    "datasette-atom": "the Atom feeds editors subscribe to (metadata's atom queries)",
    "datasette-block-robots": "/robots.txt answers Disallow: / on the served database",
    "datasette-dashboards": "the charts page (Vega-Lite, its JavaScript bundled: no CDN)",
}


def canonical(name: str) -> str:
    """A distribution name as PEP 503 compares them: case, '.', '_' and '-' do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    return {canonical(re.match(r"[A-Za-z0-9._-]+", spec).group()) for spec in PYPROJECT["project"]["dependencies"]}


def imported_modules() -> dict[str, set[str]]:
    """Top-level module -> the product files that import it (absolute imports only)."""
    found: dict[str, set[str]] = {}
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def third_party() -> dict[str, set[str]]:
    return {module: files for module, files in imported_modules().items()
            if module not in sys.stdlib_module_names and module not in PRODUCT and module != "__future__"}


def distributions(module: str) -> set[str]:
    """The distributions that provide a top-level import name (yaml -> PyYAML, opencc -> OpenCC,
    zope -> zope.interface ...), from the installed environment."""
    return {canonical(d) for d in importlib.metadata.packages_distributions().get(module, [])}


def test_every_imported_module_is_declared():
    wanted = declared()
    undeclared = {module: sorted(files) for module, files in third_party().items()
                  if not distributions(module) & wanted}
    assert not undeclared, f"imported but not in pyproject's dependencies: {undeclared}"


def test_every_declared_dependency_is_imported_or_a_plugin():
    provided = set().union(*(distributions(module) for module in third_party()))
    unused = declared() - provided - {canonical(p) for p in PLUGINS}
    assert not unused, f"declared in pyproject but imported nowhere in {PRODUCT}: {sorted(unused)}"


@pytest.mark.parametrize("plugin", sorted(PLUGINS))
def test_the_plugins_are_loaded_by_entry_point(plugin):
    assert canonical(plugin) in declared()
    entry_points = importlib.metadata.distribution(plugin).entry_points
    assert any(ep.group == "datasette" for ep in entry_points), f"{plugin} is no Datasette plugin"


def test_the_walk_sees_the_product():
    """A guard for the two tests above: the walk finds the imports it should."""
    modules = third_party()
    for module in ("scrapy", "lxml", "numpy", "yaml", "opencc", "sqlite_utils"):
        assert module in modules


def test_package_data_exists():
    """Every package-data pattern names files that exist (a non-editable install ships them),
    and the Datasette metadata is among them."""
    shipped = set()
    for package, patterns in PYPROJECT["tool"]["setuptools"]["package-data"].items():
        for pattern in patterns:
            matches = glob.glob(str(ROOT / package.replace(".", "/") / pattern))
            assert matches, f"package-data {package}: {pattern} matches no file"
            shipped.update(Path(m).resolve() for m in matches)
    assert (ROOT / "aggregator" / "data" / "metadata.yml").resolve() in shipped


def test_the_metadata_is_read_as_package_data():
    from importlib.resources import files

    from aggregator.serve import load_metadata

    assert files("aggregator").joinpath("data").joinpath("metadata.yml").is_file()
    assert "news" in load_metadata("news")["databases"]
