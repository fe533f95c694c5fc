"""aggregator.extract.posts: a forum thread's poster from its user panel, a blog post's owner
behind a nameless stamp. The pages are invented text in the shapes of public saved pages:
Discuz! 7 threads (td.postauthor: the name, a hidden popup with 发短消息/加为好友, the name with
当前离线, 精华/阅读权限 …, then dl.profile UID/帖子/积分/注册时间), the Yahoo-style portal boards
(a user cell: name, 级别：, 积分：, then the post and "DATE 楼主"), phpwind's read page (name, then
级别/发帖/威望/金钱/注册时间), and .Text-family blogs (the header's h1 links to the blog's home,
the post ends "发表于 DATE - (阅读:N;评论:N)")."""
import pytest
from lxml import html

from aggregator.extract import extract_article
from aggregator.extract.page import page_root, walk
from aggregator.extract.posts import blog_owner, panel_poster

POST = "<p>" + "我们学校今年开展了读书活动，老师和同学们都积极参加，大家分享了很多好书和读书心得。" * 3 + "</p>"


def _lines(body):
    tree = html.fromstring(f"<html><body>{body}</body></html>")
    return walk(page_root(tree)).lines


def _h(lines, title):
    return next(i for i, ln in enumerate(lines) if ln.text == title)


YAHOO = f"""<table><tr><td><a href="/u/1">reader_2005</a></td></tr><tr><td>级别：入学了</td></tr>
<tr><td>积分：120</td></tr><tr><td><a href="/u/1/posts">看我还写了啥？</a></td></tr></table>
<table><tr><td>关于读书的一点想法</td></tr><tr><td>2005-09-11 18:04:42 楼主</td></tr><tr><td>{POST}</td></tr></table>
<table><tr><td><a href="/u/2">另一位</a></td></tr><tr><td>级别：入学了</td></tr><tr><td>积分：30</td></tr></table>
<table><tr><td>2005-09-11 19:00:00 1楼</td></tr><tr><td>回复的内容</td></tr></table>"""

DISCUZ7 = f"""<div class="postauthor"><div class="postinfo"><a href="space.php?uid=7">走马观花</a></div>
<div class="userinfopanel" style="display:none"><ul><li><a href="pm.php?uid=7">发短消息</a></li>
<li><a href="my.php?buddy=7">加为好友</a></li></ul>
<p><a href="space.php?uid=7">走马观花</a> <em>当前离线</em></p>
<dl><dt>精华</dt><dd>1</dd><dt>阅读权限</dt><dd>10</dd><dt>在线时间</dt><dd>3117 小时</dd></dl></div>
<p><em><a href="faq.php?group=18">太健谈了</a></em></p>
<dl class="profile"><dt>UID</dt><dd>7</dd><dt>帖子</dt><dd>2338</dd><dt>积分</dt><dd>15</dd>
<dt>注册时间</dt><dd>2006-1-14</dd></dl></div>
<div class="postcontent"><div>1#</div><div>发表于 2010-3-5 15:31 | 只看该作者</div>
<h1>你觉得这样读书好吗</h1>{POST}</div>"""

PHPWIND = f"""<h1>家长会上的发言稿</h1><table><tr><th><a href="u.php?uid=9">Li_Hua</a>
<div>级别: 新手上路</div><div>发帖: 35</div><div>威望: 2 点</div><div>金钱: 120 RMB</div>
<div>注册时间: 2008-03-01</div></th><td>{POST}</td></tr></table>"""

# Discuz! X: the thread title above, the poster's column with the name, then a stat row whose
# numbers stand above their labels (主题/帖子/积分)
DISCUZX = f"""<h1><span id="thread_subject">开学第一课观后感</span></h1><table><tr><td class="pls">
<div class="pi"><div class="authi"><a href="home.php?uid=5" class="xw1">晨曦_cc</a></div></div>
<div class="tns"><table><tr><th><p><a href="#">12</a></p>主题</th><th><p><a href="#">340</a></p>帖子</th>
<td><p><a href="#">560</a></p>积分</td></tr></table></div></td>
<td class="plc"><div class="authi">发表于 2012-9-3 10:00 | 只看该作者</div>{POST}</td></tr></table>"""

# the first panel's name is missing (a guest's post): the replies' panels are not the thread's
GUEST = f"""<h1>求助：孩子不爱读书怎么办</h1><table><tr><td>游客</td></tr><tr><td>积分：0</td></tr>
<tr><td>帖子：0</td></tr></table>{POST}
<table><tr><td><a href="/u/3">热心家长</a></td></tr><tr><td>积分：500</td></tr><tr><td>帖子：88</td></tr></table>"""

NEWS = f"""<div class="top"><a href="/">某某教育网</a> <a href="/login">登录</a></div>
<h1>全市中小学读书节开幕</h1><div>版主：王明 李华</div><div>最后回复：张强 2021-06-30</div>{POST}
<div>积分商城</div>"""


@pytest.mark.parametrize("body,title,expected", [
    (YAHOO, "关于读书的一点想法", "reader_2005"),
    (DISCUZ7, "你觉得这样读书好吗", "走马观花"),
    (PHPWIND, "家长会上的发言稿", "Li_Hua"),
    (DISCUZX, "开学第一课观后感", "晨曦_cc"),
    (GUEST, "求助：孩子不爱读书怎么办", None),
    (NEWS, "全市中小学读书节开幕", None),  # a moderator list, a last-reply line: no panel
])
def test_panel_poster(body, title, expected):
    lines = _lines(body)
    assert panel_poster(lines, _h(lines, title)) == expected


def test_panel_poster_without_headline():
    assert panel_poster(_lines(YAHOO), None) is None


BLOG = f"""<div id="top"><h1><a href="http://blog.example.com/wangming/">王明 </a></h1>
<p>读书与教育</p></div><ul><li><a href="http://blog.example.com/">首页</a></li>
<li><a href="http://blog.example.com/wangming/contact.aspx">联系</a></li></ul>
<div class="post"><h2><a href="http://blog.example.com/wangming/archive/2021/06/30/123.aspx">读书节随想</a></h2>
{POST}<p class="postfoot">发表于 2021年6月30日 12:40 - (阅读:372;评论:6)</p></div>
<h3>评论</h3><h4># re: 读书节随想 2021-06-30 13:01 李华</h4><p>写得好</p>"""
BLOG_URL = "http://blog.example.com/wangming/archive/2021/06/30/123.aspx"


@pytest.mark.parametrize("page,url,expected", [
    (BLOG, BLOG_URL, "王明"),
    # the header names the blog "X的博客" (no URL needed)
    (BLOG.replace('<a href="http://blog.example.com/wangming/">王明 </a>', "李华的博客"), "", "李华"),
    # the stamp names the writer: the owner is not needed (the byline finds the writer)
    (BLOG.replace("发表于 2021年6月30日 12:40 - (阅读", "posted @ 2021-06-30 12:40 Zhang_San 阅读"), BLOG_URL, None),
    # no blog stamp: a news page whose header links to a column directory is not signed by it
    (BLOG.replace("发表于 2021年6月30日 12:40 - (阅读:372;评论:6)", "发布时间：2021-06-30"), BLOG_URL, None),
    # the home link's text is no name
    (BLOG.replace(">王明 </a>", ">读书与教育</a>"), BLOG_URL, None),
    # the link is to the site's root, not to a directory above the post
    (BLOG.replace('href="http://blog.example.com/wangming/"', 'href="http://blog.example.com/"'), BLOG_URL, None),
])
def test_blog_owner(page, url, expected):
    tree = html.fromstring(f"<html><body>{page}</body></html>")
    lines = walk(page_root(tree)).lines
    stamps = [ln.text for ln in lines if len(ln.text) <= 120]
    assert blog_owner(tree, url, stamps, lines) == expected


def test_a_malformed_link_or_url_is_no_error():
    page = BLOG.replace('<a href="http://blog.example.com/">首页</a>', '<a href="http://[bad/">首页</a>')
    tree = html.fromstring(f"<html><body>{page}</body></html>")
    lines = walk(page_root(tree)).lines
    stamps = [ln.text for ln in lines]
    assert blog_owner(tree, BLOG_URL, stamps, lines) == "王明"
    assert blog_owner(tree, "http://[bad/x", stamps, lines) is None
    assert blog_owner(None, BLOG_URL, stamps, lines) is None
    assert panel_poster([], 0) is None


# a hosted blog's sidebar, in the shape of the 2000s services (新浪/ChinaUnix/51CTO-style
# profile panels: the name, the actions, then 博客等级/博客积分/博客访问), the post with no stamp
SIDEBAR = f"""<div class="side"><h3>个人资料</h3><div><a href="/u/12">Chen_Lan</a></div>
<div><a href="/m/12">加好友</a> <a href="/m/12">发纸条</a></div><ul><li>博客等级：12</li><li>博客积分：300</li>
<li>博客访问：8,000</li></ul></div><div class="post"><h2>读书节随想</h2>{POST}<p>(2021-06-30 12:40:00)</p></div>"""
# ChinaUnix-style: the counters first, the avatar and the name after them
BELOW = SIDEBAR.replace('<div><a href="/u/12">Chen_Lan</a></div>', "").replace("</ul></div>", "</ul><p>陈兰</p></div>")


@pytest.mark.parametrize("page,titles,expected", [
    (SIDEBAR, (), "Chen_Lan"),
    (BELOW, (), "陈兰"),
    # the title names the blog, as hosted services write it ("标题_王明的博客", "标题-王明的专栏-某某博客")
    (f"<h2>读书节随想</h2>{POST}", ("读书节随想_王明的博客",), "王明"),
    (f"<h2>读书节随想</h2>{POST}", ("读书节随想-李华的专栏-某某博客",), "李华"),
    # a portal's header link to a columnist's blog is no owner without the post's stamp
    (f"<div><a href='/b/1'>王明的博客</a></div><h2>读书节随想</h2>{POST}", (), None),
    # a .Text statistics box with only navigation above it
    (f"<ul><li><a href='/rss'>RSS</a></li></ul><ul><li>随笔 - 13</li><li>评论 - 260</li></ul>{POST}", (), None),
])
def test_blog_owner_without_a_stamp(page, titles, expected):
    tree = html.fromstring(f"<html><body>{page}</body></html>")
    lines = walk(page_root(tree)).lines
    assert blog_owner(tree, "", [ln.text for ln in lines if len(ln.text) <= 120], lines, titles) == expected


def _people(page, url=""):
    out = extract_article(f"<html><head><title>t</title></head><body>{page}</body></html>", url)
    return [(p["name"], p["role"], p["label"]) for p in out["people"]], out["people_signal"]


def test_the_whole_page_credits_the_poster_and_the_owner():
    assert _people(YAHOO) == ([("reader_2005", "author", "楼主")], "forum-panel")
    assert _people(BLOG, BLOG_URL) == ([("王明", "author", "博主")], "blog-owner")
    assert _people(NEWS) == ([], None)


def test_a_news_article_s_commenters_are_not_its_writers():
    # a portal article without a credit, its comment list under it with forum-style user panels
    comments = "".join(f"<div><a href='/u/{i}'>{name}</a></div><div>积分：{i}</div><div>帖子：{i}</div>"
                       f"<p>说得好，支持！</p>" for i, name in enumerate(("晨风", "Lee_Ming", "小雨点")))
    page = (f"<h1>全市中小学读书节开幕</h1><div class='article'>{POST * 4}</div>"
            f"<div class='comments'><h3>网友评论</h3>{comments}</div>")
    assert _people(page) == ([], None)


def test_a_credit_in_the_page_wins_over_the_panel():
    page = YAHOO.replace(POST, "<p>作者：李华</p>" + POST)
    assert _people(page)[0] == [("李华", "author", "作者")]


def test_the_first_post_stamp_inside_a_long_body():
    # a 2000s board's post: the stamp, then notices and the replies' list inside the same block
    notices = "".join(f"<p>{i}. 请遵守论坛的规定，文明发言。</p>" for i in range(1, 13))
    page = (f"<h3>读书交流</h3><div>{POST * 15}<p>本贴由 王明 于2005年8月12日16:12:21在〖 读书 〗发表.</p>"
            f"{notices}<ul><li>回复一 李华 09:02:51 5/23/06</li></ul></div>")
    assert _people(page) == ([("王明", "author", "posted")], "posted-stamp")


def test_an_official_document_credits_its_issuing_organ():
    page = (f"<table><tr><td>索引号：</td><td>1122/2024-00001</td><td>发文机关：</td><td>某某省人民政府</td></tr>"
            f"<tr><td>成文日期：</td><td>2024年01月27日</td><td>发布日期：</td><td>2024年01月28日</td></tr></table>"
            f"<h1>某某省人民政府关于加强中小学读书活动的通知</h1>{POST}")
    out = extract_article(f"<html><head><title>某某省人民政府关于加强中小学读书活动的通知</title></head>"
                          f"<body>{page}</body></html>", "")
    assert [(p["name"], p["role"]) for p in out["people"]] == [("某某省人民政府", "issuer")]
    assert out["source"] == "某某省人民政府"
