# Replica of 北仑区人民政府 教育 column (www.bl.gov.cn, Hanweb JCMS, Ningbo district site).
# Shape follows public crawlers of Zhejiang cluster district sites that page a column as
# /col/colNNN/index.html?uid=UNITID&pageNum=N: a scrapy spider of www.sxyc.gov.cn (czScrapy
# app_yc: start URLs `col/col1559789/index.html?uid=4851098&pageNum=1`, records as `<li><a>`
# with the date beside the link, body in div#zoom) and a feapder parser of mpa.zj.gov.cn whose
# Referer is `col/col1228972439/index.html?uid=7543749&pageNum=3`.
# Guesses: that this column is rendered server-side page by page (no datastore, pager links
# with pageNum), the unitid 7139125, records whose <a> has only text and whose date is an <i>,
# relative `../../art/...` hrefs beside root-relative ones, the chrome, and the texts (written
# for this replica by aggregator.demo.content.Writer).
from __future__ import annotations

from html import escape

from aggregator.demo.content import BEILUN_TOWNS, Place
from tests.replica import Reply
from tests.replicas.zj_jyt import write_articles

SOURCE = ("sxyc.gov.cn scrapy spider (czScrapy app_yc: col/colNNN/index.html?uid=&pageNum=, li records, "
          "#zoom body); feapder mpa.zj.gov.cn parser (Referer ?uid=&pageNum=)")

COLUMN, UNIT, PER_PAGE = "1229046766", "7139125", 12
BEILUN = Place(district="北仑区", bureau="北仑区教育局", towns=BEILUN_TOWNS, prefix="北仑区")
SOURCES = ("区教育局", "北仑区教育局", "区教育局办公室", "北仑区融媒体中心")
ARTICLES = write_articles(1229046766, 46, BEILUN, COLUMN, SOURCES, 4012877)
PAGES = -(-len(ARTICLES) // PER_PAGE)
COLUMN_PATH = f"/col/col{COLUMN}/index.html"


def _row(i, path, a):
    href = path if i % 2 else "../.." + path          # both forms occur on the page
    return f'<li><a href="{href}" target="_blank">{escape(a.title)}</a><i>{a.published:%Y-%m-%d}</i></li>'


def _pager(num):
    link = lambda n, text: f'<a href="{COLUMN_PATH}?uid={UNIT}&amp;pageNum={n}">{text}</a>'
    parts = [f"<span>共{len(ARTICLES)}条 {PAGES}页</span>", link(1, "首页")]
    if num > 1:
        parts.append(link(num - 1, "上一页"))
    if num < PAGES:
        parts.append(link(num + 1, "下一页"))
    parts.append(link(PAGES, "尾页"))
    return '<div class="page">' + " ".join(parts) + "</div>"


def column_page(req):
    num = int(req.query.get("pageNum") or 1)
    if req.query and req.query.get("uid") != UNIT or not 1 <= num <= PAGES:
        return Reply(404, "<html><body>页面不存在</body></html>")
    chunk = ARTICLES[(num - 1) * PER_PAGE:num * PER_PAGE]
    rows = "\n".join(_row(i, p, a) for i, (p, a, *_) in enumerate(chunk))
    return Reply(body=f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>教育 北仑区人民政府</title><meta name="SiteName" content="北仑区人民政府">
<meta name="ColumnName" content="教育"></head><body>
<div class="nav"><a href="/">首页</a> <a href="/col/col1229046700/index.html">政务公开</a>
<a href="/col/col1229046766/index.html">教育</a> <a href="/col/col1229046770/index.html">卫生健康</a></div>
<div class="side"><h4>图片新闻</h4><a href="/art/2022/3/1/art_1229046700_3990001.html"><img src="/picture/0/a.jpg" alt=""></a></div>
<div class="lmlist"><ul>
{rows}
</ul>
{_pager(num)}</div>
<div class="foot">北仑区人民政府办公室主办</div></body></html>""")


def article_page(path, a, author, editor, source):
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in a.paragraphs)
    title = escape(a.title)
    stamp = f"{a.published:%Y-%m-%d %H:%M}"
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title} 北仑区人民政府</title>
<meta name="SiteName" content="北仑区人民政府"><meta name="SiteDomain" content="www.bl.gov.cn">
<meta name="ColumnName" content="教育"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{stamp}"><meta name="ContentSource" content="{escape(source)}">
<meta name="Author" content="{author}"></head><body>
<div class="nav"><a href="/">首页</a> <a href="/col/col1229046766/index.html">教育</a></div>
<div class="art-title">{title}</div>
<div class="art-info">发布时间：{stamp} &nbsp; 来源：{escape(source)} &nbsp; 作者：{author} &nbsp; 编辑：{editor}
&nbsp; 浏览次数：{a.views or 3}</div>
<div id="zoom">{paras}</div>
<div class="art-tool">【打印本页】 【关闭窗口】</div>
<div class="foot">北仑区人民政府办公室主办</div></body></html>"""


def routes() -> dict:
    table = {f"GET {COLUMN_PATH}": column_page}
    for path, a, author, editor, source in ARTICLES:
        table[path] = Reply(body=article_page(path, a, author, editor, source))
    return table


EXPECTED = [
    {"path": path, "title": a.title, "published": f"{a.published:%Y-%m-%d %H:%M}", "source": source,
     "people": [(author, "author"), (editor, "editor")]}
    for path, a, author, editor, source in ARTICLES
]
