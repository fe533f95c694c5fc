"""title.py's fast paths held equal to what they skip: each over a table of edge cases, generated
inputs and the texts of the test fixtures' elements (tests/data, the site replicas)."""
import random
import re

import pytest
from lxml import etree, html

import aggregator.extract.page as page
from aggregator.extract import title
from tests.test_walk_compiled import _fixture_pages, _replica_pages

compiled = pytest.mark.skipif(not page.COMPILED, reason="the compiled walk is not built (python setup.py build_ext --inplace)")


# --- a non-heading element's strength, read from its class, id, size and style only

def _reference_attr_strength(tag, items):
    """The strength of a non-heading element from all its attributes, as title read it before it
    took only the four it reads (the reference for _attr_strength and the compiled scan)."""
    attrib = {}
    for name, value in items:
        attrib.setdefault(name, value)
    cls, id_ = attrib.get("class"), attrib.get("id")
    if cls or id_:
        attrs = f"{cls or ''} {id_ or ''}"
        if title._TITLE_ATTR.search(attrs) and not title._NOT_TITLE_ATTR.search(attrs):
            return 4
    if tag in title._BOLD_TAGS:
        return 2
    size, style = attrib.get("size"), attrib.get("style")
    if (size or style) and title._BIG_FONT.search(f"{size or ''} {style or ''}".lower()):
        return 2
    if tag in title._PLAIN_TAGS:
        return 1
    return 0


_NAMES = ["class", "id", "size", "style", "href", "align", "title", "Class", "data-id"]
_VALUES = ["", " ", "title", "sub-title", "headline nav", "bt", "tit", "x", "font-size:18px", "font-size: 12pt",
           "5", " 4 ", "x-large", "artibodyTitle", "logo", "ad-box", "标题", "TITLE", "site-title", "h1"]
_STRENGTH_TAGS = sorted({*title._PLAIN_TAGS, *title._BOLD_TAGS, "li", "em", "i", "section", "x-y", "{urn:q}b", ""})


def _attribute_sets(rng, n):
    for _ in range(n):
        yield tuple((rng.choice(_NAMES), rng.choice(_VALUES)) for _ in range(rng.randint(0, 4)))


def test_the_strength_read_from_four_attributes_is_the_strength_read_from_all():
    rng = random.Random(15)
    for items in _attribute_sets(rng, 3000):
        tag = rng.choice(_STRENGTH_TAGS)
        assert title._attr_strength(tag, items) == _reference_attr_strength(tag, items), (tag, items)


@pytest.mark.parametrize("tag", _STRENGTH_TAGS)
def test_without_the_four_attributes_the_strength_is_the_tags_own(tag):
    """The compiled scan gives an element whose class, id, size and style are all absent or
    empty its tag's bare strength without calling _named_strength: the same number."""
    assert title._named_strength(tag, "", "", "", "") == title._BARE_STRENGTH.get(tag, 0)


def _attributed_fragment(rng, unique=False):
    """Elements with random attributes; each name once when `unique` (as XML requires)."""
    parts = []
    for _ in range(rng.randint(3, 14)):
        tag = rng.choice(["div", "p", "span", "b", "strong", "font", "td", "li", "em", "h2", "center", "i"])
        items = next(_attribute_sets(rng, 1))
        attrs = "".join(f" {name}='{value}'" for name, value in (dict(reversed(items)).items() if unique else items))
        text = rng.choice(["标题文字", "a", "发布时间：2021-06-30", "【原创】新闻标题", "一二三四五六"])
        inner = f"<span class='{rng.choice(_VALUES)}'>{text}</span>" if rng.random() < 0.3 else text
        parts.append(f"<{tag}{attrs}>{inner}</{tag}>")
    return "".join(parts)


@compiled
def test_the_compiled_scan_reads_attributes_as_the_python_scan():
    """Elements with every mix of the four attributes and others (empty, repeated, upper-case,
    namespaced): the compiled scan's candidates, strengths and texts are the Python scan's."""
    from tests.test_walk_compiled import _assert_same_headline_scan
    rng = random.Random(16)
    for n in range(300):
        fragment = _attributed_fragment(rng, unique=not n % 4)
        if n % 4:
            root = html.document_fromstring(f"<html><body>{fragment}</body></html>").find("body")
        else:  # XML: attributes in a namespace are read through lxml
            fragment = fragment.replace(" style=", " q:style=", 1)
            root = etree.fromstring(f'<body xmlns:q="urn:q">{fragment}</body>')
        _assert_same_headline_scan(page.walk(root), page.walk_python(root))
