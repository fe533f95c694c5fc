"""`aggregator reprocess WARC...`: rebuild or refresh articles from WARC archives through the
crawl's own pipelines, fetching nothing, so an extractor improvement reaches what was crawled
months ago.

Our own archives (aggregator/archive.py) say for each record which site it belongs to and what
the page was (Aggregator-Site, Aggregator-Page, the listing's section and date, the article a
continuation page belongs to). Archives written by other tools (wget --warc-file, browsertrix)
say none of that: a 200 response is taken as an article page of the registered site whose
allowed domains hold its host, when its URL looks like one of that site's article URLs (the
site's `article_link_re`); anything else is skipped and counted.

Each article page becomes the item the spider would have made (spiders/base.py article_item),
with the archived continuation pages joined, and goes through extract -> clean -> normalize ->
dedup -> store like a crawled one: new, updated (a revision), unchanged, duplicate, or a reject.
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from w3lib.encoding import http_content_type_encoding

from aggregator.challenge import challenge_reason
from aggregator.dates import CHINA_TZ
from aggregator.importer import finish_run, item_pipelines, run_pipelines
from aggregator.items import ArticleItem
from aggregator.page_kind import not_a_page
from aggregator.sites import site_classes


class BadArchive(ValueError):
    """A file that is not a readable WARC (or ARC) archive."""


@dataclass
class ArchivedPage:
    url: str
    status: int
    headers: dict           # lower-cased name -> value (the last one given)
    set_cookies: list
    body: bytes
    date: str | None
    site: str | None
    kind: str | None
    article_of: str | None
    section: str | None
    listing_date: str | None


def _looks_like_an_archive(path) -> bool:
    """Does the file start as a WARC (or ARC) file does, compressed or not? (warcio reads any
    text as ARC records, with warnings.)"""
    with open(path, "rb") as stream:
        head = stream.read(2)
        stream.seek(0)
        if head == b"\x1f\x8b":
            try:
                head = gzip.GzipFile(fileobj=stream).read(16)
            except (OSError, EOFError):
                return False
        else:
            head = stream.read(16)
    return head.startswith((b"WARC/", b"filedesc://"))


def archived_pages(path):
    """Every HTTP response record of a WARC file (gzip or not), its body decoded from the
    transfer and content encodings it was sent with; BadArchive when it is not one."""
    if not _looks_like_an_archive(path):
        raise BadArchive(f"{path}: not a readable WARC file (it does not start with a WARC record)")
    try:
        yield from _records(path)
    except ArchiveLoadFailed as failed:
        raise BadArchive(f"{path}: not a readable WARC file ({str(failed)[:200]})") from None


def _records(path):
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            headers = record.rec_headers
            try:
                status = int(record.http_headers.get_statuscode() or 0)
            except ValueError:
                status = 0
            yield ArchivedPage(
                url=headers.get_header("WARC-Target-URI"), status=status,
                headers={k.lower(): v for k, v in record.http_headers.headers},
                set_cookies=[v for k, v in record.http_headers.headers if k.lower() == "set-cookie"],
                body=record.content_stream().read(), date=headers.get_header("WARC-Date"),
                site=headers.get_header("Aggregator-Site"), kind=headers.get_header("Aggregator-Page"),
                article_of=headers.get_header("Aggregator-Article"),
                section=_unquoted(headers.get_header("Aggregator-Section")),
                listing_date=_unquoted(headers.get_header("Aggregator-Listing-Date")))


def _unquoted(value):
    return unquote(value) if value else None


class SiteFinder:
    """The registered site class a record belongs to: the one it names, else by host and
    article URL shape (another tool's archive)."""

    def __init__(self):
        self.classes = {cls.name: cls for cls in site_classes(include_demo=True)}

    def named(self, name):
        return self.classes.get(name)

    def for_url(self, url):
        host = (urlsplit(url).hostname or "").lower()
        for cls in self.classes.values():
            domains = [d.lower() for d in getattr(cls, "allowed_domains", None) or []]
            if not any(host == d or host.endswith("." + d) for d in domains):
                continue
            if cls.article_link_re and re.search(cls.article_link_re, url):
                return cls
        return None


def _fetched_at(warc_date) -> str | None:
    try:
        when = datetime.fromisoformat((warc_date or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(CHINA_TZ).isoformat(timespec="seconds") if when.tzinfo else None


def usable(page: ArchivedPage) -> bool:
    """What the spider itself would parse: a 200 that is neither a challenge nor a binary."""
    return (page.status == 200 and not challenge_reason(page.status, page.body, {"Set-Cookie": page.set_cookies})
            and not not_a_page(page.headers.get("content-type"), page.body))


def reprocess(paths, db_path) -> dict:
    """Store the article pages of these WARC files into db_path; returns the counts."""
    paths = [str(p) for p in paths]
    finder = SiteFinder()
    # continuation pages first: an article's later pages may come after it in the archive
    continuations = {}
    for path in paths:
        for page in archived_pages(path):
            if page.kind == "continuation" and page.article_of and usable(page):
                continuations.setdefault(page.article_of, []).append(page.body)
    chain = item_pipelines(db_path)
    store_pipeline = chain[-1]
    store = store_pipeline.store
    crawl_id = store_pipeline.crawl_id = store.start_crawl([f"reprocess:{p}" for p in paths])
    counts = {"crawl_id": crawl_id, "new": 0, "updated": 0, "unchanged": 0, "duplicate": 0,
              "rejects": 0, "skipped": 0}
    synced = set()
    try:
        with store.bulk():
            for path in paths:
                for page in archived_pages(path):
                    cls = finder.named(page.site) if page.site else finder.for_url(page.url)
                    is_article = page.kind == "article" if page.site else cls is not None
                    if cls is None or not is_article or not usable(page):
                        counts["skipped"] += 1
                        continue
                    if cls.name not in synced:
                        store.sync_sites([cls.registry_row()])
                        synced.add(cls.name)
                    item, reason = run_pipelines(chain[:-1], article_item(cls, page, continuations))
                    if reason:
                        store_pipeline.reject(page.url, cls.name, reason, f"reprocess of {path}")
                        counts["rejects"] += 1
                        continue
                    _, status = store.upsert_article(dict(item), crawl_id=crawl_id)
                    counts[status] += 1
        finish_run(store, crawl_id, counts)
    finally:
        store.close()
    return counts


def article_item(cls, page: ArchivedPage, continuations) -> ArticleItem:
    """The item NewsSpider.article_item makes from the same answer."""
    return ArticleItem(
        url=page.url, site=cls.name, cms=cls.cms, selectors=dict(cls.selectors) or None,
        html=page.body, encoding=http_content_type_encoding(page.headers.get("content-type") or ""),
        continuation_pages=list(continuations.get(page.url, [])),
        fetched_at=_fetched_at(page.date), listing_date=page.listing_date, section=page.section)
