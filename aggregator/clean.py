"""Body text cleaning: repeated blocks, boilerplate lines, byline lines out of the body.

The interface the rest of the code uses:

    clean_body(text) -> CleanResult
        text: paragraphs separated by "\n"
    CleanResult.body          the cleaned text, paragraphs separated by "\n"
    CleanResult.byline_lines  byline/editor lines moved out of the body
    CleanResult.removed       [(what, reason)] for tracing ("推荐新闻 ...", "recommendation list")

Rules, in order:
1. Recommendation lists (推荐新闻, 相关阅读, 热点推荐 ...): from the heading to the end of
   the text when the heading sits in the last part of it, else the heading and the short
   link-like lines under it.
2. Boilerplate lines: 【打印本页】【关闭窗口】, 上一篇/下一篇, share bars, font-size bars,
   copyright and 主办单位 footers.
3. Byline lines (作者: / 记者 / 编辑: / 来源: / 发布时间: ...) that stand alone on a short
   line move to byline_lines.
4. A block of paragraphs that repeats (a page that printed its body twice) keeps its first
   copy. A single paragraph that recurs (a slogan, a repeated 图为 caption) stays, unless it
   is a long paragraph repeated right after itself.
5. At the edges of the text (its first and last lines): a breadcrumb ("首页 > 国内"), a comment
   bar ("评论(15)", "我要跟帖", "已输入0字") or a keyword bar ("关键词 >> 芯片") is dropped; a
   short line that only credits people ("澎湃新闻记者 段彦超 廖艳", "编辑 刘晓阳 校对 李铭",
   "本文来源：新京报 责任编辑：杜硕") moves to byline_lines. A line of broken characters only
   (an emoji the page saved as U+FFFD) is dropped anywhere.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, compress, count
from operator import itemgetter, ne

from aggregator.bylines import parse_byline

_WS = re.compile(r"[ \t\r\f\v\u3000\xa0]+")

_RECOMMEND_WORDS = (
    "推荐新闻|推荐阅读|相关推荐|相关阅读|相关新闻|相关文章|相关链接|相关报道|热点推荐|热门推荐|精彩推荐|"
    "延伸阅读|猜你喜欢|热点新闻|热门文章|热门新闻|最新新闻|最新文章|更多新闻|往期回顾|今日推荐|编辑推荐|新闻推荐|"
    "图片新闻|专题推荐|热点关注|热门排行|点击排行|阅读排行|你可能感兴趣|为你推荐")
_RECOMMEND_OPEN = "【[〔<《"
_RECOMMEND_HEADING = re.compile(
    rf"^[{re.escape(_RECOMMEND_OPEN)}]?\s*({_RECOMMEND_WORDS})\s*[】\]〕>》]?\s*[:：]?\s*(更多|>>|»)?\s*$"
)
# the characters a recommendation heading can open with: a line opening with another one is
# not tried (a set lookup instead of a regex call per line)
_RECOMMEND_FIRST = frozenset(_RECOMMEND_OPEN) | {word[0] for word in _RECOMMEND_WORDS.split("|")}
# boilerplate anywhere in a line, and boilerplate that opens one; every alternative of the
# pattern that looks anywhere opens with a literal character (Copyright|copyright, not
# [Cc]opyright), so the regex engine compiles their first characters into a set and skips the
# others in C (a fast scan, 2.5 times faster on body lines than a lookahead for that set)
_BOILERPLATE_ANYWHERE = re.compile(
    r"打印本页|关闭窗口|打印此页|关闭本页|【\s*打印\s*】|【\s*关闭\s*】|\[\s*打印\s*\]|\[\s*关闭\s*\]|返回顶部|回到顶部|"
    r"版权所有|Copyright|copyright|©|主办单位\s*[:：]|承办单位\s*[:：]|ICP备|ICP证|网站标识码|公网安备|技术支持\s*[:：]|网站地图|联系我们"
)
_BOILERPLATE_START = re.compile(
    r"(?:分享到|分享至|转发到|一键分享)|【?\s*字[体号]\s*[:：]|字号\s*[:：]?\s*[大中小]|【?\s*(大|中|小)\s+(大|中|小)|"
    r"(?:上一篇|下一篇|上一条|下一条|上篇|下篇)\s*[:：]?|"
    r"(?:扫一扫|微信扫一扫|扫描二维码)|【?\s*(?:我要纠错|纠错)\s*】?$|(?:收藏|点赞|评论)\s*$|"
    r"(?:评论|跟帖|留言)\s*[（(]\s*\d+\s*[)）]$|我要(?:跟帖|评论|留言)$|已输入\s*\d+\s*字|收藏成功|"
    r"(?:点击|点此)?进入(?:专题|专区)\s*[:：]?$"
)
_BOILERPLATE_MAX = 200  # a longer line is text, whatever it mentions


# the characters _BOILERPLATE_START's alternatives open with (besides a space): a line opening
# with another one is not tried (a set lookup instead of a regex call per line)
_START_FIRST = frozenset("分转一【字大中小上下扫微我纠收点评跟留已进")


def _opens_boilerplate(line) -> bool:
    first = line[:1]
    return (first in _START_FIRST or first.isspace()) and _BOILERPLATE_START.match(line) is not None


def is_boilerplate(line) -> bool:
    """True for a line of page furniture: 【打印本页】, 上一篇：…, a share bar, a copyright footer."""
    return len(line) <= _BOILERPLATE_MAX and bool(_BOILERPLATE_ANYWHERE.search(line) or _opens_boilerplate(line))


# (a literal, one of its characters) of which every alternative of _BOILERPLATE_ANYWHERE holds
# the literal: a line holding none of the literals holds no match. Each literal is looked for
# where its character occurs (the one of its characters that body text holds least and that
# str.find scans fastest for), a scan for a character costing a fraction of one for a literal
_BOILERPLATE_LITERALS = (
    ("打印", "印"), ("关闭", "闭"), ("顶部", "顶"), ("版权所有", "版"), ("opyright", "p"), ("©", "©"),
    ("办单位", "办"), ("ICP", "I"), ("网站标识码", "码"), ("公网安备", "备"), ("技术支持", "持"), ("网站地图", "站"),
    ("联系我们", "系"),
)


def _boilerplate_lines(lines) -> set:
    """The indexes of the lines (none holding a line break) in which _BOILERPLATE_ANYWHERE.search
    finds a match. A line's match holds one of _BOILERPLATE_LITERALS, and so does that line: only
    the lines holding one are searched (most bodies hold none: no regex runs at all)."""
    return {i for i in _lines_holding(lines, _BOILERPLATE_LITERALS) if _BOILERPLATE_ANYWHERE.search(lines[i])}


def _lines_holding(lines, literals) -> set:
    """The indexes of the `lines` (none holding a line break) that hold one of the `literals`
    ((literal, one of its characters), no literal holding a line break): from the lines joined
    by line breaks, in which every occurrence of a literal lies within one line, found where
    its character occurs."""
    joined = "\n".join(lines)
    starts = None  # where each line begins in `joined`, once a literal is found
    found = set()
    for literal, char in literals:
        offset = literal.index(char)
        at = joined.find(char, offset)
        while at >= 0:
            if joined.startswith(literal, at - offset):
                if starts is None:
                    starts = [0, *accumulate(len(line) + 1 for line in lines)]
                found.add(bisect_right(starts, at) - 1)
            at = joined.find(char, at + 1)
    return found


# navigation and page furniture that only counts as such at the edges of the text
_EDGE_FURNITURE = re.compile(
    r"^(?:首页|主页|网站首页|当前位置|您的位置|你的位置|您现在的位置)\s*(?:[:：]|[>＞»›/]).{0,80}$|"
    r"^[^\s>＞»›。，！？]{1,12}(?:\s*[>＞»›]\s*[^\s>＞»›。，！？]{1,16}){1,4}$|"
    r"^(?:关键词|关键字|标签|Tags?)\s*(?:[:：]|>>|»)|^(?:图集|组图|\+1|举报|打开APP|查看原文|已收藏|知道了|我要反馈|\+?关注|\d{1,6})[!！]?$|"
    r"^(?:字号|超大|特大|较大|大|中|小|标准|默认)$", re.I)
# a date line at the top of the text ("2019-09-24 09:10 来源：澎湃新闻"): the page's dateline
_DATE_LINE = re.compile(r"^(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
_SENTENCE = re.compile(r"[。！？；，,;!?]")
_BYLINE_LABEL = (r"(?:作者|记者|本报记者|通讯员|编辑|责任编辑|责编|编审|审核|审校|审稿|校对|核稿|监制|"
                 r"摄影|摄像|图片|供稿|撰稿|来源|稿源|信息来源|文章来源|发布时间|发布日期|发稿时间|"
                 r"发布者|发布人|点击数|浏览次数|阅读次数|访问量|文/图|文|图)")
_BYLINE_LINE = re.compile(rf"^[（(【\[]?\s*{_BYLINE_LABEL}\s*[:：/／]")
# what a byline line (either pattern) can open with, besides a space: a bracket or a label's first character
_BYLINE_FIRST = frozenset("（(【[") | {label[0] for label in _BYLINE_LABEL[3:-1].split("|")}
_BYLINE_BRACKETED = re.compile(r"^[（(]\s*(?:本报)?(?:记者|通讯员|作者|文/图|文|图)\s*[^）)]{1,40}[）)]$")
_BYLINE_MAX = 120

MIN_REPEAT_CHARS = 40


@dataclass
class CleanResult:
    body: str
    byline_lines: list = field(default_factory=list)
    removed: list = field(default_factory=list)


# a line of broken characters only: an emoji the page itself saved as U+FFFD
_BROKEN_ONLY = re.compile(r"^[\ufffd\s\W]*\ufffd[\ufffd\s\W]*$")
# icon-font glyphs (private use area) and zero-width characters: never text a reader sees
_INVISIBLE = re.compile("[\ue000-\uf8ff\u200b-\u200d\u2060\ufeff]")


# what _lines() changes in a line, but two spaces in a row: a text without any of it needs only
# its lines stripped (one character class: a scan five times faster than with " {2}" among them)
_TO_FOLD = re.compile(r"[\t\r\f\v\u3000\xa0\ue000-\uf8ff\u200b-\u200d\u2060\ufeff]")


def _needs_fold(text, raw_lines) -> bool:
    """True when _TO_FOLD or two spaces in a row occur in `text` (`raw_lines` its split on line
    breaks). Every character _TO_FOLD matches is one str.isprintable() refuses, and the split
    takes out only line breaks, so lines that are all printable hold none of them: a test in C
    about half the instructions of the regex's scan, with the scan left to the other texts."""
    if "  " in text:
        return True
    return not all(map(str.isprintable, raw_lines)) and _TO_FOLD.search(text) is not None


def _fold(line):
    """`line` (no line break in it) with its whitespace folded and invisible characters dropped."""
    return _WS.sub(" ", _INVISIBLE.sub("", line))


def _lines(text):
    """The non-blank lines of `text`, whitespace folded, invisible characters dropped.

    Neither substitution matches a line break, so folding each line is folding the text; a
    line that is all printable and holds no two spaces in a row holds nothing either one
    changes (see _needs_fold), so only the other lines are folded."""
    raw_lines = text.split("\n")
    if _needs_fold(text, raw_lines):
        raw_lines = [line if line.isprintable() and "  " not in line else _fold(line) for line in raw_lines]
    lines = [line for line in map(str.strip, raw_lines) if line]
    if "\ufffd" in text:  # a line _BROKEN_ONLY matches holds a U+FFFD
        lines = [line for line in lines if "\ufffd" not in line or not _BROKEN_ONLY.match(line)]
    return lines


def _short(line, limit=40):
    return len(line) <= limit


# a first character a recommendation heading can open with (a space included)
_RECOMMEND_FIRST_CHAR = re.compile(f"[{re.escape(''.join(sorted(_RECOMMEND_FIRST)))}]|\\s")


def _first_chars(lines) -> str:
    """The first character of each line, one string: position i holds line i's (a NUL for an
    empty line, a character none of the first-character sets holds), so a regex finds
    the lines opening with a character of a set in one C scan instead of a Python step a line.
    Lines without an empty one among them (the stripped lines clean_body reads) give their
    first characters by a C-level map: the same characters, line[0] being line[:1]."""
    if all(lines):
        return "".join(map(_FIRST, lines))
    return "".join([line[:1] or "\0" for line in lines])


_FIRST = itemgetter(0)


def _has_heading(lines, firsts) -> bool:
    """True when a line is a recommendation heading (`firsts` the lines' _first_chars): the
    heading regex tried only on the lines whose first character it can open with (a few in a
    hundred), found by one scan."""
    return any(_RECOMMEND_HEADING.match(lines[m.start()]) for m in _RECOMMEND_FIRST_CHAR.finditer(firsts))


def _drop_recommendations(lines, removed, firsts=None):
    if not _has_heading(lines, _first_chars(lines) if firsts is None else firsts):
        return list(lines)  # most bodies hold no such heading: nothing to walk through
    total = sum(len(x) for x in lines) or 1
    seen = 0
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if (line[:1] in _RECOMMEND_FIRST or line[:1].isspace()) and _RECOMMEND_HEADING.match(line):
            if seen >= total * 0.4:
                removed.append((" ".join(lines[i:i + 3])[:80], "recommendation list"))
                return out
            removed.append((line, "recommendation heading"))
            i += 1
            while i < len(lines) and _short(lines[i]) and not lines[i].endswith("。"):
                removed.append((lines[i], "recommendation item"))
                i += 1
            continue
        seen += len(line)
        out.append(line)
        i += 1
    return out


def _is_byline(line, index, count):
    if len(line) > _BYLINE_MAX:
        return False
    first = line[:1]
    if not (first in _BYLINE_FIRST or first.isspace()):  # neither pattern can match
        return False
    if _BYLINE_BRACKETED.match(line):
        return True
    if not _BYLINE_LINE.match(line):
        return False
    # a "文:" / "图:" label is a byline only at the edges of the text
    edge = index < 3 or index >= count - 3
    return edge or not re.match(r"^[（(【\[]?\s*(文|图)\s*[:：]", line)


_EDGE = 8  # how many lines at each end of the text count as its edge
_CREDIT_MAX = 60


def _is_credit(line):
    """A short line that only credits people: labels, names, an outlet before 记者 — no prose."""
    if len(line) > _CREDIT_MAX or _SENTENCE.search(line.rstrip("。")):
        return False
    parsed = parse_byline(line)
    if not parsed or not parsed.people:
        return False
    rest = line
    for p in parsed.people:
        rest = rest.replace(p.name, "")
    # what is left is labels and an outlet's name ("澎湃新闻记者", "本文来源：新京报 责任编辑：")
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) <= 20


def is_edge_furniture(line) -> bool:
    """True for navigation furniture that opens or closes a body: a breadcrumb, a keyword bar."""
    return isinstance(line, str) and bool(_EDGE_FURNITURE.search(line.strip()))


def _trim_edges(lines, removed, bylines):
    """Drop navigation furniture and move credit lines off both ends of the text."""
    def edge_pass(seq, top):
        i = 0
        while i < len(seq) and i < _EDGE:
            line = seq[i]
            if _EDGE_FURNITURE.search(line):
                removed.append((line, "edge furniture"))
            elif _is_credit(line) or (top and len(line) <= _CREDIT_MAX and _DATE_LINE.match(line)
                                      and not _SENTENCE.search(line)):
                # a dateline opens a text; a date closing it signs a notice and stays
                bylines.append(line)
            else:
                break
            i += 1
        return seq[i:]
    lines = edge_pass(lines, True)
    return edge_pass(lines[::-1], False)[::-1]


def _collapse_repeats(lines, removed, max_block=2000):
    """Drop later copies of a block of paragraphs that occurred before (one pass, no restarts).

    Only a line that occurred before can open a copy, so only those lines are tried, in order:
    the index of each line's first occurrence is read for all lines in one C pass, and no
    Python step is spent on the others. The first occurrence of a line never lies inside a
    dropped copy (every line of a copy occurred before it), so it is also the one a walk over
    the kept lines alone would find."""
    if len(set(lines)) == len(lines):  # no paragraph occurs twice (most bodies): nothing repeats
        return list(lines)
    first = {}
    firsts = list(map(first.setdefault, lines, count()))  # firsts[j]: where lines[j] first occurs
    out, start = [], 0  # lines[start:] not yet copied to out or dropped
    for j in compress(count(), map(ne, firsts, count())):
        if j < start:  # inside a copy already dropped
            continue
        i = firsts[j]
        k, most = 0, min(max_block, len(lines) - j, j - i)  # the copy ends before the text, starts after the first
        while k < most and lines[i + k] == lines[j + k]:
            k += 1
        # (most lines that recur are short ones on their own: k == 1, no size to add up)
        block = k >= 2 and sum(map(len, lines[j:j + k])) >= MIN_REPEAT_CHARS
        doubled = k == 1 and j == i + 1 and len(lines[j]) >= MIN_REPEAT_CHARS
        if block or doubled:
            removed.append((lines[j][:40], f"repeated block of {k} paragraphs"))
            out += lines[start:j]
            start = j + k
    out += lines[start:]
    return out


# a first character with which a line can be boilerplate (_BOILERPLATE_START) or a byline
_FURNITURE_OR_BYLINE_FIRST = re.compile(f"[{re.escape(''.join(sorted(_START_FIRST | _BYLINE_FIRST)))}]")


def _furniture_and_bylines(lines, firsts, removed, bylines) -> list:
    """The indexes, in order, of the boilerplate lines (added to `removed`) and the byline
    lines (added to `bylines`) among the stripped `lines` (`firsts` their _first_chars).

    A line is boilerplate when _BOILERPLATE_ANYWHERE finds it or _BOILERPLATE_START opens it,
    else a byline when _is_byline says so; both of the latter can only hold for a line opening
    with a character of their first-character sets (the lines are stripped, so none opens with
    a space). Only the lines of the joined scan and those the scan of `firsts` finds are tried:
    every other line stays, as a test of each line would find."""
    anywhere = _boilerplate_lines(lines)
    tried = anywhere.union(m.start() for m in _FURNITURE_OR_BYLINE_FIRST.finditer(firsts))
    count = len(lines)
    dropped = []
    for index in sorted(tried):
        line = lines[index]
        first = line[:1]
        if len(line) <= _BOILERPLATE_MAX and (index in anywhere or first in _START_FIRST
                                              and _BOILERPLATE_START.match(line) is not None):
            removed.append((line, "boilerplate"))
        elif first in _BYLINE_FIRST and _is_byline(line, index, count):
            bylines.append(line)
        else:
            continue
        dropped.append(index)
    return dropped


def _without(lines, dropped) -> list:
    """`lines` but those at the indexes `dropped` (ascending): slices between them, so the cost
    goes with the dropped lines, not with every line."""
    kept, start = [], 0
    for index in dropped:
        kept += lines[start:index]
        start = index + 1
    kept += lines[start:]
    return kept


def clean_body(text):
    """Clean a body given as paragraphs separated by "\\n". Never raises on str input."""
    if not isinstance(text, str) or not text.strip():
        return CleanResult("")
    removed, bylines = [], []
    lines = _lines(text)
    firsts = _first_chars(lines)
    count = len(lines)
    lines = _drop_recommendations(lines, removed, firsts)
    if len(lines) != count:  # a recommendation list went out: other lines, other first characters
        firsts = _first_chars(lines)
    dropped = _furniture_and_bylines(lines, firsts, removed, bylines)
    kept = _without(lines, dropped)
    kept = _trim_edges(kept, removed, bylines)
    kept = _collapse_repeats(kept, removed)
    return CleanResult("\n".join(kept), bylines, removed)
