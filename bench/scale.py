"""Scale-out: pages/s with 1, 2 and 4 `aggregator crawl --redis` processes against one
`aggregator ingest`, on a loopback mirror that answers every request after a fixed delay.

    python bench/scale.py [--articles 1200] [--delay 0.05] [--rounds 3] [--crawlers 1,2,4]
                          [--writer-extracts] [--redis URL]

The mirror is the 教育部 TRS replica of tests/replicas/moe.py (the same page shapes, the
registered `moe` spider crawls it through --base-url), grown to --articles articles on
listing pages of 20. Every answer waits --delay seconds (a real server's latency), so a
process is limited by how many requests it has in flight (CONCURRENT_REQUESTS=8 each); the
per-site politeness limit (global across the processes) is set out of the way (64 at once,
no delay), or every count of processes would fetch the one site at the same polite pace.

Per round and process count: a fresh Redis database and SQLite file, the ingest started,
then the crawlers together. Figures:
    pages/s      pages the mirror answered / (last answer - first answer)
    ratio        pages/s against 1 process in the same round
    stored/s     articles in the database / (run recorded - first answer): the whole path,
                 writer included (lower than pages/s when the writer cannot keep up)
The baseline in the same round: one plain `aggregator crawl moe --base-url … --db` (no Redis,
the process extracts and stores itself). With --writer-extracts the crawlers queue raw pages and the writer extracts (otherwise the
crawlers run extract ... dedup). Then the writer alone: the queue filled by one crawl with no writer running, drained by
`aggregator ingest --until-idle 1`: its messages/s while busy, as it prints them.
Rounds alternate the order of the process counts (this VM's speed drifts); the summary
gives each figure's range over the rounds.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.replica import Replica, Reply  # noqa: E402
from tests.replicas.moe import COLUMN, MINISTRY, SOURCES, article_page, write_articles  # noqa: E402

PER_PAGE = 20
SETTINGS = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS=8",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=64", "-s", "AGGREGATOR_MAX_LISTING_PAGES=0",
            "-s", "RETRY_ENABLED=0"]


def article_path(i, a):
    return f"{COLUMN}moe_1485/{a.published:%Y%m}/t{a.published:%Y%m%d}_{600000 + i}.html"


def column_page(chunk, num, pages):
    # the replica's column shape: div#wcmpagehtml ul#list li, <a title>, date <span>, createPageHTML
    rows = "\n".join(f'<li><a href="./{p[len(COLUMN):]}" title="{escape(a.title)}">{escape(a.title)}</a>'
                     f"<span>{a.published:%Y-%m-%d}</span></li>" for p, a, *_ in chunk)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>工作动态</title>'
            f'<meta name="ColumnName" content="工作动态"></head><body>'
            f'<div id="wcmpagehtml"><ul id="list">{rows}</ul></div>'
            f'<script>createPageHTML({pages}, {num}, "index", "html");</script></body></html>')


class SlowMirror:
    """The routes of the mirror, each answered after `delay` seconds; arrival times kept."""

    def __init__(self, articles, delay):
        self.delay, self.lock, self.times = delay, threading.Lock(), []
        rows = write_articles(1485, articles, MINISTRY, article_path, SOURCES, voice="ministry")
        pages = -(-len(rows) // PER_PAGE)
        table = {}
        for num in range(pages):
            body = column_page(rows[num * PER_PAGE:(num + 1) * PER_PAGE], num, pages)
            table[f"{COLUMN}index.html" if num == 0 else f"{COLUMN}index_{num}.html"] = Reply(body=body)
        for path, a, people, source in rows:
            table[path] = Reply(body=article_page(path, a, people, source))
        self.routes = {path: self._slow(reply) for path, reply in table.items()}
        self.pages = len(table)

    def _slow(self, reply):
        def answer(_request):
            with self.lock:
                self.times.append(time.monotonic())
            time.sleep(self.delay)
            return reply
        return answer


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(workdir):
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(workdir)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return process, f"redis://127.0.0.1:{port}/0"


def aggregator(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "aggregator.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def crawl_command(redis_url, mirror_url):
    return ["crawl", "moe", "--base-url", mirror_url, "--allow-private", "--redis", redis_url,
            "--idle-exit", "2", *SETTINGS]


def finished_at(db, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = sqlite3.connect(db)
            row = conn.execute("select status from crawls order by id desc limit 1").fetchone()
            conn.close()
        except sqlite3.OperationalError:
            row = None
        if row and row[0] != "running":
            return time.monotonic()
        time.sleep(0.1)
    raise RuntimeError(f"the run was not recorded in {db} within {timeout}s")


def stored(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("select count(*) from articles").fetchone()[0]
    finally:
        conn.close()


def flush(redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def one_round(n, mirror, site, redis_url, workdir):
    flush(redis_url)
    db = Path(workdir) / f"scale-{n}.db"
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    writer = aggregator("ingest", "--redis", redis_url, "--db", str(db))
    with mirror.lock:
        mirror.times.clear()
    crawlers = [aggregator(*crawl_command(redis_url, site.url)) for _ in range(n)]
    for crawler in crawlers:
        out, err = crawler.communicate(timeout=900)
        if crawler.returncode != 0:
            raise RuntimeError(f"crawler exited {crawler.returncode}: {out}{err[-2000:]}")
    done = finished_at(db)
    writer.terminate()
    writer.communicate(timeout=60)
    times = sorted(mirror.times)
    span = times[-1] - times[0]
    return {"pages": len(times), "pages_s": len(times) / span, "stored": stored(db),
            "stored_s": stored(db) / (done - times[0])}


def local_round(mirror, site, workdir):
    """The baseline: one `aggregator crawl` process without Redis, writing the database itself."""
    db = Path(workdir) / "local.db"
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with mirror.lock:
        mirror.times.clear()
    crawler = aggregator("crawl", "moe", "--base-url", site.url, "--allow-private", "--db", str(db), *SETTINGS)
    out, err = crawler.communicate(timeout=900)
    done = time.monotonic()
    if crawler.returncode != 0:
        raise RuntimeError(f"local crawl exited {crawler.returncode}: {out}{err[-2000:]}")
    times = sorted(mirror.times)
    return {"pages": len(times), "pages_s": len(times) / (times[-1] - times[0]), "stored": stored(db),
            "stored_s": stored(db) / (done - times[0])}


def writer_alone(mirror, site, redis_url, workdir):
    flush(redis_url)
    db = Path(workdir) / "writer-alone.db"
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    crawler = aggregator(*crawl_command(redis_url, site.url))
    crawler.communicate(timeout=900)
    writer = aggregator("ingest", "--redis", redis_url, "--db", str(db), "--until-idle", "1")
    out, err = writer.communicate(timeout=900)
    match = re.search(r"ingest: (\d+) messages .* (\d+) messages/s while busy", out)
    if not match:
        raise RuntimeError(f"unexpected ingest output: {out}{err[-2000:]}")
    return int(match.group(1)), int(match.group(2))


def span(values, fmt="{:.0f}"):
    low, high = min(values), max(values)
    return fmt.format(low) if fmt.format(low) == fmt.format(high) else f"{fmt.format(low)}-{fmt.format(high)}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1200)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds every answer waits")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--crawlers", default="1,2,4", help="process counts, comma-separated")
    parser.add_argument("--writer-extracts", action="store_true",
                        help="crawlers queue raw pages and the writer runs every pipeline (AGGREGATOR_EXTRACT_IN_CRAWLER=0)")
    parser.add_argument("--redis", help="a Redis URL to use (its database is flushed); default: start a redis-server")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.crawlers.split(",")]
    if args.writer_extracts:
        SETTINGS.extend(["-s", "AGGREGATOR_EXTRACT_IN_CRAWLER=0"])
    workdir = tempfile.mkdtemp(prefix="bench-scale-")
    redis_process = None
    try:
        if args.redis:
            redis_url = args.redis
        else:
            if not shutil.which("redis-server"):
                sys.exit("redis-server is not installed (apt-get install redis-server), or give --redis URL")
            redis_process, redis_url = start_redis(workdir)
        mirror = SlowMirror(args.articles, args.delay)
        print(f"mirror: {mirror.pages} pages ({args.articles} articles, {-(-args.articles // PER_PAGE)} listing "
              f"pages), {args.delay * 1000:.0f} ms per answer; CONCURRENT_REQUESTS=8 per process", flush=True)
        results = {n: [] for n in counts}
        local, alone = [], []
        with Replica(mirror.routes) as site:
            for r in range(args.rounds):
                order = counts if r % 2 == 0 else counts[::-1]
                for n in order:
                    result = one_round(n, mirror, site, redis_url, workdir)
                    results[n].append(result)
                    print(f"round {r + 1}, {n} crawlers: {result['pages']} pages, {result['pages_s']:.1f} pages/s, "
                          f"{result['stored']} articles stored, {result['stored_s']:.1f} stored/s end to end", flush=True)
                result = local_round(mirror, site, workdir)
                local.append(result)
                print(f"round {r + 1}, local crawl (no Redis): {result['pages']} pages, {result['pages_s']:.1f} pages/s, "
                      f"{result['stored']} articles stored, {result['stored_s']:.1f} stored/s end to end", flush=True)
                messages, rate = writer_alone(mirror, site, redis_url, workdir)
                alone.append(rate)
                print(f"round {r + 1}, writer alone: {messages} messages, {rate} messages/s while busy", flush=True)
        base = [res["pages_s"] for res in results[counts[0]]]
        print(f"\n| crawler processes | pages/s | ratio to {counts[0]} | stored/s end to end |")
        print("|---|---|---|---|")
        ratios = [res["pages_s"] / b for res, b in zip(local, base)]
        print(f"| local crawl, no Redis (baseline) | {span([res['pages_s'] for res in local])} | "
              f"{span(ratios, '{:.2f}')} | {span([res['stored_s'] for res in local])} |")
        for n in counts:
            ratios = [res["pages_s"] / b for res, b in zip(results[n], base)]
            print(f"| {n} | {span([res['pages_s'] for res in results[n]])} | {span(ratios, '{:.2f}')} | "
                  f"{span([res['stored_s'] for res in results[n]])} |")
        print(f"\nwriter alone (aggregator ingest draining a full queue): {span(alone)} messages/s while busy "
              f"({args.rounds} rounds)")
    finally:
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
