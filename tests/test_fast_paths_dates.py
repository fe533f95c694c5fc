"""The date parser's fast paths held to what they stand for: a table of shapes and every line of
every page the tests hold (the extraction fixtures and the site replicas)."""
import re
import sys

import pytest

from aggregator import dates as D
from tests.test_fast_paths_fields import fixture_lines

CLOCK_SHAPES = [
    "", "2022年2月13日 星期日", "今天是2022年2月13日", "周一", "礼拜天", "Monday", "MONDAY", "tuesDAY", "Wednesday, March 4th",
    "saturday 9:30", "2022-02-13 09:57 星期日", "day", "Sunday", "sunDay", "周", "星期", "礼拜", "Mon", "today", "Thursday",
    "发布时间：2022-02-13", "ＭＯＮＤＡＹ", "Ｍｏｎｄａｙ",
]


def _clock_by_search(text):
    head = text[:D._MAX_SCAN]
    if D._TODAY.search(head):
        return True
    return bool(D._CLOCK.search(head)) and not D._TIME_OF_DAY.search(head)


@pytest.mark.parametrize("text", CLOCK_SHAPES)
def test_is_clock_text_is_the_search_on_shapes(text):
    assert D.is_clock_text(text) is _clock_by_search(text)


def test_is_clock_text_is_the_search_on_every_fixture_line():
    lines = list(fixture_lines()) + CLOCK_SHAPES
    assert [t for t in lines if D.is_clock_text(t) is not _clock_by_search(t)] == []
    assert any(D.is_clock_text(t) for t in lines)


def test_every_clock_match_holds_a_mark():
    lines = list(fixture_lines()) + CLOCK_SHAPES
    assert [t for t in lines if D._CLOCK.search(t) and not D._holds_clock_mark(t)] == []


def test_only_the_marks_characters_match_them_ignoring_case():
    """_CLOCK is case-blind: each character of its marks matches only itself (and y its capital)."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    for c in "星期周礼拜":
        assert re.findall(c, every, re.I) == [c]
    assert sorted(re.findall("y", every, re.I)) == ["Y", "y"]
