"""StoryIndex: the persistent near-duplicate index and the `stories` table.

Tables (created by ensure_schema, before the store creates `articles`):

    stories     one row per cluster: original_id (earliest published_at; ties by first seen),
                original_site, title, published_at, first_seen / last_seen (earliest and latest
                first sighting of any member), sites (distinct sites), copies (members - 1)
    syn_docs    one row per indexed article: its story, its fingerprint digest, its OPH
                signature (for band maintenance), the length of its normalized text, `banded`
                (bit i set: band i was filed; a full bucket is skipped), the state it was
                assigned in. Candidates are verified on their bodies, normalized again
                (~0.1 ms): a stored copy of every normalized text doubled the database.
    syn_bands   LSH band buckets (band_key, article_id), a WITHOUT ROWID b-tree: a lookup is one
                `band_key IN (...)` query whatever the index size; a bucket is capped at
                `bucket_cap` members (a shared template fills its buckets; later members are
                found through their other bands)
                The newest articles' entries are not in it yet: band keys are random, and
                filed straight into syn_bands a batch of 1,000 articles would dirty nearly every
                page of it (30 MB per commit at 100k articles). Articles above the watermark
                syn_meta.bands_through are looked up in memory instead (their keys computed
                from syn_docs.signature when the index is opened) and filed into syn_bands in
                key order, all at once, when there are 1/8 as many of them as of filed ones (at
                least `merge_docs`, at most `max_recent_docs`): each page of syn_bands is
                rewritten once per merge, not once per batch.
    syn_meta    the index's parameters (a persisted index only works with the same ones), the
                watermark bands_through and bands_docs (how many articles' bands are filed)

A new article joins the story of its best verified match. When it also verifies (the same exact
verification) against a member of other stories *and carries it* (is the larger text, as a full
original is of two partial copies that do not match each other), those stories are merged: the
lowest story id survives, the others' rows are deleted, and the original is elected again among
all members, whose story_id, similarity, lag_hours and credits_original are recomputed
(assign() reports the folded ids as merged_story_ids). A bare template that two notices share
is the smaller text of both matches: it joins one of them and merges nothing. Stories are not
split again when a bridging article later changes.

The store calls assign(article_id) after inserting or changing an article, or
assign_many(ids) / `with index.batch():` for bulk imports (one transaction).
"""
from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import numpy as np

from aggregator.syndication import (Fingerprint, compare, fingerprint, fingerprints,
                                    shared_count, signatures)
from aggregator.syndication_credits import names_any, org_aliases

__all__ = ["StoryIndex"]

_CST = timezone(timedelta(hours=8))
_ARTICLE_COLUMNS = ("id", "site", "title", "body", "source", "published_at", "first_seen")
_DEFAULTS = {
    "bands": 24,              # LSH bands ...
    "rows": 2,                # ... of 2 signature values: P(candidate) 0.996 at J=0.45, 0.90 at 0.3
    "bucket_cap": 40,         # members per band bucket
    "max_candidates": 3,      # candidates verified exactly per lookup (best estimates first)
    "min_estimate": 0.15,     # signature Jaccard estimate below which a candidate is not verified
    "cache_kib": 131072,      # SQLite page cache for this connection (KiB)
    "merge_docs": 2_000,      # articles held in memory before their bands are filed (and
                              # >= 1/8 of those filed, up to max_recent_docs: ~2 KB each)
    "max_recent_docs": 50_000,
}


def _epoch(value) -> float | None:
    if not value or not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=_CST)
    return dt.timestamp()


def _order_key(pub, first_seen, article_id):
    """Original election: earliest published_at (first_seen when there is none); ties by first
    seen, then by id."""
    p, f = _epoch(pub), _epoch(first_seen)
    when = p if p is not None else f
    return (when if when is not None else math.inf, f if f is not None else math.inf, article_id)


def _coverage(original: Fingerprint | None, copy: Fingerprint | None) -> float | None:
    """Share of the original's shingles the copy carries (1.0 for a full copy, ~0.6 for a copy
    cut to its first 60%)."""
    if original is None or copy is None:
        return None
    if original.digest == copy.digest:
        return 1.0
    inter = shared_count(original.unique, copy.unique)
    return round(inter / len(original.unique), 4)


def _carries(bridge_len: int, other_len) -> bool:
    """A verified match the bridge *carries*: the bridge is the larger normalized text, so it
    holds more of the other than the other holds of it, as an original does of its partial
    copies. A bare template that two notices share is the smaller text of both matches: it
    carries neither. (Lengths from syn_docs.norm_len: known before a candidate is read.)"""
    return other_len is not None and bridge_len >= other_len


def _lag(copy_pub, orig_pub) -> float | None:
    a, b = _epoch(copy_pub), _epoch(orig_pub)
    if a is None or b is None:
        return None
    return round((a - b) / 3600.0, 2)


class StoryIndex:
    def __init__(self, db, **tuning):
        unknown = set(tuning) - set(_DEFAULTS)
        if unknown:
            raise TypeError(f"unknown tuning: {sorted(unknown)}")
        self.db = db
        self.conn = db.conn
        self.tuning = {**_DEFAULTS, **tuning}
        self.bands = int(self.tuning["bands"])
        self.rows = int(self.tuning["rows"])
        self.bins = self.bands * self.rows
        self._depth = 0
        self._names = {}  # per-instance: display names of sites, filled once per batch
        self._aliases = {}  # and the spellings each name is credited under
        # articles above the watermark: {band_key: [article_id]}, read when first needed
        self._recent = None
        self._recent_docs = self._watermark = self._filed_docs = self._data_version = None
        self._checked = False
        self.conn.execute(f"PRAGMA cache_size = -{int(self.tuning['cache_kib'])}")
        rng = np.random.default_rng(20240601)
        self._band_salt = rng.integers(1, 2**63, size=self.bands, dtype=np.uint64)

    # --- schema ---------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        c = self.conn
        c.executescript("""
            CREATE TABLE IF NOT EXISTS stories (
                id INTEGER PRIMARY KEY,
                original_id INTEGER,
                original_site TEXT,
                title TEXT,
                published_at TEXT,
                first_seen TEXT,
                last_seen TEXT,
                sites INTEGER,
                copies INTEGER
            );
            CREATE INDEX IF NOT EXISTS idx_stories_original ON stories(original_id);
            CREATE INDEX IF NOT EXISTS idx_stories_last_seen ON stories(last_seen);
            CREATE TABLE IF NOT EXISTS syn_docs (
                article_id INTEGER PRIMARY KEY,
                story_id INTEGER,
                site TEXT,
                first_seen TEXT,
                digest TEXT,
                state TEXT,
                signature BLOB,
                banded INTEGER,
                norm_len INTEGER
            );
            CREATE INDEX IF NOT EXISTS idx_syn_docs_story ON syn_docs(story_id, site);
            CREATE INDEX IF NOT EXISTS idx_syn_docs_digest ON syn_docs(digest);
            CREATE TABLE IF NOT EXISTS syn_bands (
                band_key INTEGER NOT NULL,
                article_id INTEGER NOT NULL,
                PRIMARY KEY (band_key, article_id)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS syn_meta (key TEXT PRIMARY KEY, value TEXT);
        """)
        self._migrate()
        params = json.dumps({"bands": self.bands, "rows": self.rows, "shingle": 5,
                             "signature": "oph-v1", "keys": 32}, sort_keys=True)
        row = c.execute("SELECT value FROM syn_meta WHERE key = 'params'").fetchone()
        if row is None:
            c.execute("INSERT INTO syn_meta VALUES ('params', ?)", [params])
            c.commit()
        elif row[0] != params:
            raise ValueError(f"syn_bands was built with {row[0]}, not {params}: "
                             "drop syn_docs/syn_bands/syn_meta and re-assign to rebuild")
        if self._meta("bands_through") is None:  # new, or written before 2026-11: all filed
            c.execute("INSERT INTO syn_meta VALUES ('bands_through', "
                      "(SELECT coalesce(max(article_id), 0) FROM syn_docs))")
            c.commit()

    def _migrate(self) -> None:
        """Indexes written before 2026-11 kept each article's normalized text in syn_docs.norm
        (as much again as the bodies): keep only its length and drop the column."""
        cols = [r[1] for r in self.conn.execute("PRAGMA table_info(syn_docs)")]
        if "norm" not in cols:
            return
        with self.conn:
            if "norm_len" not in cols:
                self.conn.execute("ALTER TABLE syn_docs ADD COLUMN norm_len INTEGER")
            self.conn.execute("UPDATE syn_docs SET norm_len = length(norm) WHERE norm IS NOT NULL")
            try:
                self.conn.execute("ALTER TABLE syn_docs DROP COLUMN norm")
            except sqlite3.OperationalError:  # SQLite before 3.35: keep the column, empty
                self.conn.execute("UPDATE syn_docs SET norm = NULL")

    # --- transactions -----------------------------------------------------------------------
    @contextmanager
    def batch(self):
        """One transaction around many assign() calls (bulk import)."""
        owns = self._depth == 0 and not self.conn.in_transaction
        if self._depth == 0:
            self._checked = False
        if owns:
            self.conn.execute("BEGIN")
        self._depth += 1
        try:
            yield self
        except BaseException:
            self._depth -= 1
            self._recent = None  # read again from syn_docs when needed
            if owns:
                self.conn.rollback()
            raise
        self._depth -= 1
        if owns:
            self._file_recent_bands()
            self.conn.commit()
        if self._depth == 0:
            self._names, self._aliases = {}, {}
            self._checked = False

    # --- band buckets: syn_bands, and the newest articles' in memory -------------------------
    def _meta(self, key, default=None):
        row = self.conn.execute("SELECT value FROM syn_meta WHERE key = ?", [key]).fetchone()
        return int(row[0]) if row else default

    def _load_recent(self) -> dict:
        """{band_key: [article_id]} of the articles above the watermark, from syn_docs (read
        again when another connection has written since)."""
        if self._recent is not None and self._checked:
            return self._recent
        # another connection's commit changes data_version: checked once per transaction
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        self._checked = self._depth > 0
        if self._recent is not None and version == self._data_version:
            return self._recent
        self._data_version = version
        self._watermark = self._meta("bands_through", 0)
        self._filed_docs = self._meta("bands_docs")
        self._recent, self._recent_docs = {}, 0
        rows = self.conn.execute(
            "SELECT article_id, signature, banded FROM syn_docs "
            "WHERE article_id > ? AND banded > 0 AND length(signature) = ? "
            "ORDER BY article_id", [self._watermark, 4 * self.bins]).fetchall()
        if rows:
            sigs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.uint32)
            for (aid, _, banded), keys in zip(rows, self._band_key_matrix(
                    sigs.reshape(len(rows), self.bins)).tolist()):
                self._remember(aid, keys, banded)
        return self._recent

    def _remember(self, article_id, keys, mask) -> None:
        for band, key in enumerate(keys):
            if mask >> band & 1:
                self._recent.setdefault(key, []).append(article_id)
        self._recent_docs += 1

    def _forget(self, article_id, keys) -> None:
        for key in keys:
            ids = self._recent.get(key)
            if ids and article_id in ids:
                ids.remove(article_id)
                if not ids:
                    del self._recent[key]

    def _file(self, article_id, keys, sizes) -> int:
        """File an article's band keys, skipping full buckets; returns the mask of bands filed."""
        cap = self.tuning["bucket_cap"]
        mask = 0
        for band, key in enumerate(keys):
            if sizes.get(key, 0) < cap:
                mask |= 1 << band
        if not mask:
            return 0
        self._load_recent()
        if article_id > self._watermark:
            self._remember(article_id, keys, mask)
        else:  # an older article assigned again: straight into syn_bands
            self.conn.executemany(
                "INSERT OR IGNORE INTO syn_bands (band_key, article_id) VALUES (?, ?)",
                [(k, article_id) for b, k in enumerate(keys) if mask >> b & 1])
        return mask

    def file_bands(self) -> None:
        """Before committing a transaction the index did not open itself (Store.bulk): file the
        newest articles' band keys if there are enough of them."""
        if self._depth == 0:
            self._file_recent_bands()

    def _file_recent_bands(self, force=False) -> None:
        """File the in-memory articles' band keys into syn_bands, in key order, once there are
        enough of them (see the module docstring)."""
        if not self._recent_docs:
            return
        if self._filed_docs is None:
            self._filed_docs = self.conn.execute(
                "SELECT count(*) FROM syn_docs WHERE article_id <= ? AND banded > 0",
                [self._watermark]).fetchone()[0]
        wait_for = min(max(self.tuning["merge_docs"], self._filed_docs // 8),
                       self.tuning["max_recent_docs"])
        if not force and self._recent_docs < wait_for:
            return
        keys = np.fromiter(
            (k for k, ids in self._recent.items() for _ in ids), dtype=np.int64)
        ids = np.fromiter(
            (a for ids in self._recent.values() for a in ids), dtype=np.int64)
        order = np.lexsort((ids, keys))  # key order: each page of syn_bands written once
        self.conn.executemany(
            "INSERT OR IGNORE INTO syn_bands (band_key, article_id) VALUES (?, ?)",
            zip(keys[order].tolist(), ids[order].tolist()))
        self._watermark = self.conn.execute(
            "SELECT coalesce(max(article_id), 0) FROM syn_docs").fetchone()[0]
        self._filed_docs += self._recent_docs
        self._recent, self._recent_docs = {}, 0
        self.conn.executemany("INSERT OR REPLACE INTO syn_meta VALUES (?, ?)",
                              [("bands_through", str(self._watermark)),
                               ("bands_docs", str(self._filed_docs))])

    def assign_many(self, ids) -> list:
        """assign() each article, in one transaction; the articles' fingerprints, signatures
        and band keys are computed together first (numpy calls over 1,000 texts at once cost
        a fraction of 1,000 calls over one)."""
        ids = list(ids)
        with self.batch():
            prepared = {}
            for n in range(0, len(ids), 500):
                prepared.update(self._prepare(ids[n:n + 500]))
            # pop: an id listed twice is read again the second time
            return [self.assign(i, _prepared=prepared.pop(i, None)) for i in ids]

    _ASSIGN_ROW = ("SELECT a.id, a.site, a.title, a.body, a.source, a.published_at, "
                   "a.first_seen, d.state, d.story_id, d.article_id FROM articles a "
                   "LEFT JOIN syn_docs d ON d.article_id = a.id WHERE a.id ")

    def _prepare(self, ids) -> dict:
        """{article_id: (row, fingerprint, signature, band keys)}: row as assign() reads it"""
        rows = self.conn.execute(self._ASSIGN_ROW + f"IN ({','.join('?' * len(ids))})",
                                 ids).fetchall()
        fps = fingerprints([(row[3], row[2]) for row in rows])
        sigs = signatures([fp if fp is not None and fp.indexable else None for fp in fps],
                          self.bins)
        present = [n for n, sig in enumerate(sigs) if sig is not None]
        keys = iter(self._band_key_matrix(np.array([sigs[n] for n in present]).reshape(
            len(present), self.bins)).tolist())
        out = {}
        for row, fp, sig in zip(rows, fps, sigs):
            out[row[0]] = (row, fp, sig, next(keys) if sig is not None else None)
        return out

    # --- helpers ----------------------------------------------------------------------------
    def _band_key_matrix(self, sigs: np.ndarray) -> np.ndarray:
        """(n, bins) signatures -> (n, bands) band keys."""
        v = sigs.reshape(len(sigs), self.bands, self.rows).astype(np.uint64)
        h = np.broadcast_to(self._band_salt, (len(sigs), self.bands))
        for r in range(self.rows):
            h = (h ^ v[:, :, r]) * np.uint64(0x9E3779B97F4A7C15)
            h ^= h >> np.uint64(31)
        # 32-bit keys keep the b-tree small; a rare key collision only adds a candidate that
        # exact verification rejects
        return (h >> np.uint64(32)).astype(np.int64)

    def _band_keys(self, sig: np.ndarray) -> list:
        return self._band_key_matrix(sig.reshape(1, -1))[0].tolist()

    def _article(self, article_id):
        cur = self.conn.execute(
            f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles WHERE id = ?", [article_id])
        row = cur.fetchone()
        return dict(zip(_ARTICLE_COLUMNS, row)) if row is not None else None

    def _fp(self, article_id) -> Fingerprint | None:
        """The fingerprint of a stored article, from its body (normalizing again, ~0.1 ms, costs
        less than keeping a second copy of every text in the index)."""
        row = self.conn.execute("SELECT body, title FROM articles WHERE id = ?",
                                [article_id]).fetchone()
        return fingerprint(row[0], row[1]) if row else None

    def _site_names(self, site) -> list:
        if site not in self._names:
            name = None
            try:
                row = self.conn.execute("SELECT display_name FROM sites WHERE name = ?",
                                        [site]).fetchone()
                name = row[0] if row else None
            except Exception:  # no sites table (tests, bench)
                name = None
            self._names[site] = [n for n in (name, site) if n]
        return self._names[site]

    def _credits(self, copy, original) -> int:
        if copy["site"] and copy["site"] == original["site"]:
            return 1
        aliases = set()
        for name in [original["source"]] + self._site_names(original["site"]):
            if name not in self._aliases:
                self._aliases[name] = org_aliases(name)
            aliases |= self._aliases[name]
        return int(names_any(copy["source"], copy["body"], aliases))

    @staticmethod
    def _state(art) -> str:
        """Everything assign() reads: unchanged state, nothing to redo."""
        # the body hashed as it is, the rest as JSON (escaping a whole body costs 3x the hash)
        h = hashlib.blake2b(json.dumps([art[c] for c in _ARTICLE_COLUMNS if c != "body"],
                                       ensure_ascii=False).encode("utf-8", "replace"),
                            digest_size=12)
        body = art["body"]
        h.update(body.encode("utf-8", "replace") if isinstance(body, str) else repr(body).encode())
        return h.hexdigest()

    # --- lookup -------------------------------------------------------------------------------
    def _find_match(self, art, fp, sig, keys, bridge=False):
        """(matched_article_id, story_id, how, bucket sizes, matched fingerprint, bridged):
        bridged ({story_id: member}, only with bridge=True) are other stories the article
        joins to its match's story (see _bridged)."""
        row = self.conn.execute(
            "SELECT article_id, story_id FROM syn_docs WHERE digest = ? AND article_id != ? "
            "LIMIT 1", [fp.digest, art["id"]]).fetchone()
        if row:
            return row[0], row[1], "exact", {}, fp, ()
        if keys is None:
            return None, None, None, {}, None, ()
        qmarks = ",".join("?" * len(keys))
        hits = self.conn.execute(
            f"SELECT band_key, article_id FROM syn_bands WHERE band_key IN ({qmarks})",
            keys).fetchall()
        recent = self._load_recent()
        for key in keys:
            for aid in recent.get(key, ()):
                hits.append((key, aid))
        sizes, shared = {}, {}
        for key, aid in hits:
            sizes[key] = sizes.get(key, 0) + 1
            if aid != art["id"]:
                shared[aid] = shared.get(aid, 0) + 1
        if not shared:
            return None, None, None, sizes, None, ()
        ranked = sorted(shared, key=lambda a: (-shared[a], a))[: 4 * self.tuning["max_candidates"]]
        qmarks = ",".join("?" * len(ranked))
        docs = self.conn.execute(
            f"SELECT article_id, story_id, signature, norm_len FROM syn_docs "
            f"WHERE article_id IN ({qmarks})", ranked).fetchall()
        scored = []
        for aid, story_id, blob, norm_len in docs:
            other = np.frombuffer(blob, dtype=np.uint32) if blob else ()
            est = np.count_nonzero(other == sig) / len(sig) if len(other) == len(sig) else 0.0
            if est >= self.tuning["min_estimate"]:
                scored.append((-est, aid, story_id, norm_len))
        scored.sort(key=lambda t: t[:2])
        top = self.tuning["max_candidates"]
        for n, (_, aid, story_id, norm_len) in enumerate(scored[:top]):
            cfp = self._fp(aid)
            if cfp is not None and compare(fp, cfp).same_story:
                bridged = ()
                if bridge and _carries(len(fp.norm), norm_len):
                    bridged = self._bridged(fp, story_id, scored[n + 1:])
                return aid, story_id, "near", sizes, cfp, bridged
        return None, None, None, sizes, None, ()

    def _bridged(self, fp, story_id, others) -> dict:
        """{story_id: member} of the other stories the article bridges to its match's story:
        it verifies against one of their members exactly as a normal match does, *and* it carries
        that member (the larger text: the full original of two partial copies, not a bare
        template that two notices share). At most max_candidates verifications."""
        out, tried = {}, 0
        for _, aid, sid, norm_len in others:
            if tried >= self.tuning["max_candidates"]:
                break
            if (sid == story_id or sid in out or sid is None
                    or not _carries(len(fp.norm), norm_len)):
                continue
            cfp = self._fp(aid)
            if cfp is None:
                continue
            tried += 1
            if compare(fp, cfp).same_story:
                out[sid] = aid
        return out

    def find(self, body, title=None) -> dict | None:
        """Read-only lookup: the stored article a body is a copy of, or None.
        Returns {"article_id", "story_id", "how": "exact" | "near"}."""
        fp = fingerprint(body, title)
        if fp is None:
            return None
        sig = fp.signature(self.bins) if fp.indexable else None
        keys = self._band_keys(sig) if sig is not None else None
        matched, story_id, how, _, _, _ = self._find_match({"id": -1}, fp, sig, keys)
        if matched is None:
            return None
        return {"article_id": matched, "story_id": story_id, "how": how}

    # --- story maintenance ----------------------------------------------------------------
    def _members(self, story_id):
        return [r[0] for r in self.conn.execute(
            "SELECT article_id FROM syn_docs WHERE story_id = ?", [story_id])]

    def _write_article(self, article_id, story_id, similarity, lag, credited):
        self.conn.execute(
            "UPDATE articles SET story_id = ?, similarity = ?, lag_hours = ?, "
            "credits_original = ? WHERE id = ?",
            [story_id, similarity, lag, credited, article_id])

    def _refresh_story(self, story_id, original):
        # one statement: the story's original and its member aggregates (row-value SET)
        self.conn.execute(
            "UPDATE stories SET original_id = ?, original_site = ?, title = ?, published_at = ?, "
            "(first_seen, last_seen, sites, copies) = (SELECT min(first_seen), max(first_seen), "
            "count(DISTINCT site), max(count(*) - 1, 0) FROM syn_docs WHERE story_id = ?) "
            "WHERE id = ?",
            [original["id"], original["site"], original["title"], original["published_at"],
             story_id, story_id])

    def _original_of(self, story_id, matched):
        """The story's original (without its body, which nobody reads here) and, unless it is
        the matched article whose fingerprint the caller holds, its fingerprint: one query."""
        cols = ("id", "site", "title", "source", "published_at", "first_seen")
        row = self.conn.execute(
            "SELECT a.id, a.site, a.title, a.source, a.published_at, a.first_seen, "
            "CASE WHEN a.id = ? THEN NULL ELSE a.body END, a.title FROM stories s "
            "JOIN articles a ON a.id = s.original_id WHERE s.id = ?",
            [matched, story_id]).fetchone()
        if row is None:
            return None, None
        ofp = fingerprint(row[-2], row[-1]) if row[-2] is not None else None
        return dict(zip(cols, row[:-2])), ofp

    def _recompute(self, story_id, original=None, known=None):
        """Elect the original among the members and rewrite every member's columns.
        known: {article_id: Fingerprint} the caller already holds (not computed again)."""
        known = known or {}

        def fp_of(m):
            return known[m["id"]] if m["id"] in known else fingerprint(m["body"], m["title"])

        members = [self._article(a) for a in self._members(story_id)]
        members = [m for m in members if m]
        if not members:
            self.conn.execute("DELETE FROM stories WHERE id = ?", [story_id])
            return None
        if original is None:
            original = min(members, key=lambda m: _order_key(m["published_at"], m["first_seen"],
                                                             m["id"]))
        ofp = fp_of(original)
        for m in members:
            if m["id"] == original["id"]:
                self._write_article(m["id"], story_id, 1.0, 0.0 if m["published_at"] else None,
                                    None)
            else:
                self._write_article(m["id"], story_id, _coverage(ofp, fp_of(m)),
                                    _lag(m["published_at"], original["published_at"]),
                                    self._credits(m, original))
        self._refresh_story(story_id, original)
        return original

    def _merge(self, story_ids) -> int:
        """Fold stories into the one with the lowest id and delete the others' rows; the caller
        recomputes the surviving story (its original and every member's columns)."""
        keep, *others = sorted(set(story_ids))
        for sid in others:
            self.conn.execute("UPDATE syn_docs SET story_id = ? WHERE story_id = ?", [keep, sid])
            self.conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", [keep, sid])
            self.conn.execute("DELETE FROM stories WHERE id = ?", [sid])
        return keep

    def _detach(self, article_id):
        row = self.conn.execute(
            "SELECT story_id, signature, banded FROM syn_docs WHERE article_id = ?",
            [article_id]).fetchone()
        if row is None:
            return
        story_id, blob, banded = row
        if banded and blob:
            keys = self._band_keys(np.frombuffer(blob, dtype=np.uint32))
            self._load_recent()
            if article_id > self._watermark:
                self._forget(article_id, keys)
                self._recent_docs -= 1
            else:
                self.conn.executemany("DELETE FROM syn_bands WHERE band_key = ? AND article_id = ?",
                                      [(k, article_id) for k in keys])
        self.conn.execute("DELETE FROM syn_docs WHERE article_id = ?", [article_id])
        if story_id is not None:
            self._recompute(story_id)

    def _result(self, article_id, matched=None, merged=()):
        row = self.conn.execute(
            "SELECT a.story_id, s.original_id, a.similarity, a.lag_hours, a.credits_original "
            "FROM articles a LEFT JOIN stories s ON s.id = a.story_id WHERE a.id = ?",
            [article_id]).fetchone()
        story_id, original_id, sim, lag, credited = row
        return {"story_id": story_id, "is_original": original_id == article_id,
                "similarity": sim, "lag_hours": lag, "credits_original": credited,
                "matched_article_id": matched, "merged_story_ids": list(merged)}

    # --- the entry point ----------------------------------------------------------------------
    def assign(self, article_id: int, _prepared=None) -> dict:
        """Put one stored article into its story (see the module docstring)."""
        with self.batch():
            if _prepared is not None and _prepared[0][9] is None:
                row = _prepared[0]  # not indexed yet: nothing earlier in the batch changed it
            else:
                _prepared = None
                row = self.conn.execute(self._ASSIGN_ROW + "= ?", [article_id]).fetchone()
            if row is None:
                raise LookupError(f"no article {article_id}")
            art = dict(zip(_ARTICLE_COLUMNS, row))
            state = self._state(art)
            if row[9] is not None:
                if row[7] == state and row[8] is not None:
                    return self._result(article_id)  # unchanged: nothing to do
                self._detach(article_id)
            if _prepared is not None:
                fp, sig, keys = _prepared[1:]
            else:
                fp = fingerprint(art["body"], art["title"])
                sig = fp.signature(self.bins) if fp is not None and fp.indexable else None
                keys = self._band_keys(sig) if sig is not None else None

            matched, story_id, kind, sizes, mfp, bridged = None, None, None, {}, None, ()
            if fp is not None:
                matched, story_id, kind, sizes, mfp, bridged = self._find_match(
                    art, fp, sig, keys, bridge=True)
            folded = sorted({story_id, *bridged}) if bridged else []
            if folded:  # the article joins stories that were apart: one story, the lowest id
                story_id = self._merge(folded)

            if story_id is None:  # a new story, the article its original
                story_id = self.conn.execute(
                    "INSERT INTO stories (original_id, original_site, title, published_at, "
                    "first_seen, last_seen, sites, copies) VALUES (?, ?, ?, ?, ?, ?, 1, 0)",
                    [art["id"], art["site"], art["title"], art["published_at"],
                     art["first_seen"], art["first_seen"]]).lastrowid
            banded = self._file(art["id"], keys, sizes) if keys and kind != "exact" else 0
            self.conn.execute(
                "INSERT INTO syn_docs (article_id, story_id, site, first_seen, digest, state, "
                "signature, banded, norm_len) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [art["id"], story_id, art["site"], art["first_seen"],
                 fp.digest if fp else None, state,
                 sig.tobytes() if sig is not None else None, banded,
                 len(fp.norm) if fp else None])

            if matched is None:
                lag = 0.0 if art["published_at"] else None
                self._write_article(art["id"], story_id, 1.0, lag, None)
                return {"story_id": story_id, "is_original": True, "similarity": 1.0,
                        "lag_hours": lag, "credits_original": None, "matched_article_id": None,
                        "merged_story_ids": []}

            if folded:  # elect the merged story's original among all its members
                self._recompute(story_id, known={art["id"]: fp, matched: mfp})
                return self._result(article_id, matched, folded[1:])
            original, ofp = self._original_of(story_id, matched)
            if original is None or (_order_key(art["published_at"], art["first_seen"], art["id"])
                                    < _order_key(original["published_at"],
                                                 original["first_seen"], original["id"])):
                # an earlier copy found later
                self._recompute(story_id, original=art, known={art["id"]: fp, matched: mfp})
            else:
                if original["id"] == matched:
                    ofp = mfp
                elif ofp is None:
                    ofp = self._fp(original["id"])
                sim = _coverage(ofp, fp)
                lag = _lag(art["published_at"], original["published_at"])
                credited = self._credits(art, original)
                self._write_article(art["id"], story_id, sim, lag, credited)
                self._refresh_story(story_id, original)
                return {"story_id": story_id, "is_original": False, "similarity": sim,
                        "lag_hours": lag, "credits_original": credited,
                        "matched_article_id": matched, "merged_story_ids": []}
            return self._result(article_id, matched)
