"""Datasette plugin: the SQL functions behind the Chinese search canned query."""
from datasette import hookimpl

from aggregator.search import excerpt, match_query

# FTS5's empty phrase: matches no row (a query with no searchable word finds nothing)
NO_MATCH = '""'


def search_query(query):
    return match_query(query) or NO_MATCH


@hookimpl
def prepare_connection(conn):
    conn.create_function("search_query", 1, search_query, deterministic=True)
    conn.create_function("search_excerpt", 2, excerpt, deterministic=True)
