"""jpaas listing parsing on in-memory responses: the column page's unit, the build/unit API's
JSON, paging and its stops, article links."""
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import scrapy
from scrapy.http import HtmlResponse, TextResponse
from tests.conftest import platform_spider

from spiders.jpaas import UNIT_PATH, JpaasSpider, unit_page, unit_spec

HOST = "http://jyj.example.gov.cn"
COLUMN_URL = f"{HOST}/col/col1229055447/index.html"
QUERY = ("{'webId':'3271','pageId':'1229055447','parseType':'bulidstatic','pageType':'column',"
         "'tagId':'信息列表','tplSetId':'Bt7wQe2X','editType':'null'}")
LOADER = f'<script src="/AuthorizedRead/unitbuild.js" url="{UNIT_PATH}" queryData="{QUERY}"></script>'
ART = "/col/col1229055447/art/2024/art_5b323aaecd2c2452994348aff7c950c0.html"


class Site(JpaasSpider):
    name = "jpaas_test"
    allowed_domains = ["jyj.example.gov.cn"]
    start_urls = [COLUMN_URL]


def make_spider(max_pages=50, **kwargs):
    return platform_spider(Site, max_pages, **kwargs)


def column(body, url=COLUMN_URL, status=200):
    return HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8", status=status,
                        request=scrapy.Request(url, meta={"listing": True}))


def unit_answer(rows, count=None, page_no=1, size=15, success=True, url=None):
    items = "".join(f'<li><a href="{href}" title="t">t</a><span>{day}</span></li>' for href, day in rows)
    pager = f'<div class="pagination" count="{count}" pageNo="{page_no}" rows="{size}"></div>' if count is not None else ""
    body = json.dumps({"success": success, "data": {"html": f"<ul>{items}</ul>{pager}"}}, ensure_ascii=False)
    url = url or f"{HOST}{UNIT_PATH}?pageId=1229055447"
    return TextResponse(url, body=body.encode(), encoding="utf-8", request=scrapy.Request(url, meta={"listing": True}))


def requests_of(results):
    return [r for r in results if isinstance(r, scrapy.Request)]


def unit_kwargs(page_no=1):
    return {"unit_url": f"{HOST}{UNIT_PATH}", "params": {"webId": "3271", "pageId": "1229055447"},
            "page_no": page_no, "section": "教育动态"}


# -- the column page's unit ---------------------------------------------------------------------

@pytest.mark.parametrize("html, expected", [
    (LOADER, (UNIT_PATH, "1229055447", "信息列表")),
    # the pager div carries the unit on templates that render the first page
    (f'<div class="pagination" count="30" rows="15" unitUrl="{UNIT_PATH}" queryData="{QUERY}"></div>',
     (UNIT_PATH, "1229055447", "信息列表")),
    # a search unit before the list unit: the list one wins
    (f'<script src="/AuthorizedRead/unitbuild.js" url="{UNIT_PATH}" queryData="{{\'tagId\':\'站内搜索\'}}"></script>'
     + LOADER, (UNIT_PATH, "1229055447", "信息列表")),
    # JSON with HTML-escaped double quotes instead of single-quoted keys
    (f'<script url="{UNIT_PATH}" queryData="{{&quot;webId&quot;:&quot;9&quot;,&quot;pageId&quot;:&quot;77&quot;,'
     f'&quot;tagId&quot;:&quot;栏目列表&quot;}}"></script>', (UNIT_PATH, "77", "栏目列表")),
])
def test_unit_spec_reads_the_list_unit(html, expected):
    url, params = unit_spec(html)
    assert (url, params["pageId"], params["tagId"]) == expected


@pytest.mark.parametrize("html", [
    "<ul><li><a href='/art/1.html'>x</a></li></ul>",
    '<script src="/AuthorizedRead/unitbuild.js" queryData="not json"></script>',
])
def test_unit_spec_is_none_without_a_unit(html):
    assert unit_spec(html) is None


# -- the API's answer ------------------------------------------------------------------------

@pytest.mark.parametrize("body, expected", [
    (json.dumps({"success": True, "data": {"html": '<ul></ul><div class="pagination" count="38" rows="15"></div>'}}),
     (38, 15)),
    (json.dumps({"success": True, "data": {"html": "<ul><li>x</li></ul>"}}), (None, None)),
])
def test_unit_page_reads_total_and_rows_from_the_pager(body, expected):
    assert unit_page(body)[1:] == expected


@pytest.mark.parametrize("body", [
    json.dumps({"success": False, "code": "500", "message": "参数错误", "data": None}),
    json.dumps({"success": True, "data": {}}),
    "<html><script>challenge()</script></html>",
])
def test_unit_page_is_none_for_anything_but_the_unit_json(body):
    assert unit_page(body) is None


# -- column page -> first API request -----------------------------------------------------------

def test_column_page_asks_the_unit_api_for_page_one_with_the_pages_ids():
    [request] = requests_of(make_spider().parse(column(LOADER)))
    query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
    assert urlsplit(request.url).path == UNIT_PATH
    assert (query["webId"], query["pageId"], query["tagId"], query["tplSetId"], query["parseType"]) == (
        "3271", "1229055447", "信息列表", "Bt7wQe2X", "bulidstatic")
    assert json.loads(query["paramJson"]) == {"pageNo": 1, "pageSize": 15}


def test_listing_requests_are_marked_listing():
    [request] = requests_of(make_spider().parse(column(LOADER)))
    assert request.meta.get("listing") is True


def test_the_api_request_goes_to_the_host_that_answered():
    mirror = "http://127.0.0.1:8999/col/col1229055447/index.html"
    [request] = requests_of(make_spider(base_url="http://127.0.0.1:8999").parse(column(LOADER, url=mirror)))
    assert request.url.startswith(f"http://127.0.0.1:8999{UNIT_PATH}?")


def test_page_id_falls_back_to_the_column_number():
    loader = LOADER.replace("'pageId':'1229055447',", "")
    [request] = requests_of(make_spider().parse(column(loader)))
    assert parse_qs(urlsplit(request.url).query)["pageId"] == ["1229055447"]


def test_column_page_ids_are_noted():
    spider = make_spider()
    noted = []
    spider.note_ids = noted.append
    list(spider.parse(column(LOADER)))
    assert (noted[0]["webId"], noted[0]["pageId"]) == ("3271", "1229055447")


def test_a_column_page_without_a_unit_is_a_reject():
    spider = make_spider()
    assert requests_of(spider.parse(column("<p>改版中</p>"))) == []
    assert spider.rejected[0]["reason"] == "no list unit"


def test_a_refused_column_page_yields_nothing():
    assert list(make_spider().parse(column(LOADER, status=404))) == []


# -- API pages: links and paging --------------------------------------------------------------

def test_api_rows_become_article_requests_with_their_dates():
    results = requests_of(make_spider().parse_unit(unit_answer([(ART, "2024-11-22")], count=1), **unit_kwargs()))
    assert [(r.url, r.meta["listing_date"], r.meta["section"]) for r in results] == [
        (f"{HOST}{ART}", "2024-11-22", "教育动态")]


@pytest.mark.parametrize("href, followed", [
    (ART, True),
    ("/art/2021/6/30/art_1229055447_41234567.html", True),   # an old JCMS article in the same list
    ("/col/col1229055447/index.html", False),
    ("https://www.other.gov.cn/col/col1/art/2024/art_5b323aaecd2c2452994348aff7c950c0.html", False),
])
def test_which_api_links_are_followed(href, followed):
    results = requests_of(make_spider().parse_unit(unit_answer([(href, "2024-01-02")], count=1), **unit_kwargs()))
    assert bool(results) is followed


def next_pages(results):
    return [json.loads(parse_qs(urlsplit(r.url).query)["paramJson"][0])["pageNo"]
            for r in results if urlsplit(r.url).path == UNIT_PATH]


@pytest.mark.parametrize("count, page_no, max_pages, expected", [
    (38, 1, 50, [2]),      # 38 records, 15 a page: 3 pages
    (38, 2, 50, [3]),
    (38, 3, 50, []),       # the last page
    (30, 2, 50, []),       # exactly two full pages
    (38, 2, 2, []),        # AGGREGATOR_MAX_LISTING_PAGES=2
    (38, 2, 0, [3]),       # 0: no limit
    (None, 4, 50, [5]),    # no pager total: go on until an empty page
])
def test_paging_stops_at_the_last_page_or_the_limit(count, page_no, max_pages, expected):
    answer = unit_answer([(ART, "2024-11-22")], count=count, page_no=page_no)
    assert next_pages(make_spider(max_pages).parse_unit(answer, **unit_kwargs(page_no))) == expected


def test_an_empty_page_ends_the_paging():
    assert list(make_spider().parse_unit(unit_answer([], count=None, page_no=3), **unit_kwargs(3))) == []


def test_the_next_page_keeps_the_units_parameters():
    [request] = [r for r in make_spider().parse_unit(unit_answer([(ART, None)], count=38), **unit_kwargs())
                 if urlsplit(r.url).path == UNIT_PATH]
    query = parse_qs(urlsplit(request.url).query)
    assert (query["webId"], query["pageId"], request.meta.get("listing")) == (["3271"], ["1229055447"], True)


def test_an_api_answer_that_is_not_the_unit_json_is_a_reject():
    spider = make_spider()
    answer = unit_answer([(ART, None)], count=1, success=False)
    assert list(spider.parse_unit(answer, **unit_kwargs())) == []
    assert spider.rejected[0]["reason"] == "bad listing json"


def test_platform_markers_match_a_jpaas_column_page():
    import re
    labels = {label for label, pattern in JpaasSpider.platform_markers if re.search(pattern, LOADER)}
    assert {"jpaas unit block", "jpaas unit loader", "jpaas-publish-server"} <= labels


def test_the_api_request_is_sent_as_the_loaders_xhr():
    [request] = requests_of(make_spider().parse(column(LOADER)))
    assert request.headers.get("X-Requested-With") == b"XMLHttpRequest"
