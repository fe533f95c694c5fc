"""Hanweb JCMS: the Zhejiang government site cluster and many other provincial sites.

A column page /col/colNNN/index.html carries its first records inside
<script type="text/xml"><datastore>...<recordset><record><![CDATA[<li><a href=...>]]></record>;
the rest come from POSTs to /module/jpage/dataproxy.jsp?startrecord=..&endrecord=..&perpage=..
with the column's ids (webid, unitid, columnid) read from the page. Articles live at
/art/YYYY/M/D/art_COL_ID.html and carry the government meta tags.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

import scrapy
from parsel import Selector

from spiders.base import NewsSpider, listing_links

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*['\"]?(\d+)", re.I)


def _param(name, text):
    found = re.search(rf"\b{name}\s*[=:]\s*['\"]?([^&'\"\s<>,;]+)", text)
    return found.group(1) if found else None


class HanwebSpider(NewsSpider):
    cms = "hanweb"
    article_link_re = r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html"
    dataproxy_path = "/module/jpage/dataproxy.jsp"
    per_page = 15
    # records fetched per dataproxy request (the JS pager asks for three pages at a time)
    records_per_request = 45

    def parse(self, response):
        if self.refuse(response, "column page"):
            return
        records = _RECORD.findall(response.text)
        section = (response.xpath('//meta[@name="ColumnName"]/@content').get() or "").strip() or None
        yield from self.records_to_requests(records, response, section)
        found = _TOTAL.search(response.text)
        total = int(found.group(1) or found.group(2)) if found else len(records)
        column_id = _param("columnid", response.text) or (re.search(r"col(\d+)", response.url) or [None, None])[1]
        form = {
            "col": "1", "appid": "1", "webid": _param("webid", response.text) or "1", "path": "/",
            "columnid": column_id or "", "sourceContentType": "1",
            "unitid": _param("unitid", response.text) or "", "webname": _param("webname", response.text) or "",
            "permissiontype": "0",
        }
        limit = total
        if self.max_listing_pages:
            limit = min(total, self.max_listing_pages * self.per_page)
        for start in range(len(records) + 1, limit + 1, self.records_per_request):
            end = min(start + self.records_per_request - 1, limit)
            query = urlencode({"startrecord": start, "endrecord": end, "perpage": self.per_page})
            yield scrapy.FormRequest(response.urljoin(f"{self.dataproxy_path}?{query}"), formdata=form,
                                     callback=self.parse_dataproxy, errback=self.on_error,
                                     cb_kwargs={"section": section}, meta={"listing": True})

    def parse_dataproxy(self, response, section=None):
        if self.refuse(response, "dataproxy page"):
            return
        yield from self.records_to_requests(_RECORD.findall(response.text), response, section)

    def records_to_requests(self, records, response, section):
        links = []
        for record in records:
            links += listing_links(Selector(text=record))
        yield from self.article_requests(links, response, section)
