"""Canonical URL and content hash (aggregator.urls / aggregator.syndication). The store
pipeline uses them to keep one article per URL or body; story clustering runs on store."""
from __future__ import annotations

from itemadapter import ItemAdapter

from aggregator.syndication import content_hash
from aggregator.urls import canonical_url
from pipelines import one_bad_page


class DedupPipeline:
    @one_bad_page("dedup")
    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        adapter["canonical_url"] = canonical_url(adapter["url"]) or adapter["url"]
        adapter["content_hash"] = content_hash(adapter.get("body") or "")
        return item
