"""The headline of a parsed page, as displayed above the article.

    extract_title(tree, meta, *, selectors=None, body_node=None, url=None, lead=None, model=None)
        -> (title, signal, node)
    strip_site_suffix(text) -> str

Strongest signal first: the site's selector; the ArticleTitle meta tag
(government sites); a heading (h1-h6, or an element whose class/id says
title) that agrees with <title> or is repeated as the body's first line
(`lead`: the body's first lines); og:title; the heading-like line closest
above the body; <title> without its site-name suffix.

A candidate whose text is a link to another page (a breadcrumb, a column
name) is rarely the headline; a link to the page itself (`url`) often is.
A line labelled 标题：/主题： is one. A <title> that the page never displays
(a site-wide greeting) lets a modest line above the body win.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import islice
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from aggregator.extract.body import SKIP_TAGS, text_content
from aggregator.extract.page import _walk, first_descendant, page_root, walk

# "标题_频道_网站", "标题 - 栏目 - 网站", "标题|网站", "标题-搜狐财经"
_SUFFIX_SPLIT = re.compile(r"\s*[_|｜]\s*|\s+[-—–]+\s+|\s*--\s*|(?<=\S)-(?=[^-\s]{2,12}$)")
# the characters every alternative of _SUFFIX_SPLIT needs one of
_SEPARATOR = re.compile(r"[_|｜\-—–]")
_LABEL_PREFIX = re.compile(r"^(?:主题|标题|题目|文章标题|帖子标题)\s*[:：]\s*")
_TRAILING_JUNK = re.compile(r"(?:\s*[-_|]\s*)+$")
_LABEL_FIRST = "主标题文帖"      # the first characters of _LABEL_PREFIX's labels
_JUNK_LAST = ("-", "_", "|")  # the characters _TRAILING_JUNK needs at the end of a folded text
_TITLE_ATTR = re.compile(r"title|heading|headline|biaoti|\bbt\b|tit\b|artibodytitle", re.I)
_NOT_TITLE_ATTR = re.compile(r"subtitle|sub-title|site|logo|nav|menu|list|column|side|foot|related|hot|rank"
                             r"|\bad\b|ad[-_]|advert|guanggao", re.I)
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_END_PUNCT = ("。", "；", "，", ":", "：")


# the characters fold() drops (private use, zero-width, the byte order mark): (first, last) ranges
_DROPPED = (("\ue000", "\uf8ff"), ("\u200b", "\u200f"), ("\ufeff", "\ufeff"))
_PRIVATE_USE = re.compile("[" + "".join(f"{first}-{last}" for first, last in _DROPPED) + "]")


def fold(text):
    return " ".join(_PRIVATE_USE.sub("", text or "").split())


def _clean(text):
    return _clean_folded(fold(text))


def _clean_folded(text):
    """_clean() of a folded text (no space at either end, none doubled). Each pattern is run only
    where it can match: the label where the text opens with a label's first character, the junk
    where it ends with a dash, an underscore or a bar."""
    if text[:1] in _LABEL_FIRST:
        text = _LABEL_PREFIX.sub("", text)
    if text.endswith(_JUNK_LAST):
        text = _TRAILING_JUNK.sub("", text)
    return text.strip()


def strip_site_suffix(text):
    """'标题_商业频道_新浪网' -> '标题'; a title without a suffix is returned folded."""
    text = fold(text)
    if _SEPARATOR.search(text) is None:  # nothing _SUFFIX_SPLIT can split at: one part, the text
        return text
    parts = [p for p in _SUFFIX_SPLIT.split(text) if p and p.strip()]
    if len(parts) <= 1:
        return text
    first = parts[0].strip()
    # a short first part is a site name in front ("Joel on Software - 标题"): take the longest part
    return first if len(first) >= 6 else max(parts, key=len).strip()


def _text(el):
    """The folded text of `el` and its descendants (what text_content() reads): an element
    without children is its own text; others are serialised as text in C (a third of
    text_content()'s time, which runs an XPath)."""
    if not len(el):
        return fold(el.text) if el.text else ""
    try:
        return fold(etree.tostring(el, method="text", encoding="unicode", with_tail=False))
    except ValueError:
        return ""


class _Texts(dict):
    """{element: _text(element)}: the candidates' texts, each read once per page (the headline
    finder reads an element's text for its headline, its label and its links)."""
    __slots__ = ()

    def __missing__(self, el):
        text = self[el] = _text(el)
        return text


def _meta_title(value):
    """ArticleTitle sometimes carries markup ('标题<div>——副题</div>'): text only."""
    if not value:
        return ""
    if "<" in value:
        try:
            value = lxml_html.fragment_fromstring(value, create_parent="div").text_content()
        except (etree.ParserError, ValueError):
            value = re.sub(r"<[^>]+>", "", value)
    return fold(value)


@lru_cache(maxsize=256)  # one <title> per page, held against every candidate
def _title_parts(doc_title):
    """(<title> without spaces, its parts without spaces) as _agrees compares them."""
    parts = tuple(p.replace(" ", "") for p in _SUFFIX_SPLIT.split(doc_title) if p and p.strip())
    return doc_title.replace(" ", ""), parts


def _agrees(candidate, doc_title):
    """2 when the candidate is one of <title>'s parts ("标题 - 网站"), 1.5 the whole, 1 inside a part, else 0."""
    c = candidate.replace(" ", "")
    if len(c) < 2 or not doc_title:
        return 0
    whole, parts = _title_parts(doc_title)
    if c not in whole:  # each case below finds c inside <title> without spaces: its parts are pieces of it
        return 0
    if c in parts:
        return 2
    # the headline printed with its column in front, as <title> has it ("棱镜|标题_财经_网站"):
    # the title's leading parts, longer than its first
    if len(parts) > 2 and whole.startswith(c) and len(c) > len(parts[0]) and c != whole:
        joined = ""
        for part in parts[:-1]:
            joined = whole[:whole.index(part, len(joined)) + len(part)]
            if joined == c:
                return 2
    if c == whole:  # the headline element printed with the site suffix: the bare one is better
        return 1.5
    return 1 if len(c) >= 4 and any(c in p and len(c) >= 0.4 * len(p) for p in parts) else 0


_HEADING_STRENGTH = {"h1": 6, "h2": 5, "h3": 4, "h4": 3, "h5": 3, "h6": 3}
_BOLD_TAGS = ("b", "strong")
_PLAIN_TAGS = ("td", "div", "p", "font", "span", "center", "th", "caption")
_BARE_STRENGTH = {**dict.fromkeys(_PLAIN_TAGS, 1), **dict.fromkeys(_BOLD_TAGS, 2)}


def _strength(el, tag):
    """How much an element (its tag `tag`, as the caller read it) looks like a headline: h1 6 ...
    a plain short block 1, 0 for no. Read in one call for its attributes (templates repeat them:
    each set is judged once)."""
    if not isinstance(tag, str):
        tag = ""
    heading = _HEADING_STRENGTH.get(tag)
    if heading:
        return heading
    items = el.items()
    return _attr_strength(tag, tuple(items)) if items else _BARE_STRENGTH.get(tag, 0)


@lru_cache(maxsize=4096)
def _attr_strength(tag, items):
    """_strength() of a non-heading element with these attributes ((name, value) pairs; the first
    of a name counts)."""
    attrib = {}
    for name, value in items:
        attrib.setdefault(name, value)
    return _named_strength(tag, *(attrib.get(name) or "" for name in _STRENGTH_ATTRS))


# the attributes a non-heading element's strength reads: _named_strength's arguments after the tag
_STRENGTH_ATTRS = ("class", "id", "size", "style")


@lru_cache(maxsize=4096)
def _named_strength(tag, cls, id_, size, style):
    """_strength() of a non-heading element by the attributes it reads ("" for one it lacks or
    leaves empty). With all four empty it is _BARE_STRENGTH.get(tag, 0) (the compiled scan
    gives that without a call)."""
    if cls or id_:
        attrs = f"{cls} {id_}"
        if _TITLE_ATTR.search(attrs) and not _NOT_TITLE_ATTR.search(attrs):
            return 4
    if tag in _BOLD_TAGS:
        return 2
    if (size or style) and _BIG_FONT.search(f"{size} {style}".lower()):
        return 2
    if tag in _PLAIN_TAGS:
        return 1
    return 0


_BIG_FONT = re.compile(r"font-size:\s*(1[6-9]|[2-9]\d)px|font-size:\s*(1[4-9]|[2-9]\d)pt|^\s*[4-7]\b|x*-?large")
# a byline or date line, not a headline: a labelled field ("作者：", "发布时间:"), a clock time, a
# bracketed reporter, or a date with little else. Headlines do say 发布, 时间 and 2022年6月
# ("教育部发布2022年高考时间安排"), so the bare words are not enough. _BYLINE_HINT's three
# alternatives are also compiled alone, for _byline_hint to try one at a time.
_HINT_LABEL = (r"(?:作者|记者|编辑|责编|来源|出处|发布|发表|时间|日期|点击|浏览|阅读|字号)\s*(?:人|者|于|时间|日期|次数|数)?"
               r"\s*[:：]")
_HINT_CLOCK = r"\d{1,2}:\d{2}"
_HINT_REPORTER = r"[（(]\s*(?:本报)?(?:记者|通讯员)"
_BYLINE_HINT = re.compile(f"{_HINT_LABEL}|{_HINT_CLOCK}|^{_HINT_REPORTER}")
_BYLINE_LABEL, _CLOCK, _REPORTER = re.compile(_HINT_LABEL), re.compile(_HINT_CLOCK), re.compile(_HINT_REPORTER)
_DATE = re.compile(r"\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*(?:\d{1,2}\s*日?)?")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _bylinish(text):
    if _byline_hint(text):
        return True
    # _DATE takes one of its separators after the year
    if not (("-" in text or "年" in text or "/" in text or "." in text) and _DATE.search(text)):
        return False
    return len(_CJK.findall(_DATE.sub("", text))) < 6


def _byline_hint(text):
    """_BYLINE_HINT.search(text) is not None: its alternatives tried one at a time, each only where
    the text holds what it takes (a colon for the label, an ASCII one for the clock, a bracket
    at the start for the reporter)."""
    if ":" in text or "：" in text:
        if _BYLINE_LABEL.search(text) is not None or (":" in text and _CLOCK.search(text) is not None):
            return True
    return text[:1] in "（(" and _REPORTER.match(text) is not None


_LEADING_TAG = re.compile(r"^\[[^\]]{1,6}\]\s*(?=\S)")
_LEADING_SYMBOLS = re.compile(r"^[*·●■◆★☆►▶>»\s]+")
_SYMBOL_FIRST = "*·●■◆★☆►▶>»"


_DATE_ONLY = re.compile(r"[\d\s\-:/.]+")


def _plausible(text):
    return (2 <= len(text) <= 100 and not text.endswith(_END_PUNCT)
            and not _bylinish(text) and not (_date_only_first(text[0]) and _DATE_ONLY.fullmatch(text)))


def _date_only_first(ch):
    """True when _DATE_ONLY can match from the character `ch` (re's \\d is str.isdecimal, \\s str.isspace)."""
    return ch in "-:/." or ch.isdecimal() or ch.isspace()


def _without_badge(el, text, doc_title, texts=None):
    """(text, agreement) of a headline that opens with a label in its own element ("<span>原创</span>
    标题", "<em>独家</em>…", as portals mark a story): without the label when only that agrees
    with <title>. `texts`: a _Texts of the page, if any."""
    first = _badge_child(el)
    if first is None:
        return text, 0
    label = _key(texts[first] if texts is not None else _text(first))
    rest = text.replace(" ", "")
    if not (1 <= len(label) <= 4 and rest.startswith(label)):
        return text, 0
    i = taken = 0
    while taken < len(label):  # past the label's characters, spaces between them aside
        taken += text[i] != " "
        i += 1
    stripped = fold(text[i:])
    agree = _agrees(stripped, doc_title)
    return (stripped, agree) if agree else (text, 0)


def _badge_child(el):
    """The child that may hold a label the headline opens with (_without_badge): el's first
    child when it is an element, no text of el's own stands before it and text follows it;
    else None."""
    first = el[0] if len(el) and not (el.text or "").strip() else None
    if first is None or not isinstance(first.tag, str) or not (first.tail or "").strip():
        return None
    return first


# what _simple() refuses: first characters _headline_text takes off (labels, symbols, a tag) or
# that _REPORTER opens with, characters the byline and date patterns take (colons, date separators)
_SIMPLE_NOT_FIRST = _LABEL_FIRST + _SYMBOL_FIRST + "[" + "（("
_SIMPLE_NOT_LAST = "".join(_JUNK_LAST)
_SIMPLE_NOT_IN = ":：-年/."


def _simple(text):
    """True when a folded `text` is its own _headline_text and _plausible(text) reads only its
    length and its end: nothing to clean at either end, no colon or date separator (which
    _bylinish's patterns take) and no decimal digit or space first (which _DATE_ONLY takes)."""
    first = text[:1]
    return (first != "" and first not in _SIMPLE_NOT_FIRST and not first.isdecimal() and not first.isspace()
            and text[-1] not in _SIMPLE_NOT_LAST and not any(ch in text for ch in _SIMPLE_NOT_IN))


def _headline_text(el, texts=None):
    text = _clean_folded(texts[el] if texts is not None else _text(el))
    if text[:1] in _SYMBOL_FIRST:  # the cleaned text opens with no space: only a symbol can go
        text = _LEADING_SYMBOLS.sub("", text)
    if text.startswith("["):
        text = _LEADING_TAG.sub("", text)
    return text.strip()


# an element with more descendants than this is a layout block, never the headline itself
_MAX_DESCENDANTS = 6
# a candidate further above the body than this many characters of text is not its headline
_MAX_DISTANCE = 600
# inside the body container, only its first lines may be the headline
_TOP_OF_BODY = 60


def _key(text):
    return (text or "").replace(" ", "")


@lru_cache(maxsize=4096)  # a template repeats its links (menus, lists): each is resolved once
def _same_page(href, url):
    """True when a link's target is the page itself (scheme, fragment and a trailing slash aside)."""
    try:
        a, b = urlsplit(urljoin(url, href.strip())), urlsplit(url)
    except ValueError:
        return False
    return (a.netloc.lower(), a.path.rstrip("/"), a.query) == (b.netloc.lower(), b.path.rstrip("/"), b.query)


_LINE_BLOCKS = frozenset("p div td th li dd dt h1 h2 h3 h4 h5 h6 center caption table tr ul ol dl".split())


def _link_penalty(el, url, texts=None):
    """How much links to other pages say "not the headline": 0 none (or only links to the page
    itself, as old CMSs link the headline), 1 some link text (a headline linked to its
    permalink), 3 for a line that is one link among others in its block (a breadcrumb,
    a column name in a path or a menu). `texts`: a _Texts of the page, if any."""
    def elsewhere(a):
        return not (url and _same_page(a.get("href") or "", url))

    text_of = texts.__getitem__ if texts is not None else _text
    # the ancestors' tags are matched in C (iterancestors with tag names: nearest first)
    outer = next(el.iterancestors("a"), el if el.tag == "a" else None)
    if outer is not None:
        if not elsewhere(outer):
            return 0
        linked = True
    else:
        total = len(_key(text_of(el)))
        away = sum(len(_key(text_of(a))) for a in el.iter("a") if elsewhere(a))
        if not away:
            return 0
        linked = away >= 0.8 * total
    if not linked:
        return 1
    block = el if el.tag in _LINE_BLOCKS else next(el.iterancestors(*_LINE_BLOCKS), None)
    if block is None:
        return 1
    others = (a for a in block.iter("a") if elsewhere(a) and text_of(a))
    return 3 if sum(1 for _ in islice(others, 2)) > 1 else 1


# a line labelled 标题：/主题： says what it is
_LABEL_BONUS = 3
# a line above the body that the body repeats as its first line is its headline
_ECHO_BONUS = 10


# a numbered sub-heading of a document: "一、", "（二）", "3.", "2.1.", "2.1.3 ", "第四章"
_SECTION_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,2}\s*[、.．](?!\d)"
                             r"|\d{1,2}(?:[.．]\d{1,2}){1,3}(?:[.．]|\s)(?!\d)"
                             r"|第[一二三四五六七八九十\d]+[章节条部分])")


# how a site's own name ends: a bureau, a department, a government, a portal
_SITE_NAME = re.compile(r"(?:局|厅|委|委员会|政府|网|网站|门户|门户网站|在线|大学|学院)$")


def _furniture_names(meta, doc_title=""):
    """The site's and the column's names, which templates print as headings around the headline:
    the government meta tags SiteName/ColumnName and og:site_name, and a <title> that is only a
    site's name ("某某县教育局": bureau templates that give every page the same <title>).
    (<title>'s parts are no guide: the site's name stands after the headline on most sites,
    before it on others.)"""
    names = {_key(fold(meta.get(k) or "")) for k in ("sitename", "columnname", "og:site_name", "application-name")}
    bare = _key(doc_title)
    if bare and len(bare) <= 12 and _SITE_NAME.search(bare) and len(_SUFFIX_SPLIT.split(doc_title)) == 1:
        names.add(bare)
    names.discard("")
    return names


def _descendants(model, pos, el):
    """How many descendant elements the element at `pos` has (up to one more than _MAX_DESCENDANTS):
    from the page model when it walked them all."""
    after = model.after_at[pos]
    if after is not None and not model.skipped:
        return after - pos - 1
    return sum(1 for _ in islice(el.iterdescendants(etree.Element), _MAX_DESCENDANTS + 1))


_NOT_CANDIDATES = frozenset(("title", "head", "script", "style", "a", "html", "body", "br", "img"))


def _scanned(model, window, texts):
    """[(position, element, strength, badge, simple)] of the elements in `window` (positions in
    the page model) that may be the headline, in document order: not a layout block (too many
    descendants), not a tag that never is one, of some strength, with a text of 2 characters at
    least (read into `texts`); badge: _badge_child(element) is not None; simple: _simple(its
    text). Scanned in C over the compiled model's arrays (aggregator/extract/_walk.pyx), else by
    _scanned_python."""
    found = None
    if _walk is not None and len(window):
        found = _walk.headline_candidates(model.elements, window.start, window.stop, _MAX_DESCENDANTS,
                                          not model.skipped, _NOT_CANDIDATES, _HEADING_STRENGTH,
                                          _BARE_STRENGTH, _named_strength, _strength, _DROPPED,
                                          _SIMPLE_NOT_FIRST, _SIMPLE_NOT_LAST, _SIMPLE_NOT_IN, texts)
    if found is None:
        return _scanned_python(model, window, texts)
    out, pending = found
    return _completed(out, texts) if pending else out


def _completed(found, texts):
    """The compiled scan's candidates with what it left to Python read here: the text (and so
    whether the element is kept, and simple) where it is None, the badge where it is None."""
    out = []
    for pos, el, strength, badge, simple in found:
        if simple is None:
            text = texts[el]
            if len(text) < 2:
                continue
            simple = _simple(text)
        out.append((pos, el, strength, badge if badge is not None else _badge_child(el) is not None, simple))
    return out


def _scanned_python(model, window, texts):
    """_scanned() read from the page model's lists and the elements' proxies."""
    out = []
    elements = model.elements
    after_at, counted = model.after_at, not model.skipped
    for pos in window:
        # a layout block (too many descendants) is told by its position alone when the model
        # walked all of them
        after = after_at[pos]
        if counted and after is not None and after - pos - 1 > _MAX_DESCENDANTS:
            continue
        el = elements[pos]
        tag = el.tag
        if tag in _NOT_CANDIDATES:
            continue
        if not (counted and after is not None) and _descendants(model, pos, el) > _MAX_DESCENDANTS:
            continue
        strength = _strength(el, tag)
        if strength and len(texts[el]) >= 2:  # a shorter text leaves no headline (_plausible)
            out.append((pos, el, strength, _badge_child(el) is not None, _simple(texts[el])))
    return out


def _candidates(model, body_node, doc_title, url=None, lead=(), meta=None, texts=None):
    """[(highest score, -position, element, text, what the score is made of when the link penalty
    applies, else None)] of headline candidates around the body start, read from the page
    model's element order and text offsets (aggregator.extract.page); for _best."""
    echoes = {_key(fold(x)) for x in (lead or ())[:2] if isinstance(x, str) and 4 <= len(_key(fold(x))) <= 100}
    furniture = _furniture_names(meta or {}, doc_title)
    whole_title = (doc_title or "").replace(" ", "")  # what _agrees finds the candidates in
    out = []
    texts = _Texts() if texts is None else texts
    elements, offset_at = model.elements, model.offset_at
    body_at = model.order.get(body_node) if body_node is not None else None
    if body_at is None:
        body_start = body_end = None
        first = past = -1
        window = range(len(elements))
    else:
        body_start, body_end = offset_at[body_at], model.close_at[body_at]
        first, past = body_at, model.after_at[body_at]
        past = -1 if past is None else past
        # offsets grow in document order: the elements from 3 * _MAX_DISTANCE characters above
        # the body's start to _TOP_OF_BODY past it
        window = range(bisect_left(offset_at, body_start - 3 * _MAX_DISTANCE, hi=len(elements)),
                       bisect_right(offset_at, body_start + _TOP_OF_BODY, hi=len(elements)))
    for pos, el, strength, badge, simple in _scanned(model, window, texts):
        if simple:  # its own headline text, plausible by its length and end alone (_simple)
            text = texts[el]
            if not (2 <= len(text) <= 100 and not text.endswith(_END_PUNCT)):
                continue
        else:
            text = _headline_text(el, texts)
            if not _plausible(text):
                continue
        key = text.replace(" ", "")
        # _agrees answers 0 for a text that is not inside <title> (spaces aside) without a call
        agree = _agrees(text, doc_title) if key in whole_title else 0
        if not agree and badge:  # without a badge child _without_badge answers (text, 0)
            text, agree = _without_badge(el, text, doc_title, texts)
            key = text.replace(" ", "")
        if key in furniture:
            continue
        at = offset_at[pos]
        inside = first <= pos < past
        if body_start is None:
            distance = 0
        elif inside:
            distance = at - body_start
            # a heading inside the body that <title> does not name is a sub-heading of the text
            # ("一、加强组织领导"), on bureau pages whose <title> is the site's name as on others
            if not agree and (distance > _TOP_OF_BODY or _SECTION_NUMBER.match(text)):
                continue
        else:
            distance = body_start - at - len(text)
            if distance < 0 or (distance > _MAX_DISTANCE and not agree):
                if body_end is not None and at > body_end and not agree:
                    continue
                if not agree:
                    continue
        base = strength + 5 * agree - max(distance, 0) / 100
        echo = not inside and key in echoes
        label = texts[el][:1] in _LABEL_FIRST and _LABEL_PREFIX.match(texts[el]) is not None
        # the score it has when its links cost nothing: the most it can have
        out.append((_score(base, 0, echo, label), -pos, el, text, (base, echo, label) if not agree else None))
    return out


def _score(base, penalty, echo, label):
    """A candidate's score: its base less its link penalty, plus its bonuses (in this order)."""
    score = base - penalty
    if echo:
        score += _ECHO_BONUS
    if label:
        score += _LABEL_BONUS
    return score


def _best(candidates, url, texts=None):
    """(score, position, element, text) of the best candidate: the highest score, the earliest
    on a tie. A candidate that does not agree with <title> loses its _link_penalty; each one's
    score without it is the most it can have, so the penalty (the links around it, read from the
    tree) is read only for candidates that can still win, best first."""
    best = None
    # by (score, -position), highest first: each candidate's position is its own, so the tuples
    # differ there at the latest and compare as those two items do
    for high, neg, el, text, parts in sorted(candidates, reverse=True):
        if best is not None and (high, neg) < best[:2]:
            break
        score = high if parts is None else _score(parts[0], _link_penalty(el, url, texts), parts[1], parts[2])
        if best is None or (score, neg) > best[:2]:
            best = (score, neg, el, text)
    return best


def _displayed(tree, text, model=None):
    """True when the page's visible text contains `text` (spaces aside). `model`: the page model
    of `tree`, whose lines hold that text when its walk read the whole <body> and skipped no
    more than a misplaced <title>."""
    body = tree.find(".//body")
    if body is None or not text:
        return False
    # a <title> misplaced into <body> (a wrapper line before <html>) is not displayed
    skipped = {el.tag for el in body.iter(*SKIP_TAGS)}
    if (model is not None and model.elements and model.elements[0] is body and model.end_at[0] is not None
            and skipped <= {"title"} and not model.skipped):
        shown = "".join("".join(ln.runs) for ln in model.lines)
    elif not skipped:
        shown = etree.tostring(body, method="text", encoding="unicode", with_tail=False)
    else:
        shown = "".join(body.xpath(".//text()[not(ancestor::title)]"))
    return _key(text) in "".join(shown.split())


def _uncut(value, tree, doc_title, headings=None):
    """A meta value (ArticleTitle, og:title) that an unescaped ASCII quote in the headline ended
    early (`content="开展"防溺水"教育"` parses as "开展"): the displayed headline or <title> that
    continues it at a quote. `headings`: the tree's headings to read (default: _quoted_headings)."""
    key = _key(value)
    headings = _quoted_headings(tree) if headings is None else headings
    for text in [strip_site_suffix(doc_title), *(_headline_text(h) for h in headings)]:
        whole = _key(text)
        if whole.startswith(key + '"') and len(whole) <= 100:
            return fold(text)
    return value


def _quoted_headings(tree):
    """The headings of tree.iter(*_HEADING_TAGS) that _uncut reads: those whose text holds an
    ASCII quote (a headline without one cannot continue a value at a quote), told in C from
    the nodes (aggregator/extract/_walk.pyx); every heading where the tree is read in Python."""
    found = _walk.elements_holding(tree, _HEADING_TAGS, '"') if _walk is not None else None
    return tree.iter(*_HEADING_TAGS) if found is None else found


def _first_title(tree):
    """tree.find(".//title"), read child by child of the root (page.first_descendant)."""
    return first_descendant(tree.getroot() if isinstance(tree, etree._ElementTree) else tree, "title")


def extract_title(tree, meta, *, selectors=None, body_node=None, url=None, lead=None, model=None):
    """(title, signal, node) or (None, None, None). Never raises on odd trees. `model`: the page
    model of `tree` (aggregator.extract.page.walk), walked here when not given."""
    meta = meta or {}
    selector = (selectors or {}).get("title") if isinstance(selectors, dict) else None
    if selector:
        try:
            found = tree.xpath(selector) if selector.startswith("/") else tree.cssselect(selector)
        except Exception:  # noqa: BLE001 - a broken site selector falls through
            found = []
        for el in found:
            text = _clean(el if isinstance(el, str) else _text(el))
            if text:
                return text, "selector", el if not isinstance(el, str) else None
    title_el = _first_title(tree)
    doc_title = fold(text_content(title_el)) if title_el is not None else ""
    article_title = _meta_title(meta.get("articletitle"))
    if article_title:
        return _uncut(article_title, tree, doc_title), "meta:ArticleTitle", None
    og = fold(meta.get("og:title") or meta.get("twitter:title") or "")
    if og:
        og = _uncut(og, tree, doc_title)
    declared = og or doc_title
    if model is None:
        model = walk(page_root(tree))
    texts = _Texts()
    best = _best(_candidates(model, body_node, declared, url=url, lead=lead, meta=meta, texts=texts), url, texts)
    if best is not None and (best[0] >= 6 or (not declared and best[0] >= 1)):
        score, _, el, text = best
        return text, ("heading" if score >= 6 else "heading:near-body"), el
    if og:
        return strip_site_suffix(og), "meta:og:title", None
    # no heading agrees with <title>: a styled line right above the body beats a <title> that
    # is then most likely the site's name
    bare = strip_site_suffix(doc_title)
    site_like = len(_key(bare)) <= 8 or not _displayed(tree, bare, model)
    if best is not None and (best[0] >= 1.5 or (site_like and best[0] >= 0.5)):
        return best[3], "heading:near-body", best[2]
    if doc_title:
        return strip_site_suffix(doc_title), "title", title_el
    return None, None, None
