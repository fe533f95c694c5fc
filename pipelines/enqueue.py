"""`aggregator crawl --redis`: items, rejects and articles seen again go to the writer's Redis
queue (aggregator.item_queue) instead of the database, for `aggregator ingest` to store.

With AGGREGATOR_EXTRACT_IN_CRAWLER (the default) this is the last of the crawl's pipelines
after extract ... dedup: the message carries the article's fields (`processed`), a page those
pipelines dropped goes as a reject with their reason, and the writer only stores. Without, it
is the only pipeline: the item keeps its raw page and the writer runs every pipeline."""
from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy import signals as scrapy_signals
from scrapy.exceptions import NotConfigured

from aggregator import signals
from aggregator.item_queue import ItemQueue


class EnqueuePipeline:
    def __init__(self, queue, run, stats=None, processed=True):
        self.queue, self.run, self.stats, self.processed = queue, run, stats, processed

    @classmethod
    def from_crawler(cls, crawler):
        import redis

        settings = crawler.settings
        if not settings.get("AGGREGATOR_REDIS_URL") or not settings.get("AGGREGATOR_REDIS_RUN"):
            raise NotConfigured("AGGREGATOR_REDIS_URL / AGGREGATOR_REDIS_RUN are not set (aggregator crawl --redis)")
        pipeline = cls(ItemQueue(redis.Redis.from_url(settings.get("AGGREGATOR_REDIS_URL"))),
                       settings.get("AGGREGATOR_REDIS_RUN"), crawler.stats,
                       processed=settings.getbool("AGGREGATOR_EXTRACT_IN_CRAWLER"))
        crawler.signals.connect(pipeline.item_dropped, signal=scrapy_signals.item_dropped)
        crawler.signals.connect(pipeline.page_rejected, signal=signals.page_rejected)
        crawler.signals.connect(pipeline.article_seen, signal=signals.article_seen)
        return pipeline

    def _push(self, message):
        self.queue.push(dict(message, run=self.run))
        if self.stats is not None:
            self.stats.inc_value("aggregator/messages_queued")

    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        self._push({"kind": "item", "site": adapter.get("site"), "item": adapter.asdict(),
                    "processed": self.processed})
        if self.stats is not None:
            self.stats.inc_value("aggregator/items_queued")
        return item

    def item_dropped(self, item, response, exception, spider):
        adapter = ItemAdapter(item)
        self.page_rejected(adapter.get("url"), adapter.get("site") or spider.name, str(exception) or "dropped")

    def page_rejected(self, url, site, reason, detail=None):
        self._push({"kind": "reject", "site": site, "url": url, "reason": reason, "detail": detail})

    def article_seen(self, url, site):
        self._push({"kind": "seen", "site": site, "url": url})
