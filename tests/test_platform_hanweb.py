"""Hanweb JCMS listing parsing (spiders/hanweb.py) on in-memory responses."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy import FormRequest
from scrapy.http import Request

from spiders.hanweb import HanwebSpider, column_params
from tests.conftest import listing_response, platform_spider
from spiders.trs import TrsSpider

COL = "http://jyj.example.gov.cn/col/col1229046766/index.html"


class Site(HanwebSpider):
    name = "hanweb_test"
    display_name = "示例教育局"
    allowed_domains = ["jyj.example.gov.cn"]
    start_urls = [COL]


def spider(max_pages=50, base_url=None, cls=Site):
    return platform_spider(cls, max_pages, base_url=base_url)


def response(body, url=COL, status=200, meta=None):
    return listing_response(url, body, status, meta)


def record(inner):
    return f"<record><![CDATA[{inner}]]></record>"


def datastore(records, total=None, nextgroup=""):
    ng = f"<nextgroup><![CDATA[{nextgroup}]]></nextgroup>" if nextgroup else ""
    tot = f"<totalrecord>{total}</totalrecord>" if total is not None else ""
    return f'<script type="text/xml"><datastore>{ng}<recordset>{"".join(records)}</recordset>{tot}</datastore></script>'


LI = '<li><a href="/art/2021/6/{d}/art_1229046766_{n}.html" title="标题{n}">标题{n}</a><span>2021-06-{d:02d}</span></li>'


def records(first, last):
    return [record(LI.format(d=n % 28 + 1, n=n)) for n in range(first, last + 1)]


def requests_of(output, kind):
    return [r for r in output if isinstance(r, Request) and (isinstance(r, FormRequest) == (kind == "proxy"))]


# --------------------------------------------------------------------- column params
NEXTGROUP_WEB = ('<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=67&path=/&columnid=77278'
                 '&unitid=303271&webname=%25E6%25B1%259F%25E8%258B%258F&permissiontype=0"></a>')


@pytest.mark.parametrize("html, key, value", [
    ("<script>$('#1').jpage({proxyUrl:'/module/web/jpage/dataproxy.jsp',perPage:15});</script>", "proxy",
     "/module/web/jpage/dataproxy.jsp"),
    ("<script>$('#1').jpage({proxyUrl:'/module/jpage/dataproxy.jsp'});</script>", "proxy", "/module/jpage/dataproxy.jsp"),
    (datastore([], nextgroup=NEXTGROUP_WEB), "proxy", "/module/web/jpage/dataproxy.jsp"),
    ("<script>var url = '/module/jslib/jquery/jpage/dataproxy.jsp';</script>", "proxy",
     "/module/jslib/jquery/jpage/dataproxy.jsp"),
    ("<html><body>no pager</body></html>", "proxy", None),
    ("<script>var param_212860={columnid:33718,unitid:'212860'};</script>", "unitid", "212860"),
    ("<script>var param_212860={columnid:33718,unitid:'212860'};</script>", "columnid", "33718"),
    ("<script>$('#1').jpage({ajaxParam:{col:1,appid:'1',webid:60,columnid:30067,unitid:'49468',webname:'南通市政府采购网'}});"
     "</script>", "webid", "60"),
    ("<script>$('#1').jpage({ajaxParam:{webid:60,webname:'南通市政府采购网'}});</script>", "webname", "南通市政府采购网"),
    (datastore([], nextgroup=NEXTGROUP_WEB), "webid", "67"),
    (datastore([], nextgroup=NEXTGROUP_WEB), "unitid", "303271"),
    (datastore([], nextgroup=NEXTGROUP_WEB), "webname", "江苏"),
    ("<body>no ids</body>", "columnid", "1229046766"),
    (datastore(records(1, 2), total=52), "total", 52),
    ("<script>$('#1').jpage({totalRecord:4895,perPage:19});</script>", "total", 4895),
    ("<script>$('#1').jpage({totalRecord:4895,perPage:19});</script>", "per_page", 19),
    ("<script>$('#1').jpage({totalRecord:40,perPage:10,groupSize:2});</script>", "group_size", 2),
])
def test_column_params_read_from_the_page(html, key, value):
    assert column_params(html, COL)[key] == value


def test_param_object_wins_over_an_id_printed_elsewhere_in_the_page():
    html = ("<form><input name='unitid' value='1'></form>"
            "<script>var param_77={webid:'25',unitid:'259123',columnid:58320};</script>")
    assert column_params(html, COL)["unitid"] == "259123"


# --------------------------------------------------------------------- records
@pytest.mark.parametrize("inner, href, date", [
    ('<li><a href="/art/2021/6/30/art_1_2.html" title="有标题">有标题</a><span>2021-06-30</span></li>',
     "http://jyj.example.gov.cn/art/2021/6/30/art_1_2.html", "2021-06-30"),
    ('<li><a href="/art/2021/6/30/art_1_3.html">只有文字</a><i>2021-06-29</i></li>',
     "http://jyj.example.gov.cn/art/2021/6/30/art_1_3.html", "2021-06-29"),
    ("<tr><td><a href='../../art/2021/6/30/art_1_4.html' title='表格'>表格</a></td><td>[2021-06-28]</td></tr>",
     "http://jyj.example.gov.cn/art/2021/6/30/art_1_4.html", "2021-06-28"),
    ('<li class="clearfix"><a target="_blank" href="http://jyj.example.gov.cn/art/2021/6/30/art_1_5.html" '
     'title="绝对">绝对</a> <b>2021-06-27</b></li>', "http://jyj.example.gov.cn/art/2021/6/30/art_1_5.html", "2021-06-27"),
])
def test_a_record_becomes_an_article_request_with_its_listing_date(inner, href, date):
    out = list(spider().parse(response(datastore([record(inner)], total=1))))
    [request] = requests_of(out, "article")
    assert (request.url, request.meta["listing_date"]) == (href, date)


def test_links_outside_the_records_are_not_followed():
    html = ('<div class="side"><a href="/art/2020/1/1/art_9_9.html">侧栏</a></div>'
            + datastore(records(1, 3), total=3))
    urls = [r.url for r in requests_of(spider().parse(response(html)), "article")]
    assert len(urls) == 3 and not any("art_9_9" in u for u in urls)


def test_a_link_to_another_site_is_not_followed():
    inner = '<li><a href="http://zwgk.other.gov.cn/art/2021/11/4/art_12480_1.html">别的站</a><b>2021-11-04</b></li>'
    assert not requests_of(spider().parse(response(datastore([record(inner)], total=1))), "article")


def test_an_absolute_link_on_the_real_host_is_followed_on_a_mirror():
    s = spider(base_url="http://127.0.0.1:8999")
    inner = '<li><a href="http://jyj.example.gov.cn/art/2021/6/30/art_1_5.html">绝对</a></li>'
    out = list(s.parse(response(datastore([record(inner)], total=1),
                                url="http://127.0.0.1:8999/col/col1229046766/index.html")))
    assert [r.url for r in requests_of(out, "article")] == ["http://127.0.0.1:8999/art/2021/6/30/art_1_5.html"]


# --------------------------------------------------------------------- dataproxy requests
JPAGE = ("<script>$('#4729348').jpage({{totalRecord:{total},perPage:{per},groupSize:{group},"
         "proxyUrl:'{proxy}',ajaxParam:{{col:1,appid:1,webid:1544,path:'/',columnid:1543974,"
         "sourceContentType:1,unitid:'4729348',webname:'浙江省教育厅',permissiontype:0}}}});</script>")


def column(total=50, first=20, per=10, group=2, proxy="/module/jpage/dataproxy.jsp"):
    return datastore(records(1, first)) + JPAGE.format(total=total, per=per, group=group, proxy=proxy)


def ranges(out):
    return [(int(parse_qs(urlsplit(r.url).query)["startrecord"][0]), int(parse_qs(urlsplit(r.url).query)["endrecord"][0]))
            for r in requests_of(out, "proxy")]


@pytest.mark.parametrize("kwargs, expected", [
    (dict(total=50, first=20, per=10, group=2), [(21, 40), (41, 50)]),
    (dict(total=52, first=15, per=15, group=3), [(16, 52)]),
    (dict(total=15, first=15, per=15, group=3), []),
    (dict(total=100, first=10, per=10, group=1), [(11, 20), (21, 30), (31, 40), (41, 50), (51, 60), (61, 70),
                                                 (71, 80), (81, 90), (91, 100)]),
])
def test_the_rest_of_the_column_is_asked_for_in_groups(kwargs, expected):
    assert ranges(spider().parse(response(column(**kwargs)))) == expected


def test_max_listing_pages_caps_the_records_asked_for():
    assert ranges(spider(max_pages=3).parse(response(column(total=50, first=20, per=10, group=2)))) == [(21, 30)]


@pytest.mark.parametrize("proxy", ["/module/jpage/dataproxy.jsp", "/module/web/jpage/dataproxy.jsp"])
def test_the_proxy_the_page_names_is_used(proxy):
    [first, *_] = requests_of(spider().parse(response(column(proxy=proxy))), "proxy")
    assert urlsplit(first.url).path == proxy


def test_the_default_proxy_when_the_page_names_none():
    html = datastore(records(1, 2), total=30)
    [first, *_] = requests_of(spider().parse(response(html)), "proxy")
    assert urlsplit(first.url).path == "/module/jpage/dataproxy.jsp"


@pytest.mark.parametrize("field, value", [("webid", "1544"), ("unitid", "4729348"), ("columnid", "1543974"),
                                          ("webname", "浙江省教育厅"), ("col", "1"), ("permissiontype", "0")])
def test_the_proxy_request_posts_the_column_ids(field, value):
    [first, *_] = requests_of(spider().parse(response(column())), "proxy")
    assert parse_qs(first.body.decode())[field] == [value]


def test_proxy_requests_are_listing_requests():
    assert all(r.meta.get("listing") for r in requests_of(spider().parse(response(column())), "proxy"))


def test_the_look_ahead_record_is_requested_once():
    s = spider()
    answer1 = datastore(records(21, 41), total=50)          # 21..40 and the look-ahead 41
    answer2 = datastore(records(41, 50), total=50)
    urls = [r.url for body in (answer1, answer2)
            for r in s.parse_dataproxy(response(body, url="http://jyj.example.gov.cn/module/jpage/dataproxy.jsp"))]
    assert len(urls) == len(set(urls)) == 30


def test_a_failed_proxy_answer_yields_nothing():
    assert not list(spider().parse_dataproxy(response("busy", status=503)))


def test_a_failed_column_page_yields_nothing():
    assert not list(spider().parse(response(column(), status=404)))


def test_the_ids_read_are_noted(monkeypatch):
    s = spider()
    noted = []
    monkeypatch.setattr(s, "note_ids", noted.append, raising=False)
    list(s.parse(response(column())))
    assert noted == [{"webid": "1544", "unitid": "4729348", "columnid": "1543974", "webname": "浙江省教育厅",
                      "proxy": "/module/jpage/dataproxy.jsp"}]


# --------------------------------------------------------------------- ?uid=&pageNum= columns
def pagenum_page(last=4):
    rows = "".join(f'<li><a href="/art/2023/5/{n}/art_1229046766_{n}.html">第{n}条</a><i>2023-05-0{n}</i></li>'
                   for n in range(1, 4))
    pager = " ".join(f'<a href="/col/col1229046766/index.html?uid=7139125&amp;pageNum={n}">{n}</a>'
                     for n in range(1, last + 1))
    return f"<ul>{rows}</ul><div class='page'>{pager}</div>"


def test_pagenum_pages_are_followed_to_the_last_pager_link():
    out = requests_of(spider().parse(response(pagenum_page(4))), "article")
    pages = [r.url for r in out if "pageNum" in r.url]
    assert pages == [f"http://jyj.example.gov.cn/col/col1229046766/index.html?uid=7139125&pageNum={n}" for n in (2, 3, 4)]
    assert all(r.meta.get("listing") for r in out if "pageNum" in r.url)


def test_pagenum_pages_stop_at_max_listing_pages():
    out = requests_of(spider(max_pages=2).parse(response(pagenum_page(9))), "article")
    assert [r.url[-9:] for r in out if "pageNum" in r.url] == ["pageNum=2"]


def test_a_later_pagenum_page_schedules_no_pages():
    out = requests_of(spider().parse(response(pagenum_page(4), meta={"listing": True, "page_num": 2})), "article")
    assert not [r for r in out if "pageNum" in r.url] and len(out) == 3


def test_the_records_of_a_pagenum_page_are_followed():
    out = requests_of(spider().parse(response(pagenum_page(1))), "article")
    assert [r.meta["listing_date"] for r in out] == ["2023-05-01", "2023-05-02", "2023-05-03"]


# --------------------------------------------------------------------- section, markers
@pytest.mark.parametrize("head, section", [
    ('<meta name="ColumnName" content="教育动态"><title>教育动态 浙江省教育厅</title>', "教育动态"),
    ("<title>通知公告_示例教育局</title>", "通知公告"),
    ("<title>示例教育局 - 工作动态</title>", "工作动态"),
])
def test_the_section_is_the_column_name(head, section):
    out = requests_of(spider().parse(response(f"<html><head>{head}</head><body>{datastore(records(1, 1), total=1)}"
                                              "</body></html>")), "article")
    assert out[0].meta["section"] == section


@pytest.mark.parametrize("html, family", [
    (column(), "hanweb"),
    (pagenum_page(), "hanweb"),
    ('<div id="wcmpagehtml"><a href="./202204/t20220417_974894.shtml">x</a></div>'
     '<script>createPageHTML(3, 0, "index", "shtml");</script>', "trs"),
])
def test_platform_markers_tell_the_family(html, family):
    hits = {name: sum(bool(re.search(rx, html)) for _, rx in cls.platform_markers)
            for name, cls in (("hanweb", HanwebSpider), ("trs", TrsSpider))}
    assert max(hits, key=hits.get) == family and hits[family] >= 2
