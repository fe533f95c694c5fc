"""Candidate verification: the stored article a fingerprint is a copy of (an exact digest, or
a band candidate that verifies on its body), and the other stories a new article bridges.

Candidates are verified on their bodies, normalized again (~0.1 ms), not on a stored copy of
every normalized text (which doubled the database).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

from aggregator.syndication import (MIN_CONTAINMENT, MIN_SHARED, Comparison, Fingerprint, compare,
                                    fingerprint)
from aggregator.syndication_bands import BandStore, Candidate, ShingleKeys
from aggregator.syndication_schema import one

__all__ = ["Match", "Matcher", "Fingerprints", "stored_fingerprint"]

# members of one story verified per lookup: two partial copies of one original (two digests)
# may not verify against each other, and a third copy is as likely to as the first
PER_STORY = 2
# stories holding a notice on the article's template (a conflict, or most text shared and
# other words in its middle) after which the lookup stops: their candidates rank by estimate,
# and a copy of the article itself ranks above them
MAX_CONFLICTS = 3


class Match(NamedTuple):
    """What a lookup found. article_id is None when nothing matched; sizes are the bucket sizes
    of the lookup's band keys (for capping); bridged ({story_id: member}) are other stories the
    article joins to its match's story; comparison is how it matched, bridged_how how it matched
    each bridged story's member. apart: the article matches articles that conflict with each
    other (a bare template two notices contain), so it joins none of them (the reason);
    held_apart: stored articles the lookup showed to be such a template ({member: reason})."""
    article_id: int | None = None
    story_id: int | None = None
    how: str | None = None            # "exact" | "near"
    sizes: dict = {}
    fingerprint: Fingerprint | None = None
    bridged: dict = {}
    comparison: Comparison | None = None
    bridged_how: dict = {}
    key_sizes: dict = {}              # bucket sizes of the shingle keys (for capping)
    apart: str | None = None
    held_apart: dict = {}

    @property
    def reason(self) -> str | None:
        """How the article matched, in an editor's words."""
        if self.apart is not None:
            return self.apart
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


class Fingerprints:
    """The fingerprints of the articles indexed or verified last (at most `size`), so a
    candidate met again (the original of a story its copies keep finding, an article indexed a
    moment ago) is not normalized again. forget() an article whose body changes; clear() when
    another connection has written."""

    def __init__(self, conn, size: int):
        self.conn = conn
        self.size = size
        self._fps = OrderedDict()

    def get(self, article_id) -> Fingerprint | None:
        fp = self._fps.get(article_id)
        if fp is not None:
            self._fps.move_to_end(article_id)
            return fp
        fp = stored_fingerprint(self.conn, article_id)
        if fp is not None:
            self.put(article_id, fp)
        return fp

    def of(self, article_id, body, title) -> Fingerprint | None:
        """get() for an article whose body the caller has read already."""
        fp = self._fps.get(article_id)
        if fp is None:
            fp = fingerprint(body, title)
            if fp is not None:
                self.put(article_id, fp)
        return fp

    def put(self, article_id, fp: Fingerprint) -> None:
        self._fps[article_id] = fp
        self._fps.move_to_end(article_id)
        while len(self._fps) > self.size:
            self._fps.popitem(last=False)

    def forget(self, article_id) -> None:
        self._fps.pop(article_id, None)

    def clear(self) -> None:
        self._fps.clear()


def _template_of(t: Fingerprint, other: Fingerprint, result: Comparison | None = None) -> bool:
    """Is t shorter than `other`, verified against it and mostly contained in it (the
    containment of the shorter text): a template `other` fills? result: compare(t, other) or
    compare(other, t) when already known."""
    if len(t.norm) >= len(other.norm):
        return False
    result = result or compare(t, other)
    return result.same_story and result.containment >= MIN_CONTAINMENT


def _apart(a, b) -> str:
    return (f"matches articles {a} and {b}, which differ in their names or figures "
            "(a template both hold): kept apart")


def _by_story(scored: list[Candidate]) -> list[Candidate]:
    """Candidates story by story, the stories in the order of their best estimate, each story's
    original first (every copy in it is a copy of the original; two copies may each keep a part
    the other cut), then its other members best estimate first."""
    first = {}
    for n, cand in enumerate(scored):
        first.setdefault(cand.story_id, n)
    return sorted(scored, key=lambda c: (first[c.story_id], not c.is_original, -c.estimate,
                                         c.article_id))


class Matcher:
    """Verifies a lookup's candidates, best estimate first, at most `max_verified` of them and
    PER_STORY of each story: every story one of them verifies against is the article's (the
    best one its match, the others bridged), so whether two stories are one is decided on the
    same comparisons whichever arrived first. Guards against chaining template notices:
    - a story holding a member that conflicts with the article (most text shared but other
      names or figures in a slot: another notice on the same template) is not joined, unless
      the article is part of the member it verifies (a partial copy beside another one that
      kept other paragraphs);
    - an article verifying against members that conflict with each other is a template they
      both hold: it joins none of them (Match.apart);
    - a stored member the article verifies against whose story holds a member conflicting
      with the article, and that verifies against that member too, is such a template, found
      after the notices it joined: it is taken out of their story (Match.held_apart).
    A template kept apart files no band or shingle keys, so later notices do not find it."""

    def __init__(self, conn, bands: BandStore, shingle_keys: ShingleKeys, tuning: dict,
                 fingerprints: Fingerprints):
        self.conn = conn
        self.bands = bands
        self.shingle_keys = shingle_keys
        self.max_verified = tuning["max_verified"]
        self.fingerprints = fingerprints

    def match(self, article_id, fp, sig, keys, bridge=False) -> Match:
        """The best verified match of fingerprint `fp` other than article_id; with bridge=True
        also the other stories it bridges (see the class docstring)."""
        row = one(self.conn,
                  "SELECT article_id, story_id FROM syn_docs WHERE digest = ? AND article_id != ? "
                  "LIMIT 1", [fp.digest, article_id])
        if row:
            return Match(row["article_id"], row["story_id"], "exact", {}, fp, {})
        if keys is None:
            return Match()
        shingle_keys = ShingleKeys.keys(fp)
        key_sizes, more = self.shingle_keys.lookup(shingle_keys)
        sizes, scored = self.bands.candidates(article_id, sig, keys, more, len(shingle_keys))
        verified, conflicts = self._verify(fp, scored)
        found = Match(sizes=sizes, key_sizes=key_sizes)
        held = {}
        for sid, (member, mfp, result) in list(verified.items()):
            if sid in conflicts and not _template_of(fp, mfp, result):
                # the story holds another notice: not this article's (unless the article is
                # part of the member it verifies: two partial copies kept other paragraphs)
                del verified[sid]
                other, ofp = conflicts[sid]
                if _template_of(mfp, fp, result) and _template_of(mfp, ofp):
                    held[member] = _apart(other, article_id)
        if not verified:
            return found._replace(held_apart=held)
        members = list(verified.values())
        if all(_template_of(fp, mfp, r) for _, mfp, r in members):
            for i, (a, afp, _) in enumerate(members):
                for b, bfp, _ in members[i + 1:]:
                    if compare(afp, bfp).conflict:
                        return found._replace(apart=_apart(a, b), held_apart=held)
        (sid, (member, mfp, result)), *others = verified.items()
        bridged = {s: m for s, (m, _, _) in others} if bridge else {}
        how = {s: r for s, (_, _, r) in others} if bridge else {}
        return Match(member, sid, "near", sizes, mfp, bridged, result, how, key_sizes,
                     None, held)

    def _verify(self, fp, scored: list[Candidate]) -> tuple[dict, dict]:
        """({story_id: (member, its fingerprint, Comparison)} of the stories a candidate
        verifies against, best estimate first; {story_id: (member, fingerprint)} of those
        holding a member that conflicts with fp)."""
        verified, conflicts, tried = {}, {}, {}
        checks = differing = 0
        settled = set()  # verified stories whose other members need not be looked at
        for cand in _by_story(scored):
            sid = cand.story_id
            if checks >= self.max_verified or len(conflicts) + differing >= MAX_CONFLICTS:
                break  # (notices on one template: the rest are more of them)
            # (a story holding a conflicting member is still looked at: its other member may be
            # a template both notices fill)
            if sid is None or tried.get(sid, 0) >= PER_STORY or sid in settled:
                continue
            cfp = self.fingerprints.get(cand.article_id)
            if cfp is None:
                continue
            tried[sid] = tried.get(sid, 0) + 1
            checks += 1
            result = compare(fp, cfp)
            if result.same_story:
                verified.setdefault(sid, (cand.article_id, cfp, result))
                if not _template_of(cfp, fp, result):
                    # only a text fp fills (a template) can share a story with another notice
                    settled.add(sid)
            elif result.conflict:
                conflicts[sid] = (cand.article_id, cfp)
            elif result.shared >= MIN_SHARED and tried[sid] == 1:
                differing += 1  # most text shared, other words in its middle: another notice
        return verified, conflicts
