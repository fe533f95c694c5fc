"""The article body of a parsed page, strongest signal first.

    prepare_tree(tree) -> tree             drop scripts, styles, comments, forms' widgets (in place)
    find_body(tree, *, selectors=None, cms=None, stats=None) -> BodyMatch | None
    body_lines(nodes, stats=None) -> list[str]
    text_content(el) -> str                el.text_content(), serialised in C
    lead_nodes(title_node, body_node, stats, model=None) -> list    prose blocks between headline and body
    find_continuations(page, url) -> list[str]

Signals, in order:
1. the site's own selector (`selectors["body"]`, CSS or XPath starting with "/");
2. the container its CMS family is known to use (CMS_CONTAINERS);
3. a density heuristic: every text block scores by its Chinese punctuation
   (，。、；！？) and length, discounted by its share of link text, and hands
   the score to its container (and half to the container's container). The
   container with the highest score, discounted by its own link density, is
   the body; sibling blocks that score nearly as well join it (a lead
   paragraph kept apart from the rest). On a page that shows several
   posts of one template (a blog archive, a forum thread: the best block
   or a near ancestor repeats with the same tag/class path and prose in
   each copy), the first post is the article ("density:first-post").

extract_article reads lead_nodes() before the body: a lead or summary the
page sets between the headline and the body container.

The block counts come from the page model's one walk (aggregator.extract.page), or from
compute_stats() when called on its own; the text is read in one more walk over the chosen
subtree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree

# elements that start a new line of text (paragraph-like or containers)
BLOCK_TAGS = frozenset(
    "p div td th li dd dt article section main blockquote pre h1 h2 h3 h4 h5 h6 table tr tbody thead tfoot "
    "ul ol dl form center body header footer nav aside figure figcaption address hr caption".split()
)
# blocks that can be "the body container"
CONTAINER_TAGS = frozenset("div td article section main blockquote body center form table font span dd".split())
# dropped before anything is read (their text is never article text)
DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "select", "option", "textarea",
             "button", "input", "object", "embed", "map", "canvas")
# never visible text: the page model's walk (aggregator.extract.page) reads none of their text
SKIP_TAGS = frozenset("script style noscript select option textarea template svg button title head".split())
# the containers CMS families are known to use (the list; public crawlers of these sites agree)
CMS_CONTAINERS = {
    "hanweb": ["#zoom", ".bt_content", "#content .article", ".zoom"],
    "trs": [".TRS_Editor", "#zoom", ".article-content", ".TRS_UEDITOR", ".trs_editor_view"],
    # jpaas is the Hanweb cluster's newer platform: its article templates keep the #zoom body
    "jpaas": ["#zoom", ".bt_content", ".zoom"],
    "gkmlpt": [".article-content"],
}
_PUNCT = re.compile(r"[，。、；：！？“”,;]")
# class/id words: chrome around an article, or the article itself (Readability's lists, plus pinyin/Chinese-site habits)
_NEGATIVE = re.compile(
    r"comment|footer|foot|nav|menu|sidebar|side|share|related|recommend|tuijian|xgyd|xgxw|breadcrumb|crumb"
    r"|banner|advert|\bad\b|ad[-_]|toolbar|tool|print|copyright|banquan|login|search|rank|hot|paging|pager",
    re.I)
_POSITIVE = re.compile(r"article|content|text|zoom|trs_editor|main|post|entry|detail|neirong|zhengwen|con\b", re.I)
_DROP_IN_BODY = re.compile(
    r"share|comment|related|recommend|tuijian|xgyd|xgxw|toolbar|print|breadcrumb|crumb|nav|advert|\bad\b|ad[-_]",
    re.I)


@dataclass(slots=True)
class Stats:
    text: int = 0       # non-whitespace characters outside links
    link: int = 0       # non-whitespace characters inside links
    punct: int = 0      # Chinese (and ASCII) sentence punctuation outside links
    score: float = 0.0  # content score handed up from the text blocks
    parent: object = None  # the nearest block ancestor
    line: int = 0       # the page model's first line inside the block (aggregator.extract.page)

    def add(self, text, in_link: bool) -> None:
        """Count a run of text, inside a link or not."""
        n, c = count_text(text)
        if in_link:
            self.link += n
        else:
            self.text += n
            self.punct += c


@dataclass
class BodyMatch:
    nodes: list                 # the element(s) the body was read from, in document order
    signal: str                 # "selector", "cms:trs", "density"
    stats: dict = field(default_factory=dict)  # element -> Stats (subtree totals), for body_lines


def prepare_tree(tree):
    """Drop elements that never carry article text, and comments, in place. Returns the tree."""
    etree.strip_elements(tree, *DROP_TAGS, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return tree


def _tag(el):
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else None


_SPACE_CHARS = " \n\t\r\u3000\xa0"
_SPACE = re.compile(f"[{_SPACE_CHARS}]")
_PUNCT_CHARS = "，。、；：！？“”,;"
# one regex findall is a C scan with a call's overhead and a list of the matches; str.count is a
# C scan per character counted (str.translate, a dict lookup per character, is slower than both).
# Measured crossovers: from about 64 characters six counts beat one findall of the spaces, from
# about 256 eleven counts beat one findall of the punctuation
_COUNT_SPACES_FROM = 64
_COUNT_PUNCT_FROM = 256


def count_nonspace(text) -> int:
    """Characters of `text` that are not spaces, line breaks, tabs, ideographic or no-break spaces."""
    if len(text) < _COUNT_SPACES_FROM:
        return len(text) - len(_SPACE.findall(text))
    return len(text) - sum(map(text.count, _SPACE_CHARS))


def count_punct(text) -> int:
    """Chinese (and ASCII) sentence punctuation in `text` (the characters of _PUNCT)."""
    if len(text) < _COUNT_PUNCT_FROM:
        return len(_PUNCT.findall(text))
    return sum(map(text.count, _PUNCT_CHARS))


def count_text(text):
    """(non-whitespace chars, punctuation) of a text."""
    if not text:
        return 0, 0
    n = count_nonspace(text)
    return n, count_punct(text) if n else 0


def compute_stats(root):
    """One walk: per block element, its own text/link/punct counts and its nearest block ancestor.

    Returns {block element: Stats} with the counts of the text directly in the block
    (inline descendants included, nested blocks excluded).
    """
    stats = {root: Stats()}
    stack = [(root, root, False)]
    while stack:
        el, block, in_link = stack.pop()
        tag = _tag(el)
        if tag is None:
            continue
        own_block = block
        if el is not root and tag in BLOCK_TAGS:
            stats[el] = Stats(parent=block)
            own_block = el
        link = in_link or tag == "a"
        stats[own_block].add(el.text, link)
        if el is not root and el.tail:
            stats[block].add(el.tail, in_link)  # the tail belongs to the enclosing block
        for child in reversed(el):
            stack.append((child, own_block, link))
    return stats


def text_content(el) -> str:
    """el.text_content(): the text of the element and its descendants, its tail aside. Serialised
    as text in C (lxml.html's text_content() runs an XPath, twice the time); the same string."""
    try:
        return etree.tostring(el, method="text", encoding="unicode", with_tail=False)
    except ValueError:
        return el.text_content()


def _class_weight(el):
    """How much its class and id say article (1.5), chrome (0.3), both (0.45) or neither (1.0)."""
    cls, id_ = el.get("class"), el.get("id")
    if not cls and not id_:
        return 1.0
    return _attrs_weight(f"{cls or ''} {id_ or ''}")


# the highest weight _class_weight gives: a container's score times it bounds its value
_MAX_WEIGHT = 1.5


@lru_cache(maxsize=4096)  # templates repeat their classes: each class/id pair is read once
def _attrs_weight(attrs):
    if not attrs.strip():
        return 1.0
    weight = 1.0
    if _POSITIVE.search(attrs):
        weight *= 1.5
    if _NEGATIVE.search(attrs):
        weight *= 0.3
    return weight


def score_blocks(stats):
    """Hand each text block's score to its containers; then fold counts into subtree totals.

    After this, stats[el].text/.link/.punct are subtree totals and .score the content score.
    The page model's compiled stats (aggregator.extract.page) score themselves: the same loops
    over its arrays.
    """
    if not isinstance(stats, dict):
        return stats.score_blocks()
    # the scores read the blocks' own counts: the subtree totals are folded in after them. Each
    # text block's score goes to itself and its container whole, half to the next container
    # up, a quarter to the one above that (shares that are powers of two: exact in floats)
    for s in stats.values():
        n, c = s.text, s.punct
        if n < 10 and not c:
            continue
        score = (1 + c + min(n / 40, 5)) * (n / (n + s.link))
        s.score += score
        if s.parent is None:
            continue
        up = stats[s.parent]
        up.score += score
        if up.parent is None:
            continue
        up = stats[up.parent]
        up.score += score * 0.5
        if up.parent is None:
            continue
        stats[up.parent].score += score * 0.25
    # subtree totals: children come after their parents in document order
    for s in reversed(list(stats.values())):
        if s.parent is not None:
            p = stats[s.parent]
            p.text += s.text
            p.link += s.link
            p.punct += s.punct
    return stats


def _select(tree, selector):
    try:
        if selector.startswith("/") or selector.startswith("("):
            found = tree.xpath(selector)
        else:
            found = tree.cssselect(selector)
    except Exception:  # noqa: BLE001 - a broken site selector falls through to the next signal
        return []
    return [el for el in found if isinstance(el, etree._Element)]


def _usable(nodes, min_chars=20):
    total = 0
    for el in nodes:
        total += len("".join(el.text_content().split()))
        if total >= min_chars:
            return True
    return False


def find_body(tree, *, selectors=None, cms=None, stats=None):
    """The body container(s) of a prepared tree (see prepare_tree), or None if there is no text.

    `stats`: the page model's unscored block counts (aggregator.extract.page.walk), read
    instead of walking the tree again (they are scored here, in place)."""
    if stats is None:
        body = tree.find(".//body")
        stats = compute_stats(body if body is not None else tree)
    stats = score_blocks(stats)
    selector = (selectors or {}).get("body") if isinstance(selectors, dict) else None
    if selector:
        nodes = _select(tree, selector)
        if nodes and _usable(nodes):
            return BodyMatch(nodes[:1] if len(nodes) > 1 and _nested(nodes) else nodes, "selector", stats)
    for css in CMS_CONTAINERS.get(cms or "", ()):
        nodes = _select(tree, css)
        if nodes and _usable(nodes[:1]):
            return BodyMatch(nodes[:1], f"cms:{cms}", stats)
    best, best_score = _best_container(stats)
    if best is None:
        return None
    first = _first_of_repeated(best, stats)
    if first is not None:
        return BodyMatch([first], "density:first-post", stats)
    return BodyMatch(_with_siblings(best, stats, best_score), "density", stats)


def _best_container(stats):
    """(element, value) of the container with the highest score times its text density and
    class weight; (None, 0.0) when no block scores."""
    if not isinstance(stats, dict):  # the page model's compiled stats: the same loop over its arrays
        return stats.best_container(_class_weight, _MAX_WEIGHT)
    best, best_score = None, 0.0
    for el, s in stats.items():
        if s.score <= 0:
            continue
        density = s.text / (s.text + s.link) if s.text + s.link else 0
        unweighted = s.score * density
        # no weight can lift it past the best so far: its tag and class are not read
        if unweighted * _MAX_WEIGHT <= best_score or _tag(el) not in CONTAINER_TAGS:
            continue
        value = unweighted * _class_weight(el)
        if value > best_score:
            best, best_score = el, value
    return best, best_score


# how far above the best container a repeated post block is looked for
_POST_LEVELS = 6


def _signature(el):
    """The (tag, class) path from the root: blocks made by the same template share it."""
    sig = []
    while el is not None:
        sig.append((el.tag, el.get("class") or ""))
        el = el.getparent()
    return tuple(sig)


def _substantial(s, min_text=50):
    """A block that reads as prose: some sentences, few links."""
    return s.text >= min_text and s.punct >= 2 and s.text >= 0.7 * (s.text + s.link)


def _first_of_repeated(best, stats):
    """On a page showing several posts of one template (a blog archive, a forum thread), the first one.

    The best container, or one of its near ancestors, carries a class and repeats elsewhere
    on the page with the same (tag, class) path, each copy holding prose of its own and not
    sharing one parent (sibling blocks of one article are its paragraphs, joined by
    _with_siblings). Then the page is a list of posts and its first post is the main one.
    Returns that post's block, or None when the best container is already in the first post
    or the page is not a list of posts.
    """
    level, el = 0, best
    by_kind = None  # (tag, class) -> the blocks of that kind in document order, found once
    while el is not None and level < _POST_LEVELS and el.tag != "body":
        cls = el.get("class")
        if cls and el in stats:
            # only blocks that read as prose can be posts: the page model's compiled stats pick
            # those of this kind in C; else all of them are sorted by kind once
            kind = None if isinstance(stats, dict) else stats.prose_blocks_of(20, 2, 0.7, el.tag, cls)
            if kind is None:
                if by_kind is None:
                    by_kind = {}
                    for x in _prose_blocks(stats):
                        by_kind.setdefault((x.tag, x.get("class")), []).append(x)
                kind = by_kind.get((el.tag, cls), ())
            posts = _posts_of(el, kind)
            if posts is not None:
                return None if posts[0] is el else posts[0]
        el = el.getparent()
        level += 1
    return None


def _posts_of(el, kind):
    """The posts of a list of posts that `el` is one of: the blocks of `kind` (its tag and class,
    in document order) that share its signature, none inside another, two or more and not all
    under one parent; None when they make no such list."""
    # the posts are some of these blocks: fewer than two, or none of them `el`, make no list,
    # whatever their signatures (each one a walk to the root)
    if len(kind) < 2 or el not in kind:
        return None
    sig = _signature(el)
    members = [x for x in kind if _signature(x) == sig]
    # sets of the elements themselves (alive while held, so one element is one member)
    kept = set(members)
    members = [x for x in members if not any(a in kept for a in x.iterancestors())]
    if len(members) >= 2 and el in members and len({x.getparent() for x in members}) > 1:
        return members
    return None


def _prose_blocks(stats):
    """The blocks that read as prose (_substantial(s, 20)), in document order."""
    if not isinstance(stats, dict):  # the page model's compiled stats: the same test over its arrays
        return stats.prose_blocks(20, 2, 0.7)
    out = []
    for x, s in stats.items():
        text = s.text  # _substantial(s, 20), inline: it runs for every block
        if text >= 20 and s.punct >= 2 and text >= 0.7 * (text + s.link):
            out.append(x)
    return out


# how many elements between the headline and the body are read for a lead paragraph
_LEAD_WALK = 400
# the blocks around a headline that are not its lead: the byline/meta box, an author's profile
_NOT_LEAD = re.compile(r"meta|info|author|profile|byline|source|time|date|title|cover|\bad\b|ad[-_]|advert", re.I)


def _following(el, stop):
    """Elements after `el` (its own subtree excluded) in document order, then None at `stop`.

    Ends without None when `stop` is not after `el`.
    """
    node = el
    while node is not None:
        for sib in node.itersiblings():
            for x in sib.iter():
                if x is stop:
                    yield None
                    return
                yield x
        node = node.getparent()


def _between(model, title_node, body_node):
    """_following(title_node, body_node) as a list from the page model's element order, up to
    its None: the elements after the headline's subtree and before the body, then None; [] when
    the body does not come after the headline's subtree (_following never meets it, and
    lead_nodes finds no lead whatever it walks). None when the model does not hold every element
    it needs (see _before_body in aggregator.extract)."""
    between = _between_positions(model, title_node, body_node)
    if between is None:
        return None
    first, past = between
    return [*model.elements[first:past], None] if past >= first else []


def _between_positions(model, title_node, body_node):
    """(first, past): the positions in the page model of the elements after the headline's
    subtree and before the body (past < first when the body is the headline, inside it or
    above it); None when the model does not hold every element it needs (see _between)."""
    if model is None or model.skipped:
        return None
    title_at, body_at = model.order.get(title_node), model.order.get(body_node)
    if title_at is None or body_at is None:
        return None
    past_title = model.after_at[title_at]
    if past_title is None:
        return None
    return past_title, body_at


def lead_nodes(title_node, body_node, stats, model=None):
    """Prose blocks between the headline and the body container: a lead, summary or standfirst
    that the page sets apart from the body (a 摘要 box, a wiki's opening paragraph above its tabs).

    Only blocks that read as prose (sentences, few links), not chrome by class/id, and not
    holding the body; [] when the headline is not above the body or is far from it. Their
    text is read before the body's. `model`: the page model of the tree, whose element order
    gives the elements between them without walking the tree.
    """
    if title_node is None or body_node is None or body_node not in stats:
        return []
    holds_body = set(body_node.iterancestors())  # the elements themselves: alive while held
    found = _prose_between(model, stats, title_node, body_node)
    if found is not None:
        return _leads(found, holds_body, stats, body_node)
    taken = []
    between = _between(model, title_node, body_node)
    for count, el in enumerate(_following(title_node, body_node) if between is None else between):
        if el is None:  # reached the body
            total = sum(stats[x].text for x in taken)
            return taken if total < stats[body_node].text else []
        if count > _LEAD_WALK:
            break
        s = stats.get(el)  # a block (its tag a name): the page model counted it
        if s is not None and _substantial(s) and _may_lead(el, taken, holds_body):
            taken.append(el)
    return []


def _prose_between(model, stats, title_node, body_node):
    """The blocks of _between() that read as prose (_substantial), picked in C from the page
    model's compiled stats; [] when lead_nodes walks past _LEAD_WALK elements before the body
    (it finds no lead then); None without the compiled stats or where _between gives None."""
    if isinstance(stats, dict):
        return None
    between = _between_positions(model, title_node, body_node)
    if between is None:
        return None
    first, past = between
    if past - first > _LEAD_WALK + 1:  # an element stands at count _LEAD_WALK + 1: the walk stops there
        return []
    return stats.prose_blocks_at(first, past, 50, 2, 0.7)


def _leads(candidates, holds_body, stats, body_node):
    """lead_nodes() of the prose blocks between the headline and the body, in document order."""
    taken = []
    for el in candidates:
        if _may_lead(el, taken, holds_body):
            taken.append(el)
    total = sum(stats[x].text for x in taken)
    return taken if total < stats[body_node].text else []


def _may_lead(el, taken, holds_body) -> bool:
    """A prose block between the headline and the body that may be part of its lead: not one
    holding the body, not chrome by its class or id, not inside a block already taken."""
    if el in holds_body or _class_weight(el) < 1:
        return False
    if _NOT_LEAD.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
        return False
    return not any(t in taken for t in el.iterancestors())


def _nested(nodes):
    first = nodes[0]
    return all(any(a is first for a in n.iterancestors()) for n in nodes[1:])


def _with_siblings(best, stats, best_score):
    """The best container plus sibling blocks that score close to it (Readability's sibling rule)."""
    parent = best.getparent()
    if parent is None:
        return [best]
    nodes = []
    for sib in parent:
        if sib is best:
            nodes.append(sib)
            continue
        s = stats.get(sib)
        if s is None or s.text < 30 or _NOT_LEAD.search(f"{sib.get('class') or ''} {sib.get('id') or ''}"):
            continue
        density = s.text / (s.text + s.link)
        if density > 0.75 and s.score * density * _class_weight(sib) >= best_score * 0.3:
            nodes.append(sib)
    return nodes


def _skip(el, stats):
    """True for a block inside the body that is chrome: a link list, a share bar, a comment box."""
    return _chrome(el, stats.get(el))


def _chrome(el, s):
    """_skip() of `el`, with `s` its counts (None if it has none)."""
    if s is not None and s.link > 10 and s.link > 2 * s.text:
        return True
    return _chrome_by_attrs(el)


def _chrome_by_attrs(el):
    """What the class and id of `el` say: chrome (True) or not."""
    cls, id_ = el.get("class"), el.get("id")
    return bool(cls or id_) and _chrome_attrs(f"{cls or ''} {id_ or ''}")


@lru_cache(maxsize=4096)  # templates repeat their classes: each class/id pair is read once
def _chrome_attrs(attrs):
    return bool(attrs.strip()) and bool(_DROP_IN_BODY.search(attrs)) and not _POSITIVE.search(attrs)


def body_lines(nodes, stats=None, model=None):
    """The text of the body nodes as lines: blocks and <br> break lines, whitespace folded.

    `model`: the page model of the (prepared) tree the nodes are in, with `stats` its scored
    counts: a block's lines are then read from the model's lines (their runs of text joined as
    they stand), not from another walk of the block."""
    stats = stats or {}
    if model is not None:
        found = [_model_lines(node, stats, model) for node in nodes]
        if all(x is not None for x in found):
            return [line for node_lines in found for line in node_lines]
    lines = []
    for node in nodes:
        lines += _walked_lines(node, stats, model)
    return lines


def _walked_lines(node, stats, model=None):
    """body_lines() of one node from a walk of its subtree. With the page model, a block inside
    it that holds nothing _NOT_MODEL_LINES names gives its lines from the model instead of being
    walked: a block breaks the line before and after it, so its lines are those body_lines reads
    for it alone, which are the model's (_model_lines), its tail aside."""
    lines, buf = [], []
    unread = _holding_unread(node) if model is not None else None

    def flush():
        line = " ".join("".join(buf).split())  # whitespace folded (str.split: a C scan, no regex)
        if line:
            lines.append(line)
        buf.clear()

    stack = [(node, False)]
    while stack:
        el, closing = stack.pop()
        if closing:
            flush()
            if el.tail:
                buf.append(el.tail)
            continue
        tag = el.tag
        tag = tag.lower() if tag.__class__ is str else None
        if tag is None:
            if el.tail:
                buf.append(el.tail)
            continue
        block = tag in BLOCK_TAGS or tag == "br"
        if block:
            if el is not node and _skip(el, stats):
                flush()
                if el.tail:
                    buf.append(el.tail)
                continue
            flush()
            inner = None if unread is None or el is node or el in unread else _model_block_lines(el, stats, model)
            if inner is not None:
                lines += inner
                if el.tail:
                    buf.append(el.tail)
                continue
        if tag == "pre" and el.text_content():
            flush()
            lines.extend(x.strip() for x in el.text_content().splitlines() if x.strip())
            if el.tail:
                buf.append(el.tail)
            continue
        if el.text:
            buf.append(el.text)
        if block:
            stack.append((el, True))
        elif el.tail and el is not node:
            stack.append((_Tail(el.tail), False))
        for child in reversed(el):
            stack.append((child, False))
    flush()
    return lines


# inside a block, what makes its lines other than the page model's: a <pre> keeps its own line
# breaks, a <tfoot> breaks no line in the model, the model skips the text of SKIP_TAGS
_NOT_MODEL_LINES = ("pre", "tfoot", *sorted(SKIP_TAGS))
_NOT_MODEL_NAMES = frozenset(tag.encode("utf-8") for tag in _NOT_MODEL_LINES)  # as the compiled scan reads them


def _holding_unread(node) -> set:
    """The elements of `node`'s subtree that are or hold an element _NOT_MODEL_LINES names (and
    their ancestors above `node`): the elements themselves, alive while held."""
    unread = set()
    for el in node.iter(*_NOT_MODEL_LINES):
        unread.add(el)
        unread.update(el.iterancestors())
    return unread


def _holds_not_model_lines(node, stats):
    """`node` is or holds an element _NOT_MODEL_LINES names: read in C with the page model's
    compiled stats (_walk.holds_named, from their module), else by lxml's iterator."""
    found = None if isinstance(stats, dict) else stats.holds_named(node, _NOT_MODEL_NAMES)
    return next(node.iter(*_NOT_MODEL_LINES), None) is not None if found is None else found


def _model_lines(node, stats, model):
    """body_lines() of one block from the page model: its lines but those of the chrome blocks
    inside it (_skip), then its tail (which closes a block's text, as body_lines reads it).
    None when the model's lines are not the block's lines: not a block the walk ended, or one
    holding what _NOT_MODEL_LINES names."""
    if _holds_not_model_lines(node, stats):
        return None
    out = _model_block_lines(node, stats, model)
    if out is None:
        return None
    tail = " ".join((node.tail or "").split())
    return out + [tail] if tail else out


def _model_block_lines(node, stats, model):
    """The page model's lines in block `node` (one holding nothing _NOT_MODEL_LINES names) but
    those of the chrome blocks inside it, its tail aside; None when `node` is not a block the
    walk ended."""
    kept = _kept_line_ranges(node, stats, model)
    if kept is None:
        return None
    from aggregator.extract.page import MAX_LINE_CHARS  # (here: page.py imports this module)
    if isinstance(stats, dict):
        # a line of one run of text is that run folded, as the model already holds it (unless cut short)
        return [ln.text if len(ln.runs) == 1 and len(ln.text) < MAX_LINE_CHARS else " ".join("".join(ln.runs).split())
                for a, b in kept for ln in model.lines[a:b]]
    return stats.line_texts(model.lines, kept, MAX_LINE_CHARS)  # the compiled stats: the same texts made in C


def _kept_line_ranges(node, stats, model):
    """[(first, past)] of the model's lines in block `node` but those of the chrome blocks inside
    it (_chrome); None when `node` is not a block the walk ended."""
    if not isinstance(stats, dict):  # the page model's compiled stats: the same loop over its arrays
        return stats.line_ranges(node, _chrome_by_attrs, _chrome_attrs)
    s = stats.get(node)
    at = model.order.get(node) if s is not None else None
    end = model.end_at[at] if at is not None else None
    if end is None:
        return None
    elements, after_at, end_at = model.elements, model.after_at, model.end_at
    kept, first = [], s.line
    j, past = at + 1, after_at[at]
    while j < past:
        el = elements[j]
        inner = stats.get(el)
        if inner is not None and _chrome(el, inner):
            kept.append((first, inner.line))
            first = end_at[j]
            j = after_at[j]
            continue
        j += 1
    kept.append((first, end))
    return kept


class _Tail:
    """A stand-in pushed after an inline element's children so its tail lands after them."""
    __slots__ = ("tail",)
    tag = None

    def __init__(self, tail):
        self.tail = tail


# --- multi-page articles -----------------------------------------------------------------

_EXT = re.compile(r"^(?P<stem>.+?)(?P<ext>\.s?html?|\.jsp|\.php|\.aspx?)$", re.I)
_PAGE_N = re.compile(r"^(?P<stem>.+)_(?P<n>\d{1,3})$")


def find_continuations(page, url):
    """Absolute URLs of the pages that continue THIS article, in order (never the next article).

    A continuation is a same-site link to the article's own URL with a page suffix:
    TRS `t20210630_541234.html` -> `t20210630_541234_1.html`, `_2` ...; JCMS and
    others `art_1229_541234.html` -> `art_1229_541234_2.html`. On a continuation
    page itself (`..._2.html`) only the later pages are returned. 下一篇 links
    (another article: another stem) never match. `page` is html (str or bytes) or
    an lxml tree.
    """
    try:
        if isinstance(page, etree._Element):
            tree = page
        else:
            from lxml import html as lxml_html
            if isinstance(page, (bytes, bytearray)):
                from aggregator.extract.encoding import decode_html
                page, _ = decode_html(page)
            if not isinstance(page, str) or not page.strip() or not isinstance(url, str):
                return []
            tree = lxml_html.document_fromstring(page)
        return continuations_in_tree(tree, url)
    except Exception:  # noqa: BLE001 - a page we cannot read has no continuations
        return []


def _numbered_links(tree, url, stem, ext):
    """{page number: absolute URL} of same-site links to `{stem}_{n}{ext}`."""
    base = urlsplit(url)
    pattern = re.compile(re.escape(stem) + r"_(\d{1,3})" + re.escape(ext) + "$", re.I)
    found = {}
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        target = urlsplit(urljoin(url, href))
        if target.netloc != base.netloc or target.query != base.query:
            continue
        m = pattern.match(target.path)
        if m:
            found.setdefault(int(m.group(1)), target._replace(fragment="").geturl())
    return found


def continuations_in_tree(tree, url):
    """find_continuations() on a parsed tree."""
    path = urlsplit(url).path
    m = _EXT.match(path)
    if not m:
        return []
    stem, ext = m.group("stem"), m.group("ext")
    found = _numbered_links(tree, url, stem, ext)
    if found:  # this is the first page
        return [found[n] for n in sorted(found)]
    own = _PAGE_N.match(stem)
    if not own:
        return []
    current = int(own.group("n"))
    found = _numbered_links(tree, url, own.group("stem"), ext)
    return [found[n] for n in sorted(found) if n > current]
