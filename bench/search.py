"""Bench: Chinese full-text search at scale (issue 12).

    python bench/search.py --dir /tmp/search-bench                 # 200,000 articles, every design
    python bench/search.py --articles 20000 --dir /tmp/sb20k --designs former,store

Builds `--articles` articles of realistic Chinese education news (words cut from the real
bodies in tests/data/syndication/bodies.json, ranked by how often they occur there, drawn with
Zipf weights; bodies of 150-4,000 characters in paragraphs) into `articles.db`, then, per
design, an FTS5 table over them in a file of its own (`<design>.db`), 1,000 rows a commit,
timing the writing of the rows (µs per article: the tokens computed, the row inserted; CPU time
for the write sample). A
`--dir` that holds them already is measured again without building.

Designs (all contentless, `content=''`: the text stays in `articles`):

- `former`: the store's former table, `fts5(title, body)`: aggregator.search's tokens (every
  character and every pair of adjacent characters), the title first;
- `store`: the store's table (aggregator.search.SEARCH_TABLE_SQL and SEARCH_TABLE_SETTINGS): the
  same tokens, the body first (FTS5 writes a column number before every column's positions but
  the first), the ascii tokenizer, segments merged once 16 lie on one level, 64 MiB of pending
  tokens; the tokens of a batch made by one search_tokens_many call, as the store makes them;
- `unicode61-defaults`: the same tokens and columns with the unicode61 tokenizer and FTS5's own
  merging (once 4 segments lie on one level) and pending size (1 MiB): the store's table before;
- `unigrams`: one token per character and `|` between runs, a word searched as the phrase of its
  characters (smallest; FTS5 then compares the positions of very common characters);
- `store-pgsz16k`: the store's table with FTS5 leaf pages of 16,000 bytes (`pgsz`; 4,050 by default);
- `column`: the store's table with `detail=column` (for each token the rows and columns it occurs
  in, no positions), each distinct token of a column once; a word is searched as all its pairs
  (FTS5 answers no phrase without positions), so a word of three or more characters also matches
  articles that hold its pairs apart: the product would have to check the text after (not done
  here, so its counts of such words differ from LIKE's), and bm25 sees every token once per column;
- `bigrams-end`: the pairs and a run's last character only (about half the tokens), a
  one-character word as the prefix query `"校" *` (FTS5 merges the lists of every pair starting
  with it before it returns a row: slow for a common character).

Prints, per design, the index size (its pages in use) against the text it covers (title + body,
UTF-8) and the file's free pages (those of the segments FTS5 merged, reused by the next writes), the cost of
writing a search row, and p50/p95/max over 1-4 character queries (the most common, 教育, 学校,
校, 学生, and words drawn from random articles; several rounds, each query timed once a round,
rounds alternating designs) of: the search canned query of aggregator/data/metadata.yml (ranked,
and `sort=newest`), with the product's SQL functions (the other designs' MATCH expression and bm25
weights put in); the former canned query (FORMER_SQL) on `former` and `store`; the articles table's `_search`
box (Datasette's SQL, newest first). Beside them a LIKE scan over the same articles. The match
counts of the common words say how realistic the text is (issue 12: 教育 in 110k of 200k real
articles), and every design's counts are checked against the LIKE scan's.
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from aggregator.datasette_plugin import prepare_connection  # noqa: E402
from aggregator.search import (_RUNS, SEARCH_TABLE_SETTINGS, SEARCH_TABLE_SQL, _t2s_table, match_query,  # noqa: E402
                               search_tokens, search_tokens_many, simplified)
from aggregator.store import PUBLISHED_INDEX_SQL  # noqa: E402

BODIES = ROOT / "tests" / "data" / "syndication" / "bodies.json"
METADATA = ROOT / "aggregator" / "data" / "metadata.yml"
COMMON = ["教育", "学校", "校", "学生"]
# Zipf ranks of the common words among ~6,000 (see TextMaker)
COMMON_RANKS = {"教育": 120, "学生": 200, "学校": 260}


def former_tokens(text):
    """The store's tokens before this design (the same tokens, made the former way: every
    character looked up by str.translate, one list of tokens per run)."""
    if not isinstance(text, str):
        return ""
    out = []
    for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|(?:(?![\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])[^\W_])+",
                          text.translate(_t2s_table())):
        if re.match(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", run):
            out.extend(run)
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            out.append(run.lower())
    return " ".join(out)


def unigram_tokens(text):
    if not isinstance(text, str):
        return ""
    return " | ".join(" ".join(cjk) if cjk else other.lower() for cjk, other in _RUNS.findall(simplified(text)))


def unigram_query(q):
    return " ".join('"' + (" ".join(cjk) if cjk else other.lower()) + '"' for cjk, other in _RUNS.findall(simplified(q)))


def bigram_end_tokens(text):
    if not isinstance(text, str):
        return ""
    out = []
    for cjk, other in _RUNS.findall(simplified(text)):
        out.extend([cjk[i:i + 2] for i in range(len(cjk) - 1)] + [cjk[-1]] if cjk else [other.lower()])
    return " ".join(out)


def bigram_end_query(q):
    terms = []
    for cjk, other in _RUNS.findall(simplified(q)):
        if len(cjk) == 1:
            terms.append(f'"{cjk}" *')
        else:
            terms.append('"' + (" ".join(cjk[i:i + 2] for i in range(len(cjk) - 1)) if cjk else other.lower()) + '"')
    return " ".join(terms)


def distinct_tokens_many(texts):
    """The store's tokens of each text, each distinct token once (in the order it first comes):
    a table that keeps no positions (detail=column) keeps nothing more of a token's repeats."""
    return [" ".join(dict.fromkeys(tokens.split())) for tokens in search_tokens_many(texts)]


def distinct_tokens(text):
    return distinct_tokens_many([text])[0]


def all_terms_query(q):
    """The store's MATCH expression with every phrase's tokens as separate terms (AND): a table
    without positions (detail=column) answers no phrase, so a word of three or more characters
    matches every article holding its pairs anywhere (more than LIKE finds, unless the text is
    checked after)."""
    terms = []
    for cjk, other in _RUNS.findall(simplified(q)):
        pairs = [cjk[i:i + 2] for i in range(len(cjk) - 1)] if len(cjk) > 1 else [cjk or other.lower()]
        terms += [f'"{pair}"' for pair in pairs]
    return " ".join(terms) or None


@dataclass
class Design:
    table_sql: str
    columns: tuple            # the table's columns in their order
    tokens: Callable          # text -> the tokens stored
    expression: Callable      # query -> MATCH expression
    settings: tuple = ()      # statements run once the table is made
    many: Callable | None = None  # texts -> their tokens in one call, as the store makes them

    def rows(self, batch) -> list:
        """(id, tokens of each column) of a batch of (id, text of each column) rows."""
        if self.many is None:
            return [(row[0], *map(self.tokens, row[1:])) for row in batch]
        width = len(self.columns)
        tokens = self.many([text for row in batch for text in row[1:]])
        return [(row[0], *tokens[n * width:(n + 1) * width]) for n, row in enumerate(batch)]


# FTS5's leaf pages of 16,000 bytes instead of its default 4,050 (fewer, longer pages per segment)
PGSZ_16K = "insert into articles_search (articles_search, rank) values ('pgsz', 16000)"
DESIGNS = {
    "former": Design("create virtual table articles_search using fts5(title, body, content='')",
                     ("title", "body"), former_tokens, match_query),
    "store": Design(SEARCH_TABLE_SQL, ("body", "title"), search_tokens, match_query, SEARCH_TABLE_SETTINGS,
                    search_tokens_many),
    "unicode61-defaults": Design("create virtual table articles_search using fts5(body, title, content='')",
                                 ("body", "title"), search_tokens, match_query),
    "unigrams": Design("create virtual table articles_search using fts5(title, body, content='', "
                       "tokenize=\"unicode61 tokenchars '|'\")", ("title", "body"), unigram_tokens, unigram_query),
    "store-pgsz16k": Design(SEARCH_TABLE_SQL, ("body", "title"), search_tokens, match_query,
                            SEARCH_TABLE_SETTINGS + (PGSZ_16K,), search_tokens_many),
    "column": Design(SEARCH_TABLE_SQL.replace(")", ", detail=column)"), ("body", "title"), distinct_tokens,
                     all_terms_query, SEARCH_TABLE_SETTINGS, distinct_tokens_many),
    "bigrams-end": Design("create virtual table articles_search using fts5(body, title, content='')",
                          ("body", "title"), bigram_end_tokens, bigram_end_query),
}
# the canned search query before this design: bm25 over every match, the excerpt of every match
FORMER_SQL = """
select articles.id, articles.title, articles.site, sites.display_name as site_display_name,
       articles.published_at, search_excerpt(articles.body, :q) as excerpt, articles.url
from articles_search
join articles on articles.id = articles_search.rowid
left join sites on sites.name = articles.site
where articles_search match search_query(:q)
order by case when :sort = 'newest' then articles.published_at end desc,
         bm25(articles_search, 4.0, 1.0)
limit 200
"""
# the articles table's own search box: Datasette 0.65's table SQL (filters.py), the table's sort
TABLE_SEARCH_SQL = """
select id, title, site, published_at from articles
where id in (select rowid from articles_search where articles_search match escape_fts(:q))
order by published_at desc limit 101
"""
LIKE_SQL = """
select id, title, site, published_at from articles
where title like :pattern or body like :pattern
order by published_at desc limit 200
"""


class TextMaker:
    """News-like text: 1-4 character words cut from real education news, the words that occur
    most often there drawn most often (Zipf weights by rank); the common words of education news
    placed at ranks where they land in about as many articles as in a real crawl (issue 12: 教育
    in 55% of 200k articles). Bodies are drawn from a pool of sentences (fast enough for 200k
    articles); each sentence ends in punctuation, so a body's search tokens are its sentences'."""

    def __init__(self, rng: random.Random, pool=60_000):
        self.rng = rng
        text = "".join(b["title"] + b["body"] for b in json.loads(BODIES.read_text(encoding="utf-8")))
        counts = collections.Counter()
        for run in re.findall(r"[\u4e00-\u9fff]+", text):
            i = 0
            while i < len(run):
                n = rng.choice((1, 2, 2, 2, 3, 4))
                counts[run[i:i + n]] += 1
                i += n
        words = [w for w, _ in counts.most_common() if w not in COMMON]
        for word, rank in COMMON_RANKS.items():
            words.insert(rank, word)
        self.words = words
        total, self.cum = 0.0, []
        for rank in range(len(self.words)):
            total += 1.0 / (rank + 10)
            self.cum.append(total)
        self.sentences = [self._sentence() for _ in range(pool)]

    def _sentence(self) -> str:
        n = self.rng.randint(6, 18)
        words = self.rng.choices(self.words, cum_weights=self.cum, k=n)
        cut = self.rng.randint(2, n - 2)
        return "".join(words[:cut]) + "，" + "".join(words[cut:]) + "。"

    def article(self, chars: int) -> tuple[str, str]:
        """(title, body)."""
        rng, pool = self.rng, len(self.sentences)
        title = self.sentences[rng.randrange(pool)][:20]
        paragraphs, n = [], 0
        while n < chars:
            picks = [rng.randrange(pool) for _ in range(rng.randint(2, 6))]
            paragraph = "".join(self.sentences[i] for i in picks)
            paragraphs.append(paragraph)
            n += len(paragraph)
        return title, "\n".join(paragraphs)


def build(directory: Path, count: int, seed=12):
    """articles.db with `count` articles (and the store's index on published_at)."""
    rng = random.Random(seed)
    maker = TextMaker(rng)
    main = sqlite3.connect(directory / "articles.db")
    main.execute("pragma journal_mode = wal")
    main.execute("create table articles (id integer primary key, url text, site text, title text, body text, "
                 "published_at text)")
    main.execute("create table sites (name text primary key, display_name text)")
    main.executemany("insert into sites values (?, ?)", [(f"site{n:02d}", f"第{n}教育局") for n in range(60)])
    started = time.perf_counter()
    for start in range(0, count, 1000):
        rows = []
        for i in range(start, min(count, start + 1000)):
            length = int(min(4000, max(150, rng.lognormvariate(7.0, 0.6))))
            published = f"20{20 + i * 5 // count:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00+08:00"
            title, body = maker.article(length)
            rows.append((i + 1, f"https://site{i % 60}.example.gov.cn/art/{i}.html", f"site{i % 60:02d}",
                         title, body, published))
        main.executemany("insert into articles values (?, ?, ?, ?, ?, ?)", rows)
        main.commit()
    main.close()
    return time.perf_counter() - started


def ensure_published_index(directory: Path):
    """The index the store keeps for the newest-first order (aggregator.store)."""
    conn = sqlite3.connect(directory / "articles.db")
    conn.execute(PUBLISHED_INDEX_SQL)
    conn.commit()
    conn.close()


def index(directory: Path, design: str):
    """<design>.db: the design's FTS table over every article of articles.db, 1,000 rows a commit
    (as `aggregator import` commits); returns (seconds, µs per article) of writing the rows."""
    spec = DESIGNS[design]
    conn = sqlite3.connect(directory / f"{design}.db")
    conn.execute(f"attach database ? as main_db", [f"file:{directory / 'articles.db'}?mode=ro"])
    conn.execute(spec.table_sql)
    for setting in spec.settings:
        conn.execute(setting)
    columns = ", ".join(spec.columns)
    insert = f"insert into articles_search (rowid, {columns}) values ({', '.join('?' * (1 + len(spec.columns)))})"
    started, articles = time.perf_counter(), 0
    rows = conn.execute(f"select id, {columns} from main_db.articles order by id")
    while batch := rows.fetchmany(1000):
        conn.executemany(insert, spec.rows(batch))
        conn.commit()
        articles += len(batch)
    seconds = time.perf_counter() - started
    conn.close()
    return seconds, seconds / max(1, articles) * 1e6


def write_cost(directory: Path, design: str, articles: int) -> float:
    """µs per article of writing the search rows of the first `articles` articles into a new
    table of the design (a file of its own, 1,000 rows a commit), as the store writes them."""
    spec = DESIGNS[design]
    path = directory / f"write-{design}.db"
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute(spec.table_sql)
    for setting in spec.settings:
        conn.execute(setting)
    source = sqlite3.connect(f"file:{directory / 'articles.db'}?mode=ro", uri=True)
    columns = ", ".join(spec.columns)
    batches = []
    rows = source.execute(f"select id, {columns} from articles where id <= ? order by id", [articles])
    while batch := rows.fetchmany(1000):
        batches.append(batch)
    insert = f"insert into articles_search (rowid, {columns}) values ({', '.join('?' * (1 + len(spec.columns)))})"
    started = time.process_time()  # CPU time: steadier than the wall clock on a shared machine
    for batch in batches:
        conn.executemany(insert, spec.rows(batch))
        conn.commit()
    seconds = time.process_time() - started
    conn.close()
    path.unlink()
    return seconds / articles * 1e6


def file_bytes(path: Path) -> tuple[int, int]:
    """(bytes of the pages in use, bytes of the free pages) of a database file: FTS5's merges
    free the pages of the segments they merge, which the next writes reuse."""
    conn = sqlite3.connect(path)
    try:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        pages, free, size = one("pragma page_count"), one("pragma freelist_count"), one("pragma page_size")
        return (pages - free) * size, free * size
    finally:
        conn.close()


def pick_queries(conn, per_length=12, seed=7):
    """The common words, then per length 1-4 words cut from random articles' text."""
    rng = random.Random(seed)
    top = conn.execute("select max(id) from articles").fetchone()[0]
    queries = list(COMMON)
    for length in (1, 2, 3, 4):
        picked = 0
        while picked < per_length:
            body = conn.execute("select body from articles where id = ?", [rng.randint(1, top)]).fetchone()[0]
            runs = [r for r in re.findall(r"[\u4e00-\u9fff]+", body) if len(r) >= length]
            if not runs:
                continue
            run = rng.choice(runs)
            start = rng.randrange(len(run) - length + 1)
            word = run[start:start + length]
            if word not in queries:
                queries.append(word)
                picked += 1
    return queries


def connect(directory: Path, design: str | None):
    conn = sqlite3.connect(f"file:{directory / 'articles.db'}?mode=ro", uri=True)
    prepare_connection(conn)  # the product's search_query, search_excerpt ... functions
    if design:
        spec = DESIGNS[design]
        conn.create_function("search_query", 1, lambda q: spec.expression(q) or '""', deterministic=True)
        conn.create_function("escape_fts", 1, lambda q: spec.expression(q) or '""', deterministic=True)
        conn.execute("attach database ? as search", [f"file:{directory / f'{design}.db'}?mode=ro"])
    return conn


def canned_sql(design: str) -> str:
    """The canned search query, with the design's bm25 weights (a title match weighs 4x)."""
    sql = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["news"]["queries"]["search"]["sql"]
    weights = ", ".join("4.0" if c == "title" else "1.0" for c in DESIGNS[design].columns)
    return re.sub(r"bm25\(articles_search, [0-9., ]+\)", f"bm25(articles_search, {weights})", sql)


def timed(fn):
    started = time.perf_counter()
    rows = fn()
    return (time.perf_counter() - started) * 1000, len(rows)


def percentiles(ms):
    ms = sorted(ms)
    return ms[len(ms) // 2], ms[min(len(ms) - 1, int(len(ms) * 0.95))], ms[-1]


def cases(designs):
    """(label, design, sql, sort) of every query measured."""
    out = []
    for design in designs:
        if design in ("former", "store"):  # the former query on the store's table: the query's share
            out.append(("former query (bm25 of every match)", design, FORMER_SQL, ""))
        out.append(("canned query, ranked", design, canned_sql(design), ""))
        out.append(("canned query, newest", design, canned_sql(design), "newest"))
        out.append(("table _search box", design, TABLE_SEARCH_SQL, ""))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--dir", type=Path, help="where the databases go (default: a temporary directory)")
    parser.add_argument("--designs", default=",".join(DESIGNS))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--like-rounds", type=int, default=1)
    parser.add_argument("--write-sample", type=int, default=3000,
                        help="articles whose search rows are written again per design and round, for the µs per article")
    args = parser.parse_args(argv)
    designs = [d for d in args.designs.split(",") if d]
    unknown = set(designs) - set(DESIGNS)
    if unknown:
        parser.error(f"unknown designs: {', '.join(sorted(unknown))} (known: {', '.join(DESIGNS)})")
    directory = args.dir or Path(tempfile.mkdtemp(prefix="search-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    if not (directory / "articles.db").exists():
        seconds = build(directory, args.articles)
        print(f"built {args.articles:,} articles in {seconds:.0f} s -> {directory}")
    ensure_published_index(directory)
    for design in designs:
        if not (directory / f"{design}.db").exists():
            seconds, per_article = index(directory, design)
            print(f"indexed {design} in {seconds:.0f} s ({per_article:,.0f} µs per article)", flush=True)
    conn = connect(directory, None)
    text_bytes = conn.execute("select sum(length(cast(title as blob)) + length(cast(body as blob))) "
                              "from articles").fetchone()[0]
    articles = conn.execute("select count(*) from articles").fetchone()[0]
    queries = pick_queries(conn)
    conn.close()
    print(f"{articles:,} articles, title + body text {text_bytes / 2**20:,.0f} MiB (UTF-8); "
          f"{len(queries)} queries: {' '.join(queries)}")

    sample_costs = collections.defaultdict(list)
    for round_number in range(args.rounds):
        for design in designs if round_number % 2 == 0 else designs[::-1]:
            sample_costs[design].append(write_cost(directory, design, min(args.write_sample, articles)))
    print(f"writing the search rows of {min(args.write_sample, articles):,} articles, CPU µs per article over "
          f"{args.rounds} rounds: " + "; ".join(f"{d} {min(c):,.0f}-{max(c):,.0f}" for d, c in sample_costs.items()))

    conns = {design: connect(directory, design) for design in designs}
    measured = cases(designs)
    times = collections.defaultdict(list)
    rows = collections.defaultdict(dict)
    for round_number in range(args.rounds):
        order = measured if round_number % 2 == 0 else measured[::-1]
        for q in queries:
            for label, design, sql, sort in order:
                ms, n = timed(lambda: conns[design].execute(sql, {"q": q, "sort": sort}).fetchall())
                times[label, design].append(ms)
                rows[label, design][q] = n
    like_conn = connect(directory, None)
    like_times, like_rows = [], {}
    for _ in range(args.like_rounds):
        for q in queries:
            ms, like_rows[q] = timed(lambda: like_conn.execute(LIKE_SQL, {"pattern": f"%{q}%"}).fetchall())
            like_times.append(ms)

    like_count = "select count(*) from articles where title like :p or body like :p"
    counts = {q: like_conn.execute(like_count, {"p": f"%{q}%"}).fetchone()[0] for q in COMMON}
    print("matches of the common words (LIKE): " + ", ".join(f"{q} {n:,} ({n / articles:.0%})" for q, n in counts.items()))
    for design in designs:
        conn = conns[design]
        wrong = [q for q in COMMON + queries[-8:]
                 if conn.execute("select count(*) from articles_search where articles_search match search_query(?)",
                                 [q]).fetchone()[0]
                 != like_conn.execute(like_count, {"p": f"%{q}%"}).fetchone()[0]]
        print(f"{design}: match counts {'differ from LIKE for ' + ' '.join(wrong) if wrong else 'equal to LIKE'} "
              f"({len(COMMON) + 8} words)")
    print()
    print("| design | index MiB | index / text | free MiB | write µs/article | query | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label, design, _sql, _sort in measured:
        size, free = file_bytes(directory / f"{design}.db")
        costs = sample_costs[design]
        cost = f"{min(costs):,.0f}-{max(costs):,.0f}"
        p50, p95, top = percentiles(times[label, design])
        print(f"| {design} | {size / 2**20:,.0f} | {size / text_bytes:.2f}x | {free / 2**20:,.0f} | {cost} | {label} | "
              f"{p50:.1f} | {p95:.1f} | {top:.1f} |")
    p50, p95, top = percentiles(like_times)
    print(f"| LIKE scan, no index | 0 | 0 | 0 | 0 | newest first | {p50:.1f} | {p95:.1f} | {top:.1f} |")
    print()
    print(f"{args.rounds} rounds x {len(queries)} queries per row ({args.like_rounds} for LIKE); "
          "the search query returns at most 200 rows with their excerpts, the table's box 101")
    for label, design, _sql, sort in measured:
        if label.startswith("canned") and sort == "newest":
            short = [q for q in queries if rows[label, design][q] != like_rows[q]]
            if short:
                print(f"note: {design} {label} returned another number of rows than LIKE for {' '.join(short)}")


if __name__ == "__main__":
    main()
