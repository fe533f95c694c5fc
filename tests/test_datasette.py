import asyncio

import pytest

from aggregator.serve import make_datasette


@pytest.fixture
def datasette(store, article, db_path):
    store.upsert_article(article)
    store.upsert_article(dict(article, url="http://jyj.ningbo.gov.cn/art/2021/7/1/art_1_2.html", site="nb",
                              title="宁波转载", published_at="2021-07-01T09:06:00+08:00"))
    return make_datasette(db_path)


def get(ds, path):
    return asyncio.run(ds.client.get(path))


def test_articles_json(datasette):
    response = get(datasette, "/news/articles.json?_shape=objects")
    assert response.status_code == 200
    titles = sorted(row["title"] for row in response.json()["rows"])
    assert titles == ["宁波转载", "表演我们自己的故事"]


def test_articles_are_faceted_by_site_and_month(datasette):
    facets = get(datasette, "/news/articles.json").json()["facet_results"]
    facets = facets.get("results", facets)  # Datasette 0.x vs 1.x layout
    by_site = {r["value"]: r["count"] for r in facets["site"]["results"]}
    assert by_site == {"bl": 1, "nb": 1}
    months = {r["value"] for r in facets["published_month"]["results"]}
    assert months == {"2021-06", "2021-07"}


def test_site_foreign_key_shows_the_display_name(datasette):
    html = get(datasette, "/news/articles").text
    assert "北仑区教育局" in html and "宁波市教育局" in html


def test_canned_query_articles_by_person(datasette):
    response = get(datasette, "/news/articles_by_person.json?name=杨阳&_shape=objects")
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert {(r["role"], r["site"]) for r in rows} >= {("author", "bl"), ("editor", "bl")}


def test_canned_query_latest_per_site(datasette):
    rows = get(datasette, "/news/latest_per_site.json?_shape=objects").json()["rows"]
    assert [r["site"] for r in rows] == ["bl", "nb"]


def test_home_page_links_to_the_articles(datasette):
    html = get(datasette, "/").text
    assert "/news/articles" in html and "latest_per_site" in html


def test_database_not_named_news_keeps_the_metadata(tmp_path, article):
    from aggregator.store import Store
    store = Store(tmp_path / "demo.db")
    store.sync_sites([{"name": "bl", "display_name": "北仑区教育局"}])
    store.upsert_article(article)
    ds = make_datasette(tmp_path / "demo.db")
    assert get(ds, "/demo/latest_per_site.json").status_code == 200
    assert "/demo/articles" in get(ds, "/").text


def failed_run(store, site="nb"):
    crawl_id = store.start_crawl([site])
    store.record_site_run({"crawl_id": crawl_id, "site": site, "status": "failed",
                           "reason": "every listing request failed (http 404 ×1)", "listing_requests": 1,
                           "listing_failed": 1, "article_links": 0, "articles_new": 0, "rejects": 1})


def test_site_health_lists_each_sites_last_run(datasette, store):
    failed_run(store)
    rows = get(datasette, "/news/site_health.json?_shape=objects").json()["rows"]
    assert [(r["site"], r["status"], r["display_name"]) for r in rows] == [("nb", "failed", "宁波市教育局")]


def test_site_alerts_feed_names_the_failed_site(datasette, store):
    failed_run(store)
    response = get(datasette, "/news/site_alerts_feed.atom")
    assert response.status_code == 200
    assert "nb failed: every listing request failed (http 404 ×1)" in response.text


@pytest.mark.parametrize("path", ["/news/site_alerts_feed.atom", "/news/new_pickups_feed.atom?site=nb"])
def test_a_feed_with_nothing_to_say_yet_is_an_empty_feed(datasette, path):
    from xml.etree import ElementTree

    response = get(datasette, path)
    assert response.status_code == 200
    feed = ElementTree.fromstring(response.text)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.findall("{http://www.w3.org/2005/Atom}entry") == []
