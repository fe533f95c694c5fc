"""Page HTML -> article fields (aggregator.extract.extract_article) and the attachments the page
links to (aggregator.attachments). Values the item already has (an imported item's own title,
say) are kept; attachments given with an item are validated (http(s) URLs only)."""
from __future__ import annotations

from datetime import datetime

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from aggregator.attachments import clean_attachments, find_attachments
from aggregator.extract import extract_article
from pipelines import one_bad_page


class ExtractPipeline:
    @one_bad_page("extract")
    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        page = adapter.get("html")
        # an imported item's own attachments ({url, name, type} objects or plain URLs); None: not given
        given = adapter.get("attachments")
        if given is not None:
            adapter["attachments"] = clean_attachments(given, adapter.get("url"))
        if page is None:
            return item
        fetched = adapter.get("fetched_at")
        fields = extract_article(
            page, adapter["url"], encoding=adapter.get("encoding"),
            selectors=adapter.get("selectors"), cms=adapter.get("cms"),
            fetched_at=datetime.fromisoformat(fetched) if fetched else None,
            continuation_pages=adapter.get("continuation_pages") or (),
            listing_date=adapter.get("listing_date"),
        )
        if fields.get("reject_reason"):
            raise DropItem(fields["reject_reason"])
        for key, value in fields.items():
            if key in adapter.field_names() and value not in (None, "", []) and not adapter.get(key):
                adapter[key] = value
        adapter["encoding"] = fields.get("encoding") or adapter.get("encoding")
        adapter["attachments"] = self.attachments(adapter, page)
        for key in ("html", "continuation_pages", "selectors"):
            adapter.pop(key, None)
        return item

    @staticmethod
    def attachments(adapter, page):
        """The given attachments, then those linked from the page and its continuation pages
        (the list often closes the last page), one per URL."""
        found = {a["url"]: a for a in adapter.get("attachments") or []}
        for html in (page, *(adapter.get("continuation_pages") or ())):
            for attachment in find_attachments(html, adapter["url"], encoding=adapter.get("encoding")):
                found.setdefault(attachment["url"], attachment)
        return list(found.values())
