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
def fixture_lines() -> tuple:
    """Every line of the page model of every fixture and replica page, each once."""
    seen = {}
    pages = [p.read_bytes() for p in _fixture_pages()] + [body for _, body in _replica_pages()]
    for data in pages:
        tree, _, _ = parse_page(data, None)
        if tree is None:
            continue
        for line in walk(page_root(tree)).lines:
            seen.setdefault(line.text, None)
    return tuple(seen)


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
