"""TRS WCM: ministries (教育部), many provinces and newspapers.

A column is index.html, then index_1.html, index_2.html ... (or .shtml); the page count
is announced by createPageHTML(countPage, currentPage, "index", "html") or
`var countPage = N`. Article links are relative: ./202106/t20210630_541234.html.
"""
from __future__ import annotations

import re

from spiders.base import NewsSpider, listing_links

_PAGES = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)|countPage\s*=\s*['\"]?(\d+)")


class TrsSpider(NewsSpider):
    cms = "trs"
    article_link_re = r"/t\d{8}_\d+\.s?html?$"

    def parse(self, response):
        if self.refuse(response, "column page"):
            return
        yield from self.article_requests(listing_links(response), response,
                                         response.xpath('//meta[@name="ColumnName"]/@content').get())
        if response.meta.get("page_index"):
            return
        found = _PAGES.search(response.text)
        if not found:
            return
        count = int(found.group(1) or found.group(3))
        if self.max_listing_pages:
            count = min(count, self.max_listing_pages)
        ext = "shtml" if response.url.endswith(".shtml") else "html"
        for index in range(1, count):
            yield self.listing_request(response.urljoin(f"index_{index}.{ext}"), meta={"listing": True, "page_index": index})
