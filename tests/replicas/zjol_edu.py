# Replica of 浙江在线 教育频道 (edu.zjol.com.cn/jyjsb/, TRS WCM, .shtml pages).
# Shape follows a TRS column page saved in a public repository (a .shtml list whose pager script
# is `var currentPage = 0;//所在页从0开始 … var countPage = 67//共多少页` and writes links
# index_1.shtml … index_66.shtml, with t-dated `../../zcb/gjzc/201901/t20190121_52601.shtml`
# article links), and for the article page the saved mee.gov.cn TRS article (government metas,
# div.TRS_Editor, 来源 line).
# Guesses: everything site-specific — the list block, the 来源/作者/编辑 line, 4 pages of 8
# records, the channel's nav — and the texts (written by aggregator.demo.content.Writer).
from __future__ import annotations

from html import escape

from aggregator.demo.content import Place
from tests.replicas.moe import trs_routes, write_articles

SOURCE = ("saved TRS .shtml column page (var countPage = N//共多少页, index_N.shtml pager links, t-dated .shtml "
          "article links); saved mee.gov.cn TRS article (metas, div.TRS_Editor)")

COLUMN = "/jyjsb/"
PER_PAGE = 8
ZHEJIANG = Place(district="浙江省", bureau="浙江在线",
                 towns=("杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水"))
SOURCES = ("浙江在线", "浙江日报", "钱江晚报", "浙江教育报")


def _path(i, a):
    return f"{COLUMN}{a.published:%Y%m}/t{a.published:%Y%m%d}_{24081000 + 97 * (40 - i)}.shtml"


ARTICLES = write_articles(24082, 30, ZHEJIANG, _path, SOURCES)
PAGES = -(-len(ARTICLES) // PER_PAGE)


def _pager(num):
    links = " ".join(f'<a href="index{"_" + str(i) if i else ""}.shtml" class="fanye">{i + 1}</a>'
                     for i in range(PAGES) if i != num)
    return f"""<div class="page"><script>
var currentPage = {num};//所在页从0开始
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
var countPage = {PAGES}//共多少页
if(countPage>1){{ document.write("共"+countPage+"页&nbsp;&nbsp;"); }}
</script>共{PAGES}页&nbsp;&nbsp;{links}</div>"""


def column_page(num):
    chunk = ARTICLES[num * PER_PAGE:(num + 1) * PER_PAGE]
    rows = "\n".join(f'<li><span class="date">{a.published:%Y-%m-%d}</span>'
                     f'<a href="./{p[len(COLUMN):]}" target="_blank">{escape(a.title)}</a></li>'
                     for p, a, *_ in chunk)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>教育界上榜_浙江在线教育频道</title><meta name="ColumnName" content="教育界上榜"></head><body>
<div class="nav"><a href="https://www.zjol.com.cn/">浙江在线</a> <a href="../">教育频道</a> <a href="../gkzx/">高考资讯</a>
<a href="../xqjy/index.shtml">学前教育</a> <a href="https://edu.zjol.com.cn/jyjsb/">教育界上榜</a></div>
<div class="listBox"><ul class="list">
{rows}
</ul>
{_pager(num)}</div>
<div class="footer">浙江在线新闻网站 版权所有</div></body></html>"""


def article_page(path, a, people, source):
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in a.paragraphs)
    title = escape(a.title)
    stamp = f"{a.published:%Y-%m-%d %H:%M}"
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}_浙江在线教育频道</title>
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{stamp}:00">
<meta name="ContentSource" content="{escape(source)}"><meta name="Author" content="{people['author']}">
<meta name="ColumnName" content="教育界上榜"></head><body>
<div class="nav"><a href="https://www.zjol.com.cn/">浙江在线</a> <a href="../../">教育频道</a></div>
<div class="contTit"><h1>{title}</h1></div>
<div class="contInfo"><span class="time">{stamp}</span> <span>来源：{escape(source)}</span>
<span>作者：{people['author']}</span> <span>编辑：{people['editor']}</span></div>
<div class="contTxt"><div class="TRS_Editor">
{paras}
</div></div>
<div class="footer">浙江在线新闻网站 版权所有</div></body></html>"""


def routes() -> dict:
    return trs_routes(COLUMN, PAGES, ARTICLES, column_page, article_page, ext="shtml")


EXPECTED = [
    {"path": path, "title": a.title, "published": f"{a.published:%Y-%m-%d %H:%M}", "source": source,
     "people": [(people["author"], "author"), (people["editor"], "editor")]}
    for path, a, people, source in ARTICLES
]
