"""The `aggregator` command: crawl, ingest, serve, sites, demo, import, extract, eval."""
from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path

import click

from aggregator.sites import project_settings, site_classes

DEFAULT_DB = "data/news.db"
# sysexits.h EX_TEMPFAIL: the previous crawl is still writing; try again at the next slot
EXIT_BUSY = 75
DEMO_DB = "data/demo.db"
# the demo crawls loopback only: no need to be slow there
DEMO_SETTINGS = {
    "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "RETRY_ENABLED": False,
}


@click.group()
@click.version_option(package_name="edu-news-aggregator")
def main():
    """Crawl Chinese education news into SQLite and browse it in Datasette."""


@contextlib.contextmanager
def writer_lock(db_path):
    """The database's single-writer lock for a command; exit 75 when another process holds it."""
    from aggregator.store import WriterBusy, single_writer

    try:
        with single_writer(db_path):
            yield
    except WriterBusy as busy:
        click.echo(f"not started: {busy}", err=True)
        sys.exit(EXIT_BUSY)


# crawl ---------------------------------------------------------------------------
def _settings_option(values) -> dict:
    """-s NAME=VALUE pairs as a dict (Scrapy's own -s syntax)."""
    out = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="-s/--set")
        out[name.strip()] = setting
    return out


def _resolve_sites(requested, include_demo):
    known = {cls.name: cls for cls in site_classes(include_demo=True)}
    unknown = [name for name in requested if name not in known]
    if unknown:
        raise click.UsageError(f"unknown site(s): {' '.join(unknown)} (see `aggregator sites`)")
    if requested:
        return list(requested)
    return [name for name, cls in known.items() if include_demo or not cls.demo]


@main.command()
@click.argument("sites", nargs=-1)
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite file to write")
@click.option("--base-url", help="crawl one SITE from a mirror: its start URLs keep their paths on this scheme and host")
@click.option("--allow-private", is_flag=True,
              help="the --base-url mirror may be on a loopback or private address (that host and port only)")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="a Scrapy setting for this run (repeatable), as `scrapy crawl -s`")
@click.option("--recheck", is_flag=True,
              help="recheck every stored article younger than AGGREGATOR_RECHECK_DAYS now, whatever the schedule")
@click.option("-v", "--verbose", is_flag=True, help="Scrapy's INFO log on stderr")
@click.option("--mirror", "mirrors", multiple=True, metavar="SITE=URL",
              help="crawl SITE from a mirror at URL, as --base-url does for one site (repeatable)")
@click.option("--redis", "redis_url", metavar="URL",
              help="crawl from the frontier shared on this Redis with other processes; items go to `aggregator ingest`")
@click.option("--idle-exit", type=click.FloatRange(min=0), default=10.0, show_default=True,
              help="with --redis: exit once the shared frontier has been empty this many seconds")
def crawl(sites, db_path, base_url, allow_private, settings, verbose, mirrors, redis_url, idle_exit, recheck):
    """Crawl SITES (all registered sites by default) into the database.

    Prints one summary line naming every failed, blocked or degraded site; exits 0 when every
    site is ok, 3 when some site is not, 1 when no site worked, 75 when another crawl is still
    writing the database."""
    from aggregator.crawl import run_crawl

    names = _resolve_sites(sites, include_demo=False)
    if base_url and len(names) != 1:
        raise click.UsageError("--base-url needs exactly one SITE")
    mirror_urls = _mirror_option(mirrors, names)
    if base_url:
        mirror_urls[names[0]] = base_url
    if allow_private and not mirror_urls:
        raise click.UsageError("--allow-private lets a --base-url mirror through: give --base-url")
    overrides = _settings_option(settings)
    if allow_private:
        overrides["AGGREGATOR_ALLOW_PRIVATE"] = True
    if recheck:
        overrides["AGGREGATOR_RECHECK_ALL"] = True
    started = time.monotonic()
    if redis_url:
        _redis_crawl(names, redis_url, idle_exit, overrides, mirror_urls, verbose, started)
    with writer_lock(db_path):
        result = run_crawl(names, db_path, verbose=verbose, overrides=overrides,
                           spider_kwargs={name: {"base_url": url} for name, url in mirror_urls.items()})
    _summary(result, db_path, started)
    sys.exit(result.exit_code)


def _summary(result, db_path, started):
    """The run's summary line, printed and closing its log file."""
    from aggregator.crawl import summary_line
    from aggregator.runlog import append_line, log_path

    line = summary_line(result, db_path, time.monotonic() - started)
    click.echo(line)
    append_line(log_path(db_path, result.crawl_id), line)


@main.command()
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="how many runs")
def crawls(db_path, limit):
    """The latest crawl, import and reprocess runs: status, sites and counts, newest first."""
    from aggregator.store import recent_crawls

    if not Path(db_path).exists():
        raise click.UsageError(f"{db_path} does not exist: run `aggregator crawl` or `aggregator demo` first")
    columns = ("id", "started_at", "finished_at", "status", "pages_fetched", "articles_new",
               "articles_updated", "articles_unchanged", "rejects", "sites")
    header = ("id", "started", "finished", "status", "pages", "new", "updated", "unchanged", "rejects", "sites")
    rows = [[str(row[c] if row[c] is not None else "-") for c in columns] for row in recent_crawls(db_path, limit)]
    _print_table(header, rows)


def _mirror_option(values, names) -> dict:
    """--mirror SITE=URL pairs as {site: url}; each SITE must be one being crawled."""
    out = {}
    for value in values:
        name, sep, url = value.partition("=")
        if not sep or name not in names or not url.startswith(("http://", "https://")):
            raise click.BadParameter(f"{value!r} is not SITE=http(s)://HOST[:PORT] for a SITE crawled",
                                     param_hint="--mirror")
        out[name] = url
    return out


def _redis_crawl(names, redis_url, idle_exit, overrides, mirror_urls, verbose, started):
    """`crawl --redis`: this process's share of the shared crawl; the database is the writer's."""
    import redis

    from aggregator.distributed import run_redis_crawl

    try:
        result = run_redis_crawl(names, redis_url, idle_exit=idle_exit, overrides=overrides, verbose=verbose,
                                 spider_kwargs={name: {"base_url": url} for name, url in mirror_urls.items()})
    except redis.RedisError as error:
        raise click.ClickException(f"Redis at {redis_url}: {error}") from None
    click.echo(result.summary_line(time.monotonic() - started))
    sys.exit(0)


# ingest ----------------------------------------------------------------------------
@main.command()
@click.option("--redis", "redis_url", metavar="URL", required=True, help="the Redis the crawlers queue items on")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite file to write")
@click.option("--until-idle", type=click.FloatRange(min=0), default=None,
              help="exit once the queue has been empty this many seconds (default: run until SIGTERM/Ctrl-C)")
def ingest(redis_url, db_path, until_idle):
    """The single writer of `crawl --redis`: store the queued items through the pipelines.

    Prints each run's summary line when its last crawler has left; exits 75 when another
    process writes the database."""
    import redis

    from aggregator.crawl import summary_line
    from aggregator.ingest import run_ingest

    started = time.monotonic()
    with writer_lock(db_path):
        try:
            result = run_ingest(redis_url, db_path, until_idle=until_idle,
                                on_run=lambda run: click.echo(summary_line(run, db_path, time.monotonic() - started)))
        except redis.RedisError as error:
            raise click.ClickException(f"Redis at {redis_url}: {error}") from None
    click.echo(f"ingest: {result.messages} messages stored ({result.recovered} recovered from a killed writer), "
               f"{len(result.runs)} runs finished, {result.rate:.0f} messages/s while busy -> {db_path} "
               f"({time.monotonic() - started:.1f}s)")


# serve -----------------------------------------------------------------------------
# the serving code (read-only Datasette, SQL time limit, robots.txt) is aggregator/serve.py
def serve_datasette(db_path, host, port):
    from aggregator import serve as serving

    serving.serve_datasette(db_path, host, port, echo=click.echo)


@main.command()
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
def serve(db_path, host, port):
    """Browse the database in Datasette."""
    if not Path(db_path).exists():
        raise click.UsageError(f"{db_path} does not exist: run `aggregator crawl` or `aggregator demo` first")
    serve_datasette(db_path, host, port)


# sites ----------------------------------------------------------------------------
@main.command()
@click.option("--demo", is_flag=True, help="also list the bundled offline demo sites")
@click.option("--health", is_flag=True, help="each site's last status and reason, and its last good run, from --db")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="the database --health reads")
def sites(demo, health, db_path):
    """The site registry: name, display name, region, CMS family, start URLs (or, with
    --health, each site's last status)."""
    classes = site_classes(include_demo=demo)
    if health:
        from aggregator.store import site_health

        known = site_health(db_path)
        header = ("name", "display_name", "status", "last_run", "last_ok", "reason")
        rows = [(cls.name, cls.display_name) + tuple(
                    (known.get(cls.name) or {}).get(k) or ("never crawled" if k == "status" else "-")
                    for k in ("status", "last_run", "last_ok", "reason"))
                for cls in classes]
    else:
        header = ("name", "display_name", "region", "cms", "start_urls")
        rows = [(cls.name, cls.display_name, cls.region, cls.cms, " ".join(cls.start_urls)) for cls in classes]
    _print_table(header, rows)


def _print_table(header, rows):
    """Columns padded to their display width; the last column is left as it is."""
    widths = [max(_width(str(r[i])) for r in rows + [header]) for i in range(len(header) - 1)]
    for row in [header] + rows:
        click.echo("  ".join(str(v) + " " * (w - _width(str(v))) for v, w in zip(row, widths)) + "  " + str(row[-1]))


def _width(text):
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


# check-site -------------------------------------------------------------------------
@main.command(name="check-site")
@click.argument("url")
@click.option("--name", help="registry name for the site class (default: from the host)")
@click.option("--base-url", help="fetch from a mirror of the site (same paths, this scheme and host)")
@click.option("--allow-private", is_flag=True, help="the page (or the mirror) may be on a loopback or private address")
def check_site_(url, name, base_url, allow_private):
    """Recognise the platform of a column page, crawl one listing of it with that family's
    spider, and print the site class to paste into spiders/."""
    from aggregator.check_site import CheckError, check_site

    try:
        report = check_site(url, name, base_url, allow_private)
    except CheckError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"column page: {url}{f' from {base_url}' if base_url else ''} (http {report.status})")
    if report.family is None:
        click.echo("platform: unknown (no family's markers found)")
        for key, value in report.seen.items():
            click.echo(f"  {key}: {value}")
        sys.exit(1)
    click.echo(f"platform: {report.family.cms} ({report.family.__module__}.{report.family.__name__}), "
               f"markers: {', '.join(report.markers)}")
    for base, markers in report.others:
        click.echo(f"  also matched: {base.cms} ({', '.join(markers)})")
    click.echo("ids read: " + (", ".join(f"{k}={v}" for k, v in report.ids.items()) or "none"))
    health = report.health or {}
    click.echo(f"first listing: {health.get('article_links', 0)} article links from "
               f"{health.get('listing_requests', 0)} listing requests ({health.get('listing_failed', 0)} failed)")
    article = report.article
    if article:
        people = ", ".join(f"{p['name']}({p['role']})" for p in article["people"]) or "-"
        click.echo(f"one article: {article['url']}\n  title: {article['title']}\n"
                   f"  published: {article['published_at']} ({article['published_signal']})\n"
                   f"  source: {article['source']}\n  people: {people}\n"
                   f"  body: {len(article['body'] or '')} characters: {(article['body'] or '')[:80]}")
    else:
        click.echo("one article: none could be stored")
    click.echo("\nsite class (spiders/<name>.py):\n")
    click.echo(report.site_class)
    if not article:
        sys.exit(3)


# demo -----------------------------------------------------------------------------
@main.command()
@click.option("--db", "db_path", default=DEMO_DB, show_default=True)
@click.option("--no-serve", is_flag=True, help="exit after the crawl instead of serving Datasette")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--sites-port", default=18301, show_default=True, type=int,
              help="first port of the demo sites (one port per site); fixed so a second run finds the same URLs")
@click.option("-v", "--verbose", is_flag=True)
def demo(db_path, no_serve, host, port, sites_port, verbose):
    """Crawl the bundled demo sites (served on 127.0.0.1, no internet) and browse them."""
    from aggregator.crawl import run_crawl
    from aggregator.demo.server import DemoSites

    names = [cls.name for cls in site_classes(include_demo=True) if cls.demo]
    with DemoSites(base_port=sites_port) as demo_sites:
        for name in names:
            click.echo(f"demo site {name}: {demo_sites.urls[name]}")
        started = time.monotonic()
        with writer_lock(db_path):
            result = run_crawl(names, db_path, overrides=DEMO_SETTINGS, verbose=verbose,
                               spider_kwargs={name: {"base_url": demo_sites.urls[name]} for name in names})
        _summary(result, db_path, started)
        if result.exit_code == 1:
            sys.exit(1)
        if not no_serve:
            serve_datasette(db_path, host, port)


# import ---------------------------------------------------------------------------
@main.command(name="import")
@click.argument("items_file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True)
@click.option("--new-sites", is_flag=True,
              help="add a site that is neither registered nor in the database (otherwise its lines are rejects)")
@click.option("--max-item-bytes", type=click.IntRange(min=1), default=None,
              help="a longer line is a reject, never parsed (default: AGGREGATOR_MAX_ITEM_BYTES)")
def import_(items_file, db_path, new_sites, max_item_bytes):
    """Store article items given as JSON lines, through the crawl's pipelines.

    Each line: {"url", "site", "title", "body", "published_at", "source", "people"} or
    {"url", "site", "html"} to extract from. Re-importing the same file changes nothing;
    a bad line is a reject row ("line N: ...") and the import goes on."""
    from aggregator.importer import import_file

    max_item_bytes = max_item_bytes or project_settings().getint("AGGREGATOR_MAX_ITEM_BYTES")
    with writer_lock(db_path):
        counts = import_file(items_file, db_path, new_sites=new_sites, max_item_bytes=max_item_bytes,
                             warn=lambda message: click.echo(message, err=True))
    click.echo(f"import {counts['crawl_id']}: {counts['new']} articles new, {counts['updated']} updated, "
               f"{counts['unchanged']} unchanged, {counts['duplicate']} duplicates, "
               f"{counts['rejects']} rejects -> {db_path}")


# reprocess ------------------------------------------------------------------------
@main.command()
@click.argument("warc_files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True)
def reprocess(warc_files, db_path):
    """Rebuild or refresh articles from WARC archives (a crawl's warc/*.warc.gz, or wget's and
    browsertrix's) through the crawl's pipelines, fetching nothing."""
    from aggregator.reprocess import BadArchive, reprocess as run_reprocess

    with writer_lock(db_path):
        try:
            counts = run_reprocess(warc_files, db_path)
        except BadArchive as bad:
            raise click.ClickException(str(bad)) from None
    click.echo(f"reprocess {counts['crawl_id']}: {counts['new']} articles new, {counts['updated']} updated, "
               f"{counts['unchanged']} unchanged, {counts['duplicate']} duplicates, "
               f"{counts['rejects']} rejects, {counts['skipped']} records skipped -> {db_path}")


# extract --------------------------------------------------------------------------
def extract_file(path, url=None) -> dict:
    """One saved page through the crawl's extract, clean and normalize pipelines."""
    from aggregator.importer import run_pipelines
    from aggregator.items import ArticleItem
    from pipelines.clean import CleanPipeline
    from pipelines.extract import ExtractPipeline
    from pipelines.normalize import NormalizePipeline

    url = url or Path(path).resolve().as_uri()
    item = ArticleItem(url=url, site="file", html=Path(path).read_bytes())
    item, reason = run_pipelines([ExtractPipeline(), CleanPipeline(), NormalizePipeline()], item)
    out = {"file": str(path), "url": url}
    if reason:
        return dict(out, error=reason)
    out.update({
        "title": item.get("title"), "published_at": item.get("published_at"),
        "people": item.get("people") or [], "source": item.get("source"), "content": item.get("body"),
        "published_raw": item.get("published_raw"), "published_precision": item.get("published_precision"),
        "published_signal": item.get("published_signal"), "byline_raw": item.get("byline_raw"),
        "title_signal": item.get("title_signal"), "body_signal": item.get("body_signal"),
        "people_signal": item.get("people_signal"), "source_signal": item.get("source_signal"),
        "encoding": item.get("encoding"),
    })
    return out


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--url", help="the URL the page was fetched from (one file)")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per line")
def extract(files, url, as_json):
    """Extract saved pages with the spiders' own code."""
    if url and len(files) > 1:
        raise click.UsageError("--url names the URL of one file")
    for path in files:
        result = extract_file(path, url)
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
            continue
        click.echo(f"== {path}")
        if "error" in result:
            click.echo(f"rejected: {result['error']}")
            continue
        people = ", ".join(f"{p['name']}({p['role']})" for p in result["people"])
        click.echo(f"title: {result['title']}\npublished: {result['published_at']}\n"
                   f"people: {people}\nsource: {result['source']}\n\n{result['content']}\n")


# eval -----------------------------------------------------------------------------
@main.command(name="eval")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="per-page rows and scores as JSON")
@click.option("--split", type=click.Choice(["tune", "measure"]), default=None,
              help="score only one part of DIR (a fixed rule on each page's path, see aggregator.evaluate.split_of)")
@click.option("--corrections", type=click.Path(exists=True, dir_okay=False), default=None,
              help="a JSON file of corrected labels (page -> fields and a note saying why), applied over labels.json")
def eval_(directory, as_json, split, corrections):
    """Score extraction on labelled pages (DIR holds the pages and labels.json)."""
    from aggregator.evaluate import evaluate_dir, format_report

    try:
        result = evaluate_dir(directory, split=split, corrections=corrections)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(json.dumps(result, ensure_ascii=False, indent=1) if as_json else format_report(result))


if __name__ == "__main__":
    main()
