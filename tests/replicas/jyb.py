# Replica of 中国教育新闻网 要闻 (www.jyb.cn/rmtzcg/xwy/wzxw/, TRS WCM, 中国教育报).
# Shape follows public TRS material: relative t-dated article links `./202204/t20220417_974894.html`
# (TRS article URLs in public crawlers, e.g. a saved mee.gov.cn TRS article and its Url meta),
# the government meta tags and div.TRS_Editor body of that saved page, and the TRS pager variant
# whose first argument is the pager's element id, createPageHTML('page_div', N, current, 'index',
# 'html', records) as gov.cn TRS columns print it (a public crawler's page-count detector reads
# createPageHTML\((\d+) and var countPage; the element-id form is from memory of gov.cn pages).
# Guesses: everything site-specific — the list block div.yxj_list, the 来源/作者/发布时间 line,
# the 责任编辑 line, the pager arguments, 3 pages of 9 records — and the texts (written for this
# replica by aggregator.demo.content.Writer).
from __future__ import annotations

from html import escape

from aggregator.demo.content import PROVINCES, SCHOOL_TYPES, Place
from tests.replicas.moe import trs_routes, write_articles

SOURCE = ("saved mee.gov.cn TRS article (t-dated ./YYYYMM/tYYYYMMDD_ID links, metas, div.TRS_Editor); "
          "public page-count detector for createPageHTML/countPage; element-id pager form is a guess")

COLUMN = "/rmtzcg/xwy/wzxw/"
PER_PAGE = 9
PLACE = Place(district="全国", bureau="中国教育报", towns=("北京", "上海", "成都", "武汉"), school_types=SCHOOL_TYPES,
              regions=PROVINCES)
SOURCES = ("中国教育报", "中国教育新闻网", "中国教育报-中国教育新闻网")


def _path(i, a):
    return f"{COLUMN}{a.published:%Y%m}/t{a.published:%Y%m%d}_{700100 + 53 * (30 - i)}.html"


ARTICLES = write_articles(2022, 25, PLACE, _path, SOURCES)
PAGES = -(-len(ARTICLES) // PER_PAGE)


def column_page(num):
    chunk = ARTICLES[num * PER_PAGE:(num + 1) * PER_PAGE]
    rows = "\n".join(f'<li><a href="./{p[len(COLUMN):]}" target="_blank">{escape(a.title)}</a>'
                     f"<span>{a.published:%Y-%m-%d %H:%M}</span></li>" for p, a, *_ in chunk)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>要闻_中国教育新闻网</title>
<meta name="ColumnName" content="要闻"></head><body>
<div class="nav"><a href="http://www.jyb.cn/">首页</a> <a href="../../">融媒体</a> <a href="../">新闻眼</a>
<a href="./">要闻</a> <a href="../../../zcg/xwy/jcxw/">基层新闻</a></div>
<div class="yxj_list"><ul>
{rows}
</ul>
<div class="page" id="page_div"></div>
<script>createPageHTML('page_div',{PAGES}, {num}, 'index', 'html',{len(ARTICLES)});</script></div>
<div class="hot"><h3>热点排行</h3><ul>
<li><a href="../jyzx/202204/t20220416_699001.html">热点：基层教育观察</a></li>
<li><a href="../../../zcg/xwy/jcxw/202204/t20220415_698811.html">县域高中的新变化</a></li></ul></div>
<div class="footer">中国教育报刊社主办</div></body></html>"""


def article_page(path, a, people, source):
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in a.paragraphs)
    title = escape(a.title)
    stamp = f"{a.published:%Y-%m-%d %H:%M}"
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_中国教育新闻网</title>
<meta name="SiteName" content="中国教育新闻网"><meta name="ColumnName" content="要闻">
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{stamp}">
<meta name="ContentSource" content="{escape(source)}"><meta name="Author" content="{people['author']}"></head><body>
<div class="nav"><a href="http://www.jyb.cn/">首页</a> <a href="../../">要闻</a></div>
<div class="xl_title"><h1>{title}</h1><div class="xl_title_sub"><span>来源：{escape(source)}</span>
<span>作者：记者 {people['author']} 通讯员 {people['correspondent']}</span><span>发布时间：{stamp}</span></div></div>
<div class="xl_text"><div class="TRS_Editor">
{paras}
</div></div>
<div class="xl_editor">责任编辑：{people['editor']}</div>
<div class="footer">中国教育报刊社主办</div></body></html>"""


def routes() -> dict:
    return trs_routes(COLUMN, PAGES, ARTICLES, column_page, article_page)


EXPECTED = [
    {"path": path, "title": a.title, "published": f"{a.published:%Y-%m-%d %H:%M}", "source": source,
     "people": [(people["author"], "reporter"), (people["correspondent"], "correspondent"),
                (people["editor"], "responsible_editor")]}
    for path, a, people, source in ARTICLES
]
