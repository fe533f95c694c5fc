"""aggregator.extract.parse_page's limit on a page's nodes: a page holding more than MAX_ELEMENTS
(elements, comments, processing instructions) is rejected, told by the compiled count of the
tree where it is built and by the Python one, which give the same answer on every tree."""
from __future__ import annotations

from itertools import islice

import pytest
from lxml import html

import aggregator.extract as extract
import aggregator.extract.page as page
from aggregator.extract import parse_page

compiled = pytest.mark.skipif(not page.COMPILED, reason="the compiled walk is not built (python setup.py build_ext --inplace)")
FILLER = "正文" * 40  # text enough that the page is longer than the limit in characters


@pytest.mark.parametrize("body,complex_", [
    ("<p>x</p>" * 60, True),                        # elements
    ("<p>x<!--c--></p>" * 30, True),                # elements and comments
    ("<p>x<?pi x?></p>" * 30, True),                # elements and processing instructions
    ("<p>x</p>" * 40 + FILLER, False),              # fewer nodes, a long text
    ("<p>" + "a < b " * 60 + "</p>", False),        # many "<" in the text, few nodes
    ("<p>x</p>" * 60 + "<!--" + FILLER + "-->", True),
])
@pytest.mark.parametrize("compiled_count", [True, False], ids=["compiled", "python"])
def test_a_page_of_too_many_nodes_is_rejected(monkeypatch, body, complex_, compiled_count):
    if compiled_count and not page.COMPILED:
        pytest.skip("the compiled walk is not built")
    if not compiled_count:
        monkeypatch.setattr(extract, "_walk", None)
    monkeypatch.setattr(extract, "MAX_ELEMENTS", 50)
    tree, _, reason = parse_page(f"<html><body>{body}</body></html>")
    assert (reason or "").startswith("page too complex") is complex_
    assert (tree is None) is complex_


def _iter_count(root, most):
    return sum(1 for _ in islice(root.iter(), most + 1)) > most


def _pages():
    from tests.test_walk_compiled import _fixture_pages, _replica_pages
    return [(p.name, p.read_bytes()) for p in _fixture_pages()] + _replica_pages()


@compiled
def test_the_compiled_count_is_the_iterators_on_every_page_the_tests_hold():
    pages = _pages()
    assert len(pages) > 100
    for name, data in pages:
        tree, _, reason = parse_page(data)
        if tree is None:
            continue
        total = sum(1 for _ in tree.iter())
        for root in (tree, tree.find(".//body"), tree[0]):
            if root is None:
                continue
            n = sum(1 for _ in root.iter())
            for most in (0, 1, n - 1, n, n + 1, total):
                assert page._walk.nodes_over(root, most) is _iter_count(root, most), (name, root.tag, most)


@compiled
def test_the_compiled_count_steps_over_what_the_iterator_does_not_visit():
    """Text, CDATA and entity references' children are not nodes of root.iter()."""
    root = html.fromstring("<div>a<!--c--><?pi x?><p>b<br>c</p>d<span><i>e</i></span></div>")
    n = sum(1 for _ in root.iter())
    assert n == 7
    assert [page._walk.nodes_over(root, most) for most in (5, 6, 7)] == [True, True, False]


_IDS_PAGE = ('<html><body><div id="nav">栏目</div><div id="zoom"><p>教育局召开会议，部署秋季开学工作。</p>'
             '<p>会议要求各校做好准备。</p></div></body></html>')


def test_a_page_is_parsed_without_the_id_table_and_its_id_attributes_still_select():
    tree, _, _ = parse_page(_IDS_PAGE.encode("utf-8"))
    assert tree.xpath("id('zoom')") == []  # the table only XPath's id() reads is not kept
    assert [el.get("id") for el in tree.cssselect("#zoom")] == ["zoom"]
    assert [el.get("id") for el in tree.xpath("//*[@id='zoom']")] == ["zoom"]


def test_a_site_selector_calling_id_gets_the_id_table():
    tree, _, _ = parse_page(_IDS_PAGE.encode("utf-8"), ids=True)
    assert [el.get("id") for el in tree.xpath("id('zoom')")] == ["zoom"]
    out = extract.extract_article(_IDS_PAGE.encode("utf-8"), "http://example.edu.cn/a.html",
                                  selectors={"body": "(id('zoom'))"})
    assert out["body_signal"] == "selector" and "秋季开学" in out["body"]


@pytest.mark.parametrize("selectors, reads", [
    (None, False), ({}, False), ({"body": "#zoom"}, False), ({"body": "//div[@id='zoom']"}, False),
    ({"body": "id('zoom')//p"}, True), ({"title": "h1", "date": "id('time')"}, True),
])
def test_which_selectors_read_the_id_table(selectors, reads):
    assert extract._reads_ids(selectors) is reads
