"""Page HTML -> article fields (aggregator.extract.extract_article). Values the item
already has (an imported item's own title, say) are kept."""
from __future__ import annotations

from datetime import datetime

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from aggregator.extract import extract_article
from pipelines import one_bad_page


class ExtractPipeline:
    @one_bad_page("extract")
    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        page = adapter.get("html")
        if page is None:
            return item
        fetched = adapter.get("fetched_at")
        fields = extract_article(
            page, adapter["url"], encoding=adapter.get("encoding"),
            selectors=adapter.get("selectors"), cms=adapter.get("cms"),
            fetched_at=datetime.fromisoformat(fetched) if fetched else None,
            continuation_pages=adapter.get("continuation_pages") or (),
        )
        if fields.get("reject_reason"):
            raise DropItem(fields["reject_reason"])
        for key, value in fields.items():
            if key in adapter.field_names() and value not in (None, "", []) and not adapter.get(key):
                adapter[key] = value
        adapter["encoding"] = fields.get("encoding") or adapter.get("encoding")
        for key in ("html", "continuation_pages", "selectors"):
            adapter.pop(key, None)
        return item
