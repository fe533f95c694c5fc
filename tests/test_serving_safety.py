"""Serving is safe: Datasette cannot write, a slow query answers an error, robots are kept
out, and nothing stored (titles, bodies, sources, bylines, people, site runs, rejects) is
ever rendered as HTML: every page and feed shows it escaped."""
import asyncio
import html
import time
from urllib.parse import quote
from xml.etree import ElementTree

import pytest

from aggregator.serve import ReadOnlyWrite, make_datasette
from aggregator.store import single_writer
from tests.conftest import BODY

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><b>']
MARKUP = "".join(PAYLOADS)
# how a page shows MARKUP when escaped (HTML escapes the quote as &#34;, XML text leaves it)
SHOWN = html.escape(PAYLOADS[0] + PAYLOADS[1], quote=False)
ATOM = "{http://www.w3.org/2005/Atom}"


def get(ds, path):
    return asyncio.run(ds.client.get(path))


def count(store, table):
    return store.db.execute(f"select count(*) from {table}").fetchone()[0]


@pytest.fixture
def served(store, article, db_path):
    return make_datasette(db_path)


# read-only ------------------------------------------------------------------------
@pytest.mark.parametrize("sql", [
    "insert into sites (name) values ('x')",
    "update sites set display_name = 'x'",
    "delete from sites",
    "drop table sites",
    "with x as (select 1) insert into sites (name) select 'x'",  # a SELECT-looking write
    "pragma query_only = 0",
])
def test_sql_that_writes_is_refused(served, store, sql):
    before = count(store, "sites")
    response = get(served, f"/news.json?sql={quote(sql)}")
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert count(store, "sites") == before


def test_the_select_looking_write_is_stopped_by_the_read_only_connection(served):
    sql = "with x as (select 1) insert into sites (name) select 'x'"
    assert "readonly database" in get(served, f"/news.json?sql={quote(sql)}").json()["error"]


def test_every_connection_datasette_opens_is_read_only(served):
    db = served.databases["news"]
    assert asyncio.run(db.execute("pragma query_only")).rows[0][0] == 1
    for write in (False, True):  # Datasette's write connection too
        conn = db.connect(write=write)
        with pytest.raises(Exception, match="readonly|query_only"):
            conn.execute("insert into sites (name) values ('x')")
    with pytest.raises(ReadOnlyWrite):
        asyncio.run(db.execute_write("insert into sites (name) values ('x')"))


@pytest.mark.parametrize("path", ["/news/search", "/news/articles", "/news", "/news/sites/-/insert", "/-/logout"])
def test_requests_that_are_not_reads_answer_405(served, store, path):
    before = count(store, "sites")
    response = asyncio.run(served.client.post(path, data={"sql": "insert into sites (name) values ('x')"}))
    assert response.status_code == 405
    assert count(store, "sites") == before


def test_no_canned_query_writes_and_no_plugin_renders_html(served):
    queries = served.metadata("queries", database="news")
    assert queries and not [name for name, q in queries.items() if q.get("write")]
    # datasette-atom renders atom_content_html as HTML: the feeds give text (atom_content)
    assert not [name for name, q in queries.items() if "atom_content_html" in q["sql"]]
    assert not served.plugin_config("datasette-atom")  # allow_unsafe_html_in_canned_queries unset
    plugins = get(served, "/-/plugins.json").json()
    # datasette-render-markdown (it comes with datasette-dashboards) only with no column to render
    markdown = served.plugin_config("datasette-render-markdown")
    assert markdown == {"patterns": [], "columns": []}
    assert not [p["name"] for p in plugins if "render_cell" in p["hooks"] and p["name"] != "datasette-render-markdown"]


def test_serving_writes_nothing_not_even_while_a_crawl_holds_the_writer_lock(store, article, db_path):
    store.upsert_article(article)
    store.close()
    before = db_path.read_bytes()
    with single_writer(db_path):
        files = {p.name for p in db_path.parent.iterdir()}
        ds = make_datasette(db_path)
        for path in ("/news/articles", "/news/articles/1", "/news/site_health", "/news/search?q=教育"):
            assert get(ds, path).status_code == 200
    for conn in ds.databases["news"]._all_file_connections:
        conn.close()
    assert db_path.read_bytes() == before
    assert {p.name for p in db_path.parent.iterdir()} <= files | {"news.db-wal", "news.db-shm"}


def test_a_missing_database_is_not_created(tmp_path):
    with pytest.raises(FileNotFoundError):
        make_datasette(tmp_path / "news.db")
    assert list(tmp_path.iterdir()) == []


# SQL time limit -------------------------------------------------------------------
def test_a_slow_query_answers_an_error_not_a_hang(served):
    assert served.setting("sql_time_limit_ms") == 3000
    sql = ("with recursive c(x) as (select 1 union all select x + 1 from c where x < 1000000000) "
           "select count(*) from c")
    started = time.monotonic()
    response = get(served, f"/news.json?sql={quote(sql)}")
    assert time.monotonic() - started < 10
    assert response.status_code == 400
    assert "took too long" in response.json()["error"]


# robots.txt -----------------------------------------------------------------------
def test_robots_txt_keeps_search_engines_out(served):
    response = get(served, "/robots.txt")
    assert response.status_code == 200
    assert response.text.splitlines() == ["User-agent: *", "Disallow: /"]


# nothing stored is rendered as HTML -----------------------------------------------
@pytest.fixture
def hostile(store, article, db_path):
    """Articles, people, a site, a site run and a reject whose every text holds markup; the nb
    copy of the bl article makes a story with a pickup."""
    store.sync_sites([{"name": "bl", "display_name": "北仑区教育局" + MARKUP}])
    hostile_article = dict(
        article, title="标题" + MARKUP, body=MARKUP + "教育正文" + MARKUP + "\n" + BODY,
        source="来源" + MARKUP, byline_raw="作者：" + MARKUP,
        people=[{"name": "杨阳" + MARKUP, "role": "author", "label": "作者" + MARKUP}])
    store.upsert_article(hostile_article)
    store.upsert_article(dict(hostile_article, url="http://jyj.ningbo.gov.cn/art/2021/7/1/art_1_2.html", site="nb",
                              published_at="2021-07-01T09:06:00+08:00"))
    assert store.db.execute("select count(distinct story_id), count(*) from articles").fetchone() == (1, 2)
    crawl_id = store.start_crawl(["bl"])
    store.record_site_run({"crawl_id": crawl_id, "site": "bl", "status": "failed", "reason": "理由" + MARKUP,
                           "listing_requests": 1, "listing_failed": 1, "article_links": 0, "articles_new": 0,
                           "rejects": 1})
    store.add_reject(url="http://www.bl.gov.cn/art/x.html?" + MARKUP, site="bl", reason="http 404 " + MARKUP,
                     crawl_id=crawl_id, detail=MARKUP)
    return make_datasette(db_path)


# each page and what it must show (escaped) of the stored markup
PAGES = {
    "/news/articles": ["标题", "来源", "北仑区教育局"],  # the list shows no byline (the reading page does)
    "/news/articles/1": ["标题", "教育正文", "来源", "作者："],
    "/news/articles?_facet=source&_facet=byline_raw": ["来源", "作者："],
    "/news/search?q=教育正文": ["标题", "教育正文</mark>"],  # the matched word highlighted
    "/news/search?q=" + quote(MARKUP): [],  # the query itself, echoed in the form
    "/news/articles_by_person?name=" + quote("杨阳" + MARKUP): ["杨阳", "标题"],
    "/news/pickups?site=bl": ["标题"],
    "/news/uncredited_copies": [],
    "/news/latest_per_site": ["标题"],
    "/news/stories": ["标题"],
    "/news/people": ["杨阳"],
    "/news/people/1": ["杨阳"],
    "/news/article_people": ["杨阳", "作者"],
    "/news/sites": ["北仑区教育局"],
    "/news/site_health": ["理由", "北仑区教育局"],
    "/news/site_runs": ["理由"],
    "/news/rejects": ["http 404 "],
    "/news?sql=" + quote(f"select '{MARKUP}' as x"): [""],
}


@pytest.mark.parametrize("path", PAGES)
def test_pages_show_stored_markup_escaped(hostile, path):
    response = get(hostile, path)
    assert response.status_code == 200
    page = response.text
    assert [p for p in PAYLOADS if p in page] == []
    for prefix in PAGES[path]:
        assert prefix + SHOWN in page, f"{prefix}… not shown (escaped) on {path}"


@pytest.mark.parametrize("path,expected", [
    ("/news/new_pickups_feed.atom?site=", "nb picked up: 标题" + MARKUP),
    ("/news/new_pickups_feed.atom?site=bl", "nb picked up: 标题" + MARKUP),
    ("/news/site_alerts_feed.atom", "bl failed: 理由" + MARKUP),
])
def test_atom_feeds_give_stored_markup_as_text(hostile, path, expected):
    response = get(hostile, path)
    assert response.status_code == 200
    assert [p for p in PAYLOADS if p in response.text] == []
    feed = ElementTree.fromstring(response.text)
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == expected  # a reader shows the characters, not markup
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "text"
    assert SHOWN in response.text


def test_the_site_alert_names_the_site_as_text(hostile):
    [entry] = ElementTree.fromstring(get(hostile, "/news/site_alerts_feed.atom").text).findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}content").text.startswith("北仑区教育局" + MARKUP + " (bl)")


def test_an_empty_feed_escapes_its_url(served):
    response = get(served, "/news/new_pickups_feed.atom?site=" + quote(MARKUP))
    assert response.status_code == 200
    assert [p for p in PAYLOADS if p in response.text] == []
    assert ElementTree.fromstring(response.text).findall(f"{ATOM}entry") == []
