"""Candidate verification: the stored article a fingerprint is a copy of (an exact digest, or
a band candidate that verifies on its body), and the other stories a new article bridges.

Candidates are verified on their bodies, normalized again (~0.1 ms), not on a stored copy of
every normalized text (which doubled the database).
"""
from __future__ import annotations

from typing import NamedTuple

from aggregator.syndication import Comparison, Fingerprint, compare, fingerprint
from aggregator.syndication_bands import BandStore, Candidate, ShingleKeys
from aggregator.syndication_schema import one

__all__ = ["Match", "Matcher", "stored_fingerprint"]

# members of one story verified per lookup: two partial copies of one original (two digests)
# may not verify against each other, and a third copy is as likely to as the first
PER_STORY = 2


class Match(NamedTuple):
    """What a lookup found. article_id is None when nothing matched; sizes are the bucket sizes
    of the lookup's band keys (for capping); bridged ({story_id: member}) are other stories the
    article joins to its match's story; comparison is how it matched, bridged_how how it matched
    each bridged story's member."""
    article_id: int | None = None
    story_id: int | None = None
    how: str | None = None            # "exact" | "near"
    sizes: dict = {}
    fingerprint: Fingerprint | None = None
    bridged: dict = {}
    comparison: Comparison | None = None
    bridged_how: dict = {}
    key_sizes: dict = {}              # bucket sizes of the shingle keys (for capping)

    @property
    def reason(self) -> str | None:
        """How the article matched, in an editor's words."""
        if self.article_id is None:
            return None
        if self.how == "exact":
            return f"same text as article {self.article_id}"
        return f"{self.comparison.reason} with article {self.article_id}"


def stored_fingerprint(conn, article_id) -> Fingerprint | None:
    """The fingerprint of a stored article, from its body (normalizing again, ~0.1 ms, costs
    less than keeping a second copy of every text in the index)."""
    row = one(conn, "SELECT body, title FROM articles WHERE id = ?", [article_id])
    return fingerprint(row["body"], row["title"]) if row else None


class Matcher:
    def __init__(self, conn, bands: BandStore, shingle_keys: ShingleKeys, tuning: dict):
        self.conn = conn
        self.bands = bands
        self.shingle_keys = shingle_keys
        self.max_candidates = tuning["max_candidates"]

    def match(self, article_id, fp, sig, keys, bridge=False) -> Match:
        """The best verified match of fingerprint `fp` other than article_id; with bridge=True
        also the other stories it bridges (see bridged)."""
        row = one(self.conn,
                  "SELECT article_id, story_id FROM syn_docs WHERE digest = ? AND article_id != ? "
                  "LIMIT 1", [fp.digest, article_id])
        if row:
            return Match(row["article_id"], row["story_id"], "exact", {}, fp, {})
        if keys is None:
            return Match()
        key_sizes, more = self.shingle_keys.lookup(ShingleKeys.keys(fp))
        sizes, scored = self.bands.candidates(article_id, sig, keys, more)
        tried = {}  # story: members tried (two that do not verify stand for their story)
        for n, cand in enumerate(scored):
            if len(tried) >= self.max_candidates and cand.story_id not in tried:
                break
            if tried.get(cand.story_id, 0) >= PER_STORY:
                continue
            cfp = stored_fingerprint(self.conn, cand.article_id)
            if cfp is None:
                continue
            tried[cand.story_id] = tried.get(cand.story_id, 0) + 1
            result = compare(fp, cfp)
            if result.same_story:
                bridged, how = {}, {}
                if bridge:
                    bridged, how = self.bridged(fp, cand.story_id, cfp, scored[n + 1:])
                return Match(cand.article_id, cand.story_id, "near", sizes, cfp, bridged,
                             result, how, key_sizes)
        return Match(sizes=sizes, key_sizes=key_sizes)

    def bridged(self, fp, story_id, matched_fp, others: list[Candidate]) -> tuple[dict, dict]:
        """({story_id: member}, {story_id: Comparison}) of the other stories the article bridges
        to its match's story: it verifies against one of their members exactly as a normal match
        does, whichever text is larger, so the same articles give the same stories in any
        order. Guard: the member must not conflict with the article's match (most text shared
        but a slot differs, as two notices on one template do): a bare template both notices
        contain joins one of them and merges nothing. At most PER_STORY members of each story are
        verified (the best estimates), of at most 2 * max_candidates stories: stories of the same genre share
        stock phrases, and their members must not use up the tries before a partial copy whose
        estimate is as low as theirs."""
        out, how, tried = {}, {}, {}
        for cand in others:
            sid = cand.story_id
            if len(tried) >= 2 * self.max_candidates and sid not in tried:
                break
            if sid == story_id or sid in out or sid is None or tried.get(sid, 0) >= PER_STORY:
                continue
            cfp = stored_fingerprint(self.conn, cand.article_id)
            if cfp is None:
                continue
            tried[sid] = tried.get(sid, 0) + 1
            result = compare(fp, cfp)
            if result.same_story and not compare(matched_fp, cfp).conflict:
                out[sid], how[sid] = cand.article_id, result
        return out, how
