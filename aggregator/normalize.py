"""The normalization policy: bylines -> people with roles, date text -> ISO 8601 (+08:00),
source (来源), titles folded to one line. Pure functions over an item's fields (a dict); the
Scrapy pipeline (pipelines/normalize.py) is a thin adapter.

Extraction already normalizes what it finds on a page; this stage fills what is still raw
(imported items, a listing's date) and leaves a trace in the *_signal fields."""
from __future__ import annotations

import functools
from datetime import datetime

from aggregator.bylines import parse_byline
from aggregator.dates import CHINA_TZ, ParsedDate, date_from_url, parse_date

# the same byline texts come again and again (a site's editors, the outlets named as 来源):
# each is parsed once. The Byline is shared by every caller, so this module only reads it
_byline = functools.lru_cache(maxsize=8192)(parse_byline)


def normalize_item(fields: dict) -> dict:
    """A normalized copy of an item's fields (the argument is left as it is)."""
    out = dict(fields)
    out["title"] = fold(out.get("title")) or None
    out.update(normalize_people(out))
    out.update(normalize_published(out))
    out.update(normalize_source(out))
    return out


def fold(text):
    """Whitespace runs (newlines included) -> one space; anything not a string as it is."""
    return " ".join(text.split()) if isinstance(text, str) else text


def normalize_source(fields: dict) -> dict:
    """The fields to change: the source as a byline parser reads "来源：…" (the raw text kept)."""
    if not fields.get("source"):
        return {}
    byline = _byline(f"来源：{fields['source']}")
    changes = {"source": byline.source if byline and byline.source else fold(fields["source"])}
    if "source_raw" not in fields:
        changes["source_raw"] = fields["source"]
    return changes


def normalize_people(fields: dict) -> dict:
    """The fields to change: people as [{"name", "role", "label"}], unique by (name, role), from
    the given people (dicts, or strings like "记者 张三") or else from the raw byline, which may
    also give the source and the date text when those are missing."""
    changes: dict = {}
    people = []
    for person in fields.get("people") or []:
        if isinstance(person, str):       # imported "记者 张三" or a bare name
            byline = _byline(person)
            if byline and byline.people:
                people += [p.as_dict() for p in byline.people]
            elif person.strip():
                people.append({"name": person.strip(), "role": "author", "label": None})
        elif isinstance(person, dict) and person.get("name"):
            people.append({"name": person["name"].strip(), "role": person.get("role") or "author",
                           "label": person.get("label")})
    if not people and fields.get("byline_raw"):
        byline = _byline(fields["byline_raw"])
        if byline:
            people = [p.as_dict() for p in byline.people]
            if byline.people:
                changes["people_signal"] = fields.get("people_signal") or "byline"
            if byline.source and not fields.get("source"):
                changes["source"], changes["source_signal"] = byline.source, "byline"
            if byline.date_text and not fields.get("published_at"):
                changes["published_raw"], changes["published_signal"] = byline.date_text, "byline"
    unique = {(p["name"], p["role"]): p for p in people}
    changes["people"] = list(unique.values())
    return changes


def normalize_published(fields: dict) -> dict:
    """The fields to change: published_at as ISO 8601 from the first of the given value, the raw
    date text and the listing's date that parses (relative to fetched_at), else from the URL;
    with its precision, the text it came from and the signal that gave it."""
    fetched = fields.get("fetched_at")
    now = datetime.fromisoformat(fetched) if fetched else None
    candidates = [(fields.get("published_at"), fields.get("published_signal") or "given"),
                  (fields.get("published_raw"), fields.get("published_signal") or "raw"),
                  (fields.get("listing_date"), "listing")]
    for text, signal in candidates:
        if not text:
            continue
        parsed = read_date(text, now)
        if parsed:
            return {"published_at": parsed.iso,
                    "published_precision": fields.get("published_precision") or parsed.precision,
                    "published_raw": fields.get("published_raw") or text,
                    "published_signal": signal}
    parsed = date_from_url(fields["url"])
    if not parsed:
        return {"published_at": None}
    return {"published_at": parsed.iso, "published_precision": parsed.precision,
            "published_raw": fields["url"], "published_signal": "url"}


def read_date(text, now=None):
    """The date a text gives, as normalize_published reads it: ISO 8601 kept as it is, else the
    first date parse_date finds (relative to `now`). The last reading is remembered: the import
    checks an item's date (aggregator.importer.check_date) just before this stage reads it again,
    and the two readings are one (a relative date read at the check's moment)."""
    key = (text, now)
    last = _last_reading[0]  # one (key, reading) pair, read and replaced whole
    if last[0] == key:
        return last[1]
    parsed = parse_iso(text) or parse_date(text, now=now)
    _last_reading[0] = (key, parsed)
    return parsed


# [((text, now), its reading)] of read_date's last call (ParsedDate is immutable, so one shared)
_last_reading: list = [(None, None)]


def parse_iso(text):
    """An ISO 8601 value as produced by the extractor (kept as is; +08:00 when naive)."""
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if "T" not in text and " " not in text:
        precision = "day"
    else:
        precision = "second" if value.second else "minute"
    return ParsedDate(value if value.tzinfo else value.replace(tzinfo=CHINA_TZ), precision)
