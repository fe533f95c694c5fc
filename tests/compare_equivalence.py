"""Differential check of the pair verification: compare() of this tree against compare() of a
reference version of aggregator/syndication.py, on the pairs the syndication sets produce.

    python -m tests.compare_equivalence [--against REV | --reference FILE] [--random N]

The pairs: for each generated set (tests/syndication_set.py: the tuned seed, HELD_OUT, FRESH,
FRESH2) every ordered pair of articles sharing a shingle, plus N random ordered pairs per set;
and from the bench's articles (bench/syndication.py make_articles, 3,000 of them) every ordered
pair sharing at least a tenth of the shorter body's sampled shingles. Each article is
fingerprinted by both versions (fingerprint(body, title), as the story index does), the
fingerprints must be equal, and every field of both versions' Comparison must be equal.

Prints the pair counts, the differences (the first few in full) and each version's mean CPU time
per compare() call over the pairs that reach the exact verification (containment and Jaccard
past their thresholds; with --time-all also over all pairs), timed side by side. Exits 1 on any
difference.
"""
from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from aggregator import syndication as new
from tests.syndication_set import FRESH, FRESH2, HELD_OUT, TUNED, build

ROOT = Path(__file__).resolve().parents[1]
# the last tree before compare() was rewritten for speed (the output it must keep)
DEFAULT_AGAINST = "a242146"
SETS = (("tuned", 16, TUNED), ("held_out", 1016, HELD_OUT), ("fresh", 2716, FRESH),
        ("fresh2", 3716, FRESH2))


def load_reference(path: Path):
    """The module in `path`, imported under another name (it imports nothing of the project)."""
    spec = importlib.util.spec_from_file_location("syndication_reference", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def reference_file(rev: str, tmp: Path) -> Path:
    out = tmp / "syndication_reference.py"
    out.write_bytes(subprocess.run(["git", "show", f"{rev}:aggregator/syndication.py"],
                                   cwd=ROOT, check=True, capture_output=True).stdout)
    return out


def sharing_pairs(fps, sample: int = 1, min_share: float = 0.0) -> list:
    """Ordered pairs (i, j), i != j, of fingerprints sharing shingles: with sample > 1 only the
    hashes divisible by `sample` are counted, and a pair must share min_share of the smaller
    one's counted hashes (with sample 1 that is the containment compare() computes). Counted as
    a product of the article-by-hash incidence matrix with its transpose, a slice of the hashes
    at a time."""
    n = len(fps)
    docs, hashes = [], []
    for i, fp in enumerate(fps):
        if fp is None:
            continue
        u = fp.unique[fp.unique % sample == 0] if sample > 1 else fp.unique
        docs.append(np.full(len(u), i, dtype=np.int64))
        hashes.append(u)
    doc, h = np.concatenate(docs), np.concatenate(hashes)
    size = np.bincount(doc, minlength=n)
    values, col, per_hash = np.unique(h, return_inverse=True, return_counts=True)
    keep = per_hash[col] >= 2  # a hash one article holds pairs nothing
    doc, col = doc[keep], col[keep]
    counts = np.zeros((n, n), dtype=np.float32)
    step = 4096
    for lo in range(0, len(values), step):
        sel = (col >= lo) & (col < lo + step)
        m = np.zeros((n, step), dtype=np.float32)
        m[doc[sel], col[sel] - lo] = 1
        counts += m @ m.T
    np.fill_diagonal(counts, 0)
    need = np.maximum(min_share * np.minimum.outer(size, size), 1)
    i, j = np.nonzero(counts >= need)
    return list(zip(i.tolist(), j.tolist()))


def random_pairs(n_items: int, count: int, rng: random.Random) -> list:
    return [tuple(rng.sample(range(n_items), 2)) for _ in range(count)] if n_items > 1 else []


def bench_items(count: int) -> list:
    sys.path.insert(0, str(ROOT))
    from bench.syndication import make_articles
    return [(a["body"], a["title"]) for a in make_articles(count)]


def check(label: str, items: list, pairs: list, ref, report: dict) -> None:
    """Fingerprints and compare() of both versions on `pairs` of `items` [(body, title)]."""
    fps_new = [new.fingerprint(b, t) for b, t in items]
    fps_ref = [ref.fingerprint(b, t) for b, t in items]
    for n, (fn, fr) in enumerate(zip(fps_new, fps_ref)):
        same = (fn is None) == (fr is None) and (fn is None or (
            fn.norm == fr.norm and fn.digest == fr.digest
            and np.array_equal(fn.hashes, fr.hashes) and np.array_equal(fn.unique, fr.unique)))
        if not same:
            report["differences"].append((label, "fingerprint", n))
    pairs = [(i, j) for i, j in pairs if fps_new[i] is not None and fps_new[j] is not None]
    deep = 0
    for i, j in pairs:
        rn = new.compare(fps_new[i], fps_new[j])
        rr = ref.compare(fps_ref[i], fps_ref[j])
        if dataclasses.astuple(rn) != dataclasses.astuple(rr):
            report["differences"].append((label, i, j, rn, rr))
        if rr.containment >= ref.MIN_CONTAINMENT and rr.jaccard >= ref.MIN_JACCARD:
            deep += 1
            report["deep_pairs"].append((fps_new[i], fps_new[j], fps_ref[i], fps_ref[j]))
        report["all_pairs"].append((fps_new[i], fps_new[j], fps_ref[i], fps_ref[j]))
    report["counts"].append((label, len(items), len(pairs), deep))
    print(f"{label}: {len(items)} articles, {len(pairs)} ordered pairs, {deep} reach the exact "
          f"verification, {len(report['differences'])} differences so far", flush=True)


def time_calls(pairs: list, ref, rounds: int = 3) -> tuple[list, list]:
    """Mean CPU seconds (this process's: steadier than the wall clock on a machine shared with
    other work) per compare() call of this tree and of the reference over `pairs`, one pass of
    each per round in alternating order (each fingerprint's caches already filled by the
    check)."""
    t_new, t_ref = [], []
    for r in range(rounds):
        for which in ((0, 1) if r % 2 == 0 else (1, 0)):
            fn = new.compare if which == 0 else ref.compare
            t = time.process_time()
            for p in pairs:
                fn(p[2 * which], p[2 * which + 1])
            (t_new if which == 0 else t_ref).append((time.process_time() - t) / max(1, len(pairs)))
    return t_new, t_ref


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--against", default=DEFAULT_AGAINST,
                    help="git revision whose aggregator/syndication.py is the reference")
    ap.add_argument("--reference", help="the reference syndication.py file instead")
    ap.add_argument("--random", type=int, default=2000, help="random ordered pairs per set")
    ap.add_argument("--bench-articles", type=int, default=3000)
    ap.add_argument("--deep-only", action="store_true",
                    help="of the sets' pairs sharing shingles only those sharing half the smaller "
                         "one's (every pair reaching the exact verification; a quicker check)")
    ap.add_argument("--time-rounds", type=int, default=3, help="0: no timing")
    ap.add_argument("--time-all", action="store_true",
                    help="also time compare() over all pairs (most end at the containment test)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.reference) if args.reference else reference_file(args.against, Path(tmp))
        ref = load_reference(path)
    rng = random.Random(7)
    report = {"differences": [], "counts": [], "deep_pairs": [], "all_pairs": []}
    for name, seed, mix in SETS:
        items = [(c.item["body"], c.item["title"]) for c in build(seed, mix)]
        fps = [new.fingerprint(b, t) for b, t in items]
        pairs = sorted(set(sharing_pairs(fps, min_share=0.5 if args.deep_only else 0.0))
                       | set(random_pairs(len(items), args.random, rng)))
        check(name, items, pairs, ref, report)
    if args.bench_articles:
        items = bench_items(args.bench_articles)
        fps = [new.fingerprint(b, t) for b, t in items]
        pairs = sorted(set(sharing_pairs(fps, sample=8, min_share=0.1))
                       | set(random_pairs(len(items), args.random, rng)))
        check("bench", items, pairs, ref, report)
    total = sum(c[2] for c in report["counts"])
    deep = sum(c[3] for c in report["counts"])
    diffs = report["differences"]
    print(f"total: {total} ordered pairs ({deep} reach the exact verification), "
          f"{len(diffs)} differences")
    for d in diffs[:5]:
        print("DIFFERENCE", *d)
    if args.time_rounds:
        timed = [("exact-verification pairs", report["deep_pairs"])]
        if args.time_all:
            timed.append(("all pairs", report["all_pairs"]))
        for label, pairs in timed:
            t_new, t_ref = time_calls(pairs, ref, args.time_rounds)
            print(f"compare() mean per call over {len(pairs)} {label}: this tree "
                  f"{min(t_new) * 1e3:.3f}-{max(t_new) * 1e3:.3f} ms, reference "
                  f"{min(t_ref) * 1e3:.3f}-{max(t_ref) * 1e3:.3f} ms "
                  f"(ratio {min(r / n for r, n in zip(t_ref, t_new)):.2f}-"
                  f"{max(r / n for r, n in zip(t_ref, t_new)):.2f}x)")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
