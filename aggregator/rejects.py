"""The rejects ledger's policy: which failures are worth trying again, and when.

One `rejects` row per URL (aggregator/store.py keeps it: reason, first_seen, last_seen,
attempts, kind, next_attempt). A transient failure (a timeout or other fetch error, a 5xx,
a 429, a server asking to wait, an anti-bot challenge) is tried again in a later run, after a
gap that doubles with each attempt; a permanent one (404, 410, not an article, off-site, too
large, a page the extractor refused) is tried again only after weeks, also doubling, so a
scheduled crawl does not fetch the same dead link every run but a page that comes back is
found eventually.

    reject_kind(reason) -> "transient" | "permanent" | None
    retry_gap(kind, attempts) -> timedelta | None
    next_attempt(kind, attempts, last_seen) -> ISO 8601 string | None
    is_due(next_attempt, now) -> bool | None
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

# reasons (as spiders/base.py and the pipelines word them) of failures that may pass
_TRANSIENT = re.compile(
    r"^(?:fetch error|http (?:5\d\d|429|408|425)\b|blocked:|store error)", re.I)
TRANSIENT_FIRST_GAP = timedelta(hours=1)
TRANSIENT_LONGEST_GAP = timedelta(days=7)
PERMANENT_FIRST_GAP = timedelta(days=30)
PERMANENT_LONGEST_GAP = timedelta(days=180)
_GAPS = {"transient": (TRANSIENT_FIRST_GAP, TRANSIENT_LONGEST_GAP),
         "permanent": (PERMANENT_FIRST_GAP, PERMANENT_LONGEST_GAP)}


def reject_kind(reason) -> str | None:
    """'transient' for a failure that may pass by the next run, 'permanent' for the rest;
    None when there is no reason."""
    if not isinstance(reason, str) or not reason.strip():
        return None
    # an import line's reason is "line N: why"; what counts is the why
    why = re.sub(r"^line \d+: ", "", reason.strip())
    return "transient" if _TRANSIENT.match(why) else "permanent"


def retry_gap(kind, attempts) -> timedelta | None:
    """How long after the attempts-th failure the URL is tried again: the first gap,
    doubled with every further attempt, at most the longest gap."""
    if kind not in _GAPS or not isinstance(attempts, int) or attempts < 1:
        return None
    first, longest = _GAPS[kind]
    return min(first * 2 ** min(attempts - 1, 16), longest)


def next_attempt(kind, attempts, last_seen) -> str | None:
    """The ISO 8601 time from which the URL may be fetched again."""
    gap = retry_gap(kind, attempts)
    when = _parse(last_seen)
    if gap is None or when is None:
        return None
    return (when + gap).isoformat(timespec="seconds")


def is_due(next_attempt_at, now) -> bool | None:
    """May the URL be fetched at `now` (an aware datetime or ISO string)? None on bad input."""
    when, now = _parse(next_attempt_at), _parse(now)
    if when is None or now is None:
        return None
    return now >= when


def _parse(value) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else None
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None
