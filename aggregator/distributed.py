"""Many crawler processes on one Redis: the run they share, and one crawler process's crawl.

`aggregator crawl SITE... --redis URL` calls run_redis_crawl. A *run* is the crawl the
processes share (the `crawls` row the writer keeps for it): the first process to arrive
opens it (`aggregator:run` holds its id), later ones join it, and the last one to leave
closes it and queues an "end" message behind every item, so the writer records each site's
health for the run as a whole (summed over the processes) and finishes the `crawls` row.

Everything a run keeps lives under `aggregator:run:<id>:`:
    workers              hash worker -> heartbeat expiry (Redis server time, ms)
    sites                set of the sites crawled
    seeded               set of the sites whose start URLs were queued (once per run)
    <site>:requests      scrapy-redis's request queue (a sorted set)
    <site>:dupefilter    scrapy-redis's fingerprints
    inflight:<site>:<worker>  requests a worker took and has not finished (aggregator.frontier)
    stats                hash "<worker>|<site>" -> that process's Scrapy stats (JSON)
    stored:<site>        the writer's counters (articles new, rejects by reason ...)
and `aggregator:known:<site>` holds the canonical URLs the writer has stored, so every
process skips known articles without reading the database.
"""
from __future__ import annotations

import json
import os
import socket
import time
import uuid
from dataclasses import dataclass, field

RUN_KEY = "aggregator:run"
SEQ_KEY = "aggregator:run:seq"
CRAWL_IDS_KEY = "aggregator:crawl_ids"
# a worker that has not refreshed its heartbeat for this long is dead: its requests are re-queued
WORKER_TTL = 10.0
HEARTBEAT = 2.0


def run_prefix(run) -> str:
    return f"aggregator:run:{run}:"


def known_key(site) -> str:
    return f"aggregator:known:{site}"


def inflight_key(run, site, worker) -> str:
    return f"{run_prefix(run)}inflight:{site}:{worker}"


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def server_ms(client) -> int:
    """Redis's clock in ms: every machine's workers compare heartbeats on one clock."""
    seconds, micros = client.time()
    return seconds * 1000 + micros // 1000


# the run's lifecycle ------------------------------------------------------------------------
# join: open the current run if there is none, register the worker, add the sites; atomic, so
# two processes starting together land in the same run
_JOIN = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local run = redis.call('GET', KEYS[1])
if not run then
  run = tostring(redis.call('INCR', KEYS[2]))
  redis.call('SET', KEYS[1], run)
end
local p = ARGV[1] .. run .. ':'
redis.call('HSET', p .. 'workers', ARGV[2], now + tonumber(ARGV[3]))
for i = 4, #ARGV do redis.call('SADD', p .. 'sites', ARGV[i]) end
return run
"""
# close: when no registered worker is alive any more, the run is over (once: the process
# that deletes the current-run key queues the end message)
_CLOSE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local w = redis.call('HGETALL', KEYS[2])
for i = 1, #w, 2 do
  if tonumber(w[i + 1]) > now then return 0 end
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return -1
"""


def join_run(client, worker, sites) -> str:
    return client.eval(_JOIN, 2, RUN_KEY, SEQ_KEY, "aggregator:run:", worker,
                       int(WORKER_TTL * 1000), *sites).decode()


def heartbeat(client, run, worker):
    client.hset(run_prefix(run) + "workers", worker, server_ms(client) + int(WORKER_TTL * 1000))


def leave_run(client, run, worker, queue, wait=WORKER_TTL + 1) -> bool:
    """Deregister; when this was the last live worker, close the run and queue its end.
    A worker that died a moment ago still looks alive until its heartbeat expires, so the
    leaver waits up to `wait` seconds for that. True when this process closed the run."""
    workers = run_prefix(run) + "workers"
    client.hdel(workers, worker)
    deadline = time.monotonic() + wait
    while True:
        closed = client.eval(_CLOSE, 2, RUN_KEY, workers, run)
        if closed == 1:
            queue.push({"kind": "end", "run": run})
            return True
        if closed == -1 or time.monotonic() >= deadline:
            return False  # already closed, or another worker is alive and will close it
        time.sleep(0.5)


def run_sites(client, run) -> list[str]:
    return sorted(s.decode() for s in client.smembers(run_prefix(run) + "sites"))


def report_stats(client, run, worker, site, stats):
    """This worker's stats for a site, as the writer will sum them (client may be a pipeline)."""
    client.hset(run_prefix(run) + "stats", f"{worker}|{site}", json.dumps(stats, default=str))


def stats_snapshots(client, run) -> dict:
    """{site: [stats of each process that crawled it]} as the processes last reported them."""
    out: dict = {}
    for key, raw in client.hgetall(run_prefix(run) + "stats").items():
        _, _, site = key.decode().rpartition("|")
        out.setdefault(site, []).append(json.loads(raw))
    return out


def drop_run(client, run):
    """Delete what a finished run kept (the writer calls this once the run is recorded)."""
    keys = list(client.scan_iter(match=run_prefix(run) + "*"))
    if keys:
        client.delete(*keys)
    client.hdel(CRAWL_IDS_KEY, run)


# one crawler process -------------------------------------------------------------------------
def crawler_settings(redis_url, run, worker, idle_exit, extract=True) -> dict:
    """The Scrapy settings that put a crawl on the shared frontier: scrapy-redis's scheduler
    and dupefilter keyed by run, items to the writer's queue instead of the database. With
    `extract` the crawler runs the pipelines up to the store (extract ... dedup: the CPU of
    the crawl, spread over the processes) and the writer only stores; without, the writer
    runs them all on the raw page."""
    from aggregator.sites import project_settings
    from pipelines.store import StorePipeline

    base = project_settings()
    prefix = run_prefix(run)
    pipelines = {"pipelines.enqueue.EnqueuePipeline": 1000}
    if extract:
        pipelines.update({path: order for path, order in base.getdict("ITEM_PIPELINES").items()
                          if path != f"{StorePipeline.__module__}.{StorePipeline.__name__}"})
    return {
        "REDIS_URL": redis_url,
        "SCHEDULER": "aggregator.frontier.ReliableScheduler",
        "SCHEDULER_QUEUE_CLASS": "aggregator.frontier.ReliablePriorityQueue",
        "SCHEDULER_QUEUE_KEY": prefix + "%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": prefix + "%(spider)s:dupefilter",
        "DUPEFILTER_CLASS": "aggregator.frontier.RedisDupeFilter",
        # the frontier outlives each process: the last one leaving closes the run instead
        "SCHEDULER_PERSIST": True,
        "ITEM_PIPELINES": pipelines,
        "DOWNLOADER_MIDDLEWARES": dict(base.getdict("DOWNLOADER_MIDDLEWARES"),
                                       **{"aggregator.politeness.GlobalPolitenessMiddleware": 950}),
        "SPIDER_MIDDLEWARES": dict(base.getdict("SPIDER_MIDDLEWARES"),
                                   **{"aggregator.frontier.SeedOnce": 10}),
        "EXTENSIONS": dict(base.getdict("EXTENSIONS"), **{"aggregator.frontier.WorkerReport": 500}),
        "AGGREGATOR_REDIS_URL": redis_url,
        "AGGREGATOR_REDIS_RUN": run,
        "AGGREGATOR_REDIS_WORKER": worker,
        "AGGREGATOR_IDLE_EXIT": idle_exit,
    }


class RedisAddon:
    """`scrapy crawl SITE -s AGGREGATOR_REDIS_URL=URL` (and so a Scrapyd job) is one crawler of a
    shared run, as `aggregator crawl SITE --redis URL` is: it joins the run before the crawl's
    settings freeze and leaves it when the spider closes. Does nothing without the setting, or
    when `aggregator crawl --redis` has joined already (AGGREGATOR_REDIS_RUN set)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.client = self.run = self.worker = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def update_settings(self, settings):
        url = settings.get("AGGREGATOR_REDIS_URL")
        if not url or settings.get("AGGREGATOR_REDIS_RUN"):
            return
        import redis

        from scrapy import signals as scrapy_signals

        self.client = redis.Redis.from_url(url)
        self.worker = new_worker_id()
        self.run = join_run(self.client, self.worker, [self.crawler.spidercls.name])
        values = crawler_settings(url, self.run, self.worker, settings.getfloat("AGGREGATOR_IDLE_EXIT"),
                                  settings.getbool("AGGREGATOR_EXTRACT_IN_CRAWLER"))
        # above the project's settings, below -s on the command line
        settings.setdict(values, priority="spider")
        self.crawler.signals.connect(self.spider_closed, signal=scrapy_signals.spider_closed)

    def spider_closed(self, spider, reason):
        from aggregator.item_queue import ItemQueue

        leave_run(self.client, self.run, self.worker, ItemQueue(self.client))


@dataclass
class WorkerResult:
    run: str
    worker: str
    sites: list
    # summed over this process's spiders
    pages_fetched: int = 0
    items_queued: int = 0
    messages_queued: int = 0
    closed_run: bool = False
    interrupted: bool = False
    stats: dict = field(default_factory=dict)

    def summary_line(self, seconds) -> str:
        line = (f"crawl run {self.run} worker {self.worker}: {len(self.sites)} sites, "
                f"{self.pages_fetched} pages fetched, {self.items_queued} articles and "
                f"{self.messages_queued - self.items_queued} rejects/seen queued for the writer ({seconds:.1f}s)")
        if self.interrupted:
            line += "; interrupted"
        if self.closed_run:
            line += "; last worker: run closed, the writer records it"
        return line


def run_redis_crawl(names, redis_url, *, idle_exit=10.0, overrides=None, spider_kwargs=None,
                    verbose=False) -> WorkerResult:
    """This process's share of the run on redis_url: join (or open) the run, crawl from the
    shared frontier until it has been empty for idle_exit seconds, leave."""
    import redis
    from scrapy.crawler import CrawlerProcess

    from aggregator.item_queue import ItemQueue
    from aggregator.sites import project_settings

    client = redis.Redis.from_url(redis_url)
    client.ping()
    worker = new_worker_id()
    run = join_run(client, worker, names)
    settings = project_settings()
    settings.setdict({"LOG_LEVEL": "INFO" if verbose else "WARNING", **(overrides or {})}, priority="cmdline")
    # above the project's settings, below -s on the command line
    settings.setdict(crawler_settings(redis_url, run, worker, idle_exit,
                                      settings.getbool("AGGREGATOR_EXTRACT_IN_CRAWLER")), priority="spider")
    process = CrawlerProcess(settings)
    crawlers = []
    try:
        for name in names:
            crawler = process.create_crawler(name)
            process.crawl(crawler, **(spider_kwargs or {}).get(name, {}))
            crawlers.append(crawler)
        process.start()
    finally:
        closed = leave_run(client, run, worker, ItemQueue(client))
    result = WorkerResult(run, worker, list(names), closed_run=closed)
    for name, crawler in zip(names, crawlers):
        stats = crawler.stats.get_stats()
        result.stats[name] = stats
        result.pages_fetched += int(stats.get("downloader/response_count", 0))
        result.items_queued += int(stats.get("aggregator/items_queued", 0))
        result.messages_queued += int(stats.get("aggregator/messages_queued", 0))
        result.interrupted |= stats.get("finish_reason") == "shutdown"
    return result
