"""TRS WCM: ministries (教育部), many provinces and newspapers.

A column is index.html, then index_1.html, index_2.html ... (or .shtml); the page count
sits in a script: createPageHTML(countPage, currentPage, "index", "html") (some sites put
the pager's element id first: createPageHTML('page_div', 36, 1, 'index', 'htm')) or
`var countPage = N//共多少页`. Article links are relative and t-dated:
./202106/t20210630_541234.html, also under sub-columns (./moe_1485/202106/t…, ./s5987/202204/t…);
a link to another column or the navigation (no t-date) is not an article. The list sits in
a block such as div#wcmpagehtml ul#list li; where the page has one of the known blocks only
its links are read (the sidebars' t-dated links belong to other columns).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from spiders.base import NewsSpider, listing_links

_CREATE_PAGE = re.compile(
    r"""createPageHTML\(\s*(?:['"][\w-]*['"]\s*,\s*)?['"]?(\d+)['"]?\s*,\s*['"]?(\d+)['"]?"""
    r"""(?:\s*,\s*['"]([\w-]+)['"]\s*,\s*['"](\w+)['"])?""")
_COUNT_PAGE = re.compile(r"\bcountPage\s*=\s*['\"]?(\d+)")
_PAGER_LINK = re.compile(r"""href=['"](?:\./)?(index)_\d+\.(s?html?)['"]""")


def page_count(html: str):
    """(pages, file stem, extension) a TRS column page announces; (None, None, None) if none."""
    found = _CREATE_PAGE.search(html)
    if found:
        return int(found.group(1)), found.group(3), found.group(4)
    found = _COUNT_PAGE.search(html)
    if found:
        return int(found.group(1)), None, None
    return None, None, None


class TrsSpider(NewsSpider):
    cms = "trs"
    # (label, regex): matches in a column page's HTML that identify the family
    platform_markers = (
        ("createPageHTML", r"createPageHTML\(\s*(?:['\"][\w-]*['\"]\s*,\s*)?['\"]?\d+"),
        ("countPage", r"var\s+countPage\s*=\s*['\"]?\d+"),
        ("TRS_Editor", r"TRS_Editor"),
        ("wcmpagehtml", r"id=['\"]wcmpagehtml['\"]"),
        ("t-dated link", r"\./(?:[\w-]+/)*\d{6}/t\d{8}_\d+\.s?html"),
    )
    article_link_re = r"/t\d{8}_\d+\.s?html?$"
    # the list blocks TRS templates use; the first one present is read, else the whole page
    listing_blocks = (
        "//div[@id='wcmpagehtml']",
        "//ul[@id='list']",
        "//div[contains(concat(' ', normalize-space(@class), ' '), ' scy_lbsj-right-nr ')]",
        "//div[contains(concat(' ', normalize-space(@class), ' '), ' list_main ')]",
    )

    def parse(self, response):
        if self.refuse(response, "column page"):
            return
        section = response.xpath('//meta[@name="ColumnName"]/@content').get()
        yield from self.article_requests(self.page_links(response), response, section)
        if response.meta.get("page_index"):
            return
        count, stem, ext = page_count(response.text)
        if not count:
            return
        stem, ext = self.page_file(response, stem, ext)
        if self.max_listing_pages:
            count = min(count, self.max_listing_pages)
        yield from self.more_pages(response, [
            self.listing_request(response.urljoin(f"{stem}_{index}.{ext}"), meta={"listing": True, "page_index": index})
            for index in range(1, count)])

    def page_links(self, response):
        for block in self.listing_blocks:
            if response.xpath(block):
                return list(listing_links(response, block + "//a[@href]"))
        return list(listing_links(response))

    def page_file(self, response, stem, ext):
        """The stem and extension of pages 2..N: from the pager script, else from its links,
        else from the column's own URL (index.shtml -> index_1.shtml)."""
        link = _PAGER_LINK.search(response.text)
        path = urlsplit(response.url).path
        own = re.search(r"\.(s?html?)$", path)
        ext = ext or (link.group(2) if link else None) or (own.group(1) if own else "html")
        return stem or "index", ext
