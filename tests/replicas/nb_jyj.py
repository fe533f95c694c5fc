# Shape follows public code read for the jpaas platform (none copied): the column page's
# unitbuild.js loader with url= and a single-quoted queryData (policy_collector/collector.py
# extract_unitbuild_spec; RSSHub mohurd route; a MIIT monitor), the GET build/unit API with
# webId/pageId/parseType=bulidstatic/pageType/tagId/tplSetId/editType and paramJson
# {"pageNo","pageSize"} (a Yantai crawler/cms_api.py; a MIIT scrapy spider), the answer
# {"success":true,"data":{"html":…}} with <div class="pagination" count= pageNo= rows=>
# (cms_api.py; a MIIT API note), article paths /col/colNNN/art/YYYY/art_<32 hex>.html (a public
# ledger citing jyj.ningbo.gov.cn). The texts are generated (aggregator.demo.content.Writer).
"""A loopback replica of a jpaas column (宁波市教育局 教育动态 by default) and its articles."""
from __future__ import annotations

import json
import random
from html import escape

from aggregator.demo.content import NINGBO_TOWNS, Place, Writer
from tests.replica import Reply

SOURCE = ("jpaas column page + build/unit API + article pages. Loader script and queryData: "
          "policy_collector/collector.py (extract_unitbuild_spec), RSSHub lib/routes/gov/mohurd/policy.ts; "
          "API fields and paramJson: a Yantai crawler/cms_api.py (fetch_cms_list), a MIIT scrapy spider; "
          "answer JSON and div.pagination[count][rows]: cms_api.py and a MIIT API note; article paths: a "
          "public recruitment ledger citing jyj.ningbo.gov.cn. Guessed: the list row markup inside data.html "
          "(li > a[title] + span date, as on the cluster's hanweb lists), the tplSetId value, the article "
          "chrome (government meta tags, #zoom, an info line 发布时间/来源/作者, 责任编辑 at the end), and the "
          "answer to a page past the last one (an empty list).")

UNIT_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"


def build(*, seed, site_name, short_name, column, column_name, web_id, tpl_set_id, tag_id, place, n_articles,
          rows=15, years=(2023, 2024)):
    """(routes, expected) of one jpaas column with n_articles generated articles."""
    rng = random.Random(seed)
    w = Writer(random.Random(seed + 1))
    articles = []
    for _ in range(n_articles):
        a = w.article(place, years=years)
        minute = a.published.replace(second=0)
        aid = "%032x" % rng.getrandbits(128)
        path = f"/col/col{column}/art/{minute:%Y}/art_{aid}.html"
        author, editor = w.name(), w.name()
        source = rng.choice((short_name, f"{rng.choice(place.towns)}{rng.choice(('中心小学', '实验学校', '中学'))}",
                             short_name))
        articles.append(dict(article=a, published=minute, path=path, author=author, editor=editor, source=source))
    articles.sort(key=lambda x: x["published"], reverse=True)

    routes = {f"/col/col{column}/index.html": Reply(body=_column_page(
        site_name, short_name, column, column_name, web_id, tpl_set_id, tag_id))}
    for i, item in enumerate(articles):
        routes[item["path"]] = Reply(body=_article_page(site_name, short_name, column, column_name, item,
                                                        articles[i - 1] if i else None,
                                                        articles[i + 1] if i + 1 < len(articles) else None))

    def unit(req):
        q = req.query
        if (q.get("webId"), q.get("pageId"), q.get("tplSetId"), q.get("tagId"), q.get("parseType")) != (
                web_id, str(column), tpl_set_id, tag_id, "bulidstatic"):
            return _json({"success": False, "code": "500", "message": "页面构建参数错误", "data": None})
        try:
            param = json.loads(q.get("paramJson") or "{}")
            page_no, size = int(param.get("pageNo", 1)), int(param.get("pageSize", rows))
        except (ValueError, TypeError, AttributeError):
            return _json({"success": False, "code": "500", "message": "paramJson格式错误", "data": None})
        size = size if 0 < size <= 100 else rows
        chunk = articles[(page_no - 1) * size: page_no * size] if page_no > 0 else []
        return _json({"success": True, "code": "200", "message": "操作成功",
                      "data": {"html": _list_html(chunk, len(articles), page_no, size)}})

    routes[f"GET {UNIT_PATH}"] = unit
    expected = [{"path": x["path"], "title": x["article"].title, "published": f"{x['published']:%Y-%m-%d %H:%M}",
                 "source": x["source"], "people": [(x["author"], "author"), (x["editor"], "responsible_editor")]}
                for x in articles]
    return routes, expected


def _json(payload):
    return Reply(body=json.dumps(payload, ensure_ascii=False), content_type="application/json;charset=UTF-8")


def _list_html(chunk, total, page_no, size):
    rows = "\n".join(
        f'<li class="clearfix"><a href="{x["path"]}" title="{escape(x["article"].title, quote=True)}" target="_blank">'
        f'{escape(x["article"].title)}</a><span class="fr">{x["published"]:%Y-%m-%d}</span></li>'
        for x in chunk)
    return (f'<div class="default_pgContainer"><ul class="list-ul">\n{rows}\n</ul></div>'
            f'<div class="pagination" count="{total}" pageNo="{page_no}" rows="{size}"></div>')


def _chrome(site_name, title, head, body):
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<meta name="renderer" content="webkit">
{head}<title>{escape(title)}</title>
<link rel="stylesheet" href="/static/jpaas/css/common.css">
<script src="/static/jpaas/js/jquery.min.js"></script>
</head>
<body>
<div class="top-bar"><div class="w1200">欢迎访问{site_name}门户网站 <a href="javascript:void(0)" id="wza">无障碍</a> <a href="javascript:void(0)">长者版</a></div></div>
<div class="header w1200"><a class="logo" href="/">{site_name}</a>
<script src="/AuthorizedRead/unitbuild.js" id="unit-search" url="{UNIT_PATH}" queryData="{{'tagId':'站内搜索','pageType':'column','parseType':'bulidstatic','editType':'null'}}"></script></div>
{body}
<div class="footer"><p>主办：{site_name}　网站标识码：3302000029</p>
<p>浙ICP备00000000号　浙公网安备 33020302000000号</p></div>
</body>
</html>
"""


def _column_page(site_name, short_name, column, column_name, web_id, tpl_set_id, tag_id):
    head = (f'<meta name="SiteName" content="{site_name}">\n<meta name="ColumnName" content="{column_name}">\n'
            f'<meta name="ColumnType" content="{column_name}">\n')
    query = (f"{{'webId':'{web_id}','pageId':'{column}','parseType':'bulidstatic','pageType':'column',"
             f"'tagId':'{tag_id}','tplSetId':'{tpl_set_id}','editType':'null'}}")
    body = f"""<div class="nav w1200"><ul><li><a href="/">首页</a></li><li><a href="/col/col{column}/index.html">{column_name}</a></li>
<li><a href="/col/col1229055448/index.html">通知公告</a></li><li><a href="/col/col1229055449/index.html">政策文件</a></li></ul></div>
<div class="main w1200">
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <span>{column_name}</span></div>
<div class="left-nav"><h3>{column_name}</h3></div>
<div class="right-list" id="list-{column}">
<script src="/AuthorizedRead/unitbuild.js" id="unit-{column}" url="{UNIT_PATH}" queryData="{query}"></script>
</div>
</div>"""
    return _chrome(site_name, f"{column_name} - {short_name}", head, body)


def _article_page(site_name, short_name, column, column_name, item, newer, older):
    a = item["article"]
    pub = item["published"]
    head = f"""<meta name="SiteName" content="{site_name}">
<meta name="ColumnName" content="{column_name}">
<meta name="ColumnType" content="{column_name}">
<meta name="ArticleTitle" content="{escape(a.title, quote=True)}">
<meta name="PubDate" content="{pub:%Y-%m-%d %H:%M}">
<meta name="ContentSource" content="{escape(item['source'], quote=True)}">
<meta name="Keywords" content="{escape(a.topic)}">
<meta name="Url" content="{item['path']}">
"""
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in a.paragraphs)
    nav = "".join((
        f'<p>上一篇：<a href="{newer["path"]}">{escape(newer["article"].title)}</a></p>' if newer else "<p>上一篇：无</p>",
        f'<p>下一篇：<a href="{older["path"]}">{escape(older["article"].title)}</a></p>' if older else "<p>下一篇：无</p>"))
    body = f"""<div class="main w1200">
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/col/col{column}/index.html">{column_name}</a></div>
<div class="article-box">
<h1 class="article-title">{escape(a.title)}</h1>
<div class="article-info"><span>发布时间：{pub:%Y-%m-%d %H:%M}</span><span>来源：{escape(item['source'])}</span><span>作者：{escape(item['author'])}</span><span>浏览次数：<i id="hits"></i></span>
<span class="font">字号：<a href="javascript:void(0)">大</a> <a href="javascript:void(0)">中</a> <a href="javascript:void(0)">小</a></span></div>
<div class="article-content" id="zoom">
{paras}
</div>
<p class="article-editor">责任编辑：{escape(item['editor'])}</p>
<div class="article-tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div class="article-prevnext">{nav}</div>
</div>
</div>"""
    return _chrome(site_name, f"{a.title} - {short_name}", head, body)


_ROUTES, EXPECTED = build(
    seed=4101, site_name="宁波市教育局", short_name="宁波市教育局", column=1229055447, column_name="教育动态",
    web_id="3271", tpl_set_id="Bt7wQe2XkRaLm9Zp0sYvN", tag_id="信息列表",
    place=Place("宁波市", "宁波市教育局", NINGBO_TOWNS), n_articles=38)


def routes() -> dict:
    return dict(_ROUTES)
