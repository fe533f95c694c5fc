"""StoryIndex: the persistent near-duplicate index and the `stories` table, composed of

    syndication_schema   tables, indexes, migrations, syn_meta, reading rows by name
    syndication_bands    LSH band storage: band keys, syn_bands, the newest bands in memory,
                         candidates by band keys and signature estimate; the shingle keys
                         (syn_keys) that find a digest of part of the original
    syndication_lookup   verification of candidates on their bodies; bridged stories
    syndication_stories  story election, merging, members' similarity / lag / credit

A new article joins the story of its best verified match. When it also verifies (the same exact
verification, whichever text is larger) against a member of other stories, those stories are
merged, so the stories are the same in any arrival order: the lowest story id survives, the
others' rows are deleted, the merge is recorded in syn_merges, and the original is elected again
among all members, whose story_id, similarity, lag_hours and credits_original are recomputed
(assign() reports the folded ids as merged_story_ids). Guard: a story is not merged when its
member conflicts with the article's match (most text shared but a slot differs: two notices on
one template), so a bare template that two notices share joins one of them and merges nothing.
Each member records how it matched (syn_docs.matched) and, with its credit, syn_docs.reason.
Stories are not split again when a bridging article later changes.

The store calls assign(article_id) after inserting or changing an article, or
assign_many(ids) / `with index.batch():` for bulk imports (one transaction).
"""
from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np

from aggregator.syndication import (Fingerprint, compare, fingerprint, fingerprints,
                                    fingerprints_normalized, normalize_body, signatures)
from aggregator.syndication_bands import KEY_SAMPLE, MAX_KEYS, BandStore, ShingleKeys
from aggregator.syndication_lookup import (Fingerprints, Match, Matcher, _fillings,
                                           _template_of, apart_reason)
from aggregator.syndication_schema import ensure_schema, named, one, read_params, scalar, write_params
from aggregator.syndication_stories import ARTICLE_COLUMNS, Stories, order_key

__all__ = ["StoryIndex"]

_DEFAULTS = {
    "bands": 24,              # LSH bands ...
    "rows": 2,                # ... of 2 signature values: P(candidate) 0.996 at J=0.45, 0.90 at 0.3
    "bucket_cap": 40,         # members per band bucket
    "max_verified": 10,       # candidates verified exactly per lookup (best estimates first)
    "ranked_candidates": 40,  # articles sharing the most band keys whose signatures are read
    "key_candidates": 8,      # articles with the best shingle-key scores added to those
    "min_estimate": 0.15,     # signature Jaccard estimate below which a candidate is not verified
    "cache_kib": 131072,      # SQLite page cache for this connection (KiB)
    "merge_docs": 2_000,      # articles held in memory before their bands are filed (and
                              # >= 1/8 of those filed, up to max_recent_docs: ~2 KB each)
    "max_recent_docs": 50_000,
}

# fingerprints of the articles indexed or verified last, kept in memory (~25 KB each): most
# candidates are recent articles, and most copies' originals are found again and again
FINGERPRINTS_KEPT = 2_000

# members moved to another story per assign() (_settle): a later member's arrival moves the few
# copies that no longer verify against their story's new original; the cap bounds a cascade
MAX_MOVES = 50

# an article with its index entry, if any (indexed_id is None: not indexed yet)
_ASSIGN_ROW = ("SELECT a.id, a.site, a.title, a.body, a.source, a.published_at, "
               "a.first_seen, d.state, d.story_id, d.article_id AS indexed_id FROM articles a "
               "LEFT JOIN syn_docs d ON d.article_id = a.id WHERE a.id ")


class Prepared(NamedTuple):
    """An article read and fingerprinted ahead of assign() (assign_many)."""
    row: object                 # sqlite3.Row of _ASSIGN_ROW
    fp: Fingerprint | None
    sig: np.ndarray | None
    keys: list | None


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
        self.conn.execute(f"PRAGMA cache_size = -{int(self.tuning['cache_kib'])}")
        self._bands = BandStore(self.conn, self.tuning, in_batch=lambda: self._depth > 0)
        self._keys = ShingleKeys(self.conn, self.tuning, self._bands)
        self._fps = Fingerprints(self.conn, FINGERPRINTS_KEPT)
        self._matcher = Matcher(self.conn, self._bands, self._keys, self.tuning, self._fps)
        self._stories = Stories(self.conn, self._fps)
        self._data_version = None
        self._moves = 0  # members moved by _settle in this assign()

    def ensure_schema(self) -> None:
        params = {"bands": self.bands, "rows": self.rows, "shingle": 5, "signature": "oph-v1",
                  "keys": f"1/{KEY_SAMPLE}, at most {MAX_KEYS}"}
        stored = read_params(self.conn)
        if stored is not None and stored != params and {**stored, "keys": params["keys"]} == params:
            # only the shingle keys were made another way: file them again, the rest stands
            write_params(self.conn, params)
            ensure_schema(self.conn, params)
            self._file_keys_again()
        else:
            ensure_schema(self.conn, params)
        self._bands.discard()  # a migration may have rewritten syn_docs

    def _file_keys_again(self) -> None:
        """syn_keys and syn_docs.shingle_keys from every indexed article's body, in one
        transaction (an index whose keys were sampled another way)."""
        with self.batch():
            self.conn.execute("DELETE FROM syn_keys")
            self.conn.execute("UPDATE syn_docs SET shingle_keys = NULL")
            self._bands.discard()  # the newest keys held in memory are gone too
            ids = [r[0] for r in self.conn.execute(
                "SELECT article_id FROM syn_docs WHERE banded > 0")]
            for n in range(0, len(ids), 500):
                rows = named(self.conn, "SELECT id, body, title FROM articles WHERE id IN "
                             f"({','.join('?' * len(ids[n:n + 500]))})", ids[n:n + 500]).fetchall()
                fps = fingerprints([(row["body"], row["title"]) for row in rows])
                for row, fp in zip(rows, fps):
                    if fp is None or not fp.indexable:
                        continue
                    keys = ShingleKeys.keys(fp)
                    sizes, _ = self._keys.lookup(keys)
                    blob = self._keys.file(row["id"], keys, sizes)
                    self.conn.execute("UPDATE syn_docs SET shingle_keys = ? WHERE article_id = ?",
                                      [blob, row["id"]])
                    self._bands.doc_keys_written(row["id"], blob)
            self._file_recent_bands(force=True)  # every key in syn_keys again

    # --- transactions -----------------------------------------------------------------------
    @contextmanager
    def batch(self):
        """One transaction around many assign() calls (bulk import)."""
        owns = self._depth == 0 and not self.conn.in_transaction
        if self._depth == 0:
            self._bands.recheck()
            version = scalar(self.conn, "PRAGMA data_version")
            if version != self._data_version:  # another connection wrote: bodies may differ
                self._fps.clear()
                self._data_version = version
        if owns:
            self.conn.execute("BEGIN")
        self._depth += 1
        try:
            yield self
        except BaseException:
            self._depth -= 1
            self._bands.discard()  # read again from syn_docs when needed
            self._fps.clear()
            if owns:
                self.conn.rollback()
            raise
        self._depth -= 1
        if owns:
            self._bands.flush()
            self.conn.commit()
        if self._depth == 0:
            self._stories.credits.reset()
            self._bands.recheck()

    def file_bands(self) -> None:
        """Before committing a transaction the index did not open itself (Store.bulk): file the
        newest articles' band keys if there are enough of them."""
        if self._depth == 0:
            self._bands.flush()

    def _file_recent_bands(self, force=False) -> None:
        """File the in-memory newest band keys now (force) or once there are enough of them."""
        self._bands.flush(force=force)

    # --- lookup -------------------------------------------------------------------------------
    def _keys_of(self, fp):
        """(signature, band keys) of a fingerprint, both None when it is not indexable."""
        sig = fp.signature(self.bins) if fp is not None and fp.indexable else None
        return sig, (self._bands.keys(sig) if sig is not None else None)

    def find(self, body, title=None) -> dict | None:
        """Read-only lookup: the stored article a body is a copy of, or None.
        Returns {"article_id", "story_id", "how": "exact" | "near"}."""
        fp = fingerprint(body, title)
        if fp is None:
            return None
        sig, keys = self._keys_of(fp)
        match = self._matcher.match(-1, fp, sig, keys)
        if match.article_id is None:
            return None
        return {"article_id": match.article_id, "story_id": match.story_id, "how": match.how}

    # --- assigning ----------------------------------------------------------------------------
    @staticmethod
    def _state(art) -> str:
        """Everything assign() reads: unchanged state, nothing to redo."""
        # the body hashed as it is, the rest as JSON (escaping a whole body costs 3x the hash)
        h = hashlib.blake2b(json.dumps([art[c] for c in ARTICLE_COLUMNS if c != "body"],
                                       ensure_ascii=False).encode("utf-8", "replace"),
                            digest_size=12)
        body = art["body"]
        h.update(body.encode("utf-8", "replace") if isinstance(body, str) else repr(body).encode())
        return h.hexdigest()

    def assign(self, article_id: int, _prepared: Prepared | None = None) -> dict:
        """Put one stored article into its story (see the module docstring)."""
        self._moves = 0
        with self.batch():
            if _prepared is not None and _prepared.row["indexed_id"] is None:
                row = _prepared.row  # not indexed yet: nothing earlier in the batch changed it
            else:
                _prepared = None
                row = one(self.conn, _ASSIGN_ROW + "= ?", [article_id])
            if row is None:
                raise LookupError(f"no article {article_id}")
            art = {c: row[c] for c in ARTICLE_COLUMNS}
            state = self._state(art)
            if row["indexed_id"] is not None:
                if row["state"] == state and row["story_id"] is not None:
                    return self._stories.result(article_id)  # unchanged: nothing to do
                self._detach(article_id)
            if _prepared is not None:
                fp, sig, keys = _prepared.fp, _prepared.sig, _prepared.keys
            else:
                fp = fingerprint(art["body"], art["title"])
                sig, keys = self._keys_of(fp)
            return self._index(art, state, fp, sig, keys)

    def _index(self, art, state, fp, sig, keys) -> dict:
        """Index an article that has no syn_docs row: find its match, merge the stories it
        bridges, file its bands, and write it into its story."""
        match = Match()
        # the sampled shingle keys: looked up, then filed
        shingle_keys = ShingleKeys.keys(fp) if fp is not None and keys is not None else None
        if fp is not None:
            match = self._matcher.match(art["id"], fp, sig, keys, bridge=True,
                                        shingle_keys=shingle_keys)
        for member, pair in match.held_apart.items():
            self._hold_apart(member, pair)
        if match.bridged:
            match = self._consistent(art, match, fp)
        story_id = match.story_id
        folded = sorted({story_id, *match.bridged}) if match.bridged else []
        # the stories it joins, their originals and members as they were (_settle)
        before = {sid: (self._original_id(sid), self._stories.members(sid))
                  for sid in folded or [story_id] if sid is not None}
        if folded:  # the article joins stories that were apart: one story, the lowest id
            story_id = self._stories.merge(folded)
        if story_id is None:  # a new story, the article its original
            story_id = self._stories.create(art)
        if fp is not None:
            self._fps.put(art["id"], fp)
        banded, filed_keys = 0, None
        if keys and match.how != "exact" and match.apart is None:
            # an exact copy is found by its digest; a template kept apart is found by nobody
            banded = self._bands.file(art["id"], keys, match.sizes)
            filed_keys = self._keys.file(art["id"], shingle_keys, match.key_sizes)
        signature = sig.tobytes() if sig is not None else None
        norm_len = len(fp.norm) if fp else None
        self.conn.execute(
            "INSERT INTO syn_docs (article_id, story_id, site, first_seen, digest, state, "
            "signature, banded, norm_len, matched, shingle_keys) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [art["id"], story_id, art["site"], art["first_seen"],
             fp.digest if fp else None, state, signature, banded,
             norm_len, match.reason, filed_keys])
        self._bands.doc_written(art["id"], signature, norm_len,
                                len(filed_keys) if filed_keys is not None else None)
        if match.apart_pair:
            self._keep_apart(art["id"], match.apart_pair)
        if folded:
            how = {sid: f"{c.reason} with article {match.bridged[sid]}"
                   for sid, c in match.bridged_how.items()}
            how[match.story_id] = match.reason
            self._stories.record_merge(story_id, folded, art["id"], how)
        if match.article_id is None:
            return self._stories.place_original(art, story_id)
        result = self._stories.place_copy(art, fp, story_id, match, folded)
        self._settle(story_id, before, {art["id"]})
        if folded:
            self._revisit_apart(story_id)
        return result

    def _keep_apart(self, article_id, pair) -> None:
        self.conn.execute("INSERT OR REPLACE INTO syn_apart (article_id, first_id, second_id) "
                          "VALUES (?, ?, ?)", [article_id, *pair])

    def _revisit_apart(self, story_id) -> None:
        """Templates kept apart because two articles that differ both fill them, when a merge
        has put those two in one story (story_id): they were copies of one story that kept
        other parts, and the article taken for a template a part of it. Assigned again."""
        rows = named(self.conn,
                     "SELECT p.article_id FROM syn_apart p "
                     "JOIN syn_docs a ON a.article_id = p.first_id "
                     "JOIN syn_docs b ON b.article_id = p.second_id "
                     "WHERE a.story_id = ? AND b.story_id = ? ORDER BY p.article_id",
                     [story_id, story_id]).fetchall()
        for row in rows:
            if self._moves >= MAX_MOVES:
                break
            self._moves += 1
            self.conn.execute("DELETE FROM syn_apart WHERE article_id = ?", [row["article_id"]])
            self._reassign(row["article_id"])

    def _original_id(self, story_id) -> int | None:
        row = one(self.conn, "SELECT original_id FROM stories WHERE id = ?", [story_id])
        return row["original_id"] if row else None

    def _consistent(self, art, match: Match, fp=None) -> Match:
        """The stories a bridging article joins, kept only when one story can hold them: the
        earliest of the article and their originals must verify against every other original
        (each member verifies against its story's original, _settle). An article verifying
        against two originals that do not verify against each other (two copies that kept other
        parts, a digest of stock sentences beside another story's copy) joins the story of the
        earliest one, and merges the stories whose originals verify against that one, or
        that conflict with it while holding most of its text when the article verifies against
        both and is no template of both (_one_story): a rewrite that replaced a name, and
        the fuller copy that shows it a copy (as Matcher._member_copy)."""
        how = {match.story_id: (match.article_id, match.comparison),
               **{sid: (m, match.bridged_how[sid]) for sid, m in match.bridged.items()}}
        originals = {sid: self._stories.article(self._original_id(sid)) for sid in how}
        first_sid = min(originals, key=lambda sid: order_key(originals[sid]))
        if order_key(art) < order_key(originals[first_sid]):
            return match  # the article is the earliest: the new original of them all
        first_fp = self._fps.get(originals[first_sid]["id"])
        kept = {first_sid}
        for sid, original in originals.items():
            ofp = self._fps.get(original["id"])
            if sid != first_sid and first_fp is not None and ofp is not None and (
                    ofp.digest == first_fp.digest or self._one_story(first_fp, ofp, fp)):
                kept.add(sid)
        if first_sid == match.story_id:
            return match._replace(
                bridged={sid: m for sid, m in match.bridged.items() if sid in kept},
                bridged_how={sid: c for sid, c in match.bridged_how.items() if sid in kept})
        member, comparison = how[first_sid]
        others = {sid: how[sid] for sid in kept if sid != first_sid}
        return match._replace(
            article_id=member, story_id=first_sid, how="near",
            fingerprint=self._fps.get(member), comparison=comparison,
            bridged={sid: m for sid, (m, _) in others.items()},
            bridged_how={sid: c for sid, (_, c) in others.items()})

    @staticmethod
    def _one_story(first_fp, ofp, fp) -> bool:
        """Can one story hold two originals an article verifies against: they verify against
        each other, or they are two fillings of one text (_fillings) and the article, which
        verifies against both, is no template of both (a text shorter than each and mostly
        contained in each): a copy showing the later a rewrite of the first, where a bare
        template two notices fill is shorter than each and contained in each?"""
        c = compare(first_fp, ofp)
        if c.same_story:
            return True
        return (fp is not None and _fillings(c)
                and not (_template_of(fp, ofp) and _template_of(fp, first_fp)))

    def _settle(self, story_id, before: dict, known: set) -> None:
        """Every member of a story verifies against its original. When the original changes
        (an earlier copy found later, stories merged, a template taken out), the members that
        were placed against another original are verified against the new one, and those that
        do not verify leave the story and are assigned again, as if they arrived now (a
        decision taken on what had arrived first, taken again on the later evidence).
        before: {story_id: (its original, its members)} before the change; known: members
        not to verify again."""
        original = self._original_id(story_id)
        if original is None:
            return
        todo = sorted({m for sid, (was, members) in before.items() if was != original
                       for m in members} - known - {original})
        if not todo or self._moves >= MAX_MOVES:
            return
        ofp = self._fps.get(original)
        leave = []
        for m in todo:
            mfp = self._fps.get(m)
            if ofp is None or mfp is None or mfp.digest == ofp.digest:
                continue
            if not compare(ofp, mfp).same_story:
                leave.append(self._stories.article(m))
        for m in sorted(leave, key=order_key):
            if self._moves >= MAX_MOVES:
                break
            self._moves += 1
            self._reassign(m["id"])

    def _reassign(self, article_id) -> None:
        """Take an article out of its story and assign it again."""
        row = one(self.conn, _ASSIGN_ROW + "= ?", [article_id])
        if row is None or row["indexed_id"] is None:
            return
        art = {c: row[c] for c in ARTICLE_COLUMNS}
        self._detach(article_id)
        fp = fingerprint(art["body"], art["title"])
        sig, keys = self._keys_of(fp)
        self._index(art, row["state"], fp, sig, keys)

    def _hold_apart(self, article_id, pair) -> None:
        """A stored template shown to match notices that differ (pair): it leaves their story,
        with its exact copies, for a story of its own, and files no keys (Matcher)."""
        reason = apart_reason(*pair)
        row = one(self.conn, "SELECT story_id, signature, banded, shingle_keys, digest "
                             "FROM syn_docs WHERE article_id = ?", [article_id])
        if row is None or row["story_id"] is None:
            return
        old = row["story_id"]
        before = {old: (self._original_id(old), self._stories.members(old))}
        self._bands.unfile(article_id, row["signature"], row["banded"])
        self._keys.unfile(article_id, row["shingle_keys"])
        art = self._stories.article(article_id)
        story_id = self._stories.create(art)
        self.conn.execute(
            "UPDATE syn_docs SET story_id = ?, banded = 0, shingle_keys = NULL, "
            "matched = CASE WHEN article_id = ? THEN ? ELSE matched END "
            "WHERE story_id = ? AND (article_id = ? OR digest = ?)",
            [story_id, article_id, reason, old, article_id, row["digest"]])
        self._bands.doc_keys_dropped(
            [r[0] for r in self.conn.execute("SELECT article_id FROM syn_docs WHERE story_id = ?",
                                             [story_id])])
        self._keep_apart(article_id, pair)
        self._stories.recompute(story_id)
        self._stories.recompute(old)
        self._settle(old, before, set())

    def _detach(self, article_id) -> None:
        """Take an article out of the index (its bands, its syn_docs row) and re-elect the
        story it leaves."""
        row = one(self.conn, "SELECT story_id, signature, banded, shingle_keys FROM syn_docs "
                             "WHERE article_id = ?", [article_id])
        if row is None:
            return
        self._bands.unfile(article_id, row["signature"], row["banded"])
        self._keys.unfile(article_id, row["shingle_keys"])
        self._fps.forget(article_id)
        old = row["story_id"]
        before = {old: (self._original_id(old), self._stories.members(old))} if old else {}
        self.conn.execute("DELETE FROM syn_docs WHERE article_id = ?", [article_id])
        self._bands.doc_deleted(article_id)
        self.conn.execute("DELETE FROM syn_apart WHERE article_id = ?", [article_id])
        if old is not None:
            self._stories.recompute(old)
            self._settle(old, before, {article_id})

    def assign_many(self, ids, normalized=None) -> list:
        """assign() each article, in one transaction; the articles' fingerprints, signatures
        and band keys are computed together first (numpy calls over 1,000 texts at once cost
        a fraction of 1,000 calls over one). normalized: {article_id: (body, title, the text
        fingerprint(body, title) shingles)} the caller has computed already (the store, which
        hashes the same text: syndication.normalize_body); an article whose stored body or
        title is not the one given is normalized again."""
        ids = list(ids)
        with self.batch():
            prepared = {}
            for n in range(0, len(ids), 500):
                prepared.update(self._prepare(ids[n:n + 500], normalized or {}))
            # pop: an id listed twice is read again the second time
            return [self.assign(i, _prepared=prepared.pop(i, None)) for i in ids]

    def _prepare(self, ids, normalized) -> dict:
        """{article_id: Prepared}: each row as assign() reads it, fingerprinted."""
        rows = named(self.conn, _ASSIGN_ROW + f"IN ({','.join('?' * len(ids))})",
                     ids).fetchall()
        fps = fingerprints_normalized([_normalized(row, normalized.get(row["id"])) for row in rows])
        sigs = signatures([fp if fp is not None and fp.indexable else None for fp in fps],
                          self.bins)
        present = [n for n, sig in enumerate(sigs) if sig is not None]
        keys = iter(self._bands.key_matrix(np.array([sigs[n] for n in present]).reshape(
            len(present), self.bins)).tolist())
        return {row["id"]: Prepared(row, fp, sig, next(keys) if sig is not None else None)
                for row, fp, sig in zip(rows, fps, sigs)}


def _normalized(row, given) -> str:
    """The text fingerprint(body, title) shingles for a row: `given` (body, title, text) when
    its body and title are the row's, else normalized here."""
    if given is not None and given[0] == row["body"] and given[1] == row["title"]:
        return given[2]
    return normalize_body(row["body"], row["title"])[1]
