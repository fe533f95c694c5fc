"""Candidate verification: the stored article a fingerprint is a copy of (an exact digest, or
a band candidate that verifies on its body), and the other stories a new article bridges.

Candidates are verified on their bodies, normalized again (~0.1 ms), not on a stored copy of
every normalized text (which doubled the database).
"""
from __future__ import annotations

from typing import NamedTuple

from aggregator.syndication import Fingerprint, compare, fingerprint
from aggregator.syndication_bands import BandStore, Candidate
from aggregator.syndication_schema import one

__all__ = ["Match", "Matcher", "stored_fingerprint"]


class Match(NamedTuple):
    """What a lookup found. article_id is None when nothing matched; sizes are the bucket sizes
    of the lookup's band keys (for capping); bridged ({story_id: member}) are other stories the
    article joins to its match's story."""
    article_id: int | None = None
    story_id: int | None = None
    how: str | None = None            # "exact" | "near"
    sizes: dict = {}
    fingerprint: Fingerprint | None = None
    bridged: dict = {}


def stored_fingerprint(conn, article_id) -> Fingerprint | None:
    """The fingerprint of a stored article, from its body (normalizing again, ~0.1 ms, costs
    less than keeping a second copy of every text in the index)."""
    row = one(conn, "SELECT body, title FROM articles WHERE id = ?", [article_id])
    return fingerprint(row["body"], row["title"]) if row else None


def carries(bridge_len: int, other_len) -> bool:
    """A verified match the bridge *carries*: the bridge is the larger normalized text, so it
    holds more of the other than the other holds of it, as an original does of its partial
    copies. A bare template that two notices share is the smaller text of both matches: it
    carries neither. (Lengths from syn_docs.norm_len: known before a candidate is read.)"""
    return other_len is not None and bridge_len >= other_len


class Matcher:
    def __init__(self, conn, bands: BandStore, tuning: dict):
        self.conn = conn
        self.bands = bands
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
        sizes, scored = self.bands.candidates(article_id, sig, keys)
        for n, cand in enumerate(scored[:self.max_candidates]):
            cfp = stored_fingerprint(self.conn, cand.article_id)
            if cfp is not None and compare(fp, cfp).same_story:
                bridged = {}
                if bridge and carries(len(fp.norm), cand.norm_len):
                    bridged = self.bridged(fp, cand.story_id, scored[n + 1:])
                return Match(cand.article_id, cand.story_id, "near", sizes, cfp, bridged)
        return Match(sizes=sizes)

    def bridged(self, fp, story_id, others: list[Candidate]) -> dict:
        """{story_id: member} of the other stories the article bridges to its match's story:
        it verifies against one of their members exactly as a normal match does, *and* it carries
        that member (the larger text: the full original of two partial copies, not a bare
        template that two notices share). At most max_candidates verifications."""
        out, tried = {}, 0
        for cand in others:
            if tried >= self.max_candidates:
                break
            sid = cand.story_id
            if (sid == story_id or sid in out or sid is None
                    or not carries(len(fp.norm), cand.norm_len)):
                continue
            cfp = stored_fingerprint(self.conn, cand.article_id)
            if cfp is None:
                continue
            tried += 1
            if compare(fp, cfp).same_story:
                out[sid] = cand.article_id
        return out
