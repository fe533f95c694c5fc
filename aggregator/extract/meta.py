"""Read the page's declared metadata: <meta> tags, OpenGraph and JSON-LD.

Chinese government sites must carry ArticleTitle, PubDate, ContentSource,
Author, ColumnName, SiteName and Url meta tags on content pages (national
government website guideline, 2017); news sites often carry OpenGraph or
JSON-LD instead. Everything here is read, never guessed.
"""
from __future__ import annotations

import json

from lxml import html as lxml_html

_JSONLD_TYPE = "application/ld+json"


def read_meta(tree: lxml_html.HtmlElement) -> dict:
    """Meta tags of a parsed page as {lowercased name or property: content}.

    The first non-empty value of a name wins. JSON-LD objects (flattened
    @graph included) are under the key "@jsonld" as a list of dicts.
    """
    meta: dict = {}
    names: dict = {}
    scripts = []
    # one C walk over the tree for both tags (lxml's iter with tag names makes a Python object only
    # for the elements it yields; an XPath for the scripts was a second walk, and a slower one)
    for el in tree.iter("meta", "script"):
        if el.tag == "script":
            if el.get("type") == _JSONLD_TYPE:
                scripts.append(el)
            continue
        key = el.get("name") or el.get("property") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if not key or content is None:
            continue
        printed = key.strip()
        key = printed.lower()
        content = " ".join(content.split())
        if content and key not in meta:
            meta[key] = content
            names[key] = printed
    meta["@jsonld"] = list(_jsonld(scripts))
    meta["@names"] = names
    return meta


def meta_signal(meta: dict, key: str) -> str:
    """The *_signal value for a meta tag, named as the page prints it: "meta:PubDate"."""
    return "meta:" + meta.get("@names", {}).get(key, key)


def _jsonld(scripts):
    """The JSON-LD objects of these <script type="application/ld+json"> elements, in order."""
    for script in scripts:
        try:
            data = json.loads(script.text or "")
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
