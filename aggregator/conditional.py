"""Conditional GET: a listing or article page fetched before is asked for with the validators
its last answer gave (If-None-Match for its ETag, If-Modified-Since for its Last-Modified),
so a page that has not changed answers 304 with no body and costs no parsing (spiders/base.py
counts a 304 as unchanged).

ConditionalGetMiddleware (downloader) loads the site's validators from the database when the
spider opens (`http_validators`, one row per URL), adds them to GET requests for listing pages
(meta `listing`, unless meta `conditional` is False: a column page that only names its list's
API) and for rechecked articles (meta `recheck`), and hands every 200 or 304 answer's
validators to the store pipeline (signal `validators_seen`), the database's single writer.
Off with AGGREGATOR_CONDITIONAL_GET = False.
"""
from __future__ import annotations

from scrapy import signals as scrapy_signals
from scrapy.exceptions import NotConfigured

from aggregator import signals


def _header(headers, name) -> str | None:
    value = headers.get(name)
    if not value:
        return None
    return value.decode("latin-1").strip() or None


class ConditionalGetMiddleware:
    def __init__(self, db_path):
        self.db_path = db_path
        self.validators = {}

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("AGGREGATOR_CONDITIONAL_GET"):
            raise NotConfigured("AGGREGATOR_CONDITIONAL_GET is off")
        middleware = cls(crawler.settings.get("AGGREGATOR_DB"))
        middleware.crawler = crawler
        crawler.signals.connect(middleware.spider_opened, signal=scrapy_signals.spider_opened)
        return middleware

    def spider_opened(self, spider):
        from aggregator.store import http_validators
        self.validators = http_validators(self.db_path, spider.name)

    @staticmethod
    def wants_validators(request) -> bool:
        meta = request.meta
        if request.method != "GET":
            return False
        return bool(meta.get("recheck") or (meta.get("listing") and meta.get("conditional", True)))

    def process_request(self, request, spider=None):
        known = self.validators.get(request.url)
        if known and self.wants_validators(request):
            etag, modified = known
            if etag:
                request.headers.setdefault("If-None-Match", etag)
            if modified:
                request.headers.setdefault("If-Modified-Since", modified)
        return None

    def process_response(self, request, response, spider=None):
        if (request.method == "GET" and response.status in (200, 304)
                and not request.meta.get("dont_obey_robotstxt")):
            known = self.validators.get(request.url) or (None, None)
            etag = _header(response.headers, "ETag") or (known[0] if response.status == 304 else None)
            modified = _header(response.headers, "Last-Modified") or (known[1] if response.status == 304 else None)
            if etag or modified:
                spider = spider or self.crawler.spider
                self.crawler.signals.send_catch_log(signals.validators_seen, url=request.url, site=spider.name,
                                                    etag=etag, last_modified=modified)
        return response
