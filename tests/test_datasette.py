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


# the pages people read -----------------------------------------------------------------------

@pytest.fixture
def story(store, article, db_path):
    """An original on bl and a copy on nb that credits it 20 hours later (the store clusters them)."""
    original_id, _ = store.upsert_article(article)
    copy_id, _ = store.upsert_article(dict(article, url="http://jyj.ningbo.gov.cn/art/2021/7/1/art_1_2.html", site="nb",
                                           title="宁波转载", source="北仑区教育局", people=[],
                                           published_at="2021-07-01T09:06:00+08:00"))
    return make_datasette(db_path), original_id, copy_id


def test_the_reading_page_shows_the_article_to_read(story):
    from html import unescape
    ds, original_id, copy_id = story
    html = unescape(get(ds, f"/news/articles/{original_id}").text)
    assert '<h1 class="headline">表演我们自己的故事</h1>' in html
    assert "北仑区教育局" in html and "来源：投稿" in html
    assert "2021-06-30 13:06:00 (UTC+08:00)" in html and "to the second" in html
    assert '/news/articles_by_person?name=%E6%9D%A8%E9%98%B3">杨阳</a>' in html
    # the body's two paragraphs, each a paragraph of its own
    assert html.count("<p>6月23日下午") == 1 and html.count("<p>比赛现场") == 1
    assert 'href="http://www.bl.gov.cn/art/2021/6/30/art_1229_3456.html"' in html
    assert "This story on 2 pages" in html
    assert "(original)" in html and "20 h later" in html and "credits the original" in html
    # the machine columns one click away
    assert "<details" in html and "content_hash" in html


def test_the_reading_page_of_a_copy_links_its_original(story):
    ds, original_id, copy_id = story
    html = get(ds, f"/news/articles/{copy_id}").text
    assert f'href="/news/articles/{original_id}"' in html and "宁波市教育局" in html


def test_the_reading_page_says_why_each_copy_joined_the_story(story):
    from html import unescape
    ds, original_id, copy_id = story
    html = unescape(get(ds, f"/news/articles/{original_id}").text)
    why = html.split('<td class="why">')[2].split("</td>")[0]  # the first is the original's dash
    assert why and why != "—"


def test_a_row_of_another_table_keeps_datasettes_page(story):
    response = get(story[0], "/news/sites/bl")
    assert response.status_code == 200 and "display_name" in response.text


def test_the_articles_list_shows_what_a_person_scans(story):
    ds, original_id, _ = story
    html = get(ds, "/news/articles").text
    table = html[html.index('<table class="rows-and-columns article-list"'):]
    table = table[:table.index("</table>")]
    headers = [h.split('data-column="')[1].split('"')[0] for h in table.split("<th ")[1:] if 'data-column="' in h]
    assert headers == ["title", "site", "section", "published_at", "source"]
    assert f'<a href="/news/articles/{original_id}">表演我们自己的故事</a>' in table
    assert "2 pages" in table  # story size
    assert "6月23日下午" not in table and "content_hash" not in table  # no body, no machine columns


def test_the_articles_list_keeps_every_column_in_json_and_csv(story):
    row = get(story[0], "/news/articles.json?_shape=objects").json()["rows"][0]
    assert {"body", "content_hash", "published_signal", "canonical_url"} <= set(row)
    csv_header = get(story[0], "/news/articles.csv").text.splitlines()[0]
    assert "body" in csv_header and "content_hash" in csv_header


@pytest.mark.parametrize("query", ["pickups", "uncredited_copies"])
def test_editors_views_open_with_a_site_chooser(story, query):
    html = get(story[0], f"/news/{query}").text
    assert 'class="chooser"' in html
    assert f"/news/{query}?site=bl" in html and "北仑区教育局" in html


def test_pickups_with_no_site_chosen_lists_every_sites_pickups(story):
    rows = get(story[0], "/news/pickups.json?_shape=objects").json()["rows"]
    assert [(r["copy_site"], r["credit"]) for r in rows] == [("nb", "credited")]


def test_articles_by_person_opens_with_a_person_chooser(story):
    html = get(story[0], "/news/articles_by_person").text
    assert 'class="chooser"' in html and "/news/articles_by_person?name=%E6%9D%A8%E9%98%B3" in html


CANNED = ["search", "latest_per_site", "articles_by_person", "pickups", "uncredited_copies",
          "widest_stories_this_week", "site_health"]


@pytest.mark.parametrize("site", ["", "bl", "nb"])
@pytest.mark.parametrize("query", CANNED)
def test_every_canned_query_answers_for_every_site(story, query, site):
    for suffix in ("", ".json"):
        assert get(story[0], f"/news/{query}{suffix}?site={site}&q=教育").status_code == 200


@pytest.mark.parametrize("site", ["", "bl", "nb", "no_such_site"])
@pytest.mark.parametrize("feed", ["new_pickups_feed", "site_alerts_feed"])
def test_every_feed_is_a_valid_atom_document_for_every_site(story, feed, site):
    from xml.etree import ElementTree

    response = get(story[0], f"/news/{feed}.atom?site={site}")
    assert response.status_code == 200
    feed_element = ElementTree.fromstring(response.text)
    assert feed_element.tag == "{http://www.w3.org/2005/Atom}feed"
    for tag in ("id", "title", "updated"):
        assert feed_element.find(f"{{http://www.w3.org/2005/Atom}}{tag}") is not None
    entries = feed_element.findall("{http://www.w3.org/2005/Atom}entry")
    if feed == "new_pickups_feed" and site in ("", "bl"):
        assert len(entries) == 1
    else:
        assert entries == []


def test_the_home_page_is_the_door(story):
    html = get(story[0], "/").text
    for link in ("/news/articles?_sort_desc=published_at", 'action="/news/search"', "/-/dashboards/news-charts",
                 "/news/pickups", "/news/uncredited_copies", "/news/site_health", "/news/crawls",
                 "/news/new_pickups_feed.atom?site=bl", "/news/new_pickups_feed.atom?site=nb"):
        assert link in html, link


def test_the_charts_page_draws_from_bundled_assets(story):
    import re
    ds = story[0]
    html = get(ds, "/-/dashboards/news-charts").text
    assert get(ds, "/-/dashboards/news-charts").status_code == 200
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert any("vega-lite" in s for s in scripts)
    assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))]
    for script in scripts:
        assert get(ds, script).status_code == 200, script
