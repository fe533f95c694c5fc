"""The compiled page-model walk (aggregator/extract/_walk.pyx) gives the model the Python walk
(page.walk_python, the reference) gives, on every page the tests hold and on generated pages
made to be hard: comments, processing instructions, CDATA and entities between runs of text,
nested skipped elements, empty and whitespace text, deep nesting, the MAX_* limits hit, <br>
chains, text before <body>, characters beyond the BMP. And where it is not built, the package
runs the Python walk and says so."""
from __future__ import annotations

import importlib
import os
import pkgutil
import random
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree, html

import aggregator.extract.page as page
from aggregator.extract import move_script_body, parse_page
from aggregator.extract.body import count_nonspace, count_punct, prepare_tree
from aggregator.extract.page import page_root, walk, walk_python

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("lines", "elements", "offset_at", "start_at", "end_at", "close_at", "after_at", "stats", "skipped")

compiled = pytest.mark.skipif(not page.COMPILED, reason="the compiled walk is not built (python setup.py build_ext --inplace)")


def test_the_compiled_walk_is_there_where_it_is_required():
    """.ci/run builds it and sets REQUIRE_COMPILED_WALK: there a missing extension fails the run."""
    if os.environ.get("REQUIRE_COMPILED_WALK"):
        assert page.COMPILED, "REQUIRE_COMPILED_WALK is set but aggregator.extract._walk does not import"
    else:
        pytest.skip("REQUIRE_COMPILED_WALK not set")


def assert_same_model(root):
    """Both walks of `root` give equal models, field by field (the message names the first that
    differs), read as the finders read them; and the body finder's loops over the compiled
    model's blocks give what its loops over the Python walk's dict of Stats give."""
    fast, reference = walk(root), walk_python(root)
    for name in FIELDS:
        assert getattr(fast, name) == getattr(reference, name), name
    assert fast == reference
    _assert_same_reading(fast, reference)
    _assert_same_body_reading(fast, reference)
    _assert_same_headline_scan(fast, reference)
    _assert_same_leaf_texts(fast, reference)


def _assert_same_reading(fast, reference):
    """Indexing, slicing, lookups by element: the compiled model's sequences and mappings answer
    as the Python walk's lists and dicts."""
    for name in ("elements", "offset_at", "start_at", "end_at", "close_at", "after_at"):
        got, want = getattr(fast, name), getattr(reference, name)
        assert len(got) == len(want) and list(got) == want, name
        for index in (0, 1, -1, -2, len(want) // 2, len(want) - 1, len(want), -len(want) - 1):
            if -len(want) <= index < len(want):
                assert got[index] == want[index] if name != "elements" else got[index] is want[index], (name, index)
            else:
                with pytest.raises(IndexError):
                    got[index]
        for cut in (slice(None), slice(1, None), slice(2, -1), slice(None, None, 2), slice(-3, None), slice(5, 2)):
            assert got[cut] == want[cut], (name, cut)
    assert dict(fast.order.items()) == reference.order and len(fast.order) == len(reference.order)
    outsider = etree.Element("p")
    for el in [*reference.elements, outsider, None, "p"]:
        assert fast.order.get(el) == reference.order.get(el)
        assert (el in fast.order) == (el in reference.order)
        assert (el in fast.stats) == (el in reference.stats)
        assert fast.stats.get(el) == reference.stats.get(el)
    for mapping in ("starts", "ends", "offsets", "closes", "after"):
        assert dict(getattr(fast, mapping)) == dict(getattr(reference, mapping)), mapping


def _assert_same_body_reading(fast, reference):
    """score_blocks, the best container, the prose blocks, each block's line ranges and lines
    (body.py's loops) from the compiled model's stats and from the Python walk's dict."""
    from aggregator.extract import body
    got, want = body.score_blocks(fast.stats), body.score_blocks(reference.stats)
    assert dict(got.items()) == want  # the scores equal to the last bit
    assert body._best_container(got) == body._best_container(want)
    assert body._prose_blocks(got) == body._prose_blocks(want)
    for block in want:
        assert body._kept_line_ranges(block, got, fast) == body._kept_line_ranges(block, want, reference)
        assert body._model_lines(block, got, fast) == body._model_lines(block, want, reference)


def _assert_same_headline_scan(fast, reference):
    """The headline finder's scan of the elements (title._scanned: in C over the compiled model)
    finds what its Python scan finds over the Python walk's lists, with the same texts, over the
    whole page and over a window inside it."""
    from aggregator.extract import title
    n = len(reference.elements)
    for window in (range(n), range(n // 3, n - n // 3)):
        got_texts, want_texts = title._Texts(), title._Texts()
        got = title._scanned(fast, window, got_texts)
        assert got == title._scanned_python(reference, window, want_texts), window
        assert [got_texts[el] for _, el, *_ in got] == [want_texts[el] for _, el, *_ in got], window


def _assert_same_leaf_texts(fast, reference):
    """The header lines' scan of the elements before the body (_leaf_texts: in C over the
    elements' nodes) reads the texts its Python scan reads, for runs of the page's elements and
    the whole page, with a bound on the length that cuts some texts and one that cuts none."""
    import aggregator.extract as extract
    elements = reference.elements
    runs = [elements[i:i + 40] for i in range(0, len(elements), 40)] + [list(elements)]
    if elements:
        top = elements[0].getroottree().getroot()
        runs.append(list(top.iter()))  # with comments and the elements outside the model
    for run in runs:
        for most in (200, 5, 10**9):
            assert extract._leaf_texts(run, most) == extract._leaf_texts_python(run, most), most
    assert page._walk.leaf_texts(elements, extract._BLOCKS, 200) is not None or not len(elements)
    # without a headline element: the last elements before each block, from the document's top
    if elements:
        top = elements[0].getroottree().getroot()
        outsider = etree.Element("div")  # a body the walk never meets: every element is read
        for body_node in [el for el in elements if el in reference.stats][:40] + [top, outsider]:
            for window in (40, 3, 1):
                found = page._walk.leaf_texts_before(top, body_node, window, extract._BLOCKS, 200)
                before = extract._before_body_in_tree(top, None, body_node, window)
                assert found is not None
                assert extract._read_the_rest(found, 200) == extract._leaf_texts_python(before, 200), window


def _roots(tree):
    """The roots a page is walked from: its <body> (as extraction does) and the whole document."""
    top = tree.getroot() if hasattr(tree, "getroot") else tree
    return [page_root(tree), top]


def _check_page(data, prepared=True):
    tree, _, reason = parse_page(data, None)
    assert tree is not None, reason
    if prepared:
        move_script_body(tree, None)
        prepare_tree(tree)
    for root in _roots(tree):
        assert_same_model(root)


# --- the pages the tests hold: the extraction fixtures and every page of the site replicas


def _fixture_pages():
    return sorted((ROOT / "tests" / "data").rglob("*.htm*"))


def _replica_pages():
    import tests.replicas as replicas
    out = []
    for info in pkgutil.iter_modules(replicas.__path__):
        routes = importlib.import_module(f"tests.replicas.{info.name}").routes()
        for path, reply in sorted(routes.items()):
            body = getattr(reply, "body", None)
            if body and (b"<" if isinstance(body, bytes) else "<") in body:
                out.append((f"{info.name}{path}", body.encode("utf-8") if isinstance(body, str) else body))
    return out


@compiled
@pytest.mark.parametrize("path", _fixture_pages(), ids=lambda p: p.name)
@pytest.mark.parametrize("prepared", [True, False], ids=["prepared", "as parsed"])
def test_the_fixture_pages_give_equal_models(path, prepared):
    _check_page(path.read_bytes(), prepared)


@compiled
def test_every_replica_page_gives_equal_models():
    pages = _replica_pages()
    assert len(pages) > 100
    for name, data in pages:
        for prepared in (True, False):
            try:
                _check_page(data, prepared)
            except AssertionError as exc:
                raise AssertionError(f"{name} ({'prepared' if prepared else 'as parsed'}): {exc}") from None


# --- pages made to be hard

TRICKY = {
    "comment between runs": "<p>甲<!-- 注 -->乙<b>丙</b>丁<!--x-->戊</p>",
    "processing instruction between runs": "<div>一<?php echo 1 ?>二<span>三</span><?pi x?>四</div>",
    "comment as the only child": "<div><!-- nothing --></div><p><!--a--><!--b--></p><li><!--c--></li>文",
    "entities": "<p>&nbsp;&amp;&lt;公告&gt;&#x3000;&#12288;&#x20000;&copy; a&nbsp;b</p>",
    "non-BMP characters": "<p>𠀀𠀁 😀 <a>𪚥</a>𫝆，。</p><h1>\U0001F600标题\U00020000</h1>",
    "whitespace kinds": "<p> \t\n\r\u3000\xa0\u2028\u2029\x1c\x1d\x1e\x1f\x85\u200b\ufeff </p>"
                        "<p>甲\u3000乙\xa0丙\u2028丁\x1c戊\u205f己</p><div>\u3000</div>",
    "empty elements": "<p></p><div><span></span></div><a></a><b> </b><i>\n</i>",
    "nested skipped elements": "<div>前<script>var a='<p>x</p>';</script>中<select><option>一<option>二</select>"
                               "<button><i>图</i><b>字</b></button>后<svg><g><text>图中</text></g></svg>尾</div>"
                               "<noscript><p>不</p></noscript><textarea>框</textarea><template><p>模</p></template>",
    "br chains": "<p>一<br>二<br><br><br>三<br/></p><br><br>四<div><br></div>",
    "text before body": "前言<p>一</p>",
    "title in body": "<title>错</title><p>一</p><head><meta name=x></head><p>二</p>",
    "links": "<ul><li><a href=1>甲</a></li><li><a>乙</a> 2021-06-30</li><li>丙<a>丁</a>戊</li></ul>"
             "<p><a><a>套</a></a>外</p><a href=2><p>块在链接里</p>尾</a>",
    "tables": "<table><tr><td>一</td><td>二<table><tr><td>三</td></tr></table>四</td></tr>"
              "<tfoot><tr><td>脚</td></tr></tfoot></table>后",
    "tails everywhere": "<div><p>段</p>尾一<span>内</span>尾二<br>尾三<hr>尾四</div>尾五",
    "unknown and upper-case tags": "<DIV><FONT color=red>红</FONT><custom-tag>自定义</custom-tag><o:p>词</o:p></DIV>",
    "long line": "<p>" + "长" * 5000 + "</p><p>" + "短 " * 3000 + "</p>",
    "runs of spaces": "<p>  a   b  </p><p>a<b> </b>b</p><p><i>x</i> <i>y</i></p><p> <i> </i> </p>",
    "punctuation in and out of links": "<div>一，二。三、四；五：六！七？“八”,;<a>链，接。</a></div>",
    "headline texts": "<h1>\ue000标\u200b题\ufeff 一</h1><h2> <!--c-->副<b>题</b>\u3000二 </h2><h3>\ue001</h3>"
                      "<div class=title>类<i>题</i></div><p id=bt style='font-size:20px'>样式\n题</p><h4>x</h4>"
                      "<span class='nav title'>导航</span><strong>粗 体</strong><center>中</center><em>斜体</em>"
                      "<td>格</td><h5><span><span><span><span><span><span><span>深</span></span></span></span>"
                      "</span></span></span></h5><font size=5>大字</font><p nowrap class=title>无值属性</p>"
                      "<span class=bt class=x id='a&amp;title'>重复属性</span>",
    "chrome inside a block": "<div id=zoom><p>正文，第一段。</p><div class=share>分享到</div><div class=''>空类</div>"
                             "<div class=' '>空白类</div><p style='x'>样式，段落。</p><div id=related-box>相关</div>"
                             "<div class='content share'>正文类</div><ul><li><a>链接一二三四五六</a></li>"
                             "<li><a>链接七八九十甲乙</a></li></ul><p>尾段，结束。</p></div>",
}


def _html(fragment):
    return f"<html><head><title>题</title></head><body>{fragment}</body></html>"


@compiled
@pytest.mark.parametrize("name", sorted(TRICKY))
@pytest.mark.parametrize("prepared", [True, False], ids=["prepared", "as parsed"])
def test_tricky_pages_give_equal_models(name, prepared):
    data = _html(TRICKY[name])
    tree = html.document_fromstring(data)
    if prepared:
        prepare_tree(tree)
    for root in _roots(tree):
        assert_same_model(root)
    _check_page(data.encode("utf-8"), prepared)


# random pages from the same parts: every kind of element the walk tells apart, nested at random
_TAGS = ["div", "p", "span", "a", "b", "br", "li", "ul", "td", "tr", "table", "h1", "script", "style", "svg",
         "button", "title", "font", "section", "pre", "tfoot", "select", "option", "em", "img", "hr"]
_TEXTS = ["", " ", "\n  ", "\u3000", "\xa0", "正文", "段落，", "。", "a b", "  x  ", "&nbsp;", "&amp;", "&#x20000;",
          "😀", "\u2028", "日期：2021-06-30", "“引”", ",;", "\t"]
_BETWEEN = ["", "", "", "<!-- c -->", "<?pi x?>", "<![CDATA[cd]]>"]


def _random_fragment(rng, depth=0):
    parts = []
    for _ in range(rng.randint(0, 4 if depth < 6 else 1)):
        parts.append(rng.choice(_TEXTS) + rng.choice(_BETWEEN) + rng.choice(_TEXTS))
        tag = rng.choice(_TAGS)
        if tag in ("br", "img", "hr"):
            parts.append(f"<{tag}>")
        else:
            parts.append(f"<{tag}>{_random_fragment(rng, depth + 1)}</{tag}>")
    parts.append(rng.choice(_TEXTS))
    return "".join(parts)


@compiled
def test_random_pages_give_equal_models():
    rng = random.Random(14)
    for n in range(300):
        data = _html(rng.choice(_TEXTS) + _random_fragment(rng))
        for prepared in (True, False):
            tree = html.document_fromstring(data)
            if prepared:
                prepare_tree(tree)
            try:
                for root in _roots(tree):
                    assert_same_model(root)
            except AssertionError as exc:
                raise AssertionError(f"page {n} ({'prepared' if prepared else 'as parsed'}): {exc}\n{data}") from None


@compiled
def test_a_line_of_one_run_is_folded_as_the_python_walk_folds_it():
    """A line of one run is its run itself when the run is its own fold (single ASCII spaces
    between other characters), else folded: random runs of words and every kind of whitespace,
    one per line, give the Python walk's lines."""
    rng = random.Random(16)
    pieces = ["字", "ab", " ", "  ", "\u3000", "\xa0", "\t", "\n", "\u2028", "\x85", "😀", "\ue000", "，"]
    for _ in range(100):
        runs = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(30)]
        root = etree.Element("body")
        for run in runs:
            etree.SubElement(root, rng.choice(["p", "div", "li", "span"])).text = run
        assert_same_model(root)


@compiled
def test_runs_of_only_whitespace_are_read_as_the_python_walk_reads_them():
    """A run of ASCII whitespace alone is read without decoding (_Walker._whitespace_run): runs of
    every ASCII character, whitespace or not, and of other whitespace, as texts and tails before,
    inside and after lines, give the Python walk's model (its counts, lines and their runs)."""
    rng = random.Random(17)
    ascii_space = [chr(c) for c in range(128) if chr(c).isspace()]
    pieces = ascii_space * 3 + ["字", "a", "\u3000", "\xa0", "\x85", "\u2028", "\x00", "\x7f", "，", "😀"]
    for _ in range(150):
        root = etree.Element("body")
        for _ in range(rng.randint(1, 20)):
            el = etree.SubElement(root, rng.choice(["p", "div", "span", "b", "a", "br", "li"]))
            for attr in ("text", "tail"):
                if rng.random() < 0.8:
                    run = "".join(rng.choice(pieces if rng.random() < 0.3 else ascii_space)
                                  for _ in range(rng.randint(1, 8)))
                    try:
                        setattr(el, attr, run)
                    except ValueError:  # a control character lxml refuses
                        pass
        assert_same_model(root)


@compiled
def test_the_tag_tables_carry_nothing_from_one_document_to_the_next():
    """The walks and scans share their tables of tag names, each reading only the slots it filled
    itself: documents made and freed one after the other (whose names libxml2 may put at the
    addresses of the last one's) each give the Python walk's model, namespaced or not."""
    rng = random.Random(15)
    names = ["p", "div", "b", "a", "td", "x-item", "script", "h1", "span", "li"]
    for n in range(200):
        rng.shuffle(names)
        body = "".join(f"<{t}>字{i}<{names[-1]}>尾</{names[-1]}></{t}>" for i, t in enumerate(names[:rng.randint(1, 8)]))
        if n % 3:
            tree = html.document_fromstring(_html(body))
            roots = list(_roots(tree))
        else:
            roots = [etree.fromstring(f'<body xmlns:q="urn:q"><q:div>前</q:div>{body}</body>')]
        for root in roots:
            assert_same_model(root)


@compiled
@pytest.mark.parametrize("limit,value", [("MAX_LINES", 1), ("MAX_LINES", 2), ("MAX_LINES", 3), ("MAX_LINES", 7),
                                         ("MAX_TEXT", 0), ("MAX_TEXT", 5), ("MAX_TEXT", 40),
                                         ("MAX_LINE_CHARS", 0), ("MAX_LINE_CHARS", 3), ("MAX_LINE_CHARS", -2)])
@pytest.mark.parametrize("with_skipped", [False, True], ids=["nothing skipped", "skipped elements"])
def test_the_limits_stop_both_walks_alike(monkeypatch, limit, value, with_skipped):
    monkeypatch.setattr(page, limit, value)
    skipped = "<script>x</script><svg><g><text>t</text></g></svg>" if with_skipped else ""
    data = _html(f"<div><p>一二三四</p>{skipped}<p>五<b>六</b>七</p><ul><li>八</li><li><a>九</a></li></ul>"
                 f"<p>十</p>尾<br>再<div><div><p>深</p></div>后</div></div>{skipped}<p>末</p>")
    tree = html.document_fromstring(data)
    for root in _roots(tree):
        assert_same_model(root)


@compiled
def test_deep_nesting():
    root = etree.Element("body")
    node = root
    for i in range(3000):
        node = etree.SubElement(node, ("div", "span", "a", "p")[i % 4])
        node.text = "字" if i % 3 else " "
        node.tail = "尾" if i % 5 else None
    assert_same_model(root)


@compiled
def test_xml_trees_cdata_entities_and_namespaces():
    # adjacent text and CDATA nodes (one run to lxml's .text), an entity reference left unresolved
    # (it ends the run, as a comment does), a namespaced element ("{uri}name" as lxml names it)
    data = ("<!DOCTYPE body [<!ENTITY e 'ent'>]><body xmlns:x='urn:x'><p>a<![CDATA[ b ]]>c<![CDATA[]]></p>"
            "<p>前&e;后</p><x:div>名<p>内</p></x:div><div>t<!--c-->u</div></body>")
    # attributes: a namespaced class (not the one get('class') reads), a DTD's default class
    attributes = ("<!DOCTYPE body [<!ATTLIST div class CDATA 'share'>]><body xmlns:x='urn:x'><div>正文，一。"
                  "<p x:class='share'>段，二。</p><div>默认类</div><p class='nav'>导航</p></div></body>")
    for parser in (etree.XMLParser(), etree.XMLParser(attribute_defaults=True)):
        assert_same_model(etree.fromstring(attributes.encode("utf-8"), parser))
    for strip_cdata, resolve in ((False, False), (True, True), (False, True)):
        parser = etree.XMLParser(strip_cdata=strip_cdata, resolve_entities=resolve)
        root = etree.fromstring(data.encode("utf-8"), parser)
        assert_same_model(root)


def test_an_empty_root_and_what_is_no_element():
    assert walk(None) == walk_python(None)
    comment = html.fragment_fromstring("<div><!-- c --></div>")[0]
    assert walk(comment) == walk_python(comment)


@compiled
def test_the_counts_are_body_counts_on_every_character():
    """The blocks' counts are made in C from the characters body's counts read: equal on each
    character of Unicode (a change of those characters in body.py reaches the compiled walk)."""
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    assert [page._walk.count_text(c) for c in chars] == [(count_nonspace(c), count_punct(c)) for c in chars]


@compiled
def test_the_runs_of_text_are_lxml_s_strings_on_every_character():
    """The walk decodes libxml2's UTF-8 itself: every character an XML text may hold comes out as
    lxml's .text gives it (the same string, the same kind), in runs of ASCII, of the BMP and beyond."""
    chars = [chr(c) for c in range(0x110000) if c in (9, 10, 13) or 0x20 <= c < 0xD800 or 0xE000 <= c < 0xFFFE
             or c >= 0x10000]
    for start in range(0, len(chars), 2048):
        chunk = "".join(chars[start:start + 2048])
        for text in (chunk, "a" + chunk, chunk[:50] + "z", "x" + chunk[-3:]):
            root = etree.Element("body")
            etree.SubElement(root, "p").text = text
            runs = [run for line in walk(root).lines for run in line.runs]
            reference = [run for line in walk_python(root).lines for run in line.runs]
            assert runs == reference and all(type(r) is str for r in runs), hex(ord(chunk[0]))


def test_without_the_extension_the_python_walk_runs_and_says_so():
    """The fallback: the extension made unimportable, the package still extracts (with the Python
    walk) and page.COMPILED is False; what it extracts is what the compiled walk gives."""
    fixture = _fixture_pages()[0]
    script = (
        "import sys, json; sys.modules['aggregator.extract._walk'] = None\n"
        "from aggregator.extract import page, extract_article\n"
        "print(json.dumps([page.COMPILED, extract_article(open(sys.argv[1], 'rb').read(), '')], "
        "ensure_ascii=False, default=repr, sort_keys=True))")
    run = subprocess.run([sys.executable, "-c", script, str(fixture)], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    import json

    from aggregator.extract import extract_article
    is_compiled, result = json.loads(run.stdout)
    assert is_compiled is False
    here = json.loads(json.dumps(extract_article(fixture.read_bytes(), ""), ensure_ascii=False, default=repr,
                                 sort_keys=True))
    assert result == here and result["body"]


@compiled
def test_the_leaf_texts_count_every_width_of_character():
    """A text told too long by counting its characters (UTF-8 of one to four bytes, spaces of
    every kind left out) is the one whose folded form is too long, at every bound around it."""
    import aggregator.extract as extract
    rng = random.Random(14)
    alphabet = ["a", " ", "é", "ß", "中", "文", "\u3000", "\xa0", "\u2003", "😀", "𠀀", "\t", "\n", "—", "\u0085"]
    for _ in range(300):
        runs = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(3)]
        root = html.fromstring(f"<div><span>{runs[0]}<b>{runs[1]}</b>{runs[2]}</span></div>")
        elements = [root, root[0], root[0][0]]
        size = len(extract._folded_text(root))
        for most in {0, 1, max(size - 1, 0), size, size + 1}:
            assert extract._leaf_texts(elements, most) == extract._leaf_texts_python(elements, most), (runs, most)


@compiled
def test_the_first_named_descendant_is_the_python_search_s():
    """_walk.first_named finds the element _first_descendant_python finds (root.find(".//" + tag))
    or leaves the search to it: over every fixture and replica page from each of its first 30
    elements, and over trees with namespaces, comments, processing instructions and entities."""
    trees = []
    for data in [p.read_bytes() for p in _fixture_pages()] + [data for _, data in _replica_pages()]:
        tree, _, _ = parse_page(data, None)
        if tree is not None:
            trees.append(tree)
    parser = etree.XMLParser(resolve_entities=False)
    trees += [etree.fromstring(x, parser) for x in [
        '<html xmlns:q="urn:q"><q:title>ns</q:title><title>plain</title><body/></html>',
        '<html xmlns="urn:d"><head><title>default ns</title></head><body/></html>',
        '<!DOCTYPE html [<!ENTITY e "<title>x</title>">]><html><!--c--><?pi x?>&e;<p><title>t</title></p></html>',
        '<html/>', '<title/>']]
    for tree in trees:
        top = tree.getroot() if hasattr(tree, "getroot") else tree
        for root in list(top.iter())[:30]:
            for tag in ("title", "body", "p", "h1", "{urn:q}title", "*", "nothing"):
                found = page._walk.first_named(root, tag)
                want = page._first_descendant_python(root, tag)
                assert found is False or found is want, (tag, root)
                assert page.first_descendant(root, tag) is want
    assert page._walk.first_named(etree.ElementTree(etree.Element("html")), "title") is False  # read in Python
