# Replica of 教育部 工作动态 (www.moe.gov.cn/jyb_xwfb/gzdt_gzdt/, TRS WCM).
# Shape follows public crawlers of the site:
#   - the list in div#wcmpagehtml … ul#list li, `<a href title>` with the date in a <span>,
#     hrefs relative to the column: scrapy/splash spiders of jyb_sy/sy_jyyw
#     (`//div[@id='wcmpagehtml']//ul[@id='list']/li`), a moegov scrapy spider (`div#wcmpagehtml ul li`,
#     span date), a config of moe.gov.cn columns (`//div[@id="wcmpagehtml"]/div/ul/li`, `./a/@title`);
#   - article links under the column's sub-columns: `gzdt_gzdt/moe_1485/202604/t20260421_1434408.html`
#     and `gzdt_gzdt/s5987/202604/t20260424_1434667.html` (cited in public code), and a rust RSS
#     source reading `<a href>title</a><span>YYYY-MM-DD</span>` from gzdt_gzdt/moe_1485/;
#   - the pager script createPageHTML(countPage, currentPage, "index", "html") and the
#     TRS_Editor body with the government meta tags: TRS pages saved in public repositories
#     (mee.gov.cn article: ArticleTitle/PubDate/ContentSource metas, div.TRS_Editor, 来源 line).
# Guesses: the chrome, ids, the 责任编辑 line, 10 records a page over 3 pages, and the texts
# (written for this replica by aggregator.demo.content.Writer, ministry voice).
from __future__ import annotations

import random
from html import escape

from aggregator.demo.content import PROVINCES, SCHOOL_TYPES, Place, Writer
from tests.replica import Reply

SOURCE = ("moe.gov.cn crawlers: jyb_sy spiders (div#wcmpagehtml ul#list li), moegov scrapy spider, "
          "column config (//div[@id='wcmpagehtml']/div/ul/li); gzdt_gzdt/moe_1485 and s5987 article URLs "
          "cited in public code; mee.gov.cn saved TRS article (metas, div.TRS_Editor)")

COLUMN = "/jyb_xwfb/gzdt_gzdt/"
PER_PAGE = 10
MINISTRY = Place(district="全国", bureau="教育部", towns=("北京", "上海", "天津", "重庆"), school_types=SCHOOL_TYPES,
                 regions=PROVINCES)
SOURCES = ("教育部新闻办", "教育部", "人民日报", "中国教育报", "新华社")


def write_articles(seed, n, place, path_of, sources, voice="local"):
    """n articles newest first: (path, Article, people dict, source)."""
    w = Writer(random.Random(seed))
    made = sorted((w.article(place, min_han=220, voice=voice) for _ in range(n)),
                  key=lambda a: a.published, reverse=True)
    rows = []
    for i, a in enumerate(made):
        people = {"author": w.name(), "editor": w.name(), "correspondent": w.name()}
        rows.append((path_of(i, a), a, people, sources[i % len(sources)]))
    return rows


def _path(i, a):
    sub = "moe_1485" if i % 3 else "s5987"
    return f"{COLUMN}{sub}/{a.published:%Y%m}/t{a.published:%Y%m%d}_{596000 + 811 * (40 - i)}.html"


ARTICLES = write_articles(1485, 28, MINISTRY, _path, SOURCES, voice="ministry")
PAGES = -(-len(ARTICLES) // PER_PAGE)

CREATE_PAGE_JS = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount<=1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0) document.write("<li class='m_page_a m_page_btn'><span>首页</span></li>");
  else document.write("<li class='m_page_a m_page_btn'><a href='"+_sPageName+"."+_sPageExt+"'>首页</a></li>");
  for(var i=0; i<_nPageCount; i++){
    var name = i == 0 ? _sPageName+"."+_sPageExt : _sPageName+"_"+i+"."+_sPageExt;
    document.write("<li class='m_page_a m_page_num'><a href='"+name+"'>"+(i+1)+"</a></li>");
  }
}"""


def column_page(num):
    chunk = ARTICLES[num * PER_PAGE:(num + 1) * PER_PAGE]
    rows = "\n".join(f'<li><a href="./{p[len(COLUMN):]}" target="_blank" title="{escape(a.title)}">{escape(a.title)}</a>'
                     f"<span>{a.published:%Y-%m-%d}</span></li>" for p, a, *_ in chunk)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>工作动态 - 中华人民共和国教育部政府门户网站</title>
<meta name="SiteName" content="中华人民共和国教育部政府门户网站"><meta name="SiteDomain" content="www.moe.gov.cn">
<meta name="SiteIDCode" content="bm05000001"><meta name="ColumnName" content="工作动态"><meta name="ColumnType" content="工作动态">
<script>{CREATE_PAGE_JS}</script></head><body>
<div class="moe-nav"><a href="../../">首页</a> <a href="../">新闻</a> <a href="./">工作动态</a>
<a href="../../jyb_xxgk/">信息公开</a> <a href="../../jyb_sjzl/">数据资料</a> <a href="http://www.moe.gov.cn/jyb_hygq/">互动</a></div>
<div class="scy_banner">工作动态</div>
<div class="scy_lbsj-left"><h3>热点专题</h3><ul>
<li><a href="../../jyb_sjzl/sjzl_fztjgb/202107/t20210701_541453.html" title="全国教育事业发展统计公报">全国教育事业发展统计公报</a></li>
<li><a href="../xw_zt/moe_357/">专题</a></li></ul></div>
<div class="scy_lbsj-right"><div class="scy_lbsj-right-tit">工作动态</div>
<div id="wcmpagehtml"><div class="scy_lbsj-right-nr"><ul id="list">
{rows}
</ul></div>
<div class="scy_tylb_fy-nr"><ul><script>createPageHTML({PAGES}, {num}, "index", "html");</script></ul></div></div></div>
<div class="moe-footer">主办单位：中华人民共和国教育部 &nbsp; 京ICP备10028400号</div></body></html>"""


def article_page(path, a, people, source):
    paras = "\n".join(f"<p>　　{escape(p)}</p>" for p in a.paragraphs)
    title = escape(a.title)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{title} - 中华人民共和国教育部政府门户网站</title>
<meta name="SiteName" content="中华人民共和国教育部政府门户网站"><meta name="SiteDomain" content="www.moe.gov.cn">
<meta name="SiteIDCode" content="bm05000001"><meta name="ColumnName" content="工作动态">
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{a.published:%Y-%m-%d %H:%M}">
<meta name="ContentSource" content="{escape(source)}"><meta name="Keywords" content="">
<meta name="Url" content="http://www.moe.gov.cn{path}"></head><body>
<div class="moe-nav"><a href="../../../../">首页</a> <a href="../../../">新闻</a> <a href="../../">工作动态</a></div>
<div class="moe-detail-box"><h1>{title}</h1>
<div class="moe-detail-shuxing">来源：{escape(source)} &nbsp; {a.published:%Y-%m-%d}</div>
<div class="moe-detail-content"><div class="TRS_Editor">
{paras}
</div></div>
<div id="detail-editor">（责任编辑：{people["editor"]}）</div>
<div class="moe-detail-tool"><a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></div></div>
<div class="moe-footer">主办单位：中华人民共和国教育部</div></body></html>"""


def trs_routes(column, pages, articles, column_page, article_page, ext="html") -> dict:
    """A TRS column of `pages` listing pages (index.EXT, index_1.EXT ...) and its article pages."""
    table = {f"{column}index.{ext}": Reply(body=column_page(0))}
    for num in range(1, pages):
        table[f"{column}index_{num}.{ext}"] = Reply(body=column_page(num))
    for path, a, people, source in articles:
        table[path] = Reply(body=article_page(path, a, people, source))
    return table


def routes() -> dict:
    return trs_routes(COLUMN, PAGES, ARTICLES, column_page, article_page)


EXPECTED = [
    {"path": path, "title": a.title, "published": f"{a.published:%Y-%m-%d %H:%M}", "source": source,
     "people": [(people["editor"], "responsible_editor")]}
    for path, a, people, source in ARTICLES
]
