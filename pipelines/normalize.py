"""Bylines -> people with roles, date text -> ISO 8601 (+08:00), source (来源): the policy is
aggregator.normalize (pure, over a dict of fields); this is its Scrapy adapter."""
from __future__ import annotations

from itemadapter import ItemAdapter

from aggregator.normalize import normalize_item
from pipelines import one_bad_page


class NormalizePipeline:
    @one_bad_page("normalize")
    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        fields = dict(adapter.items())
        for key, value in normalize_item(fields).items():
            if key not in fields or fields[key] != value:
                adapter[key] = value
        return item
