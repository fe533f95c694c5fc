"""The compiled reading of a page's <meta> and JSON-LD scripts (aggregator/extract/_walk.pyx
meta_tags) held to read_meta's reading of the elements' proxies (meta._meta_tags): the same
pairs and texts on crafted pages and on every page the tests hold, and read_meta the same
either way."""
from __future__ import annotations

import pytest
from lxml import etree

import aggregator.extract.meta as meta
import aggregator.extract.page as page
from aggregator.extract import parse_page

pytestmark = pytest.mark.skipif(not page.COMPILED, reason="the compiled walk is not built (python setup.py build_ext --inplace)")

_CASES = [
    '<meta name="ArticleTitle" content="标题">',
    '<meta name="" property="og:title" content=" 标题  二 ">',          # an empty name: the next key
    '<meta name="" property="" itemprop="" http-equiv="Content-Type" content="text/html">',
    '<meta name="a" content>',                                         # a content without a value
    '<meta name content="x">',                                         # a key without a value
    '<meta name="a">',                                                 # no content
    '<meta content="x">',                                              # no key
    '<meta name="a" name="b" content="x" content="y">',                # names twice: the parser keeps the first
    '<meta NAME="Upper" CONTENT="x">',
    '<meta name="a" content="&amp; &lt;b&gt; &#20013;">',              # references in values
    '<meta itemprop="datePublished" content="2021-06-30"><meta name="PubDate" content="2021-07-01">',
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "h"}</script>',
    '<script type="application/ld+json"></script>',                   # no text
    '<script type="application/ld+json">  </script>',
    '<script type="application/ld+json"><![CDATA[{"a": 1}]]></script>',
    '<script type="text/javascript">var a = 1;</script><script>var b;</script>',
    '<script type="APPLICATION/LD+JSON">{"a": 1}</script>',           # the type compared as it is
    '<script type="application/ld+json" type="x">{"a": 1}</script>',
    '<script type="application/ld+json">{"@graph": [{"a": 1}, 2]}</script>',
]


def _page(head):
    return f"<html><head>{head}</head><body><p>正文<meta name='inbody' content='b'></p></body></html>"


def _both(tree):
    return page._walk.meta_tags(tree, meta._JSONLD_TYPE), meta._meta_tags(tree)


@pytest.mark.parametrize("head", _CASES)
def test_the_compiled_reading_is_the_proxies_on_crafted_pages(head):
    tree, _, _ = parse_page(_page(head))
    compiled, python = _both(tree)
    assert compiled == python


def test_a_dtd_declaring_attributes_is_left_to_lxml():
    tree = etree.fromstring('<!DOCTYPE html [<!ATTLIST meta name CDATA "dflt">]><html><head>'
                            '<meta content="x"/></head></html>', etree.XMLParser(load_dtd=True))
    assert page._walk.meta_tags(tree, meta._JSONLD_TYPE) is None
    assert meta._meta_tags(tree) == ([("dflt", "x")], [])


def test_a_namespaced_meta_is_left_to_lxml():
    tree = etree.fromstring('<html xmlns="http://www.w3.org/1999/xhtml"><head><meta name="a" content="x"/></head></html>')
    assert page._walk.meta_tags(tree, meta._JSONLD_TYPE) is None


def _pages():
    from tests.test_walk_compiled import _fixture_pages, _replica_pages
    return [(p.name, p.read_bytes()) for p in _fixture_pages()] + _replica_pages()


def test_the_compiled_reading_is_the_proxies_on_every_page_the_tests_hold(monkeypatch):
    pages = _pages()
    assert len(pages) > 100
    read = 0
    for name, data in pages:
        tree, _, _ = parse_page(data)
        if tree is None:
            continue
        compiled, python = _both(tree)
        assert compiled == python, name
        read += bool(python[0])
        fast = meta.read_meta(tree)
        with monkeypatch.context() as m:
            m.setattr(meta, "_walk", None)
            assert meta.read_meta(tree) == fast, name
    assert read > 50
