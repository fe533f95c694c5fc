"""The one walk over a parsed page that the body, title, date and byline finders all read.

    walk(root) -> PageModel

    PageModel.lines    [Line(text, tag, link, linked)]: the visible text, one line per block element
                       (whitespace folded; `link` when all of the line's text sits inside <a>,
                       `linked` when some does)
    PageModel.elements the elements walked, in document order
    PageModel.starts   {element: index of the first line at or after its start}
    PageModel.ends     {element: index past its last line}
    PageModel.offsets  {element: characters of text before it, ASCII spaces aside, in document order}
    PageModel.closes   {element: the same before its end tag}
    PageModel.order    {element: its position in document order}
    PageModel.after    {element: the position after its last descendant}: x is inside el when
                       order[el] <= order[x] < after[el]
    PageModel.skipped  how many descendants of skipped elements the walk left out
    PageModel.stats    {block element: body.Stats} with the text, link text and punctuation
                       directly in the block (nested blocks excluded) and its nearest block
                       ancestor: what the density heuristic scores (body.score_blocks)

    The per-element values are also lists by position (offset_at, start_at, end_at, close_at,
    after_at; None where the walk stopped before the element's end): the finders that read every
    element use those; the mappings by element are views over them (order is built on first use).

One pass over `root` (the page's <body>) in document order: nothing else walks the whole tree.
Scripts, styles, form widgets and a misplaced <title>/<head> are skipped: never visible text.

The walk runs compiled (aggregator/extract/_walk.pyx, built by `pip install .` where a C compiler
is found: it reads libxml2's nodes directly) and falls back to walk_python, the same walk in
Python and the reference the compiled one is tested against (tests/test_walk_compiled.py): the
two give equal models. COMPILED says which one runs.

The compiled model keeps the elements' nodes, positions and block counts in C arrays: elements,
the *_at lists, order and stats are read-only sequences and mappings over them (equal to the
Python walk's lists and dicts) that make an element's lxml proxy, or a block's Stats (a copy), when
it is read; most elements are never read, so most never get a Python object. Its stats score
themselves (body.score_blocks) and run body.find_body's and body_lines' loops over the blocks in C.
It holds the document, not the elements: like its positions, it is valid while the tree is not
changed (extract_article walks the tree after its last change).
"""
from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from lxml import etree

from aggregator.extract.body import (_PUNCT_CHARS, _SPACE_CHARS, BLOCK_TAGS, CONTAINER_TAGS, SKIP_TAGS, Stats,
                                     count_nonspace, count_punct)

# elements that end a line of visible text
LINE_TAGS = frozenset("""div p br li ul ol tr td th table tbody thead h1 h2 h3 h4 h5 h6 dd dt dl section article
header footer blockquote pre form center hr address aside nav main figure figcaption caption iframe""".split())
MAX_LINES = 20000
MAX_LINE_CHARS = 2000
MAX_TEXT = 3_000_000

# what the walk does at a tag: (skip it, it ends a line, it is a block, it is a link), one dict
# lookup per element and plain truth tests after it
_KINDS = {tag: (tag in SKIP_TAGS, tag in LINE_TAGS, tag in BLOCK_TAGS, tag == "a")
          for tag in SKIP_TAGS | LINE_TAGS | BLOCK_TAGS | {"a"}}
_INLINE = (False, False, False, False)


class Line(NamedTuple):
    text: str
    tag: str
    link: bool = False     # all of its text inside <a>: navigation, a list of links
    linked: bool = False   # some of its text inside <a>: a list item "<a>标题</a> 2021-06-30" among others
    runs: tuple = ()       # its runs of text as the page holds them, whitespace between them included


# a Line made in one C call (NamedTuple's own __new__ is a Python function): the walk makes one per line
_new_line = tuple.__new__

try:  # the compiled walk, when the package was built with it
    _walk = importlib.import_module("aggregator.extract._walk")
except (ImportError, ValueError) as exc:  # not built (a source checkout, no C compiler), or built
    _walk = None                          # against an lxml whose C API this one lacks
    NOT_COMPILED = f"{type(exc).__name__}: {exc}"
else:  # the blocks' counts are made in C from the characters count_nonspace and count_punct read
    _walk.set_classes(_SPACE_CHARS, _PUNCT_CHARS)
    NOT_COMPILED = None
COMPILED = _walk is not None  # which walk runs (NOT_COMPILED: why not the compiled one)


class _ByElement(Mapping):
    """{element: value} over a list by document position (None: no value)."""
    __slots__ = ("_model", "_values")

    def __init__(self, model, values):
        self._model, self._values = model, values

    def __getitem__(self, el):
        value = self._values[self._model.order[el]]
        if value is None:
            raise KeyError(el)
        return value

    def __iter__(self):
        return (el for el, v in zip(self._model.elements, self._values) if v is not None)

    def __len__(self):
        return sum(1 for v in self._values[:len(self._model.elements)] if v is not None)


@dataclass
class PageModel:
    lines: list = field(default_factory=list)
    elements: list = field(default_factory=list)
    offset_at: list = field(default_factory=list)
    start_at: list = field(default_factory=list)
    end_at: list = field(default_factory=list)
    close_at: list = field(default_factory=list)
    after_at: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    skipped: int = 0       # descendants of skipped elements: never walked, in none of the above
    # {element: position}: the compiled walk's lookup by node; made from `elements` on first use otherwise
    index: Mapping | None = field(default=None, compare=False, repr=False)

    @property
    def texts(self) -> list[str]:
        if _walk is not None:  # a loop in C over the tuples
            return _walk.first_items(self.lines)
        return [ln.text for ln in self.lines]

    @property
    def order(self) -> Mapping:
        if self.index is None:
            self.index = dict(zip(self.elements, range(len(self.elements))))
        return self.index

    @property
    def starts(self):
        return _ByElement(self, self.start_at)

    @property
    def ends(self):
        return _ByElement(self, self.end_at)

    @property
    def offsets(self):
        return _ByElement(self, self.offset_at)

    @property
    def closes(self):
        return _ByElement(self, self.close_at)

    @property
    def after(self):
        return _ByElement(self, self.after_at)


def page_root(tree):
    """The element the model walks: the page's <body>, or the tree itself when it has none."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    body = first_descendant(root, "body") if root.tag != "body" else root
    return body if body is not None else root


def first_descendant(root, tag):
    """root.find(".//" + tag): the first descendant of `root` with that tag in document order,
    or None. Found in C where the walk is compiled (_walk.first_named: it stops at the first
    match), else by _first_descendant_python."""
    found = _walk.first_named(root, tag) if _walk is not None else False
    return _first_descendant_python(root, tag) if found is False else found


def _first_descendant_python(root, tag):
    """first_descendant() looked for one child of the root at a time: lxml's iterator reads on
    to the next match before it hands over the first one, and over the whole tree that is a walk
    of the page past the first match (for <body>, the whole page)."""
    for child in root:
        if child.tag == tag:
            return child
        found = next(child.iterdescendants(tag), None)
        if found is not None:
            return found
    return None


def walk(root) -> PageModel:
    """The page model of `root` (see the module doc); an empty model for None. The compiled walk
    where it is built, else (and for a root that is no element: a comment, not an lxml node) walk_python."""
    if _walk is not None and root is not None:
        fields = _walk.walk(root, _KINDS, CONTAINER_TAGS, Line, _new_line, Stats, MAX_LINES, MAX_TEXT,
                            MAX_LINE_CHARS)
        if fields is not None:
            return PageModel(**fields)
    return walk_python(root)


def walk_python(root) -> PageModel:
    """The page model of `root` (see the module doc) in Python; an empty model for None.

    This loop is the hot path of extraction, run for every element of the page, so it does
    little per element: the elements come from lxml's iter() (one C call); an element ends
    where the next one is not its descendant (the next one's parent is not the innermost open
    element), one without children where it starts; a tag's kinds are one dict lookup; a line's
    link flags are two counters; a block's runs of text go to lists made when its first run
    comes (most blocks hold none of their own), its counts and its Stats are made once at the
    end."""
    model = PageModel()
    if root is None:
        return model
    lines, stats = model.lines, model.stats
    els = list(root.iter(etree.Element))  # elements only: no comments, no processing instructions
    n = len(els)
    offset_at, start_at = [0] * n, [0] * n
    end_at, close_at, after_at = [None] * n, [None] * n, [None] * n
    # the innermost block: [element, its nearest block ancestor, its first line, its runs of text
    # outside links, inside links (None until one comes)]
    block = [root, None, 0, None, None]
    blocks = [block]         # every block, in document order
    open_blocks = [block]    # the enclosing blocks, innermost last
    out_link = in_link = None
    line_tags = ["body"]     # the enclosing line elements' tags
    opened = []              # (element, position, ends a line, is a block, is a link) of the elements whose descendants are being read
    buf: list[str] = []      # the current line's runs of text (from its first one that is not whitespace)
    n_in = n_out = 0         # how many of them are inside a link, outside
    n_lines = 0
    total = 0                # characters in lines so far
    # offsets count what the source holds between elements, ASCII spaces aside, line breaks
    # included: a template's distance from headline to body, as the title finder weighs it
    # (str.count only for a run that holds a space: most hold none, and `in` is the cheaper call)
    chars = 0
    depth_a = 0
    skipped = []             # positions of the descendants of skipped elements (never walked)
    kinds, inline = _KINDS.get, _INLINE
    max_lines, max_text, max_line_chars = MAX_LINES, MAX_TEXT, MAX_LINE_CHARS

    i = 0
    while i <= n:
        el = els[i] if i < n else None
        parent = el.getparent() if i and el is not None else None
        full = False
        while opened and opened[-1][0] is not parent:  # the open elements that end before el
            end, at, is_line, is_block, is_link = opened.pop()
            after_at[at], close_at[at] = i, chars
            if is_link:
                depth_a -= 1
            if is_line:
                if buf:
                    text = " ".join(" ".join(buf).split())[:max_line_chars]
                    lines.append(_new_line(Line, (text, end.tag, not n_out, n_in > 0, tuple(buf))))
                    buf.clear()
                    n_in = n_out = 0
                    n_lines += 1
                    total += len(text)
                    if n_lines >= max_lines or total > max_text:
                        full = True
                        break
                line_tags.pop()
            if is_block and end is not root:
                open_blocks.pop()
                block = open_blocks[-1]
                out_link, in_link = block[3], block[4]
            end_at[at] = n_lines + 1 if buf else n_lines
            tail = end.tail
            if tail and end is not root:
                chars += len(tail) - tail.count(" ") if " " in tail else len(tail)
                if not tail.isspace():
                    buf.append(tail)
                    if depth_a:
                        n_in += 1
                        if in_link is None:
                            in_link = block[4] = []
                        in_link.append(tail)
                    else:
                        n_out += 1
                        if out_link is None:
                            out_link = block[3] = []
                        out_link.append(tail)
                elif buf:  # whitespace inside a line: it separates the runs around it
                    buf.append(tail)
        if full or el is None:
            n = i
            break
        tag = el.tag
        is_skip, is_line, is_block, is_link = kinds(tag, inline)
        offset_at[i], start_at[i] = chars, n_lines
        if is_skip:  # never read, nor its descendants
            past = i + 1
            if len(el):
                past += sum(1 for _ in el.iterdescendants(etree.Element))
                skipped.extend(range(i + 1, past))
            after_at[i], close_at[i], end_at[i] = past, chars, n_lines
        else:
            if is_line and buf:
                text = " ".join(" ".join(buf).split())[:max_line_chars]
                lines.append(_new_line(Line, (text, line_tags[-1], not n_out, n_in > 0, tuple(buf))))
                buf.clear()
                n_in = n_out = 0
                n_lines += 1
                total += len(text)
                if n_lines >= max_lines or total > max_text:
                    n = i + 1
                    break
            if is_block and el is not root:
                block = [el, block[0], n_lines, None, None]
                blocks.append(block)
                out_link = in_link = None
            if is_link:
                depth_a += 1
            text = el.text
            if text:
                chars += len(text) - text.count(" ") if " " in text else len(text)
                if not text.isspace():
                    buf.append(text)
                    if depth_a:
                        n_in += 1
                        if in_link is None:
                            in_link = block[4] = []
                        in_link.append(text)
                    else:
                        n_out += 1
                        if out_link is None:
                            out_link = block[3] = []
                        out_link.append(text)
                elif buf:  # whitespace inside a line: it separates the runs around it
                    buf.append(text)
            if len(el):  # its descendants come next
                if is_line:
                    line_tags.append(tag)
                if is_block and el is not root:
                    open_blocks.append(block)
                opened.append((el, i, is_line, is_block, is_link))
                i += 1
                continue
            # no children: it ends here
            if is_link:
                depth_a -= 1
            past = i + 1
            after_at[i], close_at[i] = past, chars
            if is_line and buf:
                text = " ".join(" ".join(buf).split())[:max_line_chars]
                lines.append(_new_line(Line, (text, tag, not n_out, n_in > 0, tuple(buf))))
                buf.clear()
                n_in = n_out = 0
                n_lines += 1
                total += len(text)
                if n_lines >= max_lines or total > max_text:
                    n = i + 1
                    break
            if is_block and el is not root:
                block = open_blocks[-1]
                out_link, in_link = block[3], block[4]
            end_at[i] = n_lines + 1 if buf else n_lines
        tail = el.tail
        if tail and el is not root:
            chars += len(tail) - tail.count(" ") if " " in tail else len(tail)
            if not tail.isspace():
                buf.append(tail)
                if depth_a:
                    n_in += 1
                    if in_link is None:
                        in_link = block[4] = []
                    in_link.append(tail)
                else:
                    n_out += 1
                    if out_link is None:
                        out_link = block[3] = []
                    out_link.append(tail)
            elif buf:  # whitespace inside a line: it separates the runs around it
                buf.append(tail)
        i = past
    if buf:
        text = " ".join(" ".join(buf).split())[:max_line_chars]
        lines.append(_new_line(Line, (text, line_tags[-1], not n_out, n_in > 0, tuple(buf))))
    for el, parent, first, texts, links in blocks:
        if texts:
            joined = "".join(texts)
            text, punct = count_nonspace(joined), count_punct(joined)
        else:
            text = punct = 0
        link = count_nonspace("".join(links)) if links else 0
        stats[el] = Stats(text, link, punct, 0.0, parent, first)
    _positions(model, els[:n], offset_at, start_at, end_at, close_at, after_at, set(skipped))
    model.skipped = len(skipped)
    return model


def _positions(model, els, offset_at, start_at, end_at, close_at, after_at, skipped):
    """The per-position lists of the walked elements; renumbered without the descendants of
    skipped elements (never walked) when there are any."""
    if skipped:
        keep = [j for j in range(len(els)) if j not in skipped]
        renumber = {j: k for k, j in enumerate(keep)}
        renumber[len(els)] = len(keep)
        els = [els[j] for j in keep]
        offset_at, start_at, end_at, close_at = ([values[j] for j in keep]
                                                 for values in (offset_at, start_at, end_at, close_at))
        after_at = [None if after_at[j] is None else renumber.get(after_at[j], len(keep)) for j in keep]
    model.elements, model.offset_at, model.start_at = els, offset_at, start_at
    model.end_at, model.close_at, model.after_at = end_at, close_at, after_at
