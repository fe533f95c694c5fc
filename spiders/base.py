"""What every site spider shares: polite requests, article pages -> items, rejects.

A site is a subclass of one CMS-family base (hanweb.py, jpaas.py, trs.py, gkmlpt.py, generic.py, feed.py)
with a few class attributes:

    name            registry name (also the `site` column)
    display_name    the site's own name, e.g. 浙江省教育厅
    region          浙江省 / 宁波市 / 北仑区 ...
    start_urls      listing (column) pages
    allowed_domains
    selectors       optional {"title", "body", "byline", "date"} where the page's own signals fail
    demo            True for the bundled offline demo sites

Run against a mirror or the demo server with `-a base_url=http://127.0.0.1:8001`:
start URLs keep their path and take that scheme and host (a loopback or private mirror also
needs AGGREGATOR_ALLOW_PRIVATE, `aggregator crawl --allow-private`).

Every listing and article callback starts with refuse(): it counts the answer for the site's
health (aggregator/health.py) and turns an unusable one into a reject; every failed request
comes to on_error(), which does the same.
"""
from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from w3lib.encoding import http_content_type_encoding

from aggregator import netguard, signals
from aggregator.challenge import challenge_reason
from aggregator.dates import CHINA_TZ
from aggregator.extract import MAX_PAGE_CHARS, find_continuations
from aggregator.items import ArticleItem
from aggregator.middlewares import listed_url
from aggregator.page_kind import not_a_page
from aggregator.urls import canonical_url

MAX_CONTINUATIONS = 20
# what a browser's script sends to a platform's list API (jpaas, gkmlpt answer JSON to it)
AJAX_HEADERS = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json, text/javascript, */*; q=0.01"}


class NewsSpider(scrapy.Spider):
    display_name = ""
    region = ""
    cms = "generic"
    selectors: dict = {}
    demo = False
    # a regex an article URL matches (listing links that do not are ignored)
    article_link_re = None
    # False where the column page only names the API its list comes from (jpaas, gkmlpt):
    # that page is not fetched conditionally, its 304 would say nothing about the list
    column_lists_articles = True

    def __init__(self, *args, base_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        # on a mirror crawl (base_url): (scheme, host:port) every page of the site is fetched from
        self.mirror = None
        if base_url:
            base = urlsplit(base_url)
            self.mirror = (base.scheme, base.netloc)
            self.start_urls = [urlunsplit(self.mirror + tuple(urlsplit(u))[2:]) for u in self.start_urls]
            self.allowed_domains = [base.hostname]
        self.known_urls = set()
        # rejects not due to be fetched again yet, and article pages whose reject is due
        # (the ledger: aggregator/rejects.py)
        self.waiting_rejects = set()
        self.retry_urls = []
        # stored articles due for a recheck: [(url, section)] (aggregator/revisions.py)
        self.rechecks = []
        self._listed = set()
        self.known_pages = 1

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if crawler.settings.getbool("AGGREGATOR_SKIP_KNOWN"):
            from aggregator.store import known_urls
            spider.known_urls = known_urls(crawler.settings.get("AGGREGATOR_DB"), spider.name)
        if crawler.settings.getbool("AGGREGATOR_SKIP_WAITING_REJECTS"):
            from aggregator.store import reject_ledger
            spider.waiting_rejects, retry = reject_ledger(crawler.settings.get("AGGREGATOR_DB"), spider.name)
            spider.retry_urls = [spider.on_mirror(url) for url in retry]
        days = crawler.settings.getfloat("AGGREGATOR_RECHECK_DAYS")
        if days > 0:
            from aggregator.store import recheck_candidates
            spider.rechecks = [(spider.on_mirror(url), section) for url, section in recheck_candidates(
                crawler.settings.get("AGGREGATOR_DB"), spider.name, days,
                everything=crawler.settings.getbool("AGGREGATOR_RECHECK_ALL"))]
        spider.max_listing_pages = crawler.settings.getint("AGGREGATOR_MAX_LISTING_PAGES")
        spider.known_pages = crawler.settings.getint("AGGREGATOR_KNOWN_PAGES")
        return spider

    @classmethod
    def registry_row(cls) -> dict:
        return {"name": cls.name, "display_name": cls.display_name, "region": cls.region,
                "cms": cls.cms, "start_urls": list(cls.start_urls),
                "allowed_domains": list(getattr(cls, "allowed_domains", []) or []), "demo": cls.demo}

    # listing -> article requests --------------------------------------------
    async def start(self):  # Scrapy >= 2.13
        for request in self.start_requests():
            yield request

    def start_requests(self):  # Scrapy < 2.13 calls this one directly
        for url in self.start_urls:
            # a column page that only names its list's API says nothing by answering 304
            yield self.listing_request(url, dont_filter=True,
                                       meta={"listing": True, "conditional": self.column_lists_articles})
        for url, section in self.rechecks:
            # a stored article looked at again, conditionally: 304 or the same text is unchanged,
            # a change is a new revision, 404/410 marks it removed
            self._listed.add(url)
            self._inc("rechecks")
            yield scrapy.Request(url, callback=self.parse_article, errback=self.on_error, dont_filter=True,
                                 meta={"recheck": True, "section": section})
        for url in self.retry_urls:
            # rejects due again (the ledger): asked for whether or not a listing shows them now
            self._listed.add(url)
            yield scrapy.Request(url, callback=self.parse_article, errback=self.on_error, meta={"retry": True})

    def listing_request(self, url, **kwargs):
        kwargs.setdefault("callback", self.parse)
        kwargs.setdefault("meta", {"listing": True})
        return scrapy.Request(url, errback=self.on_error, **kwargs)

    def article_requests(self, links, response, section=None):
        """Requests for the (url, listing_date) pairs a listing gave, skipping stored ones,
        rejects not due again, and links listed before in this crawl (a pager's look-ahead
        record comes again on the next page: it is one link); then the listing's next page,
        when this one was part of a chain (more_pages)."""
        seen = fresh = 0
        for href, listing_date in links:
            url = self.on_mirror(response.urljoin(href.strip()))
            if self.article_link_re and not re.search(self.article_link_re, url):
                continue
            if not self.allowed_host(url):
                continue  # another site's article (a 推荐新闻 link): that site's own spider stores it
            seen += 1
            if url in self._listed:
                continue
            self._listed.add(url)
            self._inc("article_links")
            canonical = canonical_url(url)
            if canonical in self.known_urls:
                self.crawler.signals.send_catch_log(signals.article_seen, url=url, site=self.name)
                continue
            if canonical in self.waiting_rejects:
                self._inc("rejects_waiting")  # its ledger row says when to try again
                continue
            fresh += 1
            yield scrapy.Request(url, callback=self.parse_article, errback=self.on_error,
                                 meta={"listing_date": listing_date, "section": section})
        self.note_listing_page(response, known=bool(seen) and not fresh)
        yield from self.more_pages(response, response.meta.pop("then", ()))

    # paging stops at what is known ---------------------------------------------
    def note_listing_page(self, response, known):
        """Count this listing page in its listing's run of known pages (pages holding only
        stored articles, rejects not due, or answering 304): response.meta["known_streak"]."""
        streak = response.meta.get("known_streak", 0) + 1 if known else 0
        response.meta["known_streak"] = streak
        if known:
            self._inc("listing_known")

    def more_pages(self, response, requests):
        """The listing pages after this one. None when the last AGGREGATOR_KNOWN_PAGES pages
        held nothing new (listings are newest first: what follows is stored already). On a
        crawl of a site with stored articles, one page at a time (each next page asked for
        once the one before is read, the rest of the chain in its meta); on a first crawl
        all at once."""
        requests = [request for request in requests if request is not None]
        if not requests:
            return
        streak = response.meta.get("known_streak", 0)
        if self.known_pages and streak >= self.known_pages:
            self._inc("listing_stopped_known")
            self._inc("listing_pages_skipped", len(requests))
            return
        if not self.known_urls:
            yield from requests
            return
        first, rest = requests[0], list(requests[1:])
        first.meta["known_streak"] = streak
        if rest:
            first.meta["then"] = rest
        yield first

    def _follow_chain(self, response_or_request, known):
        """A chained listing page that could not be read (failed, refused, 304): the chain
        goes on from it as the engine's next requests."""
        meta = response_or_request.meta
        if "then" not in meta and "known_streak" not in meta:
            return
        self.note_listing_page(response_or_request, known)
        for request in self.more_pages(response_or_request, meta.pop("then", ())):
            self.crawler.engine.crawl(request)

    def note_ids(self, ids: dict):
        """Record the platform ids a listing gave (webid, unitid, columnid, the pager's path ...):
        they land in the crawl's stats and `aggregator check-site` prints them."""
        if not getattr(self, "crawler", None):
            return
        known = dict(self.crawler.stats.get_value("aggregator/platform_ids") or {})
        known.update({k: v for k, v in ids.items() if v not in (None, "")})
        self.crawler.stats.set_value("aggregator/platform_ids", known)

    def _inc(self, key, count=1):
        if getattr(self, "crawler", None):
            self.crawler.stats.inc_value(f"aggregator/{key}", count)

    def on_mirror(self, url) -> str:
        """On a mirror crawl, an absolute link to the real site's own host (listings and APIs
        often print them) points at the mirror, as relative links do; elsewhere url as it is."""
        if not self.mirror:
            return url
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        own = [d.lower() for d in getattr(type(self), "allowed_domains", None) or []]
        own += [(urlsplit(u).hostname or "").lower() for u in type(self).start_urls]
        if any(host == domain or host.endswith("." + domain) for domain in own if domain):
            return urlunsplit(self.mirror + (parts.path, parts.query, ""))
        return url

    def allowed_host(self, url) -> bool:
        """Is url on one of allowed_domains (subdomains included, any port)?"""
        host = (urlsplit(url).hostname or "").lower()
        return not self.allowed_domains or any(
            host == domain or host.endswith("." + domain) for domain in self.allowed_domains)

    def refuse(self, response, what) -> bool:
        """Every listing and article callback starts here: counts the answer for the site's
        health, and records an unusable one (not 200, or an anti-bot challenge) as a reject.
        True when the response is unusable."""
        listing = bool(response.meta.get("listing"))
        if listing:
            self._inc("listing_requests")
        self._inc(f"status/{response.status}")
        if response.status == 304:
            self.not_modified(response, listing)
            return True
        if response.meta.get("recheck") and response.status in (404, 410):
            self._inc("articles_removed")
            self.crawler.signals.send_catch_log(signals.article_removed, url=listed_url(response.request),
                                                site=self.name)
            return True
        challenge = challenge_reason(response.status, response.body, response.headers)
        kind = None if listing else not_a_page(response.headers.get("Content-Type"), response.body)
        wait = response.meta.get("retry_after")
        if challenge:
            self._inc("blocked_listings" if listing else "blocked_pages")
            reason = f"blocked: {challenge}"
        elif response.status != 200 and wait is not None:
            reason = f"http {response.status}: server asked to wait {wait:.0f} s"
        elif response.status != 200:
            reason = f"http {response.status}"
        elif kind:
            reason = f"not an article: {kind}"
        else:
            return False
        if listing:
            self._inc("listing_failed")
            self._follow_chain(response, known=False)
        self.crawler.signals.send_catch_log(signals.page_rejected, url=listed_url(response.request),
                                            site=self.name, reason=reason, detail=f"{what}: {response.url}",
                                            listing=listing)
        return True

    def not_modified(self, response, listing):
        """A 304 to a conditional GET (aggregator/conditional.py): a listing page unchanged
        since it was last read holds nothing new; an article unchanged is seen again.
        Nothing is parsed."""
        self._inc("not_modified")
        if listing:
            self._follow_chain(response, known=True)
            if "known_streak" not in response.meta:
                self._inc("listing_known")
                self._inc("listing_stopped_known")
            return
        self.crawler.signals.send_catch_log(signals.article_seen, url=listed_url(response.request), site=self.name)

    def unreadable_listing(self, response, reason, detail):
        """A listing that answered 200 but cannot be read (no list unit, not the JSON its API
        gives): a failed listing request for the site's health, and a reject with the reason."""
        self._inc("listing_failed")
        self._follow_chain(response, known=False)
        self.crawler.signals.send_catch_log(signals.page_rejected, url=response.url, site=self.name,
                                            reason=reason, detail=detail, listing=True)

    def on_error(self, failure):
        request = failure.request
        listing = bool(request.meta.get("listing"))
        if listing:
            self._inc("listing_requests")
            self._inc("listing_failed")
            self._follow_chain(request, known=False)
        self.crawler.signals.send_catch_log(
            signals.page_rejected, url=listed_url(request), site=self.name, reason=fetch_failure(failure),
            detail=f"{str(failure.value)[:400]} (last hop {request.url})", listing=listing)

    # article pages -> items -------------------------------------------------
    def parse_article(self, response):
        if self.refuse(response, "article page"):
            return
        pages = [response]
        # a page the extractor will refuse as too large is not parsed here either, nor one
        # that cannot link to a continuation (the extract pipeline parses every page anyway)
        text = response.text
        continuation = ([] if len(text) > MAX_PAGE_CHARS or not may_continue(text, response.url)
                        else find_continuations(text, response.url)[:MAX_CONTINUATIONS])
        if continuation:
            yield self.continuation_request(continuation, pages)
            return
        yield self.article_item(pages)

    def continuation_request(self, remaining, pages):
        return scrapy.Request(remaining[0], callback=self.parse_continuation,
                              errback=self.continuation_failed, dont_filter=True,
                              cb_kwargs={"remaining": remaining[1:], "pages": pages},
                              meta={"continuation_of": pages[0].url})

    def parse_continuation(self, response, remaining, pages):
        usable = (response.status == 200 and not not_a_page(response.headers.get("Content-Type"), response.body)
                  and not challenge_reason(response.status, response.body, response.headers))
        if usable:
            pages = pages + [response]
        if remaining:
            yield self.continuation_request(remaining, pages)
        else:
            yield self.article_item(pages)

    def continuation_failed(self, failure):
        # the article is stored with the pages we have; the lost page is a reject row
        self.on_error(failure)
        kwargs = failure.request.cb_kwargs
        if kwargs["remaining"]:
            yield self.continuation_request(kwargs["remaining"], kwargs["pages"])
        else:
            yield self.article_item(kwargs["pages"])

    def article_item(self, pages):
        first = pages[0]
        return ArticleItem(
            url=first.url, site=self.name, cms=self.cms, selectors=dict(self.selectors) or None,
            # raw bytes: the extractor decodes (declared charset, then detection) and
            # rejects mojibake; the HTTP header's charset is its first hint
            html=first.body, encoding=http_content_type_encoding(
                first.headers.get("Content-Type", b"").decode("latin-1")),
            continuation_pages=[p.body for p in pages[1:]],
            fetched_at=datetime.now(CHINA_TZ).isoformat(timespec="seconds"),
            listing_date=first.meta.get("listing_date"), section=first.meta.get("section"),
        )


_FILE_NAME = re.compile(r"([^/]+?)(?:_\d{1,3})?\.[A-Za-z]+$")


def may_continue(text, url) -> bool:
    """False when no link on the page can continue the article at `url`, so the page need not be
    parsed for one: a continuation (aggregator.extract.find_continuations) is the article's own
    file name with a page suffix (t20210630_541234.html -> t20210630_541234_1.html; from
    ..._2.html, ..._3.html), so that name and "_" must appear in the page. True when unsure."""
    found = _FILE_NAME.search(urlsplit(url).path)
    return not found or f"{found.group(1)}_" in text


def fetch_failure(failure) -> str:
    """The reject reason of a request that got no usable answer."""
    message = str(failure.value)
    # Scrapy says "larger than download max size" whether the download handler cut the body
    # off or HttpCompressionMiddleware stopped decompressing (an IgnoreRequest)
    if "max size" in message or "maxsize" in message.lower():
        return "too large: over DOWNLOAD_MAXSIZE"
    if failure.check(IgnoreRequest):
        if "robots" in message.lower():
            return "forbidden by robots.txt"
        if "max redirections" in message:
            return f"too many redirects (last hop {failure.request.url})"
        return message.split("\n")[0][:200]
    refused = netguard.refused_host(urlsplit(failure.request.url).hostname or "")
    if refused:
        return netguard.refused_reason(refused)
    return f"fetch error: {failure.type.__name__}"


_DATE_IN_TEXT = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")


def listing_links(selector, xpath="//a[@href]"):
    """(href, date printed beside it) for each link of a listing: the date is looked for
    in the link's own row (its li / tr / dd parent), not across the page."""
    for a in selector.xpath(xpath):
        href = a.xpath("@href").get("").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        row = a.xpath("ancestor::*[self::li or self::tr or self::dd or self::p][1]")
        text = " ".join((row[0] if row else a).xpath(".//text()").getall())
        found = _DATE_IN_TEXT.search(text)
        yield href, found.group(0) if found else None
