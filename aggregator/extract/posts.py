"""Who wrote a forum thread or a blog post when no byline credits anyone: the layouts of
community software, where the writer's name stands in the page's furniture, not in a credit.

    panel_poster(lines, h, texts=None, stop=None) -> str | None
        lines  the page model's lines (aggregator.extract.page.Line: text, link)
        h      the headline's line, or None;  texts  the lines' texts, when the caller holds them
        stop   the line past the body's end, when known: no panel after it counts
        The name in the user panel beside a thread's first post (Discuz!, phpwind, dvbbs and
        the portal boards of the 2000s: a cell with the poster's name as a link to the profile,
        then 积分/帖子/注册时间 …, then the post). The first panel by the headline is the thread
        starter's (楼主); the panels after it are the replies'.

    blog_owner(root, url, stamps, lines, titles=(), texts=None) -> str | None
        root    the page's lxml root;  url  the page's URL ("" when unknown)
        stamps  the short lines around the post (its byline block and closing lines)
        lines   the page model's lines;  titles  the page's <title> texts
        texts   the lines' texts, when the caller holds them (read faster)
        The blog's owner. When the post is signed only by a nameless stamp of blog software
        ("发表于 2021年6月30日 12:40 - (阅读:12;评论:3)", "posted @ 2021-06-30 12:40 阅读(12)"):
        the header's title, a link to the blog's home (a directory the post's URL lies under:
        "/wangming/" above "/wangming/archive/2021/06/30/123.aspx"), or a header "王明的博客".
        Without the stamp: a <title> part "王明的博客" / "王明的专栏", or the name by the blog's
        profile panel (its counters 博客访问/博客积分/博客等级, .Text's 随笔 - N / 评论 - N).

Neither looks anywhere unless its layout's mark is there (a panel's counters, a blog's stamp),
so a news page's header, site name or comment list never becomes its author.
"""
from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urljoin, urlsplit

from aggregator.bylines import looks_like_person, parse_byline

# the counters of a forum user panel, as label then value ("积分：235", "积分" + "235" in a
# <dt>/<dd> pair) or value then label ("12 主题", Discuz! X's stat row)
_STAT_WORDS = ("注册时间", "最后登录", "在线时间", "阅读权限", "积分", "帖子", "发帖", "主题", "精华", "威望",
               "金钱", "UID", "级别", "等级", "经验", "贡献", "魅力", "头衔", "来自", "性别")
# the counters only forum software prints (来自/性别/等级 also stand in other profiles)
_FORUM_STATS = frozenset({"注册时间", "在线时间", "阅读权限", "积分", "帖子", "发帖", "精华", "威望", "金钱", "UID",
                          "经验"})
_ALT = "|".join(_STAT_WORDS)
_STAT = re.compile(rf"^(?:({_ALT})\s*(?:[:：]|$|\d)|\d+\s*({_ALT})$)")
_PANEL_SPAN = 12     # lines from a panel's first counter that still belong to it
_NAME_SPAN = 6       # lines above the first counter searched for the poster's name
# what stands between the poster's name and the counters: the panel's actions and status
# (发短消息, 加为好友, 查看详细资料, 当前离线) and its repetition of the name with them
_PANEL_FURNITURE = re.compile(r"短消息|好友|资料|空间|主页|邮件|[Ee]-?mail|QQ|留言|关注|收听|打招呼|举报|在线|离线|"
                              r"查看|博客|个人|信息|楼主|\d+\s*楼|#")
_BEFORE, _AFTER = 40, 80   # the lines around the headline a thread's first panel stands in


def _stat_label(text: str) -> str | None:
    if len(text) > 40:
        return None
    m = _STAT.match(text.strip())
    return (m.group(1) or m.group(2)) if m else None


# the Latin words of a panel's or a blog's navigation, never a user's handle
_NAV_WORDS = frozenset("rss atom feed home login logout register about contact admin archive archives posts "
                       "blog top more edit profile".split())


def _is_handle(text: str) -> bool:
    return (2 <= len(text) <= 24 and not any(c.isspace() for c in text) and text.lower() not in _NAV_WORDS
            and looks_like_person(text, handle=True))


def _name_above(lines, i: int) -> str | None:
    """The poster's name: the nearest link above the panel's first counter that reads as a
    name, past the panel's actions and status lines."""
    for line in lines[max(0, i - _NAME_SPAN):i][::-1]:
        text = line.text.strip()
        if not text or _PANEL_FURNITURE.search(text):
            continue
        if len(text) > 40:
            return None  # prose: the panel ended
        if line.link and _is_handle(text):
            return text
    return None


def _first_panel(lines, start, stop, label_of, required):
    """(first, last) line of the first run of counters holding two labels, one of `required`."""
    for i in range(start, stop):
        if label_of(lines[i].text) is None:
            continue
        found = [(j, lb) for j, lb in enumerate(map(label_of, (ln.text for ln in lines[i:i + _PANEL_SPAN])), i) if lb]
        labels = {lb for _, lb in found}
        if len(labels) >= 2 and labels & required:
            return i, found[-1][0]
    return None


def _holds_any(text: str, words) -> bool:
    """Whether `text` holds one of the plain `words`: a substring search each (the string search
    skips ahead; a regex alternation of them tests every character against their first ones),
    by its characters first (_holds)."""
    return any(_holds(text, w) for w in words)


def _holds(text: str, word: str) -> bool:
    """`word in text`, looked for by its characters first: a search for one character is a
    memchr, many times cheaper than the search for a word, and a text without one of the word's
    characters holds no word. An occurrence of the word holds its k-th character at k past its
    start, so it starts no earlier than each character's first occurrence less k: the word is
    searched for from the latest of these."""
    start = 0
    for k, c in enumerate(word):
        at = text.find(c)
        if at < 0:
            return False
        start = max(start, at - k)
    return text.find(word, start) >= 0


def panel_poster(lines, h, texts=None, stop=None) -> str | None:
    if h is None:
        return None
    # not past the body's end (`stop`): a news article's comment list may give its commenters
    # panels, and the article's writer is none of them
    start, stop = max(0, h - _BEFORE), min(len(lines), h + _AFTER, len(lines) if stop is None else stop)
    span = texts[start:stop] if texts is not None else [ln.text for ln in lines[start:stop]]
    if not _holds_any("\n".join(span), _FORUM_STATS):  # most pages: no counter
        return None
    panel = _first_panel(lines, start, stop, _stat_label, _FORUM_STATS)
    # the first panel is the starter's: the replies' never count
    return _name_above(lines, panel[0]) if panel else None


# the stamp blog software prints under a post, the date and counters without a name
# (at a line's start or after the post's last sentence, which the byline block may join to it)
_BLOG_STAMP = re.compile(r"(?:^|(?<=[。！？!?.\s]))(?:发表于|发布于|posted\s*(?:@|on|at)?)\s*[:：]?\s*(?:19|20)\d{2}", re.I)
_STAMP_WORD = re.compile(r"发表于|发布于|posted", re.I)
# what a match of _STAMP_WORD holds: one of its Chinese words, or "posted" ignoring case, which ends
# in "ed" in one of its four cases (e and d match only themselves and their capitals ignoring case):
# most pages' stamps hold none, and the case-blind search (no fast scan) need not run
_STAMP_MARKS = ("发表于", "发布于", "ed", "eD", "Ed", "ED")
_COUNTERS = re.compile(r"阅读|评论|浏览|引用|comment|view|trackback|\bread\b", re.I)
# a blog's header or <title>: "王明的博客", "王明的专栏", "Wang Ming's Blog"
_BLOG_OF = re.compile(r"^(.{2,24}?)(?:的(?:博客|专栏|空间|部落格|个人空间|[Bb][Ll][Oo][Gg])|'s\s+[Bb]log)$")
_MAX_ANCHORS = 400
_HEADER_LINES = 40


def _nameless_stamp(stamps) -> bool:
    for text in stamps:
        m = _BLOG_STAMP.search(text[:200]) if len(text) <= 200 else None
        stamp = text[m.start():].strip() if m else ""
        if len(stamp) <= 120 and stamp and _COUNTERS.search(stamp):
            parsed = parse_byline(stamp)
            if not (parsed and parsed.people):
                return True
    return False


def _owner_name(text: str) -> str | None:
    """A header's text as the owner's name: "王明的博客" -> 王明; a bare name must look like one
    by itself (a common surname, or a handle in Latin letters)."""
    text = " ".join(text.split())
    m = _BLOG_OF.match(text)
    if m:
        name = m.group(1).strip()
        return name if looks_like_person(name, handle=True) else None
    if looks_like_person(text, strict=True) or (re.search(r"[A-Za-z]", text) and _is_handle(text)):
        return text
    return None


def _split(url: str, href: str = ""):
    """urlsplit of `href` against `url`, or None for a malformed one ("http://[bad/")."""
    try:
        return urlsplit(urljoin(url, href) if href else url)
    except ValueError:
        return None


def _home_link_name(root, url: str) -> str | None:
    """The text of the first link to a directory the post's URL lies under (the blog's home)."""
    page = _split(url)
    if page is None or not page.netloc:
        return None
    for a in islice(root.iter("a"), _MAX_ANCHORS):
        href = a.get("href")
        if not href or not href.strip():
            continue
        home = _split(url, href.strip())
        if home is None:
            continue
        path = home.path
        if (home.netloc != page.netloc or not path.endswith("/") or path.strip("/") == ""
                or not page.path.startswith(path) or page.path == path):
            continue
        name = _owner_name(a.text_content())
        if name:
            return name
    return None


# the counters of a blog's profile panel (博客访问/博客积分/博客等级 of the hosted blog services,
# 随笔 - N / 评论 - N of .Text-family blogs, 文章数/访问量 of others)
_BLOG_STAT = re.compile(r"^(博客访问|博客积分|博客等级|博文数量|访问量|文章数|评论数|随笔|关注人气)\s*(?:[:：\-]|$|\d)")
_BLOG_PANEL_STATS = frozenset({"博客访问", "博客积分", "博客等级", "博文数量", "随笔", "关注人气", "文章数"})
_BELOW_SPAN = 4


def _blog_stat_label(text: str) -> str | None:
    m = _BLOG_STAT.match(text.strip()) if len(text) <= 40 else None
    return m.group(1) if m else None


_PROFILE_LINES = 3000


def _profile_panel_name(lines, texts=None) -> str | None:
    """The owner's name by the first blog profile panel: the nearest name link above its
    counters, else a name alone on a line right under them (some services set the avatar and
    the name after the counters). `texts`: the lines' texts, when the caller holds them."""
    head = lines[:_PROFILE_LINES]
    joined = "\n".join(texts[:_PROFILE_LINES] if texts is not None else (ln.text for ln in head))
    if not _holds_any(joined, _BLOG_PANEL_STATS):  # most pages: no counter
        return None
    panel = _first_panel(head, 0, len(head), _blog_stat_label, _BLOG_PANEL_STATS)
    if panel is None:
        return None
    name = _name_above(lines, panel[0])
    if name:
        return name
    for line in lines[panel[1] + 1:panel[1] + 1 + _BELOW_SPAN]:
        text = line.text.strip()
        if text and not _PANEL_FURNITURE.search(text):
            return _owner_name(text)
    return None


def _blog_of(texts) -> str | None:
    """The owner a blog's header or title names: "王明的博客", "王明的专栏"."""
    for text in texts:
        for part in re.split(r"\s*(?:[_|｜]|--|—|\s-\s|-)\s*", " ".join(text.split())):
            if _BLOG_OF.match(part):
                return _owner_name(part)
    return None


def blog_owner(root, url, stamps, lines, titles=(), texts=None) -> str | None:
    joined = "\n".join(stamps)
    if _holds_any(joined, _STAMP_MARKS) and _STAMP_WORD.search(joined) and _nameless_stamp(stamps):
        name = (_home_link_name(root, url or "") if root is not None else None) \
            or _blog_of(ln.text for ln in lines[:_HEADER_LINES])
        if name:
            return name
    # without the stamp only what says "blog" by itself: the title's "王明的博客", the profile
    # panel's counters (a header line "某某的博客" may be a portal's link to a columnist's blog)
    return _blog_of(titles) or _profile_panel_name(lines, texts)
