"""Serving the database in Datasette, safely: `aggregator serve` and `aggregator demo` use it.

- **Read-only.** A crawl from cron keeps writing the file, so it is not opened as immutable
  (Datasette would cache its counts and hash); every connection, Datasette's write connection
  included, is opened `mode=ro` with `PRAGMA query_only`, and Datasette's write path refuses;
  a request that is not a read (POST ...) answers 405 (aggregator.datasette_plugin). No canned
  query may write and no write plugin is installed; arbitrary SQL is read-only.
  Serving never creates or migrates the schema: `aggregator crawl` (under the writer lock) does.
- **An SQL time limit** (`sql_time_limit_ms`): a slow query answers an error, it does not hang.
- **robots.txt** answers `Disallow: /` (datasette-block-robots) unless the metadata's
  `plugins: datasette-block-robots:` says otherwise.
- Nothing stored is rendered as HTML: Datasette escapes every cell, the Atom feeds give their
  content as text (`atom_content`, never `atom_content_html`), no render_cell plugin.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

SETTINGS = {
    "default_page_size": 50,
    "facet_time_limit_ms": 500,
    # a query (arbitrary SQL included) is interrupted after 3 s and answers an error
    "sql_time_limit_ms": 3000,
}


class ReadOnlyWrite(PermissionError):
    """Something tried to write through Datasette."""


def read_only_connect(path) -> sqlite3.Connection:
    """A connection that cannot write: the file opened mode=ro, and query_only on top."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only = 1")
    return conn


def _read_only_database_class():
    from datasette.database import Database

    class ReadOnlyDatabase(Database):
        """A file Datasette reads while a crawl writes it: mutable (counts stay live), but every
        connection it opens is read-only and its write path refuses."""

        def connect(self, write=False):
            conn = read_only_connect(self.path)
            self._all_file_connections.append(conn)
            return conn

        async def execute_write_fn(self, fn, block=True):
            raise ReadOnlyWrite(f"{self.name} is served read-only: write with `aggregator crawl` or `aggregator import`")

    return ReadOnlyDatabase


def load_metadata(name: str) -> dict:
    """aggregator/data/metadata.yml, for a database named `name` (the file is written for "news").

    The metadata ships inside the package (package data, read with importlib.resources), so a
    non-editable install (`pip install .`) has it too; data/ at the checkout's root is only the
    default directory for the databases."""
    from importlib.resources import files

    import yaml

    metadata = yaml.safe_load(files("aggregator").joinpath("data").joinpath("metadata.yml").read_text(encoding="utf-8"))
    if name != "news":
        metadata["databases"] = {name: metadata["databases"]["news"]}
        metadata["description_html"] = metadata["description_html"].replace("/news/", f"/{name}/")
        _rename_dashboards(metadata, name)
    writing = [q for q, query in metadata["databases"][name].get("queries", {}).items()
               if isinstance(query, dict) and query.get("write")]
    if writing:
        raise ValueError(f"canned queries may not write (served read-only): {', '.join(writing)}")
    return metadata


def _rename_dashboards(metadata: dict, name: str):
    """The charts (datasette-dashboards) are written for the database "news": point each at
    `name`, under the dashboard name `<name>-charts` the home page links to."""
    dashboards = metadata.get("plugins", {}).get("datasette-dashboards", {})
    for key in list(dashboards):
        dashboard = dashboards.pop(key)
        for chart in dashboard.get("charts", {}).values():
            if chart.get("db") == "news":
                chart["db"] = name
        for chart_filter in dashboard.get("filters", {}).values():
            if chart_filter.get("db") == "news":
                chart_filter["db"] = name
        dashboards[key.replace("news-", f"{name}-", 1)] = dashboard


def missing_tables(db_path) -> list[str]:
    """The tables the metadata describes that the file does not have (a database no crawl of
    this version has written yet): their pages and queries answer errors until one does."""
    metadata = load_metadata(Path(db_path).stem)
    conn = read_only_connect(db_path)
    try:
        have = {row[0] for row in conn.execute("select name from sqlite_master")}
    finally:
        conn.close()
    wanted = next(iter(metadata["databases"].values())).get("tables", {})
    return sorted(set(wanted) - have)


def make_datasette(db_path):
    """A read-only Datasette over an existing database with the project's metadata, canned
    queries, SQL time limit and robots.txt. Writes nothing: not even the schema."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from aggregator import datasette_plugin

    if not pm.is_registered(datasette_plugin):  # a checkout used without `pip install -e .`
        pm.register(datasette_plugin, name="aggregator")

    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path} does not exist: run `aggregator crawl` or `aggregator demo` first")
    name = db_path.stem
    from importlib.resources import files

    package = files("aggregator")
    # the reading page, the articles list, the door and the query pages (aggregator/templates),
    # their stylesheet (aggregator/static): package data, like the metadata
    ds = Datasette([str(db_path)], metadata=load_metadata(name), settings=SETTINGS,
                   template_dir=str(package / "templates"),
                   static_mounts=[(datasette_plugin.STATIC_MOUNT, str(package / "static"))])
    # the file as Datasette opened it, replaced (same name, same place) by its read-only self
    ds.remove_database(name)
    ds.add_database(_read_only_database_class()(ds, path=str(db_path), is_mutable=True), name=name)
    ds.aggregator_read_only = True  # the plugin answers 405 to every request that is not a read
    return ds


def serve_datasette(db_path, host, port, echo=print):
    import uvicorn

    ds = make_datasette(db_path)
    missing = missing_tables(db_path)
    if missing:
        echo(f"note: {db_path} has no {', '.join(missing)} table yet: a crawl creates them")
    echo(f"Datasette: http://{host}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
