"""Candidate verification: the stored article a fingerprint is a copy of (an exact digest, or
a band candidate that verifies on its body), and the other stories a new article bridges.

Candidates are verified on their bodies, normalized again (~0.1 ms), not on a stored copy of
every normalized text (which doubled the database).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

from aggregator.syndication import (MIN_CONTAINMENT, MIN_SHARED, Comparison,
                                    Fingerprint, compare, fingerprint)
from aggregator.syndication_bands import BandStore, Candidate, ShingleKeys
from aggregator.syndication_schema import one

__all__ = ["Match", "Matcher", "Fingerprints", "stored_fingerprint", "apart_reason"]

# share of each other's shingles two notices filling one template hold (their slots are short:
# 0.56-0.63 for the notices of the tests and sets; a digest holds a third of a full copy's)
TEMPLATE_FILLS = 0.5
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
    held_apart: stored articles the lookup showed to be such a template ({member: (the two
    articles that differ)})."""
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
    apart_pair: tuple = ()            # the two articles that differ, when apart

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


def _fillings(c: Comparison) -> bool:
    """Are two texts two fillings of one template: they conflict (other figures, names or words
    in a slot) and each holds most of the other's text (TEMPLATE_FILLS of its shingles)? Not
    two copies of one story that kept other parts: of a digest beside a reordered copy, most of
    the shorter lies in the longer, not the other way."""
    return c.conflict and min(c.coverage_a, c.coverage_b) >= TEMPLATE_FILLS


def apart_reason(a, b) -> str:
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
    """Verifies a lookup's candidates story by story, best estimate first, each story on its
    original, at most `max_verified` comparisons: every story whose original verifies against
    the article is the article's (the best one its match, the others bridged), so whether two
    stories are one is decided on their originals, whichever copies arrived first. Guards
    against chaining template notices:
    - a story holding a member that conflicts with the article (most text shared but other
      names or figures in a slot: another notice on the same template) is not joined, unless
      the article is part of the original it verifies (a partial copy);
    - an article verifying against originals that conflict with each other is a template they
      both hold: it joins none of them (Match.apart);
    - a stored original the article verifies against whose story holds a member conflicting
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

    def match(self, article_id, fp, sig, keys, bridge=False, shingle_keys=None) -> Match:
        """The best verified match of fingerprint `fp` other than article_id; with bridge=True
        also the other stories it bridges (see the class docstring). A stored article with the
        same text (an exact twin) is the match, and its story the article's; the candidates are
        verified all the same, so an exact twin bridges stories as any other copy does.
        shingle_keys: ShingleKeys.keys(fp), when the caller has them."""
        row = one(self.conn,
                  "SELECT article_id, story_id FROM syn_docs WHERE digest = ? AND article_id != ? "
                  "LIMIT 1", [fp.digest, article_id])
        twin = None
        if row:
            twin = Match(row["article_id"], row["story_id"], "exact", {}, fp, {},
                         compare(fp, fp))
            if not bridge:  # a read-only lookup: the twin is the answer
                return twin
        if keys is None:
            return twin or Match()
        if shingle_keys is None:
            shingle_keys = ShingleKeys.keys(fp)
        key_sizes, more = self.shingle_keys.lookup(shingle_keys)
        sizes, scored = self.bands.candidates(article_id, sig, keys, more, len(shingle_keys),
                                              len(fp.norm))
        verified, conflicts, held = self._verify(article_id, fp, scored)
        found = Match(sizes=sizes, key_sizes=key_sizes)
        if twin is not None:
            verified.pop(twin.story_id, None)
            found = twin._replace(sizes=sizes, key_sizes=key_sizes)
        for sid, (member, mfp, result) in list(verified.items()):
            if sid in conflicts and not _template_of(fp, mfp, result):
                # the story holds another notice: not this article's (unless the article is
                # part of the member it verifies: two partial copies kept other paragraphs)
                del verified[sid]
                other, ofp, conflict = conflicts[sid]
                if (_fillings(conflict) and _template_of(mfp, fp, result)
                        and _template_of(mfp, ofp)):
                    held[member] = (other, article_id)
        if not verified:
            return found._replace(held_apart=held)
        members = list(verified.values())
        if all(_template_of(fp, mfp, r) for _, mfp, r in members):
            for i, (a, afp, _) in enumerate(members):
                for b, bfp, _ in members[i + 1:]:
                    if _fillings(compare(afp, bfp)):
                        if twin is not None:  # the twin's story, bridging none of them
                            return found._replace(held_apart=held)
                        return found._replace(apart=apart_reason(a, b), apart_pair=(a, b),
                                              held_apart=held)
        if twin is not None:
            return found._replace(bridged={s: m for s, (m, _, _) in verified.items()},
                                  bridged_how={s: r for s, (_, _, r) in verified.items()},
                                  held_apart=held)
        (sid, (member, mfp, result)), *others = verified.items()
        bridged = {s: m for s, (m, _, _) in others} if bridge else {}
        how = {s: r for s, (_, _, r) in others} if bridge else {}
        return Match(member, sid, "near", sizes, mfp, bridged, result, how, key_sizes,
                     None, held)

    def _verify(self, article_id, fp, scored: list[Candidate]) -> tuple[dict, dict, dict]:
        """({story_id: (its original, the original's fingerprint, Comparison)} of the stories
        whose original verifies against fp, best estimate first; {story_id: (member,
        fingerprint, Comparison)} of those holding a member that conflicts with fp; {member: reason} of the
        stored templates found among them, with the two articles that differ (Match.held_apart)).

        A story is judged on its original, fetched when no candidate is it: every member of a
        story verifies against its original (StoryIndex keeps it so), and a copy joins the story
        of the text it copies, never a story one of whose members it happens to share stock
        sentences with (a digest of stock sentences matching another story's paraphrased copy).
        When the original is a template the article fills, one other member is verified too:
        a notice on the same template in it (a conflict) means the original is the template;
        when the original conflicts with the article (another notice on its template), its
        shortest member is looked at: a template both fill, which joined the original's story
        before this notice came, is taken out of it."""
        verified, conflicts, templates = {}, {}, {}
        checks = differing = 0
        by_story = {}
        for cand in _by_story(scored):
            if cand.story_id is not None:
                by_story.setdefault(cand.story_id, []).append(cand)
        originals = self._originals(by_story)
        for sid, cands in by_story.items():
            if checks >= self.max_verified or len(conflicts) + differing >= MAX_CONFLICTS:
                break  # (notices on one template: the rest are more of them)
            original = originals.get(sid)
            ofp = self.fingerprints.get(original) if original is not None else None
            if ofp is None:
                continue
            checks += 1
            result = compare(fp, ofp)
            if result.same_story:
                verified[sid] = (original, ofp, result)
                if _template_of(ofp, fp, result):
                    member = self._other_member(sid, original, cands,
                                                longer_than=len(ofp.norm))
                    mfp = self.fingerprints.get(member) if member is not None else None
                    if mfp is not None:
                        checks += 1
                        c = compare(fp, mfp)
                        if _fillings(c):
                            conflicts[sid] = (member, mfp, c)
            elif result.conflict:
                conflicts[sid] = (original, ofp, result)
                # a template both fill, joined to the original's story before this notice came
                member = (self._other_member(sid, original, cands, longest=False)
                          if _fillings(result) else None)
                mfp = self.fingerprints.get(member) if member is not None else None
                if (mfp is not None and _template_of(mfp, fp) and _template_of(mfp, ofp)
                        and not self._copies_another(fp, sid, (original, member), ofp)):
                    checks += 1
                    templates[member] = (original, article_id)
                    continue
                # most of the original's text held, a slot conflicting: a rewritten copy when
                # it verifies against a fuller copy in the story
                copy = (self._member_copy(fp, sid, original, ofp, cands)
                        if _fillings(result) else None)
                checks += _fillings(result)
                if copy is not None:
                    del conflicts[sid]
                    verified[sid] = copy
            elif result.shared >= MIN_SHARED:
                differing += 1  # most text shared, other words in its middle: another notice
        return verified, conflicts, templates

    def _member_copy(self, fp, story_id, original, ofp, cands) -> tuple | None:
        """(member, fingerprint, Comparison) of a member of the story other than its original
        that fp verifies against and that is no template both fp and the original fill (a
        text shorter than each and mostly contained in each), or None: an article conflicting
        with the original (a rewrite that replaced a name or cut a figure) that verifies
        against another copy of it is a copy of the story, where a notice on the original's
        template conflicts with every notice copying it and verifies only against the bare
        template. The best candidate member is tried, else the story's longest member."""
        member = self._other_member(story_id, original, cands)
        mfp = self.fingerprints.get(member) if member is not None else None
        if mfp is None or mfp.digest == ofp.digest:
            return None
        c = compare(fp, mfp)
        if c.same_story and not (_template_of(mfp, fp, c) and _template_of(mfp, ofp)):
            return member, mfp, c
        return None

    def _copies_another(self, fp, story_id, seen, ofp) -> bool:
        """Does fp verify against a member of the story other than `seen` and the original's
        exact copies? A template is all that two notices share: an article that also verifies
        against another text of the story is a copy of it whose rewrite conflicts with the
        original, not another notice, and the story's shorter member is a cut copy."""
        row = one(self.conn, "SELECT article_id FROM syn_docs WHERE story_id = ? AND "
                             f"article_id NOT IN ({','.join('?' * len(seen))}) AND "
                             "digest IS NOT ? ORDER BY norm_len DESC, article_id LIMIT 1",
                  [story_id, *seen, ofp.digest])
        other = self.fingerprints.get(row["article_id"]) if row else None
        return other is not None and compare(fp, other).same_story

    def _originals(self, stories) -> dict:
        """{story_id: original_id} of the stories."""
        ids = list(stories)
        if not ids:
            return {}
        rows = self.conn.execute(
            f"SELECT id, original_id FROM stories WHERE id IN ({','.join('?' * len(ids))})",
            ids).fetchall()
        return {sid: original for sid, original in rows}

    def _other_member(self, story_id, original, cands, longest=True,
                      longer_than=-1) -> int | None:
        """A member of the story other than its original: with longest, a member longer than
        `longer_than` characters (a notice filling a template is longer than it), the best
        candidate, else the longest member; else the shortest (a template is shorter than the
        notices filling it)."""
        others = [c for c in cands if c.article_id != original
                  and (not longest or (c.norm_len or 0) > longer_than)]
        if others:
            return (others[0] if longest else
                    min(others, key=lambda c: (c.norm_len or 0, c.article_id))).article_id
        row = one(self.conn, "SELECT article_id FROM syn_docs WHERE story_id = ? AND "
                             "article_id != ? AND norm_len > ? ORDER BY norm_len * ?, article_id "
                             "LIMIT 1",
                  [story_id, original, longer_than if longest else -1, -1 if longest else 1])
        return row["article_id"] if row else None
