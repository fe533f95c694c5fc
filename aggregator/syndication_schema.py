"""The near-duplicate index's tables, their migrations, and small helpers for reading them.

Tables (created by ensure_schema, before the store creates `articles`):

    stories     one row per cluster: original_id (earliest published_at; ties by first seen),
                original_site, title, published_at, first_seen / last_seen (earliest and latest
                first sighting of any member), sites (distinct sites), copies (members - 1)
    syn_docs    one row per indexed article: its story, its fingerprint digest, its OPH
                signature (for band maintenance), the length of its normalized text, `banded`
                (bit i set: band i was filed; a full bucket is skipped), the state it was
                assigned in, `matched` (how it matched the article it joined: "containment
                0.92, 95% of the text (412 characters) in 3 shared passages with article 17")
                and `reason` (that and whether it credits the story's original, as editors
                read it). Candidates are verified on their bodies, normalized again
                (~0.1 ms): a stored copy of every normalized text doubled the database.
    syn_bands   LSH band buckets (band_key, article_id), a WITHOUT ROWID b-tree: a lookup is one
                `band_key IN (...)` query whatever the index size (see syndication_bands.py for
                how the newest articles' keys are held in memory and filed in bulk)
    syn_keys    each article's smallest shingle hashes (key, article_id), a second way to find
                candidates: a digest of part of the original shares few LSH bands with it
                (syndication_bands.ShingleKeys); syn_docs.shingle_keys lists those filed
    syn_merges  one row per story folded into another: the surviving story, the folded one,
                the article that showed they are one, and how it matched both
    syn_apart   one row per template kept apart: the two articles it matched that differ (two
                notices it both fills); when a later article puts those two in one story, the
                template is assigned again
    syn_meta    the index's parameters (a persisted index only works with the same ones), the
                watermark bands_through and bands_docs (how many articles' bands are filed)

The connection is shared with the store, so its row_factory is left alone: rows read by name
come from a cursor of their own (named()), single values from scalar().
"""
from __future__ import annotations

import json
import sqlite3

__all__ = ["ensure_schema", "read_meta", "write_meta", "read_params", "write_params", "named",
           "one", "scalar"]

_DDL = """
    CREATE TABLE IF NOT EXISTS stories (
        id INTEGER PRIMARY KEY,
        original_id INTEGER,
        original_site TEXT,
        title TEXT,
        published_at TEXT,
        first_seen TEXT,
        last_seen TEXT,
        sites INTEGER,
        copies INTEGER
    );
    CREATE INDEX IF NOT EXISTS idx_stories_original ON stories(original_id);
    CREATE INDEX IF NOT EXISTS idx_stories_last_seen ON stories(last_seen);
    CREATE TABLE IF NOT EXISTS syn_docs (
        article_id INTEGER PRIMARY KEY,
        story_id INTEGER,
        site TEXT,
        first_seen TEXT,
        digest TEXT,
        state TEXT,
        signature BLOB,
        banded INTEGER,
        norm_len INTEGER,
        matched TEXT,
        reason TEXT,
        shingle_keys BLOB
    );
    CREATE INDEX IF NOT EXISTS idx_syn_docs_story ON syn_docs(story_id, site);
    CREATE INDEX IF NOT EXISTS idx_syn_docs_digest ON syn_docs(digest);
    CREATE TABLE IF NOT EXISTS syn_bands (
        band_key INTEGER NOT NULL,
        article_id INTEGER NOT NULL,
        PRIMARY KEY (band_key, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS syn_meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE IF NOT EXISTS syn_keys (
        key INTEGER NOT NULL,
        article_id INTEGER NOT NULL,
        PRIMARY KEY (key, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS syn_merges (
        id INTEGER PRIMARY KEY,
        story_id INTEGER,
        merged_story_id INTEGER,
        article_id INTEGER,
        reason TEXT
    );
    CREATE TABLE IF NOT EXISTS syn_apart (
        article_id INTEGER PRIMARY KEY,
        first_id INTEGER,
        second_id INTEGER
    );
"""


# --- reading rows by name -------------------------------------------------------------------
def named(conn, sql, params=()) -> sqlite3.Cursor:
    """A cursor over `sql` whose rows are sqlite3.Row (read by column name), without changing
    the shared connection's row_factory."""
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    return cur.execute(sql, params)


def one(conn, sql, params=()) -> sqlite3.Row | None:
    """The first row of `sql` as a sqlite3.Row, or None."""
    return named(conn, sql, params).fetchone()


def scalar(conn, sql, params=()):
    """The single value of a one-column query that returns a row (count, max, ...)."""
    (value,) = conn.execute(sql, params).fetchone()
    return value


# --- syn_meta -------------------------------------------------------------------------------
def read_meta(conn, key, default=None):
    """An integer value of syn_meta, or default when it is not set."""
    row = one(conn, "SELECT value FROM syn_meta WHERE key = ?", [key])
    return int(row["value"]) if row else default


def write_meta(conn, values: dict) -> None:
    conn.executemany("INSERT OR REPLACE INTO syn_meta VALUES (?, ?)",
                     [(key, str(value)) for key, value in values.items()])


def read_params(conn) -> dict | None:
    """The parameters the index was built with (None: a new index)."""
    try:
        row = one(conn, "SELECT value FROM syn_meta WHERE key = 'params'")
    except sqlite3.OperationalError:  # no syn_meta yet
        return None
    return json.loads(row["value"]) if row else None


def write_params(conn, params: dict) -> None:
    with conn:
        conn.execute("INSERT OR REPLACE INTO syn_meta VALUES ('params', ?)",
                     [json.dumps(params, sort_keys=True)])


# --- creation and migration -----------------------------------------------------------------
def ensure_schema(conn, params: dict) -> None:
    """Create the tables, migrate older layouts, and check that the index was built with the
    same parameters (band keys from other parameters would never match)."""
    conn.executescript(_DDL)
    _drop_normalized_text(conn)
    _add_reasons(conn)
    wanted = json.dumps(params, sort_keys=True)
    row = one(conn, "SELECT value FROM syn_meta WHERE key = 'params'")
    if row is None:
        conn.execute("INSERT INTO syn_meta VALUES ('params', ?)", [wanted])
        conn.commit()
    elif row["value"] != wanted:
        raise ValueError(f"syn_bands was built with {row['value']}, not {wanted}: "
                         "drop syn_docs/syn_bands/syn_meta and re-assign to rebuild")
    if read_meta(conn, "bands_through") is None:
        # an index without a watermark has every article's bands in syn_bands
        conn.execute("INSERT INTO syn_meta VALUES ('bands_through', "
                     "(SELECT coalesce(max(article_id), 0) FROM syn_docs))")
        conn.commit()


def _add_reasons(conn) -> None:
    """An index from before syn_docs held how each article joined its story and its shingle
    keys: add the columns (empty until an article is assigned again)."""
    cols = {r["name"] for r in named(conn, "PRAGMA table_info(syn_docs)")}
    with conn:
        for col, kind in (("matched", "TEXT"), ("reason", "TEXT"), ("shingle_keys", "BLOB")):
            if col not in cols:
                conn.execute(f"ALTER TABLE syn_docs ADD COLUMN {col} {kind}")


def _drop_normalized_text(conn) -> None:
    """An index with a syn_docs.norm column (each article's normalized text, as much again as
    the bodies): keep only its length, in norm_len, and drop the column."""
    cols = [r["name"] for r in named(conn, "PRAGMA table_info(syn_docs)")]
    if "norm" not in cols:
        return
    with conn:
        if "norm_len" not in cols:
            conn.execute("ALTER TABLE syn_docs ADD COLUMN norm_len INTEGER")
        conn.execute("UPDATE syn_docs SET norm_len = length(norm) WHERE norm IS NOT NULL")
        try:
            conn.execute("ALTER TABLE syn_docs DROP COLUMN norm")
        except sqlite3.OperationalError:  # SQLite before 3.35: keep the column, empty
            conn.execute("UPDATE syn_docs SET norm = NULL")
