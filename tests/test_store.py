import pytest
import sqlite_utils


def test_new_article_is_stored_with_people(store, article):
    article_id, status = store.upsert_article(article)
    assert status == "new"
    row = store.db["articles"].get(article_id)
    assert row["title"] == "表演我们自己的故事"
    assert row["published_month"] == "2021-06"
    roles = store.db.execute(
        "select people.name, role from article_people join people on people.id = person_id "
        "where article_id = ? order by role", [article_id]).fetchall()
    assert roles == [("杨阳", "author"), ("杨阳", "editor")]
    assert store.db["people"].count == 1


def test_storing_again_adds_no_row_and_moves_last_seen(store, article):
    first_id, _ = store.upsert_article(article)
    store.db["articles"].update(first_id, {"last_seen": "2000-01-01T00:00:00+08:00"})
    second_id, status = store.upsert_article(dict(article))
    assert (second_id, status) == (first_id, "unchanged")
    assert store.db["articles"].count == 1
    assert store.db["articles"].get(first_id)["last_seen"] > "2021"


def test_changed_title_updates_the_row(store, article):
    article_id, _ = store.upsert_article(article)
    _, status = store.upsert_article(dict(article, title="新标题"))
    assert status == "updated"
    assert store.db["articles"].get(article_id)["title"] == "新标题"


def test_https_and_tracking_variant_is_the_same_article(store, article):
    store.upsert_article(article)
    variant = dict(article, url=article["url"].replace("http://", "https://") + "?utm_source=wechat")
    _, status = store.upsert_article(variant)
    assert status == "unchanged"
    assert store.db["articles"].count == 1
    assert next(store.db["articles"].rows)["url"] == article["url"]  # the URL as first fetched stays
    assert [r["alias"] for r in store.db["url_aliases"].rows] == [variant["url"]]


def test_same_body_under_another_url_on_the_same_site_becomes_an_alias(store, article):
    article_id, _ = store.upsert_article(article)
    other = dict(article, url="http://www.bl.gov.cn/art/2021/7/1/art_1229_9999.html")
    assert store.upsert_article(other) == (article_id, "duplicate")
    assert store.db["articles"].get(article_id)["url"] == article["url"]
    assert store.db["articles"].count == 1
    assert [r["article_id"] for r in store.db["url_aliases"].rows] == [article_id]


def test_same_body_on_another_site_is_a_copy_in_the_same_story(store, article):
    original_id, _ = store.upsert_article(article)
    copy = dict(article, url="http://jyj.ningbo.gov.cn/art/2021/7/1/art_1_2.html", site="nb",
                published_at="2021-07-01T09:06:00+08:00", source="北仑区教育局")
    copy_id, status = store.upsert_article(copy)
    assert status == "new"
    original, copied = store.db["articles"].get(original_id), store.db["articles"].get(copy_id)
    assert copied["story_id"] == original["story_id"] is not None
    assert copied["lag_hours"] == 20
    assert copied["credits_original"] == 1


def test_reject_rows_keep_the_reason(store):
    crawl_id = store.start_crawl(["bl"])
    store.add_reject(url="http://www.bl.gov.cn/x.html", site="bl", reason="http 404", crawl_id=crawl_id)
    assert [(r["reason"], r["crawl_id"]) for r in store.db["rejects"].rows] == [("http 404", crawl_id)]


def test_known_urls_lists_stored_articles_of_one_site(store, article, db_path):
    from aggregator.store import known_urls
    from aggregator.urls import canonical_url
    store.upsert_article(article)
    assert known_urls(db_path, "bl") == {canonical_url(article["url"])}
    assert known_urls(db_path, "nb") == set()
    assert known_urls(db_path.parent / "missing.db", "bl") == set()


def _variant(article, n):
    return dict(article, url=article["url"].replace(".html", f"_{n}.html"), title=f"第{n}篇",
                body=f"第{n}篇：" + article["body"][n:])


def _search(db_path, word):
    from aggregator.search import match_query
    db = sqlite_utils.Database(db_path)
    try:
        return db.execute("select count(*) from articles_search where articles_search match ?",
                          [match_query(word)]).fetchone()[0]
    finally:
        db.close()


def test_bulk_commits_every_n_articles_and_at_the_end(store, article, db_path):
    other = sqlite_utils.Database(db_path)  # what Datasette sees meanwhile
    with store.bulk(every=2):
        for n in range(3):
            store.upsert_article(_variant(article, n))
        assert other["articles"].count == 2
    assert other["articles"].count == 3
    assert _search(db_path, "百强支部") == 3  # search rows written with their articles
    assert other.execute("select count(*) from articles where story_id is null").fetchone()[0] == 0


def test_a_crawl_row_started_inside_bulk_is_on_disk_when_its_id_is_returned(store, article, db_path):
    other = sqlite_utils.Database(db_path)  # another process: a writer restarted after a kill
    with store.bulk(every=100):
        store.upsert_article(_variant(article, 0))
        crawl_id = store.start_crawl(["demo"])
        assert other["crawls"].get(crawl_id)["status"] == "running"
        assert other["articles"].count == 1  # the articles before it, with their stories
        assert other.execute("select count(*) from articles where story_id is null").fetchone()[0] == 0
        store.finish_crawl(crawl_id, status="finished", counts={}, stats={})
        assert other["crawls"].get(crawl_id)["status"] == "finished"


def test_bulk_rolls_back_only_the_article_that_fails(store, article, db_path):
    with pytest.raises(RuntimeError):
        with store.bulk(every=100):
            store.upsert_article(_variant(article, 1))
            with pytest.raises(AttributeError):  # a person's name that is not text
                store.upsert_article(dict(_variant(article, 2), people=[{"name": 7, "role": "author"}]))
            store.upsert_article(_variant(article, 3))
            raise RuntimeError("the import stops here")
    db = sqlite_utils.Database(db_path)
    assert [r["title"] for r in db.query("select title from articles order by id")] == ["第1篇", "第3篇"]
    assert _search(db_path, "百强支部") == 2
    assert db.execute("select count(*) from syn_docs").fetchone()[0] == 2


def test_a_person_first_named_by_an_article_rolled_back_is_stored_again(store, article, db_path):
    """People's ids are remembered (one SELECT per new name, not per mention): a rollback forgets them."""
    with store.bulk(every=100):
        with pytest.raises(AttributeError):  # 王五 is written, then the next name fails: both undone
            store.upsert_article(dict(_variant(article, 1), people=[
                {"name": "王五", "role": "author"}, {"name": 7, "role": "author"}]))
        store.upsert_article(dict(_variant(article, 2), people=[{"name": "王五", "role": "author"}]))
        store.upsert_article(dict(_variant(article, 3), people=[{"name": "王五", "role": "editor"}]))
    db = sqlite_utils.Database(db_path)
    named = db.execute("select a.title, p.name, ap.role from article_people ap join articles a on a.id = ap.article_id "
                       "join people p on p.id = ap.person_id order by a.id").fetchall()
    assert named == [("第2篇", "王五", "author"), ("第3篇", "王五", "editor")]
    assert db.execute("select count(*) from article_people where person_id not in (select id from people)"
                      ).fetchone()[0] == 0


def test_the_wal_file_shrinks_back_after_a_checkpoint(store, article, db_path):
    from aggregator.store import WAL_SIZE_LIMIT

    wal = db_path.with_name(db_path.name + "-wal")
    largest = 0
    with store.bulk(every=50):
        for i in range(400):  # ~400 long bodies with their search rows: well over the limit
            store.upsert_article({**article, "url": f"{article['url']}?page={i}",
                                  "body": f"第{i}篇。" + article["body"] * 8})
            largest = max(largest, wal.stat().st_size if wal.exists() else 0)
    assert largest > WAL_SIZE_LIMIT
    store.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    store.upsert_article({**article, "title": "另一个标题"})  # the first write after it resets the WAL
    assert wal.stat().st_size <= WAL_SIZE_LIMIT


def test_bulk_checkpoints_the_wal_less_often_and_then_as_before(store, article):
    from aggregator.store import BULK_WAL_PAGES

    wal_pages = lambda: store.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]  # noqa: E731
    before = wal_pages()
    with store.bulk():
        assert wal_pages() == BULK_WAL_PAGES
        store.upsert_article(article)
    assert wal_pages() == before


def test_bulk_keeps_temporary_files_in_memory_and_then_as_before(store, article):
    temp_store = lambda: store.db.execute("PRAGMA temp_store").fetchone()[0]  # noqa: E731
    before = temp_store()
    with store.bulk():
        assert temp_store() == 2  # MEMORY
        store.upsert_article(article)
    assert temp_store() == before


def test_an_updated_article_gets_its_new_people_and_attachments_only(store, article):
    """A new article's rows are written without deleting first; an updated one's replace its former ones."""
    article_id, _ = store.upsert_article({**article, "attachments": [{"url": "http://jyj.example.gov.cn/a.pdf"}]})
    changed = {**article, "title": "另一个标题", "people": [{"name": "王明", "role": "author"}],
               "attachments": [{"url": "http://jyj.example.gov.cn/b.pdf"}]}
    assert store.upsert_article(changed) == (article_id, "updated")
    people = store.db.execute("select people.name, role from article_people join people on people.id = person_id "
                              "where article_id = ?", [article_id]).fetchall()
    assert people == [("王明", "author")]
    urls = [row[0] for row in store.db.execute("select url from attachments where article_id = ?", [article_id])]
    assert urls == ["http://jyj.example.gov.cn/b.pdf"]
