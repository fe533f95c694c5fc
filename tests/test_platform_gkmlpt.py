"""gkmlpt listing parsing on in-memory responses: SID and category from the column page, the
api/all JSON, paging and its stops, article links on the answering host."""
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import scrapy
from scrapy.http import HtmlResponse, TextResponse
from tests.conftest import platform_spider

from spiders.gkmlpt import GkmlptSpider, api_page, gkmlpt_root, listing_date

HOST = "http://szeb.example.gov.cn"
INDEX = f"{HOST}/gkmlpt/index"
SHELL = ("<div id='app'></div><script>window._CONFIG = {SID: '755031', APP_URL: '', "
         "TREE: [{\"id\": 2811, \"name\": \"工作动态\"}], SERVICE_AREA_ID: 0};</script>")
POST = "/gkmlpt/content/10/10997/post_10997340.html"


class Site(GkmlptSpider):
    name = "gkmlpt_test"
    allowed_domains = ["szeb.example.gov.cn"]
    start_urls = [INDEX]


def make_spider(max_pages=50, **kwargs):
    return platform_spider(Site, max_pages, **kwargs)


def index(body=SHELL, url=INDEX, status=200):
    return HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8", status=status,
                        request=scrapy.Request(url, meta={"listing": True}))


def api_answer(articles, total=None, url=f"{HOST}/gkmlpt/api/all/0?page=1&sid=755031", classify=None):
    payload = {"articles": articles}
    if total is not None:
        payload["total"] = total
    if classify is not None:
        payload["classify"] = classify
    return TextResponse(url, body=json.dumps(payload, ensure_ascii=False).encode(), encoding="utf-8",
                        request=scrapy.Request(url, meta={"listing": True}))


def article(url=f"{HOST}{POST}", date=1734883200, **extra):   # 2024-12-23 00:00 Beijing
    return {"id": 10997340, "title": "t", "url": url, "date": date, **extra}


def api_kwargs(page=1, seen=0):
    return {"root": "/gkmlpt/", "category": "0", "sid": "755031", "page": page, "seen": seen}


def requests_of(results):
    return [r for r in results if isinstance(r, scrapy.Request)]


def api_pages(results):
    return [int(parse_qs(urlsplit(r.url).query)["page"][0]) for r in results if "/api/all/" in r.url]


# -- the column page -> the first API request -------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    (INDEX, f"{HOST}/gkmlpt/api/all/0?page=1&sid=755031"),                  # no category: the whole catalogue
    (f"{INDEX}#2811", f"{HOST}/gkmlpt/api/all/2811?page=1&sid=755031"),     # the category in the fragment
    (f"{HOST}/zqhjj/gkmlpt/index#21023", f"{HOST}/zqhjj/gkmlpt/api/all/21023?page=1&sid=755031"),  # a prefix
])
def test_column_page_asks_the_api_of_its_category(url, expected):
    [request] = requests_of(make_spider().parse(index(url=url)))
    assert request.url == expected


@pytest.mark.parametrize("shell, sid", [
    (SHELL, "755031"),
    ('<script>window._CONFIG = {"SID": "200025", TREE: []}</script>', "200025"),
    ("<script>window._CONFIG={SID:2,TREE:[]}</script>", "2"),
])
def test_the_sid_is_read_from_the_config(shell, sid):
    [request] = requests_of(make_spider().parse(index(shell)))
    assert parse_qs(urlsplit(request.url).query)["sid"] == [sid]


def test_listing_requests_are_marked_listing():
    [request] = requests_of(make_spider().parse(index()))
    assert request.meta.get("listing") is True


def test_the_api_request_goes_to_the_host_that_answered():
    [request] = requests_of(make_spider(base_url="http://127.0.0.1:8999").parse(
        index(url="http://127.0.0.1:8999/gkmlpt/index")))
    assert request.url.startswith("http://127.0.0.1:8999/gkmlpt/api/all/0?")


def test_column_page_ids_are_noted():
    spider = make_spider()
    noted = []
    spider.note_ids = noted.append
    list(spider.parse(index(url=f"{INDEX}#2811")))
    assert (noted[0]["SID"], noted[0]["category"]) == ("755031", "2811")


def test_a_column_page_without_a_sid_is_a_reject():
    spider = make_spider()
    assert list(spider.parse(index("<p>页面维护中</p>"))) == []
    assert spider.rejected[0]["reason"] == "no gkmlpt SID"


def test_a_refused_column_page_yields_nothing():
    assert list(make_spider().parse(index(status=521))) == []


@pytest.mark.parametrize("path, root", [
    ("/gkmlpt/index", "/gkmlpt/"),
    ("/zqhjj/gkmlpt/index", "/zqhjj/gkmlpt/"),
    ("/zqhjj/gkmlpt/api/all/21023", "/zqhjj/gkmlpt/"),
])
def test_gkmlpt_root(path, root):
    assert gkmlpt_root(path) == root


# -- the API's answer ----------------------------------------------------------------------

@pytest.mark.parametrize("payload, total", [
    ({"articles": [], "total": 203}, 203),
    ({"articles": [], "classify": {"id": 21023, "post_count": 88}}, 88),   # no total: the category's count
    ({"articles": []}, None),
])
def test_api_page_total(payload, total):
    assert api_page(json.dumps(payload))[1] == total


@pytest.mark.parametrize("body", ["<html>challenge</html>", json.dumps({"articles": "x"}), json.dumps([1, 2])])
def test_api_page_is_none_for_anything_but_the_catalogue_json(body):
    assert api_page(body) is None


@pytest.mark.parametrize("item, day", [
    ({"date": 1734883200}, "2024-12-23"),                              # midnight Beijing
    ({"display_publish_time": 1734926400, "date": 1}, "2024-12-23"),   # 12:00 Beijing
    ({"created_at": "2024-12-23 18:49:00"}, "2024-12-23"),
    ({}, None),
])
def test_listing_date_is_the_day_the_catalogue_gives(item, day):
    assert listing_date(item) == day


# -- API pages: links and paging ---------------------------------------------------------------

def test_api_articles_become_article_requests_with_day_and_section():
    answer = api_answer([article()], total=1, classify={"id": 2811, "name": "工作动态"})
    [request] = requests_of(make_spider().parse_api(answer, **api_kwargs()))
    assert (request.url, request.meta["listing_date"], request.meta["section"]) == (
        f"{HOST}{POST}", "2024-12-23", "工作动态")


@pytest.mark.parametrize("url, expected", [
    (f"{HOST}{POST}", f"http://127.0.0.1:8999{POST}"),          # the site's absolute url -> the mirror
    (POST, f"http://127.0.0.1:8999{POST}"),                      # relative
    ("https://mp.weixin.qq.com/s/abc", None),                    # another host: not followed
    ("http://127.0.0.1:8999/gkmlpt/content/10/10997/mpost_10997340.html", None),   # the mobile copy
])
def test_article_urls_stay_on_the_answering_host(url, expected):
    spider = make_spider(base_url="http://127.0.0.1:8999")
    answer = api_answer([article(url=url)], total=1, url="http://127.0.0.1:8999/gkmlpt/api/all/0?page=1&sid=755031")
    urls = [r.url for r in requests_of(spider.parse_api(answer, **api_kwargs()))]
    assert urls == ([expected] if expected else [])


@pytest.mark.parametrize("total, page, seen, count, max_pages, expected", [
    (45, 1, 0, 20, 50, [2]),
    (45, 2, 20, 20, 50, [3]),
    (45, 3, 40, 5, 50, []),       # all 45 read
    (45, 2, 20, 20, 2, []),       # AGGREGATOR_MAX_LISTING_PAGES=2
    (45, 2, 20, 20, 0, [3]),      # 0: no limit
    (None, 5, 400, 100, 50, [6]), # no total: go on until an empty page
])
def test_paging_stops_when_all_are_read_or_at_the_limit(total, page, seen, count, max_pages, expected):
    answer = api_answer([article()] * count, total=total)
    assert api_pages(make_spider(max_pages).parse_api(answer, **api_kwargs(page, seen))) == expected


def test_an_empty_page_ends_the_paging():
    assert list(make_spider().parse_api(api_answer([], total=None), **api_kwargs(4, 300))) == []


def test_an_answer_that_is_not_the_catalogue_json_is_a_reject():
    spider = make_spider()
    url = f"{HOST}/gkmlpt/api/all/0?page=1&sid=755031"
    answer = TextResponse(url, body=b"<html>error</html>", encoding="utf-8", request=scrapy.Request(url))
    assert list(spider.parse_api(answer, **api_kwargs())) == []
    assert spider.rejected[0]["reason"] == "bad listing json"


def test_platform_markers_match_a_gkmlpt_column_page():
    labels = {label for label, pattern in GkmlptSpider.platform_markers if re.search(pattern, SHELL)}
    assert {"gkmlpt config", "gkmlpt SID"} <= labels


def test_the_api_request_is_sent_as_the_catalogues_xhr():
    [request] = requests_of(make_spider().parse(index()))
    assert request.headers.get("X-Requested-With") == b"XMLHttpRequest"
