"""jpaas: the newer publishing platform of the Zhejiang government site cluster (Hanweb's
"页面构建单元" front end), used by Ningbo and Hangzhou city bureaus among others.

A column page /col/colNNN/index.html carries no static list. It names its list unit in a
loader script (or, on some templates, in the pager div):

    <script src="/AuthorizedRead/unitbuild.js" url="/api-gateway/jpaas-publish-server/front/page/build/unit"
            queryData="{'webId':'3271','pageId':'1229055447','parseType':'bulidstatic','pageType':'column',
                        'tagId':'信息列表','tplSetId':'…','editType':'null'}"></script>

The list is a GET of that unit URL with the queryData fields as query parameters plus
paramJson={"pageNo":N,"pageSize":S}. The answer is JSON, {"success":true,"data":{"html":"<ul>…"}},
whose html holds <li><a href="/col/colNNN/art/YYYY/art_<32 hex>.html" title="…">…</a><span>date</span></li>
rows and a pager <div class="pagination" count="TOTAL" pageNo="N" rows="S">. Paging stops at
ceil(count / rows), at an empty page, or at max_listing_pages.

What this follows (public code read, none copied):
- the loader script, queryData (single-quoted JSON) and GET: policy_collector/collector.py
  (extract_unitbuild_spec, discover_zj_unit_links), RSSHub's mohurd route (script[src*=unitbuild.js],
  querydata attribute), a MIIT monitor (queryData script -> GET unit API, data.html);
- the fields webId/pageId/parseType=bulidstatic/pageType=column/tagId/tplSetId/editType=null and
  paramJson {"pageNo","pageSize"}: a Yantai jpaas client (crawler/cms_api.py fetch_cms_list), a
  MIIT scrapy spider, a Jinhua ggzy scraper plan (webId numeric, pageId = the column number);
- {"success":true,"data":{"html":…}} and div.pagination[count] for the total: the same Yantai
  client; count/pageNo/rows attributes: a MIIT API note;
- article URLs /col/colNNN/art/YYYY/art_<32 hex>.html on jyj.ningbo.gov.cn, edu.hangzhou.gov.cn and
  nbyz.gov.cn: a recruitment ledger citing those pages; old /art/YYYY/M/D/art_COL_ID.html links
  still appear in the same lists (policy_collector's EXPANSION notes).
Not verified here: whether a site answers pageSize other than its template's rows, the exact
tagId of each bureau's news unit (read from the page, never guessed), and the article page
chrome (assumed to keep the cluster's government meta tags and #zoom body).
"""
from __future__ import annotations

import ast
import json
import math
import re
from html import unescape
from urllib.parse import urlencode, urlsplit

from parsel import Selector

from spiders.base import AJAX_HEADERS, NewsSpider, listing_links

UNIT_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"
# the queryData fields passed through to the unit API, in the order the loader sends them
# the loader's XHR sends these; the Yantai client copies them too
UNIT_FIELDS = ("webId", "pageId", "parseType", "pageType", "tagId", "tplSetId", "editType")


def unit_spec(html: str):
    """(unit url, queryData dict) for the column's list unit, or None.

    Looks at every element carrying a queryData attribute (the unitbuild.js loader script, or
    the pager div on templates that render it); a page with several units (navigation, footer)
    gets the one whose tagId names a list (列表/list), else the one with a pageId.
    """
    sel = Selector(text=html)
    candidates = []
    for node in sel.xpath("//*[@querydata]"):
        params = _query_data(node.attrib.get("querydata", ""))
        if not params:
            continue
        url = node.attrib.get("url") or node.attrib.get("unitUrl") or node.attrib.get("uniturl") or UNIT_PATH
        candidates.append((url, params))
    if not candidates:
        return None
    for url, params in candidates:
        if re.search(r"列表|list", str(params.get("tagId", "")), re.I):
            return url, params
    with_page = [c for c in candidates if c[1].get("pageId")]
    return (with_page or candidates)[0]


def _query_data(value: str) -> dict:
    value = unescape(value or "").strip()
    if not value.startswith("{"):
        return {}
    for parse in (json.loads, ast.literal_eval):
        try:
            parsed = parse(value)
        except (ValueError, SyntaxError):
            continue
        if isinstance(parsed, dict):
            return {str(k): "" if v is None else str(v) for k, v in parsed.items()}
    return {}


def unit_page(body: str):
    """(list html, total records or None, rows per page or None) from a unit API answer; None
    when the answer is not the unit JSON (a challenge page, an error object, no html)."""
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if not isinstance(payload, dict) or payload.get("success") is False:
        return None
    data = payload.get("data")
    html = data.get("html") if isinstance(data, dict) else None
    if not isinstance(html, str):
        return None
    pager = Selector(text=html or "<html></html>").xpath(
        '//*[contains(concat(" ", normalize-space(@class), " "), " pagination ")]')
    total = rows = None
    if pager:
        total = _int(pager[0].attrib.get("count"))
        rows = _int(pager[0].attrib.get("rows") or pager[0].attrib.get("pagesize") or pager[0].attrib.get("pageSize"))
    return html, total, rows


def _int(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


class JpaasSpider(NewsSpider):
    cms = "jpaas"
    column_lists_articles = False
    # new jpaas article paths, and the old JCMS ones that still appear in the same lists
    article_link_re = (r"/col/col\d+/art/\d{4}/art_[0-9a-f]{16,}\.html"
                       r"|/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html")
    page_size = 15
    platform_markers = (
        ("jpaas unit block", r"""queryData\s*=\s*(?:"\{[^"]*pageId|'\{[^']*pageId)"""),
        ("jpaas unit loader", r"unitbuild\.js"),
        ("jpaas-publish-server", r"jpaas-publish-server"),
        ("jpaas article path", r"/col/col\d+/art/\d{4}/art_[0-9a-f]{16,}\.html"),
    )

    def parse(self, response):
        if self.refuse(response, "column page"):
            return
        section = (response.xpath('//meta[@name="ColumnName"]/@content').get() or "").strip() or None
        # templates that render the first page into the column page: take those links too
        yield from self.article_requests(listing_links(response), response, section)
        spec = unit_spec(response.text)
        if spec is None:
            self.unreadable_listing(response, "no list unit", "column page names no jpaas unit (queryData)")
            return
        url, params = spec
        params = {k: params[k] for k in UNIT_FIELDS if k in params} | {
            k: v for k, v in params.items() if k not in UNIT_FIELDS and k != "paramJson"}
        if not params.get("pageId"):
            column = re.search(r"/col/col(\d+)/", urlsplit(response.url).path)
            if column:
                params["pageId"] = column.group(1)
        self.note_ids(
            {"webId": params.get("webId"), "pageId": params.get("pageId"), "tagId": params.get("tagId"),
             "tplSetId": params.get("tplSetId"), "unit_url": urlsplit(url).path})
        # the column page's own links (if any) never end the listing: the unit is its list
        response.meta["known_streak"] = 0
        yield from self.more_pages(response, [self.unit_request(response.urljoin(url), params, 1, section)])

    def unit_request(self, unit_url, params, page_no, section):
        query = dict(params, paramJson=json.dumps({"pageNo": page_no, "pageSize": self.page_size},
                                                  separators=(",", ":")))
        return self.listing_request(f"{unit_url.split('?')[0]}?{urlencode(query)}", callback=self.parse_unit,
                                    headers=AJAX_HEADERS,
                                    cb_kwargs={"unit_url": unit_url, "params": params, "page_no": page_no,
                                               "section": section})

    def parse_unit(self, response, unit_url, params, page_no, section=None):
        if self.refuse(response, "column page"):
            return
        page = unit_page(response.text)
        if page is None:
            self.unreadable_listing(response, "bad listing json", response.text[:300])
            return
        html, total, rows = page
        links = list(listing_links(Selector(text=html or "<html></html>")))
        if not links:
            return  # an empty page: past the last one
        yield from self.article_requests(links, response, section)
        if total is not None:
            last = math.ceil(total / (rows or self.page_size))
            if page_no >= last:
                return
        if self.max_listing_pages and page_no >= self.max_listing_pages:
            return
        yield from self.more_pages(response, [self.unit_request(unit_url, params, page_no + 1, section)])
