"""Scrapy item pipelines: thin adapters over the pure functions in aggregator/.

Order (aggregator/settings.py ITEM_PIPELINES): extract -> clean -> normalize -> dedup -> store.
A page that must not become an article is dropped with DropItem(reason); the store
pipeline records every drop as a `rejects` row, so nothing disappears silently.
"""
from __future__ import annotations

import functools

from scrapy.exceptions import DropItem


def one_bad_page(stage):
    """Turn an unexpected exception while processing one item into DropItem, so one bad
    page becomes a reject row (reason "<stage> error: ...") and the crawl goes on."""
    def decorate(process_item):
        @functools.wraps(process_item)
        def wrapper(self, item, spider=None):
            try:
                return process_item(self, item, spider)
            except DropItem:
                raise
            except Exception as exc:  # noqa: BLE001 - the point is to catch everything
                raise DropItem(f"{stage} error: {type(exc).__name__}: {exc}"[:300]) from exc
        return wrapper
    return decorate
