"""The story index's compiled lookup loops (aggregator/_syn.pyx) give what the Python loops in
syndication_bands (the reference) give, on generated lookups made to be hard: many ties, an
article in both a key's filed and newest buckets, full buckets, empty ones, negative keys."""
import os
import random

import pytest

from aggregator import syndication_bands
from aggregator.syndication_bands import (_FILTER_MUL, _FILTER_SHIFT, KeyFilter,
                                          best_by_score_python, possible_python)

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
def test_compiled_possible_is_the_python_one():
    from aggregator import _syn

    rng = random.Random(5)
    known = KeyFilter()
    known.add([rng.randrange(2**32) for _ in range(200_000)])
    keys = [rng.randrange(-2**40, 2**40) for _ in range(20_000)] + [0, -1, 2**32 - 1, 2**63 - 1]
    assert _syn.possible(known.bits, keys, _FILTER_MUL, _FILTER_SHIFT) == possible_python(
        known.bits, keys)
    assert _syn.possible(known.bits, [], _FILTER_MUL, _FILTER_SHIFT) == []
