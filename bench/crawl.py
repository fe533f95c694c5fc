"""Bench: a full `aggregator crawl` of a loopback mirror against a bare Scrapy spider.

    python bench/crawl.py                        # 2,000 articles, 3 rounds of each
    python bench/crawl.py --articles 500 --rounds 5

Serves, on 127.0.0.1, a TRS WCM column of ARTICLES article pages, 20 a listing page
(index.html, index_1.html ...), in the shape of the 教育部 replica (tests/replicas/moe.py,
which names the public sources it follows), and crawls it in alternating rounds:
  - full: `python -m aggregator.cli crawl moe --db DB --base-url MIRROR --allow-private`, the
          command an operator runs against a mirror (every pipeline, a fresh database);
  - bare: a plain scrapy.Spider in its own process that follows the same links (the pager's
          listing pages, each listed article) and does nothing with the pages, under the same
          settings (the project's, with its middlewares, without item pipelines).
Both get the same overrides: no download delay, no AutoThrottle, no retries, no listing-page
limit (CONCURRENT_REQUESTS_PER_DOMAIN stays the project's 2). Prints pages/s of each (Scrapy's
own count of responses over its elapsed time; the command's wall clock beside it), pages per
CPU-second of the command (user + system, steadier on a shared machine), the full/bare ratio
per round, and the ranges.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SITE = "moe"
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "0", "RETRY_ENABLED": "0",
        "AGGREGATOR_MAX_LISTING_PAGES": "0"}


# the mirror ------------------------------------------------------------------------------------
def mirror_routes(count: int, per_page: int, seed: int = 2000) -> dict:
    """Listing and article pages of a TRS column of `count` articles, newest first."""
    from tests.replicas import moe

    def path_of(i, a):
        sub = "moe_1485" if i % 3 else "s5987"
        return f"{moe.COLUMN}{sub}/{a.published:%Y%m}/t{a.published:%Y%m%d}_{600000 + count - i}.html"

    # a writer runs out of fresh titles after some hundreds of articles: one writer per 400
    made = []
    for start in range(0, count, 400):
        made += moe.write_articles(seed + start, min(400, count - start), moe.MINISTRY, lambda i, a: None,
                                   moe.SOURCES, voice="ministry")
    made.sort(key=lambda row: row[1].published, reverse=True)
    articles = [(path_of(i, a), a, people, source) for i, (_, a, people, source) in enumerate(made)]
    pages = -(-count // per_page)

    def column_page(num):
        rows = "\n".join(f'<li><a href="./{p[len(moe.COLUMN):]}" target="_blank" title="{escape(a.title)}">'
                         f"{escape(a.title)}</a><span>{a.published:%Y-%m-%d}</span></li>"
                         for p, a, *_ in articles[num * per_page:(num + 1) * per_page])
        # the replica's listing page with this column's records and page count
        page = moe.column_page(0)
        page = re.sub(r'<ul id="list">.*?</ul>', lambda _: f'<ul id="list">\n{rows}\n</ul>', page, flags=re.S)
        return page.replace(f"createPageHTML({moe.PAGES}, 0,", f"createPageHTML({pages}, {num},")

    return moe.trs_routes(moe.COLUMN, pages, articles, column_page, moe.article_page)


# the bare spider (runs in its own process: python bench/crawl.py --bare MIRROR STATS.json) -------
def bare_crawl(mirror_url: str, stats_path: str) -> None:
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from urllib.parse import urlsplit

    from aggregator.sites import project_settings
    from spiders.moe import MoeSpider

    class Bare(scrapy.Spider):
        name = "bare"
        allowed_domains = [urlsplit(mirror_url).hostname]
        # the mirror the address guard lets through (SiteBoundsMiddleware, --allow-private)
        mirror = (urlsplit(mirror_url).scheme, urlsplit(mirror_url).netloc)
        start_urls = [mirror_url + urlsplit(MoeSpider.start_urls[0]).path]

        def parse(self, response):
            # the pager: createPageHTML(count, current, "index", "html") -> index_N.html
            pager = re.search(r"createPageHTML\((\d+),\s*(\d+)", response.text)
            if pager and int(pager.group(2)) == 0:
                for n in range(1, int(pager.group(1))):
                    yield response.follow(f"index_{n}.html", callback=self.parse)
            for href in response.css("#wcmpagehtml ul li a::attr(href)").getall():
                yield response.follow(href, callback=self.parse_article)

        def parse_article(self, response):
            pass

    settings = project_settings()
    settings.setdict({**FAST, "ITEM_PIPELINES": {}, "AGGREGATOR_ALLOW_PRIVATE": True, "LOG_LEVEL": "WARNING",
                      "AGGREGATOR_DB": ""}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(Bare)
    process.crawl(crawler)
    process.start()
    Path(stats_path).write_text(json.dumps(crawler.stats.get_stats(), default=str))


# running ------------------------------------------------------------------------------------------
def run(cmd) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child: user + system, from wait4) of one command."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        error = err.read().decode("utf-8", "replace")
    if child.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(map(str, cmd))} failed ({child.returncode}):\n{error[-3000:]}")
    return seconds, usage.ru_utime + usage.ru_stime


def full_round(mirror, work) -> dict:
    db = work / "full.db"
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    overrides = [arg for name, value in FAST.items() for arg in ("-s", f"{name}={value}")]
    wall, cpu = run([sys.executable, "-m", "aggregator.cli", "crawl", SITE, "--db", str(db), "--base-url", mirror,
                "--allow-private", *overrides])
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    row = conn.execute("select stats from crawls order by id desc limit 1").fetchone()
    stats = json.loads(row["stats"])[SITE]
    stored = conn.execute("select count(*) from articles").fetchone()[0]
    conn.close()
    return dict(stats=stats, wall=wall, cpu=cpu, stored=stored)


def bare_round(mirror, work) -> dict:
    stats_path = work / "bare-stats.json"
    wall, cpu = run([sys.executable, __file__, "--bare", mirror, str(stats_path)])
    return dict(stats=json.loads(stats_path.read_text()), wall=wall, cpu=cpu, stored=None)


def pages_per_s(result) -> tuple[int, float]:
    stats = result["stats"]
    pages = int(stats["downloader/response_count"])
    return pages, pages / float(stats["elapsed_time_seconds"])


def span(values, fmt) -> str:
    low, high = min(values), max(values)
    return fmt.format(low) if len(values) == 1 else f"{fmt.format(low)}-{fmt.format(high)}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--per-page", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bare", nargs=2, metavar=("MIRROR", "STATS"), help="(the bare spider's own process)")
    args = parser.parse_args(argv)
    if args.bare:
        bare_crawl(*args.bare)
        return 0
    from tests.replica import Replica

    t0 = time.perf_counter()
    routes = mirror_routes(args.articles, args.per_page)
    print(f"mirror: {len(routes)} pages in {time.perf_counter() - t0:.0f}s", flush=True)
    work = Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    rates = {"full": [], "bare": []}
    cpu = {"full": [], "bare": []}  # pages per CPU-second of the command
    ratios = []
    with Replica(routes) as mirror:
        for n in range(1, args.rounds + 1):
            for kind, one_round in (("full", full_round), ("bare", bare_round)):
                result = one_round(mirror.url, work)
                pages, rate = pages_per_s(result)
                rates[kind].append(rate)
                cpu[kind].append(pages / result["cpu"])
                stored = f", {result['stored']} articles stored" if result["stored"] is not None else ""
                print(f"round {n} {kind}: {pages} pages in {float(result['stats']['elapsed_time_seconds']):.1f}s, "
                      f"{rate:.1f} pages/s (command {result['wall']:.1f}s, {result['cpu']:.1f} CPU-s: "
                      f"{cpu[kind][-1]:.1f} pages per CPU-s{stored})", flush=True)
            ratios.append(rates["full"][-1] / rates["bare"][-1])
            print(f"round {n} full/bare {ratios[-1]:.3f}", flush=True)
    print(f"\n{args.articles} articles, {args.rounds} rounds")
    for kind in ("full", "bare"):
        print(f"{kind}: {span(rates[kind], '{:.1f}')} pages/s, {span(cpu[kind], '{:.1f}')} pages per CPU-second")
    print(f"full/bare: {span(ratios, '{:.3f}')} (pages/s), "
          f"{span([f / b for f, b in zip(cpu['full'], cpu['bare'])], '{:.3f}')} (pages per CPU-second)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
