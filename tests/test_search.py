import asyncio

import pytest

from aggregator.serve import make_datasette
from aggregator.search import excerpt, match_query, search_tokens


@pytest.mark.parametrize("text,tokens", [
    ("教育局", "教 育 局 教育 育局"),
    ("北仑 AI课堂", "北 仑 北仑 ai 课 堂 课堂"),
    ("2021年", "2021 年"),
    ("", ""),
    (None, ""),
])
def test_search_tokens(text, tokens):
    assert search_tokens(text) == tokens


@pytest.mark.parametrize("query,expression", [
    ("教育", '"教育"'),
    ("疫", '"疫"'),
    ("教育局", '"教育 育局"'),
    ("双减 课后服务", '"双减" "课后 后服 服务"'),
    ('AND OR "NEAR(', '"and" "or" "near"'),
    ("", None),
    ("！？", None),
])
def test_match_query(query, expression):
    assert match_query(query) == expression


def test_excerpt_shows_the_words_around_the_match():
    body = "前言" * 100 + "北仑区教育局召开会议" + "后记" * 100
    assert "北仑区教育局召开会议" in excerpt(body, "教育局")


@pytest.fixture
def datasette(store, article, db_path):
    store.upsert_article(article)
    store.upsert_article(dict(article, url="http://www.bl.gov.cn/art/2021/7/2/art_1229_1.html",
                              title="疫情防控工作会议", body="全区中小学疫情防控工作会议在区教育局召开，部署秋季开学。"))
    return make_datasette(db_path)


def titles(ds, q):
    response = asyncio.run(ds.client.get(f"/news/search.json?q={q}&_shape=objects"))
    assert response.status_code == 200
    return sorted(row["title"] for row in response.json()["rows"])


@pytest.mark.parametrize("query,expected", [
    ("教育局", ["疫情防控工作会议"]),          # three characters, a word inside a sentence
    ("教育", ["疫情防控工作会议", "表演我们自己的故事"]),  # two characters
    ("疫", ["疫情防控工作会议"]),              # one character
    ("党支部", ["表演我们自己的故事"]),         # three characters, in the body
    ("支部 卫健", ["表演我们自己的故事"]),       # every word must match
    ("故事", ["表演我们自己的故事"]),           # in the title
    ("育教", []),                             # the characters, not in that order
])
def test_search_finds_chinese_words(datasette, query, expected):
    assert titles(datasette, query) == expected


def test_search_without_a_word_returns_nothing(datasette):
    assert titles(datasette, "%20") == []
