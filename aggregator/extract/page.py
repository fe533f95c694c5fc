"""The one walk over a parsed page that the body, title, date and byline finders all read.

    walk(root) -> PageModel

    PageModel.lines    [Line(text, tag, link, linked)]: the visible text, one line per block element
                       (whitespace folded; `link` when all of the line's text sits inside <a>,
                       `linked` when some does)
    PageModel.starts   {element: index of the first line at or after its start}
    PageModel.ends     {element: index past its last line}
    PageModel.offsets  {element: characters of text before it, ASCII spaces aside, in document order}
    PageModel.closes   {element: the same before its end tag}
    PageModel.order    {element: its position in document order}
    PageModel.after    {element: the position after its last descendant}: x is inside el when
                       order[el] <= order[x] < after[el]
    PageModel.stats    {block element: body.Stats} with the text, link text and punctuation
                       directly in the block (nested blocks excluded) and its nearest block
                       ancestor: what the density heuristic scores (body.score_blocks)

One `etree.iterwalk` over `root` (the page's <body>): nothing else walks the whole tree.
Scripts, styles, form widgets and a misplaced <title>/<head> are skipped: never visible text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from aggregator.extract.body import BLOCK_TAGS, Stats, count_nonspace, count_punct

# elements that end a line of visible text
LINE_TAGS = frozenset("""div p br li ul ol tr td th table tbody thead h1 h2 h3 h4 h5 h6 dd dt dl section article
header footer blockquote pre form center hr address aside nav main figure figcaption caption iframe""".split())
SKIP_TAGS = frozenset("script style noscript select option textarea template svg button title head".split())
MAX_LINES = 20000
MAX_LINE_CHARS = 2000
MAX_TEXT = 3_000_000


@dataclass(slots=True)
class Line:
    text: str
    tag: str
    link: bool = False     # all of its text inside <a>: navigation, a list of links
    linked: bool = False   # some of its text inside <a>: a list item "<a>标题</a> 2021-06-30" among others


@dataclass
class PageModel:
    lines: list = field(default_factory=list)
    starts: dict = field(default_factory=dict)
    ends: dict = field(default_factory=dict)
    offsets: dict = field(default_factory=dict)
    closes: dict = field(default_factory=dict)
    order: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    stats: dict = field(default_factory=dict)

    @property
    def texts(self) -> list[str]:
        return [ln.text for ln in self.lines]


def page_root(tree):
    """The element the model walks: the page's <body>, or the tree itself when it has none."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    body = root.find(".//body") if root.tag != "body" else root
    return body if body is not None else root


def walk(root) -> PageModel:
    """The page model of `root` (see the module doc); an empty model for None.

    The loop is the hot path of extraction (it visits every element twice): the per-element
    work is kept inline, and text runs are counted as they come, never re-read."""
    model = PageModel()
    if root is None:
        return model
    lines, starts, ends, offsets, order, after, stats = (model.lines, model.starts, model.ends, model.offsets,
                                                         model.order, model.after, model.stats)
    closes = model.closes
    stats[root] = Stats()
    blocks = [root]          # the enclosing block elements, innermost last (for stats)
    line_tags = ["body"]     # the enclosing line elements' tags (for Line.tag)
    buf: list[str] = []
    in_link: list[bool] = []
    state = [0]              # characters in lines so far
    # offsets count what the source holds between elements, ASCII spaces aside, line breaks
    # included: a template's distance from headline to body, as the title finder weighs it
    chars = 0
    depth_a = 0
    skip, line_tags_set, block_tags = SKIP_TAGS, LINE_TAGS, BLOCK_TAGS

    def add(text, link):
        """A run of visible text (not whitespace only) into the current line and block."""
        n = count_nonspace(text)
        buf.append(text)
        in_link.append(link)
        s = stats[blocks[-1]]
        if link:
            s.link += n
        else:
            s.text += n
            s.punct += count_punct(text)

    def flush():
        text = " ".join(" ".join(buf).split())[:MAX_LINE_CHARS]
        link, linked = all(in_link), any(in_link)
        buf.clear()
        in_link.clear()
        if text:
            lines.append(Line(text, line_tags[-1], link, linked))
            state[0] += len(text)
            return len(lines) >= MAX_LINES or state[0] > MAX_TEXT
        return False

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if tag.__class__ is not str:  # an entity or a processing instruction
            tag = None
        if event == "start":
            order[el] = len(order)
            offsets[el] = chars
            starts[el] = len(lines)
            if tag is None or tag in skip:
                if tag is not None:
                    walker.skip_subtree()
                continue
            if tag in line_tags_set:
                if buf and flush():
                    break
                line_tags.append(tag)
            if tag in block_tags and el is not root:
                stats[el] = Stats(parent=blocks[-1])
                blocks.append(el)
            if tag == "a":
                depth_a += 1
            text = el.text
            if text:
                chars += len(text) - text.count(" ")
                if not text.isspace():
                    add(text, depth_a > 0)
            continue
        after[el] = len(order)
        closes[el] = chars
        if tag is None or tag in skip:
            ends[el] = starts[el]
            tail = el.tail
            if tail and el is not root:
                chars += len(tail) - tail.count(" ")
                if not tail.isspace():
                    add(tail, depth_a > 0)
            continue
        if tag == "a" and depth_a:
            depth_a -= 1
        if tag in line_tags_set:
            if buf and flush():
                break
            if len(line_tags) > 1:
                line_tags.pop()
        if tag in block_tags and blocks[-1] is el and el is not root:
            blocks.pop()
        ends[el] = len(lines) + (1 if buf else 0)
        tail = el.tail
        if tail and el is not root:
            chars += len(tail) - tail.count(" ")
            if not tail.isspace():
                add(tail, depth_a > 0)
    if buf:
        flush()
    return model
