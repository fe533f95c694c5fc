"""Bench: near-duplicate ingestion at scale (issue 5), and `aggregator import` end to end.

    python bench/syndication.py                 # 100,000 articles
    python bench/syndication.py --articles 20000 --db /tmp/syn.db
    python bench/syndication.py --import-path --articles 3000 --rounds 3 --code /tmp/before
    python bench/syndication.py --articles 3000 --rounds 3 --code /tmp/before
    python bench/syndication.py --articles 3000 --profile syn.prof   # where the ingest's time goes

--import-path measures the product's own path: the same articles written as JSON lines and
stored by `python -m aggregator.cli import --new-sites` in a subprocess (the crawl's
pipelines, the store, the near-duplicate index), into a new database each time; each run's
rate is given per second of wall time and per second of the subprocess's CPU time (steadier
on a machine shared with other work). With
--code DIR (repeatable: another checkout of the project, e.g. `git archive <commit> | tar -x -C
DIR`) the trees are run in alternating order in each round, and each round's rate is given
as a ratio to the first tree's (the machine's speed drifts; the ratio within a round does not).
Without --import-path, --code DIR runs each tree's own bench/syndication.py (the story index
alone) in a subprocess, alternating in the same way, and gives each round's articles/s and
ratio.

Builds articles of realistic Chinese text (words drawn from the real bodies in
tests/data/syndication/bodies.json, Zipf-weighted; bodies of 150-4,000 characters in
paragraphs), a quarter of them copies of an earlier article (credit line added, cut to 60%,
editor's lead, small edits, paragraphs merged, Traditional characters, verbatim on another
site; 1% of all articles are Traditional copies) and 5% short notices on a few shared templates. Each batch of 1,000 is inserted into
`articles` and assigned with StoryIndex.assign_many (one transaction), as the store does.

Reports articles/s (per second of wall time, and of the process's CPU time: steadier on a
machine shared with other work) and ms per article (insert + near-dup lookup + index + story
upkeep), the
MB the index's tables take (syn_docs, syn_bands, syn_keys, beside articles), how many stories an
article bridged into another (merges), peak RSS, and the time
of a read-only lookup (StoryIndex.find) over 500 probes when 10k and when all articles are
stored. Targets: >= 1,000 articles/s at 100k on one core, peak RSS <= 1 GB,
lookup at 100k <= 1.5x lookup at 10k.

--profile FILE runs the ingest (each batch's insert and assign_many, nothing else: not the
article generator, not the lookups) under cProfile, timed by CPU time, writes the stats to
FILE and prints the shares of the story index's parts (PROFILE_PARTS) and how many compare()
calls an article cost.
"""
from __future__ import annotations

import argparse
import collections
import itertools
import json
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from opencc import OpenCC  # noqa: E402

import sqlite_utils  # noqa: E402

from aggregator.store import Store  # noqa: E402
from aggregator.syndication_index import StoryIndex  # noqa: E402
from aggregator.syndication import content_hash  # noqa: E402
from bench.corpus import TextMaker  # noqa: E402

SITES = [f"site{n:02d}" for n in range(60)]


def make_articles(count: int, seed: int = 5):
    """Yield `count` articles; copies pick their original among the last 5,000 (kept in a ring
    buffer so the bench does not hold 100k bodies in memory)."""
    rng = random.Random(seed)
    maker = TextMaker(rng)
    s2t = OpenCC("s2t")
    templates = [(maker.body(250), maker.body(150)) for _ in range(5)]
    recent = collections.deque(maxlen=5000)
    for i in range(count):
        site = rng.choice(SITES)
        pub = f"2022-{1 + i * 12 // count:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00+08:00"
        r = rng.random()
        if r < 0.25 and recent:
            orig = recent[rng.randrange(len(recent))]
            body = orig["body"]
            kind = rng.random()
            if kind < 0.2:
                body = body + "\n（来源：" + orig["site"] + "教育局）"
            elif kind < 0.35:
                body = body[: int(len(body) * 0.6)]
            elif kind < 0.5:
                body = maker.sentence() + maker.sentence() + "\n" + body
            elif kind < 0.65:
                body = body.replace("，", ",", 5)[:-20] + maker.sentence()
            elif kind < 0.8:
                body = body.replace("\n", "", 2)
            elif kind < 0.84:  # 1% of all articles: Traditional copies are rare on these sites
                body = s2t.convert(body)
            title = orig["title"]
        elif r < 0.30:
            opening, footer = rng.choice(templates)
            body = opening + "\n" + maker.body(rng.randint(60, 200)) + "\n" + footer
            title = "关于做好有关工作的通知"
        else:
            length = int(min(4000, max(150, rng.lognormvariate(7.0, 0.6))))
            body = maker.body(length)
            title = maker.sentence()[:20]
        art = {"copy": r < 0.25 and len(recent) > 0,
               "url": f"https://{site}.example.gov.cn/art/{i}.html", "site": site,
               "title": title, "body": body, "source": None, "published_at": pub,
               "first_seen": pub, "last_seen": pub}
        yield art
        recent.append(art)


def create_db(path):
    """The store's own schema (aggregator.store.Store: WAL, synchronous=NORMAL, every index)."""
    store = Store(path)
    return store.db, store.stories


def lookup_times(paths, probes, rounds=9) -> list:
    """Seconds per read-only lookup (StoryIndex.find) in each database, measured side by side:
    every round times one pass over the probes in each database, in alternating order, so a
    change in the machine's speed during the run (seen here: 2x within minutes) hits both alike.
    Returns [(median seconds per lookup, [per-round seconds])] per path."""
    indexes = []
    for path in paths:
        db = sqlite_utils.Database(path)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # as after a cron run
        indexes.append(StoryIndex(db))
    times = [[] for _ in paths]
    for r in range(rounds):
        order = range(len(indexes)) if r % 2 == 0 else reversed(range(len(indexes)))
        for i in order:
            t = time.perf_counter()
            for p in probes:
                indexes[i].find(p["body"], p["title"])
            times[i].append((time.perf_counter() - t) / len(probes))
    for index in indexes:
        index.db.conn.close()
    return [(statistics.median(ts), ts) for ts in times]


# the parts of the ingest --profile reports: (label, [(file, function), ...]) whose cumulative
# CPU time is the part's (nested parts overlap: a share is of the whole ingest)
PROFILE_PARTS = (
    ("fingerprints ahead of assign (_prepare)", [("syndication_index.py", "_prepare")]),
    ("match: twin, candidates, verification", [("syndication_lookup.py", "match")]),
    ("  shingle-key lookup", [("syndication_bands.py", "lookup")]),
    ("  band lookup and ranking (candidates)", [("syndication_bands.py", "candidates")]),
    ("  verification (_verify)", [("syndication_lookup.py", "_verify")]),
    ("compare() (everywhere)", [("syndication.py", "compare")]),
    ("fingerprint() (stored articles read again)", [("syndication.py", "fingerprint")]),
    ("stories: place_copy / place_original", [("syndication_stories.py", "place_copy"),
                                               ("syndication_stories.py", "place_original")]),
    ("  credit (Credits.explain)", [("syndication_stories.py", "explain")]),
    ("_settle (members verified again)", [("syndication_index.py", "_settle")]),
    ("merges and held-apart templates", [("syndication_index.py", "_consistent"),
                                         ("syndication_index.py", "_hold_apart"),
                                         ("syndication_stories.py", "merge"),
                                         ("syndication_index.py", "_revisit_apart")]),
    ("bands filed in bulk (flush)", [("syndication_bands.py", "flush")]),
    ("SQL: execute / executemany / fetch*", [("~", "<method 'execute' of 'sqlite3.Connection' objects>"),
                                             ("~", "<method 'executemany' of 'sqlite3.Connection' objects>"),
                                             ("~", "<method 'execute' of 'sqlite3.Cursor' objects>"),
                                             ("~", "<method 'fetchall' of 'sqlite3.Cursor' objects>"),
                                             ("~", "<method 'fetchone' of 'sqlite3.Cursor' objects>"),
                                             ("~", "<method 'commit' of 'sqlite3.Connection' objects>")]),
)


def print_profile(path, articles) -> None:
    """The shares of PROFILE_PARTS in a profile of the ingest, and compare() calls per article."""
    import pstats
    stats = pstats.Stats(str(path)).stats  # {(file, line, name): (cc, calls, tottime, cumtime, callers)}
    whole = sum(t[2] for t in stats.values())

    def part(fns, field=3) -> float:
        return sum(t[field] for (file, _, name), t in stats.items()
                   for f, n in fns if name == n and file.endswith(f))

    print(f"profile of the ingest ({whole:.1f} CPU-s under cProfile, {articles:,} articles): {path}")
    for label, fns in PROFILE_PARTS:
        seconds = part(fns)
        print(f"  {label:46s} {seconds:7.2f} s  {100 * seconds / whole:5.1f}%")
    calls = part([("syndication.py", "compare")], field=1)
    print(f"  compare() calls: {calls:,} ({calls / articles:.2f} per article)")


def import_rate(code: Path, items: Path, db_path: Path) -> tuple[float, float]:
    """(articles/s, articles per CPU second) of `aggregator import` of `items` into a new
    database, with the project at `code` (a subprocess, timed from its start to its exit; its
    CPU time, user and system, from the kernel's account of the waited-for child: on a machine
    shared with other work the wall time waits for the other processes, the CPU time does not)."""
    import subprocess
    env = {**os.environ, "PYTHONPATH": str(code)}
    n = sum(1 for _ in items.open(encoding="utf-8"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "aggregator.cli", "import", "--new-sites",
                    "--db", str(db_path), str(items)], check=True, env=env, cwd=code,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return n / wall, n / cpu


def import_path(args) -> dict:
    """The --import-path bench (see the module docstring)."""
    codes = [ROOT] + [Path(c).resolve() for c in args.code or ()]
    with tempfile.TemporaryDirectory() as tmp:
        items = Path(tmp) / "items.jsonl"
        with items.open("w", encoding="utf-8") as f:
            for a in make_articles(args.articles):
                f.write(json.dumps({k: a[k] for k in ("url", "site", "title", "body", "source",
                                                      "published_at")}, ensure_ascii=False) + "\n")
        rates = [[] for _ in codes]
        cpu_rates = [[] for _ in codes]
        for r in range(args.rounds):
            order = range(len(codes)) if r % 2 == 0 else reversed(range(len(codes)))
            for i in order:
                db_path = Path(tmp) / f"round{r}-tree{i}.db"
                wall, cpu = import_rate(codes[i], items, db_path)
                rates[i].append(wall)
                cpu_rates[i].append(cpu)
                db_path.unlink()
            print(f"round {r + 1}: " + "  ".join(
                f"{codes[i]}: {rates[i][-1]:.0f} articles/s ({cpu_rates[i][-1]:.0f} per CPU s)"
                for i in range(len(codes))), flush=True)
    report = {"articles": args.articles, "rounds": args.rounds,
              "articles_per_s": {str(c): [round(x) for x in rs] for c, rs in zip(codes, rates)},
              "articles_per_cpu_s": {str(c): [round(x) for x in rs]
                                     for c, rs in zip(codes, cpu_rates)}}
    if len(codes) > 1:
        report["ratio_to_first"] = {str(c): [round(x / y, 3) for x, y in zip(rs, rates[0])]
                                    for c, rs in zip(codes[1:], rates[1:])}
        report["cpu_ratio_to_first"] = {str(c): [round(x / y, 3) for x, y in zip(rs, cpu_rates[0])]
                                        for c, rs in zip(codes[1:], cpu_rates[1:])}
    print(json.dumps(report, indent=1))
    return report


def index_rounds(args) -> dict:
    """The story-index bench of this tree and of each --code tree, each its own
    bench/syndication.py in a subprocess, in alternating order in each round."""
    import subprocess
    codes = [ROOT] + [Path(c).resolve() for c in args.code]
    rates = [[] for _ in codes]
    cpu_rates = [[] for _ in codes]
    for r in range(args.rounds):
        order = range(len(codes)) if r % 2 == 0 else reversed(range(len(codes)))
        for i in order:
            out = subprocess.run(
                [sys.executable, str(codes[i] / "bench" / "syndication.py"),
                 "--articles", str(args.articles), "--batch", str(args.batch)],
                check=True, env={**os.environ, "PYTHONPATH": str(codes[i])}, cwd=codes[i],
                stdout=subprocess.PIPE, text=True).stdout
            report = json.loads(out[out.rindex("\n{") + 1:] if "\n{" in out else out)
            rates[i].append(report["articles_per_s_overall"])
            # (a tree whose bench predates the CPU figure gives none)
            cpu_rates[i].append(report.get("articles_per_cpu_s_overall"))
        print(f"round {r + 1}: " + "  ".join(
            f"{codes[i]}: {rates[i][-1]} articles/s" for i in range(len(codes))), flush=True)
    report = {"articles": args.articles, "rounds": args.rounds,
              "articles_per_s": {str(c): rs for c, rs in zip(codes, rates)},
              "ratio_to_first": {str(c): [round(x / y, 3) for x, y in zip(rs, rates[0])]
                                 for c, rs in zip(codes[1:], rates[1:])},
              "articles_per_cpu_s": {str(c): rs for c, rs in zip(codes, cpu_rates)},
              "cpu_ratio_to_first": {str(c): [round(x / y, 3) if x and y else None
                                              for x, y in zip(rs, cpu_rates[0])]
                                     for c, rs in zip(codes[1:], cpu_rates[1:])}}
    print(json.dumps(report, indent=1))
    return report


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=None,
                    help="articles to generate (default 100,000; 3,000 with --import-path)")
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--db", help="database path (default: a temporary file)")
    ap.add_argument("--import-path", action="store_true",
                    help="time `aggregator import` end to end in a subprocess instead")
    ap.add_argument("--code", action="append",
                    help="another checkout of the project to time beside this one (each round "
                         "alternates the trees)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="with --code or --import-path: runs per tree")
    ap.add_argument("--profile", metavar="FILE",
                    help="run the ingest under cProfile (CPU time), stats to FILE, and print the "
                         "shares of the story index's parts")
    args = ap.parse_args(argv)
    if args.import_path:
        args.articles = args.articles or 3000
        return import_path(args)
    args.articles = args.articles or 100_000
    if args.code:
        return index_rounds(args)

    # probes: 250 new texts and 250 copies (first 80%) of articles stored before the 10k
    # measurement, so both measurements answer the same questions
    rng = random.Random(9)
    maker = TextMaker(rng)
    probes = [{"title": "t", "body": maker.body(1200)} for _ in range(250)]
    probe_from = set(rng.sample(range(min(10_000, args.articles)), 250))

    tmp = None
    if args.db:
        path = args.db
        if os.path.exists(path):
            os.remove(path)
    else:
        tmp = tempfile.TemporaryDirectory()
        path = os.path.join(tmp.name, "syndication.db")
    db, index = create_db(path)
    cols = ["url", "site", "title", "body", "source", "published_at", "first_seen",
            "last_seen", "content_hash"]
    sql = f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    snapshot_path = path + ".10k"
    if os.path.exists(snapshot_path):
        os.remove(snapshot_path)
    windows = []
    ingest = ingest_cpu = 0.0
    profiler = None
    if args.profile:
        import cProfile
        profiler = cProfile.Profile(time.process_time)
    stored = copies_made = merges = 0
    is_copy = [False]  # by article id (ids start at 1)
    source = make_articles(args.articles)
    while True:
        chunk = list(itertools.islice(source, args.batch))
        if not chunk:
            break
        copies_made += sum(a["copy"] for a in chunk)
        is_copy.extend(a["copy"] for a in chunk)
        for n, a in enumerate(chunk, start=stored):
            if n in probe_from:
                probes.append({"title": a["title"], "body": a["body"][: int(len(a["body"]) * .8)]})
        # content_hash is computed upstream, in the crawler's dedup pipeline (pipelines/dedup.py),
        # possibly on another machine: not part of the store's ingest time
        rows = [[a[c] for c in cols[:-1]] + [content_hash(a["body"])] for a in chunk]
        t, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        with index.batch():
            first = db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0] + 1
            db.conn.executemany(sql, rows)
            results = index.assign_many(range(first, first + len(chunk)))
        if profiler:
            profiler.disable()
        dt = time.perf_counter() - t
        ingest += dt
        ingest_cpu += time.process_time() - cpu
        merges += sum(len(r["merged_story_ids"]) for r in results)
        stored += len(chunk)
        windows.append((stored, len(chunk) / dt))
        if stored == 10_000 and args.articles > 10_000:  # a copy, to measure beside the full one
            with sqlite3.connect(snapshot_path) as snap:
                db.conn.backup(snap)
        if stored % 10_000 == 0 or stored == args.articles:
            print(f"{stored:>7,} stored  {len(chunk) / dt:7.0f} articles/s (this batch)  "
                  f"rss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB",
                  flush=True)
    arts = range(stored)
    if profiler:
        profiler.dump_stats(args.profile)
        print_profile(args.profile, stored)

    stories = db.execute("SELECT count(*) FROM stories").fetchone()[0]
    # stories holding two articles that were generated as independent texts (a false merge)
    fresh = collections.Counter(
        sid for aid, sid in db.execute(
            "SELECT a.id, a.story_id FROM articles a JOIN stories s ON s.id = a.story_id "
            "WHERE s.copies > 0") if not is_copy[aid])
    false_merges = sum(1 for n in fresh.values() if n > 1)
    copies = db.execute("SELECT sum(copies) FROM stories").fetchone()[0]
    index_mb = table_mb(db.conn, ("syn_docs", "syn_bands", "syn_keys", "articles"))
    db.conn.close()
    # lookups at 10k (the snapshot) and at the end, side by side
    sizes = [10_000, len(arts)] if os.path.exists(snapshot_path) else [len(arts)]
    measured = lookup_times([snapshot_path, path][-len(sizes):], probes)
    lookups = {n: m for n, (m, _) in zip(sizes, measured)}
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # peak, whole run
    last = [r for n, r in windows if n > len(arts) - 10_000]
    report = {
        "articles": len(arts),
        "articles_per_s_overall": round(len(arts) / ingest),
        # per second of this process's CPU time (steadier on a machine shared with other work)
        "articles_per_cpu_s_overall": round(len(arts) / ingest_cpu),
        "articles_per_s_last_10k": round(sum(last) / len(last)),
        "stories": stories, "copies_made": copies_made, "copies_clustered": copies,
        "stories_merging_independent_texts": false_merges,
        "stories_merged_by_a_bridge": merges,
        "peak_rss_mb": round(rss_mb),
        "db_mb": round(os.path.getsize(path) / 2**20),
        "table_mb": index_mb,
        "ms_per_article": round(1000 * ingest / len(arts), 3),
        "lookup_ms": {str(k): round(v * 1000, 3) for k, v in lookups.items()},
    }
    if len(measured) == 2:  # the median of each round's ratio: both taken within a second
        report["lookup_ratio"] = round(statistics.median(
            b / a for a, b in zip(measured[0][1], measured[1][1])), 2)
    print(json.dumps(report, indent=1))
    if os.path.exists(snapshot_path):
        os.remove(snapshot_path)
    if tmp:
        tmp.cleanup()
    return report


def table_mb(conn, tables) -> dict:
    """MB each table takes in the file, with its indexes (SQLite's dbstat)."""
    out = {}
    for t in tables:
        names = [t] + [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", [t])]
        size = conn.execute(f"SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN "
                            f"({','.join('?' * len(names))})", names).fetchone()[0]
        out[t] = round(size / 2**20, 1)
    return out


if __name__ == "__main__":
    main()
