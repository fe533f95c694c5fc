"""The four demo sites, pre-rendered once into memory: {path: Page} plus a POST handler.

Each site imitates one CMS family seen on Chinese education-bureau sites:

    demo_beilun  Hanweb JCMS: /col/colNNN/index.html with a <datastore> of the first 15
                 records, the rest from POST /module/jpage/dataproxy.jsp; /art/Y/M/D/art_COL_ID.html
    demo_moe     TRS WCM: /jyb_xwfb/gzdt_gzdt/index.html, index_1.html ... createPageHTML(),
                 relative ./YYYYMM/tYYYYMMDD_ID.html links, body in div.TRS_Editor
    demo_county  generic GBK site: /news/list_N.html with 下一页, /news/YYYY/MMDD/ID.html
    demo_feed    RSS 2.0 /rss.xml -> /news/ID.html with JSON-LD NewsArticle

Links inside pages are root-relative; where a page needs an absolute URL (RSS links, the
Url meta tag, JSON-LD) it holds ORIGIN, which the server replaces with the request's Host.

Public:
    ORIGIN, HOST_PLACEHOLDER        "http://__DEMO_ORIGIN__"; the server puts the request's host:port in
    Page(status, body, content_type, needs_origin)
    Site(name, display_name, pages, start_paths, post_paths, post, expected)
    build_sites(seed=DEFAULT_SEED) -> dict[name, Site]
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import format_datetime
from datetime import timezone
from html import escape
from urllib.parse import quote

from aggregator.demo import seed as seed_page
from aggregator.demo.content import (
    BEILUN_TOWNS, COUNTY_TOWNS, NINGBO_TOWNS, PROVINCES, Article, Place, Writer, han_count,
)

DEFAULT_SEED = 20210630
HOST_PLACEHOLDER = b"__DEMO_ORIGIN__"       # replaced by the request's Host (host:port)
ORIGIN = "http://" + HOST_PLACEHOLDER.decode("ascii")
CST = timezone(timedelta(hours=8))

# one transparent 1x1 GIF for every picture in article bodies
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
       b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
ROBOTS = b"User-agent: *\nAllow: /\n"


@dataclass(frozen=True)
class Page:
    status: int
    body: bytes
    content_type: str = "text/html; charset=UTF-8"
    needs_origin: bool = False     # body holds ORIGIN, to be replaced with the request's origin


@dataclass
class Site:
    name: str
    display_name: str
    pages: dict                    # path -> Page (GET/HEAD)
    start_paths: list              # listing paths a spider starts from
    post_paths: tuple = ()         # paths answering POST (GET on them -> 405)
    post: object = None            # callable(params: dict[str, str]) -> Page
    expected: dict = field(default_factory=dict)   # facts with root-relative paths
    encoding: str = "utf-8"


def _html(text: str, *, origin=False, status=200, encoding="utf-8", content_type=None) -> Page:
    ctype = content_type or f"text/html; charset={'UTF-8' if encoding == 'utf-8' else encoding}"
    return Page(status, text.encode(encoding), ctype, origin)


def _fact(site, a: Article, section, *, body=None, authors=None, source=None):
    return {"site": site, "title": a.title, "published": a.published.strftime("%Y-%m-%d %H:%M:%S"),
            "body": body if body is not None else a.text, "authors": list(authors if authors is not None else a.authors),
            "source": source if source is not None else a.source, "section": section}


def _ids(rng, n, lo, hi):
    return rng.sample(range(lo, hi), n)


def _p(text, indent=False):
    return f"<p>{'　　' if indent else ''}{escape(text)}</p>"


def _body_html(a: Article, rng, picture_path):
    """Body paragraphs as a CMS editor leaves them: some indented with full-width spaces, one picture."""
    indent = rng.random() < 0.5
    out = []
    for i, para in enumerate(a.paragraphs):
        out.append(_p(para, indent and i % 4 != 3))
        if a.image_after == i:
            out.append(f'<p style="text-align: center;"><img src="{picture_path}" border="0" '
                       f'alt="" width="600" height="400" /></p>')
            out.append(f'<p style="text-align: center;">{escape(a.caption)}</p>')
    return "\n".join(out)


# =========================================================================== Hanweb JCMS

BEILUN_NAME = "北仑区教育局（演示）"
BEILUN_SHORT = "北仑区教育局"
WEBID = 3129
COLUMNS = ((1229001, 352571, "工作动态"), (1229002, 352572, "校园动态"))


def _hanweb_chrome(title, body, *, head_extra="", column=None):
    nav = "".join(f'<li><a href="/col/col{c}/index.html">{name}</a></li>' for c, _, name in COLUMNS)
    crumb = ""
    if column:
        crumb = (f'<div class="position">您当前的位置：<a href="/">首页</a> &gt; '
                 f'<a href="/col/col{column[0]}/index.html">{column[2]}</a></div>')
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
{head_extra}<title>{escape(title)}</title>
<link rel="stylesheet" type="text/css" href="/images/3129/style.css" />
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>
</head>
<body>
<div class="top"><div class="top-in"><span class="date">欢迎访问{BEILUN_NAME}</span>
<a href="/">首页</a> | <a href="javascript:void(0)">无障碍浏览</a> | <a href="javascript:void(0)">长者模式</a></div></div>
<div class="header"><div class="logo"><a href="/">{BEILUN_NAME}</a></div>
<div class="search"><form action="/jsearch/search.do" method="get"><input type="text" name="q" /><input type="submit" value="搜索" /></form></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li>{nav}<li><a href="/col/col1229003/index.html">通知公告</a></li><li><a href="/col/col1229004/index.html">政策文件</a></li></ul></div>
{crumb}
{body}
<div class="footer"><p>主办单位：{BEILUN_NAME}　承办单位：北仑区教育信息中心（演示）</p>
<p>版权所有 © 北仑区教育局（演示站点，内容为生成示例）　地址：宁波市北仑区示例路1号</p>
<p>备案号：浙ICP备00000000号-1　政府网站标识码：0000000000　浙公网安备 00000000000000号</p></div>
</body>
</html>
"""


def _record(path, title, day):
    t = escape(title, quote=True)
    return (f'<record><![CDATA[\n<li><a href="{path}" title="{t}" target="_blank">{escape(title)}</a>'
            f'<span>{day}</span></li>]]></record>')


def _beilun(w: Writer, rng):
    place = Place("北仑区", "北仑区教育局", BEILUN_TOWNS, prefix="北仑区")
    sources = ("投稿", "投稿", BEILUN_SHORT, "北仑区教育局办公室", "北仑新区时刊", "{school}")
    cols = {c: [] for c, _, _ in COLUMNS}
    ids = iter(_ids(rng, 80, 51000, 99999))
    for col, n in ((1229001, 31), (1229002, 28)):
        for i in range(n):
            a = w.article(place, image=(i % 3 == 0))
            authors = tuple(w.name() for _ in range(rng.choice((1, 1, 1, 2))))
            src = rng.choice(sources).replace("{school}", a.extra["school"])
            a = a.with_(authors=authors, editor=w.name(), source=src)
            cols[col].append((a, next(ids)))
    seed_article = Article(
        title=seed_page.TITLE, paragraphs=seed_page.PARAGRAPHS, topic="党建",
        published=_parse(seed_page.PUBLISHED), authors=(seed_page.AUTHOR,), editor=seed_page.EDITOR,
        source=seed_page.SOURCE)
    cols[1229001].append((seed_article, 3456789))
    for col in cols:
        cols[col].sort(key=lambda x: x[0].published, reverse=True)

    def art_path(col, a, aid):
        d = a.published
        return f"/art/{d.year}/{d.month}/{d.day}/art_{col}_{aid}.html"

    pages, expected_pages, records = {}, {}, {}
    broken = {}
    # (b) two records of 校园动态 whose pages fail: one 404, one 500
    for status, aid in ((404, next(ids)), (500, next(ids))):
        a = w.article(place)
        broken[status] = (a, aid)
    for (col, unit, colname) in COLUMNS:
        items = cols[col]
        recs = []
        for idx, (a, aid) in enumerate(items):
            path = art_path(col, a, aid)
            prev_ = items[idx - 1] if idx > 0 else None
            next_ = items[idx + 1] if idx + 1 < len(items) else None
            nav = (prev_ and (art_path(col, *prev_), prev_[0].title), next_ and (art_path(col, *next_), next_[0].title))
            doubled = aid == 3456789
            pages[path] = _html(_hanweb_article(a, path, (col, unit, colname), nav, rng, doubled=doubled), origin=True)
            expected_pages[path] = _fact("demo_beilun", a, colname)
            recs.append((a.published, path, a.title))
        if col == 1229002:
            for status, (a, aid) in broken.items():
                path = art_path(col, a, aid)
                recs.append((a.published, path, a.title))
                if status == 500:
                    pages[path] = _html(_error_page(500, "服务器内部错误"), status=500)
            recs.sort(reverse=True)
        records[col] = [_record(path, title, pub.strftime("%Y-%m-%d")) for pub, path, title in recs]
        pages[f"/col/col{col}/index.html"] = _html(_hanweb_column((col, unit, colname), records[col]))
    pages["/"] = _html(_hanweb_chrome(BEILUN_NAME, _home_list(
        [(f"/col/col{c}/index.html", n) for c, _, n in COLUMNS])))
    pages["/index.html"] = pages["/"]
    for path, page in list(pages.items()):
        if path.startswith("/art/"):
            pic = _picture_path(path)
            pages[pic] = Page(200, GIF, "image/gif")

    units = {str(c): (str(u), records[c]) for c, u, _ in COLUMNS}

    def dataproxy(params: dict) -> Page:
        col = params.get("columnid", "")
        recs = units.get(col, (None, []))[1]
        perpage = _int(params.get("perpage"), 15) or 15
        start = max(_int(params.get("startrecord"), 1), 1)
        end = _int(params.get("endrecord"), start + perpage * 3 - 1)
        chosen = recs[start - 1:max(end, start - 1)]
        body = ('<?xml version="1.0" encoding="utf-8"?><datastore>'
                f"<totalrecord>{len(recs)}</totalrecord><totalpage>{math.ceil(len(recs) / perpage)}</totalpage>"
                "<recordset>" + "\n".join(chosen) + "</recordset></datastore>")
        return Page(200, body.encode("utf-8"), "text/xml; charset=UTF-8")

    seed_path = art_path(1229001, seed_article, 3456789)
    assert seed_path == seed_page.URL_PATH
    expected = {
        "articles": len(expected_pages),
        "not_found": [art_path(1229002, *broken[404])],
        "server_error": [art_path(1229002, *broken[500])],
        "doubled_body": seed_path,
        "doubled_body_text_once": "\n".join(seed_page.PARAGRAPHS),
        "pages": expected_pages,
        "listing": {f"/col/col{c}/index.html": len(records[c]) for c, _, _ in COLUMNS},
    }
    site = Site("demo_beilun", BEILUN_NAME, pages, [f"/col/col{c}/index.html" for c, _, _ in COLUMNS],
                post_paths=("/module/jpage/dataproxy.jsp", "/module/web/jpage/dataproxy.jsp"),
                post=dataproxy, expected=expected)
    return site, [(a, art_path(c, a, aid)) for c in cols for a, aid in cols[c] if aid != 3456789]


def _picture_path(art_path):
    stem = art_path.rsplit("_", 1)[-1].split(".")[0]
    return f"/picture/0/{stem}01.gif"


def _hanweb_column(column, records):
    col, unit, name = column
    webname = quote(BEILUN_NAME)
    total = len(records)
    pages = math.ceil(total / 15)
    nextgroup = (f'<a href="/module/jpage/dataproxy.jsp?page=1&appid=1&webid={WEBID}&path=/&columnid={col}'
                 f'&unitid={unit}&webname={webname}&permissiontype=0"></a>')
    datastore = (f'<script type="text/xml"><datastore><nextgroup><![CDATA[{nextgroup}]]></nextgroup>'
                 f"<totalrecord>{total}</totalrecord><totalpage>{pages}</totalpage><recordset>\n"
                 + "\n".join(records[:15]) + "\n</recordset></datastore></script>")
    body = f"""<div class="main"><div class="left-menu"><h2>新闻中心</h2><ul>
{''.join(f'<li><a href="/col/col{c}/index.html">{n}</a></li>' for c, _, n in COLUMNS)}</ul></div>
<div class="list-right"><div class="list-title"><span>{name}</span></div>
<div class="list-box">
<div id="{unit}">{datastore}</div>
<script type="text/javascript" src="/module/jpage/jpage.js"></script>
<script type="text/javascript">
var webid={WEBID};var unitid={unit};var columnid={col};var webname='{BEILUN_NAME}';
var proxyUrl = '/module/jpage/dataproxy.jsp';
var ajaxParam = "col=1&appid=1&webid={WEBID}&path=/&columnid={col}&sourceContentType=1&unitid={unit}&webname={webname}&permissiontype=0";
$(document).ready(function(){{ $('#{unit}').jpage({{ perPage: 15, proxyUrl: proxyUrl, dataStore: ajaxParam }}); }});
</script>
</div></div></div>"""
    return _hanweb_chrome(f"{name} - {BEILUN_SHORT}", body, column=column)


def _hanweb_article(a: Article, path, column, nav, rng, *, doubled=False):
    col, unit, colname = column
    pub = a.published
    colon = "：" if rng.random() < 0.3 else ":"
    author_line = f"作者{colon}{' '.join(a.authors)}"
    info_line = f"编辑{colon}{a.editor} 来源{colon}{a.source} 发布时间{colon}{pub:%Y-%m-%d %H:%M:%S}"
    if doubled:
        author_line, info_line = seed_page.AUTHOR_LINE, seed_page.BYLINE_LINE
        paras = a.paragraphs + a.paragraphs[1:]          # the page printed the body twice
        body = "\n".join(_p(x) for x in paras)
        recs = "\n".join(
            f'<li><span class="num">{i}</span><a href="https://edu.example.com/art/2021/7/{i}/art_{i}.html" '
            f'target="_blank">{escape(t)}</a><span class="site">{escape(s)}</span></li>'
            for i, (t, s) in enumerate(seed_page.RECOMMENDED, 1))
        body += f'\n<div class="tjxw"><h3>推荐新闻</h3><ul>\n{recs}\n</ul></div>'
    else:
        body = _body_html(a, rng, _picture_path(path))
    prev_, next_ = nav
    pn = "".join((
        f'<p>上一篇：<a href="{prev_[0]}">{escape(prev_[1])}</a></p>' if prev_ else "<p>上一篇：没有了</p>",
        f'<p>下一篇：<a href="{next_[0]}">{escape(next_[1])}</a></p>' if next_ else "<p>下一篇：没有了</p>"))
    head = f"""<meta name="SiteName" content="{BEILUN_NAME}" />
<meta name="SiteDomain" content="{ORIGIN[7:]}" />
<meta name="SiteIDCode" content="0000000000" />
<meta name="ColumnName" content="{colname}" />
<meta name="ColumnType" content="{colname}" />
<meta name="ArticleTitle" content="{escape(a.title, quote=True)}" />
<meta name="PubDate" content="{pub:%Y-%m-%d %H:%M}" />
<meta name="ContentSource" content="{escape(a.source, quote=True)}" />
<meta name="Keywords" content="{escape(a.topic)},教育" />
<meta name="Description" content="{escape(a.paragraphs[0][:60], quote=True)}" />
<meta name="Url" content="{ORIGIN}{path}" />
"""
    page_body = f"""<div class="main"><div class="article">
<table width="100%" border="0" cellspacing="0" cellpadding="0">
<tr><td class="title" align="center"><h1>{escape(a.title)}</h1></td></tr>
<tr><td class="info" align="center"><p class="author">{escape(author_line)}</p>
<p class="meta">{escape(info_line)}</p></td></tr>
<tr><td class="fontsize">字体：【<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</td></tr>
<tr><td>
<div id="zoom"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">
{body}
<meta name="ContentEnd"><!--ZJEG_RSS.content.end--></div>
</td></tr></table>
<div class="print">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.opener=null;window.open('','_self');window.close();">关闭窗口</a>】</div>
<div class="prevnext">{pn}</div>
<div class="share">分享到：<a href="javascript:void(0)" class="wx">微信</a> <a href="javascript:void(0)" class="wb">微博</a> <a href="javascript:void(0)" class="qq">QQ空间</a></div>
</div></div>"""
    return _hanweb_chrome(f"{a.title} - {BEILUN_SHORT}", page_body, head_extra=head, column=column)


# =========================================================================== TRS WCM

MOE_NAME = "教育部（演示）"
MOE_SITE = "中华人民共和国教育部政府门户网站"
MOE_COL = "/jyb_xwfb/gzdt_gzdt/"
MOE_PER_PAGE = 20

_CREATE_PAGE_JS = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
 if(_nPageCount == null || _nPageCount<=1){ return; }
 var nCurrIndex = _nCurrIndex || 0;
 if(nCurrIndex == 0) document.write("<span>首页</span>");
 else document.write("<a href=\\""+_sPageName+"."+_sPageExt+"\\">首页</a>");
 if(nCurrIndex+1 < _nPageCount) document.write(" <a href=\\""+_sPageName+"_"+(nCurrIndex+1)+"."+_sPageExt+"\\">下一页</a>");
 document.write(" 共"+_nPageCount+"页");
}"""


def _moe_chrome(title, body):
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{{HEAD}}<title>{escape(title)}</title>
<script type="text/javascript">{_CREATE_PAGE_JS}</script>
</head>
<body>
<div class="moe-header"><a href="/" class="moe-logo">{MOE_SITE}（演示）</a>
<ul class="moe-nav"><li><a href="/">首页</a></li><li><a href="{MOE_COL}index.html">工作动态</a></li>
<li><a href="/jyb_xxgk/">信息公开</a></li><li><a href="/jyb_hygq/">互动交流</a></li></ul></div>
{body}
<div class="moe-footer"><p>主办单位：{MOE_NAME}　版权所有：{MOE_NAME}（演示站点，内容为生成示例）</p>
<p>京ICP备00000000号　京公网安备00000000000000号</p></div>
</body>
</html>
"""


def _moe(w: Writer, rng, beilun_articles):
    place = Place("全国", "教育部", ("东城", "西湖", "南山", "锦江", "江汉", "崂山", "金水", "雁塔", "思明", "岳麓",
                                  "滨江", "鼓楼", "天河", "武侯"), regions=PROVINCES)
    arts = []
    for i in range(49):
        a = w.article(place, voice="ministry", image=(i % 10 == 4))
        src = rng.choice(("教育部", "教育部", "教育部新闻办公室", "中国教育报", "基础教育司", "教育部政府门户网站"))
        authors = ()
        if src == "中国教育报" or rng.random() < 0.2:
            authors = (w.name(),)
        arts.append(a.with_(source=src, authors=authors))
    # the credited copy of a Beilun article: same body with small edits, new title, 1-2 days later
    original, original_path = beilun_articles[7]
    copy_paras = [p.replace("近日", "日前").replace("记者了解到", "据了解") for p in original.paragraphs]
    copy_paras[0] = "据北仑区教育局消息，" + copy_paras[0]
    if len(copy_paras) > 5 and han_count("".join(copy_paras[:-2] + copy_paras[-1:])) >= 320:
        copy_paras.pop(-2)                                # the copy leaves out one paragraph
    copy = original.with_(
        title="浙江宁波北仑：" + original.title.replace("——", "：").split("：")[-1],
        paragraphs=tuple(copy_paras), published=original.published + timedelta(days=1, hours=rng.randint(1, 20)),
        source="北仑区教育局", authors=(), image_after=None, caption=None)
    arts.append(copy)
    arts.sort(key=lambda a: a.published, reverse=True)
    ids = _ids(rng, len(arts), 500000, 599999)

    def path_of(a, aid):
        d = a.published
        return f"{MOE_COL}{d:%Y%m}/t{d:%Y%m%d}_{aid}.html"

    table_at = next(i for i, a in enumerate(arts) if a is not copy and i > 3)
    multi_at = next(i for i, a in enumerate(arts) if a is not copy and i > table_at + 2)
    pages, facts = {}, {}
    paths = [path_of(a, aid) for a, aid in zip(arts, ids)]
    for i, (a, path) in enumerate(zip(arts, paths)):
        related = [(paths[j], arts[j].title) for j in ((i + 1) % len(arts), (i + 5) % len(arts), (i + 11) % len(arts))]
        a = a.with_(extra=dict(a.extra, stem=path.rsplit("/", 1)[1][:-5]))
        if i == table_at:
            a = a.with_(extra=dict(a.extra, table=_moe_table(rng)))
        if i == multi_at:
            cut = max(2, len(a.paragraphs) // 2)
            first, rest = a.paragraphs[:cut], a.paragraphs[cut:]
            cont = path[:-5] + "_1.html"
            pages[path] = _html(_moe_article(a, first, related, rng, pager=("next", cont.rsplit("/", 1)[1])))
            pages[cont] = _html(_moe_article(a, rest, related, rng, pager=("prev", path.rsplit("/", 1)[1])))
        else:
            pages[path] = _html(_moe_article(a, a.paragraphs, related, rng))
        facts[path] = _fact("demo_moe", a, "工作动态")
    n_pages = math.ceil(len(arts) / MOE_PER_PAGE)
    for p in range(n_pages):
        chunk = list(zip(arts, ids, paths))[p * MOE_PER_PAGE:(p + 1) * MOE_PER_PAGE]
        lis = "\n".join(f'<li><a href="./{path[len(MOE_COL):]}" target="_blank">{escape(a.title)}</a>'
                        f'<span>{a.published:%Y-%m-%d}</span></li>' for a, _, path in chunk)
        body = f"""<div class="moe-main"><div class="moe-position">当前位置：<a href="/">首页</a> &gt; <a href="{MOE_COL}index.html">工作动态</a></div>
<div class="moe-list-title">工作动态</div>
<ul id="list">
{lis}
</ul>
<div class="scy_page_box"><script>createPageHTML({n_pages}, {p}, "index", "html");</script></div></div>"""
        name = "index.html" if p == 0 else f"index_{p}.html"
        pages[MOE_COL + name] = _html(_moe_chrome(f"工作动态 - {MOE_SITE}", body).replace("{HEAD}", ""))
    pages[MOE_COL] = pages[MOE_COL + "index.html"]
    pages["/"] = _html(_moe_chrome(MOE_SITE, _home_list([(MOE_COL + "index.html", "工作动态")])).replace("{HEAD}", ""))
    for a, path in zip(arts, paths):
        if a.image_after is not None:
            stem = path.rsplit("/", 1)[1][:-5]
            pages[path.rsplit("/", 1)[0] + f"/W{stem}.gif"] = Page(200, GIF, "image/gif")
    multipage = paths[multi_at]
    expected = {"articles": len(facts), "multipage": multipage, "table": paths[table_at], "pages": facts,
                "republished": [(original_path, paths[arts.index(copy)], True)],
                "listing": {MOE_COL + "index.html": len(arts)}}
    return Site("demo_moe", MOE_NAME, pages, [MOE_COL + "index.html"], expected=expected)


def _moe_table(rng):
    rows = "".join(
        f"<tr><td>{r}</td><td>{rng.randint(300, 3000)}</td><td>{rng.randint(85, 99)}.{rng.randint(0, 9)}%</td></tr>"
        for r in rng.sample(PROVINCES, 5))
    return ('<table border="1" cellspacing="0" cellpadding="4" style="margin:0 auto;">'
            "<tr><th>地区</th><th>参与学校（所）</th><th>覆盖率</th></tr>" + rows + "</table>")


def _moe_article(a: Article, paras, related, rng, pager=None):
    head = f"""<meta name="SiteName" content="{MOE_SITE}" />
<meta name="SiteDomain" content="www.moe.gov.cn" />
<meta name="ColumnName" content="工作动态" />
<meta name="ArticleTitle" content="{escape(a.title, quote=True)}" />
<meta name="PubDate" content="{a.published:%Y-%m-%d %H:%M}" />
<meta name="ContentSource" content="{escape(a.source, quote=True)}" />
"""
    shuxing = f"来源：{a.source} {a.published:%Y-%m-%d}"
    if a.authors:
        label = "记者" if a.source == "中国教育报" else "作者"
        shuxing = f"来源：{a.source} {label}：{' '.join(a.authors)} {a.published:%Y-%m-%d}"
    parts = []
    for i, para in enumerate(paras):
        parts.append(_p(para, indent=True))
        if i == 1 and "table" in a.extra:
            parts.append(a.extra["table"])
        if a.image_after == i and a.caption and pager is None:
            parts.append(f'<p style="text-align:center"><img src="./W{a.extra["stem"]}.gif" /></p>'
                         f'<p style="text-align:center">{escape(a.caption)}</p>')
    pager_html = ""
    if pager:
        kind, target = pager
        pager_html = (f'<div class="moe-page">1 <a href="{target}">2</a> <a href="{target}">下一页</a></div>'
                      if kind == "next" else
                      f'<div class="moe-page"><a href="{target}">上一页</a> <a href="{target}">1</a> 2</div>')
    rel = "".join(f'<li><a href="../{p[len(MOE_COL):]}" target="_blank">{escape(t)}</a></li>' for p, t in related)
    body = f"""<div class="moe-main"><div class="moe-position">当前位置：<a href="/">首页</a> &gt; <a href="{MOE_COL}index.html">工作动态</a></div>
<div class="moe-detail-box">
<h1>{escape(a.title)}</h1>
<div class="moe-detail-shuxing">{escape(shuxing)}</div>
<div class="moe-detail-content"><div class="TRS_Editor">
{chr(10).join(parts)}
</div></div>
{pager_html}
<div class="moe-detail-share">【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</div>
<div class="moe-xgyd"><h3>相关阅读</h3><ul>{rel}</ul></div>
</div></div>"""
    return _moe_chrome(f"{a.title} - {MOE_SITE}", body).replace("{HEAD}", head)


# =========================================================================== generic GBK county site

COUNTY_NAME = "象山县教育局（演示）"
COUNTY_PER_PAGE = 15


def _county(w: Writer, rng, beilun_articles):
    place = Place("象山县", "象山县教育局", COUNTY_TOWNS, prefix="象山县")
    arts = []
    for i in range(39):
        a = w.article(place, image=(i % 8 == 2))
        kind = i % 4
        paras = list(a.paragraphs)
        authors, corr = (), ()
        if kind == 0:                                    # 本报讯（记者 … 通讯员 …）
            authors, corr = (w.name(),), (w.name(),)
            paras[0] = f"本报讯（记者 {authors[0]} 通讯员 {corr[0]}）" + paras[0]
        elif kind == 1:                                  # （通讯员 王明 李华）
            corr = (w.name(), w.name())
            paras[0] = f"（通讯员 {' '.join(corr)}）" + paras[0]
        src = rng.choice(("象山县教育局", "象山县教育局", "{school}", "象山县融媒体中心"))
        arts.append(a.with_(paragraphs=tuple(paras), authors=authors, correspondents=corr,
                            source=src.replace("{school}", a.extra["school"]), views=rng.randint(40, 2600)))
    # the uncredited copy: an editor's lead sentence on top, 象山县教育局 as source, 3 days later
    original, original_path = beilun_articles[20]
    lead = w.fill("{近日|日前}，{一所兄弟学校|邻近地区一所学校}的{做法|经验}引起了{我县不少教师|许多家长}的关注，现转发如下，供各校参考。", {})
    copy = original.with_(title="关注：" + original.title, paragraphs=(lead,) + original.paragraphs,
                          published=original.published + timedelta(days=3, minutes=rng.randint(5, 300)),
                          source="象山县教育局", authors=(), image_after=None, caption=None, views=rng.randint(40, 900))
    arts.append(copy)
    arts.sort(key=lambda a: a.published, reverse=True)
    ids = _ids(rng, len(arts), 1000, 9999)
    paths = [f"/news/{a.published:%Y}/{a.published:%m%d}/{aid}.html" for a, aid in zip(arts, ids)]
    pages, facts = {}, {}
    hot = list(zip(paths, (a.title for a in arts)))[:8]
    for i, (a, path) in enumerate(zip(arts, paths)):
        header_charset = i % 2 == 0
        meta = ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />', '<meta charset="gb2312">', "")[i % 3]
        html_text = _county_article(a, meta, i, hot, path)
        pages[path] = Page(200, html_text.encode("gbk"), "text/html; charset=gbk" if header_charset else "text/html")
        authors = a.authors
        facts[path] = _fact("demo_county", a, "教育动态", authors=authors)
        facts[path]["correspondents"] = list(a.correspondents)
        if a.image_after is not None:
            pages[f"/uploadfile/{ids[i]}.gif"] = Page(200, GIF, "image/gif")
    n_pages = math.ceil(len(arts) / COUNTY_PER_PAGE)
    for p in range(1, n_pages + 1):
        chunk = list(zip(arts, paths))[(p - 1) * COUNTY_PER_PAGE:p * COUNTY_PER_PAGE]
        pages[f"/news/list_{p}.html"] = Page(200, _county_list(chunk, p, n_pages).encode("gbk"),
                                             "text/html; charset=gbk" if p % 2 else "text/html")
    pages["/"] = Page(200, _county_chrome(COUNTY_NAME, _home_list([("/news/list_1.html", "教育动态")]),
                                          '<meta charset="gbk">', []).encode("gbk"), "text/html; charset=gbk")
    undeclared = [paths[i] for i in range(len(arts)) if i % 2 == 1 and i % 3 == 2]
    expected = {"articles": len(facts), "pages": facts, "undeclared_charset": undeclared,
                "republished": [(original_path, paths[arts.index(copy)], False)],
                "listing": {"/news/list_1.html": len(arts)}}
    return Site("demo_county", COUNTY_NAME, pages, ["/news/list_1.html"], expected=expected, encoding="gbk")


def _county_chrome(title, body, meta, hot):
    hot_html = "".join(f'<li><a href="{p}" target="_blank">{escape(t)}</a></li>' for p, t in hot)
    side = f'<div class="side"><div class="hot"><h3>热点推荐</h3><ul>{hot_html}</ul></div></div>' if hot else ""
    return f"""<html>
<head>
{meta}
<title>{escape(title)}</title>
<link href="/css/style.css" rel="stylesheet" type="text/css">
</head>
<body>
<div id="top"><div class="logo"><a href="/">{COUNTY_NAME}</a></div>
<div class="menu"><a href="/">网站首页</a> <a href="/news/list_1.html">教育动态</a> <a href="/notice/">通知公告</a> <a href="/zwgk/">政务公开</a></div></div>
<div id="wrap">{body}{side}</div>
<div id="foot">Copyright &copy; 象山县教育局（演示站点，内容为生成示例） All Rights Reserved<br>浙ICP备00000000号 地址：象山县示例路8号</div>
</body>
</html>
"""


def _county_list(chunk, p, n_pages):
    lis = "\n".join(f'<li><span class="date">{a.published:%Y-%m-%d}</span><a href="{path}" target="_blank">{escape(a.title)}</a></li>'
                    for a, path in chunk)
    nav = ['<a href="list_1.html">首页</a>']
    if p > 1:
        nav.append(f'<a href="list_{p - 1}.html">上一页</a>')
    if p < n_pages:
        nav.append(f'<a href="list_{p + 1}.html">下一页</a>')
    nav.append(f'<a href="list_{n_pages}.html">尾页</a> 第{p}/{n_pages}页')
    body = f"""<div class="main"><div class="place">当前位置：<a href="/">首页</a> &gt;&gt; 教育动态</div>
<ul class="newslist">
{lis}
</ul>
<div class="pages">{' '.join(nav)}</div></div>"""
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />' if p != 2 else ""
    return _county_chrome(f"教育动态_{COUNTY_NAME}", body, meta, [])


def _county_article(a: Article, meta, i, hot, path):
    pub = a.published
    when = (f"发布日期：{pub.year}年{pub.month}月{pub.day}日 {pub:%H:%M}", f"发布时间：{pub:%Y-%m-%d %H:%M}",
            f"发布日期：{pub:%Y-%m-%d}", f"日期：{pub.year}年{pub.month}月{pub.day}日")[i % 4]
    info = f"{when}　来源：{a.source}　浏览次数：{a.views}"
    parts = []
    for k, para in enumerate(a.paragraphs):
        parts.append(_p(para, indent=True))
        if a.image_after == k:
            aid = path.rsplit("/", 1)[1][:-5]
            parts.append(f'<p align="center"><img src="/uploadfile/{aid}.gif"></p><p align="center">{escape(a.caption)}</p>')
    body = f"""<div class="main"><div class="place">当前位置：<a href="/">首页</a> &gt;&gt; <a href="/news/list_1.html">教育动态</a> &gt;&gt; 正文</div>
<div class="article"><h1>{escape(a.title)}</h1>
<div class="info">{escape(info)}</div>
<div class="content">
{chr(10).join(parts)}
</div>
<div class="tools"><a href="javascript:window.print()">打印此文</a> | <a href="javascript:window.close()">关闭窗口</a></div>
</div></div>"""
    return _county_chrome(f"{a.title}_{COUNTY_NAME}", body, meta, [h for h in hot if h[0] != path][:6])


# =========================================================================== RSS site

FEED_NAME = "宁波教育（演示）"


def _feed(w: Writer, rng):
    place = Place("宁波市", "宁波市教育局", NINGBO_TOWNS)
    arts = []
    for i in range(25):
        a = w.article(place, image=(i % 5 == 1))
        arts.append(a.with_(authors=(w.name(),), source=FEED_NAME.replace("（演示）", "")))
    arts.sort(key=lambda a: a.published, reverse=True)
    ids = _ids(rng, len(arts), 10000, 99999)
    pages, facts, items = {}, {}, []
    for a, aid in zip(arts, ids):
        path = f"/news/{aid}.html"
        pages[path] = _html(_feed_article(a, path, rng), origin=True)
        if a.image_after is not None:
            pages[f"/news/img/{aid}.gif"] = Page(200, GIF, "image/gif")
        facts[path] = _fact("demo_feed", a, "教育新闻")
        pub = a.published.replace(tzinfo=CST)
        items.append(f"""<item>
<title>{escape(a.title)}</title>
<link>{ORIGIN}{path}</link>
<guid isPermaLink="true">{ORIGIN}{path}</guid>
<pubDate>{format_datetime(pub)}</pubDate>
<description><![CDATA[{a.paragraphs[0][:120]}]]></description>
</item>""")
    latest = format_datetime(arts[0].published.replace(tzinfo=CST))
    rss = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>{FEED_NAME}</title>
<link>{ORIGIN}/</link>
<description>宁波教育新闻（演示站点，内容为生成示例）</description>
<language>zh-cn</language>
<lastBuildDate>{latest}</lastBuildDate>
{chr(10).join(items)}
</channel>
</rss>
"""
    pages["/rss.xml"] = Page(200, rss.encode("utf-8"), "application/rss+xml; charset=UTF-8", True)
    pages["/"] = _html(f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{FEED_NAME}</title>
<link rel="alternate" type="application/rss+xml" title="{FEED_NAME}" href="/rss.xml"></head>
<body><h1>{FEED_NAME}</h1><p><a href="/rss.xml">RSS 订阅</a></p></body></html>""")
    expected = {"articles": len(facts), "pages": facts, "listing": {"/rss.xml": len(arts)}}
    return Site("demo_feed", FEED_NAME, pages, ["/rss.xml"], expected=expected)


def _feed_article(a: Article, path, rng):
    import json
    pub = a.published.replace(tzinfo=CST)
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
          "datePublished": pub.isoformat(), "dateModified": (pub + timedelta(hours=1)).isoformat(),
          "author": {"@type": "Person", "name": a.authors[0]},
          "publisher": {"@type": "Organization", "name": FEED_NAME},
          "mainEntityOfPage": f"{ORIGIN}{path}"}
    parts = []
    for k, para in enumerate(a.paragraphs):
        parts.append(_p(para))
        if a.image_after == k:
            aid = path.rsplit("/", 1)[1][:-5]
            parts.append(f'<figure><img src="/news/img/{aid}.gif" alt=""><figcaption>{escape(a.caption)}</figcaption></figure>')
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{escape(a.title)} | {FEED_NAME}</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(a.title, quote=True)}">
<meta property="og:url" content="{ORIGIN}{path}">
<meta property="og:site_name" content="{FEED_NAME}">
<meta property="article:published_time" content="{pub.isoformat()}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head>
<body>
<nav class="site-nav"><a href="/">{FEED_NAME}</a> <a href="/rss.xml">RSS</a></nav>
<main>
<header class="article-header"><h1>{escape(a.title)}</h1>
<div class="byline">记者 {escape(a.authors[0])}　<time datetime="{pub.isoformat()}">{pub:%Y-%m-%d %H:%M}</time></div></header>
<article class="article-body">
{chr(10).join(parts)}
</article>
<aside class="more"><h3>更多新闻</h3><p><a href="/rss.xml">订阅本站 RSS</a></p></aside>
</main>
<footer>© {FEED_NAME}（演示站点，内容为生成示例）</footer>
</body>
</html>
"""


# =========================================================================== shared bits

def _home_list(links):
    return "<div class=\"home\"><ul>" + "".join(f'<li><a href="{p}">{escape(t)}</a></li>' for p, t in links) + "</ul></div>"


def _error_page(status, message):
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{status}</title></head>"
            f"<body><h1>{status}</h1><p>{escape(message)}</p></body></html>")


def not_found_page() -> Page:
    return _html(_error_page(404, "您访问的页面不存在"), status=404)


def _parse(text):
    from datetime import datetime
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def build_sites(seed: int = DEFAULT_SEED) -> dict:
    """Every demo site, rendered. Same seed -> byte-identical pages."""
    rng = random.Random(seed)
    w = Writer(random.Random(seed + 1))
    beilun, beilun_articles = _beilun(w, rng)
    beilun_articles.sort(key=lambda x: x[1])          # stable choice of the originals to copy
    moe = _moe(w, rng, beilun_articles)
    county = _county(w, rng, beilun_articles)
    feed = _feed(w, rng)
    return {s.name: s for s in (beilun, moe, county, feed)}
