"""Bench: Chinese full-text search at scale (issue 12).

    python bench/search.py                          # 200,000 articles, every index design
    python bench/search.py --articles 20000 --dir /tmp/search-bench --designs stored,contentless

Builds `--articles` articles of realistic Chinese education news (words cut from the real
bodies in tests/data/syndication/bodies.json, ranked by how often they occur there, drawn with
Zipf weights; bodies of 150-4,000 characters in paragraphs) into `articles`, then indexes them,
in batches of 1,000 a commit, into one FTS5 table per design, each in a file of its own
(aggregator.search's tokens: every character and every pair of adjacent characters, folded to
Simplified):

- `stored`: the store's table as it is (`fts5(title, body)`: FTS5 keeps a copy of the tokens);
- `contentless`: `content=''` (the index only; the text stays in `articles`);
- `contentless-column`, `contentless-none`: `content=''` with `detail=column` / `detail=none`
  (no positions: a 3-4 character word is every one of its pairs, then the article text is
  checked with instr()). Measured for their size and speed only: without positions FTS5 finds
  a contentless row's instances by tokenizing its text, which it does not have, so bm25 ranks
  every match 0 (no relevance order).

The store uses `contentless` (aggregator/store.py).

Prints, per design, the index size against the text it covers (title + body, UTF-8), and
p50/p95/max of the search canned query (aggregator/data/metadata.yml's SQL, verbatim for the
designs with positions, with the product's SQL functions) over 1-4 character queries: the most
common (教育, 学校, 校, 学生) and words drawn from random articles, several rounds, each query
timed once a round, rounds alternating designs; beside them, a LIKE scan over the same
articles (the same queries, fewer rounds). The match counts of the common words say how
realistic the text is (issue 12: 教育 in 110k of 200k real articles).
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from aggregator.datasette_plugin import prepare_connection  # noqa: E402
from aggregator.search import match_query, query_terms, search_tokens  # noqa: E402

BODIES = ROOT / "tests" / "data" / "syndication" / "bodies.json"
METADATA = ROOT / "aggregator" / "data" / "metadata.yml"
COMMON = ["教育", "学校", "校", "学生"]
# Zipf ranks of the common words among ~6,000 (see TextMaker)
COMMON_RANKS = {"教育": 120, "学生": 200, "学校": 260}
DESIGNS = {
    "stored": "fts5(title, body)",
    "contentless": "fts5(title, body, content='')",
    "contentless-column": "fts5(title, body, content='', detail=column)",
    "contentless-none": "fts5(title, body, content='', detail=none)",
}
# without positions a phrase cannot be matched: every pair, then the text is checked
NO_POSITIONS_SQL = """
select articles.id, articles.title, articles.site, articles.published_at,
       search_excerpt(articles.body, :q) as excerpt, articles.url
from articles_search
join articles on articles.id = articles_search.rowid
where articles_search match :expression
  and (:exact = '' or instr(articles.title, :exact) or instr(articles.body, :exact))
order by bm25(articles_search, 4.0, 1.0)
limit 200
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
        self.tokens = [search_tokens(s) for s in self.sentences]

    def _sentence(self) -> str:
        n = self.rng.randint(6, 18)
        words = self.rng.choices(self.words, cum_weights=self.cum, k=n)
        cut = self.rng.randint(2, n - 2)
        return "".join(words[:cut]) + "，" + "".join(words[cut:]) + "。"

    def article(self, chars: int) -> tuple[str, str, str, str]:
        """(title, body, title tokens, body tokens)."""
        rng, pool = self.rng, len(self.sentences)
        title = self.sentences[rng.randrange(pool)][:20]
        paragraphs, tokens, n = [], [], 0
        while n < chars:
            picks = [rng.randrange(pool) for _ in range(rng.randint(2, 6))]
            paragraph = "".join(self.sentences[i] for i in picks)
            paragraphs.append(paragraph)
            tokens.extend(self.tokens[i] for i in picks)
            n += len(paragraph)
        return title, "\n".join(paragraphs), search_tokens(title), " ".join(tokens)


def build(directory: Path, count: int, designs, seed=12):
    """articles.db with `count` articles; one <design>.db per design holding its FTS table."""
    rng = random.Random(seed)
    maker = TextMaker(rng)
    main = sqlite3.connect(directory / "articles.db")
    main.execute("pragma journal_mode = wal")
    main.execute("create table articles (id integer primary key, url text, site text, title text, body text, "
                 "published_at text)")
    main.execute("create table sites (name text primary key, display_name text)")
    main.executemany("insert into sites values (?, ?)", [(f"site{n:02d}", f"第{n}教育局") for n in range(60)])
    for design in designs:
        main.execute(f"attach database ? as [{design}]", [str(directory / f"{design}.db")])
        main.execute(f"create virtual table [{design}].articles_search using {DESIGNS[design]}")
    started = time.perf_counter()
    for start in range(0, count, 1000):
        rows, tokens = [], []
        for i in range(start, min(count, start + 1000)):
            length = int(min(4000, max(150, rng.lognormvariate(7.0, 0.6))))
            published = f"20{20 + i * 5 // count:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00+08:00"
            title, body, title_tokens, body_tokens = maker.article(length)
            if i < 100:  # the tokens put together from the sentences' are the product's own
                assert body_tokens == search_tokens(body)
            rows.append((i + 1, f"https://site{i % 60}.example.gov.cn/art/{i}.html", f"site{i % 60:02d}",
                         title, body, published))
            tokens.append((i + 1, title_tokens, body_tokens))
        main.executemany("insert into articles values (?, ?, ?, ?, ?, ?)", rows)
        for design in designs:
            main.executemany(f"insert into [{design}].articles_search (rowid, title, body) values (?, ?, ?)", tokens)
        main.commit()
    elapsed = time.perf_counter() - started
    for design in designs:
        main.execute(f"detach database [{design}]")
    main.close()
    return elapsed


def file_bytes(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("pragma page_count").fetchone()[0] * conn.execute("pragma page_size").fetchone()[0]
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


def connect(directory: Path, design: str):
    conn = sqlite3.connect(f"file:{directory / 'articles.db'}?mode=ro", uri=True)
    prepare_connection(conn)  # the product's search_query, search_excerpt ... functions
    if design:
        conn.execute("attach database ? as search", [f"file:{directory / f'{design}.db'}?mode=ro"])
    return conn


def canned_sql() -> str:
    return yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["news"]["queries"]["search"]["sql"]


def run_query(conn, design, q, sql):
    if design in ("stored", "contentless"):
        return conn.execute(sql, {"q": q, "sort": ""}).fetchall()
    # no positions: every pair of each word its own term (all must match), the word checked in the text
    terms = query_terms(q)
    pairs = [t if len(t) < 3 else t[i:i + 2] for t in terms for i in range(max(1, len(t) - 1))]
    expression = " ".join(f'"{p}"' for p in pairs)
    exact = max(terms, key=len) if terms and len(max(terms, key=len)) > 2 else ""
    return conn.execute(NO_POSITIONS_SQL, {"q": q, "expression": expression, "exact": exact}).fetchall()


def timed(fn):
    started = time.perf_counter()
    rows = fn()
    return (time.perf_counter() - started) * 1000, len(rows)


def percentiles(ms):
    ms = sorted(ms)
    return ms[len(ms) // 2], ms[min(len(ms) - 1, int(len(ms) * 0.95))], ms[-1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--dir", type=Path, help="where the databases go (default: a temporary directory)")
    parser.add_argument("--designs", default=",".join(DESIGNS))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--like-rounds", type=int, default=1)
    args = parser.parse_args(argv)
    designs = [d for d in args.designs.split(",") if d]
    unknown = set(designs) - set(DESIGNS)
    if unknown:
        parser.error(f"unknown designs: {', '.join(sorted(unknown))} (known: {', '.join(DESIGNS)})")
    directory = args.dir or Path(tempfile.mkdtemp(prefix="search-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    if not (directory / "articles.db").exists():
        seconds = build(directory, args.articles, designs)
        print(f"built {args.articles:,} articles and {len(designs)} indexes in {seconds:.0f} s -> {directory}")
    conn = connect(directory, None)
    text_bytes = conn.execute("select sum(length(cast(title as blob)) + length(cast(body as blob))) "
                              "from articles").fetchone()[0]
    articles = conn.execute("select count(*) from articles").fetchone()[0]
    queries = pick_queries(conn)
    conn.close()
    print(f"{articles:,} articles, title + body text {text_bytes / 2**20:,.0f} MiB (UTF-8); "
          f"{len(queries)} queries: {' '.join(queries)}")

    sql = canned_sql()
    conns = {design: connect(directory, design) for design in designs}
    times = {design: [] for design in designs}
    matches = {}
    for round_number in range(args.rounds):
        order = designs if round_number % 2 == 0 else designs[::-1]
        for q in queries:
            for design in order:
                ms, n = timed(lambda: run_query(conns[design], design, q, sql))
                times[design].append(ms)
                matches.setdefault(design, {})[q] = n
    like_conn = connect(directory, None)
    like_times = []
    for _ in range(args.like_rounds):
        for q in queries:
            like_times.append(timed(lambda: like_conn.execute(LIKE_SQL, {"pattern": f"%{q}%"}).fetchall())[0])

    first = conns[designs[0]]
    counts = {q: first.execute("select count(*) from articles_search where articles_search match ?",
                               [match_query(q)]).fetchone()[0] for q in COMMON}
    print("matches of the common words: " + ", ".join(f"{q} {n:,} ({n / articles:.0%})" for q, n in counts.items()))
    print()
    print(f"| design | index MiB | index / text | p50 ms | p95 ms | max ms |")
    print(f"|---|---|---|---|---|---|")
    for design in designs:
        size = file_bytes(directory / f"{design}.db")
        p50, p95, top = percentiles(times[design])
        print(f"| {design} ({DESIGNS[design]}) | {size / 2**20:,.0f} | {size / text_bytes:.2f}x | "
              f"{p50:.1f} | {p95:.1f} | {top:.1f} |")
    p50, p95, top = percentiles(like_times)
    print(f"| LIKE scan, no index | 0 | 0 | {p50:.1f} | {p95:.1f} | {top:.1f} |")
    print()
    print(f"{args.rounds} rounds x {len(queries)} queries per design ({args.like_rounds} for LIKE); "
          "the search query returns at most 200 rows with their excerpts")
    for design in designs[1:]:
        differing = [q for q in queries if matches[design][q] != matches[designs[0]][q]]
        if differing:
            print(f"note: {design} returned another number of rows than {designs[0]} for {' '.join(differing)}")


if __name__ == "__main__":
    main()
