# Shape follows public code read for Guangdong's gkmlpt platform (none copied): the column page
# shell with window._CONFIG {SID: '…', TREE: […], SERVICE_AREA_ID …} and the api/all/{category}
# ?page=N&sid= JSON {classify, articles[id,title,url,date,publisher,identifier], total}
# (a Shenzhen policy crawler crawlers/gkmlpt.py; a Zhaoqing feasibility report; a Guangdong scrapy
# spider), article paths /gkmlpt/content/{id//10**6}/{id//1000}/post_{id}.html with absolute urls in
# the JSON (the same report), the body in window._CONFIG.DETAIL.content (crawlers/gkmlpt.py) and in
# div.article-content (a Dongguan fetcher test). The texts are generated (aggregator.demo.content.Writer).
"""A loopback replica of a gkmlpt catalogue (深圳市教育局 by default) and its content pages."""
from __future__ import annotations

import json
import random
from datetime import datetime, time
from html import escape

from aggregator.dates import CHINA_TZ
from aggregator.demo.content import Place, Writer
from tests.replica import Reply

SOURCE = ("gkmlpt /gkmlpt/index shell + /gkmlpt/api/all/{category} JSON + content pages. window._CONFIG SID/TREE and "
          "the API: a Shenzhen policy crawler (crawlers/gkmlpt.py discover_site, crawl_category) and its platform survey; "
          "JSON fields and absolute article urls: a Zhaoqing feasibility report, a Guangdong scrapy spider, a Dongguan "
          "fetcher test; DETAIL.content: crawlers/gkmlpt.py extract_body_text; div.article-content: the Dongguan test. "
          "Guessed: 20 records a page (the real API gives about 100, too many for a replica), the content page's "
          "government meta tags and its server-rendered body beside the DETAIL JSON on two pages of three (the "
          "third carries the body in DETAIL.content only), the 索引号 table, the info line "
          "发布时间/来源/作者 and the closing （编辑：…）, and the answer past the last page (no articles).")


def build(*, seed, host, site_name, short_name, sid, place, n_articles, per_page=20, years=(2023, 2024),
          prefix="", category="0", categories=(("工作动态", 2811), ("通知公告", 2812))):
    """(routes, expected) of one gkmlpt catalogue with n_articles generated content pages."""
    rng = random.Random(seed)
    w = Writer(random.Random(seed + 1))
    root = f"{prefix}/gkmlpt/"
    items = []
    ids = sorted(rng.sample(range(10_100_000, 11_900_000), n_articles))
    for post_id in ids:
        a = w.article(place, years=years)
        published = a.published.replace(second=0)
        path = f"{root}content/{post_id // 1_000_000}/{post_id // 1000}/post_{post_id}.html"
        name, cat = rng.choice(categories)
        items.append(dict(article=a, id=post_id, published=published, path=path, author=w.name(),
                          editor=w.name(), source=rng.choice((short_name, short_name, f"{rng.choice(place.towns)}学校")),
                          classify=(name, cat), identifier=f"11440300{rng.randint(10**9, 10**10 - 1)}/{published:%Y}-"
                                                             f"{rng.randint(1, 9999):05d}"))
    items.sort(key=lambda x: x["published"], reverse=True)

    routes = {f"{root}index": Reply(body=_index_page(site_name, sid, categories))}
    for item in items:
        routes[item["path"]] = Reply(body=_content_page(site_name, short_name, sid, host, item))

    def api(req, cat=category):
        if req.query.get("sid") != sid:
            return _json({"code": 400, "msg": "sid error"}, status=400)
        try:
            page = int(req.query.get("page", "1"))
        except ValueError:
            page = 1
        page = max(page, 1)
        chunk = items[(page - 1) * per_page: page * per_page]
        return _json({"classify": {"id": int(cat), "name": "全部" if cat == "0" else "", "parent": 0,
                                   "post_count": len(items)},
                      "articles": [_api_article(host, x) for x in chunk], "total": len(items)})

    routes[f"GET {root}api/all/{category}"] = api
    expected = [{"path": x["path"], "title": x["article"].title, "published": f"{x['published']:%Y-%m-%d %H:%M}",
                 "source": x["source"], "people": [(x["author"], "author"), (x["editor"], "editor")]}
                for x in items]
    return routes, expected


def _json(payload, status=200):
    return Reply(status=status, body=json.dumps(payload, ensure_ascii=False), content_type="application/json")


def _timestamp(day_or_moment):
    return int(day_or_moment.replace(tzinfo=CHINA_TZ).timestamp())


def _api_article(host, x):
    day = datetime.combine(x["published"].date(), time())
    return {"id": x["id"], "title": x["article"].title, "document_number": "", "identifier": x["identifier"],
            "publisher": x["source"], "keywords": "", "date": _timestamp(day),
            "display_publish_time": _timestamp(day), "created_at": f"{x['published']:%Y-%m-%d %H:%M:%S}",
            "classify_main": x["classify"][1], "classify_main_name": x["classify"][0],
            "url": f"http://{host}{x['path']}", "post_url": f"http://{host}{x['path']}", "is_expired": 0,
            "is_abolished": 0}


def _index_page(site_name, sid, categories):
    tree = json.dumps([{"id": cat, "name": name, "parent": 0, "post_count": 0, "jump_url": "", "children": []}
                       for name, cat in categories], ensure_ascii=False)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="SiteName" content="{site_name}">
<meta name="ColumnName" content="政府信息公开">
<title>{site_name}政府信息公开平台</title>
<link href="/gkmlpt/static/css/app.css" rel="stylesheet">
</head>
<body>
<noscript>您的浏览器未启用JavaScript，请启用后访问政府信息公开目录。</noscript>
<div id="app"></div>
<script>
window._CONFIG = {{
  SID: '{sid}',
  APP_URL: '',
  SITE_NAME: '{site_name}',
  TREE: {tree},
  SERVICE_AREA_ID: 0,
  SEARCH_JSONP_URL: 'http://search.gd.gov.cn/jsonp/site/{sid}'
}};
</script>
<script src="/gkmlpt/static/js/chunk-vendors.js"></script>
<script src="/gkmlpt/static/js/chunk-common.js"></script>
<script src="/gkmlpt/static/js/index.js"></script>
</body>
</html>
"""


def _content_page(site_name, short_name, sid, host, x):
    a = x["article"]
    pub = x["published"]
    paras = "".join(f"<p>{escape(p)}</p>" for p in a.paragraphs) + f"<p>（编辑：{escape(x['editor'])}）</p>"
    # most content pages render the document in the browser from DETAIL.content (what the
    # Shenzhen crawler reads); a third of these leave the HTML container empty, the rest fill it
    rendered = "" if x["id"] % 3 == 0 else paras
    detail = json.dumps({"id": x["id"], "title": a.title, "publisher": x["source"], "identifier": x["identifier"],
                         "date": _timestamp(pub), "content": paras, "attachment": []}, ensure_ascii=False)
    detail = detail.replace("<", "\\u003C").replace(">", "\\u003E")
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="SiteName" content="{site_name}">
<meta name="ColumnName" content="{escape(x['classify'][0])}">
<meta name="ArticleTitle" content="{escape(a.title, quote=True)}">
<meta name="PubDate" content="{pub:%Y-%m-%d %H:%M}">
<meta name="ContentSource" content="{escape(x['source'], quote=True)}">
<meta name="Url" content="http://{host}{x['path']}">
<title>{escape(a.title)}-{short_name}</title>
<link href="/gkmlpt/static/css/content.css" rel="stylesheet">
</head>
<body>
<div class="header"><a href="/">{site_name}</a> <a href="/gkmlpt/index">政府信息公开</a></div>
<div class="content-container">
<div class="crumb">当前位置：<a href="/gkmlpt/index">政府信息公开目录</a> &gt; {escape(x['classify'][0])}</div>
<table class="introduce">
<tr><td class="label">索引号：</td><td>{x['identifier']}</td><td class="label">分类：</td><td>{escape(x['classify'][0])}</td></tr>
<tr><td class="label">发布机构：</td><td>{short_name}</td><td class="label">发布日期：</td><td>{pub:%Y-%m-%d}</td></tr>
<tr><td class="label">名称：</td><td colspan="3">{escape(a.title)}</td></tr>
</table>
<h1 class="title">{escape(a.title)}</h1>
<div class="info"><span class="time">发布时间：{pub:%Y-%m-%d %H:%M}</span><span class="source">来源：{escape(x['source'])}</span><span class="author">作者：{escape(x['author'])}</span><span class="fontsize">字号：<a href="javascript:void(0)">大</a> <a href="javascript:void(0)">中</a> <a href="javascript:void(0)">小</a></span></div>
<div class="article-content">{rendered}</div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a><a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="footer">主办：{site_name}　政府网站标识码：4403000000</div>
<script>window._CONFIG = {{SID: '{sid}', APP_URL: '', DETAIL: {detail}}};</script>
<script src="/gkmlpt/static/js/content.js"></script>
</body>
</html>
"""


_ROUTES, EXPECTED = build(
    seed=5301, host="szeb.sz.gov.cn", site_name="深圳市教育局", short_name="深圳市教育局", sid="755031",
    place=Place("深圳市", "深圳市教育局", ("福田", "罗湖", "南山", "宝安", "龙岗", "盐田", "龙华", "坪山", "光明", "大鹏")),
    n_articles=45)


def routes() -> dict:
    return dict(_ROUTES)
