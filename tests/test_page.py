"""aggregator.extract.page: the one walk whose model the body, title, date and byline finders read."""
import pytest
from lxml import html

from aggregator.extract.body import compute_stats, prepare_tree
from aggregator.extract.page import page_root, walk

PAGE = """<html><head><title>城关小学开展防溺水安全教育_县教育局</title></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/jydt/">教育动态</a></div>
<h1>城关小学开展防溺水安全教育</h1>
<div class="info">发布时间：2019-06-12 16:40 <span>来源：县教育局</span></div>
<div id="zoom"><p>6月11日，城关小学组织全体学生开展防溺水专题教育。</p><p>学生们认真听讲，<b>积极</b>互动。</p></div>
<script>var x = "不是正文";</script>
</body></html>"""


def _model():
    tree = html.document_fromstring(PAGE)
    return tree, walk(page_root(tree))


def test_lines_are_the_visible_text_one_per_block():
    _, model = _model()
    assert model.texts == ["首页 > 教育动态", "城关小学开展防溺水安全教育", "发布时间：2019-06-12 16:40 来源：县教育局",
                           "6月11日，城关小学组织全体学生开展防溺水专题教育。", "学生们认真听讲， 积极 互动。"]
    assert [ln.tag for ln in model.lines][:2] == ["div", "h1"]
    assert not model.lines[0].link and model.lines[1].tag == "h1"


def test_starts_and_ends_index_the_lines_of_each_element():
    tree, model = _model()
    zoom = tree.get_element_by_id("zoom")
    assert model.texts[model.starts[zoom]:model.ends[zoom]] == model.texts[3:5]
    h1 = tree.find(".//h1")
    assert model.texts[model.starts[h1]] == "城关小学开展防溺水安全教育"


def test_order_and_after_say_which_elements_are_inside_another():
    tree, model = _model()
    zoom, h1 = tree.get_element_by_id("zoom"), tree.find(".//h1")
    inside = [el for el, i in model.order.items() if model.order[zoom] <= i < model.after[zoom]]
    assert inside[0] is zoom and all(el.tag in ("div", "p", "b") for el in inside)
    assert h1 not in inside
    assert model.offsets[h1] < model.offsets[zoom] < model.closes[zoom]


def test_block_counts_equal_a_separate_stats_walk():
    tree = prepare_tree(html.document_fromstring(PAGE))
    model, separate = walk(page_root(tree)), compute_stats(page_root(tree))
    assert {el: (s.text, s.link, s.punct, s.parent) for el, s in model.stats.items()} == \
        {el: (s.text, s.link, s.punct, s.parent) for el, s in separate.items()}


def test_an_empty_root_gives_an_empty_model():
    assert walk(None).lines == []


def test_a_skipped_element_and_its_descendants_are_never_read():
    tree = html.document_fromstring("<html><body><p>甲<svg><g><text>图中字</text></g></svg>乙</p><p>丙</p></body></html>")
    model = walk(page_root(tree))
    assert model.texts == ["甲 乙", "丙"]
    svg = tree.find(".//svg")
    assert svg in model.order and tree.find(".//g") not in model.order
    assert model.after[svg] == model.order[svg] + 1


def test_the_walk_stops_at_max_lines_and_leaves_open_elements_without_an_end(monkeypatch):
    import aggregator.extract.page as page
    monkeypatch.setattr(page, "MAX_LINES", 2)
    tree = html.document_fromstring("<html><body><div><p>一</p><p>二</p><p>三</p></div></body></html>")
    model = walk(page_root(tree))
    div, ps = tree.find(".//div"), tree.findall(".//p")
    assert model.texts == ["一", "二"]
    assert ps[1] in model.after and ps[1] not in model.ends  # its end made the model full
    assert div not in model.ends and ps[2] not in model.order


def test_comments_inside_a_skipped_element_do_not_hide_the_elements_after_it():
    # an unprepared tree (comments kept): a <button> holding comments, then the article's paragraph
    tree = html.document_fromstring(
        "<html><body><button><!-- a --><!-- b --><i>图</i></button><p>正文第一段。</p><p>第二段。</p></body></html>")
    model = walk(page_root(tree))
    first, second = tree.findall(".//p")
    assert model.skipped == 1 and first in model.order and second in model.order
    assert model.texts == ["正文第一段。", "第二段。"]


def test_lines_are_read_by_name():
    _, model = _model()
    line = model.lines[1]
    assert (line.text, line.tag, line.link, line.linked) == ("城关小学开展防溺水安全教育", "h1", False, False)
    assert model.lines[0].linked and not model.lines[0].link and "".join(model.lines[0].runs).split()[0] == "首页"


def test_the_elements_between_headline_and_body_come_from_the_model_as_from_the_tree():
    from aggregator.extract import _before_body, _before_body_in_tree, _header_lines
    tree = prepare_tree(html.document_fromstring(PAGE))
    model = walk(page_root(tree))
    h1, info, zoom = tree.find(".//h1"), tree.find(".//div[@class='info']"), tree.get_element_by_id("zoom")
    for title, body, window in ((h1, zoom, 40), (None, zoom, 3), (zoom, h1, 40), (h1, info, 40)):
        assert _before_body(model, title, body, window) == _before_body_in_tree(tree, title, body, window)
    assert _before_body(model, None, zoom, 40) is None  # fewer than 40 elements of <body> before it: <head> is read
    assert _header_lines(tree, h1, zoom, model=model) == _header_lines(tree, h1, zoom) == \
        ["来源：县教育局"]  # the finer of the two lines that match


# page_root and first_descendant read what root.find(".//body") finds: the first in document order
@pytest.mark.parametrize("xml", [
    "<html><head><title>t</title></head><body><p>x</p></body></html>",
    "<html><head><body>in head</body></head><body>second</body></html>",
    "<html><div><div><body>deep</body></div></div><body>later</body></html>",
    "<html><!--c--><head/><div>no body</div></html>",
    "<body><div><body>inner</body></div></body>",
    "<html><?pi x?><body/></html>",
    "<html/>",
])
def test_the_page_root_is_the_first_body_in_document_order(xml):
    from lxml import etree

    from aggregator.extract.page import first_descendant
    root = etree.fromstring(xml)
    want = root.find(".//body")
    assert first_descendant(root, "body") is want
    assert page_root(root) is (root if root.tag == "body" else want if want is not None else root)
    assert page_root(root.getroottree()) is page_root(root)
