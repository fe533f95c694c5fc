import asyncio

import pytest

from aggregator.serve import make_datasette
from aggregator.search import excerpt, highlight, match_query, search_tokens, search_tokens_many


@pytest.mark.parametrize("text,tokens", [
    ("教育局", "教 育 局 教育 育局"),
    ("北仑 AI课堂", "北 仑 北仑 ai 课 堂 课堂"),
    ("2021年", "2021 年"),
    ("", ""),
    (None, ""),
])
def test_search_tokens(text, tokens):
    assert search_tokens(text) == tokens


# texts whose runs, cases and code points test where search_tokens_many could part from search_tokens
EDGE_TEXTS = [
    "教育局", "北仑 AI课堂", "2021年6月30日", "", "，。！", "a", "教", "教育\n局", "北侖區教育", "ABC教育DEF",
    "İstanbul 教育", "ΟΔΟΣ.Α 教育", "ΣΑΣ", "Ａ１教育ｂ", "ひらがな教育カナ", "한국어 교육", "\U00020000𠀁教",
    "😀教育😀", "e\u0301cole", "x_y 教_育", "\ud800教育", "Ⅻ ² ½ 教", "\uf900\ufa6e\ufaff", "ß STRASSE",
]


@pytest.mark.parametrize("text", EDGE_TEXTS)
def test_search_tokens_many_is_search_tokens(text):
    assert search_tokens_many([text]) == [search_tokens(text)]


@pytest.mark.parametrize("group_chars", [200_000, 50, 1])  # one pass over all, or many
def test_search_tokens_many_of_many_texts_in_one_call(group_chars, monkeypatch):
    import random

    monkeypatch.setattr("aggregator.search._GROUP_CHARS", group_chars)

    rng = random.Random(12)
    alphabet = list("教育局北侖學校abcXYZ019 ，。\n_-ΑΣσİＡ１ひカ한\u0301") + ["\U00020000", "😀", "Ⅻ"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(2000)]
    texts += EDGE_TEXTS + [None, 5]
    rng.shuffle(texts)
    assert search_tokens_many(texts) == [search_tokens(text) for text in texts]
    assert search_tokens_many([]) == []


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


@pytest.mark.parametrize("text,tokens", [
    ("北侖教育", "北 仑 教 育 北仑 仑教 教育"),   # Traditional folded to Simplified
    ("學校", "学 校 学校"),
])
def test_search_tokens_fold_traditional_to_simplified(text, tokens):
    assert search_tokens(text) == tokens


@pytest.mark.parametrize("query,expression", [
    ("北侖", '"北仑"'),
    ("北侖區", '"北仑 仑区"'),
    ("學校 AI", '"学校" "ai"'),
])
def test_match_query_folds_traditional(query, expression):
    assert match_query(query) == expression


@pytest.mark.parametrize("text,query,marked", [
    ("北仑区教育局", "教育", "北仑区<mark>教育</mark>局"),
    ("北仑区教育局", "北侖", "<mark>北仑</mark>区教育局"),        # a Traditional query marks the Simplified text
    ("北侖區教育局", "北仑", "<mark>北侖</mark>區教育局"),        # and the other way round
    ("<b>教育</b>", "教育", "&lt;b&gt;<mark>教育</mark>&lt;/b&gt;"),  # the text is escaped
    ("AI课堂", "ai", "<mark>AI</mark>课堂"),
    ("教育", "！", "教育"),
    (None, "教育", ""),
])
def test_highlight(text, query, marked):
    assert str(highlight(text, query)) == marked


@pytest.mark.parametrize("query,word", [("教育局", "教育局"), ("北侖", "北仑"), ("zzz", None)])
def test_excerpt_centres_on_the_word(query, word):
    body = "前言" * 100 + "北仑区教育局召开会议" + "后记" * 100
    text = excerpt(body, query)
    if word:
        assert word in text and text.startswith("…") and text.endswith("…")
    else:
        assert text == body[:120]


def search(ds, q, sort=""):
    response = asyncio.run(ds.client.get(f"/news/search.json?q={q}&sort={sort}&_shape=objects"))
    assert response.status_code == 200
    return [row["title"] for row in response.json()["rows"]]


@pytest.fixture
def ranked(store, article, db_path):
    """Three articles on 教育: one names it in its title and often, two in passing; newest last."""
    filler = "本次活动内容丰富，形式多样，受到师生好评。"
    store.upsert_article(dict(article, url="http://www.bl.gov.cn/art/1.html", title="校园开放日",
                              body="家长走进校园。" + filler * 20 + "教育", published_at="2021-01-01T09:00:00+08:00"))
    store.upsert_article(dict(article, url="http://www.bl.gov.cn/art/2.html", title="北侖區教育工作會議",
                              body="教育系統部署教育工作，推進教育均衡。" + filler, published_at="2021-02-01T09:00:00+08:00"))
    store.upsert_article(dict(article, url="http://www.bl.gov.cn/art/3.html", title="运动会",
                              body="运动会开幕。" + filler * 20 + "体育教育", published_at="2021-03-01T09:00:00+08:00"))
    return make_datasette(db_path)


def test_search_ranks_by_relevance(ranked):
    assert search(ranked, "教育")[0] == "北侖區教育工作會議"


def test_search_has_a_newest_first_switch(ranked):
    assert search(ranked, "教育", sort="newest") == ["运动会", "北侖區教育工作會議", "校园开放日"]


@pytest.mark.parametrize("query", ["北仑", "北侖", "教育工作会议", "教育工作會議"])
def test_traditional_and_simplified_find_each_other(ranked, query):
    assert search(ranked, query) == ["北侖區教育工作會議"]


def test_the_search_page_highlights_the_words_in_a_snippet(ranked):
    html = asyncio.run(ranked.client.get("/news/search?q=北仑")).text
    assert "<mark>北侖</mark>區教育工作會議" in html
    assert 'class="snippet"' in html


def test_a_query_with_nothing_to_search_gets_a_plain_message(ranked):
    html = asyncio.run(ranked.client.get("/news/search?q=%22%28%29*")).text
    assert "Nothing to search for" in html


def test_the_articles_tables_search_box_says_when_there_is_nothing_to_search_for(ranked):
    html = asyncio.run(ranked.client.get("/news/articles?_search=%22%28%29")).text
    assert "Nothing to search for" in html


def test_the_articles_tables_own_search_box_finds_chinese_words(ranked):
    response = asyncio.run(ranked.client.get("/news/articles.json?_search=教育工作&_shape=objects"))
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["rows"]] == ["北侖區教育工作會議"]
    response = asyncio.run(ranked.client.get("/news/articles.json?_search=育局&_shape=objects"))
    assert response.json()["rows"] == []


def test_an_updated_article_is_found_by_its_new_words_only(store, article, db_path):
    store.upsert_article(dict(article, title="旧标题", body="春季开学工作会议召开。"))
    store.upsert_article(dict(article, title="新标题", body="秋季运动会在新碶中学举行。"))
    ds = make_datasette(db_path)
    assert search(ds, "运动会") == ["新标题"] and search(ds, "新碶中学") == ["新标题"]
    assert search(ds, "开学") == [] and search(ds, "春季开学") == []
    rows = store.db.execute("select count(*) from articles_search where articles_search match '\"开学\"'").fetchone()
    assert rows[0] == 0  # the old tokens left the index


@pytest.mark.parametrize("former_table", [
    "create virtual table articles_search using fts5(title, body)",               # the text kept in the index
    "create virtual table articles_search using fts5(title, body, content='')",   # the title first
])
def test_a_database_made_with_a_former_index_is_reindexed_on_open(tmp_path, article, former_table):
    import sqlite3

    from aggregator.store import Store
    path = tmp_path / "news.db"
    store = Store(path)
    store.sync_sites([{"name": "bl", "display_name": "北仑区教育局"}])
    store.upsert_article(dict(article, title="旧标题", body="春季开学工作会议召开。"))
    store.db.conn.close()
    conn = sqlite3.connect(path)  # the index as an older version left it: the former table, its rows
    conn.execute("drop trigger articles_search_forget_update")
    conn.execute("drop trigger articles_search_forget_delete")
    conn.execute("drop table articles_search")
    conn.execute(former_table)
    conn.execute("insert into articles_search (rowid, title, body) values (1, '旧 标 题 旧标 标题', '')")
    conn.commit()
    conn.close()
    store = Store(path)  # the index is rebuilt from the articles
    assert search(make_datasette(path), "开学工作") == ["旧标题"]
    store.upsert_article(dict(article, title="新标题", body="秋季运动会在新碶中学举行。"))
    ds = make_datasette(path)
    assert search(ds, "新碶中学") == ["新标题"] and search(ds, "开学") == [] and search(ds, "旧标题") == []
    assert store.db.execute("select count(*) from articles_search_rows").fetchone()[0] == 1


def test_reopening_a_database_keeps_its_index(store, article, db_path):
    from aggregator.store import Store
    store.upsert_article(article)
    before = store.db.execute("select count(*) from articles_search_data").fetchone()[0]
    reopened = Store(db_path)
    assert reopened.db.execute("select count(*) from articles_search_data").fetchone()[0] == before
    assert search(make_datasette(db_path), "故事") == ["表演我们自己的故事"]


def test_rebuilding_the_index_finds_every_article_again(store, article, db_path):
    store.upsert_article(article)
    store.upsert_article(dict(article, url="http://www.bl.gov.cn/art/2.html", title="北侖區教育工作會議", body="教育"))
    assert store.rebuild_search_index() == 2
    assert search(make_datasette(db_path), "北仑") == ["北侖區教育工作會議"]


def test_a_word_in_more_articles_than_are_ranked_says_so(store, article, db_path):
    """The ranked order scores the 5,000 most recently stored matches; the page says so, and
    newest first still lists the newest of every match."""
    with store.bulk(every=1000):
        for n in range(5001):
            store.upsert_article(dict(article, url=f"http://www.bl.gov.cn/art/{n}.html", title=f"第{n}号通知",
                                      body=f"关于第{n}期教育培训的通知。",
                                      published_at=f"20{10 + n % 10}-01-01T09:00:00+08:00"))
    ds = make_datasette(db_path)
    html = asyncio.run(ds.client.get("/news/search?q=教育培训")).text
    assert "most recently stored" in html
    newest = asyncio.run(ds.client.get("/news/search.json?q=教育培训&sort=newest&_shape=objects")).json()["rows"]
    assert len(newest) == 200 and {row["published_at"][:4] for row in newest} == {"2019"}
    html = asyncio.run(ds.client.get("/news/search?q=第1号通知")).text
    assert "most recently stored" not in html


def test_an_article_stored_and_changed_inside_one_bulk_is_indexed_once_with_its_last_text(store, article, db_path):
    with store.bulk(every=100):
        store.upsert_article(dict(article, title="旧标题", body="春季开学工作会议召开。"))
        store.upsert_article(dict(article, title="新标题", body="秋季运动会在新碶中学举行。"))
    with store.bulk(every=100):
        store.upsert_article(dict(article, title="再改", body="冬季长跑比赛在霞浦学校举行。"))
    ds = make_datasette(db_path)
    assert search(ds, "霞浦学校") == ["再改"] and search(ds, "运动会") == [] and search(ds, "开学") == []
    assert store.db.execute("select count(*) from articles_search_rows").fetchone()[0] == 1


# texts as education news prints them (a 北仑 bureau notice's phrases), and words found in them,
# across punctuation, at a run's start or end, and not found
_TEXTS = ["北仑区教育局召开会议。", "教育，局长讲话", "学校教育局面", "局", "2021年春季学期AI课堂", "區教育局"]


@pytest.mark.parametrize("word", ["教育局", "教育", "局", "育局", "局长", "育，局", "教育局面", "年春", "季",
                                  "ai", "2021", "区教", "学", "课堂", "长讲话"])
def test_the_index_finds_exactly_the_texts_that_contain_the_word(word):
    import sqlite3

    from aggregator.search import SEARCH_TABLE_SQL, query_terms, simplified
    conn = sqlite3.connect(":memory:")
    conn.execute(SEARCH_TABLE_SQL)
    conn.executemany("insert into articles_search (rowid, body, title) values (?, ?, '')",
                     [(n, search_tokens(text)) for n, text in enumerate(_TEXTS)])
    found = {n for (n,) in conn.execute("select rowid from articles_search where articles_search match ?",
                                        [match_query(word)])}
    assert found == {n for n, text in enumerate(_TEXTS)
                     if all(term in simplified(text).lower() for term in query_terms(word))}
