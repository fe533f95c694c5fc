"""The story index's compiled lookup loops (aggregator/_syn.pyx) give what the Python loops in
syndication_bands (the reference) give, on generated lookups made to be hard: many ties, an
article in both a key's filed and newest buckets, full buckets, empty ones, negative keys."""
import os
import random

import pytest

from aggregator import syndication_bands
import numpy as np

from aggregator.syndication_bands import (_FILTER_MUL, _FILTER_SHIFT, Docs, KeyFilter,
                                          best_by_score_python, estimates_python, possible_python,
                                          shingle_scores_python)

compiled = pytest.mark.skipif(not syndication_bands.COMPILED,
                              reason="aggregator._syn is not built (python setup.py build_ext --inplace)")


def test_the_compiled_loops_are_there_where_compiled_code_is_required():
    """.ci/run builds the extensions and sets REQUIRE_COMPILED_WALK: there a missing one fails."""
    if os.environ.get("REQUIRE_COMPILED_WALK"):
        assert syndication_bands.COMPILED, "aggregator._syn does not import"
    else:
        pytest.skip("REQUIRE_COMPILED_WALK not set")


def _lookup(rng: random.Random, cap: int):
    """(sizes, filed, recent) as ShingleKeys.lookup builds them, from few articles (ties)."""
    sizes, filed, recent = {}, {}, {}
    for key in rng.sample(range(-50, 5000), rng.randint(0, 60)):
        old = sorted(rng.sample(range(1, 40), rng.randint(0, 6)))
        new = sorted(rng.sample(range(30, 60), rng.randint(0, 3)))
        size = len(old) + len(new) + (rng.choice([0, cap]) if old else 0)
        if old and size < cap + len(new):
            filed[key] = tuple(old)
        if new:
            recent[key] = new
        if size:
            sizes[key] = size
    return sizes, filed, recent


@compiled
def test_compiled_best_by_score_is_the_python_one():
    from aggregator import _syn

    rng = random.Random(11)
    for _ in range(3000):
        cap, best = rng.choice([(4, 8), (40, 8), (40, 3)])
        sizes, filed, recent = _lookup(rng, cap)
        expected = best_by_score_python(sizes, filed, recent, cap, best)
        got = _syn.best_by_score(sizes, filed, recent, cap, best)
        assert list(got.items()) == list(expected.items())


@compiled
def test_compiled_shingle_scores_are_the_python_ones():
    """From each key's filed bucket as ShingleKeys._filed gives it and the newest buckets."""
    from aggregator import _syn

    rng = random.Random(13)
    for _ in range(3000):
        cap, best = rng.choice([(4, 8), (40, 8), (40, 3)])
        sizes, filed, recent = _lookup(rng, cap)
        keys = rng.sample(range(-50, 5000), rng.randint(0, 70)) + list(sizes)
        rng.shuffle(keys)
        keys = list(dict.fromkeys(keys))  # a lookup's keys are distinct
        entries = [(sizes[k] - len(recent.get(k, ())), filed.get(k)) if k in filed
                   else rng.choice([(0, None), (cap + 2, None)]) if k in sizes else (0, None)
                   for k in keys]
        expected = shingle_scores_python(keys, entries, recent, cap, best)
        got = _syn.shingle_scores(keys, entries, recent, cap, best)
        assert [list(d.items()) for d in got] == [list(d.items()) for d in expected]


@compiled
def test_compiled_possible_is_the_python_one():
    from aggregator import _syn

    rng = random.Random(5)
    known = KeyFilter()
    known.add([rng.randrange(2**32) for _ in range(200_000)])
    keys = [rng.randrange(-2**40, 2**40) for _ in range(20_000)] + [0, -1, 2**32 - 1, 2**63 - 1]
    assert _syn.possible(known.bits, keys, _FILTER_MUL, _FILTER_SHIFT) == possible_python(
        known.bits, keys)
    assert _syn.possible(known.bits, [], _FILTER_MUL, _FILTER_SHIFT) == []


class _Rows:
    """Docs' arrays, filled at random: signatures that agree with the lookup's in 0..bins bins,
    some rows without a whole signature or a known length."""

    def __init__(self, rng, n, bins, sig):
        self.sig = rng.integers(0, 4, size=(n, bins), dtype=np.uint32)
        self.sig[: n // 4] = sig  # some agree everywhere
        self.whole = (rng.random(n) < 0.8).astype(np.uint8)
        self.norm_len = rng.integers(-1, 3000, size=n, dtype=np.int64)
        self.key_bytes = rng.integers(0, 65, size=n, dtype=np.int64) * 8


@compiled
def test_compiled_estimates_are_the_python_ones():
    from aggregator import _syn

    rng = np.random.default_rng(2)
    for bins in (48, 7):
        sig = rng.integers(0, 4, size=bins, dtype=np.uint32)
        docs = _Rows(rng, 500, bins, sig)
        rows = rng.integers(0, 500, size=2000).tolist()
        arrays = (docs.sig, docs.whole, docs.norm_len, docs.key_bytes)
        assert _syn.estimates(*arrays, rows, sig) == estimates_python(*arrays, rows, sig)
        assert _syn.estimates(*arrays, [], sig) == []
    with pytest.raises(IndexError):
        _syn.estimates(*arrays, [500], sig)


@compiled
def test_compiled_estimates_read_the_arrays_docs_holds(tmp_path):
    """Docs' own arrays (grown, rows reused) are what _syn.estimates reads."""
    import sqlite3

    from aggregator import _syn
    from aggregator.syndication_schema import ensure_schema

    conn = sqlite3.connect(tmp_path / "d.db")
    ensure_schema(conn, {})
    docs = Docs(conn, 4)
    sig = np.array([1, 2, 3, 4], dtype=np.uint32)
    for a in range(1, 1500):
        docs.put(a, np.array([1, 2, a % 5, 4], dtype=np.uint32).tobytes(), a, 8 * (a % 3))
    docs.forget(7)
    docs.put(2000, None, None, None)
    rows = [docs.slot[a] for a in (1, 3, 8, 1499, 2000)]
    arrays = (docs.sig, docs.whole, docs.norm_len, docs.key_bytes)
    assert _syn.estimates(*arrays, rows, sig) == estimates_python(*arrays, rows, sig) == [
        (0.75, 1, 8), (1.0, 3, 0), (1.0, 8, 16), (0.75, 1499, 16), (0.0, None, 0)]
