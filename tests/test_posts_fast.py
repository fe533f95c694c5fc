"""posts._holds, the search for a word by its characters first, held to `word in text`: on a
table of shapes and on the text of every page the tests hold (the extraction fixtures and the
site replicas), for the words the community finders look for and words cut from the pages."""
import pytest

from aggregator.extract import posts as P
from tests.test_fast_paths_fields import fixture_page_lines

WORDS = sorted({*P._FORUM_STATS, *P._BLOG_PANEL_STATS, *P._STAMP_MARKS})


@pytest.mark.parametrize("text,word", [
    ("", ""), ("", "积分"), ("积分", ""), ("积分", "积分"), ("积 分", "积分"), ("分积分", "积分"), ("分积", "积分"),
    ("aab", "ab"), ("abab", "bab"), ("ba", "ab"), ("注册时间：2021", "注册时间"), ("时间注册", "注册时间"),
    ("间时册注注册时间", "注册时间"), ("aaa", "aa"), ("xaxa", "axa"), ("posted", "ed"), ("ED", "eD"),
])
def test_holds_is_in(text, word):
    assert P._holds(text, word) is (word in text)


def test_holds_is_in_on_every_fixture_page():
    pages = ["\n".join(lines) for lines in fixture_page_lines()]
    assert len(pages) > 100
    cut = [t[i:i + n] for t in pages[::7] for i in range(0, len(t), 997) for n in (1, 2, 3, 5)]
    for text in pages:
        for word in WORDS + cut[:200]:
            assert P._holds(text, word) is (word in text), (word, text[:80])
    assert any(P._holds(text, w) for text in pages for w in WORDS)


def test_holds_any_is_any_in():
    pages = ["\n".join(lines) for lines in fixture_page_lines()]
    for words in (P._FORUM_STATS, P._BLOG_PANEL_STATS, P._STAMP_MARKS):
        assert [P._holds_any(t, words) for t in pages] == [any(w in t for w in words) for t in pages]
