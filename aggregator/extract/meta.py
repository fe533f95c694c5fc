"""Read the page's declared metadata: <meta> tags, OpenGraph and JSON-LD.

Chinese government sites must carry ArticleTitle, PubDate, ContentSource,
Author, ColumnName, SiteName and Url meta tags on content pages (national
government website guideline, 2017); news sites often carry OpenGraph or
JSON-LD instead. Everything here is read, never guessed.
"""
from __future__ import annotations

import json

from lxml import html as lxml_html

from aggregator.extract.page import _walk

_JSONLD_TYPE = "application/ld+json"


def read_meta(tree: lxml_html.HtmlElement) -> dict:
    """Meta tags of a parsed page as {lowercased name or property: content}.

    The first non-empty value of a name wins. JSON-LD objects (flattened
    @graph included) are under the key "@jsonld" as a list of dicts.
    """
    found = _walk.meta_tags(tree, _JSONLD_TYPE) if _walk is not None else None
    pairs, texts = found if found is not None else _meta_tags(tree)
    meta: dict = {}
    names: dict = {}
    for key, content in pairs:
        printed = key.strip()
        key = printed.lower()
        content = " ".join(content.split())
        if content and key not in meta:
            meta[key] = content
            names[key] = printed
    meta["@jsonld"] = list(_jsonld(texts))
    meta["@names"] = names
    return meta


def _meta_tags(tree):
    """([(key, content)] of the <meta> elements with a key (the first of name, property,
    itemprop and http-equiv that is not empty) and a content, [text] of the JSON-LD scripts),
    in document order: read from the elements' proxies (the compiled walk's meta_tags reads
    them in C)."""
    pairs, texts = [], []
    # one C walk over the tree for both tags (lxml's iter with tag names makes a Python object only
    # for the elements it yields)
    for el in tree.iter("meta", "script"):
        if el.tag == "script":
            if el.get("type") == _JSONLD_TYPE:
                texts.append(el.text)
            continue
        key = el.get("name") or el.get("property") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if key and content is not None:
            pairs.append((key, content))
    return pairs, texts


def meta_signal(meta: dict, key: str) -> str:
    """The *_signal value for a meta tag, named as the page prints it: "meta:PubDate"."""
    return "meta:" + meta.get("@names", {}).get(key, key)


def _jsonld(texts):
    """The JSON-LD objects of the texts of the <script type="application/ld+json"> elements, in order."""
    for text in texts:
        try:
            data = json.loads(text or "")
        except (ValueError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        for obj in stack:
            if not isinstance(obj, dict):
                continue
            graph = obj.get("@graph")
            if isinstance(graph, list):
                yield from (o for o in graph if isinstance(o, dict))
            else:
                yield obj
