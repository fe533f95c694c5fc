"""Sites that offer RSS 2.0, Atom or a sitemap: the feed lists the articles."""
from __future__ import annotations

from spiders.base import NewsSpider


class FeedSpider(NewsSpider):
    cms = "feed"
    platform_markers = (
        ("RSS 2.0", r"<rss\b"),
        ("Atom feed", r"<feed\b[^>]*2005/Atom"),
        ("sitemap", r"<urlset\b"),
    )

    def parse(self, response):
        if self.refuse(response, "feed"):
            return
        response.selector.remove_namespaces()
        links = []
        for item in response.xpath("//item"):             # RSS 2.0
            links.append((item.xpath("link/text()").get("").strip(), item.xpath("pubDate/text()").get()))
        for entry in response.xpath("//entry"):           # Atom
            links.append((entry.xpath("link[not(@rel) or @rel='alternate']/@href").get(""),
                          entry.xpath("published/text() | updated/text()").get()))
        for url in response.xpath("//urlset/url"):        # sitemap
            links.append((url.xpath("loc/text()").get("").strip(), url.xpath("lastmod/text()").get()))
        yield from self.article_requests([link for link in links if link[0]], response)
