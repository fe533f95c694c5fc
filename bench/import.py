"""Bench: `aggregator import` end to end, the command a user runs, against a bare baseline.

    python bench/import.py                       # 100,000 items, 3 rounds
    python bench/import.py --items 20000 --rounds 5 --workdir /tmp/imp

Writes ITEMS realistic article items as JSON lines (deterministic from --seed; see
make_items), then, in each round, one after the other on a fresh database each:
  - import:   `python -m aggregator.cli import ITEMS.jsonl --db DB` as a subprocess (every
              pipeline, people, attachments, the search index and the stories included);
  - baseline: the same lines parsed and their fields inserted into one SQLite table with
              sqlite-utils `insert_all`, and nothing else, also a subprocess;
  - search:   the search index alone, the least an import with this index can cost: each
              line's body and title made into the store's search tokens and inserted into the
              store's own FTS5 table (aggregator.search: its SQL, settings and tokens),
              committed every COMMIT_ARTICLES lines as the import commits, also a subprocess.
Prints each round's articles/s (wall clock), articles per CPU-second (user + system: steadier
on a shared machine) and peak RSS (the child's own, from wait4) of both, the ratio,
and at the end the range over the rounds and what the last import stored (articles, stories
with copies, search rows). Rounds alternate so a drift of the machine's speed hits both.

    python bench/import.py --items 20000 --code /tmp/before     # beside another checkout
    python bench/import.py --items 5000 --profile import.prof   # where the time goes
    python bench/import.py --items 3000 --compare /tmp/before   # the same rows stored?

--code DIR (repeatable: another checkout, e.g. `git archive <commit> | tar -x -C DIR`) imports
with that tree too in each round, in alternating order, and prints each round's ratio of this
tree's rate to its (the machine's speed drifts; the ratio within a round less). --profile FILE
runs one import in this process under cProfile, timed by CPU time, and prints the shares: the
search rows, the stories, each pipeline, the store's other writes, reading and checking lines.
--compare DIR imports the items with this tree and DIR's and compares the two databases: every
table row by row (the columns that hold the run's time aside) and the search index token by
token (fts5vocab), and exits 1 on the first difference of each table.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import TextMaker  # noqa: E402  (words cut from real bodies; see there)

SOURCES = ("中国教育报", "浙江日报", "新华社", "人民网", "本站", "教育局办公室", "中国教育新闻网")
# the registered sites (`aggregator sites`) and the way each prints its date, as in their replicas
SITES = {
    "bl_jyj": ("北仑区教育局", "发布时间：{:%Y-%m-%d %H:%M:%S}"),
    "gd_jyt": ("广东省教育厅", "{:%Y-%m-%d %H:%M}"),
    "hz_jyj": ("杭州市教育局", "{:%Y-%m-%d %H:%M:%S}"),
    "js_jyt": ("江苏省教育厅", "发布日期：{:%Y-%m-%d}"),
    "jyb": ("中国教育新闻网", "{:%Y年%m月%d日 %H:%M}"),
    "moe": ("教育部", "{:%Y-%m-%d %H:%M}"),
    "nb_jyj": ("宁波市教育局", "{:%Y-%m-%dT%H:%M:%S+08:00}"),
    "sz_jyj": ("深圳市教育局", "{:%Y-%m-%d %H:%M:%S}"),
    "zj_jyt": ("浙江省教育厅", "发布时间：{:%Y-%m-%d %H:%M:%S}"),
    "zjol_edu": ("浙江在线教育频道", "{:%Y-%m-%d %H:%M:%S}"),
}
ROLES = ("记者", "通讯员", "作者", "摄影", "编辑", "责任编辑")


class Writer:
    """Items' text (bench/corpus.py; sentences end in 。 mostly, ！ or ？ now and then), bodies
    of log-normal length (median ~900 characters), and names from the demo's surname and given-name
    pools as bylines print them."""

    def __init__(self, rng: random.Random):
        from aggregator.demo.content import GIVEN, SURNAMES

        self.rng = rng
        self.surnames, self.given = SURNAMES, GIVEN
        self.text = TextMaker(rng, ends="。。。！？")
        self.phrase, self.sentence = self.text.phrase, self.text.sentence

    def body(self) -> str:
        return self.text.body(min(6000, max(150, int(self.rng.lognormvariate(6.8, 0.6)))))

    def name(self) -> str:
        return self.rng.choice(self.surnames) + "".join(self.rng.choices(self.given, k=self.rng.choice((1, 2, 2))))

    def people(self) -> list:
        """Bylines as sites print them ("记者 张三") and, now and then, as {name, role} objects."""
        out = [f"{self.rng.choice(ROLES[:3])} {self.name()}" for _ in range(self.rng.choice((0, 1, 1, 2, 3)))]
        if self.rng.random() < 0.3:
            out.append({"name": self.name(), "role": "editor"})
        return out


def make_items(count: int, seed: int):
    """`count` items: 75% originals, 25% syndicated copies of one of the last 5,000 originals on
    another site, 1-72 hours later (verbatim, with a credit line, cut to 60%, with an editor's
    lead, or with a few punctuation edits), crediting the original in `source` two times in three."""
    from datetime import datetime, timedelta

    rng = random.Random(seed)
    w = Writer(rng)
    names = sorted(SITES)
    recent = collections.deque(maxlen=5000)
    start = datetime(2022, 1, 1, 8, 0)
    for i in range(count):
        site = rng.choice(names)
        when = start + timedelta(minutes=5 * i + rng.randint(0, 4))
        item = {"url": f"http://{site}.example.gov.cn/art/{when:%Y/%m/%d}/art_{1000 + i}.html", "site": site}
        if recent and rng.random() < 0.25:
            orig = recent[rng.randrange(len(recent))]
            site = rng.choice([n for n in names if n != orig["site"]])
            item["site"] = site
            item["url"] = f"http://{site}.example.gov.cn/art/{when:%Y/%m/%d}/art_{1000 + i}.html"
            body, kind = orig["body"], rng.random()
            if kind < 0.25:
                body += f"\n（来源：{SITES[orig['site']][0]}）"
            elif kind < 0.45:
                body = body[: int(len(body) * 0.6)]
            elif kind < 0.65:
                body = w.sentence() + w.sentence() + "\n" + body
            elif kind < 0.8:
                body = body.replace("，", ",", 5)
            when = orig["when"] + timedelta(hours=rng.randint(1, 72))
            item.update(title=orig["title"], body=body,
                        source=SITES[orig["site"]][0] if rng.random() < 0.67 else rng.choice(SOURCES))
        else:
            item.update(title=w.phrase(rng.randint(4, 9)), body=w.body(), source=rng.choice(SOURCES))
            recent.append({"site": site, "title": item["title"], "body": item["body"], "when": when})
        item["published_at"] = SITES[site][1].format(when)
        item["people"] = w.people()
        yield item


def write_items(path: Path, count: int, seed: int) -> None:
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8") as out:
        for item in make_items(count, seed):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    tmp.replace(path)


# the baseline: the same lines into one table, nothing else -------------------------------
def baseline(items_path, db_path) -> None:
    import sqlite_utils

    db = sqlite_utils.Database(db_path)
    db.enable_wal()

    def rows():
        with open(items_path, "rb") as lines:
            for line in lines:
                item = json.loads(line)
                item["people"] = json.dumps(item.get("people"), ensure_ascii=False)
                yield item

    db["articles"].insert_all(rows(), batch_size=500, alter=True)
    db.close()


def search_alone(items_path, db_path) -> None:
    import sqlite3

    from aggregator.importer import COMMIT_ARTICLES
    from aggregator.search import SEARCH_TABLE_SETTINGS, SEARCH_TABLE_SQL, search_tokens_many

    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")  # as the store sets it
    conn.execute(SEARCH_TABLE_SQL)
    for setting in SEARCH_TABLE_SETTINGS:
        conn.execute(setting)

    def insert(texts, first_id):
        tokens = search_tokens_many(texts)
        conn.execute("BEGIN")
        conn.executemany("insert into articles_search (rowid, body, title) values (?, ?, ?)",
                         zip(range(first_id, first_id + len(texts) // 2), tokens[0::2], tokens[1::2]))
        conn.execute("COMMIT")

    texts, first_id = [], 1
    with open(items_path, "rb") as lines:
        for line in lines:
            item = json.loads(line)
            texts += [item.get("body") or "", item.get("title") or ""]
            if len(texts) == 2 * COMMIT_ARTICLES:
                insert(texts, first_id)
                texts, first_id = [], first_id + COMMIT_ARTICLES
    if texts:
        insert(texts, first_id)
    conn.close()


# running and measuring ----------------------------------------------------------------------
def timed(cmd, code=ROOT) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS in MB, stdout) of one subprocess run with the project
    at `code` first on its path, the CPU time and the peak the child's own (wait4)."""
    env = dict(os.environ, PYTHONPATH=str(code) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=code)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        text, error = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed ({child.returncode}):\n{error[-3000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text  # ru_maxrss: KiB


def import_cmd(items, db):
    return [sys.executable, "-m", "aggregator.cli", "import", str(items), "--db", str(db)]


def baseline_cmd(items, db):
    return [sys.executable, __file__, "--baseline", str(items), str(db)]


def search_cmd(items, db):
    return [sys.executable, __file__, "--search-alone", str(items), str(db)]


BARE = {"baseline": baseline_cmd, "search": search_cmd}  # the rows that run no import


def stored(db_path) -> dict:
    import sqlite_utils

    db = sqlite_utils.Database(db_path)
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {"articles": one("select count(*) from articles"),
            "in stories with copies": one("select count(*) from articles where story_id in "
                                          "(select story_id from articles group by story_id having count(*) > 1)"),
            "stories with copies": one("select count(*) from (select story_id from articles group by story_id "
                                       "having count(*) > 1)"),
            "search rows": one("select count(*) from articles_search"),
            "rejects": one("select count(*) from rejects")}


def span(values, fmt="{:,.0f}") -> str:
    low, high = min(values), max(values)
    return fmt.format(low) if len(values) == 1 else f"{fmt.format(low)}-{fmt.format(high)}"


def fresh(db) -> Path:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return db


# --compare: the same items stored the same way by two trees -----------------------------------
# columns that hold the time of the run (or are derived from it: syn_docs.state hashes first_seen)
TIME_COLUMNS = {"first_seen", "last_seen", "seen_at", "started_at", "finished_at", "stats", "checked_at",
                "revised_at", "next_attempt", "resolved_at", "state"}
# FTS5's own tables: the index's layout (segments, merges) may differ; its contents are compared
# token by token through fts5vocab instead
FTS_SHADOW = ("articles_search", "articles_search_config", "articles_search_data", "articles_search_docsize",
              "articles_search_idx")


def _table_rows(conn, table):
    """(columns compared, rows in primary-key order) of one table, the time columns left out."""
    columns = [row[1] for row in conn.execute(f"pragma table_info([{table}])")]
    keep = [c for c in columns if c not in TIME_COLUMNS]
    order = ", ".join(f"[{c}]" for c in (
        [row[1] for row in sorted(conn.execute(f"pragma table_info([{table}])"), key=lambda r: r[5]) if row[5]]
        or columns))
    select = ", ".join(f"[{c}]" for c in keep)
    return keep, conn.execute(f"select {select} from [{table}] order by {order}")


def _search_instances(conn):
    """Every token the search index holds: (term, article, column, offset), in term order."""
    conn.execute("create virtual table if not exists temp.search_vocab using fts5vocab(main, 'articles_search', 'instance')")
    return conn.execute("select term, doc, col, offset from temp.search_vocab")


def compare_databases(a_path, b_path) -> list[str]:
    """The differences between two imports' databases, table by table and row by row (the
    time columns aside), the search index token by token; [] when they hold the same."""
    import itertools
    import sqlite3

    a, b = sqlite3.connect(a_path), sqlite3.connect(b_path)
    tables = lambda conn: {r[0] for r in conn.execute(  # noqa: E731
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")} - set(FTS_SHADOW)
    differences, summary = [], []
    if tables(a) != tables(b):
        differences.append(f"tables differ: {sorted(tables(a) ^ tables(b))}")
    for table in sorted(tables(a) & tables(b)):
        (cols_a, rows_a), (cols_b, rows_b) = _table_rows(a, table), _table_rows(b, table)
        if cols_a != cols_b:
            differences.append(f"{table}: columns {cols_a} != {cols_b}")
            continue
        count = 0
        for n, (x, y) in enumerate(itertools.zip_longest(rows_a, rows_b)):
            count = n + 1
            if x != y:
                differences.append(f"{table} row {n + 1}: {str(x)[:300]} != {str(y)[:300]}")
                break
        summary.append(f"{table} {count:,}")
    count = 0
    for n, (x, y) in enumerate(itertools.zip_longest(_search_instances(a), _search_instances(b))):
        count = n + 1
        if x != y:
            differences.append(f"search index token {n + 1}: {x} != {y}")
            break
    summary.append(f"search index tokens {count:,}")
    print("compared (rows):", ", ".join(summary))
    return differences


def compare(items, work, other) -> int:
    """Import the items with this tree and with `other`, compare the two databases."""
    dbs = {}
    for name, code in (("this", ROOT), ("other", other)):
        dbs[name] = fresh(work / f"compare-{name}.db")
        timed(import_cmd(items, dbs[name]), code)
    differences = compare_databases(dbs["this"], dbs["other"])
    for line in differences:
        print("DIFFERENT", line)
    print(f"{'the same' if not differences else 'NOT the same'}: {ROOT} and {other.resolve()} on {items}")
    return 1 if differences else 0


# --profile: where the import's CPU time goes -------------------------------------------------
# (file, function) whose cumulative time is each share; the search rows under any name the
# store's function for them has had
SEARCH = (("aggregator/store.py", "_flush_search"), ("aggregator/store.py", "_write_search_row"),
          ("aggregator/store.py", "_write_search_rows"))
STORIES = (("aggregator/store.py", "_flush_stories"), ("aggregator/syndication_index.py", "file_bands"))
PIPELINES = ("extract", "clean", "normalize", "dedup")
READING = tuple(("aggregator/importer.py", name) for name in (
    "read_lines", "parse_line", "check_types", "check_url", "check_date", "check_body", "require"))


def profile(items, db, out) -> None:
    """Run `aggregator import` in this process under cProfile, timed by CPU time (a loaded
    machine's waits are not counted), and print the shares of the import's time."""
    import cProfile
    import pstats
    import runpy

    profiler = cProfile.Profile(time.process_time)
    sys.argv = import_cmd(items, db)[2:]
    # as `python -m` would: bench/ off the path (a script there named like an installed package would hide it)
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    profiler.enable()
    try:
        runpy.run_module("aggregator.cli", run_name="__main__")
    except SystemExit as done:
        if done.code:
            raise
    profiler.disable()
    profiler.dump_stats(out)
    stats = pstats.Stats(str(out)).stats  # {(file, line, name): (calls, ncalls, tottime, cumtime, callers)}

    def cumulative(file, name) -> float:
        return sum(t[3] for (path, _, func), t in stats.items() if func == name and path.endswith(file))

    whole = sum(t[2] for t in stats.values())
    total = cumulative("aggregator/importer.py", "import_file")
    search = next((t for t in (cumulative(*fn) for fn in SEARCH) if t), 0.0)
    shares = {"search rows": search, "stories": sum(cumulative(*fn) for fn in STORIES),
              "pipelines": cumulative("aggregator/importer.py", "run_pipelines")}
    for stage in PIPELINES:
        shares[f"  {stage}"] = cumulative(f"pipelines/{stage}.py", "process_item")
    shares["reading and checking lines"] = sum(cumulative(*fn) for fn in READING)
    shares["the rest: store writes and commits, the loop"] = total - sum(
        v for k, v in shares.items() if not k.startswith(" "))
    shares["start-up (imports, schema)"] = whole - total
    print(f"profile of `aggregator import` ({whole:.1f} CPU-s under cProfile, which slows Python "
          f"code more than SQLite's): {out}")
    for label, seconds in shares.items():
        print(f"  {label:48s} {seconds:7.1f} s  {100 * seconds / whole:5.1f}%")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the items and databases here")
    parser.add_argument("--code", type=Path, action="append", default=[],
                        help="another checkout of the project to time beside this one (repeatable)")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="instead: one import under cProfile (stats to FILE), and its shares")
    parser.add_argument("--compare", type=Path, metavar="DIR",
                        help="instead: import the items with this tree and DIR's and compare the databases "
                             "row by row (the time columns aside) and the search index token by token")
    parser.add_argument("--baseline", nargs=2, metavar=("ITEMS", "DB"), help="(the baseline's own process)")
    parser.add_argument("--search-alone", nargs=2, metavar=("ITEMS", "DB"), help="(the search row's own process)")
    args = parser.parse_args(argv)
    if args.baseline:
        baseline(*args.baseline)
        return 0
    if args.search_alone:
        search_alone(*args.search_alone)
        return 0
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    items = work / f"items-{args.items}-{args.seed}.jsonl"
    if not items.exists():
        t0 = time.perf_counter()
        write_items(items, args.items, args.seed)
        print(f"wrote {args.items:,} items ({items.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.0f}s: {items}")
    if args.profile:
        profile(items, fresh(work / "profile.db"), args.profile)
        return 0
    if args.compare:
        return compare(items, work, args.compare)
    trees = {"import": ROOT, **{f"import@{n}": code.resolve() for n, code in enumerate(args.code, 1)}}
    runs = collections.defaultdict(list)
    for n in range(1, args.rounds + 1):
        kinds = list(trees) if n % 2 else list(reversed(trees))
        for kind in (*kinds, *BARE):
            db = fresh(work / f"{kind.replace('@', '-')}.db")
            cmd = BARE[kind](items, db) if kind in BARE else import_cmd(items, db)
            seconds, cpu, rss, out = timed(cmd, trees.get(kind, ROOT))
            runs[kind].append((args.items / seconds, args.items / cpu, rss))
            print(f"round {n} {kind:8s} {args.items / seconds:8,.0f} articles/s ({seconds:6.1f}s), "
                  f"{args.items / cpu:8,.0f} per CPU-s, peak RSS {rss:5.0f} MB  {out.strip()[:160]}", flush=True)
        print(f"round {n} import/baseline {runs['import'][-1][0] / runs['baseline'][-1][0]:.3f}, "
              f"import/search {runs['import'][-1][1] / runs['search'][-1][1]:.3f} (per CPU-second)", flush=True)
    ratios = [i[0] / b[0] for i, b in zip(runs["import"], runs["baseline"])]
    print(f"\n{args.items:,} items, {args.rounds} rounds")
    for kind in (*trees, *BARE):
        print(f"{kind:8s} {span([r[0] for r in runs[kind]])} articles/s, {span([r[1] for r in runs[kind]])} "
              f"per CPU-second, peak RSS {span([r[2] for r in runs[kind]])} MB")
    print(f"import/baseline {span(ratios, '{:.3f}')} (articles/s)")
    print(f"import/search {span([i[1] / f[1] for i, f in zip(runs['import'], runs['search'])], '{:.3f}')} "
          f"(per CPU-second: the share of the import's CPU its search index alone takes)")
    for kind in list(trees)[1:]:  # each round's ratio: both taken minutes apart, under the same load
        print(f"import/{kind} {span([a[0] / b[0] for a, b in zip(runs['import'], runs[kind])], '{:.3f}')} "
              f"(articles/s), {span([a[1] / b[1] for a, b in zip(runs['import'], runs[kind])], '{:.3f}')} "
              f"(per CPU-second): {trees[kind]}")
    print("stored by the last import:", ", ".join(f"{k} {v:,}" for k, v in stored(work / "import.db").items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
