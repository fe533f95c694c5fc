"""The single writer: articles into SQLite (aggregator.store), every drop and failed
fetch into `rejects`, one `crawls` row per run with Scrapy's stats."""
from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy import signals as scrapy_signals
from scrapy.exceptions import NotConfigured

from aggregator import health, signals
from aggregator.health import reason_key
from aggregator.store import Store
from aggregator.urls import canonical_url

logger = logging.getLogger(__name__)


class _Writers:
    """The one Store per database file that the crawlers of this process share while they run
    (`aggregator crawl` runs every site's spider in one process, on the reactor's one thread:
    with a connection each, one's open transaction would lock the others out), with its
    transactions committed at most `commit_seconds` apart (Store.bulk) when that is > 0."""

    def __init__(self):
        self.open = {}  # resolved path: {"store", "users", "bulk"}

    def acquire(self, path, commit_seconds) -> Store:
        key = str(Path(path).resolve())
        entry = self.open.get(key)
        if entry is None:
            entry = self.open[key] = {"store": Store(path), "users": 0, "bulk": contextlib.ExitStack()}
            if commit_seconds > 0:
                entry["bulk"].enter_context(entry["store"].bulk(seconds=commit_seconds))
        entry["users"] += 1
        return entry["store"]

    def release(self, store) -> None:
        """One crawler is done with `store`: the last one commits what is pending and closes it."""
        for key, entry in list(self.open.items()):
            if entry["store"] is store:
                entry["users"] -= 1
                if entry["users"] == 0:
                    del self.open[key]
                    entry["bulk"].close()
                    store.close()
                return
        store.close()  # a store of its own


_WRITERS = _Writers()


class StorePipeline:
    def __init__(self, db_path, *, crawl_id=None, stats=None, commit_seconds=0, shared=False):
        """shared: the process's one Store of this database (_Writers), for crawlers, with
        commits at most commit_seconds (or 500 articles) apart when that is > 0; otherwise a
        Store of its own with one transaction per article (`aggregator import` opens its own
        Store.bulk)."""
        if not db_path:
            raise NotConfigured("AGGREGATOR_DB is empty")
        self.store = _WRITERS.acquire(db_path, commit_seconds) if shared else Store(db_path)
        self.own_crawl = crawl_id is None
        self.crawl_id = crawl_id
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.settings.get("AGGREGATOR_DB"),
                       crawl_id=crawler.settings.getint("AGGREGATOR_CRAWL_ID") or None,
                       stats=crawler.stats, commit_seconds=crawler.settings.getfloat("AGGREGATOR_COMMIT_SECONDS"),
                       shared=True)
        crawler.signals.connect(pipeline.item_dropped, signal=scrapy_signals.item_dropped)
        crawler.signals.connect(pipeline.page_rejected, signal=signals.page_rejected)
        crawler.signals.connect(pipeline.article_seen, signal=signals.article_seen)
        crawler.signals.connect(pipeline.validators_seen, signal=signals.validators_seen)
        crawler.signals.connect(pipeline.article_removed, signal=signals.article_removed)
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self, spider=None):
        # Scrapy >= 2.14 calls this without the spider
        spider = spider or getattr(getattr(self, "crawler", None), "spider", None)
        if spider is not None:
            self.store.sync_sites([spider.registry_row()])
            if self.own_crawl:
                self.crawl_id = self.store.start_crawl([spider.name])

    def close_spider(self, spider=None):
        # `scrapy crawl` (no crawl id given): this pipeline records the run and the site's health;
        # `aggregator crawl` does both itself once every site has finished
        spider = spider or getattr(getattr(self, "crawler", None), "spider", None)
        if self.own_crawl and self.crawl_id is not None and self.stats is not None:
            stats = self.stats.get_stats()
            status, _ = health.record(self.store, self.crawl_id, spider.name, stats)
            self.store.finish_crawl(self.crawl_id, status="finished" if status == "ok" else "partial"
                                    if status == "degraded" else "failed",
                                    counts=crawl_counts([stats]), stats=stats)
        _WRITERS.release(self.store)

    def _inc(self, key):
        if self.stats is not None:
            self.stats.inc_value(f"aggregator/{key}")

    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        try:
            article_id, status = self.store.upsert_article(adapter.asdict(), crawl_id=self.crawl_id)
        except Exception as exc:  # noqa: BLE001 - one bad item must not stop the crawl
            logger.exception("could not store %s", adapter.get("url"))
            self.reject(adapter.get("url"), adapter.get("site"), f"store error: {type(exc).__name__}", str(exc))
            return item
        self.store.resolve_reject(adapter.get("url"), adapter.get("site"))
        if status != "new":
            self.store.restore(article_id)
        self._inc(f"articles_{status}")
        if status == "new":
            self._count_coverage(adapter)
        return item

    def _count_coverage(self, adapter):
        """Which fields a new article came with: the site's field coverage in site_runs."""
        present = {
            "title": bool(adapter.get("title")),
            "minute": adapter.get("published_precision") in ("minute", "second"),
            "people": bool(adapter.get("people")),
            "source": bool(adapter.get("source")),
        }
        for field, found in present.items():
            if found:
                self._inc(f"new_with_{field}")

    def reject(self, url, site, reason, detail=None, listing=False):
        logger.info("rejected %s: %s", url, reason)
        self.store.add_reject(url=url, site=site, reason=reason, crawl_id=self.crawl_id, detail=detail,
                              listing=listing)
        self._inc("rejects")
        self._inc(f"reject_reason/{reason_key(reason)}")

    # signal handlers ------------------------------------------------------
    def item_dropped(self, item, response, exception, spider):
        adapter = ItemAdapter(item)
        self.reject(adapter.get("url"), adapter.get("site") or spider.name, str(exception) or "dropped")

    def page_rejected(self, url, site, reason, detail=None, listing=False):
        self.reject(url, site, reason, detail, listing)

    def article_removed(self, url, site):
        logger.info("removed %s: it answers 404/410 now", url)
        self.store.mark_removed(url, crawl_id=self.crawl_id)

    def validators_seen(self, url, site, etag, last_modified):
        self.store.save_validators(url, site, etag, last_modified)

    def article_seen(self, url, site):
        self.store.touch(url, crawl_id=self.crawl_id)
        self.store.restore(self.store.find_article(canonical_url(url) or url))
        self._inc("articles_unchanged")


def crawl_counts(all_stats) -> dict:
    """The `crawls` row's counters, summed over the stats of each spider of a run."""
    def total(key):
        return sum(int(stats.get(key, 0) or 0) for stats in all_stats)
    return {
        "pages_fetched": total("downloader/response_count"),
        "articles_new": total("aggregator/articles_new"),
        "articles_updated": total("aggregator/articles_updated"),
        "articles_unchanged": total("aggregator/articles_unchanged"),
        "duplicates": total("aggregator/articles_duplicate"),
        "rejects": total("aggregator/rejects"),
        # exceptions raised in spider callbacks (a page that failed to fetch is a reject, not an error)
        "errors": sum(int(value or 0) for stats in all_stats for key, value in stats.items()
                      if key.startswith("spider_exceptions/")),
    }
