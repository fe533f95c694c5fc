"""The site registry: every spider class under spiders/ is a site."""
from __future__ import annotations

import os

from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "aggregator.settings")


def project_settings():
    return get_project_settings()


def site_classes(*, include_demo=False) -> list:
    """Spider classes of the registered sites, sorted by name (demo sites only when asked)."""
    loader = SpiderLoader.from_settings(project_settings())
    classes = [loader.load(name) for name in loader.list()]
    return [cls for cls in classes if include_demo or not getattr(cls, "demo", False)]


def registry(*, include_demo=False) -> list[dict]:
    return [cls.registry_row() for cls in site_classes(include_demo=include_demo)]
