"""Hanweb JCMS: the Zhejiang government site cluster and many other provincial sites.

A column page /col/colNNN/index.html carries its first records inside
<script type="text/xml"><datastore>...<recordset><record><![CDATA[<li><a href=...>]]></record>;
the rest come from POSTs to the pager's proxy (`/module/jpage/dataproxy.jsp` on some sites,
`/module/web/jpage/dataproxy.jsp` on others: the page names it in the jpage call's proxyUrl,
in the <nextgroup> link, or in a script path) with startrecord/endrecord/perpage and the
column's ids (webid, unitid, columnid, webname), read from a `var param_NNN = {...}` object,
the jpage call, the nextgroup link or the datastore. A proxy answer is the same datastore XML,
often with one look-ahead record past endrecord (kept: the next request starts there and
a link is requested once).

Some columns have no datastore and are rendered page by page at
/col/colNNN/index.html?uid=UNITID&pageNum=N: those pager links are followed instead.
Articles live at /art/YYYY/M/D/art_COL_ID.html and carry the government meta tags.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import scrapy
from parsel import Selector

from spiders.base import NewsSpider, listing_links

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S)
_TOTAL_TAG = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_TOTALPAGE_TAG = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>", re.I)
_PROXY_PATH = re.compile(r"""((?:/[\w.-]+)*/jpage/dataproxy\.jsp)""")
_PARAM_OBJECT = re.compile(r"var\s+param_\w+\s*=\s*\{(.*?)\}", re.S)
_JPAGE_CALL = re.compile(r"\.jpage\(\s*\{(.*?)\}\s*\)", re.S)
_PAGENUM_LINK = re.compile(r"""href\s*=\s*['"]([^'"]*\?uid=(\d+)&(?:amp;)?pageNum=(\d+))['"]""")
_IDS = ("webid", "unitid", "columnid", "webname", "path", "sourceContentType", "appid")
_PAGE_IDS = ("webid", "unitid", "columnid", "webname")


def _js_value(name, text):
    """The value of `name: value` / `name=value` / `'name':'value'` in a script or query text."""
    found = re.search(rf"""['"]?\b{name}['"]?\s*[:=]\s*(?:'([^']*)'|"([^"]*)"|([^&'"\s<>,;}}]+))""", text)
    if not found:
        return None
    return next(g for g in found.groups() if g is not None)


def column_params(html: str, url: str = "") -> dict:
    """What a Hanweb column page says about its pager: proxy path, ids, total and page size.

    Each id is looked for in the strongest place first: the `var param_NNN` object, the
    jpage call, the nextgroup link, then anywhere in the page."""
    nextgroup = _NEXTGROUP.search(html)
    nextgroup_query = ""
    if nextgroup:
        href = Selector(text=nextgroup.group(1)).xpath("//a/@href").get("")
        nextgroup_query = "&".join(f"{k}={v}" for k, v in parse_qsl(urlsplit(href).query))
    param = _PARAM_OBJECT.search(html)
    call = _JPAGE_CALL.search(html)
    places = [m.group(1) for m in (param, call) if m] + [nextgroup_query]
    params = {}
    for name in _IDS:
        # the column's own ids may also sit elsewhere in the page (a hidden form, a script)
        for place in places + ([html] if name in _PAGE_IDS else []):
            value = _js_value(name, place)
            if value:
                params[name] = unquote(unquote(value)) if name == "webname" else value
                break
    if not params.get("columnid"):
        found = re.search(r"/col/col(\d+)/", url)
        params["columnid"] = found.group(1) if found else None
    proxy = (_js_value("proxyUrl", call.group(1)) if call else None) or ""
    if "dataproxy" not in proxy:
        found = _PROXY_PATH.search(nextgroup.group(1) if nextgroup else "") or _PROXY_PATH.search(html)
        proxy = found.group(1) if found else None
    params["proxy"] = proxy
    total = _TOTAL_TAG.search(html)
    if total:
        params["total"] = int(total.group(1))
    elif call and _js_value("totalRecord", call.group(1)):
        params["total"] = int(re.sub(r"\D", "", _js_value("totalRecord", call.group(1))) or 0)
    else:
        found = re.search(r"totalRecord\s*[:=]\s*['\"]?(\d+)", html)
        params["total"] = int(found.group(1)) if found else None
    for name, key in (("perPage", "per_page"), ("groupSize", "group_size")):
        value = _js_value(name, call.group(1)) if call else None
        params[key] = int(value) if value and value.isdigit() else None
    totalpage = _TOTALPAGE_TAG.search(html)
    params["total_pages"] = int(totalpage.group(1)) if totalpage else None
    return params


class HanwebSpider(NewsSpider):
    cms = "hanweb"
    # (label, regex): matches in a column page's HTML that identify the family
    platform_markers = (
        ("datastore", r"<datastore>"),
        ("dataproxy", r"jpage/dataproxy\.jsp"),
        ("jpage call", r"\.jpage\(\s*\{"),
        ("param object", r"var\s+param_\w+\s*=\s*\{"),
        ("uid/pageNum pager", r"\?uid=\d+&(?:amp;)?pageNum=\d+"),
        ("hanweb article path", r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html"),
    )
    article_link_re = r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html"
    # the proxy a site's page names is used; this one only when the page names none
    default_dataproxy = "/module/jpage/dataproxy.jsp"
    per_page = 15
    group_size = 3      # the JS pager asks for groupSize pages of perPage records at a time
    # where the records sit on a column without a datastore (the ?uid=&pageNum= kind)
    listing_xpath = "//a[@href]"

    def parse(self, response):
        if self.refuse(response, "column page"):
            return
        html = response.text
        params = column_params(html, response.url)
        section = self.section_of(response)
        records = _RECORD.findall(html)
        proxy = params["proxy"] or self.default_dataproxy
        self.note_ids(
            {k: params.get(k) for k in ("webid", "unitid", "columnid", "webname")} | {"proxy": proxy})
        if records:
            yield from self.records_to_requests(records, response, section)
            if response.meta.get("page_num"):
                return
            yield from self.dataproxy_requests(response, params, proxy, len(records), section)
            return
        # no datastore: a column rendered page by page (?uid=UNITID&pageNum=N)
        yield from self.article_requests(self.page_links(response), response, section)
        if not response.meta.get("page_num"):
            yield from self.pagenum_requests(response)

    def dataproxy_requests(self, response, params, proxy, first, section):
        per_page = params["per_page"] or self.per_page
        per_request = per_page * (params["group_size"] or self.group_size)
        total = params["total"] if params["total"] is not None else first
        limit = total
        if self.max_listing_pages:
            limit = min(total, self.max_listing_pages * per_page)
        form = {
            "col": "1", "appid": params.get("appid") or "1", "webid": params.get("webid") or "1",
            "path": params.get("path") or "/", "columnid": params.get("columnid") or "",
            "sourceContentType": params.get("sourceContentType") or "1",
            "unitid": params.get("unitid") or "", "webname": params.get("webname") or "",
            "permissiontype": "0",
        }
        requests = []
        for start in range(first + 1, limit + 1, per_request):
            end = min(start + per_request - 1, limit)
            query = urlencode({"startrecord": start, "endrecord": end, "perpage": per_page})
            requests.append(scrapy.FormRequest(response.urljoin(f"{proxy}?{query}"), formdata=form,
                                               callback=self.parse_dataproxy, errback=self.on_error,
                                               cb_kwargs={"section": section}, meta={"listing": True}))
        yield from self.more_pages(response, requests)

    def parse_dataproxy(self, response, section=None):
        if self.refuse(response, "dataproxy page"):
            return
        yield from self.records_to_requests(_RECORD.findall(response.text), response, section)

    def page_links(self, response):
        return listing_links(response, self.listing_xpath)

    def pagenum_requests(self, response):
        """Pages 2..N of a column paged as index.html?uid=UNITID&pageNum=N (N: its last pager link)."""
        found = [(href, int(num)) for href, _uid, num in _PAGENUM_LINK.findall(response.text)]
        if not found:
            return
        template, last = max(found, key=lambda pair: pair[1])
        if self.max_listing_pages:
            last = min(last, self.max_listing_pages)
        template = template.replace("&amp;", "&")
        yield from self.more_pages(response, [
            self.listing_request(response.urljoin(re.sub(r"pageNum=\d+", f"pageNum={num}", template)),
                                 meta={"listing": True, "page_num": num})
            for num in range(2, last + 1)])

    def records_to_requests(self, records, response, section):
        links = []
        for record in records:
            links += listing_links(Selector(text=record))
        yield from self.article_requests(links, response, section)

    def section_of(self, response):
        """The column's name: its ColumnName meta tag, else the first part of its <title>."""
        name = (response.xpath('//meta[@name="ColumnName"]/@content').get() or "").strip()
        if name:
            return name
        title = (response.xpath("//title/text()").get() or "").strip()
        parts = [p.strip() for p in re.split(r"[_|\-–—]+|\s{2,}", title) if p.strip()]
        parts = [p for p in parts if p != self.display_name]
        return parts[0] if parts else None
