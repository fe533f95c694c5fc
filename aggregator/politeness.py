"""Politeness across processes: per-site concurrency and delay held in Redis.

GlobalPolitenessMiddleware (downloader, last before the download handler): before a request
goes out it takes one of the site's CONCURRENT_REQUESTS_PER_DOMAIN slots *over every crawler
process of the run* and respects DOWNLOAD_DELAY between any two of the site's requests,
whichever process sends them; the slot is given back when the answer (or the error) comes.
Each process's own Scrapy slot still applies on top (it can only make a process slower).

Both live under `aggregator:polite:<host>`: a sorted set of the slots held (member: worker and
request, score: lease expiry) and the earliest time the next request may start. Times are
Redis's clock. A process killed while holding slots stops renewing their leases (every
heartbeat), so they expire after WORKER_TTL instead of blocking the site.
"""
from __future__ import annotations

import asyncio

from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import task

from aggregator import distributed

# 0: the slot is taken; otherwise how many ms to wait before asking again
_ACQUIRE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return -1 end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nxt > now then return nxt - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
redis.call('SET', KEYS[2], now + tonumber(ARGV[2]), 'PX', tonumber(ARGV[2]) + 1000)
return 0
"""
# a full site is asked again after this long (seconds)
FULL_POLL = 0.025
META = "aggregator_polite_slot"


class GlobalPolitenessMiddleware:
    def __init__(self, client, worker, concurrency, delay):
        self.client, self.worker = client, worker
        self.concurrency, self.delay_ms = max(1, concurrency), int(delay * 1000)
        self.lease_ms = int(distributed.WORKER_TTL * 1000)
        self.held: dict = {}  # member -> host
        self.count = 0
        self.loop = task.LoopingCall(self.renew)

    @classmethod
    def from_crawler(cls, crawler):
        import redis

        settings = crawler.settings
        if not settings.get("AGGREGATOR_REDIS_URL"):
            raise NotConfigured("AGGREGATOR_REDIS_URL is not set")
        return cls(redis.Redis.from_url(settings.get("AGGREGATOR_REDIS_URL")), settings.get("AGGREGATOR_REDIS_WORKER"),
                   settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), settings.getfloat("DOWNLOAD_DELAY"))

    @staticmethod
    def keys(host):
        return f"aggregator:polite:{host}:held", f"aggregator:polite:{host}:next"

    async def process_request(self, request, spider=None):
        host = urlparse_cached(request).hostname or ""
        self.count += 1
        member = f"{self.worker}#{self.count}"
        held, nxt = self.keys(host)
        while True:
            wait = self.client.eval(_ACQUIRE, 2, held, nxt, self.concurrency, self.delay_ms, member, self.lease_ms)
            if wait == 0:
                break
            await asyncio.sleep(FULL_POLL if wait < 0 else wait / 1000)
        request.meta[META] = member
        self.held[member] = host
        if not self.loop.running:
            self.loop.start(distributed.HEARTBEAT, now=False)
        return None

    def release(self, request):
        member = request.meta.pop(META, None)
        host = self.held.pop(member, None)
        if host is not None:
            self.client.zrem(self.keys(host)[0], member)

    def process_response(self, request, response, spider=None):
        self.release(request)
        return response

    def process_exception(self, request, exception, spider=None):
        self.release(request)
        return None

    def renew(self):
        if not self.held:
            return
        expiry = distributed.server_ms(self.client) + self.lease_ms
        pipe = self.client.pipeline()
        for member, host in self.held.items():
            pipe.zadd(self.keys(host)[0], {member: expiry}, xx=True)
        pipe.execute()
