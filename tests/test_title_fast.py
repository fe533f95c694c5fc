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


# --- the candidates' texts: byline, date-only and agreement tests that skip a regex or a scan

def _reference_bylinish(text):
    if title._BYLINE_HINT.search(text):
        return True
    if not title._DATE.search(text):
        return False
    return len(title._CJK.findall(title._DATE.sub("", text))) < 6


def _reference_plausible(text):
    return (2 <= len(text) <= 100 and not text.endswith(title._END_PUNCT)
            and not _reference_bylinish(text) and not title._DATE_ONLY.fullmatch(text))


def _reference_agrees(candidate, doc_title):
    """_agrees() without its first test (is the candidate inside <title> at all)."""
    c = candidate.replace(" ", "")
    if len(c) < 2 or not doc_title:
        return 0
    whole, parts = title._title_parts(doc_title)
    if c in parts:
        return 2
    if len(parts) > 2 and whole.startswith(c) and len(c) > len(parts[0]) and c != whole:
        joined = ""
        for part in parts[:-1]:
            joined = whole[:whole.index(part, len(joined)) + len(part)]
            if joined == c:
                return 2
    if c == whole:
        return 1.5
    return 1 if len(c) >= 4 and any(c in p and len(c) >= 0.4 * len(p) for p in parts) else 0


def _page_texts():
    """[(<title>, [the folded texts of the page's elements, up to 120 characters])] of every
    fixture page and replica page."""
    from aggregator.extract import parse_page
    out = []
    for data in [p.read_bytes() for p in _fixture_pages()] + [data for _, data in _replica_pages()]:
        tree, _, _ = parse_page(data)
        if tree is None:
            continue
        doc_title = title.fold(tree.findtext(".//title") or "")
        texts = {title._text(el) for el in tree.iter(etree.Element)}
        out.append((doc_title, sorted(t for t in texts if t and len(t) <= 120)))
    return out


PAGE_TEXTS = _page_texts()
_PIECES = ["作者", "记者", "发布", "时间", "日期", "来源", "：", ":", "（", "(", "本报", "通讯员", "）", "2021", "06", "5",
           "-", "年", "月", "日", "/", ".", " ", "标题", "新闻", "_", "|", "网", "教育局", "１２", "٣", "\u3000", "开展", "a"]


def _generated_texts(rng, n):
    for _ in range(n):
        yield "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 9))).strip()


def test_the_byline_and_date_only_tests_answer_as_their_regexes():
    texts = [t for _, page_texts in PAGE_TEXTS for t in page_texts] + list(_generated_texts(random.Random(17), 20000))
    assert len(texts) > 20000
    for text in texts:
        assert title._bylinish(text) == _reference_bylinish(text), text
        assert title._plausible(text) == _reference_plausible(text), text


def test_what_the_byline_patterns_need_is_in_their_pre_tests():
    """Without a colon and a bracket at the start no text matches _BYLINE_HINT; without an ASCII
    colon none matches the clock; without a separator none matches _DATE; _DATE_ONLY matches
    from exactly the characters _date_only_first names (every character tried)."""
    rng = random.Random(18)
    for text in _generated_texts(rng, 5000):
        bare = re.sub("[:：]", "", text).lstrip("（(")
        assert title._BYLINE_HINT.search(bare) is None and not title._byline_hint(bare), bare
        assert title._CLOCK.search(text.replace(":", "")) is None, text
        undated = re.sub("[-年/.]", "", text)
        assert title._DATE.search(undated) is None, undated
    for code in range(0x110000):
        ch = chr(code)
        assert title._date_only_first(ch) == (title._DATE_ONLY.match(ch) is not None), hex(code)


def test_the_byline_hint_is_its_alternatives_tried_one_at_a_time():
    texts = [t for _, page_texts in PAGE_TEXTS for t in page_texts] + list(_generated_texts(random.Random(21), 20000))
    texts += ["（记者", "(本报记者", " （记者", "作者：", "12:30", "12：30", "时间 :", "字号数：", "阅读次数:"]
    assert sum(title._BYLINE_HINT.search(t) is not None for t in texts) > 1000
    for text in texts:
        assert title._byline_hint(text) == (title._BYLINE_HINT.search(text) is not None), text


def test_agreement_with_the_title_is_found_only_inside_it():
    """_agrees() answers 0 for a candidate that is not inside <title> (spaces aside) without
    looking further: what it answers looking further, for each page's title against its
    elements' texts (and their pieces) and for generated titles and candidates."""
    rng = random.Random(19)
    pairs = []
    for doc_title, texts in PAGE_TEXTS:
        pairs += [(text, doc_title) for text in texts]
        pieces = [p for p in title._SUFFIX_SPLIT.split(doc_title) if p]
        pairs += [(p, doc_title) for p in pieces] + [(p[1:-1], doc_title) for p in pieces]
        pairs += [("".join(pieces[:k]), doc_title) for k in range(len(pieces) + 1)]
    generated = list(_generated_texts(rng, 4000))
    pairs += [(rng.choice(generated), rng.choice(generated)) for _ in range(20000)]
    assert any(_reference_agrees(c, t) for c, t in pairs)
    for candidate, doc_title in pairs:
        assert title._agrees(candidate, doc_title) == _reference_agrees(candidate, doc_title), (candidate, doc_title)


# --- the child a headline's label may stand in, told in C

_BADGE_PARTS = ["", " ", "\u3000", "\n\t", "\xa0", "前", "<!--c-->", "<?pi x?>", "<span>原创</span>", "<em>独家</em>",
                "<b> </b>", "<i>图</i>", "<br>", "&nbsp;", "&amp;", "<![CDATA[cd]]>", "标题文字", "　尾"]


def _badge_fragment(rng):
    parts = []
    for _ in range(rng.randint(4, 12)):
        tag = rng.choice(["h1", "h2", "div", "p", "strong"])
        inner = "".join(rng.choice(_BADGE_PARTS) for _ in range(rng.randint(0, 5)))
        parts.append(f"<{tag} class='title'>{inner}</{tag}>")
    return "".join(parts)


@compiled
def test_the_compiled_scan_tells_a_badge_child_as_python_does():
    """Headings opening with an element, a comment, a processing instruction, text, whitespace of
    every kind, followed by text or not: the compiled scan's badge flag is
    _badge_child(element) is not None (as HTML and as XML, CDATA and entities kept)."""
    from tests.test_walk_compiled import _assert_same_headline_scan
    rng = random.Random(20)
    parser = etree.XMLParser(resolve_entities=False, strip_cdata=False)
    for n in range(400):
        fragment = _badge_fragment(rng)
        if n % 2:
            root = html.document_fromstring(f"<html><body>{fragment}</body></html>").find("body")
        else:
            xml = fragment.replace("<br>", "<br/>").replace("&nbsp;", "&#160;")
            root = etree.fromstring(f"<!DOCTYPE body [<!ENTITY e 'x'>]><body>{xml}&e;</body>", parser)
        fast = page.walk(root)
        _assert_same_headline_scan(fast, page.walk_python(root))
        n_el = len(fast.elements)
        for pos, el, _, badge, _ in title._scanned(fast, range(n_el), title._Texts()):
            assert badge == (title._badge_child(el) is not None), etree.tostring(el, encoding="unicode")


# --- the best candidate: sorted by its whole tuple, which differs by position at the latest

def _reference_best(candidates):
    best = None
    for high, neg, el, text, parts in sorted(candidates, key=lambda c: (c[0], c[1]), reverse=True):
        if best is not None and (high, neg) < best[:2]:
            break
        if best is None or (high, neg) > best[:2]:
            best = (high, neg, el, text)
    return best


def test_the_best_candidate_is_the_one_sorting_by_score_and_position_finds():
    """Scores with many ties, each position once, elements that do not order (as lxml's): _best
    picks what sorting by (score, -position) picks, and never compares two elements."""
    rng = random.Random(22)
    for _ in range(3000):
        positions = rng.sample(range(60), rng.randint(0, 12))
        candidates = [(rng.choice([0.5, 6, 6.0, 11.25, -1.0, 16]), -pos, object(), f"t{pos}", None) for pos in positions]
        assert title._best(candidates, None) == _reference_best(candidates)


# --- a simple text: its own headline text, plausible by its length and end alone

_SIMPLE_PIECES = _PIECES + ["*", "●", "[原创]", "主题", "文", "帖", "|", "_", "。", "；", "１", "x", "\u3000", "（"]


def test_a_simple_text_is_its_own_headline_and_plausible_by_its_length_and_end():
    rng = random.Random(23)
    texts = [t for _, page_texts in PAGE_TEXTS for t in page_texts]
    texts += [title.fold("".join(rng.choice(_SIMPLE_PIECES) for _ in range(rng.randint(1, 9)))) for _ in range(20000)]
    assert sum(map(title._simple, texts)) > 1000
    for text in texts:
        if text and title._simple(text):
            assert title._headline_text("el", {"el": text}) == text, text
            assert title._plausible(text) == (2 <= len(text) <= 100 and not text.endswith(title._END_PUNCT)), text


@compiled
def test_the_compiled_scan_tells_a_simple_text_as_python_does():
    """Headings holding the fixture pages' texts and generated ones: the compiled scan's simple
    flag is _simple(text) (held by the scan's equality with the Python scan)."""
    from tests.test_walk_compiled import _assert_same_headline_scan
    rng = random.Random(24)
    texts = [t for _, page_texts in PAGE_TEXTS for t in page_texts][:3000]
    texts += ["".join(rng.choice(_SIMPLE_PIECES) for _ in range(rng.randint(1, 9))) for _ in range(3000)]
    for i in range(0, len(texts), 50):
        root = etree.Element("body")
        for text in texts[i:i + 50]:
            etree.SubElement(root, "h2").text = text
        fast = page.walk(root)
        _assert_same_headline_scan(fast, page.walk_python(root))
        assert any(simple for *_, simple in title._scanned(fast, range(len(fast.elements)), title._Texts()))


@compiled
def test_what_the_compiled_scan_leaves_to_python_is_completed_as_python_reads_it():
    """Entity references inside candidates (their text read in Python, kept or not by its
    length) among plain ones: the scan, completed in Python, is the Python scan."""
    from tests.test_walk_compiled import _assert_same_headline_scan
    parser = etree.XMLParser(resolve_entities=False)
    for body in ["<h1>标题&e;文字</h1><h2>&e;</h2><h3>普通标题</h3>", "<h2>&e;</h2>", "<h1>&long;</h1><p>段落文字</p>",
                 "<h1><span>原创</span>&e;标题</h1><div class='title'>&e;&e;</div>"]:
        root = etree.fromstring(f"<!DOCTYPE body [<!ENTITY e 'x'><!ENTITY long '很长的标题'>]><body>{body}</body>", parser)
        fast = page.walk(root)
        _assert_same_headline_scan(fast, page.walk_python(root))
        found = page._walk.headline_candidates(
            fast.elements, 0, len(fast.elements), title._MAX_DESCENDANTS, True, title._NOT_CANDIDATES,
            title._HEADING_STRENGTH, title._BARE_STRENGTH, title._named_strength, title._strength, title._DROPPED,
            title._SIMPLE_NOT_FIRST, title._SIMPLE_NOT_LAST, title._SIMPLE_NOT_IN, title._Texts())
        assert found[1] > 0  # some left to Python
