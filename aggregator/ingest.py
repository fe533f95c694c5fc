"""`aggregator ingest`: the single writer of a Redis crawl. It takes the crawlers' messages
from the reliable queue (aggregator.item_queue) in batches, stores each item through the
crawl's own pipelines (aggregator.importer.item_pipelines: extract, clean, normalize, dedup,
store; only the store for an item the crawler processed already), commits, and only then acknowledges the batch: killing the writer loses nothing, and as
storing is idempotent, a batch stored again after a kill adds nothing.

    run_ingest(redis_url, db_path, *, until_idle=None, batch=200, on_run=None) -> IngestResult

Messages: item (an article's fields, extracted by the crawler, or its raw page for the writer
to extract: AGGREGATOR_EXTRACT_IN_CRAWLER), reject, seen (a known article listed
again), end (the last crawler of a run left: record each site's health for the whole run,
summed over every process's stats, and finish its `crawls` row). The writer also publishes
the canonical URL of every article it stores to `aggregator:known:<site>`, which every
crawler reads when it starts, so known articles are skipped across processes and machines.
"""
from __future__ import annotations

import signal
import time
from dataclasses import dataclass, field

from aggregator import distributed, health
from aggregator.importer import item_pipelines, run_pipelines
from aggregator.item_queue import ItemQueue, decode
from aggregator.items import ArticleItem
from aggregator.sites import site_classes

_FIELDS = set(ArticleItem.fields)
_KNOWN_CHUNK = 5000


class Counters:
    """The store pipeline's stats (articles new, rejects by reason ...) for one site of one run:
    the same keys a local crawl counts, kept until the batch is committed."""

    def __init__(self):
        self.values: dict = {}

    def inc_value(self, key, count=1, start=0):
        self.values[key] = self.values.get(key, start) + count

    def get_value(self, key, default=None):
        return self.values.get(key, default)


@dataclass
class IngestResult:
    messages: int = 0
    items: int = 0
    runs: list = field(default_factory=list)  # CrawlResult of each run finished
    busy_seconds: float = 0.0
    recovered: int = 0

    @property
    def rate(self) -> float:
        return self.messages / self.busy_seconds if self.busy_seconds else 0.0


class Writer:
    def __init__(self, client, db_path):
        self.client = client
        self.queue = ItemQueue(client)
        self.chain = item_pipelines(db_path)
        self.store_pipeline = self.chain[-1]
        self.store = self.store_pipeline.store
        self.crawl_ids: dict = {}
        self.registered = {cls.name: cls for cls in site_classes(include_demo=True)}
        self.synced: set = set()
        self.pending: dict = {}   # (run, site) -> Counters, flushed to Redis with the ack
        self.known: dict = {}     # site -> canonical URLs stored in this batch

    # runs and sites ---------------------------------------------------------------------
    def crawl_id(self, run) -> int:
        """The `crawls` row of a run: made by the first message of the run, kept in Redis so a
        restarted writer goes on with the same row."""
        if run in self.crawl_ids:
            return self.crawl_ids[run]
        known = self.client.hget(distributed.CRAWL_IDS_KEY, run)
        if known is not None:
            crawl_id = int(known)
            # the new writer's lock marked it interrupted: the run goes on
            self.store.db.execute("update crawls set status = 'running', finished_at = null "
                                  "where id = ? and status = 'interrupted'", [crawl_id])
        else:
            crawl_id = self.store.start_crawl([f"redis run {run}:"] + distributed.run_sites(self.client, run))
            self.client.hset(distributed.CRAWL_IDS_KEY, run, crawl_id)
        self.crawl_ids[run] = crawl_id
        return crawl_id

    def sync_site(self, site):
        if site in self.synced:
            return
        if site in self.registered and not self.store.db["sites"].count_where("name = ?", [site]):
            self.store.sync_sites([self.registered[site].registry_row()])
        self.synced.add(site)

    def counters(self, run, site) -> Counters:
        return self.pending.setdefault((run, site), Counters())

    # one message ------------------------------------------------------------------------
    def handle(self, message):
        kind, run, site = message.get("kind"), str(message.get("run")), message.get("site")
        pipeline = self.store_pipeline
        pipeline.crawl_id = self.crawl_id(run)
        pipeline.stats = self.counters(run, site)
        if site:
            self.sync_site(site)
        if kind == "item":
            item = ArticleItem({k: v for k, v in (message.get("item") or {}).items() if k in _FIELDS})
            # a processed item went through extract ... dedup in the crawler already
            item, reason = (item, None) if message.get("processed") else run_pipelines(self.chain[:-1], item)
            if reason:
                pipeline.reject(message["item"].get("url"), site, reason)
                return
            pipeline.process_item(item)
            self.known.setdefault(site, set()).add(item.get("canonical_url") or item.get("url"))
        elif kind == "reject":
            pipeline.reject(message.get("url"), site, message.get("reason") or "rejected", message.get("detail"))
        elif kind == "seen":
            pipeline.article_seen(message.get("url"), site)
        else:
            pipeline.reject(f"redis:{self.queue.key}", site, f"unknown queue message kind {kind!r}")

    def store_batch(self, raws) -> list:
        """Store a batch in one transaction; returns the runs that ended in it."""
        ended = []
        with self.store.bulk(every=len(raws) + 1):
            for raw in raws:
                message = decode(raw)
                if message is None:
                    self.store_pipeline.crawl_id, self.store_pipeline.stats = None, None
                    self.store_pipeline.reject(f"redis:{self.queue.key}", None, "unreadable queue message",
                                               raw[:300].decode("utf-8", "replace"))
                elif message.get("kind") == "end":
                    ended.append(str(message.get("run")))
                else:
                    self.handle(message)
        return ended

    def flush_counters(self):
        """After the commit: the batch's counters and known URLs into Redis (one transaction)."""
        pipe = self.client.pipeline(transaction=True)
        for (run, site), counters in self.pending.items():
            for key, value in counters.values.items():
                pipe.hincrby(f"{distributed.run_prefix(run)}stored:{site}", key, value)
        for site, urls in self.known.items():
            pipe.sadd(distributed.known_key(site), *urls)
        pipe.execute()
        self.pending, self.known = {}, {}

    # the end of a run ------------------------------------------------------------------
    def finish_run(self, run):
        from aggregator.crawl import CrawlResult
        from pipelines.store import crawl_counts

        crawl_id = self.crawl_id(run)
        status = self.store.db.execute("select status from crawls where id = ?", [crawl_id]).fetchone()
        if status and status[0] not in ("running", "interrupted"):
            return None  # recorded before a kill, acknowledged after: nothing to do again
        snapshots = distributed.stats_snapshots(self.client, run)
        sites = sorted(set(distributed.run_sites(self.client, run)) | set(snapshots))
        merged = {site: merge_stats(snapshots.get(site, []) + [self._stored(run, site)]) for site in sites}
        result = CrawlResult(crawl_id, crawl_counts(list(merged.values())))
        for site, stats in merged.items():
            result.sites[site] = health.record(self.store, crawl_id, site, stats)
        self.store.finish_crawl(crawl_id, status=result.status, counts=result.counts, stats=merged)
        distributed.drop_run(self.client, run)
        self.crawl_ids.pop(run, None)
        return result

    def _stored(self, run, site) -> dict:
        raw = self.client.hgetall(f"{distributed.run_prefix(run)}stored:{site}")
        return {k.decode(): int(v) for k, v in raw.items()}

    def publish_known(self):
        """Every stored article's canonical URL into the Redis sets, for sites whose set is missing."""
        rows = self.store.db.execute("select site, canonical_url from articles order by site")
        missing: dict = {}
        for site, url in rows:
            if site not in missing:
                missing[site] = not self.client.exists(distributed.known_key(site))
            if missing[site] and url:
                self.known.setdefault(site, set()).add(url)
        for site, urls in self.known.items():
            urls = list(urls)
            for start in range(0, len(urls), _KNOWN_CHUNK):
                self.client.sadd(distributed.known_key(site), *urls[start:start + _KNOWN_CHUNK])
        self.known = {}

    def close(self):
        self.store.close()


def merge_stats(all_stats) -> dict:
    """Stats of one site from several processes (and the writer): numbers summed, the rest
    from the first that has it; the run stopped early if any process did."""
    merged: dict = {}
    for stats in all_stats:
        for key, value in stats.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                merged[key] = merged.get(key, 0) + value
            elif isinstance(value, dict) and isinstance(merged.get(key, {}), dict):
                merged[key] = {**merged.get(key, {}), **value}
            else:
                merged.setdefault(key, value)
    reasons = {stats.get("finish_reason") for stats in all_stats if stats.get("finish_reason")}
    if reasons:
        merged["finish_reason"] = "shutdown" if "shutdown" in reasons else sorted(reasons)[0]
    return merged


def run_ingest(redis_url, db_path, *, until_idle=None, batch=200, on_run=None) -> IngestResult:
    """Store what the crawlers queue until SIGTERM/Ctrl-C, or until the queue has been empty
    for `until_idle` seconds. The caller holds the database's writer lock."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.ping()
    writer = Writer(client, db_path)
    result = IngestResult(recovered=writer.queue.recover())
    stopping = []
    previous = signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        writer.publish_known()
        idle_since = time.monotonic()
        while not stopping:
            raws = writer.queue.take(batch, timeout=0.5)
            if not raws:
                if until_idle is not None and time.monotonic() - idle_since >= until_idle:
                    break
                continue
            started = time.monotonic()
            ended = writer.store_batch(raws)
            writer.flush_counters()
            for run in ended:
                finished = writer.finish_run(run)
                if finished is not None:
                    result.runs.append(finished)
                    if on_run:
                        on_run(finished)
            # only now, with everything committed, does the batch leave the queue
            writer.queue.ack()
            result.busy_seconds += time.monotonic() - started
            result.messages += len(raws)
            idle_since = time.monotonic()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        writer.close()
    return result
