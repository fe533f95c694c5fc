"""Scrapy components that keep a crawl inside its site and polite, whatever the web answers.

SiteBoundsMiddleware (downloader): every request, start URLs, continuation pages, redirects and
    meta refreshes included, stays on the spider's allowed domains and on http(s); one that
    does not is ignored with a reason ("redirected off-site to HOST") that the spider's errback
    turns into a reject under the URL it listed. On a mirror crawl it lets the mirror's
    host:port through the address guard (aggregator.netguard) when AGGREGATOR_ALLOW_PRIVATE is
    on, and always for the bundled demo sites.
RetryAfterMiddleware (downloader): a 429 or 503 with Retry-After is retried after the wait the
    server asked for, up to AGGREGATOR_RETRY_AFTER_MAX seconds and twice; a longer wait is not
    retried, and the spider records "server asked to wait N s".
AccountingDupeFilter (scheduler): a request the dupefilter drops because a redirect led back to
    a page already fetched, or in a loop, is a reject instead of vanishing.
QuietLogFormatter: a dropped item is not logged by Scrapy (which prints the whole item, an
    article item holds the page): the store pipeline writes its reject and one log line with
    the URL and the reason, as for every other reject.
"""
from __future__ import annotations

import asyncio
import logging
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from urllib.parse import urlsplit

from scrapy import signals as scrapy_signals
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import IgnoreRequest
from scrapy.logformatter import LogFormatter

from aggregator import netguard, signals

logger = logging.getLogger(__name__)


def listed_url(request) -> str:
    """The URL the spider meant to fetch: before any redirect."""
    return (request.meta.get("redirect_urls") or [request.url])[0]


class SiteBoundsMiddleware:
    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler.settings.getbool("AGGREGATOR_ALLOW_PRIVATE"))
        middleware.crawler = crawler
        crawler.signals.connect(middleware.spider_opened, signal=scrapy_signals.spider_opened)
        return middleware

    def spider_opened(self, spider):
        mirror = getattr(spider, "mirror", None)
        if mirror and (self.allow_private or getattr(spider, "demo", False)):
            netguard.allow_private(*netguard.host_port(f"{mirror[0]}://{mirror[1]}"))

    def process_request(self, request, spider=None):
        spider = spider or getattr(getattr(self, "crawler", None), "spider", None)
        parts = urlsplit(request.url)
        redirected = bool(request.meta.get("redirect_urls"))
        if parts.scheme not in ("http", "https"):
            raise IgnoreRequest(f"{'redirected to' if redirected else 'not'} an http(s) URL: {parts.scheme}:")
        allowed = getattr(spider, "allowed_host", None)
        if allowed is not None and not allowed(request.url):
            where = "redirected off-site" if redirected else "off-site"
            raise IgnoreRequest(f"{where} to {parts.hostname}")
        # an address literal, or a host the resolver refused before: no connection attempt
        why = netguard.refused_target(*netguard.host_port(request.url))
        if why:
            raise IgnoreRequest(netguard.refused_reason(why))
        return None


def retry_after_seconds(value) -> float | None:
    """Seconds a Retry-After header asks for (delay-seconds or an HTTP date); None if unreadable."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max((when - datetime.now(timezone.utc)).total_seconds(), 0.0)


class RetryAfterMiddleware:
    STATUSES = (429, 503)
    TIMES = 2

    def __init__(self, max_wait: float):
        self.max_wait = max_wait

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getfloat("AGGREGATOR_RETRY_AFTER_MAX"))

    async def process_response(self, request, response, spider=None):
        if response.status not in self.STATUSES or b"Retry-After" not in response.headers:
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        tries = request.meta.get("retry_after_times", 0)
        if wait is None or wait > self.max_wait or tries >= self.TIMES:
            # the spider records the answer as a reject naming the wait; no immediate retry
            request.meta["retry_after"] = wait
            request.meta["dont_retry"] = True
            return response
        await asyncio.sleep(wait)
        retry = request.replace(dont_filter=True)
        retry.meta["retry_after_times"] = tries + 1
        return retry


class AccountingDupeFilter(RFPDupeFilter):
    """Scrapy's request-fingerprint dupefilter; a redirect it stops is a reject row."""

    @classmethod
    def from_crawler(cls, crawler):
        dupefilter = super().from_crawler(crawler)
        dupefilter.crawler = crawler
        return dupefilter

    def log(self, request, spider):
        super().log(request, spider)
        reject_stopped_redirect(getattr(self, "crawler", None), request, spider)


def reject_stopped_redirect(crawler, request, spider):
    """A redirect the dupefilter stopped (a loop, or a page already fetched) is a reject.
    Shared with the Redis dupefilter of `aggregator crawl --redis` (aggregator.frontier)."""
    redirects = request.meta.get("redirect_urls")
    if not redirects or crawler is None:
        return
    reason = ("redirect loop" if request.url in redirects
              else "redirects to a page already fetched")
    crawler.signals.send_catch_log(signals.page_rejected, url=redirects[0],
                                   site=getattr(spider, "name", None) or crawler.spider.name,
                                   reason=reason, detail=f"last hop {request.url}",
                                   listing=bool(request.meta.get("listing")))


class QuietLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider=None):
        return None
