"""Canonical URL (aggregator.urls). The store pipeline keeps one article per URL or body: it
hashes the body (aggregator.syndication.content_hash) itself, from the same normalization the
story index fingerprints, so the body is normalized once; story clustering runs on store."""
from __future__ import annotations

from itemadapter import ItemAdapter

from aggregator.urls import canonical_url
from pipelines import one_bad_page


class DedupPipeline:
    @one_bad_page("dedup")
    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        adapter["canonical_url"] = canonical_url(adapter["url"]) or adapter["url"]
        return item
