"""Rejects are a ledger: one row per URL with reason, first_seen, last_seen and attempts;
transient failures are tried again in later runs after growing gaps, permanent ones only after
weeks; a rerun of a crawl or an import adds no rows."""
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import subprocess
import sys

import pytest
import sqlite_utils

from aggregator.rejects import is_due, next_attempt, reject_kind, retry_gap
from aggregator.store import Store, reject_ledger
from tests.replica import Replica, Reply
from tests.test_import import ITEM, run_cli, write_items
from tests.test_real_sites import FAST
from tests.test_site_health import COLUMN, article_page, column_page

CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize("reason, kind", [
    ("http 404", "permanent"),
    ("http 410", "permanent"),
    ("not an article: application/pdf", "permanent"),
    ("no body", "permanent"),
    ("redirected off-site to evil.example", "permanent"),
    ("too large: over DOWNLOAD_MAXSIZE", "permanent"),
    ("http 500", "transient"),
    ("http 503: server asked to wait 600 s", "transient"),
    ("http 429", "transient"),
    ("fetch error: TimeoutError", "transient"),
    ("blocked: 加速乐-style cookie challenge (http 521)", "transient"),
    ("line 3: invalid JSON", "permanent"),
    ("", None),
    (None, None),
])
def test_reject_kind(reason, kind):
    assert reject_kind(reason) == kind


@pytest.mark.parametrize("kind, attempts, gap", [
    ("transient", 1, timedelta(hours=1)),
    ("transient", 2, timedelta(hours=2)),
    ("transient", 4, timedelta(hours=8)),
    ("transient", 50, timedelta(days=7)),
    ("permanent", 1, timedelta(days=30)),
    ("permanent", 2, timedelta(days=60)),
    ("permanent", 9, timedelta(days=180)),
    ("transient", 0, None),
    ("other", 1, None),
    ("transient", "2", None),
])
def test_retry_gap_doubles_up_to_a_ceiling(kind, attempts, gap):
    assert retry_gap(kind, attempts) == gap


@pytest.mark.parametrize("kind, attempts, last_seen, expected", [
    ("transient", 1, "2024-05-01T10:00:00+08:00", "2024-05-01T11:00:00+08:00"),
    ("permanent", 1, "2024-05-01T10:00:00+08:00", "2024-05-31T10:00:00+08:00"),
    ("transient", 1, "2024-05-01T10:00:00", None),      # no offset: not a moment
    ("transient", 1, "yesterday", None),
])
def test_next_attempt(kind, attempts, last_seen, expected):
    assert next_attempt(kind, attempts, last_seen) == expected


@pytest.mark.parametrize("when, now, due", [
    ("2024-05-01T11:00:00+08:00", "2024-05-01T10:59:59+08:00", False),
    ("2024-05-01T11:00:00+08:00", "2024-05-01T03:00:00+00:00", True),
    (None, "2024-05-01T03:00:00+00:00", None),
])
def test_is_due(when, now, due):
    assert is_due(when, now) is due


def test_the_same_url_rejected_again_is_one_row_with_more_attempts(store):
    store.add_reject(url="http://x.cn/a.html", site="bl", reason="http 500")
    store.add_reject(url="http://x.cn/a.html", site="bl", reason="fetch error: TimeoutError", detail="t")
    row, = store.db["rejects"].rows
    assert (row["attempts"], row["reason"], row["kind"]) == (2, "fetch error: TimeoutError", "transient")
    assert row["first_seen"] <= row["last_seen"]
    gap = datetime.fromisoformat(row["next_attempt"]) - datetime.fromisoformat(row["last_seen"])
    assert gap == timedelta(hours=2)


def test_a_reject_that_becomes_an_article_is_resolved_not_deleted(store, article):
    store.add_reject(url=article["url"], site="bl", reason="http 500")
    store.resolve_reject(article["url"], "bl")
    row, = store.db["rejects"].rows
    assert row["resolved_at"] and row["next_attempt"] is None


def test_the_ledger_says_which_urls_wait_and_which_are_due(db_path, store):
    store.add_reject(url="http://x.cn/dead.html", site="bl", reason="http 404")
    store.add_reject(url="http://x.cn/busy.html", site="bl", reason="http 503")
    store.add_reject(url="http://x.cn/col/index_3.html", site="bl", reason="http 500", listing=True)
    waiting, due = reject_ledger(db_path, "bl")
    # canonical URLs (aggregator.urls: the scheme folded to https)
    assert waiting == {"https://x.cn/dead.html", "https://x.cn/busy.html", "https://x.cn/col/index_3.html"}
    assert due == []
    later = (datetime.now(CST) + timedelta(hours=3)).isoformat()
    waiting, due = reject_ledger(db_path, "bl", now=later)
    assert waiting == {"https://x.cn/dead.html"}
    assert due == ["http://x.cn/busy.html"]          # a listing page is fetched as a listing, not here


def test_an_old_rejects_table_gets_the_ledger_columns(tmp_path):
    db = sqlite_utils.Database(tmp_path / "old.db")
    db["rejects"].insert_all([{"id": 1, "url": "http://x.cn/a.html", "site": "bl", "reason": "http 404",
                               "detail": None, "crawl_id": 1, "seen_at": "2024-05-01T10:00:00+08:00"}], pk="id")
    db.close()
    store = Store(tmp_path / "old.db")
    row, = store.db["rejects"].rows
    assert (row["first_seen"], row["last_seen"], row["attempts"]) == ("2024-05-01T10:00:00+08:00",) * 2 + (1,)
    store.close()


def crawl(site, db, *extra):
    """`aggregator crawl zj_jyt` from the replica; (result, the requests this run made)."""
    before = len(site.requests)
    result = subprocess.run(
        [sys.executable, "-m", "aggregator.cli", "crawl", "zj_jyt", "--db", str(db), "--base-url", site.url,
         "--allow-private", *FAST, *extra], capture_output=True, text=True, timeout=300)
    return result, site.requests[before:]


def flaky_site(hrefs, broken):
    """A Hanweb column (shaped as tests/test_site_health.py's) whose `broken` articles answer
    what broken[href] is."""
    routes = {COLUMN: Reply(body=column_page(hrefs))}
    routes.update({h: broken.get(h, Reply(body=article_page(200 + i))) for i, h in enumerate(hrefs)})
    return routes


def test_a_transient_reject_is_retried_once_due_and_a_permanent_one_is_not(tmp_path):
    hrefs = [f"/art/2024/5/{i + 1}/art_1543974_{7100 + i}.html" for i in range(6)]
    dead, busy = hrefs[1], hrefs[2]
    db = tmp_path / "n.db"
    with Replica(flaky_site(hrefs, {dead: Reply(404, "gone"), busy: Reply(503, "busy")})) as site:
        result, _ = crawl(site, db)
        assert "4 articles new" in result.stdout and "2 rejects" in result.stdout, result.stdout + result.stderr
        # a rerun right away: neither is asked for again, no row is added
        result, asked = crawl(site, db)
        assert ("GET", dead) not in asked and ("GET", busy) not in asked
        assert "0 rejects" in result.stdout
        database = sqlite_utils.Database(db)
        assert database["rejects"].count == 2
        # the transient one's gap has passed and the page is back: it is fetched although the
        # column no longer lists it
        database.execute("update rejects set next_attempt = '2000-01-01T00:00:00+08:00' where url like ?",
                         [f"%{busy}"])
        database.conn.commit()
        site.routes[COLUMN] = Reply(body=column_page(hrefs[3:]))
        site.routes[busy] = Reply(body=article_page(202))
        result, asked = crawl(site, db)
    assert ("GET", busy) in asked and ("GET", dead) not in asked
    assert "1 articles new" in result.stdout, result.stdout
    rows = {urlsplit(r["url"]).path: r for r in sqlite_utils.Database(db)["rejects"].rows}
    assert rows[busy]["resolved_at"] and rows[dead]["resolved_at"] is None
    assert len(rows) == sqlite_utils.Database(db)["rejects"].count == 2


def test_a_transient_reject_failing_again_waits_twice_as_long(tmp_path):
    hrefs = [f"/art/2024/5/{i + 1}/art_1543974_{7200 + i}.html" for i in range(3)]
    db = tmp_path / "n.db"
    with Replica(flaky_site(hrefs, {hrefs[0]: Reply(500, "oops")})) as site:
        crawl(site, db)
        database = sqlite_utils.Database(db)
        database.execute("update rejects set next_attempt = '2000-01-01T00:00:00+08:00'")
        database.conn.commit()
        crawl(site, db)
    row, = sqlite_utils.Database(db)["rejects"].rows
    assert row["attempts"] == 2
    gap = datetime.fromisoformat(row["next_attempt"]) - datetime.fromisoformat(row["last_seen"])
    assert gap == timedelta(hours=2)


def test_importing_the_same_bad_lines_again_adds_no_reject_rows(tmp_path):
    db = tmp_path / "x.db"
    items = write_items(tmp_path / "items.jsonl", ["{not json", dict(ITEM, body=""), ITEM])
    run_cli("import", items, "--db", db)
    run_cli("import", items, "--db", db)
    rows = list(sqlite_utils.Database(db)["rejects"].rows)
    assert len(rows) == 2 and {r["attempts"] for r in rows} == {2}
