"""The SQLite store: one file, WAL mode, one writer, written through sqlite-utils.

Tables (DESIGN.md): sites, articles, people + article_people(role), stories,
url_aliases, crawls (one row per run with Scrapy's stats), rejects (every page
that did not become an article, with the reason). Storing the same article
again never adds a row: it updates ``last_seen`` (and the fields, if changed).
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import sqlite3
import time
from datetime import datetime
from pathlib import Path

import sqlite_utils

from aggregator import rejects, revisions
from aggregator.attachments import clean_attachments
from aggregator.dates import CHINA_TZ
from aggregator.search import SEARCH_TABLE_SETTINGS, SEARCH_TABLE_SQL, search_tokens, search_tokens_many
from aggregator.syndication import content_hash_normalized, normalize_body
from aggregator.syndication_index import StoryIndex
from aggregator.urls import canonical_url

logger = logging.getLogger(__name__)

# the article columns an item may fill, in table order
ARTICLE_FIELDS = (
    "url", "site", "section", "title", "body", "byline_raw", "source", "source_raw",
    "published_at", "published_raw", "published_precision",
    "title_signal", "body_signal", "people_signal", "source_signal", "published_signal",
    "encoding", "content_hash",
)
# a change in one of these makes a stored article "updated"
CONTENT_FIELDS = ("title", "body", "source", "published_at", "section", "byline_raw")
# inside bulk(): the WAL is copied into the database once it holds this many pages (64 MB of
# 4 KiB pages) instead of SQLite's 1,000: the pages a bulk load writes again and again (the
# full-text index, the indexes' upper levels) are copied once per checkpoint, not at every
# commit. Durability is the same (WAL, synchronous=NORMAL); readers see a longer WAL meanwhile
BULK_WAL_PAGES = 16_000
# once a checkpoint has copied the WAL back, the next write truncates the -wal file to this
# size, so a long crawl or import does not keep a 64 MB file beside the database
WAL_SIZE_LIMIT = 4 * 1024 * 1024

# newest first: the search's order, and the articles list's
PUBLISHED_INDEX_SQL = "create index if not exists idx_articles_published_at on articles (published_at)"


class WriterBusy(RuntimeError):
    """Another process is already writing this database (a crawl still running from the last cron slot)."""


@contextlib.contextmanager
def single_writer(path):
    """Hold the database's writer lock (`<db>.lock`, an flock released when the process ends,
    however it ends) for the duration; WriterBusy when another process holds it. Once held,
    crawl rows a killed run left `running` are marked `interrupted`."""
    lock_path = Path(f"{path}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise WriterBusy(f"{path} is being written by {holder}") from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}")
        lock.flush()
        mark_interrupted(path)
        try:
            yield
        finally:
            lock.truncate(0)
            fcntl.flock(lock, fcntl.LOCK_UN)


def mark_interrupted(path) -> int:
    """Crawl rows still `running` when a new writer holds the lock belong to a run that was
    killed (SIGKILL, OOM, reboot) before it could finish: mark them `interrupted`. Only the
    lock holder may say so, as no other writer can be running then. Returns how many."""
    if not Path(path).exists():
        return 0
    conn = sqlite3.connect(path)
    try:
        if not conn.execute("select 1 from sqlite_master where name = 'crawls'").fetchone():
            return 0
        with conn:
            return conn.execute("update crawls set status = 'interrupted', finished_at = coalesce(finished_at, ?) "
                                "where status = 'running'", [now_iso()]).rowcount
    finally:
        conn.close()


def now_iso() -> str:
    return datetime.now(CHINA_TZ).isoformat(timespec="seconds")


class Store:
    def __init__(self, path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.enable_wal()
        # WAL + NORMAL: no fsync per commit; the database stays consistent after a crash and
        # at worst loses the last commits of a crawl, which the next run fetches again
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
        self.stories = StoryIndex(self.db)
        self.ensure_schema()
        self._bulk_every = self._bulk_pending = 0
        self._bulk_seconds, self._bulk_since = None, 0.0
        self._search_pending = {}  # inside bulk(): {article_id: None}, indexed at each commit
        # inside bulk(): {article_id: (body, title, the text its story fingerprints)}, assigned at
        # each commit; the body normalized once for its content hash and its story (assign_many)
        self._stories_pending = {}
        self._person_ids = {}  # people.name -> id, of rows written on this connection (forgotten on rollback)

    def close(self):
        self.db.close()

    # schema ---------------------------------------------------------------
    def ensure_schema(self):
        db = self.db
        db["sites"].create({
            "name": str, "display_name": str, "region": str, "cms": str,
            "start_urls": str, "allowed_domains": str, "demo": int,
        }, pk="name", if_not_exists=True)
        db["crawls"].create({
            "id": int, "started_at": str, "finished_at": str, "sites": str, "status": str,
            "pages_fetched": int, "articles_new": int, "articles_updated": int,
            "articles_unchanged": int, "duplicates": int, "rejects": int, "errors": int,
            "stats": str,
        }, pk="id", if_not_exists=True)
        self.stories.ensure_schema()
        db["articles"].create({
            "id": int, "url": str, "canonical_url": str, "site": str, "section": str, "title": str, "body": str,
            "byline_raw": str, "source": str, "source_raw": str,
            "published_at": str, "published_month": str, "published_raw": str, "published_precision": str,
            "title_signal": str, "body_signal": str, "people_signal": str,
            "source_signal": str, "published_signal": str, "encoding": str,
            "content_hash": str, "story_id": int, "similarity": float, "lag_hours": float,
            "credits_original": int, "first_seen": str, "last_seen": str,
            "first_crawl": int, "last_crawl": int, "removed_at": str,
        }, pk="id", not_null={"url", "site"}, if_not_exists=True, foreign_keys=[
            ("site", "sites", "name"), ("story_id", "stories", "id"),
            ("first_crawl", "crawls", "id"), ("last_crawl", "crawls", "id"),
        ])
        db["articles"].create_index(["canonical_url"], unique=True, if_not_exists=True)
        if "removed_at" not in db["articles"].columns_dict:  # a database made before the column
            db["articles"].add_column("removed_at", str)
        # an article's earlier versions: which fields a recheck (or import) changed, their old values
        db["article_revisions"].create({"id": int, "article_id": int, "revised_at": str, "crawl_id": int,
                                        "fields": str, "old_values": str}, pk="id", if_not_exists=True,
                                       foreign_keys=[("article_id", "articles", "id")])
        db["article_revisions"].create_index(["article_id"], if_not_exists=True)
        for cols in (["site", "published_at"], ["content_hash"], ["story_id"]):
            db["articles"].create_index(cols, if_not_exists=True)
        db["url_aliases"].create({"alias": str, "canonical_url": str, "article_id": int, "first_seen": str},
                                 pk="alias", if_not_exists=True,
                                 foreign_keys=[("article_id", "articles", "id")])
        db["url_aliases"].create_index(["canonical_url"], if_not_exists=True)
        db["people"].create({"id": int, "name": str}, pk="id", if_not_exists=True)
        db["people"].create_index(["name"], unique=True, if_not_exists=True)
        db["article_people"].create({"article_id": int, "person_id": int, "role": str, "label": str},
                                    pk=("article_id", "person_id", "role"), if_not_exists=True,
                                    foreign_keys=[("article_id", "articles", "id"),
                                                  ("person_id", "people", "id")])
        # documents an article links to (附件), recorded by URL, never downloaded
        db["attachments"].create({"id": int, "article_id": int, "url": str, "name": str, "type": str,
                                  "first_seen": str}, pk="id", not_null={"article_id", "url"},
                                 if_not_exists=True, foreign_keys=[("article_id", "articles", "id")])
        db["attachments"].create_index(["article_id", "url"], unique=True, if_not_exists=True)
        db["site_runs"].create({
            "id": int, "crawl_id": int, "site": str, "status": str, "reason": str, "finished_at": str,
            "listing_requests": int, "listing_failed": int, "listing_known": int, "article_links": int,
            "articles_new": int, "articles_updated": int, "articles_unchanged": int, "duplicates": int,
            "rejects": int, "blocked_listings": int, "blocked_pages": int,
            "rejects_by_reason": str, "http_statuses": str, "finish_reason": str,
            "title_coverage": float, "minute_coverage": float, "people_coverage": float,
            "source_coverage": float,
        }, pk="id", if_not_exists=True, foreign_keys=[("crawl_id", "crawls", "id"), ("site", "sites", "name")])
        db["site_runs"].create_index(["site", "id"], if_not_exists=True)
        if "listing_known" not in db["site_runs"].columns_dict:  # a database made before the column
            db["site_runs"].add_column("listing_known", int)
        db["rejects"].create({"id": int, "url": str, "site": str, "reason": str, "detail": str,
                              "crawl_id": int, "seen_at": str}, pk="id", if_not_exists=True,
                             foreign_keys=[("crawl_id", "crawls", "id")])
        db["rejects"].create_index(["crawl_id"], if_not_exists=True)
        self._ensure_ledger_columns()
        # the validators of each page's last answer, for conditional GET (aggregator/conditional.py)
        db["http_validators"].create({"url": str, "site": str, "etag": str, "last_modified": str,
                                      "checked_at": str}, pk="url", if_not_exists=True)
        db["http_validators"].create_index(["site"], if_not_exists=True)
        self._ensure_search_schema()

    # sites and crawls -----------------------------------------------------
    def sync_sites(self, sites):
        """Upsert the site registry (a list of dicts with the `sites` columns)."""
        rows = [dict(s, start_urls=json.dumps(list(s.get("start_urls") or []), ensure_ascii=False),
                     allowed_domains=json.dumps(list(s.get("allowed_domains") or []), ensure_ascii=False),
                     demo=int(bool(s.get("demo"))))
                for s in sites]
        if rows:
            with self._committed():
                self.db["sites"].upsert_all(rows, pk="name")

    def start_crawl(self, sites) -> int:
        # committed before the id is returned: a distributed writer hands it to Redis, and a
        # writer killed before its next commit must not leave Redis naming a row that is not there
        with self._committed():
            crawl_id = self.db["crawls"].insert({
                "started_at": now_iso(), "sites": " ".join(sites), "status": "running",
            }).last_pk
        return crawl_id

    def finish_crawl(self, crawl_id, *, status, counts, stats):
        with self._committed():
            self.db["crawls"].update(crawl_id, dict(
                counts, finished_at=now_iso(), status=status,
                stats=json.dumps(stats, ensure_ascii=False, default=str, sort_keys=True)))

    # site health ------------------------------------------------------------
    def site_history(self, site, limit=10) -> list[dict]:
        """The site's latest site_runs rows, newest first."""
        return list(self.db.query("select * from site_runs where site = ? order by id desc limit ?", [site, limit]))

    def record_site_run(self, row: dict) -> int:
        with self._committed():
            run_id = self.db["site_runs"].insert(dict(row, finished_at=row.get("finished_at") or now_iso())).last_pk
        return run_id

    # rejects: a ledger, one row per URL (aggregator/rejects.py says when to try again) --------
    def _ensure_ledger_columns(self):
        """The ledger's columns, added to a database made before them (its rows stay, each
        taken as a first attempt: seen_at becomes first_seen and last_seen)."""
        table = self.db["rejects"]
        columns = {"first_seen": str, "last_seen": str, "attempts": int, "kind": str,
                   "next_attempt": str, "resolved_at": str, "listing": int}
        missing = [column for column in columns if column not in table.columns_dict]
        for column in missing:
            table.add_column(column, columns[column])
        if missing:
            with self.db.conn:
                self.db.execute("update rejects set first_seen = coalesce(first_seen, seen_at), "
                                "last_seen = coalesce(last_seen, seen_at), attempts = coalesce(attempts, 1)")
        table.create_index(["url", "site"], if_not_exists=True)

    def add_reject(self, *, url, site, reason, crawl_id=None, detail=None, listing=False):
        """Record that url did not become an article: a new ledger row, or the URL's row
        with one more attempt, the latest reason and when to try it again."""
        seen = now_iso()
        kind = rejects.reject_kind(reason)
        found = self.db.execute("select id, attempts from rejects where url is ? and site is ? "
                                "order by id desc limit 1", [url, site]).fetchone()
        attempts = (found[1] or 1) + 1 if found else 1
        row = {"reason": reason, "detail": detail, "crawl_id": crawl_id, "seen_at": seen, "last_seen": seen,
               "attempts": attempts, "kind": kind, "resolved_at": None, "listing": int(bool(listing)),
               "next_attempt": rejects.next_attempt(kind, attempts, seen)}
        if found:
            self.db.execute(f"UPDATE rejects SET {', '.join(f'[{k}] = ?' for k in row)} WHERE id = ?",
                            [*row.values(), found[0]])
        else:
            self._insert("rejects", dict(row, url=url, site=site, first_seen=seen))
        if not self._bulk_every:
            self.db.conn.commit()

    def resolve_reject(self, url, site):
        """url became an article after all: its ledger row says when (the row stays)."""
        if self.db.execute("select 1 from rejects where url = ? and site is ? and resolved_at is null",
                           [url, site]).fetchone():
            self.db.execute("update rejects set resolved_at = ?, next_attempt = null "
                            "where url = ? and site is ? and resolved_at is null", [now_iso(), url, site])
            if not self._bulk_every:
                self.db.conn.commit()

    # conditional GET --------------------------------------------------------
    def save_validators(self, url, site, etag, last_modified):
        """The validators a page answered with (and when): sent back on its next request."""
        self.db.execute("insert into http_validators (url, site, etag, last_modified, checked_at) "
                        "values (?, ?, ?, ?, ?) on conflict (url) do update set site = excluded.site, "
                        "etag = excluded.etag, last_modified = excluded.last_modified, checked_at = excluded.checked_at",
                        [url, site, etag, last_modified, now_iso()])
        if not self._bulk_every:
            self.db.conn.commit()
        self._commit_if_due()

    # transactions -----------------------------------------------------------
    @contextlib.contextmanager
    def bulk(self, every=500, seconds=None):
        """Store many articles in few transactions (`aggregator import`, a crawl's store pipeline):
        a commit every `every` new or changed articles (and, given `seconds`, at the first article,
        reject or refresh stored that long after the last) instead of one each, which costs 2-3x as much per article
        (most of it SQLite's full-text index, flushed once per transaction or savepoint: the
        articles' search rows are written together just before each commit). The articles
        are put into their stories together at each commit too (StoryIndex.assign_many, which
        fingerprints them in one numpy pass), in the order they were stored. Each article's
        own rows go in whole or not at all (a savepoint of its own); whatever way the block
        ends, the articles stored so far are committed with their stories and search rows.
        Meanwhile the WAL is checkpointed at BULK_WAL_PAGES, and SQLite keeps its temporary
        files in memory (temp_store): the pages an article's savepoint would restore on a rollback
        (~13 an article, each a write to a file in /var/tmp otherwise; dropped at each release)."""
        conn = self.db.conn
        if conn.in_transaction:
            conn.commit()
        self._bulk_every, self._bulk_pending = max(1, int(every)), 0
        self._bulk_seconds, self._bulk_since = seconds, time.monotonic()
        wal_pages = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        conn.execute(f"PRAGMA wal_autocheckpoint = {max(wal_pages, BULK_WAL_PAGES)}")
        temp_store = conn.execute("PRAGMA temp_store").fetchone()[0]
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("BEGIN")
        try:
            yield self
        finally:
            self._bulk_every = 0
            try:
                self._commit_bulk()
            finally:
                conn.execute(f"PRAGMA wal_autocheckpoint = {wal_pages}")
                conn.execute(f"PRAGMA temp_store = {int(temp_store)}")

    @contextlib.contextmanager
    def _committed(self):
        """Writes that are on disk when the block ends (the site registry, a crawl's row, a site's
        run). Inside bulk() the articles stored so far go first, with their stories and search
        rows, and the whole transaction is committed after the block: sqlite-utils writes inside
        an open transaction in a savepoint and commits nothing itself. Outside bulk() sqlite-utils
        commits each write."""
        self._flush_pending()
        yield
        if self._bulk_every and self.db.conn.in_transaction:
            self._commit_bulk()
        self._resume_bulk()

    def _resume_bulk(self):
        """Inside bulk(), after a commit: the next writes go into a transaction again."""
        if self._bulk_every and not self.db.conn.in_transaction:
            self.db.conn.execute("BEGIN")

    def _flush_pending(self):
        """Inside bulk(): assign the pending articles to stories and write their search rows
        (before anything that commits)."""
        self._flush_stories()
        self._write_search_rows(list(self._search_pending))
        self._search_pending = {}

    def _flush_stories(self):
        """The pending articles into their stories, in one assign_many; should it fail, one
        at a time, each in its own savepoint, so that only the article that fails stays
        without a story, and its error is raised once the others are assigned."""
        normalized, self._stories_pending = self._stories_pending, {}
        ids = list(normalized)
        if not ids:
            return
        try:
            with self._article_txn():
                self.stories.assign_many(ids, normalized)
            return
        except Exception:  # noqa: BLE001 - found again below, article by article
            pass
        failure = None
        for article_id in ids:
            try:
                with self._article_txn():
                    self.stories.assign(article_id)
            except Exception as exc:  # noqa: BLE001 - raised after the others are assigned
                failure = failure or exc
        if failure is not None:
            raise failure

    def _commit_bulk(self):
        self._flush_pending()
        self.stories.file_bands()
        self.db.conn.commit()
        self._bulk_pending, self._bulk_since = 0, time.monotonic()

    @contextlib.contextmanager
    def _article_txn(self):
        """One article's writes: its own transaction, or inside bulk() a savepoint."""
        conn = self.db.conn
        if not conn.in_transaction:
            try:
                with conn:
                    yield
            except BaseException:
                self._person_ids.clear()
                raise
            return
        conn.execute("SAVEPOINT article")
        pending = dict(self._search_pending)
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK TO article")
            conn.execute("RELEASE article")
            self._search_pending = pending
            self._person_ids.clear()  # some may be rows the rollback took back
            raise
        conn.execute("RELEASE article")

    # articles ---------------------------------------------------------------
    def find_article(self, canonical, site=None, chash=None):
        """The stored article this canonical URL (or, on the same site, this body) already is."""
        rows = self.db.execute(
            "select id from articles where canonical_url = ? union all "
            "select article_id from url_aliases where canonical_url = ? limit 1", [canonical, canonical]).fetchall()
        if rows:
            return rows[0][0]
        if chash and site:
            rows = self.db.execute("select id from articles where site = ? and content_hash = ? limit 1",
                                   [site, chash]).fetchall()
            if rows:
                return rows[0][0]
        return None

    def upsert_article(self, item: dict, crawl_id=None) -> tuple[int, str]:
        """Store one article item; returns (article id, "new" | "updated" | "unchanged" | "duplicate").

        "duplicate": the same body on the same site under another URL; that URL becomes an alias.
        """
        canonical = item.get("canonical_url") or canonical_url(item["url"]) or item["url"]  # DedupPipeline computed it
        # the body normalized once: hashed here, fingerprinted by the story index at the commit
        body, title = item.get("body"), item.get("title")
        norm, fingerprinted = normalize_body(body or "", title)
        chash = content_hash_normalized(norm)  # never an item's own value: the hash is the store's
        row = {k: item.get(k) for k in ARTICLE_FIELDS}
        row.update(canonical_url=canonical, content_hash=chash,
                   published_month=(row.get("published_at") or "")[:7] or None)
        seen = now_iso()
        # plain SQL below, not sqlite-utils' insert/update: those commit, and inside bulk()
        # an article is a savepoint of a longer transaction
        with self._article_txn():
            existing_id = self.find_article(canonical, row["site"], chash)
            if existing_id is None:
                row.update(first_seen=seen, last_seen=seen, first_crawl=crawl_id, last_crawl=crawl_id)
                article_id = self._insert("articles", row)
                status = "new"
            else:
                article_id = existing_id
                old = self.db["articles"].get(article_id)
                if old["canonical_url"] != canonical:
                    self._insert("url_aliases", {"alias": item["url"], "canonical_url": canonical,
                                                 "article_id": article_id, "first_seen": seen}, "OR IGNORE")
                    status = "duplicate"
                    row = {}  # the stored copy stays as it is
                else:
                    if old["url"] != item["url"]:  # another spelling of the same URL (https, ?utm_...)
                        self._insert("url_aliases", {"alias": item["url"], "canonical_url": canonical,
                                                     "article_id": article_id, "first_seen": seen}, "OR IGNORE")
                    row["url"] = old["url"]
                    changed = revisions.changed_fields(old, row, CONTENT_FIELDS)
                    status = "updated" if changed else "unchanged"
                    if not changed:
                        row = {}
                    else:
                        self._insert("article_revisions", revisions.revision_row(
                            article_id, old, changed, crawl_id, seen))
                        row = {k: v for k, v in row.items() if v is not None}
                row.update(last_seen=seen, last_crawl=crawl_id)
                self.db.execute(f"UPDATE articles SET {', '.join(f'[{k}] = ?' for k in row)} WHERE id = ?",
                                [*row.values(), article_id])
            if status in ("new", "updated"):
                self._store_people(article_id, item.get("people") or [], new=status == "new")
                self._index_for_search(article_id)
            if status != "duplicate":  # (an unchanged article too: one stored before its attachments were read)
                self._store_attachments(article_id, item.get("attachments"), item["url"], seen, new=status == "new")
        if status in ("new", "updated"):
            if not self._bulk_every:
                with self._article_txn():
                    self.stories.assign(article_id)
            else:
                self._stories_pending[article_id] = (body, title, fingerprinted)
                self._bulk_pending += 1
        self._commit_if_due()
        return article_id, status

    def _commit_if_due(self):
        """Inside bulk(): commit once `every` articles are pending or `seconds` have passed."""
        if not self._bulk_every:
            return
        if self._bulk_pending >= self._bulk_every or (
                self._bulk_seconds is not None and time.monotonic() - self._bulk_since >= self._bulk_seconds):
            self._commit_bulk()
            self.db.conn.execute("BEGIN")

    def _insert(self, table, row, conflict="") -> int:
        cols = ", ".join(f"[{k}]" for k in row)
        return self.db.execute(f"INSERT {conflict} INTO [{table}] ({cols}) VALUES "
                               f"({', '.join('?' * len(row))})", list(row.values())).lastrowid

    def _index_for_search(self, article_id):
        if self._bulk_every:
            self._search_pending[article_id] = None
        else:
            self._write_search_rows([article_id])

    def _ensure_search_schema(self):
        """Chinese full-text search: rowid = articles.id, text as aggregator.search tokens, in the
        table aggregator.search.SEARCH_TABLE_SQL defines (contentless: the index keeps no copy of
        the text, only its tokens' positions, which phrases and bm25 need).

        `articles_search_rows` lists the articles indexed; FTS5 forgets a row of a contentless
        table only when told the tokens it indexed, so a trigger does that, with the old title
        and body, before either changes. A database whose table is another (an older design: the
        text stored in it, or the title first) has its index rebuilt here, once."""
        db = self.db
        db.conn.create_function("search_tokens", 1, search_tokens, deterministic=True)
        row = db.execute("select sql from sqlite_master where name = 'articles_search'").fetchone()
        if row is None or _module_arguments(row[0]) != _module_arguments(SEARCH_TABLE_SQL):
            if row is not None:
                # a large database takes minutes here: the operator sees why this run is slow
                logger.warning("rebuilding the search index of %d articles (made by an older version); "
                               "this happens once", db["articles"].count if "articles" in db.table_names() else 0)
            self.rebuild_search_index()
        with db.conn:
            for setting in SEARCH_TABLE_SETTINGS:  # (a table made before a setting gets it too)
                db.execute(setting)
        db.execute(PUBLISHED_INDEX_SQL)

    def rebuild_search_index(self) -> int:
        """Drop the search index and index every article again, in one transaction (a database
        made with an older index); returns the number of articles indexed."""
        conn = self.db.conn
        if conn.in_transaction:
            conn.commit()
        with conn:
            conn.execute("BEGIN")
            for name in ("articles_search_forget_update", "articles_search_forget_delete"):
                conn.execute(f"drop trigger if exists {name}")
            conn.execute("drop table if exists articles_search")
            conn.execute("drop table if exists articles_search_rows")
            conn.execute(SEARCH_TABLE_SQL)
            conn.execute("create table articles_search_rows (id integer primary key)")
            for event in ("update of title, body", "delete"):
                name = "articles_search_forget_" + event.split()[0]
                conn.execute(f"""create trigger {name} before {event} on articles
                    when exists (select 1 from articles_search_rows where id = old.id)
                    begin
                      insert into articles_search (articles_search, rowid, body, title)
                        values ('delete', old.id, search_tokens(old.body), search_tokens(old.title));
                      delete from articles_search_rows where id = old.id;
                    end""")
            if "articles" not in self.db.table_names():
                return 0
            conn.execute("insert into articles_search (rowid, body, title) "
                         "select id, search_tokens(body), search_tokens(title) from articles")
            return conn.execute("insert into articles_search_rows (id) select id from articles").rowcount

    def _write_search_rows(self, ids):
        """The search rows of these articles, those not indexed yet (one indexed with its very
        title and body stays: a change goes through the trigger), 500 in three statements."""
        conn = self.db.conn
        for n in range(0, len(ids), 500):
            chunk = ids[n:n + 500]
            rows = conn.execute(f"select id, body, title from articles where id in ({', '.join('?' * len(chunk))}) "
                                "and id not in (select id from articles_search_rows)", chunk).fetchall()
            conn.executemany("insert into articles_search_rows (id) values (?)", [(article_id,) for article_id, _, _ in rows])
            # the bodies' and titles' tokens in one search_tokens_many call (numpy over all of them)
            tokens = search_tokens_many([text for _, body, title in rows for text in (body, title)])
            conn.executemany("insert into articles_search (rowid, body, title) values (?, ?, ?)",
                             [(article_id, body_tokens, title_tokens) for (article_id, _, _), body_tokens, title_tokens
                              in zip(rows, tokens[0::2], tokens[1::2])])

    def _store_people(self, article_id, people, new=False):
        """The article's people replace its former ones (a new article has none to remove)."""
        conn = self.db.conn
        if not new:
            conn.execute("delete from article_people where article_id = ?", [article_id])
        for person in people:
            name = (person.get("name") or "").strip()
            if not name:
                continue
            person_id = self._person_ids.get(name)
            if person_id is None:
                if len(self._person_ids) >= 100_000:  # a long crawl: the memory stays bounded
                    self._person_ids.clear()
                # a new name's id comes back from its insert; a known one's from a select
                added = conn.execute("insert into people (name) values (?) on conflict (name) do nothing "
                                     "returning id", [name]).fetchone()
                person_id = self._person_ids[name] = added[0] if added else conn.execute(
                    "select id from people where name = ?", [name]).fetchone()[0]
            self._insert("article_people", {"article_id": article_id, "person_id": person_id,
                                            "role": person.get("role") or "other",
                                            "label": person.get("label")}, "OR IGNORE")

    def _store_attachments(self, article_id, attachments, page_url, seen, new=False):
        """The item's attachments replace the article's (those still listed keep their first_seen);
        None (an item that says nothing about attachments) leaves the stored ones alone; a new
        article has none to remove."""
        if attachments is None:
            return
        rows = clean_attachments(attachments, page_url)
        urls = [row["url"] for row in rows]
        if not new:
            self.db.execute(f"delete from attachments where article_id = ? and url not in "
                            f"({', '.join('?' * len(urls))})", [article_id, *urls])
        for row in rows:
            self.db.execute("insert into attachments (article_id, url, name, type, first_seen) values (?, ?, ?, ?, ?) "
                            "on conflict (article_id, url) do update set name = excluded.name, type = excluded.type",
                            [article_id, row["url"], row["name"], row["type"], seen])

    def mark_removed(self, url, crawl_id=None) -> bool:
        """A stored article answered 404/410 to a recheck: it is marked withdrawn, never deleted."""
        article_id = self.find_article(canonical_url(url) or url)
        if article_id is None:
            return False
        with self.db.conn:
            self.db.execute("update articles set removed_at = coalesce(removed_at, ?), last_crawl = ? where id = ?",
                            [now_iso(), crawl_id, article_id])
        return True

    def restore(self, article_id) -> bool:
        """A withdrawn article answered with its page again (200 or 304) or is listed again:
        it is no longer marked removed."""
        if article_id is None or not self.db.execute("select 1 from articles where id = ? and removed_at is not null",
                               [article_id]).fetchone():
            return False
        self.db.execute("update articles set removed_at = null where id = ?", [article_id])
        if not self._bulk_every:
            self.db.conn.commit()
        return True

    def touch(self, url, crawl_id=None):
        """An article listed again and not refetched: move its last_seen on."""
        article_id = self.find_article(canonical_url(url) or url)
        if article_id is not None:
            # plain SQL: inside bulk() it waits for the next commit
            self.db.execute("UPDATE articles SET last_seen = ?, last_crawl = ? WHERE id = ?",
                            [now_iso(), crawl_id, article_id])
            if not self._bulk_every:
                self.db.conn.commit()
            self._commit_if_due()


def reject_ledger(path, site, now=None) -> tuple[set, list]:
    """The site's open rejects (aggregator.rejects: transient ones due again after a growing
    gap, permanent ones after weeks): (canonical URLs not due yet, article page URLs due now).
    Empty when there is no database."""
    if not path or not Path(path).exists():
        return set(), []
    now = now or now_iso()
    db = sqlite_utils.Database(path)
    try:
        if "next_attempt" not in db["rejects"].columns_dict:
            return set(), []
        rows = db.execute("select url, next_attempt, listing from rejects where site = ? and resolved_at is null "
                          "and next_attempt is not null and url like 'http%' order by id", [site]).fetchall()
        waiting, due = set(), []
        for url, when, listing in rows:
            if rejects.is_due(when, now) is False:
                waiting.add(canonical_url(url) or url)
            elif not listing:
                due.append(url)
        return waiting, due
    finally:
        db.close()


def recheck_candidates(path, site, days, now=None, everything=False) -> list[tuple[str, str]]:
    """(url, section) of the site's stored articles due for a recheck (aggregator.revisions:
    younger than `days`, by publication time or else first sight, and the gap since their last
    fetch past half their age), withdrawn ones included (one that answers again is restored);
    `everything`: all those younger than `days`, now."""
    if not path or not Path(path).exists() or not days or days <= 0:
        return []
    now = now or now_iso()
    db = sqlite_utils.Database(path)
    try:
        if not db["articles"].exists() or "removed_at" not in db["articles"].columns_dict:
            return []
        checked = "v.checked_at" if db["http_validators"].exists() else "null"
        join = "left join http_validators v on v.url = a.url" if db["http_validators"].exists() else ""
        rows = db.execute(f"select a.url, a.section, coalesce(a.published_at, a.first_seen), a.first_seen, {checked} "
                          f"from articles a {join} where a.site = ? order by a.id",
                          [site]).fetchall()
        due = []
        for url, section, born, first_seen, last_checked in rows:
            last = None if everything else max([t for t in (first_seen, last_checked) if t], default=None)
            if revisions.recheck_due(born, last, now, days):
                due.append((url, section))
        return due
    finally:
        db.close()


def http_validators(path, site) -> dict:
    """{url: (etag, last_modified)} of the site's pages; empty when there is no database."""
    if not path or not Path(path).exists():
        return {}
    db = sqlite_utils.Database(path)
    try:
        if not db["http_validators"].exists():
            return {}
        return {url: (etag, modified) for url, etag, modified in db.execute(
            "select url, etag, last_modified from http_validators where site = ?", [site])}
    finally:
        db.close()


def known_urls(path, site) -> set:
    """Canonical URLs (aggregator.urls.canonical_url) already stored for a site, aliases included;
    empty when there is no database."""
    if not path or not Path(path).exists():
        return set()
    db = sqlite_utils.Database(path)
    try:
        if not db["articles"].exists():
            return set()
        rows = db.execute("select canonical_url from articles where site = ? union "
                          "select url_aliases.canonical_url from url_aliases "
                          "join articles on articles.id = article_id where site = ?", [site, site]).fetchall()
        return {row[0] for row in rows}
    finally:
        db.close()


# every site's latest run, with the finish time of its last ok run
_SITE_HEALTH_SQL = """
select r.site, r.status, r.reason, r.finished_at as last_run, r.crawl_id,
       (select max(o.finished_at) from site_runs o where o.site = r.site and o.status = 'ok') as last_ok
from site_runs r
where r.id = (select max(id) from site_runs x where x.site = r.site)
"""


def recent_crawls(path, limit=20) -> list[dict]:
    """The latest `crawls` rows (without their stats), newest first. Reads only."""
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        if not conn.execute("select 1 from sqlite_master where name = 'crawls'").fetchone():
            return []
        return [dict(row) for row in conn.execute(
            "select id, started_at, finished_at, status, sites, pages_fetched, articles_new, articles_updated, "
            "articles_unchanged, duplicates, rejects, errors from crawls order by id desc limit ?", [limit])]
    finally:
        conn.close()


def site_health(path) -> dict:
    """{site: {"status", "reason", "last_run", "crawl_id", "last_ok"}} from the database's
    site_runs; empty when there is no database or no run yet. Reads only."""
    if not path or not Path(path).exists():
        return {}
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        if not conn.execute("select 1 from sqlite_master where name = 'site_runs'").fetchone():
            return {}
        return {row["site"]: dict(row) for row in conn.execute(_SITE_HEALTH_SQL)}
    finally:
        conn.close()


def _module_arguments(create_sql: str) -> str:
    """`fts5(body, title, content='')` of a CREATE VIRTUAL TABLE statement, spacing and case aside
    (sqlite_master keeps the statement as written, its first keywords upper-cased)."""
    return " ".join(create_sql.lower().split(" using ", 1)[-1].split())
