"""TRS WCM listing parsing (spiders/trs.py) on in-memory responses."""
import pytest

from spiders.trs import TrsSpider, page_count
from tests.conftest import listing_response, platform_spider

COL = "http://www.example.gov.cn/jyb_xwfb/gzdt_gzdt/index.html"


class Site(TrsSpider):
    name = "trs_test"
    display_name = "示例部"
    allowed_domains = ["www.example.gov.cn"]
    start_urls = [COL]


def spider(max_pages=50, cls=Site):
    return platform_spider(cls, max_pages)


def response(body, url=COL, status=200, meta=None):
    return listing_response(url, body, status, meta)


def split(out):
    out = list(out)
    pages = [r for r in out if r.meta.get("listing")]
    articles = [r for r in out if not r.meta.get("listing")]
    return pages, articles


# --------------------------------------------------------------------- page count
@pytest.mark.parametrize("script, expected", [
    ('createPageHTML(3, 0, "index", "html");', (3, "index", "html")),
    ("createPageHTML(67,1,'index','shtml');", (67, "index", "shtml")),
    ("createPageHTML('page_div',36, 1,'fg','htm',530);", (36, "fg", "htm")),
    ('createPageHTML("5", "0");', (5, None, None)),
    ("var currentPage = 0;//所在页从0开始\nvar countPage = 67//共多少页", (67, None, None)),
    ("var countPage = '4';", (4, None, None)),
    ("function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){}", (None, None, None)),
    ("<p>no pager</p>", (None, None, None)),
])
def test_page_count_is_read_from_the_pager_script(script, expected):
    assert page_count(f"<script>{script}</script>") == expected


# --------------------------------------------------------------------- listing pages
@pytest.mark.parametrize("url, script, pages", [
    (COL, 'createPageHTML(3, 0, "index", "html");', ["index_1.html", "index_2.html"]),
    ("http://www.example.gov.cn/jyjsb/index.shtml", "var countPage = 3//共多少页", ["index_1.shtml", "index_2.shtml"]),
    ("http://www.example.gov.cn/jyjsb/", "var countPage = 2//共多少页", ["index_1.html"]),
    ("http://www.example.gov.cn/jyjsb/", 'var countPage = 2</script><a href="index_1.shtml">2</a><script>',
     ["index_1.shtml"]),
    ("http://www.example.gov.cn/fg/index.htm", "createPageHTML('page_div',3, 0,'fg','htm',53);",
     ["fg_1.htm", "fg_2.htm"]),
])
def test_the_column_pages_are_requested(url, script, pages):
    requested, _ = split(spider().parse(response(f"<script>{script}</script>", url=url)))
    base = url.rsplit("/", 1)[0] + "/"
    assert [r.url for r in requested] == [base + p for p in pages]


def test_page_requests_carry_their_index():
    requested, _ = split(spider().parse(response('<script>createPageHTML(3, 0, "index", "html");</script>')))
    assert [r.meta["page_index"] for r in requested] == [1, 2]


def test_max_listing_pages_caps_the_pages():
    requested, _ = split(spider(max_pages=2).parse(response("<script>var countPage = 10</script>")))
    assert [r.url.rsplit("/", 1)[1] for r in requested] == ["index_1.html"]


def test_a_later_page_schedules_no_pages():
    out = spider().parse(response("<script>var countPage = 10</script>",
                                  url=COL.replace("index.html", "index_3.html"), meta={"listing": True, "page_index": 3}))
    assert not split(out)[0]


def test_a_failed_column_page_yields_nothing():
    assert not list(spider().parse(response("<script>var countPage = 10</script>", status=500)))


# --------------------------------------------------------------------- article links
@pytest.mark.parametrize("href, followed", [
    ("./moe_1485/202106/t20210630_541234.html", True),
    ("./s5987/202204/t20220417_974894.html", True),
    ("./202204/t20220417_974894.shtml", True),
    ("../../zcb/gjzc/201901/t20190121_52601.shtml", True),
    ("../gzdt_moe/", False),
    ("./moe_1485/index.html", False),
    ("../../jyb_sjzl/", False),
    ("http://www.other.gov.cn/202204/t20220417_1.html", False),
])
def test_only_t_dated_links_on_the_site_are_articles(href, followed):
    html = f'<div id="wcmpagehtml"><ul id="list"><li><a href="{href}">标题</a><span>2021-06-30</span></li></ul></div>'
    _, articles = split(spider().parse(response(html)))
    assert bool(articles) == followed


def test_the_listing_date_comes_with_the_link():
    html = '<ul id="list"><li><a href="./202106/t20210630_1.html" title="x">x</a><span>2021-06-30</span></li></ul>'
    _, [article] = split(spider().parse(response(html)))
    assert article.meta["listing_date"] == "2021-06-30"


def test_only_the_list_block_is_read_when_the_page_has_one():
    html = ('<div class="side"><a href="../../jyb_sjzl/202107/t20210701_541453.html">侧栏</a></div>'
            '<div id="wcmpagehtml"><ul id="list"><li><a href="./moe_1485/202106/t20210630_1.html">列表</a></li></ul></div>')
    _, articles = split(spider().parse(response(html)))
    assert [a.url.rsplit("/", 1)[1] for a in articles] == ["t20210630_1.html"]


def test_the_whole_page_is_read_without_a_known_block():
    html = '<div class="anything"><a href="./202204/t20220417_2.html">a</a><a href="./202204/t20220416_3.html">b</a></div>'
    assert len(split(spider().parse(response(html)))[1]) == 2


def test_a_site_names_its_own_list_block():
    class Own(Site):
        name = "trs_own"
        listing_blocks = ("//div[@class='yxj_list']",)
    html = ('<div class="hot"><a href="../jyzx/202204/t20220416_1.html">热点</a></div>'
            '<div class="yxj_list"><a href="./202204/t20220417_2.html">要闻</a></div>')
    _, articles = split(spider(cls=Own).parse(response(html)))
    assert [a.url.rsplit("/", 1)[1] for a in articles] == ["t20220417_2.html"]


@pytest.mark.parametrize("head, section", [('<meta name="ColumnName" content="工作动态">', "工作动态"), ("", None)])
def test_the_section_is_the_column_name_meta(head, section):
    html = f'<html><head>{head}</head><body><a href="./202204/t20220417_2.html">x</a></body></html>'
    _, [article] = split(spider().parse(response(html)))
    assert article.meta["section"] == section
