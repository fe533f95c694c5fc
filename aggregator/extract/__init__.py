"""HTML page -> article fields. The one entry point spiders, `aggregator import`
and `aggregator extract` share.

The interface the rest of the code uses:

    extract_article(page, url, *, encoding=None, selectors=None, cms=None, fetched_at=None,
                    continuation_pages=(), listing_date=None) -> dict

    page        str (decoded) or bytes (decoded here: HTTP/meta/BOM declarations, then detection)
    encoding    the HTTP header's charset for bytes, if any
    selectors   the site's own {"title", "body", "byline", "date"} (CSS or XPath starting with "/"), optional
    cms         "hanweb" | "jpaas" | "trs" | "gkmlpt" | "generic" | "feed" | None: the container its CMS
                family is known to use (and, for gkmlpt, the script that carries the body)
    fetched_at  aware datetime of the fetch
    continuation_pages  the decoded html (or bytes) of the pages find_continuations(page, url)
                named, in order: their bodies are joined after this page's
    listing_date  the date the listing printed beside the link ("2021-06-30"), if any: it ranks
                below the page's own dates and above the URL's

    returns {"title", "title_signal", "body", "body_signal", "encoding", "section",
             + every key of aggregator.extract.fields.extract_fields,
             "byline_lines": lines moved out of the body or read next to the headline,
             "reject_reason": None or why this page is not an article ("empty page", "no body", "mojibake ...")}

    find_continuations(page, url) -> list[str]
        absolute URLs of the pages continuing this article (TRS `t20210630_541234_1.html`,
        `_2.html`-style suffixes, 下一页 links to them), in order; never the next article.

extract_article never raises: a failing stage becomes reject_reason ("error in body: ...").
"""
from __future__ import annotations

import re
from itertools import islice

from lxml import etree
from lxml import html as lxml_html

from aggregator.clean import clean_body, is_edge_furniture
from aggregator.extract.body import (
    body_lines,
    continuations_in_tree,
    find_body,
    find_continuations,
    lead_nodes,
    prepare_tree,
    text_content,
)
from aggregator.extract.encoding import decode_page_utf8, mojibake_reason
from aggregator.extract.fields import EMPTY, extract_fields
from aggregator.extract.meta import read_meta
from aggregator.extract.page import _walk, page_root, walk
from aggregator.extract.script_body import move_script_body
from aggregator.extract.title import extract_title

__all__ = ["extract_article", "find_continuations", "continuations_in_tree"]

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_BYLINE_HINT = re.compile(r"作者|记者|通讯员|编辑|来源|发布|时间|日期|点击|浏览|\d{4}\s*[-年/.]\s*\d{1,2}")
# lxml.html's parser picks each element's class in a Python method, called whenever code first
# touches an element (every element, in the page model's walk); nothing here needs the form
# classes it picks, so every element is an HtmlElement, chosen in C. The page reaches it as UTF-8
# bytes (see parse_page)
def _parser(collect_ids):
    parser = etree.HTMLParser(encoding="utf-8", collect_ids=collect_ids)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction,
        entity=lxml_html.HtmlEntity))
    return parser


# libxml2 files every id attribute in a table that only XPath's id() reads, at a cost in the parse
# and the free: the finders never call it (CSS "#x" and [@id=...] read the attribute itself), so a
# page is parsed without the table, unless a site selector calls id() (_reads_ids)
_PARSER = _parser(collect_ids=False)
_PARSER_IDS = _parser(collect_ids=True)


def _reads_ids(selectors):
    """True when one of a site's selectors may call XPath's id()."""
    return isinstance(selectors, dict) and any(isinstance(s, str) and "id(" in s for s in selectors.values())
# beyond these a page is not an article page (and reading it would take seconds)
MAX_PAGE_CHARS = 3_000_000
MAX_ELEMENTS = 100_000


def _empty_result(encoding=None):
    out = {"title": None, "title_signal": None, "body": None, "body_signal": None,
           "encoding": encoding, "section": None, "byline_lines": [], "reject_reason": None}
    out.update({k: (list(v) if isinstance(v, list) else v) for k, v in EMPTY.items()})
    return out


def parse_page(page, encoding=None, *, ids=False):
    """(lxml tree, encoding used, reject reason): decode bytes, parse; a reason instead of raising.
    `ids`: keep the table of id attributes XPath's id() reads."""
    parser = _PARSER_IDS if ids else _PARSER
    text, used, data, chars = decode_page_utf8(page, encoding)
    if chars is not None and _PLAIN_START.match(data) is None:
        text, chars = data.decode("utf-8"), None  # the text's own checks below answer
    if chars is None:
        return _parse_text(text, used, data, parser)
    # a page held as UTF-8 (its own bytes, or transcoded), its text not made: ASCII whitespace
    # then "<" and not "?" open it, so the text is neither empty nor space and holds no XML
    # declaration (see _PLAIN_START)
    if chars > MAX_PAGE_CHARS:
        return None, used, f"page too large: {chars} characters"
    return _parse_utf8(data, chars, used, parser)


# a text opening with ASCII whitespace, then "<" and a character other than "?": its first
# character that is not whitespace ("\s", ASCII or not) is that "<", so _XML_DECL cannot match
_PLAIN_START = re.compile(rb"[ \t\n\r\x0b\x0c]*<[^?]")


def _parse_text(text, used, data, parser):
    """parse_page() of a decoded page; `data`: bytes whose UTF-8 decoding is exactly the text, else None."""
    if text is None:
        return None, used, f"not text: {used}"
    if not text or text.isspace():  # not text.strip(), without copying the page
        return None, used, "empty page"
    if len(text) > MAX_PAGE_CHARS:
        return None, used, f"page too large: {len(text)} characters"
    declaration = _XML_DECL.match(text)  # (the pattern opens with ^: a match is the one sub would drop)
    if declaration:
        text, data = text[declaration.end():], None
    # lxml hands a str to libxml2 as UTF-16 or UCS-4, which libxml2 converts to UTF-8 before it
    # parses; UTF-8 bytes skip that conversion (the same tree): the page's own bytes when the text
    # is exactly their decoding (decode_page_utf8), else the text encoded. A str that UTF-8 cannot
    # hold (a lone surrogate) is parsed as it is
    if data is None:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            data = text
    return _parse_utf8(data, len(text), used, parser)


def _parse_utf8(data, length, used, parser):
    """parse_page() of `data`: the UTF-8 bytes of a text `length` characters long (or the text,
    when UTF-8 cannot hold it)."""
    try:
        tree = lxml_html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        return None, used, f"unparsable: {exc}"
    if _too_complex(length, data, tree):
        return None, used, f"page too complex: more than {MAX_ELEMENTS} elements"
    return tree, used, None


def _too_complex(length, data, tree):
    """True when the parsed page holds more than MAX_ELEMENTS nodes (tree.iter()'s: elements,
    comments, processing instructions) and its text, `length` characters long, more than
    MAX_ELEMENTS "<". `data` is the text or its UTF-8 bytes, where the byte "<" is only ever
    the character "<": both hold as many."""
    # a text holds no more "<" than characters: a short one is neither scanned nor its tree counted
    if length <= MAX_ELEMENTS:
        return False
    # every node but the few elements the parser implies opens with "<": the scan of the text
    # tells a tree that cannot hold too many without walking it in Python; the compiled count
    # walks it in C, faster than the scan, which then runs only for a tree that does
    lt = b"<" if isinstance(data, bytes) else "<"
    if _walk is not None:
        return _walk.nodes_over(tree, MAX_ELEMENTS) and data.count(lt) > MAX_ELEMENTS
    return data.count(lt) > MAX_ELEMENTS and sum(1 for _ in islice(tree.iter(), MAX_ELEMENTS + 1)) > MAX_ELEMENTS


def _lines_of(tree, selectors, cms, model=None):
    match = find_body(tree, selectors=selectors, cms=cms, stats=model.stats if model is not None else None)
    if match is None:
        return None, []
    return match, body_lines(match.nodes, match.stats, model=model)


def _header_lines(tree, title_node, body_node, limit=8, window=40, model=None):
    """Short lines between the headline and the body that look like a byline or a date line.

    Without a headline element, the last `window` elements before the body are read.
    `model`: the page model of `tree`, whose element order gives those elements when it holds
    them all.
    """
    if body_node is None:
        return []
    lines = []
    for text in _header_texts(tree, title_node, body_node, window, model):
        if text and _BYLINE_HINT.search(text) and text not in lines:
            lines.append(text)
    # an element and its inline children both match: keep the finer lines
    lines = [x for x in lines if not any(y != x and y in x for y in lines)]
    return lines[-limit:]


# a longer text is a block of the page, not a header line
_HEADER_LINE_CHARS = 200


def _header_texts(tree, title_node, body_node, window, model=None):
    """_leaf_texts() of the elements after the headline before the body (_before_body_in_tree),
    up to _HEADER_LINE_CHARS characters: from the page model's element order when it holds
    them; without a headline element, from a walk of the tree in C (those elements are not all
    in the model: <head> and <body> come before it); else from the tree in Python."""
    before = _before_body(model, title_node, body_node, window)
    if before is None and title_node is None and _walk is not None:
        found = _walk.leaf_texts_before(tree, body_node, window, _BLOCKS, _HEADER_LINE_CHARS)
        if found is not None:
            return _read_the_rest(found, _HEADER_LINE_CHARS)
    if before is None:
        before = _before_body_in_tree(tree, title_node, body_node, window)
    return _leaf_texts(before, _HEADER_LINE_CHARS)


def _leaf_texts(elements, most):
    """The folded texts (" ".join(text.split())) of the leaf-ish `elements`, those without a
    block child: each its own text plus its inline children's; texts longer than `most`
    characters left out. Read in C from the elements' nodes (aggregator/extract/_walk.pyx:
    a long text is told by counting its characters up to `most`, not read whole), else by
    _leaf_texts_python."""
    found = _walk.leaf_texts(elements, _BLOCKS, most) if _walk is not None else None
    if found is None:
        return _leaf_texts_python(elements, most)
    return _read_the_rest(found, most)


def _read_the_rest(found, most):
    """The compiled scan's texts, each element it left to Python (an entity reference in its
    text) read here: its folded text, unless longer than `most` characters."""
    out = []
    for item in found:
        text = item if isinstance(item, str) else _folded_text(item)
        if len(text) <= most:
            out.append(text)
    return out


def _leaf_texts_python(elements, most):
    """_leaf_texts() read from the elements' proxies."""
    texts = (_folded_text(el) for el in elements
             if not any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el))
    return [text for text in texts if len(text) <= most]


def _folded_text(el):
    return " ".join(text_content(el).split())


def _before_body_in_tree(tree, title_node, body_node, window):
    """The elements after the headline (and outside it) before the body, in document order;
    without a headline, the last `window` elements before the body."""
    before = []
    started = title_node is None
    for el in tree.iter():
        if el is body_node:
            break
        if el is title_node:
            started = True
            before.clear()
            continue
        if started and isinstance(el.tag, str):
            before.append(el)
    if title_node is None:
        return before[-window:]
    return [el for el in before if not any(a is title_node for a in el.iterancestors())]


def _before_body(model, title_node, body_node, window):
    """_before_body_in_tree() from the page model's element order, without walking the tree;
    None when the model does not hold every element it needs (the elements of <head>, the
    descendants of a skipped element, those past where the walk stopped)."""
    if model is None or model.skipped:
        return None
    order = model.order
    body_at = order.get(body_node)
    if body_at is None:
        return None
    if title_node is None:
        return model.elements[body_at - window:body_at] if body_at >= window else None
    title_at = order.get(title_node)
    if title_at is None:
        return None
    if title_at > body_at:
        return []
    past_title = model.after_at[title_at]
    if past_title is None:
        return None
    return model.elements[max(past_title, title_at + 1):body_at]


_BLOCKS = frozenset("div p td table tr tbody ul ol li dl section article form".split())


def _drop_title_lines(lines, title):
    """The body container often repeats the headline as its first line."""
    if not title:
        return lines
    key = title.replace(" ", "")
    start = 0
    # a line of furniture goes only when the headline follows it: that test (a comparison)
    # comes before the furniture regex, which then runs only when it holds
    while start < min(len(lines), 3) and (lines[start].replace(" ", "") in (key, "")
                                          or (start + 1 < len(lines) and lines[start + 1].replace(" ", "") == key
                                              and is_edge_furniture(lines[start]))):
        start += 1
    return lines[start:]


def extract_article(page, url, *, encoding=None, selectors=None, cms=None, fetched_at=None,
                    continuation_pages=(), listing_date=None):
    out = _empty_result(encoding)
    stage = "decode"
    try:
        tree, used, reason = parse_page(page, encoding, ids=_reads_ids(selectors))
        out["encoding"] = used if isinstance(page, (bytes, bytearray)) else encoding
        if reason:
            out["reject_reason"] = reason
            return out
        stage = "meta"
        meta = read_meta(tree)
        out["section"] = meta.get("columnname")
        stage = "body"
        move_script_body(tree, cms)
        prepare_tree(tree)
        model = walk(page_root(tree))  # the one walk over the page every finder below reads
        match, lines = _lines_of(tree, selectors, cms, model=model)
        body_node = match.nodes[0] if match else None
        stage = "title"
        title, title_signal, title_node = extract_title(tree, meta, selectors=selectors, body_node=body_node,
                                                        url=url, lead=lines[:2], model=model)
        out.update(title=title, title_signal=title_signal)
        if match is not None and match.signal.startswith("density") and (title_signal or "").startswith("heading"):
            lead = lead_nodes(title_node, body_node, match.stats, model=model)
            if lead:
                lines = body_lines(lead, match.stats, model=model) + lines
        stage = "continuations"
        for extra in continuation_pages or ():
            extra_tree, _, extra_reason = parse_page(extra, encoding, ids=_reads_ids(selectors))
            if extra_reason:
                continue
            prepare_tree(extra_tree)
            _, extra_lines = _lines_of(extra_tree, selectors, cms)
            lines.extend(_drop_title_lines(extra_lines, title))
        stage = "clean"
        cleaned = clean_body("\n".join(_drop_title_lines(lines, title)))
        # a breadcrumb the cleaner took off the top may have stood above the headline
        body = "\n".join(_drop_title_lines(cleaned.body.split("\n"), title)) or None
        out.update(body=body, body_signal=match.signal if match and body else None)
        header = _header_lines(tree, title_node, body_node, model=model)
        out["byline_lines"] = header + [x for x in cleaned.byline_lines if x not in header]
        if body:
            reason = mojibake_reason(body)
            if reason:
                out.update(body=None, reject_reason=reason)
        stage = "fields"
        out.update(extract_fields(tree, url=url, meta=meta, body_node=body_node, body_text=out["body"] or "",
                                  byline_lines=out["byline_lines"], title_node=title_node,
                                  fetched_at=fetched_at, model=model, listing_date=listing_date))
        if not out["body"] and not out["reject_reason"]:
            out["reject_reason"] = "no body"
    except Exception as exc:  # noqa: BLE001 - the contract: never raise, say why instead
        out["reject_reason"] = f"error in {stage}: {type(exc).__name__}: {exc}"[:300]
    return out
