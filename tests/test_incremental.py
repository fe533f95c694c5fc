"""Scheduled crawls fetch what changed: paging stops at known pages (AGGREGATOR_KNOWN_PAGES),
pages fetched before are asked for conditionally and a 304 is unchanged; crawled from a
loopback TRS column (tests/changing_site.py) with `aggregator crawl moe --base-url`."""
import json
import subprocess
import sys

import sqlite_utils

from tests.changing_site import COLUMN, ChangingColumn
from tests.replica import Replica
from tests.test_real_sites import FAST


def crawl(site, db, *extra):
    """`aggregator crawl moe` from the replica: (result, this run's answers, its stats)."""
    before = len(site.answers)
    result = subprocess.run(
        [sys.executable, "-m", "aggregator.cli", "crawl", "moe", "--db", str(db), "--base-url", site.url,
         "--allow-private", *FAST, *extra], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    database = sqlite_utils.Database(db)
    row = database.execute("select stats from crawls order by id desc limit 1").fetchone()
    return result, site.answers[before:], json.loads(row[0])["moe"]


def listing_pages(answers):
    return [(path.rsplit("/", 1)[1], status) for _, path, status, _ in answers
            if path.startswith(COLUMN) and "/index" in path]


def article_gets(answers):
    return [path for _, path, status, _ in answers if "/t20" in path]


def test_a_first_crawl_pages_to_the_limit_and_a_second_stops_at_the_first_known_page(tmp_path):
    column = ChangingColumn(60)
    db = tmp_path / "n.db"
    with Replica(column.routes()) as site:
        _, answers, _ = crawl(site, db, "-s", "AGGREGATOR_MAX_LISTING_PAGES=4")
        assert len(listing_pages(answers)) == 4 and len(article_gets(answers)) == 40
        # nothing changed: the first listing page answers 304 and ends the listing
        _, answers, stats = crawl(site, db)
        assert listing_pages(answers) == [("index.html", 304)]
        assert article_gets(answers) == []
        assert stats["aggregator/not_modified"] == 1
        # 15 new articles: page 1 holds 10 of them, page 2 five and five known, page 3 only
        # known ones: the listing ends there (page 4 not asked for)
        new = column.add(15)
        column.publish(site)
        result, answers, stats = crawl(site, db)
        assert [name for name, _ in listing_pages(answers)] == ["index.html", "index_1.html", "index_2.html"]
        assert sorted(article_gets(answers)) == sorted(new)
        assert "15 articles new" in result.stdout
        assert stats["aggregator/listing_stopped_known"] == 1


def test_known_pages_sets_how_many_known_pages_end_a_listing(tmp_path):
    column = ChangingColumn(60)
    db = tmp_path / "n.db"
    with Replica(column.routes()) as site:
        crawl(site, db)
        column.add(3)
        column.publish(site)
        _, answers, _ = crawl(site, db, "-s", "AGGREGATOR_KNOWN_PAGES=2")
        assert [name for name, _ in listing_pages(answers)] == ["index.html", "index_1.html", "index_2.html"]
        column.add(3)
        column.publish(site)
        _, answers, _ = crawl(site, db, "-s", "AGGREGATOR_KNOWN_PAGES=0")   # 0: to the end, as before
        assert len(listing_pages(answers)) == column.pages()


def test_a_site_whose_listing_ended_at_known_pages_is_ok_not_degraded(tmp_path):
    column = ChangingColumn(60)
    db = tmp_path / "n.db"
    with Replica(column.routes()) as site:
        crawl(site, db)
        result, _, _ = crawl(site, db)            # a 304
        column.add(2)
        column.publish(site)
        result2, _, _ = crawl(site, db)           # one page with two new articles
    statuses = [r["status"] for r in sqlite_utils.Database(db)["site_runs"].rows]
    assert statuses == ["ok", "ok", "ok"], result.stdout + result2.stdout


def test_conditional_get_sends_the_validators_back_and_a_304_is_not_parsed(tmp_path):
    column = ChangingColumn(12)
    db = tmp_path / "n.db"
    seen = []
    with Replica(column.routes()) as site:
        original = site.reply_for

        def record(req):
            seen.append((req.path, req.headers.get("If-None-Match"), req.headers.get("If-Modified-Since")))
            return original(req)
        site.reply_for = record
        crawl(site, db)
        first = [s for s in seen if s[0].endswith("index.html")]
        assert first == [(f"{COLUMN}index.html", None, None)]
        stored = sqlite_utils.Database(db)["http_validators"]
        assert stored.count == 12 + 2       # every article page and both listing pages
        seen.clear()
        crawl(site, db)
    (path, etag, since), = [s for s in seen if s[0].endswith("index.html")]
    assert etag.startswith('"') and since.endswith("GMT")
    database = sqlite_utils.Database(db)
    second = database.execute("select articles_unchanged, articles_updated, pages_fetched from crawls "
                              "where id = 2").fetchone()
    assert second[1] == 0 and second[2] == 2          # robots.txt and the 304


def test_no_conditional_get_when_it_is_off(tmp_path):
    column = ChangingColumn(12)
    db = tmp_path / "n.db"
    with Replica(column.routes()) as site:
        crawl(site, db)
        _, answers, _ = crawl(site, db, "-s", "AGGREGATOR_CONDITIONAL_GET=0")
    assert listing_pages(answers)[0] == ("index.html", 200)
