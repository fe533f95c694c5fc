"""The pure core imports no Scrapy: the extractors, dates, bylines, cleaning, syndication, the
store and the rest run (and are tested, benchmarked, imported) without a crawler. Scrapy is for
the spiders, pipelines, middlewares and crawl. Each module is imported alone in a fresh
interpreter, so one module cannot hide another's import."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AGGREGATOR = ROOT / "aggregator"
CORE = ["dates", "bylines", "clean", "store", "search", "health", "challenge", "page_kind",
        "attachments", "urls", "normalize", "rejects", "revisions"]


def core_modules() -> list[str]:
    names = ["aggregator.extract"] + [f"aggregator.extract.{p.stem}" for p in sorted((AGGREGATOR / "extract").glob("*.py"))
                                      if p.stem != "__init__"]
    names += [f"aggregator.{p.stem}" for p in sorted(AGGREGATOR.glob("syndication*.py"))]  # however it is split
    names += [f"aggregator.{name}" for name in CORE if (AGGREGATOR / f"{name}.py").exists()]
    return names


CHECK = ("import sys, importlib; importlib.import_module(sys.argv[1]); "
         "scrapy = sorted(m for m in sys.modules if m == 'scrapy' or m.startswith('scrapy.')); "
         "assert not scrapy, scrapy[:5]")


@pytest.mark.parametrize("module", core_modules())
def test_the_core_imports_no_scrapy(module):
    result = subprocess.run([sys.executable, "-c", CHECK, module], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{module} imports Scrapy (or fails to import):\n{result.stderr[-2000:]}"


def test_the_list_covers_the_named_core():
    modules = core_modules()
    for name in ("aggregator.extract.body", "aggregator.dates", "aggregator.syndication", "aggregator.store"):
        assert name in modules
