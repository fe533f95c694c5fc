"""Datasette plugin: the SQL functions behind the Chinese search canned query, Atom feeds
that answer an empty feed (not HTTP 500) when the query has no rows yet, and, for the
read-only Datasette of aggregator.serve, 405 to every request that is not a read."""
from datetime import datetime, timezone
from xml.sax.saxutils import escape, quoteattr

from datasette import hookimpl
from datasette.utils.asgi import Response

from aggregator.search import excerpt, match_query

# FTS5's empty phrase: matches no row (a query with no searchable word finds nothing)
NO_MATCH = '""'


def search_query(query):
    return match_query(query) or NO_MATCH


@hookimpl
def prepare_connection(conn):
    conn.create_function("search_query", 1, search_query, deterministic=True)
    conn.create_function("search_excerpt", 2, excerpt, deterministic=True)


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
