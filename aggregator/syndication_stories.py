"""Stories: electing a story's original, merging stories an article bridges, rewriting the
members' story_id / similarity / lag_hours / credits_original, and the `stories` row's
aggregates.

The original is the earliest published_at (first_seen when there is none); ties by first seen,
then by id. When stories merge, the lowest story id survives, the others' rows are deleted, and
the original is elected again among all members.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

from aggregator.syndication import Fingerprint, fingerprint, shared_count
from aggregator.syndication_credits import credit_evidence, org_aliases
from aggregator.syndication_lookup import Fingerprints, Match
from aggregator.syndication_schema import named, one

__all__ = ["ARTICLE_COLUMNS", "Stories", "Credits", "order_key"]

_CST = timezone(timedelta(hours=8))
ARTICLE_COLUMNS = ("id", "site", "title", "body", "source", "published_at", "first_seen")


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


def order_key(art) -> tuple:
    """Original election: earliest published_at (first_seen when there is none); ties by first
    seen, then by id."""
    p, f = _epoch(art["published_at"]), _epoch(art["first_seen"])
    when = p if p is not None else f
    return (when if when is not None else math.inf, f if f is not None else math.inf, art["id"])


def coverage(original: Fingerprint | None, copy: Fingerprint | None) -> float | None:
    """Share of the original's shingles the copy carries (1.0 for a full copy, ~0.6 for a copy
    cut to its first 60%)."""
    if original is None or copy is None:
        return None
    if original.digest == copy.digest:
        return 1.0
    inter = shared_count(original.unique, copy.unique)
    return round(inter / len(original.unique), 4)


def lag_hours(copy_pub, orig_pub) -> float | None:
    a, b = _epoch(copy_pub), _epoch(orig_pub)
    if a is None or b is None:
        return None
    return round((a - b) / 3600.0, 2)


class Credits:
    """Whether a copy names its original's publisher (source, or the site's display name or
    name, in any of their spellings). Names and spellings are cached until reset()."""

    def __init__(self, conn):
        self.conn = conn
        self._names = {}    # site: its display names
        self._aliases = {}  # name: the spellings it is credited under

    def reset(self) -> None:
        self._names, self._aliases = {}, {}

    def site_names(self, site) -> list:
        if site not in self._names:
            try:
                row = one(self.conn, "SELECT display_name FROM sites WHERE name = ?", [site])
                name = row["display_name"] if row else None
            except Exception:  # no sites table (tests, bench)
                name = None
            self._names[site] = [n for n in (name, site) if n]
        return self._names[site]

    def of(self, copy, original) -> int:
        return self.explain(copy, original)[0]

    def explain(self, copy, original) -> tuple[int, str]:
        """(credits_original, how an editor sees it: "credited 来源：…", "uncredited" …)."""
        if copy["site"] and copy["site"] == original["site"]:
            return 1, "same site as the original"
        aliases = set()
        for name in [original["source"]] + self.site_names(original["site"]):
            if name not in self._aliases:
                self._aliases[name] = org_aliases(name)
            aliases |= self._aliases[name]
        where = credit_evidence(copy["source"], copy["body"], aliases)
        return (1, f"credited {where}") if where else (0, "uncredited")


class Stories:
    def __init__(self, conn, fingerprints: Fingerprints):
        self.conn = conn
        self.credits = Credits(conn)
        self.fingerprints = fingerprints

    # --- rows -------------------------------------------------------------------------------
    def article(self, article_id) -> dict | None:
        row = one(self.conn, f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE id = ?",
                  [article_id])
        return dict(row) if row is not None else None

    def members(self, story_id) -> list:
        return [r["article_id"] for r in named(
            self.conn, "SELECT article_id FROM syn_docs WHERE story_id = ?", [story_id])]

    def write_article(self, article_id, story_id, similarity, lag, credited,
                      reason=None) -> None:
        """The member's columns in `articles`, and in syn_docs.reason how it joined its story
        (syn_docs.matched) with its credit, as the editors' views show it."""
        self.conn.execute(
            "UPDATE articles SET story_id = ?, similarity = ?, lag_hours = ?, "
            "credits_original = ? WHERE id = ?",
            [story_id, similarity, lag, credited, article_id])
        if reason is None:  # the story's original (a template kept apart says why)
            self.conn.execute(
                "UPDATE syn_docs SET reason = CASE WHEN matched LIKE '%: kept apart' "
                "THEN 'original of its own story: ' || matched ELSE 'original of the story' END "
                "WHERE article_id = ?", [article_id])
        else:
            self.conn.execute(
                "UPDATE syn_docs SET reason = coalesce(matched, 'joined when its story merged') "
                "|| '; ' || ? WHERE article_id = ?", [reason, article_id])

    def record_merge(self, keep, folded, article_id, how: dict) -> None:
        """One syn_merges row per story folded into `keep`, with how the article matched it."""
        self.conn.executemany(
            "INSERT INTO syn_merges (story_id, merged_story_id, article_id, reason) "
            "VALUES (?, ?, ?, ?)",
            [(keep, sid, article_id, how.get(sid)) for sid in folded if sid != keep])

    def create(self, art) -> int:
        """A new story with `art` its original; returns its id."""
        return self.conn.execute(
            "INSERT INTO stories (original_id, original_site, title, published_at, "
            "first_seen, last_seen, sites, copies) VALUES (?, ?, ?, ?, ?, ?, 1, 0)",
            [art["id"], art["site"], art["title"], art["published_at"],
             art["first_seen"], art["first_seen"]]).lastrowid

    def refresh(self, story_id, original) -> None:
        # one statement: the story's original and its member aggregates (row-value SET)
        self.conn.execute(
            "UPDATE stories SET original_id = ?, original_site = ?, title = ?, published_at = ?, "
            "(first_seen, last_seen, sites, copies) = (SELECT min(first_seen), max(first_seen), "
            "count(DISTINCT site), max(count(*) - 1, 0) FROM syn_docs WHERE story_id = ?) "
            "WHERE id = ?",
            [original["id"], original["site"], original["title"], original["published_at"],
             story_id, story_id])

    def original_of(self, story_id, matched):
        """The story's original (without its body, which nobody reads here) and, unless it is
        the matched article whose fingerprint the caller holds, its fingerprint: one query."""
        row = one(self.conn,
                  "SELECT a.id, a.site, a.title, a.source, a.published_at, a.first_seen, "
                  "CASE WHEN a.id = ? THEN NULL ELSE a.body END AS fp_body FROM stories s "
                  "JOIN articles a ON a.id = s.original_id WHERE s.id = ?",
                  [matched, story_id])
        if row is None:
            return None, None
        original = dict(row)
        body = original.pop("fp_body")
        ofp = (self.fingerprints.of(original["id"], body, original["title"])
               if body is not None else None)
        return original, ofp

    def result(self, article_id, matched=None, merged=()) -> dict:
        """assign()'s answer for an article, as stored."""
        row = one(self.conn,
                  "SELECT a.story_id, s.original_id, a.similarity, a.lag_hours, "
                  "a.credits_original FROM articles a LEFT JOIN stories s ON s.id = a.story_id "
                  "WHERE a.id = ?", [article_id])
        return {"story_id": row["story_id"], "is_original": row["original_id"] == article_id,
                "similarity": row["similarity"], "lag_hours": row["lag_hours"],
                "credits_original": row["credits_original"],
                "matched_article_id": matched, "merged_story_ids": list(merged)}

    # --- election ---------------------------------------------------------------------------
    def recompute(self, story_id, original=None, known=None):
        """Elect the original among the members and rewrite every member's columns.
        known: {article_id: Fingerprint} the caller already holds (not computed again)."""
        known = known or {}

        def fp_of(m):
            if m["id"] in known:
                return known[m["id"]]
            return self.fingerprints.of(m["id"], m["body"], m["title"])

        members = [self.article(a) for a in self.members(story_id)]
        members = [m for m in members if m]
        if not members:
            self.conn.execute("DELETE FROM stories WHERE id = ?", [story_id])
            return None
        if original is None:
            original = min(members, key=order_key)
        ofp = fp_of(original)
        for m in members:
            if m["id"] == original["id"]:
                self.write_article(m["id"], story_id, 1.0, 0.0 if m["published_at"] else None,
                                   None)
            else:
                credited, why = self.credits.explain(m, original)
                self.write_article(m["id"], story_id, coverage(ofp, fp_of(m)),
                                   lag_hours(m["published_at"], original["published_at"]),
                                   credited, why)
        self.refresh(story_id, original)
        return original

    def merge(self, story_ids) -> int:
        """Fold stories into the one with the lowest id and delete the others' rows; the caller
        recomputes the surviving story (its original and every member's columns)."""
        keep, *others = sorted(set(story_ids))
        for sid in others:
            self.conn.execute("UPDATE syn_docs SET story_id = ? WHERE story_id = ?", [keep, sid])
            self.conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", [keep, sid])
            self.conn.execute("DELETE FROM stories WHERE id = ?", [sid])
        return keep

    def place_original(self, art, story_id) -> dict:
        """An article that matched nothing: the original of its new story."""
        lag = 0.0 if art["published_at"] else None
        self.write_article(art["id"], story_id, 1.0, lag, None)
        return {"story_id": story_id, "is_original": True, "similarity": 1.0,
                "lag_hours": lag, "credits_original": None, "matched_article_id": None,
                "merged_story_ids": []}

    def place_copy(self, art, fp, story_id, match: Match, folded) -> dict:
        """An article that matched `match` joins story_id (already merged from `folded`, when
        it bridged stories): elect the original again if needed, else write it as a copy."""
        matched, mfp = match.article_id, match.fingerprint
        known = {art["id"]: fp, matched: mfp}
        if folded:  # elect the merged story's original among all its members
            self.recompute(story_id, known=known)
            return self.result(art["id"], matched, folded[1:])
        original, ofp = self.original_of(story_id, matched)
        if original is None or order_key(art) < order_key(original):
            # an earlier copy found later
            self.recompute(story_id, original=art, known=known)
            return self.result(art["id"], matched)
        if original["id"] == matched:
            ofp = mfp
        elif ofp is None:
            ofp = self.fingerprints.get(original["id"])
        sim = coverage(ofp, fp)
        lag = lag_hours(art["published_at"], original["published_at"])
        credited, why = self.credits.explain(art, original)
        self.write_article(art["id"], story_id, sim, lag, credited, why)
        self.refresh(story_id, original)
        return {"story_id": story_id, "is_original": False, "similarity": sim,
                "lag_hours": lag, "credits_original": credited,
                "matched_article_id": matched, "merged_story_ids": []}
