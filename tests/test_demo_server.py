"""The offline demo sites, over real HTTP on 127.0.0.1 (urllib), as a spider would see them."""
import itertools
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from html import unescape

import pytest

from aggregator.demo.content import han_count, split_sentences
from aggregator.demo.server import DemoSites
from aggregator.demo.sites import build_sites

RECORD = re.compile(r'<record><!\[CDATA\[\s*<li><a href="([^"]+)" title="[^"]*" target="_blank">')


@pytest.fixture(scope="module")
def sites():
    with DemoSites() as s:
        yield s


def get(url, data=None):
    """(status, headers, body bytes) without raising on 4xx/5xx."""
    try:
        with urllib.request.urlopen(url, data=data, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def text(url):
    status, _, body = get(url)
    assert status == 200, url
    return body.decode("utf-8")


def dataproxy(sites, start, end, columnid="1229001", unitid="352571"):
    form = dict(col=1, appid=1, webid=3129, path="/", columnid=columnid, sourceContentType=1,
                unitid=unitid, webname="北仑区教育局", permissiontype=0)
    url = sites.url("demo_beilun", f"/module/jpage/dataproxy.jsp?startrecord={start}&endrecord={end}&perpage=15")
    return get(url, urllib.parse.urlencode(form).encode())


# --------------------------------------------------------------------------- Hanweb JCMS

def test_start_urls_are_the_listing_pages(sites):
    assert sites.start_urls("demo_beilun") == [sites.url("demo_beilun", "/col/col1229001/index.html"),
                                              sites.url("demo_beilun", "/col/col1229002/index.html")]


@pytest.mark.parametrize("columnid,unitid,total", [("1229001", "352571", 32), ("1229002", "352572", 30)])
def test_column_page_holds_first_15_records_and_the_ids(sites, columnid, unitid, total):
    page = text(sites.url("demo_beilun", f"/col/col{columnid}/index.html"))
    assert len(RECORD.findall(page)) == 15
    assert f"<totalrecord>{total}</totalrecord><totalpage>{-(-total // 15)}</totalpage>" in page
    assert f'<div id="{unitid}"><script type="text/xml"><datastore><nextgroup>' in page
    for ident in ("webid=3129", f"unitid={unitid}", f"columnid={columnid}"):
        assert ident in page


@pytest.mark.parametrize("start,end,count", [(1, 15, 15), (16, 30, 15), (16, 60, 17), (31, 45, 2), (40, 60, 0)])
def test_dataproxy_returns_the_requested_range(sites, start, end, count):
    status, headers, body = dataproxy(sites, start, end)
    assert status == 200 and headers["Content-Type"].startswith("text/xml")
    xml = body.decode("utf-8")
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?><datastore><totalrecord>32</totalrecord>')
    assert len(RECORD.findall(xml)) == count


def test_dataproxy_first_range_matches_the_column_page(sites):
    page = text(sites.url("demo_beilun", "/col/col1229001/index.html"))
    _, _, body = dataproxy(sites, 1, 15)
    assert RECORD.findall(body.decode()) == RECORD.findall(page)


def test_dataproxy_unknown_column_is_an_empty_recordset(sites):
    status, _, body = dataproxy(sites, 1, 45, columnid="999")
    assert status == 200 and "<recordset></recordset>" in body.decode()


def test_dataproxy_get_is_405(sites):
    status, headers, _ = get(sites.url("demo_beilun", "/module/jpage/dataproxy.jsp?startrecord=1&endrecord=45"))
    assert status == 405 and headers["Allow"] == "POST"


def test_every_record_of_a_column_is_reachable_through_page_and_proxy(sites):
    page = text(sites.url("demo_beilun", "/col/col1229002/index.html"))
    _, _, rest = dataproxy(sites, 16, 60, columnid="1229002", unitid="352572")
    links = RECORD.findall(page) + RECORD.findall(rest.decode())
    assert len(links) == len(set(links)) == 30
    full = {sites.url("demo_beilun", p) for p in links}
    assert set(sites.expected["not_found"]) | set(sites.expected["server_error"]) <= full


@pytest.mark.parametrize("kind,status", [("not_found", 404), ("server_error", 500)])
def test_broken_article_urls_answer_so(sites, kind, status):
    (url,) = sites.expected[kind]
    assert re.search(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_1229002_\d+\.html$", url)
    assert get(url)[0] == status


def test_hanweb_article_has_government_meta_and_byline_lines(sites):
    url = next(u for u, f in sites.expected["pages"].items()
               if f["site"] == "demo_beilun" and u != sites.expected["doubled_body"])
    fact = sites.expected["pages"][url]
    page = unescape(text(url))
    assert f'<meta name="ArticleTitle" content="{fact["title"]}"' in page
    assert f'<meta name="PubDate" content="{fact["published"][:16]}"' in page
    assert f'<meta name="Url" content="{url}"' in page          # absolute, built from the Host header
    assert f"<title>{fact['title']} - 北仑区教育局</title>" in page
    assert re.search(r"作者[:：]" + re.escape(" ".join(fact["authors"])) + "<", page)
    assert re.search(r"编辑[:：]\S+ 来源[:：]" + re.escape(fact["source"]) + " 发布时间[:：]" + fact["published"], page)
    assert '<div id="zoom">' in page and "【" in page and "上一篇" in page and "备案号" in page


def test_article_url_shape_has_no_leading_zeros(sites):
    for url, fact in sites.expected["pages"].items():
        if fact["site"] == "demo_beilun":
            d = datetime.strptime(fact["published"], "%Y-%m-%d %H:%M:%S")
            assert f"/art/{d.year}/{d.month}/{d.day}/art_12290" in url


def test_seed_page_prints_its_body_twice_then_a_recommendation_list(sites):
    url = sites.expected["doubled_body"]
    assert url.endswith("/art/2021/6/30/art_1229001_3456789.html")
    page = text(url)
    zoom = page[page.index('<div id="zoom">'):page.index("ZJEG_RSS.content.end")]
    once = sites.expected["doubled_body_text_once"].split("\n")
    assert all(zoom.count(p) == 2 for p in once[1:]) and zoom.count(once[0]) == 1
    assert "推荐新闻" in zoom and zoom.count('<span class="site">') == 6
    assert "作者:杨阳" in page and "编辑:杨阳 来源:投稿 发布时间:2021-06-30 13:06:00" in page


# --------------------------------------------------------------------------- TRS WCM

def test_trs_listing_pages_and_create_page_html(sites):
    col = sites.url("demo_moe", "/jyb_xwfb/gzdt_gzdt/")
    first, second = text(col + "index.html"), text(col + "index_1.html")
    assert 'createPageHTML(3, 0, "index", "html");' in first
    assert 'createPageHTML(3, 1, "index", "html");' in second
    links = re.findall(r'<li><a href="(\./(\d{6})/t(\d{8})_\d+\.html)" target="_blank">', second)
    assert len(links) == 20 and all(day.startswith(month) for _, month, day in links)


def test_trs_out_of_range_index_is_404(sites):
    assert get(sites.url("demo_moe", "/jyb_xwfb/gzdt_gzdt/index_3.html"))[0] == 404


def test_trs_article_has_meta_shuxing_and_trs_editor(sites):
    url = next(u for u, f in sites.expected["pages"].items() if f["site"] == "demo_moe")
    page = unescape(text(url))
    fact = sites.expected["pages"][url]
    assert f"<title>{fact['title']} - 中华人民共和国教育部政府门户网站</title>" in page
    assert re.search(r'<div class="moe-detail-shuxing">来源：\S+.*' + fact["published"][:10] + "</div>", page)
    assert '<div class="TRS_Editor">' in page and "相关阅读" in page


def test_trs_multipage_article_continues_on_underscore_1(sites):
    url = sites.expected["multipage"]
    cont = url[:-5] + "_1.html"
    first, second = unescape(text(url)), unescape(text(cont))
    assert re.search(r'<a href="' + re.escape(cont.rsplit("/", 1)[1]) + '">下一页</a>', first)
    body = sites.expected["pages"][url]["body"].split("\n")
    assert body[0] in first and body[-1] in second and body[-1] not in first
    listing = "".join(text(sites.url("demo_moe", f"/jyb_xwfb/gzdt_gzdt/{n}")) for n in ("index.html", "index_1.html", "index_2.html"))
    assert cont.rsplit("/", 1)[1] not in listing and url.rsplit("/", 1)[1] in listing


def test_trs_one_article_has_a_table(sites):
    assert "<table" in text(sites.expected["table"])


# --------------------------------------------------------------------------- GBK county site

def test_gbk_pages_decode_as_gbk_not_utf8(sites):
    url = next(u for u, f in sites.expected["pages"].items() if f["site"] == "demo_county")
    _, _, body = get(url)
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert sites.expected["pages"][url]["title"] in body.decode("gbk")


def test_gbk_site_has_pages_with_no_charset_declared_at_all(sites):
    assert sites.expected["undeclared_charset"]
    for url in sites.expected["undeclared_charset"]:
        _, headers, body = get(url)
        assert headers["Content-Type"] == "text/html" and b"charset" not in body.lower()


def test_gbk_site_mixes_header_and_meta_declarations(sites):
    urls = [u for u, f in sites.expected["pages"].items() if f["site"] == "demo_county"]
    headers = {get(u)[1]["Content-Type"] for u in urls}
    metas = {m for u in urls for m in re.findall(rb"charset=\"?(\w+)", get(u)[2])}
    assert headers == {"text/html", "text/html; charset=gbk"} and metas == {b"gb2312"}


def test_gbk_listing_pages_chain_with_next_links(sites):
    seen, url = [], sites.url("demo_county", "/news/list_1.html")
    while url:
        page = get(url)[2].decode("gbk")
        seen += re.findall(r'<a href="(/news/\d{4}/\d{4}/\d+\.html)" target="_blank">', page.split("热点推荐")[0])
        nxt = re.search(r'<a href="(list_\d+\.html)">下一页</a>', page)
        url = urllib.parse.urljoin(url, nxt.group(1)) if nxt else None
    assert len(seen) == len(set(seen)) == sites.expected["articles"]["demo_county"]


def test_gbk_article_has_info_line_and_content_div(sites):
    urls = [u for u, f in sites.expected["pages"].items() if f["site"] == "demo_county"]
    pages = [get(u)[2].decode("gbk") for u in urls]
    assert all('<div class="content">' in p and "来源：" in p and "浏览次数：" in p for p in pages)
    assert any("发布日期：20" in p and "年" in p.split("发布日期：")[1][:8] for p in pages)
    assert any("本报讯（记者 " in p for p in pages) and any("<p>　　（通讯员 " in p for p in pages)


# --------------------------------------------------------------------------- RSS site

def test_rss_parses_with_absolute_links_to_the_same_server(sites):
    root = ET.fromstring(get(sites.start_urls("demo_feed")[0])[2])
    items = root.findall("./channel/item")
    assert len(items) == sites.expected["articles"]["demo_feed"]
    for item in items:
        assert item.findtext("link").startswith(sites.urls["demo_feed"] + "/news/")
        assert parsedate_to_datetime(item.findtext("pubDate")).utcoffset() == timedelta(hours=8)


def test_feed_article_has_json_ld_and_article_body(sites):
    url = next(u for u, f in sites.expected["pages"].items() if f["site"] == "demo_feed")
    page = text(url)
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
    fact = sites.expected["pages"][url]
    assert ld["@type"] == "NewsArticle" and ld["headline"] == fact["title"] and ld["author"]["name"] == fact["authors"][0]
    assert ld["datePublished"] == fact["published"].replace(" ", "T") + "+08:00"
    assert f'<meta property="og:title" content="{fact["title"]}">' in page and "<article" in page


# --------------------------------------------------------------------------- every site

@pytest.mark.parametrize("name", ["demo_beilun", "demo_moe", "demo_county", "demo_feed"])
def test_robots_txt_allows_all(sites, name):
    status, _, body = get(sites.url(name, "/robots.txt"))
    assert status == 200 and b"Allow: /" in body


def test_unknown_path_is_404(sites):
    assert get(sites.url("demo_moe", "/no/such/page.html"))[0] == 404


def test_every_expected_article_answers_200_with_its_body(sites):
    for url, fact in sites.expected["pages"].items():
        status, _, body = get(url)
        page = unescape(body.decode("gbk" if fact["site"] == "demo_county" else "utf-8"))
        if url == sites.expected["multipage"]:
            page += unescape(text(url[:-5] + "_1.html"))
        assert status == 200 and fact["title"] in page
        assert all(p in page for p in fact["body"].split("\n")), url


def test_article_counts(sites):
    counts = sites.expected["articles"]
    assert counts == {"demo_beilun": 60, "demo_moe": 50, "demo_county": 40, "demo_feed": 25}
    assert len(sites.expected["pages"]) == sum(counts.values())


def test_bodies_are_long_distinct_and_titles_distinct(sites):
    facts = list(sites.expected["pages"].values())
    assert len({f["body"] for f in facts}) >= 170
    assert min(han_count(f["body"]) for f in facts) >= 300
    assert all(4 <= len(f["body"].split("\n")) <= 12 for f in facts)
    assert len({f["title"] for f in facts}) == len(facts)


def test_no_two_unrelated_articles_share_more_than_two_sentences(sites):
    copies = {frozenset((o, c)) for o, c, _ in sites.expected["republished"]}
    sents = {u: set(split_sentences(f["body"].replace("\n", ""))) for u, f in sites.expected["pages"].items()}
    for a, b in itertools.combinations(sents, 2):
        if frozenset((a, b)) not in copies:
            assert len(sents[a] & sents[b]) <= 2, (a, b)


def test_dates_spread_over_2021_to_2024_with_times(sites):
    dates = [datetime.strptime(f["published"], "%Y-%m-%d %H:%M:%S") for f in sites.expected["pages"].values()]
    assert {d.year for d in dates} == {2021, 2022, 2023, 2024}
    assert len({d.strftime("%H:%M") for d in dates}) > 100


@pytest.mark.parametrize("credited,days", [(True, (1, 2)), (False, (3, 3))])
def test_republished_copies(sites, credited, days):
    ((orig, copy),) = [(o, c) for o, c, cr in sites.expected["republished"] if cr is credited]
    fo, fc = sites.expected["pages"][orig], sites.expected["pages"][copy]
    lag = datetime.strptime(fc["published"], "%Y-%m-%d %H:%M:%S") - datetime.strptime(fo["published"], "%Y-%m-%d %H:%M:%S")
    assert days[0] <= lag.days <= days[1]
    assert fo["title"] != fc["title"] and fo["site"] == "demo_beilun" and fc["site"] != "demo_beilun"
    shared = set(split_sentences(fo["body"])) & set(split_sentences(fc["body"]))
    assert len(shared) >= len(split_sentences(fo["body"])) // 2
    assert (fc["source"] == "北仑区教育局") is credited


def test_content_is_deterministic():
    one, two = build_sites(), build_sites()
    assert {n: s.pages for n, s in one.items()} == {n: s.pages for n, s in two.items()}
