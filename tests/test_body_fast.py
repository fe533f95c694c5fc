"""body.py's fast paths held equal to the walks they skip, over every block of every page the
tests hold (the extraction fixtures, the site replicas) and of random pages."""
import random
from functools import lru_cache

import pytest
from lxml import html

from aggregator.extract import move_script_body, parse_page
from aggregator.extract import body as B
from aggregator.extract.page import page_root, walk, walk_python
from tests.test_walk_compiled import _fixture_pages, _html, _random_fragment, _replica_pages


def _prepared(data):
    tree, _, _ = parse_page(data, None)
    if tree is None:
        return None
    move_script_body(tree, None)
    B.prepare_tree(tree)
    return tree


@lru_cache(maxsize=1)
def _pages() -> tuple:
    pages = [p.read_bytes() for p in _fixture_pages()] + [data for _, data in _replica_pages()]
    return tuple(tree for tree in map(_prepared, pages) if tree is not None)


def _random_pages(count=150, seed=15):
    rng = random.Random(seed)
    trees = []
    for _ in range(count):
        tree = html.document_fromstring(_html(rng.choice(["", "正文", " "]) + _random_fragment(rng)))
        B.prepare_tree(tree)
        trees.append(tree)
    return trees


def _assert_blocks_read_alike(tree, make_model):
    """For every block of the page model: the walk that takes inner blocks from the model reads
    what the walk of every element reads, and so does the model's reading of the block (when it
    gives one)."""
    model = make_model(page_root(tree))
    stats = B.score_blocks(model.stats)
    for block in [el for el in model.elements if el in stats]:
        walked = B._walked_lines(block, stats)
        assert B._walked_lines(block, stats, model) == walked
        from_model = B._model_lines(block, stats, model)
        assert from_model is None or from_model == walked
        assert B.body_lines([block], stats, model=model) == walked


def test_the_pages_are_there():
    assert len(_pages()) > 50


@pytest.mark.parametrize("make_model", [walk, walk_python], ids=["compiled model", "python model"])
def test_every_block_of_the_test_pages_reads_as_its_walk(make_model):
    for tree in _pages():
        _assert_blocks_read_alike(tree, make_model)


@pytest.mark.parametrize("make_model", [walk, walk_python], ids=["compiled model", "python model"])
def test_every_block_of_random_pages_reads_as_its_walk(make_model):
    for n, tree in enumerate(_random_pages()):
        try:
            _assert_blocks_read_alike(tree, make_model)
        except AssertionError as exc:
            raise AssertionError(f"random page {n}: {exc}\n{html.tostring(tree, encoding='unicode')}") from None


def test_a_block_holding_a_title_reads_its_other_blocks_from_the_model():
    tree = html.document_fromstring(_html(
        "<div id=a><p>第一段，正文。</p><span><title>显示</title>尾</span><div><p>第二段。</p>x<br>y</div>后</div>"))
    B.prepare_tree(tree)
    model = walk(page_root(tree))
    stats = B.score_blocks(model.stats)
    node = tree.get_element_by_id("a")
    assert B._model_lines(node, stats, model) is None
    assert B.body_lines([node], stats, model=model) == B._walked_lines(node, stats) == [
        "第一段，正文。", "显示尾", "第二段。", "x", "y", "后"]


def _drop_title_lines_reference(lines, title):
    """_drop_title_lines with its tests in the order they read: the furniture regex first."""
    from aggregator.clean import is_edge_furniture
    if not title:
        return lines
    key = title.replace(" ", "")
    start = 0
    while start < min(len(lines), 3) and (lines[start].replace(" ", "") in (key, "")
                                          or (is_edge_furniture(lines[start]) and start + 1 < len(lines)
                                              and lines[start + 1].replace(" ", "") == key)):
        start += 1
    return lines[start:]


def _title_cases():
    """(lines, title) pairs: the clean tests' texts and the fixture pages' model lines, each with
    its own lines as the headline, behind breadcrumbs, keyword bars and blank lines."""
    from tests.test_clean_fast import ALL_TEXTS
    from aggregator.clean import _lines
    texts = [_lines(text) for text in ALL_TEXTS]
    texts += [[line.text for line in walk(page_root(tree)).lines[:12]] for tree in _pages()[:80]]
    furniture = ["首页 > 国内", "当前位置：首页 > 新闻", "关键词 >> 芯片", "", " ", "正文。"]
    cases = []
    for lines in texts:
        for title in [None, "", *lines[:4], "标 题", "不在其中的标题"]:
            cases.append((lines, title))
            for extra in furniture:
                cases.append(([extra, *lines], title))
                cases.append(([extra, title or "", extra, *lines], title))
    return cases


def test_drop_title_lines_is_its_plain_reading():
    from aggregator.extract import _drop_title_lines
    for lines, title in _title_cases():
        assert _drop_title_lines(list(lines), title) == _drop_title_lines_reference(list(lines), title), (lines, title)


def _classes(tree):
    return sorted({el.get("class") for el in tree.iter() if isinstance(el.tag, str) and el.get("class")})


@pytest.mark.skipif(walk is walk_python or not hasattr(walk(page_root(html.fromstring("<p>x</p>"))).stats,
                                                         "prose_blocks_of"),
                    reason="the compiled walk is not built")
def test_the_prose_blocks_of_a_kind_are_the_prose_blocks_of_that_tag_and_class():
    """BlockStats.prose_blocks_of (read in C) is the filter of prose_blocks by x.tag and
    x.get("class"), for every tag and class a page holds, on every page the tests hold and on
    random pages; and _first_of_repeated answers the same through it as through the Python stats."""
    compared = 0
    for tree in [*_pages(), *_random_pages()]:
        model = walk(page_root(tree))
        stats = B.score_blocks(model.stats)
        prose = stats.prose_blocks(20, 2, 0.7)
        tags = sorted({x.tag for x in prose}) or ["div"]
        for cls in _classes(tree)[:40]:
            for tag in tags:
                want = [x for x in prose if x.tag == tag and x.get("class") == cls]
                assert stats.prose_blocks_of(20, 2, 0.7, tag, cls) == want
                compared += bool(want)
        python_stats = B.score_blocks(walk_python(page_root(tree)).stats)
        best, _ = B._best_container(stats)
        if best is not None:
            assert B._first_of_repeated(best, stats) is B._first_of_repeated(best, python_stats)
    assert compared > 50


def test_first_of_repeated_finds_the_first_post_through_either_stats():
    post = '<div class="post"><div class="entry"><p>{}</p></div></div>'
    text = "这是一篇文章的正文，内容很长，有很多句子。第二句话也在这里，说明更多的情况。"
    page = "<html><body><div class='list'>{}</div><div class='list'>{}</div></body></html>".format(
        post.format(text), post.format(text * 3))
    tree = _prepared(page.encode("utf-8"))
    model = walk(page_root(tree))
    for stats in (B.score_blocks(model.stats), B.score_blocks(walk_python(page_root(tree)).stats)):
        best, _ = B._best_container(stats)
        first = B._first_of_repeated(best, stats)
        assert best is not None and first is not None
        first_list = tree.find(".//body")[0]
        assert any(a is first_list for a in first.iterancestors())
        assert not any(a is first_list for a in best.iterancestors())


@pytest.mark.skipif(walk is walk_python or not hasattr(walk(page_root(html.fromstring("<p>x</p>"))).stats,
                                                         "holds_named"),
                    reason="the compiled walk is not built")
def test_holding_what_the_model_does_not_read_is_lxmls_answer_for_every_element():
    """The compiled scan (BlockStats.holds_named) answers as lxml's iterator over the
    _NOT_MODEL_LINES tags, for every element of every page the tests hold and of random pages."""
    held = 0
    for tree in [*_pages(), *_random_pages()]:
        stats = walk(page_root(tree)).stats
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            want = next(el.iter(*B._NOT_MODEL_LINES), None) is not None
            assert stats.holds_named(el, B._NOT_MODEL_NAMES) is want
            assert B._holds_not_model_lines(el, stats) is want
            assert B._holds_not_model_lines(el, {}) is want
            held += want
    assert held > 100


@pytest.mark.skipif(walk is walk_python, reason="the compiled walk is not built")
def test_chrome_read_from_the_attributes_in_c_is_chrome_by_attrs_for_every_block():
    """BlockStats.line_ranges with body._chrome_attrs (the class and id read in C) gives the
    ranges it gives asking body._chrome_by_attrs of each element's proxy, for every block of
    every page the tests hold and of random pages, and of a page whose DTD declares attributes."""
    trees = [*_pages(), *_random_pages(), html.document_fromstring(
        '<!DOCTYPE html [<!ATTLIST div class CDATA "share">]><html><body><div><div>'
        '<p>正文，很长的一段话。</p></div></div></body></html>')]
    cut = 0
    for tree in trees:
        model = walk(page_root(tree))
        stats = B.score_blocks(model.stats)
        for el in model.elements:
            slow = stats.line_ranges(el, B._chrome_by_attrs)
            assert stats.line_ranges(el, B._chrome_by_attrs, B._chrome_attrs) == slow
            cut += slow is not None and len(slow) > 1
    assert cut > 100


@pytest.mark.skipif(walk is walk_python, reason="the compiled walk is not built")
def test_lead_nodes_through_the_compiled_prose_blocks_is_its_walk_of_the_elements(monkeypatch):
    """lead_nodes with the prose blocks between headline and body picked in C answers as its
    loop over every element between them, for headlines at many places of every page the tests
    hold (before the body, inside it, after it, far from it)."""
    compared = found = 0
    for tree in _pages():
        model = walk(page_root(tree))
        stats = B.score_blocks(model.stats)
        body, _ = B._best_container(stats)
        if body is None:
            continue
        elements = list(model.elements)
        for title in elements[::max(1, len(elements) // 40)]:
            fast = B.lead_nodes(title, body, stats, model=model)
            with monkeypatch.context() as m:
                m.setattr(B, "_prose_between", lambda *args: None)
                assert B.lead_nodes(title, body, stats, model=model) == fast
            compared += 1
            found += bool(fast)
    assert compared > 1000 and found > 0
