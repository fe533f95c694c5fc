"""Body cleaning (aggregator.clean.clean_body): repeated blocks, boilerplate, byline lines out."""
from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from aggregator.clean import clean_body
from pipelines import one_bad_page


class CleanPipeline:
    @one_bad_page("clean")
    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        result = clean_body(adapter.get("body") or "")
        if not result.body.strip():
            raise DropItem("no body")
        adapter["body"] = result.body
        if result.byline_lines:
            lines = [adapter.get("byline_raw")] if adapter.get("byline_raw") else []
            lines += [line for line in result.byline_lines if line not in (adapter.get("byline_raw") or "")]
            adapter["byline_raw"] = " ".join(lines)
        return item
