"""Bylines -> people with roles, date text -> ISO 8601 (+08:00), source (来源).

Extraction already normalizes what it finds on a page; this stage fills what is still
raw (imported items, a listing's date) and leaves a trace in the *_signal fields."""
from __future__ import annotations

from datetime import datetime

from itemadapter import ItemAdapter

from aggregator.bylines import parse_byline
from aggregator.dates import CHINA_TZ, ParsedDate, date_from_url, parse_date
from pipelines import one_bad_page


def _fold(text):
    return " ".join(text.split()) if isinstance(text, str) else text


class NormalizePipeline:
    @one_bad_page("normalize")
    def process_item(self, item, spider=None):
        adapter = ItemAdapter(item)
        adapter["title"] = _fold(adapter.get("title")) or None
        self.normalize_people(adapter)
        self.normalize_published(adapter)
        if adapter.get("source"):
            byline = parse_byline(f"来源：{adapter['source']}")
            adapter.setdefault("source_raw", adapter["source"])
            adapter["source"] = (byline.source if byline and byline.source else _fold(adapter["source"]))
        return item

    @staticmethod
    def normalize_people(adapter):
        people = []
        for person in adapter.get("people") or []:
            if isinstance(person, str):       # imported "记者 张三" or a bare name
                byline = parse_byline(person)
                if byline and byline.people:
                    people += [p.as_dict() for p in byline.people]
                elif person.strip():
                    people.append({"name": person.strip(), "role": "author", "label": None})
            elif isinstance(person, dict) and person.get("name"):
                people.append({"name": person["name"].strip(), "role": person.get("role") or "author",
                               "label": person.get("label")})
        if not people and adapter.get("byline_raw"):
            byline = parse_byline(adapter["byline_raw"])
            if byline:
                people = [p.as_dict() for p in byline.people]
                if byline.people:
                    adapter["people_signal"] = adapter.get("people_signal") or "byline"
                if byline.source and not adapter.get("source"):
                    adapter["source"], adapter["source_signal"] = byline.source, "byline"
                if byline.date_text and not adapter.get("published_at"):
                    adapter["published_raw"], adapter["published_signal"] = byline.date_text, "byline"
        unique = {(p["name"], p["role"]): p for p in people}
        adapter["people"] = list(unique.values())

    @staticmethod
    def normalize_published(adapter):
        fetched = adapter.get("fetched_at")
        now = datetime.fromisoformat(fetched) if fetched else None
        given = adapter.get("published_at")
        candidates = [(given, adapter.get("published_signal") or "given"),
                      (adapter.get("published_raw"), adapter.get("published_signal") or "raw"),
                      (adapter.get("listing_date"), "listing")]
        for text, signal in candidates:
            if not text:
                continue
            parsed = _parse_iso(text) or parse_date(text, now=now)
            if parsed:
                adapter["published_at"] = parsed.iso
                adapter["published_precision"] = adapter.get("published_precision") or parsed.precision
                adapter["published_raw"] = adapter.get("published_raw") or text
                adapter["published_signal"] = signal
                return
        parsed = date_from_url(adapter["url"])
        adapter["published_at"] = parsed.iso if parsed else None
        if parsed:
            adapter.update({"published_precision": parsed.precision, "published_raw": adapter["url"],
                            "published_signal": "url"})


def _parse_iso(text):
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
