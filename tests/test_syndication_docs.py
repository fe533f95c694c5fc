"""The story index's in-memory copies of syn_docs (BandStore.docs) and its known-absent filters
(KeyFilter.add): equal to what the tables hold."""
import numpy as np
import pytest

from aggregator.syndication_bands import Docs, KeyFilter
from aggregator.syndication_index import StoryIndex
from tests.test_syndication import BODIES, add, db, truncate  # noqa: F401 (db: the store's fixture)


def _held(docs: Docs) -> dict:
    """{article_id: (signature bytes or None, norm_len, key bytes)} as a Docs holds them."""
    return {a: (docs.sig[row].tobytes() if docs.whole[row] else None,
                int(docs.norm_len[row]), int(docs.key_bytes[row]))
            for a, row in docs.slot.items()}


def test_docs_held_in_memory_follow_inserts_changes_and_rollbacks(db):
    """What BandStore.docs holds after articles are indexed, an indexed one's body changes
    (its row deleted and written again) and a batch is rolled back is what a fresh read of
    syn_docs holds."""
    index = StoryIndex(db, merge_docs=2)
    texts = [b["body"] for b in BODIES if len(b["body"]) > 300][:4]
    ids = [add(db, site=f"s{n}", title=str(n), body=t, source=None, published_at=None)
           for n, t in enumerate(texts[:3])]
    index.assign_many(ids)
    index._bands.docs()  # held from here on
    copy = add(db, site="c", title="c", body=truncate(texts[1]), source=None, published_at=None)
    index.assign_many([copy])
    with index.batch():
        db.execute("update articles set body = ? where id = ?", [texts[3], ids[0]])
        index.assign(ids[0])
    assert _held(index._bands.docs()) == _held(Docs(db.conn, index.bins))
    with pytest.raises(RuntimeError), index.batch():
        db.execute("update articles set body = ? where id = ?", [texts[0], ids[2]])
        index.assign(ids[2])
        raise RuntimeError("rolled back")
    held = _held(index._bands.docs())
    assert held == _held(Docs(db.conn, index.bins))
    assert sorted(held) == sorted([*ids, copy])


def test_key_filter_add_sets_the_bits_of_a_bitwise_or_per_key():
    """KeyFilter.add (one pass per bit of a byte) sets exactly the bits np.bitwise_or.at sets,
    keys falling on one byte and on one bit included."""
    from aggregator.syndication_bands import _FILTER_MUL, _FILTER_SHIFT

    rng = np.random.default_rng(3)
    keys = np.concatenate([rng.integers(0, 2**32, size=50_000, dtype=np.int64),
                           np.zeros(3, dtype=np.int64), np.arange(64, dtype=np.int64)])
    known = KeyFilter()
    known.add(keys)
    expected = np.zeros(len(known.bits), dtype=np.uint8)
    bit = ((keys.astype(np.uint64) * np.uint64(_FILTER_MUL)) & np.uint64(0xFFFFFFFF)) >> np.uint64(
        _FILTER_SHIFT)
    np.bitwise_or.at(expected, (bit >> np.uint64(3)).astype(np.intp),
                     (np.uint64(1) << (bit & np.uint64(7))).astype(np.uint8))
    assert bytes(known.bits) == expected.tobytes()
