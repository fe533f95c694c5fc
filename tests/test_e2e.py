"""End to end: the demo sites on loopback, `aggregator demo --no-serve` as a subprocess, twice,
then the database as a user would query it."""
import os
import random
import re
import socket
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from aggregator.demo.server import DemoSites


def free_port_block(size=8):
    """The first port of `size` consecutive free ports. The probe starts at a place drawn from the
    process id, so two test runs sharing a machine do not both pick the same block between this
    probe and the moment the demo binds it."""
    first = random.Random(os.getpid()).randrange(20000, 60000)
    for start in [*range(first, 60000, 97), *range(20000, first, 97)]:
        sockets = []
        try:
            for port in range(start, start + size):
                s = socket.socket()
                s.bind(("127.0.0.1", port))
                sockets.append(s)
            return start
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no free port block")


def path(url):
    return urlsplit(url).path


@pytest.fixture(scope="module")
def expected():
    with DemoSites() as sites:
        return sites.expected


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db = tmp_path_factory.mktemp("e2e") / "demo.db"
    port = free_port_block()
    runs = []
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "aggregator.cli", "demo", "--no-serve", "--db", str(db), "--sites-port", str(port)],
            capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        database = sqlite_utils.Database(db)
        runs.append({"stdout": result.stdout,
                     "articles": {r["id"]: r for r in database["articles"].rows},
                     "rejects": [dict(r) for r in database["rejects"].rows]})
    return {"db": sqlite_utils.Database(db), "runs": runs}


def article_by_path(db, url):
    rows = [r for r in db["articles"].rows if path(r["url"]) == path(url)]
    assert len(rows) == 1, url
    return rows[0]


def test_every_article_page_of_every_site_is_stored(crawled, expected):
    counts = dict(crawled["db"].execute("select site, count(*) from articles group by site").fetchall())
    assert counts == expected["articles"]
    assert sum(counts.values()) >= 150


def test_fields_are_filled_on_at_least_95_percent(crawled):
    db = crawled["db"]
    total = db["articles"].count
    complete = db.execute("select count(*) from articles where title is not null and title != '' "
                          "and length(body) >= 100 and published_at is not null").fetchone()[0]
    assert complete / total >= 0.95


def test_404_and_500_are_rejects(crawled, expected):
    reasons = {path(url): reason for url, reason in crawled["db"].execute("select url, reason from rejects")}
    for url in expected["not_found"]:
        assert reasons[path(url)] == "http 404"
    for url in expected["server_error"]:
        assert reasons[path(url)] == "http 500"


def test_body_printed_twice_is_stored_once(crawled, expected):
    row = article_by_path(crawled["db"], expected["doubled_body"])
    once = expected["doubled_body_text_once"].split("\n")[0][:40]
    assert row["body"].count(once) == 1
    assert "推荐新闻" not in row["body"]
    assert "发布时间" not in row["body"]
    assert row["published_at"] == "2021-06-30T13:06:00+08:00"
    people = set(crawled["db"].execute(
        "select name, role from article_people join people on people.id = person_id where article_id = ?",
        [row["id"]]).fetchall())
    assert {("杨阳", "author"), ("杨阳", "editor")} <= people


def test_gbk_site_is_decoded(crawled, expected):
    rows = list(crawled["db"]["articles"].rows_where("site = ?", [expected["gbk_site"]]))
    assert rows
    for row in rows:
        assert "\ufffd" not in row["body"] and "\ufffd" not in (row["title"] or "")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in row["title"])


def test_multipage_article_is_joined(crawled, expected):
    row = article_by_path(crawled["db"], expected["multipage"])
    paragraphs = expected["pages"][expected["multipage"]]["body"].split("\n")
    assert paragraphs[0][:30] in row["body"] and paragraphs[-1][:30] in row["body"]


def test_republished_copies_share_the_original_story(crawled, expected):
    db = crawled["db"]
    for original_url, copy_url, credited in expected["republished"]:
        original, copy = article_by_path(db, original_url), article_by_path(db, copy_url)
        assert copy["story_id"] == original["story_id"] is not None
        assert copy["lag_hours"] > 0
        assert copy["credits_original"] == int(credited)


def pages_fetched(stdout):
    return int(re.search(r"(\d+) pages fetched", stdout).group(1))


def test_second_run_adds_nothing_and_stops_paging_at_known_pages(crawled):
    first, second = crawled["runs"]
    assert first["articles"].keys() == second["articles"].keys()
    assert " 0 articles new" in second["stdout"]
    assert all(second["articles"][i]["last_seen"] >= first["articles"][i]["last_seen"] for i in first["articles"])
    # the first listing page of each site held only stored articles: the listing ends there,
    # so the articles it shows are seen again and the older ones are not listed at all
    again = [i for i in second["articles"] if second["articles"][i]["last_crawl"] == 2]
    assert 0 < len(again) < len(first["articles"])
    assert pages_fetched(second["stdout"]) * 5 < pages_fetched(first["stdout"])


def test_second_run_adds_no_reject_rows_and_does_not_refetch_dead_links(crawled, expected):
    first, second = crawled["runs"]
    assert len(first["rejects"]) == len(second["rejects"]) == len(expected["not_found"]) + len(expected["server_error"])
    assert [(r["url"], r["attempts"]) for r in second["rejects"]] == [(r["url"], 1) for r in first["rejects"]]
    assert " 0 rejects" in second["stdout"]
    kinds = {path(r["url"]): r["kind"] for r in second["rejects"]}
    assert {kinds[path(url)] for url in expected["not_found"]} == {"permanent"}
    assert {kinds[path(url)] for url in expected["server_error"]} == {"transient"}


def test_each_run_is_a_crawl_row_with_counts(crawled):
    rows = list(crawled["db"]["crawls"].rows)
    assert [r["status"] for r in rows] == ["finished", "finished"]
    assert rows[0]["articles_new"] == len(crawled["runs"][0]["articles"])
    assert rows[1]["articles_new"] == 0 and rows[1]["articles_unchanged"] > 0


def test_editors_see_pickups_and_can_subscribe(crawled, expected):
    import asyncio

    from aggregator.serve import make_datasette
    ds = make_datasette(crawled["db"].conn.execute("pragma database_list").fetchone()[2])
    rows = asyncio.run(ds.client.get("/demo/pickups.json?site=demo_beilun&_shape=objects")).json()["rows"]
    copies = {path(r["copy_url"]): r["credit"] for r in rows}
    assert copies == {path(copy): "credited" if credited else "uncredited"
                      for _, copy, credited in expected["republished"]}
    feed = asyncio.run(ds.client.get("/demo/new_pickups_feed.atom?site="))
    assert feed.status_code == 200 and "<feed" in feed.text
    assert feed.text.count("<entry>") == len(expected["republished"])
