"""Crawl orchestration: the registered sites' spiders in one Scrapy process, then each site's
health against its own history (aggregator.health), one `crawls` row and one `site_runs` row
per site. The CLI's `crawl` and `demo` call run_crawl and print what it returns."""
from __future__ import annotations

from dataclasses import dataclass, field

from aggregator import health
from aggregator.runlog import run_log
from aggregator.sites import project_settings
from aggregator.store import Store


@dataclass
class CrawlResult:
    crawl_id: int
    counts: dict
    # site name -> (status, reason), in the order the sites were given
    sites: dict = field(default_factory=dict)
    # True when the run was stopped (SIGTERM, Ctrl-C) before its spiders finished
    interrupted: bool = False

    def with_status(self, *statuses) -> list[str]:
        return [name for name, (status, _) in self.sites.items() if status in statuses]

    @property
    def exit_code(self) -> int:
        return health.exit_code(status for status, _ in self.sites.values())

    @property
    def status(self) -> str:
        """The crawls row's status: interrupted (stopped by a signal: what it stored is kept),
        finished (every site ok), partial, or failed (no site worked)."""
        if self.interrupted:
            return "interrupted"
        return {0: "finished", 3: "partial"}.get(self.exit_code, "failed")


def run_crawl(names, db_path, *, overrides=None, spider_kwargs=None, spider_classes=None,
              verbose=False) -> CrawlResult:
    """Crawl the named sites in one process into db_path.

    overrides: Scrapy settings for this run; spider_kwargs: {name: {kwarg: value}} (base_url);
    spider_classes: {name: class} for sites that are not in the registry (check-site)."""
    from scrapy.crawler import CrawlerProcess

    from pipelines.store import crawl_counts

    store = Store(db_path)
    crawl_id = store.start_crawl(names)
    store.close()
    settings = project_settings()
    settings.setdict({"AGGREGATOR_DB": str(db_path), "AGGREGATOR_CRAWL_ID": crawl_id,
                      "LOG_LEVEL": "INFO" if verbose else "WARNING", **(overrides or {})}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = []
    for name in names:
        crawler = process.create_crawler((spider_classes or {}).get(name, name))
        process.crawl(crawler, **(spider_kwargs or {}).get(name, {}))
        crawlers.append(crawler)
    with run_log(db_path, crawl_id):
        process.start()
    all_stats = {name: crawler.stats.get_stats() for name, crawler in zip(names, crawlers)}
    result = CrawlResult(crawl_id, crawl_counts(list(all_stats.values())),
                         interrupted=any(stats.get("finish_reason") == "shutdown" for stats in all_stats.values()))
    store = Store(db_path)
    try:
        for name, stats in all_stats.items():
            result.sites[name] = health.record(store, crawl_id, name, stats)
        store.finish_crawl(crawl_id, status=result.status, counts=result.counts, stats=all_stats)
    finally:
        store.close()
    return result


def summary_line(result: CrawlResult, db_path, seconds) -> str:
    """The one line an operator reads in the cron log: counts, then every site that is not ok."""
    counts = result.counts
    line = (f"crawl {result.crawl_id}: {len(result.sites)} sites, {counts['pages_fetched']} pages fetched, "
            f"{counts['articles_new']} articles new, {counts['articles_updated']} updated, "
            f"{counts['articles_unchanged']} unchanged, {counts['duplicates']} duplicates, "
            f"{counts['rejects']} rejects, {counts['errors']} errors -> {db_path} ({seconds:.1f}s)")
    for status in ("failed", "blocked", "degraded"):
        names = result.with_status(status)
        if names:
            line += f"; {status}: " + ", ".join(f"{name} ({result.sites[name][1]})" for name in names)
    return line
