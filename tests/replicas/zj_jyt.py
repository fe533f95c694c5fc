# Replica of 浙江省教育厅 教育动态 (jyt.zj.gov.cn, Hanweb JCMS, Zhejiang cluster).
# Shape follows public crawlers of Zhejiang cluster sites:
#   - the POST to /module/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage= with form fields
#     col/appid/webid/path/columnid/sourceContentType/unitid/webname/permissiontype:
#     a crawler of wsjkw.zj.gov.cn (the 3311742315 file: "wsjkw.zj.gov.cn/module/jpage/dataproxy.jsp"),
#     scrapy spiders of panan.gov.cn / ggb.sx.gov.cn / yk.gov.cn (spider_pro ZJ_city_* spiders),
#     a feapder parser of mpa.zj.gov.cn that reads `totalRecord:(\d+)...dataStore` from the jpage
#     call and the <span> date of each record;
#   - the datastore/record/CDATA markup with `<li><a href title>…</a><span>date</span></li>`
#     records: the mpa.zj.gov.cn parser above and a Jiangsu-cluster test fixture (xuzhou jpage test);
#   - article pages with ArticleTitle/PubDate/ContentSource metas and a #zoom body between
#     ZJEG_RSS.content.begin/end comments: a cma.org.cn crawler (external/fetch_cma_health.py).
# Guesses: the page chrome, webid 1544 (unitid 4729348 is the one the site class cites), how many
# records the static datastore holds (here one group: perPage 10 × groupSize 2), and the texts,
# which are written for this replica by aggregator.demo.content.Writer.
from __future__ import annotations

import random
from html import escape

from aggregator.demo.content import Place, Writer
from tests.replica import Reply

SOURCE = ("Zhejiang cluster crawlers: wsjkw.zj.gov.cn dataproxy POST, spider_pro ZJ_city_* spiders "
          "(panan/ggb.sx/yk.gov.cn), feapder mpa.zj.gov.cn parser (totalRecord in the jpage call); "
          "cma.org.cn crawler for the #zoom/ZJEG_RSS article body")

COLUMN, UNIT, WEBID = "1543974", "4729348", "1544"
PER_PAGE, GROUP = 10, 2
ZHEJIANG = Place(district="浙江省", bureau="浙江省教育厅",
                 towns=("杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水"))
SOURCES = ("浙江省教育厅办公室", "宁波市教育局", "杭州市教育局", "温州市教育局", "省教育考试院", "浙江教育报")


def write_articles(seed, n, place, column, sources, first_id):
    """n articles with paths, newest first: (path, Article, author, editor, source)."""
    w = Writer(random.Random(seed))
    out = []
    for i in range(n):
        a = w.article(place, min_han=220)
        out.append([a, w.name(), w.name(), sources[i % len(sources)]])
    out.sort(key=lambda row: row[0].published, reverse=True)
    rows = []
    for i, (a, author, editor, source) in enumerate(out):
        d = a.published
        path = f"/art/{d.year}/{d.month}/{d.day}/art_{column}_{first_id - i * 37}.html"
        rows.append((path, a, author, editor, source))
    return rows


ARTICLES = write_articles(1543974, 50, ZHEJIANG, COLUMN, SOURCES, 58917301)


def _record(path, a):
    title = escape(a.title)
    return (f'<record><![CDATA[\n<li><a href="{path}" title="{title}" target="_blank">{title}</a>'
            f'<span>{a.published:%Y-%m-%d}</span></li>]]></record>')


def _datastore(records, total):
    pages = -(-total // PER_PAGE)
    return (f"<datastore>\n<nextgroup><![CDATA[<a href=\"/module/jpage/dataproxy.jsp?page=1&appid=1&webid={WEBID}"
            f"&path=/&columnid={COLUMN}&unitid={UNIT}&webname=%25E6%25B5%2599%25E6%25B1%259F%25E7%259C%2581"
            f"%25E6%2595%2599%25E8%2582%25B2%25E5%258E%2585&permissiontype=0\"></a>]]></nextgroup>\n"
            f"<recordset>\n" + "\n".join(records) + f"\n</recordset>\n<totalrecord>{total}</totalrecord>"
            f"<totalpage>{pages}</totalpage></datastore>")


def column_page():
    first = [_record(p, a) for p, a, *_ in ARTICLES[:PER_PAGE * GROUP]]
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>教育动态 浙江省教育厅</title>
<meta name="SiteName" content="浙江省教育厅"><meta name="SiteDomain" content="jyt.zj.gov.cn">
<meta name="ColumnName" content="教育动态"><meta name="ColumnType" content="新闻动态">
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>
<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>
<link href="/module/jslib/jquery/jpage/css/jpage.css" rel="stylesheet" type="text/css">
</head><body>
<div class="header"><a href="/">首页</a> <a href="/col/col1543973/index.html">新闻中心</a>
<a href="/col/col1543974/index.html">教育动态</a> <a href="/col/col1229106823/index.html">通知公告</a>
<a href="/col/col1532836/index.html">政务公开</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/col/col1543973/index.html">新闻中心</a> &gt; 教育动态</div>
<div class="side"><h3>热点关注</h3><ul>
<li><a href="/art/2020/9/1/art_1532836_55811101.html" title="浙江省教育厅2020年政府信息公开工作年度报告">浙江省教育厅2020年政府信息公开工作年度报告</a></li>
<li><a href="/art/2020/5/6/art_1229106823_43810122.html">关于做好2020年普通高校招生工作的通知</a></li></ul></div>
<div class="list"><div id="{UNIT}"><script type="text/xml">
{_datastore(first, len(ARTICLES))}
</script></div>
<script>
var ajaxParam = {{col:1,appid:1,webid:{WEBID},path:'/',columnid:{COLUMN},sourceContentType:1,unitid:'{UNIT}',webname:'浙江省教育厅',permissiontype:0}};
$(document).ready(function(){{
  $('#{UNIT}').jpage({{themeName:'default',showMode:'full',totalRecord:{len(ARTICLES)},openCookies:false,
    dataBefore:'<ul class="lm-list">',dataAfter:'</ul>',groupSize:{GROUP},proxyUrl:'/module/jpage/dataproxy.jsp',
    perPage:{PER_PAGE},barPosition:'bottom',ajaxType:'post',ajaxParam:ajaxParam}});
}});
</script></div>
<div class="footer">主办：浙江省教育厅 &nbsp; 浙ICP备05002869号 &nbsp; 网站标识码：3300000088</div>
</body></html>"""


def dataproxy(req):
    """The pager's proxy: records startrecord..endrecord and one look-ahead record;
    an empty recordset when the column's ids are not the ones the page gave."""
    if req.form.get("columnid") != COLUMN or req.form.get("unitid") != UNIT or req.form.get("webid") != WEBID:
        return Reply(body=_datastore([], 0), content_type="text/xml; charset=utf-8")
    start, end = int(req.query.get("startrecord", 1)), int(req.query.get("endrecord", 1))
    chosen = ARTICLES[start - 1:end + 1]
    return Reply(body='<?xml version="1.0" encoding="UTF-8"?>' + _datastore([_record(p, a) for p, a, *_ in chosen],
                                                                              len(ARTICLES)),
                 content_type="text/xml; charset=utf-8")


def article_page(path, a, author, editor, source):
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in a.paragraphs)
    title = escape(a.title)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title} 浙江省教育厅</title>
<meta name="SiteName" content="浙江省教育厅"><meta name="SiteDomain" content="jyt.zj.gov.cn">
<meta name="SiteIDCode" content="3300000088"><meta name="ColumnName" content="教育动态">
<meta name="ColumnType" content="新闻动态"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{a.published:%Y-%m-%d %H:%M}"><meta name="ContentSource" content="{escape(source)}">
<meta name="Keywords" content=""><meta name="Author" content="{author}">
<meta name="Url" content="https://jyt.zj.gov.cn{path}">
</head><body>
<div class="header"><a href="/">首页</a> <a href="/col/col1543973/index.html">新闻中心</a>
<a href="/col/col1543974/index.html">教育动态</a></div>
<div class="main"><div class="title">{title}</div>
<div class="info"><span>发布日期：{a.published:%Y-%m-%d %H:%M}</span> <span>信息来源：{escape(source)}</span>
<span>作者：{author}</span> <span>浏览次数：<script>document.write('{a.views or 1}')</script></span>
<span>字号：[ 大 中 小 ]</span></div>
<div id="zoom"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">
{paras}
<meta name="ContentEnd"><!--ZJEG_RSS.content.end--></div>
<div class="editor">责任编辑：{editor}</div>
<div class="tool"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="footer">主办：浙江省教育厅</div></body></html>"""


def routes() -> dict:
    table = {f"/col/col{COLUMN}/index.html": Reply(body=column_page()),
             "POST /module/jpage/dataproxy.jsp": dataproxy}
    for path, a, author, editor, source in ARTICLES:
        table[path] = Reply(body=article_page(path, a, author, editor, source))
    return table


EXPECTED = [
    {"path": path, "title": a.title, "published": f"{a.published:%Y-%m-%d %H:%M}", "source": source,
     "people": [(author, "author"), (editor, "responsible_editor")]}
    for path, a, author, editor, source in ARTICLES
]
