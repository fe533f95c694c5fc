import time
from pathlib import Path

import pytest

from aggregator.extract import extract_article, find_continuations

DATA = Path(__file__).parent / "data" / "extract"
URL = "http://www.example.gov.cn/jyb/202106/t20210630_541234.html"
P = ["北仑区教育局举行“百强支部PK赛”，来自教育系统的十五家党支部同台比拼，互学互比。",
     "比赛现场，党支部以演出的形式，展示了为群众办实事的工作过程与成果，感触都非常深。",
     "经过激烈的角逐，北仑职高、淮河小学等党支部脱颖而出，进入百强支部二十强。"]
NAV = "<ul class='nav'>" + "".join(f"<li><a href='/c{i}/'>栏目{i}</a></li>" for i in range(12)) + "</ul>"


def article(body_html, **kw):
    page = f"<html><head><title>标题_网站</title></head><body>{NAV}{body_html}<div class='footer'>版权所有</div></body></html>"
    return extract_article(page, URL, **kw)


def paragraphs(*texts):
    return "".join(f"<p>{t}</p>" for t in texts)


# --- the seed page -------------------------------------------------------------------------

SEED_TITLE = "表演我们自己的故事 ——“百强支部PK赛”教育卫健专场举行"
SEED_FIRST = "6月23日下午,区委组织部主办的“书记加油——百强支部PK赛”"
SEED_LAST = "让党旗在基层一线高高飘扬。”"


@pytest.mark.parametrize("fixture", ["seed_page.html", "seed_page_inline_byline.html"])
def test_seed_page_body_comes_out_once(fixture):
    result = extract_article((DATA / fixture).read_bytes(), "http://www.bl.gov.cn/art/2021/6/30/art_1229_1.html")
    body = result["body"]
    assert body.startswith(SEED_FIRST) and body.endswith(SEED_LAST)
    assert body.count("值得一提的是") == 1
    assert len(body.split("\n")) == 12


@pytest.mark.parametrize("fixture", ["seed_page.html", "seed_page_inline_byline.html"])
def test_seed_page_loses_the_recommendations_and_the_byline(fixture):
    result = extract_article((DATA / fixture).read_bytes(), "http://www.bl.gov.cn/art/2021/6/30/art_1229_1.html")
    for junk in ("推荐新闻", "全省校园安全工作现场会", "教育之江", "作者:杨阳", "发布时间", "打印本页", "主办单位"):
        assert junk not in result["body"]
    assert any("作者:杨阳" in line for line in result["byline_lines"])
    assert result["title"] == SEED_TITLE


# --- signals ---------------------------------------------------------------------------------

def test_density_finds_the_body_among_chrome():
    side = "<div class='side'>" + paragraphs("热点新闻一", "热点新闻二") + "</div>"
    result = article(side + "<div class='text'>" + paragraphs(*P) + "</div>")
    assert result["body"] == "\n".join(P) and result["body_signal"] == "density"


def test_site_selector_wins_over_density():
    html = "<div id='a'>" + paragraphs(*P) + "</div><div id='b'>" + paragraphs(P[0]) + "</div>"
    result = article(html, selectors={"body": "#b"})
    assert result["body"] == P[0] and result["body_signal"] == "selector"


def test_xpath_site_selector():
    result = article("<div id='b'>" + paragraphs(*P) + "</div>", selectors={"body": "//div[@id='b']"})
    assert result["body_signal"] == "selector"


@pytest.mark.parametrize("cms,container", [("trs", "<div class='TRS_Editor'>"), ("hanweb", "<div id='zoom'>"),
                                           ("trs", "<div class='article-content'>")])
def test_cms_container(cms, container):
    result = article(container + paragraphs(*P) + "</div>", cms=cms)
    assert result["body"] == "\n".join(P) and result["body_signal"] == f"cms:{cms}"


def test_a_broken_site_selector_falls_back():
    result = article("<div>" + paragraphs(*P) + "</div>", selectors={"body": "div[[["})
    assert result["body"] == "\n".join(P)


def test_paragraphs_stay_paragraphs_and_br_breaks_lines():
    result = article(f"<div class='content'>{P[0]}<br>{P[1]}<br/><br/>{P[2]}</div>")
    assert result["body"].split("\n") == P


def test_image_caption_inside_the_body_stays():
    caption = "图为比赛现场。"
    html = "<div class='content'>" + paragraphs(P[0]) + f"<p><img src='a.jpg'></p><p>{caption}</p>" + paragraphs(*P[1:]) + "</div>"
    assert caption in article(html)["body"].split("\n")


def test_table_text_inside_the_body_stays():
    table = "<table><tr><td>学校</td><td>名次</td></tr><tr><td>北仑职高</td><td>第一名</td></tr></table>"
    result = article("<div class='content'>" + paragraphs(*P[:2]) + table + paragraphs(P[2]) + "</div>")
    assert "北仑职高" in result["body"] and "第一名" in result["body"]


def test_link_list_inside_the_body_is_dropped():
    links = "<ul>" + "".join(f"<li><a href='/a{i}.html'>其他文章标题第{i}篇</a></li>" for i in range(8)) + "</ul>"
    result = article("<div class='content'>" + paragraphs(*P) + links + "</div>")
    assert result["body"] == "\n".join(P)


def test_share_bar_and_prev_next_inside_the_body_are_dropped():
    extra = ("<div class='share'>分享到：<a>微信</a><a>微博</a></div>"
             "<p>上一篇：<a href='/x.html'>北仑区召开会议</a></p><p>【打印本页】【关闭窗口】</p>")
    result = article("<div class='content'>" + paragraphs(*P) + extra + "</div>")
    assert result["body"] == "\n".join(P)


# --- bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize("page,reason", [
    ("", "empty page"),
    (b"", "empty page"),
    ("   \n ", "empty page"),
    (" \t\r\x0b\x0c\n", "empty page"),                # ASCII whitespace only
    (b" \t\r\x0b\x0c\n", "empty page"),
    ("\u3000\xa0\x1c\x85\u2028", "empty page"),           # Unicode whitespace only
    ("\u3000\xa0\u2028".encode("utf-8"), "empty page"),
    ("<html><head><title>x</title></head><body></body></html>", "no body"),
    ("<html><body><div><a href='/'>首页</a></div></body></html>", "no body"),
    (b"\x00\x01\x02\x03" * 5000, "not text"),
    ("<?xml version='1.0' encoding='utf-8'?><html><body></body></html>", "no body"),
])
def test_bad_pages_are_rejects_with_a_reason(page, reason):
    result = extract_article(page, URL)
    assert result["reject_reason"].startswith(reason)
    assert result["body"] is None


def test_five_megabytes_of_nested_tables_is_a_fast_reject():
    page = "<html><body>" + "<table><tr><td>" * 200 + "<table><tr><td>格子</td></tr></table>" * 170000 + "</body></html>"
    start = time.perf_counter()
    result = extract_article(page, URL)
    assert result["reject_reason"] and time.perf_counter() - start < 5


def test_deeply_nested_tables_never_raise():
    page = "<html><body>" + "<table><tr><td>" * 5000 + "教育" + "</td></tr></table>" * 5000 + "</body></html>"
    assert extract_article(page, URL)["reject_reason"]


@pytest.mark.parametrize("page", [None, 12, "<<<>>>", "\ufffd" * 1000, "<p>" * 10000])
def test_odd_input_never_raises(page):
    assert "reject_reason" in extract_article(page, URL)


def test_every_contract_key_is_present_on_a_reject():
    result = extract_article("", URL)
    for key in ("title", "title_signal", "body", "body_signal", "encoding", "section", "reject_reason",
                "published_at", "people", "source"):
        assert key in result


# --- multi-page articles -------------------------------------------------------------------

PAGER = ("<div class='page'><a href='t20210630_541234.html'>1</a><a href='t20210630_541234_1.html'>2</a>"
         "<a href='./t20210630_541234_2.html'>3</a><a href='t20210630_541234_1.html'>下一页</a></div>"
         "<p>下一篇：<a href='../202107/t20210701_541300.html'>另一篇文章</a></p>")


def test_trs_continuations_in_order_without_the_next_article():
    page = "<html><body>" + paragraphs(*P) + PAGER + "</body></html>"
    assert find_continuations(page, URL) == [
        "http://www.example.gov.cn/jyb/202106/t20210630_541234_1.html",
        "http://www.example.gov.cn/jyb/202106/t20210630_541234_2.html",
    ]


def test_on_a_continuation_page_only_later_pages_are_returned():
    page = "<html><body>" + paragraphs(*P) + PAGER + "</body></html>"
    url = URL.replace(".html", "_1.html")
    assert find_continuations(page, url) == ["http://www.example.gov.cn/jyb/202106/t20210630_541234_2.html"]


def test_jcms_style_continuation():
    url = "http://jyj.example.gov.cn/art/2021/6/30/art_1229_541234.html"
    page = "<a href='/art/2021/6/30/art_1229_541234_2.html'>下一页</a><a href='/art/2021/7/1/art_1229_541300.html'>下一篇</a>"
    assert find_continuations(page, url) == ["http://jyj.example.gov.cn/art/2021/6/30/art_1229_541234_2.html"]


@pytest.mark.parametrize("page,url", [("", URL), ("<a href='x_2.html'>2</a>", ""), (None, URL), (b"\x00" * 100, URL),
                                      ("<a href='http://other.cn/jyb/202106/t20210630_541234_1.html'>2</a>", URL)])
def test_no_continuations(page, url):
    assert find_continuations(page, url) == []


def test_continuation_pages_are_joined_after_the_first():
    first = "<html><body><div class='content'>" + paragraphs(P[0], P[1]) + "</div>" + PAGER + "</body></html>"
    second = "<html><body><div class='content'>" + paragraphs(P[2]) + "</div>" + PAGER + "</body></html>"
    result = extract_article(first, URL, continuation_pages=[second.encode("gbk")])
    assert result["body"] == "\n".join(P)


# --- pages showing several posts; a lead above the body ------------------------------------

SHORT = "第一篇的正文，只有两句话，写得不长。天气很好，我们去了公园。"
LONG = ["第二篇是长文，" + "内容很多，句子也很多，逗号和句号都不少，" * 5 + "到此为止。" for _ in range(6)]


def post(title, lines, n):
    """One post as blog/forum templates print it: a title table, then the body cell, in a row of its own."""
    return (f"<tr><td><a name='{n}'></a><table class='post'><tr><td class='post-title'>{title}</td>"
            f"<td class='post-date'>2005-06-{10 + n} 03:25</td></tr></table>"
            f"<table><tr><td class='post-body'>{'<br>'.join(lines)}</td></tr></table>"
            f"<div class='post-footer'><a href='/c?{n}'>评论</a></div></td></tr>")


def test_on_a_page_of_several_posts_the_first_post_is_the_article():
    posts = post("川菜鲁菜 各有千秋", [SHORT], 1) + post("七十年代的游戏", LONG, 2) + post("旧文一篇", [SHORT], 3)
    result = extract_article(f"<html><head><title>云姑娘 | 博客</title></head><body>{NAV}<table>{posts}</table>"
                             "</body></html>", URL)
    assert (result["title"], result["body"]) == ("川菜鲁菜 各有千秋", SHORT)


def test_a_post_whose_template_repeats_only_once_is_read_as_the_article():
    # the short posts' body cells carry another class: the long post is the only block of its
    # kind, no list of posts, and the densest block is the body
    posts = (post("川菜鲁菜 各有千秋", [SHORT], 1).replace("post-body", "post-note") + post("七十年代的游戏", LONG, 2)
             + post("旧文一篇", [SHORT], 3).replace("post-body", "post-note"))
    result = extract_article(f"<html><head><title>云姑娘 | 博客</title></head><body>{NAV}<table>{posts}</table>"
                             "</body></html>", URL)
    assert result["body"].startswith(LONG[0]) and SHORT not in result["body"]
    assert result["body_signal"] == "density"


def test_an_article_split_into_sibling_blocks_of_one_class_is_read_whole():
    blocks = "".join(f"<div class='para'>{p}</div>" for p in P)
    assert article(f"<div class='content'>{blocks}</div>")["body"] == "\n".join(P)


def test_comments_below_the_article_do_not_replace_it():
    comments = "".join(f"<div class='item'><div class='txt'>网友{i}：{P[i]}</div></div>" for i in range(3))
    result = article(f"<div class='main'><div class='txt'>{paragraphs(*P)}</div></div><div class='list'>{comments}</div>")
    assert result["body"].startswith(P[0]) and "网友" not in result["body"]


LEAD = "蔡健雅，1975年1月28日出生于新加坡，华语流行乐女歌手、音乐制作人、词曲创作人。1997年在新加坡发行首张专辑。"


def test_a_lead_paragraph_between_the_headline_and_the_body_comes_first():
    page = (f"<html><head><title>蔡健雅_百科</title></head><body>{NAV}<div class='poster'><h1>蔡健雅</h1>"
            f"<div class='summary'>{LEAD}</div></div><div class='tabs'><div class='tab'>{paragraphs(*P)}</div></div>"
            "</body></html>")
    assert extract_article(page, URL)["body"] == "\n".join([LEAD, *P])


def test_a_byline_box_between_the_headline_and_the_body_is_not_a_lead():
    page = ("<h1>百强支部PK赛举行</h1><div class='meta'>原创，作者：杨阳，来源：北仑教育，"
            "阅读全文，关注我们，每天更新，欢迎投稿，谢谢大家的支持与厚爱。</div>"
            f"<div class='content'>{paragraphs(*P)}</div>")
    assert article(page)["body"] == "\n".join(P)


def test_a_reporter_line_opening_the_body_becomes_people_not_body_text():
    result = article("<h1>女童眼睛被塞纸</h1><div class='content'>" + paragraphs("澎湃新闻记者 段彦超 廖艳", *P) + "</div>")
    assert result["body"].split("\n")[0] == P[0]
    assert [(p["name"], p["role"]) for p in result["people"]] == [("段彦超", "reporter"), ("廖艳", "reporter")]


def test_a_page_with_a_broken_emoji_is_not_rejected_as_mojibake():
    result = article("<div class='content'>" + paragraphs(*P, "\ufffd\ufffd\ufffd\ufffd", *P[:1]) + "</div>")
    assert result["reject_reason"] is None and "\ufffd" not in result["body"]


# -- bodies carried in a script (aggregator.extract.script_body) ----------------------------
GKMLPT = ("<html><head><title>关于做好2024年招生工作的通知-深圳市教育局</title></head><body>"
          "<table class='introduce'><tr><td>索引号：</td><td>11440300-2024-00123</td><td>发布日期：</td>"
          "<td>2024-05-06</td></tr></table><h1 class='title'>关于做好2024年招生工作的通知</h1>"
          "<div class='article-content'>{rendered}</div>"
          "<script>window._CONFIG = {{SID: '755031', DETAIL: {detail}}};</script></body></html>")
GKMLPT_PARAS = ("<p>各区教育局：为做好2024年义务教育阶段招生工作，现将有关事项通知如下。</p>"
                "<p>一、坚持免试就近入学，严格落实划片招生政策，保障适龄儿童少年平等接受义务教育的权利。</p>")


def gkmlpt_page(rendered):
    import json
    detail = json.dumps({"id": 11234567, "content": GKMLPT_PARAS}, ensure_ascii=False).replace("<", "\\u003C")
    return GKMLPT.format(rendered=rendered, detail=detail)


@pytest.mark.parametrize("rendered", ["", GKMLPT_PARAS])
def test_a_gkmlpt_body_comes_from_the_page_or_its_detail_script(rendered):
    from aggregator.extract import extract_article
    out = extract_article(gkmlpt_page(rendered), "http://szeb.sz.gov.cn/gkmlpt/content/11/11234/post_11234567.html",
                          cms="gkmlpt")
    assert out["body"].split("\n") == ["各区教育局：为做好2024年义务教育阶段招生工作，现将有关事项通知如下。",
                                       "一、坚持免试就近入学，严格落实划片招生政策，保障适龄儿童少年平等接受义务教育的权利。"]
    assert out["body_signal"] == "cms:gkmlpt"


def test_the_detail_script_is_read_only_for_its_family():
    from aggregator.extract import extract_article
    out = extract_article(gkmlpt_page(""), "http://example.gov.cn/x.html", cms="trs")
    assert "免试就近入学" not in (out["body"] or "")


# a TRS-style article body (`div.TRS_Editor`, as public crawlers of ministry sites read it) with the
# chrome such templates put inside it: a share bar, a related-links list; runs of text split by
# inline tags with and without spaces between them, a <br>, a tail after the body
MODEL_PAGE = """<html><body><div class="TRS_Editor"><p>6月11日，<b>城关小学</b>组织全体学生开展<span>防溺水</span>
专题教育。</p><div class="share">分享到：<a href="#">微信</a></div><p>学生们认真听讲，积极互动。<br>家长 表示 满意。</p>
<ul class="list"><li><a href="/a/1.html">另一篇新闻的标题很长很长</a></li><li><a href="/a/2.html">又一篇新闻的标题</a></li></ul>
<table><tr><td>表格里的文字，说明情况。</td></tr></table></div>正文之后的一行字<p>下一块</p></body></html>"""


@pytest.mark.parametrize("page", [
    MODEL_PAGE,
    MODEL_PAGE.replace("<table>", "<pre>第一行\n第二行</pre><table>"),        # a <pre> keeps its own line breaks
    MODEL_PAGE.replace("<tr>", "<tfoot>页脚<tr>").replace("</tr>", "</tr></tfoot>"),
    MODEL_PAGE.replace("</div>正文", "<title>错放的标题</title></div>正文"),    # text the walk skips
])
def test_body_lines_from_the_page_model_equal_a_walk_of_the_block(page):
    from lxml import html

    from aggregator.extract.body import body_lines, prepare_tree, score_blocks
    from aggregator.extract.page import page_root, walk
    tree = prepare_tree(html.document_fromstring(page))
    model = walk(page_root(tree))
    stats = score_blocks(model.stats)
    for block in stats:
        assert body_lines([block], stats, model=model) == body_lines([block], stats)
    zoom = tree.find_class("TRS_Editor")[0]
    assert "学生们认真听讲，积极互动。" in body_lines([zoom], stats, model=model)


def test_a_text_blocks_score_goes_up_three_containers_in_shares_of_one_one_half_a_quarter():
    from aggregator.extract.body import Stats, score_blocks
    top, great, grand, parent = object(), object(), object(), object()
    block = object()
    stats = {top: Stats(), great: Stats(parent=top), grand: Stats(parent=great), parent: Stats(parent=grand),
             block: Stats(text=80, punct=4, parent=parent)}
    score_blocks(stats)
    own = (1 + 4 + 2) * 1.0  # punctuation, length (80 / 40), no link text
    assert [stats[x].score for x in (block, parent, grand, great, top)] == [own, own, own / 2, own / 4, 0.0]


@pytest.mark.parametrize("src", [
    "<div>a<!-- a comment -->b<?pi x?>c<span>d</span>e</div>",         # comments and PIs hold no text
    "<div>&amp;&lt;x&#12354;<br/>y<script>var s=1;</script>z</div>",  # entities; a script's text counts
    "<p>本报讯<b>（记者 王明）</b>正文<a href='/x'>链接</a>尾</p>",
    "<div></div>",
    "<td>\u00a0\u3000 x </td>",
])
def test_text_content_is_lxmls(src):
    from lxml import html as lxml_html

    from aggregator.extract.body import text_content

    el = lxml_html.fragment_fromstring(src)
    el.tail = "a tail it leaves out"
    assert text_content(el) == el.text_content()


_PROSE = "北仑区教育局举行党支部比拼活动，来自教育系统的十五家党支部同台比拼，互学互比，共同提高。"


@pytest.mark.parametrize("html,title,body", [
    # a summary box between the headline and the body (a news site's 摘要)
    (f"<body><h1 id=t>标题</h1><div class=summary><p>{_PROSE * 2}</p></div><div id=b><p>{_PROSE * 6}</p></div></body>",
     "t", "b"),
    # the headline inside the body container: no lead
    (f"<body><div id=b><h1 id=t>标题</h1><p>{_PROSE * 4}</p></div></body>", "t", "b"),
    # the body above the headline
    (f"<body><div id=b><p>{_PROSE * 4}</p></div><h1 id=t>标题</h1><p>{_PROSE}</p></body>", "t", "b"),
    # more elements between them than the lead finder walks
    (f"<body><h1 id=t>标题</h1><div><p>{_PROSE}</p>{'<span>x</span>' * 450}</div><div id=b><p>{_PROSE * 4}</p></div></body>",
     "t", "b"),
    # a misplaced <title> between them (the walk skips what it holds)
    (f"<body><h1 id=t>标题</h1><title>站名</title><p>{_PROSE}</p><div id=b><p>{_PROSE * 4}</p></div></body>",
     "t", "b"),
])
def test_lead_nodes_from_the_page_model_are_the_walked_ones(html, title, body):
    from lxml import html as lxml_html

    from aggregator.extract.body import find_body, lead_nodes, prepare_tree
    from aggregator.extract.page import page_root, walk

    tree = prepare_tree(lxml_html.document_fromstring(html))
    model = walk(page_root(tree))
    stats = find_body(tree, stats=model.stats).stats
    title_node, body_node = tree.get_element_by_id(title), tree.get_element_by_id(body)
    assert lead_nodes(title_node, body_node, stats, model=model) == lead_nodes(title_node, body_node, stats)


def test_a_lead_box_is_found_from_the_page_model():
    from lxml import html as lxml_html

    from aggregator.extract.body import find_body, lead_nodes, prepare_tree
    from aggregator.extract.page import page_root, walk

    html = f"<body><h1 id=t>标题</h1><div class=summary><p>{_PROSE * 2}</p></div><div id=b><p>{_PROSE * 6}</p></div></body>"
    tree = prepare_tree(lxml_html.document_fromstring(html))
    model = walk(page_root(tree))
    stats = find_body(tree, stats=model.stats).stats
    lead = lead_nodes(tree.get_element_by_id("t"), tree.get_element_by_id("b"), stats, model=model)
    assert [el.get("class") for el in lead] == ["summary"]
