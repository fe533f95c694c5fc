"""gkmlpt: Guangdong's 政府信息公开目录管理平台, the disclosure catalogue every Guangdong
government site (province, cities, districts, their bureaus) runs under /gkmlpt/.

The column page /gkmlpt/index is a script shell: `window._CONFIG = {… SID: '755031', TREE: […], …}`
names the site id and the catalogue tree; the category is the URL's fragment (/gkmlpt/index#2811),
which the browser never sends, so a site's start URL carries it and the spider reads it there.
The list is JSON from /gkmlpt/api/all/{category}?page=N&sid={SID} (relative to the site's gkmlpt
root, which may sit under a prefix such as /zqhjj/gkmlpt/):

    {"classify": {"id": 2811, "name": "…", "post_count": 203},
     "articles": [{"id": 3255421, "title": "…", "url": ".../gkmlpt/content/3/3255/post_3255421.html",
                   "date": 1783353600, "publisher": "…", "identifier": "…"}, …],
     "total": 203}

Articles live at /gkmlpt/content/{id // 10**6}/{id // 1000}/post_{id}.html (mpost_ is the mobile
copy). Paging stops at an empty page, when the records read reach total (or the classify's
post_count), or at max_listing_pages. Category 0 lists the whole catalogue.

What this follows (public code read, none copied):
- SID and TREE from window._CONFIG, the api/all URL, classify.post_count as the stop, pages from 1:
  a Shenzhen policy crawler (crawlers/gkmlpt.py discover_site, crawl_category) and its platform
  survey (SID per site, HTTP, identical API across sites, szeb.sz.gov.cn and edu.gd.gov.cn listed);
- the JSON fields (classify, articles[].id/title/date/publisher/url, total): a Zhaoqing feasibility
  report (JS bundle: page = ceil(n/5), 100 records a page), a Guangdong scrapy spider (total // 100 + 1
  pages), a Dongguan fetcher test ({"total", "articles"}, detail body in div.article-content);
- the body inside window._CONFIG.DETAIL.content on content pages: the same Shenzhen crawler.
Not verified: whether the content page also renders the body as HTML for crawlers (the replica
assumes it does, in div.article-content, beside the DETAIL JSON), the government meta tags on
content pages, and which category id holds each bureau's news.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from urllib.parse import urlencode, urlsplit

from aggregator.dates import CHINA_TZ
from spiders.base import AJAX_HEADERS, NewsSpider

_SID = re.compile(r"""\bSID['"]?\s*:\s*['"]?(\d+)""")
# the catalogue's XHR sends these (as a Guangzhou gkmlpt crawler's config copies them)
_CATEGORY = re.compile(r"^(\d+)$")


def gkmlpt_root(path: str) -> str:
    """The site's gkmlpt root path ("/zqhjj/gkmlpt/") from any path under it."""
    head, sep, _ = path.partition("/gkmlpt/")
    return f"{head}/gkmlpt/" if sep else "/gkmlpt/"


def api_page(body: str):
    """(articles, total or None, category name or None) from an api/all answer; None when it is
    not that JSON."""
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("articles", []), list):
        return None
    classify = payload.get("classify") if isinstance(payload.get("classify"), dict) else {}
    total = payload.get("total")
    if not isinstance(total, int):
        total = classify.get("post_count") if isinstance(classify.get("post_count"), int) else None
    name = classify.get("name") if isinstance(classify.get("name"), str) else None
    return [a for a in payload.get("articles") or [] if isinstance(a, dict)], total, (name or "").strip() or None


def listing_date(article: dict):
    """The date the catalogue gives for an article, as a day (the timestamps are midnight of the
    publication day, Beijing time, so only the day is meant)."""
    for key in ("display_publish_time", "first_publish_time", "date"):
        value = article.get(key)
        if isinstance(value, (int, float)) and value > 0:
            return datetime.fromtimestamp(value, CHINA_TZ).strftime("%Y-%m-%d")
        if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}", value):
            return value[:10]
    created = article.get("created_at")
    return created[:10] if isinstance(created, str) and re.match(r"\d{4}-\d{2}-\d{2}", created) else None


class GkmlptSpider(NewsSpider):
    cms = "gkmlpt"
    column_lists_articles = False
    article_link_re = r"/gkmlpt/content/\d+/\d+/post_\d+\.html"
    platform_markers = (
        ("gkmlpt config", r"window\._CONFIG\s*=\s*\{"),
        ("gkmlpt SID", r"""\bSID['"]?\s*:\s*['"]?\d+"""),
        ("gkmlpt api", r"/gkmlpt/api/all/"),
        ("gkmlpt article path", r"/gkmlpt/content/\d+/\d+/m?post_\d+\.html"),
    )

    def parse(self, response):
        if self.refuse(response, "column page"):
            return
        found = _SID.search(response.text)
        if not found:
            self.unreadable_listing(response, "no gkmlpt SID", "column page has no window._CONFIG SID")
            return
        sid = found.group(1)
        fragment = urlsplit(response.request.url).fragment or urlsplit(response.url).fragment
        category = _CATEGORY.match(fragment).group(1) if _CATEGORY.match(fragment or "") else "0"
        root = gkmlpt_root(urlsplit(response.url).path)
        self.note_ids({"SID": sid, "category": category, "gkmlpt_root": root})
        yield self.api_request(response, root, category, sid, 1, 0)

    def api_request(self, response, root, category, sid, page, seen):
        url = response.urljoin(f"{root}api/all/{category}?{urlencode({'page': page, 'sid': sid})}")
        return self.listing_request(url, callback=self.parse_api, headers=AJAX_HEADERS, cb_kwargs={
            "root": root, "category": category, "sid": sid, "page": page, "seen": seen})

    def parse_api(self, response, root, category, sid, page, seen):
        if self.refuse(response, "column page"):
            return
        parsed = api_page(response.text)
        if parsed is None:
            self.unreadable_listing(response, "bad listing json", response.text[:300])
            return
        articles, total, section = parsed
        if not articles:
            return  # an empty page: past the last one
        links = [(a.get("url") or a.get("post_url") or "", listing_date(a))
                 for a in articles]
        yield from self.article_requests([link for link in links if link[0]], response, section)
        seen += len(articles)
        if total is not None and seen >= total:
            return
        if self.max_listing_pages and page >= self.max_listing_pages:
            return
        yield from self.more_pages(response, [self.api_request(response, root, category, sid, page + 1, seen)])
