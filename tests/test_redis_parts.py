"""The Redis parts one by one, on a real redis-server: the writer's reliable queue, the run's
lifecycle (join, leave, the end message), politeness across processes, and how the writer sums
the processes' stats."""
from __future__ import annotations

import asyncio

import pytest
from scrapy.http import Request

from aggregator import distributed
from aggregator.ingest import merge_stats
from aggregator.item_queue import ItemQueue, decode, encode
from aggregator.politeness import GlobalPolitenessMiddleware
from tests.redis_server import redis_url


@pytest.fixture
def client(tmp_path):
    import redis

    with redis_url(tmp_path) as url:
        yield redis.Redis.from_url(url)


def test_a_batch_taken_and_not_acknowledged_comes_back_in_order(client):
    queue = ItemQueue(client)
    for n in range(5):
        queue.push({"kind": "item", "n": n})
    assert [decode(raw)["n"] for raw in queue.take(3)] == [0, 1, 2]
    # the writer was killed before its commit: the next one recovers the batch first
    assert ItemQueue(client).recover() == 3
    batch = queue.take(10)
    assert [decode(raw)["n"] for raw in batch] == [0, 1, 2, 3, 4]
    queue.ack()
    assert len(queue) == 0 and queue.recover() == 0
    assert queue.take(10, timeout=0.1) == []


@pytest.mark.parametrize("message", [
    {"kind": "item", "item": {"html": b"\xb1\xb1\xc2\xd8 gbk bytes", "continuation_pages": [b"\x00\xff"]}},
    {"kind": "reject", "url": "http://a.example/x", "reason": "http 404", "detail": None},
    {"kind": "item", "item": {"title": "表演我们自己的故事"}},
])
def test_messages_keep_bytes_and_text(message):
    assert decode(encode(message)) == message


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b"\xff\xfe", b""])
def test_a_damaged_entry_is_no_message(raw):
    assert decode(raw) is None


def test_processes_share_one_run_and_the_last_to_leave_closes_it(client):
    queue = ItemQueue(client)
    run = distributed.join_run(client, "w1", ["demo_moe"])
    assert distributed.join_run(client, "w2", ["demo_feed"]) == run
    assert distributed.run_sites(client, run) == ["demo_feed", "demo_moe"]
    assert distributed.leave_run(client, run, "w1", queue, wait=0) is False
    assert distributed.leave_run(client, run, "w2", queue, wait=0) is True
    assert decode(queue.take(1)[0]) == {"kind": "end", "run": run}
    assert distributed.join_run(client, "w3", ["demo_moe"]) != run


def test_a_dead_worker_does_not_keep_the_run_open(client):
    queue = ItemQueue(client)
    run = distributed.join_run(client, "alive", ["demo_moe"])
    distributed.join_run(client, "dead", ["demo_moe"])
    # the dead one's heartbeat ran out
    client.hset(distributed.run_prefix(run) + "workers", "dead", distributed.server_ms(client) - 1)
    assert distributed.leave_run(client, run, "alive", queue, wait=0) is True


def polite(client, worker, concurrency, delay):
    return GlobalPolitenessMiddleware(client, worker, concurrency, delay)


def test_concurrency_per_site_holds_across_processes(client):
    one, other = polite(client, "p1", 1, 0), polite(client, "p2", 1, 0)

    async def scenario():
        first = Request("http://site.example/a")
        await one.process_request(first)
        second = asyncio.ensure_future(other.process_request(Request("http://site.example/b")))
        await asyncio.sleep(0.3)
        blocked = not second.done()
        one.process_response(first, None)
        await asyncio.wait_for(second, 5)
        # another site is not held up by this one
        await asyncio.wait_for(one.process_request(Request("http://other.example/c")), 1)
        return blocked

    assert asyncio.run(scenario()) is True


def test_the_delay_per_site_holds_across_processes(client):
    delay = 0.3
    one, other = polite(client, "p1", 4, delay), polite(client, "p2", 4, delay)

    async def scenario():
        started = []
        for n, middleware in enumerate([one, other, one, other]):
            request = Request(f"http://site.example/{n}")
            await middleware.process_request(request)
            # when the slot was granted, on Redis's clock (the next slot opens a delay later):
            # free of the jitter of this process's own scheduling
            started.append(int(client.get(middleware.keys("site.example")[1])))
            middleware.process_response(request, None)
        return started

    started = asyncio.run(scenario())
    gaps = [b - a for a, b in zip(started, started[1:])]
    assert all(gap >= delay * 1000 for gap in gaps), gaps


@pytest.mark.parametrize("snapshots,expected", [
    ([{"aggregator/listing_requests": 2, "finish_reason": "finished"},
      {"aggregator/listing_requests": 1, "finish_reason": "finished"}],
     {"aggregator/listing_requests": 3, "finish_reason": "finished"}),
    # a process stopped by SIGTERM: the run stopped early
    ([{"finish_reason": "finished"}, {"finish_reason": "shutdown"}], {"finish_reason": "shutdown"}),
    # a killed process reported no finish reason; the writer's counters have none either
    ([{"downloader/response_count": 5}, {"aggregator/articles_new": 4}],
     {"downloader/response_count": 5, "aggregator/articles_new": 4}),
    ([{"aggregator/platform_ids": {"webid": "1"}}, {"aggregator/platform_ids": {"unitid": "2"}}],
     {"aggregator/platform_ids": {"webid": "1", "unitid": "2"}}),
    ([], {}),
])
def test_the_writer_sums_the_processes_stats(snapshots, expected):
    assert merge_stats(snapshots) == expected
