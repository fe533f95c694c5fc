import pytest

from aggregator.extract import extract_article
from aggregator.extract.title import strip_site_suffix

BODY = "<div class='content'>" + "<p>北仑区教育局举行活动，来自教育系统的党支部同台比拼，互学互比，展示成绩。</p>" * 6 + "</div>"
URL = "http://www.example.gov.cn/art/2021/6/30/art_1_2.html"


def title_of(head="", before_body="", body=BODY):
    page = f"<html><head>{head}</head><body><div class='nav'><a href='/'>首页</a></div>{before_body}{body}</body></html>"
    return extract_article(page, URL)


@pytest.mark.parametrize("raw,expected", [
    ("北仑区召开教育工作会议_北仑教育网", "北仑区召开教育工作会议"),
    ("北仑区召开教育工作会议 - 要闻 - 宁波日报网", "北仑区召开教育工作会议"),
    ("北仑区召开教育工作会议|北仑教育网", "北仑区召开教育工作会议"),
    ("苏格拉底：一个无法复制的“好老师”-搜狐教育", "苏格拉底：一个无法复制的“好老师”"),
    ("对比评测—体验希沃白板、鸿合屏(图)", "对比评测—体验希沃白板、鸿合屏(图)"),
    ("", ""),
])
def test_site_suffix_is_stripped(raw, expected):
    assert strip_site_suffix(raw) == expected


def test_article_title_meta_wins():
    result = title_of(head='<meta name="ArticleTitle" content="关于做好暑期安全工作的通知">'
                      "<title>首页_某某教育局</title>", before_body="<h1>某某教育局</h1>")
    assert (result["title"], result["title_signal"]) == ("关于做好暑期安全工作的通知", "meta:ArticleTitle")


def test_article_title_meta_with_markup_keeps_the_text_only():
    result = title_of(head='<meta name="ArticleTitle" content="主标题<div>——副标题</div>">')
    assert result["title"] == "主标题——副标题"


def test_h1_that_agrees_with_title_wins_without_suffix():
    result = title_of(head="<title>北仑区召开教育工作会议_北仑教育网</title>",
                      before_body="<h1 class='logo'>北仑教育网</h1><h1>北仑区召开教育工作会议</h1>")
    assert result["title"] == "北仑区召开教育工作会议"


def test_site_name_first_in_title_is_not_the_headline():
    result = title_of(head="<title>北仑教育网 - 北仑区召开教育工作会议</title>",
                      before_body="<div class='logo'><b>北仑教育网</b></div>" + "<p>导航 链接</p>" * 3 +
                      "<h2>北仑区召开教育工作会议</h2>")
    assert result["title"] == "北仑区召开教育工作会议"


def test_og_title_is_used_when_no_heading_agrees():
    result = title_of(head='<meta property="og:title" content="暑期安全提醒 - 北仑教育网"><title>北仑教育网</title>')
    assert result["title"] == "暑期安全提醒"


def test_a_styled_line_right_above_the_body_beats_a_site_name_title():
    result = title_of(head="<title>网易论坛</title>",
                      before_body="<p align='center'><font color='darkblue'><strong>浮躁病(上)</strong></font></p>")
    assert result["title"] == "浮躁病(上)"


def test_title_element_is_the_fallback():
    result = title_of(head="<title>关于做好暑期安全工作的通知_北仑教育网</title>")
    assert result["title"] == "关于做好暑期安全工作的通知"


def test_site_selector_is_the_strongest_signal():
    page = (f"<html><head><meta name='ArticleTitle' content='错误的标题'></head><body>"
            f"<div class='tt'>正确的标题</div>{BODY}</body></html>")
    result = extract_article(page, URL, selectors={"title": ".tt"})
    assert (result["title"], result["title_signal"]) == ("正确的标题", "selector")


def test_headline_is_not_repeated_as_the_first_body_line():
    result = title_of(head="<title>北仑区召开教育工作会议_北仑教育网</title>",
                      body="<div class='content'><p>北仑区召开教育工作会议</p>" + BODY + "</div>")
    assert not result["body"].startswith("北仑区召开教育工作会议")


def test_a_byline_line_is_never_the_title():
    result = title_of(head="<title>网</title>", before_body="<div><b>发布时间：2021-06-30 作者：杨阳</b></div>")
    assert "发布时间" not in (result["title"] or "")


def test_a_breadcrumb_link_is_not_the_headline_but_a_labelled_line_is():
    crumbs = ("<td>首页 &gt; <a href='/c/'>社区</a> &gt; <span class='title01'><a href='/f/3444'>网闻贴吧</a></span></td>")
    result = title_of(head="<title>央视论坛 :: null</title>",
                      before_body=f"<table><tr>{crumbs}</tr></table><table><tr><td class='large'><b>主题：</b>"
                                  "导游为什么热衷于带你去商场购物？</td></tr></table>")
    assert result["title"] == "导游为什么热衷于带你去商场购物？"


def test_a_line_the_body_repeats_first_beats_a_blog_name_in_the_title():
    header = "<table><tr><td><b><font color='#ffffff'>洞庭一叶</font></b></td></tr></table>" + "<p>导航 链接</p>" * 8
    body = BODY.replace("<div class='content'>", "<div class='content'><p>陈天华《警世钟》</p>")
    result = title_of(head="<title>China-Pub blog--洞庭一叶</title>",
                      before_body=header + "<font size='4'><strong>陈天华《警世钟》</strong></font>", body=body)
    assert result["title"] == "陈天华《警世钟》"


def test_a_title_the_page_never_shows_yields_to_a_bold_line_above_the_body():
    result = title_of(head="<title>谢谢您访问〖关注中国中心〗</title>",
                      before_body="<table><tr><td align='center'><b><font size='3' color='blue'>"
                                  "巴黎举行座谈会</font></b></td></tr></table>")
    assert result["title"] == "巴黎举行座谈会"


def test_a_headline_linking_to_its_own_page_is_still_the_headline():
    result = title_of(head="<title>博客</title>",
                      before_body=f"<div class='postTitle'><a href='{URL}'>评老冒：做最好的东西？</a></div>")
    assert result["title"] == "评老冒：做最好的东西？"


@pytest.mark.parametrize("headline", [
    "教育部发布2022年高考时间安排",
    "2022年6月全国大学英语四六级考试报名通知",
    "开学日期确定 北仑区中小学9月1日开学",
])
def test_headlines_that_mention_dates_or_publishing_are_headlines(headline):
    result = title_of(head=f"<title>{headline}_北仑教育网</title>", before_body=f"<h1>{headline}</h1>")
    assert (result["title"], result["title_signal"]) == (headline, "heading")


def test_an_advert_label_is_never_the_title():
    result = title_of(head="<title>北仑教育网</title>",
                      before_body="<div class='ad-title'>广告</div><div class='cover'><h4>百强支部PK赛举行</h4></div>")
    assert result["title"] == "百强支部PK赛举行"


def test_a_headline_printed_with_its_column_in_front_beats_the_column_name():
    result = title_of(head="<title>棱镜|数据业大整顿：用户信息几元不等_财经_腾讯网</title>",
                      before_body="<h1>棱镜|数据业大整顿：用户信息几元不等</h1>"
                                  "<div><span class='a_source'>棱镜</span><span>2019-09-23 07:48</span></div>")
    assert result["title"] == "棱镜|数据业大整顿：用户信息几元不等"
    assert result["published_at"] == "2019-09-23T07:48:00+08:00"


def test_a_breadcrumb_and_the_repeated_headline_leave_the_top_of_the_body():
    body = ("<div class='content'><p>首页 &gt; 教育新闻</p><p>北仑区召开教育工作会议</p>"
            + "<p>北仑区教育局举行活动，来自教育系统的党支部同台比拼，互学互比，展示成绩。</p>" * 6 + "</div>")
    result = title_of(head="<title>北仑区召开教育工作会议_北仑教育网</title>",
                      before_body="<h1>北仑区召开教育工作会议</h1>", body=body)
    assert result["body"].startswith("北仑区教育局举行活动")


def test_article_title_meta_cut_at_an_unescaped_quote_is_made_whole():
    # CMS templates that write ArticleTitle without escaping: content="开展"防溺水"…" parses as "开展"
    result = title_of(head='<meta name="ArticleTitle" content="城关小学开展"防溺水"安全教育">'
                      '<title>城关小学开展"防溺水"安全教育_县教育局</title>',
                      before_body='<div class="tit">城关小学开展"防溺水"安全教育</div>')
    assert result["title"] == '城关小学开展"防溺水"安全教育'


@pytest.mark.parametrize("subheading", ["<h3>一、加强组织领导</h3>", "<p><strong>（二）压实工作责任</strong></p>",
                                        "<h4>3. 工作要求</h4>", "<p><b>1.1. 研究背景</b></p>", "<h4>2.1.3 调查方法</h4>"])
def test_a_numbered_sub_heading_of_the_body_is_not_the_headline(subheading):
    # a bureau notice whose <title> is the site's name; its body opens with a numbered section
    result = title_of(head="<title>某某县教育局</title>",
                      before_body="<div class='title'>关于做好暑期学生安全工作的通知</div>",
                      body=BODY.replace("<div class='content'>", "<div class='content'>" + subheading))
    assert result["title"] == "关于做好暑期学生安全工作的通知"


@pytest.mark.parametrize("meta,heading", [('<meta name="SiteName" content="某某县教育局">', "<h1>某某县教育局</h1>"),
                                          ('<meta name="ColumnName" content="教育动态">', "<h2>教育动态</h2>")])
def test_the_site_or_column_name_printed_as_a_heading_is_not_the_headline(meta, heading):
    result = title_of(head=meta + "<title>某某县教育局</title>",
                      before_body=heading + "<p class='t'>城关小学开展防溺水安全教育</p>")
    assert result["title"] == "城关小学开展防溺水安全教育"


def test_og_title_cut_at_an_unescaped_quote_gives_way_to_the_headline():
    # portal templates that write og:title without escaping the headline's ASCII quotes
    result = title_of(head='<meta property="og:title" content="男孩写"救命"纸团引来警察">'
                      '<title>男孩写"救命"纸团引来警察_某某新闻</title>',
                      before_body='<h1>男孩写"救命"纸团引来警察</h1>')
    assert result["title"] == '男孩写"救命"纸团引来警察'


@pytest.mark.parametrize("badge", ["原创", "独家", "图"])
def test_a_label_in_front_of_the_headline_is_not_part_of_it(badge):
    result = title_of(head="<title>最不愁吃肉的国家：顿顿有肉吃</title>",
                      before_body=f"<h2 class='title'><span>{badge}</span>最不愁吃肉的国家：顿顿有肉吃</h2>")
    assert result["title"] == "最不愁吃肉的国家：顿顿有肉吃"


def test_a_headline_opening_with_a_styled_word_of_its_own_keeps_it():
    result = title_of(head="<title>2022年全县中考工作安排_县教育局</title>",
                      before_body="<h1><b>2022</b>年全县中考工作安排</h1>")
    assert result["title"] == "2022年全县中考工作安排"


@pytest.mark.parametrize("site", ["某某县教育局", "某某市人民政府", "某某教育网"])
def test_a_title_that_is_only_the_site_name_does_not_pick_the_header(site):
    # bureau templates that give every page the site's name as <title> and print it in the header
    result = title_of(head=f"<title>{site}</title>",
                      before_body=f"<div class='top'>{site}</div><p style='text-align:center'>城关小学开展防溺水安全教育</p>")
    assert result["title"] == "城关小学开展防溺水安全教育"


# the <title> the headline finder reads is the first one in document order, wherever it stands
@pytest.mark.parametrize("html", [
    "<html><head><title>标题一</title></head><body><p>正文</p></body></html>",
    "<html><head><meta charset='utf-8'></head><body><div><title>误放的标题</title></div><p>正文</p></body></html>",
    "<html><body><p>没有标题</p></body></html>",
    "<html><head><title>头部</title></head><body><title>正文里的</title></body></html>",
])
def test_the_first_title_in_document_order_is_read(html):
    from lxml import html as lxml_html

    from aggregator.extract.title import _first_title
    tree = lxml_html.document_fromstring(html)
    assert _first_title(tree) is tree.find(".//title")


@pytest.mark.parametrize("pattern, first", [("_LABEL_PREFIX", "_LABEL_FIRST"), ("_LEADING_SYMBOLS", "_SYMBOL_FIRST")])
def test_a_patterns_first_characters_are_in_its_fast_path_set(pattern, first):
    """A text opening with a character outside the set is never tried against the pattern (a
    cleaned text opens with no space): every character the pattern can open with must be in it."""
    from aggregator.extract import title
    from tests.regex_first import SPACE, first_chars

    assert first_chars(getattr(title, pattern)) - {SPACE} <= set(getattr(title, first))


# --- the headings _uncut reads: only those whose text holds a quote, told in C ---------------

QUOTED = [
    '<h1>城关小学开展"防溺水"安全教育</h1>',
    '<h2><span>原创</span>开展"防溺水"教育</h2>',
    '<h3>没有引号的标题</h3><h2>"引号"在前</h2>',
    '<h1>外层<h2>内层"引号"</h2></h1>',
    '<h4><![CDATA[x"y]]>开展</h4><h5>开展<!-- "注释" --></h5>',
    '<h6>开展&quot;防溺水&quot;教育</h6><h1>开展&#34;安全&#34;</h1>',
]


def _pages_and_values():
    from lxml import html

    from tests.test_walk_compiled import _fixture_pages, _replica_pages
    from aggregator.extract import parse_page
    sources = [f"<html><head><title>开展\"防溺水\"安全教育_县教育局</title></head><body>{h}{BODY}</body></html>"
               for h in QUOTED] + [p.read_bytes() for p in _fixture_pages()] + [data for _, data in _replica_pages()]
    for source in sources:
        tree, _, _ = parse_page(source)
        if tree is None:
            continue
        values = ["开展", "城关小学开展", "x", "引号", "外层内层"]
        values += [h.text_content().split('"')[0] for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        yield tree, [v for v in values if v]
    yield html.fromstring('<div><h1 class="a">开展"防"</h1></div>'), ["开展"]


def test_the_quoted_headings_are_the_headings_uncut_can_take():
    """The compiled filter keeps, in document order, every heading whose text holds a quote, and
    _uncut answers with it as it answers reading every heading."""
    import aggregator.extract.page as page
    from aggregator.extract import title
    if not page.COMPILED:
        pytest.skip("the compiled walk is not built")
    for tree, values in _pages_and_values():
        every = list(tree.iter(*title._HEADING_TAGS))
        quoted = page._walk.elements_holding(tree, title._HEADING_TAGS, '"')
        assert quoted is not None
        assert [h for h in every if '"' in title._text(h)] == [h for h in quoted if '"' in title._text(h)]
        assert quoted == [h for h in every if any(q is h for q in quoted)]  # some of them, in order
        doc_title = title.fold(tree.findtext(".//title") or "")
        for value in values:
            got = title._uncut(value, tree, doc_title)
            want = title._uncut(value, tree, doc_title, every)
            assert got == want, value


def test_a_title_without_a_separator_character_has_nothing_to_split():
    """strip_site_suffix returns a title holding none of _SEPARATOR's characters as it is:
    _SUFFIX_SPLIT finds nothing in it, on random titles made of separators, spaces and text."""
    import random

    from aggregator.extract import title
    rng = random.Random(14)
    alphabet = ["_", "|", "｜", "-", "—", "–", "--", " ", "\u3000", "标", "题", "网", "a", "1", "·", "~", "/", "：", "－"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        if title._SEPARATOR.search(text) is None:
            assert title._SUFFIX_SPLIT.search(text) is None, text
            assert title.strip_site_suffix(text) == title.fold(text)
