"""Datasette plugin: the SQL functions behind the Chinese search (the canned query and the
articles table's own `_search` box), the values the project's templates show (an article's
reading page, the articles list, the site and person choosers of the canned queries, the home
page's feeds), Atom feeds that answer an empty feed (not HTTP 500) when the query has no rows
yet, and, for the read-only Datasette of aggregator.serve, 405 to every request that is not a read.

The templates are aggregator/templates (served by aggregator.serve); every value they show is
escaped by Jinja: nothing stored is rendered as HTML."""
from datetime import datetime, timezone
from xml.sax.saxutils import escape, quoteattr

from datasette import hookimpl
from datasette.utils import path_with_replaced_args
from datasette.utils.asgi import Response

from aggregator import reading
from aggregator.search import excerpt, highlight, match_query

# FTS5's empty phrase: matches no row (a query with no searchable word finds nothing)
NO_MATCH = '""'


def search_query(query):
    return match_query(query) or NO_MATCH


@hookimpl(trylast=True)
def prepare_connection(conn):
    """trylast: after Datasette's own functions, so that `escape_fts`, which Datasette's table
    `_search` applies to the query, becomes the Chinese search's (the index holds unigrams and
    bigrams, not the words Datasette's escaping would look for)."""
    conn.create_function("search_query", 1, search_query, deterministic=True)
    conn.create_function("escape_fts", 1, search_query, deterministic=True)
    conn.create_function("search_excerpt", 2, excerpt, deterministic=True)
    conn.create_function("search_highlight", 2, highlight, deterministic=True)


def empty_atom_feed(url: str, title: str) -> str:
    """A valid Atom feed with no entries: what a subscriber's reader expects from a feed
    that has nothing to say yet (no site alert, no pickup)."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    href = quoteattr(url)
    return ("<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
            f"<id>{escape(url)}</id><title>{escape(title)}</title><updated>{now}</updated>"
            f"<link href={href} rel=\"self\"/><generator>Datasette</generator></feed>")


@hookimpl
def startup(datasette):
    """datasette-atom takes max() of the rows' atom_updated, which fails on no rows: answer
    those requests with an empty feed and leave every other one to datasette-atom."""
    render, can_render = datasette.renderers.get("atom", (None, None))
    if render is None:
        return

    def render_atom(datasette, request, sql, columns, rows, database, table, query_name, view_name, data):
        if rows:
            return render(datasette=datasette, request=request, sql=sql, columns=columns, rows=rows,
                          database=database, table=table, query_name=query_name, view_name=view_name,
                          data=data)
        queries = (datasette.metadata("queries", database=database) or {}) if query_name else {}
        query = queries.get(query_name)
        title = query.get("title") if isinstance(query, dict) else None
        return Response(empty_atom_feed(str(request.url), title or query_name or table or "feed"),
                        status=200, content_type="application/xml; charset=utf-8")

    datasette.renderers["atom"] = (render_atom, can_render)


READ_METHODS = {"GET", "HEAD", "OPTIONS"}


@hookimpl
def asgi_wrapper(datasette):
    """aggregator.serve marks its Datasette read-only (`datasette.aggregator_read_only`): there a
    POST, PUT, PATCH or DELETE answers 405 before any view sees it (the connections cannot write
    anyway; this keeps a POST to a canned query or table from reaching Datasette's write paths)."""
    def wrap(app):
        async def read_only(scope, receive, send):
            if (scope["type"] == "http" and scope.get("method", "GET") not in READ_METHODS
                    and getattr(datasette, "aggregator_read_only", False)):
                body = b"Method not allowed: this Datasette is read-only\n"
                await send({"type": "http.response.start", "status": 405,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"allow", ", ".join(sorted(READ_METHODS)).encode()),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
            await app(scope, receive, send)
        return read_only
    return wrap


# templates -------------------------------------------------------------------------

@hookimpl
def prepare_jinja2_environment(env):
    env.filters["search_highlight"] = highlight
    env.globals["search_has_terms"] = lambda q: match_query(q) is not None
    # Datasette gives it to table pages only; the query pages' choosers and sort links use it too
    env.globals.setdefault("path_with_replaced_args", path_with_replaced_args)


STATIC_MOUNT = "aggregator-static"  # aggregator/static, mounted by aggregator.serve


@hookimpl
def extra_css_urls(datasette):
    if getattr(datasette, "aggregator_read_only", False):
        return [datasette.urls.path(f"/{STATIC_MOUNT}/aggregator.css")]
    return []


ARTICLE_SQL = """
select a.*, s.display_name as site_display_name
from articles a left join sites s on s.name = a.site
where a.id = :id
"""
PEOPLE_SQL = """
select p.name, ap.role, ap.label
from article_people ap join people p on p.id = ap.person_id
where ap.article_id = :id
order by ap.rowid
"""
STORY_SQL = """
select a.id, a.title, a.site, s.display_name as site_display_name, a.published_at,
       a.published_precision, a.lag_hours, a.credits_original, a.similarity, a.url,
       a.id = st.original_id as is_original, d.reason as why
from articles a
join stories st on st.id = a.story_id
left join sites s on s.name = a.site
left join syn_docs d on d.article_id = a.id
where a.story_id = :story_id
order by is_original desc, a.published_at, a.id
"""


async def article_page(db, article_id):
    """Everything the reading page shows about one article, or None (no such row)."""
    row = (await db.execute(ARTICLE_SQL, {"id": article_id})).first()
    if row is None:
        return None
    article = dict(row)
    article["published"] = reading.display_time(article["published_at"], article["published_precision"])
    article["paragraphs"] = reading.paragraphs(article["body"])
    article["people"] = [dict(r) for r in (await db.execute(PEOPLE_SQL, {"id": article_id})).rows]
    story = []
    if article["story_id"] is not None:
        for copy in (await db.execute(STORY_SQL, {"story_id": article["story_id"]})).rows:
            copy = dict(copy)
            copy["published"] = reading.display_time(copy["published_at"], copy["published_precision"])
            copy["lag"] = None if copy["is_original"] else reading.lag_text(copy["lag_hours"])
            copy["credit"] = None if copy["is_original"] else reading.credit_text(copy["credits_original"])
            story.append(copy)
    article["story"] = story if len(story) > 1 else []
    return article


# the articles list: what a person scans (body and machine columns stay in JSON and CSV)
LIST_COLUMNS = ("title", "site", "section", "published_at", "source")


def _raw(cell):
    value = cell["raw"]
    return value.get("value") if isinstance(value, dict) else value


async def article_list_rows(db, display_rows):
    """The articles list's rows: the id (for the link), the listed columns' cells as Datasette
    rendered them (a site shows its display name) and the story's size."""
    rows = []
    for row in display_rows:
        cells = {cell["column"]: cell for cell in row}
        rows.append({"id": _raw(cells["id"]), "story_id": _raw(cells["story_id"]) if "story_id" in cells else None,
                     "title": _raw(cells["title"]) if "title" in cells else None,
                     "published_at": _raw(cells["published_at"]) if "published_at" in cells else None,
                     "cells": cells})
    story_ids = sorted({r["story_id"] for r in rows if r["story_id"] is not None})
    sizes = {}
    if story_ids:
        marks = ", ".join("?" * len(story_ids))
        result = await db.execute(f"select id, copies + 1 from stories where id in ({marks})", story_ids)
        sizes = {r[0]: r[1] for r in result.rows}
    for r in rows:
        r["story_size"] = sizes.get(r["story_id"], 1)
    return rows


# canned query parameters offered as a chooser, with the query that lists their values
CHOOSERS = {
    "site": "select s.name as value, coalesce(s.display_name, s.name) as label from sites s "
            "where exists (select 1 from articles a where a.site = s.name) order by s.name",
    "name": "select p.name as value, p.name || ' (' || count(*) || ')' as label "
            "from people p join article_people ap on ap.person_id = p.id "
            "group by p.id order by count(*) desc, p.name limit 40",
}


async def choosers(db, parameters):
    out = {}
    for name in parameters or ():
        if name in CHOOSERS:
            out[name] = [dict(r) for r in (await db.execute(CHOOSERS[name])).rows]
    return out


async def feed_sites(datasette):
    """The sites of the first database, for the home page's per-site feeds."""
    db = datasette.get_database()
    if "sites" not in await db.table_names():
        return db.name, []
    rows = await db.execute("select name, coalesce(display_name, name) as label from sites "
                            "where exists (select 1 from articles a where a.site = sites.name) order by name")
    return db.name, [dict(r) for r in rows.rows]


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    async def inner():
        if view_name == "index":
            name, sites = await feed_sites(datasette)
            return {"door_database": name, "door_sites": sites}
        if database is None:
            return {}
        db = datasette.get_database(database)
        if view_name == "row" and table == "articles":
            pks = request.url_vars.get("pks", "") if request else ""
            return {"article": await article_page(db, pks)} if pks.isdigit() else {}
        if view_name == "table" and table == "articles":
            async def rows(display_rows):
                return await article_list_rows(db, display_rows)
            return {"article_list_columns": LIST_COLUMNS, "article_list_rows": rows}
        async def query_choosers(parameters):
            return await choosers(db, parameters)
        return {"query_choosers": query_choosers}
    return inner
