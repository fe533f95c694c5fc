"""The field finders' fast paths held to what they stand for: a parametrized table of shapes,
and every line of every page the tests hold (the extraction fixtures and the site replicas)."""
import re
from functools import lru_cache

import pytest

from aggregator.extract import parse_page
from aggregator.extract import fields as F
from aggregator.extract.page import page_root, walk
from tests.test_walk_compiled import _fixture_pages, _replica_pages


@lru_cache(maxsize=1)
def fixture_page_lines() -> tuple:
    """The lines of the page model of each fixture and replica page, a tuple of texts a page."""
    out = []
    pages = [p.read_bytes() for p in _fixture_pages()] + [body for _, body in _replica_pages()]
    for data in pages:
        tree, _, _ = parse_page(data, None)
        if tree is not None:
            out.append(tuple(line.text for line in walk(page_root(tree)).lines))
    return tuple(out)


@lru_cache(maxsize=1)
def fixture_lines() -> tuple:
    """Every line of the page model of every fixture and replica page, each once."""
    return tuple(dict.fromkeys(t for page in fixture_page_lines() for t in page))


def test_the_fixtures_give_lines():
    assert len(fixture_lines()) > 1000


def _opens_label_by_regex(line):
    return bool(F._OPEN_LABEL.search(line) or F._OPEN_BY.search(line))


@pytest.mark.parametrize("line", [
    "", " ", "作者：", "作者:", "作者： ", "作者：\n", "作者：\u3000", "by", "By ", "written by", "BY\t",
    "baby", "Abby", "2by", "_by", "by:", "作者：王明", "y", "Y", "：", "by\u00a0", "stand-by", "王明by",
    "作者：王明 编辑：", "a: b", "ｂｙ", "b y",
])
def test_opens_label_is_the_two_patterns(line):
    assert F._opens_label(line) is _opens_label_by_regex(line)


def test_opens_label_is_the_two_patterns_on_every_fixture_line():
    lines = fixture_lines()
    assert [t for t in lines if F._opens_label(t) is not _opens_label_by_regex(t)] == []
    # and with each line's ending as a label's cell would leave it
    assert [t for t in lines for u in (t + "：", t + " by", t + "y")
            if F._opens_label(u) is not _opens_label_by_regex(u)] == []


def test_only_y_and_Y_match_y_ignoring_case():
    assert [c for c in map(chr, range(0x110000)) if re.fullmatch("y", c, re.I)] == ["Y", "y"]


def test_str_strip_and_backslash_s_know_the_same_whitespace():
    assert [c for c in map(chr, range(0x110000)) if c.isspace() is not bool(re.fullmatch(r"\s", c))] == []


def test_the_word_checks_are_the_word_patterns_on_every_fixture_line():
    from aggregator.extract import posts as P
    lines = fixture_lines()
    page = "\n".join(lines)
    for words in (P._FORUM_STATS, P._BLOG_PANEL_STATS):
        pattern = re.compile("|".join(map(re.escape, words)))
        assert [t for t in lines if P._holds_any(t, words) is not (pattern.search(t) is not None)] == []
        assert P._holds_any(page, words) is (pattern.search(page) is not None)


@pytest.mark.parametrize("text", ["发表于 2021-06-30", "posted @ 2021", "POSTED on", "Posted by", "poſted",
                                  "发布于：2021", "由王明发表", "edited", "阅读(12)", ""])
def test_a_stamp_word_holds_one_of_the_marks(text):
    from aggregator.extract import posts as P
    assert (P._STAMP_WORD.search(text) is not None) <= P._holds_any(text, P._STAMP_MARKS)


def test_a_stamp_word_holds_one_of_the_marks_on_every_fixture_line():
    from aggregator.extract import posts as P
    lines = fixture_lines()
    assert [t for t in lines if P._STAMP_WORD.search(t) and not P._holds_any(t, P._STAMP_MARKS)] == []
    assert [c for c in map(chr, range(0x110000)) if re.fullmatch("e", c, re.I)] == ["E", "e"]
    assert [c for c in map(chr, range(0x110000)) if re.fullmatch("d", c, re.I)] == ["D", "d"]


# --- the stamp's parts (_STAMP_PARTS) and the lines searched for one (_stamp_lines) ----------------

STAMP_SHAPES = [
    "", "由", "由王明于2021-06-30发表", "本贴由 王明 于 2021年6月30日 发表", "由王明张贴 @ 2021-06-30 12:00",
    "由 admin 于 １９98 发布", "由 admin 于 2１21", "王明 发表于 2021-06-30", "发布于：2021", "张贴于 昨天",
    "posted @ 2021-06-30 12:40", "Posted by 王明", "POSTED", "reposted", "osted", "由于天气原因", "于是发表",
    "由\n王明于2021发表", "发表\n于", "由王明\n张贴", "于", "发表于", "\n发布于", "张\n贴于",
]


def test_stamp_parts_are_the_stamp_hint_on_shapes():
    assert [t for t in STAMP_SHAPES if F._holds_stamp(t) is not (F._STAMP_HINT.search(t) is not None)] == []


def test_stamp_parts_are_the_stamp_hint_on_every_fixture_line_and_page():
    lines = list(fixture_lines()) + ["\n".join(page) for page in fixture_page_lines()]
    lines += ["\n".join(page[:30] + tuple(STAMP_SHAPES) + page[30:]) for page in fixture_page_lines()]
    assert [t for t in lines if F._holds_stamp(t) is not (F._STAMP_HINT.search(t) is not None)] == []


def _stamped_lines_one_by_one(lines):
    return [t for t in lines if F._holds_stamp(t)]


def _line_lists():
    """Each fixture page's lines, its runs of 400 from every 50th line, and the stamp shapes
    set among them (one per line, all on one line, with line breaks inside lines)."""
    shapes = [t for t in STAMP_SHAPES if "\n" not in t]
    out = [list(shapes), [" ".join(shapes)], list(STAMP_SHAPES), []]
    for page in fixture_page_lines():
        out.append(list(page))
        out += [list(page[i:i + 400]) for i in range(0, len(page), 50)]
        out.append(list(page[:20]) + shapes + list(page[20:40]))
    return out


def test_stamp_lines_hold_every_line_with_a_stamp():
    bad = []
    for lines in _line_lists():
        if _stamped_lines_one_by_one(F._stamp_lines(lines)) != _stamped_lines_one_by_one(lines):
            bad.append(lines[:3])
    assert bad == []


class _Body:
    def __init__(self, body):
        self.body = body


def _stamp_people_line_by_line(body):
    """_stamp_people as each line would be tried: every line of the first 400."""
    for t in body[:400]:
        if len(t) <= 120 and F._STAMP_HINT.search(t):
            b = F.parse_byline(t)
            stamped = [p for p in b.people if p.label == "posted"] if b else []
            if stamped:
                return [(p.name, p.role, p.label) for p in stamped[:1]], t
    return None


def _as_found(found):
    return None if found is None else ([(p.name, p.role, p.label) for p in found[0].people], found[1])


def test_stamp_people_is_the_line_by_line_search():
    lists = _line_lists() + [["本贴由 王明 于 2021年6月30日 发表"], ["正文。", "由于下雨", "由 王明 于 2021-06-30 发表"]]
    assert [b[:3] for b in lists if _as_found(F._stamp_people(_Body(b))) != _stamp_people_line_by_line(b)] == []
    assert _as_found(F._stamp_people(_Body(["正文。", "由于下雨", "由 王明 于 2021-06-30 发表"])))


# --- the date labels' words (_DATE_LABEL_WORDS, _LABEL_WORDS) and the lines read for a label -------

def test_the_label_words_are_the_hint():
    lines = list(fixture_lines()) + [f"x{d}y" for d in F.DATE_LABELS] + ["由", "时", "间", "发布", ""]
    assert [t for t in lines if (F._DATE_LABEL_HINT.search(t) is not None)
            is not any(w in t for w in F._DATE_LABEL_WORDS)] == []


def test_a_label_match_holds_a_label_word():
    lines = list(fixture_lines()) + [f"{d}：2021-06-30" for d in F.DATE_LABELS] + ["由王明于2021-06-30发表"]
    assert [t for t in lines if F._DATE_LABEL_RE.search(t) and not any(w in t for w in F._LABEL_WORDS)] == []
    assert any(F._DATE_LABEL_RE.search(t) for t in lines)


def _labelled_date_searching(line):
    """_labelled_date with _DATE_LABEL_RE searched in every line that holds the hint."""
    if not F._DATE_LABEL_HINT.search(line):
        return None
    if "成文日期" in line:
        line = line.split("成文日期")[0]
    m = F._DATE_LABEL_RE.search(line)
    if m:
        return line[m.end():m.end() + 40]
    m = F._POSTED_AT.search(line)
    if m and F._POSTED_VERB.search(line, m.end()):
        return line[m.end():m.end() + 40]
    return None


def test_labelled_date_is_the_search_on_every_fixture_line():
    lines = list(fixture_lines()) + [f"{d}：2021-06-30" for d in F.DATE_LABELS] + [
        "由王明于2021-06-30发表", "成文日期：2021-06-30 发布日期：2021-07-01", "由于2021年", "发布时间：二〇二一年"]
    assert [t for t in lines if F._labelled_date(t) != _labelled_date_searching(t)] == []


def test_lines_holding_are_the_lines_one_by_one():
    words = F._DATE_LABEL_WORDS
    lists = _line_lists() + [["时间\n日期", "由"], ["a由b", "x", "时间", "", "Date: 由"], [""], ["时间"]]
    assert [b[:3] for b in lists if F._lines_holding(b, words) != [t for t in b if any(w in t for w in words)]] == []


def test_is_prose_is_two_marks_found_by_findall():
    lines = list(fixture_lines()) + ["。" * 41, "a" * 40 + "。。", "a" * 39 + "，，", "，" + "a" * 40, "a" * 41 + ",;"]
    assert [t for t in lines if F._is_prose(t) is not (len(t) > 40 and len(F._SENTENCE.findall(t)) >= 2)] == []
    assert any(F._is_prose(t) for t in lines)
