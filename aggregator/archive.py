"""The WARC archive: every answer a crawl got, as it came off the wire, so that `aggregator
reprocess` can rebuild articles after an extractor improvement without fetching anything.

WarcArchiveMiddleware (downloader, next to the downloader: it sees each answer before
decompression and redirects) writes a `request` and a `response` record per answer with warcio
into `<AGGREGATOR_WARC_DIR>/<crawl id>.warc.gz` (by default `warc/` beside the database), a new
file `<crawl id>-2.warc.gz` … once one reaches AGGREGATOR_WARC_MAX_BYTES. Each record also says
what the page was to the crawl (WARC extension fields, as WARC/1.1 section 4 allows):

    Aggregator-Site        the site (spider) name
    Aggregator-Page        listing | article | continuation | other
    Aggregator-Article     for a continuation page: the URL of the article's first page
    Aggregator-Section     the listing's section name, percent-encoded
    Aggregator-Listing-Date  the date printed beside the link, percent-encoded

All spiders of one process share one file per crawl (ArchiveFile, reference counted).
`-s AGGREGATOR_WARC_DIR=` (the setting given empty) turns it off.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from http.client import responses as reasons
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

from scrapy import signals as scrapy_signals
from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)


def warc_dir(settings) -> Path | None:
    """Where this crawl's archive goes: AGGREGATOR_WARC_DIR, or `warc/` beside the database;
    None (no archive) when the setting is given empty."""
    given = settings.get("AGGREGATOR_WARC_DIR")
    if given == "":
        return None
    if given:
        return Path(given)
    return Path(settings.get("AGGREGATOR_DB") or "data/news.db").resolve().parent / "warc"


class ArchiveFile:
    """One crawl's WARC files, shared by the spiders of a process; rotated by size."""
    _open: dict = {}

    def __init__(self, directory: Path, stem: str, max_bytes: int):
        self.directory, self.stem, self.max_bytes = directory, stem, max_bytes
        self.users = 0
        self.part = 0
        self.stream = None
        self.paths = []

    @classmethod
    def acquire(cls, directory, stem, max_bytes) -> "ArchiveFile":
        key = (str(directory), stem)
        archive = cls._open.get(key) or cls._open.setdefault(key, cls(directory, stem, max_bytes))
        archive.users += 1
        return archive

    def release(self):
        self.users -= 1
        if self.users <= 0:
            self._close()
            self._open.pop((str(self.directory), self.stem), None)

    def _close(self):
        if self.stream:
            self.stream.close()
            self.stream = None

    def writer(self) -> WARCWriter:
        if self.stream is None or (self.max_bytes and self.stream.tell() >= self.max_bytes):
            self._close()
            self.part += 1
            self.directory.mkdir(parents=True, exist_ok=True)
            name = f"{self.stem}.warc.gz" if self.part == 1 else f"{self.stem}-{self.part}.warc.gz"
            path = self.directory / name
            while path.exists():  # a crawl id reused (a database made again): never overwrite
                self.part += 1
                path = self.directory / f"{self.stem}-{self.part}.warc.gz"
            self.stream = open(path, "ab")
            self.paths.append(path)
            self._writer = WARCWriter(self.stream, gzip=True, warc_version="1.1")
        return self._writer

    def write(self, request, response, extra: dict):
        writer = self.writer()
        date = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        fields = {"WARC-Date": date, **{k: v for k, v in extra.items() if v}}
        target = response.url
        request_headers = StatusAndHeaders(
            f"{request.method} {_path_of(target)} HTTP/1.1",
            [(k.decode("latin-1"), b", ".join(v).decode("latin-1")) for k, v in request.headers.items()],
            is_http_request=True)
        request_record = writer.create_warc_record(
            target, "request", payload=BytesIO(request.body or b""), http_headers=request_headers,
            warc_headers_dict=dict(fields))
        status = f"{response.status} {reasons.get(response.status, '')}".strip()
        response_headers = StatusAndHeaders(
            status, [(k.decode("latin-1"), v.decode("latin-1")) for k, values in response.headers.items()
                     for v in values], protocol="HTTP/1.1")
        response_record = writer.create_warc_record(
            target, "response", payload=BytesIO(response.body), http_headers=response_headers,
            warc_headers_dict=dict(fields))
        writer.write_record(response_record)
        request_record.rec_headers.add_header("WARC-Concurrent-To",
                                              response_record.rec_headers.get_header("WARC-Record-ID"))
        writer.write_record(request_record)


def _path_of(url) -> str:
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def page_kind(request) -> str:
    meta = request.meta
    if meta.get("listing"):
        return "listing"
    if meta.get("continuation_of"):
        return "continuation"
    callback = getattr(request.callback, "__name__", "")
    return "article" if callback == "parse_article" else "other"


class WarcArchiveMiddleware:
    def __init__(self, directory: Path, stem: str, max_bytes: int):
        self.directory, self.stem, self.max_bytes = directory, stem, max_bytes
        self.archive = None

    @classmethod
    def from_crawler(cls, crawler):
        directory = warc_dir(crawler.settings)
        if directory is None:
            raise NotConfigured("the WARC archive is off")
        crawl_id = crawler.settings.get("AGGREGATOR_CRAWL_ID")
        stem = str(crawl_id) if crawl_id else "scrapy-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        middleware = cls(directory, stem, crawler.settings.getint("AGGREGATOR_WARC_MAX_BYTES"))
        middleware.crawler = crawler
        crawler.signals.connect(middleware.spider_opened, signal=scrapy_signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=scrapy_signals.spider_closed)
        return middleware

    def spider_opened(self, spider):
        self.archive = ArchiveFile.acquire(self.directory, self.stem, self.max_bytes)

    def spider_closed(self, spider):
        if self.archive is not None:
            self.archive.release()
            self.archive = None

    def process_response(self, request, response, spider=None):
        if self.archive is None or request.meta.get("dont_obey_robotstxt"):
            return response  # robots.txt is not a page of the site
        spider = spider or self.crawler.spider
        meta = request.meta
        extra = {"Aggregator-Site": spider.name, "Aggregator-Page": page_kind(request),
                 "Aggregator-Article": meta.get("continuation_of"),
                 "Aggregator-Section": quote(meta["section"]) if meta.get("section") else None,
                 "Aggregator-Listing-Date": quote(meta["listing_date"]) if meta.get("listing_date") else None}
        try:
            self.archive.write(request, response, extra)
        except OSError as exc:  # a full disk must not stop the crawl; the log says so
            logger.error("could not archive %s: %s", response.url, exc)
        return response
