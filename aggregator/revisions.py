"""What changed in a stored article, and when a stored article is looked at again.

    changed_fields(old, new, fields) -> [field, ...]
        the fields whose new value differs from the stored one; a field the new fetch did not
        give (None) is not a change (the stored value stays)
    revision_row(article_id, old, fields, crawl_id, when) -> dict
        the `article_revisions` row: which fields changed, and their old values (JSON)
    recheck_due(born, last_checked, now, max_days) -> bool | None
        is an article published (or first seen) at `born`, last fetched at `last_checked`,
        due for a recheck at `now`? Only while younger than max_days; the gap between two
        checks is half the article's age (at least an hour), so a new article is looked at
        every run or two and a week-old one every few days: about eight checks in a week.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta

# a change in one of these is a new revision of the article
REVISED_FIELDS = ("title", "body", "published_at", "byline_raw", "source")
SHORTEST_GAP = timedelta(hours=1)


def changed_fields(old, new, fields=REVISED_FIELDS) -> list[str] | None:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return None
    return [field for field in fields
            if new.get(field) not in (None, "") and new.get(field) != old.get(field)]


def revision_row(article_id, old, fields, crawl_id, when) -> dict | None:
    if not isinstance(old, dict) or not fields:
        return None
    return {"article_id": article_id, "revised_at": when, "crawl_id": crawl_id,
            "fields": json.dumps(list(fields)),
            "old_values": json.dumps({field: old.get(field) for field in fields}, ensure_ascii=False)}


def recheck_gap(age: timedelta) -> timedelta | None:
    if not isinstance(age, timedelta):
        return None
    return max(age / 2, SHORTEST_GAP)


def recheck_due(born, last_checked, now, max_days) -> bool | None:
    born, last_checked, now = _moment(born), _moment(last_checked), _moment(now)
    if born is None or now is None or not isinstance(max_days, (int, float)):
        return None
    age = max(now - born, timedelta(0))
    if max_days <= 0 or age > timedelta(days=max_days):
        return False
    if last_checked is None:
        return True
    return now - last_checked >= recheck_gap(age)


def _moment(value) -> datetime | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    return None
