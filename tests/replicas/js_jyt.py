# Replica of 江苏省教育厅 通知公告 (jyt.jiangsu.gov.cn, Hanweb JCMS, Jiangsu cluster).
# Shape follows public sources on Jiangsu cluster sites:
#   - the pager's proxy is /module/web/jpage/dataproxy.jsp (/module/jpage/dataproxy.jsp answers
#     404): a public notes file on jshrss.jiangsu.gov.cn (jpage list XML interface, "路径必须是
#     /module/web/jpage/dataproxy.jsp"), and a test fixture of www.jiangsu.gov.cn (xuzhou jpage
#     test) whose column page names the proxy only in <nextgroup>, keeps columnid/unitid in
#     `var param_212860={...}` and gives totalRecord/perPage in the jpage call;
#   - a crawler of this very column (jyt.jiangsu.gov.cn/col/col58320/index.html, "江苏政府网通用 CMS
#     结构") reads the datastore records, their title attribute and a `[YYYY-MM-DD]` date, and the
#     article body in `.bt-content.zoom` / #zoom.
# Guesses: the ids (webid 25, unitid 259123), records as table rows with the date in a <td>,
# one record with an absolute href on the site's own host, the chrome, the number of records in
# the static datastore (one page), and the texts (written by aggregator.demo.content.Writer).
from __future__ import annotations

from html import escape

from aggregator.demo.content import Place
from tests.replica import Reply
from tests.replicas.zj_jyt import write_articles

SOURCE = ("jshrss.jiangsu.gov.cn notes (/module/web/jpage/dataproxy.jsp, not /module/jpage); www.jiangsu.gov.cn "
          "xuzhou jpage test fixture (nextgroup proxy, var param_NNN ids, totalRecord/perPage); "
          "jyt.jiangsu.gov.cn col58320 crawler ([date] records, .bt-content.zoom body)")

COLUMN, UNIT, WEBID, PER_PAGE = "58320", "259123", "25", 8
JIANGSU = Place(district="江苏省", bureau="江苏省教育厅",
                towns=("南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城", "扬州", "镇江", "泰州", "宿迁"))
SOURCES = ("江苏省教育厅", "省教育厅基础教育处", "省教育厅职业教育处", "江苏教育报")
ARTICLES = write_articles(58320, 44, JIANGSU, COLUMN, SOURCES, 10737259)
PROXY = "/module/web/jpage/dataproxy.jsp"
WEBNAME = "%25E6%25B1%259F%25E8%258B%258F%25E7%259C%2581%25E6%2595%2599%25E8%2582%25B2%25E5%258E%2585"


def _record(i, path, a):
    href = f"https://jyt.jiangsu.gov.cn{path}" if i == 5 else path
    title = escape(a.title)
    return (f"<record><![CDATA[<tr><td class=\"bt_title\"><a href='{href}' title='{title}' target='_blank'>{title}</a>"
            f"</td><td class=\"bt_time\">[{a.published:%Y-%m-%d}]</td></tr>]]></record>")


def _datastore(records):
    return (f'<datastore>\n<nextgroup><![CDATA[<a href="{PROXY}?page=1&appid=1&webid={WEBID}&path=/&columnid={COLUMN}'
            f'&unitid={UNIT}&webname={WEBNAME}&permissiontype=0"></a>]]></nextgroup>\n<recordset>\n'
            + "\n".join(records) + "\n</recordset>\n</datastore>")


def column_page():
    first = [_record(i, p, a) for i, (p, a, *_) in enumerate(ARTICLES[:PER_PAGE])]
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>江苏省教育厅 通知公告</title>
<meta name="SiteName" content="江苏省教育厅"><meta name="ColumnName" content="通知公告">
<script src="/module/jslib/jquery/jquery.js"></script><script src="/module/web/jpage/jpage.js"></script>
</head><body>
<div class="header"><a href="/">首页</a> <a href="/col/col57810/index.html">教育要闻</a>
<a href="/col/col58320/index.html">通知公告</a> <a href="/col/col57813/index.html">政策文件</a></div>
<div class="sidebar"><a href="/art/2022/1/6/art_57827_10737259.html" title="江苏省2023年普通高校招生工作意见">招生工作意见</a></div>
<div class="bt-list"><table class="bt-table"><tbody id="{UNIT}"><script type="text/xml">
{_datastore(first)}
</script></tbody></table></div>
<script>var param_{UNIT}={{col:1,appid:1,webid:'{WEBID}',path:'/',columnid:{COLUMN},sourceContentType:1,unitid:'{UNIT}',webname:'江苏省教育厅',permissiontype:0}};
$('#{UNIT}').jpage({{themeName:'default',showMode:'full',totalRecord:{len(ARTICLES)},perPage:{PER_PAGE},
 dataBefore:'',dataAfter:'',barPosition:'bottom',ajaxParam:param_{UNIT}}});</script>
<div class="footer">主办单位：江苏省教育厅</div></body></html>"""


def dataproxy(req):
    if (req.form.get("columnid"), req.form.get("unitid"), req.form.get("webid")) != (COLUMN, UNIT, WEBID):
        return Reply(body=_datastore([]), content_type="text/xml; charset=utf-8")
    start, end = int(req.query.get("startrecord", 1)), int(req.query.get("endrecord", 1))
    chosen = [_record(start - 1 + i, p, a) for i, (p, a, *_) in enumerate(ARTICLES[start - 1:end + 1])]
    body = (_datastore(chosen).replace("</datastore>", f"<totalrecord>{len(ARTICLES)}</totalrecord>"
                                       f"<totalpage>{-(-len(ARTICLES) // PER_PAGE)}</totalpage></datastore>"))
    return Reply(body='<?xml version="1.0" encoding="UTF-8"?>' + body, content_type="text/xml; charset=utf-8")


def article_page(path, a, author, reviewer, source):
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in a.paragraphs)
    title = escape(a.title)
    stamp = f"{a.published:%Y-%m-%d %H:%M}"
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>江苏省教育厅 {title}</title>
<meta name="SiteName" content="江苏省教育厅"><meta name="SiteDomain" content="jyt.jiangsu.gov.cn">
<meta name="ColumnName" content="通知公告"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{stamp}:00"><meta name="ContentSource" content="{escape(source)}">
<meta name="Url" content="https://jyt.jiangsu.gov.cn{path}"></head><body>
<div class="header"><a href="/">首页</a> <a href="/col/col58320/index.html">通知公告</a></div>
<div class="sp_title">{title}</div>
<div class="sp_time"><font>发布日期：{stamp}</font> <font>来源：{escape(source)}</font>
<font>浏览次数：<span id="hits">1</span></font> <font>字号：〖大 中 小〗</font></div>
<div class="bt-content zoom clearfix" id="zoom">{paras}
<p style="text-align:right">（作者：{author} &nbsp; 审核：{reviewer}）</p></div>
<div class="bt-tool"><a href="javascript:window.print()">[打印本页]</a> <a href="javascript:window.close()">[关闭窗口]</a></div>
<div class="footer">主办单位：江苏省教育厅</div></body></html>"""


def routes() -> dict:
    table = {f"/col/col{COLUMN}/index.html": Reply(body=column_page()), f"POST {PROXY}": dataproxy}
    for path, a, author, reviewer, source in ARTICLES:
        table[path] = Reply(body=article_page(path, a, author, reviewer, source))
    return table


EXPECTED = [
    {"path": path, "title": a.title, "published": f"{a.published:%Y-%m-%d %H:%M}", "source": source,
     "people": [(author, "author"), (reviewer, "reviewer")]}
    for path, a, author, reviewer, source in ARTICLES
]
