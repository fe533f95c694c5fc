"""The shared frontier: scrapy-redis's scheduler and dupefilter, made safe against losing a worker.

ReliablePriorityQueue (scrapy-redis queue): a request leaves the run's queue and enters the
    worker's in-flight hash in one atomic step (a Lua script), so a process killed while it
    fetches or parses loses nothing; a Response held in a request's cb_kwargs (the pages of
    a multi-page article) travels as a picklable snapshot.
ReliableScheduler (scrapy-redis scheduler): drops a request from the in-flight hash once the
    engine has finished with it (downloaded, parsed, its items queued and its follow-up
    requests scheduled); on spider_idle re-queues what dead workers held, and closes the
    spider only once the site's frontier (queue and every worker's in-flight requests) has
    been empty for AGGREGATOR_IDLE_EXIT seconds.
RedisDupeFilter (scrapy-redis dupefilter): a redirect it stops is a reject, as in a local crawl.
SeedOnce (spider middleware): the start URLs are queued by the first process of a run only,
    so seeding twice is harmless.
WorkerReport (extension): the worker's heartbeat, its stats for the writer, and the known
    URLs the writer published (the incremental rule holds across processes).
"""
from __future__ import annotations

import logging
import pickle
import time

from scrapy import signals as scrapy_signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from aggregator import distributed
from aggregator.middlewares import reject_stopped_redirect

logger = logging.getLogger(__name__)

# pop the best request into the worker's in-flight hash; the field keeps its score (priority)
_POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
local field = ARGV[1] .. ':' .. r[2]
redis.call('HSET', KEYS[2], field, r[1])
return {field, r[1]}
"""
# put every request of an in-flight hash back in the queue, with its score
_REQUEUE = """
local e = redis.call('HGETALL', KEYS[1])
for j = 1, #e, 2 do
  local score = string.match(e[j], ':([^:]*)$')
  redis.call('ZADD', KEYS[2], score, e[j + 1])
end
redis.call('DEL', KEYS[1])
return #e / 2
"""
_SNAPSHOT = "__aggregator_response__"


def _picklable(value) -> bool:
    try:
        pickle.dumps(value)
    except Exception:  # noqa: BLE001 - whatever pickle refuses stays behind
        return False
    return True


def snapshot(value):
    """Responses inside cb_kwargs values (lists of them too) as plain dicts."""
    if isinstance(value, Response):
        meta = {k: v for k, v in (value.meta if value.request is not None else {}).items() if _picklable(v)}
        return {_SNAPSHOT: {"url": value.url, "status": value.status, "body": value.body, "meta": meta,
                            "headers": {k: list(v) for k, v in value.headers.items()}}}
    if isinstance(value, list):
        return [snapshot(v) for v in value]
    return value


def restore(value):
    if isinstance(value, dict) and _SNAPSHOT in value:
        data = value[_SNAPSHOT]
        headers = Headers(data["headers"])
        cls = responsetypes.from_args(headers=headers, url=data["url"], body=data["body"])
        return cls(data["url"], status=data["status"], headers=headers, body=data["body"],
                   request=Request(data["url"], meta=data["meta"]))
    if isinstance(value, list):
        return [restore(v) for v in value]
    return value


class ReliablePriorityQueue(PriorityQueue):
    def _encode_request(self, request):
        if request.cb_kwargs:
            request = request.replace(cb_kwargs={k: snapshot(v) for k, v in request.cb_kwargs.items()})
        return super()._encode_request(request)

    def _decode_request(self, encoded_request):
        request = super()._decode_request(encoded_request)
        if request.cb_kwargs:
            request = request.replace(cb_kwargs={k: restore(v) for k, v in request.cb_kwargs.items()})
        return request

    def pop_into(self, inflight_key, token):
        """(field, request) moved from the queue into the in-flight hash, or None when empty."""
        got = self.server.eval(_POP, 2, self.key, inflight_key, token)
        if not got:
            return None
        field = got[0].decode()
        try:
            return field, self._decode_request(got[1])
        except Exception:  # noqa: BLE001 - one unreadable entry must not stop the crawl
            logger.exception("dropped an unreadable request from %s", self.key)
            self.server.hdel(inflight_key, field)
            return field, None

    def requeue(self, inflight_key) -> int:
        return self.server.eval(_REQUEUE, 2, inflight_key, self.key)


class ReliableScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.get("AGGREGATOR_REDIS_RUN"):
            raise NotConfigured("AGGREGATOR_REDIS_RUN is not set (aggregator crawl --redis sets it)")
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.run = settings.get("AGGREGATOR_REDIS_RUN")
        scheduler.worker = settings.get("AGGREGATOR_REDIS_WORKER")
        scheduler.idle_exit = settings.getfloat("AGGREGATOR_IDLE_EXIT")
        scheduler.held = {}
        scheduler.tokens = 0
        scheduler.idle_since = None
        crawler.signals.connect(scheduler.spider_idle, signal=scrapy_signals.spider_idle)
        return scheduler

    def open(self, spider):
        super().open(spider)
        self.inflight_key = distributed.inflight_key(self.run, spider.name, self.worker)
        self.inflight_prefix = distributed.inflight_key(self.run, spider.name, "")

    def next_request(self):
        self.sweep()
        self.tokens += 1
        got = self.queue.pop_into(self.inflight_key, f"{self.worker}#{self.tokens}")
        if got is None:
            return None
        field, request = got
        if request is None:
            if self.stats:
                self.stats.inc_value("aggregator/unreadable_requests")
            return None
        self.held[field] = request
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _in_progress(self) -> set:
        # the engine's own record of the requests it is downloading or whose callbacks run
        slot = getattr(self.crawler.engine, "_slot", None) or getattr(self.crawler.engine, "slot", None)
        return slot.inprogress if slot is not None else set()

    def sweep(self):
        """Forget (in Redis too) the requests the engine has finished with."""
        if not self.held:
            return
        busy = self._in_progress()
        done = [f for f, request in self.held.items() if request not in busy]
        if done:
            # with the stats that count them: what a killed worker finished is counted once
            # (from here), what it had not finished is fetched and counted by another
            pipe = self.server.pipeline(transaction=True)
            pipe.hdel(self.inflight_key, *done)
            distributed.report_stats(pipe, self.run, self.worker, self.spider.name, self.stats.get_stats())
            pipe.execute()
            for f in done:
                del self.held[f]

    def reclaim_dead(self) -> int:
        """Re-queue the requests of workers whose heartbeat expired."""
        now = distributed.server_ms(self.server)
        moved = 0
        for worker, expiry in self.server.hgetall(distributed.run_prefix(self.run) + "workers").items():
            if int(expiry) < now:
                moved += self.queue.requeue(self.inflight_prefix + worker.decode())
        if moved:
            logger.warning("re-queued %d requests of dead workers for %s", moved, self.spider.name)
            if self.stats:
                self.stats.inc_value("aggregator/requests_reclaimed", moved)
        return moved

    def frontier_size(self) -> int:
        size = len(self.queue)
        for key in self.server.scan_iter(match=self.inflight_prefix + "*"):
            size += self.server.hlen(key)
        return size

    def spider_idle(self, spider):
        """Keep the spider open while the shared frontier has work (another process may still
        add requests, or die and leave its requests here), and for idle_exit seconds after."""
        self.sweep()
        # idle: nothing of ours is in progress, so anything left under our name is stale
        stale = [f for f in self.server.hkeys(self.inflight_key) if f.decode() not in self.held]
        if stale:
            logger.warning("%s: %d in-flight entries had no request in progress", spider.name, len(stale))
            self.server.hdel(self.inflight_key, *stale)
        self.reclaim_dead()
        if self.frontier_size():
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_exit:
            raise DontCloseSpider

    def close(self, reason):
        # a graceful stop (SIGTERM) gives back what it had not finished, for the others
        self.sweep()
        if self.held:
            self.queue.requeue(self.inflight_key)
            self.held.clear()
        super().close(reason)


class RedisDupeFilter(RFPDupeFilter):
    @classmethod
    def from_spider(cls, spider):
        dupefilter = super().from_spider(spider)
        dupefilter.crawler = spider.crawler
        return dupefilter

    def log(self, request, spider):
        super().log(request, spider)
        reject_stopped_redirect(getattr(self, "crawler", None), request, spider)


class SeedOnce:
    """The start requests of a site are queued once per run, by whichever process comes first."""

    def __init__(self, client, run):
        self.client, self.run = client, run

    @classmethod
    def from_crawler(cls, crawler):
        import redis

        if not crawler.settings.get("AGGREGATOR_REDIS_RUN"):
            raise NotConfigured
        middleware = cls(redis.Redis.from_url(crawler.settings.get("AGGREGATOR_REDIS_URL")),
                         crawler.settings.get("AGGREGATOR_REDIS_RUN"))
        middleware.crawler = crawler
        return middleware

    async def process_start(self, start):
        name = self.crawler.spider.name
        if not self.client.sadd(distributed.run_prefix(self.run) + "seeded", name):
            logger.info("%s: start URLs already queued in run %s", name, self.run)
            return
        async for request in start:
            yield request


class WorkerReport:
    """Heartbeat (so the others know this worker lives), this worker's stats under the run
    (the writer sums them per site), and the writer's known URLs on the spider."""

    def __init__(self, client, run, worker, skip_known):
        self.client, self.run, self.worker, self.skip_known = client, run, worker, skip_known
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        import redis

        settings = crawler.settings
        if not settings.get("AGGREGATOR_REDIS_RUN"):
            raise NotConfigured
        report = cls(redis.Redis.from_url(settings.get("AGGREGATOR_REDIS_URL")), settings.get("AGGREGATOR_REDIS_RUN"),
                     settings.get("AGGREGATOR_REDIS_WORKER"), settings.getbool("AGGREGATOR_SKIP_KNOWN"))
        report.crawler = crawler
        crawler.signals.connect(report.spider_opened, signal=scrapy_signals.spider_opened)
        crawler.signals.connect(report.spider_closed, signal=scrapy_signals.spider_closed)
        return report

    def spider_opened(self, spider):
        if self.skip_known:
            spider.known_urls = {url.decode() for url in self.client.smembers(distributed.known_key(spider.name))}
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(distributed.HEARTBEAT, now=True)

    def beat(self):
        try:
            distributed.heartbeat(self.client, self.run, self.worker)
            self.report()
        except Exception:  # noqa: BLE001 - a Redis hiccup must not stop the crawl; next beat retries
            logger.exception("heartbeat to Redis failed")

    def report(self):
        distributed.report_stats(self.client, self.run, self.worker, self.crawler.spider.name,
                                 self.crawler.stats.get_stats())

    def spider_closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.crawler.stats.set_value("finish_reason", reason)
        self.report()
