"""Changed articles: stored articles younger than AGGREGATOR_RECHECK_DAYS are rechecked
(conditionally) on a schedule that thins out with age, `aggregator crawl --recheck` rechecks
them all now; a change is an `article_revisions` row and updates the article, its people, its
search row and its story; 404/410 marks it `removed_at`. Crawled from a loopback TRS column
(tests/changing_site.py) through `aggregator crawl moe --base-url`."""
import json
from datetime import datetime, timedelta, timezone

import pytest
import sqlite_utils

from aggregator.revisions import changed_fields, recheck_due, recheck_gap, revision_row
from aggregator.search import match_query
from tests.changing_site import ChangingColumn
from tests.replica import Replica
from tests.test_incremental import article_gets, crawl

CST = timezone(timedelta(hours=8))
NOW = datetime(2024, 5, 10, 12, 0, tzinfo=CST)


@pytest.mark.parametrize("old, new, changed", [
    ({"title": "a", "body": "b"}, {"title": "a", "body": "b"}, []),
    ({"title": "a", "body": "b"}, {"title": "a2", "body": "b"}, ["title"]),
    ({"title": "a", "body": "b"}, {"title": None, "body": ""}, []),       # not given: no change
    ({"title": "a", "byline_raw": "记者 王明"}, {"title": "a", "byline_raw": "记者 王敏"}, ["byline_raw"]),
    ({"published_at": "2024-05-01T10:00:00+08:00"}, {"published_at": "2024-05-01T10:30:00+08:00"}, ["published_at"]),
    (None, {"title": "a"}, None),
])
def test_changed_fields(old, new, changed):
    assert changed_fields(old, new) == changed


def test_revision_row_keeps_the_old_values():
    row = revision_row(7, {"title": "旧标题", "body": "旧"}, ["title"], 3, "2024-05-01T10:00:00+08:00")
    assert row["article_id"] == 7 and json.loads(row["fields"]) == ["title"]
    assert json.loads(row["old_values"]) == {"title": "旧标题"}
    assert revision_row(7, {}, [], 3, "x") is None


@pytest.mark.parametrize("age, gap", [
    (timedelta(minutes=30), timedelta(hours=1)),
    (timedelta(hours=6), timedelta(hours=3)),
    (timedelta(days=6), timedelta(days=3)),
    ("6 days", None),
])
def test_recheck_gap_is_half_the_age(age, gap):
    assert recheck_gap(age) == gap


@pytest.mark.parametrize("born, last_checked, max_days, due", [
    (NOW - timedelta(hours=5), NOW - timedelta(hours=3), 7, True),      # 3 h since, gap 2.5 h
    (NOW - timedelta(hours=5), NOW - timedelta(hours=2), 7, False),     # 2 h since, gap 2.5 h
    (NOW - timedelta(days=6), NOW - timedelta(days=2), 7, False),       # gap 3 days
    (NOW - timedelta(days=6), NOW - timedelta(days=4), 7, True),
    (NOW - timedelta(days=8), NOW - timedelta(days=8), 7, False),       # too old
    (NOW - timedelta(days=1), None, 7, True),                           # never fetched
    (NOW - timedelta(days=1), NOW - timedelta(days=1), 0, False),       # rechecks off
    ("2024-05-10", None, 7, None),                                      # no offset
])
def test_recheck_due(born, last_checked, max_days, due):
    assert recheck_due(born, last_checked, NOW, max_days) is due


def as_if_later(db, hours):
    """Move every stored fetch time back `hours`: the next crawl runs as if that much later."""
    database = sqlite_utils.Database(db)
    for table, column in (("articles", "first_seen"), ("http_validators", "checked_at")):
        rows = database.execute(f"select rowid, {column} from {table}").fetchall()
        for rowid, value in rows:
            earlier = (datetime.fromisoformat(value) - timedelta(hours=hours)).isoformat(timespec="seconds")
            database.execute(f"update {table} set {column} = ? where rowid = ?", [earlier, rowid])
    database.conn.commit()


@pytest.fixture
def rechecked(tmp_path):
    """20 articles 3 hours apart; two of them corrected and one withdrawn; crawled again two days later."""
    column = ChangingColumn(20)
    db = tmp_path / "n.db"
    with Replica(column.routes()) as site:
        crawl(site, db)
        corrected = column.change(column.pick(2, skip=11))    # not on the first listing page
        withdrawn = column.pick(1, skip=17)
        column.remove(withdrawn)
        column.publish(site)
        as_if_later(db, 48)
        result, answers, stats = crawl(site, db)
    return {"db": sqlite_utils.Database(db), "result": result, "answers": answers, "stats": stats,
            "corrected": corrected, "withdrawn": withdrawn[0], "column": column}


def article(db, path):
    row, = [r for r in db["articles"].rows if r["url"].endswith(path)]
    return row


def test_every_young_article_is_rechecked_and_the_unchanged_ones_answer_304(rechecked):
    statuses = [status for _, path, status, _ in rechecked["answers"] if "/t20" in path]
    assert len(statuses) == 20
    assert statuses.count(304) == 17 and statuses.count(200) == 2 and statuses.count(404) == 1
    assert "2 updated" in rechecked["result"].stdout and "0 articles new" in rechecked["result"].stdout
    assert rechecked["stats"]["aggregator/articles_removed"] == 1


def test_a_corrected_article_is_a_revision_and_is_updated_everywhere(rechecked):
    db = rechecked["db"]
    for path in rechecked["corrected"]:
        row = article(db, path)
        assert row["title"].endswith("（更正）") and "更正说明" in row["body"]
        revision, = db["article_revisions"].rows_where("article_id = ?", [row["id"]])
        assert set(json.loads(revision["fields"])) == {"title", "body"}
        old = json.loads(revision["old_values"])
        assert old["title"] + "（更正）" == row["title"] and "更正说明" not in old["body"]
        assert row["story_id"] is not None
    found = {r[0] for r in db.execute("select rowid from articles_search where articles_search match ?",
                                      [match_query("更正说明")])}
    assert found == {article(db, path)["id"] for path in rechecked["corrected"]}
    assert db["article_revisions"].count == 2


def test_a_withdrawn_article_is_marked_removed_and_kept(rechecked):
    db = rechecked["db"]
    row = article(db, rechecked["withdrawn"])
    assert row["removed_at"] and row["body"]
    assert db["articles"].count == 20
    assert not [r for r in db["rejects"].rows if r["url"].endswith(rechecked["withdrawn"])]


def test_a_withdrawn_article_that_comes_back_is_no_longer_removed(tmp_path):
    column = ChangingColumn(6)
    db = tmp_path / "n.db"
    with Replica(column.routes()) as site:
        crawl(site, db)
        gone = column.pick(1, skip=3)
        column.remove(gone)
        column.publish(site)
        crawl(site, db, "--recheck")
        assert article(sqlite_utils.Database(db), gone[0])["removed_at"]
        column.removed.clear()
        column.publish(site)
        crawl(site, db, "--recheck")
    assert article(sqlite_utils.Database(db), gone[0])["removed_at"] is None


def test_without_time_passing_nothing_is_rechecked_and_recheck_rechecks_all(tmp_path):
    column = ChangingColumn(20)
    db = tmp_path / "n.db"
    with Replica(column.routes()) as site:
        crawl(site, db)
        _, answers, _ = crawl(site, db)
        assert article_gets(answers) == []
        _, answers, _ = crawl(site, db, "--recheck")
        assert len(article_gets(answers)) == 20
        # only the articles younger than 26.4 hours (3 hours apart: 8 of them)
        _, answers, _ = crawl(site, db, "--recheck", "-s", "AGGREGATOR_RECHECK_DAYS=1.1")
        assert len(article_gets(answers)) == 8


def test_a_recheck_is_on_a_thinning_schedule(tmp_path):
    """Seven hours later: only articles younger than fourteen hours are due (the gap is half the age)."""
    column = ChangingColumn(20)
    db = tmp_path / "n.db"
    with Replica(column.routes()) as site:
        crawl(site, db)
        as_if_later(db, 7)
        _, answers, _ = crawl(site, db)
    # published 3, 6, 9 ... hours ago, fetched "7 hours ago": due when 7 h >= age / 2
    assert len(article_gets(answers)) == 4
