"""`aggregator import`: article items given as JSON lines, through the crawl's own pipelines.

    import_file(path, db_path, *, new_sites=False, max_item_bytes=..., warn=None) -> counts
        path: a JSON-lines file, or "-" for stdin
        counts: {"crawl_id", "new", "updated", "unchanged", "duplicate", "rejects"}

Every line is checked before it reaches a pipeline, and a bad line becomes one `rejects`
row whose reason starts with "line N: "; the import then goes on with the next line:
a line over `max_item_bytes` (never parsed, never held whole in memory), JSON that does
not parse (nested too deep included), a field of the wrong type, a URL that is not
http(s), a site that is neither registered nor in the database (unless `new_sites`), a
`published_at` no date can be read from, a body over MAX_BODY_CHARS characters.
"""
from __future__ import annotations

import contextlib
import gc
import json
import re
import sys
from urllib.parse import urlsplit

from aggregator.items import ArticleItem
from aggregator.settings import AGGREGATOR_MAX_ITEM_BYTES as DEFAULT_MAX_ITEM_BYTES
from aggregator.sites import project_settings, site_classes

# no news article is this long; a longer body is a broken export, and it would cost the
# full-text index (and every page that shows the article) for nothing
MAX_BODY_CHARS = 200_000
# an oversized line is skipped in pieces of this size, so it never sits in memory whole
_SKIP_CHUNK = 1024 * 1024
# fields given as lists or objects; every other field is a string (or null)
_LIST_FIELDS = {"people", "continuation_pages"}
_DICT_FIELDS = {"selectors"}
# articles a commit of the import holds: a commit's search rows go into one FTS5 segment (the
# index's pending tokens may take 64 MiB, aggregator/search.py) and its stories are assigned
# together; 2,000 cost less per article than 500 (bench/import.py). A crash loses at most the
# articles since the last commit, which an import run again stores
COMMIT_ARTICLES = 2000
# while importing, a full pass of Python's cyclic garbage collector is considered after this many
# passes of its middle generation instead of 10 (gc.set_threshold): a full pass walks every object
# alive, the story index's in-memory buckets and fingerprints included, and an import makes
# little cyclic garbage (~5 objects an article, freed at the rarer full passes); the objects
# alive when the import starts (modules, tables) are left out of every pass (gc.freeze)
FULL_COLLECTION_EVERY = 100
# how much of a bad value a reject's detail keeps
_DETAIL_CHARS = 300
# whitespace (str.isspace) or a control character (Unicode category Cc: U+0000-001F, U+007F-009F)
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


class BadLine(Exception):
    """A line that must not be stored: its reject reason (without the "line N: " prefix)
    and, optionally, a detail."""

    def __init__(self, reason, detail=None):
        super().__init__(reason)
        self.reason, self.detail = reason, detail


# the crawl's pipelines ---------------------------------------------------------------
def item_pipelines(db_path, crawl_id=None):
    """The crawl's own pipelines, in the crawl's order, for items that do not come from a spider."""
    from scrapy.utils.misc import load_object

    from pipelines.store import StorePipeline

    settings = project_settings()
    chain = []
    for path, _ in sorted(settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1]):
        cls = load_object(path)
        chain.append(cls(db_path, crawl_id=crawl_id) if issubclass(cls, StorePipeline) else cls())
    return chain


def run_pipelines(chain, item):
    """Pass one item through the chain; returns (item, None) or (None, drop reason)."""
    from scrapy.exceptions import DropItem

    for pipeline in chain:
        try:
            item = pipeline.process_item(item)
        except DropItem as drop:
            return None, str(drop) or "dropped"
    return item, None


# reading lines -----------------------------------------------------------------------
def read_lines(stream, max_bytes):
    """(line number, line bytes or None, size in bytes) for each line of a binary stream.

    A line over `max_bytes` (its end of line not counted) comes as None with its size:
    at most max_bytes + 1 bytes of it are read at once, the rest is skipped in chunks."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        body = line.rstrip(b"\r\n")
        if len(body) <= max_bytes:
            yield number, body, len(body)
            continue
        size, ended = len(body), line.endswith(b"\n")
        while not ended:
            chunk = stream.readline(_SKIP_CHUNK)
            if not chunk:
                break
            ended = chunk.endswith(b"\n")
            size += len(chunk.rstrip(b"\r\n")) if ended else len(chunk)
        # (a CRLF split between two reads counts its "\r": the size is for the reason only)
        yield number, None, size


def parse_line(raw: bytes) -> dict:
    """One line as a JSON object, or BadLine "invalid JSON (...)"."""
    try:
        record = json.loads(raw.decode("utf-8-sig"))  # -sig: a BOM some editors write
    except RecursionError:  # `[[[[...` deeper than Python's recursion limit
        raise BadLine("invalid JSON (nested too deep)") from None
    except UnicodeDecodeError as exc:
        raise BadLine("invalid JSON (not UTF-8)", str(exc)) from None
    except ValueError as exc:  # json.JSONDecodeError, an integer of too many digits
        raise BadLine(f"invalid JSON ({str(exc)[:120]})", str(exc)) from None
    if not isinstance(record, dict):
        raise BadLine(f"invalid JSON (not a JSON object but {_json_type(record)})")
    return record


# checking one record -------------------------------------------------------------------
def _json_type(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


def check_types(record, fields):
    """BadLine naming the first known field whose value has the wrong type."""
    for field in sorted(set(record) & fields):
        value = record[field]
        if value is None:
            continue
        if field == "attachments":
            # entries (objects or URLs) are validated by the extract stage, which drops bad ones
            if not isinstance(value, list):
                raise BadLine(f"attachments must be a list, not {_json_type(value)}")
            continue
        if field in _LIST_FIELDS:
            if not isinstance(value, list):
                raise BadLine(f"{field} must be a list, not {_json_type(value)}")
            for entry in value:
                if field == "people" and isinstance(entry, dict):
                    if not isinstance(entry.get("name"), str) or not isinstance(entry.get("role"), (str, type(None))) \
                            or not isinstance(entry.get("label"), (str, type(None))):
                        raise BadLine("people: each {name, role, label} must be strings")
                elif not isinstance(entry, str):
                    raise BadLine(f"{field}: an entry is {_json_type(entry)}")
        elif field in _DICT_FIELDS:
            if not isinstance(value, dict) or not all(isinstance(v, (str, type(None))) for v in value.values()):
                raise BadLine(f"{field} must be an object of strings, not {_json_type(value)}")
        elif not isinstance(value, str):
            raise BadLine(f"{field} must be a string, not {_json_type(value)}")


def check_url(url: str):
    """BadLine "not an http(s) URL" unless `url` is http(s) with a host and no whitespace or
    control characters (javascript:, file:, data: and mistyped URLs must not become articles)."""
    bad = BadLine("not an http(s) URL", url[:_DETAIL_CHARS])
    if _SPACE_OR_CONTROL.search(url):
        raise bad
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # an unbalanced "[" of an IPv6 host
        raise bad from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise bad


def check_date(value):
    """BadLine "unreadable date" when the normalize pipeline would read no date from a given
    `published_at` (it would then silently store the URL's date or none)."""
    # the normalize pipeline's own reading (remembered for it), so the check and the stored
    # date cannot disagree and the text is read once
    from aggregator.normalize import read_date

    if value and not read_date(value):
        raise BadLine(f"unreadable date {value[:80]!r}", value[:_DETAIL_CHARS])


def check_body(body):
    if body and len(body) > MAX_BODY_CHARS:
        raise BadLine(f"body of {len(body)} characters (over {MAX_BODY_CHARS})")


# the import ------------------------------------------------------------------------------
class _Sites:
    """Which site names may be imported: the registered spiders' and the database's own."""

    def __init__(self, store, new_sites):
        self.store, self.new_sites = store, new_sites
        self.registered = {cls.name: cls for cls in site_classes(include_demo=True)}
        self.present = set()  # names known to have their row (rows are never deleted)

    def require(self, name):
        """Make sure the site has its `sites` row, or BadLine when it is unknown."""
        if name in self.present:
            return
        if self.store.db["sites"].count_where("name = ?", [name]):
            self.present.add(name)
            return
        if name in self.registered:
            self.store.sync_sites([self.registered[name].registry_row()])
        elif self.new_sites:
            self.store.sync_sites([{"name": name, "display_name": name}])
        else:
            raise BadLine(f"unknown site {name[:80]} (use --new-sites to add it)")
        self.present.add(name)


@contextlib.contextmanager
def fewer_full_collections():
    """The cyclic garbage collector's full passes made rare for the block (FULL_COLLECTION_EVERY),
    the objects alive before it frozen out of them; both undone afterwards."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], FULL_COLLECTION_EVERY))
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def finish_run(store, crawl_id, counts):
    """Close the crawls row of a run that fetched nothing (an import, a reprocess) with its counts."""
    store.finish_crawl(crawl_id, status="finished", counts={
        "articles_new": counts["new"], "articles_updated": counts["updated"],
        "articles_unchanged": counts["unchanged"], "duplicates": counts["duplicate"],
        "rejects": counts["rejects"], "pages_fetched": 0, "errors": 0},
        stats={k: v for k, v in counts.items() if k != "crawl_id"})


def import_file(path, db_path, *, new_sites=False, max_item_bytes=DEFAULT_MAX_ITEM_BYTES, warn=None) -> dict:
    """Import a JSON-lines file (or "-": stdin) into the database; returns the counts."""
    warn = warn or (lambda message: print(message, file=sys.stderr))
    chain = item_pipelines(db_path)
    store_pipeline = chain[-1]
    store = store_pipeline.store
    crawl_id = store_pipeline.crawl_id = store.start_crawl([f"import:{path}"])
    counts = {"crawl_id": crawl_id, "new": 0, "updated": 0, "unchanged": 0, "duplicate": 0, "rejects": 0}
    fields = set(ArticleItem.fields)
    sites = _Sites(store, new_sites)
    stream = sys.stdin.buffer if str(path) == "-" else open(path, "rb")
    try:
        with fewer_full_collections(), stream, store.bulk(every=COMMIT_ARTICLES):
            for number, raw, size in read_lines(stream, max_item_bytes):
                if raw is not None and not raw.strip():
                    continue
                url, site = f"{path}#{number}", None
                try:
                    if raw is None:
                        raise BadLine(f"{size} bytes, over AGGREGATOR_MAX_ITEM_BYTES ({max_item_bytes})")
                    record = parse_line(raw)
                    if not record.get("url") or not record.get("site"):
                        raise BadLine("url and site are required")
                    check_types(record, fields)
                    check_url(record["url"])
                    url, site = record["url"], record["site"]
                    sites.require(site)
                    check_date(record.get("published_at"))
                    check_body(record.get("body"))
                    unknown = sorted(set(record) - fields)
                    if unknown:
                        warn(f"line {number}: ignoring unknown field(s) {', '.join(unknown)}")
                    item = ArticleItem({k: v for k, v in record.items() if k in fields})
                    item, reason = run_pipelines(chain[:-1], item)
                    if reason:
                        # a pipeline's drop keeps the reason a crawl gives ("no body"), so the
                        # two count together; the line number goes into the detail
                        store_pipeline.reject(url, site, reason, f"line {number}")
                        counts["rejects"] += 1
                        continue
                    check_body(item.get("body"))  # a body extracted from `html`
                except BadLine as bad:
                    store_pipeline.reject(url, site, f"line {number}: {bad.reason}", bad.detail)
                    counts["rejects"] += 1
                    continue
                _, status = store.upsert_article(dict(item), crawl_id=crawl_id)
                counts[status] += 1
        finish_run(store, crawl_id, counts)
    finally:
        store.close()
    return counts
