"""LSH band storage: band keys of a signature, the syn_bands buckets, the newest articles' keys
held in memory, and the candidates a signature's keys find.

A bucket is capped at `bucket_cap` members (a shared template fills its buckets; later members
are found through their other bands).

The newest articles' entries are not in syn_bands yet: band keys are random, and filed straight
into syn_bands a batch of 1,000 articles would dirty nearly every page of it (30 MB per commit
at 100k articles). Articles above the watermark syn_meta.bands_through are looked up in memory
instead (their keys computed from syn_docs.signature when the index is opened) and filed into
syn_bands in key order, all at once, when there are 1/8 as many of them as of filed ones (at
least `merge_docs`, at most `max_recent_docs`): each page of syn_bands is rewritten once per
merge, not once per batch.

The filed buckets a lookup reads (syn_bands, syn_keys) change only when articles are filed or
unfiled, so those read since are kept in memory (at most FILED_KEPT buckets of each table) and
not read again: a stock phrase's bucket, which most lookups meet, is read once per merge, not
once per article. They are forgotten where syn_bands and syn_keys change: a merge, an older
article filed or unfiled straight into the tables (those keys), a rollback, another
connection's commit.

Most of a new article's keys were never filed (~80% of its shingle keys, ~90% of its band
keys), and asking SQLite for an absent key costs as much as for a filed one. A known-absent
filter per table (KeyFilter: one hashed bit per key filed) skips them: built from the table
once the lookups it would have spared pay for reading every filed key, kept in step with what
this connection files, and forgotten with the filed buckets kept in memory.

The candidates' estimates are computed from every indexed article's signature, normalized
length and key count held in memory (Docs, ~200 bytes an article), read from syn_docs with the
newest bands and kept in step with the index's writes of those columns; only the story and
whether it is its original are read from SQLite, of the candidates whose estimate passes (stories
are merged and re-elected as articles are placed).

The per-lookup loops (the filters' check, ShingleKeys' scores, the candidates' estimates) run
compiled (aggregator/_syn.pyx) where the package was built with it, else the Python functions
here (possible_python, shingle_scores_python, best_by_score_python, estimates_python): the
reference the compiled ones are tested against (tests/test_syndication_compiled.py). COMPILED
says which run.
"""
from __future__ import annotations

import importlib
import itertools
from typing import Callable, NamedTuple

import numpy as np

from aggregator.syndication_schema import named, read_meta, scalar, write_meta

__all__ = ["BandStore", "Candidate", "ShingleKeys", "KEY_SAMPLE", "MAX_KEYS", "COMPILED"]

try:  # the lookups' loops compiled (aggregator/_syn.pyx), when the package was built with them
    _syn = importlib.import_module("aggregator._syn")
except ImportError:  # not built (a source checkout, no C compiler): the Python loops below run
    _syn = None
COMPILED = _syn is not None  # which loops run

_MIX = np.uint64(0x9E3779B97F4A7C15)
# filed buckets kept in memory per table (~130 bytes each, ~50 MB); past it they are read again.
# Empty buckets are kept too: a key SQLite finds in its b-tree costs ~5 us even with no row
FILED_KEPT = 400_000
_EMPTY = (0, None)
# the filters are built once a data version has served filed articles * BUILD_AFTER calls of
# BandStore.filters() (two per lookup): building reads each filed article's ~60 keys (~30 us),
# a lookup asks for ~45 absent keys (~120 us)
BUILD_AFTER = 0.5
FILTER_BITS = 26  # 8 MB per table; 2.3M keys (100k articles) set 3% of its bits
_FILTER_MUL = 0x9E3779B1
_FILTER_SHIFT = 32 - FILTER_BITS


class Candidate(NamedTuple):
    """An indexed article that shares band keys with a lookup, with its signature's estimate of
    the Jaccard similarity."""
    estimate: float
    article_id: int
    story_id: int | None
    norm_len: int | None
    is_original: bool = False  # the original of its story (verified first among its members)


class KeyFilter:
    """The keys a table may hold: a bitmap with one hashed bit set per key filed (a Bloom
    filter of one hash), never cleared (an unfiled key stays possible), so a key whose bit is
    not set has no row. A superset of the table's keys while every key filed is added."""

    def __init__(self):
        self.bits = bytearray(1 << (FILTER_BITS - 3))  # bytearray: cheap to index in Python
        self._array = np.frombuffer(self.bits, dtype=np.uint8)  # the same bytes, for add()

    def add(self, keys) -> None:
        """Set the bits of the keys (an integer array or list)."""
        keys = np.asarray(keys, dtype=np.int64).astype(np.uint64)
        if not len(keys):
            return
        bit = ((keys * np.uint64(_FILTER_MUL)) & np.uint64(0xFFFFFFFF)) >> np.uint64(_FILTER_SHIFT)
        byte = (bit >> np.uint64(3)).astype(np.intp)
        low = (bit & np.uint64(7)).astype(np.uint8)
        # one pass per bit of a byte: keys setting the same bit of a byte write the same value,
        # so a plain fancy-index assignment is exact where bitwise_or.at would cost twice as much
        for j in range(8):
            at = byte[low == j]
            self._array[at] |= np.uint8(1 << j)

    def possible(self, keys) -> list:
        """The keys whose bits are set (those the table may hold), in their order."""
        if _syn is not None:
            return _syn.possible(self.bits, keys, _FILTER_MUL, _FILTER_SHIFT)
        return possible_python(self.bits, keys)

    @classmethod
    def of(cls, conn, query: str) -> "KeyFilter":
        """A filter of the keys a query returns (one column)."""
        made = cls()
        cur = conn.execute(query)
        while rows := cur.fetchmany(100_000):
            made.add([k for k, in rows])
        return made


class Docs:
    """Each indexed article's signature, normalized length and count of shingle-key bytes, as
    syn_docs holds them, in numpy rows (one slot per article; ~200 bytes each), so a lookup's
    estimates are computed without reading the candidates' rows. Loaded from syn_docs with the
    in-memory bands (BandStore.recent) and kept in step with every write of those columns
    (put, forget, drop_keys)."""

    def __init__(self, conn, bins: int):
        self.bins = bins
        self.slot = {}  # {article_id: row}
        self._free = []  # rows of forgotten articles, for reuse
        self.sig = np.zeros((0, bins), dtype=np.uint32)
        self.whole = np.zeros(0, dtype=np.uint8)   # 1: a signature of `bins` values
        self.norm_len = np.zeros(0, dtype=np.int64)  # -1: unknown (NULL)
        self.key_bytes = np.zeros(0, dtype=np.int64)  # length(shingle_keys), 0 when NULL
        cur = conn.execute("SELECT article_id, signature, norm_len, length(shingle_keys) "
                           "FROM syn_docs ORDER BY article_id")
        while rows := cur.fetchmany(10_000):
            for article_id, signature, norm_len, key_bytes in rows:
                self.put(article_id, signature, norm_len, key_bytes)

    def put(self, article_id, signature, norm_len, key_bytes) -> None:
        """An article's row written (signature: the blob, or None)."""
        row = self.slot.get(article_id)
        if row is None:
            row = self._free.pop() if self._free else self._grow()
            self.slot[article_id] = row
        whole = signature is not None and len(signature) == 4 * self.bins
        self.whole[row] = whole
        self.sig[row] = np.frombuffer(signature, dtype=np.uint32) if whole else 0
        self.norm_len[row] = -1 if norm_len is None else norm_len
        self.key_bytes[row] = key_bytes or 0

    def set_keys(self, article_id, key_bytes: int) -> None:
        """The article's shingle_keys rewritten, key_bytes long (0: NULL)."""
        row = self.slot.get(article_id)
        if row is not None:
            self.key_bytes[row] = key_bytes

    def forget(self, article_id) -> None:
        """The article's row deleted."""
        row = self.slot.pop(article_id, None)
        if row is not None:
            self._free.append(row)

    def _grow(self) -> int:
        """A new row at the end, the arrays doubled when full (np.zeros: pages never written
        cost no memory)."""
        n = len(self.slot) + len(self._free)
        if n == len(self.whole):
            size = max(1024, 2 * n)
            for name in ("sig", "whole", "norm_len", "key_bytes"):
                old = getattr(self, name)
                new = np.zeros((size, *old.shape[1:]), dtype=old.dtype)
                new[:n] = old
                setattr(self, name, new)
        return n


def possible_python(bits, keys: list) -> list:
    """KeyFilter.possible in Python (the reference _syn.possible is tested against)."""
    return [k for k in keys
            if bits[(b := (k * _FILTER_MUL & 0xFFFFFFFF) >> _FILTER_SHIFT) >> 3] >> (b & 7) & 1]


class BandStore:
    def __init__(self, conn, tuning: dict, in_batch: Callable[[], bool]):
        self.conn = conn
        self.tuning = tuning
        self.bands = int(tuning["bands"])
        self.rows = int(tuning["rows"])
        self.bins = self.bands * self.rows
        self._in_batch = in_batch  # inside the index's transaction: data_version checked once
        rng = np.random.default_rng(20240601)
        self._salt = rng.integers(1, 2**63, size=self.bands, dtype=np.uint64)
        # articles above the watermark: {band_key: [article_id]} and {shingle key: [article_id]},
        # read when first needed
        self._recent = self._recent_keys = None
        self._recent_docs = self._watermark = self._filed_docs = self._data_version = None
        self._checked = False
        # buckets filed at or below the watermark, as last read (empty ones too):
        # {band_key: [article_id]} and {shingle key: (bucket size, its article ids in id
        # order, or None when full)}
        self.filed_bands, self.filed_keys = {}, {}
        # known-absent filters of syn_bands and syn_keys (None: not built in this data version),
        # and the lookups served since the filed buckets were last forgotten
        self._band_filter = self._key_filter = None
        self._lookups = 0
        self._docs = None  # Docs, read with the in-memory bands

    # --- band keys --------------------------------------------------------------------------
    def key_matrix(self, sigs: np.ndarray) -> np.ndarray:
        """(n, bins) signatures -> (n, bands) band keys."""
        v = sigs.reshape(len(sigs), self.bands, self.rows).astype(np.uint64)
        h = np.broadcast_to(self._salt, (len(sigs), self.bands))
        for r in range(self.rows):
            h = (h ^ v[:, :, r]) * _MIX
            h ^= h >> np.uint64(31)
        # 32-bit keys keep the b-tree small; a rare key collision only adds a candidate that
        # exact verification rejects
        return (h >> np.uint64(32)).astype(np.int64)

    def keys(self, sig: np.ndarray) -> list:
        return self.key_matrix(sig.reshape(1, -1))[0].tolist()

    # --- the in-memory newest bands ---------------------------------------------------------
    def recheck(self) -> None:
        """A new transaction begins: look at data_version again before trusting memory."""
        self._checked = False

    def discard(self) -> None:
        """The transaction was rolled back (or the keys were filed again): read the newest bands
        and shingle keys again when needed (and the articles' signatures)."""
        self._recent = self._recent_keys = self._docs = None

    def recent(self) -> dict:
        """{band_key: [article_id]} of the articles above the watermark, from syn_docs (read
        again when another connection has written since)."""
        if self._recent is not None and self._checked:
            return self._recent
        # another connection's commit changes data_version: checked once per transaction
        version = scalar(self.conn, "PRAGMA data_version")
        self._checked = self._in_batch()
        if self._recent is not None and version == self._data_version:
            return self._recent
        self._data_version = version
        self._forget_filed()  # rolled back, or written by another
        self._docs = None
        self._watermark = read_meta(self.conn, "bands_through", 0)
        self._filed_docs = read_meta(self.conn, "bands_docs")
        self._recent, self._recent_docs = {}, 0
        rows = self.conn.execute(
            "SELECT article_id, signature, banded FROM syn_docs "
            "WHERE article_id > ? AND banded > 0 AND length(signature) = ? "
            "ORDER BY article_id", [self._watermark, 4 * self.bins]).fetchall()
        if rows:
            sigs = np.frombuffer(b"".join(blob for _, blob, _ in rows), dtype=np.uint32)
            keys = self.key_matrix(sigs.reshape(len(rows), self.bins)).tolist()
            for (article_id, _, banded), article_keys in zip(rows, keys):
                self._remember(article_id, article_keys, banded)
        self._recent_keys = {}
        for article_id, blob in self.conn.execute(
                "SELECT article_id, shingle_keys FROM syn_docs "
                "WHERE article_id > ? AND shingle_keys IS NOT NULL", [self._watermark]):
            self.remember_keys(article_id, np.frombuffer(blob, dtype=np.int64).tolist())
        return self._recent

    def _forget_filed(self) -> None:
        """The tables may have changed in ways this connection did not see: forget what was read
        of them."""
        self.filed_bands, self.filed_keys = {}, {}
        self._band_filter = self._key_filter = None
        self._lookups = 0

    def filters(self) -> tuple[KeyFilter | None, KeyFilter | None]:
        """(syn_bands' filter, syn_keys'), built once enough lookups were served (BUILD_AFTER);
        (None, None) before. Counts a call."""
        self.recent()
        if self._band_filter is None:
            self._lookups += 1
            if self._lookups < self._filed_count() * BUILD_AFTER:
                return None, None
            self._band_filter = KeyFilter.of(self.conn, "SELECT DISTINCT band_key FROM syn_bands")
            self._key_filter = KeyFilter.of(self.conn, "SELECT DISTINCT key FROM syn_keys")
        return self._band_filter, self._key_filter

    def _filed_count(self) -> int:
        """How many articles' bands are filed (syn_meta.bands_docs, counted when not set)."""
        if self._filed_docs is None:
            self._filed_docs = scalar(
                self.conn, "SELECT count(*) FROM syn_docs WHERE article_id <= ? AND banded > 0",
                [self._watermark])
        return self._filed_docs

    def _filed_into(self, band_keys=(), shingle_keys=()) -> None:
        """Keys filed into syn_bands and syn_keys: into the filters too."""
        if self._band_filter is not None:
            self._band_filter.add(band_keys)
            self._key_filter.add(shingle_keys)

    def docs(self) -> Docs:
        """The indexed articles' signatures, lengths and key counts (read when first needed)."""
        self.recent()
        if self._docs is None:
            self._docs = Docs(self.conn, self.bins)
        return self._docs

    def doc_written(self, article_id, signature, norm_len, key_bytes) -> None:
        """An article's syn_docs row inserted (or its signature, length or keys rewritten)."""
        if self._docs is not None:
            self._docs.put(article_id, signature, norm_len, key_bytes)

    def doc_keys_written(self, article_id, blob) -> None:
        """An article's syn_docs.shingle_keys rewritten (blob: the new value)."""
        if self._docs is not None:
            self._docs.set_keys(article_id, len(blob) if blob is not None else 0)

    def doc_keys_dropped(self, article_ids) -> None:
        """The articles' syn_docs.shingle_keys set to NULL."""
        if self._docs is not None:
            for article_id in article_ids:
                self._docs.set_keys(article_id, 0)

    def doc_deleted(self, article_id) -> None:
        """An article's syn_docs row deleted."""
        if self._docs is not None:
            self._docs.forget(article_id)

    def recent_keys(self) -> dict:
        """{shingle key: [article_id]} of the articles above the watermark (ShingleKeys)."""
        self.recent()
        return self._recent_keys

    def watermark(self) -> int:
        """The newest article whose band and shingle keys are in syn_bands and syn_keys."""
        self.recent()
        return self._watermark

    def remember_keys(self, article_id, keys) -> None:
        _append(self._recent_keys, article_id, keys)

    def forget_keys(self, article_id, keys) -> None:
        _drop(self._recent_keys, article_id, keys)

    def _remember(self, article_id, keys, mask) -> None:
        _append(self._recent, article_id, [k for band, k in enumerate(keys) if mask >> band & 1])
        self._recent_docs += 1

    def _forget(self, article_id, keys) -> None:
        _drop(self._recent, article_id, keys)
        self._recent_docs -= 1

    # --- filing and unfiling ----------------------------------------------------------------
    def file(self, article_id, keys, sizes) -> int:
        """File an article's band keys, skipping full buckets; returns the mask of bands filed."""
        cap = self.tuning["bucket_cap"]
        mask = 0
        for band, key in enumerate(keys):
            if sizes.get(key, 0) < cap:
                mask |= 1 << band
        if not mask:
            return 0
        self.recent()
        if article_id > self._watermark:
            self._remember(article_id, keys, mask)
        else:  # an older article assigned again: straight into syn_bands
            filed = [k for b, k in enumerate(keys) if mask >> b & 1]
            self.conn.executemany(
                "INSERT OR IGNORE INTO syn_bands (band_key, article_id) VALUES (?, ?)",
                [(k, article_id) for k in filed])
            self._filed_into(band_keys=filed)
            _forget_buckets(self.filed_bands, keys)
        return mask

    def unfile(self, article_id, signature: bytes | None, banded) -> None:
        """Remove an article's band keys (from memory or syn_bands, wherever they are)."""
        if not (banded and signature):
            return
        keys = self.keys(np.frombuffer(signature, dtype=np.uint32))
        self.recent()
        if article_id > self._watermark:
            self._forget(article_id, keys)
        else:
            self.conn.executemany("DELETE FROM syn_bands WHERE band_key = ? AND article_id = ?",
                                  [(k, article_id) for k in keys])
            _forget_buckets(self.filed_bands, keys)

    def flush(self, force=False) -> None:
        """File the in-memory articles' band keys into syn_bands, in key order, once there are
        enough of them (see the module docstring)."""
        if not self._recent_docs:
            return
        wait_for = min(max(self.tuning["merge_docs"], self._filed_count() // 8),
                       self.tuning["max_recent_docs"])
        if not force and self._recent_docs < wait_for:
            return
        # key order: each page of syn_bands written once
        self.conn.executemany(
            "INSERT OR IGNORE INTO syn_bands (band_key, article_id) VALUES (?, ?)",
            _in_key_order(self._recent))
        self.conn.executemany(
            "INSERT OR IGNORE INTO syn_keys (key, article_id) VALUES (?, ?)",
            _in_key_order(self._recent_keys))
        self._filed_into(list(self._recent), list(self._recent_keys))
        self._recent_keys = {}
        self.filed_bands, self.filed_keys = {}, {}  # every bucket they were filed into grew
        self._watermark = scalar(self.conn, "SELECT coalesce(max(article_id), 0) FROM syn_docs")
        self._filed_docs += self._recent_docs
        self._recent, self._recent_docs = {}, 0
        write_meta(self.conn, {"bands_through": self._watermark,
                               "bands_docs": self._filed_docs})

    # --- candidate lookup -------------------------------------------------------------------
    def candidates(self, article_id, sig, keys, more=None,
                   n_keys=0, length=None) -> tuple[dict, list[Candidate]]:
        """({band_key: bucket size}, candidates best estimate first): the indexed articles
        other than article_id that share a band key with `keys` (or are listed in `more`,
        {article_id: shingle keys shared} from ShingleKeys.lookup, of the lookup's n_keys),
        those whose estimate reaches min_estimate. length: the lookup's normalized length."""
        recent = self.recent()  # (first: it forgets the filed buckets when they changed)
        # the buckets met: the filed ones (each distinct key once, in key order), then the
        # newest articles' (each of `keys` in turn); their members in that order are the hits
        buckets = self._filed_buckets(keys)
        buckets += [(key, recent[key]) for key in keys if key in recent]
        sizes, shared, weight = {}, {}, {}
        for key, members in buckets:
            if members:
                sizes[key] = sizes.get(key, 0) + len(members)
        for key, members in buckets:
            if not members:
                continue
            w = 1.0 / sizes[key]
            for other in members:
                if other != article_id:
                    shared[other] = shared.get(other, 0) + 1
                    weight[other] = weight.get(other, 0.0) + w
        more = {a: n for a, n in (more or {}).items() if a != article_id}
        if not shared and not more:
            return sizes, []
        return sizes, self._estimated(shared, sig, more, n_keys, length, weight)

    def _filed_buckets(self, keys) -> list:
        """[(band_key, [article_id])] of the filed buckets of `keys`, as SQLite returns them for
        `band_key IN (keys)` (each distinct key once, in key order, its articles in id order;
        an empty bucket too), those not in memory read in one query."""
        filed = self.filed_bands
        if len(filed) + len(keys) > FILED_KEPT:
            filed.clear()
        distinct = sorted(set(keys))
        missing = [k for k in distinct if k not in filed]
        known = self.filters()[0]
        if missing and known is not None:
            missing = known.possible(missing)
        if missing:
            for k in missing:
                filed[k] = []
            for key, other in self.conn.execute(
                    f"SELECT band_key, article_id FROM syn_bands WHERE band_key IN "
                    f"({','.join('?' * len(missing))}) ORDER BY band_key, article_id", missing):
                filed[key].append(other)
        return [(k, filed.get(k, ())) for k in distinct]

    def _estimated(self, shared: dict, sig, more: dict, n_keys: int,
                   length=None, weight=None) -> list[Candidate]:
        """The articles sharing the most band keys (and those in `more`) whose signatures'
        agreement (of the Jaccard similarity) or share of the fewer shingle keys both hold
        reaches min_estimate, ranked by the better of two estimates of the containment (what
        verification decides on): from the agreement and the two texts' lengths
        (_containment), and the share of the keys. A digest of a
        third of the original has a Jaccard similarity near 0.3 with it, and would lose to the
        stock phrases other reports of the original's length share; its containment is near 1
        whichever of the two looks the other up. Of articles sharing as many band keys, those
        whose shared buckets are smallest rank first (weight: each shared key counts 1 / its
        bucket's size, as ShingleKeys does): a digest sharing one band with its original sits
        in a bucket of its own, a stock phrase's band in a crowded one, and the cut falls on
        what the buckets show, not on which article arrived first."""
        weight = weight or {}
        ranked = sorted(shared, key=lambda a: (-shared[a], -round(weight.get(a, 0.0), 9), a))
        ranked = ranked[:self.tuning["ranked_candidates"]]
        seen = set(ranked)
        ranked += [a for a in more if a not in seen]
        docs = self.docs()
        present = [(a, row) for a in ranked if (row := docs.slot.get(a)) is not None]
        if not present:
            return []
        rows = [row for _, row in present]
        sig = np.ascontiguousarray(sig, dtype=np.uint32)  # (as fingerprints make it already)
        of_rows = _syn.estimates if _syn is not None else estimates_python
        passing = []
        for (other, _), (est, norm_len, key_bytes) in zip(
                present, of_rows(docs.sig, docs.whole, docs.norm_len, docs.key_bytes, rows, sig)):
            fewer = min(n_keys, key_bytes // 8)
            keyed = (more[other] / fewer if more.get(other, 0) >= MIN_SHARED_KEYS and fewer
                     else 0.0)
            # the threshold on what the signatures or keys show; the rank on the containment
            if max(est, keyed) >= self.tuning["min_estimate"]:
                passing.append((other, float(max(_containment(est, length, norm_len), keyed)),
                                norm_len))
        stories = self._stories_of([other for other, _, _ in passing])
        scored = [Candidate(estimate, other, stories[other][0], norm_len, stories[other][1])
                  for other, estimate, norm_len in passing if other in stories]
        scored.sort(key=lambda c: (-c.estimate, c.article_id))
        return scored

    def _stories_of(self, ids) -> dict:
        """{article_id: (story_id, is the story's original)} of indexed articles (read where
        they change: stories are merged and re-elected as articles are placed)."""
        if not ids:
            return {}
        rows = named(
            self.conn,
            f"SELECT d.article_id, d.story_id, s.original_id = d.article_id AS is_original "
            f"FROM syn_docs d LEFT JOIN stories s ON s.id = d.story_id "
            f"WHERE d.article_id IN ({','.join('?' * len(ids))})", ids)
        return {r["article_id"]: (r["story_id"], bool(r["is_original"])) for r in rows}


def estimates_python(sigs, whole, norm_len, key_bytes, rows: list, sig) -> list:
    """[(agreement, normalized length or None, key bytes)] of each Docs row (Docs' arrays):
    every signature's agreement with sig in one numpy call, 0.0 without a whole signature.
    _syn.estimates is the same compiled, tested against this."""
    at = np.array(rows, dtype=np.intp)
    agree = np.count_nonzero(sigs[at] == sig, axis=1) / len(sig)
    agree[whole[at] == 0] = 0.0
    return [(est, None if n < 0 else n, k) for est, n, k in zip(
        agree.tolist(), norm_len[at].tolist(), key_bytes[at].tolist())]


def _containment(jaccard: float, a, b) -> float:
    """The containment of the shorter of two texts of a and b characters in the other that a
    Jaccard similarity means: they share I = J (A + B) / (1 + J) of their A and B shingles,
    I / min(A, B) of the shorter's (the Jaccard estimate itself when a length is unknown)."""
    if not a or not b:
        return jaccard
    na, nb = max(a - 4, 1), max(b - 4, 1)  # shingles of 5 characters
    return min(1.0, jaccard * (na + nb) / (1 + jaccard) / min(na, nb))


KEY_SAMPLE = 16   # one shingle hash in KEY_SAMPLE is a key (its low bits are 0) ...
MAX_KEYS = 64     # ... the smallest MAX_KEYS of them (a text of 1,000 characters holds ~60)
MIN_SHARED_KEYS = 3  # keys shared before they estimate containment (one or two stock phrases
                     # give a short text a high share by chance)


class ShingleKeys:
    """A sample of each article's shingle hashes, those whose low bits are 0 (one in
    KEY_SAMPLE), in syn_keys, as a second way to find candidates. The sample depends on the
    shingles alone, so two texts hold the same keys for the text they share: a digest of 150
    characters of the original shares ~9 keys with it whatever else either text holds (a
    bottom-k sketch of the whole original keeps only the digest's share of its k keys, and
    loses the digest among the original's other copies), and keys shared / the fewer keys
    estimates containment. Stock phrases hold some of every text's keys: a key counts for
    1 / its bucket's size when ranking (a shingle many texts hold says little), the
    `key_candidates` articles with the highest sum are candidates, and a key whose bucket
    holds `bucket_cap` articles takes no more."""

    def __init__(self, conn, tuning: dict, bands: BandStore):
        self.conn = conn
        self.cap = tuning["bucket_cap"]
        self.best = tuning["key_candidates"]
        # the newest articles' keys are held in memory with their bands, filed with them
        self.bands = bands

    @staticmethod
    def keys(fp) -> list:
        """The fingerprint's sampled shingle hashes, smallest first (fp.unique is sorted)."""
        u = fp.unique
        return u[(u & np.uint32(KEY_SAMPLE - 1)) == 0][:MAX_KEYS].astype(np.int64).tolist()

    def lookup(self, keys) -> tuple[dict, dict]:
        """({key: bucket size} of the full buckets, {article id: keys shared} of the best
        candidates): the filed buckets (_filed), the in-memory newest articles added to them."""
        if not keys:
            return {}, {}
        recent = self.bands.recent_keys()  # (first: it forgets the filed buckets when they changed)
        scores = _syn.shingle_scores if _syn is not None else shingle_scores_python
        return scores(keys, self._filed(keys), recent, self.cap, self.best)

    def _filed(self, keys) -> list:
        """[(bucket size, its article ids or None when full)] of each key's filed bucket, those
        not in memory counted by SQLite in one statement (the members of those not full beside
        their count)."""
        filed = self.bands.filed_keys
        if len(filed) + len(keys) > FILED_KEPT:
            filed.clear()
        missing = [k for k in keys if k not in filed]
        known = self.bands.filters()[1]
        if missing and known is not None:
            missing = known.possible(missing)
        if missing:
            for k in missing:
                filed[k] = _EMPTY
            # article_id <= the watermark: an index from before the newest keys were held in
            # memory has them in syn_keys too (they are in memory now)
            for key, n, ids in self.conn.execute(
                    f"SELECT key, count(*), CASE WHEN count(*) < ? THEN group_concat(article_id) "
                    f"END FROM syn_keys WHERE key IN ({','.join('?' * len(missing))}) "
                    f"AND article_id <= ? GROUP BY key",
                    [self.cap, *missing, self.bands.watermark()]):
                filed[key] = (n, tuple(map(int, ids.split(","))) if ids else None)
        return [filed.get(k, _EMPTY) for k in keys]

    def file(self, article_id, keys, sizes) -> bytes | None:
        """File the keys whose buckets are not full (in memory above the watermark); returns
        them (for unfile) as a blob."""
        filed = [k for k in keys if sizes.get(k, 0) < self.cap]
        if not filed:
            return None
        if article_id > self.bands.watermark():
            self.bands.remember_keys(article_id, filed)
        else:  # an older article assigned again: straight into syn_keys
            self.conn.executemany("INSERT OR IGNORE INTO syn_keys (key, article_id) VALUES (?, ?)",
                                  [(k, article_id) for k in filed])
            self.bands._filed_into(shingle_keys=filed)
            _forget_buckets(self.bands.filed_keys, filed)
        return np.array(filed, dtype=np.int64).tobytes()

    def unfile(self, article_id, blob) -> None:
        if not blob:
            return
        keys = np.frombuffer(blob, dtype=np.int64).tolist()
        if article_id > self.bands.watermark():
            self.bands.forget_keys(article_id, keys)
        # (and from syn_keys: an index from before held the newest keys there too)
        self.conn.executemany("DELETE FROM syn_keys WHERE key = ? AND article_id = ?",
                              [(k, article_id) for k in keys])
        _forget_buckets(self.bands.filed_keys, keys)


def shingle_scores_python(keys: list, entries: list, recent: dict, cap: int,
                          best: int) -> tuple[dict, dict]:
    """({key: bucket size} of the full buckets, {article id: keys shared} of the best
    candidates) of a lookup's keys, from each key's filed bucket (entries: [(size, its ids or
    None)], as ShingleKeys._filed gives them) and the newest articles' (recent).
    _syn.shingle_scores is the same compiled, tested against this."""
    sizes, filed = {}, {}
    for key, (n, ids) in zip(keys, entries):
        if n:
            sizes[key] = n
        if ids:
            filed[key] = ids
    for key in keys:
        if key in recent:
            sizes[key] = sizes.get(key, 0) + len(recent[key])
    full = {k: n for k, n in sizes.items() if n >= cap}
    return full, best_by_score_python(sizes, filed, recent, cap, best)


def best_by_score_python(sizes: dict, filed: dict, recent: dict, cap: int, best: int) -> dict:
    """{article id: keys shared} of the `best` articles by summed key weight, best first (ties:
    lowest id first): a key counts 1 / its bucket's size (sizes, {key: size}; a full bucket's,
    a stock phrase's, not at all) for each member of its filed bucket (filed, {key: ids}) then
    of its newest one (recent), each article's weights summed in key order. _syn.best_by_score
    is the same compiled, tested against this."""
    score, shared = {}, {}
    for key in sorted(sizes):
        n = sizes[key]
        if n >= cap:
            continue
        w = 1.0 / n
        for members in (filed.get(key, ()), recent.get(key, ())):
            for a in members:
                score[a] = score.get(a, 0.0) + w
                shared[a] = shared.get(a, 0) + 1
    ranked = sorted(score, key=lambda a: (-score[a], a))[:best]
    return {a: shared[a] for a in ranked}


def _in_key_order(buckets):
    """(key, article_id) of in-memory buckets ({key: [article ids]}), sorted by key then id."""
    if not buckets:
        return iter(())
    sizes = np.fromiter(map(len, buckets.values()), dtype=np.intp, count=len(buckets))
    keys = np.repeat(np.fromiter(buckets, dtype=np.int64, count=len(buckets)), sizes)
    ids = np.fromiter(itertools.chain.from_iterable(buckets.values()), dtype=np.int64,
                      count=int(sizes.sum()))
    order = np.lexsort((ids, keys))
    return zip(keys[order].tolist(), ids[order].tolist())


def _append(buckets, article_id, keys) -> None:
    """Put an article into in-memory buckets ({key: [article ids]}), each key's at its end (a
    new bucket made only for a new key)."""
    for key in keys:
        ids = buckets.get(key)
        if ids is None:
            buckets[key] = [article_id]
        else:
            ids.append(article_id)


def _drop(buckets, article_id, keys) -> None:
    """Take an article out of in-memory buckets ({key: [article ids]}), dropping emptied keys."""
    for key in keys:
        ids = buckets.get(key)
        if ids and article_id in ids:
            ids.remove(article_id)
            if not ids:
                del buckets[key]


def _forget_buckets(filed, keys) -> None:
    """Forget filed buckets kept in memory (their rows in syn_bands or syn_keys changed)."""
    for key in keys:
        filed.pop(key, None)
