"""End to end on a real redis-server: `aggregator crawl --redis` in two processes and one
`aggregator ingest` over the demo sites (served in this process, which counts every fetch):
every article stored once and every article URL fetched once; then the same with one
crawler killed (SIGKILL) mid-way, and with the writer killed mid-way."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis as redis_client

from aggregator import distributed
from aggregator.demo.server import DemoSites
from aggregator.item_queue import PROCESSING_KEY
from tests.redis_server import redis_url

ROOT = Path(__file__).resolve().parent.parent
DEMO = ["demo_beilun", "demo_moe", "demo_county", "demo_feed"]
# the demo sites are on loopback: no need to be slow; retries off so a 500 is fetched once
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "RETRY_ENABLED=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def aggregator(*args, **kwargs):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "aggregator.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def crawler(url, sites, idle_exit=2, extra=()):
    mirrors = [arg for name in DEMO for arg in ("--mirror", f"{name}={sites.urls[name]}")]
    return aggregator("crawl", *DEMO, "--redis", url, "--idle-exit", str(idle_exit), *mirrors, *FAST, *extra)


def finish(process, timeout=240):
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def crawl_rows(db):
    if not Path(db).exists():
        return []
    conn = sqlite3.connect(db)
    try:
        return conn.execute("select id, status, sites from crawls").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


def wait_for_finished_run(db, timeout=240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = crawl_rows(db)
        if rows and all(status == "finished" for _, status, _ in rows):
            return rows
        time.sleep(0.5)
    raise AssertionError(f"no finished run in {db}: {crawl_rows(db)}")


def wait_for_workers(url, count, timeout=120):
    """Until `count` crawler processes are registered in the current run."""
    client = redis_client.Redis.from_url(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.get(distributed.RUN_KEY)
        if run and client.hlen(distributed.run_prefix(run.decode()) + "workers") >= count:
            return
        time.sleep(0.2)
    raise AssertionError(f"fewer than {count} crawlers joined the run")


def stop(process):
    process.send_signal(signal.SIGTERM)
    return finish(process, timeout=60)


def articles(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("select url, site from articles").fetchall()
    finally:
        conn.close()


def assert_every_article_stored_once(db, expected):
    stored = articles(db)
    paths = [url.split("/", 3)[3] for url, _ in stored]
    assert len(paths) == len(set(paths))
    by_site = {}
    for _, site in stored:
        by_site[site] = by_site.get(site, 0) + 1
    assert by_site == expected["articles"]
    wanted = {url.split("/", 3)[3] for url in expected["pages"]}
    assert wanted <= set(paths)


@pytest.fixture
def redis(tmp_path):
    with redis_url(tmp_path) as url:
        yield url


def test_two_crawlers_and_one_writer_store_and_fetch_every_article_once(tmp_path, redis):
    db = tmp_path / "news.db"
    # the sites answer once both processes have joined the run, slowly and two requests at a
    # time per process: the crawl outlasts the moments one process may start after the other
    # (seconds on a loaded machine), so both get a share of it
    gate = threading.Event()
    with DemoSites(delay=0.1, gate=gate) as sites:
        crawlers = [crawler(redis, sites, extra=["-s", "CONCURRENT_REQUESTS=2"]) for _ in range(2)]
        wait_for_workers(redis, 2)
        gate.set()
        writer = aggregator("ingest", "--redis", redis, "--db", str(db))
        results = [finish(c) for c in crawlers]
        for code, out, err in results:
            assert code == 0, out + err
        rows = wait_for_finished_run(db)
        code, out, err = stop(writer)
        fetches = dict(sites.fetches)
        expected = sites.expected
    assert code == 0, out + err
    assert "crawl 1: 4 sites" in out and "0 errors" in out, out
    assert_every_article_stored_once(db, expected)
    # every article page and every listing page fetched once over both processes
    for url in list(expected["pages"]) + list(expected["listing"]):
        assert fetches.get(url) == 1, (url, fetches.get(url))
    assert fetches.get(expected["not_found"][0]) == 1
    # both processes did part of the work
    pages = [int(out.split(" pages fetched")[0].rsplit(" ", 1)[1]) for _, out, _ in results]
    assert all(p > 0 for p in pages), pages
    # one run, one crawls row; each site's health for the run as a whole
    assert len(rows) == 1
    conn = sqlite3.connect(db)
    runs = {site: (status, new) for site, status, new in
            conn.execute("select site, status, articles_new from site_runs where crawl_id = ?", [rows[0][0]])}
    rejects = conn.execute("select count(*) from rejects").fetchone()[0]
    conn.close()
    assert runs == {site: ("ok", n) for site, n in expected["articles"].items()}
    assert rejects == len(expected["not_found"]) + len(expected["server_error"])


def test_a_second_run_skips_the_known_articles(tmp_path, redis):
    db = tmp_path / "news.db"
    with DemoSites() as sites:
        writer = aggregator("ingest", "--redis", redis, "--db", str(db))
        for run in (1, 2):
            code, out, err = finish(crawler(redis, sites))
            assert code == 0, out + err
            wait_for_finished_run(db)
            if run == 1:
                first = dict(sites.fetches)
        stop(writer)
        fetches = dict(sites.fetches)
        expected = sites.expected
    for url in expected["pages"]:
        assert fetches[url] == first[url] == 1, url
    conn = sqlite3.connect(db)
    second = conn.execute("select articles_new, articles_unchanged from crawls order by id desc limit 1").fetchone()
    conn.close()
    # nothing new; the listings end at the first page holding only known articles
    # (AGGREGATOR_KNOWN_PAGES), so only the articles listed before that are counted unchanged
    assert second[0] == 0 and 0 < second[1] < sum(expected["articles"].values())


def test_killing_a_crawler_midway_loses_nothing(tmp_path, redis):
    db = tmp_path / "news.db"
    # each answer takes 50 ms, so the crawl is long enough to kill a process in the middle of it
    with DemoSites(delay=0.05) as sites:
        writer = aggregator("ingest", "--redis", redis, "--db", str(db))
        victim, survivor = crawler(redis, sites), crawler(redis, sites)
        total = len(sites.expected["pages"])
        deadline = time.monotonic() + 120
        while sum(sites.fetches.values()) < total // 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.communicate(timeout=30)
        code, out, err = finish(survivor)
        assert code == 0, out + err
        rows = wait_for_finished_run(db)
        stop(writer)
        expected = sites.expected
    assert len(rows) == 1, rows
    assert_every_article_stored_once(db, expected)
    conn = sqlite3.connect(db)
    reasons = [r for (r,) in conn.execute("select reason from rejects")]
    # health is the run's, over both processes (the killed one's share included)
    health = dict(conn.execute("select site, status from site_runs where crawl_id = ?", [rows[0][0]]).fetchall())
    conn.close()
    assert sorted(reasons) == ["http 404", "http 500"]
    assert health == {site: "ok" for site in DEMO}


def test_killing_the_writer_midway_loses_nothing(tmp_path, redis):
    db = tmp_path / "news.db"
    with DemoSites() as sites:
        # the crawl first, so the queue holds every item when the writer starts; the raw pages,
        # so the writer extracts (the slow way: the kill lands in the middle of the work)
        code, out, err = finish(crawler(redis, sites, extra=["-s", "AGGREGATOR_EXTRACT_IN_CRAWLER=0"]))
        assert code == 0, out + err
        writer = aggregator("ingest", "--redis", redis, "--db", str(db))
        # killed while it holds a batch it has not committed (the processing list is non-empty)
        client = redis_client.Redis.from_url(redis)
        deadline = time.monotonic() + 60
        while not client.llen(PROCESSING_KEY) and time.monotonic() < deadline:
            time.sleep(0.01)
        writer.send_signal(signal.SIGKILL)
        writer.communicate(timeout=30)
        code, out, err = finish(aggregator("ingest", "--redis", redis, "--db", str(db), "--until-idle", "2"))
        expected = sites.expected
    assert code == 0, out + err
    assert "1 runs finished" in out, out
    assert_every_article_stored_once(db, expected)
    assert [status for _, status, _ in crawl_rows(db)] == ["finished"]
