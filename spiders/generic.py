"""Any listing page: article links matching `article_link_re`, then the 下一页 link."""
from __future__ import annotations

from spiders.base import NewsSpider, listing_links

NEXT_PAGE = ('//a[contains(normalize-space(.), "下一页") or contains(normalize-space(.), "下页")'
             ' or normalize-space(.) = ">" or @rel = "next"]/@href')


class GenericSpider(NewsSpider):
    cms = "generic"
    article_link_re = r"\.s?html?$"
    next_page_xpath = NEXT_PAGE

    def parse(self, response, page=1):
        if self.refuse(response, "listing page"):
            return
        yield from self.article_requests(listing_links(response), response)
        href = response.xpath(self.next_page_xpath).get()
        if href and (not self.max_listing_pages or page < self.max_listing_pages):
            yield from self.more_pages(response, [self.listing_request(response.urljoin(href), cb_kwargs={"page": page + 1})])
