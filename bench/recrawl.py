"""What a scheduled second crawl costs against the first: requests, 304s, bytes, articles.

A loopback mirror of a TRS WCM column (tests/changing_site.py: the 教育部 replica's markup,
ETag / Last-Modified / 304 as web servers send them) with --articles articles, published
--hours-apart hours apart, newest first, 10 a listing page, is crawled with the product's own
command (`aggregator crawl moe --base-url URL --allow-private`). Then 5% of the articles are
corrected (title and a paragraph) and 5% new ones are published, and the site is crawled again
from a copy of the database, twice:

    scheduled   as cron would run it --later-hours later (the stored fetch times are moved back
                that much, so the recheck schedule sees that much time gone by)
    --recheck   every stored article younger than AGGREGATOR_RECHECK_DAYS rechecked now

Counts come from the mirror (every request it answered, robots.txt included; body bytes it
sent) and from the crawls row. The last column is the second crawl's requests as a share of the
first's; the issue's goal is at most 10% plus the changed and new pages.

    python bench/recrawl.py [--articles 200] [--later-hours 2] [--hours-apart 3]
"""
from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlite_utils  # noqa: E402

from tests.changing_site import ChangingColumn  # noqa: E402
from tests.replica import Replica  # noqa: E402

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "-s", "AGGREGATOR_MAX_LISTING_PAGES=0"]


def crawl(site, db, *extra):
    before = len(site.answers)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "aggregator.cli", "crawl", "moe", "--db", str(db),
                             "--base-url", site.url, "--allow-private", *FAST, *extra],
                            capture_output=True, text=True, timeout=1800, cwd=ROOT)
    seconds = time.monotonic() - started
    if result.returncode not in (0, 3):
        raise SystemExit(result.stdout + result.stderr[-3000:])
    answers = site.answers[before:]
    row = sqlite_utils.Database(db).execute(
        "select articles_new, articles_updated, articles_unchanged from crawls order by id desc limit 1").fetchone()
    return {"requests": len(answers), "304s": sum(1 for a in answers if a[2] == 304),
            "bytes": sum(a[3] for a in answers), "new": row[0], "updated": row[1], "unchanged": row[2],
            "seconds": seconds}


def as_if_later(db, hours):
    """Move the stored fetch times back: the next crawl runs as if `hours` later."""
    database = sqlite_utils.Database(db)
    for table, column in (("articles", "first_seen"), ("http_validators", "checked_at")):
        for rowid, value in database.execute(f"select rowid, {column} from {table}").fetchall():
            earlier = (datetime.fromisoformat(value) - timedelta(hours=hours)).isoformat(timespec="seconds")
            database.execute(f"update {table} set {column} = ? where rowid = ?", [earlier, rowid])
    database.conn.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--later-hours", type=float, default=2.0)
    parser.add_argument("--hours-apart", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    column = ChangingColumn(args.articles, hours_apart=args.hours_apart, seed=args.seed)
    share = max(args.articles // 20, 1)
    work = Path(tempfile.mkdtemp(prefix="bench-recrawl-"))
    rows = []
    try:
        with Replica(column.routes()) as site:
            first_db = work / "first" / "news.db"
            first_db.parent.mkdir()
            first = crawl(site, first_db)
            rows.append(("first crawl", first))
            rng = random.Random(args.seed)
            changed = column.change(rng.sample([a[0] for a in column.listed()], share))
            column.add(share)
            column.publish(site)
            for label, extra, later in (("second, scheduled %gh later" % args.later_hours, (), args.later_hours),
                                        ("second, --recheck", ("--recheck",), 0)):
                db = work / label.split(",")[1].strip().split()[0] / "news.db"
                db.parent.mkdir()
                shutil.copy(first_db, db)
                if later:
                    as_if_later(db, later)
                rows.append((label, crawl(site, db, *extra)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.articles} articles, {args.hours_apart:g} h apart, 10 a listing page; between the crawls "
          f"{len(changed)} corrected and {share} new\n")
    print("| crawl | requests | 304s | bytes fetched | new | updated | unchanged | s | requests / first's |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label, r in rows:
        print(f"| {label} | {r['requests']} | {r['304s']} | {r['bytes']:,} | {r['new']} | {r['updated']} | "
              f"{r['unchanged']} | {r['seconds']:.1f} | {r['requests'] / first['requests']:.1%} |")
    goal = 0.10 * first["requests"] + 2 * share
    print(f"\ngoal for a second crawl: at most 10% of the first's requests plus the changed and new pages "
          f"= {goal:.0f} requests")


if __name__ == "__main__":
    main()
